"""Card production (issue 14) with SoftHSM2 standing in for a smart card,
a fresh token directory (SOFTHSM2_CONF) per test: `eimza card produce`
initialises the token with random PINs, generates the key on it (never
extractable), issues under the card profile (QcSSCD, QCP-n-qscd) and writes
the certificate onto it; read back with OpenSSL's and OpenSC's own tools.
A card is produced and shipped once; a failure (signer refusal, wrong slot)
leaves the card blank and the application as it was; the PINs are only
stored sealed with the card key. The console queues a production for
`eimza card produce --queued`."""
import base64
import hashlib
import hmac
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time

import pytest

import flow
from conftest import (BIN, Client, Server, db_bytes, db_connect, db_url, demo_people, run_cli,
                      write_config)

PASSWORD = 'Kart-Parola-2026'
QCP_N_QSCD = '0.4.0.194112.1.2'
QC_SSCD = '0.4.0.1862.1.4'

SOFTHSM = next((p for p in ('/usr/lib/softhsm/libsofthsm2.so',
                            '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
                            '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so')
                 if os.path.exists(p)), None)


def db(d, sql, *args):
    con = db_connect(d)
    try:
        rows = con.execute(sql, args).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def totp(secret_b32, step):
    key = base64.b32decode(secret_b32 + '=' * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack('>Q', step), hashlib.sha1).digest()
    off = mac[19] & 15
    return '%06d' % ((struct.unpack('>I', mac[off:off + 4])[0] & 0x7fffffff) % 1000000)


