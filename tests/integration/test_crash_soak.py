"""Crash safety (issue 12): concurrent applicants, and a holder holding and
releasing, while the server is killed
with SIGKILL several times and started again. Afterwards every application
whose confirmation a client received exists exactly once, in its confirmed
state; no identity has two applications; certificate serials are unique;
the audit chain verifies; every message queued with an application is
delivered after the restarts. Bounded: three kills, four client threads,
36 demo people at most."""
import os
import queue
import random
import re
import signal
import ssl
import subprocess
import tempfile
import threading
import time

import flow
from conftest import Client, Server, db_connect, demo_people, run_cli, write_config

THREADS = 4
KILLS = 3


def q(d, sql, *args):
    con = db_connect(d)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def applicant(base, people, confirmed, texted, stop):
    """Takes people off the queue and walks each to a confirmed form and an
    SMS code sent; a person whose confirmation (303) arrived is recorded in
    confirmed, one whose SMS request was answered in texted. Errors (the
    server was killed) end the person's attempt."""
    while not stop.is_set():
        try:
            who = people.get_nowait()
        except queue.Empty:
            return
        c = Client(base)
        try:
            r = flow.login(c, who)
            if r.status != 303:
                continue
            r = flow.submit_form(c)
            if r.status != 303:
                continue
            confirmed.append(who['tckn'])
            if flow.send_sms(c).status == 303:
                texted.append(who['tckn'])
        except Exception:  # the server was killed: this thread's round is over
            return


