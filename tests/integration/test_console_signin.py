"""Staff sign-in under attack (issue 12, "Staff sign-in"): every role needs
TOTP; failures are throttled per address and per (account, address) with
growing delays answered 429 + Retry-After, never an account lock a
stranger can impose; a CAPTCHA after a few failures; the ASVS password
rules with their Turkish messages beside the field; a staff member's own
password change; an administrator's password or TOTP reset ends the
account's sessions; a login flood leaves /healthz answering.

Attacks come from their own loopback addresses (127.0.0.x, bound as the
client's source address), so each test's counters are its own. The module
runs its own demo database and server with the default konsol.* limits
(docs/CONFIG.md) except a first delay of 30 s instead of 5 s, so that a
hold cannot run out between two requests of a test on a loaded machine."""
import concurrent.futures
import functools
import http.client
import re
import os
import shutil
import tempfile
import time
import urllib.request

import pytest

from conftest import Client, Server, db_connect, run_cli, write_config
from test_console import Staff, totp  # noqa: F401  (RFC 6238 helper, step bookkeeping)

PASSWORD = 'Konsol-Parola-2026'
STAFF = [('s.zon', 'yetkili', 'ZONGULDAK-MEM'), ('s.op', 'operator', None),
         ('s.adm', 'admin', None), ('s.hedef', 'yetkili', 'ZONGULDAK-MEM'),
         ('s.sel', 'operator', None)]


class SourceClient(Client):
    """A Client whose connections leave from `source` (a 127.0.0.x address)."""

    def __init__(self, base, source):
        super().__init__(base)
        self.source = source

        class Handler(urllib.request.HTTPHandler):
            def http_open(handler, req):
                return handler.do_open(functools.partial(http.client.HTTPConnection,
                                                         source_address=(source, 0)), req)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None

        self.opener = urllib.request.build_opener(
            Handler, urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)


@pytest.fixture(scope='module')
def env():
    d = tempfile.mkdtemp(prefix='eimza-giris-')
    write_config(d, '[konsol]\ndelay_base = 30\n')
    run_cli(d, 'init', '--demo')
    for user, role, scope in STAFF:
        args = ['user', 'add', user, '--role', role] + (['--scope', scope] if scope else [])
        run_cli(d, *args, stdin=PASSWORD + '\n')
    s = Server(d)
    yield {'dir': d, 'server': s}
    s.stop()
    shutil.rmtree(d, ignore_errors=True)


def client(env, source='127.0.0.1'):
    return SourceClient(env['server'].base, source)


def post_password(c, user, password, captcha=None):
    data = {'csrf': c.csrf('/konsol/giris'), 'kullanici_adi': user, 'parola': password}
    if captcha is not None:
        data['captcha'] = captcha
    return c.post('/konsol/giris', data)


def solve_captcha(c):
    """Binds a CAPTCHA to c's session and reads its answer (dev mode)."""
    assert c.get('/captcha.png').status == 200
    r = c.get('/dev/captcha')
    assert r.status == 200
    return r.text.strip()


def totp_step(c, user):
    """The TOTP page after a right password: enrols on first use."""
    page = c.get('/konsol/dogrulama')
    assert page.status == 200, page.text[:500]
    m = re.search(r'id="totp-anahtar">([A-Z2-7]+)<', page.text)
    if m:
        Staff.secrets[user] = m.group(1)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return c.post('/konsol/dogrulama', {'csrf': token, 'dogrulama_kodu': Staff.next_code(user)})


def sign_in(env, user, password=PASSWORD, source='127.0.0.1'):
    c = client(env, source)
    r = post_password(c, user, password)
    if r.status == 400 and 'id="captcha"' in r.text:
        r = post_password(c, user, password, solve_captcha(c))
    assert r.status == 303 and r.headers['Location'] == '/konsol/dogrulama', r.text[:800]
    r = totp_step(c, user)
    assert r.status == 303 and r.headers['Location'] == '/konsol', r.text[:800]
    return c


