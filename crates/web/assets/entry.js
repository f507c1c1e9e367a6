// The report entry form (form.html): every figure and note saved as it is entered, with a state
// per cell (đang lưu / đã lưu / lỗi / xung đột); what could not be saved is kept in this
// browser (localStorage, by unit, period and form) and saved again after logging in again; a
// guard on every way out while something is not saved; spreadsheet keys; Vietnamese messages.
(function () {
  const form = document.getElementById('entry');
  if (!form || !form.dataset.entry) return;
  const base = form.dataset.entry;
  const editable = form.dataset.editable === '1';
  // Kept per user too: another account logging in on this browser never saves someone else's values.
  const STORE = 'cchc-entry:' + (form.dataset.user || '') + ':' + base;
  const banner = document.getElementById('entry-banner');
  const versionInput = form.querySelector('input[name=version]');
  const csrfInput = form.querySelector('input[name=_csrf]');
  let chain = Promise.resolve();
  let expired = false;
  let leaving = false;

  // The browser's own checks speak Vietnamese (the form is novalidate; this is for any left).
  form.addEventListener('invalid', (e) => {
    const el = e.target;
    if (el.validity && el.validity.valueMissing) el.setCustomValidity('Vui lòng nhập ô này.');
    else el.setCustomValidity('Giá trị không hợp lệ: hãy nhập số, ví dụ 1.234 hoặc 12,5.');
  }, true);
  form.addEventListener('input', (e) => { if (e.target.setCustomValidity) e.target.setCustomValidity(''); }, true);

  const fields = () => Array.from(form.querySelectorAll('.value, textarea.note')).filter((el) => el.name && !el.readOnly && !el.disabled);
  // The cells Tab, Enter and the arrows move between: the figures, not the notes.
  const nav = () => Array.from(form.querySelectorAll('.value')).filter((el) => el.name && !el.readOnly && !el.disabled);
  for (const el of fields()) el.dataset.saved = el.value;

  // Each kept value remembers the report's version it was typed on: it is put back by itself only
  // while the report is still at that version, so a value kept weeks ago never overwrites what
  // was saved since (by anyone) without the user choosing it.
  const version = () => (versionInput ? versionInput.value : '');
  const kept = () => { try { return JSON.parse(localStorage.getItem(STORE) || '{}') || {}; } catch (_) { return {}; } };
  const keepAll = (k) => { try { localStorage.setItem(STORE, JSON.stringify(k)); } catch (_) { /* storage full or off */ } };
  const keep = (name, value) => { const k = kept(); k[name] = { v: value, version: version() }; keepAll(k); };
  // After a save of this page: the other kept values were typed on what this user saw, so they
  // follow the new version.
  const rebase = () => { const k = kept(); for (const e of Object.values(k)) if (e && typeof e === 'object') e.version = version(); if (Object.keys(k).length) keepAll(k); };
  const forget = (name) => {
    try { const k = kept(); delete k[name]; if (Object.keys(k).length) localStorage.setItem(STORE, JSON.stringify(k)); else localStorage.removeItem(STORE); } catch (_) { /* off */ }
  };

  const STATES = { saving: 'đang lưu…', saved: 'đã lưu', failed: 'lỗi: chưa lưu', conflict: 'xung đột: chưa lưu', pending: 'chưa lưu' };
  function setState(el, state, message) {
    const holder = el.closest('.cell') || el.closest('td');
    if (!holder) return;
    let span = holder.querySelector('.cell-state');
    if (!span) { span = document.createElement('span'); span.className = 'cell-state'; span.setAttribute('role', 'status'); holder.appendChild(span); }
    span.dataset.state = state;
    span.textContent = message ? STATES[state] + ' — ' + message : STATES[state];
    span.title = span.textContent;
    el.dataset.state = state;
    if (state === 'failed' || state === 'conflict') el.setAttribute('aria-invalid', 'true'); else el.removeAttribute('aria-invalid');
  }

  function showBanner(kind, nodes) {
    if (!banner) return;
    banner.hidden = false;
    banner.className = 'entry-banner ' + kind;
    banner.replaceChildren(...nodes);
  }
  function loginLink() {
    const a = document.createElement('a');
    a.href = '/login?next=' + encodeURIComponent(location.pathname);
    a.id = 'relogin';
    a.textContent = 'Đăng nhập lại';
    return a;
  }
  function sessionExpired() {
    expired = true;
    showBanner('error', [
      document.createTextNode('Phiên làm việc đã hết hạn. Các số liệu bạn vừa nhập chưa lưu được nhưng vẫn được giữ trên máy này và sẽ được lưu khi bạn trở lại. '),
      loginLink(), document.createTextNode('.'),
    ]);
  }

  const cellHeaders = () => ({ 'Content-Type': 'application/x-www-form-urlencoded', 'X-Cchc-Cell': '1', 'X-CSRF-Token': csrfInput ? csrfInput.value : '', 'Accept': 'application/json' });
  const cellBody = (el, value) => new URLSearchParams({ cell: el.name, value: value, version: versionInput ? versionInput.value : '' });

  async function send(el) {
    const value = el.value;
    if (value === el.dataset.saved) { forget(el.name); if (el.dataset.state && el.dataset.state !== 'saved') setState(el, 'saved'); return; }
    if (expired) { keep(el.name, value); setState(el, 'failed', 'phiên làm việc đã hết hạn'); return; }
    setState(el, 'saving');
    let response;
    try {
      response = await fetch(base, {
        method: 'POST',
        credentials: 'same-origin',
        redirect: 'manual',
        headers: cellHeaders(),
        body: cellBody(el, value),
      });
    } catch (_) {
      keep(el.name, value);
      setState(el, 'failed', 'không gửi được, hãy kiểm tra kết nối mạng');
      return;
    }
    let body = {};
    try { body = await response.json(); } catch (_) { body = {}; }
    if (response.ok) {
      if (versionInput && body.version !== undefined) { versionInput.value = String(body.version); rebase(); }
      const stored = typeof body.value === 'string' ? body.value : value;
      if (el.value === value && el.tagName !== 'SELECT') el.value = stored;
      el.dataset.saved = el.tagName === 'SELECT' ? value : stored;
      if (el.value === el.dataset.saved) forget(el.name);
      setState(el, 'saved');
    } else if (response.status === 401 || response.type === 'opaqueredirect') {
      keep(el.name, value);
      setState(el, 'failed', 'phiên làm việc đã hết hạn');
      sessionExpired();
    } else if (response.status === 409) {
      forget(el.name);
      setState(el, 'conflict', body.message || 'báo cáo vừa được người khác sửa');
      showBanner('error', [document.createTextNode('Báo cáo vừa được người khác lưu hoặc đã gửi đi: số bạn nhập chưa được lưu để không ghi đè. Hãy tải lại trang để xem số liệu mới rồi nhập lại.')]);
    } else {
      forget(el.name);
      setState(el, 'failed', body.message || 'máy chủ chưa lưu được số liệu này');
    }
  }
  const enqueue = (el) => { chain = chain.then(() => send(el)); return chain; };
  const dirty = () => fields().some((el) => el.value !== el.dataset.saved);
  // Saves whatever is still unsaved, in order, and waits for the answers.
  const flush = () => { for (const el of fields()) if (el.value !== el.dataset.saved && el.dataset.state !== 'saving') enqueue(el); return chain; };

  if (editable) {
    form.addEventListener('input', (e) => {
      const el = e.target;
      if (!el.name || !fields().includes(el)) return;
      keep(el.name, el.value);
      setState(el, 'pending');
    });
    form.addEventListener('change', (e) => { if (fields().includes(e.target)) enqueue(e.target); });

    // "Lưu nháp": the cells still on their way first, then the form with the latest version.
    form.addEventListener('submit', (e) => {
      if (form.dataset.flushed === '1') return;
      e.preventDefault();
      flush().then(() => { form.dataset.flushed = '1'; leaving = true; form.submit(); });
    });

    // Leaving by a link (another form's tab, the report page…): save first, ask if something failed.
    document.addEventListener('click', (e) => {
      const a = e.target.closest && e.target.closest('a[href]');
      if (!a || a.target || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0 || a.id === 'relogin') return;
      if (!dirty() && !fields().some((el) => el.dataset.state === 'saving')) return;
      e.preventDefault();
      flush().then(() => {
        if (dirty() && !window.confirm('Còn số liệu chưa lưu được (các ô báo lỗi hoặc xung đột). Rời trang thì các số này không được lưu. Vẫn rời trang?')) return;
        leaving = true;
        location.href = a.href;
      });
    });
    window.addEventListener('beforeunload', (e) => {
      if (leaving) return;
      // A value typed but not sent yet goes now (keepalive: the request outlives the page; if it
      // does not get through, the value is still kept in this browser and saved on the next visit).
      for (const el of fields()) {
        if (el.value !== el.dataset.saved && el.dataset.state === 'pending') {
          try {
            fetch(base, { method: 'POST', credentials: 'same-origin', keepalive: true, headers: cellHeaders(), body: cellBody(el, el.value) });
          } catch (_) { /* kept in localStorage */ }
        }
      }
      // Values known not to be saved (an error, a conflict, an expired session): ask first.
      if (fields().some((el) => el.value !== el.dataset.saved && (el.dataset.state === 'failed' || el.dataset.state === 'conflict'))) {
        e.preventDefault();
        e.returnValue = '';
      }
    });

    // Values typed before the session expired (or the connection dropped): put back and saved
    // when the report has not changed since; otherwise offered, never applied unasked.
    let restored = 0;
    const stale = [];
    for (const [name, entry] of Object.entries(kept())) {
      const value = entry && typeof entry === 'object' ? entry.v : entry;
      const el = fields().find((f) => f.name === name);
      if (!el || typeof value !== 'string' || el.value === value) { forget(name); continue; }
      if (entry && entry.version === version()) { restore(el, value); restored += 1; } else stale.push([el, value]);
    }
    if (stale.length > 0) offerStale(stale);
    else if (restored > 0) {
      showBanner('ok', [document.createTextNode('Đã khôi phục ' + restored + ' số liệu bạn nhập trước đó (chưa kịp lưu) và đang lưu lại. Hãy kiểm tra trạng thái từng ô.')]);
    }
  }

  // A kept value back in its cell, saved as if typed.
  function restore(el, value) {
    el.value = value;
    const details = el.closest('details');
    if (details) details.open = true;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }

  // Kept values typed on an earlier version of the report: listed with what is stored now; the
  // user puts them back or drops them.
  function offerStale(stale) {
    const label = (el) => (el.labels && el.labels[0] ? el.labels[0].textContent.trim() : el.name);
    const list = document.createElement('ul');
    list.id = 'stale-values';
    for (const [el, value] of stale) {
      const li = document.createElement('li');
      li.textContent = label(el) + ': bạn đã nhập “' + value + '”, số đang lưu là “' + (el.value || 'trống') + '”';
      list.appendChild(li);
    }
    const button = (id, text, act) => {
      const b = document.createElement('button');
      b.type = 'button'; b.id = id; b.textContent = text;
      b.addEventListener('click', () => { act(); banner.hidden = true; });
      return b;
    };
    showBanner('warning', [
      document.createTextNode('Trên máy này còn ' + stale.length + ' số liệu bạn nhập trước đây chưa được lưu, nhưng báo cáo đã được lưu lại từ đó. Các số này chưa được đưa vào biểu:'),
      list,
      button('stale-restore', 'Dùng các số đã nhập và lưu lại', () => { for (const [el, value] of stale) { forget(el.name); restore(el, value); } }),
      document.createTextNode(' '),
      button('stale-drop', 'Bỏ các số này', () => { for (const [el] of stale) forget(el.name); }),
    ]);
  }

  // The live check: a failed request says so instead of keeping "Không phát hiện sai sót".
  function checkFailed(message) {
    const summary = document.getElementById('findings-summary');
    if (!summary) return;
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = message;
    summary.replaceChildren(p);
  }
  form.addEventListener('htmx:responseError', (e) => {
    const status = e.detail.xhr ? e.detail.xhr.status : 0;
    if (status === 401) { checkFailed('Chưa kiểm tra được: phiên làm việc đã hết hạn.'); sessionExpired(); }
    else checkFailed('Chưa kiểm tra được số liệu (máy chủ trả lời lỗi ' + status + '). Hãy thử lại.');
  });
  form.addEventListener('htmx:sendError', () => checkFailed('Chưa kiểm tra được số liệu: không kết nối được máy chủ.'));

  // Spreadsheet keys: Tab / Enter (Shift: backwards) and ↑/↓ move between the figures; the
  // notes are out of that path (Alt+G opens the row's note, Esc comes back).
  function move(el, step) {
    const list = nav();
    const i = list.indexOf(el);
    const target = list[i + step];
    if (i < 0 || !target) return false;
    const details = target.closest('details');
    if (details && !details.open) details.open = true;
    target.focus();
    if (target.select && target.tagName === 'INPUT') target.select();
    return true;
  }
  form.addEventListener('keydown', (e) => {
    const el = e.target;
    if (e.isComposing) return;
    if (el.classList && el.classList.contains('note')) {
      if (e.key === 'Escape') { const v = el.closest('tr') && el.closest('tr').querySelector('.value'); if (v) { e.preventDefault(); v.focus(); } }
      return;
    }
    const inNav = nav().includes(el);
    if (e.key === 'Enter' && el.tagName === 'INPUT') e.preventDefault(); // never submit by Enter
    if (!inNav) return;
    if (e.altKey && (e.code === 'KeyG' || e.key === 'g' || e.key === 'G')) {
      const note = el.closest('tr') && el.closest('tr').querySelector('textarea.note');
      if (note) { e.preventDefault(); note.focus(); }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Tab' || e.key === 'Enter') {
      if (move(el, e.shiftKey ? -1 : 1)) e.preventDefault();
      else if (e.key === 'Enter') { e.preventDefault(); el.dispatchEvent(new Event('change', { bubbles: true })); }
    } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && el.tagName !== 'SELECT') {
      if (move(el, e.key === 'ArrowDown' ? 1 : -1)) e.preventDefault();
    }
  });
})();