def test_sigkill_mid_load_keeps_data_consistent():
    d = tempfile.mkdtemp(prefix='eimza-soak-')
    write_config(d)
    run_cli(d, 'init', '--demo')
    # init --demo already holds applications of its own (the demo holder).
    apps_before = q(d, 'SELECT COUNT(*) FROM applications')[0][0]
    everyone = demo_people(d, 'ZONGULDAK-MEM') + demo_people(d, 'BARTIN-MEM')
    assert len(everyone) >= 20
    people = queue.Queue()
    for p in everyone:
        people.put(p)
    confirmed, texted = [], []
    killed_mid_load = 0
    rng = random.Random()
    for _ in range(KILLS):
        s = Server(d)
        stop = threading.Event()
        threads = [threading.Thread(target=applicant, args=(s.base, people, confirmed, texted,
                                                          stop))
                   for _ in range(THREADS)]
        for t in threads:
            t.start()
        # Kill once this round has confirmed a couple of applications (so
        # that requests are in flight), after a random extra moment.
        before, until = len(confirmed), time.time() + 20
        while len(confirmed) < before + 2 and time.time() < until:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.3))
        if not people.empty():
            killed_mid_load += 1
        os.kill(s.proc.pid, signal.SIGKILL)
        s.proc.wait(timeout=30)
        stop.set()
        for t in threads:
            t.join(timeout=60)
            assert not t.is_alive()
        s.stop()
    # Last start: the rest of the people, then the queue drains.
    s = Server(d)
    try:
        stop = threading.Event()
        threads = [threading.Thread(target=applicant, args=(s.base, people, confirmed, texted,
                                                          stop))
                   for _ in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
            assert not t.is_alive()
        deadline = time.time() + 60
        while time.time() < deadline:
            left = q(d, "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')")
            if left[0][0] == 0:
                break
            time.sleep(0.2)
        assert left[0][0] == 0, q(d, 'SELECT id, status, last_error FROM outbox WHERE '
                                      "status != 'sent'")
    finally:
        s.stop()

    print('kills mid-load: %d, confirmed %d, texted %d' % (killed_mid_load, len(confirmed),
                                                           len(texted)))
    assert killed_mid_load >= 2
    assert confirmed, 'no application got through'
    assert len(set(confirmed)) == len(confirmed)
    for tckn in confirmed:
        rows = q(d, 'SELECT number, state FROM applications WHERE tckn = ?', tckn)
        assert len(rows) == 1, (tckn, rows)
        number, state = rows[0]
        assert state == 'FORM_CONFIRMED', (tckn, state)
        # The SMS code queued with it was delivered (dev sink) at least once.
        if tckn in texted:
            sent = q(d, "SELECT COUNT(*) FROM outbox WHERE ref = ? AND channel = 'sms' "
                        "AND status = 'sent'", number)
            assert sent[0][0] >= 1, number
    assert texted, 'no SMS code was requested'
    # Every message queued at all, also by a request whose answer was lost,
    # was delivered after the restarts.
    assert q(d, "SELECT COUNT(*) FROM outbox WHERE status != 'sent'") == [(0,)]
    # Nobody has two applications, whether or not the client heard back.
    assert q(d, 'SELECT tckn, COUNT(*) FROM applications GROUP BY tckn '
                'HAVING COUNT(*) > 1') == []
    assert q(d, 'SELECT serial_hex, COUNT(*) FROM certificates GROUP BY serial_hex '
                'HAVING COUNT(*) > 1') == []
    # Every application row has its audit record, and the chain verifies.
    apps = q(d, 'SELECT COUNT(*) FROM applications')[0][0] - apps_before
    audited = q(d, "SELECT COUNT(*) FROM audit_log WHERE action = 'form_confirmed'")[0][0]
    assert audited == apps, (audited, apps)
    p = run_cli(d, 'audit', 'verify')
    assert re.search(r'\d+ kayıt doğrulandı', p.stdout), p.stdout


def holder(c, serial, done, stop):
    """The demo holder holds and releases their certificate in NES Bireysel
    until stopped; each answered change (303) is counted in done. An error
    (the server was killed) ends the round."""
    paths = ('/bireysel/askiya-al', '/bireysel/askidan-kaldir')
    while not stop.is_set():
        try:
            page = c.get('/bireysel/sertifikalar').text
            path = paths[1] if 'askidan-kaldir' in page else paths[0]
            r = c.post(path, {'csrf': c.csrf('/bireysel/sertifikalar'), 'seri': serial})
        except Exception:  # the server was killed
            return
        if r.status == 303:
            done.append(path)


def test_sigkill_mid_hold_release_keeps_status_consistent():
    """A holder holding and releasing while the server is killed: after the
    restarts OCSP answers what the database holds, every answered change has
    its audit record and the chain verifies."""
    d = tempfile.mkdtemp(prefix='eimza-soak-holder-')
    write_config(d)
    run_cli(d, 'init', '--demo')
    serial, tckn, mobile, der = q(
        d, "SELECT c.serial_hex, c.tckn, a.cep_tel, c.der FROM certificates c JOIN "
           "applications a ON a.id = c.application_id WHERE a.state = 'DELIVERED'")[0]
    cert = os.path.join(d, 'holder.pem')
    with open(cert, 'w') as f:
        f.write(ssl.DER_cert_to_PEM_cert(bytes(der)))
    s = Server(d)
    c = Client(s.base)
    token = c.csrf('/bireysel')
    assert c.get('/captcha.png').status == 200
    r = c.post('/bireysel', {'csrf': token, 'captcha': c.get('/dev/captcha').text.strip(),
                             'tckn': tckn, 'guvenlik_sozcugu': 'OrnekSahip2026'})
    assert r.status == 303 and r.headers['Location'] == '/bireysel/sms', r.text[:500]
    number = '+90' + re.sub(r'\D', '', mobile)[-10:]
    r = c.post('/bireysel/sms', {'csrf': c.csrf('/bireysel/sms'),
                                 'sms_kodu': flow.last_sms_code(c, number)})
    assert r.status == 303, r.text[:500]
    done, rng = [], random.Random()
    for _ in range(KILLS):
        stop = threading.Event()
        t = threading.Thread(target=holder, args=(c, serial, done, stop))
        t.start()
        before, until = len(done), time.time() + 20
        while len(done) < before + 2 and time.time() < until:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.2))
        os.kill(s.proc.pid, signal.SIGKILL)
        s.proc.wait(timeout=30)
        stop.set()
        t.join(timeout=60)
        assert not t.is_alive()
        s.stop()
        s = Server(d)
        c.base = s.base  # the session lives in the database
    try:
        assert c.get('/bireysel/sertifikalar').status == 200  # still signed in
        status = q(d, 'SELECT status FROM certificates WHERE serial_hex = ?', serial)[0][0]
        p = subprocess.run(['openssl', 'ocsp', '-issuer', os.path.join(d, 'ca', 'issuing.pem'),
                            '-cert', cert, '-url', s.base + '/ocsp', '-CAfile',
                            os.path.join(d, 'ca', 'root.pem'), '-resp_text'],
                           capture_output=True, text=True, timeout=30)
        assert 'Response verify OK' in p.stdout + p.stderr, p.stdout + p.stderr
        if status == 'good':
            assert re.search(r': good\b', p.stdout), p.stdout
        else:
            assert status == 'hold' and re.search(r': revoked\b', p.stdout), (status, p.stdout)
            assert 'certificateHold' in p.stdout, p.stdout
    finally:
        s.stop()
    assert len(done) >= KILLS * 2, done
    audited = q(d, "SELECT COUNT(*) FROM audit_log WHERE object = ? AND action IN "
                   "('hold', 'release')", 'certificate:' + serial)[0][0]
    assert audited >= len(done), (audited, len(done))
    p = run_cli(d, 'audit', 'verify')
    assert re.search(r'\d+ kayıt doğrulandı', p.stdout), p.stdout
