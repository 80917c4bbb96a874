"""Issue 9, key custody, against the real binary: `init` puts the issuing and
OCSP keys on a SoftHSM2 token it makes (generated there, never extractable),
no file under ca.dir holds an unencrypted private key, and the server signs
with the token keys; `--key-storage file` writes encrypted PKCS#8 and a
wrong passphrase stops the signer; the root key is offline (encrypted, out
of ca.dir) and only the audited ceremony signs the root CRL."""
import os
import pwd
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import BIN, Client, Server, db_connect, db_url, free_port, run_cli, write_config

ACTOR = 'cli:' + pwd.getpwuid(os.geteuid()).pw_name
TCKN = '10000000146'
PLAIN = (b'BEGIN PRIVATE KEY', b'BEGIN EC PRIVATE KEY', b'BEGIN RSA PRIVATE KEY')
SOFTHSM = next((p for p in ('/usr/lib/softhsm/libsofthsm2.so',
                            '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so')
                if os.path.exists(p)), None)

pytestmark = pytest.mark.skipif(SOFTHSM is None or shutil.which('pkcs11-tool') is None,
                                reason='SoftHSM2 / pkcs11-tool not installed')


def openssl(*args, check=True):
    return subprocess.run(['openssl'] + list(args), capture_output=True, text=True,
                          check=check)


def files_under(top):
    for root, _, names in os.walk(top):
        for n in names:
            yield os.path.join(root, n)


def read(path, mode='rb'):
    with open(path, mode) as f:
        return f.read()


def issue(d, name):
    """`ca issue` for a new P-256 key; the certificate as a PEM file."""
    key, csr, cert = (os.path.join(d, name + ext) for ext in ('.key', '.csr', '.pem'))
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
            '-keyout', key, '-subj', '/CN=ignored', '-out', csr)
    p = run_cli(d, 'ca', 'issue', '--tckn', TCKN, '--ad', 'AYŞE', '--soyad', 'IŞIK', csr)
    with open(cert, 'w') as f:
        f.write(p.stdout)
    return cert


def verify_chain(d, cert):
    ca = os.path.join(d, 'ca')
    p = openssl('verify', '-CAfile', os.path.join(ca, 'root.pem'), '-untrusted',
                os.path.join(ca, 'issuing.pem'), cert, check=False)
    assert p.returncode == 0 and cert + ': OK' in p.stdout, p.stdout + p.stderr


def newest_audit(d):
    con = db_connect(d)
    try:
        r = con.execute('SELECT actor, action, object, detail FROM audit_log '
                        'ORDER BY id DESC LIMIT 1').fetchone()
    finally:
        con.close()
    return r


def ceremony(d, *args, passfile=None, check=True):
    off = os.path.join(d, 'offline-media')
    return run_cli(d, 'ca', 'ceremony', '--root-key', os.path.join(off, 'root.key'),
                   '--passphrase-file', passfile or os.path.join(off, 'root.pass'), *args,
                   check=check)


@pytest.fixture(scope='module')
def token_env():
    d = tempfile.mkdtemp(prefix='eimza-custody-')
    write_config(d)
    p = run_cli(d, 'init', '--root-out', os.path.join(d, 'offline-media'))
    assert 'offline-media' in p.stdout and 'çevrim dışı' in p.stdout, p.stdout
    return d


def test_no_unencrypted_private_key_under_ca_dir(token_env):
    ca = os.path.join(token_env, 'ca')
    names = list(files_under(ca))
    assert names
    for path in names:
        data = read(path)
        for marker in PLAIN:
            assert marker not in data, path
        # The root key is not under ca.dir at all, not even encrypted; the
        # encrypted file keys there are the signer's Ed25519 audit key and
        # its X25519 card PIN seal key (docs/SECURITY.md "PIN setting").
        if os.path.basename(path) not in ('audit.key', 'pin-seal.key'):
            assert b'ENCRYPTED PRIVATE KEY' not in data, path
    for name in ('audit.key', 'pin-seal.key'):
        key = read(os.path.join(ca, name))
        assert key.startswith(b'-----BEGIN ENCRYPTED PRIVATE KEY-----'), (name, key[:40])
    assert not os.path.exists(os.path.join(ca, 'issuing.key'))
    assert 'storage = pkcs11' in read(os.path.join(ca, 'keys.conf'), 'r')
    assert os.stat(os.path.join(ca, 'token')).st_mode & 0o777 == 0o700
    assert os.stat(os.path.join(ca, 'token', 'pin')).st_mode & 0o777 == 0o600


