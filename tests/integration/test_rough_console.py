"""Issue 11, rough edges in the staff console: dates as GG.AA.YYYY, phones
grouped, actor names without internal prefixes, refused operator input
shown as an error (role=alert) with the CSR text kept."""
import re

from test_console import env, apps, login  # noqa: F401 (pytest fixtures)


def test_application_page_display_forms(env, apps):  # noqa: F811
    zon, _ = login(env, 't.zon')
    aid = apps['ismail']['id']
    r = zon.post('/konsol/karar', {'csrf': zon.csrf('/konsol'), 'id': aid, 'karar': 'onayla'})
    assert r.status == 303
    page = zon.get('/konsol/basvuru/' + aid).text
    assert '0532 100 00 01' in page  # the form's mobile, grouped
    assert '03.11.1979' in page and '1979-11-03' not in page
    hist = page[page.index('id="gecmis"'):]
    hist = hist[:hist.index('</table>')]
    assert '<td>Kurum Yetkilisi</td>' in hist and '<td>Başvuru sahibi</td>' in hist, hist
    assert not re.search(r'<td>[a-z]+:[^<]*</td>', hist), hist


def test_audit_page_actor_names(env, apps):  # noqa: F811
    adm, _ = login(env, 't.adm')
    page = adm.get('/konsol/denetim').text
    assert not re.search(r'<td>(yetkili|operator|admin|basvuru|cli):', page)
    assert 't.adm (Yönetici)' in page or 'Konsol girişi' in page
    # The CSV export keeps the stored names for machines.
    csv = adm.get('/konsol/denetim?bicim=csv').text
    assert re.search(r'"?(admin|konsol):', csv)


def test_operator_error_is_an_error_and_keeps_what_was_typed(env, apps):  # noqa: F811
    op, _ = login(env, 't.op')
    aid = apps['cagri']['id']
    r = op.post('/konsol/evrak', {'csrf': op.csrf('/konsol'), 'id': aid, 'dys_no': 'E-4711',
                                  'dys_tarihi': 'dün', 'posta_no': 'RR987654321TR'})
    assert r.status == 303
    page = op.get('/konsol/basvuru/' + aid).text
    m = re.search(r'<div class="alert" role="alert" id="hata-ozeti"[^>]*>([^<]+)</div>', page)
    assert m, page[:2000]
    assert 'role="status" id="bildirim"' not in page
    # What was typed is back in its fields, the message beside the date.
    assert re.search(r'id="dys_no" name="dys_no"[^>]* value="E-4711"', page)
    assert re.search(r'id="posta_no" name="posta_no"[^>]* value="RR987654321TR"', page)
    assert 'id="dys_tarihi-hata"' in page and 'aria-invalid="true"' in page
    # Shown once.
    page = op.get('/konsol/basvuru/' + aid).text
    assert 'E-4711' not in page and 'id="hata-ozeti"' not in page


def test_refused_csr_is_shown_again(env, apps):  # noqa: F811
    zon, _ = login(env, 't.zon')
    op, _ = login(env, 't.op')
    aid = apps['ayse']['id']
    r = zon.post('/konsol/karar', {'csrf': zon.csrf('/konsol'), 'id': aid, 'karar': 'onayla'})
    assert r.status == 303
    r = op.post('/konsol/evrak', {'csrf': op.csrf('/konsol'), 'id': aid, 'dys_no': 'E-1',
                                  'dys_tarihi': '2026-01-05', 'posta_no': 'RR123456789TR'})
    assert r.status == 303
    page = op.get('/konsol/basvuru/' + aid).text
    assert 'data-state="APPROVED"' in page and 'id="csr"' in page, page[:3000]
    csr = '-----BEGIN CERTIFICATE REQUEST-----\nbozuk-istek\n-----END CERTIFICATE REQUEST-----'
    r = op.post('/konsol/uret', {'csrf': op.csrf('/konsol'), 'id': aid, 'csr': csr})
    assert r.status == 303, r.text[:1000]
    page = op.get('/konsol/basvuru/' + aid).text
    assert 'role="alert" id="hata-ozeti"' in page
    m = re.search(r'<textarea id="csr"[^>]*>([^<]*)</textarea>', page)
    assert m and 'bozuk-istek' in m.group(1), page[-4000:]
    assert 'id="csr-hata"' in page
