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
  await page.fill('#receive input[name=at]', '2026-09-07T08:30');
  await page.selectOption('#receive select[name=channel]', 'truc-tiep');
  await Promise.all([page.waitForURL(/\/dossiers\/99201N-260907-\d{4}$/), page.click('#receive button')]);
  assert.match(await page.textContent('#dossier-status'), /đang xử lý/);

  const step = async (kind, at) => {
    await page.selectOption('#event select[name=kind]', kind);
    await page.fill('#event input[name=at]', at);
    await Promise.all([page.waitForLoadState('load'), page.click('#event button')]);
  };
  await step('yeu-cau-bo-sung', '2026-09-08T10:00');
  assert.match(await page.textContent('#dossier-status'), /yêu cầu bổ sung/);
  await step('tra-ket-qua', '2026-09-09T10:00');
  assert.match(await page.textContent('#message'), /không thể/);
  assert.match(await page.textContent('#dossier-status'), /yêu cầu bổ sung/);
  await step('bo-sung', '2026-09-10T09:00');
  await step('da-xu-ly', '2026-09-10T15:00');
  await step('tra-ket-qua', '2026-09-11T08:00');
  assert.match(await page.textContent('#dossier-status'), /đã trả kết quả/);
  const timeline = await page.textContent('.timeline');
  for (const line of ['Tiếp nhận hồ sơ (trực tiếp)', 'Yêu cầu bổ sung', 'Công dân bổ sung', 'Đã xử lý xong', 'Trả kết quả']) assert.match(timeline, new RegExp(line.replace(/[()]/g, '\\$&')));
  assert.match(await page.textContent('#due'), /^\d{2}\/\d{2}\/2026 \d{2}:\d{2}$/);
  // Found again by searching the list for its receipt code.
  const id = new URL(page.url()).pathname.split('/').pop();
  await page.goto(`/dossiers?period=2026-9M&q=${id}`);
  assert.match(await page.textContent('main'), /^\s*Sổ theo dõi hồ sơ[\s\S]*\b1 hồ sơ tiếp nhận trong kỳ/);
  assert.equal(await page.locator('#dossiers tbody tr').count(), 1);
  await page.context().close();
});
