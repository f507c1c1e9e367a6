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
// Each chart gets options of its own: Chart.js writes its resolved scales into the options object
// it is given, and a bar chart given the line chart's x axis lost the category offset that keeps
// its first and last bars inside the plot (issue 16: "cuts off the first and last bars").
(function () {
  const holder = document.getElementById('chart-data');
  if (!holder || typeof Chart === 'undefined') return;
  const data = JSON.parse(holder.textContent);
  const pct = (v) => (v === null || v === undefined ? null : Number(v));
  const fmt = (v) => v === null ? '–' : v.toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + '%';
  const options = (bars) => ({
    maintainAspectRatio: false,
    layout: { padding: { left: 4, right: 12 } },
    scales: {
      x: { offset: bars, ticks: { autoSkip: !bars, maxRotation: 60, minRotation: 0 } },
      y: { min: 0, max: 100, ticks: { callback: (v) => v + '%' } },
    },
    plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + fmt(c.parsed.y) } } },
  });
  const series = (rows) => [
    { label: 'Giải quyết đúng hạn', data: rows.map((r) => pct(r.on_time)) },
    { label: 'Tiếp nhận trực tuyến', data: rows.map((r) => pct(r.online)) },
    { label: 'Số hóa', data: rows.map((r) => pct(r.digitised)) },
  ];
  new Chart(document.getElementById('trend-chart'), { type: 'line', data: { labels: data.trend.map((r) => r.label), datasets: series(data.trend) }, options: options(false) });
  new Chart(document.getElementById('ranking-chart'), { type: 'bar', data: { labels: data.ranking.map((r) => r.label), datasets: series(data.ranking) }, options: options(true) });
})();
// The browser's own checks (required, pattern, min/max…) speak Vietnamese whatever the browser's
// language: on `invalid` the field gets a message built from its label and the rule it breaks,
// cleared as soon as it is typed in again. A message another script set (entry.js) is left alone.
(function () {
  const ours = new WeakSet();
  const EXAMPLES = { 'dd/mm/yyyy': '07/09/2026', 'dd/mm/yyyy HH:MM': '07/09/2026 08:30' };
  // The field's name as its label says it, without the "(dd/mm/yyyy)" that states the format.
  const nameOf = (el) => {
    const aria = el.getAttribute('aria-label');
    if (aria) return aria.trim();
    const label = el.labels && el.labels[0];
    let text = '';
    if (label) label.childNodes.forEach((n) => { if (n.nodeType === Node.TEXT_NODE) text += n.textContent; });
    text = text.replace(/\([^()]*dd\/mm\/yyyy[^()]*\)/g, ' ').replace(/\s+/g, ' ').trim();
    return text || el.getAttribute('placeholder') || 'Ô này';
  };
  const formatOf = (el) => {
    const f = el.getAttribute('data-format') || el.getAttribute('placeholder') || '';
    return /dd\/mm\/yyyy/.test(f) ? f : '';
  };
  const messageOf = (el) => {
    const v = el.validity;
    const name = '«' + nameOf(el) + '»';
    if (v.valueMissing) return (el instanceof HTMLSelectElement ? 'Chưa chọn ' : 'Chưa nhập ') + name + '.';
    if (v.patternMismatch) {
      const f = formatOf(el);
      return f ? name + ' phải viết theo dạng ' + f + (EXAMPLES[f] ? ', ví dụ ' + EXAMPLES[f] : '') + '.'
        : name + ' không đúng dạng yêu cầu' + (el.title ? ': ' + el.title : '') + '.';
    }
    if (v.badInput) return name + ' phải là một số.';
    if (v.rangeUnderflow) return name + ' phải từ ' + el.min + ' trở lên.';
    if (v.rangeOverflow) return name + ' không được quá ' + el.max + '.';
    if (v.stepMismatch) return name + ' phải là số nguyên.';
    if (v.tooLong) return name + ' dài tối đa ' + el.maxLength + ' ký tự.';
    if (v.tooShort) return name + ' phải có ít nhất ' + el.minLength + ' ký tự.';
    if (v.typeMismatch) return name + ' không đúng định dạng.';
    return name + ' chưa hợp lệ.';
  };
  document.addEventListener('invalid', (e) => {
    const el = e.target;
    if (!el.setCustomValidity) return;
    if (el.validity.customError && !ours.has(el)) return;
    el.setCustomValidity('');
    if (el.validity.valid) return;
    el.setCustomValidity(messageOf(el));
    ours.add(el);
  }, true);
  const clear = (e) => {
    const el = e.target;
    if (ours.has(el)) { el.setCustomValidity(''); ours.delete(el); }
  };
  document.addEventListener('input', clear, true);
  document.addEventListener('change', clear, true);
})();
