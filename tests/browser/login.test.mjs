// Logging in as each role, and a wrong password refused in Vietnamese.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, login, ACCOUNTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const [key, account] of Object.entries(ACCOUNTS)) {
  test(`đăng nhập với vai trò ${account.role} (${key})`, async () => {
    const page = await login(browser, account);
    const header = await page.textContent('header .who');
    assert.match(header, new RegExp(account.name));
    assert.match(header, new RegExp(account.role));
    assert.match(await page.textContent('h1'), /Báo cáo cải cách hành chính/);
    await page.context().close();
  });
}

test('sai mật khẩu: thông báo tiếng Việt, không vào được', async () => {
  const page = await newPage(browser);
  await page.goto('/login');
  await page.fill('input[name=username]', 'sonha');
  await page.fill('input[name=password]', 'sai-mat-khau');
  await page.click('button[type=submit]');
  assert.match(await page.textContent('[role=alert]'), /Tên đăng nhập hoặc mật khẩu không đúng/);
  const res = await page.goto('/');
  assert.match(new URL(res.url()).pathname, /^\/login/);
  await page.context().close();
});

test('trang chưa đăng nhập chuyển về trang đăng nhập', async () => {
  const page = await newPage(browser);
  await page.goto('/dashboard');
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.context().close();
});
