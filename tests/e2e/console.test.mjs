// The staff console in a real browser: an application made through the
// applicant flow is approved by its institution authority, its wet-signed
// paperwork recorded by a CA operator (both enrol TOTP on first login:
// every staff role has the second factor), and the applicant's outbox
// shows each notice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { startEimza, outboxFind, shot, BIN } from './harness.mjs';

const PASSWORD = 'Konsol-Parola-2026';
const EMAIL = 'ayse.konsol@example.org';
let env;

before(async () => {
  env = await startEimza();
  for (const [user, role, scope] of [['e2e.yetkili', 'yetkili', 'ZONGULDAK-MEM'],
    ['e2e.operator', 'operator', null]]) {
    execFileSync(BIN, ['--db', env.db, '--config',
      path.join(env.dir, 'eimza.conf'), 'user', 'add', user, '--role', role,
      ...(scope ? ['--scope', scope] : [])], { cwd: env.dir, input: PASSWORD + '\n' });
  }
});
after(async () => { if (env) await env.stop(); });

// RFC 6238 (SHA-1, 6 digits, 30 s) for the staff's authenticator.
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

async function apply(page) {
  await page.goto(env.base + '/basvuru');
  await page.waitForFunction(() => {
    const img = document.getElementById('captcha-img');
    return img && img.complete && img.naturalWidth > 0;
  });
  const answer = await (await page.request.get(env.base + '/dev/captcha')).text();
  await page.getByLabel('Resimdeki Yazıyı Giriniz').fill(answer.trim());
  await page.getByLabel('T.C. Kimlik No').fill(env.tckns[0]);
  await page.locator('#ad').fill('Ayşe'); // label 'Ad' also prefixes others
  await page.locator('#soyad').fill('Yılmaz');
  await page.getByLabel('Doğum Yeri').fill('Zonguldak');
  await page.getByLabel('Doğum Tarihi').fill('1985-04-12');
  await page.getByLabel('Kurum Sicil No').fill('100001');
  await page.getByRole('button', { name: 'Giriş' }).click();
  await page.waitForURL('**/basvuru/form');
  await page.getByLabel('Başvuru Nedeni').selectOption('ILK');
  await page.getByLabel('Kart Okuyucu Tipi').selectOption({ index: 1 });
  await page.getByLabel('Sertifika Süresi').selectOption('3');
  await page.locator('#guvenlik_sozcugu').fill('Karadeniz2026');
  await page.locator('#guvenlik_sozcugu_tekrar').fill('Karadeniz2026');
  await page.getByLabel('Posta Kodu').fill('67100');
  await page.locator('#il').selectOption('67');
  await page.locator('#ilce option', { hasText: 'Merkez' }).waitFor({ state: 'attached' });
  await page.locator('#ilce').selectOption('Merkez');
  await page.getByLabel('E-posta').fill(EMAIL);
  await page.getByLabel('İş Telefonu').fill('0372 251 10 20');
  await page.getByLabel('Cep Telefonu').fill('0532 123 45 67');
  await page.getByLabel('Mobil Operatör').selectOption('TURKCELL');
  await page.getByLabel('Bilgi Kanalı').selectOption('EPOSTA');
  await page.getByRole('button', { name: 'Form Onayla' }).click();
  await page.waitForURL('**/basvuru/sms');
  await page.getByRole('button', { name: 'Gönder' }).click();
  const sms = await outboxFind(page.request, env.base,
    (m) => m.channel === 'sms' && /\d{6}/.test(m.body));
  await page.getByLabel('SMS Doğrulama Kodu').fill(sms.body.match(/(\d{6})/)[1]);
  await page.getByRole('button', { name: 'Tamam' }).click();
  await page.waitForURL('**/basvuru/imza');
  await page.getByLabel('Islak İmzalı Başvuru').check();
  await page.getByRole('button', { name: 'Devam' }).click();
  await page.waitForURL('**/basvuru/durum');
  return (await page.locator('dd strong').first().textContent()).trim();
}

