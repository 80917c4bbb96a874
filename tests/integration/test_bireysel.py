"""NES Bireysel (/bireysel): a certificate holder logs in with CAPTCHA, T.C.
Kimlik No and Güvenlik Sözcüğü, then an SMS code; lists their certificates,
suspends, releases and revokes them (checked with `openssl ocsp` and the
CRL), follows their shipments and changes their contact details.

A holder is made with a documented shortcut: the portal flow up to
AWAITING_APPROVAL, the state set to PRODUCED with sqlite3 (the console path
is tested in test_console.py) and `eimza ca issue --tckn` for that person."""
import os
import re
import subprocess
import tempfile
import time
import uuid

import pytest

import flow
from conftest import Client, Server, db_connect, db_url, demo_people, run_cli, write_config

WORD = flow.FORM['guvenlik_sozcugu']
GENERIC = 'Girdiğiniz bilgiler doğrulanamadı'


def openssl(*args, **kw):
    return subprocess.run(['openssl'] + list(args), capture_output=True, check=True, **kw)


@pytest.fixture(scope='module')
def env():
    d = tempfile.mkdtemp(prefix='eimza-bireysel-')
    # Every test comes from 127.0.0.1: keep the per-address limit out of the
    # way; the per-person limit (5) is what test_lockout checks.
    write_config(d, '[login]\nmax_failures_ip = 1000\n')
    run_cli(d, 'init', '--demo')
    s = Server(d)
    yield {'dir': d, 'server': s, 'people': demo_people(d, 'ZONGULDAK-MEM'), 'next': [0]}
    s.stop()


def db(env):
    return db_connect(env['dir'])


def issue(env, person, name):
    d = env['dir']
    key, csr, cert = (os.path.join(d, name + ext) for ext in ('.key', '.csr', '.pem'))
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
            '-keyout', key, '-subj', '/CN=ignored', '-out', csr)
    p = run_cli(d, 'ca', 'issue', '--tckn', person['tckn'], '--ad', person['ad'],
                '--soyad', person['soyad'], '--years', '1', csr)
    with open(cert, 'w') as f:
        f.write(p.stdout)
    serial = re.search(r'Seri No: ([0-9A-F]+)', p.stdout + p.stderr).group(1)
    return cert, serial


