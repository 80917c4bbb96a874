"""e-Devlet sign-in and the card PIN (issue 14).

A real OpenID provider (the `oidc-provider` npm package, tests/oidc/
provider.mjs) stands in for e-Devlet Kapısı on a loopback port; eimza is
its relying party. A holder logs in to NES Bireysel, signs in with
e-Devlet (authorization code + PKCE S256, state, nonce; ID token checked),
and for a delivered card gets a one-time authorization on /bireysel/pin.
`eimza card set-pin` exchanges it for the transport PIN of a SoftHSM2 token
prepared here and sets the holder's new PIN on the token; `eimza card
unblock` does the same with the SO PIN.

The card's PINs are stored the way production will store them: `eimza card
record APPLICATION --token-serial S` seals them to <ca.dir>/pin-seal.pub
(card_pins, migration 0011).

SoftHSM2 has no retry counter: three wrong PINs do not lock its tokens, so
the unblock test shows that the SO PIN path sets a new PIN after three
failed logins, not that a lock was cleared."""
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.parse

import pytest

import conftest
import flow
from conftest import (BIN, Client, ROOT, Server, db_connect, demo_people, free_port, run_cli,
                      write_config)

OIDC_DIR = os.path.join(ROOT, 'tests', 'oidc')
SOFTHSM = next((p for p in ('/usr/lib/softhsm/libsofthsm2.so',
                            '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
                            '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so')
                if os.path.exists(p)), None)
CLIENT_ID = 'eimza-test'
SECRET = 'istemci-sirri-0123456789'
TRANSPORT = '73914526'
SO_PIN = 'so-8c1f42d9e0'
WORD = flow.FORM['guvenlik_sozcugu']


def provider_modules():
    """tests/oidc/node_modules, installed with npm ci when missing (as
    scripts/test.sh does)."""
    if not os.path.isdir(os.path.join(OIDC_DIR, 'node_modules', 'oidc-provider')):
        subprocess.run(['npm', 'ci', '--no-audit', '--no-fund'], cwd=OIDC_DIR, check=True,
                       capture_output=True, timeout=300)


