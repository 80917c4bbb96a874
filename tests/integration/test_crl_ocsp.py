"""CRL and OCSP details that relying software checks (issue 10), read with
OpenSSL's own tools against the running server: the CRL's version, AKI,
AIA caIssuers, CRL number, lifetime (ca.crl_hours) and reason codes
(none for unspecified); OCSP `unauthorized` for another CA's certificate,
one SingleResponse per CertID, and the same revocation time and reason in
the CRL and in OCSP."""
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from datetime import datetime

import pytest

from conftest import Client, Server, demo_people, run_cli, write_config

CRL_HOURS = 6


def openssl(*args, check=True):
    return subprocess.run(['openssl'] + list(args), capture_output=True, text=True,
                          check=check, timeout=60)


@pytest.fixture(scope='module')
def env():
    d = tempfile.mkdtemp(prefix='eimza-crlocsp-')
    write_config(d, '[ca]\ncrl_hours = %d\n' % CRL_HOURS)
    run_cli(d, 'init', '--demo')
    s = Server(d)
    ca = os.path.join(d, 'ca')
    e = {'dir': d, 'server': s, 'people': demo_people(d, 'ZONGULDAK-MEM'),
         'root': os.path.join(ca, 'root.pem'), 'issuing': os.path.join(ca, 'issuing.pem')}
    # good, keyCompromise, unspecified, hold
    e['certs'] = {}
    for i, name in enumerate(('good', 'key', 'unspec', 'hold')):
        e['certs'][name] = issue_for(e, e['people'][i], name)
    run_cli(d, 'ca', 'revoke', e['certs']['key'][1], 'keyCompromise')
    run_cli(d, 'ca', 'revoke', e['certs']['unspec'][1], 'unspecified')
    run_cli(d, 'ca', 'hold', e['certs']['hold'][1])
    yield e
    s.stop()
    shutil.rmtree(d, ignore_errors=True)


def issue_for(env, person, name):
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


def crl_text(env):
    r = Client(env['server'].base).get('/crl/issuing.crl')
    assert r.status == 200
    path = os.path.join(env['dir'], 'issuing-%s.crl' % uuid.uuid4().hex)
    with open(path, 'wb') as f:
        f.write(r.body)
    p = openssl('crl', '-inform', 'DER', '-in', path, '-noout', '-text', '-CAfile',
                env['issuing'])
    assert 'verify OK' in p.stdout + p.stderr, p.stdout + p.stderr
    return p.stdout


def crl_entry(text, serial):
    """The lines of one revokedCertificates entry in `openssl crl -text`."""
    m = re.search(r'Serial Number: %s\n(.*?)(?=\n    Serial Number: |\n    Signature Algorithm|'
                  r'\n\s*Signature Value)' % serial, text, re.S)
    assert m, 'no CRL entry for %s in:\n%s' % (serial, text)
    return m.group(1)


def ocsp(env, *args, issuer=None):
    p = subprocess.run(['openssl', 'ocsp', '-issuer', issuer or env['issuing']] + list(args) +
                       ['-url', env['server'].base + '/ocsp', '-CAfile', env['root'],
                        '-resp_text'],
                       capture_output=True, text=True, timeout=60)
    return p.stdout + p.stderr


def test_crl_profile(env):
    text = crl_text(env)
    assert 'Version 2 (0x1)' in text
    # AKI = the issuing CA's SKI.
    ski = openssl('x509', '-in', env['issuing'], '-noout', '-ext',
                  'subjectKeyIdentifier').stdout.strip().splitlines()[-1].strip()
    m = re.search(r'X509v3 Authority Key Identifier: \n\s+(?:keyid:)?([0-9A-F:]+)', text)
    assert m and m.group(1) == ski, text
    # AIA caIssuers: where the issuing CA certificate is served, as in the
    # end-entity certificates' AIA.
    m = re.search(r'Authority Information Access: \n\s+CA Issuers - URI:(\S+)', text)
    assert m, text
    cert_text = openssl('x509', '-in', env['certs']['good'][0], '-noout', '-text').stdout
    assert 'CA Issuers - URI:' + m.group(1) in cert_text
    assert m.group(1).endswith('/depo/issuing.crt')
    assert re.search(r'X509v3 CRL Number: \n\s+\d+\n', text)
    # Lifetime from ca.crl_hours.
    last = re.search(r'Last Update: (.+ GMT)', text).group(1)
    nxt = re.search(r'Next Update: (.+ GMT)', text).group(1)
    fmt = '%b %d %H:%M:%S %Y GMT'
    delta = datetime.strptime(nxt, fmt) - datetime.strptime(last, fmt)
    assert delta.total_seconds() == CRL_HOURS * 3600, (last, nxt)


