"""E-onay end to end (issue 4): a holder of a valid certificate from this CA
applies for an additional certificate, signs the application document with
`openssl cms -sign` and uploads the detached signature. Signatures over other
content, by someone else's certificate or by a revoked certificate are
refused. Certificates are checked with OpenSSL's own tools."""
import html
import os
import re
import subprocess
import tempfile
import uuid

import pytest

import flow
from conftest import Client, Server, db_connect, db_url, demo_people, run_cli, write_config


def openssl(*args, **kw):
    return subprocess.run(['openssl'] + list(args), capture_output=True, check=True, **kw)


@pytest.fixture(scope='module')
def env():
    d = tempfile.mkdtemp(prefix='eimza-eonay-')
    write_config(d)
    run_cli(d, 'init', '--demo')
    s = Server(d)
    yield {'dir': d, 'server': s, 'people': demo_people(d, 'ZONGULDAK-MEM')}
    s.stop()


def issue_for(env, person, name):
    """A key pair made here and a certificate issued for it by `eimza ca issue`."""
    d = env['dir']
    key, csr, cert = (os.path.join(d, name + ext) for ext in ('.key', '.csr', '.pem'))
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
            '-keyout', key, '-subj', '/CN=ignored', '-out', csr)
    p = run_cli(d, 'ca', 'issue', '--tckn', person['tckn'], '--ad', person['ad'],
                '--soyad', person['soyad'], '--years', '1', csr)
    with open(cert, 'w') as f:
        f.write(p.stdout)
    serial = re.search(r'Seri No: ([0-9A-F]+)', p.stdout + p.stderr).group(1)
    return key, cert, serial


def chain(env):
    ca = os.path.join(env['dir'], 'ca')
    return os.path.join(ca, 'root.pem'), os.path.join(ca, 'issuing.pem')


def sign(env, key, cert, content, *extra):
    d = env['dir']
    src = os.path.join(d, 'doc-%s.txt' % uuid.uuid4().hex)
    out = src + '.p7s'
    with open(src, 'wb') as f:
        f.write(content)
    openssl('cms', '-sign', '-binary', '-in', src, '-signer', cert, '-inkey', key,
            '-outform', 'DER', '-out', out, *extra)
    with open(out, 'rb') as f:
        return f.read()


def upload(c, data):
    token = c.csrf('/basvuru/imza')
    boundary = uuid.uuid4().hex
    body = ('--%s\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n%s\r\n'
            '--%s\r\nContent-Disposition: form-data; name="imza"; filename="imza.p7s"\r\n'
            'Content-Type: application/pkcs7-signature\r\n\r\n'
            % (boundary, token, boundary)).encode() + data + ('\r\n--%s--\r\n' % boundary).encode()
    return c.post('/basvuru/imza', body,
                  headers={'Content-Type': 'multipart/form-data; boundary=' + boundary})


def start_eapproval(env, person, mobile):
    c = Client(env['server'].base)
    flow.apply_until(c, 'SMS_VERIFIED', who=flow.identity(**person), basvuru_nedeni='DIGER',
                     kart_okuyucu='', cep_tel=mobile)
    page = c.get('/basvuru/imza')
    assert 'E-Onaylı Başvuru' in page.text
    token = c.csrf('/basvuru/imza')
    r = c.post('/basvuru/imza', {'csrf': token, 'imza_yontemi': 'E_ONAY'})
    assert r.status == 303
    doc = c.get('/basvuru/belge.txt')
    assert doc.status == 200 and doc.body.startswith(b'EIMZA-BASVURU-BELGESI')
    return c, doc.body