def operator_login(env):
    c = Client(env['server'].base)
    r = c.post('/konsol/giris', {'csrf': c.csrf('/konsol/giris'), 'kullanici_adi': 't.op',
                                 'parola': PASSWORD})
    assert r.status == 303 and r.headers['Location'] == '/konsol/dogrulama', r.text[:500]
    page = c.get('/konsol/dogrulama').text
    secret = re.search(r'id="totp-anahtar">([A-Z2-7]+)<', page).group(1)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = c.post('/konsol/dogrulama', {'csrf': token,
                                     'dogrulama_kodu': totp(secret, int(time.time()) // 30)})
    assert r.status == 303 and r.headers['Location'] == '/konsol', r.text[:500]
    return c


@pytest.fixture(scope='module')
def env():
    """A demo database and CA (ca.card_profiles = 1), an operator account,
    and six approved applications (approval is not what this module tests:
    it is set directly, as test_nes_profile does)."""
    d = tempfile.mkdtemp(prefix='eimza-card-')
    write_config(d, '[ca]\ncard_profiles = 1\n')
    run_cli(d, 'init', '--demo')
    run_cli(d, 'user', 'add', 't.op', '--role', 'operator', stdin=PASSWORD + '\n')
    s = Server(d)
    people = demo_people(d, 'ZONGULDAK-MEM')[:6]
    assert len(people) == 6
    for i, person in enumerate(people):
        flow.apply_until(Client(s.base), who=flow.identity(**person),
                         cep_tel='0532 200 00 %02d' % i, eposta='kart%d@example.org' % i)
    db(d, "UPDATE applications SET state = 'APPROVED', flags = 0")
    numbers = [r[0] for r in db(d, 'SELECT number FROM applications ORDER BY id')]
    yield {'dir': d, 'server': s, 'apps': numbers}
    s.stop()
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def token(tmp_path):
    """A fresh SoftHSM2 token directory: one slot, no token initialised."""
    tokens = tmp_path / 'tokens'
    tokens.mkdir()
    conf = tmp_path / 'softhsm2.conf'
    conf.write_text('directories.tokendir = %s\nobjectstore.backend = file\n'
                    'log.level = ERROR\n' % tokens)
    e = dict(os.environ, SOFTHSM2_CONF=str(conf))
    assert SOFTHSM and shutil.which('pkcs11-tool'), 'SoftHSM2 and OpenSC (scripts/setup.sh)'
    return {'env': e, 'module': SOFTHSM}


def produce(env, tok, *args, config=None):
    d = env['dir']
    cmd = [BIN, '--db', db_url(d), '--config',
           config or os.path.join(d, 'eimza.conf'), 'card', 'produce',
           '--module', tok['module']] + list(args)
    return subprocess.run(cmd, cwd=d, env=tok['env'], capture_output=True, text=True,
                          timeout=120)


def p11(tok, *args):
    return subprocess.run(['pkcs11-tool', '--module', tok['module']] + list(args),
                          env=tok['env'], capture_output=True, timeout=60)


def slots(tok):
    """[(slot id, label, serial, flags)] of the initialised tokens."""
    out = p11(tok, '-L').stdout.decode()
    found = []
    for block in re.split(r'\nSlot \d+ ', out)[1:]:
        m = re.search(r'\(0x([0-9a-f]+)\)', block)
        label = re.search(r'token label\s*:\s*(.*)', block)
        if m and label:
            found.append((int(m.group(1), 16), label.group(1).strip(),
                          re.search(r'serial num\s*:\s*(\S+)', block).group(1),
                          re.search(r'token flags\s*:\s*(.*)', block).group(1)))
    return found


def pins(env, serial):
    """The card's SO and transport PINs, opened with the card key as only
    a holder of that key can (ChaCha20-Poly1305, src/pki/card_pins.h)."""
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
    with open(os.path.join(env['dir'], 'ca', 'card.key'), 'rb') as f:
        key = f.read()
    so, tr = db(env['dir'], 'SELECT so_pin_sealed, transport_pin_sealed FROM card_tokens '
                            'WHERE token_serial = ?', serial)[0]

    def open_(kind, sealed):
        b = bytes.fromhex(sealed)
        ad = ('eimza card pin v1:%s:%s' % (kind, serial)).encode()
        return ChaCha20Poly1305(key).decrypt(b[:12], b[12:], ad).decode()
    return open_('so', so), open_('transport', tr) if tr else None


def state(env, number):
    return db(env['dir'], 'SELECT state FROM applications WHERE number = ?', number)[0][0]


def openssl(*args, stdin=None):
    return subprocess.run(['openssl'] + list(args), input=stdin, capture_output=True,
                          timeout=60)


def test_produce_card(env, token, tmp_path):
    number = env['apps'][0]
    p = produce(env, token, number)
    assert p.returncode == 0, p.stderr
    m = re.search(r'kart seri (\S+), sertifika seri ([0-9A-F]+)', p.stdout)
    assert m, p.stdout
    serial, cert_serial = m.groups()
    assert state(env, number) == 'PRODUCED'
    row = db(env['dir'], 'SELECT status, certificate_serial, application_id FROM card_tokens '
                         'WHERE token_serial = ?', serial)
    app_id = db(env['dir'], 'SELECT id FROM applications WHERE number = ?', number)[0][0]
    assert row == [('produced', cert_serial, app_id)]
    assert db(env['dir'], "SELECT COUNT(*) FROM audit_log WHERE action = 'card_produced' "
                          "AND object = ? AND detail LIKE ?", 'application:' + number,
              '%' + serial + '%')[0][0] == 1
    # The token: initialised for this application, a user PIN set.
    (slot, label, tserial, flags), = slots(token)
    assert tserial == serial and label == 'E-IMZA ' + number and 'PIN initialized' in flags
    so_pin, transport_pin = pins(env, serial)
    assert re.fullmatch(r'\d{8}', so_pin) and re.fullmatch(r'\d{6}', transport_pin)
    for text in (p.stdout, p.stderr):
        assert so_pin not in text and transport_pin not in text
    # The key: generated on the token, sensitive, never extractable.
    objs = p11(token, '--slot', str(slot), '--list-objects', '--login', '--pin',
               transport_pin).stdout.decode()
    priv = objs[objs.index('Private Key Object'):].split('\n\n')[0]
    access = re.search(r'Access:\s*(.*)', priv).group(1)
    assert 'ID:         01' in priv and 'sensitive' in access and 'local' in access
    # pkcs11-tool prints "extractable" for CKA_EXTRACTABLE true and "never
    # extractable" for CKA_NEVER_EXTRACTABLE: only the latter.
    assert 'never extractable' in access
    assert 'extractable' not in access.replace('never extractable', '')
    # The certificate on the token (same CKA_ID) is the one issued.
    der = p11(token, '--slot', str(slot), '--read-object', '--type', 'cert', '--id', '01')
    assert der.returncode == 0, der.stderr
    stored = db(env['dir'], 'SELECT der FROM certificates WHERE serial_hex = ?', cert_serial)
    assert stored and bytes(stored[0][0]) == der.stdout
    pem = tmp_path / 'card.pem'
    pem.write_bytes(openssl('x509', '-inform', 'DER', stdin=der.stdout).stdout)
    ca = os.path.join(env['dir'], 'ca')
    v = openssl('verify', '-x509_strict', '-CAfile', os.path.join(ca, 'root.pem'),
                '-untrusted', os.path.join(ca, 'issuing.pem'), str(pem))
    assert v.returncode == 0 and b': OK' in v.stdout, v.stdout + v.stderr
    text = openssl('x509', '-in', str(pem), '-noout', '-text').stdout.decode()
    assert 'Policy: ' + QCP_N_QSCD in text
    asn = openssl('asn1parse', '-in', str(pem)).stdout.decode().splitlines()
    qc = [i for i, l in enumerate(asn) if 'qcStatements' in l]
    off = asn[qc[0] + 1].split(':')[0].strip()
    inner = openssl('asn1parse', '-in', str(pem), '-strparse', off).stdout.decode()
    assert QC_SSCD in inner
    # The public key of the certificate is the token's.
    pub = p11(token, '--slot', str(slot), '--read-object', '--type', 'pubkey', '--id', '01')
    cert_pub = openssl('x509', '-in', str(pem), '-noout', '-pubkey').stdout
    tok_pub = openssl('pkey', '-pubin', '-inform', 'DER', stdin=pub.stdout).stdout
    assert tok_pub and tok_pub == cert_pub
    # PINs never in clear in the database; the card key only for its owner.
    raw = db_bytes(env['dir'])
    assert so_pin.encode() not in raw and transport_pin.encode() not in raw
    assert os.stat(os.path.join(ca, 'card.key')).st_mode & 0o077 == 0
    # The same application again: refused, nothing touched.
    again = produce(env, token, number)
    assert again.returncode == 1 and 'kart üretimi beklemiyor' in again.stderr
    # Another application on this (produced) card: refused, card unchanged.
    other = env['apps'][1]
    second = produce(env, token, other, '--slot', str(slot))
    assert second.returncode == 1 and 'zaten üretilmiş' in second.stderr, second.stderr
    assert state(env, other) == 'APPROVED'
    assert p11(token, '--slot', str(slot), '--read-object', '--type', 'cert',
               '--id', '01').stdout == der.stdout


def test_signer_refusal_leaves_card_blank(env, token):
    """ca.card_profiles = 0: the signer refuses the card profile after the
    card was initialised and the key generated; the card is initialised
    again, empty, the application stays APPROVED, nothing is recorded but
    the blank card's sealed SO PIN, with which a later production starts
    over on the same card."""
    number = env['apps'][1]
    conf = os.path.join(env['dir'], 'off.conf')
    with open(os.path.join(env['dir'], 'eimza.conf')) as f:
        text = f.read()
    with open(conf, 'w') as f:
        f.write(text.replace('card_profiles = 1', 'card_profiles = 0'))
    certs = db(env['dir'], 'SELECT COUNT(*) FROM certificates')[0][0]
    p = produce(env, token, number, config=conf)
    assert p.returncode == 1 and 'reddetti' in p.stderr, p.stderr
    assert 'boş olarak yeniden başlatıldı' in p.stderr
    assert state(env, number) == 'APPROVED'
    assert db(env['dir'], 'SELECT COUNT(*) FROM certificates')[0][0] == certs
    (slot, label, serial, flags), = slots(token)
    assert label == 'eimza blank' and 'PIN initialized' not in flags
    objs = p11(token, '--slot', str(slot), '--list-objects')
    assert b'Object' not in objs.stdout, objs.stdout
    assert db(env['dir'], 'SELECT status, application_id, transport_pin_sealed FROM '
                          'card_tokens WHERE token_serial = ?', serial) == [('blank', None, None)]
    assert db(env['dir'], "SELECT COUNT(*) FROM audit_log WHERE action = 'card_produced' "
                          "AND object = ?", 'application:' + number)[0][0] == 0
    # The same card, produced now.
    p = produce(env, token, number, '--slot', str(slot))
    assert p.returncode == 0, p.stderr
    assert state(env, number) == 'PRODUCED'
    assert db(env['dir'], 'SELECT status FROM card_tokens WHERE token_serial = ?',
              serial) == [('produced',)]


def test_wrong_slot_changes_nothing(env, token):
    number = env['apps'][2]
    rows = db(env['dir'], 'SELECT COUNT(*) FROM card_tokens')[0][0]
    p = produce(env, token, number, '--slot', '4242')
    assert p.returncode == 1 and '4242 numaralı yuvada kart yok' in p.stderr, p.stderr
    assert state(env, number) == 'APPROVED'
    assert db(env['dir'], 'SELECT COUNT(*) FROM card_tokens')[0][0] == rows
    assert slots(token) == []  # the token is still uninitialised


def test_console_queues_production_and_card_ships_once(env, token):
    number = env['apps'][3]
    aid = str(db(env['dir'], 'SELECT id FROM applications WHERE number = ?', number)[0][0])
    op = operator_login(env)
    page = op.get('/konsol/basvuru/' + aid).text
    assert 'action="/konsol/kart-uret"' in page
    r = op.post('/konsol/kart-uret', {'csrf': op.csrf('/konsol'), 'id': aid})
    assert r.status == 303
    page = op.get('/konsol/basvuru/' + aid).text
    assert 'id="kart-kuyrukta"' in page and 'action="/konsol/kart-uret"' not in page
    assert 'data-state="APPROVED"' in page
    assert db(env['dir'], "SELECT COUNT(*) FROM audit_log WHERE action = "
                          "'card_production_queued' AND object = ?",
              'application:' + number)[0][0] == 1
    r = op.post('/konsol/kart-uret', {'csrf': op.csrf('/konsol'), 'id': aid})
    assert r.status == 303  # refused: back with the reason
    assert 'zaten üretim kuyruğunda' in op.get('/konsol/basvuru/' + aid).text
    # Where the reader is: the queued job.
    p = produce(env, token, '--queued')
    assert p.returncode == 0 and number in p.stdout, p.stderr
    assert db(env['dir'], 'SELECT COUNT(*) FROM card_jobs')[0][0] == 0
    serial = re.search(r'kart seri (\S+),', p.stdout).group(1)
    so_pin, transport_pin = pins(env, serial)
    page = op.get('/konsol/basvuru/' + aid).text
    assert 'data-state="PRODUCED"' in page
    card = page[page.index('id="kart"'):]
    assert serial in card[:400]  # the token's serial with the certificate's
    assert so_pin not in page and transport_pin not in page
    assert produce(env, token, '--queued').returncode == 0  # nothing queued
    # Shipped once ...
    r = op.post('/konsol/kargo', {'csrf': op.csrf('/konsol'), 'id': aid,
                                  'kurye': 'PTT Kargo', 'takip_no': 'KART-0001'})
    assert r.status == 303
    assert 'data-state="SHIPPED"' in op.get('/konsol/basvuru/' + aid).text
    assert db(env['dir'], 'SELECT shipped_at IS NOT NULL FROM card_tokens WHERE '
                          'token_serial = ?', serial) == [(1,)]
    # ... and not again, even with the application put back to PRODUCED.
    db(env['dir'], "UPDATE applications SET state = 'PRODUCED' WHERE id = ?", int(aid))
    r = op.post('/konsol/kargo', {'csrf': op.csrf('/konsol'), 'id': aid,
                                  'kurye': 'PTT Kargo', 'takip_no': 'KART-0002'})
    assert r.status == 409, r.status
    assert 'zaten kargoya verildi' in r.text
    assert db(env['dir'], "SELECT COUNT(*) FROM shipments WHERE tracking_no = 'KART-0002'"
              )[0][0] == 0


def test_rsa2048_card(env, token, tmp_path):
    """card.key_type = rsa2048: an RSA key on the card, the request signed
    with it (CKM_SHA256_RSA_PKCS), the certificate for that key."""
    number = env['apps'][4]
    conf = os.path.join(env['dir'], 'rsa.conf')
    with open(os.path.join(env['dir'], 'eimza.conf')) as f:
        text = f.read()
    with open(conf, 'w') as f:
        f.write(text + '[card]\nkey_type = rsa2048\n')
    p = produce(env, token, number, config=conf)
    assert p.returncode == 0, p.stderr
    der = p11(token, '--read-object', '--type', 'cert', '--id', '01').stdout
    text = openssl('x509', '-inform', 'DER', '-noout', '-text', stdin=der).stdout.decode()
    assert 'rsaEncryption' in text and 'Public-Key: (2048 bit)' in text
    assert 'Policy: ' + QCP_N_QSCD in text
    assert state(env, number) == 'PRODUCED'


def test_signer_service_grants_card_profile_only_to_card_clients(env, token, tmp_path):
    """With the signer as its own service (ca.signer_socket), the card
    profile goes only to a connection whose uid is in ca.card_clients: the
    same user, allowed as a plain client, is refused (the card is left
    blank), then produces once it is listed."""
    import pwd
    number = env['apps'][5]
    sock = str(tmp_path / 'signer.sock')
    me = pwd.getpwuid(os.geteuid()).pw_name
    with open(os.path.join(env['dir'], 'eimza.conf')) as f:
        base = f.read()

    def service(card_clients):
        conf = str(tmp_path / ('svc-%s.conf' % (card_clients or 'none')))
        with open(conf, 'w') as f:
            f.write(base + '[ca]\nsigner_socket = %s\ncard_clients = %s\n' %
                    (sock, card_clients))
        log = open(conf + '.log', 'w')
        proc = subprocess.Popen([BIN, '--db', db_url(env['dir']),
                                 '--config', conf, 'signer'], cwd=env['dir'],
                                stdout=log, stderr=log)
        deadline = time.time() + 30
        while not os.path.exists(sock):
            assert proc.poll() is None and time.time() < deadline, open(conf + '.log').read()
            time.sleep(0.05)
        return proc, conf

    def stop(proc):
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)

    proc, conf = service('')
    try:
        p = produce(env, token, number, config=conf)
    finally:
        stop(proc)
    assert p.returncode == 1 and 'reddetti' in p.stderr, p.stderr
    assert state(env, number) == 'APPROVED'
    (slot, label, serial, flags), = slots(token)
    assert label == 'eimza blank'
    log = open(conf + '.log').read()
    assert 'only for the card producer' in log, log
    proc, conf = service(me)
    try:
        p = produce(env, token, number, '--slot', str(slot), config=conf)
    finally:
        stop(proc)
    assert p.returncode == 0, p.stderr
    assert state(env, number) == 'PRODUCED'
