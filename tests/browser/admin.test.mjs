// Administrators' pages: the calendar of a year and the government's announcement recorded in it,
// units import checked before writing, catalogue versions checked as typed and put in force;
// other roles are refused.
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
  await page.click('form[action="/admin/units"] button');
  assert.match(await page.textContent('#message'), /Không nhập/);
  assert.equal(await page.locator('#units tbody tr').count(), before);
  await page.fill('textarea[name=json]', JSON.stringify({ units: [{ code: '99305', name: 'Xã Thử Nghiệm', kind: 'xa', parent: '99', valid_from: '2026-01-01' }] }));
  await page.click('form[action="/admin/units"] button');
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

test('quản trị ghi thông báo ngày nghỉ năm 2027: kiểm tra trước khi lưu, bỏ lại được', async () => {
  const page = await login(browser, ACCOUNTS.admin);
  await page.goto('/admin/calendar?year=2027');
  // A weekday is no day to swap: refused with the day named, nothing recorded.
  await page.fill('#add-working-day input[name=date]', '08/09/2027');
  await page.fill('#add-working-day input[name=name]', 'Làm bù');
  await page.click('#add-working-day button');
  assert.match(await page.textContent('#message'), /Chưa lưu/);
  assert.match(await page.textContent('#problems'), /Ngày 08\/09\/2027 không phải ngày nghỉ hằng tuần/);
  assert.equal(await page.locator('#working-days').count(), 0);

  await page.fill('#add-day-off input[name=date]', '03/09/2027');
  await page.fill('#add-day-off input[name=name]', 'Quốc khánh (ngày liền kề)');
  await page.click('#add-day-off button');
  assert.match(await page.textContent('#message'), /Đã lưu lịch nghỉ năm 2027; đã tính lại hạn giải quyết của [\d.]+ hồ sơ/);
  const row = page.locator('#days-off tr', { hasText: '03/09/2027' });
  assert.match(await row.textContent(), /Thứ Sáu.*Quốc khánh \(ngày liền kề\).*Thông báo của Chính phủ/s);

  await row.locator('button', { hasText: 'Bỏ' }).click();
  assert.match(await page.textContent('#message'), /Đã lưu lịch nghỉ năm 2027/);
  assert.equal(await page.locator('#days-off tr', { hasText: '03/09/2027' }).count(), 0);
  await page.context().close();
});

const VARIANT = `[catalogue]
id = "hong-lam"
version = "2027.1"
name = "Bộ chỉ tiêu tỉnh Hồng Lam"
extends = "vn-default@2022.1"

[[indicators]]
code = "3.9.1"
name = "Số TTHC được cắt giảm thời gian giải quyết"
unit = "TTHC"
kind = "count"
`;

test('quản trị thêm phiên bản bộ chỉ tiêu: kiểm tra ngay khi gõ, lưu, áp dụng rồi trả lại bộ mặc định', async () => {
  const page = await login(browser, ACCOUNTS.admin);
  await page.goto('/admin/catalogue');
  await page.fill('#catalogue-editor textarea', VARIANT.replace('kind = "count"', 'kind = "dem"'));
  await page.locator('#catalogue-check', { hasText: 'chưa dùng được' }).waitFor();
  await page.fill('#catalogue-editor textarea', VARIANT);
  await page.locator('#catalogue-check', { hasText: 'hợp lệ' }).waitFor();
  assert.match(await page.textContent('#catalogue-check'), /Thêm 1 chỉ tiêu: 3\.9\.1/);
  await page.click('#catalogue-editor button[type=submit]');
  assert.match(await page.textContent('#message'), /Đã lưu bộ chỉ tiêu hong-lam@2027\.1/);

  await page.locator('#versions tr', { hasText: 'hong-lam@2027.1' }).locator('button').click();
  assert.match(await page.textContent('#message'), /Đã áp dụng bộ chỉ tiêu hong-lam@2027\.1 cho các báo cáo lập mới/);
  assert.equal(await page.textContent('#in-force'), 'hong-lam@2027.1');
  assert.match(await page.textContent('#indicators'), /Số TTHC được cắt giảm thời gian giải quyết/);

  // Back to the default, so the other tests' new reports follow it.
  await page.locator('#versions tr', { hasText: 'vn-default@2022.1' }).locator('button').click();
  assert.equal(await page.textContent('#in-force'), 'vn-default@2022.1');
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

test('thêm đơn vị rồi đổi tên bằng biểu mẫu; nhật ký lọc thấy cả hai', async () => {
  const page = await login(browser, ACCOUNTS.admin);
  await page.goto('/admin/units');
  await page.fill('#add-unit input[name=code]', 'B7001');
  await page.fill('#add-unit input[name=name]', 'Xã Thử Trình Duyệt');
  await page.selectOption('#add-unit select[name=kind]', 'xa');
  await page.selectOption('#add-unit select[name=parent]', '99');
  await page.fill('#add-unit input[name=valid_from]', '01/01/2026');
  await page.click('#add-unit button');
  assert.match(await page.textContent('#message'), /Đã thêm đơn vị Xã Thử Trình Duyệt \(B7001\)/);
  // The same code again: refused, the field named.
  await page.fill('#add-unit input[name=code]', 'B7001');
  await page.fill('#add-unit input[name=name]', 'Xã Khác');
  await page.fill('#add-unit input[name=valid_from]', '01/01/2026');
  await page.click('#add-unit button');
  assert.match(await page.textContent('#message'), /Mã đơn vị.*đã có/);
  const option = await page.locator('#rename-unit select[name=unit] option', { hasText: 'B7001' }).first().getAttribute('value');
  await page.selectOption('#rename-unit select[name=unit]', option);
  await page.fill('#rename-unit input[name=new_code]', 'B7001M');
  await page.fill('#rename-unit input[name=new_name]', 'Xã Thử Đổi Tên');
  await page.fill('#rename-unit input[name=date]', '01/07/2026');
  await page.click('#rename-unit button');
  assert.match(await page.textContent('#message'), /Đã đổi tên đơn vị B7001 thành Xã Thử Đổi Tên \(B7001M\) từ ngày 01\/07\/2026/);
  await page.goto('/audit');
  await page.fill('#audit-filter input[name=by]', ACCOUNTS.admin.username);
  await page.click('#audit-filter button');
  const log = await page.textContent('#audit');
  assert.match(log, /thêm đơn vị/);
  assert.match(log, /đổi tên đơn vị/);
  await page.selectOption('#audit-filter select[name=action]', 'đổi tên đơn vị');
  await page.click('#audit-filter button');
  const renamed = await page.textContent('#audit');
  assert.match(renamed, /B7001M/);
  assert.doesNotMatch(renamed, /thêm đơn vị/);
  await page.context().close();
});
