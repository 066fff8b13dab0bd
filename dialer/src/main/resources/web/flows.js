// IVR flows: the list of stored flows (#/flows) and the editor of one flow (#/flows/<id>): a diagram drawn in SVG
// from the start node in layers, the flow as text beside it, both kept in sync, validation as you type, a TTS
// preview of say nodes, versions with the campaigns running each and a line diff between two versions.
import { t, addTexts } from './i18n.js';
import { h, api, problemText, can, show, session, fmtTime, badge, addScreen, API } from './core.js';

addTexts({
  en: {
    flows: 'Flows', flowsTitle: 'IVR flows', noFlows: 'No flow stored yet.', newFlow: 'New flow', flowId: 'Flow id',
    latestVersion: 'Latest version', versionCount: 'Versions', latestValid: 'Latest valid', savedAt: 'Saved',
    usedBy: 'Campaigns', flowEditor: 'Flow', diagram: 'Diagram', flowText: 'Text', addNode: 'Add node', nodeId: 'Node id',
    nodeType: 'Type', deleteNode: 'Delete node', makeStart: 'Make it the start', startNode: 'start node',
    links: 'Links', noLinks: 'This node ends the flow.', target: 'Target', none: '(none)', addKey: 'Add key', key: 'Key',
    preview: 'Preview', previewing: 'Rendering…', saveVersion: 'Save as new version', savedAs: 'Saved as version',
    savedDraft: 'saved as a draft with problems', unchanged: 'No change: still version', tryFlow: 'Try',
    problems: 'Problems', noProblems: 'No problems.', line: 'line', validating: 'Checking…', valid: 'valid',
    invalid: 'invalid', textNotParsed: 'The text does not parse; the diagram shows the last text that did',
    versions: 'Versions', version: 'Version', compare: 'Compare', from: 'From', to: 'To',
    noVersions: 'Not saved yet.', draft: 'draft', runsPinned: 'runs it', runsNamed: 'named in its definition',
    runsLatest: 'not started yet: will run the latest valid version', yamlNoDiagram: 'This version is YAML: edit it as text (the diagram and its controls work on JSON flows).',
    newFlowHint: 'A new flow: nothing is stored until you save it.', noSuchFlow: 'No such flow.', selectNode: 'Click a node to see and edit it.',
    nodeExists: 'A node with this id exists already', badNodeId: 'Node ids are 1-64 letters, digits, _ . -',
    identical: 'The two versions are the same.', readOnlyFlow: 'Read only: your role may not change flows.'
  },
  ru: {
    flows: 'Сценарии', flowsTitle: 'IVR-сценарии', noFlows: 'Сценариев пока нет.', newFlow: 'Новый сценарий', flowId: 'Id сценария',
    latestVersion: 'Последняя версия', versionCount: 'Версий', latestValid: 'Последняя корректная', savedAt: 'Сохранён',
    usedBy: 'Кампании', flowEditor: 'Сценарий', diagram: 'Схема', flowText: 'Текст', addNode: 'Добавить узел', nodeId: 'Id узла',
    nodeType: 'Тип', deleteNode: 'Удалить узел', makeStart: 'Сделать начальным', startNode: 'начальный узел',
    links: 'Переходы', noLinks: 'Этот узел завершает сценарий.', target: 'Куда', none: '(нет)', addKey: 'Добавить клавишу', key: 'Клавиша',
    preview: 'Прослушать', previewing: 'Синтез…', saveVersion: 'Сохранить новую версию', savedAs: 'Сохранено как версия',
    savedDraft: 'сохранено как черновик с ошибками', unchanged: 'Без изменений: по-прежнему версия', tryFlow: 'Попробовать',
    problems: 'Ошибки', noProblems: 'Ошибок нет.', line: 'строка', validating: 'Проверка…', valid: 'корректен',
    invalid: 'с ошибками', textNotParsed: 'Текст не разбирается; схема показывает последний разобранный текст',
    versions: 'Версии', version: 'Версия', compare: 'Сравнить', from: 'С', to: 'По',
    noVersions: 'Ещё не сохранён.', draft: 'черновик', runsPinned: 'работает на ней', runsNamed: 'указана в определении',
    runsLatest: 'ещё не запущена: возьмёт последнюю корректную версию', yamlNoDiagram: 'Эта версия в YAML: редактируйте её как текст (схема и её кнопки работают со сценариями в JSON).',
    newFlowHint: 'Новый сценарий: ничего не сохранено, пока вы не сохраните.', noSuchFlow: 'Такого сценария нет.', selectNode: 'Нажмите на узел, чтобы увидеть и изменить его.',
    nodeExists: 'Узел с таким id уже есть', badNodeId: 'Id узла: 1-64 буквы, цифры, _ . -',
    identical: 'Версии одинаковы.', readOnlyFlow: 'Только чтение: вашей роли нельзя менять сценарии.'
  }
});

