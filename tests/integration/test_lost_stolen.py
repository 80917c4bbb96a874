"""Lost or stolen, done safely (issue 11), against the real binary.

The portal's login (/basvuru) proves only registry data. A Kayıp/Çalıntı
application made there does nothing to the certificate by itself: the
certificate is suspended at once only when the applicant proves to be the
holder (the holder's Güvenlik Sözcüğü, or a code sent to the mobile number
on record), and revoked (keyCompromise) when the institution authority
approves. Every hold, revocation and new application reaches the contacts
on record; pages of the knowledge-only login show no contact data the
applicant did not type; cancelling needs the same proof. The status page
follows the application after approval, rejection and cancellation.

Holders are made with test_bireysel's documented shortcut (portal flow,
state set with sqlite3, `eimza ca issue --tckn`), then marked DELIVERED so
that the person may apply again."""
import re
import tempfile

import pytest

import flow
from conftest import Client, Server, demo_people, run_cli, write_config
from test_bireysel import WORD, crl_text, db, make_holder, ocsp
from test_console import PASSWORD, app_id
from test_console import login as staff_login

STRANGER_WORD = 'Yabanci2026x'
STRANGER_PHONE = '0555 111 22 33'
STRANGER_MOBILE = '+905551112233'
AUTHORITY = 'kayip.zon'


@pytest.fixture(scope='module')
def env():
    d = tempfile.mkdtemp(prefix='eimza-kayip-')
    write_config(d, '[login]\nmax_failures_ip = 1000\n')
    run_cli(d, 'init', '--demo')
    run_cli(d, 'user', 'add', AUTHORITY, '--role', 'yetkili', '--scope', 'ZONGULDAK-MEM',
            stdin=PASSWORD + '\n')
    s = Server(d)
    yield {'dir': d, 'server': s, 'people': demo_people(d, 'ZONGULDAK-MEM'), 'next': [0]}
    s.stop()


def holder(env):
    """A person with a valid certificate whose application was delivered."""
    h = make_holder(env)
    con = db(env)
    con.execute("UPDATE applications SET state = 'DELIVERED' WHERE tckn = ?", (h['tckn'],))
    con.commit()
    con.close()
    h['email'] = 'holder%d@example.org' % (env['next'][0] - 1)
    h['who'] = flow.identity(**{k: h[k] for k in ('tckn', 'ad', 'soyad', 'dogum_yeri',
                                                  'dogum_tarihi', 'sicil_no')})
    return h


def client(env):
    return Client(env['server'].base)


def messages_to(c, to):
    return [m for m in flow.outbox(c) if m['to'] == to]


def contact_strings(h):
    """How the holder's contact data on record could appear on a page."""
    digits = h['mobile'][-10:]
    return [h['email'], digits, '0' + digits, '%s %s %s %s' % (digits[:3], digits[3:6],
                                                                digits[6:8], digits[8:])]


def assert_no_contacts(h, text):
    for s in contact_strings(h):
        assert s not in text, s


def lost_until_sms(env, c, who, phone, word):
    """Login, the Kayıp/Çalıntı form and the SMS step with `phone`; returns
    the SMS step's answer (a redirect)."""
    assert flow.login(c, who).status == 303
    r = flow.submit_form(c, basvuru_nedeni='KAYIP_CALINTI', kart_okuyucu='', cep_tel=phone,
                         eposta='yeni@example.org', guvenlik_sozcugu=word,
                         guvenlik_sozcugu_tekrar=word)
    assert r.status == 303, r.text[:2000]
    assert flow.send_sms(c).status == 303
    mobile = '+90' + re.sub(r'\D', '', phone)[-10:]
    r = flow.verify_sms(c, flow.last_sms_code(c, mobile))
    assert r.status == 303, r.text[:800]
    return r


def code_to(c, to):
    """The newest proof code sent to `to` (the page's own code SMS)."""
    for m in messages_to(c, to):
        found = re.search(r'kodunuz: (\d{6})', m['body'])
        if found:
            return found.group(1)
    raise AssertionError('no code sent to %s' % to)


