"""The signer's journal (<ca.dir>/journal, docs/protocol.md): CRL numbers
are the signer's, unique and increasing across concurrent revocations and a
signer restart; `eimza ca reconcile` compares the journal with the
certificates table; an edited journal stops the signer from starting.

Holders and their certificates are made as in test_bireysel.py (its
helpers are reused); revocations go through NES Bireysel (/bireysel/iptal)
of the real server."""
import os
import re
import signal
import sqlite3
import subprocess
import tempfile
import threading
import urllib.request

import pytest

from conftest import Server, demo_people, run_cli, write_config
from test_bireysel import issue, login, make_holder

COUNT = 20


@pytest.fixture(scope='module')
def env():
    d = tempfile.mkdtemp(prefix='eimza-journal-')
    write_config(d, '[login]\nmax_failures_ip = 1000\n')
    run_cli(d, 'init', '--demo')
    s = Server(d)
    yield {'dir': d, 'server': s, 'people': demo_people(d, 'ZONGULDAK-MEM'), 'next': [0]}
    s.stop()


def journal(env):
    with open(os.path.join(env['dir'], 'ca', 'journal')) as f:
        return [line.rstrip('\n').split('\t') for line in f]


def crl_numbers(env):
    return [int(rec[1]) for rec in journal(env) if rec[0] == 'crl']


def signer_pid(server_pid):
    """The serve process's child that is the signer (a fork of eimza)."""
    kids = []
    for task in os.listdir('/proc/%d/task' % server_pid):
        with open('/proc/%d/task/%s/children' % (server_pid, task)) as f:
            kids += [int(p) for p in f.read().split()]
    assert len(kids) == 1, kids
    return kids[0]


def revoke(c, serial, token, out):
    r = c.post('/bireysel/iptal', {'csrf': token, 'seri': serial, 'neden': 'ANAHTAR',
                                   'onay': '1'})
    out[serial] = r.status


def crl_text(env):
    der = urllib.request.urlopen(env['server'].base + '/crl/issuing.crl', timeout=30).read()
    p = subprocess.run(['openssl', 'crl', '-inform', 'DER', '-noout', '-text'], input=der,
                       capture_output=True, check=True)
    return p.stdout.decode()


def test_concurrent_revocations_and_a_restart_keep_crl_numbers_unique(env):
    h = make_holder(env)
    serials = [h['serial']]
    for i in range(COUNT - 1):
        serials.append(issue(env, h, 'journal-%d' % i)[1])
    c = login(env, h)
    token = c.csrf('/bireysel/sertifikalar')
    before = crl_numbers(env)
    server = env['server']
    first = signer_pid(server.proc.pid)
    out = {}
    half = [threading.Thread(target=revoke, args=(c, s, token, out)) for s in serials]
    for t in half[:COUNT // 2]:
        t.start()
    os.kill(first, signal.SIGKILL)
    for t in half[COUNT // 2:]:
        t.start()
    for t in half:
        t.join(60)
    assert out == {s: 303 for s in serials}, out
    assert signer_pid(server.proc.pid) != first
    assert 'restarting it' in server.read_log()

    numbers = crl_numbers(env)
    assert numbers == sorted(set(numbers)), numbers
    assert len(numbers) > len(before)
    logged = [int(n) for n in re.findall(r'pki: CRL (\d+) with', server.read_log())]
    assert logged == sorted(set(logged)), logged
    assert set(logged) <= set(numbers)

    text = crl_text(env)
    m = re.search(r'CRL Number:\s*\n\s*(\d+)', text)
    assert m and int(m.group(1)) == numbers[-1], text[:600]
    listed = text.replace(':', '').replace(' ', '').upper()
    missing = [s for s in serials if 'SERIALNUMBER' + s not in listed]
    assert not missing, missing
    con = sqlite3.connect(os.path.join(env['dir'], 'eimza.db'))
    stored = con.execute("SELECT number FROM crl_state WHERE ca = 'issuing'").fetchone()[0]
    con.close()
    assert stored == numbers[-1]


def test_reconcile_agrees_then_names_a_row_never_signed(env):
    p = run_cli(env['dir'], 'ca', 'reconcile')
    assert '0 discrepancies' in p.stdout, p.stdout
    con = sqlite3.connect(os.path.join(env['dir'], 'eimza.db'))
    con.execute("INSERT INTO certificates (serial_hex, tckn, application_id, subject, "
                "not_before, not_after, der, created_at) SELECT '7E57AB1E', tckn, NULL, "
                "subject, not_before, not_after, der, created_at FROM certificates LIMIT 1")
    con.commit()
    p = run_cli(env['dir'], 'ca', 'reconcile', check=False)
    assert p.returncode == 1
    assert 'recorded but never signed: 7E57AB1E' in p.stdout, p.stdout
    assert p.stdout.count('\n') == 2, p.stdout  # that line and the summary
    # A certificate the signer signed whose row is gone.
    person = env['people'][env['next'][0]]
    env['next'][0] += 1
    serial = issue(env, person, 'journal-gone')[1]
    con.execute("DELETE FROM certificates WHERE serial_hex IN (?, '7E57AB1E')", (serial,))
    con.commit()
    con.close()
    p = run_cli(env['dir'], 'ca', 'reconcile', check=False)
    assert p.returncode == 1
    assert re.search(r'signed but unknown to the database: %s .*CN=' % serial, p.stdout), \
        p.stdout
    assert 'recorded but never signed' not in p.stdout
    help_text = run_cli(env['dir'], 'ca', '--help').stderr
    assert 'reconcile' in help_text


def test_edited_journal_stops_the_signer(env):
    path = os.path.join(env['dir'], 'ca', 'journal')
    with open(path) as f:
        lines = f.readlines()
    i = next(k for k, line in enumerate(lines) if line.startswith('crl\t'))
    fields = lines[i].split('\t')
    fields[3] = str(int(fields[3]) + 1)  # the entry count
    lines[i] = '\t'.join(fields)
    with open(path, 'w') as f:
        f.writelines(lines)
    p = run_cli(env['dir'], 'ca', 'crl', check=False)
    assert p.returncode == 1
    assert 'refusing to start' in p.stderr and 'line %d' % (i + 1) in p.stderr, p.stderr
    # A server would not start either.
    env['server'].stop()
    with pytest.raises(AssertionError):
        s = Server(env['dir'])
        s.stop()