// the node types of the flow language (docs/ivr-flows.md, docs/flow.schema.json)
const TYPES = ['say', 'play', 'gather', 'record', 'set', 'branch', 'transfer', 'message', 'unsubscribe', 'goal', 'hangup'];
const NEW_NODE = {
  say: () => ({ type: 'say', text: 'Hello.' }), play: () => ({ type: 'play', uri: 'prompt:jingle' }),
  gather: () => ({ type: 'gather', prompt: 'Press 1 for yes, 2 for no.', menu: {} }),
  record: () => ({ type: 'record', prompt: 'Please speak after the beep.' }), set: () => ({ type: 'set', values: {} }),
  branch: () => ({ type: 'branch', cases: [] }), transfer: () => ({ type: 'transfer', number: '' }),
  message: () => ({ type: 'message', event: 'event_name' }), unsubscribe: () => ({ type: 'unsubscribe' }),
  goal: () => ({ type: 'goal', name: 'goal' }), hangup: () => ({ type: 'hangup' })
};
// text fields shown in the node panel, per type
const TEXT_FIELDS = { say: ['text'], play: ['uri'], gather: ['prompt'], record: ['prompt'], transfer: ['number', 'prompt'],
  message: ['event'], goal: ['name'] };
const KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];
const ID = /^[A-Za-z0-9_.-]{1,64}$/;
const NS = 'http://www.w3.org/2000/svg';
const W = 184, H = 66, GX = 36, GY = 62, PAD = 24;

// ---- the flow model: links of a node ----
// every link a node has or may have: {field, label, target}; field is 'next', 'onFail', 'menu.<key>', 'cases.<i>', ...
function links(node) {
  if (!node || typeof node !== 'object') return [];
  const out = [];
  const one = (field, label) => out.push({ field, label: label || field, target: typeof node[field] === 'string' ? node[field] : undefined });
  switch (node.type) {
    case 'say': case 'play': case 'record': case 'set': case 'message': case 'unsubscribe': case 'goal': one('next'); break;
    case 'gather':
      if (node.digits) one('next');
      else for (const [k, v] of Object.entries(node.menu && typeof node.menu === 'object' ? node.menu : {})) out.push({ field: 'menu.' + k, label: k, target: typeof v === 'string' ? v : undefined });
      one('onFail'); break;
    case 'branch':
      (Array.isArray(node.cases) ? node.cases : []).forEach((c, i) => out.push({ field: 'cases.' + i, label: 'case ' + (i + 1), target: c && typeof c.next === 'string' ? c.next : undefined }));
      one('default'); break;
    case 'transfer': one('onBridged'); one('onUnanswered'); break;
    default: break;
  }
  return out;
}

function setLink(node, field, target) {
  if (field.startsWith('menu.')) {
    node.menu = node.menu && typeof node.menu === 'object' ? node.menu : {};
    if (target) node.menu[field.slice(5)] = target; else delete node.menu[field.slice(5)];
  } else if (field.startsWith('cases.')) {
    const c = node.cases[Number(field.slice(6))];
    if (c) { if (target) c.next = target; else delete c.next; }
  } else if (target) node[field] = target; else delete node[field];
}

// ---- layout: layers from the start node following its links. Links back to a node being visited (loops) are set
// aside; every other link points down: a node sits one layer below the lowest node linking to it. Nodes the start
// does not reach go in a last layer. ----
function layout(doc) {
  const nodes = doc && doc.nodes && typeof doc.nodes === 'object' ? doc.nodes : {};
  const ids = Object.keys(nodes);
  const seen = new Map(); // id -> 0 while its links are walked, 1 when done
  const post = [];
  const back = new Set();
  const walk = (u, depth) => {
    seen.set(u, 0);
    for (const l of links(nodes[u])) {
      const v = l.target;
      if (!v || !nodes[v]) continue;
      if (seen.get(v) === 0) back.add(u + '\n' + v);
      else if (!seen.has(v) && depth < 2000) walk(v, depth + 1);
    }
    seen.set(u, 1); post.push(u);
  };
  if (typeof doc.start === 'string' && nodes[doc.start]) walk(doc.start, 0);
  const level = new Map(post.map(id => [id, 0]));
  for (const u of [...post].reverse()) {
    for (const l of links(nodes[u])) {
      const v = l.target;
      if (v && level.has(v) && !back.has(u + '\n' + v) && v !== u) level.set(v, Math.max(level.get(v), level.get(u) + 1));
    }
  }
  const layers = [];
  for (const id of [...post].reverse()) (layers[level.get(id)] = layers[level.get(id)] || []).push(id);
  const rest = ids.filter(id => !level.has(id));
  if (rest.length) { const d = layers.length; layers.push(rest); for (const id of rest) level.set(id, d); }
  const widest = Math.max(1, ...layers.map(l => l ? l.length : 0));
  // links over more than one layer run down lanes on the left, so they pass no box
  let lanes = 0;
  for (const u of post) {
    const targets = new Set(links(nodes[u]).map(l => l.target).filter(v => v && level.has(v) && !back.has(u + '\n' + v)));
    for (const v of targets) if (level.get(v) - level.get(u) > 1) lanes++;
  }
  const left = lanes ? 16 + 14 * lanes : 0;
  const pos = new Map();
  layers.forEach((layer, d) => {
    const offset = left + (widest - layer.length) * (W + GX) / 2;
    layer.forEach((id, i) => pos.set(id, { x: PAD + offset + i * (W + GX), y: PAD + d * (H + GY), d }));
  });
  // room on the right for the links that go back up
  return { pos, left, width: left + PAD * 2 + widest * (W + GX) - GX + (back.size ? 60 + 8 * back.size : 0), height: PAD * 2 + Math.max(1, layers.length) * (H + GY) - GY + 30 };
}

