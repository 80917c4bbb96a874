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
- SIGTERM stops the service and removes its socket.
"""
import os
import signal
import subprocess
import tempfile
import time
import urllib.request

import pytest

from conftest import BIN, Server, run_cli, write_config


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
            [BIN, '--db', os.path.join(workdir, 'eimza.db'),
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
