// Report screen: the campaign's history from the database (GET /campaigns/{id}/report/timeline and /distributions):
// outcomes over time as stacked bars with the answer rate, talk time per bucket, attempts per contact and talk-time
// classes. Hand-written SVG; each chart also reads as a table (a <details> under it) for the keyboard and screen readers.
import { t, addTexts } from './i18n.js';
import { h, api, problemText } from './core.js';

addTexts({
  en: { reportHistory: 'History', outcomesOverTime: 'Outcomes over time', talkPerBucket: 'Talk time per interval', rangeLastHour: 'Last hour',
    range24h: '24 h', range7d: '7 days', rangeWhole: 'Whole campaign', rangeLabel: 'Range', answerRateLine: 'Answer rate',
    talkSum: 'Talk time (s)', talkMedian: 'Median (s)', talkP90: '90th percentile (s)', perInterval: 'per interval of', asTable: 'As a table',
    intervalStart: 'Interval', attemptsPerContact: 'Attempts per contact', talkTimeClasses: 'Talk time of answered calls',
    contactsWith: 'contacts with', attemptsWord: 'attempt(s)', callsWord: 'calls', noAttemptsYet: 'No attempt ended in this range.',
    historyNote: 'From the database: every node, across restarts.' },
  ru: { reportHistory: 'История', outcomesOverTime: 'Исходы во времени', talkPerBucket: 'Время разговора по интервалам', rangeLastHour: 'Последний час',
    range24h: '24 ч', range7d: '7 дней', rangeWhole: 'Вся кампания', rangeLabel: 'Период', answerRateLine: 'Доля ответов',
    talkSum: 'Время разговора (с)', talkMedian: 'Медиана (с)', talkP90: '90-й процентиль (с)', perInterval: 'интервал', asTable: 'Таблицей',
    intervalStart: 'Интервал', attemptsPerContact: 'Попыток на контакт', talkTimeClasses: 'Время разговора отвеченных звонков',
    contactsWith: 'контактов с', attemptsWord: 'попыт.', callsWord: 'звонков', noAttemptsYet: 'В этом периоде ни одна попытка не завершилась.',
    historyNote: 'Из базы данных: все узлы, с учётом перезапусков.' },
});

const NS = 'http://www.w3.org/2000/svg';
const COLORS = { ANSWERED: '#1f8a4c', MACHINE: '#7d5ba6', BUSY: '#b7791f', NO_ANSWER: '#8a94a6', CONGESTION: '#c0392b', FAILED: '#922b21',
  REJECTED: '#d35400', INVALID_NUMBER: '#566573', LOST: '#1d2330' };
const RANGES = [['hour', 'rangeLastHour', 3600e3], ['day', 'range24h', 86400e3], ['week', 'range7d', 7 * 86400e3], ['whole', 'rangeWhole', null]];
const pct = v => v === null || v === undefined ? '—' : (Math.round(1000 * v) / 10) + ' %';
const num = v => v === null || v === undefined ? '—' : v > 0 && v < 1 ? v.toFixed(2) : String(Math.round(v * 10) / 10);

function svgEl(parent, name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  parent.append(e);
  return e;
}

