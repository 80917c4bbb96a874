"""The signer's process boundary (docs/SECURITY.md, "Process and sandbox"),
against the real binary:

- the serving process holds no key: no descriptor and no mapping of a key
  file, the token directory or the journal;
- the signer runs under its seccomp filter (Seccomp: 2) with no_new_privs
  and no capabilities, and holds only fds 0, 1, 2, its channel and its
  journal; it still signs (OCSP through the server, a CRL through the
  command line), also with its key in a SoftHSM2 token;
- killing the signer makes `serve` exit with status 1 (it is not restarted);
- run as root (as CI does): with server.user = eimza and ca.signer_user =
  eimza-signer (created by scripts/setup.sh), serve runs as eimza, the
  signer as eimza-signer, the key files and the journal are 0600 and the
  signer's, and eimza gets EACCES opening them.
"""
import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
import time

import pytest

from conftest import Server, run_cli, write_config

SOFTHSM = '/usr/lib/softhsm/libsofthsm2.so'


def signer_pid(server_pid):
    kids = []
    for task in os.listdir('/proc/%d/task' % server_pid):
        with open('/proc/%d/task/%s/children' % (server_pid, task)) as f:
            kids += [int(p) for p in f.read().split()]
    assert len(kids) == 1, kids
    return kids[0]


def status(pid):
    with open('/proc/%d/status' % pid) as f:
        return dict(line.rstrip('\n').split(':\t', 1) for line in f if ':\t' in line)


def fds(pid):
    d = '/proc/%d/fd' % pid
    out = {}
    for n in os.listdir(d):
        try:
            out[int(n)] = os.readlink(os.path.join(d, n))
        except FileNotFoundError:
            pass  # closed between the listing and the read (a finished request)
    return out


def mapped(pid):
    with open('/proc/%d/maps' % pid) as f:
        return {line.split(None, 5)[5].strip() for line in f if len(line.split(None, 5)) == 6}


def private(path, ca):
    """A key file, the journal, or anything in the token directory."""
    if not path.startswith(ca + os.sep):
        return False
    rel = path[len(ca) + 1:]
    return rel.endswith('.key') or rel == 'journal' or rel.startswith('token' + os.sep)


def ca_dir(d):
    return os.path.join(d, 'ca')


def assert_serve_holds_no_key(server, ca):
    pid = server.proc.pid
    seen = list(fds(pid).values()) + list(mapped(pid))
    assert seen, 'nothing read from /proc/%d' % pid
    held = [p for p in seen if private(p, ca)]
    assert not held, held


def assert_signer_sandboxed(server, ca):
    pid = signer_pid(server.proc.pid)
    st = status(pid)
    assert st['Seccomp'] == '2', st
    assert st['NoNewPrivs'] == '1', st
    assert int(st['CapEff'], 16) == 0 and int(st['CapPrm'], 16) == 0, st
    held = fds(pid)
    assert sorted(held) == [0, 1, 2, 3, 4], held
    assert held[0] == held[1] == '/dev/null', held
    assert held[3].startswith('socket:'), held
    assert held[4] == os.path.join(ca, 'journal'), held
    return pid


def ocsp_unknown(server, d):
    """An OCSP request for a serial never issued: the server's signer signs
    the response with the responder key."""
    ca = ca_dir(d)
    p = subprocess.run(['openssl', 'ocsp', '-issuer', os.path.join(ca, 'issuing.pem'),
                        '-serial', '0x7E57AB1E', '-url', server.base + '/ocsp', '-CAfile',
                        os.path.join(ca, 'root.pem')], capture_output=True, text=True,
                       timeout=30)
    assert 'Response verify OK' in p.stderr + p.stdout, p.stdout + p.stderr
    assert '0x7E57AB1E: unknown' in p.stdout, p.stdout


@pytest.fixture(scope='module')
def env():
    d = tempfile.mkdtemp(prefix='eimza-sandbox-')
    write_config(d)
    run_cli(d, 'init', '--demo')
    env = {'dir': d, 'server': Server(d)}
    yield env
    env['server'].stop()  # the one started last (a test replaces it)


def test_serve_holds_no_key_and_the_signer_is_sandboxed(env):
    ca = ca_dir(env['dir'])
    server = env['server']
    assert_serve_holds_no_key(server, ca)
    pid = assert_signer_sandboxed(server, ca)
    # It signs under its filter (the responder key), and stays alive.
    ocsp_unknown(server, env['dir'])
    assert signer_pid(server.proc.pid) == pid
    assert status(pid)['Seccomp'] == '2'
    # The command line's own signer signs a CRL under the same filter.
    p = run_cli(env['dir'], 'ca', 'crl')
    assert 'Seccomp' not in p.stderr and 'signer unavailable' not in p.stderr, p.stderr
    assert_serve_holds_no_key(server, ca)


