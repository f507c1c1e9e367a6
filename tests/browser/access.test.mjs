// Scoping, in the browser and through the API: a commune officer can neither read nor change
// another commune's report; a leader reads but cannot write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, ACCOUNTS, PASSWORD, BASE } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const OTHER = '/reports/99201N/2026-Q1';

test('trình duyệt: cán bộ xã không xem được báo cáo của xã khác', async () => {
  const page = await login(browser, ACCOUNTS.sonha);
  const res = await page.goto(OTHER);
  assert.equal(res.status(), 403);
  assert.match(await page.textContent('main'), /không có quyền/);
  const form = await page.goto('/reports/99201N/2026-9M/form/1');
  assert.equal(form.status(), 403);
  await page.context().close();
});

test('trình duyệt: lãnh đạo xem được nhưng không có nút lưu, gửi', async () => {
  const page = await login(browser, ACCOUNTS.leader);
  const res = await page.goto('/reports/99203N/2026-H1/form/1');
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('#save').count(), 0);
  assert.equal(await page.locator('input#k-1-2-1[readonly]').count(), 1);
  await page.goto('/reports/99203N/2026-H1');
  assert.equal(await page.locator('section button[name=action]').count(), 0);
  await page.context().close();
});

async function apiLogin(username) {
  const res = await fetch(`${BASE}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  assert.equal(res.status, 200);
  const body = await res.json();
  return { cookie: res.headers.get('set-cookie').split(';')[0], csrf: body.csrf };
}

test('API: cán bộ xã không đọc, không sửa được báo cáo của xã khác', async () => {
  const s = await apiLogin('sonha');
  const get = await fetch(`${BASE}/api${OTHER}`, { headers: { cookie: s.cookie } });
  assert.equal(get.status, 403);
  const refusal = await get.json();
  assert.equal(refusal.error, 'forbidden');
  assert.match(refusal.message, /không có quyền/);
  const put = await fetch(`${BASE}/api${OTHER}`, { method: 'PUT', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' }, body: JSON.stringify({ version: 1, values: { '1.2.1': '5' } }) });
  assert.equal(put.status, 403);
  const own = await fetch(`${BASE}/api/reports/99101N/2026-Q1`, { headers: { cookie: s.cookie } });
  assert.equal(own.status, 200);
});

test('API: lãnh đạo đọc được nhưng không sửa được', async () => {
  const s = await apiLogin('lanhdao');
  const get = await fetch(`${BASE}/api/reports/99203N/2026-H1`, { headers: { cookie: s.cookie } });
  assert.equal(get.status, 200);
  const { version } = await get.json();
  const put = await fetch(`${BASE}/api/reports/99203N/2026-H1`, { method: 'PUT', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' }, body: JSON.stringify({ version, values: { '1.2.1': '5' } }) });
  assert.equal(put.status, 403);
});

test('API: thiếu mã CSRF thì bị từ chối', async () => {
  const s = await apiLogin('lacgiang');
  const put = await fetch(`${BASE}/api/reports/99201N/2026-9M`, { method: 'PUT', headers: { cookie: s.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ version: 1, values: {} }) });
  assert.equal(put.status, 403);
});
