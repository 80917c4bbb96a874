// Issue 11, rough edges, in a real browser at a phone's width (360 px):
// no page scrolls sideways, Enter in a form field submits "Form Onayla",
// "Yeni resim" keeps what was typed, the audio CAPTCHA answers with a WAV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { startEimza, outboxFind, shot, sql, BIN } from './harness.mjs';

const PASSWORD = 'Konsol-Parola-2026';
const WORD = 'Karadeniz2026';
const MOBILE = '+905321234567';
const PHONE = { viewport: { width: 360, height: 740 } };
let env;

before(async () => {
  env = await startEimza();
  for (const [user, role, scope] of [['r2.yetkili', 'yetkili', 'ZONGULDAK-MEM'],
    ['r2.operator', 'operator', null], ['r2.admin', 'admin', null]]) {
    execFileSync(BIN, ['--db', env.db, '--config',
      path.join(env.dir, 'eimza.conf'), 'user', 'add', user, '--role', role,
      ...(scope ? ['--scope', scope] : [])], { cwd: env.dir, input: PASSWORD + '\n' });
  }
});
after(async () => { if (env) await env.stop(); });

// RFC 6238 (SHA-1, 6 digits, 30 s) for the operator's and admin's TOTP.
function totp(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(msg).digest();
  const off = mac[19] & 15;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}

const visited = [];

// The page shown must fit 360 px: the document is no wider than the window.
async function assertNoOverflow(page, name) {
  const { sw, cw, wide } = await page.evaluate(() => {
    const cw = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > cw + 1)
      .slice(0, 5).map((e) => e.tagName + '.' + e.className + '#' + e.id);
    return { sw: document.documentElement.scrollWidth, cw, wide };
  });
  visited.push(name);
  if (sw > cw) await shot(page, 'r2-overflow-' + name.replace(/[^a-z0-9]+/gi, '_'));
  assert.ok(sw <= cw, `${name}: scrollWidth ${sw} > clientWidth ${cw} (${wide.join(', ')})`);
}

async function visit(page, url, name) {
  const res = await page.goto(env.base + url);
  assert.ok(res.status() < 500, `${url}: ${res.status()}`);
  await assertNoOverflow(page, name || url);
}

async function waitCaptcha(page) {
  await page.waitForFunction(() => {
    const img = document.getElementById('captcha-img');
    return img && img.complete && img.naturalWidth > 0;
  });
}

const WHO = () => ({
  tckn: env.tckns[0], ad: 'Ayşe', soyad: 'Yılmaz', dogum_yeri: 'Zonguldak',
  dogum_tarihi: '12.04.1985', sicil_no: '100001',
});

async function fillLogin(page, who) {
  await page.getByLabel('T.C. Kimlik No').fill(who.tckn);
  await page.getByLabel('Ad', { exact: true }).fill(who.ad);
  await page.getByLabel('Soyad', { exact: true }).fill(who.soyad);
  await page.getByLabel('Doğum Yeri').fill(who.dogum_yeri);
  await page.getByLabel('Doğum Tarihi').fill(who.dogum_tarihi);
  await page.getByLabel('Kurum Sicil No').fill(who.sicil_no);
}

test('public pages fit 360 px; Yeni resim keeps fields; audio CAPTCHA', async () => {
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  for (const url of ['/basvuru', '/bireysel', '/kurye-takip', '/depo/', '/konsol/giris',
    '/yok-boyle-bir-sayfa', '/basvuru?fbclid=IwAR0xyz&utm_source=facebook'])
    await visit(page, url);
  const fav = await page.request.get(env.base + '/favicon.ico');
  assert.equal(fav.status(), 200);
  assert.equal(fav.headers()['content-type'], 'image/x-icon');

  // "Yeni resim" carries the typed fields back and shows a new image.
  await page.goto(env.base + '/basvuru');
  await waitCaptcha(page);
  const first = (await (await page.request.get(env.base + '/dev/captcha')).text()).trim();
  const who = WHO();
  await fillLogin(page, who);
  await page.getByRole('button', { name: 'Yeni resim' }).click();
  await page.waitForLoadState('load');
  await waitCaptcha(page);
  assert.equal(await page.getByLabel('T.C. Kimlik No').inputValue(), who.tckn);
  assert.equal(await page.getByLabel('Doğum Yeri').inputValue(), who.dogum_yeri);
  assert.equal(await page.getByLabel('Kurum Sicil No').inputValue(), who.sicil_no);
  const second = (await (await page.request.get(env.base + '/dev/captcha')).text()).trim();
  assert.notEqual(second, first);
  await assertNoOverflow(page, 'basvuru-yeni-resim');

  // The audio alternative is linked next to the image and reads this one.
  const href = await page.getByRole('link', { name: 'Yazıyı sesli dinle' }).getAttribute('href');
  const wav = await page.request.get(env.base + href);
  assert.equal(wav.status(), 200);
  assert.equal(wav.headers()['content-type'], 'audio/wav');
  const body = await wav.body();
  assert.equal(body.subarray(0, 4).toString('latin1'), 'RIFF');
  assert.equal(body.subarray(8, 12).toString('latin1'), 'WAVE');
  assert.equal((await (await page.request.get(env.base + '/dev/captcha')).text()).trim(), second);

  // A failed login: the error summary takes the focus.
  await page.getByLabel('T.C. Kimlik No').fill('');
  await page.getByLabel('Resimdeki Yazıyı Giriniz').fill(second);
  await page.getByRole('button', { name: 'Giriş' }).click();
  await page.locator('#giris-hata').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'giris-hata');
  await assertNoOverflow(page, 'basvuru-hata');
  await ctx.close();
});

