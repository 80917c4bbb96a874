"""Issue 12, behind a reverse proxy and under slow clients: the client
address from trusted proxies only, Secure/__Host- cookies and HSTS for an
https public URL, serve refusing a taken port and --dev on a non-dev
database, /metrics by address or token, and a slowloris load."""
import os
import re
import socket
import subprocess
import tempfile
import time

import pytest

import flow
from conftest import (BIN, DEMO, Client, Server, db_bytes, db_connect, db_url, demo_people,
                      free_port, run_cli, write_config)


def serve_with(d, extra, dev=True):
    """A server on d after rewriting its config with `extra` appended."""
    write_config(d, extra)
    return Server(d, dev=dev)


class HeaderClient(Client):
    """A client that sends the same extra headers with every request."""

    def __init__(self, base, headers):
        super().__init__(base)
        self.extra = headers

    def request(self, method, path, data=None, headers=None):
        h = dict(self.extra)
        h.update(headers or {})
        return super().request(method, path, data=data, headers=h)


def newest_audit_ip(d):
    con = db_connect(d)
    try:
        return con.execute('SELECT client_ip, action FROM audit_log ORDER BY id DESC '
                           'LIMIT 1').fetchone()
    finally:
        con.close()


@pytest.fixture(scope='module')
def env():
    d = tempfile.mkdtemp(prefix='eimza-harden-')
    write_config(d)
    p = run_cli(d, 'init', '--demo')
    m = re.search(r'T\.C\. Kimlik No\D*(\d{11})', p.stdout)
    DEMO['tckn'] = m.group(1)
    PEOPLE.extend(demo_people(d, 'ZONGULDAK-MEM', exclude=m.group(1)))
    yield d
    write_config(d)


PEOPLE = []


def confirm_form(c):
    """A new demo person logs in and confirms the form (audited)."""
    r = flow.login(c, PEOPLE.pop())
    assert r.status == 303, r.text
    r = flow.submit_form(c)
    assert r.status == 303, r.text


def test_forwarded_for_from_untrusted_peer_is_ignored(env):
    s = serve_with(env, '[server]\ntrusted_proxies = 10.0.0.0/8\n')
    try:
        c = HeaderClient(s.base, {'X-Forwarded-For': '203.0.113.9'})
        confirm_form(c)
        ip, action = newest_audit_ip(env)
        assert action == 'form_confirmed', action
        assert ip == '127.0.0.1'
    finally:
        s.stop()


def test_forwarded_for_from_trusted_proxy_is_the_client(env):
    s = serve_with(env, '[server]\ntrusted_proxies = 127.0.0.1, 10.0.0.0/8\n')
    try:
        # Rightmost untrusted hop: the client's own claim (198.51.100.1)
        # is left of what the proxy saw, 203.0.113.9.
        c = HeaderClient(s.base, {'X-Forwarded-For': '198.51.100.1, 203.0.113.9, 10.1.2.3'})
        confirm_form(c)
        ip, action = newest_audit_ip(env)
        assert action == 'form_confirmed', action
        assert ip == '203.0.113.9'
        assert '203.0.113.9' in s.read_log()
    finally:
        s.stop()


def test_forwarded_header_when_configured(env):
    s = serve_with(env, '[server]\ntrusted_proxies = 127.0.0.1\nproxy_header = forwarded\n')
    try:
        c = HeaderClient(s.base, {'Forwarded': 'for="[2001:db8::17]:4711";proto=https',
                                  'X-Forwarded-For': '198.51.100.1'})
        confirm_form(c)
        ip, _ = newest_audit_ip(env)
        assert ip == '2001:db8::17'
    finally:
        s.stop()


def test_https_public_url_secure_host_cookie_and_hsts(env):
    s = serve_with(env, '[server]\nbase_url = https://eimza.example.org\n')
    try:
        r = Client(s.base).get('/basvuru')
        cookie = r.headers.get('Set-Cookie')
        assert cookie.startswith('__Host-sid='), cookie
        assert '; Secure' in cookie and 'Path=/' in cookie and 'Domain' not in cookie
        assert r.headers.get('Strict-Transport-Security', '').startswith('max-age=')
        # The __Host- cookie is the one read back.
        sid = cookie.split(';')[0]
        c = Client(s.base)
        token = re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)
        r2 = c.get('/basvuru', headers={'Cookie': sid})
        assert 'Set-Cookie' not in r2.headers, r2.headers
        assert token in r2.text
    finally:
        s.stop()


