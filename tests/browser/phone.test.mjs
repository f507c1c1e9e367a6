// Pages on a 390 px phone (issue 16): no page scrolls sideways as a whole (wide tables scroll in
// their own box or turn into one card per row), and each page's main link or button can be
// reached on screen. The dashboard's ranking chart keeps its first and last bars inside the plot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, ACCOUNTS } from './lib.mjs';

const PHONE = { width: 390, height: 844 };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Logs in, then shrinks the window to a phone's. */
async function onPhone(account) {
  const page = await login(browser, account);
  await page.setViewportSize(PHONE);
  return page;
}

/** The page is no wider than the phone; else the message names the elements that stick out. */
async function assertFits(page, what) {
  const { width, wide } = await page.evaluate((w) => {
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > w + 0.5)
      .filter((el) => !el.closest('.table-scroll, .scroll, table.grid'))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} (${Math.round(el.getBoundingClientRect().right)} px)`);
    return { width: document.documentElement.scrollWidth, wide };
  }, PHONE.width);
  assert.ok(width <= PHONE.width, `${what}: the page is ${width} px wide on a ${PHONE.width} px phone; sticking out: ${wide.join(', ')}`);
}

/** The element, scrolled to, is wholly inside the phone's screen. */
async function assertOnScreen(locator, what) {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  assert.ok(box, `${what}: not shown`);
  assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `${what}: from ${Math.round(box.x)} to ${Math.round(box.x + box.width)} px, off a ${PHONE.width} px screen`);
  assert.ok(box.y >= 0 && box.y + box.height <= PHONE.height, `${what}: at ${Math.round(box.y)} px, below the screen`);
}

test('điện thoại 390 px: trang chủ, biểu mẫu nhập, hồ sơ không cuộn ngang; "Mở báo cáo" trong màn hình', async () => {
  const compiler = await onPhone(ACCOUNTS.compiler);
  await compiler.goto('/?period=2026-H1');
  await assertFits(compiler, 'trang chủ');
  assert.ok(await compiler.locator('#reports tbody tr').count() > 3);
  await assertOnScreen(compiler.locator('#reports a', { hasText: 'Mở báo cáo' }).first(), '"Mở báo cáo" của dòng đầu');
  await assertOnScreen(compiler.locator('#reports a', { hasText: 'Mở báo cáo' }).last(), '"Mở báo cáo" của dòng cuối');
  await compiler.goto('/compile/991/2025-H1');
  await assertFits(compiler, 'trang tổng hợp');
  await compiler.context().close();

  const officer = await onPhone(ACCOUNTS.sonha);
  await officer.goto('/reports/99101N/2026-H1/form/1');
  await assertFits(officer, 'biểu mẫu 1');
  await assertOnScreen(officer.locator('#entry input.value').first(), 'ô số liệu đầu tiên');
  await assertOnScreen(officer.locator('#save'), 'nút "Lưu nháp"');
  await officer.context().close();

  const counter = await onPhone(ACCOUNTS.lacgiang);
  await counter.goto('/dossiers?period=2026-9M');
  await assertFits(counter, 'sổ theo dõi hồ sơ');
  await assertOnScreen(counter.locator('#dossiers tbody a').first(), 'mã hồ sơ đầu tiên');
  await assertOnScreen(counter.locator('#receive button'), 'nút "Tiếp nhận"');
  await Promise.all([counter.waitForURL(/\/dossiers\/[^/?]+$/), counter.locator('#dossiers tbody a').first().click()]);
  await assertFits(counter, 'trang hồ sơ');
  await assertOnScreen(counter.locator('#event button'), 'nút "Ghi nhận"');
  await counter.goto('/dossiers/stats?period=2026-9M');
  await assertFits(counter, 'Biểu 06');
  await counter.context().close();
});

test('điện thoại 390 px: bảng điều khiển, nhật ký, đơn vị hành chính, lịch nghỉ không cuộn ngang', async () => {
  const leader = await onPhone(ACCOUNTS.leader);
  await leader.goto('/dashboard?period=2026-H1');
  await assertFits(leader, 'bảng điều khiển');
  await assertOnScreen(leader.locator('form.picker select[name=period]'), 'chọn kỳ');
  await assertBarsInside(leader, 'bảng điều khiển trên điện thoại');
  await leader.context().close();

  const admin = await onPhone(ACCOUNTS.admin);
  for (const [url, what, action] of [
    ['/audit', 'nhật ký thay đổi', '#audit-filter button'],
    ['/admin/units', 'đơn vị hành chính', '#add-unit button'],
    ['/admin/calendar?year=2026', 'lịch nghỉ', '#add-day-off button'],
  ]) {
    await admin.goto(url);
    await assertFits(admin, what);
    await assertOnScreen(admin.locator(action), `nút chính của trang ${what}`);
  }
  await admin.context().close();
});

/** Every bar of the ranking chart lies inside the chart's plot, left to right. */
async function assertBarsInside(page, what) {
  await page.waitForFunction(() => !!window.Chart?.getChart(document.getElementById('ranking-chart')));
  const { area, bars } = await page.evaluate(() => {
    const chart = window.Chart.getChart(document.getElementById('ranking-chart'));
    const a = chart.chartArea;
    const bars = chart.data.datasets.flatMap((_, i) => chart.getDatasetMeta(i).data.map((bar) => {
      const { x, width } = bar.getProps(['x', 'width'], true);
      return { left: x - width / 2, right: x + width / 2 };
    }));
    return { area: { left: a.left, right: a.right }, bars };
  });
  assert.ok(bars.length > 0, `${what}: the ranking chart has no bars`);
  for (const [i, b] of bars.entries()) {
    assert.ok(b.left >= area.left - 0.5 && b.right <= area.right + 0.5,
      `${what}: bar ${i} spans ${Math.round(b.left)}–${Math.round(b.right)} px, the plot ${Math.round(area.left)}–${Math.round(area.right)} px`);
  }
}

test('biểu đồ xếp hạng: cột đầu và cột cuối nằm trọn trong biểu đồ (màn hình rộng)', async () => {
  const page = await login(browser, ACCOUNTS.leader);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/dashboard?period=2026-H1');
  await assertBarsInside(page, 'bảng điều khiển');
  await page.context().close();
});

test('điện thoại 390 px: trạng thái từng ô (lỗi, đã lưu) hiện trong màn hình, trang không cuộn ngang', async () => {
  const officer = await onPhone(ACCOUNTS.sonha);
  await officer.goto('/reports/99101N/2026-H1/form/1');
  const cell = officer.locator('#entry input.value[name]:not([readonly])').first();
  const id = await cell.getAttribute('id');
  const original = await cell.inputValue();
  // A value the form refuses: the cell says so, on screen, without widening the page.
  await cell.fill('abc');
  await cell.press('Enter');
  await officer.waitForFunction((i) => document.querySelector('#st-' + i)?.dataset.state === 'failed', id, { timeout: 10_000 });
  await assertOnScreen(officer.locator('#st-' + id), 'trạng thái "lỗi" của ô');
  assert.match(await officer.textContent('#st-' + id), /lỗi/);
  await assertFits(officer, 'biểu mẫu có ô báo lỗi');
  // Back to the stored value: the cell is saved again (nothing is written).
  await officer.locator('#' + id).fill(original);
  await officer.locator('#' + id).press('Enter');
  await officer.waitForFunction((i) => document.querySelector('#st-' + i)?.dataset.state === 'saved', id, { timeout: 10_000 });
  await assertOnScreen(officer.locator('#st-' + id), 'trạng thái "đã lưu" của ô');
  await assertFits(officer, 'biểu mẫu sau khi lưu');
  await officer.context().close();
});
