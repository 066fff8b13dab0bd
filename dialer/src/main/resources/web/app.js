// Outdial web UI: one page, hash routes, the node's JSON API with the session cookie and the CSRF header.
import { t, currentLang, setLang } from './i18n.js';
import './search.js';
import { session, main, show, h, can, isViewer, mask, fmtTime, badge, api, problemText, screens, navLinks, setUnauthenticatedHandler, API } from './core.js';
import './phone.js';
import './schemes.js';
import './flows.js';
import { reportCharts } from './report-charts.js';

let feed = null;        // EventSource of the live feed while the dashboard is shown
setUnauthenticatedHandler(() => showLogin());

// ---- shell ----
function renderShell() {
  document.documentElement.lang = currentLang();
  document.title = 'Outdial';
  const top = document.getElementById('top');
  top.hidden = !session.me;
  const nav = document.getElementById('nav');
  nav.replaceChildren();
  const links = [['#/dashboard', 'dashboard'], ['#/campaigns', 'campaigns'], ['#/telephony', 'telephony'], ['#/stop-list', 'stopList']];
  for (const [href, key, role] of navLinks) if (!role || can(role)) links.push([href, key]);
  for (const [href, key] of links) {
    const a = h('a', { href }, t(key));
    if (location.hash.startsWith(href)) a.setAttribute('aria-current', 'page');
    nav.append(a);
  }
  document.getElementById('who').textContent = session.me ? session.me.name + ' · ' + session.me.role + (isViewer() ? ' (' + t('readOnly') + ')' : '') : '';
  document.getElementById('logout').textContent = t('signOut');
  document.getElementById('lang').value = currentLang();
  document.querySelector('.skip').textContent = currentLang() === 'ru' ? 'К содержимому' : 'Skip to content';
}

function closeFeed() { if (feed) { feed.close(); feed = null; } }

function showLogin(message) {
  closeFeed();
  renderShell();
  const err = h('p', { class: 'error-text', role: 'alert', id: 'login-error' }, message || '');
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'card', onsubmit: async ev => {
    ev.preventDefault();
    const r = await api('POST', '/auth/login', { username: user.value, password: pass.value });
    if (r.ok) { session.me = { name: r.json.username, role: r.json.role, csrfToken: r.json.csrfToken }; if (!location.hash || location.hash === '#/login') location.hash = '#/dashboard'; route(); }
    else err.textContent = r.status === 429 ? t('throttled') : t('badLogin');
  } },
    h('h1', {}, 'Outdial — ' + t('signIn')),
    h('div', { class: 'row' }, h('label', { for: 'username' }, t('username')), user),
    h('div', { class: 'row' }, h('label', { for: 'password' }, t('password')), pass),
    err, h('button', { type: 'submit', id: 'login' }, t('signIn')),
    h('p', {}, langPicker()));
  show(h('div', { class: 'login' }, form));
  user.focus();
}

function langPicker() {
  const s = h('select', { 'aria-label': 'Language / Язык', id: 'login-lang', onchange: () => { setLang(s.value); route(); } },
    h('option', { value: 'en' }, 'English'), h('option', { value: 'ru' }, 'Русский'));
  s.value = currentLang();
  return s;
}

async function boot() {
  document.getElementById('lang').addEventListener('change', ev => { setLang(ev.target.value); route(); });
  document.getElementById('logout').addEventListener('click', async () => { await api('POST', '/auth/logout'); session.me = null; location.hash = '#/dashboard'; showLogin(); });
  window.addEventListener('hashchange', route);
  const r = await fetch('/api/v1/auth/me', { credentials: 'same-origin' });
  if (r.ok) { const j = await r.json(); session.me = { name: j.name, role: j.role, csrfToken: j.csrfToken }; route(); } else showLogin();
}

let routeSeq = 0;   // which route() call is the current one: a screen left behind must not write over the next

async function route() {
  const seq = ++routeSeq;
  if (!session.me) { showLogin(); return; }
  closeFeed();
  if (!location.hash || location.hash === '#/' || location.hash === '#/login') { history.replaceState(null, '', '#/dashboard'); }
  renderShell();
  const parts = location.hash.slice(2).split('/').map(decodeURIComponent);
  show(h('p', { class: 'muted' }, t('loading')));
  try {
    if (parts[0] === 'dashboard') dashboard();
    else if (parts[0] === 'telephony') await telephony();
    else if (parts[0] === 'campaigns' && !parts[1]) await campaignList();
    else if (parts[0] === 'campaigns' && parts[1] === 'new') await campaignForm(null);
    else if (parts[0] === 'campaigns' && parts[2] === 'edit') await campaignForm(parts[1]);
    else if (parts[0] === 'campaigns' && parts[2] === 'contacts' && parts[3]) await contactView(parts[1], parts[3]);
    else if (parts[0] === 'campaigns' && parts[2] === 'report') await report(parts[1]);
    else if (parts[0] === 'campaigns') await campaignView(parts[1]);
    else if (parts[0] === 'stop-list') await stopList(parts[1] || 'global');
    else if (screens.has(parts[0])) await screens.get(parts[0])(parts);
    else show(h('h1', {}, t('notFound')));
    if (seq === routeSeq) main.focus();
  } catch (e) {
    if (seq === routeSeq && e.message !== 'unauthenticated') show(h('p', { class: 'error-text' }, t('error') + ': ' + e.message));
  }
}

