"""The applicant portal (guide steps 1-6) over HTTP."""
import re

import pytest

from conftest import DEMO, Client
from flow import (FORM, apply_until, choose_wet, identity, last_sms_code, login, outbox,
                  send_sms, submit_form, verify_sms)

GENERIC = 'eşleşmedi'


def person(n):
    """Demo person n (0 = the first printed identity)."""
    people = DEMO['people']
    if n >= len(people):
        pytest.skip('init --demo printed fewer identities')
    return people[n]


def test_captcha_png_and_dev_answer(client):
    client.csrf('/basvuru')
    r = client.get('/captcha.png')
    assert r.status == 200 and r.headers['Content-Type'] == 'image/png'
    answer = client.get('/dev/captcha').text.strip()
    assert re.fullmatch(r'[A-Z0-9]{6}', answer)


def test_wrong_captcha_is_refused_and_single_use(client):
    r = login(client, captcha='YANLIS')
    assert r.status == 400
    assert 'Resimdeki yazıyı doğru giriniz' in r.text
    # The answer of the image shown before is gone: it cannot be reused.
    token = client.csrf('/basvuru')
    assert client.get('/dev/captcha').status == 404
    data = dict(identity(), csrf=token, captcha='ABCDEF')
    assert client.post('/basvuru', data).status == 400


def test_invalid_tckn_named_before_registry(client):
    r = login(client, identity(tckn='10000000147'))
    assert r.status == 400
    assert 'T.C. Kimlik No geçersiz' in r.text


def test_mismatch_gives_one_generic_message(server):
    bodies = []
    for over in [{'ad': 'Fatma'}, {'dogum_yeri': 'Bartın'}, {'dogum_tarihi': '1985-04-13'},
                 {'sicil_no': '999999'}]:
        c = Client(server.base)
        r = login(c, identity(**over))
        assert r.status == 400
        assert GENERIC in r.text
        msg = re.search(r'<div class="alert"[^>]*>(.*?)</div>', r.text, re.S).group(1)
        bodies.append(msg)
        for field in ('Ad', 'Doğum Yeri', 'Doğum Tarihi', 'Kurum Sicil No'):
            assert 'hatalı: ' + field not in r.text
    assert len(set(bodies)) == 1


def test_turkish_case_login(server):
    c = Client(server.base)
    who = person(0)
    def tr_upper(x):
        return x.replace('i', 'İ').replace('ı', 'I').upper()

    def tr_lower(x):
        return x.replace('İ', 'i').replace('I', 'ı').lower()

    r = login(c, identity(**dict(who, ad=tr_upper(who['ad']), soyad=tr_lower(who['soyad']),
                                 dogum_yeri=tr_upper(who['dogum_yeri']))))
    assert r.status == 303, r.text[:300]


def test_lockout_per_tckn(server):
    # A valid-checksum number that is not in the registry.
    for _ in range(5):
        r = login(Client(server.base), identity(tckn='10000000146', ad='Kimse'))
        assert r.status == 400
    r = login(Client(server.base), identity(tckn='10000000146', ad='Kimse'))
    assert r.status == 429
    assert 'Çok fazla hatalı deneme' in r.text


def test_form_requires_login(client):
    r = client.get('/basvuru/form')
    assert r.status == 303 and r.headers['Location'].endswith('/basvuru')


def test_form_errors_beside_fields_and_values_kept(server):
    c = Client(server.base)
    assert login(c, identity(**person(1))).status == 303
    r = submit_form(c, posta_kodu='34000', eposta='yok@', cep_tel='0212 123 45 67',
                    guvenlik_sozcugu_tekrar='Baska2026x')
    assert r.status == 400
    assert 'id="posta_kodu-hata"' in r.text
    # (the field's hint always says "plaka"; this is the error itself)
    assert 'Posta kodunun ilk iki hanesi seçilen ilin plaka kodu olmalıdır.' in r.text
    assert 'id="eposta-hata"' in r.text
    assert 'id="cep_tel-hata"' in r.text
    assert 'id="guvenlik_sozcugu_tekrar-hata"' in r.text
    assert 'value="yok@"' in r.text
    assert 'Karadeniz2026' not in r.text  # the security word is never echoed


