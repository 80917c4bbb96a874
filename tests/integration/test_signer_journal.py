"""The signer's journal (<ca.dir>/journal, docs/protocol.md): CRL numbers
are the signer's, unique and increasing across concurrent revocations and a
signer restart (the signer dies, `serve` exits 1, a new `serve` starts on
the same directory, as systemd would do); `eimza ca reconcile` compares the
journal with the certificates table; an edited journal stops the signer
from starting.

Holders and their certificates are made as in test_bireysel.py (its
helpers are reused); revocations go through NES Bireysel (/bireysel/iptal)
of the real server."""
import os
import re
import signal
import subprocess
import tempfile
import threading
import urllib.request

import pytest

from conftest import Server, db_connect, db_url, demo_people, run_cli, write_config
from test_bireysel import issue, login, make_holder

COUNT = 20


@pytest.fixture(scope='module')
def env():
    d = tempfile.mkdtemp(prefix='eimza-journal-')
    write_config(d, '[login]\nmax_failures_ip = 1000\n')
    run_cli(d, 'init', '--demo')
    env = {'dir': d, 'server': Server(d), 'people': demo_people(d, 'ZONGULDAK-MEM'),
           'next': [0], 'logs': []}
    yield env
    env['server'].stop()


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
    try:
        r = c.post('/bireysel/iptal', {'csrf': token, 'seri': serial, 'neden': 'ANAHTAR',
                                       'onay': '1'})
        out[serial] = r.status
    except OSError as e:  # the server stopped under the request
        out[serial] = repr(e)


def revoked_in_db(env):
    con = db_connect(env['dir'])
    try:
        return {r[0] for r in con.execute(
            "SELECT serial_hex FROM certificates WHERE status = 'revoked'")}
    finally:
        con.close()


def run_all(threads):
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)


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
    first_half = [threading.Thread(target=revoke, args=(c, s, token, out))
                  for s in serials[:COUNT // 2]]
    for t in first_half:
        t.start()
    # The signer dies with revocations in flight: it is not restarted, serve
    # ends with status 1 (systemd would start it again).
    os.kill(first, signal.SIGKILL)
    for t in first_half:
        t.join(60)
    assert server.proc.wait(timeout=30) == 1
    log1 = server.read_log()
    # Found dead by the watch thread or by a request on its channel.
    assert re.search(r'signer: the signer (was killed by signal 9|is gone)', log1), log1[-2000:]
    assert 'it is not restarted' in log1 and 'restarting' not in log1
    assert 'serve: stopped because the signer is gone (status 1)' in log1
    server.stop()

    # A new server on the same directory; what the first half did not finish
    # (refused, cut off, or revoked but without its CRL) is sent again,
    # together with the second half.
    server = env['server'] = Server(env['dir'])
    assert signer_pid(server.proc.pid) != first
    done = revoked_in_db(env)
    again = [s for s in serials[:COUNT // 2] if out.get(s) != 303 and s not in done]
    c.base = server.base  # the session lives in the database
    token = c.csrf('/bireysel/sertifikalar')
    rest = {}
    run_all([threading.Thread(target=revoke, args=(c, s, token, rest))
             for s in again + serials[COUNT // 2:]])
    assert rest == {s: 303 for s in again + serials[COUNT // 2:]}, rest
    assert set(serials) <= revoked_in_db(env)

    numbers = crl_numbers(env)
    assert numbers == sorted(set(numbers)), numbers
    assert len(numbers) > len(before)
    logged = [int(n) for n in re.findall(r'pki: CRL (\d+) with', log1 + server.read_log())]
    assert logged == sorted(set(logged)), logged
    assert set(logged) <= set(numbers)

    text = crl_text(env)
    m = re.search(r'CRL Number:\s*\n\s*(\d+)', text)
    assert m and int(m.group(1)) == numbers[-1], text[:600]
    listed = text.replace(':', '').replace(' ', '').upper()
    missing = [s for s in serials if 'SERIALNUMBER' + s not in listed]
    assert not missing, missing
    con = db_connect(env['dir'])
    stored = con.execute("SELECT number FROM crl_state WHERE ca = 'issuing'").fetchone()[0]
    con.close()
    assert stored == numbers[-1]


def test_reconcile_agrees_then_names_a_row_never_signed(env):
    p = run_cli(env['dir'], 'ca', 'reconcile')
    assert '0 discrepancies' in p.stdout, p.stdout
    con = db_connect(env['dir'])
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