// ---- dashboard: the live feed ----
function dashboard() {
  const status = h('span', { class: 'badge', id: 'feed-state' }, t('reconnecting'));
  const stats = h('div', { class: 'grid', id: 'stats' });
  const gauges = h('div', { class: 'card', id: 'gauges' }, h('h2', {}, t('lines')));
  const chart = h('div', { class: 'card' }, h('h2', {}, t('last15')), h('div', { id: 'chart' }));
  const alerts = h('div', { class: 'card', id: 'alerts' }, h('h2', {}, t('alerts')));
  const camps = h('div', { class: 'card', id: 'live-campaigns' });
  const nodes = h('div', { class: 'card', id: 'cluster-nodes', hidden: true });
  const flow = h('div', { class: 'grid', id: 'calls-and-messages' });
  show(h('h1', {}, t('dashboard'), ' ', status), stats, flow, gauges, nodes, alerts, chart, camps);
  let points = [];
  const source = new EventSource('/api/ui/live');
  feed = source;
  source.onopen = () => { status.textContent = t('live'); status.className = 'badge ok'; };
  source.onerror = () => {
    status.textContent = t('reconnecting'); status.className = 'badge warning';
    // the node refused the reconnect (the browser gives up): signed out elsewhere, or the session ended; on a 401
    // api() shows the login page
    if (source.readyState === EventSource.CLOSED && feed === source) api('GET', '/auth/me').catch(() => {});
  };
  source.onmessage = ev => {
    const s = JSON.parse(ev.data);
    if (s.history) points = s.history; else if (s.point) { points.push(s.point); if (points.length > 180) points.shift(); }
    renderLive(s, points, stats, gauges, alerts, camps);
    renderNodes(s, nodes);
    renderCallsAndMessages(s, flow);
  };
}

// a node of a cluster: every node's lines and live calls, and their totals (docs/cluster.md)
function renderNodes(s, card) {
  card.hidden = !s.nodes;
  if (!s.nodes) return;
  const table = h('table', {}, h('thead', {}, h('tr', {}, ...[t('node'), t('nodeLines'), t('liveCalls'), t('campaigns')].map(x => h('th', {}, x)))));
  const body = h('tbody');
  for (const n of s.nodes) {
    body.append(h('tr', { 'data-node': n.node }, h('td', {}, n.address + (n.self ? ' (' + t('selfNode') + ')' : '')),
      h('td', { class: 'lines' }, n.lines), h('td', { class: 'live' }, n.liveCalls),
      h('td', {}, Object.entries(n.campaigns || {}).map(([k, v]) => k + ' ' + v).join(', '))));
  }
  body.append(h('tr', { class: 'total' }, h('td', {}, h('strong', {}, t('total'))), h('td', {}, s.cluster.linesInUse), h('td', {}, s.cluster.liveCalls), h('td')));
  table.append(body);
  card.replaceChildren(h('h2', {}, t('clusterNodes')), table);
}

// calls by state now and cascade messages over the last minute, each a row of numbers with a label
const CALL_STATES = ['dialing', 'ringing', 'answered', 'in_flow'];
const MESSAGE_COUNTERS = ['sent', 'delivered', 'failed'];
function renderCallsAndMessages(s, box) {
  const cell = (label, value, id) => h('div', { class: 'mini' }, h('div', { class: 'stat', id }, value), h('div', { class: 'muted' }, label));
  const calls = s.callsByState || {};
  const msgs = s.messagesPerMinute || {};
  box.replaceChildren(
    h('div', { class: 'card', id: 'calls-by-state' }, h('h2', {}, t('callsByState')),
      h('div', { class: 'minis' }, ...CALL_STATES.map(k => cell(t('cs_' + k), calls[k] || 0, 'calls-' + k)))),
    h('div', { class: 'card', id: 'messages-per-minute' }, h('h2', {}, t('messagesPerMinute')),
      h('div', { class: 'minis' }, ...MESSAGE_COUNTERS.map(k => cell(t('ms_' + k), msgs[k] || 0, 'messages-' + k)))));
}

function stat(label, value, id) { return h('div', { class: 'card' }, h('div', { class: 'muted' }, label), h('div', { class: 'stat', id }, value)); }

function renderLive(s, points, stats, gauges, alerts, camps) {
  stats.replaceChildren(
    stat(t('liveCalls'), s.liveCalls, 'live-calls'),
    stat(t('attemptsPerSecond'), s.attemptsPerSecond, 'cps'),
    stat(t('answerRate'), s.answerRate === null ? '—' : s.answerRate + ' %', 'answer-rate'),
    stat(t('attempts'), s.attempts, 'attempts'));
  gauges.replaceChildren(h('h2', {}, t('lines')));
  for (const l of s.lines) {
    const limit = l.limit;
    const pct = limit ? Math.min(100, Math.round(100 * l.inUse / limit)) : (l.inUse ? 5 : 0);
    gauges.append(h('div', { class: 'gauge-row', 'data-level': l.level, 'data-name': l.name },
      h('div', {}, h('strong', {}, t(l.level) + ' ' + (l.name === '*' ? '' : l.name)), ' ',
        h('span', { class: 'lines-value' }, l.inUse + ' / ' + (limit === null || limit === undefined ? t('unlimited') : limit))),
      h('div', { class: 'gauge' + (limit && l.inUse >= limit ? ' full' : ''), role: 'meter', 'aria-valuenow': l.inUse, 'aria-valuemin': 0, 'aria-valuemax': limit || 0 },
        h('span', { style: null }))));
    gauges.lastChild.querySelector('.gauge > span').style.width = pct + '%';
  }
  const held = s.campaigns.filter(c => c.reason && !['dialing', 'draft', 'scheduled', 'paused', 'finished', 'archived', 'stopping'].includes(c.reason));
  alerts.replaceChildren(h('h2', {}, t('alerts')));
  if (!held.length) alerts.append(h('p', { class: 'muted' }, t('noAlerts')));
  for (const c of held) {
    const severe = ['asterisk_down', 'trunk_down', 'not_runnable'].includes(c.reason);
    alerts.append(h('div', { class: 'card alert' + (severe ? ' error' : ''), 'data-campaign': c.id },
      h('strong', {}, h('a', { href: '#/campaigns/' + encodeURIComponent(c.id) }, c.id)), ': ', t('r_' + c.reason),
      h('div', { class: 'muted' }, t('whatToDo') + ': ' + t('a_' + c.reason))));
  }
  const svg = chartSvg(points);
  document.getElementById('chart').replaceChildren(svg.svg, svg.legend);
  const table = h('table', {}, h('thead', {}, h('tr', {}, ...[t('campaign'), t('state'), t('liveCalls'), t('counters'), t('outcomes')].map(x => h('th', {}, x)))));
  const body = h('tbody');
  for (const c of s.campaigns) {
    const cn = c.contacts || {};
    body.append(h('tr', { 'data-campaign': c.id }, h('td', {}, h('a', { href: '#/campaigns/' + encodeURIComponent(c.id) }, c.id)),
      h('td', {}, c.reason ? t('r_' + c.reason) : ''), h('td', { class: 'live' }, c.liveCalls || 0),
      h('td', {}, (cn.total || 0) + ' · ' + t('availableNow').toLowerCase() + ' ' + (cn.available_now || 0) + ' · ' + t('inProgress').toLowerCase() + ' ' + (cn.in_progress || 0)),
      h('td', {}, Object.entries(c.outcomes || {}).filter(([, v]) => v).map(([k, v]) => k + ' ' + v).join(', '))));
  }
  table.append(body);
  camps.replaceChildren(h('h2', {}, t('campaigns')), table);
}

