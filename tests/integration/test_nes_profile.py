"""The NES end-entity profile (issue 10, docs/PROFILE.md) end to end: for
an EC (P-256) and an RSA (3072) hierarchy made by `eimza init`, a
certificate issued by `eimza ca issue` from a CSR passes
`openssl verify -x509_strict`, carries the NES policy and the Turkish
qcStatements but neither QcSSCD nor QCP-n-qscd (a CSR's key is of unknown
origin), and no subjectAltName without an e-mail. `init` refuses a TLS/EV
policy OID; /depo/ serves both PKI disclosure statements."""
import os
import subprocess
import tempfile
import urllib.request

import pytest

from conftest import Server, db_connect, run_cli, write_config

TCKN = '10000000146'


def openssl(*args, stdin=None):
    return subprocess.run(['openssl'] + list(args), input=stdin, capture_output=True,
                          text=True, timeout=60)


@pytest.fixture(scope='module', params=[('p256', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
                                         'ecdsa-with-SHA256'),
                                        ('rsa3072', 'rsa', '-pkeyopt', 'rsa_keygen_bits:2048',
                                         'sha256WithRSAEncryption'),
                                        ('rsa2048', 'rsa', '-pkeyopt', 'rsa_keygen_bits:2048',
                                         'sha256WithRSAEncryption')],
                ids=['ec', 'rsa', 'rsa2048'])
def hierarchy(request):
    key_type, alg, o1, o2, sigalg = request.param
    d = tempfile.mkdtemp(prefix='eimza-nesprofile-')
    write_config(d, '[ca]\nkey_type = %s\n' % key_type)
    run_cli(d, 'init')
    key, csr = os.path.join(d, 'ee.key'), os.path.join(d, 'ee.csr')
    p = openssl('req', '-new', '-newkey', alg, o1, o2, '-nodes', '-keyout', key,
                '-subj', '/CN=ignored', '-out', csr)
    assert p.returncode == 0, p.stderr
    return {'dir': d, 'ca': os.path.join(d, 'ca'), 'csr': csr, 'sigalg': sigalg,
            'key_type': key_type}


def issue(h, *extra):
    p = run_cli(h['dir'], 'ca', 'issue', '--tckn', TCKN, '--ad', 'AYŞE', '--soyad', 'IŞIK',
                '--years', '2', *extra, h['csr'])
    pem = p.stdout[p.stdout.index('-----BEGIN CERTIFICATE-----'):]
    path = os.path.join(h['dir'], 'ee%d.pem' % len(extra))
    with open(path, 'w') as f:
        f.write(pem)
    return path


def test_x509_strict_and_profile(hierarchy):
    h = hierarchy
    path = issue(h)
    v = openssl('verify', '-x509_strict', '-CAfile', os.path.join(h['ca'], 'root.pem'),
                '-untrusted', os.path.join(h['ca'], 'issuing.pem'), path)
    assert v.returncode == 0 and ': OK' in v.stdout, v.stdout + v.stderr
    bits = {'p256': '256', 'rsa3072': '3072', 'rsa2048': '2048'}[h['key_type']]
    for ca in ('root.pem', 'issuing.pem'):
        ca_text = openssl('x509', '-in', os.path.join(h['ca'], ca), '-noout', '-text').stdout
        assert 'Public-Key: (%s bit)' % bits in ca_text, ca
    t = openssl('x509', '-in', path, '-noout', '-text', '-nameopt',
                'utf8,sep_comma_plus_space').stdout
    assert 'Signature Algorithm: ' + h['sigalg'] in t
    assert 'C=TR, CN=AYŞE IŞIK, GN=AYŞE, SN=IŞIK, serialNumber=PNOTR-' + TCKN in t
    assert 'Policy: 2.16.792.1.2.1.1.5.7.1.1' in t
    assert 'CPS: http://127.0.0.1:8080/depo/sue-tr.txt' in t
    assert '5070 sayılı Elektronik İmza Kanunu' in t  # the UTF8String notice
    assert '0.4.0.194112.1.2' not in t                 # no QCP-n-qscd
    assert 'Subject Alternative Name' not in t
    a = openssl('asn1parse', '-in', path).stdout
    qc = [l for l in a.splitlines() if 'qcStatements' in l]
    assert qc
    off = a.splitlines()[a.splitlines().index(qc[0]) + 1].split(':')[0].strip()
    s = openssl('asn1parse', '-in', path, '-strparse', off).stdout
    for oid in ('1.3.6.1.5.5.7.11.2', '0.4.0.194121.1.1', '0.4.0.1862.1.1', '0.4.0.1862.1.7',
                '2.16.792.1.61.0.1.5070.1.1', '0.4.0.1862.1.6.1', '0.4.0.1862.1.5',
                '/depo/pds-tr.txt', '/depo/pds-en.txt'):
        assert oid in s, (oid, s)
    assert '0.4.0.1862.1.4' not in s  # no QcSSCD
    assert '0.4.0.1862.1.2' not in s  # no QcLimitValue: ca.qc_limit_try unset


