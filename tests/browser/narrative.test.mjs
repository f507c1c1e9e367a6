// The report page's narrative editor (docs/narrative-format.md): Markdown typed into a section
// is previewed live (a heading, a table), kept after saving and reloading; a section is added at a
// new place; on a 390 px phone the textareas fit the screen and the preview sits under them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Xã Sơn Hà's report of the year 2026 is a draft in the demo that no other browser test uses.
const REPORT = '/reports/99101N/2026-Y';
const TEXT = '## 2.1. Tiếp nhận hồ sơ\n\nĐoạn văn có **chữ đậm**.\n\n| Chức danh | Số lượng |\n|---|---|\n| Cán bộ một cửa | 11 |\n';

test('gõ Markdown vào một mục, xem trước ngay, lưu và tải lại vẫn còn', async () => {
  const page = await login(browser, ACCOUNTS.sonha);
  await page.goto(REPORT);
  const section = page.locator('.narrative-section[data-key="II.2"]');
  assert.match(await section.locator('label').textContent(), /II\.2 · 2\. Cải cách thủ tục hành chính/);
  const preview = section.locator('.narrative-preview');
  assert.equal(await preview.locator('h4').count(), 0);

  await section.locator('textarea').fill(TEXT);
  // The preview comes from the server (htmx) a moment after typing stops.
  await preview.locator('h4').waitFor({ timeout: 5000 });
  assert.equal(await preview.locator('h4').textContent(), '2.1. Tiếp nhận hồ sơ');
  await preview.locator('table').waitFor();
  assert.equal(await preview.locator('td').first().textContent(), 'Cán bộ một cửa');
  assert.equal(await preview.locator('strong').textContent(), 'chữ đậm');

  // Typed HTML is shown as text, never run.
  const opening = page.locator('.narrative-section[data-key="opening"]');
  await opening.locator('textarea').fill('Thực hiện <b>Văn bản</b> số 12/UBND.');
  await opening.locator('.narrative-preview p').waitFor();
  assert.equal(await opening.locator('.narrative-preview b').count(), 0);
  assert.match(await opening.locator('.narrative-preview').textContent(), /<b>Văn bản<\/b>/);

  // A section at a new place, with its own title.
  await page.fill('#narrative-new-key', 'II.7');
  await page.fill('#narrative-new-text', '# 7. Về mức độ thu hút đầu tư\n\nNăm 2026 thu hút 03 dự án.');
  await page.locator('.narrative-new .narrative-preview h3').waitFor();

  await Promise.all([page.waitForURL((u) => u.pathname === REPORT), page.click('#save-narrative')]);
  assert.equal(await page.locator('#message').count(), 0, 'the save was refused');
  await page.reload();
  assert.equal(await section.locator('textarea').inputValue(), TEXT.trim(), 'the text is not kept (trimmed)');
  assert.equal(await section.locator('.narrative-preview table').count(), 1, 'the saved table is not previewed');
  const added = page.locator('.narrative-section[data-key="II.7"]');
  assert.match(await added.locator('label').textContent(), /II\.7 · 7\. Về mức độ thu hút đầu tư/);
  assert.match(await added.locator('textarea').inputValue(), /thu hút 03 dự án/);
  // In report order: after II.6, before III.
  const keys = await page.locator('.narrative-section[data-key]').evaluateAll((els) => els.map((e) => e.dataset.key));
  assert.ok(keys.indexOf('II.6') < keys.indexOf('II.7') && keys.indexOf('II.7') < keys.indexOf('III'), keys.join(' '));
  assert.equal(keys[0], 'opening');
  assert.equal(keys.at(-1), 'closing');
  assert.match(await page.textContent('#narrative-help'), /## tiêu đề mục.*\{\{số liệu\}\} chỗ đặt số liệu tự động/);

  // A key that is not a place: refused in Vietnamese, what was typed kept.
  await page.fill('#narrative-new-key', 'II.x');
  await page.fill('#narrative-new-text', 'Mục sai');
  await Promise.all([page.waitForLoadState('load'), page.click('#save-narrative')]);
  assert.match(await page.textContent('#message'), /chưa lưu gì.*"II\.x"/);
  assert.equal(await page.inputValue('#narrative-new-key'), 'II.x');
  await page.context().close();
});

test('trên điện thoại 390 px, ô nhập vừa màn hình và phần xem trước nằm dưới', async () => {
  const page = await login(browser, ACCOUNTS.sonha);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(REPORT);
  const textareas = page.locator('.narrative-section textarea');
  assert.ok(await textareas.count() >= 12);
  for (const box of await textareas.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()))) {
    assert.ok(box.left >= 0 && box.right <= 390, `ô nhập tràn màn hình: ${box.left}–${box.right}px`);
    assert.ok(box.width >= 300, `ô nhập quá hẹp: ${box.width}px`);
  }
  const section = page.locator('.narrative-section[data-key="II.2"]');
  const area = await section.locator('textarea').boundingBox();
  const preview = await section.locator('.narrative-preview').boundingBox();
  assert.ok(preview.y >= area.y + area.height, 'phần xem trước không nằm dưới ô nhập');
  assert.ok(preview.x + preview.width <= 390, 'phần xem trước tràn màn hình');
  await page.context().close();
});