class Provider:
    """tests/oidc/provider.mjs on a loopback port, stopped by its PID."""

    def __init__(self, workdir, redirect):
        provider_modules()
        self.port = free_port()
        self.base = 'http://127.0.0.1:%d' % self.port
        self.log = open(os.path.join(workdir, 'provider.log'), 'w')
        self.proc = subprocess.Popen(
            ['node', 'provider.mjs', str(self.port), CLIENT_ID, SECRET, redirect],
            cwd=OIDC_DIR, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        if line.strip() != 'ready':
            self.stop()
            raise AssertionError('provider did not start')
        self.http = Client(self.base)

    def control(self, path):
        assert self.http.get(path).status == 200

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture(scope='module')
def env():
    if shutil.which('node') is None or SOFTHSM is None:
        pytest.fail('node and SoftHSM2 are needed (scripts/setup.sh --test)')
    d = tempfile.mkdtemp(prefix='eimza-edevlet-')
    port = free_port()
    base = 'http://127.0.0.1:%d' % port
    prov = Provider(d, base + '/bireysel/edevlet/donus')
    with open(os.path.join(d, 'client.secret'), 'w') as f:
        f.write(SECRET + '\n')
    write_config(d, '[login]\nmax_failures_ip = 1000\n[ca]\ncard_profiles = 1\n'
                 '[server]\nbase_url = %s\n'
                 '[edevlet]\nissuer = %s\nclient_id = %s\nclient_secret_file = %s\n'
                 % (base, prov.base, CLIENT_ID, os.path.join(d, 'client.secret')))
    run_cli(d, 'init', '--demo')
    # The server must listen where base_url (the redirect URI) points.
    real_free_port = conftest.free_port
    conftest.free_port = lambda: port
    try:
        s = Server(d)
    finally:
        conftest.free_port = real_free_port
    yield {'dir': d, 'server': s, 'provider': prov, 'people': demo_people(d, 'ZONGULDAK-MEM'),
           'next': [0]}
    s.stop()
    prov.stop()


def db(env):
    return db_connect(env['dir'])


def make_holder(env, state='DELIVERED'):
    """A demo person whose application is in `state` (documented shortcut:
    the portal flow, then SQL, as in test_bireysel.py)."""
    i = env['next'][0]
    env['next'][0] += 1
    person = env['people'][i]
    mobile = '0532 600 %02d %02d' % (i // 100, i % 100)
    c = Client(env['server'].base)
    flow.apply_until(c, 'AWAITING_APPROVAL', who=flow.identity(**person), cep_tel=mobile,
                     eposta='kart%d@example.org' % i)
    con = db(env)
    con.execute("UPDATE applications SET state = ?, flags = 0, otp_last_sent_at = 0 "
                "WHERE tckn = ?", (state, person['tckn']))
    con.execute("DELETE FROM otp_sends WHERE application_id IN "
                "(SELECT id FROM applications WHERE tckn = ?)", (person['tckn'],))
    number = con.execute("SELECT number FROM applications WHERE tckn = ?",
                         (person['tckn'],)).fetchone()[0]
    con.commit()
    con.close()
    return dict(person, mobile='+90' + re.sub(r'\D', '', mobile)[-10:], number=number)


def make_card(env, holder, record=True):
    """A SoftHSM2 token of its own (transport PIN TRANSPORT, SO PIN SO_PIN),
    its PINs recorded for the holder's application."""
    d = tempfile.mkdtemp(prefix='kart-', dir=env['dir'])
    os.mkdir(os.path.join(d, 'tokens'))
    conf = os.path.join(d, 'softhsm2.conf')
    with open(conf, 'w') as f:
        f.write('directories.tokendir = %s\nobjectstore.backend = file\n'
                % os.path.join(d, 'tokens'))
    penv = dict(os.environ, SOFTHSM2_CONF=conf)
    subprocess.run(['softhsm2-util', '--init-token', '--free', '--label', 'kart',
                    '--so-pin', SO_PIN, '--pin', TRANSPORT], env=penv, check=True,
                   capture_output=True)
    out = subprocess.run(['softhsm2-util', '--show-slots'], env=penv, check=True,
                         capture_output=True, text=True).stdout
    serials = re.findall(r'Serial number:\s+(\S+)', out)
    assert serials, out
    card = {'env': penv, 'serial': serials[0]}
    if record:
        p = run_cli(env['dir'], 'card', 'record', holder['number'], '--token-serial',
                    card['serial'], stdin='%s\n%s\n' % (TRANSPORT, SO_PIN))
        assert 'mühürlenerek kaydedildi' in p.stdout
    return card


def nes_login(env, h):
    c = Client(env['server'].base)
    token = c.csrf('/bireysel')
    assert c.get('/captcha.png').status == 200
    r = c.post('/bireysel', {'csrf': token, 'captcha': c.get('/dev/captcha').text.strip(),
                             'tckn': h['tckn'], 'guvenlik_sozcugu': WORD})
    assert r.status == 303 and r.headers['Location'] == '/bireysel/sms', r.text[:500]
    token = c.csrf('/bireysel/sms')
    r = c.post('/bireysel/sms', {'csrf': token,
                                 'sms_kodu': flow.last_sms_code(c, h['mobile'])})
    assert r.status == 303, r.text[:500]
    return c


def to_provider(env, c):
    """GET /bireysel/edevlet, then the provider's redirects up to the
    callback URL it sends the browser back with (not yet followed)."""
    r = c.get('/bireysel/edevlet')
    assert r.status == 303, r.text[:500]
    url = r.headers['Location']
    assert url.startswith(env['provider'].base + '/auth?'), url
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert q['code_challenge_method'] == ['S256'] and len(q['code_challenge'][0]) == 43
    assert q['client_id'] == [CLIENT_ID] and q['nonce'][0] and q['state'][0]
    browser = Client('')
    for _ in range(10):
        r = browser.get(url)
        assert r.status in (302, 303), (r.status, r.text[:500])
        url = urllib.parse.urljoin(url, r.headers['Location'])
        if url.startswith(env['server'].base):
            return url
    raise AssertionError('no way back from the provider')


def callback(c, env, url):
    return c.get(url[len(env['server'].base):])


def edevlet_signin(env, c, h, as_tckn=None, mode='none'):
    env['provider'].control('/_test/account?tckn=' + (as_tckn or h['tckn']))
    env['provider'].control('/_test/mode?m=' + mode)
    try:
        return callback(c, env, to_provider(env, c))
    finally:
        env['provider'].control('/_test/mode?m=none')


def authorization(c, purpose='SET_PIN'):
    r = c.post('/bireysel/pin', {'csrf': c.csrf('/bireysel/pin'), 'islem': purpose})
    assert r.status == 200, r.text[:800]
    m = re.search(r'id="yetki-kodu">([A-Z2-9-]+)<', r.text)
    assert m, r.text
    return m.group(1)


def set_pin(env, card, code, pin, again=None, command='set-pin', insecure=True):
    args = [BIN, 'card', command, '--module', SOFTHSM, '--server', env['server'].base]
    if insecure:
        args.append('--insecure-loopback')
    return subprocess.run(args, input='%s\n%s\n%s\n' % (code, pin, again or pin),
                          env=card['env'], capture_output=True, text=True, timeout=60)


def token_login(card, pin):
    """0 when the token's user logs in with pin (pkcs11-tool, OpenSC)."""
    return subprocess.run(['pkcs11-tool', '--module', SOFTHSM, '--token-label', 'kart',
                           '--login', '--pin', pin, '--list-objects'], env=card['env'],
                          capture_output=True, text=True, timeout=60).returncode


def audit_actions(env, number):
    con = db(env)
    rows = [r[0] for r in con.execute("SELECT action FROM audit_log WHERE object = ? "
                                      "ORDER BY id", ('application:' + number,))]
    con.close()
    return rows


# ---- e-Devlet sign-in ----

def test_signin_then_pin_set_on_the_token(env):
    h = make_holder(env)
    card = make_card(env, h)
    c = nes_login(env, h)
    page = c.get('/bireysel/pin')
    assert 'href="/bireysel/edevlet"' in page.text
    assert 'action="/bireysel/pin"' not in page.text  # not before e-Devlet
    r = edevlet_signin(env, c, h)
    assert r.status == 303 and r.headers['Location'] == '/bireysel/pin', r.text[:500]
    page = c.get('/bireysel/pin')
    assert 'kimliğiniz doğrulandı' in page.text and 'action="/bireysel/pin"' in page.text
    code = authorization(c)
    assert re.fullmatch(r'[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}', code)
    # Shown once: the page does not show it again, the database holds a hash.
    assert code not in c.get('/bireysel/pin').text
    con = db(env)
    stored = con.execute("SELECT code_hash, purpose, expires_at - created_at FROM "
                         "pin_authorizations ORDER BY id DESC LIMIT 1").fetchone()
    con.close()
    assert stored[0] != code and len(stored[0]) == 64 and stored[1:] == ('SET_PIN', 600)
    assert token_login(card, TRANSPORT) == 0
    p = set_pin(env, card, code, '482915')
    assert p.returncode == 0, p.stderr
    assert "PIN'iniz belirlendi" in p.stdout
    assert token_login(card, '482915') == 0
    assert token_login(card, TRANSPORT) != 0
    # The new PIN went nowhere near the server.
    assert '482915' not in env['server'].read_log()
    actions = audit_actions(env, h['number'])
    assert 'edevlet_signin' in actions and 'pin_authorization' in actions
    assert 'pin_released' in actions
    # Used once: the same code again is refused.
    p = set_pin(env, card, code, '715384')
    assert p.returncode != 0 and 'geçersiz, kullanılmış' in p.stderr
    assert token_login(card, '482915') == 0


def test_another_persons_edevlet_account_refused(env):
    h = make_holder(env)
    make_card(env, h)
    other = env['people'][-1]['tckn']
    assert other != h['tckn']
    c = nes_login(env, h)
    r = edevlet_signin(env, c, h, as_tckn=other)
    assert r.status == 403 and 'sertifika sahibi değil' in r.text
    assert 'action="/bireysel/pin"' not in c.get('/bireysel/pin').text
    r = c.post('/bireysel/pin', {'csrf': c.csrf('/bireysel/pin'), 'islem': 'SET_PIN'})
    assert r.status == 303 and r.headers['Location'] == '/bireysel/pin'
    assert 'edevlet_signin' not in audit_actions(env, h['number'])


def test_tampered_state_refused_and_callback_used_once(env):
    h = make_holder(env)
    c = nes_login(env, h)
    env['provider'].control('/_test/account?tckn=' + h['tckn'])
    url = to_provider(env, c)
    parts = urllib.parse.urlsplit(url)
    q = urllib.parse.parse_qs(parts.query)
    state = q['state'][0]
    q['state'] = [state[:-1] + ('A' if state[-1] != 'A' else 'B')]
    forged = parts._replace(query=urllib.parse.urlencode(q, doseq=True)).geturl()
    r = callback(c, env, forged)
    assert r.status == 400
    # The session's state was spent by the forged callback: the real one
    # now finds nothing either.
    r = callback(c, env, url)
    assert r.status == 400
    assert 'action="/bireysel/pin"' not in c.get('/bireysel/pin').text
    # Another holder's browser cannot use this callback at all.
    other = nes_login(env, make_holder(env))
    assert callback(other, env, url).status == 400


@pytest.mark.parametrize('mode,why', [
    ('aud', 'claims refused: AUDIENCE'), ('nonce', 'claims refused: NONCE'),
    ('forged', 'signature does not verify'), ('alg-none', 'alg none is not allowed'),
    ('expired', 'claims refused: EXPIRED')])
def test_bad_id_token_refused(env, mode, why):
    h = make_holder(env)
    make_card(env, h)
    c = nes_login(env, h)
    r = edevlet_signin(env, c, h, mode=mode)
    assert r.status == 403 and 'doğrulanamadı' in r.text, (mode, r.status, r.text[:300])
    assert 'application %s refused (token_invalid): ' % h['number'] in env['server'].read_log()
    assert why in env['server'].read_log()
    assert 'action="/bireysel/pin"' not in c.get('/bireysel/pin').text
    assert 'edevlet_signin_refused' in audit_actions(env, h['number'])
    # The same provider, untampered, lets the holder in.
    assert edevlet_signin(env, c, h).status == 303


# ---- the authorization ----

def test_authorization_only_for_a_delivered_card(env):
    h = make_holder(env, state='SHIPPED')
    make_card(env, h)
    c = nes_login(env, h)
    assert edevlet_signin(env, c, h).status == 303
    page = c.get('/bireysel/pin')
    assert 'teslim edildiğinde' in page.text and 'action="/bireysel/pin"' not in page.text
    r = c.post('/bireysel/pin', {'csrf': c.csrf('/bireysel/pin'), 'islem': 'SET_PIN'})
    assert r.status == 409 and 'teslim edildikten sonra' in r.text
    con = db(env)
    n = con.execute("SELECT COUNT(*) FROM pin_authorizations p JOIN applications a ON "
                    "a.id = p.application_id WHERE a.number = ?", (h['number'],)).fetchone()
    con.close()
    assert n == (0,)


def test_expired_authorization_refused(env):
    h = make_holder(env)
    card = make_card(env, h)
    c = nes_login(env, h)
    assert edevlet_signin(env, c, h).status == 303
    code = authorization(c)
    con = db(env)
    con.execute("UPDATE pin_authorizations SET expires_at = created_at - 1")
    con.commit()
    con.close()
    p = set_pin(env, card, code, '482915')
    assert p.returncode != 0 and 'süresi dolmuş' in p.stderr
    assert token_login(card, TRANSPORT) == 0


def test_weak_pins_refused_without_spending_the_authorization(env):
    h = make_holder(env)
    card = make_card(env, h)
    c = nes_login(env, h)
    assert edevlet_signin(env, c, h).status == 303
    code = authorization(c)
    for pin, again, msg in [('123456', None, 'ardışık'), ('987654', None, 'ardışık'),
                            ('555555', None, 'hepsi aynı'), ('12345', None, 'tam 6 rakam'),
                            ('48291a', None, 'tam 6 rakam'),
                            ('482915', '482916', 'aynı değil')]:
        p = set_pin(env, card, code, pin, again)
        assert p.returncode != 0 and msg in p.stderr, (pin, p.stderr)
    assert token_login(card, TRANSPORT) == 0
    p = set_pin(env, card, code, '604172')
    assert p.returncode == 0, p.stderr
    assert token_login(card, '604172') == 0


def test_plain_http_needs_the_loopback_flag(env):
    h = make_holder(env)
    card = make_card(env, h)
    p = set_pin(env, card, 'AAAA-BBBB-CCCC-DDDD', '482915', insecure=False)
    assert p.returncode != 0 and 'https://' in p.stderr
    assert token_login(card, TRANSPORT) == 0


def test_exchange_for_another_card_refused_and_spent(env):
    h = make_holder(env)
    make_card(env, h)
    stranger = make_card(env, h, record=False)  # same application, unrecorded token
    c = nes_login(env, h)
    assert edevlet_signin(env, c, h).status == 303
    code = authorization(c)
    api = Client(env['server'].base)
    r = api.post('/api/v1/kart/pin', {'yetki': code, 'kart_seri': stranger['serial']})
    assert r.status == 403 and '"hata"' in r.text and TRANSPORT not in r.text
    r = api.post('/api/v1/kart/pin', {'yetki': code, 'kart_seri': stranger['serial']})
    assert r.status == 403
    assert 'pin_release_refused' in audit_actions(env, h['number'])


def test_unblock_with_the_so_pin(env):
    h = make_holder(env)
    card = make_card(env, h)
    c = nes_login(env, h)
    assert edevlet_signin(env, c, h).status == 303
    assert set_pin(env, card, authorization(c), '482915').returncode == 0
    for _ in range(3):
        assert token_login(card, '000001') != 0
    # A SET_PIN authorization does not unblock; UNBLOCK gives the SO PIN.
    assert edevlet_signin(env, c, h).status == 303
    code = authorization(c, 'UNBLOCK')
    p = set_pin(env, card, code, '739150', command='unblock')
    assert p.returncode == 0, p.stderr
    assert 'kilidi çözüldü' in p.stdout
    assert token_login(card, '739150') == 0
    assert token_login(card, '482915') != 0
    assert SO_PIN not in env['server'].read_log()


def test_unblock_code_does_not_set_pin(env):
    h = make_holder(env)
    card = make_card(env, h)
    c = nes_login(env, h)
    assert edevlet_signin(env, c, h).status == 303
    code = authorization(c, 'UNBLOCK')
    p = set_pin(env, card, code, '482915', command='set-pin')
    assert p.returncode != 0 and 'Kilit Çözme' in p.stderr
    assert token_login(card, TRANSPORT) == 0


# ---- renewals: a signature with the holder's current certificate ----

def openssl(*args):
    return subprocess.run(['openssl'] + list(args), capture_output=True, check=True)


def current_certificate(env, h):
    """A certificate issued to the holder (file key), as their current one."""
    d = env['dir']
    key, csr, cert = (os.path.join(d, '%s%s' % (h['number'], ext))
                      for ext in ('.key', '.csr', '.pem'))
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
            '-keyout', key, '-subj', '/CN=ignored', '-out', csr)
    p = run_cli(d, 'ca', 'issue', '--tckn', h['tckn'], '--ad', h['ad'], '--soyad', h['soyad'],
                '--years', '1', csr)
    with open(cert, 'w') as f:
        f.write(p.stdout)
    return key, cert


def cms_sign(env, key, cert, content):
    src = os.path.join(env['dir'], 'onay-%d.txt' % time.monotonic_ns())
    with open(src, 'wb') as f:
        f.write(content)
    openssl('cms', '-sign', '-binary', '-in', src, '-signer', cert, '-inkey', key,
            '-outform', 'DER', '-out', src + '.p7s')
    with open(src + '.p7s', 'rb') as f:
        return f.read()


def upload_signature(c, data):
    token = c.csrf('/bireysel/pin')
    boundary = 'sinir%d' % time.monotonic_ns()
    body = ('--%s\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n%s\r\n'
            '--%s\r\nContent-Disposition: form-data; name="imza"; filename="onay.p7s"\r\n'
            'Content-Type: application/pkcs7-signature\r\n\r\n'
            % (boundary, token, boundary)).encode() + data + \
        ('\r\n--%s--\r\n' % boundary).encode()
    return c.post('/bireysel/pin/imza', body,
                  headers={'Content-Type': 'multipart/form-data; boundary=' + boundary})


def renewal_holder(env):
    h = make_holder(env)
    con = db(env)
    con.execute("UPDATE applications SET reason = 'YENILEME' WHERE number = ?", (h['number'],))
    con.commit()
    con.close()
    return h


def test_renewal_signature_with_the_current_certificate(env):
    h = renewal_holder(env)
    card = make_card(env, h)
    key, cert = current_certificate(env, h)
    c = nes_login(env, h)
    page = c.get('/bireysel/pin')
    assert 'href="/bireysel/pin/onay.txt"' in page.text
    assert '<label for="pin-imza">' in page.text
    text = c.get('/bireysel/pin/onay.txt')
    assert text.status == 200 and h['number'] in text.text and h['tckn'] in text.text
    # A signature over other bytes is refused, and spends the text.
    r = upload_signature(c, cms_sign(env, key, cert, text.body + b'x'))
    assert r.status == 403
    r = upload_signature(c, cms_sign(env, key, cert, text.body))
    assert r.status == 400  # the text was for one try
    assert 'action="/bireysel/pin"' not in c.get('/bireysel/pin').text
    text = c.get('/bireysel/pin/onay.txt')
    r = upload_signature(c, cms_sign(env, key, cert, text.body))
    assert r.status == 303 and r.headers['Location'] == '/bireysel/pin', r.text[:500]
    assert 'e-imzanızla kimliğiniz doğrulandı' in c.get('/bireysel/pin').text
    code = authorization(c)
    assert set_pin(env, card, code, '482915').returncode == 0
    assert token_login(card, '482915') == 0
    actions = audit_actions(env, h['number'])
    assert 'pin_signature_refused' in actions and 'pin_signature_signin' in actions


def test_signature_path_is_for_renewals_only(env):
    h = make_holder(env)  # a first application
    key, cert = current_certificate(env, h)
    c = nes_login(env, h)
    assert 'onay.txt' not in c.get('/bireysel/pin').text
    assert c.get('/bireysel/pin/onay.txt').status == 404
    r = upload_signature(c, cms_sign(env, key, cert, b'eimza PIN yetkisi\n'))
    assert r.status == 400
    assert 'action="/bireysel/pin"' not in c.get('/bireysel/pin').text


# ---- a card produced by `eimza card produce`, then its PIN ----

def test_produced_card_gets_its_pin_through_edevlet(env):
    """The whole path on one token: card production (random PINs the test
    never sees, sealed for the holder's PIN setting), delivery, NES
    Bireysel and e-Devlet sign-in, the one-time authorization, `card
    set-pin` on the produced card; then Kilit Çözme with the SO PIN."""
    h = make_holder(env, 'APPROVED')
    d = tempfile.mkdtemp(prefix='uretim-', dir=env['dir'])
    os.mkdir(os.path.join(d, 'tokens'))
    conf = os.path.join(d, 'softhsm2.conf')
    with open(conf, 'w') as f:
        f.write('directories.tokendir = %s\nobjectstore.backend = file\n'
                % os.path.join(d, 'tokens'))
    card = {'env': dict(os.environ, SOFTHSM2_CONF=conf)}
    p = subprocess.run([BIN, '--db', conftest.db_url(env['dir']), '--config',
                        os.path.join(env['dir'], 'eimza.conf'), 'card', 'produce', h['number'],
                        '--module', SOFTHSM], cwd=env['dir'], env=card['env'],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    con = db(env)
    con.execute("UPDATE applications SET state = 'DELIVERED' WHERE number = ?", (h['number'],))
    con.commit()
    con.close()

    def login(pin):
        return subprocess.run(['pkcs11-tool', '--module', SOFTHSM, '--login', '--pin', pin,
                               '--list-objects'], env=card['env'], capture_output=True,
                              text=True, timeout=60).returncode

    c = nes_login(env, h)
    r = edevlet_signin(env, c, h)
    assert r.status == 303 and r.headers['Location'] == '/bireysel/pin', r.text[:500]
    p = set_pin(env, card, authorization(c), '639271')
    assert p.returncode == 0, p.stderr
    assert login('639271') == 0
    # Kilit Çözme: three wrong PINs, then the SO PIN path sets another one.
    for _ in range(3):
        assert login('000000') != 0
    # One authorization per e-Devlet sign-in: sign in again for the unblock.
    r = edevlet_signin(env, c, h)
    assert r.status == 303, r.text[:500]
    p = set_pin(env, card, authorization(c, 'UNBLOCK'), '508316', command='unblock')
    assert p.returncode == 0, p.stderr
    assert login('508316') == 0 and login('639271') != 0
