"""Issue 13: backup and restore with contrib/backup/eimza-backup.sh and
eimza-restore.sh, on the suite's backend (pg_dump / pg_restore on
PostgreSQL, sqlite3's .backup on SQLite), taken while serve runs. The
restored database has the same rows in every table and its audit chain
verifies."""
import os
import re
import shutil
import subprocess
import tempfile

from conftest import BIN, ON_PG, Server, db_open, db_url, demo_people, run_cli, write_config
from test_bireysel import issue

SCRIPTS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'contrib', 'backup')
TABLES = ('provinces', 'districts', 'registry', 'institutions', 'personnel', 'staff_users',
          'certificates', 'crl_state', 'audit_log', 'audit_checkpoints', 'outbox',
          'sessions', 'applications', 'schema_migrations')


def counts(url):
    con = db_open(url)
    try:
        return {t: con.execute('SELECT COUNT(*) FROM %s' % t).fetchone()[0] for t in TABLES}
    finally:
        con.close()


def test_backup_while_serving_and_restore():
    d = tempfile.mkdtemp(prefix='eimza-backup-')
    try:
        write_config(d)
        run_cli(d, 'init', '--demo')
        person = demo_people(d, 'ZONGULDAK-MEM')[0]
        serial = issue({'dir': d}, person, 'backup')[1]
        run_cli(d, 'ca', 'revoke', serial, 'keyCompromise')
        server = Server(d)
        try:
            p = subprocess.run([os.path.join(SCRIPTS, 'eimza-backup.sh'), db_url(d),
                                os.path.join(d, 'backups')], capture_output=True, text=True,
                               timeout=120)
            assert p.returncode == 0, p.stderr
            backup = p.stdout.strip()
            assert re.search(r'eimza-\d{8}T\d{6}Z\.(pgdump|db)$', backup), backup
            assert os.path.getsize(backup) > 0
            # Counted while serving (stopping signs one more checkpoint).
            source = counts(db_url(d))
        finally:
            server.stop()
        # The demo holder's certificate (init --demo) and this one.
        assert source['certificates'] == 2 and source['audit_log'] >= 2

        target = db_url(os.path.join(d, 'restored')) if ON_PG else os.path.join(d, 'r.db')
        p = subprocess.run([os.path.join(SCRIPTS, 'eimza-restore.sh'), backup, target],
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        assert counts(target) == source
        p = subprocess.run([BIN, '--db', target, '--config', os.path.join(d, 'eimza.conf'),
                            'audit', 'verify'], cwd=d, capture_output=True, text=True,
                           timeout=60)
        assert p.returncode == 0, p.stdout + p.stderr
        assert '%d kayıt doğrulandı' % source['audit_log'] in p.stdout, p.stdout
        # Restoring over an existing SQLite file is refused.
        if not ON_PG:
            p = subprocess.run([os.path.join(SCRIPTS, 'eimza-restore.sh'), backup, target],
                               capture_output=True, text=True, timeout=60)
            assert p.returncode == 1 and 'exists' in p.stderr
    finally:
        shutil.rmtree(d, ignore_errors=True)
