// Behaviour of the pages, kept out of the HTML: the Content-Security-Policy allows no inline script.
// A picker's select submits its form when changed.
document.addEventListener('change', (e) => {
  const el = e.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute('data-autosubmit') && el.form) el.form.submit();
});
// An htmx request from a field with data-send-as="NAME" sends the field's value under NAME
// (the narrative editor's live preview posts `text`), where hx-vals would need eval.
document.addEventListener('htmx:configRequest', (e) => {
  const el = e.detail.elt;
  const name = el && el.getAttribute && el.getAttribute('data-send-as');
  if (name) e.detail.parameters[name] = el.value;
});
// Draws the dashboard's charts with the vendored Chart.js, from the same JSON the tables show.
(function () {
  const holder = document.getElementById('chart-data');
  if (!holder || typeof Chart === 'undefined') return;
  const data = JSON.parse(holder.textContent);
  const pct = (v) => (v === null || v === undefined ? null : Number(v));
  const fmt = (v) => v === null ? '–' : v.toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + '%';
  const options = { scales: { y: { min: 0, max: 100, ticks: { callback: (v) => v + '%' } } },
    plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + fmt(c.parsed.y) } } } };
  const series = (rows) => [
    { label: 'Giải quyết đúng hạn', data: rows.map((r) => pct(r.on_time)) },
    { label: 'Tiếp nhận trực tuyến', data: rows.map((r) => pct(r.online)) },
    { label: 'Số hóa', data: rows.map((r) => pct(r.digitised)) },
  ];
  new Chart(document.getElementById('trend-chart'), { type: 'line', data: { labels: data.trend.map((r) => r.label), datasets: series(data.trend) }, options });
  new Chart(document.getElementById('ranking-chart'), { type: 'bar', data: { labels: data.ranking.map((r) => r.label), datasets: series(data.ranking) }, options });
})();
