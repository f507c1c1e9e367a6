// The submit-and-approve workflow through the pages: the commune sends, the compiling office
// returns with a reason, the commune corrects and sends again, the office approves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Xã Sơn Hà's 6-month report is a draft in the demo.
const REPORT = '/reports/99101N/2026-H1';

async function act(page, action, fields = {}) {
  for (const [name, value] of Object.entries(fields)) await page.fill(`textarea[name=${name}]`, value);
  await Promise.all([page.waitForLoadState('load'), page.click(`button.action-${action}`)]);
}

test('gửi, trả lại, sửa, gửi lại và duyệt báo cáo', async () => {
  const commune = await login(browser, ACCOUNTS.sonha);
  await commune.goto(REPORT);
  assert.equal(await commune.textContent('#status'), 'nháp');
  await act(commune, 'submit', { comment: 'Số liệu kế hoạch sẽ bổ sung ở kỳ sau.' });
  await commune.goto(REPORT);
  assert.equal(await commune.textContent('#status'), 'đã gửi');
  assert.equal(await commune.locator('button.action-submit').count(), 0);

  const office = await login(browser, ACCOUNTS.compiler);
  await office.goto(REPORT);
  await act(office, 'return');
  assert.match(await office.textContent('#message'), /Trả lại báo cáo phải ghi rõ lý do/);
  await act(office, 'return', { reason: 'Bổ sung số nhiệm vụ trong kế hoạch CCHC.' });
  await office.goto(REPORT);
  assert.equal(await office.textContent('#status'), 'trả lại');

  await commune.goto(REPORT);
  assert.match(await commune.textContent('#return-reason'), /Bổ sung số nhiệm vụ/);
  await commune.goto(`${REPORT}/form/1`);
  await commune.fill('#k-1-9-1', '12');
  await commune.fill('#k-1-9-2', '12');
  await commune.click('#save');
  assert.match(await commune.textContent('#message'), /Đã lưu nháp/);
  await commune.goto(REPORT);
  await act(commune, 'submit', { comment: 'Đã bổ sung theo yêu cầu.' });
  await commune.goto(REPORT);
  assert.equal(await commune.textContent('#status'), 'đã gửi');

  await office.goto(REPORT);
  await act(office, 'approve');
  await office.goto(REPORT);
  assert.equal(await office.textContent('#status'), 'đã duyệt');
  const history = await office.textContent('section:has(h2:text("Lịch sử xử lý")) table');
  for (const step of ['gửi', 'trả lại', 'duyệt']) assert.match(history, new RegExp(step));
  await commune.context().close();
  await office.context().close();
});

test('phòng tổng hợp thấy đơn vị chưa gửi', async () => {
  const office = await login(browser, ACCOUNTS.compiler);
  await office.goto('/compile/99/2026-H1');
  assert.match(await office.textContent('#completeness'), /chưa gửi [1-9]/);
  assert.match(await office.textContent('#expected tr[data-unit="99303N"]'), /chưa gửi/);
  // Timeliness against the due date: sent the day after the cut-off, or days after the due date.
  assert.match(await office.textContent('#expected tr[data-unit="99103N"]'), /đúng hạn/);
  assert.match(await office.textContent('#expected tr[data-unit="99301N"]'), /muộn/);
  await office.context().close();
});