def test_crl_reason_codes(env):
    text = crl_text(env)
    certs = env['certs']
    assert certs['good'][1] not in text
    key = crl_entry(text, certs['key'][1])
    assert re.search(r'CRL Reason Code: \n\s+Key Compromise', key), key
    unspec = crl_entry(text, certs['unspec'][1])
    assert 'Reason' not in unspec and 'Unspecified' not in unspec, unspec
    hold = crl_entry(text, certs['hold'][1])
    assert re.search(r'CRL Reason Code: \n\s+Certificate Hold', hold), hold


def test_ocsp_foreign_issuer_unauthorized(env):
    d = env['dir']
    fca_key, fca, fkey, fcsr, fcert = (os.path.join(d, 'foreign-' + n) for n in
                                       ('ca.key', 'ca.pem', 'ee.key', 'ee.csr', 'ee.pem'))
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
            '-keyout', fca_key, '-subj', '/CN=Throwaway CA', '-days', '2', '-out', fca,
            '-addext', 'basicConstraints=critical,CA:TRUE')
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
            '-keyout', fkey, '-subj', '/CN=someone', '-out', fcsr)
    openssl('x509', '-req', '-in', fcsr, '-CA', fca, '-CAkey', fca_key, '-CAcreateserial',
            '-days', '2', '-out', fcert)
    out = ocsp(env, '-cert', fcert, issuer=fca)
    assert 'Responder Error: unauthorized (6)' in out, out
    # Also with our CertIDs beside it: the whole request is unauthorized.
    out = ocsp(env, '-cert', fcert, '-issuer', env['issuing'], '-cert',
               env['certs']['good'][0], issuer=fca)
    assert 'Responder Error: unauthorized (6)' in out, out


def test_ocsp_three_certids(env):
    certs = env['certs']
    out = ocsp(env, '-serial', '0x' + certs['good'][1], '-serial', '0x' + certs['key'][1],
               '-serial', '0x0123456789ABCDEF')
    assert 'Response verify OK' in out, out
    assert len(re.findall(r'Cert Status: ', out)) == 3, out
    assert '0x%s: good' % certs['good'][1] in out
    assert '0x%s: revoked' % certs['key'][1] in out
    assert '0x0123456789ABCDEF: unknown' in out
    # CertIDs hashed with SHA-256 name our issuer just as well.
    out = ocsp(env, '-sha256', '-serial', '0x' + certs['good'][1], '-serial',
               '0x' + certs['key'][1])
    assert 'Response verify OK' in out and out.count('Hash Algorithm: sha256') == 2, out
    assert '0x%s: good' % certs['good'][1] in out
    assert '0x%s: revoked' % certs['key'][1] in out
    # More than the documented limit (20): malformedRequest.
    many = []
    for i in range(21):
        many += ['-serial', '0x%04X' % (i + 1)]
    out = ocsp(env, *many)
    assert 'Responder Error: malformedrequest (1)' in out, out


def test_revocation_time_and_reason_same_in_crl_and_ocsp(env):
    text = crl_text(env)
    certs = env['certs']
    for name, reason in (('key', 'keyCompromise'), ('unspec', None),
                         ('hold', 'certificateHold')):
        cert, serial = certs[name]
        entry = crl_entry(text, serial)
        crl_time = re.search(r'Revocation Date: (.+ GMT)', entry).group(1)
        out = ocsp(env, '-cert', cert)
        assert '%s: revoked' % cert in out, out
        ocsp_time = re.search(r'Revocation Time: (.+ GMT)', out).group(1)
        assert ' '.join(crl_time.split()) == ' '.join(ocsp_time.split()), (crl_time, ocsp_time)
        if reason is None:
            assert 'Reason:' not in out, out
        else:
            assert 'Reason: %s' % reason in out, out
        # The pre-signed (no nonce) path says the same.
        out = ocsp(env, '-cert', cert, '-no_nonce')
        assert 'Revocation Time: ' in out and (reason is None) == ('Reason:' not in out), out
