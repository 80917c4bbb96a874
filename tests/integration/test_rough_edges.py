"""Issue 11, rough edges: tracking parameters on GET pages, "Yeni resim"
keeping what was typed, the audio CAPTCHA, the default submit button and
the error summary."""
import re
import struct

from conftest import Client
from flow import identity, login


def test_unknown_query_parameters_are_ignored_on_get(client):
    for path in ['/basvuru?fbclid=IwAR0abc', '/basvuru?utm_source=x&utm_medium=y',
                 '/bireysel?fbclid=1', '/kurye-takip?utm_campaign=z', '/konsol?gclid=q']:
        r = client.get(path)
        assert r.status in (200, 303), (path, r.status)
    # A declared query field is still checked.
    r = client.get('/basvuru/ilceler?il=67&fbclid=x')
    assert r.status == 200 and 'Merkez' in r.text
    assert client.get('/basvuru/ilceler?il=abc&fbclid=x').status == 400


def test_unknown_fields_stay_refused_in_post(client):
    token = client.csrf('/basvuru')
    assert client.post('/basvuru?fbclid=1', {'csrf': token}).status == 400
    token = client.csrf('/basvuru')
    assert client.post('/basvuru', {'csrf': token, 'fbclid': '1'}).status == 400


def test_new_picture_keeps_typed_fields(client):
    token = client.csrf('/basvuru')
    client.get('/captcha.png')
    who = identity()
    data = dict(who, csrf=token, captcha='', islem='resim')
    r = client.post('/basvuru', data)
    assert r.status == 200, r.text
    for k in ('tckn', 'ad', 'soyad', 'dogum_yeri', 'sicil_no'):
        assert 'value="%s"' % who[k] in r.text, k
    assert 'captcha-hata' not in r.text  # nothing was checked
    assert 'name="islem" value="resim"' in r.text


def test_login_enter_submits_login_first(client):
    r = client.get('/basvuru')
    buttons = re.findall(r'<button type="submit"[^>]*>', r.text)
    assert buttons and 'name=' not in buttons[0], buttons  # the default: Giriş
    r = client.get('/bireysel')
    buttons = re.findall(r'<button type="submit"[^>]*>', r.text)
    assert buttons and 'name=' not in buttons[0], buttons


def wav_info(body):
    assert body[:4] == b'RIFF' and body[8:12] == b'WAVE', body[:16]
    riff_size = struct.unpack('<I', body[4:8])[0]
    return riff_size


def test_audio_captcha_is_the_image_answer(client):
    assert client.get('/basvuru/captcha.wav').status == 404  # no image yet
    client.get('/basvuru')
    client.get('/captcha.png')
    answer = client.get('/dev/captcha').text.strip()
    r = client.get('/basvuru/captcha.wav')
    assert r.status == 200
    assert r.headers['Content-Type'] == 'audio/wav'
    assert 'no-store' in r.headers['Cache-Control']
    assert wav_info(r.body) == len(r.body) - 8
    assert 22050 < len(r.body) < 2 * 1024 * 1024
    # Listening does not change the answer: the login still passes with it.
    assert client.get('/dev/captcha').text.strip() == answer
    token = client.csrf('/basvuru')
    r = client.post('/basvuru', dict(identity(), csrf=token, captcha=answer))
    assert r.status == 303, r.text


def test_audio_captcha_is_bounded_per_image(client):
    client.get('/basvuru')
    client.get('/captcha.png')
    statuses = [client.get('/basvuru/captcha.wav').status for _ in range(6)]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429, statuses
    client.get('/captcha.png')  # a new image: plays again
    assert client.get('/basvuru/captcha.wav').status == 200


