// A transferred dossier (chuyển liên thông) on the dossier list, on a 390 px phone: received at
// Xã Sơn Hà's counter and transferred to Xã Lạc Giang, its row on both units' lists says where it
// went ("Xã Sơn Hà → Xã Lạc Giang"), the cell within the screen and the page not scrolling sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function daysAgo(days, hm) {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()} ${hm}`;
}

/** On a 390 px phone, the list searched for `id`: the unit cell's text, and whether it fits. */
async function row(account, id) {
  const page = await login(browser, account);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/dossiers?q=${encodeURIComponent(id)}`);
  const cell = page.locator('#dossiers tbody tr', { hasText: id }).locator('td[data-label="Đơn vị"]');
  const text = (await cell.textContent()).trim();
  const box = await cell.boundingBox();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.context().close();
  return { text, fits: box.x >= 0 && box.x + box.width <= 390 && width <= 390, width };
}

test('điện thoại 390 px: hồ sơ chuyển liên thông ghi "Xã Sơn Hà → Xã Lạc Giang" trên danh sách của cả hai xã', async () => {
  const page = await login(browser, ACCOUNTS.sonha);
  await page.goto('/dossiers');
  await page.fill('#receive input[name=at]', daysAgo(2, '08:30'));
  await page.selectOption('#receive select[name=channel]', 'truc-tiep');
  await Promise.all([page.waitForURL(/\/dossiers\/99101N-\d{6}-\d{4}$/), page.click('#receive button')]);
  const id = new URL(page.url()).pathname.split('/').pop();
  await page.selectOption('#event select[name=kind]', 'lien-thong');
  await page.fill('#event input[name=at]', daysAgo(2, '09:00'));
  await page.fill('#event input[name=to_unit]', '99201N');
  await Promise.all([page.waitForLoadState('load'), page.click('#event button')]);
  await page.context().close();

  for (const account of [ACCOUNTS.sonha, ACCOUNTS.lacgiang]) {
    const r = await row(account, id);
    assert.equal(r.text, 'Xã Sơn Hà → Xã Lạc Giang');
    assert.ok(r.fits, `the row fits a 390 px phone (page ${r.width} px wide)`);
  }
});
