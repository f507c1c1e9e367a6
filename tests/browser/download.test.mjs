// Downloading the report as DOCX from the report page, as a leader does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('lãnh đạo tải báo cáo DOCX của xã', async () => {
  const page = await login(browser, ACCOUNTS.leader);
  await page.goto('/reports/99103N/2026-H1');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-docx')]);
  assert.match(download.suggestedFilename(), /\.docx$/);
  const bytes = await readFile(await download.path());
  assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04'); // a zip, as a DOCX is
  const names = bytes.toString('latin1');
  for (const part of ['word/document.xml', '[Content_Types].xml']) assert.ok(names.includes(part), `thiếu ${part}`);
  await page.context().close();
});
