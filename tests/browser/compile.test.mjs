// The compiling office's job end to end, as Phòng Nội vụ of huyện Sơn Hà does it for the first half
// of 2025 (the demo's district before the 2025 mergers): the communes' reports are sent and
// approved; compile the district, open its forms with the compiled figures read-only and drill down
// to one commune, send the district's report upward, download its DOCX.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, login } from './lib.mjs';

const OFFICE = { username: 'nvsonha', name: 'Đặng Thị Nội', role: 'cán bộ tổng hợp', unit: '991' };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('phòng Nội vụ huyện tổng hợp, xem chi tiết, gửi lên tỉnh và tải DOCX', async () => {
  const page = await login(browser, OFFICE);
  // Xã Sơn Thủy's report is sent, not yet approved: the district's office approves it.
  await page.goto('/reports/99104/2025-H1');
  await Promise.all([page.waitForURL(/\/reports\/99104\/2025-H1$/), page.click('button.action-approve')]);
  assert.equal(await page.textContent('#status'), 'đã duyệt');
  await page.goto('/compile/991/2025-H1');
  assert.match(await page.textContent('#completeness'), /Đã gửi 4\/6 đơn vị/);
  await Promise.all([page.waitForURL(/\/reports\/991\/2025-H1\?compiled=\d+/), page.click('#compile')]);
  assert.match(await page.textContent('#notice'), /Đã tổng hợp: \d+ số liệu/);
  assert.match(await page.textContent('#compilation'), /từ báo cáo của 4 đơn vị/);
  assert.match(await page.textContent('#compilation'), /Chưa gửi: .*Xã Sơn Kim/);

  // Form 1: the citizens received (12 in each of the four communes) is compiled, read-only.
  await page.goto('/reports/991/2025-H1/form/1');
  const cell = page.locator('#k-1-10-1');
  assert.equal(await cell.inputValue(), '48');
  assert.equal(await cell.getAttribute('readonly'), '');
  assert.equal(await cell.getAttribute('name'), null, 'a compiled figure is not posted with the form');
  await Promise.all([page.waitForURL(/\/figure\?key=1\.10\.1$/), page.click('.cell:has(#k-1-10-1) .compiled a')]);
  assert.equal(await page.textContent('#figure-value'), '48');
  assert.match(await page.textContent('#contributions tr[data-unit="99101"]'), /Thị trấn Sơn Hà\s*12\s*đã gửi/);
  assert.match(await page.textContent('#contributions tr[data-unit="99105"]'), /chưa gửi báo cáo/);

  // The district sends its compiled report upward (explaining the warnings, if any).
  await page.goto('/reports/991/2025-H1');
  await page.fill('textarea[name=comment]', 'Xã Sơn Kim chưa gửi báo cáo; số liệu tổng hợp từ 4 xã, thị trấn đã gửi.');
  await Promise.all([page.waitForURL(/\/reports\/991\/2025-H1$/), page.click('button.action-submit')]);
  assert.equal(await page.textContent('#status'), 'đã gửi');
  assert.equal(await page.locator('#compile').count(), 0, 'a report sent upward is not compiled again');

  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), page.click('#download-docx')]);
  const bytes = await readFile(await download.path());
  assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  await page.context().close();
});

test('cán bộ tổng hợp tỉnh thấy báo cáo tổng hợp của huyện ở trang tổng hợp của tỉnh', async () => {
  const page = await login(browser, { username: 'tonghop' });
  await page.goto('/compile/99/2025-H1');
  const row = page.locator('#expected tr[data-unit="991"]');
  assert.equal(await row.count(), 1);
  await page.setViewportSize({ width: 390, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `trang tổng hợp tràn ngang ${overflow}px ở 390px`);
  await page.context().close();
});

test('tỉnh trả lại báo cáo của huyện, chỉ rõ chỉ tiêu; huyện thấy đánh dấu trên biểu mẫu và giải trình đã gửi', async () => {
  const province = await login(browser, { username: 'tonghop' });
  await province.goto('/reports/991/2025-H1');
  assert.match(await province.textContent('#explanation'), /Xã Sơn Kim chưa gửi báo cáo/);
  await province.fill('textarea[name=reason]', 'Đề nghị rà soát Biểu mẫu 1.');
  await province.fill('#marks', '1.1: Số văn bản chỉ đạo chưa khớp phần I của báo cáo');
  await Promise.all([province.waitForURL(/\/reports\/991\/2025-H1$/), province.click('button.action-return')]);
  assert.equal(await province.textContent('#status'), 'trả lại');
  await province.context().close();

  const office = await login(browser, OFFICE);
  await office.goto('/reports/991/2025-H1/form/1');
  const cell = office.locator('.cell.marked:has(#k-1-1)');
  assert.match(await cell.locator('p.mark').textContent(), /Đề nghị xem lại: Số văn bản chỉ đạo chưa khớp/);
  await office.context().close();
});

test('nhập báo cáo đã ban hành (còn sai sót) của Mỹ Tú qua trình duyệt, thấy sai sót giữ nguyên', async () => {
  const page = await login(browser, { username: 'quantri' });
  // The units of the example reports first (Quản trị → Đơn vị).
  await page.goto('/admin/units');
  await page.fill('textarea[name=json]', await readFile(new URL('../../examples/units.json', import.meta.url), 'utf8'));
  await Promise.all([page.waitForLoadState('load'), page.click('form:has(textarea[name=json]) button[type=submit]')]);
  await page.goto('/reports/import');
  await page.setInputFiles('input[name=file]', new URL('../../examples/reports/my-tu-2021.json', import.meta.url).pathname);
  await page.check('#issued');
  await Promise.all([page.waitForURL(/\/reports\/import/), page.click('#import-form button')]);
  assert.match(await page.textContent('#imported'), /Đã lưu báo cáo đã ban hành của đơn vị 94-MYTU kỳ năm 2021/);
  assert.match(await page.textContent('#import-findings'), /53\.858/);
  await page.goto('/reports/94-MYTU/2021-Y');
  assert.match(await page.textContent('#issued'), /Sai sót của bản đã ban hành/);
  assert.match(await page.textContent('#issued'), /dùng bản đã ban hành này/);
  await page.context().close();
});
