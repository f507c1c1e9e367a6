// An expired session during entry: the typed values are kept in the browser, the page says so
// in Vietnamese with a link to log in again, and after logging in the user is back on the form
// with the values restored and saved. A logged-out GET comes back after login (next=), never to
// another site. The live check never says "no error" after a failed request. With an English
// browser no English validation message appears on the login and entry forms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, ACCOUNTS, PASSWORD, BASE } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const FORM = '/reports/99201N/2026-9M/form/6';

async function logIn(page) {
  await page.fill('input[name=username]', ACCOUNTS.lacgiang.username);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
}

test('phiên hết hạn khi đang nhập: số đã nhập được giữ và lưu lại sau khi đăng nhập lại', async () => {
  const page = await login(browser, ACCOUNTS.lacgiang);
  await page.goto(FORM);
  const ids = await page.$$eval('#entry input.value[name]:not([readonly])', (els) => els.slice(0, 2).map((e) => e.id));
  assert.equal(ids.length, 2);
  // The session ends (its cookie is gone), then the user goes on typing.
  await page.context().clearCookies();
  await page.fill('#' + ids[0], '321');
  await page.press('#' + ids[0], 'Tab');
  await page.fill('#' + ids[1], '4.567');
  await page.press('#' + ids[1], 'Enter');
  await page.locator('#entry-banner').waitFor({ state: 'visible', timeout: 10_000 });
  assert.match(await page.textContent('#entry-banner'), /Phiên làm việc đã hết hạn/);
  await page.waitForFunction(() => /Chưa kiểm tra được/.test(document.querySelector('#findings-summary')?.textContent ?? ''), null, { timeout: 10_000 });
  assert.doesNotMatch(await page.textContent('#findings-summary'), /Không phát hiện sai sót/);
  assert.match(await page.textContent('#st-' + ids[0]), /lỗi/);

  await Promise.all([page.waitForURL(/\/login\?next=/), page.click('#relogin')]);
  await logIn(page);
  assert.equal(new URL(page.url()).pathname, FORM, 'back on the form');
  await page.waitForFunction((id) => document.querySelector('#st-' + id)?.dataset.state === 'saved', ids[1], { timeout: 15_000 });
  await page.waitForFunction((id) => document.querySelector('#st-' + id)?.dataset.state === 'saved', ids[0], { timeout: 15_000 });
  await page.reload();
  assert.equal(await page.inputValue('#' + ids[0]), '321');
  assert.equal(await page.inputValue('#' + ids[1]), '4.567');
  await page.context().close();
});

test('"Lưu nháp" sau khi phiên hết hạn: trang đăng nhập tiếng Việt, không phải trang lỗi CSRF', async () => {
  const page = await login(browser, ACCOUNTS.lacgiang);
  await page.goto(FORM);
  const id = await page.$eval('#entry input.value[name]:not([readonly])', (e) => e.id);
  await page.context().clearCookies();
  await page.fill('#' + id, '12');
  await page.click('#save');
  await page.waitForURL(/\/form\/6|\/login/);
  await page.locator('input[name=username]').waitFor();
  assert.match(await page.textContent('body'), /Phiên làm việc đã hết hạn/);
  assert.doesNotMatch(await page.textContent('body'), /CSRF/);
  await logIn(page);
  assert.equal(new URL(page.url()).pathname, FORM);
  await page.waitForFunction((i) => document.querySelector('#st-' + i)?.dataset.state === 'saved', id, { timeout: 15_000 });
  await page.context().close();
});

test('mở một trang khi chưa đăng nhập: đăng nhập xong trở lại đúng trang; next= ra trang khác bị bỏ qua', async () => {
  const context = await browser.newContext({ locale: 'vi-VN', baseURL: BASE });
  const page = await context.newPage();
  await page.goto('/reports/99201N/2026-9M?x=1');
  assert.match(page.url(), /\/login\?next=/);
  await logIn(page);
  const u = new URL(page.url());
  assert.equal(u.pathname + u.search, '/reports/99201N/2026-9M?x=1');
  await context.clearCookies();
  for (const evil of ['//evil.example', 'https://evil.example/x', '/\\evil.example']) {
    await page.goto('/login?next=' + encodeURIComponent(evil));
    await logIn(page);
    assert.equal(new URL(page.url()).origin, new URL(BASE).origin, evil);
    assert.equal(new URL(page.url()).pathname, '/', evil);
    await context.clearCookies();
  }
  await context.close();
});

