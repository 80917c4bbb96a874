"""Drives the applicant portal over HTTP, step by step (shared by tests).

Each step returns the Response so a test can assert on it; `apply_until`
walks a demo person up to a given state.
"""
import json
import re

from conftest import DEMO, Client

FORM = {
    'basvuru_nedeni': 'ILK', 'kart_okuyucu': 'MINI', 'sertifika_suresi': '3',
    'guvenlik_sozcugu': 'Karadeniz2026', 'guvenlik_sozcugu_tekrar': 'Karadeniz2026',
    'birim': 'Müdürlük', 'unvan': 'Öğretmen', 'adres': 'Meşrutiyet Mah. Okul Cad. No:5',
    'posta_kodu': '67100', 'il': '67', 'ilce': 'Merkez', 'eposta': 'ayse@example.org',
    'is_tel': '0372 251 10 20', 'dahili': '', 'cep_tel': '0532 123 45 67', 'ev_tel': '',
    'operator': 'TURKCELL', 'bilgi_kanali': 'IKISI',
}


def identity(**over):
    who = {k: DEMO[k] for k in ('tckn', 'ad', 'soyad', 'dogum_yeri', 'dogum_tarihi',
                                'sicil_no')}
    who.update(over)
    return who


def login(c: Client, who=None, captcha=None):
    """Step 1. Fetches the CAPTCHA image (binding it to the session) and
    answers it through /dev/captcha unless `captcha` is given."""
    token = c.csrf('/basvuru')
    img = c.get('/captcha.png')
    assert img.status == 200 and img.body[:8] == b'\x89PNG\r\n\x1a\n'
    answer = captcha if captcha is not None else c.get('/dev/captcha').text.strip()
    data = dict(identity() if who is None else who)
    data.update(csrf=token, captcha=answer)
    return c.post('/basvuru', data)


def submit_form(c: Client, **over):
    token = c.csrf('/basvuru/form')
    data = dict(FORM)
    data.update(over)
    data['csrf'] = token
    return c.post('/basvuru/form', data)


def outbox(c: Client):
    return json.loads(c.get('/dev/outbox.json').text)


def send_sms(c: Client):
    token = c.csrf('/basvuru/sms')
    return c.post('/basvuru/sms', {'csrf': token, 'islem': 'gonder'})


def last_sms_code(c: Client, number='+905321234567'):
    for m in outbox(c):
        if m['channel'] == 'sms' and m['to'] == number:
            found = re.search(r'\b(\d{6})\b', m['body'])
            if found:
                return found.group(1)
    raise AssertionError('no SMS code in the outbox')


def verify_sms(c: Client, code):
    token = c.csrf('/basvuru/sms')
    return c.post('/basvuru/sms', {'csrf': token, 'sms_kodu': code})


def choose_wet(c: Client):
    token = c.csrf('/basvuru/imza')
    return c.post('/basvuru/imza', {'csrf': token, 'imza_yontemi': 'ISLAK'})


def apply_until(c: Client, state='AWAITING_APPROVAL', who=None, **form):
    """Walks the flow for `who` (default: the first demo person) and returns
    the status page's text."""
    r = login(c, who)
    assert r.status == 303, r.text[:500]
    if state == 'LOGGED_IN':
        return r
    r = submit_form(c, **form)
    assert r.status == 303, r.text[:2000]
    if state == 'FORM_CONFIRMED':
        return r
    assert send_sms(c).status == 303
    mobile = '+90' + re.sub(r'\D', '', form.get('cep_tel', FORM['cep_tel']))[-10:]
    r = verify_sms(c, last_sms_code(c, mobile))
    assert r.status == 303, r.text[:500]
    if state == 'SMS_VERIFIED':
        return r
    r = choose_wet(c)
    assert r.status == 303, r.text[:500]
    return c.get('/basvuru/durum')