def test_root_key_is_offline_and_encrypted(token_env):
    off = os.path.join(token_env, 'offline-media')
    key = read(os.path.join(off, 'root.key'))
    assert b'BEGIN ENCRYPTED PRIVATE KEY' in key
    assert os.stat(os.path.join(off, 'root.key')).st_mode & 0o777 == 0o600
    # It opens with its own passphrase and is the key of root.pem.
    pub = openssl('pkey', '-in', os.path.join(off, 'root.key'), '-passin',
                  'file:' + os.path.join(off, 'root.pass'), '-pubout').stdout
    cert_pub = openssl('x509', '-in', os.path.join(token_env, 'ca', 'root.pem'), '-pubkey',
                       '-noout').stdout
    assert pub == cert_pub
    assert openssl('pkey', '-in', os.path.join(off, 'root.key'), '-passin', 'pass:wrong',
                   check=False).returncode != 0


def test_keys_are_on_the_token(token_env):
    ca = os.path.join(token_env, 'ca')
    env = dict(os.environ, SOFTHSM2_CONF=os.path.join(ca, 'token', 'softhsm2.conf'))
    pin = read(os.path.join(ca, 'token', 'pin'), 'r').strip()
    p = subprocess.run(['pkcs11-tool', '--module', SOFTHSM, '--list-objects', '--type',
                        'privkey', '--login', '--pin', pin], env=env, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    blocks = p.stdout.split('Private Key Object')
    labels = {re.search(r'label:\s+(\S+)', b).group(1): b for b in blocks[1:]}
    assert set(labels) == {'issuing', 'ocsp'}, p.stdout
    for b in labels.values():
        assert 'never extractable' in b and 'sensitive' in b, b


def test_server_signs_with_the_token_keys(token_env):
    d = token_env
    s = Server(d, dev=False)
    try:
        cert = issue(d, 'holder')
        verify_chain(d, cert)
        ca = os.path.join(d, 'ca')
        p = subprocess.run(['openssl', 'ocsp', '-issuer', os.path.join(ca, 'issuing.pem'),
                            '-cert', cert, '-url', s.base + '/ocsp', '-CAfile',
                            os.path.join(ca, 'root.pem')], capture_output=True, text=True,
                           timeout=30)
        assert 'Response verify OK' in p.stdout + p.stderr, p.stdout + p.stderr
        assert cert + ': good' in p.stdout
        r = Client(s.base).get('/crl/issuing.crl')
        assert r.status == 200
        crl = os.path.join(d, 'issuing.crl')
        with open(crl, 'wb') as f:
            f.write(r.body)
        v = openssl('crl', '-inform', 'DER', '-in', crl, '-CAfile',
                    os.path.join(ca, 'issuing.pem'), '-noout', check=False)
        assert 'verify OK' in v.stdout + v.stderr
    finally:
        s.stop()


def test_ca_crl_root_points_to_the_ceremony(token_env):
    p = run_cli(token_env, 'ca', 'crl', '--root', check=False)
    assert p.returncode == 2
    assert 'ceremony' in p.stderr


def test_ceremony_root_crl(token_env):
    d = token_env
    ca = os.path.join(d, 'ca')
    before = read(os.path.join(ca, 'root.crl'))
    # A wrong passphrase: refused, nothing written, nothing audited.
    wrong = os.path.join(d, 'wrong.pass')
    with open(wrong, 'w') as f:
        f.write('not-the-passphrase\n')
    last = newest_audit(d)
    p = ceremony(d, 'root-crl', passfile=wrong, check=False)
    assert p.returncode == 1 and 'parola yanlış' in p.stderr, p.stderr
    assert read(os.path.join(ca, 'root.crl')) == before
    assert newest_audit(d) == last

    p = ceremony(d, 'root-crl')
    assert 'kök SİL 2' in p.stdout, p.stdout
    crl = os.path.join(ca, 'root.crl')
    v = openssl('crl', '-inform', 'DER', '-in', crl, '-CAfile', os.path.join(ca, 'root.pem'),
                '-noout', '-text', check=False)
    assert 'verify OK' in v.stdout + v.stderr, v.stdout + v.stderr
    assert re.search(r'X509v3 CRL Number: \n\s+2\n', v.stdout)
    # Issue 10: AKI and AIA caIssuers (the root certificate's URL) too.
    assert 'X509v3 Authority Key Identifier' in v.stdout
    assert re.search(r'CA Issuers - URI:http\S*/depo/root\.crt', v.stdout), v.stdout
    actor, action, obj, detail = newest_audit(d)
    assert (actor, action, obj) == (ACTOR, 'ceremony_root_crl', 'ca:root')
    assert 'kök SİL 2' in detail and 'root.crl' in detail
    assert run_cli(d, 'audit', 'verify', check=False).returncode == 0


def test_ceremony_renew_issuing_keeps_the_token_key(token_env):
    d = token_env
    ca = os.path.join(d, 'ca')
    old = read(os.path.join(ca, 'issuing.pem'))
    p = ceremony(d, 'renew-issuing')
    new = read(os.path.join(ca, 'issuing.pem'))
    assert new != old
    assert openssl('verify', '-CAfile', os.path.join(ca, 'root.pem'),
                   os.path.join(ca, 'issuing.pem')).returncode == 0
    serial = openssl('x509', '-in', os.path.join(ca, 'issuing.pem'), '-noout',
                     '-serial').stdout.strip().split('=')[1]
    assert serial in p.stdout
    actor, action, obj, _ = newest_audit(d)
    assert (actor, action, obj) == (ACTOR, 'ceremony_renew_issuing', 'ca:root')
    # The signer loads the same token key against the new certificate.
    verify_chain(d, issue(d, 'after-renewal'))


def test_ceremony_issue_subca_from_csr(token_env):
    d = token_env
    csr = os.path.join(d, 'sub.csr')
    out = os.path.join(d, 'sub.pem')
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes',
            '-keyout', os.path.join(d, 'sub.key'), '-subj', '/CN=sub', '-out', csr)
    ceremony(d, 'issue-subca', '--csr', csr, '--out', out)
    ca = os.path.join(d, 'ca')
    assert openssl('verify', '-CAfile', os.path.join(ca, 'root.pem'), out).returncode == 0
    text = openssl('x509', '-in', out, '-noout', '-text').stdout
    assert 'CA:TRUE, pathlen:0' in text
    assert newest_audit(d)[1] == 'ceremony_issue_subca'


