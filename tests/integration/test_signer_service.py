"""The signer as its own service (`eimza signer`, docs/protocol.md "Signer
as a service"), against the real binary:

- with ca.signer_socket set, `serve` forks no signer: it connects to the
  service, and certificates' CRLs are signed through it (command line and
  server);
- each connection is served by its own child of the service, under its
  seccomp filter (Seccomp: 2);
- a peer whose uid is not allowed (ca.signer_clients) gets no answer (run
  as root: as `nobody`);
- killing the connection's signer makes `serve` exit with status 1;
- SIGTERM stops the service and removes its socket;
- run as root (as CI does), the layout of two units without root: the
  service started as eimza-signer, serve as eimza (no root in either):
  serve's uid is allowed, root's is not, eimza cannot read a key and still
  gets CRLs signed.
"""
import os
import pwd
import signal
import socket
import stat
import subprocess
import tempfile
import time
import urllib.request

import pytest

from conftest import BIN, Server, db_connect, db_url, free_port, run_cli, write_config


def children(pid):
    kids = []
    for task in os.listdir('/proc/%d/task' % pid):
        with open('/proc/%d/task/%s/children' % (pid, task)) as f:
            kids += [int(p) for p in f.read().split()]
    return kids


def status(pid):
    with open('/proc/%d/status' % pid) as f:
        return dict(line.rstrip('\n').split(':\t', 1) for line in f if ':\t' in line)


