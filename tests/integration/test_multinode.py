"""Issue 13: several `eimza serve` nodes on one database.

Two (or three) serve processes share the installation's database: on
PostgreSQL (EIMZA_TEST_DB=pg) as a national deployment runs them, on SQLite
as two processes on one file. A session made on one node is valid on the
other (sessions live in the database, and with them the CAPTCHA answer one
node showed), failed logins on both add up to one
lockout, each outbox message is claimed by
one node's worker only and delivered once (FOR UPDATE SKIP LOCKED on
PostgreSQL, the write lock on SQLite), each expiry reminder is queued once
though both nodes run the job; a revocation made elsewhere shows in
a node's OCSP answer at once (its cached answers are tied to the issuing
CRL number in the database, read on each request)."""
import glob
import os
import re
import shutil
import tempfile
import threading
import time

from conftest import Client, Server, db_connect, demo_people, run_cli, write_config
from flow import identity, login
from test_bireysel import issue, ocsp

MESSAGES = 120


def test_session_made_on_one_node_is_valid_on_the_other(demo_dir):
    a, b = Server(demo_dir), Server(demo_dir)
    try:
        c = Client(a.base)
        assert c.get('/basvuru/form').status == 303  # not signed in yet
        r = login(c)
        assert r.status == 303, r.text[:500]
        assert c.get('/basvuru/form').status == 200
        c.base = b.base
        r = c.get('/basvuru/form')
        assert r.status == 200 and 'name="csrf"' in r.text, r.status
        # A stranger on node b has no session there.
        assert Client(b.base).get('/basvuru/form').status == 303
        # The CAPTCHA shown by node a is answered on node b.
        c2 = Client(a.base)
        token = c2.csrf('/basvuru')
        assert c2.get('/captcha.png').status == 200
        answer = c2.get('/dev/captcha').text.strip()
        c2.base = b.base
        r = c2.post('/basvuru', dict(identity(), csrf=token, captcha=answer))
        assert r.status == 303, r.text[:500]
    finally:
        a.stop()
        b.stop()


def test_lockout_counts_across_nodes():
    """Failed logins on alternating nodes add up to one lockout, seen by
    both: the counters live in the database."""
    d = tempfile.mkdtemp(prefix='eimza-multinode-lock-')
    # Only the per-person limit (5) is under test here.
    write_config(d, '[login]\nmax_failures_ip = 1000\n')
    run_cli(d, 'init', '--demo')  # --dev needs a demo database
    a, b = Server(d), Server(d)
    try:
        # A valid-checksum number that is not in the registry.
        who = identity(tckn='10000000078', ad='Kimse')
        for i in range(5):
            r = login(Client((a, b)[i % 2].base), who)
            assert r.status == 400, r.status
        for node in (a, b):
            r = login(Client(node.base), who)
            assert r.status == 429 and 'Çok fazla hatalı deneme' in r.text
    finally:
        a.stop()
        b.stop()
    shutil.rmtree(d, ignore_errors=True)


def delivered_ids(workdir):
    """Message ids the dev sinks of every server in workdir delivered, with
    repetitions."""
    ids = []
    for path in glob.glob(os.path.join(workdir, 'server-*.log')):
        with open(path, encoding='utf-8') as f:
            ids += [int(n) for n in re.findall(r'dev sink: \w+ message (\d+) to ', f.read())]
    return ids


def test_each_outbox_message_is_sent_once_by_two_workers():
    d = tempfile.mkdtemp(prefix='eimza-multinode-')
    write_config(d)
    run_cli(d, 'init', '--demo')  # --dev needs a demo database
    a, b = Server(d), Server(d)
    try:
        con = db_connect(d)
        now = int(time.time())
        for i in range(MESSAGES):
            con.execute("INSERT INTO outbox (channel, recipient, subject, body, "
                        "next_attempt_at, created_at) VALUES ('email', ?, 'Konu', 'İleti', "
                        "?, ?)", ('kisi%d@example.org' % i, now, now))
        con.commit()
        ids = [r[0] for r in con.execute('SELECT id FROM outbox').fetchall()]
        assert len(ids) == MESSAGES
        deadline = time.time() + 60
        while time.time() < deadline:
            left = con.execute("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'").fetchone()[0]
            con.commit()
            if left == 0:
                break
            time.sleep(0.2)
        assert left == 0
        con.close()
    finally:
        a.stop()
        b.stop()
    got = delivered_ids(d)
    assert len(glob.glob(os.path.join(d, 'server-*.log'))) == 2
    assert sorted(got) == sorted(ids)  # every message, none twice
    shutil.rmtree(d, ignore_errors=True)