const COLORS = { answered: '#1f8a4c', machine: '#7d5ba6', busy: '#b7791f', no_answer: '#8a94a6', congestion: '#c0392b', failed: '#c0392b', rejected: '#d35400', invalid_number: '#566573', lost: '#000' };
function chartSvg(points) {
  const NS = 'http://www.w3.org/2000/svg', W = 1000, H = 220, P = 30;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`); svg.setAttribute('class', 'chart'); svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('last15'));
  const el = (n, a) => { const e = document.createElementNS(NS, n); for (const k in a) e.setAttribute(k, a[k]); svg.append(e); return e; };
  const now = points.length ? points[points.length - 1].t : Date.now();
  const x = tm => P + (W - 2 * P) * (1 - (now - tm) / (15 * 60000));
  // outcomes per minute: bars per minute bucket
  const buckets = new Map();
  for (const p of points) { const m = Math.floor(p.t / 60000); const b = buckets.get(m) || {}; for (const [k, v] of Object.entries(p.outcomes || {})) b[k] = (b[k] || 0) + v; buckets.set(m, b); }
  let maxBar = 1; for (const b of buckets.values()) maxBar = Math.max(maxBar, Object.values(b).reduce((a, c) => a + c, 0));
  const maxLine = Math.max(1, ...points.map(p => p.linesInUse));
  el('line', { x1: P, y1: H - P, x2: W - P, y2: H - P, class: 'axis' });
  for (let i = 0; i <= 15; i += 5) { const tx = el('text', { x: x(now - (15 - i) * 60000) - 8, y: H - 10 }); tx.textContent = (i - 15) + ' min'; }
  const seen = new Set();
  for (const [m, b] of buckets) {
    const bx = x(m * 60000), bw = (W - 2 * P) / 15 * 0.7; let y = H - P;
    for (const [k, v] of Object.entries(b)) { if (!v) continue; seen.add(k); const hgt = (H - 2 * P) * v / maxBar; y -= hgt; el('rect', { x: bx, y, width: bw, height: hgt, fill: COLORS[k] || '#999', opacity: .55 }); }
  }
  if (points.length > 1) {
    el('polyline', { fill: 'none', stroke: '#2458c6', 'stroke-width': 2.5, points: points.map(p => x(p.t).toFixed(1) + ',' + (H - P - (H - 2 * P) * p.linesInUse / maxLine).toFixed(1)).join(' ') });
  }
  const top = el('text', { x: P, y: 14 }); top.textContent = t('linesInUse') + ' max ' + maxLine + ' · ' + t('outcomesPerMinute') + ' max ' + maxBar;
  const legend = h('div', { class: 'legend' }, h('span', {}, h('i', { style: null }), t('linesInUse')), ...[...seen].map(k => h('span', { 'data-k': k }, h('i'), k)));
  legend.firstChild.firstChild.style.background = '#2458c6';
  for (const s of legend.querySelectorAll('span[data-k]')) s.firstChild.style.background = COLORS[s.dataset.k] || '#999';
  return { svg, legend };
}

// ---- telephony ----
async function telephony() {
  const r = await api('GET', '/telephony');
  if (!r.ok) { show(h('p', { class: 'error-text' }, problemText(r))); return; }
  const tel = r.json;
  const servers = h('table', { id: 'servers' }, h('thead', {}, h('tr', {}, ...[t('name'), t('state'), t('detail'), t('since'), t('liveCalls'), ''].map(x => h('th', {}, x)))),
    h('tbody', {}, ...tel.servers.map(s => h('tr', {}, h('td', {}, s.name), h('td', {}, badge(s.state)), h('td', {}, s.detail || ''), h('td', {}, fmtTime(s.since)), h('td', {}, s.liveCalls),
      h('td', {}, can('supervisor') ? h('button', { class: 'secondary', type: 'button', onclick: async ev => {
        ev.target.disabled = true; const x = await api('POST', '/telephony/servers/' + encodeURIComponent(s.name) + '/reconnect');
        ev.target.textContent = x.ok ? t('reconnectAsked') : problemText(x); setTimeout(() => route(), 2000);
      } }, t('takeBack')) : null)))));
  const trunks = h('table', { id: 'trunks' }, h('thead', {}, h('tr', {}, ...[t('name'), t('state'), t('detail'), t('maxLines'), t('maxCps')].map(x => h('th', {}, x)))),
    h('tbody', {}, ...tel.trunks.map(s => h('tr', {}, h('td', {}, s.name), h('td', {}, badge(s.state)), h('td', {}, s.detail || ''), h('td', {}, s.maxLines), h('td', {}, s.maxCps)))));
  show(h('h1', {}, t('telephony')), h('p', {}, t('accepting') + ': ' + (tel.accepting ? t('yes') : t('no'))),
    h('div', { class: 'card' }, h('h2', {}, t('servers')), servers), h('div', { class: 'card' }, h('h2', {}, t('trunks')), trunks));
}

// ---- campaigns ----
async function campaignList() {
  const r = await api('GET', '/campaigns?limit=200');
  if (!r.ok) { show(h('p', { class: 'error-text' }, problemText(r))); return; }
  const rows = await Promise.all(r.json.items.map(async c => { const one = await api('GET', '/campaigns/' + encodeURIComponent(c.id)); return one.ok ? one.json : c; }));
  const table = h('table', { id: 'campaigns' }, h('thead', {}, h('tr', {}, ...[t('id'), t('name'), t('state'), t('counters'), t('whyNot')].map(x => h('th', {}, x)))),
    h('tbody', {}, ...rows.map(c => h('tr', { 'data-campaign': c.id }, h('td', {}, h('a', { href: '#/campaigns/' + encodeURIComponent(c.id) }, c.id)), h('td', {}, c.name || ''), h('td', {}, badge(c.state)),
      h('td', {}, c.counters ? c.counters.total + ' · ' + t('closedSuccess').toLowerCase() + ' ' + c.counters.closedSuccess + ' · ' + t('inProgress').toLowerCase() + ' ' + c.counters.inProgress : ''),
      h('td', {}, c.dialing ? t('r_dialing') : c.whyNotDialing ? t('r_' + c.whyNotDialing.code) : '')))));
  show(h('h1', {}, t('campaigns')),
    can('designer') ? h('div', { class: 'actions' }, h('a', { class: 'button', href: '#/campaigns/new', id: 'new-campaign' }, t('newCampaign'))) : null,
    rows.length ? table : h('p', { class: 'muted' }, t('noCampaigns')));
}

const FIELDS = [
  ['id', 'id', 'text'], ['name', 'name', 'text'], ['flowId', 'fFlowId', 'text'], ['region', 'fRegion', 'text'], ['timeZone', 'fTimeZone', 'text'],
  ['calendar.everyDay', 'fCalendar', 'text'], ['calendar.quietHours', 'fQuiet', 'text'], ['trunk.name', 'fTrunk', 'text'],
  ['limits.lines', 'fLines', 'number'], ['limits.perSecond', 'fPerSecond', 'number'], ['priority', 'fPriority', 'number'],
  ['attempts.totalCap', 'fTotalCap', 'number'], ['attempts.dailyCap', 'fDailyCap', 'number'], ['attempts.rules', 'fRules', 'json'],
  ['scheme', 'fScheme', 'scheme'], ['schemeVersion', 'fSchemeVersion', 'schemeVersion']];

// the scheme field: the stored schemes (newest version of each) and, should the definition name another (a file), that one
function schemeSelect(fid, path, stored, current) {
  const ids = stored.map(x => x.schemeId);
  return h('select', { id: fid, name: path }, h('option', { value: '' }, t('noScheme')),
    ...stored.map(x => h('option', { value: x.schemeId }, x.schemeId + ' (v' + x.version + ')')),
    current && !ids.includes(current) ? h('option', { value: current }, current) : null);
}

// the version field: 0 (the latest valid version when the campaign starts) or one stored version of the chosen scheme
async function schemeVersions(select, schemeId, selected) {
  select.replaceChildren(h('option', { value: '0' }, t('schemeLatestValid')));
  select.disabled = !schemeId;
  if (schemeId) {
    const r = await api('GET', '/schemes/' + encodeURIComponent(schemeId));
    if (r.ok) for (const v of r.json.versions || []) select.append(h('option', { value: String(v.version) }, 'v' + v.version + (v.valid ? '' : ' (' + t('invalidVersion') + ')')));
  }
  if (selected && !select.querySelector('option[value="' + selected + '"]')) select.append(h('option', { value: String(selected) }, 'v' + selected));
  select.value = String(selected || 0);
}

function getPath(o, p) { return p.split('.').reduce((a, k) => a == null ? undefined : a[k], o); }
function setPath(o, p, v) { const ks = p.split('.'); let a = o; for (const k of ks.slice(0, -1)) a = a[k] = a[k] || {}; a[ks[ks.length - 1]] = v; }

async function campaignForm(id) {
  let def = { limits: { lines: 5, perSecond: 1 }, calendar: { everyDay: ['09:00-20:00'] }, trunk: {} };
  if (id) { const r = await api('GET', '/campaigns/' + encodeURIComponent(id)); if (!r.ok) { show(h('p', { class: 'error-text' }, problemText(r))); return; } def = r.json.definition; }
  const inputs = {};
  const listed = await api('GET', '/schemes?limit=1000');
  const stored = listed.ok ? listed.json.items || [] : [];
  const rows = FIELDS.map(([path, label, kind]) => {
    let v = getPath(def, path);
    if (path === 'calendar.everyDay' && Array.isArray(v)) v = v.join(', ');
    if (kind === 'json') v = v ? JSON.stringify(v, null, 1) : '';
    const fid = 'f-' + path.replace(/\./g, '-');
    const input = kind === 'json' ? h('textarea', { id: fid, name: path, placeholder: t('fRulesHint') })
      : kind === 'scheme' ? schemeSelect(fid, path, stored, v)
      : kind === 'schemeVersion' ? h('select', { id: fid, name: path })
      : h('input', { id: fid, name: path, type: kind === 'number' ? 'number' : 'text', readonly: id && path === 'id' ? true : null });
    if (kind !== 'schemeVersion') input.value = v === undefined || v === null ? '' : v;
    inputs[path] = input;
    return h('div', { class: 'row', 'data-field': path }, h('label', { for: fid }, t(label)), input, h('div', { class: 'problem', id: fid + '-problem', 'aria-live': 'polite' }));
  });
  await schemeVersions(inputs.schemeVersion, inputs.scheme.value, def.schemeVersion);
  inputs.scheme.addEventListener('change', () => schemeVersions(inputs.schemeVersion, inputs.scheme.value, 0));
  const summary = h('p', { class: 'error-text', role: 'alert', id: 'form-problems' });
  const form = h('form', { class: 'card', id: 'campaign-form', onsubmit: async ev => {
    ev.preventDefault();
    const out = JSON.parse(JSON.stringify(def || {}));
    delete out.contacts;
    for (const [path, , kind] of FIELDS) {
      const raw = inputs[path].value.trim();
      let v = raw === '' ? undefined : raw;
      if (v !== undefined && (kind === 'number' || kind === 'schemeVersion')) v = Number(raw);
      if (kind === 'schemeVersion' && (v === 0 || !inputs.scheme.value)) v = undefined;   // 0: the latest valid version
      if (v !== undefined && kind === 'json') { try { v = JSON.parse(raw); } catch (e) { v = raw; } }
      if (v !== undefined && path === 'calendar.everyDay') v = raw.split(',').map(s => s.trim()).filter(Boolean);
      if (v === undefined) { const ks = path.split('.'); const parent = ks.length > 1 ? getPath(out, ks.slice(0, -1).join('.')) : out; if (parent) delete parent[ks[ks.length - 1]]; } else setPath(out, path, v);
    }
    if (out.trunk && !Object.keys(out.trunk).length) delete out.trunk;
    const r = id ? await api('PUT', '/campaigns/' + encodeURIComponent(id), out) : await api('POST', '/campaigns', out);
    for (const p of form.querySelectorAll('.problem')) p.textContent = '';
    for (const i of Object.values(inputs)) i.classList.remove('invalid');
    if (r.ok) { location.hash = '#/campaigns/' + encodeURIComponent(out.id || id); return; }
    const problems = (r.json && r.json.problems) || (r.json ? [{ field: r.json.field, message: r.json.message }] : []);
    const loose = [];
    for (const p of problems) {
      const f = p.field || '';
      const key = FIELDS.map(x => x[0]).filter(k => f === k || f.startsWith(k + '.') || k.startsWith(f + '.') && f).sort((a, b) => b.length - a.length)[0];
      if (key) { inputs[key].classList.add('invalid'); inputs[key].setAttribute('aria-invalid', 'true'); const box = document.getElementById('f-' + key.replace(/\./g, '-') + '-problem'); box.textContent = (box.textContent ? box.textContent + ' ' : '') + p.message; }
      else loose.push(p.message);
    }
    summary.textContent = t('fixProblems') + (loose.length ? ' ' + loose.join(' ') : '');
    const firstBad = form.querySelector('.invalid'); if (firstBad) firstBad.focus();
  } }, ...rows, summary, h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'save' }, t('save')), h('a', { class: 'button secondary', href: id ? '#/campaigns/' + encodeURIComponent(id) : '#/campaigns' }, t('cancel'))));
  show(h('h1', {}, id ? t('edit') + ' ' + id : t('newCampaign')), form);
}

const COUNTERS = ['total', 'availableNow', 'planned', 'inProgress', 'closedSuccess', 'closedNoSuccess', 'exhausted', 'noValidNumber', 'stopListed'];
async function campaignView(id) {
  const r = await api('GET', '/campaigns/' + encodeURIComponent(id));
  if (!r.ok) { show(h('p', { class: 'error-text' }, problemText(r))); return; }
  const c = r.json;
  const msg = h('div', { id: 'campaign-message', role: 'status' });
  const move = async (state, force) => {
    const x = await api('POST', '/campaigns/' + encodeURIComponent(id) + '/state', force ? { state, force: true } : { state });
    if (x.ok) { route(); return; }
    msg.replaceChildren(h('p', { class: 'error-text' }, problemText(x)));
    if (x.json && x.json.preflight) { msg.append(preflightTable(x.json.preflight)); if (can('supervisor')) msg.append(h('button', { class: 'danger', type: 'button', onclick: () => move(state, true) }, t('startAnyway'))); }
  };
  const actions = h('div', { class: 'actions' });
  if (can('supervisor')) {
    if (['DRAFT', 'SCHEDULED'].includes(c.state)) actions.append(h('button', { type: 'button', id: 'start', onclick: () => move('RUNNING') }, t('start')));
    if (c.state === 'RUNNING') actions.append(h('button', { type: 'button', id: 'pause', class: 'secondary', onclick: () => move('PAUSED') }, t('pause')));
    if (c.state === 'PAUSED') actions.append(h('button', { type: 'button', id: 'resume', onclick: () => move('RUNNING') }, t('resume')));
    if (['RUNNING', 'PAUSED', 'SCHEDULED'].includes(c.state)) actions.append(h('button', { type: 'button', id: 'stop', class: 'danger', onclick: () => move('FINISHED') }, t('stop')));
  }
  if (can('designer') && ['DRAFT', 'SCHEDULED', 'PAUSED'].includes(c.state)) actions.append(h('a', { class: 'button secondary', id: 'edit', href: '#/campaigns/' + encodeURIComponent(id) + '/edit' }, t('edit')));
  if (can('supervisor')) actions.append(h('a', { class: 'button secondary', href: API + '/campaigns/' + encodeURIComponent(id) + '/results.csv', download: id + '-results.csv' }, t('results')),
    h('a', { class: 'button secondary', id: 'export-xlsx', href: API + '/campaigns/' + encodeURIComponent(id) + '/results.xlsx', download: id + '-results.xlsx' }, t('exportXlsx')));
  actions.append(h('a', { class: 'button secondary', id: 'report', href: '#/campaigns/' + encodeURIComponent(id) + '/report' }, t('report')));
  const pre = h('div', { class: 'card', id: 'preflight' }, h('h2', {}, t('preflight')));
  const counters = h('div', { class: 'grid', id: 'counters' }, ...COUNTERS.map(k => stat(t(k), c.counters ? c.counters[k] : '—', 'counter-' + k)));
  const why = c.dialing ? t('r_dialing') : c.whyNotDialing ? t('r_' + c.whyNotDialing.code) + ' — ' + c.whyNotDialing.message : '';
  const contactsBox = h('div', { class: 'card', id: 'contacts' });
  show(h('h1', {}, (c.name || c.id) + ' ', badge(c.state)), h('p', { class: 'muted', id: 'why' }, t('whyNot') + ': ' + why), actions, msg, counters, pre,
    can('designer') ? uploadCard(id) : null, contactsBox);
  if (['DRAFT', 'SCHEDULED', 'PAUSED'].includes(c.state)) {
    const p = await api('GET', '/campaigns/' + encodeURIComponent(id) + '/preflight');
    if (p.json && p.json.checks) pre.append(preflightTable(p.json));
  } else pre.remove();
  // the box, not a look-up by id: after a move to another screen the page goes on filling a box no longer shown
  await contactsPage(id, contactsBox, '', 0);
}

function preflightTable(p) {
  return h('table', { class: 'preflight' }, h('thead', {}, h('tr', {}, ...[t('check'), t('level'), t('message'), t('advice')].map(x => h('th', {}, x)))),
    h('tbody', {}, ...p.checks.map(k => h('tr', {}, h('td', {}, k.check + (k.target ? ' ' + k.target : '')), h('td', {}, badge(k.level)), h('td', {}, k.message || ''), h('td', {}, k.advice || '')))));
}

function uploadCard(id) {
  const file = h('input', { type: 'file', id: 'contacts-file', accept: '.csv,.xlsx,text/csv' });
  const bar = h('progress', { id: 'import-progress', max: 100, value: 0, hidden: true });
  const info = h('div', { id: 'import-info', role: 'status' });
  const form = h('form', { class: 'card', onsubmit: async ev => {
    ev.preventDefault();
    if (!file.files.length) return;
    const f = file.files[0];
    bar.hidden = false; bar.removeAttribute('value'); info.textContent = t('uploading') + ' ' + f.name;
    const r = await api('POST', '/campaigns/' + encodeURIComponent(id) + '/imports?name=' + encodeURIComponent(f.name), f, 'application/octet-stream');
    if (!r.ok) { info.textContent = problemText(r); bar.hidden = true; return; }
    const importId = r.json.importId;
    for (;;) {
      const s = await api('GET', '/imports/' + importId);
      if (!s.ok) { info.textContent = problemText(s); return; }
      const j = s.json;
      bar.max = Math.max(1, j.bytes || 1);
      info.replaceChildren(t('importState') + ' ' + importId + ': ', badge(j.state), ' ' + j.rowsRead + ' ' + t('rowsRead') + ', ' + j.imported + ' ' + t('imported') + ', ' + j.rejected + ' ' + t('rejected') + (j.merged ? ', ' + j.merged + ' ' + t('merged') : '') + (j.error ? ' — ' + j.error : ''));
      const done = j.state === 'COMPLETED' || j.state === 'FAILED';
      if (done) bar.value = bar.max; else bar.removeAttribute('value');
      if (done) {
        if (j.state === 'COMPLETED' && j.rejected > 0) info.append(' ', h('a', { href: API + '/imports/' + importId + '/rejected.csv', id: 'rejected-link', download: 'rejected.csv' }, t('downloadRejected')));
        info.setAttribute('data-state', j.state);
        break;
      }
      await new Promise(res => setTimeout(res, 400));
    }
  } }, h('h2', {}, t('upload')), h('div', { class: 'row' }, h('label', { for: 'contacts-file' }, t('uploadFile')), file), bar, info,
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'upload' }, t('upload'))));
  return form;
}

async function contactsPage(id, box, state, after) {
  const q = '/campaigns/' + encodeURIComponent(id) + '/contacts?limit=25' + (state ? '&state=' + state : '') + (after ? '&after=' + after : '');
  const r = await api('GET', q);
  const filter = h('select', { id: 'state-filter', 'aria-label': t('state'), onchange: () => contactsPage(id, box, filter.value, 0) },
    h('option', { value: '' }, t('allStates')), ...['WAITING', 'DIALING', 'CLOSED'].map(s => h('option', { value: s }, s)));
  filter.value = state;
  if (!r.ok) { box.replaceChildren(h('h2', {}, t('contacts')), h('p', { class: 'error-text' }, problemText(r))); return; }
  const table = h('table', { id: 'contact-table' }, h('thead', {}, h('tr', {}, ...[t('id'), t('phone'), t('state'), t('result'), t('attempts'), t('lastOutcome'), t('lastAttempt')].map(x => h('th', {}, x)))),
    h('tbody', {}, ...r.json.items.map(k => h('tr', {}, h('td', {}, h('a', { href: '#/campaigns/' + encodeURIComponent(id) + '/contacts/' + k.id, class: 'contact-link' }, k.id)),
      h('td', {}, mask(k.phone)), h('td', {}, k.state), h('td', {}, k.result || ''), h('td', {}, k.attempts), h('td', {}, k.lastOutcome || ''), h('td', {}, fmtTime(k.lastAttemptAt))))));
  const pager = h('div', { class: 'pager' }, after ? h('button', { type: 'button', class: 'secondary', onclick: () => contactsPage(id, box, state, 0) }, t('first')) : null,
    r.json.next ? h('button', { type: 'button', class: 'secondary', id: 'next-page', onclick: () => contactsPage(id, box, state, r.json.next) }, t('next')) : null);
  box.replaceChildren(h('h2', {}, t('contacts')), h('p', {}, filter), table, pager);
}

async function contactView(id, contactId) {
  const r = await api('GET', '/campaigns/' + encodeURIComponent(id) + '/contacts/' + encodeURIComponent(contactId));
  if (!r.ok) { show(h('p', { class: 'error-text' }, problemText(r))); return; }
  const k = r.json;
  const rows = (k.attemptHistory || []).map(a => h('tr', {}, h('td', {}, a.attemptId), h('td', {}, mask(a.phone)), h('td', {}, a.trunk || ''), h('td', {}, fmtTime(a.originateAt)),
    h('td', {}, fmtTime(a.answerAt)), h('td', {}, fmtTime(a.endAt)), h('td', {}, a.outcome || a.state), h('td', {}, a.dtmf || ''),
    h('td', {}, a.flow ? (a.flow.completion || '') + ' ' + (a.flow.path || []).join(' → ') + ' ' + JSON.stringify(a.flow.answers || {}) : '')));
  show(h('p', {}, h('a', { href: '#/campaigns/' + encodeURIComponent(id) }, '← ' + t('back'))),
    h('h1', {}, t('contact') + ' ' + k.id + ' · ' + mask(k.phone)),
    h('p', {}, t('state') + ': ', badge(k.state), ' ' + (k.result || '') + ' ' + (k.resultReason || '')),
    h('div', { class: 'card' }, h('h2', {}, t('history')), h('table', { id: 'history' }, h('thead', {}, h('tr', {}, ...['#', t('phone'), t('trunkCol'), t('originate'), t('answer'), t('end'), t('outcome'), t('dtmf'), t('flowResult')].map(x => h('th', {}, x)))), h('tbody', {}, ...rows))),
    await contactMessages(id, contactId));
}

// the contact's messaging run (the cascade scheme after its dialing): path, each message with its channel, status and
// cost, the replies; a contact without a run (no scheme, or not dialed to the end yet) says so
async function contactMessages(id, contactId) {
  const box = h('div', { class: 'card', id: 'contact-messages' }, h('h2', {}, t('messages')));
  const r = await api('GET', '/campaigns/' + encodeURIComponent(id) + '/runs/' + encodeURIComponent(contactId));
  if (r.status === 404) { box.append(h('p', { class: 'muted', id: 'no-messages' }, t('noMessages'))); return box; }
  if (!r.ok) { box.append(h('p', { class: 'error-text' }, problemText(r))); return box; }
  const run = r.json;
  box.append(h('p', {}, t('runState') + ': ', badge(run.state), ' ' + run.schemeId + ' v' + run.schemeVersion + ' · ' + t('runPath') + ': ',
      h('span', { id: 'run-path' }, (run.path || []).join(' → ')), ' · ' + t('cost') + ': ', h('strong', { id: 'run-cost' }, run.cost)),
    h('table', { id: 'messages-table' }, h('thead', {}, h('tr', {}, ...[t('block'), t('channel'), t('msgStatus'), t('cost'), t('sentAt'), t('message'), t('errorCol')].map(x => h('th', {}, x)))),
      h('tbody', {}, ...(run.messages || []).map(m => h('tr', { 'data-channel': m.channel }, h('td', {}, m.block), h('td', {}, m.channel),
        h('td', { class: 'message-status' }, m.status || m.state), h('td', {}, m.cost === null || m.cost === undefined ? '' : m.cost),
        h('td', {}, fmtTime(m.sentAt)), h('td', {}, m.text || ''), h('td', {}, m.error || ''))))));
  if ((run.replies || []).length) box.append(h('h3', {}, t('replies')), h('ul', { id: 'run-replies' }, ...run.replies.map(x => h('li', {}, fmtTime(x.at) + ' ' + x.text))));
  return box;
}

// ---- report ----
function bars(entries, id) {
  const max = Math.max(1, ...entries.map(([, v]) => v));
  return h('table', { id, class: 'bars' }, h('tbody', {}, ...entries.map(([k, v]) => {
    const bar = h('div', { class: 'gauge' }, h('span'));
    bar.firstChild.style.width = Math.round(100 * v / max) + '%';
    return h('tr', {}, h('td', { style: null }, k), h('td', {}, v), h('td', { class: 'bar-cell' }, bar));
  })));
}

async function report(id) {
  const r = await api('GET', '/campaigns/' + encodeURIComponent(id));
  if (!r.ok) { show(h('p', { class: 'error-text' }, problemText(r))); return; }
  const c = r.json;
  const cn = c.counters || {};
  const cards = [h('div', { class: 'card' }, h('h2', {}, t('counters')), bars(COUNTERS.filter(k => k !== 'total').map(k => [t(k), cn[k] || 0]), 'report-counters'))];
  const outcomes = (c.runner && c.runner.outcomes) || {};
  const ended = Object.values(outcomes).reduce((a, v) => a + v, 0);
  const answered = Object.entries(outcomes).filter(([k]) => k.startsWith('ANSWERED')).reduce((a, [, v]) => a + v, 0);
  cards.push(h('div', { class: 'card' }, h('h2', {}, t('outcomes') + ' (' + t('thisNode') + ')'),
    h('p', {}, t('answerRate') + ': ', h('strong', { id: 'report-answer-rate' }, ended ? (Math.round(1000 * answered / ended) / 10) + ' %' : '—'), ' · ' + t('attempts') + ': ' + ended),
    bars(Object.entries(outcomes).filter(([, v]) => v), 'report-outcomes')));
  cards.push(...reportCharts(id));
  const def = c.definition || {};
  if (def.flowId && c.pinnedFlowVersion) {
    const a = await api('GET', '/flows/' + encodeURIComponent(def.flowId) + '/versions/' + c.pinnedFlowVersion + '/aggregates?campaign=' + encodeURIComponent(id));
    if (a.ok) {
      const s = a.json;
      cards.push(h('div', { class: 'card', id: 'report-survey' }, h('h2', {}, t('survey')),
        h('p', {}, t('runs') + ': ' + s.runs + ' · ' + t('completed') + ': ' + s.completed + ' · ' + t('leftEarly') + ': ' + s.leftEarly + ' · ' + t('completionRate') + ': ' + Math.round(100 * s.completionRate) + ' %'),
        ...(s.questions || []).map(q => h('div', {}, h('h3', {}, q.nodeId + ' — ' + t('answered') + ' ' + q.answered + ' / ' + q.reached), bars(Object.entries(q.counts || {}), 'q-' + q.nodeId)))));
    }
  }
  show(h('p', {}, h('a', { href: '#/campaigns/' + encodeURIComponent(id) }, '← ' + t('back'))),
    h('h1', {}, t('report') + ': ' + (c.name || c.id)),
    can('supervisor') ? h('div', { class: 'actions' }, h('a', { class: 'button secondary', href: API + '/campaigns/' + encodeURIComponent(id) + '/results.csv' }, t('results')),
      h('a', { class: 'button secondary', id: 'report-xlsx', href: API + '/campaigns/' + encodeURIComponent(id) + '/results.xlsx' }, t('exportXlsx'))) : null,
    can('supervisor') ? exportCard(id) : null,
    ...cards);
}

// a results export written by the node as a job: a progress bar of the rows written, then the file to download
function exportCard(id) {
  const bar = h('progress', { id: 'export-progress', max: 100, value: 0, hidden: true });
  const info = h('div', { id: 'export-info', role: 'status' });
  const start = async format => {
    const r = await api('POST', '/campaigns/' + encodeURIComponent(id) + '/exports?format=' + format);
    if (!r.ok) { info.textContent = problemText(r); return; }
    bar.hidden = false; info.removeAttribute('data-state');
    let j = r.json;
    // polls while the card is on the page; leaving the screen leaves the job running on the node
    while (bar.isConnected) {
      bar.value = j.percent;
      const rows = j.rowsDone + (j.total === null ? '' : ' ' + t('ofTotal') + ' ' + j.total) + ' ' + t('rowsDone') + (j.format === 'xlsx' && j.workbookRows ? ', ' + j.workbookRows + ' ' + t('workbookRows') : '');
      info.replaceChildren(badge(j.state), ' ' + j.format.toUpperCase() + ': ', h('span', { id: 'export-rows' }, rows), ' · ' + j.percent + ' %');
      if (j.state === 'COMPLETED') {
        info.append(' ', h('a', { class: 'button', id: 'export-download', href: j.file, download: id + '-results.' + j.format }, t('download')));
        info.setAttribute('data-state', j.state);
        break;
      }
      if (j.state === 'FAILED') { info.append(' ' + t('exportFailed') + ': ' + (j.error || '')); info.setAttribute('data-state', j.state); break; }
      await new Promise(res => setTimeout(res, 500));
      const s = await api('GET', '/exports/' + encodeURIComponent(j.exportId));
      if (!s.ok) { info.textContent = problemText(s); break; }
      j = s.json;
    }
  };
  return h('div', { class: 'card', id: 'export-card' }, h('h2', {}, t('exportTitle')),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'export-job-csv', class: 'secondary', onclick: () => start('csv') }, t('exportCsv')),
      h('button', { type: 'button', id: 'export-job-xlsx', class: 'secondary', onclick: () => start('xlsx') }, t('exportXlsxJob'))), bar, info);
}

// ---- stop-list ----
async function stopList(scope) {
  const r = await api('GET', '/stop-list/' + encodeURIComponent(scope) + '?limit=200');
  const box = h('div', { class: 'card' });
  if (!r.ok) box.append(h('p', { class: 'error-text' }, problemText(r)));
  else box.append(h('table', { id: 'stop-table' }, h('thead', {}, h('tr', {}, h('th', {}, t('phone')), h('th', {}, t('reason')), h('th', {}, ''))),
    h('tbody', {}, ...(r.json.items || []).map(e => h('tr', {}, h('td', {}, mask(e.phone)), h('td', {}, e.reason || ''),
      h('td', {}, can('supervisor') ? h('button', { type: 'button', class: 'secondary', onclick: async () => { const x = await api('DELETE', '/stop-list/' + encodeURIComponent(scope) + '/' + encodeURIComponent(e.phone)); if (x.ok) route(); else alert(problemText(x)); } }, t('remove')) : null))))));
  const scopeInput = h('input', { id: 'stop-scope', value: scope, 'aria-label': t('scope') });
  const phone = h('input', { id: 'stop-phone', 'aria-label': t('phone') });
  const msg = h('p', { class: 'error-text', role: 'alert' });
  const add = can('supervisor') ? h('form', { class: 'actions', onsubmit: async ev => { ev.preventDefault(); const x = await api('PUT', '/stop-list/' + encodeURIComponent(scope) + '/' + encodeURIComponent(phone.value.trim()), {}); if (x.ok) route(); else msg.textContent = problemText(x); } },
    phone, h('button', { type: 'submit' }, t('add')), h('a', { class: 'button secondary', href: API + '/stop-list/' + encodeURIComponent(scope) + '/export.csv' }, t('export'))) : null;
  const file = h('input', { type: 'file', id: 'stop-file', accept: '.csv,text/csv', 'aria-label': t('import') });
  const imp = can('supervisor') ? h('form', { class: 'actions', onsubmit: async ev => {
    ev.preventDefault(); if (!file.files.length) return;
    const f = file.files[0];
    const x = await api('POST', '/stop-list/' + encodeURIComponent(scope) + '/import?name=' + encodeURIComponent(f.name), f, 'text/csv');
    if (x.ok) { msg.className = 'muted'; msg.textContent = t('imported') + ': ' + x.json.added + ' / ' + t('total').toLowerCase() + ' ' + x.json.total; setTimeout(route, 1500); } else { msg.className = 'error-text'; msg.textContent = problemText(x); }
  } }, file, h('button', { type: 'submit', class: 'secondary', id: 'stop-import' }, t('import'))) : null;
  const filter = h('input', { id: 'stop-filter', type: 'search', placeholder: t('filter'), 'aria-label': t('filter'), oninput: () => {
    const q = filter.value.replace(/\s/g, '');
    for (const tr of box.querySelectorAll('tbody tr')) tr.hidden = q !== '' && !tr.firstChild.textContent.includes(q);
  } });
  show(h('h1', {}, t('stopList')),
    h('form', { class: 'actions', onsubmit: ev => { ev.preventDefault(); location.hash = '#/stop-list/' + encodeURIComponent(scopeInput.value.trim() || 'global'); } }, scopeInput, h('button', { type: 'submit', class: 'secondary' }, t('open'))),
    add, imp, msg, h('p', {}, filter), box);
}

boot();