def test_http_public_url_keeps_plain_cookie(env):
    s = serve_with(env, '')
    try:
        r = Client(s.base).get('/basvuru')
        cookie = r.headers.get('Set-Cookie')
        assert cookie.startswith('sid=') and 'Secure' not in cookie, cookie
        assert 'Strict-Transport-Security' not in r.headers
    finally:
        s.stop()


def test_port_taken_refused(env):
    write_config(env)
    s = Server(env)
    try:
        p = subprocess.run([BIN, '--db', db_url(env), '--config',
                            os.path.join(env, 'eimza.conf'), 'serve', '--dev', '--listen',
                            '127.0.0.1:%d' % s.port], capture_output=True, text=True,
                           timeout=60)
        assert p.returncode == 1, p.stdout + p.stderr
        assert 'zaten kullanımda' in p.stdout + p.stderr
        assert Client(s.base).get('/healthz').status == 200
    finally:
        s.stop()


def test_dev_refused_on_non_dev_database():
    d = tempfile.mkdtemp(prefix='eimza-nodev-')
    write_config(d)
    run_cli(d, 'init')
    p = subprocess.run([BIN, '--db', db_url(d), '--config',
                        os.path.join(d, 'eimza.conf'), 'serve', '--dev', '--listen',
                        '127.0.0.1:%d' % free_port()], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "'eimza init --demo' ile kurulmuş" in p.stderr
    s = Server(d, dev=False)  # the same database serves without --dev
    try:
        assert Client(s.base).get('/healthz').status == 200
    finally:
        s.stop()


def test_metrics_by_address_or_token(env):
    tok = os.path.join(env, 'metrics.token')
    with open(tok, 'w') as f:
        f.write('m3trics-t0ken-for-tests-only\n')
    s = serve_with(env, '[server]\ntrusted_proxies = 127.0.0.1\nmetrics_token_file = %s\n'
                   % tok)
    try:
        assert Client(s.base).get('/metrics').status == 200  # loopback
        far = {'X-Forwarded-For': '203.0.113.9'}
        r = Client(s.base).get('/metrics', headers=far)
        assert r.status == 404 and 'eimza_http' not in r.text
        bad = dict(far, Authorization='Bearer wrong-token-wrong-token')
        assert Client(s.base).get('/metrics', headers=bad).status == 404
        good = dict(far, Authorization='Bearer m3trics-t0ken-for-tests-only')
        r = Client(s.base).get('/metrics', headers=good)
        assert r.status == 200 and 'eimza_http_requests_total' in r.text
    finally:
        s.stop()


def test_metrics_allow_list(env):
    s = serve_with(env, '[server]\nmetrics_allow = 192.0.2.0/24\n')
    try:
        assert Client(s.base).get('/metrics').status == 404
        assert Client(s.base).get('/healthz').status == 200
    finally:
        s.stop()


def get_from(src, port, path, timeout):
    """GET path from source address src; the status line."""
    with socket.create_connection(('127.0.0.1', port), timeout=timeout,
                                  source_address=(src, 0)) as c:
        c.sendall(b'GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' % path.encode())
        data = b''
        while b'\r\n' not in data:
            chunk = c.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.split(b'\r\n')[0]


def test_slowloris_leaves_normal_requests_answered(env):
    s = serve_with(env, '[server]\nrequest_timeout = 3\nper_ip_connection_limit = 40\n'
                   'connection_limit = 1000\nconnection_timeout = 30\n')
    slow = []
    try:
        # 300 connections from 127.0.0.1 that send a request head one byte
        # at a time: at most 40 are kept (per-address limit), and those are
        # cut at the request deadline although each keeps sending.
        for _ in range(300):
            try:
                c = socket.create_connection(('127.0.0.1', s.port), timeout=5)
                c.sendall(b'GET /healthz HTTP/1.1\r\nHost: x\r\n')
                c.setblocking(False)
                slow.append(c)
            except OSError:
                pass
        assert slow
        # A normal client from another address is answered meanwhile.
        assert get_from('127.0.0.2', s.port, '/healthz', 10) == b'HTTP/1.1 200 OK'
        closed = set()
        deadline = time.time() + 30
        while time.time() < deadline and len(closed) < len(slow):
            for i, c in enumerate(slow):
                if i in closed:
                    continue
                try:
                    c.send(b'X')
                    if c.recv(1024) == b'':
                        closed.add(i)
                except BlockingIOError:
                    pass
                except OSError:
                    closed.add(i)
            time.sleep(0.3)
        # Every trickling connection was closed by the server, well before
        # the 30-second idle timeout could have fired (bytes kept coming).
        assert len(closed) == len(slow), (len(closed), len(slow))
        assert 'request deadline' in s.read_log()
        # The same address gets a normal answer once the slow ones are gone.
        assert get_from('127.0.0.1', s.port, '/healthz', 10) == b'HTTP/1.1 200 OK'
    finally:
        for c in slow:
            c.close()
        s.stop()


def held_connections(port, n):
    """n connections that have sent part of a request head."""
    held = []
    for _ in range(n):
        c = socket.create_connection(('127.0.0.1', port), timeout=5)
        c.sendall(b'GET /healthz HTTP/1.1\r\nHost: x\r\n')
        held.append(c)
    return held


def still_open(c):
    c.settimeout(0.3)
    try:
        return c.recv(1) != b''
    except socket.timeout:
        return True
    except OSError:
        return False


def test_per_address_limit_spares_trusted_proxy(env):
    # From an ordinary address, the sixth connection is refused ...
    s = serve_with(env, '[server]\nper_ip_connection_limit = 5\n')
    held = []
    try:
        time.sleep(0.5)  # the start-up probe's connection is gone
        held = held_connections(s.port, 8)
        time.sleep(0.5)
        kept = sum(still_open(c) for c in held)
        assert 3 <= kept <= 5, kept
    finally:
        for c in held:
            c.close()
        s.stop()
    # ... from a trusted proxy (many clients behind it) it is not.
    s = serve_with(env, '[server]\nper_ip_connection_limit = 5\ntrusted_proxies = 127.0.0.1\n')
    held = []
    try:
        held = held_connections(s.port, 12)
        time.sleep(0.5)
        assert all(still_open(c) for c in held)
        for c in held:
            c.settimeout(10)
            c.sendall(b'Connection: close\r\n\r\n')
            assert c.recv(64).startswith(b'HTTP/1.1 200')
    finally:
        for c in held:
            c.close()
        s.stop()


# ---- secrets at rest ----

PASSWORD = 'Parola-uzun-2026'


def totp_code(secret_b32, step):
    import base64
    import hashlib
    import hmac
    import struct
    key = base64.b32decode(secret_b32 + '=' * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack('>Q', step), hashlib.sha1).digest()
    off = mac[19] & 15
    return '%06d' % ((struct.unpack('>I', mac[off:off + 4])[0] & 0x7fffffff) % 1000000)


def staff_login(base, user, secret=None, step=None):
    """Password, then the TOTP step; enrols when the page shows a key.
    Returns the secret used."""
    c = Client(base)
    token = c.csrf('/konsol/giris')
    r = c.post('/konsol/giris', {'csrf': token, 'kullanici_adi': user, 'parola': PASSWORD})
    assert r.status == 303 and r.headers['Location'] == '/konsol/dogrulama', r.text[:500]
    page = c.get('/konsol/dogrulama')
    m = re.search(r'id="totp-anahtar">([A-Z2-7]+)<', page.text)
    secret = m.group(1) if m else secret
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    code = totp_code(secret, step if step is not None else int(time.time()) // 30)
    r = c.post('/konsol/dogrulama', {'csrf': token, 'dogrulama_kodu': code})
    assert r.status == 303 and r.headers['Location'] == '/konsol', r.text[:500]
    return secret


def test_totp_secret_sealed_at_rest(env):
    write_config(env)
    run_cli(env, 'user', 'add', 'h.admin', '--role', 'admin', stdin=PASSWORD + '\n')
    s = Server(env)
    try:
        secret = staff_login(s.base, 'h.admin')
    finally:
        s.stop()
    assert secret.encode() not in db_bytes(env)
    con = db_connect(env)
    try:
        stored = con.execute("SELECT totp_secret FROM staff_users WHERE username = "
                             "'h.admin'").fetchone()[0]
        assert stored.startswith('s1:') and secret not in stored
        # A secret stored in clear by an older version is sealed at the next
        # start and still signs in.
        run_cli(env, 'user', 'add', 'h.eski', '--role', 'admin', stdin=PASSWORD + '\n')
        legacy = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
        con.execute("UPDATE staff_users SET totp_secret = ? WHERE username = 'h.eski'",
                    (legacy,))
        con.commit()
    finally:
        con.close()
    s = Server(env)
    try:
        con = db_connect(env)
        stored = con.execute("SELECT totp_secret FROM staff_users WHERE username = "
                             "'h.eski'").fetchone()[0]
        con.close()
        assert stored.startswith('s1:'), stored
        # The next step: the enrolment login above may have used this one.
        staff_login(s.base, 'h.eski', secret=legacy, step=int(time.time()) // 30 + 1)
    finally:
        s.stop()
    assert legacy.encode() not in db_bytes(env)


def test_captcha_answer_not_kept_in_clear(env):
    write_config(env)
    s = Server(env)
    try:
        c = Client(s.base)
        c.get('/basvuru')
        assert c.get('/captcha.png').status == 200
        answer = c.get('/dev/captcha').text.strip()
        assert len(answer) >= 4
        con = db_connect(env)
        try:
            rows = con.execute("SELECT value FROM session_values WHERE key = 'captcha'"
                               ).fetchall()
        finally:
            con.close()
        assert rows and all(re.fullmatch(r'[0-9a-f]{64}', v) for (v,) in rows), rows
        assert all(answer not in v.upper() for (v,) in rows)
        # A new image's answer still opens the login (checked against its hash).
        r = flow.login(c, PEOPLE.pop())
        assert r.status == 303, r.text[:500]
    finally:
        s.stop()


def test_outbox_code_masked_after_real_delivery(env):
    """serve --dev without its own worker queues an SMS code; `eimza worker`
    (not dev) delivers it to a local SMS gateway; the row then holds no
    code, and neither does the database file."""
    import json
    import shutil
    import signal as sig
    sink_dir = tempfile.mkdtemp(prefix='eimza-smssink-')
    port = free_port()
    write_config(env, '[server]\nworker = 0\n[sms]\nurl = http://127.0.0.1:%d/send?to=%%P'
                      '&text=%%a&id=%%I\n' % port)
    s = Server(env)
    try:
        c = Client(s.base)
        assert flow.login(c, PEOPLE.pop()).status == 303
        assert flow.submit_form(c).status == 303
        assert flow.send_sms(c).status == 303
        code = flow.last_sms_code(c)  # /dev/outbox: still pending, code in clear
    finally:
        s.stop()
    sink = subprocess.Popen(['/usr/bin/python3', os.path.join(os.path.dirname(__file__),
                                                               'sms_sink.py'),
                             str(port), sink_dir])
    worker = None
    try:
        deadline = time.time() + 10
        while not os.path.exists(os.path.join(sink_dir, 'ready')) and time.time() < deadline:
            time.sleep(0.05)
        log = open(os.path.join(env, 'worker.log'), 'w')
        worker = subprocess.Popen([BIN, '--db', db_url(env), '--config',
                                   os.path.join(env, 'eimza.conf'), 'worker'], cwd=env,
                                  stdout=log, stderr=log)
        got = None
        deadline = time.time() + 30
        while time.time() < deadline and got is None:
            for name in sorted(os.listdir(sink_dir)):
                if name.endswith('.json'):
                    with open(os.path.join(sink_dir, name), encoding='utf-8') as f:
                        rec = json.load(f)
                    if code in rec['query'].get('text', ''):
                        got = rec
            time.sleep(0.1)
        assert got is not None, 'the gateway never got the code'
        assert re.fullmatch(r'[0-9a-f]{24}', got['query']['id']), got
        # The worker records the delivery, then masks the code.
        deadline = time.time() + 10
        row = None
        while time.time() < deadline:
            row = q_one(env, "SELECT status, body, secret FROM outbox WHERE channel = 'sms' "
                             'ORDER BY id DESC LIMIT 1')
            if row[0] == 'sent' and row[2] is None:
                break
            time.sleep(0.1)
        status, body, secret = row
        assert status == 'sent' and secret is None, row
        assert code not in body and '******' in body, body
    finally:
        if worker is not None:
            worker.send_signal(sig.SIGTERM)
            worker.wait(timeout=30)
        sink.send_signal(sig.SIGTERM)
        sink.wait(timeout=30)
        shutil.rmtree(sink_dir, ignore_errors=True)
        write_config(env)
    # Every connection is closed (the WAL is checkpointed into the file):
    # the old text is not left in free space either (secure_delete).
    assert ('kodunuz: %s' % code).encode() not in db_bytes(env)


def q_one(d, sql):
    con = db_connect(d)
    try:
        return con.execute(sql).fetchone()
    finally:
        con.close()
