// Load test of the web application (a command, not a test): N concurrent users, each logged in
// with their own session, save figures of their own report through the JSON API for a fixed time.
// Prints throughput and latency percentiles; exits 1 on any error (anything but HTTP 200).
//
//   node scripts/load.mjs --url http://127.0.0.1:8080 --users 100 --seconds 30 --password …
// The users `load001`…`loadNNN` and their reports are made by scripts/load.sh.
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const BASE = args.url ?? 'http://127.0.0.1:8080';
const USERS = Number(args.users ?? 100);
const SECONDS = Number(args.seconds ?? 30);
const PASSWORD = args.password ?? 'tai-khoan-tai@2026';
const targets = JSON.parse(args.targets ?? '[]'); // [[unit, period], …] one per user

async function login(username) {
  const res = await fetch(`${BASE}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (res.status !== 200) throw new Error(`đăng nhập ${username}: HTTP ${res.status} ${await res.text()}`);
  return { cookie: res.headers.get('set-cookie').split(';')[0], csrf: (await res.json()).csrf };
}

async function user(i, deadline, latencies, errors) {
  const username = `load${String(i + 1).padStart(3, '0')}`;
  const [unit, period] = targets[i];
  const s = await login(username);
  const url = `${BASE}/api/reports/${unit}/${period}`;
  const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' };
  // Start from the stored version when the report exists (the demo has some), else create it.
  const first = await fetch(url, { headers });
  let version = first.status === 200 ? (await first.json()).version : null;
  if (first.status !== 200) await first.text();
  let n = 0;
  while (Date.now() < deadline) {
    n += 1;
    // Plan tasks and completed tasks, as a clerk types them: thousands with a dot.
    const values = { '1.2.1': `${40 + (n % 7)}`, '1.2.2': `${30 + (n % 5)}`, '1.1': '1.0' + String(n % 10) + '0' };
    const t0 = performance.now();
    const res = await fetch(url, { method: 'PUT', headers, body: JSON.stringify({ version, values }) });
    const body = await res.json();
    latencies.push(performance.now() - t0);
    if (res.status !== 200) { errors.push(`${username} ${unit} ${period}: HTTP ${res.status} ${JSON.stringify(body)}`); break; }
    version = body.version;
  }
}

const latencies = [];
const errors = [];
const started = Date.now();
const deadline = started + SECONDS * 1000;
await Promise.all(Array.from({ length: USERS }, (_, i) => user(i, deadline, latencies, errors).catch((e) => errors.push(String(e)))));
const elapsed = (Date.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1) : '–';
const fmt = (n) => n.toLocaleString('vi-VN', { maximumFractionDigits: 1 });
console.log(`${USERS} người dùng đồng thời, ${fmt(elapsed)} giây: ${latencies.length.toLocaleString('vi-VN')} lần lưu, ${fmt(latencies.length / elapsed)} lần lưu/giây`);
console.log(`độ trễ (ms): p50 ${pct(0.5)}, p90 ${pct(0.9)}, p99 ${pct(0.99)}, lớn nhất ${pct(1)}`);
console.log(`lỗi: ${errors.length}`);
for (const e of errors.slice(0, 10)) console.log(`  ${e}`);
process.exit(errors.length ? 1 : 0);