def make_holder(env):
    """A new demo person with an application in PRODUCED and one certificate."""
    i = env['next'][0]
    env['next'][0] += 1
    person = env['people'][i]
    mobile = '0532 500 %02d %02d' % (i // 100, i % 100)
    c = Client(env['server'].base)
    flow.apply_until(c, 'AWAITING_APPROVAL', who=flow.identity(**person), cep_tel=mobile,
                     eposta='holder%d@example.org' % i)
    con = db(env)
    # Production comes days after the portal's SMS step: forget its send
    # time, or the 60 s resend limit would hold back the first NES code.
    con.execute("UPDATE applications SET state = 'PRODUCED', flags = 0, "
                "otp_last_sent_at = 0 WHERE tckn = ?", (person['tckn'],))
    con.execute("DELETE FROM otp_sends WHERE application_id IN "
                "(SELECT id FROM applications WHERE tckn = ?)", (person['tckn'],))
    con.commit()
    con.close()
    cert, serial = issue(env, person, 'holder-%d' % i)
    return dict(person, mobile='+90' + re.sub(r'\D', '', mobile)[-10:], cert=cert,
                serial=serial)


def login_word(c, tckn, word, captcha=None):
    token = c.csrf('/bireysel')
    assert c.get('/captcha.png').status == 200
    answer = captcha if captcha is not None else c.get('/dev/captcha').text.strip()
    return c.post('/bireysel', {'csrf': token, 'captcha': answer, 'tckn': tckn,
                                'guvenlik_sozcugu': word})


def sms_code(c, number):
    return flow.last_sms_code(c, number)


def login(env, h):
    c = Client(env['server'].base)
    r = login_word(c, h['tckn'], WORD)
    assert r.status == 303 and r.headers['Location'] == '/bireysel/sms', r.text[:800]
    token = c.csrf('/bireysel/sms')
    r = c.post('/bireysel/sms', {'csrf': token, 'sms_kodu': sms_code(c, h['mobile'])})
    assert r.status == 303 and r.headers['Location'] == '/bireysel/sertifikalar', r.text[:800]
    return c


def sid(c):
    return {k.name: k.value for k in c.jar}.get('sid')


def post(c, path, data, page='/bireysel/sertifikalar'):
    data = dict(data, csrf=c.csrf(page))
    return c.post(path, data)


def chain(env):
    ca = os.path.join(env['dir'], 'ca')
    return os.path.join(ca, 'root.pem'), os.path.join(ca, 'issuing.pem')


def ocsp(env, cert):
    root, issuing = chain(env)
    p = subprocess.run(['openssl', 'ocsp', '-issuer', issuing, '-cert', cert, '-url',
                        env['server'].base + '/ocsp', '-CAfile', root, '-resp_text'],
                       capture_output=True, text=True, timeout=30)
    m = re.search(r'^%s: (good|revoked|unknown)' % re.escape(cert), p.stdout, re.M)
    assert m, p.stdout + p.stderr
    assert 'Response verify OK' in p.stdout + p.stderr
    return m.group(1), p.stdout


def crl_text(env):
    r = Client(env['server'].base).get('/crl/issuing.crl')
    assert r.status == 200
    path = os.path.join(env['dir'], 'crl-%s.der' % uuid.uuid4().hex)
    with open(path, 'wb') as f:
        f.write(r.body)
    return openssl('crl', '-inform', 'DER', '-in', path, '-noout', '-text', text=True).stdout


def cert_status(page, serial):
    m = re.search(r'id="sertifika-%s".*?data-status="([a-z_]+)">([^<]+)<' % serial, page,
                  re.S)
    assert m, page[:3000]
    return m.group(1), m.group(2)


def test_login_sms_and_list(env):
    h = make_holder(env)
    c = Client(env['server'].base)
    assert c.get('/bireysel/sertifikalar').headers['Location'] == '/bireysel'
    r = login_word(c, h['tckn'], WORD)
    assert r.status == 303 and r.headers['Location'] == '/bireysel/sms'
    after_word = sid(c)
    # The word alone does not log in.
    assert c.get('/bireysel/sertifikalar').headers['Location'] == '/bireysel'
    page = c.get('/bireysel/sms')
    assert page.status == 200 and 'SMS Doğrulama Kodu' in page.text
    assert h['mobile'][-2:] in page.text and h['mobile'][-7:-2] not in page.text
    code = sms_code(c, h['mobile'])
    token = c.csrf('/bireysel/sms')
    wrong = '000000' if code != '000000' else '111111'
    r = c.post('/bireysel/sms', {'csrf': token, 'sms_kodu': wrong})
    assert r.status == 400 and 'Kalan deneme hakkı: 2' in r.text
    r = c.post('/bireysel/sms', {'csrf': token, 'sms_kodu': code})
    assert r.status == 303 and r.headers['Location'] == '/bireysel/sertifikalar'
    assert sid(c) != after_word  # rotated at each privilege change
    page = c.get('/bireysel/sertifikalar')
    assert page.status == 200
    status, label = cert_status(page.text, h['serial'])
    assert (status, label) == ('gecerli', 'Geçerli')
    today = time.strftime('%d.%m.%Y', time.gmtime(time.time() + 3 * 3600))
    assert today in page.text
    assert re.search(r'<td>\d{2}\.\d{2}\.\d{4}</td>', page.text)
    for label in ('Askıya Al', 'İptal Et', 'Sertifikalarım', 'Kurye Takip',
                  'İletişim Bilgilerim'):
        assert label in page.text
    assert 'NES Bireysel İşlemler' in page.text  # footer link
    # A used code cannot log in again (and no new code within 60 s).
    c2 = Client(env['server'].base)
    assert login_word(c2, h['tckn'], WORD).status == 303
    r = c2.post('/bireysel/sms', {'csrf': c2.csrf('/bireysel/sms'), 'sms_kodu': code})
    assert r.status == 400 and 'Geçerli bir kodunuz yok' in r.text


def test_wrong_word_non_holder_and_bad_number_get_one_message(env):
    h = make_holder(env)
    outsider = env['people'][-1]  # never applied: no certificate
    cases = [(h['tckn'], WORD + 'x'), (h['tckn'], WORD.lower()), (outsider['tckn'], WORD),
             ('12345678901', WORD), ('abc', WORD), (h['tckn'], '')]
    for tckn, word in cases:
        c = Client(env['server'].base)
        r = login_word(c, tckn, word)
        assert r.status == 400, (tckn, word, r.status)
        assert GENERIC in r.text
        assert c.get('/bireysel/sms').headers['Location'] == '/bireysel'
    c = Client(env['server'].base)
    r = login_word(c, h['tckn'], WORD, captcha='YANLIS')
    assert r.status == 400 and 'Resimdeki yazıyı doğru giriniz' in r.text


def test_lockout(env):
    h = make_holder(env)
    for _ in range(5):
        assert login_word(Client(env['server'].base), h['tckn'], 'yanlis').status == 400
    r = login_word(Client(env['server'].base), h['tckn'], WORD)
    assert r.status == 429 and 'Çok fazla hatalı deneme' in r.text
    con = db(env)
    con.execute("DELETE FROM login_failures WHERE scope = 'bireysel'")
    con.commit()
    con.close()
    assert login_word(Client(env['server'].base), h['tckn'], WORD).status == 303


def test_sms_code_dies_after_three_tries_and_resend_is_limited(env):
    h = make_holder(env)
    c = Client(env['server'].base)
    assert login_word(c, h['tckn'], WORD).status == 303
    code = sms_code(c, h['mobile'])
    wrong = '000000' if code != '000000' else '111111'
    token = c.csrf('/bireysel/sms')
    for left in ('2', '1'):
        r = c.post('/bireysel/sms', {'csrf': token, 'sms_kodu': wrong})
        assert 'Kalan deneme hakkı: %s' % left in r.text
    r = c.post('/bireysel/sms', {'csrf': token, 'sms_kodu': wrong})
    assert 'geçersiz oldu' in r.text
    r = c.post('/bireysel/sms', {'csrf': token, 'sms_kodu': code})
    assert r.status == 400
    r = c.post('/bireysel/sms', {'csrf': token, 'islem': 'gonder'})
    assert r.status == 400 and '60 saniye' in r.text
    assert c.get('/bireysel/sertifikalar').headers['Location'] == '/bireysel'


def test_hold_release_reach_ocsp_at_once(env):
    h = make_holder(env)
    c = login(env, h)
    assert ocsp(env, h['cert'])[0] == 'good'
    r = post(c, '/bireysel/askiya-al', {'seri': h['serial']})
    assert r.status == 303
    page = c.get('/bireysel/sertifikalar').text
    assert cert_status(page, h['serial']) == ('askida', 'Askıda')
    assert 'askıya alındı' in page
    status, out = ocsp(env, h['cert'])
    assert status == 'revoked' and 'certificateHold' in out, out
    assert 'Certificate Hold' in crl_text(env)
    notices = [m for m in flow.outbox(c) if 'askıya alındı' in (m['subject'] or m['body'])]
    assert {m['to'] for m in notices} >= {h['mobile']}
    # Holding again is refused; release brings it back.
    r = post(c, '/bireysel/askiya-al', {'seri': h['serial']})
    assert r.status == 303
    assert 'yapılamaz' in c.get('/bireysel/sertifikalar').text
    r = post(c, '/bireysel/askidan-kaldir', {'seri': h['serial']})
    assert r.status == 303
    assert cert_status(c.get('/bireysel/sertifikalar').text, h['serial'])[0] == 'gecerli'
    assert ocsp(env, h['cert'])[0] == 'good'
    con = db(env)
    actions = [r[0] for r in con.execute(
        "SELECT action FROM audit_log WHERE object = ? ORDER BY id",
        ('certificate:' + h['serial'],))]
    con.close()
    # `eimza ca issue` made the certificate (audited since issue 9).
    assert actions == ['issue', 'hold', 'release']


def test_revoke_with_confirmation_reaches_ocsp_and_crl(env):
    h = make_holder(env)
    c = login(env, h)
    page = c.get('/bireysel/iptal?seri=' + h['serial'])
    assert page.status == 200
    for label in ('Anahtar ele geçirildi', 'Kayıp/Çalıntı', 'Bilgiler değişti',
                  'Kullanım sona erdi'):
        assert label in page.text
    token = c.csrf('/bireysel/iptal?seri=' + h['serial'])
    # Without the confirmation nothing happens.
    r = c.post('/bireysel/iptal', {'csrf': token, 'seri': h['serial'], 'neden': 'ANAHTAR'})
    assert r.status == 400 and 'onaylamanız' in r.text
    r = c.post('/bireysel/iptal', {'csrf': token, 'seri': h['serial'], 'neden': 'YOK',
                                   'onay': '1'})
    assert r.status == 400
    assert ocsp(env, h['cert'])[0] == 'good'
    r = c.post('/bireysel/iptal', {'csrf': token, 'seri': h['serial'], 'neden': 'ANAHTAR',
                                   'onay': '1'})
    assert r.status == 303
    status, out = ocsp(env, h['cert'])
    assert status == 'revoked' and 'keyCompromise' in out, out
    crl = crl_text(env)
    assert h['serial'] in crl.replace(':', '').upper().replace(' ', '')
    assert 'Key Compromise' in crl
    page = c.get('/bireysel/sertifikalar').text
    assert cert_status(page, h['serial']) == ('iptal', 'İptal edildi')
    assert 'Askıya Al: %s' % h['serial'] not in page
    # Revoked is final.
    r = post(c, '/bireysel/askiya-al', {'seri': h['serial']})
    assert r.status == 303 and ocsp(env, h['cert'])[0] == 'revoked'


def test_other_persons_serial_is_404(env):
    a, b = make_holder(env), make_holder(env)
    c = login(env, a)
    for path in ('/bireysel/askiya-al', '/bireysel/askidan-kaldir'):
        assert post(c, path, {'seri': b['serial']}).status == 404
    assert c.get('/bireysel/iptal?seri=' + b['serial']).status == 404
    r = post(c, '/bireysel/iptal', {'seri': b['serial'], 'neden': 'ANAHTAR', 'onay': '1'})
    assert r.status == 404
    assert post(c, '/bireysel/askiya-al', {'seri': 'ABCDEF0123'}).status == 404
    assert ocsp(env, b['cert'])[0] == 'good'
    assert b['serial'] not in c.get('/bireysel/sertifikalar').text


def test_csrf_on_every_post(env):
    h = make_holder(env)
    c = login(env, h)
    posts = [('/bireysel', {'captcha': 'X', 'tckn': h['tckn'], 'guvenlik_sozcugu': WORD}),
             ('/bireysel/sms', {'sms_kodu': '123456'}),
             ('/bireysel/cikis', {}),
             ('/bireysel/askiya-al', {'seri': h['serial']}),
             ('/bireysel/askidan-kaldir', {'seri': h['serial']}),
             ('/bireysel/iptal', {'seri': h['serial'], 'neden': 'ANAHTAR', 'onay': '1'}),
             ('/bireysel/iletisim', {'eposta': 'x@example.org', 'cep_tel': '5321112233',
                                     'bilgi_kanali': 'SMS'}),
             ('/bireysel/iletisim/sms', {'sms_kodu': '123456'})]
    for path, data in posts:
        assert c.post(path, data).status == 403, path
        assert c.post(path, dict(data, csrf='0' * 64)).status == 403, path
    assert ocsp(env, h['cert'])[0] == 'good'
    assert c.get('/bireysel/sertifikalar').status == 200  # still logged in


def test_logout(env):
    h = make_holder(env)
    c = login(env, h)
    assert post(c, '/bireysel/cikis', {}).status == 303
    assert c.get('/bireysel/sertifikalar').headers['Location'] == '/bireysel'


def test_courier_tracking(env):
    h = make_holder(env)
    con = db(env)
    app_id = con.execute('SELECT id FROM applications WHERE tckn = ?',
                         (h['tckn'],)).fetchone()[0]
    con.execute("INSERT INTO shipments (application_id, courier, tracking_no, status, "
                "shipped_at) VALUES (?, 'PTT Kargo', ?, 'yolda', ?)",
                (app_id, 'TK' + h['tckn'][-6:], int(time.time())))
    con.commit()
    con.close()
    c = login(env, h)
    page = c.get('/bireysel/kurye')
    assert page.status == 200
    assert 'href="/kurye-takip?takip_no=TK%s"' % h['tckn'][-6:] in page.text
    assert 'PTT Kargo' in page.text and 'Yolda' in page.text
    other = login(env, make_holder(env))
    assert 'TK' + h['tckn'][-6:] not in other.get('/bireysel/kurye').text


def test_contact_details(env):
    h = make_holder(env)
    c = login(env, h)
    page = c.get('/bireysel/iletisim')
    assert page.status == 200 and 'E-posta' in page.text and 'Bilgi Kanalı' in page.text
    r = post(c, '/bireysel/iletisim', {'eposta': 'yanlis@', 'cep_tel': h['mobile'],
                                       'bilgi_kanali': 'IKISI'}, '/bireysel/iletisim')
    assert r.status == 400 and 'E-posta adresi geçerli değil' in r.text
    r = post(c, '/bireysel/iletisim', {'eposta': 'a@example.org', 'cep_tel': '0312 111 22 33',
                                       'bilgi_kanali': 'IKISI'}, '/bireysel/iletisim')
    assert r.status == 400 and 'Cep Telefonu' in r.text
    # Same number: takes effect at once; the old address hears of it.
    r = post(c, '/bireysel/iletisim', {'eposta': 'yeni@example.org', 'cep_tel': h['mobile'],
                                       'bilgi_kanali': 'EPOSTA'}, '/bireysel/iletisim')
    assert r.status == 303
    con = db(env)
    row = con.execute('SELECT eposta, bilgi_kanali FROM applications WHERE tckn = ?',
                      (h['tckn'],)).fetchone()
    assert row == ('yeni@example.org', 'EPOSTA')
    assert any(m['subject'] and 'İletişim bilgileriniz' in m['subject'] for m in
               flow.outbox(c))
    # A new number: only after the code sent to it.
    r = post(c, '/bireysel/iletisim', {'eposta': 'yeni@example.org',
                                       'cep_tel': '0533 999 88 77', 'bilgi_kanali': 'SMS'},
             '/bireysel/iletisim')
    assert r.status == 200 and 'SMS Doğrulama Kodu' in r.text
    assert con.execute('SELECT cep_tel FROM applications WHERE tckn = ?',
                       (h['tckn'],)).fetchone()[0] == h['mobile'][-10:]
    code = sms_code(c, '+905339998877')
    token = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
    r = c.post('/bireysel/iletisim/sms', {'csrf': token, 'sms_kodu': code})
    assert r.status == 303
    row = con.execute('SELECT cep_tel, bilgi_kanali FROM applications WHERE tckn = ?',
                      (h['tckn'],)).fetchone()
    con.close()
    assert row == ('5339998877', 'SMS')


def test_pin_page_is_an_explanation(env):
    c = login(env, make_holder(env))
    page = c.get('/bireysel/pin')
    assert page.status == 200
    assert 'PUK' in page.text and '3 kez' in page.text
    assert '<form method="post" action="/bireysel/pin' not in page.text