test('trình duyệt tiếng Anh: không có thông báo kiểm tra tiếng Anh ở trang đăng nhập và biểu mẫu', async () => {
  const context = await browser.newContext({ locale: 'en-US', baseURL: BASE });
  const page = await context.newPage();
  const english = /please|match|fill out|field|format|enter a|valid/i;
  await page.goto('/login');
  await page.click('button[type=submit]');
  await page.locator('p.error').waitFor();
  assert.match(await page.textContent('p.error'), /Vui lòng nhập tên đăng nhập và mật khẩu/);
  let messages = await page.$$eval('input, select, textarea', (els) => els.map((e) => e.validationMessage).filter(Boolean));
  assert.deepEqual(messages.filter((m) => english.test(m)), []);
  await logIn(page);
  await page.goto(FORM);
  const id = await page.$eval('#entry input.value[name]:not([readonly])', (e) => e.id);
  await page.fill('#' + id, 'abc');
  await page.press('#' + id, 'Enter');
  await page.waitForFunction((i) => document.querySelector('#st-' + i)?.dataset.state === 'failed', id, { timeout: 10_000 });
  const state = await page.textContent('#st-' + id);
  assert.match(state, /Lỗi nhập liệu \(chỉ tiêu/);
  messages = await page.$$eval('input, select, textarea', (els) => els.map((e) => e.validationMessage).filter(Boolean));
  assert.deepEqual(messages.filter((m) => english.test(m)), []);
  await page.click('#save');
  await page.locator('#message').waitFor();
  assert.doesNotMatch(await page.textContent('body'), english);
  await context.close();
});

test('số giữ trên máy từ trước nhưng báo cáo đã được lưu lại từ đó: không tự ghi đè, người dùng chọn', async () => {
  // The first browser: the session expires, a value is typed and kept on this machine.
  const first = await login(browser, ACCOUNTS.lacgiang);
  await first.goto(FORM);
  const id = await first.$eval('#entry input.value[name]:not([readonly])', (e) => e.id);
  await first.context().clearCookies();
  await first.fill('#' + id, '777');
  await first.press('#' + id, 'Enter');
  await first.waitForFunction((i) => document.querySelector('#st-' + i)?.dataset.state === 'failed', id, { timeout: 10_000 });

  // Meanwhile the report is saved elsewhere (another browser of the same officer).
  const second = await login(browser, ACCOUNTS.lacgiang);
  await second.goto(FORM);
  await second.fill('#' + id, '555');
  await second.press('#' + id, 'Enter');
  await second.waitForFunction((i) => document.querySelector('#st-' + i)?.dataset.state === 'saved', id, { timeout: 10_000 });
  await second.context().close();

  // Back on the first machine: the kept value is offered, not applied.
  await Promise.all([first.waitForURL(/\/login\?next=/), first.click('#relogin')]);
  await logIn(first);
  await first.locator('#stale-values').waitFor({ timeout: 10_000 });
  assert.equal(await first.inputValue('#' + id), '555', 'what is stored stays in the cell');
  assert.match(await first.textContent('#stale-values'), /777/);
  assert.match(await first.textContent('#stale-values'), /555/);
  // The officer chooses the kept value: it is put back and saved.
  await first.click('#stale-restore');
  await first.waitForFunction((i) => document.querySelector('#st-' + i)?.dataset.state === 'saved', id, { timeout: 15_000 });
  await first.reload();
  assert.equal(await first.inputValue('#' + id), '777');
  assert.equal(await first.locator('#stale-values').count(), 0, 'nothing is kept any more');
  await first.context().close();
});
