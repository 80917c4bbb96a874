"""Integration tests: the real eimza binary on a loopback port, over HTTP.

EIMZA_BIN names the binary (default build/eimza). Every server a test
starts is stopped by its PID.
"""
import http.client
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get('EIMZA_BIN', os.path.join(ROOT, 'build', 'eimza'))

# The database backend under test: EIMZA_TEST_DB=pg runs every test against
# PostgreSQL at EIMZA_TEST_PG_URL (a server URL without a database name,
# e.g. the one scripts/pg-cluster.sh prints), with a fresh database for each
# working directory; otherwise each working directory has its SQLite file.
TEST_DB = os.environ.get('EIMZA_TEST_DB', 'sqlite')
PG_URL = os.environ.get('EIMZA_TEST_PG_URL', '').rstrip('/')
ON_PG = TEST_DB == 'pg'
_pg_names = {}


def db_url(workdir):
    """The --db argument of the installation in `workdir`."""
    if not ON_PG:
        return os.path.join(workdir, 'eimza.db')
    key = os.path.realpath(workdir)
    name = _pg_names.get(key)
    if name is None:
        import psycopg2
        name = 'it_%d_%d' % (os.getpid(), len(_pg_names) + 1)
        con = psycopg2.connect(PG_URL + '/postgres')
        con.autocommit = True
        con.cursor().execute('CREATE DATABASE %s' % name)
        con.close()
        _pg_names[key] = name
    return '%s/%s' % (PG_URL, name)


class _PgConnection:
    """The part of sqlite3.Connection the tests use, over psycopg2: `?`
    parameters, execute() on the connection, bytes for BYTEA."""

    def __init__(self, url):
        import psycopg2
        self.con = psycopg2.connect(url)

    def execute(self, sql, args=()):
        cur = self.con.cursor()
        cur.execute(sql.replace('%', '%%').replace('?', '%s'), tuple(args))
        return _PgCursor(cur)

    def commit(self):
        self.con.commit()

    def close(self):
        self.con.close()


class _PgCursor:
    def __init__(self, cur):
        self.cur = cur

    @staticmethod
    def _row(r):
        return tuple(bytes(v) if isinstance(v, memoryview) else v for v in r)

    def fetchone(self):
        r = self.cur.fetchone() if self.cur.description else None
        return None if r is None else self._row(r)

    def fetchall(self):
        return [self._row(r) for r in self.cur.fetchall()] if self.cur.description else []

    def __iter__(self):
        return iter(self.fetchall())


def db_open(url):
    """A DB-API connection to a --db argument (sqlite3, or a sqlite3-like
    wrapper over psycopg2); `?` parameters on both."""
    if url.startswith('postgresql://'):
        return _PgConnection(url)
    import sqlite3
    return sqlite3.connect(url)


def db_connect(workdir):
    """A DB-API connection to the installation in `workdir`."""
    return db_open(db_url(workdir))


def db_bytes(d):
    """Everything the database holds on disk (SQLite: the file and its WAL;
    PostgreSQL: a plain dump of the database)."""
    if ON_PG:
        return subprocess.run(['pg_dump', '--no-owner', db_url(d)], check=True,
                              capture_output=True).stdout
    data = b''
    for suffix in ('', '-wal'):
        path = os.path.join(d, 'eimza.db' + suffix)
        if os.path.exists(path):
            with open(path, 'rb') as f:
                data += f.read()
    return data


def db_copy(workdir, name):
    """A copy of the installation's database (a file `name`.db beside it, or
    a PostgreSQL database dumped and restored); returns its --db argument."""
    src = db_url(workdir)
    if not ON_PG:
        import sqlite3
        dst = os.path.join(workdir, name + '.db')
        a, b = sqlite3.connect(src), sqlite3.connect(dst)
        a.backup(b)
        b.close()
        a.close()
        return dst
    dst = db_url(os.path.join(workdir, name + '.pgcopy'))
    dump = subprocess.run(['pg_dump', '--no-owner', src], capture_output=True, check=True)
    subprocess.run(['psql', '-q', '-v', 'ON_ERROR_STOP=1', dst], input=dump.stdout,
                   capture_output=True, check=True)
    return dst

# The first identity printed by `init --demo` (see src/store/demo.c).
DEMO = {
    'tckn': None,  # filled from the init output
    'ad': 'Ayşe', 'soyad': 'Yılmaz', 'dogum_yeri': 'Zonguldak',
    'dogum_tarihi': '1985-04-12', 'sicil_no': '100001',
}


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run_cli(workdir, *args, stdin=None, check=True, faketime=None):
    """Runs eimza; faketime ('-300d') runs it with its clock moved by
    libfaketime (the `faketime` package), e.g. to issue a certificate that
    started in the past: the signer takes notBefore from its own clock."""
    cmd = [BIN, '--db', db_url(workdir),
           '--config', os.path.join(workdir, 'eimza.conf')] + list(args)
    env = None
    if faketime is not None:
        cmd = ['faketime', '-f', faketime] + cmd
        # libfaketime is preloaded ahead of an ASan build's runtime; ASan
        # works so, it only wants to be told.
        env = dict(os.environ)
        env['ASAN_OPTIONS'] = ':'.join(
            o for o in (env.get('ASAN_OPTIONS', ''), 'verify_asan_link_order=0') if o)
    p = subprocess.run(cmd, cwd=workdir, input=stdin, capture_output=True, text=True,
                       timeout=120, env=env)
    if check and p.returncode != 0:
        raise AssertionError('%s failed (%d):\n%s\n%s' % (args, p.returncode, p.stdout,
                                                         p.stderr))
    return p


