"""The journey as the guide tells it (issue 11, "What the guide says
happens"), against the real binary: the institution's official address
(institutions.resmi_eposta) is told of each decision and asked to endorse
with a one-time link; the status page follows each decision; the fee's
payment instruction; the 5070 notice on the last step; the e-Devlet step on
/bireysel/pin; expiry reminders through `worker --once --today`.

This module's instance owes a fee for a first application (fees.first), so
that a plain İlk Başvuru shows the payment instruction. An expired link is
made by moving its stored expiry into the past in the database (the server's
clock cannot be moved under a running test)."""
import datetime
import re
import tempfile

import pytest

import flow
from conftest import Client, Server, db_connect, demo_people, run_cli, write_config
from test_console import PASSWORD, app_id
from test_console import login as staff_login

AUTHORITY = 'yolculuk.zon'
IBAN = 'TR33 0006 1005 1978 6457 8413 26'
PAYEE = 'Test Sertifika Hizmetleri A.Ş.'
WORD = flow.FORM['guvenlik_sozcugu']


@pytest.fixture(scope='module')
def env():
    d = tempfile.mkdtemp(prefix='eimza-yolculuk-')
    write_config(d, '[login]\nmax_failures_ip = 1000\n'
                    '[fees]\nfirst = 170.00\niban = %s\npayee = %s\n' % (IBAN, PAYEE))
    init = run_cli(d, 'init', '--demo').stdout
    run_cli(d, 'user', 'add', AUTHORITY, '--role', 'yetkili', '--scope', 'ZONGULDAK-MEM',
            stdin=PASSWORD + '\n')
    s = Server(d)
    yield {'dir': d, 'server': s, 'people': demo_people(d, 'ZONGULDAK-MEM'), 'next': [0],
           'init': init}
    s.stop()


def db(env):
    return db_connect(env['dir'])


def next_person(env):
    i = env['next'][0]
    env['next'][0] += 1
    return env['people'][i], i


def official_email(env, tckn):
    con = db(env)
    try:
        return con.execute('SELECT i.resmi_eposta FROM personnel p JOIN institutions i ON '
                           'i.kurum_kodu = p.kurum_kodu WHERE p.tckn = ?',
                           (tckn,)).fetchone()[0]
    finally:
        con.close()


