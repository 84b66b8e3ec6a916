/**
 * The dashboard's script, inlined in the page (the CSP allows exactly this text by its hash). It calls the control
 * API by URLs relative to the page (`admin/...`), so the same page works at `/` and at `/tenants/{id}/`; with an
 * admin key it sends `X-Admin-Key` from sessionStorage. Values from the API reach the page through textContent
 * only; the one HTML it inserts is the server-rendered, escaped `admin/dashboard` fragment.
 */
import { createHash } from 'node:crypto';

/** Header the page puts on its own requests, so the journal view can hide them. */
export const DASHBOARD_REQUEST_HEADER = 'X-Sandbox-Dashboard';

/** How often the page asks for new journal entries, in milliseconds. */
export const JOURNAL_POLL_MS = 1000;

export const DASHBOARD_SCRIPT = `
'use strict';
(() => {
  const POLL_MS = ${JOURNAL_POLL_MS};
  const MAX_ROWS = 200;
  const OWN_HEADER = '${DASHBOARD_REQUEST_HEADER}';
  const $ = (id) => document.getElementById(id);
  const keyRequired = document.body.dataset.adminKey === 'required';
  const keyName = 'sage200-sandbox admin key for ' + new URL('.', document.baseURI).pathname;
  const state = { unlocked: !keyRequired, polling: false, lastId: 0, rows: [], faults: [], timer: 0, clock: null };

  class KeyRefused extends Error {}

  const storedKey = () => {
    try { return sessionStorage.getItem(keyName) || ''; } catch { return ''; }
  };

  function el(tag, attributes, content) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (Array.isArray(content)) node.append(...content);
    else if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  }

  async function admin(path, init) {
    const headers = new Headers((init && init.headers) || {});
    headers.set(OWN_HEADER, '1');
    const key = storedKey();
    if (key) headers.set('X-Admin-Key', key);
    const response = await fetch(path, Object.assign({}, init, { headers, cache: 'no-store' }));
    if (response.status === 401 && keyRequired) {
      lock('The sandbox refused that admin key: enter it again.');
      throw new KeyRefused();
    }
    const type = response.headers.get('Content-Type') || '';
    const body = type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) throw new Error(body && body.message ? body.message : 'HTTP ' + response.status);
    return body;
  }

  const postJson = (path, body) =>
    admin(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  function report(id, error) {
    if (error instanceof KeyRefused) return;
    $(id).textContent = error ? error.message : '';
  }

  // ---- admin key ----
  function lock(message) {
    try { sessionStorage.removeItem(keyName); } catch {}
    state.unlocked = false;
    clearTimeout(state.timer);
    $('live').hidden = true;
    $('world').replaceChildren(el('section', { class: 'card wide locked' }, [el('p', {}, 'Enter the admin key above to see this sandbox.')]));
    $('key-form').hidden = false;
    $('key-given').hidden = true;
    $('key-error').textContent = message || '';
  }

  async function unlock() {
    await loadWorld();
    state.unlocked = true;
    if (keyRequired) {
      $('key-form').hidden = true;
      $('key-given').hidden = false;
      $('key-error').textContent = '';
    }
    $('live').hidden = false;
    loadFaults().catch((e) => report('faults-error', e));
    poll();
  }

  // ---- world: connection, clock, users, clients ----
  async function loadWorld() {
    const html = await admin('admin/dashboard');
    $('world').innerHTML = html;
    readClock();
  }

  function readClock() {
    const time = $('clock-now');
    if (!time) return;
    state.clock = { now: Date.parse(time.dateTime), at: performance.now(), frozen: time.dataset.frozen === 'true' };
  }

  function showClock(body) {
    const time = $('clock-now');
    time.dateTime = body.now;
    time.dataset.offset = String(body.offset_seconds);
    readClock();
    $('clock-offset').textContent = offsetText(body.offset_seconds);
    tick();
  }

  function tick() {
    if (!state.clock || !$('clock-now')) return;
    const elapsed = state.clock.frozen ? 0 : performance.now() - state.clock.at;
    $('clock-now').textContent = shownTime(new Date(state.clock.now + elapsed).toISOString());
  }

  const shownTime = (iso) => iso.replace('T', ' ').replace(/\\.\\d+Z$|Z$/, ' UTC');

  function offsetText(seconds) {
    if (seconds === 0) return 'in step with the wall clock';
    let rest = Math.round(seconds);
    const parts = [];
    for (const [unit, size] of [['d', 86400], ['h', 3600], ['min', 60], ['s', 1]]) {
      const count = Math.floor(rest / size);
      rest -= count * size;
      if (count > 0) parts.push(count + ' ' + unit);
    }
    return (parts.join(' ') || seconds + ' s') + ' ahead of the wall clock';
  }

  async function advance(seconds) {
    try {
      showClock(await postJson('admin/clock/advance', { seconds }));
      report('clock-error');
    } catch (e) { report('clock-error', e); }
  }

  // ---- fault rules ----
  async function loadFaults() {
    state.faults = (await admin('admin/faults')).faults;
    renderFaults();
  }

  function renderFaults() {
    $('faults-rows').replaceChildren(...state.faults.map(faultRow));
    $('faults-table').hidden = state.faults.length === 0;
    $('faults-empty').hidden = state.faults.length > 0;
    $('faults-clear').disabled = state.faults.length === 0;
  }

  function faultRow(rule) {
    const matches = [rule.method || 'any method', rule.path || 'every Sage API path'];
    if (rule.site) matches.push('site ' + rule.site);
    if (rule.company !== undefined) matches.push('company ' + rule.company);
    if (rule.client_id) matches.push('client ' + rule.client_id);
    const does = [];
    if (rule.status) does.push(String(rule.status) + (rule.retry_after !== undefined ? ' (Retry-After ' + rule.retry_after + ')' : ''));
    if (rule.latency_ms !== undefined) does.push('+' + rule.latency_ms + ' ms');
    if (rule.latency) does.push('+' + rule.latency.min_ms + '-' + rule.latency.max_ms + ' ms');
    if (rule.reset_connection) does.push('connection reset');
    const often = [];
    if (rule.times !== undefined) often.push(rule.remaining + ' of ' + rule.times + ' left');
    if (rule.every !== undefined) often.push('every ' + rule.every + ' matches');
    if (rule.probability !== undefined) often.push('probability ' + rule.probability);
    return el('tr', { 'data-fault': rule.id }, [
      el('td', {}, [el('code', {}, rule.id)]),
      el('td', {}, [el('code', {}, matches.join(' '))]),
      el('td', { class: 'fault' }, does.join(', ')),
      el('td', {}, often.join(', ') || 'every match'),
      el('td', { class: 'num' }, rule.applied + ' / ' + rule.matches),
      el('td', { class: 'num' }, [el('button', { type: 'button', class: 'danger', 'data-remove-fault': rule.id, 'aria-label': 'Remove ' + rule.id }, 'Remove')]),
    ]);
  }

  async function addFault(form) {
    const data = new FormData(form);
    const rule = {};
    for (const name of ['method', 'path']) {
      const value = String(data.get(name) || '').trim();
      if (value) rule[name] = value;
    }
    for (const name of ['status', 'times', 'latency_ms']) {
      const value = String(data.get(name) || '').trim();
      if (value) rule[name] = Number(value);
    }
    try {
      await postJson('admin/faults', rule);
      report('faults-error');
      await loadFaults();
    } catch (e) { report('faults-error', e); }
  }

  async function removeFaults(id) {
    try {
      await admin(id ? 'admin/faults/' + encodeURIComponent(id) : 'admin/faults', { method: 'DELETE' });
      report('faults-error');
      await loadFaults();
    } catch (e) { report('faults-error', e); }
  }

  // ---- request journal ----
  const isOwn = (entry) => Object.keys(entry.headers || {}).some((h) => h.toLowerCase() === OWN_HEADER.toLowerCase());

  async function poll() {
    clearTimeout(state.timer);
    if (!state.unlocked || state.polling) return;
    state.polling = true;
    try {
      await pollOnce();
    } finally {
      state.polling = false;
    }
    if (state.unlocked) state.timer = setTimeout(poll, POLL_MS);
  }

  async function pollOnce() {
    if ($('journal-live').checked) {
      try {
        const query = new URLSearchParams({ limit: '100' });
        if (state.lastId > 0) query.set('after', String(state.lastId));
        const page = await admin('admin/requests?' + query);
        if (page.recorded < state.lastId) {
          // A new journal (the world was replaced): start again.
          state.lastId = 0;
          state.rows = [];
        } else if (page.requests.length > 0) {
          state.lastId = page.requests[0].id;
          // A reset empties the journal before recording itself: keep only what came after it.
          const reset = page.requests.findIndex((e) => e.method === 'POST' && e.path.endsWith('/admin/reset'));
          const older = reset === -1 ? state.rows : [];
          state.rows = page.requests.slice(0, reset === -1 ? undefined : reset + 1).concat(older).slice(0, MAX_ROWS);
          renderJournal();
          react(page.requests.filter((entry) => !isOwn(entry)));
        }
        $('journal-count').textContent = page.length + ' in the journal, ' + page.recorded + ' recorded, keeps ' + page.capacity;
        journalState('updating every second', '');
      } catch (e) {
        if (e instanceof KeyRefused) return;
        journalState('cannot read the journal: ' + e.message, 'bad');
      }
    } else {
      journalState('paused', 'off');
    }
  }

  function journalState(text, dot) {
    $('journal-state').replaceChildren(el('span', { class: 'live-dot ' + dot }), text);
  }

  // Others' requests may have changed what the page shows: refresh only what they could have changed.
  function react(entries) {
    if (entries.length === 0) return;
    const adminCall = (entry, what) => entry.method !== 'GET' && entry.path.includes('/admin/' + what);
    if (entries.some((e) => adminCall(e, 'reset') || adminCall(e, 'state') || adminCall(e, 'clock'))) {
      loadWorld().catch(() => {});
    }
    if (entries.some((e) => adminCall(e, 'faults') || adminCall(e, 'reset')) ||
        (state.faults.length > 0 && entries.some((e) => !e.path.includes('/admin/')))) {
      loadFaults().catch((e) => report('faults-error', e));
    }
  }

  function renderJournal() {
    const hideOwn = $('journal-hide-own').checked;
    const rows = state.rows.filter((entry) => !(hideOwn && isOwn(entry))).map(journalRow);
    $('journal-rows').replaceChildren(...rows);
    $('journal-empty').hidden = rows.length > 0;
  }

  function queryText(query) {
    const parts = [];
    for (const [name, value] of Object.entries(query || {})) {
      for (const one of Array.isArray(value) ? value : [value]) parts.push(name + '=' + one);
    }
    return parts.length > 0 ? '?' + parts.join('&') : '';
  }

  function faultText(fault) {
    if (!fault) return '';
    const parts = [fault.rules.join(', ')];
    if (fault.status !== null) parts.push(String(fault.status));
    if (fault.latency_ms > 0) parts.push('+' + fault.latency_ms + ' ms');
    if (fault.connection_reset) parts.push('reset');
    return parts.join(' ');
  }

  function journalRow(entry) {
    const statusClass = 'status s' + Math.floor(entry.status / 100);
    return el('tr', { class: entry.fault ? 'faulted' : '', 'data-request': String(entry.id) }, [
      el('td', { class: 'mono', title: entry.time }, entry.time.slice(11, 19)),
      el('td', { class: 'mono' }, entry.method),
      el('td', { class: 'path' }, [el('code', {}, entry.path + queryText(entry.query))]),
      el('td', {}, [el('span', { class: statusClass }, entry.status === 0 ? 'reset' : String(entry.status))]),
      el('td', { class: 'num' }, entry.latency_ms + ' ms'),
      el('td', { class: 'fault' }, faultText(entry.fault)),
      el('td', {}, entry.user || ''),
      el('td', { title: entry.site || '' }, entry.company === null ? '' : String(entry.company)),
    ]);
  }

  async function clearJournal() {
    try {
      await admin('admin/requests', { method: 'DELETE' });
      state.rows = [];
      renderJournal();
    } catch (e) { if (!(e instanceof KeyRefused)) journalState('cannot clear the journal: ' + e.message, 'bad'); }
  }

  // ---- copy buttons ----
  async function copy(button) {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
    } catch {
      const code = button.previousElementSibling;
      if (code) getSelection().selectAllChildren(code);
      return;
    }
    button.textContent = 'Copied';
    button.classList.add('done');
    setTimeout(() => { button.textContent = 'Copy'; button.classList.remove('done'); }, 1200);
  }

  // ---- Copy a token: mint an access token for a user and copy it, or show it when there is no clipboard ----
  async function copyToken(button) {
    const user = button.dataset.tokenUser;
    const status = button.parentElement.querySelector('.token-status');
    status.replaceChildren();
    let issued;
    try {
      issued = await postJson('admin/tokens', { user });
    } catch (e) {
      if (!(e instanceof KeyRefused)) status.replaceChildren(el('span', { class: 'failed' }, 'No token: ' + e.message));
      return;
    }
    const expiry = expiryText(issued);
    let copied = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(issued.access_token);
        copied = true;
      }
    } catch {}
    if (copied) {
      status.replaceChildren(el('span', { class: 'done' }, 'Token for ' + user + ' copied. ' + expiry));
      return;
    }
    // Plain http other than localhost, or a browser that refused: the token itself, selected, to copy by hand.
    const field = el('input', { class: 'token-field', readonly: '', spellcheck: 'false', 'aria-label': 'Access token for ' + user });
    field.value = issued.access_token;
    field.addEventListener('focus', () => field.select());
    status.replaceChildren(el('span', {}, 'No clipboard here: copy the token from the field. ' + expiry), field);
    field.focus();
    field.select();
  }

  // The token's exp is sandbox time, which advancing the clock moves: the same time the API checks.
  function expiryText(issued) {
    const minutes = Math.round(issued.expires_in / 60);
    const lasts = minutes >= 1 ? minutes + ' min' : issued.expires_in + ' s';
    try {
      const part = issued.access_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const exp = JSON.parse(atob(part)).exp;
      return 'It expires at ' + shownTime(new Date(exp * 1000).toISOString()) + ' sandbox time (in ' + lasts + ').';
    } catch {
      return 'It expires in ' + lasts + ' of sandbox time.';
    }
  }

  // ---- events (delegated, so a re-rendered world keeps working) ----
  document.addEventListener('submit', (event) => {
    const form = event.target;
    event.preventDefault();
    if (form.id === 'fault-form') addFault(form);
    else if (form.id === 'clock-form') advance(Number(new FormData(form).get('seconds')));
    else if (form.id === 'key-form') {
      const key = String(new FormData(form).get('key') || '');
      try { sessionStorage.setItem(keyName, key); } catch {}
      form.reset();
      unlock().catch((e) => report('key-error', e));
    }
  });

  document.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    if (button.dataset.copy !== undefined) copy(button);
    else if (button.dataset.tokenUser) copyToken(button);
    else if (button.dataset.advance) advance(Number(button.dataset.advance));
    else if (button.dataset.removeFault) removeFaults(button.dataset.removeFault);
    else if (button.id === 'faults-clear') removeFaults();
    else if (button.id === 'journal-clear') clearJournal();
    else if (button.id === 'key-forget') lock('');
  });

  document.addEventListener('change', (event) => {
    if (event.target.id === 'journal-hide-own') renderJournal();
    if (event.target.id === 'journal-live') poll();
  });

  setInterval(tick, 1000);
  readClock();
  if (!keyRequired) {
    loadFaults().catch((e) => report('faults-error', e));
    poll();
  } else if (storedKey()) {
    unlock().catch((e) => report('key-error', e));
  }
})();
`;

/** The script's CSP source (`'sha256-...'`). */
export const DASHBOARD_SCRIPT_HASH = cspHash(DASHBOARD_SCRIPT);

/** A CSP hash source for an inline script or style. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}
