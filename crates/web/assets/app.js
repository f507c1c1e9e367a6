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