async function staffLogin(page, user) {
  await page.goto(env.base + '/konsol/giris');
  await page.getByLabel('Kullanıcı Adı').fill(user);
  await page.getByLabel('Parola').fill(PASSWORD);
  await page.getByRole('button', { name: 'Giriş' }).click();
}

test('authority approves, operator records paperwork, applicant is told', async () => {
  const applicant = await env.browser.newPage();
  const number = await apply(applicant);
  assert.match(number, /^\d{4}-\d{6}$/);

  // The institution authority: queue, application beside the record, approve.
  const auth = await env.browser.newPage();
  await staffLogin(auth, 'e2e.yetkili');
  await auth.waitForURL('**/konsol/dogrulama');
  const authSecret = (await auth.locator('#totp-anahtar').textContent()).trim();
  await auth.getByLabel('Doğrulama Kodu').fill(totp(authSecret, Math.floor(Date.now() / 30000)));
  await auth.getByRole('button', { name: 'Doğrula' }).click();
  await auth.waitForURL(/\/konsol$/);
  assert.equal(await auth.locator('svg.chart').count(), 2);
  await shot(auth, 'konsol-01-pano');
  await auth.getByRole('link', { name: /Onay bekleyen başvurular/ }).click();
  await auth.getByRole('link', { name: number }).click();
  await auth.locator('#karsilastirma').waitFor();
  await shot(auth, 'konsol-02-basvuru');
  await auth.getByRole('button', { name: 'Onayla' }).click();
  await auth.getByText('Başvuru onaylandı.').waitFor();
  assert.equal(await auth.locator('#durum').getAttribute('data-state'), 'AWAITING_APPROVAL');

  // The CA operator: TOTP enrolment with the QR code, then the paperwork.
  const op = await env.browser.newPage();
  await staffLogin(op, 'e2e.operator');
  await op.waitForURL('**/konsol/dogrulama');
  assert.equal(await op.locator('.qr-box svg').count(), 1);
  await shot(op, 'konsol-03-totp');
  const secret = (await op.locator('#totp-anahtar').textContent()).trim();
  await op.getByLabel('Doğrulama Kodu').fill(totp(secret, Math.floor(Date.now() / 30000)));
  await op.getByRole('button', { name: 'Doğrula' }).click();
  await op.waitForURL(/\/konsol$/);
  await op.getByRole('link', { name: /Islak imzalı evrak bekleyen/ }).click();
  await op.getByRole('link', { name: number }).click();
  await op.getByLabel('DYS Sayısı').fill('E-12345678');
  await op.getByLabel('DYS Tarihi').fill('2026-01-05');
  await op.getByLabel('İadeli Taahhütlü Posta No').fill('RR123456789TR');
  await op.getByRole('button', { name: 'Evrakı Kaydet' }).click();
  await op.getByText('Evrak kaydedildi.').waitFor();
  assert.equal(await op.locator('#durum').getAttribute('data-state'), 'APPROVED');
  await shot(op, 'konsol-04-evrak');

  // The applicant: status and one notice per step in the outbox.
  await applicant.goto(env.base + '/basvuru/durum');
  assert.equal(await applicant.locator('#durum').getAttribute('data-state'), 'APPROVED');
  const mine = (m) => m.channel === 'email' && m.to === EMAIL;
  await outboxFind(applicant.request, env.base, (m) => mine(m) && /onaylandı/.test(m.subject));
  await outboxFind(applicant.request, env.base, (m) => mine(m) && /evrak/i.test(m.subject));
  await outboxFind(applicant.request, env.base, (m) => mine(m) && m.body.includes(number));
  await applicant.goto(env.base + '/dev/outbox');
  await shot(applicant, 'konsol-05-outbox');
  await Promise.all([applicant.close(), auth.close(), op.close()]);
});
