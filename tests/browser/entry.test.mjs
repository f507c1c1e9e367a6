// Data entry with live validation: a wrong figure gets a Vietnamese message beside its field,
// text in a number cell is refused and nothing is saved, a correct draft is saved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// lacgiang's unit has no report for 9 tháng 2026 in the demo: the page starts a new draft.
const FORM1 = '/reports/99201N/2026-9M/form/1';

test('số liệu sai: thông báo hiện ngay cạnh ô nhập', async () => {
  const page = await login(browser, ACCOUNTS.lacgiang);
  await page.goto(FORM1);
  await page.fill('#k-1-9-1', '28');
  await page.fill('#k-1-9-2', '30');
  // Each keystroke pause sends the form as typed; wait for the answer to the last one.
  await page.waitForFunction(() => /\b30\b/.test(document.querySelector('#fb-k-1-9-2')?.textContent ?? ''), null, { timeout: 10_000 });
  const text = await page.locator('#fb-k-1-9-2 p').first().textContent();
  assert.match(text, /^Lỗi: /);
  assert.match(text, /30/);
  assert.match(text, /28/);
  // The message goes away when the figure is corrected, and the rate follows the typed figures.
  await page.fill('#k-1-9-2', '26');
  await page.waitForFunction(() => document.querySelector('#k-1-9-3')?.textContent === '92,86%', null, { timeout: 10_000 });
  await page.locator('#fb-k-1-9-2 p').waitFor({ state: 'detached', timeout: 10_000 });
  await page.context().close();
});

test('chữ trong ô số: báo lỗi ô, không lưu gì', async () => {
  const page = await login(browser, ACCOUNTS.lacgiang);
  await page.goto(FORM1);
  await page.fill('#k-1-9-1', 'hai mươi');
  await page.click('#save');
  assert.match(await page.textContent('#message'), /Chưa lưu: có 1 ô nhập sai/);
  assert.match(await page.textContent('#fb-k-1-9-1'), /Lỗi nhập liệu \(chỉ tiêu 1\.9\.1\): .*số nguyên không âm/);
  assert.equal(await page.inputValue('#k-1-9-1'), 'hai mươi');
  await page.context().close();
});

test('lưu nháp số liệu đúng, viết theo kiểu Việt Nam (1.234)', async () => {
  const page = await login(browser, ACCOUNTS.lacgiang);
  await page.goto(FORM1);
  await page.fill('#k-1-9-1', '1.234');
  await page.fill('#k-1-9-2', '1.000');
  await page.click('#save');
  assert.match(await page.textContent('#message'), /Đã lưu nháp \(phiên bản \d+\)/);
  assert.equal(await page.inputValue('#k-1-9-1'), '1.234');
  assert.match(await page.textContent('[data-code="1.9.3"]'), /81,04%/);
  await page.context().close();
});

test('hai người cùng sửa: người lưu sau được báo xung đột, không ghi đè âm thầm', async () => {
  const first = await login(browser, ACCOUNTS.lacgiang);
  const second = await login(browser, ACCOUNTS.lacgiang);
  await first.goto(FORM1);
  await second.goto(FORM1);
  await first.fill('#k-1-9-1', '40');
  await first.click('#save');
  assert.match(await first.textContent('#message'), /Đã lưu nháp/);
  await second.fill('#k-1-9-1', '41');
  await second.click('#save');
  assert.match(await second.textContent('#message'), /đã được người khác sửa/);
  assert.equal(await second.inputValue('#k-1-9-1'), '41');
  await first.goto(FORM1);
  assert.equal(await first.inputValue('#k-1-9-1'), '40');
  await first.context().close();
  await second.context().close();
});

test('số liệu hồ sơ TTHC điền sẵn từ sổ theo dõi, chỉ đọc, có liên kết nguồn', async () => {
  const page = await login(browser, ACCOUNTS.lacgiang);
  await page.goto('/reports/99201N/2026-9M/form/3');
  const ledger = page.locator('.ledger input[readonly]');
  assert.ok(await ledger.count() > 0, 'có ô lấy từ sổ hồ sơ');
  assert.match(await ledger.first().inputValue(), /^\d{1,3}(\.\d{3})*$/);
  // The ledger's cells link to Biểu 06 of the unit and period (the feedback cells of the form
  // link to /feedback, tested in feedback.test.mjs).
  const href = await page.locator('.ledger a[href^="/dossiers/stats"]').first().getAttribute('href');
  assert.equal(href, '/dossiers/stats?unit=99201N&period=2026-9M');
  // A commune's figures are all cấp xã: no cells for the province or district level.
  assert.equal(await page.locator('.cell label', { hasText: /^cấp (tỉnh|huyện)$/ }).count(), 0);
  await page.context().close();
});
