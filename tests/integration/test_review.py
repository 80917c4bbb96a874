"""Regression tests for bugs found in the review of the HTTP core and the web
handlers: SMS code tries shared by parallel guesses, the courier CSV API
dropping rows past its limit, and long staff passwords typed in the console.

The module runs its own demo database and server (courier API token and an
administrator), so nothing here clashes with other modules."""
import base64
import hashlib
import hmac
import re
import shutil
import socket
import struct
import tempfile
import time
import urllib.parse

import pytest

import flow
from conftest import Client, Server, demo_people, run_cli, write_config

PASSWORD = 'Gozden-Parola-2026'
API_TOKEN = 'kurye-inceleme-anahtari-0123456789'


@pytest.fixture(scope='module')
def env():
    d = tempfile.mkdtemp(prefix='eimza-review-')
    write_config(d, '[courier]\napi_token = %s\n' % API_TOKEN)
    run_cli(d, 'init', '--demo')
    run_cli(d, 'user', 'add', 'r.adm', '--role', 'admin', stdin=PASSWORD + '\n')
    s = Server(d)
    yield {'dir': d, 'server': s, 'people': demo_people(d, 'ZONGULDAK-MEM')}
    s.stop()
    shutil.rmtree(d, ignore_errors=True)


def totp(secret_b32, step):
    key = base64.b32decode(secret_b32 + '=' * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack('>Q', step), hashlib.sha1).digest()
    off = mac[19] & 15
    return '%06d' % ((struct.unpack('>I', mac[off:off + 4])[0] & 0x7fffffff) % 1000000)


def admin_login(env):
    c = Client(env['server'].base)
    r = c.post('/konsol/giris', {'csrf': c.csrf('/konsol/giris'), 'kullanici_adi': 'r.adm',
                                 'parola': PASSWORD})
    assert r.status == 303 and r.headers['Location'] == '/konsol/dogrulama', r.text[:500]
    page = c.get('/konsol/dogrulama')
    secret = re.search(r'id="totp-anahtar">([A-Z2-7]+)<', page.text).group(1)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    code = totp(secret, int(time.time()) // 30)
    r = c.post('/konsol/dogrulama', {'csrf': token, 'dogrulama_kodu': code})
    assert r.status == 303 and r.headers['Location'] == '/konsol', r.text[:500]
    return c


def test_parallel_sms_guesses_share_three_tries(env):
    """Guesses sent at once must not each see 'no try used yet': at most
    three of them may be compared with the code (apply_sms.c)."""
    c = Client(env['server'].base)
    who = flow.identity(**env['people'][0])
    assert flow.apply_until(c, 'FORM_CONFIRMED', who=who,
                            cep_tel='05057778899').status == 303
    assert flow.send_sms(c).status == 303
    code = flow.last_sms_code(c, '+905057778899')
    wrong = '000000' if code != '000000' else '111111'
    token = c.csrf('/basvuru/sms')
    cookie = '; '.join('%s=%s' % (k.name, k.value) for k in c.jar)
    body = urllib.parse.urlencode({'csrf': token, 'sms_kodu': wrong}).encode()
    raw = (b'POST /basvuru/sms HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n'
           b'Cookie: ' + cookie.encode() + b'\r\n'
           b'Content-Type: application/x-www-form-urlencoded\r\n'
           b'Content-Length: ' + str(len(body)).encode() + b'\r\n\r\n' + body)
    # Connected first, then sent back to back, so the server handles the
    # guesses at the same time on its worker threads.
    socks = [socket.create_connection(('127.0.0.1', env['server'].port), timeout=30)
             for _ in range(24)]
    for s in socks:
        s.sendall(raw)
    texts = []
    for s in socks:
        chunks = []
        while True:
            part = s.recv(65536)
            if not part:
                break
            chunks.append(part)
        s.close()
        texts.append(b''.join(chunks).decode('utf-8', 'replace'))
    compared = [t for t in texts if 'Kod hatalı' in t or 'geçersiz oldu' in t]
    assert len(compared) <= 3, '%d guesses were compared with the code' % len(compared)
    r = flow.verify_sms(c, code)  # every try is used up: the right code is dead
    assert r.status == 400 and 'Geçerli bir kodunuz yok' in r.text


def test_courier_csv_over_limit_is_refused_whole(env):
    """More than 500 events: 413 and nothing recorded, not the first 500
    silently (tracking.c)."""
    rows = ['takip_no,durum'] + ['YOK-%04d,yolda' % i for i in range(501)]
    c = Client(env['server'].base)
    r = c.request('POST', '/api/v1/kurye/olay', data=('\n'.join(rows) + '\n').encode(),
                  headers={'Authorization': 'Bearer ' + API_TOKEN,
                           'Content-Type': 'text/csv'})
    assert r.status == 413, (r.status, r.text[:300])
    assert 'en fazla 500 olay' in r.text and 'takip_no' not in r.text
    ok = c.request('POST', '/api/v1/kurye/olay',
                   data=('\n'.join(rows[:501]) + '\n').encode(),
                   headers={'Authorization': 'Bearer ' + API_TOKEN,
                            'Content-Type': 'text/csv'})
    assert ok.status == 422 and ok.text.count('"takip_no"') == 500


def test_console_accepts_long_typed_password(env):
    """A typed password longer than 39 bytes used to become "" and the
    account was refused as 'too short' (console_users.c)."""
    adm = admin_login(env)
    long_pw = 'Uzun-Ve-Guclu-Parola-' + 'x9' * 15  # 51 characters
    r = adm.post('/konsol/kullanicilar', {
        'csrf': adm.csrf('/konsol/kullanicilar'), 'islem': 'ekle',
        'kullanici_adi': 'uzun.parola', 'rol': 'yetkili', 'yetki_birimi': 'ZONGULDAK-MEM',
        'parola': long_pw})
    assert r.status == 303, r.text[:800]
    c = Client(env['server'].base)
    r = c.post('/konsol/giris', {'csrf': c.csrf('/konsol/giris'),
                                 'kullanici_adi': 'uzun.parola', 'parola': long_pw})
    # The password is accepted; every role goes on to the TOTP step.
    assert r.status == 303 and r.headers['Location'] == '/konsol/dogrulama', r.text[:500]
