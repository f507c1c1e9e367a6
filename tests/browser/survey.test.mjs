// The satisfaction survey at the counter (issue 14 item 5) on a 390 px phone, without login: the
// QR code of a receipt leads to /survey/{code}?t={token} (the officer's survey slip of the
// dossier shows the same signed link); the code without its token is refused in Vietnamese; the
// citizen taps one level for each of the five SIPAS questions (large targets, nothing wider than
// the screen), sends, and is thanked; the same link then says the dossier was answered, and a
// second post (a form left open) is refused in Vietnamese. The commune's officer reads the answer
// in the results. A visit without a dossier: the officer issues a code, its slip's QR link is
// answered once on the phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, BASE, ACCOUNTS } from './lib.mjs';

const PHONE = { width: 390, height: 844 };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Receives a dossier at Sơn Hà's counter; returns its receipt code and the signed survey link
 * its slip shows (the receipt's QR code holds the same). */
async function receive() {
  const page = await login(browser, ACCOUNTS.sonha);
  await page.goto('/dossiers');
  await page.selectOption('#receive select[name=applicant_kind]', 'ca-nhan');
  await page.fill('#receive input[name=applicant_name]', 'Lê Thị Hoa');
  await page.fill('#receive input[name=applicant_phone]', '0911 222 333');
  await Promise.all([page.waitForURL(/\/dossiers\/[^/?]+$/), page.click('#receive button[type=submit]')]);
  const code = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  await page.goto('/survey/visits');
  await page.fill('#slip-form input[name=code]', code);
  await Promise.all([page.waitForURL(/\/survey\/slip\?/), page.click('#slip-form button[type=submit]')]);
  const link = await page.getAttribute('#slip-url', 'href');
  assert.match(link, new RegExp(`/survey/${code}\\?t=[0-9a-f]{16}$`));
  await page.context().close();
  return { code, link: new URL(link).pathname + new URL(link).search };
}

test('khảo sát sự hài lòng trên điện thoại 390 px: một phiếu cho mỗi mã hồ sơ', async () => {
  const { code, link } = await receive();
  const context = await browser.newContext({ locale: 'vi-VN', baseURL: BASE, viewport: PHONE });
  const page = await context.newPage();
  // The code alone (typed, guessed) opens nothing.
  const bare = await page.goto(`/survey/${encodeURIComponent(code)}`);
  assert.equal(bare.status(), 403);
  assert.match(await page.textContent('#survey-error'), /Đường dẫn khảo sát không đúng hoặc thiếu mã xác thực/);
  assert.equal(await page.locator('#survey-form').count(), 0);
  await page.goto(link);
  assert.match(await page.textContent('h1'), /Đánh giá mức độ hài lòng/);
  assert.match(await page.textContent('#survey-dossier'), new RegExp(code));
  assert.ok(!(await page.textContent('body')).includes('Lê Thị Hoa'), 'nothing of the applicant');
  const questions = page.locator('fieldset.question');
  assert.equal(await questions.count(), 5);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `the page is ${width} px wide on a 390 px phone`);
  for (const box of await Promise.all((await page.locator('label.level').all()).map((l) => l.boundingBox()))) {
    assert.ok(box && box.height >= 44 && box.x >= 0 && box.x + box.width <= PHONE.width, `a level's tap target: ${JSON.stringify(box)}`);
  }

  // Sent with one question unanswered: the page names it, and keeps what was chosen.
  for (const key of ['tiep_can', 'thu_tuc', 'cong_chuc', 'ket_qua']) {
    await page.locator(`#q-${key} label.level`, { hasText: '5 – Rất hài lòng' }).click();
  }
  await page.click('#survey-form button[type=submit]');
  await page.waitForSelector('#survey-error');
  assert.match(await page.textContent('#survey-error'), /Tiếp nhận và xử lý phản ánh, kiến nghị/);
  assert.equal(await page.locator('#q-tiep_can input[value="5"]').isChecked(), true);

  await page.locator('#q-phan_anh label.level', { hasText: '4 – Hài lòng' }).click();
  await page.fill('textarea[name=comment]', 'Cán bộ hướng dẫn tận tình.');
  const box = await page.locator('#survey-form button[type=submit]').boundingBox();
  assert.ok(box && box.height >= 44 && box.x + box.width <= PHONE.width, 'the button is on screen and large');
  await page.click('#survey-form button[type=submit]');
  await page.waitForSelector('#survey-done');
  assert.match(await page.textContent('#survey-done'), /Cảm ơn ông\/bà đã đánh giá/);

  // The link again: answered, no form; a form left open in another tab is refused in Vietnamese.
  const other = await context.newPage();
  await page.goto(link);
  assert.match(await page.textContent('#survey-done'), /Phiếu khảo sát của hồ sơ này đã được gửi/);
  assert.equal(await page.locator('#survey-form').count(), 0);
  await other.goto(link);
  assert.equal(await other.locator('#survey-form').count(), 0);
  const refused = await other.request.post(link, {
    form: { _csrf: (await context.cookies()).find((c) => c.name === 'cchc_survey').value, tiep_can: '1', thu_tuc: '1', cong_chuc: '1', ket_qua: '1', phan_anh: '1' },
  });
  assert.equal(refused.status(), 409);
  assert.match(await refused.text(), /Phiếu khảo sát của hồ sơ này đã được gửi trước đó/);
  await context.close();

  // The commune's officer reads it in the results (in the period of its receipt).
  const officer = await login(browser, ACCOUNTS.sonha);
  await officer.goto('/survey?by=month');
  assert.match(await officer.textContent('#survey-results'), /Tỷ lệ hài lòng/);
  assert.match(await officer.textContent('#survey-comments'), /Cán bộ hướng dẫn tận tình/);
  await officer.context().close();
});