def test_issued_certificate_verifies_with_openssl(env):
    person = env['people'][0]
    key, cert, _ = issue_for(env, person, 'verify')
    root, issuing = chain(env)
    p = openssl('verify', '-CAfile', root, '-untrusted', issuing, cert, text=True)
    assert cert + ': OK' in p.stdout
    text = openssl('x509', '-in', cert, '-noout', '-text', text=True).stdout
    assert 'PNOTR-' + person['tckn'] in text
    assert re.search(r'Key Usage: critical\s+Non Repudiation', text)
    assert 'Policy: 2.16.792.1.2.1.1.5.7.1.1' in text
    # a CSR's key (unknown origin): no QCP-n-qscd (docs/PROFILE.md)
    assert '0.4.0.194112.1.2' not in text


def test_first_application_has_no_eapproval(env):
    c = Client(env['server'].base)
    flow.apply_until(c, 'SMS_VERIFIED', who=flow.identity(**env['people'][1]),
                     cep_tel='0532 400 00 01')
    assert 'E-Onaylı Başvuru' not in c.get('/basvuru/imza').text
    token = c.csrf('/basvuru/imza')
    r = c.post('/basvuru/imza', {'csrf': token, 'imza_yontemi': 'E_ONAY'})
    assert r.status == 400


def test_eapproval_good_signature(env):
    person = env['people'][2]
    key, cert, _ = issue_for(env, person, 'good')
    c, doc = start_eapproval(env, person, '0532 400 00 02')
    r = upload(c, sign(env, key, cert, doc))
    assert r.status == 303, r.text[:1500]
    status = c.get('/basvuru/durum').text
    assert 'Kurum yetkiliniz ile irtibata geçin' in status
    assert 'Islak imzalı evrak bekleniyor' not in status


def test_eapproval_refusals(env):
    person, other = env['people'][3], env['people'][4]
    key, cert, serial = issue_for(env, person, 'holder')
    okey, ocert, _ = issue_for(env, other, 'other')
    c, doc = start_eapproval(env, person, '0532 400 00 03')

    r = upload(c, sign(env, key, cert, doc + b'\nek satir'))
    assert r.status == 400 and 'belgesi üzerinde değil' in r.text

    r = upload(c, sign(env, okey, ocert, doc))
    assert r.status == 400 and 'size ait değil' in r.text

    r = upload(c, b'\x30\x03\x02\x01\x00')
    assert r.status == 400

    run_cli(env['dir'], 'ca', 'revoke', serial, 'keyCompromise')
    r = upload(c, sign(env, key, cert, doc))
    assert r.status == 400 and 'İmzalayan sertifika iptal edilmiş.' in r.text
    assert 'İmza Yöntemi' in c.get('/basvuru/imza').text  # still waiting for a signature


def field_error(page):
    """The message beside the upload field (id imza-hata)."""
    m = re.search(r'<p class="error" id="imza-hata">([^<]*)</p>', page)
    return html.unescape(m.group(1)) if m else None


def test_eapproval_weak_digest_refused_and_report_recorded(env):
    """SHA-1 (digestAlgorithm and ecdsa-with-SHA1) is refused beside the
    upload field; a SHA-256 signature is accepted and its validation report
    (signer, certificate serial, digest, signing and check time) is in the
    application's history, for the applicant and in the staff console."""
    person = env['people'][7]
    key, cert, serial = issue_for(env, person, 'report')
    c, doc = start_eapproval(env, person, '0532 400 00 07')
    r = upload(c, sign(env, key, cert, doc, '-md', 'sha1'))
    assert r.status == 400
    assert 'zayıf ya da tanınmayan bir özet' in field_error(r.text), r.text[:2000]
    # Another holder's (valid, good) certificate is refused too.
    okey, ocert, _ = issue_for(env, env['people'][8], 'report-other')
    r = upload(c, sign(env, okey, ocert, doc))
    assert r.status == 400 and field_error(r.text) == 'İmzalayan sertifika size ait değil.'

    r = upload(c, sign(env, key, cert, doc, '-md', 'sha384'))
    assert r.status == 303, r.text[:1500]
    status = html.unescape(c.get('/basvuru/durum').text)
    m = re.search(r'E-onay imzası doğrulandı\. Doğrulama raporu: imzalayan ([^;]+); sertifika '
                  r'seri no ([0-9A-F]+); özet algoritması (SHA-\d+); imza zamanı (\S+); '
                  r'doğrulama zamanı (\S+);', status)
    assert m, status
    assert m.group(1) == '%s %s' % (person['ad'], person['soyad'])
    assert m.group(2) == serial
    assert m.group(3) == 'SHA-384'
    signed_at, checked_at = m.group(4), m.group(5)
    assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', signed_at)
    assert signed_at <= checked_at
    number = re.search(r'<dt>Başvuru No</dt><dd><strong>([0-9-]+)</strong>', status).group(1)

    # The staff console shows the same history entry.
    from test_console import app_id, login
    run_cli(env['dir'], 'user', 'add', 't.eonay', '--role', 'yetkili', '--scope',
            'ZONGULDAK-MEM', stdin='Konsol-Parola-2026\n')
    staff, _ = login(env, 't.eonay')
    page = html.unescape(staff.get('/konsol/basvuru/' + app_id(staff, number)).text)
    assert m.group(0) in page, page