def test_email_goes_to_san_when_given(hierarchy):
    path = issue(hierarchy, '--email', 'ayse@example.org')
    t = openssl('x509', '-in', path, '-noout', '-ext', 'subjectAltName').stdout
    assert 'email:ayse@example.org' in t


@pytest.mark.parametrize('oid', ['2.16.792.1.2.1.1.5.7.1.9', '2.23.140.1.2.2', '2.5.29.32.0'])
def test_init_refuses_tls_policy(oid):
    d = tempfile.mkdtemp(prefix='eimza-nesprofile-')
    write_config(d, '[ca]\npolicy_oid = %s\n' % oid)
    p = run_cli(d, 'init', check=False)
    assert p.returncode != 0
    assert 'ca.policy_oid' in p.stderr and 'nitelikli elektronik sertifika' in p.stderr
    assert not os.path.exists(os.path.join(d, 'ca', 'issuing.pem'))


def test_depo_serves_both_disclosure_statements():
    d = tempfile.mkdtemp(prefix='eimza-nesprofile-')
    write_config(d, '[ca]\nusage_restriction = Yalnızca deneme amaçlıdır.\n')
    run_cli(d, 'init')
    s = Server(d, dev=False)
    try:
        with urllib.request.urlopen(s.base + '/depo/pds-tr.txt') as r:
            tr = r.read().decode()
        with urllib.request.urlopen(s.base + '/depo/pds-en.txt') as r:
            en = r.read().decode()
            assert r.headers['Content-Type'].startswith('text/plain')
    finally:
        s.stop()
    assert 'KAMUYA AÇIKLAMA BEYANI' in tr and 'Şikâyet' in tr
    assert 'Ek kullanım kısıtlaması: Yalnızca deneme amaçlıdır.' in tr
    assert 'PKI DISCLOSURE STATEMENT' in en and 'Complaints' in en
    assert 'Further restriction' not in en  # ca.usage_restriction_en unset


def _db(d, sql, *args):
    con = db_connect(d)
    try:
        rows = con.execute(sql, args).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def test_email_in_san_only_when_proven():
    """Form Onayla mails a one-time link to the form's address (through the
    outbox); opening it records the proof with an audit record; it works
    once. `eimza ca issue APPLICATION CSR` writes the address into the
    certificate only for the application whose address was proven."""
    import flow
    from conftest import Client, demo_people
    d = tempfile.mkdtemp(prefix='eimza-nesprofile-')
    write_config(d)
    run_cli(d, 'init', '--demo')
    people = demo_people(d, 'ZONGULDAK-MEM')[:2]
    s = Server(d)
    apps = []
    try:
        for i, person in enumerate(people):
            c = Client(s.base)
            email = 'kisi%d@example.org' % i
            flow.apply_until(c, 'FORM_CONFIRMED', who=flow.identity(**person), eposta=email)
            mails = [m for m in flow.outbox(c)
                     if m['channel'] == 'email' and m['to'] == email
                     and 'eposta-onay?t=' in m['body']]
            assert len(mails) == 1, flow.outbox(c)
            link = mails[0]['body'].split('eposta-onay?t=', 1)[1].split()[0]
            number = _db(d, 'SELECT number FROM applications WHERE tckn = ?',
                         person['tckn'])[0][0]
            apps.append((c, email, link, number))
        # the token is stored only hashed
        assert not _db(d, 'SELECT 1 FROM email_confirmations WHERE token_hash = ?',
                       apps[1][2])
        c, email, link, number = apps[1]
        r = c.get('/basvuru/eposta-onay?t=' + link)
        assert r.status == 200 and email in r.text and number in r.text
        assert c.get('/basvuru/eposta-onay?t=' + link).status == 404  # single use
        assert c.get('/basvuru/eposta-onay?t=' + 'a' * 64).status == 404
        assert c.get('/basvuru/eposta-onay?t=x%3Cy').status == 400  # not a token
        assert _db(d, "SELECT COUNT(*) FROM audit_log WHERE action = 'email_confirmed' "
                      "AND object = ?", 'application:' + number)[0][0] == 1
    finally:
        s.stop()
    # Approval is not what this test is about: set it directly.
    _db(d, "UPDATE applications SET state = 'APPROVED'")
    csr = os.path.join(d, 'ee.csr')
    assert openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
                   '-nodes', '-keyout', os.path.join(d, 'ee.key'), '-subj', '/CN=x',
                   '-out', csr).returncode == 0
    for (_, email, _, number), proven in zip(apps, (False, True)):
        p = run_cli(d, 'ca', 'issue', number, csr)
        pem = p.stdout[p.stdout.index('-----BEGIN CERTIFICATE-----'):]
        t = openssl('x509', '-noout', '-text', stdin=pem).stdout
        assert ('email:' + email in t) == proven, t
        assert ('Subject Alternative Name' in t) == proven