test('portal at 360 px: Enter submits Form Onayla, every step fits', async () => {
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  const who = WHO();
  await page.goto(env.base + '/basvuru');
  await waitCaptcha(page);
  const answer = (await (await page.request.get(env.base + '/dev/captcha')).text()).trim();
  await page.getByLabel('Resimdeki Yazıyı Giriniz').fill(answer);
  await fillLogin(page, who);
  await page.getByLabel('Kurum Sicil No').press('Enter'); // Enter logs in
  await page.waitForURL('**/basvuru/form');
  await assertNoOverflow(page, '/basvuru/form');

  await page.getByLabel('Başvuru Nedeni').selectOption('ILK');
  await page.getByLabel('Kart Okuyucu Tipi').selectOption({ index: 1 });
  await page.getByLabel('Sertifika Süresi').selectOption('3');
  await page.getByLabel('Güvenlik Sözcüğü', { exact: true }).fill(WORD);
  await page.getByLabel('Güvenlik Sözcüğü (Tekrar)').fill(WORD);
  await page.getByLabel('Posta Kodu').fill('67100');
  await page.getByLabel('İl', { exact: true }).selectOption('67');
  await page.locator('#ilce option', { hasText: 'Merkez' }).waitFor({ state: 'attached' });
  await page.getByLabel('İlçe', { exact: true }).selectOption('Merkez');
  await page.getByLabel('İş Telefonu').fill('0372 251 10 20');
  await page.getByLabel('Cep Telefonu').fill('0532 123 45 67');
  await page.getByLabel('Mobil Operatör').selectOption('TURKCELL');
  await page.getByLabel('Bilgi Kanalı').selectOption('IKISI');
  // First with a mistake: Enter submits Form Onayla, the summary is focused
  // and the typed fields are still there.
  await page.getByLabel('E-posta').fill('yanlis-adres');
  await page.getByLabel('E-posta').press('Enter');
  await page.locator('#form-hata').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'form-hata');
  assert.equal(await page.getByLabel('Cep Telefonu').inputValue(), '0532 123 45 67');
  assert.equal(await page.getByLabel('Posta Kodu').inputValue(), '67100');
  await assertNoOverflow(page, '/basvuru/form (hata)');
  await page.getByLabel('E-posta').fill('ayse@example.org');
  await page.getByLabel('Güvenlik Sözcüğü', { exact: true }).fill(WORD);
  await page.getByLabel('Güvenlik Sözcüğü (Tekrar)').fill(WORD);
  await page.getByLabel('E-posta').press('Enter');
  await page.waitForURL('**/basvuru/sms');
  await assertNoOverflow(page, '/basvuru/sms');

  await page.getByRole('button', { name: 'Gönder' }).click();
  const sms = await outboxFind(page.request, env.base,
    (m) => m.channel === 'sms' && m.to === MOBILE && /\d{6}/.test(m.body));
  const code = sms.body.match(/(\d{6})/)[1];
  await page.getByLabel('SMS Doğrulama Kodu').fill(code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Tamam' }).click();
  await page.locator('#sms_kodu-hata').waitFor(); // the error beside the field
  await assertNoOverflow(page, '/basvuru/sms (hata)');
  await page.getByLabel('SMS Doğrulama Kodu').fill(code);
  await page.getByRole('button', { name: 'Tamam' }).click();
  await page.waitForURL('**/basvuru/imza');
  await assertNoOverflow(page, '/basvuru/imza');
  await page.getByLabel('Islak İmzalı Başvuru').check();
  await page.getByRole('button', { name: 'Devam' }).click();
  await page.waitForURL('**/basvuru/durum');
  await assertNoOverflow(page, '/basvuru/durum');
  await visit(page, '/basvuru/iptal');
  await visit(page, '/kurye-takip');
  await visit(page, '/dev/outbox');
  await ctx.close();
});