def ocsp_status(env, cert, nonce=True):
    _, issuing = chain(env)
    p = subprocess.run(['openssl', 'ocsp', '-issuer', issuing, '-cert', cert, '-url',
                        env['server'].base + '/ocsp', '-CAfile', chain(env)[0],
                        '-resp_text'] + ([] if nonce else ['-no_nonce']),
                       capture_output=True, text=True, timeout=30)
    m = re.search(r'^%s: (good|revoked|unknown)' % re.escape(cert), p.stdout, re.M)
    assert m, p.stdout + p.stderr
    return m.group(1), p.stdout + p.stderr


def crl_text(env):
    c = Client(env['server'].base)
    r = c.get('/crl/issuing.crl')
    assert r.status == 200
    path = os.path.join(env['dir'], 'issuing-%s.crl' % uuid.uuid4().hex)
    with open(path, 'wb') as f:
        f.write(r.body)
    return openssl('crl', '-inform', 'DER', '-in', path, '-noout', '-text', text=True).stdout


def test_revocation_reaches_ocsp_and_crl_at_once(env):
    person = env['people'][5]
    key, cert, serial = issue_for(env, person, 'ocsp')
    status, out = ocsp_status(env, cert)
    assert status == 'good', out
    assert 'Response verify OK' in out
    # Without a nonce the pre-signed response is served (and cached).
    assert ocsp_status(env, cert, nonce=False)[0] == 'good'
    assert serial not in crl_text(env).replace(':', '').upper()
    run_cli(env['dir'], 'ca', 'revoke', serial, 'keyCompromise')
    status, out = ocsp_status(env, cert)
    assert status == 'revoked', out
    assert 'keyCompromise' in out
    # The pre-signed (no nonce) answer must not stay "good" either.
    status, out = ocsp_status(env, cert, nonce=False)
    assert status == 'revoked', out
    crl = crl_text(env)
    assert serial in crl.replace(':', '').upper().replace(' ', '')
    assert 'Key Compromise' in crl


def test_ocsp_unknown_for_foreign_certificate(env):
    d = env['dir']
    key = os.path.join(d, 'foreign.key')
    cert = os.path.join(d, 'foreign.pem')
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
            '-keyout', key, '-subj', '/CN=foreign', '-days', '2', '-out', cert)
    _, issuing = chain(env)
    # Same issuer name/key hash as ours is impossible for a self-signed cert,
    # so ask about a random serial under our issuer instead.
    p = subprocess.run(['openssl', 'ocsp', '-issuer', issuing, '-serial', '0x0123456789ABCDEF',
                        '-url', env['server'].base + '/ocsp', '-CAfile', chain(env)[0]],
                       capture_output=True, text=True, timeout=30)
    assert '0x0123456789ABCDEF: unknown' in p.stdout, p.stdout + p.stderr


