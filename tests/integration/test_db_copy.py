"""Issue 13: `eimza db migrate` and `eimza db copy --from sqlite:PATH --to URL`.

A one-machine installation (SQLite) with certificates and audit records is
copied into an empty database: PostgreSQL when the suite runs on it
(EIMZA_TEST_DB=pg), another SQLite file otherwise. Every table's row count
agrees, `eimza audit verify` holds on the copy, a new row in the copy gets
a fresh id, and a second copy into the now non-empty target is refused."""
import os
import re
import shutil
import subprocess
import tempfile

from conftest import BIN, ON_PG, db_open, db_url, write_config
from test_bireysel import openssl


def eimza(d, db, *args, stdin=None, check=True):
    p = subprocess.run([BIN, '--db', db, '--config', os.path.join(d, 'eimza.conf')] + list(args),
                       cwd=d, input=stdin, capture_output=True, text=True, timeout=120)
    if check:
        assert p.returncode == 0, (args, p.stdout, p.stderr)
    return p


def counts(url, tables):
    con = db_open(url)
    try:
        return {t: con.execute('SELECT COUNT(*) FROM %s' % t).fetchone()[0] for t in tables}
    finally:
        con.close()


def test_copy_sqlite_installation_into_empty_database():
    d = tempfile.mkdtemp(prefix='eimza-dbcopy-')
    try:
        write_config(d)
        src = os.path.join(d, 'source.db')
        eimza(d, src, 'init', '--demo')
        # Some history: a certificate issued and revoked, a staff account.
        person = demo_people_from(src)
        csr = os.path.join(d, 'x.csr')
        openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
                '-nodes', '-keyout', os.path.join(d, 'x.key'), '-subj', '/CN=x', '-out', csr)
        p = eimza(d, src, 'ca', 'issue', '--tckn', person['tckn'], '--ad', person['ad'],
                  '--soyad', person['soyad'], '--years', '1', csr)
        serial = re.search(r'Seri No: ([0-9A-F]+)', p.stdout + p.stderr).group(1)
        eimza(d, src, 'ca', 'revoke', serial, 'keyCompromise')
        eimza(d, src, 'user', 'add', 'kopya.once', '--role', 'operator',
              stdin='Kopya-oncesi-2026\n')

        target = db_url(os.path.join(d, 'target')) if ON_PG else os.path.join(d, 'target.db')
        p = eimza(d, target, 'db', 'migrate')
        assert 'Veritabanı şeması güncel' in p.stdout, p.stdout
        p = eimza(d, src, 'db', 'copy', '--from', 'sqlite:' + src, '--to', target)
        printed = {m.group(1): int(m.group(2))
                   for m in re.finditer(r'^(\w+)\s+(\d+) satır$', p.stdout, re.M)}
        assert 'satır sayıları kaynakla aynı' in p.stdout, p.stdout
        for t in ('provinces', 'districts', 'registry', 'staff_users', 'certificates',
                  'crl_state', 'audit_log', 'outbox'):
            assert t in printed, p.stdout
        # The demo holder's certificate (init --demo) and this one.
        assert printed['certificates'] == 2 and printed['audit_log'] >= 3, p.stdout
        assert counts(target, printed) == counts(src, printed) == printed

        # The audit chain holds on the copy, with as many records.
        p = eimza(d, target, 'audit', 'verify', check=False)
        assert p.returncode == 0, p.stdout + p.stderr
        assert '%d kayıt doğrulandı' % printed['audit_log'] in p.stdout, p.stdout
        # Ids continue after the copied ones (PostgreSQL sequences).
        eimza(d, target, 'user', 'add', 'kopya.sonra', '--role', 'operator',
              stdin='Kopya-sonrasi-2026\n')
        con = db_open(target)
        ids = [r[0] for r in con.execute('SELECT id FROM staff_users ORDER BY id').fetchall()]
        con.close()
        assert len(ids) == printed['staff_users'] + 1 and len(set(ids)) == len(ids)

        # A non-empty target is refused and left as it was.
        before = counts(target, printed)
        p = eimza(d, src, 'db', 'copy', '--from', 'sqlite:' + src, '--to', target, check=False)
        assert p.returncode == 1 and 'hedef boş değil' in p.stderr, p.stderr
        assert counts(target, printed) == before
    finally:
        shutil.rmtree(d, ignore_errors=True)


def demo_people_from(sqlite_path):
    con = db_open(sqlite_path)
    try:
        row = con.execute('SELECT r.tckn, r.ad, r.soyad FROM registry r JOIN personnel p '
                          'ON p.tckn = r.tckn ORDER BY r.tckn LIMIT 1').fetchone()
    finally:
        con.close()
    return {'tckn': row[0], 'ad': row[1], 'soyad': row[2]}


def test_copy_usage_errors():
    d = tempfile.mkdtemp(prefix='eimza-dbcopy-usage-')
    try:
        write_config(d)
        p = eimza(d, os.path.join(d, 'x.db'), 'db', 'copy', '--to', 'x', check=False)
        assert p.returncode == 2 and 'kullanım: eimza db' in p.stderr
        p = eimza(d, os.path.join(d, 'x.db'), 'db', 'copy', '--from', '/tmp/a.db', '--to',
                  os.path.join(d, 'y.db'), check=False)
        assert p.returncode == 2 and 'sqlite:YOL' in p.stderr
    finally:
        shutil.rmtree(d, ignore_errors=True)
