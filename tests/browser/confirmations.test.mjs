// Pages that say what happened (issue 16 item 2): after a return and a submit the next page
// confirms it in a status box, once; a refresh of a form's address gets the Vietnamese page with
// the way back, not the browser's "This page isn't working".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Xã Lạc Giang's 6-month report has been sent in the demo; no other browser test uses it.
const REPORT = '/reports/99201N/2026-H1';

async function act(page, action, fields = {}) {
  for (const [name, value] of Object.entries(fields)) await page.fill(`textarea[name=${name}]`, value);
  await Promise.all([page.waitForURL((u) => u.pathname === REPORT), page.click(`button.action-${action}`)]);
}

test('trả lại rồi gửi báo cáo: trang sau xác nhận một lần', async () => {
  const office = await login(browser, ACCOUNTS.compiler);
  await office.goto(REPORT);
  assert.equal(await office.textContent('#status'), 'đã gửi');
  assert.equal(await office.locator('#flash').count(), 0, 'a confirmation before anything was done');
  await act(office, 'return', { reason: 'Bổ sung số liệu Biểu 2.' });
  const returned = office.locator('[role=status]#flash');
  assert.match(await returned.textContent(), /Đã trả lại báo cáo Xã Lạc Giang – 6 tháng đầu năm 2026 cho đơn vị, lý do: Bổ sung số liệu Biểu 2\./);
  assert.ok(await returned.isVisible());

  const commune = await login(browser, ACCOUNTS.lacgiang);
  await commune.goto(REPORT);
  assert.equal(await commune.textContent('#status'), 'trả lại');
  assert.equal(await commune.locator('#flash').count(), 0, "the office's confirmation shown to the commune");
  await act(commune, 'submit', { comment: 'Đã bổ sung theo yêu cầu.' });
  const sent = commune.locator('#flash');
  assert.equal(await sent.getAttribute('role'), 'status');
  assert.match(await sent.textContent(), /Đã nộp báo cáo Xã Lạc Giang – 6 tháng đầu năm 2026/);
  assert.equal(await commune.textContent('#status'), 'đã gửi');
  // Styled as a success, above the page's heading.
  const box = await sent.evaluate((el) => {
    const s = getComputedStyle(el);
    return { color: s.color, background: s.backgroundColor, beforeHeading: !!(el.compareDocumentPosition(document.querySelector('h1')) & Node.DOCUMENT_POSITION_FOLLOWING) };
  });
  assert.equal(box.background, 'rgb(232, 245, 233)');
  assert.ok(box.beforeHeading, 'the confirmation is not at the top of the page');

  // Shown once: a reload no longer shows it.
  await commune.reload();
  assert.equal(await commune.locator('#flash').count(), 0, 'the confirmation is shown again after a reload');

  // The history names people, with the account in the tooltip.
  const cell = commune.locator('#history td[title="tonghop"]').first();
  assert.equal(await cell.textContent(), ACCOUNTS.compiler.name);

  // The address of the form, opened directly: the Vietnamese page with the way back.
  const response = await commune.goto(`${REPORT}/action`);
  assert.equal(response.status(), 405);
  assert.equal(await commune.textContent('h1'), 'Không mở được địa chỉ này');
  assert.match(await commune.title(), /^Không mở được địa chỉ này/);
  await Promise.all([commune.waitForURL((u) => u.pathname === REPORT), commune.click('#back')]);
  assert.equal(await commune.textContent('#status'), 'đã gửi');

  await office.context().close();
  await commune.context().close();
});