function label(iso, bucketSeconds) {
  const d = new Date(iso);
  if (bucketSeconds >= 86400) return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
  if (bucketSeconds >= 3600) return d.toLocaleDateString([], { day: 'numeric' }) + ' ' + d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// stacked bars: series = [[key, color, value(bucket)]]; line = optional [color, value(bucket) 0..1]
function chart(id, ariaLabel, buckets, bucketSeconds, series, line) {
  const W = 1000, H = 220, P = 34;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`); svg.setAttribute('class', 'chart'); svg.setAttribute('id', id);
  svg.setAttribute('role', 'img'); svg.setAttribute('aria-label', ariaLabel); svg.setAttribute('tabindex', '0');
  const n = Math.max(1, buckets.length), slot = (W - 2 * P) / n, bw = Math.max(1, slot * 0.8);
  const total = b => series.reduce((a, [, , f]) => a + (f(b) || 0), 0);
  const max = Math.max(1e-9, ...buckets.map(total));
  svgEl(svg, 'line', { x1: P, y1: H - P, x2: W - P, y2: H - P, class: 'axis' });
  buckets.forEach((b, i) => {
    let y = H - P;
    const x = P + i * slot + (slot - bw) / 2;
    for (const [key, color, f] of series) {
      const v = f(b) || 0;
      if (!v) continue;
      const hgt = (H - 2 * P) * v / max;
      y -= hgt;
      const r = svgEl(svg, 'rect', { x: x.toFixed(1), y: y.toFixed(1), width: bw.toFixed(1), height: hgt.toFixed(1), fill: color, class: 'rc-bar', 'data-k': key });
      svgEl(r, 'title', {}, label(b.start, bucketSeconds) + ' · ' + key + ': ' + num(v));
    }
  });
  const ticks = Math.min(6, n);
  for (let k = 0; k < ticks; k++) {
    const i = Math.floor(k * n / ticks);
    if (buckets[i]) svgEl(svg, 'text', { x: (P + i * slot).toFixed(1), y: H - 12 }, label(buckets[i].start, bucketSeconds));
  }
  svgEl(svg, 'text', { x: P, y: 14 }, 'max ' + num(max));
  if (line) {
    const [color, f] = line;
    const pts = [];
    buckets.forEach((b, i) => { const v = f(b); if (v !== null && v !== undefined) pts.push((P + i * slot + slot / 2).toFixed(1) + ',' + (H - P - (H - 2 * P) * v).toFixed(1)); });
    if (pts.length > 1) svgEl(svg, 'polyline', { fill: 'none', stroke: color, 'stroke-width': 2.5, points: pts.join(' '), class: 'rc-line' });
    for (const p of pts) { const [cx, cy] = p.split(','); svgEl(svg, 'circle', { cx, cy, r: 3.5, fill: color, class: 'rc-point' }); }
    svgEl(svg, 'text', { x: W - P - 40, y: 14 }, '100 %');
  }
  return svg;
}

function legend(items) {
  const box = h('div', { class: 'legend' });
  for (const [key, color, text] of items) {
    const i = h('i');
    i.style.background = color;
    box.append(h('span', { 'data-k': key }, i, text));
  }
  return box;
}

function table(id, head, rows) {
  return h('details', { class: 'rc-table' }, h('summary', {}, t('asTable')),
    h('table', { id }, h('thead', {}, h('tr', {}, ...head.map(x => h('th', {}, x)))), h('tbody', {}, ...rows.map(r => h('tr', {}, ...r.map(c => h('td', {}, c)))))));
}

function bars(entries, id) {
  const max = Math.max(1, ...entries.map(([, v]) => v));
  return h('table', { id, class: 'bars' }, h('tbody', {}, ...entries.map(([k, v]) => {
    const bar = h('div', { class: 'gauge' }, h('span'));
    bar.firstChild.style.width = Math.round(100 * v / max) + '%';
    return h('tr', {}, h('td', {}, k), h('td', {}, v), h('td', { class: 'bar-cell' }, bar));
  })));
}

function renderTimeline(box, tl) {
  const b = tl.buckets || [];
  const sec = tl.bucketSeconds;
  const tot = tl.totals || {};
  const outcomes = tl.outcomes || [];
  const every = t('perInterval') + ' ' + tl.bucket;
  box.replaceChildren(...[
    h('p', { id: 'report-history-summary' }, t('attempts') + ': ' + tot.attempts + ' · ' + t('answerRate') + ': ' + pct(tot.answerRate)
      + ' · ' + t('talkMedian') + ': ' + num(tot.talkP50) + ' · ' + t('talkP90') + ': ' + num(tot.talkP90) + ' · ' + every),
    tot.attempts ? null : h('p', { class: 'muted' }, t('noAttemptsYet')),
    h('h3', {}, t('outcomesOverTime')),
    chart('report-timeline', t('outcomesOverTime') + ', ' + every, b, sec, outcomes.map(k => [k, COLORS[k] || '#999', x => (x.outcomes || {})[k]]), ['#2458c6', x => x.answerRate]),
    legend([...outcomes.map(k => [k, COLORS[k] || '#999', k]), ['rate', '#2458c6', t('answerRateLine')]]),
    table('report-timeline-table', [t('intervalStart'), t('attempts'), ...outcomes, t('answerRate')],
      b.filter(x => x.attempts).map(x => [label(x.start, sec), x.attempts, ...outcomes.map(k => (x.outcomes || {})[k] || 0), pct(x.answerRate)])),
    h('h3', {}, t('talkPerBucket')),
    chart('report-talk', t('talkPerBucket') + ', ' + every, b, sec, [['talk', '#1f8a4c', x => x.talkSeconds]], null),
    legend([['talk', '#1f8a4c', t('talkSum')]]),
    table('report-talk-table', [t('intervalStart'), t('talkSum'), t('talkMedian'), t('talkP90')],
      b.filter(x => x.answered).map(x => [label(x.start, sec), num(x.talkSeconds), num(x.talkP50), num(x.talkP90)]))].filter(Boolean));
}

// The history cards of campaign `id`, filled in as their data arrives.
export function reportCharts(id) {
  const base = '/campaigns/' + encodeURIComponent(id) + '/report/';
  const body = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, t('loading')));
  const picker = h('div', { class: 'actions rc-ranges', role: 'group', 'aria-label': t('rangeLabel') });
  let seq = 0;
  const load = async key => {
    const my = ++seq;
    for (const b of picker.children) b.setAttribute('aria-pressed', String(b.dataset.range === key));
    const span = RANGES.find(r => r[0] === key)[2];
    const q = span ? '?from=' + encodeURIComponent(new Date(Date.now() - span).toISOString()) : '';
    const r = await api('GET', base + 'timeline' + q);
    if (my !== seq) return;
    if (r.ok) renderTimeline(body, r.json); else body.replaceChildren(h('p', { class: 'error-text' }, problemText(r)));
  };
  for (const [key, text] of RANGES) picker.append(h('button', { type: 'button', class: 'secondary', 'data-range': key, id: 'report-range-' + key, onclick: () => load(key) }, t(text)));
  const history = h('div', { class: 'card', id: 'report-history' }, h('h2', {}, t('reportHistory')), h('p', { class: 'muted' }, t('historyNote')), picker, body);
  load('whole');
  const dist = h('div', { class: 'card', id: 'report-distributions' }, h('h2', {}, t('attemptsPerContact')), h('p', { class: 'muted' }, t('loading')));
  api('GET', base + 'distributions').then(r => {
    if (!r.ok) { dist.append(h('p', { class: 'error-text' }, problemText(r))); return; }
    const d = r.json;
    dist.replaceChildren(h('h2', {}, t('attemptsPerContact')),
      bars((d.attemptsPerContact || []).map(x => [x.attempts + ' ' + t('attemptsWord'), x.contacts]), 'attempts-distribution'),
      h('h2', {}, t('talkTimeClasses')),
      bars((d.talkTime || []).map(x => [x.label, x.calls]), 'talk-distribution'));
  });
  return [history, dist];
}
