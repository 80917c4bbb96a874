"""The command line: help, imports (all-or-nothing, line and field named),
staff accounts."""
import os
import re
import subprocess
import tempfile

import pytest

from conftest import BIN, db_connect, db_url, run_cli, write_config


@pytest.fixture
def fresh():
    d = tempfile.mkdtemp(prefix='eimza-cli-')
    write_config(d)
    run_cli(d, 'init')
    return d


def db_count(d, sql):
    con = db_connect(d)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def write(d, name, text):
    path = os.path.join(d, name)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


@pytest.mark.parametrize('cmd', [['init'], ['serve'], ['worker'], ['import'], ['user'],
                                 ['ca']])
def test_every_command_has_help(cmd):
    p = subprocess.run([BIN] + cmd + ['--help'], capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    out = (p.stdout + p.stderr).lower()
    assert 'kullanım:' in out
    assert re.search(r'\beimza\b.*\b%s\b' % cmd[0], out), out  # names the command


def test_top_level_help_lists_commands():
    p = subprocess.run([BIN, '--help'], capture_output=True, text=True, timeout=30)
    assert p.returncode == 0
    for c in ['init', 'serve', 'import', 'user add', 'worker']:
        assert c in p.stdout
    assert 'server.listen' in p.stdout


def test_unknown_config_key_is_an_error(fresh):
    write(fresh, 'bad.conf', '[server]\nlisen = 1\n')
    p = subprocess.run([BIN, '--config', os.path.join(fresh, 'bad.conf'), 'init'],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode != 0
    assert 'bad.conf:2' in p.stderr


def test_init_loads_provinces(fresh):
    assert db_count(fresh, 'SELECT COUNT(*) FROM provinces') == 81
    assert db_count(fresh, 'SELECT COUNT(*) FROM districts') == 973


INSTITUTIONS = ('kurum_kodu,kurum_adi,il_kodu,ilce,adres,posta_kodu,resmi_eposta,yetki_birimi\n'
                '999001,Çaycuma Atatürk Ortaokulu,67,Çaycuma,"Yeni Mah. Okul Sok. No:1",67900,'
                'caycuma@meb.gov.tr,ZONGULDAK-MEM\n')


def test_import_registry_good_and_update(fresh):
    path = write(fresh, 'r.csv', 'tckn,ad,soyad,dogum_yeri,dogum_tarihi\n'
                                 '10000000146,Işıl,Güneş,Ordu,1990-01-02\n'
                                 '17291716060,Çağrı,Öztürk,Rize,1979-12-31\n')
    p = run_cli(fresh, 'import', 'registry', path)
    assert 'r.csv: 2 satır içe aktarıldı' in p.stdout
    assert db_count(fresh, "SELECT COUNT(*) FROM registry WHERE soyad = 'Güneş'") == 1
    write(fresh, 'r.csv', 'tckn,ad,soyad,dogum_yeri,dogum_tarihi\n'
                          '10000000146,Işıl,Güneşli,Ordu,1990-01-02\n')
    run_cli(fresh, 'import', 'registry', path)
    assert db_count(fresh, "SELECT COUNT(*) FROM registry WHERE soyad = 'Güneşli'") == 1
    assert db_count(fresh, 'SELECT COUNT(*) FROM registry') == 2


def test_import_bad_row_names_line_and_field_and_imports_nothing(fresh):
    path = write(fresh, 'r.csv', 'tckn,ad,soyad,dogum_yeri,dogum_tarihi\n'
                                 '10000000146,Işıl,Güneş,Ordu,1990-01-02\n'
                                 '10000000147,Ali,Veli,Ordu,1990-01-02\n')
    p = run_cli(fresh, 'import', 'registry', path, check=False)
    assert p.returncode != 0
    assert 'satır 3, alan tckn:' in p.stderr
    assert db_count(fresh, 'SELECT COUNT(*) FROM registry') == 0


def test_import_bad_date(fresh):
    path = write(fresh, 'r.csv', 'tckn,ad,soyad,dogum_yeri,dogum_tarihi\n'
                                 '10000000146,Işıl,Güneş,Ordu,1990-02-30\n')
    p = run_cli(fresh, 'import', 'registry', path, check=False)
    assert p.returncode != 0
    assert 'satır 2, alan dogum_tarihi:' in p.stderr


def test_import_wrong_header(fresh):
    path = write(fresh, 'r.csv', 'tc,ad,soyad,dogum_yeri,dogum_tarihi\n')
    p = run_cli(fresh, 'import', 'registry', path, check=False)
    assert p.returncode != 0
    assert 'satır 1: başlık satırı "tckn,ad,soyad,dogum_yeri,dogum_tarihi" olmalı' in p.stderr


def test_import_institutions_and_personnel(fresh):
    run_cli(fresh, 'import', 'institutions', write(fresh, 'i.csv', INSTITUTIONS))
    assert db_count(fresh, "SELECT COUNT(*) FROM institutions WHERE kurum_kodu='999001'") == 1
    run_cli(fresh, 'import', 'registry', write(fresh, 'r.csv',
            'tckn,ad,soyad,dogum_yeri,dogum_tarihi\n10000000146,Işıl,Güneş,Ordu,1990-01-02\n'))
    run_cli(fresh, 'import', 'personnel', write(fresh, 'p.csv',
            'tckn,sicil_no,kurum_kodu,unvan,birim\n10000000146,555,999001,Öğretmen,Fen\n'))
    assert db_count(fresh, "SELECT COUNT(*) FROM personnel WHERE sicil_no='555'") == 1


def test_import_institution_postal_code_must_fit_province(fresh):
    bad = INSTITUTIONS.replace(',67900,', ',34900,')
    p = run_cli(fresh, 'import', 'institutions', write(fresh, 'i.csv', bad), check=False)
    assert p.returncode != 0
    assert 'posta_kodu' in p.stderr
    assert db_count(fresh, 'SELECT COUNT(*) FROM institutions') == 0


def test_import_personnel_unknown_institution(fresh):
    p = run_cli(fresh, 'import', 'personnel', write(fresh, 'p.csv',
                'tckn,sicil_no,kurum_kodu,unvan,birim\n10000000146,555,000000,Öğretmen,Fen\n'),
                check=False)
    assert p.returncode != 0
    assert 'kurum_kodu' in p.stderr


def test_user_add_reads_password_from_stdin(fresh):
    p = run_cli(fresh, 'user', 'add', 'ops.ayse', '--role', 'operator',
                stdin='Çok-gizli-parola-2026\n')
    assert 'ops.ayse' in p.stdout
    con = db_connect(fresh)
    h = con.execute("SELECT password_hash, role FROM staff_users WHERE username='ops.ayse'"
                    ).fetchone()
    con.close()
    assert h[0].startswith('$argon2id$') and h[1] == 'operator'


def test_user_add_yetkili_needs_known_scope(fresh):
    p = run_cli(fresh, 'user', 'add', 'yetkili.x', '--role', 'yetkili', '--scope', 'YOK-MEM',
                stdin='Çok-gizli-parola-2026\n', check=False)
    assert p.returncode != 0
    assert '--scope' in p.stderr


def test_user_add_weak_password_refused(fresh):
    p = run_cli(fresh, 'user', 'add', 'ops.b', '--role', 'admin', stdin='kisa\n', check=False)
    assert p.returncode != 0
