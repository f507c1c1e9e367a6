// Administrators' pages: the calendar of a year, units import checked before writing, the
// catalogue in force; other roles are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('lịch làm việc 2026: Tết, Giỗ Tổ theo âm lịch và ngày 24/11', async () => {
  const page = await login(browser, ACCOUNTS.admin);
  await page.goto('/admin/calendar?year=2026');
  const table = await page.textContent('#days-off');
  assert.match(table, /17\/02\/2026/); // mùng 1 Tết Bính Ngọ
  assert.match(table, /1\/1\/2026/); // its lunar date
  assert.match(table, /24\/11\/2026/);
  await page.context().close();
});

test('nhập đơn vị sai cấp trên: báo lỗi, không nhập gì', async () => {
  const page = await login(browser, ACCOUNTS.admin);
  await page.goto('/admin/units');
  const before = await page.locator('#units tbody tr').count();
  await page.fill('textarea[name=json]', JSON.stringify({ units: [{ code: '99999', name: 'Xã Thử', kind: 'xa', parent: 'KHONG-CO' }] }));
  await page.click('form.card button');
  assert.match(await page.textContent('#message'), /Không nhập/);
  assert.equal(await page.locator('#units tbody tr').count(), before);
  await page.fill('textarea[name=json]', JSON.stringify({ units: [{ code: '99305', name: 'Xã Thử Nghiệm', kind: 'xa', parent: '99', valid_from: '2026-01-01' }] }));
  await page.click('form.card button');
  assert.match(await page.textContent('#message'), /Đã nhập 1 đơn vị/);
  assert.match(await page.textContent('#units'), /Xã Thử Nghiệm/);
  await page.context().close();
});

test('bộ chỉ tiêu đang dùng và quy tắc kiểm tra', async () => {
  const page = await login(browser, ACCOUNTS.admin);
  await page.goto('/admin/catalogue');
  assert.match(await page.textContent('#indicators'), /Số nhiệm vụ đề ra trong kế hoạch/);
  assert.ok(await page.locator('#rules tbody tr').count() > 10);
  await page.context().close();
});

test('lãnh đạo và cán bộ xã không vào được trang quản trị', async () => {
  for (const account of [ACCOUNTS.leader, ACCOUNTS.sonha]) {
    const page = await login(browser, account);
    for (const url of ['/admin/units', '/admin/catalogue', '/admin/calendar']) {
      assert.equal((await page.goto(url)).status(), 403, `${account.username} ${url}`);
    }
    await page.context().close();
  }
});