def post(c, path, data):
    return c.post(path, dict(data, csrf=c.csrf(path)))


def status_page(c):
    r = c.get('/basvuru/durum')
    assert r.status == 200
    return r.text


def state_of(page):
    return re.search(r'id="durum" data-state="([A-Z_]+)"', page).group(1)


def number_of(page):
    return re.search(r'<dt>Başvuru No</dt><dd><strong>([0-9-]+)</strong>', page).group(1)


def decide(env, number, karar, gerekce=None):
    zon, _ = staff_login(env, AUTHORITY)
    data = {'csrf': zon.csrf('/konsol'), 'id': app_id(zon, number), 'karar': karar}
    if gerekce is not None:
        data['gerekce'] = gerekce
    r = zon.post('/konsol/karar', data)
    assert r.status == 303, r.text[:800]


# ---- a stranger with the registry data ----

def test_stranger_cannot_hold_or_revoke(env):
    h = holder(env)
    c = client(env)
    assert flow.login(c, h['who']).status == 303
    # The form shows nothing of the holder's contact data on record.
    assert_no_contacts(h, c.get('/basvuru/form').text)
    r = lost_until_sms(env, c, h['who'], STRANGER_PHONE, STRANGER_WORD)
    # The SMS step (the stranger's own number) no longer revokes; the
    # applicant is offered the holder's proof.
    assert r.headers['Location'] == '/basvuru/kayip'
    assert ocsp(env, h['cert'])[0] == 'good'
    page = c.get('/basvuru/kayip')
    assert page.status == 200
    assert '<label for="guvenlik_sozcugu">Güvenlik Sözcüğü</label>' in page.text
    assert_no_contacts(h, page.text)
    # The stranger's own word is not the holder's.
    r = post(c, '/basvuru/kayip', {'islem': 'sozcuk', 'guvenlik_sozcugu': STRANGER_WORD})
    assert r.status == 400 and 'id="guvenlik_sozcugu-hata"' in r.text
    assert 'Güvenlik sözcüğü doğrulanamadı' in r.text
    # The code goes to the number on record, never to the one just typed.
    before = len(messages_to(c, STRANGER_MOBILE))
    r = post(c, '/basvuru/kayip', {'islem': 'gonder'})
    assert r.status == 303 and r.headers['Location'] == '/basvuru/kayip'
    assert len(messages_to(c, STRANGER_MOBILE)) == before
    assert any('askıya alma kodunuz' in m['body'] for m in messages_to(c, h['mobile']))
    page = c.get('/basvuru/kayip').text
    assert '<label for="sms_kodu">SMS Doğrulama Kodu</label>' in page
    assert_no_contacts(h, page)
    real = code_to(c, h['mobile'])
    guess = '000000' if real != '000000' else '111111'
    r = post(c, '/basvuru/kayip', {'islem': 'kod', 'sms_kodu': guess})
    assert r.status == 400 and 'id="sms_kodu-hata"' in r.text
    assert ocsp(env, h['cert'])[0] == 'good'
    # Going on without a proof: the certificate stays valid until approval.
    assert c.get('/basvuru/imza').status == 200
    assert flow.choose_wet(c).status == 303
    page = status_page(c)
    assert state_of(page) == 'AWAITING_APPROVAL'
    assert ocsp(env, h['cert'])[0] == 'good'
    assert h['serial'] not in crl_text(env).replace(':', '').upper()
    # The holder heard of the application on both contacts on record.
    number = number_of(page)
    for to in (h['email'], h['mobile']):
        assert any(number in m['body'] and 'yeni' in m['body'].lower()
                   for m in messages_to(c, to)), to


