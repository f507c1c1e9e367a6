// Issue 15's counter day (Done when): receive a dossier with its applicant, print form 01 (a PDF
// whose text holds the receipt code and the appointment), assign it, request a supplement and
// print form 02, extend it with an apology and a new appointment and print form 04, find it in
// the overdue list once the new appointment has passed, and resolve it late. The QR code's
// address opens the public lookup of that dossier.
// The moments are days before today, so the counter takes them whatever day the test runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** "dd/mm/yyyy HH:MM" of `days` days before today at `hm`. */
function daysAgo(days, hm) {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()} ${hm}`;
}

/** The text of a form's PDF, downloaded with the page's session and read by pdftotext. */
async function pdfText(page, href) {
  const r = await page.request.get(href);
  assert.equal(r.status(), 200, `${href}: ${await r.text()}`);
  assert.match(r.headers()['content-type'], /application\/pdf/);
  const dir = mkdtempSync(join(tmpdir(), 'cchc-form-'));
  try {
    const file = join(dir, 'form.pdf');
    writeFileSync(file, await r.body());
    return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('tiếp nhận có chủ hồ sơ, in mẫu 01, giao xử lý, mẫu 02, gia hạn với mẫu 04, quá hạn rồi giải quyết quá hạn', async () => {
  const page = await login(browser, ACCOUNTS.sonha);
  await page.goto('/dossiers');
  await page.fill('#receive input[name=at]', daysAgo(40, '08:30'));
  await page.selectOption('#receive select[name=channel]', 'truc-tiep');
  await page.fill('#receive input[name=applicant_name]', 'Nguyễn Văn An');
  await page.fill('#receive input[name=applicant_id]', '030085001234');
  await page.fill('#receive input[name=applicant_phone]', '0912345678');
  await page.fill('#receive input[name=applicant_address]', 'Thôn Đông, xã Sơn Hà');
  await Promise.all([page.waitForURL(/\/dossiers\/99101N-\d{6}-\d{4}$/), page.click('#receive button')]);
  const id = new URL(page.url()).pathname.split('/').pop();
  const due = (await page.textContent('#due')).trim();
  assert.match(due, /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);

  // Form 01: the receipt code, the appointment as the page shows it, the applicant.
  const receipt = await pdfText(page, await page.getAttribute('#form-01-pdf', 'href'));
  assert.match(receipt, /GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ/);
  assert.ok(receipt.includes(id), `the receipt code ${id} in ${receipt}`);
  assert.ok(receipt.includes(due), `the appointment ${due} in ${receipt}`);
  assert.ok(receipt.includes('Nguyễn Văn An'), receipt);
  assert.ok(receipt.includes('Phạm Thị Hà'), 'the receiving officer');
  // The QR code's address, printed beside it, opens the public lookup with the code filled in;
  // with the last 4 digits of the phone it shows the appointment.
  const lookup = receipt.match(/https?:\/\/\S+\/tra-cuu\?ma=\S+/);
  assert.ok(lookup && lookup[0].endsWith(`ma=${id}`), `the lookup address in ${receipt}`);
  const citizen = await browser.newContext({ locale: 'vi-VN' });
  const open = await citizen.newPage();
  await open.goto(lookup[0]);
  assert.equal(await open.inputValue('input[name=ma]'), id);
  await open.fill('input[name=so]', '5678');
  await Promise.all([open.waitForLoadState('load'), open.click('button[type=submit]')]);
  assert.ok((await open.textContent('.lookup-result')).includes(due), 'the appointment on the lookup page');
  await citizen.close();

  // Assigned to an officer of the unit.
  await page.selectOption('#assign select[name=handler]', ACCOUNTS.sonha.username);
  await Promise.all([page.waitForLoadState('load'), page.click('#assign button')]);
  assert.match(await page.textContent('#handler'), /Phạm Thị Hà/);

  const step = async (kind, at, fill = async () => {}) => {
    await page.selectOption('#event select[name=kind]', kind);
    await page.fill('#event input[name=at]', at);
    await fill();
    await Promise.all([page.waitForLoadState('load'), page.click('#event button')]);
  };
  await step('yeu-cau-bo-sung', daysAgo(39, '09:00'));
  assert.match(await page.textContent('#dossier-status'), /yêu cầu bổ sung/);
  const supplement = await pdfText(page, `/dossiers/${id}/forms/02.pdf`);
  assert.match(supplement, /PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ/);
  assert.ok(supplement.includes(id) && supplement.includes(daysAgo(39, '09:00')), supplement);

  await step('bo-sung', daysAgo(38, '09:00'));
  const newDue = daysAgo(20, '16:00');
  await step('gia-han', daysAgo(30, '10:00'), async () => {
    await page.fill('#event input[name=new_due]', newDue);
    await page.check('#event input[name=apology]');
  });
  assert.equal((await page.textContent('#due')).trim(), newDue);
  const apology = await pdfText(page, `/dossiers/${id}/forms/04.pdf`);
  assert.match(apology, /PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ/);
  assert.ok(apology.includes(newDue), `the new appointment ${newDue} in ${apology}`);
  assert.ok(apology.includes('Nguyễn Văn An'), apology);

  // The new appointment has passed: the dossier is in the overdue list, in red.
  await page.goto(`/dossiers?list=qua-han&q=${id}`);
  const rows = page.locator('#dossiers tbody tr');
  assert.equal(await rows.count(), 1, await page.textContent('main'));
  assert.equal((await rows.first().locator('td a').textContent()).trim(), id);
  assert.equal(await rows.first().getAttribute('class'), 'urgent-red');

  // Resolved late.
  await page.goto(`/dossiers/${id}`);
  await step('da-xu-ly', daysAgo(1, '10:00'));
  assert.match(await page.textContent('#dossier-status'), /đã xử lý xong/);
  assert.match(await page.locator('dt:has-text("Kết quả") + dd').textContent(), /giải quyết quá hạn/);
  // Form 06 lists each step, the resolution marked late.
  const control = await pdfText(page, `/dossiers/${id}/forms/06.pdf`);
  assert.match(control, /PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ/);
  assert.match(control, /Quá hạn/);
  await page.context().close();
});
