"""Issue 9: the audit trail's tail is protected by checkpoints the signer
signs with its Ed25519 audit key (<ca.dir>/audit.key; audit.pub beside it).

With database write access one can cut the newest audit records off, or
rewrite one and recompute the (unkeyed) chain after it; `eimza audit verify`
must catch both against the newest checkpoint, as well as a forged
checkpoint row. The checkpoint's signature is checked with openssl's own
Ed25519 verification of the documented message."""
import hashlib
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time

import pytest

from conftest import BIN, Server, db_copy, db_open, db_url, run_cli, write_config

TCKN = '10000000146'
DOMAIN = b'eimza audit checkpoint v1'


def q(db_path, sql, *args):
    con = db_open(db_path)
    try:
        r = con.execute(sql, args).fetchall()
        con.commit()
        return r
    finally:
        con.close()


def cli_db(d, db_path, *args, stdin=None):
    """The CLI against another database file of the same configuration."""
    return subprocess.run([BIN, '--db', db_path, '--config', os.path.join(d, 'eimza.conf')] +
                          list(args), cwd=d, input=stdin, capture_output=True, text=True,
                          timeout=120)


def issue(d, name):
    key, csr = (os.path.join(d, name + ext) for ext in ('.key', '.csr'))
    subprocess.run(['openssl', 'req', '-new', '-newkey', 'ec', '-pkeyopt',
                    'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-subj', '/CN=x',
                    '-out', csr], capture_output=True, check=True)
    p = run_cli(d, 'ca', 'issue', '--tckn', TCKN, '--ad', 'Işıl', '--soyad', 'Güneş',
                '--years', '1', csr)
    return re.search(r'Seri No: ([0-9A-Fa-f]+)', p.stderr).group(1)


def make_env(prefix):
    d = tempfile.mkdtemp(prefix=prefix)
    write_config(d)
    run_cli(d, 'init')
    for i in range(3):
        run_cli(d, 'user', 'add', 't.k%d' % i, '--role', 'admin', stdin='Parola-%d-uzun-2026\n' % i)
    serial = issue(d, 'a')
    run_cli(d, 'ca', 'hold', serial)
    run_cli(d, 'ca', 'release', serial)
    return d


@pytest.fixture(scope='module')
def env():
    """Activity, the last command a `ca` one (which signs a checkpoint)."""
    d = make_env('eimza-ckpt-')
    yield d
    shutil.rmtree(d, ignore_errors=True)


def db_of(d):
    return db_url(d)


def copy_db(d, name):
    return db_copy(d, name)


def verify(d, db_path):
    return cli_db(d, db_path, 'audit', 'verify')


def newest_checkpoint(db_path):
    return q(db_path, 'SELECT record_count, head, signed_at, signature FROM audit_checkpoints '
                      'ORDER BY record_count DESC, signed_at DESC, id DESC LIMIT 1')[0]


def audit_count(db_path):
    return q(db_path, 'SELECT COUNT(*) FROM audit_log')[0][0]


# ---- the chain exactly as src/store/audit.c computes version 2 ----

def field(v):
    if v is None:
        return b'-;'
    b = v.encode('utf-8')
    return str(len(b)).encode() + b':' + b + b';'


def record_hash(rid, at, actor, ip, obj, action, before, after, detail, prev):
    h = hashlib.blake2b(digest_size=32)
    for v in ('%d/%d' % (rid, at), actor, ip, obj, action, before, after, detail, prev):
        h.update(field(v))
    return h.hexdigest()


def rechain(db_path, start):
    """Recomputes hash and prev_hash of every record from id `start` on."""
    con = db_open(db_path)
    rows = con.execute('SELECT id, at, actor, client_ip, object, action, before_state, '
                       'after_state, detail, prev_hash, hash, chain_version FROM audit_log '
                       'ORDER BY id').fetchall()
    prev = '0'
    for r in rows:
        if r[0] >= start:
            assert r[11] == 2
            h = record_hash(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], prev)
            con.execute('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?',
                        (prev, h, r[0]))
            prev = h
        else:
            prev = r[10]
    con.commit()
    con.close()


# ---- tests ----

def test_ca_command_signs_a_checkpoint_of_its_record(env):
    n = audit_count(db_of(env))
    count, head, _, _ = newest_checkpoint(db_of(env))
    assert count == n
    assert head == q(db_of(env), 'SELECT hash FROM audit_log WHERE id = ?', n)[0][0]
    # The signer journaled it too, chained like every journal record.
    lines = [l.split('\t') for l in open(os.path.join(env, 'ca', 'journal')).read().splitlines()]
    cps = [l for l in lines if l[0] == 'checkpoint']
    assert cps and int(cps[-1][1]) == n and cps[-1][2] == head and len(cps[-1][4]) == 128
    st = os.stat(os.path.join(env, 'ca', 'audit.key'))
    assert st.st_mode & 0o777 == 0o600


