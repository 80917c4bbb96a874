"""The worker purges failed-login rows that no longer count (issue 12,
docs/SECURITY.md "What is stored"): rows whose window has ended and that
hold nothing go; a running window or a running hold stays."""
import tempfile
import time

from conftest import db_connect, run_cli, write_config

HOUR = 3600


def test_worker_purges_expired_login_failures():
    d = tempfile.mkdtemp(prefix='eimza-it-purge-')
    write_config(d)
    run_cli(d, 'init')
    now = int(time.time())
    rows = [
        # scope, key, count, first_at, locked_until, kept?
        ('ip', '192.0.2.1', 3, now - 3 * HOUR, 0, False),          # window over
        ('tckn', 'a' * 64, 5, now - 2 * HOUR, now - HOUR, False),   # lock over too
        ('konsol_ip', '192.0.2.2', 2, now - 60, 0, True),          # window running
        ('konsol_pair', 'b' * 64, 4, now - 3 * HOUR, now + 600, True),  # still held
        ('ip', '192.0.2.3', 1, now - HOUR + 120, 0, True),         # window nearly over
    ]
    con = db_connect(d)
    for r in rows:
        con.execute('INSERT INTO login_failures (scope, key, count, first_at, locked_until) '
                    'VALUES (?, ?, ?, ?, ?)', r[:5])
    con.commit()
    con.close()

    run_cli(d, 'worker', '--once')

    con = db_connect(d)
    left = {(s, k) for s, k in con.execute('SELECT scope, key FROM login_failures')}
    con.close()
    assert left == {(r[0], r[1]) for r in rows if r[5]}
