"""Issue 11 rough edges in the staff console: a refused new account keeps
what was typed; the login and TOTP pages move the focus to the error; the
audit filter shows no internal syntax; the TOTP issuer and the PDF creator
are the CA's name (ca.name), not the software's name."""
import html
import re
import subprocess
import tempfile
import urllib.parse

from conftest import DEMO
from test_console import env, apps, login, new_client, PASSWORD  # noqa: F401

CA_NAME = 'e-İmza Nitelikli Elektronik Sertifika Hizmet Sağlayıcısı'  # ca.name default


def test_refused_new_account_keeps_what_was_typed(env):  # noqa: F811
    adm, _ = login(env, 't.adm')
    r = adm.post('/konsol/kullanicilar', {
        'csrf': adm.csrf('/konsol/kullanicilar'), 'islem': 'ekle',
        'kullanici_adi': 'y.kisa', 'rol': 'yetkili', 'yetki_birimi': 'ZONGULDAK-MEM',
        'parola': 'kisa'})
    assert r.status == 400, r.text[:800]
    assert 'id="yeni-parola-hata"' in r.text
    assert re.search(r'id="yeni_kullanici_adi"[^>]* value="y\.kisa"', r.text)
    assert re.search(r'<option value="ZONGULDAK-MEM" selected>', r.text)
    assert 'kisa"' not in r.text.split('id="yeni_parola"')[1].split('>')[0]
    r = adm.post('/konsol/kullanicilar', {
        'csrf': adm.csrf('/konsol/kullanicilar'), 'islem': 'ekle',
        'kullanici_adi': 't.adm', 'rol': 'operator', 'yetki_birimi': '', 'parola': ''})
    assert r.status == 409, r.text[:800]
    assert re.search(r'id="yeni_kullanici_adi"[^>]* value="t\.adm"', r.text)
    assert '<option value="operator" selected>' in r.text
    # A fresh page is empty again.
    page = adm.get('/konsol/kullanicilar').text
    assert re.search(r'id="yeni_kullanici_adi"[^>]* value=""', page)
    assert ' selected>' not in page


def test_login_error_takes_the_focus(env):  # noqa: F811
    c, r = login(env, 't.adm', password='yanlis-parola-123', expect_ok=False)
    assert r.status in (400, 401)
    m = re.search(r'<div class="error error-summary" role="alert" tabindex="-1" autofocus '
                  r'id="giris-hata">[^<]+<ul', r.text)
    assert m, r.text[:1500]
    assert '<a href="#kullanici_adi">Kullanıcı Adı</a>' in r.text
    assert r.text.count('autofocus') == 1


def test_totp_error_takes_the_focus_and_issuer_is_the_ca(env):  # noqa: F811
    adm, _ = login(env, 't.adm')
    r = adm.post('/konsol/kullanicilar', {
        'csrf': adm.csrf('/konsol/kullanicilar'), 'islem': 'ekle',
        'kullanici_adi': 'y.odak', 'rol': 'operator', 'yetki_birimi': '',
        'parola': PASSWORD})
    assert r.status == 303, r.text[:800]
    c = new_client(env)
    r = c.post('/konsol/giris', {'csrf': c.csrf('/konsol/giris'), 'kullanici_adi': 'y.odak',
                                 'parola': PASSWORD})
    assert r.status == 303 and r.headers['Location'] == '/konsol/dogrulama'
    page = c.get('/konsol/dogrulama').text
    m = re.search(r'href="(otpauth://[^"]+)" id="totp-baglanti"', page)
    assert m, page[:2000]
    uri = urllib.parse.urlsplit(html.unescape(m.group(1)))
    q = urllib.parse.parse_qs(uri.query)
    assert q['issuer'] == [CA_NAME]
    assert urllib.parse.unquote(uri.path) == '/' + CA_NAME + ':y.odak'
    assert 'eimza' not in m.group(1)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = c.post('/konsol/dogrulama', {'csrf': token, 'dogrulama_kodu': '000000'})
    assert r.status in (400, 401), r.text[:800]
    assert re.search(r'<div class="error error-summary" role="alert" tabindex="-1" autofocus '
                     r'id="kod-hata">[^<]+<ul', r.text), r.text[:2000]
    assert '<a href="#dogrulama_kodu">Doğrulama Kodu</a>' in r.text


def test_audit_filter_label_has_no_internal_syntax(env):  # noqa: F811
    adm, _ = login(env, 't.adm')
    page = adm.get('/konsol/denetim').text
    m = re.search(r'<label for="aktor">([^<]*)</label>', page)
    assert m and m.group(1) == 'İşlemi Yapan', page[:3000]
    assert 'yetkili:' not in m.group(1)


def test_pdf_creator_is_the_ca(env, apps):  # noqa: F811
    c = apps['ayse']['client']
    r = c.get('/basvuru/form.pdf')
    assert r.status == 200 and r.body.startswith(b'%PDF'), r.status
    with tempfile.NamedTemporaryFile(suffix='.pdf') as f:
        f.write(r.body)
        f.flush()
        info = subprocess.run(['pdfinfo', f.name], capture_output=True, text=True,
                              check=True).stdout
    creator = re.search(r'^Creator:\s*(.*)$', info, re.M).group(1)
    assert creator == CA_NAME, info
    assert DEMO is not None