def test_clean_trail_verifies_up_to_checkpoint(env):
    db_path = copy_db(env, 'clean')
    n = audit_count(db_path)
    p = verify(env, db_path)
    assert p.returncode == 0, p.stdout + p.stderr
    assert 'sağlam' in p.stdout
    assert 'kontrol noktasına kadar %d kayıt doğrulandı; sonrasında 0 kayıt var' % n in p.stdout
    # A record written after it (no signer involved) is reported as after it.
    p = cli_db(env, db_path, 'user', 'add', 't.sonra', '--role', 'admin', stdin='Parola-uzun-2026\n')
    assert p.returncode == 0, p.stderr
    p = verify(env, db_path)
    assert p.returncode == 0, p.stdout + p.stderr
    assert 'kadar %d kayıt doğrulandı; sonrasında 1 kayıt var' % n in p.stdout


def test_deleting_newest_records_is_detected(env):
    db_path = copy_db(env, 'cut')
    n = audit_count(db_path)
    p = verify(env, db_path)
    assert p.returncode == 0
    q(db_path, 'DELETE FROM audit_log WHERE id > ?', n - 2)
    p = verify(env, db_path)
    assert p.returncode == 1, p.stdout + p.stderr
    # The chain itself still holds; the checkpoint names what is missing.
    assert 'sağlam' in p.stdout
    assert 'Kayıtlar eksik' in p.stdout and 'kayıt %d-%d silinmiş' % (n - 1, n) in p.stdout
    # Deleting the stored checkpoints too does not help: the journal has it.
    q(db_path, 'DELETE FROM audit_checkpoints')
    p = verify(env, db_path)
    assert p.returncode == 1 and 'kayıt %d-%d silinmiş' % (n - 1, n) in p.stdout


def test_deleting_all_records_is_detected(env):
    db_path = copy_db(env, 'empty')
    n = audit_count(db_path)
    q(db_path, 'DELETE FROM audit_log')
    q(db_path, 'DELETE FROM audit_checkpoints')
    p = verify(env, db_path)
    assert p.returncode == 1, p.stdout + p.stderr
    assert 'Kayıtlar eksik' in p.stdout and 'kayıt 1-%d silinmiş' % n in p.stdout


def test_deleting_the_last_record_is_detected(env):
    db_path = copy_db(env, 'last')
    n = audit_count(db_path)
    q(db_path, 'DELETE FROM audit_log WHERE id = ?', n)
    p = verify(env, db_path)
    assert p.returncode == 1, p.stdout + p.stderr
    assert 'veritabanında %d kayıt var; kayıt %d silinmiş' % (n - 1, n) in p.stdout


def test_rewrite_and_rechain_is_detected(env):
    db_path = copy_db(env, 'rewrite')
    n = audit_count(db_path)
    before = q(db_path, 'SELECT id, hash FROM audit_log ORDER BY id')
    # The Python recomputation is the C one: re-chaining unchanged records
    # gives back every stored hash.
    rechain(db_path, 1)
    assert q(db_path, 'SELECT id, hash FROM audit_log ORDER BY id') == before
    # Rewrite record 2 and re-chain everything after it: the chain holds ...
    q(db_path, "UPDATE audit_log SET detail = 'başka bir şey' WHERE id = 2")
    rechain(db_path, 2)
    p = verify(env, db_path)
    assert 'sağlam: %d kayıt' % n in p.stdout
    # ... but the signed head does not.
    assert p.returncode == 1, p.stdout + p.stderr
    assert 'Kayıt %d' % n in p.stdout and 'tutmuyor' in p.stdout
    assert 'yeniden hesaplanmış' in p.stdout


def test_forged_checkpoint_row_is_detected(env):
    db_path = copy_db(env, 'forged')
    n = audit_count(db_path)
    # Cut the last record, and claim a checkpoint of what is left.
    q(db_path, 'DELETE FROM audit_log WHERE id = ?', n)
    head = q(db_path, 'SELECT hash FROM audit_log WHERE id = ?', n - 1)[0][0]
    q(db_path, 'INSERT INTO audit_checkpoints (record_count, head, signed_at, signature) '
               'VALUES (?, ?, ?, ?)', n + 5, head, int(time.time()), os.urandom(64).hex())
    p = verify(env, db_path)
    assert p.returncode == 1, p.stdout + p.stderr
    assert 'imzası geçersiz' in p.stdout and 'veritabanı' in p.stdout


