// The dossier list as officers work with it (issue 15 item 3): in the demo, searching "khai sinh"
// finds the birth registrations, the pages go past the 200th dossier with the total shown
// ("Trang 5/… · … hồ sơ"), the overdue list opens from its tab with its rows in red, and the page
// fits a 390 px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** "Trang p/n · N hồ sơ" read as numbers. */
async function summary(page) {
  const text = await page.textContent('#list-summary');
  const m = text.match(/Trang ([\d.]+)\/([\d.]+) · ([\d.]+) hồ sơ/);
  assert.ok(m, `summary: ${text}`);
  return m.slice(1).map((s) => Number(s.replaceAll('.', '')));
}

test('tìm "khai sinh", sang trang quá 200 hồ sơ, mở danh sách quá hạn', async () => {
  const page = await login(browser, ACCOUNTS.compiler);
  await page.goto('/dossiers');
  await page.fill('#dossier-search input[name=from]', '01/01/2025');
  await page.fill('#dossier-search input[name=q]', 'khai sinh');
  await Promise.all([page.waitForURL(/q=khai\+sinh/), page.click('#dossier-search button')]);
  const [first, pages, total] = await summary(page);
  assert.equal(first, 1);
  assert.ok(total > 200, `${total} birth registrations`);
  const procedures = await page.locator('#dossiers tbody td[data-label="Thủ tục"]').allTextContents();
  assert.equal(procedures.length, 50);
  assert.ok(procedures.every((p) => p === 'Đăng ký khai sinh'), procedures.join(', '));
  const fields = await page.locator('#dossiers tbody td[data-label="Lĩnh vực"]').allTextContents();
  assert.ok(fields.every((f) => f === 'Hộ tịch'), 'fields by their names');

  // Four pages on: dossiers 201–250 of the same search.
  for (let i = 0; i < 4; i++) {
    await Promise.all([page.waitForLoadState('load'), page.click('.pager a[rel=next]')]);
  }
  assert.deepEqual(await summary(page), [5, pages, total]);
  const later = await page.locator('#dossiers tbody td[data-label="Thủ tục"]').allTextContents();
  assert.ok(later.length > 0 && later.every((p) => p === 'Đăng ký khai sinh'));

  // The overdue list from its tab: its count is the list's total, its rows red.
  const tab = page.locator('.tabs.worklists a[data-list="Quá hạn"]');
  const count = Number((await tab.locator('.badge').textContent()).replaceAll('.', ''));
  await Promise.all([page.waitForURL(/list=qua-han/), tab.click()]);
  assert.equal((await summary(page))[2], count);
  const rows = page.locator('#dossiers tbody tr');
  const n = await rows.count();
  for (let i = 0; i < n; i++) assert.equal(await rows.nth(i).getAttribute('class'), 'urgent-red');
  if (n > 0) {
    const colour = await rows.first().locator('td').first().evaluate((td) => getComputedStyle(td).backgroundColor);
    assert.equal(colour, 'rgb(253, 236, 234)', 'overdue rows are red');
  }
  await page.context().close();
});

test('điện thoại 390 px: danh sách hồ sơ với bộ lọc và phân trang không cuộn ngang', async () => {
  const page = await login(browser, ACCOUNTS.sonha);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/dossiers?from=01/01/2025&q=ho+tich');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the list is ${width} px wide on a 390 px phone`);
  const next = page.locator('.pager a[rel=next]');
  if (await next.count() > 0) {
    await next.scrollIntoViewIfNeeded();
    const box = await next.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, 'the next page link is on screen');
  }
  await page.context().close();
});