def test_rsa_keys_on_the_token():
    d = tempfile.mkdtemp(prefix='eimza-custody-rsa-')
    write_config(d, '[ca]\nkey_type = rsa3072\n')
    run_cli(d, 'init')
    ca = os.path.join(d, 'ca')
    assert 'Public-Key: (3072 bit)' in openssl('x509', '-in', os.path.join(ca, 'issuing.pem'),
                                               '-noout', '-text').stdout
    verify_chain(d, issue(d, 'rsa-holder'))


# ---- --key-storage file ----

@pytest.fixture(scope='module')
def file_env():
    d = tempfile.mkdtemp(prefix='eimza-custody-file-')
    write_config(d)
    run_cli(d, 'init', '--key-storage', 'file')
    return d


def serve_env(d, extra_env, seconds=20):
    """Runs `serve` with extra environment for a short while; returns
    (exit code or None if still running, its output)."""
    log = os.path.join(d, 'serve-%d.log' % free_port())
    with open(log, 'w') as f:
        proc = subprocess.Popen([BIN, '--db', db_url(d), '--config',
                                 os.path.join(d, 'eimza.conf'), 'serve', '--listen',
                                 '127.0.0.1:%d' % free_port()],
                                cwd=d, stdout=f, stderr=f, env=dict(os.environ, **extra_env))
        try:
            rc = proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            rc = None
            proc.terminate()
            proc.wait(timeout=15)
    return rc, read(log, 'r')


def test_file_keys_are_encrypted_pkcs8(file_env):
    ca = os.path.join(file_env, 'ca')
    for name in ('issuing.key', 'ocsp.key'):
        data = read(os.path.join(ca, name))
        assert b'BEGIN ENCRYPTED PRIVATE KEY' in data
        assert os.stat(os.path.join(ca, name)).st_mode & 0o777 == 0o600
    for path in files_under(ca):
        for marker in PLAIN:
            assert marker not in read(path), path
    assert os.stat(os.path.join(ca, 'keys.pass')).st_mode & 0o777 == 0o600
    assert not os.path.exists(os.path.join(ca, 'token'))
    assert 'storage = file' in read(os.path.join(ca, 'keys.conf'), 'r')


def test_file_keys_serve_signs(file_env):
    s = Server(file_env, dev=False)
    try:
        verify_chain(file_env, issue(file_env, 'file-holder'))
    finally:
        s.stop()


def test_wrong_passphrase_stops_the_signer(file_env):
    creds = tempfile.mkdtemp(prefix='eimza-creds-')
    with open(os.path.join(creds, 'eimza-ca-passphrase'), 'w') as f:
        f.write('wrong passphrase\n')
    rc, out = serve_env(file_env, {'CREDENTIALS_DIRECTORY': creds})
    assert rc not in (None, 0), out
    assert 'refusing to start' in out and 'parola yanlış' in out, out


def test_passphrase_from_systemd_credential(file_env):
    ca = os.path.join(file_env, 'ca')
    creds = tempfile.mkdtemp(prefix='eimza-creds-')
    shutil.move(os.path.join(ca, 'keys.pass'), os.path.join(creds, 'eimza-ca-passphrase'))
    try:
        rc, out = serve_env(file_env, {'CREDENTIALS_DIRECTORY': creds}, seconds=3)
        assert rc is None, out  # still serving: the signer started
        assert 'signer: started' in out, out
    finally:
        shutil.move(os.path.join(creds, 'eimza-ca-passphrase'), os.path.join(ca, 'keys.pass'))