def test_revocation_elsewhere_shows_in_the_other_nodes_ocsp_at_once():
    d = tempfile.mkdtemp(prefix='eimza-multinode-ocsp-')
    write_config(d)
    run_cli(d, 'init', '--demo')
    a, b = Server(d), Server(d)
    try:
        person = demo_people(d, 'ZONGULDAK-MEM')[0]
        cert, serial = issue({'dir': d}, person, 'node')
        for node in (a, b):
            assert ocsp({'dir': d, 'server': node}, cert)[0] == 'good'
        # Asked again: node b now answers from its memory.
        assert ocsp({'dir': d, 'server': b}, cert)[0] == 'good'
        run_cli(d, 'ca', 'revoke', serial, 'keyCompromise')
        for node in (b, a):
            status, text = ocsp({'dir': d, 'server': node}, cert)
            assert status == 'revoked', text
            assert 'Reason: keyCompromise' in text, text
    finally:
        a.stop()
        b.stop()
    shutil.rmtree(d, ignore_errors=True)


def test_expiry_reminders_go_out_once_from_two_nodes():
    """Both nodes run the reminder job when they start; each reminder is
    queued once (its reminders_sent row is the claim) and neither node
    fails on the other's claim."""
    d = tempfile.mkdtemp(prefix='eimza-multinode-remind-')
    write_config(d)
    run_cli(d, 'init')
    con = db_connect(d)
    now = int(time.time())
    serials = []
    for i in range(100):  # the job's batch: one run can take them all
        tckn = '2%010d' % i
        con.execute(
            "INSERT INTO applications (number, tckn, ad, soyad, dogum_yeri, dogum_tarihi, "
            "sicil_no, kurum_kodu, kurum_adi, yetki_birimi, reason, years, "
            "security_word_hash, birim, unvan, adres, posta_kodu, il, ilce, eposta, is_tel, "
            "cep_tel, operator, bilgi_kanali, state, created_at, updated_at) VALUES "
            "(?, ?, 'Ad', 'Soyad', 'Zonguldak', '1980-01-01', '1', 'K1', 'Kurum', "
            "'ZONGULDAK-MEM', 'ILK', 3, 'h', 'B', 'U', 'Adres', '67100', 67, 'Merkez', ?, "
            "'3722511020', '5321234567', 'TURKCELL', 'IKISI', 'DELIVERED', ?, ?)",
            ('R%04d' % i, tckn, 'kisi%d@example.org' % i, now, now))
        serial = 'AB%04X' % i
        con.execute("INSERT INTO certificates (serial_hex, tckn, subject, not_before, "
                    "not_after, der, created_at) VALUES (?, ?, 'CN=x', ?, ?, ?, ?)",
                    (serial, tckn, now - 86400, now + 20 * 86400, b'\x00', now))
        serials.append(serial)
    con.commit()
    # Started together, so that the two jobs overlap.
    started = []
    threads = [threading.Thread(target=lambda: started.append(Server(d, dev=False))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(started) == 2
    a, b = started
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            n = con.execute('SELECT COUNT(*) FROM reminders_sent').fetchone()[0]
            con.commit()
            if n >= len(serials):
                break
            time.sleep(0.2)
        logs = a.read_log() + b.read_log()
    finally:
        a.stop()
        b.stop()
    rows = con.execute('SELECT serial_hex, kind FROM reminders_sent').fetchall()
    assert sorted(rows) == sorted((s, 'd25') for s in serials)
    queued = con.execute('SELECT ref, channel FROM outbox WHERE ref IS NOT NULL').fetchall()
    con.close()
    assert sorted(queued) == sorted((s, ch) for s in serials for ch in ('email', 'sms'))
    assert 'reminders:' not in ''.join(l for l in logs.splitlines(True) if ' error ' in l)
    shutil.rmtree(d, ignore_errors=True)