def test_stranger_cannot_see_or_cancel_the_holders_application(env):
    h = holder(env)
    own = client(env)
    flow.apply_until(own, 'AWAITING_APPROVAL', who=h['who'], basvuru_nedeni='DIGER',
                     kart_okuyucu='', cep_tel='0532 777 66 55', eposta='kendi@example.org')
    stranger = client(env)
    assert flow.login(stranger, h['who']).status == 303
    page = status_page(stranger)
    assert state_of(page) == 'AWAITING_APPROVAL'
    for s in ('kendi@example.org', '5327776655', '777 66 55'):
        assert s not in page
    assert_no_contacts(h, page)
    assert 'href="/basvuru/dogrula"' in page
    # The documents with the form's contact data need the maker's proof.
    for path in ('/basvuru/form.pdf', '/basvuru/belge.txt'):
        r = stranger.get(path)
        assert r.status == 303 and r.headers['Location'] == '/basvuru/dogrula', path
    r = post(stranger, '/basvuru/dogrula', {'islem': 'sozcuk',
                                            'guvenlik_sozcugu': STRANGER_WORD})
    assert r.status == 400
    assert stranger.get('/basvuru/form.pdf').status == 303
    # Cancelling needs the proof too.
    r = post(stranger, '/basvuru/iptal', {'islem': 'sozcuk', 'guvenlik_sozcugu': STRANGER_WORD})
    assert r.status == 400 and 'id="guvenlik_sozcugu-hata"' in r.text
    before = len(messages_to(stranger, STRANGER_MOBILE))
    r = post(stranger, '/basvuru/iptal', {'islem': 'gonder'})
    assert r.status == 303
    assert len(messages_to(stranger, STRANGER_MOBILE)) == before
    code = code_to(stranger, h['mobile'])
    guess = '000000' if code != '000000' else '111111'
    r = post(stranger, '/basvuru/iptal', {'islem': 'kod', 'sms_kodu': guess})
    assert r.status == 400 and 'id="sms_kodu-hata"' in r.text
    assert state_of(status_page(own)) == 'AWAITING_APPROVAL'
    # The holder, in a new session, proves with the code sent to the
    # number on record and cancels.
    again = client(env)
    assert flow.login(again, h['who']).status == 303
    r = post(again, '/basvuru/iptal', {'islem': 'kod', 'sms_kodu': code})
    assert r.status == 303, re.findall(r'class="(?:alert|error)"[^>]*>([^<]+)', r.text)
    page = status_page(again)
    assert state_of(page) == 'CANCELLED' and 'Başvurunuz iptal edildi' in page
    # ... and may start again.
    assert 'href="/basvuru/form"' in page
    assert again.get('/basvuru/form').status == 200


def test_holder_word_holds_at_once_and_approval_revokes(env):
    h = holder(env)
    c = client(env)
    r = lost_until_sms(env, c, h['who'], '0543 222 33 44', 'YeniSozcuk2026')
    assert r.headers['Location'] == '/basvuru/kayip'
    r = post(c, '/basvuru/kayip', {'islem': 'sozcuk', 'guvenlik_sozcugu': WORD})
    assert r.status == 303 and r.headers['Location'] == '/basvuru/imza', r.text[:800]
    status, out = ocsp(env, h['cert'])
    assert status == 'revoked' and 'certificateHold' in out, out
    assert 'Certificate Hold' in crl_text(env)
    for to in (h['email'], h['mobile']):
        held = [m for m in messages_to(c, to) if 'askıya alındı' in m['body']]
        assert held and '/bireysel' in held[0]['body'], to
    # Nothing left to hold: the page sends the applicant on.
    assert c.get('/basvuru/kayip').status == 303
    assert flow.choose_wet(c).status == 303
    page = status_page(c)
    number = number_of(page)
    assert 'Kurum onayı bekleniyor' in page and 'irtibata geçin' in page
    decide(env, number, 'onayla')
    status, out = ocsp(env, h['cert'])
    assert status == 'revoked' and 'keyCompromise' in out, out
    assert 'Key Compromise' in crl_text(env)
    assert any('iptal edildi' in m['body'] for m in messages_to(c, h['mobile']))
    assert any('iptal edildi' in m['subject'] for m in messages_to(c, h['email']))
    # The status page follows: approved, paperwork and fee still pending.
    page = status_page(c)
    assert 'Kurum onayı alındı' in page
    assert 'Kurum onayı bekleniyor' not in page and 'irtibata geçin' not in page
    assert 'data-step="after_approval"' in page


