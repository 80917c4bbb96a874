"""Issue 9: every state-changing command-line action writes one audit record
in the same transaction as its change, with the operating-system user as
actor ("cli:<user>"); a failed action writes none, and the chain still
verifies."""
import os
import pwd
import re
import subprocess
import tempfile

import pytest

from conftest import BIN, db_connect, db_url, run_cli, write_config

ACTOR = 'cli:' + pwd.getpwuid(os.geteuid()).pw_name
TCKN = '10000000146'


@pytest.fixture(scope='module')
def env():
    d = tempfile.mkdtemp(prefix='eimza-cliaudit-')
    write_config(d)
    run_cli(d, 'init')
    return d


def rows(d, sql, *args):
    con = db_connect(d)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def newest(d):
    """The newest audit record as a dict."""
    r = rows(d, 'SELECT id, actor, action, object, detail FROM audit_log '
                'ORDER BY id DESC LIMIT 1')
    if not r:
        return None
    return dict(zip(('id', 'actor', 'action', 'object', 'detail'), r[0]))


def audit_count(d):
    return rows(d, 'SELECT COUNT(*) FROM audit_log')[0][0]


def write(d, name, text):
    path = os.path.join(d, name)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def verify(d):
    p = run_cli(d, 'audit', 'verify', check=False)
    assert p.returncode == 0, p.stdout + p.stderr


def issue(d, name):
    key, csr = (os.path.join(d, name + ext) for ext in ('.key', '.csr'))
    subprocess.run(['openssl', 'req', '-new', '-newkey', 'ec', '-pkeyopt',
                    'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-subj', '/CN=x',
                    '-out', csr], capture_output=True, check=True)
    p = run_cli(d, 'ca', 'issue', '--tckn', TCKN, '--ad', 'Işıl', '--soyad', 'Güneş',
                '--years', '1', csr)
    m = re.search(r'Seri No: ([0-9A-Fa-f]+)', p.stderr)
    assert m, p.stderr
    return m.group(1)


def test_import_is_audited(env):
    path = write(env, 'r.csv', 'tckn,ad,soyad,dogum_yeri,dogum_tarihi\n'
                               '%s,Işıl,Güneş,Ordu,1990-01-02\n'
                               '17291716060,Çağrı,Öztürk,Rize,1979-12-31\n' % TCKN)
    run_cli(env, 'import', 'registry', path)
    a = newest(env)
    assert (a['actor'], a['action'], a['object']) == (ACTOR, 'import_registry',
                                                      'import:registry')
    assert a['detail'] == '%s: 2 rows' % path
    verify(env)


def test_failed_import_writes_no_audit_record(env):
    before = audit_count(env)
    path = write(env, 'bad.csv', 'tckn,ad,soyad,dogum_yeri,dogum_tarihi\n'
                                 '10000000147,Ali,Veli,Ordu,1990-01-02\n')
    p = run_cli(env, 'import', 'registry', path, check=False)
    assert p.returncode != 0
    assert audit_count(env) == before
    p = run_cli(env, 'import', 'nothing', path, check=False)
    assert p.returncode != 0
    assert audit_count(env) == before


def test_user_add_is_audited_without_password(env):
    pw = 'Çok-gizli-parola-2026'
    run_cli(env, 'user', 'add', 'ops.cli', '--role', 'operator', stdin=pw + '\n')
    a = newest(env)
    assert (a['actor'], a['action'], a['object']) == (ACTOR, 'user_add', 'staff:ops.cli')
    assert 'operator' in a['detail']
    assert pw not in ''.join(str(v) for v in a.values())
    before = audit_count(env)
    p = run_cli(env, 'user', 'add', 'ops.weak', '--role', 'admin', stdin='kisa\n',
                check=False)
    assert p.returncode != 0
    assert audit_count(env) == before
    verify(env)


def test_sudo_user_goes_into_the_detail(env):
    cmd = [BIN, '--db', db_url(env), '--config',
           os.path.join(env, 'eimza.conf'), 'user', 'add', 'ops.sudo', '--role', 'admin']
    p = subprocess.run(cmd, input='Çok-gizli-parola-2026\n', capture_output=True, text=True,
                       cwd=env, timeout=120, env=dict(os.environ, SUDO_USER='ali'))
    assert p.returncode == 0, p.stderr
    a = newest(env)
    assert a['actor'] == ACTOR and a['object'] == 'staff:ops.sudo'
    assert a['detail'].endswith('sudo by ali')


def test_ca_issue_revoke_hold_release_crl_are_audited(env):
    serial = issue(env, 'a')
    a = newest(env)
    assert (a['actor'], a['action']) == (ACTOR, 'issue')
    assert a['object'].lower() == ('certificate:' + serial).lower()
    assert TCKN in a['detail']

    run_cli(env, 'ca', 'hold', serial)
    a = newest(env)
    assert (a['actor'], a['action']) == (ACTOR, 'hold')
    assert a['object'].lower() == ('certificate:' + serial).lower()
    assert a['detail'] == 'certificateHold'

    run_cli(env, 'ca', 'release', serial)
    a = newest(env)
    assert (a['actor'], a['action']) == (ACTOR, 'release')
    assert a['object'].lower() == ('certificate:' + serial).lower()

    run_cli(env, 'ca', 'revoke', serial, 'keyCompromise')
    a = newest(env)
    assert (a['actor'], a['action'], a['detail']) == (ACTOR, 'revoke', 'keyCompromise')
    assert a['object'].lower() == ('certificate:' + serial).lower()

    # A revoked certificate cannot change: refused, and nothing audited.
    before = audit_count(env)
    p = run_cli(env, 'ca', 'hold', serial, check=False)
    assert p.returncode != 0
    assert audit_count(env) == before

    run_cli(env, 'ca', 'crl')
    a = newest(env)
    assert (a['actor'], a['action'], a['object']) == (ACTOR, 'crl_generate', 'crl')
    number = rows(env, "SELECT number FROM crl_state WHERE ca = 'issuing'")[0][0]
    assert a['detail'] == 'SİL %d' % number
    verify(env)