def test_form_shows_identity_read_only_and_kurum(server):
    c = Client(server.base)
    who = person(2)
    assert login(c, identity(**who)).status == 303
    r = c.get('/basvuru/form')
    assert r.status == 200
    assert re.search(r'id="f_tckn" type="text" value="%s" readonly' % who['tckn'], r.text)
    assert 'MEBBİS' in r.text
    assert '<option value="ILK" selected>İlk Başvuru</option>' in r.text
    for label in ['Başvuru Nedeni', 'Kart Okuyucu Tipi', 'Sertifika Süresi', 'Güvenlik Sözcüğü',
                  'Çalıştığı Birim', 'Unvan', 'Kurum / Birim Adresi', 'Posta Kodu', 'İl',
                  'İlçe', 'E-posta', 'İş Telefonu', 'Dahili', 'Cep Telefonu', 'Ev Telefonu',
                  'Mobil Operatör', 'Bilgi Kanalı']:
        assert re.search(r'<label for="[a-z_]+">%s\b' % re.escape(label), r.text), label


def test_district_cascade_without_js(server):
    c = Client(server.base)
    assert login(c, identity(**person(3))).status == 303
    token = c.csrf('/basvuru/form')
    r = c.post('/basvuru/form', {'csrf': token, 'islem': 'ilce', 'il': '74'})
    assert r.status == 200
    assert '<option value="Ulus"' in r.text
    assert c.get('/basvuru/ilceler?il=67').text.startswith('["')


def test_full_flow_to_authority(server):
    c = Client(server.base)
    who = person(4)
    page = apply_until(c, who=identity(**who), cep_tel='0542 111 22 33')
    assert page.status == 200
    assert 'Kurum yetkiliniz ile irtibata geçin' in page.text
    assert 'Sayın Yetkili' in page.text
    assert 'mailto:' in page.text
    msgs = outbox(c)
    number = re.search(r'<strong>(\d{4}-\d{6})</strong>', page.text).group(1)
    mine = [m for m in msgs if m.get('ref') == number]
    assert any(m['channel'] == 'email' and m['to'] == 'zonguldakmem@meb.gov.tr' for m in mine)
    assert any(m['channel'] == 'sms' and m['to'] == '+905421112233' for m in mine)
    pdf = c.get('/basvuru/form.pdf')
    assert pdf.status == 200 and pdf.body.startswith(b'%PDF')
    # Logging in again shows the application instead of a new form.
    c2 = Client(server.base)
    r = login(c2, identity(**who))
    assert r.status == 303 and r.headers['Location'].endswith('/basvuru/durum')
    assert c2.get('/basvuru/form').headers['Location'].endswith('/basvuru/durum')


def test_sms_code_rules(server):
    c = Client(server.base)
    assert apply_until(c, 'FORM_CONFIRMED', who=identity(**person(5)),
                       cep_tel='05051112233').status == 303
    assert send_sms(c).status == 303
    again = send_sms(c)
    assert again.status == 400 and '60 saniye' in again.text
    code = last_sms_code(c, '+905051112233')
    wrong = '000000' if code != '000000' else '111111'
    r = verify_sms(c, wrong)
    assert r.status == 400 and 'Kalan deneme hakkı: 2' in r.text
    verify_sms(c, wrong)
    r = verify_sms(c, wrong)
    assert 'geçersiz' in r.text
    r = verify_sms(c, code)  # the right code is dead after 3 wrong tries
    assert r.status == 400


def test_hostile_input_stored_literally_and_escaped(server):
    c = Client(server.base)
    evil = "<script>alert('x')</script> ' OR 1=1; --"
    page = apply_until(c, who=identity(**person(6)), unvan=evil, cep_tel='0533 999 88 77')
    assert page.status == 200
    assert "<script>alert('x')" not in page.text
    assert '&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;' in page.text  # util/html.c


def test_cancel(server):
    c = Client(server.base)
    apply_until(c, 'FORM_CONFIRMED', who=identity(**person(7)), cep_tel='0544 555 66 77')
    # Cancelling asks for the application's security word (or an SMS code
    # to the number on record): the login alone proves only registry data.
    page = c.get('/basvuru/iptal')
    assert page.status == 200 and '<label for="guvenlik_sozcugu">' in page.text
    token = c.csrf('/basvuru/iptal')
    r = c.post('/basvuru/iptal', {'csrf': token, 'islem': 'sozcuk',
                                  'guvenlik_sozcugu': 'Yanlis2026'})
    assert r.status == 400 and 'guvenlik_sozcugu-hata' in r.text
    assert 'data-state="FORM_CONFIRMED"' in c.get('/basvuru/durum').text
    r = c.post('/basvuru/iptal', {'csrf': token, 'islem': 'sozcuk',
                                  'guvenlik_sozcugu': FORM['guvenlik_sozcugu']})
    assert r.status == 303
    page = c.get('/basvuru/durum').text
    assert 'İptal edildi' in page and 'data-state="CANCELLED"' in page
    assert 'href="/basvuru/form"' in page  # a cancelled applicant may start again
