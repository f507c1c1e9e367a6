// Issue 14 item 3: the compiling office records a planned inspection done with its findings
// ("đã kiểm tra 5/6 đơn vị"), the commune inspected records the remedy of a recommendation, the
// province's report shows 1.3.x from the records read-only with a link to them, and the pages fit
// a 390 px phone; a planned inspection is rescheduled on a phone and a concurrent edit from a page
// loaded before is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The row of the inspection of the unit named (by its first cell: the edit forms list every unit). */
function inspected(page, name) {
  return page.locator('#inspections tbody tr', { has: page.locator('td[data-label="Đơn vị được kiểm tra"]', { hasText: name }) });
}

/** Submits a form and waits for the page it leads to. */
async function submit(page, form) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click(`${form} button[type=submit]`)]);
}

test('ghi kết quả kiểm tra theo kế hoạch, đơn vị được kiểm tra ghi khắc phục kiến nghị, biểu báo cáo lấy số liệu kiểm tra', async () => {
  const page = await login(browser, ACCOUNTS.compiler);
  await page.goto('/inspections?unit=99&year=2026');
  assert.match(await page.textContent('#summary'), /đã kiểm tra 4\/6 đơn vị, đạt 66,67% kế hoạch/);
  // The service centre, planned for 20/10/2026: recorded done with two findings.
  const row = inspected(page, 'Trung tâm Phục vụ hành chính công tỉnh');
  assert.equal(await row.getAttribute('data-done'), 'no');
  const id = (await row.getAttribute('id')).replace('inspection-', '');
  await page.click(`#inspection-${id} details summary`);
  await page.fill(`#done-${id} input[name=done_on]`, '22/10/2026');
  await page.fill(`#done-${id} textarea[name=findings]`, 'Chưa niêm yết đủ TTHC | niêm yết đầy đủ TTHC\nMàn hình tra cứu hỏng');
  await page.fill(`#done-${id} input[name=deadline]`, '30/11/2026');
  await submit(page, `#done-${id}`);
  assert.match(await page.textContent('[role=status]'), /Đã ghi kết quả kiểm tra \(2 vấn đề phát hiện\)/);
  assert.equal(await page.locator(`#inspection-${id}`).getAttribute('data-done'), 'yes');
  assert.match(await page.textContent('#summary'), /đã kiểm tra 5\/6 đơn vị/);
  await page.context().close();

  // The commune inspected closes one of its recommendations.
  const commune = await login(browser, ACCOUNTS.sonha);
  await commune.goto('/inspections');
  assert.equal(await commune.locator('#inspection-form').count(), 0, 'a commune inspects nobody');
  const open = commune.locator('#inspections li[data-state=open], #inspections li[data-state=overdue]', { hasText: 'Chưa công khai đầy đủ tiến độ' });
  const fid = (await open.getAttribute('id')).replace('finding-', '');
  await commune.click(`#finding-${fid} details summary`);
  await commune.fill(`#follow-${fid} input[name=resolved_on]`, '20/11/2026');
  await commune.fill(`#follow-${fid} input[name=note]`, 'Đã lắp màn hình công khai tiến độ');
  await submit(commune, `#follow-${fid}`);
  assert.match(await commune.textContent('[role=status]'), /khắc phục xong/);
  assert.equal(await commune.locator(`#finding-${fid}`).getAttribute('data-state'), 'resolved');
  assert.ok(!(await commune.textContent('#open')).includes('Chưa công khai đầy đủ tiến độ'));
  await commune.context().close();

  // The province's 6-month report: 4 units inspected (1 department, 3 communes), read-only, linked.
  const form = await login(browser, ACCOUNTS.compiler);
  await form.goto('/reports/99/2026-H1/form/1');
  assert.equal(await form.inputValue('#k-1-3-4'), '4');
  assert.equal(await form.inputValue('#k-1-3-3'), '3');
  assert.equal(await form.inputValue('#k-1-3-10'), '6');
  assert.equal(await form.getAttribute('#k-1-3-4', 'readonly'), '');
  assert.equal(await form.locator('a[href="/inspections?unit=99&period=2026-H1"]').first().textContent(), 'sổ kiểm tra');
  await form.context().close();
});

