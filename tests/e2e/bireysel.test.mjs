// NES Bireysel in a real browser: a certificate holder logs in (CAPTCHA,
// T.C. Kimlik No, Güvenlik Sözcüğü), enters the SMS code, sees their
// certificate and suspends it. The holder is made over HTTP (portal flow up
// to AWAITING_APPROVAL), then set to PRODUCED with SQL and given a
// certificate with `eimza ca issue --tckn` (the documented test shortcut).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startEimza, outboxFind, shot, sql } from './harness.mjs';

const WORD = 'Karadeniz2026';
const MOBILE = '+905321234567';

let env;
before(async () => { env = await startEimza(); });
after(async () => { if (env) await env.stop(); });

async function csrf(request, url) {
  const html = await (await request.get(env.base + url)).text();
  const m = html.match(/name="csrf" value="([^"]+)"/);
  assert.ok(m, 'no csrf field on ' + url);
  return m[1];
}

async function postForm(request, url, form) {
  const res = await request.post(env.base + url, {
    form: { csrf: await csrf(request, url), ...form }, maxRedirects: 0,
  });
  assert.equal(res.status(), 303, url + ': ' + (await res.text()).slice(0, 400));
}

// The portal flow over HTTP: login, form, SMS, wet signature.
async function applyOverHttp(who) {
  const ctx = await env.browser.newContext();
  const rq = ctx.request;
  const token = await csrf(rq, '/basvuru');
  await rq.get(env.base + '/captcha.png');
  const answer = (await (await rq.get(env.base + '/dev/captcha')).text()).trim();
  const res = await rq.post(env.base + '/basvuru', {
    form: { csrf: token, captcha: answer, ...who }, maxRedirects: 0,
  });
  assert.equal(res.status(), 303);
  await postForm(rq, '/basvuru/form', {
    basvuru_nedeni: 'ILK', kart_okuyucu: 'MINI', sertifika_suresi: '3',
    guvenlik_sozcugu: WORD, guvenlik_sozcugu_tekrar: WORD, birim: 'Müdürlük',
    unvan: 'Öğretmen', adres: 'Meşrutiyet Mah. Okul Cad. No:5', posta_kodu: '67100',
    il: '67', ilce: 'Merkez', eposta: 'ayse@example.org', is_tel: '0372 251 10 20',
    dahili: '', cep_tel: '0532 123 45 67', ev_tel: '', operator: 'TURKCELL',
    bilgi_kanali: 'IKISI',
  });
  await postForm(rq, '/basvuru/sms', { islem: 'gonder' });
  const msg = await outboxFind(rq, env.base, (m) => m.channel === 'sms' && m.to === MOBILE);
  await postForm(rq, '/basvuru/sms', { sms_kodu: msg.body.match(/\b(\d{6})\b/)[1] });
  await postForm(rq, '/basvuru/imza', { imza_yontemi: 'ISLAK' });
  await ctx.close();
}

test('holder: login, SMS code, certificate list, hold', async () => {
  const who = {
    tckn: env.tckns[0], ad: 'Ayşe', soyad: 'Yılmaz', dogum_yeri: 'Zonguldak',
    dogum_tarihi: '1985-04-12', sicil_no: '100001',
  };
  assert.ok(who.tckn, 'init --demo printed an identity');
  await applyOverHttp(who);
  sql(env, "UPDATE applications SET state = 'PRODUCED', flags = 0, otp_last_sent_at = 0 " +
    `WHERE tckn = '${who.tckn}'; DELETE FROM otp_sends;`);
  const csr = path.join(env.dir, 'holder.csr');
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt',
    'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(env.dir, 'holder.key'),
    '-subj', '/CN=x', '-out', csr], { stdio: 'ignore' });
  env.cli(['ca', 'issue', '--tckn', who.tckn, '--ad', who.ad, '--soyad', who.soyad,
    '--years', '1', csr]);
  const serial = sql(env, `SELECT serial_hex FROM certificates WHERE tckn = '${who.tckn}'`)
    .trim();
  assert.match(serial, /^[0-9A-F]+$/);

  const page = await env.browser.newPage();
  await page.goto(env.base + '/');
  await page.getByRole('link', { name: 'NES Bireysel İşlemler' }).click();
  await page.waitForURL('**/bireysel');
  await page.waitForFunction(() => {
    const img = document.getElementById('captcha-img');
    return img && img.complete && img.naturalWidth > 0;
  });
  const answer = await (await page.request.get(env.base + '/dev/captcha')).text();
  await page.getByLabel('Resimdeki Yazıyı Giriniz').fill(answer);
  await page.getByLabel('T.C. Kimlik No').fill(who.tckn);
  await page.getByLabel('Güvenlik Sözcüğü').fill(WORD);
  await shot(page, 'bireysel-01-giris');
  await page.getByRole('button', { name: 'Giriş' }).click();

  await page.waitForURL('**/bireysel/sms');
  const sms = await outboxFind(page.request, env.base,
    (m) => m.channel === 'sms' && m.to === MOBILE && /NES Bireysel/.test(m.body));
  await page.getByLabel('SMS Doğrulama Kodu').fill(sms.body.match(/\b(\d{6})\b/)[1]);
  await shot(page, 'bireysel-02-sms');
  await page.getByRole('button', { name: 'Tamam' }).click();

  await page.waitForURL('**/bireysel/sertifikalar');
  const row = page.locator(`#sertifika-${serial}`);
  assert.equal(await row.locator('.cert-status').textContent(), 'Geçerli');
  await shot(page, 'bireysel-03-sertifikalar');
  await row.getByRole('button', { name: 'Askıya Al' }).click();
  await page.waitForURL('**/bireysel/sertifikalar');
  await page.getByText('Sertifikanız askıya alındı').waitFor();
  assert.equal(await page.locator(`#sertifika-${serial} .cert-status`).textContent(), 'Askıda');
  assert.equal(await page.locator(`#sertifika-${serial}`)
    .getByRole('button', { name: 'Askıdan Kaldır' }).count(), 1);
  await shot(page, 'bireysel-04-askida');
  await outboxFind(page.request, env.base,
    (m) => m.channel === 'email' && /askıya alındı/.test(m.subject || ''));
  await page.close();
});