def openssl_verify(d, pub, count, head, at, sig_hex):
    msg = DOMAIN + struct.pack('>Q', count) + bytes.fromhex(head) + struct.pack('>q', at)
    assert len(msg) == 73
    mp, sp = os.path.join(d, 'cp.msg'), os.path.join(d, 'cp.sig')
    with open(mp, 'wb') as f:
        f.write(msg)
    with open(sp, 'wb') as f:
        f.write(bytes.fromhex(sig_hex))
    return subprocess.run(['openssl', 'pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin',
                           '-in', mp, '-sigfile', sp], capture_output=True, text=True)


def test_signature_verifies_with_openssl(env):
    pub = os.path.join(env, 'ca', 'audit.pub')
    count, head, at, sig = newest_checkpoint(db_of(env))
    p = openssl_verify(env, pub, count, head, at, sig)
    assert p.returncode == 0 and 'Signature Verified Successfully' in p.stdout, p.stdout + p.stderr
    # One more record claimed: openssl refuses the same signature.
    p = openssl_verify(env, pub, count + 1, head, at, sig)
    assert p.returncode != 0


def test_audit_checkpoint_command_and_key_upgrade():
    d = make_env('eimza-ckpt-up-')
    try:
        # A CA directory from before audit keys: `init` run again makes one ...
        for f in ('audit.key', 'audit.pub'):
            os.unlink(os.path.join(d, 'ca', f))
        run_cli(d, 'init')
        assert os.stat(os.path.join(d, 'ca', 'audit.key')).st_mode & 0o777 == 0o600
        assert os.path.exists(os.path.join(d, 'ca', 'audit.pub'))
        # ... and so does the signer when it starts without one.
        for f in ('audit.key', 'audit.pub'):
            os.unlink(os.path.join(d, 'ca', f))
        run_cli(d, 'user', 'add', 't.yeni', '--role', 'admin', stdin='Parola-uzun-2026\n')
        p = run_cli(d, 'audit', 'checkpoint')
        n = audit_count(db_of(d))
        assert 'Denetim kontrol noktası imzalandı: %d kayıt' % n in p.stdout
        assert os.path.exists(os.path.join(d, 'ca', 'audit.pub'))
        p = run_cli(d, 'audit', 'verify')
        assert 'kadar %d kayıt doğrulandı; sonrasında 0 kayıt var' % n in p.stdout
        count, head, at, sig = newest_checkpoint(db_of(d))
        assert openssl_verify(d, os.path.join(d, 'ca', 'audit.pub'), count, head, at,
                              sig).returncode == 0
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_serve_checkpoints_periodically_and_on_shutdown():
    d = tempfile.mkdtemp(prefix='eimza-ckpt-serve-')
    try:
        write_config(d, '[audit]\ncheckpoint_seconds = 1\n')
        run_cli(d, 'init')
        srv = Server(d, dev=False)
        try:
            run_cli(d, 'user', 'add', 't.bir', '--role', 'admin', stdin='Parola-uzun-2026\n')
            n = audit_count(db_of(d))
            deadline = time.time() + 15
            while time.time() < deadline:
                rows = q(db_of(d), 'SELECT MAX(record_count) FROM audit_checkpoints')
                if rows[0][0] == n:
                    break
                time.sleep(0.2)
            assert rows[0][0] == n, srv.read_log()
            # Nothing changed: no new checkpoint on the next ticks.
            made = q(db_of(d), 'SELECT COUNT(*) FROM audit_checkpoints')[0][0]
            time.sleep(2.5)
            assert q(db_of(d), 'SELECT COUNT(*) FROM audit_checkpoints')[0][0] == made
        finally:
            srv.stop()
        # SIGTERM: one more, signed before the signer stopped.
        assert q(db_of(d), 'SELECT COUNT(*) FROM audit_checkpoints')[0][0] == made + 1
        with open(srv.log.name) as f:
            assert 'checkpoint failed' not in f.read()
        p = run_cli(d, 'audit', 'verify')
        assert 'sonrasında 0 kayıt var' in p.stdout
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_reconcile_reads_past_checkpoint_records(env):
    # The journal holds certificates, checkpoints in between; reconcile
    # counts only the certificates and agrees with the database.
    p = run_cli(env, 'ca', 'reconcile', check=False)
    assert p.returncode == 0, p.stdout + p.stderr
    assert 'journal: 1 certificates' in p.stdout