def test_holder_sms_on_record_holds(env):
    h = holder(env)
    c = client(env)
    lost_until_sms(env, c, h['who'], '0543 222 33 45', 'YeniSozcuk2026')
    assert post(c, '/basvuru/kayip', {'islem': 'gonder'}).status == 303
    code = code_to(c, h['mobile'])
    r = post(c, '/basvuru/kayip', {'islem': 'kod', 'sms_kodu': code})
    assert r.status == 303 and r.headers['Location'] == '/basvuru/imza', r.text[:800]
    status, out = ocsp(env, h['cert'])
    assert status == 'revoked' and 'certificateHold' in out, out
    # The holder can undo the hold in NES Bireysel, as the notice says.
    from test_bireysel import login as bireysel_login
    from test_bireysel import post as bireysel_post
    b = bireysel_login(env, h)
    assert bireysel_post(b, '/bireysel/askidan-kaldir', {'seri': h['serial']}).status == 303
    assert ocsp(env, h['cert'])[0] == 'good'
    assert any('askıdan kaldırıldı' in m['subject'] for m in messages_to(c, h['email']))


def test_rejected_sees_reason_and_starts_again(env):
    h = holder(env)
    c = client(env)
    page = flow.apply_until(c, 'AWAITING_APPROVAL', who=h['who'], basvuru_nedeni='DIGER',
                            kart_okuyucu='', cep_tel='0532 777 66 56').text
    reason = 'Kadro kaydınız başka bir kurumda görünüyor.'
    decide(env, number_of(page), 'reddet', reason)
    again = client(env)
    r = flow.login(again, h['who'])
    assert r.status == 303 and r.headers['Location'] == '/basvuru/durum'
    page = status_page(again)
    assert state_of(page) == 'REJECTED' and 'Başvurunuz reddedildi' in page
    assert reason in page and 'irtibata geçin' not in page
    assert 'href="/basvuru/form"' in page
    assert again.get('/basvuru/form').status == 200
    r = flow.submit_form(again, basvuru_nedeni='DIGER', kart_okuyucu='',
                         cep_tel='0532 777 66 57')
    assert r.status == 303 and r.headers['Location'] == '/basvuru/sms'
    assert state_of(status_page(again)) == 'FORM_CONFIRMED'


def test_after_self_revocation_the_portal_offers_lost_with_fee(env):
    h = holder(env)
    from test_bireysel import login as bireysel_login
    b = bireysel_login(env, h)
    token = b.csrf('/bireysel/iptal?seri=' + h['serial'])
    r = b.post('/bireysel/iptal', {'csrf': token, 'seri': h['serial'],
                                   'neden': 'KAYIP_CALINTI', 'onay': '1'})
    assert r.status == 303
    c = client(env)
    assert flow.login(c, h['who']).status == 303
    form = c.get('/basvuru/form').text
    options = re.findall(r'<option value="([A-Z_]+)"[^>]*>(?:Yenileme|Kayıp/Çalıntı|Diğer|İlk'
                         r' Başvuru)</option>', form)
    assert options == ['KAYIP_CALINTI'], options
    flow.submit_form(c, basvuru_nedeni='KAYIP_CALINTI', kart_okuyucu='',
                     cep_tel='0532 777 66 58')
    assert flow.send_sms(c).status == 303
    r = flow.verify_sms(c, flow.last_sms_code(c, '+905327776658'))
    # Already revoked: no hold to offer.
    assert r.headers['Location'] == '/basvuru/imza'
    assert flow.choose_wet(c).status == 303
    page = status_page(c)
    assert '170,00 TL' in page