def error_beside(text, error_id):
    m = re.search(r'id="%s">([^<]+)<' % error_id, text)
    return m.group(1) if m else None


# ---- second factor for every role ----

def test_authority_needs_totp(env):
    c = client(env)
    r = post_password(c, 's.zon', PASSWORD)
    assert r.status == 303 and r.headers['Location'] == '/konsol/dogrulama'
    # The password alone does not open the console.
    assert c.get('/konsol').headers.get('Location') == '/konsol/giris'
    page = c.get('/konsol/dogrulama')
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="qr"' in page.text
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    secret = re.search(r'id="totp-anahtar">([A-Z2-7]{32})<', page.text).group(1)
    now = int(time.time()) // 30
    used = {totp(secret, step) for step in (now - 1, now, now + 1, now + 2)}
    wrong = next(code for code in ('000000', '111111', '222222', '333333', '444444')
                 if code not in used)
    r = c.post('/konsol/dogrulama', {'csrf': token, 'dogrulama_kodu': wrong})
    assert r.status == 401
    assert c.get('/konsol').headers.get('Location') == '/konsol/giris'
    r = totp_step(c, 's.zon')
    assert r.status == 303 and r.headers['Location'] == '/konsol'
    assert c.get('/konsol').status == 200
    con = db_connect(env['dir'])
    enrolled = con.execute("SELECT totp_secret IS NOT NULL FROM staff_users "
                           "WHERE username = 's.zon'").fetchone()[0]
    con.close()
    assert enrolled == 1


# ---- throttling ----

def test_thirty_wrong_passwords_from_one_address_reach_429(env):
    c = client(env, '127.0.0.20')
    statuses = []
    for i in range(30):
        # Varying names too: the address's own counter must get there.
        r = post_password(c, 's.op' if i % 2 else 'kimse%d' % i, 'Yanlis-Parola-%d' % i)
        statuses.append(r.status)
        if r.status == 429:
            assert 1 <= int(r.headers['Retry-After']) <= 900
            assert 'Çok fazla hatalı deneme' in error_beside(r.text, 'giris-hata')
    assert 429 in statuses, statuses
    # Once held, the address stays refused without hashing anything.
    assert statuses[-1] == 429, statuses


def test_stranger_cannot_keep_the_owner_out(env):
    stranger = client(env, '127.0.0.21')
    statuses = []
    for i in range(6):
        r = post_password(stranger, 's.hedef', 'Tahmin-Parola-%d' % i)
        statuses.append(r.status)
    # Three failures, then the pair (s.hedef, stranger's address) is held.
    assert statuses[:3] == [401, 401, 401], statuses
    assert 429 in statuses[3:], statuses
    r = post_password(stranger, 's.hedef', PASSWORD)
    assert r.status == 429
    wait = int(r.headers['Retry-After'])
    assert 1 <= wait <= 900  # bounded: konsol.delay_max
    # The account itself is not locked.
    con = db_connect(env['dir'])
    assert con.execute("SELECT locked_until FROM staff_users WHERE username = 's.hedef'"
                       ).fetchone()[0] == 0
    con.close()
    # The owner from another address: no delay, only a CAPTCHA (the account
    # has failed konsol.captcha_after times), then password + TOTP.
    owner = client(env, '127.0.0.22')
    r = post_password(owner, 's.hedef', PASSWORD)
    assert r.status == 400 and 'id="captcha"' in r.text
    assert '<label for="captcha">Resimdeki Yazıyı Giriniz</label>' in r.text
    assert error_beside(r.text, 'captcha-hata')
    r = post_password(owner, 's.hedef', PASSWORD, 'YANLIS')
    assert r.status == 400 and error_beside(r.text, 'captcha-hata')
    r = post_password(owner, 's.hedef', PASSWORD, solve_captcha(owner))
    assert r.status == 303 and r.headers['Location'] == '/konsol/dogrulama', r.text[:800]
    r = totp_step(owner, 's.hedef')
    assert r.status == 303 and r.headers['Location'] == '/konsol'
    assert owner.get('/konsol').status == 200
    # Her success cleared the account's counter: no CAPTCHA from a new address.
    r = post_password(client(env, '127.0.0.23'), 's.hedef', 'Yanlis-Ama-Uzun-1')
    assert r.status == 401 and 'id="captcha"' not in r.text