test('điện thoại 390 px: trang kiểm tra không cuộn ngang', async () => {
  for (const account of [ACCOUNTS.sonha, ACCOUNTS.compiler]) {
    const page = await login(browser, account);
    const PHONE = { width: 390, height: 844 };
    await page.setViewportSize(PHONE);
    for (const url of ['/inspections?year=2026', '/inspections?year=2026&stage=open']) {
      await page.goto(url);
      const { width, wide } = await page.evaluate((w) => {
        const wide = [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > w + 0.5)
          .filter((el) => !el.closest('.table-scroll, .scroll, table.grid'))
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} (${Math.round(el.getBoundingClientRect().right)} px)`);
        return { width: document.documentElement.scrollWidth, wide };
      }, PHONE.width);
      assert.ok(width <= PHONE.width, `${account.username} ${url}: ${width} px wide; sticking out: ${wide.join(', ')}`);
    }
    await page.context().close();
  }
});

test('dời lịch cuộc kiểm tra theo kế hoạch trên điện thoại 390 px; bản sửa cùng lúc từ trang cũ bị từ chối, không ghi đè', async () => {
  const PHONE = { width: 390, height: 844 };
  const page = await login(browser, ACCOUNTS.compiler);
  await page.setViewportSize(PHONE);
  // Without a year the list is of the period being viewed (the navigation's link carries it).
  await page.goto('/inspections?unit=99&period=2026-H1');
  assert.equal(await page.inputValue('#inspections-year'), '2026');
  const row = inspected(page, 'Xã Thuận Lộc');
  const id = (await row.getAttribute('id')).replace('inspection-', '');
  // A second officer's page, loaded before the change.
  const other = await login(browser, ACCOUNTS.compiler);
  await other.goto('/inspections?unit=99&year=2026');

  await page.click(`#inspection-${id} details:has(#edit-${id}) summary`);
  assert.equal(await page.inputValue(`#edit-${id} input[name=scheduled_on]`), '12/11/2026');
  await page.fill(`#edit-${id} input[name=scheduled_on]`, '19/11/2026');
  await page.fill(`#edit-${id} input[name=team]`, 'Đoàn kiểm tra CCHC tỉnh (Văn phòng UBND tỉnh chủ trì)');
  const { width } = await page.evaluate(() => ({ width: document.documentElement.scrollWidth }));
  assert.ok(width <= PHONE.width, `the open edit form is ${width} px wide on a 390 px phone`);
  await submit(page, `#edit-${id}`);
  assert.match(await page.textContent('[role=status]'), /Đã lưu cuộc kiểm tra .*, dự kiến ngày 19\/11\/2026\./);
  assert.match(await page.textContent(`#inspection-${id}`), /Dự kiến 19\/11\/2026/);
  assert.match(await page.textContent(`#inspection-${id}`), /Văn phòng UBND tỉnh chủ trì/);

  // The other page, still at the old version: refused in Vietnamese, the new day kept.
  await other.click(`#inspection-${id} details:has(#edit-${id}) summary`);
  await other.fill(`#edit-${id} input[name=scheduled_on]`, '26/11/2026');
  await submit(other, `#edit-${id}`);
  assert.match(await other.textContent('#message'), /Cuộc kiểm tra đã được người khác sửa .*chưa lưu gì/);
  await page.goto('/inspections?unit=99&year=2026');
  assert.match(await page.textContent(`#inspection-${id}`), /Dự kiến 19\/11\/2026/);

  // Every year on demand, from the selector.
  await page.selectOption('#inspections-year', 'all');
  await submit(page, '#inspections-search');
  assert.equal(new URL(page.url()).searchParams.get('year'), 'all');
  assert.equal(await page.locator(`#inspection-${id}`).count(), 1);
  await page.context().close();
  await other.context().close();
});
