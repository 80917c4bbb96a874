"""HTTP core over the real binary: pages, headers, CSRF, limits, bad input."""
import os
import re
import subprocess

from conftest import BIN, Client, Server, db_connect, db_url, raw_request, run_cli, write_config

SECURITY_HEADERS = {
    'Content-Security-Policy': "script-src 'self'",
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': '',
}


def assert_security_headers(r):
    for name, fragment in SECURITY_HEADERS.items():
        value = r.headers.get(name)
        assert value is not None, 'missing %s' % name
        assert fragment in value, '%s: %r' % (name, value)
    assert "'unsafe-inline'" not in r.headers['Content-Security-Policy']


def test_healthz(client):
    r = client.get('/healthz')
    assert r.status == 200
    assert r.text.strip() == 'ok'


def test_login_page_turkish_and_labelled(client):
    r = client.get('/basvuru')
    assert r.status == 200
    assert 'text/html' in r.headers['Content-Type']
    assert '<html lang="tr"' in r.text
    for label, field in [('Resimdeki Yazıyı Giriniz', 'captcha'), ('T.C. Kimlik No', 'tckn'),
                         ('Ad', 'ad'), ('Soyad', 'soyad'), ('Doğum Yeri', 'dogum_yeri'),
                         ('Doğum Tarihi', 'dogum_tarihi'), ('Kurum Sicil No', 'sicil_no')]:
        m = re.search(r'<label for="([^"]+)">%s\b' % re.escape(label), r.text)
        assert m, 'no label %r' % label
        assert re.search(r'<input id="%s" name="%s"' % (m.group(1), field), r.text), field
    assert 'Adım 1 / 5' in r.text
    assert '444 5 576' in r.text
    assert_security_headers(r)


def test_session_cookie_flags(client):
    r = client.get('/basvuru')
    cookies = r.headers.get_all('Set-Cookie') or []
    sid = [c for c in cookies if c.startswith('sid=')]
    assert sid, cookies
    value = sid[0].split(';')[0][4:]
    assert len(value) >= 43  # 256 bits in base64url
    flags = sid[0].lower()
    assert 'httponly' in flags and 'samesite=strict' in flags and 'path=/' in flags


def test_security_headers_on_errors_and_static(client):
    assert_security_headers(client.get('/yok-boyle-bir-sayfa'))
    r = client.get('/static/app.css')
    assert r.status == 200
    assert 'text/css' in r.headers['Content-Type']
    assert r.headers.get('ETag')
    assert_security_headers(r)
    again = client.get('/static/app.css', headers={'If-None-Match': r.headers['ETag']})
    assert again.status == 304


def test_not_found_is_turkish(client):
    r = client.get('/yok-boyle-bir-sayfa')
    assert r.status == 404
    assert 'Sayfa bulunamadı' in r.text


def test_static_traversal_refused(server):
    raw = raw_request(server.port, b'GET /static/../../etc/passwd HTTP/1.1\r\n'
                                   b'Host: x\r\nConnection: close\r\n\r\n')
    assert b'root:' not in raw
    assert raw.split(b' ')[1] in (b'400', b'404')


def test_post_without_csrf_is_403(client):
    client.get('/basvuru')
    r = client.post('/basvuru', {'tckn': '10000000146', 'ad': 'a'})
    assert r.status == 403
    assert 'Güvenlik doğrulaması başarısız (CSRF).' in r.text


def test_post_with_wrong_csrf_is_403(client):
    client.get('/basvuru')
    r = client.post('/basvuru', {'csrf': 'x' * 43, 'tckn': '10000000146'})
    assert r.status == 403


def test_oversized_body_is_413(client, server):
    # The server answers before reading the body, so send only the headers
    # and the start of a 2 MiB body, as a client that would be refused does.
    head = ('POST /basvuru HTTP/1.1\r\nHost: 127.0.0.1\r\n'
            'Content-Type: application/x-www-form-urlencoded\r\n'
            'Content-Length: %d\r\nConnection: close\r\n\r\n' % (2 * 1024 * 1024))
    raw = raw_request(server.port, head.encode() + b'ad=' + b'a' * 1000)
    assert raw.startswith(b'HTTP/1.1 413'), raw[:200]
    assert 'İstek çok büyük'.encode() in raw
    assert server.alive()
    assert client.get('/healthz').status == 200


def test_overlong_field_is_400_naming_it(client):
    token = client.csrf('/basvuru')
    r = client.post('/basvuru', {'csrf': token, 'ad': 'a' * 5000})
    assert r.status == 400
    assert '&#39;ad&#39; alanı çok uzun.' in r.text  # the field, by name


def test_invalid_utf8_is_400(client, server):
    token = client.csrf('/basvuru')
    body = ('csrf=%s&ad=%%FF%%FE&soyad=x' % token).encode()
    r = client.post('/basvuru', body,
                    headers={'Content-Type': 'application/x-www-form-urlencoded'})
    assert r.status == 400
    assert 'Geçersiz karakter kodlaması (UTF-8 değil).' in r.text
    assert server.alive()


def test_control_characters_are_400(client):
    token = client.csrf('/basvuru')
    r = client.post('/basvuru', {'csrf': token, 'ad': 'a\x01b'})
    assert r.status == 400


def test_undeclared_field_is_400(client):
    token = client.csrf('/basvuru')
    r = client.post('/basvuru', {'csrf': token, 'rol': 'admin'})
    assert r.status == 400


def test_malformed_requests_keep_server_serving(server, client):
    for junk in [b'\x00\x01\x02garbage\r\n\r\n',
                 b'GET / HTTP/9.9\r\n\r\n',
                 b'GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n',
                 b'POST /basvuru HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
                 b'GET / HTTP/1.1\r\n' + b'X: ' + b'a' * 100000 + b'\r\n\r\n']:
        raw_request(server.port, junk, timeout=2)
        assert server.alive()
    assert client.get('/healthz').status == 200


def test_metrics_prometheus(client):
    client.get('/healthz')
    r = client.get('/metrics')
    assert r.status == 200
    assert 'text/plain' in r.headers['Content-Type']
    assert re.search(r'^eimza_http_requests_total\{route="[^"]+",status="200"\} \d+', r.text,
                     re.M)
    assert 'eimza_http_request_duration_seconds_bucket' in r.text


def test_dev_routes_exist_in_dev(client):
    r = client.get('/dev/outbox.json')
    assert r.status == 200
    assert r.text.strip().startswith('[')
    assert client.get('/dev/outbox').status == 200


def test_dev_routes_absent_without_dev(demo_dir):
    s = Server(demo_dir, dev=False)
    try:
        c = Client(s.base)
        assert c.get('/dev/outbox.json').status == 404
        assert c.get('/dev/outbox').status == 404
        assert c.get('/dev/captcha').status == 404
        assert c.get('/healthz').status == 200
    finally:
        s.stop()


def test_dev_refuses_non_loopback(demo_dir):
    p = subprocess.run([BIN, '--db', db_url(demo_dir),
                        '--config', os.path.join(demo_dir, 'eimza.conf'),
                        'serve', '--dev', '--listen', '0.0.0.0:18099'],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode != 0
    assert "'0.0.0.0:18099' yerel bir adres değil" in p.stdout + p.stderr