def test_login_flood_leaves_healthz_answering(env):
    """200 wrong logins, 40 at a time from four addresses: most are refused
    at once (the Argon2id gate or the address's delay) and /healthz still
    answers meanwhile and afterwards. Counts only, no timings."""
    sources = ['127.0.0.%d' % n for n in (30, 31, 32, 33)]
    clients = {s: client(env, s) for s in sources}
    tokens = {s: clients[s].csrf('/konsol/giris') for s in sources}

    def one(i):
        s = sources[i % len(sources)]
        try:
            r = clients[s].post('/konsol/giris', {'csrf': tokens[s], 'kullanici_adi': 's.sel',
                                                  'parola': 'Sel-Parola-%04d' % i})
            return r.status
        except OSError:
            return 'error'

    health = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
        futures = [pool.submit(one, i) for i in range(200)]
        for _ in range(5):
            health.append(Client(env['server'].base).get('/healthz').status)
        statuses = [f.result(timeout=120) for f in futures]
    health.append(Client(env['server'].base).get('/healthz').status)
    assert all(h == 200 for h in health), health
    assert statuses.count(429) >= 100, {s: statuses.count(s) for s in set(statuses)}
    assert set(statuses) <= {401, 400, 429}, set(statuses)
    assert Client(env['server'].base).get('/konsol/giris').status == 200


# ---- passwords ----

def test_weak_or_common_password_refused_beside_the_field(env):
    adm = sign_in(env, 's.adm')
    for pw, words in (('galatasaray1905', 'yaygın'), ('123456789012', 'yaygın'),
                      ('Sifre-kisa', 'en az 12 karakter')):
        r = adm.post('/konsol/kullanicilar', {'csrf': adm.csrf('/konsol/kullanicilar'),
                                              'islem': 'ekle', 'kullanici_adi': 's.zayif',
                                              'rol': 'operator', 'parola': pw})
        assert r.status == 400
        msg = error_beside(r.text, 'yeni-parola-hata')
        assert msg and words in msg, r.text[:1500]
        assert 'aria-describedby="yeni-parola-hata"' in r.text
    # No composition rule: one long lower-case phrase is fine.
    r = adm.post('/konsol/kullanicilar', {'csrf': adm.csrf('/konsol/kullanicilar'),
                                          'islem': 'ekle', 'kullanici_adi': 's.cumle',
                                          'rol': 'operator',
                                          'parola': 'karadeniz kiyisinda bir sabah'})
    assert r.status == 303
    # `eimza user add` applies the same list.
    p = run_cli(env['dir'], 'user', 'add', 's.cli', '--role', 'admin',
                stdin='Fenerbahce1907\n', check=False)
    assert p.returncode != 0 and 'yaygın' in p.stderr