// ---- where each JSON key starts: path ($.nodes.a.next, $.nodes.b.cases[0].next) -> line ----
function jsonLines(text) {
  const out = new Map();
  let i = 0, line = 1;
  const ws = () => { for (; i < text.length; i++) { const c = text[i]; if (c === '\n') line++; else if (c !== ' ' && c !== '\t' && c !== '\r') break; } };
  const str = () => {
    let s = ''; i++;
    while (i < text.length && text[i] !== '"') { if (text[i] === '\\') { s += text[i + 1]; i += 2; } else { if (text[i] === '\n') line++; s += text[i++]; } }
    i++; return s;
  };
  const val = (path, depth) => {
    ws();
    if (!out.has(path)) out.set(path, line);
    if (depth > 64) throw new Error('deep');
    const c = text[i];
    if (c === '{' || c === '[') {
      const obj = c === '{'; i++; ws();
      if (text[i] === (obj ? '}' : ']')) { i++; return; }
      for (let n = 0; i < text.length; n++) {
        ws();
        let p;
        if (obj) {
          if (text[i] !== '"') throw new Error('key');
          const at = line; const k = str(); p = path + '.' + k; out.set(p, at); ws();
          if (text[i] !== ':') throw new Error(':'); i++;
        } else p = path + '[' + n + ']';
        val(p, depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === (obj ? '}' : ']')) { i++; return; }
        throw new Error('sep');
      }
    } else if (c === '"') str();
    else while (i < text.length && !/[,\]}\s]/.test(text[i])) i++;
  };
  try { val('$', 0); } catch (e) { /* a partial map: lines of the keys read so far */ }
  return out;
}

