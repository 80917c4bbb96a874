// The institution's endorsement link (issue 11) in a real browser at
// 360 px: the application is made over HTTP (the portal's own forms, with
// the session's CSRF token), then the principal opens the link from the
// official mailbox, types name and title by label and confirms; the page
// fits the narrow screen and a second visit is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEimza, outboxFind, shot } from './harness.mjs';

let env;
before(async () => { env = await startEimza(); });
after(async () => { if (env) await env.stop(); });

async function csrf(request, url) {
  const html = await (await request.get(url)).text();
  return html.match(/name="csrf" value="([^"]+)"/)[1];
}

async function post(request, url, form) {
  const res = await request.post(url, { form: { csrf: await csrf(request, url), ...form },
    maxRedirects: 0 });
  assert.equal(res.status(), 303, `${url}: ${res.status()}`);
  return res;
}

// Steps 1-5 for the first printed identity, wet-signed.
async function apply(request) {
  const token = await csrf(request, env.base + '/basvuru');
  await request.get(env.base + '/captcha.png');
  const answer = await (await request.get(env.base + '/dev/captcha')).text();
  const login = await request.post(env.base + '/basvuru', { maxRedirects: 0, form: {
    csrf: token, captcha: answer.trim(), tckn: env.tckns[0], ad: 'Ayşe', soyad: 'Yılmaz',
    dogum_yeri: 'Zonguldak', dogum_tarihi: '1985-04-12', sicil_no: '100001' } });
  assert.equal(login.status(), 303);
  await post(request, env.base + '/basvuru/form', {
    basvuru_nedeni: 'ILK', kart_okuyucu: 'MINI', sertifika_suresi: '3',
    guvenlik_sozcugu: 'Karadeniz2026', guvenlik_sozcugu_tekrar: 'Karadeniz2026',
    birim: 'Müdürlük', unvan: 'Öğretmen', adres: 'Meşrutiyet Mah. Okul Cad. No:5',
    posta_kodu: '67100', il: '67', ilce: 'Merkez', eposta: 'ayse@example.org',
    is_tel: '0372 251 10 20', dahili: '', cep_tel: '0532 123 45 67', ev_tel: '',
    operator: 'TURKCELL', bilgi_kanali: 'IKISI' });
  await post(request, env.base + '/basvuru/sms', { islem: 'gonder' });
  const sms = await outboxFind(request, env.base,
    (m) => m.channel === 'sms' && /\b\d{6}\b/.test(m.body));
  await post(request, env.base + '/basvuru/sms', { sms_kodu: sms.body.match(/\b(\d{6})\b/)[1] });
  await post(request, env.base + '/basvuru/imza', { imza_yontemi: 'ISLAK' });
}

async function noHorizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <=
    document.documentElement.clientWidth);
}

test('endorsement link at 360 px: labelled form, recorded once', async () => {
  const applicant = await env.browser.newContext();
  await apply(applicant.request);
  const mail = await outboxFind(applicant.request, env.base,
    (m) => m.channel === 'email' && /kurum-onayi\?t=/.test(m.body));
  const link = mail.body.match(/(\/kurum-onayi\?t=[0-9a-f]{64})/)[1];
  await applicant.close();

  const principal = await env.browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await principal.newPage();
  await page.goto(env.base + link);
  await page.getByText('erişimi kanıtlar').waitFor();
  assert.ok(await noHorizontalOverflow(page), 'the link page scrolls sideways at 360 px');
  await shot(page, 'kurum-onayi-360');
  await page.getByLabel('Okul / Kurum İdarecisinin Adı ve Soyadı').fill('Mehmet Öztürk');
  // A blank title passes the browser's `required` but not the server,
  // which answers beside the field and keeps the name typed.
  await page.getByLabel('Unvanı').fill(' ');
  await page.getByLabel('Unvanı').press('Enter');
  await page.locator('#unvan-hata').waitFor();
  assert.equal(await page.getByLabel('Okul / Kurum İdarecisinin Adı ve Soyadı').inputValue(),
    'Mehmet Öztürk');
  await page.getByLabel('Unvanı').fill('Okul Müdürü');
  await page.getByRole('button', { name: 'Kurum adına onaylıyorum' }).click();
  await page.getByText('Onayınız kaydedildi').waitFor();
  assert.ok(await noHorizontalOverflow(page));
  const again = await principal.request.get(env.base + link);
  assert.equal(again.status(), 409);
  assert.match(await again.text(), /daha önce kullanıldı/);
  await principal.close();
});
