// Dossier pages: the Biểu 06 table, receiving a dossier at the counter, recording its events with
// an illegal step refused in Vietnamese, and the timeline with its due date.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('Biểu 06 của tỉnh: tổng cộng và tỷ lệ theo định dạng Việt Nam', async () => {
  const page = await login(browser, ACCOUNTS.leader);
  await page.goto('/dossiers/stats?period=2026-H1');
  const total = await page.textContent('#bieu06 tfoot');
  assert.match(total, /Tổng cộng/);
  assert.match(total, /\d{1,3}\.\d{3}/); // thousands with a dot
  assert.match(await page.textContent('.ratios'), /Tỷ lệ giải quyết trước hạn và đúng hạn: \d{2},\d{2}%/);
  await page.context().close();
});

test('tiếp nhận hồ sơ, yêu cầu bổ sung, bước sai bị từ chối, trả kết quả', async () => {
  const page = await login(browser, ACCOUNTS.lacgiang);
  await page.goto('/dossiers?period=2026-9M');
  await page.fill('#receive input[name=at]', '07/09/2026 08:30');
  await page.selectOption('#receive select[name=channel]', 'truc-tiep');
  await Promise.all([page.waitForURL(/\/dossiers\/99201N-260907-\d{4}$/), page.click('#receive button')]);
  assert.match(await page.textContent('#dossier-status'), /đang xử lý/);

  const step = async (kind, at) => {
    await page.selectOption('#event select[name=kind]', kind);
    await page.fill('#event input[name=at]', at);
    await Promise.all([page.waitForLoadState('load'), page.click('#event button')]);
  };
  await step('yeu-cau-bo-sung', '08/09/2026 10:00');
  assert.match(await page.textContent('#dossier-status'), /yêu cầu bổ sung/);
  // A wrong step is not offered (only the events of the dossier's state are; the server refuses
  // the others too, crates/web/tests/worklists.rs).
  const offered = await page.locator('#event select[name=kind] option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(!offered.includes('tra-ket-qua') && offered.includes('bo-sung'), `offered: ${offered}`);
  assert.match(await page.textContent('#dossier-status'), /yêu cầu bổ sung/);
  await step('bo-sung', '10/09/2026 09:00');
  await step('da-xu-ly', '10/09/2026 15:00');
  await step('tra-ket-qua', '11/09/2026 08:00');
  assert.match(await page.textContent('#dossier-status'), /đã trả kết quả/);
  const timeline = await page.textContent('.timeline');
  for (const line of ['Tiếp nhận hồ sơ (trực tiếp)', 'Yêu cầu bổ sung', 'Công dân bổ sung', 'Đã xử lý xong', 'Trả kết quả']) assert.match(timeline, new RegExp(line.replace(/[()]/g, '\\$&')));
  assert.match(await page.textContent('#due'), /^\d{2}\/\d{2}\/2026 \d{2}:\d{2}$/);
  // Found again by searching the list for its receipt code.
  const id = new URL(page.url()).pathname.split('/').pop();
  await page.goto(`/dossiers?period=2026-9M&q=${id}`);
  assert.match(await page.textContent('#list-summary'), /^Trang 1\/1 · 1 hồ sơ/);
  assert.equal(await page.locator('#dossiers tbody tr').count(), 1);
  await page.context().close();
});

test('hồ sơ trong sổ đã nhập ghi thêm bước tại quầy: được cập nhật và vẫn chỉ một hồ sơ', async () => {
  // The demo's ledger is stored as an import (the archive): this step moves the dossier out of
  // its block into a row of its own. A dossier waiting for a supplement gets it; one in
  // progress is resolved.
  const steps = [['yêu cầu bổ sung', 'bo-sung', 'đang xử lý'], ['đang xử lý', 'da-xu-ly', 'đã xử lý xong']];
  const page = await login(browser, ACCOUNTS.lacgiang);
  let found;
  for (const period of ['2026-9M', '2026-Y']) {
    await page.goto(`/dossiers?period=${period}`);
    for (const [status, kind, after] of steps) {
      const rows = page.locator('#dossiers tbody tr').filter({ has: page.locator('td:last-child', { hasText: new RegExp(`^${status}$`) }) });
      if (!found && await rows.count() > 0) found = { period, kind, after, id: (await rows.first().locator('td a').textContent()).trim() };
    }
  }
  assert.ok(found, 'the demo has a dossier still open');
  await page.goto(`/dossiers/${found.id}`);
  const times = [...(await page.textContent('.timeline')).matchAll(/(\d{2})\/(\d{2})\/(\d{4}) \d{2}:\d{2}/g)];
  const [, d, m, y] = times[times.length - 1];
  const next = new Date(Date.UTC(+y, +m - 1, +d + 1, 9, 0)); // next day, 09:00, typed dd/mm/yyyy HH:MM
  const at = `${String(next.getUTCDate()).padStart(2, '0')}/${String(next.getUTCMonth() + 1).padStart(2, '0')}/${next.getUTCFullYear()} 09:00`;
  await page.selectOption('#event select[name=kind]', found.kind);
  await page.fill('#event input[name=at]', at);
  await Promise.all([page.waitForLoadState('load'), page.click('#event button')]);
  assert.match(await page.textContent('#dossier-status'), new RegExp(found.after));
  await page.goto(`/dossiers?period=${found.period}&q=${found.id}`);
  assert.equal(await page.locator('#dossiers tbody tr').count(), 1);
  assert.equal((await page.textContent('#dossiers tbody td:last-child')).trim(), found.after);
  await page.context().close();
});