def test_login_error_summary_links_to_fields(client):
    r = login(client, who=dict(identity(), tckn='', ad=''))
    assert r.status == 400
    m = re.search(r'<div class="alert" role="alert" id="giris-hata" '
                  r'tabindex="-1" autofocus>(.*?)</div>', r.text, re.S)
    assert m, r.text
    assert 'href="#tckn"' in m.group(1) and 'href="#ad"' in m.group(1)
    assert 'id="tckn-hata"' in r.text


def test_form_default_button_and_word_explained(client):
    c = Client(client.base)
    assert login(c).status == 303
    r = c.get('/basvuru/form')
    assert r.status == 200
    form = r.text[r.text.index('id="basvuru-formu"'):]
    first = re.search(r'<button type="submit"[^>]*>([^<]*)<', form)
    assert first.group(1) == 'Form Onayla' and 'name=' not in first.group(0)
    assert 'boş gelir' in r.text  # the security word fields say they are emptied


def test_favicon(client):
    r = client.get('/favicon.ico')
    assert r.status == 200
    assert r.headers['Content-Type'] == 'image/x-icon'
    assert r.body[:4] == b'\x00\x00\x01\x00'  # ICO header, one image
    assert r.body[22:26] == b'\x89PNG'
    assert 'rel="icon" href="/favicon.ico"' in client.get('/basvuru').text


def test_ca_name_comes_from_config(tmp_path):
    import os
    import shutil
    import subprocess
    from conftest import Server, run_cli, write_config
    d = str(tmp_path)
    write_config(d)
    conf = os.path.join(d, 'eimza.conf')
    with open(conf) as f:
        text = f.read()
    with open(conf, 'w') as f:
        f.write(text.replace('[ca]\n', '[ca]\nname = Deneme Elektronik Sertifika Hizmet '
                             'Sağlayıcısı A.Ş.\n', 1))
    run_cli(d, 'init', '--demo')
    s = Server(d)
    try:
        c = Client(s.base)
        for path in ('/basvuru', '/bireysel', '/depo/', '/kurye-takip'):
            page = c.get(path).text
            assert 'Deneme Elektronik Sertifika Hizmet Sağlayıcısı A.Ş.' in page, path
            assert not re.search(r'\beimza\b', page), path
    finally:
        s.stop()
    # The CA certificates carry it as O=, and no lower-case software name.
    for pem in ('root.pem', 'issuing.pem'):
        out = subprocess.run(['openssl', 'x509', '-noout', '-subject', '-nameopt', 'utf8',
                              '-in', os.path.join(d, 'ca', pem)],
                             capture_output=True, text=True, check=True).stdout
        assert 'Deneme Elektronik Sertifika Hizmet Sağlayıcısı A.Ş.' in out, out
        assert 'eimza' not in out, out
    shutil.rmtree(d, ignore_errors=True)


def test_sms_error_beside_field_and_dead_code_shows_no_time(client):
    import pytest
    from conftest import DEMO
    from flow import apply_until, send_sms
    people = DEMO['people']
    if len(people) <= 9:
        pytest.skip('too few demo people for a separate applicant')
    c = Client(client.base)
    apply_until(c, 'FORM_CONFIRMED', who=identity(**people[-1]), cep_tel='0535 222 33 44')
    assert send_sms(c).status == 303
    page = c.get('/basvuru/sms').text
    assert 'kalan yaklaşık' in page and 'artık geçerli değil' not in page
    for _ in range(3):
        r = c.post('/basvuru/sms', {'csrf': c.csrf('/basvuru/sms'), 'sms_kodu': '000000'})
        assert r.status == 400
        # The message stands beside the code field, the summary links to it.
        m = re.search(r'<p class="error" id="sms_kodu-hata">([^<]+)</p>', r.text)
        assert m, r.text[:3000]
        assert 'href="#sms_kodu"' in r.text
        assert 'aria-describedby="sms_kodu-ipucu sms_kodu-hata"' in r.text
    # Three wrong tries: the code is dead and no remaining time is shown.
    assert 'kalan yaklaşık' not in r.text
    assert 'artık geçerli değil' in r.text