// a problem of the validator, {severity, nodeId, path, message}, or a stored one rendered as text
function parseStored(s) {
  const m = /^(ERROR|WARNING) (\S+)(?: \[node ([^\]]+)\])?: (.*)$/s.exec(s);
  return m ? { severity: m[1], path: m[2], nodeId: m[3] || null, message: m[4], text: s } : { severity: 'ERROR', path: '$', nodeId: null, message: s, text: s };
}
function nodeOf(p) {
  if (p.nodeId) return p.nodeId;
  const m = /^\$\.nodes\.([^.[]+)/.exec(p.path || '');
  return m ? m[1] : null;
}
function lineOf(p, st) {
  const m = /\bline (\d+)/.exec(p.message || '');
  if (m) return Number(m[1]);
  if (st.format === 'JSON') {
    const lines = jsonLines(st.text);
    let path = p.path || '$';
    for (let n = 0; n < 20 && path; n++) {
      if (lines.has(path)) return lines.get(path);
      const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      if (cut <= 0) break;
      path = path.slice(0, cut);
    }
  } else {
    const node = nodeOf(p);
    if (node) {
      const rows = st.text.split('\n');
      const k = rows.findIndex(r => r.trim().replace(/^["']|["']?\s*:.*$/g, '') === node);
      if (k >= 0) return k + 1;
    }
  }
  return 1;
}

// ---- a line diff (longest common subsequence of lines) ----
export function lineDiff(a, b) {
  const x = a.split('\n'), y = b.split('\n');
  const n = x.length, m = y.length;
  if (n * m > 4000000) return [...x.map(l => ['-', l]), ...y.map(l => ['+', l])];
  const L = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const out = [];
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) { out.push([' ', x[i]]); i++; j++; } else if (L[i + 1][j] >= L[i][j + 1]) out.push(['-', x[i++]]); else out.push(['+', y[j++]]);
  }
  while (i < n) out.push(['-', x[i++]]);
  while (j < m) out.push(['+', y[j++]]);
  return out;
}

// ---- the list ----
async function flowList() {
  const here = location.hash;
  const r = await api('GET', '/flows');
  if (location.hash !== here) return; // another screen was opened meanwhile
  if (!r.ok) { show(h('p', { class: 'error-text' }, problemText(r))); return; }
  const items = r.json.items || [];
  const table = h('table', { id: 'flows' }, h('thead', {}, h('tr', {}, ...[t('flowId'), t('latestVersion'), t('versionCount'), t('latestValid'), t('savedAt'), t('usedBy')].map(x => h('th', {}, x)))),
    h('tbody', {}, ...items.map(f => h('tr', { 'data-flow': f.flowId },
      h('td', {}, h('a', { href: '#/flows/' + encodeURIComponent(f.flowId) }, f.flowId)), h('td', {}, 'v' + f.latestVersion), h('td', {}, f.versions),
      h('td', {}, f.latestValidVersion ? 'v' + f.latestValidVersion : badge(t('draft'), 'warning')), h('td', {}, fmtTime(f.savedAt)),
      h('td', {}, ...(f.campaigns || []).map(c => h('div', {}, h('a', { href: '#/campaigns/' + encodeURIComponent(c.id) }, c.id), c.version ? ' → v' + c.version : '')))))));
  const id = h('input', { id: 'flow-new-id', 'aria-label': t('flowId'), placeholder: t('flowId'), pattern: '[A-Za-z0-9_.\\-]{1,64}', required: true });
  const form = can('designer') ? h('form', { class: 'actions', id: 'flow-new-form', onsubmit: ev => { ev.preventDefault(); if (ID.test(id.value.trim())) location.hash = '#/flows/' + encodeURIComponent(id.value.trim()); } },
    id, h('button', { type: 'submit', id: 'flow-new' }, t('newFlow'))) : null;
  show(h('h1', {}, t('flowsTitle')), form, items.length ? table : h('p', { class: 'muted' }, t('noFlows')));
}

// ---- the editor ----
async function editor(id) {
  const st = { id, format: 'JSON', text: '', doc: null, parsed: true, problems: [], selected: null, edit: can('designer'), seq: 0, timer: null, parseTimer: null, versions: [] };
  const here = location.hash;
  const vr = await api('GET', '/flows/' + encodeURIComponent(id) + '/versions');
  if (location.hash !== here) return; // another screen was opened meanwhile
  let note = null;
  if (vr.status === 404) {
    if (!st.edit) { show(h('p', {}, h('a', { href: '#/flows' }, '← ' + t('back'))), h('p', { class: 'error-text' }, t('noSuchFlow'))); return; }
    st.doc = { id, version: 1, name: id, start: 'intro', nodes: { intro: { type: 'say', text: 'Hello.', next: 'end' }, end: { type: 'hangup' } } };
    st.text = JSON.stringify(st.doc, null, 2);
    note = t('newFlowHint');
  } else if (!vr.ok) { show(h('p', { class: 'error-text' }, problemText(vr))); return; } else {
    st.versions = vr.json.versions;
    const last = st.versions[st.versions.length - 1];
    if (!await loadVersion(st, last.version) || location.hash !== here) return;
  }

  const status = h('span', { id: 'fe-status', role: 'status', class: 'muted' });
  const svgBox = h('div', { class: 'fe-diagram', id: 'fe-diagram' });
  const inspector = h('div', { class: 'card fe-inspector', id: 'fe-inspector' });
  const gutter = h('pre', { class: 'fe-gutter', id: 'fe-gutter', 'aria-hidden': 'true' });
  const src = h('textarea', { class: 'fe-src', id: 'fe-src', wrap: 'off', spellcheck: 'false', 'aria-label': t('flowText'), readonly: st.edit ? null : true });
  src.value = st.text;
  const nodeProblemBox = h('ul', { class: 'fe-node-problems', id: 'fe-node-problems', 'aria-live': 'polite' });
  const problemList = h('ol', { class: 'fe-problems', id: 'fe-problems', 'aria-live': 'polite' });
  const parseNote = h('p', { class: 'error-text', id: 'fe-parse', role: 'alert' });
  const versionsBox = h('div', { class: 'card', id: 'fe-versions' });
  const diffBox = h('div', { id: 'fe-diff-box' });
  const audio = h('audio', { id: 'fe-audio', controls: true, preload: 'auto' });
  audio.hidden = true;

  // --- drawing ---
  function nodeProblems() {
    const map = new Map();
    for (const p of st.problems) { const n = nodeOf(p); if (n) { if (!map.has(n)) map.set(n, []); map.get(n).push(p); } }
    return map;
  }
  function drawDiagram() {
    const doc = st.doc;
    if (!doc || st.format !== 'JSON' || !doc.nodes || typeof doc.nodes !== 'object') {
      svgBox.replaceChildren(h('p', { class: 'muted' }, st.format === 'YAML' ? t('yamlNoDiagram') : t('textNotParsed')));
      return;
    }
    const { pos, width, height, left } = layout(doc);
    let lane = 0;
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`); svg.setAttribute('width', width); svg.setAttribute('height', height);
    svg.setAttribute('class', 'fe-svg'); svg.setAttribute('role', 'img'); svg.setAttribute('aria-label', t('diagram'));
    const el = (parent, n, a, text) => { const e = document.createElementNS(NS, n); for (const k in a) e.setAttribute(k, a[k]); if (text !== undefined) e.textContent = text; parent.append(e); return e; };
    const defs = el(svg, 'defs', {});
    const marker = el(defs, 'marker', { id: 'fe-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    el(marker, 'path', { d: 'M0,0 L10,5 L0,10 z', class: 'fe-arrowhead' });
    const edges = el(svg, 'g', { class: 'fe-edges' });
    const labels = el(svg, 'g', { class: 'fe-labels' });
    const probs = nodeProblems();
    for (const [id, node] of Object.entries(doc.nodes)) {
      const a = pos.get(id);
      // links to the same node share one arrow: "1, 2"
      const byTarget = new Map();
      for (const l of links(node)) if (l.target !== undefined) { const g = byTarget.get(l.target); if (g) { g.label += ', ' + l.label; g.fields.push(l.field); } else byTarget.set(l.target, { target: l.target, label: l.label, fields: [l.field] }); }
      const ls = [...byTarget.values()];
      ls.forEach((l, k) => {
        const sx = a.x + W * (k + 1) / (ls.length + 1), sy = a.y + H;
        const b = pos.get(l.target);
        let d, lx, ly;
        if (!b) { d = `M${sx},${sy} L${sx},${sy + 30}`; lx = sx; ly = sy + 22; } else {
          const tx = b.x + W / 2, ty = b.y;
          if (b.d > a.d + 1) {
            const lx0 = PAD + left - 16 - 14 * lane++;
            d = `M${sx},${sy} C${sx},${sy + 24} ${lx0},${sy + 4} ${lx0},${sy + 40} L${lx0},${ty - 40} C${lx0},${ty - 4} ${tx},${ty - 24} ${tx},${ty}`; lx = lx0; ly = sy + 52;
          } else if (b.d > a.d) { d = `M${sx},${sy} C${sx},${sy + GY / 2} ${tx},${ty - GY / 2} ${tx},${ty}`; lx = (sx + tx) / 2; ly = (sy + ty) / 2; } else {
            // back or sideways: around the right side
            const rx = Math.max(a.x, b.x) + W + 18 + 8 * k;
            d = `M${sx},${sy} C${sx},${sy + 30} ${rx},${sy + 30} ${rx},${(sy + ty) / 2} S${tx},${ty - 30} ${tx},${ty}`; lx = rx; ly = (sy + ty) / 2;
          }
        }
        el(edges, 'path', { d, class: 'fe-edge' + (b ? '' : ' dangling'), 'marker-end': 'url(#fe-arrow)', 'data-from': id, 'data-to': l.target, 'data-field': l.fields.join(' ') });
        const label = l.label + (b ? '' : ' → ' + l.target + ' ?');
        const lw = 7 * label.length + 8;
        el(labels, 'rect', { x: lx - lw / 2, y: ly - 9, width: lw, height: 16, rx: 3, class: 'fe-label-bg' + (b ? '' : ' dangling') });
        el(labels, 'text', { x: lx, y: ly + 3, 'text-anchor': 'middle', class: 'fe-label' }, label);
      });
    }
    for (const [id, node] of Object.entries(doc.nodes)) {
      const a = pos.get(id);
      const ps = probs.get(id) || [];
      const bad = ps.some(p => p.severity === 'ERROR');
      const g = el(svg, 'g', { class: 'fe-node' + (bad ? ' bad' : ps.length ? ' warn' : '') + (st.selected === id ? ' selected' : '') + (doc.start === id ? ' start' : ''),
        'data-node': id, 'data-type': node && node.type || '', tabindex: 0, role: 'button', 'aria-label': id + ' (' + (node && node.type) + ')' + (ps.length ? ': ' + ps.map(p => p.message).join('; ') : '') });
      el(g, 'rect', { x: a.x, y: a.y, width: W, height: H, rx: 8, class: 'fe-box' });
      el(g, 'text', { x: a.x + 10, y: a.y + 19, class: 'fe-id' }, (doc.start === id ? '▶ ' : '') + id);
      el(g, 'text', { x: a.x + W - 10, y: a.y + 19, 'text-anchor': 'end', class: 'fe-type' }, node && node.type || '?');
      const body = node && (node.text || (typeof node.prompt === 'string' ? node.prompt : '') || node.uri || node.number || node.name || node.event || '');
      el(g, 'text', { x: a.x + 10, y: a.y + 37, class: 'fe-body' }, String(body).length > 26 ? String(body).slice(0, 25) + '…' : String(body));
      if (ps.length) {
        const msg = ps[0].message + (ps.length > 1 ? ' (+' + (ps.length - 1) + ')' : '');
        el(g, 'text', { x: a.x + 10, y: a.y + 56, class: 'fe-problem' }, msg.length > 27 ? msg.slice(0, 26) + '…' : msg);
        el(g, 'title', {}, ps.map(p => p.message).join('\n'));
      }
      const pick = () => { st.selected = id; drawDiagram(); drawInspector(); };
      g.addEventListener('click', pick);
      g.addEventListener('keydown', ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); pick(); } });
    }
    svgBox.replaceChildren(svg);
  }

  function drawGutter() {
    const count = st.text.split('\n').length;
    const byLine = new Map();
    for (const p of st.problems) { const l = lineOf(p, st); if (!byLine.has(l)) byLine.set(l, []); byLine.get(l).push(p); }
    const rows = [];
    for (let n = 1; n <= count; n++) {
      const ps = byLine.get(n);
      rows.push(ps ? h('span', { class: ps.some(p => p.severity === 'ERROR') ? 'bad' : 'warn', title: ps.map(p => p.message).join('\n'), 'data-line': n }, String(n).padStart(3) + '●') : String(n).padStart(3) + ' ', '\n');
    }
    gutter.replaceChildren(...rows);
    gutter.scrollTop = src.scrollTop;
    problemList.replaceChildren(...(st.problems.length ? [...st.problems].map(p => ({ p, l: lineOf(p, st) })).sort((a, b) => a.l - b.l).map(({ p, l }) =>
      h('li', { class: p.severity === 'ERROR' ? 'bad' : 'warn', 'data-line': l, 'data-node': nodeOf(p) || '' },
        h('button', { type: 'button', class: 'link-inline', onclick: () => selectLine(l) }, t('line') + ' ' + l), ' ',
        nodeOf(p) ? h('strong', {}, '[' + nodeOf(p) + '] ') : null, p.message)) : [h('li', { class: 'ok' }, t('noProblems'))]));
  }
  function selectLine(l) {
    const rows = st.text.split('\n');
    const start = rows.slice(0, l - 1).reduce((a, r) => a + r.length + 1, 0);
    src.focus(); src.setSelectionRange(start, start + (rows[l - 1] || '').length);
    src.scrollTop = Math.max(0, (l - 4) * 18);
  }

  function drawInspector() {
    const doc = st.doc;
    const id = st.selected;
    const node = doc && doc.nodes && id ? doc.nodes[id] : null;
    if (!node || st.format !== 'JSON') { inspector.replaceChildren(h('p', { class: 'muted' }, st.edit && st.format === 'JSON' ? t('selectNode') : st.edit ? '' : t('readOnlyFlow'))); return; }
    const kids = [h('h2', {}, id + ' ', badge(node.type || '?'), doc.start === id ? ' ' : null, doc.start === id ? badge(t('startNode'), 'ok') : null)];
    kids.push(nodeProblemBox);
    fillNodeProblems();
    for (const f of TEXT_FIELDS[node.type] || []) {
      const v = node[f];
      if (v !== undefined && typeof v !== 'string') { kids.push(h('p', { class: 'muted' }, f + ': ' + t('flowText'))); continue; }
      const input = h('textarea', { id: 'fe-field-' + f, class: 'fe-field', rows: 2, readonly: st.edit ? null : true, onchange: () => { if (input.value === '') delete node[f]; else node[f] = input.value; changed(true); } });
      input.value = v || '';
      kids.push(h('div', { class: 'row' }, h('label', { for: 'fe-field-' + f }, f), input));
    }
    if (st.edit && (node.type === 'say' || (node.type === 'gather' && typeof node.prompt === 'string'))) {
      kids.push(h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', id: 'fe-preview', onclick: () => preview(node) }, '▶ ' + t('preview')), audio));
    }
    const ls = links(node);
    kids.push(h('h3', {}, t('links')));
    if (!ls.length && node.type !== 'gather') kids.push(h('p', { class: 'muted' }, t('noLinks')));
    const ids = Object.keys(doc.nodes);
    for (const l of ls) {
      const sel = h('select', { id: 'fe-link-' + l.field.replace(/[^A-Za-z0-9_-]/g, c => c === '.' ? '-' : 'x' + c.charCodeAt(0)), 'data-field': l.field, disabled: st.edit ? null : true,
        onchange: () => { setLink(node, l.field, sel.value); changed(true); } },
        h('option', { value: '' }, t('none')), ...ids.map(x => h('option', { value: x }, x)));
      if (l.target !== undefined && !ids.includes(l.target)) sel.append(h('option', { value: l.target }, l.target + ' ?'));
      sel.value = l.target || '';
      kids.push(h('div', { class: 'row fe-link' }, h('label', { for: sel.id }, l.label), sel));
    }
    if (st.edit && node.type === 'gather' && !node.digits) {
      const key = h('select', { id: 'fe-key', 'aria-label': t('key') }, ...KEYS.filter(k => !(node.menu && k in node.menu)).map(k => h('option', { value: k }, k)));
      const target = h('select', { id: 'fe-key-target', 'aria-label': t('target') }, ...ids.map(x => h('option', { value: x }, x)));
      kids.push(h('div', { class: 'actions' }, key, target, h('button', { type: 'button', class: 'secondary', id: 'fe-key-add', onclick: () => {
        if (!key.value) return; setLink(node, 'menu.' + key.value, target.value); changed(true);
      } }, t('addKey'))));
    }
    if (st.edit) {
      kids.push(h('div', { class: 'actions' },
        doc.start !== id ? h('button', { type: 'button', class: 'secondary', id: 'fe-make-start', onclick: () => { doc.start = id; changed(true); } }, t('makeStart')) : null,
        h('button', { type: 'button', class: 'danger', id: 'fe-delete', onclick: () => { delete doc.nodes[id]; st.selected = null; changed(true); } }, t('deleteNode'))));
    }
    inspector.replaceChildren(...kids);
  }

  // the selected node's problems: refreshed alone when the validator answers, so a field being typed in stays
  function fillNodeProblems() {
    const ps = (st.selected && nodeProblems().get(st.selected)) || [];
    nodeProblemBox.replaceChildren(...ps.map(p => h('li', { class: p.severity === 'ERROR' ? 'bad' : 'warn' }, p.message)));
  }

  async function preview(node) {
    const text = node.type === 'say' ? node.text : node.prompt;
    const voice = node.voice || (st.doc && st.doc.voice) || undefined;
    status.textContent = t('previewing');
    const res = await fetch(API + '/flows/preview', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.me.csrfToken }, body: JSON.stringify({ text, voice }) });
    if (!res.ok) { let j = null; try { j = await res.json(); } catch (e) { /* not JSON */ } status.textContent = problemText({ status: res.status, json: j }); return; }
    const bytes = (await res.arrayBuffer()).byteLength;
    // the page's CSP plays same-origin media only: the audio element loads the cached file the preview rendered
    audio.dataset.bytes = bytes;
    audio.dataset.type = res.headers.get('Content-Type') || '';
    audio.src = res.headers.get('Content-Location');
    audio.hidden = false;
    status.textContent = '';
    audio.play().catch(() => { /* autoplay may be refused: the controls stay */ });
  }

  // --- sync: diagram edits rewrite the text; text edits redraw the diagram when they parse ---
  function changed(fromDiagram) {
    if (fromDiagram) { st.text = JSON.stringify(st.doc, null, 2); src.value = st.text; st.parsed = true; parseNote.textContent = ''; }
    drawDiagram(); drawInspector(); drawGutter(); validateSoon();
  }
  src.addEventListener('input', () => {
    st.text = src.value;
    clearTimeout(st.parseTimer);
    st.parseTimer = setTimeout(() => {
      if (st.format === 'JSON') {
        try { st.doc = JSON.parse(st.text); st.parsed = true; parseNote.textContent = ''; } catch (e) { st.parsed = false; parseNote.textContent = t('textNotParsed') + ': ' + e.message; }
      }
      drawDiagram(); drawInspector(); drawGutter();
    }, 250);
    validateSoon();
  });
  src.addEventListener('scroll', () => { gutter.scrollTop = src.scrollTop; });

  function validateSoon() {
    if (!st.edit) return;
    clearTimeout(st.timer);
    status.textContent = t('validating');
    st.timer = setTimeout(async () => {
      const seq = ++st.seq;
      const r = await api('POST', '/flows/validate', st.text, st.format === 'YAML' ? 'application/yaml' : 'application/json');
      if (seq !== st.seq) return; // a newer text is being checked
      if (!r.ok) { status.textContent = problemText(r); return; }
      st.problems = r.json.problems || [];
      status.replaceChildren(r.json.valid ? badge(t('valid'), 'ok') : badge(t('invalid'), 'error'));
      status.dataset.valid = r.json.valid;
      drawDiagram(); drawGutter(); fillNodeProblems();
    }, 400);
  }

  // --- add a node ---
  const addId = h('input', { id: 'fe-add-id', 'aria-label': t('nodeId'), placeholder: t('nodeId') });
  const addType = h('select', { id: 'fe-add-type', 'aria-label': t('nodeType') }, ...TYPES.map(x => h('option', { value: x }, x)));
  const addMsg = h('span', { class: 'error-text', id: 'fe-add-problem' });
  const addForm = st.edit ? h('form', { class: 'actions', id: 'fe-add-form', onsubmit: ev => {
    ev.preventDefault();
    const nid = addId.value.trim();
    if (st.format !== 'JSON' || !st.doc) return;
    if (!ID.test(nid)) { addMsg.textContent = t('badNodeId'); return; }
    st.doc.nodes = st.doc.nodes && typeof st.doc.nodes === 'object' ? st.doc.nodes : {};
    if (st.doc.nodes[nid]) { addMsg.textContent = t('nodeExists'); return; }
    addMsg.textContent = '';
    st.doc.nodes[nid] = NEW_NODE[addType.value]();
    if (!st.doc.start) st.doc.start = nid;
    st.selected = nid; addId.value = '';
    changed(true);
  } }, addId, addType, h('button', { type: 'submit', id: 'fe-add' }, t('addNode')), addMsg) : null;

  // --- save and versions ---
  const saveMsg = h('span', { id: 'fe-save-result', role: 'status' });
  const save = st.edit ? h('button', { type: 'button', id: 'fe-save', onclick: async () => {
    const r = await api('PUT', '/flows/' + encodeURIComponent(id), st.text, st.format === 'YAML' ? 'application/yaml' : 'application/json');
    if (!r.ok) { saveMsg.className = 'error-text'; saveMsg.textContent = problemText(r); return; }
    saveMsg.className = r.json.valid ? 'ok-text' : 'error-text';
    saveMsg.dataset.version = r.json.version;
    saveMsg.textContent = r.status === 201 ? t('savedAs') + ' ' + r.json.version + (r.json.valid ? '' : ' — ' + t('savedDraft')) : t('unchanged') + ' ' + r.json.version;
    await drawVersions();
  } }, t('saveVersion')) : null;

  async function drawVersions() {
    const r = await api('GET', '/flows/' + encodeURIComponent(id) + '/versions');
    st.versions = r.ok ? r.json.versions : [];
    if (!st.versions.length) { versionsBox.replaceChildren(h('h2', {}, t('versions')), h('p', { class: 'muted' }, t('noVersions'))); return; }
    const runs = c => c.runs === 'pinned' ? t('runsPinned') : c.runs === 'named' ? t('runsNamed') : t('runsLatest');
    const table = h('table', { id: 'fe-version-table' }, h('thead', {}, h('tr', {}, ...[t('version'), t('created'), t('state'), t('usedBy'), ''].map(x => h('th', {}, x)))),
      h('tbody', {}, ...[...st.versions].reverse().map(v => h('tr', { 'data-version': v.version },
        h('td', {}, 'v' + v.version), h('td', {}, fmtTime(v.createdAt)),
        h('td', {}, v.valid ? badge(t('valid'), 'ok') : badge(t('draft') + ' · ' + v.problemCount, 'warning')),
        h('td', { class: 'fe-campaigns' }, ...(v.campaigns || []).map(c => h('div', { 'data-campaign': c.id }, h('a', { href: '#/campaigns/' + encodeURIComponent(c.id) }, c.id), ' ', h('span', { class: 'muted' }, c.state + ' · ' + runs(c))))),
        h('td', {}, h('button', { type: 'button', class: 'secondary', 'data-open': v.version, onclick: async () => { if (await loadVersion(st, v.version)) { src.value = st.text; st.selected = null; parseNote.textContent = ''; drawDiagram(); drawInspector(); drawGutter(); validateSoon(); } } }, t('open')))))));
    const opts = () => st.versions.map(v => h('option', { value: v.version }, 'v' + v.version));
    const a = h('select', { id: 'fe-cmp-a', 'aria-label': t('from') }, ...opts());
    const b = h('select', { id: 'fe-cmp-b', 'aria-label': t('to') }, ...opts());
    a.value = String(st.versions.length > 1 ? st.versions[st.versions.length - 2].version : st.versions[0].version);
    b.value = String(st.versions[st.versions.length - 1].version);
    const cmp = h('div', { class: 'actions' }, h('label', { for: 'fe-cmp-a' }, t('from')), a, h('label', { for: 'fe-cmp-b' }, t('to')), b,
      h('button', { type: 'button', class: 'secondary', id: 'fe-compare', onclick: () => compare(a.value, b.value) }, t('compare')));
    versionsBox.replaceChildren(h('h2', {}, t('versions')), table, st.versions.length > 1 ? cmp : null, diffBox);
  }

  async function compare(va, vb) {
    const [ra, rb] = await Promise.all([va, vb].map(v => api('GET', '/flows/' + encodeURIComponent(id) + '/versions/' + v)));
    if (!ra.ok || !rb.ok) { diffBox.replaceChildren(h('p', { class: 'error-text' }, problemText(ra.ok ? rb : ra))); return; }
    const d = lineDiff(ra.json.document, rb.json.document);
    const changes = d.filter(x => x[0] !== ' ').length;
    diffBox.replaceChildren(h('h3', {}, 'v' + va + ' → v' + vb + ' (−' + d.filter(x => x[0] === '-').length + ' +' + d.filter(x => x[0] === '+').length + ')'),
      changes ? h('pre', { class: 'fe-diff', id: 'fe-diff' }, ...d.map(([k, l]) => h('span', { class: k === '+' ? 'add' : k === '-' ? 'del' : 'same' }, k + ' ' + l + '\n')))
        : h('p', { class: 'muted', id: 'fe-diff' }, t('identical')));
  }

  show(h('p', {}, h('a', { href: '#/flows' }, '← ' + t('flows'))),
    h('h1', {}, t('flowEditor') + ': ' + id, ' ', status),
    h('div', { class: 'actions' }, save, saveMsg, h('a', { class: 'button secondary', id: 'fe-try', href: '#/try/' + encodeURIComponent(id) }, t('tryFlow'))),
    note ? h('p', { class: 'muted', id: 'fe-note' }, note) : null,
    st.edit ? null : h('p', { class: 'muted' }, t('readOnlyFlow')),
    h('div', { class: 'fe-cols' },
      h('section', { class: 'card', 'aria-label': t('diagram') }, h('h2', {}, t('diagram')), addForm, svgBox, inspector),
      h('section', { class: 'card', 'aria-label': t('flowText') }, h('h2', {}, t('flowText') + ' (' + st.format + ')'), h('div', { class: 'fe-editor' }, gutter, src), parseNote,
        h('h3', {}, t('problems')), problemList)),
    versionsBox);
  drawDiagram(); drawInspector(); drawGutter();
  if (st.edit) validateSoon();
  await drawVersions();
}

// loads one stored version into the editor state; its stored problems show until the validator answers
async function loadVersion(st, version) {
  const r = await api('GET', '/flows/' + encodeURIComponent(st.id) + '/versions/' + version);
  if (!r.ok) { show(h('p', { class: 'error-text' }, problemText(r))); return false; }
  st.format = r.json.format === 'YAML' ? 'YAML' : 'JSON';
  st.text = r.json.document;
  st.problems = (r.json.problems || []).map(parseStored);
  st.doc = null;
  if (st.format === 'JSON') { try { st.doc = JSON.parse(st.text); } catch (e) { st.doc = null; } }
  return true;
}

addScreen('flows', parts => parts[1] ? editor(parts[1]) : flowList(), ['#/flows', 'flows', null]);
