// Issue 14, done-when: feedback answered one working day late across a public holiday counts as
// late, one answered on its due day in time. A commune officer receives two pieces of feedback on
// Tuesday 25/08/2026 with 5 working days to answer (due Friday 04/09: 31/08–02/09 are Quốc khánh),
// answers one on 04/09 and the other on Monday 07/09; the page says which is late. On a 390 px
// phone the page does not scroll sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Submits a form and waits for the page it leads to. */
async function submit(page, form) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click(`${form} button[type=submit]`)]);
}

async function receive(page, content) {
  await page.goto('/feedback');
  await page.selectOption('#feedback-form select[name=channel]', 'duong-day-nong');
  await page.fill('#feedback-form input[name=received_on]', '25/08/2026');
  await page.fill('#feedback-form input[name=name]', 'Trần Văn Khải');
  await page.fill('#feedback-form input[name=phone]', '0912000111');
  await page.fill('#feedback-form textarea[name=content]', content);
  await page.fill('#feedback-form input[name=time_limit]', '5');
  await submit(page, '#feedback-form');
  assert.match(await page.textContent('[role=status]'), /Đã tiếp nhận phản ánh, kiến nghị số \d+ ngày 25\/08\/2026/);
  const id = new URL(page.url()).hash.replace('#feedback-', '');
  assert.match(id, /^\d+$/);
  assert.match(await page.textContent(`#feedback-${id} td[data-label="Hạn trả lời"]`), /04\/09\/2026/);
  return id;
}

async function answer(page, id, on) {
  await page.click(`#feedback-${id} details:has(#answer-${id}) summary`);
  await page.fill(`#answer-${id} input[name=answered_on]`, on);
  await page.fill(`#answer-${id} textarea[name=text]`, 'Đã trả lời công dân.');
  await submit(page, `#answer-${id}`);
  assert.match(await page.textContent('[role=status]'), /Đã ghi nhận trả lời/);
}

test('PAKN trả lời chậm 1 ngày làm việc qua dịp Quốc khánh là quá hạn; trả lời đúng ngày hạn là đúng hạn', async () => {
  const page = await login(browser, ACCOUNTS.sonha);
  const onDue = await receive(page, 'Đề nghị công khai lịch tiếp công dân (thử đúng hạn)');
  const late = await receive(page, 'Đề nghị công khai lịch tiếp công dân (thử quá hạn)');
  await answer(page, onDue, '04/09/2026');
  await answer(page, late, '07/09/2026');
  assert.equal(await page.locator(`#feedback-${onDue}`).getAttribute('data-status'), 'answered');
  assert.equal(await page.locator(`#feedback-${late}`).getAttribute('data-status'), 'answered-late');
  assert.match(await page.textContent(`#feedback-${late} td[data-label="Tình trạng"]`), /Đã trả lời quá hạn/);
  // The list of answered-late feedback has the late one and not the other.
  await page.goto('/feedback?status=answered-late');
  assert.equal(await page.locator(`#feedback-${late}`).count(), 1);
  assert.equal(await page.locator(`#feedback-${onDue}`).count(), 0);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/feedback');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide on a 390 px phone`);
  await page.context().close();
});

test('sửa thông tin tiếp nhận PAKN chưa trả lời trên điện thoại 390 px: kênh, ngày tiếp nhận (hạn trả lời tính lại), nội dung', async () => {
  const PHONE = { width: 390, height: 844 };
  const page = await login(browser, ACCOUNTS.sonha);
  const id = await receive(page, 'Đề nghị công khai lịch trực (thử sửa thông tin tiếp nhận)');
  await page.setViewportSize(PHONE);
  await page.click(`#feedback-${id} details:has(#edit-${id}) summary`);
  assert.equal(await page.inputValue(`#edit-${id} select[name=channel]`), 'duong-day-nong');
  await page.selectOption(`#edit-${id} select[name=channel]`, 'cong-dich-vu-cong');
  await page.fill(`#edit-${id} input[name=received_on]`, '26/08/2026');
  await page.fill(`#edit-${id} textarea[name=content]`, 'Đề nghị công khai lịch trực của Bộ phận Một cửa');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `the open correction form is ${width} px wide on a 390 px phone`);
  await submit(page, `#edit-${id}`);
  assert.match(await page.textContent('[role=status]'), new RegExp(`Đã sửa thông tin tiếp nhận phản ánh, kiến nghị số ${id}\\.`));
  const row = `#feedback-${id}`;
  assert.match(await page.textContent(`${row} td[data-label="Tiếp nhận"]`), /26\/08\/2026\s*Cổng Dịch vụ công/);
  assert.match(await page.textContent(`${row} td[data-label="Nội dung"]`), /lịch trực của Bộ phận Một cửa/);
  // Received a day later: 5 working days past Quốc khánh, due Monday 07/09.
  assert.match(await page.textContent(`${row} td[data-label="Hạn trả lời"]`), /07\/09\/2026/);
  // Once answered, the intake is no longer corrected.
  await answer(page, id, '07/09/2026');
  assert.equal(await page.locator(`#edit-${id}`).count(), 0);
  assert.equal(await page.locator(row).getAttribute('data-status'), 'answered');
  await page.context().close();
});