test('lượt giao dịch không có hồ sơ: cán bộ cấp mã, người dân quét phiếu và đánh giá một lần trên điện thoại 390 px', async () => {
  const officer = await login(browser, ACCOUNTS.sonha);
  await officer.goto('/survey');
  await officer.click('#survey-visits-link');
  await officer.waitForURL(/\/survey\/visits$/);
  await Promise.all([officer.waitForURL(/\/survey\/slip\?code=KS-/), officer.click('#visit-form button[type=submit]')]);
  assert.match(await officer.textContent('#slip-code'), /Mã lượt giao dịch: KS-99101N-\d{6}-\d{4}/);
  const qr = await officer.locator('#slip-qr').boundingBox();
  assert.ok(qr && qr.width >= 150, 'the QR code is printed large enough to scan');
  const href = await officer.getAttribute('#slip-url', 'href');
  const link = new URL(href).pathname + new URL(href).search;
  assert.match(link, /^\/survey\/KS-99101N-\d{6}-\d{4}\?t=[0-9a-f]{16}$/);
  await officer.context().close();

  const context = await browser.newContext({ locale: 'vi-VN', baseURL: BASE, viewport: PHONE });
  const page = await context.newPage();
  await page.goto(link);
  assert.match(await page.textContent('#survey-dossier'), /Lượt giao dịch tại Bộ phận Một cửa/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `the page is ${width} px wide on a 390 px phone`);
  for (const key of ['tiep_can', 'thu_tuc', 'cong_chuc', 'ket_qua', 'phan_anh']) {
    await page.locator(`#q-${key} label.level`, { hasText: '4 – Hài lòng' }).click();
  }
  await page.click('#survey-form button[type=submit]');
  await page.waitForSelector('#survey-done');
  assert.match(await page.textContent('#survey-done'), /Cảm ơn ông\/bà đã đánh giá/);
  await page.goto(link);
  assert.match(await page.textContent('#survey-done'), /đã được gửi trước đó/);
  assert.equal(await page.locator('#survey-form').count(), 0);
  await context.close();
});