def apply(env):
    """A new demo person's application, waiting for the authority."""
    person, i = next_person(env)
    c = Client(env['server'].base)
    mobile = '0532 600 %02d %02d' % (i // 100, i % 100)
    page = flow.apply_until(c, 'AWAITING_APPROVAL', who=flow.identity(**person),
                            cep_tel=mobile, eposta='yolcu%d@example.org' % i).text
    number = re.search(r'<dt>Başvuru No</dt><dd><strong>([0-9-]+)</strong>', page).group(1)
    return {'c': c, 'person': person, 'number': number, 'page': page,
            'email': 'yolcu%d@example.org' % i, 'official': official_email(env, person['tckn'])}


def messages_to(c, to):
    return [m for m in flow.outbox(c) if m['to'] == to]


def endorsement_link(a):
    for m in messages_to(a['c'], a['official']):
        if a['number'] in m['body'] and '/kurum-onayi?t=' in m['body']:
            return re.search(r'(/kurum-onayi\?t=[0-9a-f]{64})\b', m['body']).group(1), m
    raise AssertionError('no endorsement link sent to %s' % a['official'])


def status_page(c):
    r = c.get('/basvuru/durum')
    assert r.status == 200
    return r.text


def state_of(page):
    return re.search(r'id="durum" data-state="([A-Z_]+)"', page).group(1)


def decide(env, number, karar, gerekce=None):
    zon, _ = staff_login(env, AUTHORITY)
    data = {'csrf': zon.csrf('/konsol'), 'id': app_id(zon, number), 'karar': karar}
    if gerekce is not None:
        data['gerekce'] = gerekce
    r = zon.post('/konsol/karar', data)
    assert r.status == 303, r.text[:800]
    return zon


def endorse(c, link, name='Mehmet Öztürk', title='Okul Müdürü'):
    page = c.get(link)
    assert page.status == 200, page.text[:800]
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    t = re.search(r'name="t" value="([0-9a-f]+)"', page.text).group(1)
    return c.post('/kurum-onayi', {'csrf': token, 't': t, 'ad_soyad': name, 'unvan': title})


# ---- the institution's endorsement ----

def test_endorsement_link_once_and_queue_mark(env):
    a = apply(env)
    link, msg = endorsement_link(a)
    # The guide's sample text, filled in, and what the link proves.
    body = msg['body']
    assert 'Sayın Yetkili' in body and 'bilgilerinize arz ederim' in body
    assert a['number'] in body and a['person']['tckn'] in body
    assert 'yalnızca bir kez' in body and 'erişimi kanıtlar' in body
    # The manual e-mail stays on the status page, which says a link went out.
    assert 'href="mailto:' in a['page'] and 'id="ornek-eposta"' in a['page']
    assert 'id="kurum-onayi-baglantisi"' in a['page']
    principal = Client(env['server'].base)
    page = principal.get(link)
    assert page.status == 200
    assert a['number'] in page.text and 'erişimi kanıtlar' in page.text
    assert '<label for="ad_soyad">' in page.text and '<label for="unvan">' in page.text
    assert 'no-store' in page.headers.get('Cache-Control', '')
    # Without the page's CSRF token nothing is recorded.
    t = re.search(r'name="t" value="([0-9a-f]+)"', page.text).group(1)
    r = principal.post('/kurum-onayi', {'t': t, 'ad_soyad': 'X Y', 'unvan': 'Müdür'})
    assert r.status == 403
    # An empty title is refused beside its field, and the link stays usable.
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = principal.post('/kurum-onayi', {'csrf': token, 't': t, 'ad_soyad': 'Mehmet Öztürk',
                                        'unvan': ' '})
    assert r.status == 400 and 'id="unvan-hata"' in r.text
    assert 'value="Mehmet Öztürk"' in r.text
    r = endorse(principal, link)
    assert r.status == 200 and 'Onayınız kaydedildi' in r.text, r.text[:800]
    # Single use: a second visit and a second post are refused.
    again = Client(env['server'].base)
    r = again.get(link)
    assert r.status == 409 and 'daha önce kullanıldı' in r.text
    r = again.post('/kurum-onayi', {'csrf': again.csrf('/basvuru'), 't': t,
                                    'ad_soyad': 'Başka Biri', 'unvan': 'Müdür'})
    assert r.status == 409 and 'daha önce kullanıldı' in r.text
    # The history and the authority's queue show it.
    page = status_page(a['c'])
    assert 'Kurum onayı alındı: Mehmet Öztürk, Okul Müdürü' in page
    assert 'id="kurum-onayi"' in page
    zon, _ = staff_login(env, AUTHORITY)
    q = zon.get('/konsol/basvurular').text
    row = re.search(r'<tr>(?:(?!</tr>).)*%s(?:(?!</tr>).)*</tr>' % re.escape(a['number']), q,
                    re.S).group(0)
    assert 'kurum onayı alındı' in row
    detail = zon.get('/konsol/basvuru/' + app_id(zon, a['number'])).text
    assert 'Kurum onayı alındı: Mehmet Öztürk' in detail
    # ... and the audit trail.
    con = db(env)
    try:
        rows = con.execute("SELECT actor, detail FROM audit_log WHERE action = "
                           "'institution_endorsed' AND object = ?",
                           ('application:' + a['number'],)).fetchall()
    finally:
        con.close()
    assert len(rows) == 1 and rows[0][0] == 'kurum:' + a['official'], rows
    # Other applications in the queue are not marked.
    b = apply(env)
    q = zon.get('/konsol/basvurular').text
    row = re.search(r'<tr>(?:(?!</tr>).)*%s(?:(?!</tr>).)*</tr>' % re.escape(b['number']), q,
                    re.S).group(0)
    assert 'kurum onayı alındı' not in row


def test_forged_and_expired_links_refused(env):
    a = apply(env)
    link, _ = endorsement_link(a)
    c = Client(env['server'].base)
    real = link.split('=', 1)[1]
    forged = ('0' if real[0] != '0' else '1') + real[1:]
    for bad in (forged, 'f' * 64, 'abc', real.upper()):
        r = c.get('/kurum-onayi?t=' + bad)
        assert r.status == 404 and 'geçerli değil' in r.text, bad
    r = c.get('/kurum-onayi')
    assert r.status == 404
    # Expired: the stored expiry is moved into the past.
    con = db(env)
    con.execute('UPDATE endorsements SET expires_at = created_at - 1 WHERE application_id = '
                '(SELECT id FROM applications WHERE number = ?)', (a['number'],))
    con.commit()
    con.close()
    r = c.get(link)
    assert r.status == 409 and 'süresi doldu' in r.text
    r = c.post('/kurum-onayi', {'csrf': c.csrf('/basvuru'), 't': real, 'ad_soyad': 'Ali Veli',
                                'unvan': 'Müdür'})
    assert r.status == 409 and 'süresi doldu' in r.text
    assert 'Kurum onayı alındı' not in status_page(a['c'])


def test_link_dead_after_decision(env):
    a = apply(env)
    link, _ = endorsement_link(a)
    decide(env, a['number'], 'onayla')
    r = Client(env['server'].base).get(link)
    assert r.status == 409 and 'onayı beklemiyor' in r.text


def test_endorsement_days_config_bounds_expiry(env):
    a = apply(env)
    con = db(env)
    try:
        created, expires = con.execute(
            'SELECT created_at, expires_at FROM endorsements WHERE application_id = '
            '(SELECT id FROM applications WHERE number = ?)', (a['number'],)).fetchone()
    finally:
        con.close()
    assert expires - created == 14 * 86400


# ---- decisions: the institution's notice and the status page ----

def test_approval_tells_institution_and_status_follows(env):
    a = apply(env)
    assert 'Kurum onayı bekleniyor' in a['page'] and 'irtibata geçin' in a['page']
    decide(env, a['number'], 'onayla')
    notes = [m for m in messages_to(a['c'], a['official'])
             if 'ONAYLANDI' in m['subject'] and a['number'] in m['subject']]
    assert len(notes) == 1, messages_to(a['c'], a['official'])
    body = notes[0]['body']
    name = '%s %s' % (a['person']['ad'], a['person']['soyad'])
    assert name in body and a['number'] in body and 'Karar: ONAYLANDI' in body
    assert 'Kararı veren:' in body
    page = status_page(a['c'])
    assert 'Kurum onayı alındı' in page
    assert 'Kurum onayı bekleniyor' not in page and 'irtibata geçin' not in page
    assert state_of(page) == 'AWAITING_APPROVAL'  # paperwork and fee still owed


def test_rejection_tells_institution_and_applicant_starts_again(env):
    a = apply(env)
    reason = 'Kadro kaydınız başka bir kurumda görünüyor.'
    decide(env, a['number'], 'reddet', reason)
    notes = [m for m in messages_to(a['c'], a['official']) if 'REDDEDİLDİ' in m['subject']
             and a['number'] in m['subject']]
    assert len(notes) == 1
    assert 'Ret gerekçesi: ' + reason in notes[0]['body']
    page = status_page(a['c'])
    assert state_of(page) == 'REJECTED' and 'Başvurunuz reddedildi' in page
    assert reason in page and 'irtibata geçin' not in page
    assert 'href="/basvuru/form"' in page
    assert a['c'].get('/basvuru/form').status == 200


def test_bulk_approval_tells_institution(env):
    a = apply(env)
    zon, _ = staff_login(env, AUTHORITY)
    aid = app_id(zon, a['number'])
    q = zon.get('/konsol/basvurular').text
    sel = re.search(r'name="(s\d+)" value="%s"' % aid, q).group(1)
    r = zon.post('/konsol/basvurular/onay', {'csrf': zon.csrf('/konsol'), sel: aid})
    assert r.status == 303
    assert any('ONAYLANDI' in m['subject'] and a['number'] in m['subject']
               for m in messages_to(a['c'], a['official']))


def test_cancelled_starts_again(env):
    a = apply(env)
    r = a['c'].post('/basvuru/iptal', {'csrf': a['c'].csrf('/basvuru/iptal'), 'islem': 'sozcuk',
                                       'guvenlik_sozcugu': WORD})
    assert r.status == 303, r.text[:800]
    page = status_page(a['c'])
    assert state_of(page) == 'CANCELLED' and 'Başvurunuz iptal edildi' in page
    assert 'irtibata geçin' not in page and 'href="/basvuru/form"' in page
    assert a['c'].get('/basvuru/form').status == 200
    # Nothing was decided: the institution got no decision notice.
    assert not any('bilgilendirme' in m['subject'] for m in messages_to(a['c'], a['official']))


# ---- the fee, the 5070 notice, the e-Devlet step ----

def test_fee_payment_instruction(env):
    a = apply(env)
    page = a['page']
    m = re.search(r'<p id="odeme">([^<]+)</p>', page)
    assert m, 'no payment instruction on the status page'
    for s in ('170,00 TL', IBAN, PAYEE, a['number']):
        assert s in m.group(1), s
    got = [x for x in messages_to(a['c'], a['email']) if 'alındı' in (x['subject'] or '')]
    assert got and IBAN in got[0]['body'] and PAYEE in got[0]['body']
    assert a['number'] in got[0]['body'] and m.group(1) in got[0]['body'].replace('\n', ' ')


def test_law_5070_on_last_step(env):
    person, i = next_person(env)
    c = Client(env['server'].base)
    flow.apply_until(c, 'SMS_VERIFIED', who=flow.identity(**person),
                     cep_tel='0532 611 %02d %02d' % (i // 100, i % 100))
    page = c.get('/basvuru/imza')
    assert page.status == 200
    assert re.search(r'id="sorumluluk"[^>]*>.*5070 sayılı.*e-imza işlemleri kişiyi bağlar',
                     page.text, re.S)


def test_pin_page_explains_edevlet_step(env):
    from test_bireysel import login as bireysel_login
    from test_bireysel import make_holder
    h = make_holder(env)
    b = bireysel_login(env, h)
    page = b.get('/bireysel/pin')
    assert page.status == 200
    m = re.search(r'<p id="edevlet-adimi">([^<]+)</p>', page.text)
    assert m and 'e-Devlet şifresine' in m.group(1) and '6 haneli' in m.group(1)


# ---- reminders ----

def test_demo_holder_reminded_through_printed_dates(env):
    """init --demo holds a certificate and prints the --today dates at
    which it is near its end; the printed commands send the reminders.
    (Runs before the next test, whose holder ends on the same day.)"""
    m = re.search(r'Örnek sertifika sahibi: .*T\.C\. kimlik numarası (\d{11})\), sertifika '
                  r'(\d\d\.\d\d\.\d{4}) tarihinde sona eriyor \(Seri No ([0-9A-F]+)\)',
                  env['init'])
    assert m, env['init']
    tckn, end, serial = m.groups()
    dates = re.findall(r'eimza worker --once --today (\d{4}-\d\d-\d\d)', env['init'])
    # Not one more login identity for the scripts that collect them.
    assert tckn not in re.findall(r'T\.C\. Kimlik No\D*(\d{11})', env['init'])
    assert len(dates) == 2
    # The certificate is real: issued by the CA, valid now.
    con = db(env)
    try:
        row = con.execute('SELECT tckn, status FROM certificates WHERE serial_hex = ?',
                          (serial,)).fetchone()
    finally:
        con.close()
    assert row == (tckn, 'good')
    c = Client(env['server'].base)
    for i, today in enumerate(dates):
        p = run_cli(env['dir'], 'worker', '--once', '--today', today)
        assert 'süre sonu hatırlatması' in p.stdout
        got = [x for x in messages_to(c, 'ornek.sahip@example.org') if end in x['body']]
        assert len(got) == i + 1, got
    assert '25 gün kaldı' in got[-1]['subject'] or '25 gün kaldı' in got[0]['subject']


def test_worker_once_today_sends_reminders(env):
    from test_bireysel import make_holder
    h = make_holder(env)
    con = db(env)
    try:
        (not_after,) = con.execute('SELECT not_after FROM certificates WHERE serial_hex = ?',
                                   (h['serial'],)).fetchone()
        con.execute("UPDATE applications SET state = 'DELIVERED' WHERE tckn = ?",
                    (h['tckn'],))
        con.commit()
    finally:
        con.close()
    end = datetime.datetime.fromtimestamp(not_after, datetime.timezone.utc).date()
    c = Client(env['server'].base)

    def sent_kinds():
        con = db(env)
        try:
            return sorted(k for (k,) in con.execute(
                'SELECT kind FROM reminders_sent WHERE serial_hex = ?', (h['serial'],)))
        finally:
            con.close()

    def reminders_to_holder():
        return [m for m in messages_to(c, h['mobile']) if end.strftime('%d.%m.%Y') in m['body']]
    assert sent_kinds() == [] and reminders_to_holder() == []
    before90 = (end - datetime.timedelta(days=80)).isoformat()
    p = run_cli(env['dir'], 'worker', '--once', '--today', before90)
    assert re.search(r'[1-9]\d* süre sonu hatırlatması', p.stdout), p.stdout + p.stderr
    assert sent_kinds() == ['d90'] and len(reminders_to_holder()) == 1
    # Again the same day: already sent, nothing new.
    p = run_cli(env['dir'], 'worker', '--once', '--today', before90)
    assert ' 0 süre sonu hatırlatması' in p.stdout
    before25 = (end - datetime.timedelta(days=20)).strftime('%d.%m.%Y')
    p = run_cli(env['dir'], 'worker', '--once', '--today', before25)
    assert sent_kinds() == ['d25', 'd90'] and len(reminders_to_holder()) == 2
    assert any('25 gün kaldı' in (m['subject'] or '') and h['ad'] in m['body'] and
               end.strftime('%d.%m.%Y') in m['body'] for m in flow.outbox(c))
    # A bad date is refused.
    p = run_cli(env['dir'], 'worker', '--once', '--today', '2026-02-30', check=False)
    assert p.returncode == 2 and '--today' in p.stderr
    p = run_cli(env['dir'], 'worker', '--today', '2026-01-01', check=False)
    assert p.returncode == 2
    p = run_cli(env['dir'], 'worker', '--help')
    assert '--once' in p.stdout + p.stderr and '--today' in p.stdout + p.stderr

