// A first-time applicant walks the guide's steps 1-6 in a real browser,
// reading the CAPTCHA and the SMS code from the dev routes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEimza, outboxFind, shot, ARTIFACTS } from './harness.mjs';

let env;
before(async () => { env = await startEimza(); });
after(async () => { if (env) await env.stop(); });

async function login(page, who) {
  await page.goto(env.base + '/basvuru');
  await page.waitForFunction(() => {
    const img = document.getElementById('captcha-img');
    return img && img.complete && img.naturalWidth > 0;
  });
  const answer = await (await page.request.get(env.base + '/dev/captcha')).text();
  await page.getByLabel('Resimdeki Yazıyı Giriniz').fill(answer.toLowerCase());
  await page.getByLabel('T.C. Kimlik No').fill(who.tckn);
  await page.getByLabel('Ad', { exact: true }).fill(who.ad);
  await page.getByLabel('Soyad', { exact: true }).fill(who.soyad);
  await page.getByLabel('Doğum Yeri').fill(who.dogum_yeri);
  await page.getByLabel('Doğum Tarihi').fill(who.dogum_tarihi);
  await page.getByLabel('Kurum Sicil No').fill(who.sicil_no);
}

test('first application: login, form, SMS, wet signature, status, PDF', async () => {
  const page = await env.browser.newPage();
  const who = {
    tckn: env.tckns[0], ad: 'ayşe', soyad: 'YILMAZ', dogum_yeri: 'zonguldak',
    dogum_tarihi: '12.04.1985', sicil_no: '100001',
  };
  assert.ok(who.tckn, 'init --demo printed an identity');

  // Step 1: a wrong CAPTCHA is refused, then the right one passes.
  await login(page, who);
  await page.getByLabel('Resimdeki Yazıyı Giriniz').fill('YANLIS');
  await page.getByRole('button', { name: 'Giriş' }).click();
  await page.getByText('Resimdeki yazıyı doğru giriniz').waitFor();
  await shot(page, '01-giris-hatali-captcha');
  await login(page, who);
  await shot(page, '01-giris');
  await page.getByRole('button', { name: 'Giriş' }).click();

  // Step 2: the form, identity read-only, Kurum Adı from the records.
  await page.waitForURL('**/basvuru/form');
  assert.equal(await page.getByLabel('T.C. Kimlik No').inputValue(), who.tckn);
  assert.equal(await page.getByLabel('T.C. Kimlik No').getAttribute('readonly'), '');
  assert.match(await page.getByLabel('Kurum Adı').inputValue(), /\S/);
  await page.getByLabel('Başvuru Nedeni').selectOption('ILK');
  await page.getByLabel('Kart Okuyucu Tipi').selectOption({ index: 1 });
  await page.getByLabel('Sertifika Süresi').selectOption('3');
  await page.getByLabel('Güvenlik Sözcüğü', { exact: true }).fill('Karadeniz2026');
  await page.getByLabel('Güvenlik Sözcüğü (Tekrar)').fill('Karadeniz2026');
  await page.getByLabel('Posta Kodu').fill('34000'); // wrong province on purpose
  await page.getByLabel('E-posta').fill('ayse.yilmaz@example.org');
  await page.getByLabel('İş Telefonu').fill('0372 251 10 20');
  await page.getByLabel('Cep Telefonu').fill('0532 123 45 67');
  await page.getByLabel('Mobil Operatör').selectOption('TURKCELL');
  await page.getByLabel('Bilgi Kanalı').selectOption('IKISI');
  await page.getByRole('button', { name: 'Form Onayla' }).click();
  await page.getByText('Posta kodunun ilk iki hanesi').waitFor();
  await shot(page, '02-form-hata');
  // Entered values are kept; the security word is not.
  assert.equal(await page.getByLabel('E-posta').inputValue(), 'ayse.yilmaz@example.org');
  await page.getByLabel('Posta Kodu').fill('67100');
  await page.getByLabel('Güvenlik Sözcüğü', { exact: true }).fill('Karadeniz2026');
  await page.getByLabel('Güvenlik Sözcüğü (Tekrar)').fill('Karadeniz2026');
  // İl/İlçe cascade with JavaScript.
  await page.getByLabel('İl', { exact: true }).selectOption('74');
  await page.locator('#ilce option', { hasText: 'Ulus' }).waitFor({ state: 'attached' });
  await page.getByLabel('İl', { exact: true }).selectOption('67');
  await page.locator('#ilce option', { hasText: 'Çaycuma' }).waitFor({ state: 'attached' });
  await page.getByLabel('İlçe', { exact: true }).selectOption('Merkez');
  await shot(page, '02-form');
  await page.getByRole('button', { name: 'Form Onayla' }).click();

  // Steps 3-4: SMS code through the outbox.
  await page.waitForURL('**/basvuru/sms');
  assert.match(await page.textContent('main'), /67/);
  await shot(page, '03-sms-gonder');
  await page.getByRole('button', { name: 'Gönder' }).click();
  const sms = await outboxFind(page.request, env.base,
    (m) => m.channel === 'sms' && /\d{6}/.test(m.body));
  assert.equal(sms.to, '+905321234567');
  const code = sms.body.match(/(\d{6})/)[1];
  await page.getByLabel('SMS Doğrulama Kodu').fill(code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Tamam' }).click();
  await page.getByText('Kalan deneme hakkı: 2').waitFor();
  await page.getByLabel('SMS Doğrulama Kodu').fill(code);
  await shot(page, '04-sms-dogrula');
  await page.getByRole('button', { name: 'Tamam' }).click();

  // Step 5: a first application can only be wet-signed.
  await page.waitForURL('**/basvuru/imza');
  assert.equal(await page.getByLabel('E-Onaylı Başvuru').count(), 0);
  await shot(page, '05-imza');
  await page.getByLabel('Islak İmzalı Başvuru').check();
  await page.getByRole('button', { name: 'Devam' }).click();

  // Step 6: contact the authority; the authority was notified.
  await page.waitForURL('**/basvuru/durum');
  await page.getByRole('heading', { name: 'Kurum yetkiliniz ile irtibata geçin' }).waitFor();
  const sample = await page.getByLabel('Örnek e-posta').inputValue();
  assert.match(sample, /Sayın Yetkili/);
  assert.match(sample, /Ayşe Yılmaz|AYŞE YILMAZ|ayşe YILMAZ/i);
  await shot(page, '06-durum');
  const toAuthority = await outboxFind(page.request, env.base,
    (m) => m.channel === 'email' && m.to === 'zonguldakmem@meb.gov.tr');
  assert.match(toAuthority.subject, /e-İmza/);

  // The wet-signature PDF carries the name with its Turkish letters.
  const pdf = await page.request.get(env.base + '/basvuru/form.pdf');
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  const pdfPath = path.join(ARTIFACTS, 'basvuru-formu.pdf');
  writeFileSync(pdfPath, await pdf.body());
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' });
  assert.match(text, /Yılmaz|YILMAZ/);
  assert.match(text, /Ayşe|AYŞE|ayşe/);
  assert.match(text, /Sertifika Sahibi Taahhütnamesi/);

  // Logging in again shows the application, not a new form.
  await page.goto(env.base + '/basvuru/cikis');
  await login(page, who);
  await page.getByRole('button', { name: 'Giriş' }).click();
  await page.waitForURL('**/basvuru/durum');
  await page.close();
});
