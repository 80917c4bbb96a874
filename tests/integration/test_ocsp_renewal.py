"""The OCSP responder certificate is renewed by the running signer (issue 9,
docs/SECURITY.md "OCSP responder certificate"): with a life of one minute
(ca.ocsp_lifetime_minutes, tests only) it is due after half a minute; a
later OCSP response of the same server is signed by a new responder
certificate (other serial, later notBefore, the same key) that openssl
verifies, with id-pkix-ocsp-nocheck and EKU OCSPSigning; the journal holds
it (an `ocsp` record with its DER), `eimza ca reconcile` stays clean,
ocsp.pem is never rewritten, and a restarted server signs with the newest
certificate from the journal."""
import base64
import calendar
import os
import re
import subprocess
import tempfile
import time

import pytest

from conftest import Server, run_cli, write_config

LIFE = 60  # seconds: ca.ocsp_lifetime_minutes = 1


@pytest.fixture(scope='module')
def env():
    d = tempfile.mkdtemp(prefix='eimza-ocsprenew-')
    write_config(d, '[ca]\nocsp_lifetime_minutes = 1\n')
    run_cli(d, 'init', '--demo')
    ca = os.path.join(d, 'ca')
    with open(os.path.join(d, 'chain.pem'), 'w') as out:
        for name in ('root.pem', 'issuing.pem'):
            with open(os.path.join(ca, name)) as f:
                out.write(f.read())
    e = {'dir': d, 'ca': ca, 'server': Server(d)}
    yield e
    e['server'].stop()  # the one running now (a test restarts it)


def x509_text(pem):
    p = subprocess.run(['openssl', 'x509', '-noout', '-text', '-serial', '-startdate',
                        '-enddate'], input=pem, capture_output=True, text=True, check=True)
    return p.stdout


def serial(pem):
    return re.search(r'^serial=([0-9A-F]+)$', x509_text(pem), re.M).group(1)


def not_before(pem):
    """notBefore in Unix seconds."""
    p = subprocess.run(['openssl', 'x509', '-noout', '-startdate'], input=pem,
                       capture_output=True, text=True, check=True)
    t = ' '.join(p.stdout.strip().split('=', 1)[1].split())
    return calendar.timegm(time.strptime(t, '%b %d %H:%M:%S %Y GMT'))


def ask(env, tag, nonce=True):
    """An OCSP request for an unknown serial of the issuing CA; returns the
    verification output and the responder certificate (PEM) it carries."""
    resp = os.path.join(env['dir'], 'resp-%s.der' % tag)
    args = ['openssl', 'ocsp', '-issuer', os.path.join(env['ca'], 'issuing.pem'),
            '-serial', '0x1234', '-url', env['server'].base + '/ocsp',
            '-CAfile', os.path.join(env['dir'], 'chain.pem'), '-resp_text',
            '-respout', resp]
    if not nonce:
        args.append('-no_nonce')
    p = subprocess.run(args, capture_output=True, text=True, timeout=60)
    out = p.stdout + p.stderr
    assert p.returncode == 0, out
    assert 'Response verify OK' in out, out
    certs = re.findall(r'-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n', out,
                       re.S)
    assert len(certs) == 1, out
    return out, certs[0]


def journal_ocsp(env):
    with open(os.path.join(env['ca'], 'journal')) as f:
        return [line.rstrip('\n').split('\t') for line in f if line.startswith('ocsp\t')]


def der_to_pem(der):
    b = base64.b64encode(der).decode()
    return ('-----BEGIN CERTIFICATE-----\n' +
            '\n'.join(b[i:i + 64] for i in range(0, len(b), 64)) +
            '\n-----END CERTIFICATE-----\n')


def test_running_signer_renews_the_responder_certificate(env):
    with open(os.path.join(env['ca'], 'ocsp.pem')) as f:
        initial = f.read()
    out, first = ask(env, 'first')
    out_cached, first_cached = ask(env, 'first-cached', nonce=False)
    assert serial(first) == serial(initial) == serial(first_cached)
    assert journal_ocsp(env) == []

    # Half of the one-minute life has passed: the next request finds it due.
    wait = not_before(initial) + LIFE // 2 + 2 - time.time()
    if wait > 0:
        time.sleep(wait)
    out, second = ask(env, 'second', nonce=False)  # the pre-signed response is dropped
    assert serial(second) != serial(first), out
    assert not_before(second) > not_before(first)
    text = x509_text(second)
    assert 'OCSP No Check' in text, text
    assert 'OCSP Signing' in text, text
    assert re.search(r'Key Usage: critical\s*\n\s*Digital Signature\s*\n', text), text
    # The same responder key.
    keys = [subprocess.run(['openssl', 'x509', '-noout', '-pubkey'], input=c,
                           capture_output=True, text=True, check=True).stdout
            for c in (first, second)]
    assert keys[0] == keys[1]
    out, third = ask(env, 'third')
    assert serial(third) == serial(second)

    # The journal holds it, with its DER; ocsp.pem is untouched.
    recs = journal_ocsp(env)
    assert recs and recs[-1][1] == serial(second), recs
    der = base64.b64decode(recs[-1][6])
    assert serial(der_to_pem(der)) == serial(second)
    p = subprocess.run(['openssl', 'dgst', '-sha256', '-r'], input=der, capture_output=True,
                       check=True)
    assert p.stdout.split()[0].decode() == recs[-1][4]
    with open(os.path.join(env['ca'], 'ocsp.pem')) as f:
        assert f.read() == initial
    assert 'signer: OCSP responder certificate %s issued' % serial(second) in \
        env['server'].read_log()

    p = run_cli(env['dir'], 'ca', 'reconcile')
    assert '0 discrepancies' in p.stdout, p.stdout
    assert 'unknown' not in p.stdout, p.stdout


def test_restarted_server_signs_with_the_newest_certificate(env):
    recs = journal_ocsp(env)
    newest = recs[-1][1]
    # Restart well inside the newest certificate's first half.
    if time.time() > int(recs[-1][2]) + LIFE // 2 - 10:
        pytest.fail('too slow to restart inside the certificate\'s first half')
    env['server'].stop()
    env['server'] = Server(env['dir'])
    out, cert = ask(env, 'restarted')
    assert serial(cert) == newest, out
    assert len(journal_ocsp(env)) == len(recs)  # taken from the journal, not renewed


def test_cli_renew_ocsp_asks_the_signer(env):
    before = journal_ocsp(env)
    p = run_cli(env['dir'], 'ca', 'renew-ocsp')
    recs = journal_ocsp(env)
    assert len(recs) > len(before)
    assert 'seri %s,' % recs[-1][1] in p.stdout, p.stdout
    # The running server adopts it when it next reads the journal: here
    # when its copy is due, at the latest within the hour.
    p = run_cli(env['dir'], 'ca', 'reconcile')
    assert '0 discrepancies' in p.stdout, p.stdout