def test_own_password_change(env):
    c = sign_in(env, 's.op')
    page = c.get('/konsol/parola')
    assert page.status == 200
    for label, field in (('Mevcut Parola', 'mevcut_parola'), ('Yeni Parola', 'yeni_parola'),
                         ('Yeni Parola \\(Tekrar\\)', 'yeni_parola_tekrar')):
        assert re.search(r'<label for="%s">%s</label>' % (field, label), page.text), label
    new = 'Yeni bir parola cümlesi 2026'

    def change(current, fresh, again):
        return c.post('/konsol/parola', {'csrf': c.csrf('/konsol/parola'),
                                         'mevcut_parola': current, 'yeni_parola': fresh,
                                         'yeni_parola_tekrar': again})

    r = change(PASSWORD, 'sifresifre123', 'sifresifre123')
    assert r.status == 400 and 'yaygın' in error_beside(r.text, 'yeni-parola-hata')
    r = change(PASSWORD, new, new + 'x')
    assert r.status == 400 and error_beside(r.text, 'yeni-parola-tekrar-hata')
    r = change('Yanlis-Parola-2026', new, new)
    assert r.status == 400 and error_beside(r.text, 'mevcut-parola-hata')
    r = change(PASSWORD, new, new)
    assert r.status == 303 and r.headers['Location'] == '/konsol'
    # This session goes on; the old password no longer signs in.
    page = c.get('/konsol')
    assert page.status == 200 and 'Parolanız değiştirildi' in page.text
    r = post_password(client(env, '127.0.0.40'), 's.op', PASSWORD)
    assert r.status == 401
    c2 = sign_in(env, 's.op', new, source='127.0.0.41')
    assert c2.get('/konsol').status == 200
    # The new sign-in ended the first session (one login per account).
    assert c.get('/konsol').headers.get('Location') == '/konsol/giris'


def uid_of(adm, username):
    page = adm.get('/konsol/kullanicilar').text
    row = page[page.index('<td>%s</td>' % username):]
    return re.search(r'name="kullanici" value="(\d+)"', row).group(1)


def test_admin_reset_ends_sessions_and_totp_needs_admin(env):
    adm = sign_in(env, 's.adm', source='127.0.0.50')
    user = sign_in(env, 's.zon', source='127.0.0.51')
    assert user.get('/konsol').status == 200
    uid = uid_of(adm, 's.zon')
    # Password reset: a new password shown once, the open session ends.
    r = adm.post('/konsol/kullanicilar', {'csrf': adm.csrf('/konsol/kullanicilar'),
                                          'islem': 'parola_sifirla', 'kullanici': uid})
    assert r.status == 200 and r.headers.get('Cache-Control') == 'no-store'
    pw = re.search(r'id="yeni-parola">([^<]+)<', r.text).group(1)
    assert user.get('/konsol').headers.get('Location') == '/konsol/giris'
    assert post_password(client(env, '127.0.0.52'), 's.zon', PASSWORD).status == 401
    user = sign_in(env, 's.zon', pw, source='127.0.0.53')
    assert user.get('/konsol').status == 200
    # The password alone cannot enrol a new TOTP secret: the enrolled one is
    # asked for, no QR code is shown.
    c = client(env, '127.0.0.54')
    assert post_password(c, 's.zon', pw).status == 303
    assert 'totp-anahtar' not in c.get('/konsol/dogrulama').text
    # TOTP reset (an administrator's action): the session ends, the next
    # sign-in enrols a new secret.
    r = adm.post('/konsol/kullanicilar', {'csrf': adm.csrf('/konsol/kullanicilar'),
                                          'islem': 'totp_sifirla', 'kullanici': uid})
    assert r.status == 303
    assert user.get('/konsol').headers.get('Location') == '/konsol/giris'
    c = client(env, '127.0.0.55')
    assert post_password(c, 's.zon', pw).status == 303
    page = c.get('/konsol/dogrulama').text
    secret = re.search(r'id="totp-anahtar">([A-Z2-7]+)<', page).group(1)
    assert secret != Staff.secrets['s.zon']
    Staff.secrets['s.zon'] = secret
    Staff.last_step['s.zon'] = 0
    r = totp_step(c, 's.zon')
    assert r.status == 303 and r.headers['Location'] == '/konsol'
    con = db_connect(env['dir'])
    actions = [a for (a,) in con.execute(
        "SELECT action FROM audit_log WHERE object = 'staff:s.zon' ORDER BY id")]
    con.close()
    assert 'staff_password_reset' in actions and 'staff_totp_reset' in actions
