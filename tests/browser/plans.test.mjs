// Issue 14, done-when: the compiling office creates a plan with 3 tasks, finishes 2 in time and
// lets one pass its deadline; the report's task indicators show 2/3 = 66,67%, read-only, and the
// DOCX lists the late task with its responsible unit. On the province's report of 2025-Q4 (the
// demo has no plan of the province then).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { launch, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The text of one part of a zip (a DOCX), read through its central directory. */
function zipPart(bytes, name) {
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30);
    const comment = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const entry = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (entry === name) {
      const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
      const data = bytes.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    at += 46 + nameLength + extra + comment;
  }
  throw new Error(`no ${name}`);
}

/** Submits a form and waits for the page it leads to. */
async function submit(page, form) {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click(`${form} button[type=submit]`)]);
}

test('kế hoạch 3 nhiệm vụ: hoàn thành 2 đúng hạn, 1 quá hạn → 2/3 = 66,67% trên biểu, DOCX nêu nhiệm vụ quá hạn', async () => {
  const page = await login(browser, ACCOUNTS.compiler);
  await page.goto('/plans?unit=99');
  await page.selectOption('#plan-form select[name=kind]', 'cchc');
  await page.fill('#plan-form input[name=number]', '77/KH-UBND');
  await page.fill('#plan-form input[name=date]', '01/09/2025');
  await page.fill('#plan-form input[name=issuer]', 'UBND tỉnh');
  await page.fill('#plan-form input[name=summary]', 'thực hiện nhiệm vụ CCHC quý IV năm 2025');
  await page.fill('#plan-form input[name=valid_from]', '01/09/2025');
  await page.fill('#plan-form input[name=valid_to]', '31/12/2025');
  await submit(page, '#plan-form');
  assert.match(await page.textContent('[role=status]'), /Đã thêm Kế hoạch số 77\/KH-UBND ngày 01\/09\/2025/);
  const planId = new URL(page.url()).hash.replace('#plan-', '');
  assert.match(planId, /^\d+$/);

  const tasks = [
    ['Hướng dẫn tự đánh giá Chỉ số CCHC', '99-SNV', '30/09/2025'],
    ['Khảo sát sự hài lòng tại Trung tâm Phục vụ hành chính công', '99-TTHCC', '31/10/2025'],
    ['Số hóa hồ sơ hộ tịch năm 2025', '99301N', '28/11/2025'],
  ];
  for (const [content, unit, deadline] of tasks) {
    const form = `#task-form-${planId}`;
    await page.click(`#plan-${planId} + tr.subform summary`);
    await page.fill(`${form} input[name=content]`, content);
    await page.fill(`${form} input[name=responsible]`, unit);
    await page.fill(`${form} input[name=deadline]`, deadline);
    await submit(page, form);
    assert.match(await page.textContent('[role=status]'), /Đã thêm nhiệm vụ/);
  }
  // Two finished by their deadlines.
  for (const [content, done] of [[tasks[0][0], '29/09/2025'], [tasks[1][0], '31/10/2025']]) {
    const row = page.locator('#tasks tbody tr', { hasText: content });
    const id = (await row.getAttribute('id')).replace('task-', '');
    await page.fill(`#progress-${id} input[name=done_on]`, done);
    await submit(page, `#progress-${id}`);
    assert.equal(await page.locator(`#task-${id}`).getAttribute('data-state'), 'done');
  }
  const late = page.locator('#tasks tbody tr', { hasText: tasks[2][0] });
  assert.equal(await late.getAttribute('data-state'), 'overdue');

  // The first task's evidence: a scanned report uploaded, listed, downloaded as uploaded.
  const first = (await page.locator('#tasks tbody tr', { hasText: tasks[0][0] }).getAttribute('id')).replace('task-', '');
  const scan = Buffer.from('%PDF-1.7\n% Báo cáo kết quả tự đánh giá\n');
  await page.setInputFiles(`#evidence-${first} input[name=file]`, { name: 'Báo cáo tự đánh giá.pdf', mimeType: 'application/pdf', buffer: scan });
  await submit(page, `#evidence-${first}`);
  assert.match(await page.textContent('[role=status]'), /Đã lưu tệp minh chứng «Báo cáo tự đánh giá.pdf»/);
  const [evidence] = await Promise.all([page.waitForEvent('download'), page.click(`#evidence-file-${first}`)]);
  assert.equal(evidence.suggestedFilename(), 'Báo cáo tự đánh giá.pdf');
  assert.deepEqual(await readFile(await evidence.path()), scan);

  // The province's report of 2025-Q4 (window to 14/12/2025): 3 tasks, 2 done, 66,67%, read-only.
  await page.goto('/reports/99/2025-Q4/form/1');
  assert.equal(await page.inputValue('#k-1-2-1'), '3');
  assert.equal(await page.inputValue('#k-1-2-2'), '2');
  assert.equal(await page.getAttribute('#k-1-2-1', 'readonly'), '');
  assert.equal(await page.getAttribute('#k-1-2-2', 'readonly'), '');
  assert.equal((await page.textContent('#k-1-2')).trim(), '66,67%');
  assert.equal(await page.locator('.records a').first().getAttribute('href'), '/plans?unit=99');

  // Stored as a draft, then the DOCX: section I lists the late task with its responsible unit.
  await page.click('#save');
  assert.match(await page.textContent('#message'), /Đã lưu nháp/);
  await page.goto('/reports/99/2025-Q4');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-docx')]);
  const bytes = await readFile(await download.path());
  const xml = zipPart(bytes, 'word/document.xml') + zipPart(bytes, 'word/footnotes.xml');
  const text = xml.replace(/<[^>]+>/g, '');
  assert.ok(text.includes('đã hoàn thành 2/3 nhiệm vụ'), 'tasks finished in the DOCX');
  assert.ok(text.includes('66,67%'), 'the rate in the DOCX');
  assert.ok(text.includes('Số hóa hồ sơ hộ tịch năm 2025 (đơn vị chủ trì: Phường Hồng Lĩnh; thời hạn 28/11/2025; quá hạn chưa hoàn thành)'), 'the late task with its responsible unit');
  assert.ok(text.includes('Kế hoạch số 77/KH-UBND ngày 01/09/2025'), 'the plan cited by number and date');
  await page.context().close();
});

test('điện thoại 390 px: kế hoạch, nhiệm vụ và sổ văn bản không cuộn ngang', async () => {
  const page = await login(browser, ACCOUNTS.sonha);
  const PHONE = { width: 390, height: 844 };
  await page.setViewportSize(PHONE);
  for (const url of ['/plans', '/plans?list=overdue', '/documents']) {
    await page.goto(url);
    const { width, wide } = await page.evaluate((w) => {
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > w + 0.5)
        .filter((el) => !el.closest('.table-scroll, .scroll, table.grid'))
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} (${Math.round(el.getBoundingClientRect().right)} px)`);
      return { width: document.documentElement.scrollWidth, wide };
    }, PHONE.width);
    assert.ok(width <= PHONE.width, `${url}: ${width} px wide; sticking out: ${wide.join(', ')}`);
  }
  await page.context().close();
});
