"""Issue 11: every hold, release and revocation is told at once to the
contacts on record, also when the CA's operator makes it on the command line
(`eimza ca hold|release|revoke`). The demo holder of `init --demo` has a
certificate and contacts on record."""
import os
import subprocess
import tempfile

from conftest import db_connect, run_cli, write_config


def outbox(d, since):
    con = db_connect(d)
    try:
        return con.execute('SELECT channel, recipient, subject, body FROM outbox WHERE id > ? '
                           'ORDER BY id', (since,)).fetchall()
    finally:
        con.close()


def last_id(d):
    con = db_connect(d)
    try:
        return con.execute('SELECT COALESCE(MAX(id), 0) FROM outbox').fetchone()[0]
    finally:
        con.close()


def test_cli_status_changes_reach_the_contacts_on_record():
    d = tempfile.mkdtemp(prefix='eimza-cli-notice-')
    write_config(d)
    run_cli(d, 'init', '--demo')
    con = db_connect(d)
    serial, email, phone = con.execute(
        'SELECT c.serial_hex, a.eposta, a.cep_tel FROM certificates c JOIN applications a '
        'ON a.id = c.application_id ORDER BY c.created_at LIMIT 1').fetchone()
    con.close()
    assert email and phone
    for cmd, words in ((['hold', serial], 'askıya alındı'),
                       (['release', serial], 'askıdan kaldırıldı'),
                       (['revoke', serial, 'keyCompromise'], 'iptal edildi')):
        before = last_id(d)
        run_cli(d, 'ca', *cmd)
        sent = outbox(d, before)
        channels = sorted(m[0] for m in sent)
        assert channels == ['email', 'sms'], (cmd, sent)
        for channel, recipient, subject, body in sent:
            assert serial in body, body
            assert 'Sertifika Hizmet Sağlayıcı tarafından' in body, body
            assert words in (subject + body), (cmd, subject, body)
        assert any(m[1] == email for m in sent if m[0] == 'email'), sent
    assert 'Anahtar ele geçirildi' in sent[0][3] + sent[1][3]


def test_cli_hold_of_a_holder_with_nobody_on_record():
    """A certificate issued without an application (ca issue --tckn): nobody
    is on record for that person, the hold is made and nothing is queued."""
    d = tempfile.mkdtemp(prefix='eimza-cli-notice2-')
    write_config(d)
    run_cli(d, 'init', '--demo')
    csr = os.path.join(d, 'x.csr')
    subprocess.run(['openssl', 'req', '-new', '-newkey', 'ec', '-pkeyopt',
                    'ec_paramgen_curve:P-256', '-nodes', '-keyout', os.path.join(d, 'x.key'),
                    '-subj', '/CN=x', '-out', csr], check=True, capture_output=True)
    p = run_cli(d, 'ca', 'issue', '--tckn', '10000000146', '--ad', 'DENEME', '--soyad', 'KİŞİ',
                '--years', '1', csr)
    con = db_connect(d)
    serial = con.execute("SELECT serial_hex FROM certificates WHERE tckn = '10000000146'"
                         ).fetchone()[0]
    con.close()
    before = last_id(d)
    p = run_cli(d, 'ca', 'hold', serial)
    assert serial in p.stdout
    assert outbox(d, before) == []
