// Keyboard entry on the report form as in a spreadsheet: Tab, Enter and the arrows move between
// the figures (never into the notes, never submitting the form), each figure is saved as it is
// left, and the values are there after a reload. Every value input is labelled with its
// indicator and split. Leaving the form with an edit just typed finds it saved (or asks first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// lacgiang's unit, 9 tháng 2026: a draft; Biểu 2 is used by no other browser test.
const FORM = '/reports/99201N/2026-9M/form/2';
const OTHER = '/reports/99201N/2026-9M/form/5';

test('nhập cả biểu mẫu chỉ bằng bàn phím (Tab, Enter, mũi tên), số liệu đã lưu khi tải lại', async () => {
  const page = await login(browser, ACCOUNTS.lacgiang);
  await page.goto(FORM);
  await page.evaluate(() => { window.__notReloaded = true; });
  const ids = await page.$$eval('#entry .value', (els) => els.filter((e) => e.name && !e.readOnly && !e.disabled).map((e) => [e.id, e.tagName]));
  assert.ok(ids.length >= 3, `có ô nhập (${ids.length})`);
  // Labels name the indicator and the split, never a bare "Tổng số".
  const labels = await page.$$eval('#entry .value', (els) => els.map((e) => e.getAttribute('aria-label') || ''));
  assert.ok(labels.every((l) => / — /.test(l) && !/^tổng số$/i.test(l.trim())), labels.join(' | '));
  assert.equal(new Set(labels).size, labels.length, 'each label is distinct');

  await page.focus('#' + ids[0][0]);
  const keys = ['Tab', 'Enter', 'ArrowDown'];
  const expected = {};
  for (let i = 0; i < ids.length; i += 1) {
    const [id, tag] = ids[i];
    assert.equal(await page.evaluate(() => document.activeElement.id), id, `focus on cell ${i}`);
    if (tag === 'SELECT') {
      await page.keyboard.press('ArrowDown');
    } else {
      const v = tag === 'TEXTAREA' ? `ghi ${i}` : String(10 + i);
      await page.keyboard.type(v);
    }
    expected[id] = await page.inputValue('#' + id);
    // The last cell: Enter saves it and stays (it must not submit the form).
    await page.keyboard.press(i === ids.length - 1 ? 'Enter' : keys[i % keys.length]);
  }
  // Shift+Tab goes back, and the notes are never in the Tab path.
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), ids[ids.length - 2][0]);
  assert.ok(await page.evaluate(() => window.__notReloaded === true), 'Enter did not reload the page');
  await page.waitForFunction(() => Array.from(document.querySelectorAll('#entry .cell-state')).every((s) => !s.dataset.state || s.dataset.state === 'saved'), null, { timeout: 15_000 });
  const states = await page.$$eval('#entry .cell-state[data-state=saved]', (els) => els.map((e) => e.textContent));
  assert.ok(states.length >= ids.length - 1 && states.every((t) => /đã lưu/.test(t)), states.join(','));

  await page.reload();
  for (const [id, value] of Object.entries(expected)) {
    const now = await page.inputValue('#' + id);
    assert.equal(now.replace(/\./g, ''), value.replace(/\./g, ''), `cell ${id} saved`);
  }
  // Alt+G opens the row's note, Esc comes back.
  await page.focus('#' + ids[0][0]);
  await page.keyboard.press('Alt+g');
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains('note')), 'note reached with Alt+G');
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement.id), ids[0][0]);
  await page.context().close();
});

test('rời biểu mẫu ngay sau khi sửa (bấm sang biểu khác): số liệu đã được lưu hoặc được hỏi trước', async () => {
  const page = await login(browser, ACCOUNTS.lacgiang);
  await page.goto(OTHER);
  const id = await page.$eval('#entry input.value[name]:not([readonly])', (e) => e.id);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.type()); d.dismiss().catch(() => {}); });
  await page.fill('#' + id, '77');
  // Straight to another form's tab, without leaving the cell first.
  await page.click('nav.tabs a:not(.current)');
  await page.waitForURL((u) => !u.pathname.endsWith('/form/5'), { timeout: 10_000 }).catch(() => {});
  if (dialogs.length === 0) {
    await page.goto(OTHER);
    assert.equal(await page.inputValue('#' + id), '77', 'the edit was saved before leaving');
  } else {
    assert.ok(page.url().endsWith('/form/5'), 'asked first and stayed');
  }
  await page.context().close();
});
