// The public status lookup /tra-cuu (issue 15 item 4) on a 390 px phone, without login: a
// dossier received at the counter with its applicant is found by its code and the last 4
// digits of the applicant's phone; the page shows the status, procedure, unit and appointment
// and nothing personal; wrong digits and an unknown code get the same Vietnamese answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, BASE, ACCOUNTS } from './lib.mjs';

const PHONE = { width: 390, height: 844 };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Receives a dossier at Sơn Hà's counter with an applicant; returns its receipt code. */
async function receiveWithApplicant() {
  const page = await login(browser, ACCOUNTS.sonha);
  await page.goto('/dossiers');
  await page.selectOption('#receive select[name=applicant_kind]', 'ca-nhan');
  await page.fill('#receive input[name=applicant_name]', 'Trần Thị Bích');
  await page.fill('#receive input[name=applicant_id]', '036190001234');
  await page.fill('#receive input[name=applicant_phone]', '0987 654 321');
  await page.fill('#receive input[name=applicant_address]', 'Thôn Đông, xã Sơn Hà, tỉnh Mẫu');
  await Promise.all([page.waitForURL(/\/dossiers\/[^/?]+$/), page.click('#receive button[type=submit]')]);
  const code = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  assert.match(await page.textContent('#applicant'), /Trần Thị Bích/, 'the receiving officer sees the applicant in full');
  assert.match(await page.textContent('.timeline'), /Phạm Thị Hà/, 'the receipt names its actor');
  await page.context().close();
  return code;
}

async function lookUp(page, code, digits) {
  await page.goto('/tra-cuu');
  await page.fill('input[name=ma]', code);
  await page.fill('input[name=so]', digits);
  await Promise.all([page.waitForURL(/\/tra-cuu\?/), page.click('form button[type=submit]')]);
}

test('tra cứu hồ sơ không cần đăng nhập, trên điện thoại 390 px', async () => {
  const code = await receiveWithApplicant();
  const context = await browser.newContext({ locale: 'vi-VN', baseURL: BASE, viewport: PHONE });
  const page = await context.newPage();

  await lookUp(page, code, '4321');
  const result = page.locator('.lookup-result');
  const text = await result.textContent();
  assert.match(text, /Đang xử lý/);
  assert.match(text, /Ngày hẹn trả kết quả\s*\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  assert.match(text, /Sơn Hà/);
  const body = await page.textContent('body');
  for (const secret of ['Trần Thị Bích', '0987', '036190001234', 'Thôn Đông', 'Phạm Thị Hà']) {
    assert.ok(!body.includes(secret), `the lookup must not show ${secret}`);
  }
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `the page is ${width} px wide on a 390 px phone`);
  const box = await page.locator('form button[type=submit]').boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width, 'the button is on screen');

  // By the ID number's last digits too.
  await lookUp(page, code, '1234');
  assert.match(await page.locator('.lookup-result').textContent(), /Đang xử lý/);

  // Wrong digits and an unknown code: one answer, in Vietnamese.
  await lookUp(page, code, '0000');
  const wrong = await page.locator('[role=alert]').textContent();
  await lookUp(page, '99101N-000101-9999', '4321');
  const unknown = await page.locator('[role=alert]').textContent();
  assert.equal(wrong, unknown);
  assert.match(wrong, /^Không tìm thấy hồ sơ/);
  assert.equal(await page.locator('.lookup-result').count(), 0);
  await context.close();
});