class SignerService:
    """One `eimza signer` process, stopped by its PID."""

    def __init__(self, workdir, sock):
        self.sock = sock
        self.log = open(os.path.join(workdir, 'signer.log'), 'w')
        self.proc = subprocess.Popen(
            [BIN, '--db', db_url(workdir),
             '--config', os.path.join(workdir, 'eimza.conf'), 'signer'],
            cwd=workdir, stdout=self.log, stderr=self.log)
        deadline = time.time() + 30
        while not os.path.exists(sock):
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise AssertionError('signer service did not start: ' + self.read_log())
            time.sleep(0.05)

    def read_log(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


PING_AS_NOBODY = r'''
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(20)
s.connect(sys.argv[1])
try:
    s.sendall(struct.pack('>II', 1, 0))
    data = s.recv(64)
except (BrokenPipeError, ConnectionResetError):
    data = b''  # closed by the service before the PING was sent
print('reply=%r' % data)
'''


def test_serve_signs_through_the_signer_service():
    d = tempfile.mkdtemp(prefix='eimza-signersvc-')
    write_config(d)
    run_cli(d, 'init', '--demo')
    # A directory others may enter, so that `nobody` meets the socket's
    # peer check rather than a permission error on the path.
    sockdir = tempfile.mkdtemp(prefix='eimza-signersock-')
    os.chmod(sockdir, 0o755)
    sock = os.path.join(sockdir, 'signer.sock')
    write_config(d, '[ca]\nsigner_socket = %s\n' % sock)

    # Without the service, serve and the command line do not start a signer.
    p = run_cli(d, 'ca', 'crl', check=False)
    assert p.returncode != 0 and 'cannot connect to the signer service' in p.stderr, p.stderr

    svc = SignerService(d, sock)
    server = None
    try:
        assert oct(os.stat(sock).st_mode & 0o777) == '0o660'
        server = Server(d)
        assert children(server.proc.pid) == [], 'serve forked a signer'
        kids = children(svc.proc.pid)
        assert len(kids) == 1, kids
        conn_signer = kids[0]
        st = status(conn_signer)
        assert st['Seccomp'] == '2' and st['NoNewPrivs'] == '1', st

        # A CRL through the command line's own connection, then served.
        p = run_cli(d, 'ca', 'crl')
        assert 'signer unavailable' not in p.stderr, p.stderr
        with urllib.request.urlopen(server.base + '/crl/issuing.crl', timeout=30) as r:
            crl = r.read()
        out = subprocess.run(['openssl', 'crl', '-inform', 'DER', '-noout', '-text'],
                             input=crl, capture_output=True, check=True).stdout.decode()
        assert 'Certificate Revocation List' in out and 'X509v3 CRL Number' in out, out
        journal = open(os.path.join(d, 'ca', 'journal')).read()
        assert 'crl\t' in journal
        # The command line's signer is gone (EOF); serve's is still there.
        deadline = time.time() + 10
        while children(svc.proc.pid) != [conn_signer] and time.time() < deadline:
            time.sleep(0.05)
        assert children(svc.proc.pid) == [conn_signer]

        if os.geteuid() == 0:
            os.chmod(sock, 0o666)  # only the peer check stands in the way
            q = subprocess.run(['runuser', '-u', 'nobody', '--', '/usr/bin/python3', '-c',
                                PING_AS_NOBODY, sock], capture_output=True, text=True,
                               timeout=60)
            assert q.returncode == 0, q.stderr
            assert "reply=b''" in q.stdout, q.stdout
            assert 'not in ca.signer_clients' in svc.read_log()
            os.chmod(sock, 0o660)

        # Its signer killed: serve stops with status 1 (not restarted).
        os.kill(conn_signer, signal.SIGKILL)
        assert server.proc.wait(timeout=30) == 1
        log = server.read_log()
        assert 'the signer service closed the connection' in log, log[-1500:]
        assert 'serve: stopped because the signer is gone (status 1)' in log
        # The service itself lives on: a new serve gets a new signer.
        server.stop()
        server = Server(d)
        assert len(children(svc.proc.pid)) == 1
    finally:
        if server is not None:
            server.stop()
        rc = svc.stop()
    assert rc == 0, rc
    assert not os.path.exists(sock)


def test_unknown_client_user_stops_the_service():
    d = tempfile.mkdtemp(prefix='eimza-signersvc-')
    sock = os.path.join(d, 'signer.sock')
    write_config(d, '[ca]\nsigner_socket = %s\nsigner_clients = 0, no-such-user-x\n' % sock)
    p = run_cli(d, 'signer', check=False)
    assert p.returncode == 1 and 'no such user: no-such-user-x' in p.stderr, p.stderr
    assert not os.path.exists(sock)


def as_user(user, groups, *cmd):
    """cmd as user (and the supplementary groups), exec'ed in place (its
    PID is the program's) without root left: the layout of two systemd
    units with User=."""
    return ['setpriv', '--reuid', user, '--regid', user, '--groups', groups, '--'] + list(cmd)


def test_two_users_without_root_in_either_process():
    if os.geteuid() != 0:
        pytest.skip('needs root to start processes as eimza and eimza-signer')
    web, signer = pwd.getpwnam('eimza'), pwd.getpwnam('eimza-signer')
    d = tempfile.mkdtemp(prefix='eimza-signersvc-users-')
    write_config(d, '[ca]\nsigner_user = eimza-signer\n')
    run_cli(d, 'init', '--demo')  # as root: gives ca.dir to eimza-signer
    os.chmod(d, 0o755)
    for path in (d, os.path.join(d, 'eimza.db')):
        if os.path.exists(path):  # no file on PostgreSQL
            os.chown(path, web.pw_uid, web.pw_gid)
    # /run/eimza-signer of the units: the signer's, 0750, its group.
    sockdir = tempfile.mkdtemp(prefix='eimza-signersock-')
    os.chown(sockdir, signer.pw_uid, signer.pw_gid)
    os.chmod(sockdir, 0o750)
    sock = os.path.join(sockdir, 'signer.sock')
    write_config(d, '[ca]\nsigner_socket = %s\nsigner_clients = eimza\n' % sock)
    base = [BIN, '--db', db_url(d), '--config', os.path.join(d, 'eimza.conf')]

    svc_log = open(os.path.join(d, 'signer.log'), 'w')
    svc = subprocess.Popen(as_user('eimza-signer', 'eimza-signer', *base, 'signer'), cwd=d,
                           stdout=svc_log, stderr=svc_log)
    port = free_port()
    srv_log = open(os.path.join(d, 'server.log'), 'w')
    srv = None
    try:
        deadline = time.time() + 30
        while not os.path.exists(sock):
            assert svc.poll() is None and time.time() < deadline, open(svc_log.name).read()
            time.sleep(0.05)
        st = os.stat(sock)
        assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (signer.pw_uid, 0o660)
        srv = subprocess.Popen(as_user('eimza', 'eimza,eimza-signer', *base, 'serve', '--dev',
                                       '--listen', '127.0.0.1:%d' % port),
                               cwd=d, stdout=srv_log, stderr=srv_log)
        deadline = time.time() + 30
        while True:
            assert srv.poll() is None and time.time() < deadline, open(srv_log.name).read()
            try:
                socket.create_connection(('127.0.0.1', port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.05)
        kids = children(svc.pid)
        assert len(kids) == 1, kids
        assert status(srv.pid)['Uid'].split() == [str(web.pw_uid)] * 4
        assert status(svc.pid)['Uid'].split() == [str(signer.pw_uid)] * 4
        assert status(kids[0])['Uid'].split() == [str(signer.pw_uid)] * 4
        assert status(kids[0])['Seccomp'] == '2'
        assert children(srv.pid) == []
        # The web user cannot read a key; it gets CRLs signed all the same.
        keys = [n for n in os.listdir(os.path.join(d, 'ca')) if n.endswith('.key')]
        assert keys
        r = subprocess.run(as_user('eimza', 'eimza,eimza-signer', 'cat',
                                   os.path.join(d, 'ca', keys[0])), capture_output=True)
        assert r.returncode != 0 and b'Permission denied' in r.stderr, r.stderr
        r = subprocess.run(as_user('eimza', 'eimza,eimza-signer', *base, 'ca', 'crl'), cwd=d,
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        with urllib.request.urlopen('http://127.0.0.1:%d/crl/issuing.crl' % port,
                                    timeout=30) as resp:
            crl = resp.read()
        subprocess.run(['openssl', 'crl', '-inform', 'DER', '-noout'], input=crl, check=True)
        # root is not in ca.signer_clients: its connection is refused.
        r = run_cli(d, 'ca', 'crl', check=False)
        assert r.returncode != 0, r.stdout
        assert 'refused: not in ca.signer_clients' in open(svc_log.name).read()
        os.kill(kids[0], signal.SIGKILL)
        assert srv.wait(timeout=30) == 1
    finally:
        for p in (srv, svc):
            if p is not None and p.poll() is None:
                os.kill(p.pid, signal.SIGTERM)
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.kill(p.pid, signal.SIGKILL)
                    p.wait()
        svc_log.close()
        srv_log.close()
    assert svc.returncode == 0
    assert not os.path.exists(sock)