def write_config(workdir, extra=''):
    with open(os.path.join(workdir, 'eimza.conf'), 'w') as f:
        f.write('[ca]\ndir = %s\nkey_type = p256\n' % os.path.join(workdir, 'ca'))
        f.write('[server]\nsecret_file = %s\n' % os.path.join(workdir, 'secret.key'))
        f.write('[outbox]\npoll_ms = 100\n')
        f.write(extra)


class Server:
    """One `eimza serve --dev` process on a free loopback port."""

    def __init__(self, workdir, dev=True):
        self.workdir = workdir
        self.port = free_port()
        self.base = 'http://127.0.0.1:%d' % self.port
        args = [BIN, '--db', db_url(workdir),
                '--config', os.path.join(workdir, 'eimza.conf'),
                'serve', '--listen', '127.0.0.1:%d' % self.port]
        if dev:
            args.append('--dev')
        self.log = open(os.path.join(workdir, 'server-%d.log' % self.port), 'w')
        self.proc = subprocess.Popen(args, cwd=workdir, stdout=self.log, stderr=self.log)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError('server exited: %s' % self.read_log())
            try:
                with socket.create_connection(('127.0.0.1', self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            self.stop()
            raise AssertionError('server did not start')

    def read_log(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


class Client:
    """A browser-like client: cookies, no automatic redirects."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, method, path, data=None, headers=None):
        body = None
        hdrs = dict(headers or {})
        if isinstance(data, dict):
            body = urllib.parse.urlencode(data).encode()
            hdrs.setdefault('Content-Type', 'application/x-www-form-urlencoded')
        elif data is not None:
            body = data
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=hdrs)
        try:
            resp = self.opener.open(req, timeout=30)
        except urllib.error.HTTPError as e:
            resp = e
        content = resp.read()
        return Response(resp.status if hasattr(resp, 'status') else resp.code,
                        resp.headers, content)

    def get(self, path, **kw):
        return self.request('GET', path, **kw)

    def post(self, path, data, **kw):
        return self.request('POST', path, data=data, **kw)

    def csrf(self, path):
        r = self.get(path)
        m = re.search(r'name="csrf" value="([^"]+)"', r.text)
        assert m, 'no csrf field on %s (%d)' % (path, r.status)
        return m.group(1)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode('utf-8', 'replace')


def raw_request(port, data, timeout=5):
    """Sends raw bytes and returns the raw answer (for malformed requests)."""
    with socket.create_connection(('127.0.0.1', port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                c = s.recv(65536)
                if not c:
                    break
                chunks.append(c)
        except socket.timeout:
            pass
    return b''.join(chunks)


@pytest.fixture(scope='session')
def demo_dir():
    """A demo database and CA made once for the whole session."""
    d = tempfile.mkdtemp(prefix='eimza-it-')
    write_config(d)
    p = run_cli(d, 'init', '--demo')
    m = re.search(r'T\.C\. Kimlik No\D*(\d{11})', p.stdout)
    assert m, 'init --demo printed no identity:\n' + p.stdout
    DEMO['tckn'] = m.group(1)
    DEMO['init_output'] = p.stdout
    DEMO['people'] = demo_people(d, 'ZONGULDAK-MEM', exclude=m.group(1))
    return d


def demo_people(workdir, unit, exclude=None):
    """Every demo person with a personnel record in authority unit `unit`,
    read from the database (init prints only a few)."""
    con = db_connect(workdir)
    try:
        rows = con.execute(
            'SELECT r.tckn, r.ad, r.soyad, r.dogum_yeri, r.dogum_tarihi, p.sicil_no '
            'FROM registry r JOIN personnel p ON p.tckn = r.tckn '
            'JOIN institutions i ON i.kurum_kodu = p.kurum_kodu '
            'WHERE i.yetki_birimi = ? ORDER BY r.tckn', (unit,)).fetchall()
    finally:
        con.close()
    keys = ('tckn', 'ad', 'soyad', 'dogum_yeri', 'dogum_tarihi', 'sicil_no')
    return [dict(zip(keys, row)) for row in rows if row[0] != exclude]


@pytest.fixture(scope='session')
def server(demo_dir):
    s = Server(demo_dir)
    yield s
    s.stop()


@pytest.fixture
def client(server):
    return Client(server.base)
