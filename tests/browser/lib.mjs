// Shared helpers of the browser tests: launch Debian's Chromium through playwright-core with the
// flags this closed-network machine needs, and open pages of the server started by
// scripts/browser-test.sh (its address is in CCHC_URL).
import { chromium } from 'playwright-core';

export const BASE = process.env.CCHC_URL ?? 'http://127.0.0.1:8080';

// Without the background-networking flags Chromium keeps trying to reach Google's hosts, which
// this machine refuses; --no-sandbox because the tests run as root.
const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A fresh browser; close it in an `after` hook. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
  });
}

/** A new context (own cookies) with downloads allowed and a Vietnamese locale. */
export async function newPage(browser) {
  const context = await browser.newContext({ acceptDownloads: true, locale: 'vi-VN', baseURL: BASE });
  return context.newPage();
}

/** The demo accounts (`cchc serve --demo`), one per role, and their common password. */
export const PASSWORD = 'demo@2026';
export const ACCOUNTS = {
  admin: { username: 'quantri', name: 'Nguyễn Văn Quản', role: 'quản trị' },
  compiler: { username: 'tonghop', name: 'Trần Thị Hợp', role: 'cán bộ tổng hợp' },
  leader: { username: 'lanhdao', name: 'Lê Văn Đạo', role: 'lãnh đạo' },
  sonha: { username: 'sonha', name: 'Phạm Thị Hà', role: 'cán bộ đơn vị', unit: '99101N' },
  lacgiang: { username: 'lacgiang', name: 'Hoàng Văn Giang', role: 'cán bộ đơn vị', unit: '99201N' },
};

/** Logs in through the login form and waits for the home page. */
export async function login(browser, account) {
  const page = await newPage(browser);
  await page.goto('/login');
  await page.fill('input[name=username]', account.username);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  return page;
}