def test_killing_the_signer_stops_serve_with_status_1(env):
    server = env['server']
    os.kill(signer_pid(server.proc.pid), signal.SIGKILL)
    assert server.proc.wait(timeout=30) == 1
    log = server.read_log()
    assert 'it is not restarted' in log, log[-1500:]
    assert 'serve: stopped because the signer is gone (status 1)' in log
    # systemd would start it again: a new serve has a new, sandboxed signer.
    env['server'] = Server(env['dir'])
    assert_signer_sandboxed(env['server'], ca_dir(env['dir']))


def test_a_token_key_signs_under_the_filter():
    """The issuing key in a SoftHSM2 token (ca.pkcs11_module): the module
    reads its token files at every signature, which the filter allows
    read-only."""
    if not os.path.exists(SOFTHSM) or shutil.which('softhsm2-util') is None:
        pytest.skip('SoftHSM2 is not installed (scripts/setup.sh --test)')
    d = tempfile.mkdtemp(prefix='eimza-sandbox-p11-')
    ca = ca_dir(d)
    write_config(d)
    run_cli(d, 'init', '--demo')
    # `init` puts the issuing and OCSP keys on its own SoftHSM2 token by
    # default (keys.conf); no key file is left to fall back on.
    assert 'storage = pkcs11' in open(os.path.join(ca, 'keys.conf')).read()
    assert not os.path.exists(os.path.join(ca, 'issuing.key'))
    jpath = os.path.join(ca, 'journal')
    before = open(jpath).read().count('crl\t') if os.path.exists(jpath) else 0
    server = None
    try:
        for _ in range(2):  # twice: the token is read again at each signature
            p = run_cli(d, 'ca', 'crl')
            assert 'signer unavailable' not in p.stderr, p.stderr
        server = Server(d)
        assert_serve_holds_no_key(server, ca)
        pid = assert_signer_sandboxed(server, ca)
        run_cli(d, 'ca', 'crl')
        assert signer_pid(server.proc.pid) == pid
        journal = open(os.path.join(ca, 'journal')).read()
        assert journal.count('crl\t') - before == 3, journal
    finally:
        if server is not None:
            server.stop()


def system_user(name):
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pytest.skip('system user %s missing (run scripts/setup.sh as root)' % name)


def test_as_root_serve_and_signer_run_under_their_own_users():
    if os.geteuid() != 0:
        pytest.skip('needs root (CI runs as root): serve drops to server.user')
    web, signer = system_user('eimza'), system_user('eimza-signer')
    d = tempfile.mkdtemp(prefix='eimza-sandbox-root-')
    ca = ca_dir(d)
    write_config(d, '[server]\nuser = eimza\n[ca]\nsigner_user = eimza-signer\n')
    p = run_cli(d, 'init', '--demo')
    assert 'yalnızca eimza-signer' in p.stdout, p.stdout
    # The data directory is the web user's (SQLite writes beside the
    # database); the CA directory was given to the signer by init.
    os.chmod(d, 0o755)
    for path in (d, os.path.join(d, 'eimza.db')):
        if os.path.exists(path):  # no file on PostgreSQL
            os.chown(path, web.pw_uid, web.pw_gid)
    server = Server(d)
    try:
        spid = signer_pid(server.proc.pid)
        # The port listens (and the fixture connects) just before serve
        # drops to its user and starts accepting: wait for the drop.
        for _ in range(100):
            if status(server.proc.pid)['Uid'].split()[0] != '0':
                break
            time.sleep(0.05)
        assert status(server.proc.pid)['Uid'].split() == [str(web.pw_uid)] * 4
        assert status(spid)['Uid'].split() == [str(signer.pw_uid)] * 4
        assert status(spid)['Gid'].split() == [str(signer.pw_gid)] * 4
        assert status(server.proc.pid)['NoNewPrivs'] == '1'
        assert int(status(spid)['CapBnd'], 16) == 0
        assert_signer_sandboxed(server, ca)
        assert_serve_holds_no_key(server, ca)
        keys = [os.path.join(ca, n) for n in os.listdir(ca) if n.endswith('.key')]
        assert keys
        for path in keys + [os.path.join(ca, 'journal')]:
            st = os.stat(path)
            assert stat.S_IMODE(st.st_mode) == 0o600, path
            assert (st.st_uid, st.st_gid) == (signer.pw_uid, signer.pw_gid), path
            r = subprocess.run(['runuser', '-u', 'eimza', '--', 'cat', path],
                               capture_output=True, text=True)
            assert r.returncode != 0 and 'Permission denied' in r.stderr, (path, r.stderr)
        for name in ('root.pem', 'issuing.pem', 'ocsp.pem'):
            st = os.stat(os.path.join(ca, name))
            assert stat.S_IMODE(st.st_mode) == 0o644, name
        # The web user can read a public certificate; the server serves.
        r = subprocess.run(['runuser', '-u', 'eimza', '--', 'cat',
                            os.path.join(ca, 'issuing.pem')], capture_output=True)
        assert r.returncode == 0
        ocsp_unknown(server, d)
        os.kill(spid, signal.SIGKILL)
        assert server.proc.wait(timeout=30) == 1
    finally:
        server.stop()