def test_ocsp_malformed_request(env):
    c = Client(env['server'].base)
    r = c.post('/ocsp', b'\x30\x82\xff\xffgarbage',
               headers={'Content-Type': 'application/ocsp-request'})
    assert r.status == 200
    assert r.headers['Content-Type'] == 'application/ocsp-response'
    # OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED malformedRequest(1) }
    assert r.body == b'\x30\x03\x0a\x01\x01'
    assert env['server'].alive()


def test_repository_serves_chain(env):
    c = Client(env['server'].base)
    page = c.get('/depo/')
    assert page.status == 200 and 'issuing' in page.text
    for path in ('/depo/root.crt', '/depo/issuing.crt'):
        r = c.get(path)
        assert r.status == 200 and r.body[:1] == b'\x30'


def x509_date(cert, which):
    out = openssl('x509', '-in', cert, '-noout', '-' + which, text=True).stdout
    return out.strip().split('=', 1)[1]


def ssl_time(text):
    import calendar
    import time
    return calendar.timegm(time.strptime(text, '%b %d %H:%M:%S %Y GMT'))


def test_renewal_issued_by_application_number_starts_when_current_ends(env):
    import time
    person = env['people'][6]
    d = env['dir']
    # The current certificate started 300 days ago and ends in 65 days. The
    # signer takes notBefore from its own clock (no option sets it), so it
    # is issued by a `ca issue` run under faketime (libfaketime), 300 days ago.
    key = os.path.join(d, 'renew-old.key')
    csr = os.path.join(d, 'renew-old.csr')
    old = os.path.join(d, 'renew-old.pem')
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
            '-keyout', key, '-subj', '/CN=x', '-out', csr)
    p = run_cli(d, 'ca', 'issue', '--tckn', person['tckn'], '--ad', person['ad'], '--soyad',
                person['soyad'], '--years', '1', csr, faketime='-300d')
    with open(old, 'w') as f:
        f.write(p.stdout)
    start = int(time.time()) - 300 * 86400
    assert abs(ssl_time(x509_date(old, 'startdate')) - start) < 600

    c = Client(env['server'].base)
    page = flow.apply_until(c, who=flow.identity(**person), basvuru_nedeni='YENILEME',
                            kart_okuyucu='', cep_tel='0532 400 00 06')
    number = re.search(r'<strong>(\d{4}-\d{6})</strong>', page.text).group(1)
    # Approval and paperwork are the console's (tested in test_console.py).
    con = db_connect(d)
    con.execute("UPDATE applications SET state = 'APPROVED', flags = 0 WHERE number = ?",
                (number,))
    con.commit()

    new_csr = os.path.join(d, 'renew-new.csr')
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
            '-keyout', os.path.join(d, 'renew-new.key'), '-subj', '/CN=x', '-out', new_csr)
    p = run_cli(d, 'ca', 'issue', number, new_csr)
    new = os.path.join(d, 'renew-new.pem')
    with open(new, 'w') as f:
        f.write(p.stdout)
    root, issuing = chain(env)
    # Not yet valid (it starts later), so verify at its own start time.
    assert x509_date(new, 'startdate') == x509_date(old, 'enddate')
    assert x509_date(new, 'enddate').split()[-2] == str(int(x509_date(old, 'enddate')
                                                            .split()[-2]) + 3)  # 3 years
    state = con.execute('SELECT state FROM applications WHERE number = ?',
                        (number,)).fetchone()[0]
    con.close()
    assert state == 'PRODUCED'
    assert any(m.get('ref') == number and
               m['subject'] == 'e-İmza sertifikanız üretildi (%s)' % number
               for m in flow.outbox(c))
    # A second issue for the same application is refused.
    again = run_cli(d, 'ca', 'issue', number, new_csr, check=False)
    assert again.returncode != 0