async function staffLogin(page, user) {
  await page.goto(env.base + '/konsol/giris');
  await page.getByLabel('Kullanıcı Adı').fill(user);
  await page.getByLabel('Parola').fill(PASSWORD);
  await page.getByRole('button', { name: 'Giriş' }).click();
  await page.waitForLoadState('load');
  if (page.url().endsWith('/konsol/dogrulama')) {
    await assertNoOverflow(page, '/konsol/dogrulama');
    const secret = (await page.locator('#totp-anahtar').textContent()).trim();
    await page.getByLabel('Doğrulama Kodu').fill(totp(secret, Math.floor(Date.now() / 30000)));
    await page.getByRole('button', { name: 'Doğrula' }).click();
  }
  await page.waitForURL(/\/konsol$/);
}

// Every link of the console menu and the first application of each list.
async function visitConsole(page, role) {
  await assertNoOverflow(page, `/konsol (${role})`);
  const links = await page.locator('.konsol-menu a').evaluateAll(
    (as) => as.map((a) => a.getAttribute('href')).filter((h) => h.startsWith('/konsol')));
  for (const href of [...new Set(links)]) {
    await visit(page, href, `${href} (${role})`);
    const app = page.locator('a[href^="/konsol/basvuru/"]').first();
    if (await app.count()) {
      await visit(page, await app.getAttribute('href'), `/konsol/basvuru/… (${role})`);
    }
  }
}

test('console pages fit 360 px', async () => {
  for (const [user, role] of [['r2.yetkili', 'yetkili'], ['r2.operator', 'operator'],
    ['r2.admin', 'admin']]) {
    const ctx = await env.browser.newContext(PHONE);
    const page = await ctx.newPage();
    await staffLogin(page, user);
    await visitConsole(page, role);
    await ctx.close();
  }
});

test('NES Bireysel pages fit 360 px', async () => {
  const who = WHO();
  sql(env, "UPDATE applications SET state = 'PRODUCED', flags = 0, otp_last_sent_at = 0 " +
    `WHERE tckn = '${who.tckn}'`);
  sql(env, 'DELETE FROM otp_sends');
  const csr = path.join(env.dir, 'r2-holder.csr');
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt',
    'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(env.dir, 'r2-holder.key'),
    '-subj', '/CN=x', '-out', csr], { stdio: 'ignore' });
  env.cli(['ca', 'issue', '--tckn', who.tckn, '--ad', who.ad, '--soyad', who.soyad,
    '--years', '1', csr]);
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(env.base + '/bireysel');
  await waitCaptcha(page);
  const answer = (await (await page.request.get(env.base + '/dev/captcha')).text()).trim();
  await page.getByLabel('Resimdeki Yazıyı Giriniz').fill(answer);
  await page.getByLabel('T.C. Kimlik No').fill(who.tckn);
  await page.getByLabel('Güvenlik Sözcüğü').fill(WORD);
  await page.getByLabel('Güvenlik Sözcüğü').press('Enter');
  await page.waitForURL('**/bireysel/sms');
  await assertNoOverflow(page, '/bireysel/sms');
  const sms = await outboxFind(page.request, env.base,
    (m) => m.channel === 'sms' && m.to === MOBILE && /NES Bireysel/.test(m.body));
  await page.getByLabel('SMS Doğrulama Kodu').fill(sms.body.match(/\b(\d{6})\b/)[1]);
  await page.getByRole('button', { name: 'Tamam' }).click();
  await page.waitForURL('**/bireysel/sertifikalar');
  await assertNoOverflow(page, '/bireysel/sertifikalar');
  const serial = sql(env, `SELECT serial_hex FROM certificates WHERE tckn = '${who.tckn}'`)
    .trim().split('\n')[0];
  for (const url of ['/bireysel/kurye', '/bireysel/iletisim', '/bireysel/pin',
    `/bireysel/iptal?seri=${serial}`])
    await visit(page, url);
  assert.ok(visited.length >= 25, visited.join('\n'));
  await ctx.close();
});
