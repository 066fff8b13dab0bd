// Scheme editor: the stored cascade schemes and the built-in templates (#/schemes), and one scheme's editor
// (#/schemes/<id>): a diagram of its blocks, a panel for the selected block, the JSON kept in sync, validation in
// place, SMS parts and cost per block, save as a new version, and a dry run against scripted behaviours.
import { t, addTexts } from './i18n.js';
import { h, api, problemText, can, show, fmtTime, badge, addScreen } from './core.js';

addTexts({
  en: {
    schemes: 'Schemes', schStored: 'Stored schemes', schTemplates: 'Start from a template', schNone: 'No scheme stored yet.',
    schNewId: 'New scheme id', schUse: 'Start from this template', schVersion: 'Version', schValid: 'Valid', schSaved: 'Saved',
    schInvalid: 'invalid', schOk: 'valid', schIdBad: 'The id must be 1-64 letters, digits, "_", "." or "-".',
    schDiagram: 'Diagram', schBlock: 'Block', schJson: 'Scheme as JSON', schProblems: 'Problems', schNoProblems: 'No problems.',
    schType: 'Type', schText: 'Text', schFlow: 'IVR flow', schUrl: 'URL', schTemplate: 'Template', schLanguage: 'Language',
    schButtonText: 'Button text', schButtonUrl: 'Button URL', schDecision: 'Decision time (ISO-8601, e.g. PT2H)',
    schMaxSegments: 'Max SMS parts', schLinks: 'Links (first match wins)', schOn: 'On', schValue: 'Value', schNext: 'Next',
    schAddLink: 'Add link', schDelete: 'Delete', schDeleteBlock: 'Delete block', schStart: 'Make it the start',
    schIsStart: 'start block', schDuration: 'Duration (ISO-8601)', schBranches: 'Branches', schAddBranch: 'Add branch',
    schGoalName: 'Goal name', schAddBlock: 'Add a block', schNewBlockId: 'New block id', schAdd: 'Add', schSelect: 'Select a block in the diagram.',
    schSegments: 'SMS parts', schEncoding: 'Encoding', schCost: 'Cost per recipient', schPlaceholders: 'placeholders not counted',
    schEstimates: 'Estimates per recipient', schSaveVersion: 'Save as a new version', schSavedAs: 'Saved as version',
    schUnchanged: 'Unchanged: version', schJsonError: 'JSON syntax error', schReadOnly: 'Read only: designers edit schemes.',
    schDryRun: 'Dry run', schDryHint: 'Nothing is sent and nothing is stored: the real cascade engine runs on simulated channels and a virtual clock.',
    schBehaviours: 'Behaviours', schCustom: 'More behaviours (JSON list, optional)', schContact: 'Contact fields (JSON)',
    schPayDelivered: 'Pay for delivered only (refund undelivered messages)', schRun: 'Run the dry run', schRunning: 'Running…',
    schTotal: 'Total cost', schStepCost: 'cost', schTook: 'Simulated time', schWait: 'wait', schRefund: 'refund', schStatus: 'status',
    schGoal: 'goal', schEnd: 'end', schNoBehaviour: 'Pick at least one behaviour.', schPrices: 'Prices (minor units)',
    preAnswers: 'answers the call', preBusySms: 'busy then reads SMS', preNeverReads: 'never reads',
    preRepliesYes: 'replies yes', preUnreachable: 'unreachable (nothing delivered)', schBack: 'All schemes', schNotFound: 'No scheme',
  },
  ru: {
    schemes: 'Схемы', schStored: 'Сохранённые схемы', schTemplates: 'Начать с шаблона', schNone: 'Схем пока нет.',
    schNewId: 'Идентификатор новой схемы', schUse: 'Начать с этого шаблона', schVersion: 'Версия', schValid: 'Корректна', schSaved: 'Сохранена',
    schInvalid: 'с ошибками', schOk: 'корректна', schIdBad: 'Идентификатор: 1-64 буквы, цифры, «_», «.» или «-».',
    schDiagram: 'Схема', schBlock: 'Блок', schJson: 'Схема в JSON', schProblems: 'Ошибки', schNoProblems: 'Ошибок нет.',
    schType: 'Тип', schText: 'Текст', schFlow: 'IVR-сценарий', schUrl: 'URL', schTemplate: 'Шаблон', schLanguage: 'Язык',
    schButtonText: 'Текст кнопки', schButtonUrl: 'Ссылка кнопки', schDecision: 'Время ожидания (ISO-8601, напр. PT2H)',
    schMaxSegments: 'Не больше частей SMS', schLinks: 'Переходы (срабатывает первый подходящий)', schOn: 'Событие', schValue: 'Значение', schNext: 'Куда',
    schAddLink: 'Добавить переход', schDelete: 'Удалить', schDeleteBlock: 'Удалить блок', schStart: 'Сделать начальным',
    schIsStart: 'начальный блок', schDuration: 'Длительность (ISO-8601)', schBranches: 'Ветви', schAddBranch: 'Добавить ветвь',
    schGoalName: 'Название цели', schAddBlock: 'Добавить блок', schNewBlockId: 'Идентификатор блока', schAdd: 'Добавить', schSelect: 'Выберите блок на схеме.',
    schSegments: 'Частей SMS', schEncoding: 'Кодировка', schCost: 'Стоимость на получателя', schPlaceholders: 'подстановки не учтены',
    schEstimates: 'Оценка на получателя', schSaveVersion: 'Сохранить новую версию', schSavedAs: 'Сохранено как версия',
    schUnchanged: 'Без изменений: версия', schJsonError: 'Ошибка синтаксиса JSON', schReadOnly: 'Только просмотр: схемы меняют дизайнеры.',
    schDryRun: 'Пробный прогон', schDryHint: 'Ничего не отправляется и не сохраняется: настоящий движок каскада работает на имитации каналов и виртуальных часах.',
    schBehaviours: 'Поведение получателей', schCustom: 'Ещё варианты поведения (список JSON, необязательно)', schContact: 'Поля контакта (JSON)',
    schPayDelivered: 'Оплата только за доставленные (возврат за недоставленные)', schRun: 'Запустить прогон', schRunning: 'Идёт прогон…',
    schTotal: 'Итого', schStepCost: 'стоимость', schTook: 'Модельное время', schWait: 'ожидание', schRefund: 'возврат', schStatus: 'статус',
    schGoal: 'цель', schEnd: 'конец', schNoBehaviour: 'Выберите хотя бы один вариант поведения.', schPrices: 'Цены (в копейках/центах)',
    preAnswers: 'отвечает на звонок', preBusySms: 'занято, затем читает SMS', preNeverReads: 'никогда не читает',
    preRepliesYes: 'отвечает «да»', preUnreachable: 'недоступен (ничего не доставлено)', schBack: 'Все схемы', schNotFound: 'Нет схемы',
  },
});

const SVG = 'http://www.w3.org/2000/svg';
const CHANNELS = ['sms', 'voice', 'whatsapp', 'viber', 'webhook'];
const TYPES = [...CHANNELS, 'delay', 'split', 'goal', 'end'];
const STATUSES = {
  sms: ['sent', 'delivered', 'undelivered', 'expired', 'rejected'],
  voice: ['answered', 'no_answer', 'busy', 'congestion', 'machine', 'invalid', 'left_early', 'unsubscribed'],
  whatsapp: ['sent', 'delivered', 'read', 'undelivered', 'expired', 'rejected', 'unsubscribed', 'no_consent'],
  viber: ['sent', 'delivered', 'read', 'undelivered', 'expired', 'rejected', 'unsubscribed'],
  webhook: ['sent', 'delivered', 'undelivered'],
};
const CONTENT = { sms: ['text'], voice: ['flow'], whatsapp: ['template', 'language', 'text'], viber: ['text', 'buttonText', 'buttonUrl'], webhook: ['url'] };
const CONTENT_LABEL = { text: 'schText', flow: 'schFlow', url: 'schUrl', template: 'schTemplate', language: 'schLanguage', buttonText: 'schButtonText', buttonUrl: 'schButtonUrl' };
const PRESETS = [
  ['answers', 'preAnswers', { voice: 'ANSWERED', sms: 'DELIVERED', viber: 'READ', whatsapp: 'READ' }],
  ['busy-sms', 'preBusySms', { voice: 'BUSY', sms: 'DELIVERED', viber: 'READ', whatsapp: 'READ' }],
  ['never-reads', 'preNeverReads', { voice: 'NO_ANSWER', sms: 'SILENT', viber: 'NEVER_READ', whatsapp: 'NEVER_READ', webhook: 'SILENT' }],
  ['replies-yes', 'preRepliesYes', { voice: 'NO_ANSWER', sms: 'DELIVERED', viber: 'DELIVERED', whatsapp: 'DELIVERED', reply: 'yes' }],
  ['unreachable', 'preUnreachable', { voice: 'INVALID', sms: 'UNDELIVERED', viber: 'NO_ACCOUNT', whatsapp: 'NO_ACCOUNT', webhook: 'UNDELIVERED' }],
];
const ID_RE = /^[A-Za-z0-9_.-]{1,64}$/;
let pendingDraft = null;   // {id, json}: a scheme started from a template, not saved yet

addScreen('schemes', parts => parts[1] ? editor(parts[1]) : list(), ['#/schemes', 'schemes', null]);

// ---- list ----
async function list() {
  const [stored, templates] = await Promise.all([api('GET', '/schemes?limit=200'), api('GET', '/schemes/templates')]);
  const rows = stored.ok ? stored.json.items : [];
  const table = rows.length ? h('table', { id: 'scheme-list' },
    h('thead', {}, h('tr', {}, h('th', {}, t('id')), h('th', {}, t('schVersion')), h('th', {}, t('schValid')), h('th', {}, t('schSaved')))),
    h('tbody', {}, rows.map(s => h('tr', {},
      h('td', {}, h('a', { href: '#/schemes/' + encodeURIComponent(s.schemeId) }, s.schemeId)),
      h('td', {}, String(s.version)), h('td', {}, badge(s.valid ? t('schOk') : t('schInvalid'), s.valid ? 'ok' : 'error')),
      h('td', {}, fmtTime(s.savedAt))))))
    : h('p', { class: 'muted', id: 'scheme-list' }, stored.ok ? t('schNone') : problemText(stored));
  const designer = can('designer');
  const idInput = h('input', { id: 'new-scheme-id', name: 'new-scheme-id', placeholder: 'my-scheme' });
  const err = h('p', { class: 'error-text', role: 'alert', id: 'new-scheme-error' });
  const cards = (templates.ok ? templates.json.items : []).map(tp => h('div', { class: 'card sch-template' },
    h('h3', {}, tp.name), h('p', { class: 'muted' }, tp.description || ''),
    designer ? h('button', { type: 'button', class: 'use-template', 'data-template': tp.name, onclick: () => {
      const id = idInput.value.trim() || tp.name;
      if (!ID_RE.test(id)) { err.textContent = t('schIdBad'); idInput.focus(); return; }
      const json = JSON.parse(JSON.stringify(tp.json));
      json.id = id; json.version = 1;
      pendingDraft = { id, json };
      location.hash = '#/schemes/' + encodeURIComponent(id);
    } }, t('schUse')) : null));
  show(h('h1', {}, t('schemes')), h('section', { class: 'card' }, h('h2', {}, t('schStored')), table),
    h('section', { class: 'card' }, h('h2', {}, t('schTemplates')),
      designer ? h('div', { class: 'row sch-newid' }, h('label', { for: 'new-scheme-id' }, t('schNewId')), idInput) : null, err,
      h('div', { class: 'grid' }, cards)));
}

// ---- editor ----
async function editor(id) {
  let doc = null;
  let version = null;
  if (pendingDraft && pendingDraft.id === id) { doc = pendingDraft.json; pendingDraft = null; }
  else {
    const r = await api('GET', '/schemes/' + encodeURIComponent(id));
    if (!r.ok) { show(h('h1', {}, t('schNotFound') + ' ' + id), h('p', {}, problemText(r)), h('a', { href: '#/schemes' }, t('schBack'))); return; }
    const latest = r.json.versions[r.json.versions.length - 1];
    const v = await api('GET', '/schemes/' + encodeURIComponent(id) + '/versions/' + latest.version);
    if (!v.ok) { show(h('p', { class: 'error-text' }, problemText(v))); return; }
    version = latest.version;
    doc = v.json.json || { id, version: 1, start: '', blocks: {} };
  }
  new Editor(id, doc, version).mount();
}

class Editor {
  constructor(id, doc, version) {
    this.id = id; this.doc = doc; this.version = version;
    this.rw = can('designer');
    this.selected = doc.start && doc.blocks && doc.blocks[doc.start] ? doc.start : null;
    this.problems = []; this.estimates = {}; this.prices = null; this.timer = null;
  }

  mount() {
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('id', 'scheme-diagram'); this.svg.setAttribute('class', 'sch-diagram');
    this.svg.setAttribute('role', 'img'); this.svg.setAttribute('aria-label', t('schDiagram'));
    this.panel = h('div', { id: 'block-panel', class: 'card sch-panel' });
    this.json = h('textarea', { id: 'scheme-json', class: 'sch-json', spellcheck: 'false', readonly: !this.rw, 'aria-label': t('schJson'),
      oninput: () => this.fromJson() });
    this.jsonErr = h('p', { class: 'error-text', id: 'scheme-json-error', role: 'alert' });
    this.problemList = h('ul', { id: 'scheme-problems', class: 'sch-problems' });
    this.estimateTable = h('div', { id: 'scheme-estimates' });
    this.saveStatus = h('span', { id: 'save-status', role: 'status' });
    const save = this.rw ? h('button', { type: 'button', id: 'save-scheme', onclick: () => this.save() }, t('schSaveVersion')) : null;
    show(h('p', {}, h('a', { href: '#/schemes' }, '← ' + t('schBack'))),
      h('h1', {}, t('schemes') + ': ' + this.id + (this.version ? ' · v' + this.version : '')),
      this.rw ? null : h('p', { class: 'muted', id: 'read-only' }, t('schReadOnly')),
      h('div', { class: 'actions' }, save, this.saveStatus),
      h('div', { class: 'sch-layout' }, h('section', { class: 'card sch-canvas' }, h('h2', {}, t('schDiagram')), this.svg,
        this.rw ? this.addBlockForm() : null), this.panel),
      h('section', { class: 'card' }, h('h2', {}, t('schProblems')), this.problemList),
      h('section', { class: 'card' }, h('h2', {}, t('schEstimates')), this.estimateTable),
      h('section', { class: 'card' }, h('h2', {}, t('schJson')), this.json, this.jsonErr),
      this.rw ? this.dryRunPanel() : null);
    this.json.value = JSON.stringify(this.doc, null, 2);
    this.render();
    this.validate(0);
  }

  // the document changed in the panel: JSON text, diagram and validation follow
  changed(repanel) {
    this.json.value = JSON.stringify(this.doc, null, 2);
    this.jsonErr.textContent = '';
    this.drawDiagram();
    if (repanel) this.drawPanel();
    this.validate(400);
  }

  fromJson() {
    try {
      const d = JSON.parse(this.json.value);
      if (!d || typeof d !== 'object' || Array.isArray(d)) throw new Error('not an object');
      this.doc = d; this.jsonErr.textContent = '';
      if (!this.doc.blocks || typeof this.doc.blocks !== 'object') this.doc.blocks = {};
      if (this.selected && !this.doc.blocks[this.selected]) this.selected = null;
      this.render();
      this.validate(400);
    } catch (e) {
      this.jsonErr.textContent = t('schJsonError') + ': ' + e.message;
    }
  }

  render() { this.drawDiagram(); this.drawPanel(); this.drawProblems(); this.drawEstimates(); }

  validate(delay) {
    if (!this.rw) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      const sent = JSON.stringify(this.doc);
      const r = await api('POST', '/schemes/validate', sent, 'application/json');
      if (sent !== JSON.stringify(this.doc)) return;   // a newer edit is on its way
      if (!r.ok) { this.problems = [{ blockId: null, text: problemText(r) }]; }
      else {
        this.problems = r.json.problems || [];
        this.prices = r.json.prices || this.prices;
        this.estimates = {};
        for (const e of r.json.estimates || []) this.estimates[e.blockId] = e;
      }
      this.drawDiagram(); this.drawProblems(); this.drawEstimates(); this.drawBlockEstimate(); this.drawBlockProblems();
    }, delay);
  }

  // ---- diagram ----
  edges() {
    const out = [];
    for (const [id, b] of Object.entries(this.doc.blocks || {})) {
      if (!b || typeof b !== 'object') continue;
      const byTarget = new Map();
      const add = (to, label) => { if (!to) return; if (!byTarget.has(to)) byTarget.set(to, []); byTarget.get(to).push(label); };
      for (const l of Array.isArray(b.links) ? b.links : []) add(l && l.next, linkLabel(l || {}));
      for (const br of Array.isArray(b.branches) ? b.branches : []) add(br && br.next, (br.name || '?') + ' ' + (br.percent ?? '?') + '%');
      if (b.next) add(b.next, b.type === 'delay' ? (b.duration || '') : '');
      for (const [to, labels] of byTarget) out.push({ from: id, to, label: labels.filter(x => x).join(', ') });
    }
    return out;
  }

  layout() {
    const blocks = Object.keys(this.doc.blocks || {});
    const layer = {};
    const edges = this.edges();
    const start = this.doc.start;
    // longest path from the start over the edges that do not close a loop, so "done" ends up below every block
    // that leads to it; edges back to a block on the current path (loops) are drawn around the side
    const forward = [];
    if (start && this.doc.blocks[start]) {
      const onPath = new Set(), seen = new Set();
      const stack = [[start, 0]];
      onPath.add(start); seen.add(start);
      for (let guard = 0; stack.length && guard < 100000; guard++) {
        const top = stack[stack.length - 1];
        const outs = edges.filter(e => e.from === top[0] && this.doc.blocks[e.to]);
        if (top[1] >= outs.length) { onPath.delete(top[0]); stack.pop(); continue; }
        const e = outs[top[1]++];
        if (onPath.has(e.to)) continue;
        forward.push(e);
        if (!seen.has(e.to)) { seen.add(e.to); onPath.add(e.to); stack.push([e.to, 0]); }
      }
      layer[start] = 0;
      for (let round = 0, moved = true; moved && round <= blocks.length; round++) {
        moved = false;
        for (const e of forward) if (layer[e.from] !== undefined && (layer[e.to] === undefined || layer[e.to] < layer[e.from] + 1)) { layer[e.to] = layer[e.from] + 1; moved = true; }
      }
    }
    let last = Math.max(-1, ...Object.values(layer));
    for (const b of blocks) if (layer[b] === undefined) layer[b] = last + 1;   // unreachable blocks go below
    const rows = [];
    for (const b of blocks) (rows[layer[b]] = rows[layer[b]] || []).push(b);
    const W = 170, H = 58, GX = 40, GY = 70;
    const widest = Math.max(1, ...rows.filter(r => r).map(r => r.length));
    const pos = {};
    rows.forEach((row, i) => {
      if (!row) return;
      const offset = (widest - row.length) * (W + GX) / 2;
      row.forEach((b, j) => { pos[b] = { x: 20 + offset + j * (W + GX), y: 20 + i * (H + GY), w: W, h: H }; });
    });
    return { pos, edges, width: 160 + widest * (W + GX), height: 40 + rows.length * (H + GY), W, H, GY };
  }

  drawDiagram() {
    const svg = this.svg;
    svg.replaceChildren();
    const L = this.layout();
    svg.setAttribute('viewBox', '0 0 ' + Math.max(L.width, 400) + ' ' + Math.max(L.height, 120));
    svg.setAttribute('width', String(Math.max(L.width, 400)));
    svg.setAttribute('height', String(Math.max(L.height, 120)));
    const defs = el('defs', {}, el('marker', { id: 'sch-arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' },
      el('path', { d: 'M0,0 L10,5 L0,10 z', class: 'sch-arrowhead' })));
    svg.append(defs);
    const problemsBy = {};
    for (const p of this.problems) if (p.blockId) (problemsBy[p.blockId] = problemsBy[p.blockId] || []).push(p);
    let side = 0;
    for (const e of L.edges) {
      const a = L.pos[e.from], b = L.pos[e.to];
      if (!a || !b) continue;
      let d, lx, ly, anchor = 'middle';
      if (b.y > a.y && b.y - a.y <= L.H + L.GY + 1) {
        const x1 = a.x + a.w / 2, y1 = a.y + a.h, x2 = b.x + b.w / 2, y2 = b.y;
        d = `M${x1},${y1} C${x1},${y1 + 35} ${x2},${y2 - 35} ${x2},${y2}`;
        lx = (x1 + x2) / 2 + (x1 === x2 ? 6 : 0); ly = (y1 + y2) / 2; anchor = x1 === x2 ? 'start' : 'middle';
      } else {   // a loop, a sideways edge or one over several layers: around the right side
        const x1 = a.x + a.w, y1 = a.y + a.h / 2, x2 = b.x + b.w, y2 = b.y + b.h / 2;
        const bend = Math.max(x1, x2) + 40 + 14 * (side++ % 4);
        d = `M${x1},${y1} C${bend},${y1} ${bend},${y2} ${x2},${y2}`;
        lx = bend - 8; ly = (y1 + y2) / 2; anchor = 'start';
      }
      const g = el('g', { class: 'sch-edge', 'data-from': e.from, 'data-to': e.to });
      g.append(el('path', { d, 'marker-end': 'url(#sch-arrow)' }));
      if (e.label) {
        const text = el('text', { x: String(lx), y: String(ly), 'text-anchor': anchor, class: 'sch-edge-label' });
        text.textContent = e.label.length > 42 ? e.label.slice(0, 40) + '…' : e.label;
        const title = el('title'); title.textContent = e.label; text.append(title);
        g.append(text);
      }
      svg.append(g);
    }
    for (const [id, p] of Object.entries(L.pos)) {
      const b = this.doc.blocks[id] || {};
      const probs = problemsBy[id] || [];
      const cls = 'node type-' + (b.type || 'x') + (id === this.selected ? ' selected' : '') + (probs.length ? ' problem' : '') + (id === this.doc.start ? ' start' : '');
      const g = el('g', { class: cls, 'data-block': id, tabindex: '0', role: 'button', 'aria-label': t('schBlock') + ' ' + id });
      g.addEventListener('click', () => this.select(id));
      g.addEventListener('keydown', ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); this.select(id); } });
      g.append(el('rect', { x: String(p.x), y: String(p.y), width: String(p.w), height: String(p.h), rx: '8' }));
      const title = el('text', { x: String(p.x + 10), y: String(p.y + 20), class: 'sch-node-title' });
      title.textContent = id + ' · ' + (b.type || '?');
      g.append(title);
      const sub = el('text', { x: String(p.x + 10), y: String(p.y + 40), class: 'sch-node-sub' });
      sub.textContent = nodeSummary(b, this.estimates[id]);
      g.append(sub);
      if (probs.length) {
        const mark = el('text', { x: String(p.x + p.w - 16), y: String(p.y + 20), class: 'sch-node-mark' });
        mark.textContent = '!';
        g.append(mark);
        const tip = el('title'); tip.textContent = probs.map(x => x.message || x.text).join('\n'); g.append(tip);
      }
      svg.append(g);
    }
  }

  select(id) { this.selected = id; this.drawDiagram(); this.drawPanel(); }

  // ---- block panel ----
  drawPanel() {
    const p = this.panel;
    const id = this.selected;
    const b = id ? this.doc.blocks[id] : null;
    if (!b || typeof b !== 'object') { this.blockProblems = null; p.replaceChildren(h('h2', {}, t('schBlock')), h('p', { class: 'muted' }, t('schSelect'))); return; }
    const ro = !this.rw;
    const ids = Object.keys(this.doc.blocks);
    const rows = [];
    const row = (label, input, forId) => h('div', { class: 'row' }, h('label', { for: forId }, label), input);
    const typeSel = h('select', { id: 'block-type', disabled: ro, onchange: ev => { this.doc.blocks[id] = newBlock(ev.target.value, b); this.changed(true); } },
      TYPES.map(x => h('option', { value: x, selected: x === b.type }, x)));
    rows.push(row(t('schType'), typeSel, 'block-type'));
    if (CHANNELS.includes(b.type)) {
      b.content = b.content && typeof b.content === 'object' ? b.content : {};
      for (const key of CONTENT[b.type]) {
        const fid = 'block-' + (key === 'text' ? 'text' : key.toLowerCase());
        const input = key === 'text'
          ? h('textarea', { id: fid, class: 'sch-text', readonly: ro, oninput: ev => { setOrDrop(b.content, key, ev.target.value); this.changed(false); } })
          : h('input', { id: fid, readonly: ro, oninput: ev => { setOrDrop(b.content, key, ev.target.value); this.changed(false); } });
        input.value = b.content[key] || '';
        rows.push(row(t(CONTENT_LABEL[key]), input, fid));
      }
      if (b.type === 'sms') rows.push(h('div', { id: 'block-estimate', class: 'sch-estimate', role: 'status' }));
      const dec = h('input', { id: 'block-decision', readonly: ro, oninput: ev => { b.decisionTime = ev.target.value; this.changed(false); } });
      dec.value = b.decisionTime || '';
      rows.push(row(t('schDecision'), dec, 'block-decision'));
      if (b.type === 'sms') {
        const ms = h('input', { id: 'block-maxsegments', type: 'number', min: '1', max: '255', readonly: ro, oninput: ev => {
          if (ev.target.value === '') delete b.maxSegments; else b.maxSegments = Number(ev.target.value); this.changed(false); } });
        ms.value = b.maxSegments ?? '';
        rows.push(row(t('schMaxSegments'), ms, 'block-maxsegments'));
      }
      rows.push(h('h3', {}, t('schLinks')), this.linksEditor(b, ids, ro));
    } else if (b.type === 'delay') {
      const du = h('input', { id: 'block-duration', readonly: ro, oninput: ev => { b.duration = ev.target.value; this.changed(false); } });
      du.value = b.duration || '';
      rows.push(row(t('schDuration'), du, 'block-duration'), row(t('schNext'), this.nextSelect(b, 'next', ids, ro, false, 'block-next'), 'block-next'));
    } else if (b.type === 'goal') {
      const gn = h('input', { id: 'block-goal', readonly: ro, oninput: ev => { b.name = ev.target.value; this.changed(false); } });
      gn.value = b.name || '';
      rows.push(row(t('schGoalName'), gn, 'block-goal'), row(t('schNext'), this.nextSelect(b, 'next', ids, ro, true, 'block-next'), 'block-next'));
    } else if (b.type === 'split') {
      rows.push(h('h3', {}, t('schBranches')), this.branchesEditor(b, ids, ro));
    }
    const actions = this.rw ? h('div', { class: 'actions' },
      id === this.doc.start ? h('span', { class: 'badge ok' }, t('schIsStart'))
        : h('button', { type: 'button', class: 'secondary', id: 'block-make-start', onclick: () => { this.doc.start = id; this.changed(true); } }, t('schStart')),
      h('button', { type: 'button', class: 'danger', id: 'block-delete', onclick: () => { delete this.doc.blocks[id]; this.selected = null; this.changed(true); } }, t('schDeleteBlock')))
      : (id === this.doc.start ? h('span', { class: 'badge ok' }, t('schIsStart')) : null);
    this.blockProblems = h('ul', { class: 'sch-block-problems', id: 'block-problems', role: 'status' });
    p.replaceChildren(...[h('h2', {}, t('schBlock') + ' ' + id), this.blockProblems, h('form', { onsubmit: ev => ev.preventDefault() }, rows), actions].filter(x => x));
    this.drawBlockEstimate();
    this.drawBlockProblems();
  }

  drawBlockProblems() {
    if (!this.blockProblems) return;
    const probs = this.problems.filter(x => x.blockId && x.blockId === this.selected);
    this.blockProblems.replaceChildren(...probs.map(x => h('li', {}, x.message || x.text)));
  }

  drawBlockEstimate() {
    const box = document.getElementById('block-estimate');
    if (!box) return;
    const e = this.estimates[this.selected];
    box.textContent = e ? estimateText(e, true) : '';
  }

  nextSelect(obj, key, ids, ro, optional, fid) {
    const s = h('select', { id: fid, disabled: ro, onchange: ev => { if (ev.target.value) obj[key] = ev.target.value; else delete obj[key]; this.changed(false); } },
      optional ? h('option', { value: '' }, '—') : null, ids.map(x => h('option', { value: x, selected: obj[key] === x }, x)),
      obj[key] && !ids.includes(obj[key]) ? h('option', { value: obj[key], selected: true }, obj[key] + ' ?') : null);
    if (!optional && !obj[key]) s.value = '';
    return s;
  }

  linksEditor(b, ids, ro) {
    b.links = Array.isArray(b.links) ? b.links : [];
    const ons = ['status', 'reply', ...(b.type === 'voice' ? ['key', 'message'] : []), 'error', 'timeout'];
    const body = h('tbody', {});
    b.links.forEach((l, i) => {
      const onSel = h('select', { class: 'link-on', 'aria-label': t('schOn'), disabled: ro, onchange: ev => {
        b.links[i] = { on: ev.target.value, next: l.next };
        if (ev.target.value === 'status') b.links[i].status = (STATUSES[b.type] || [])[0];
        if (ev.target.value === 'reply') b.links[i].contains = 'yes';
        if (ev.target.value === 'key') b.links[i].key = '1';
        if (ev.target.value === 'message') b.links[i].event = 'done';
        this.changed(true); } }, ons.map(o => h('option', { value: o, selected: l.on === o }, o)));
      let value = h('span', { class: 'muted' }, '—');
      if (l.on === 'status') value = h('select', { class: 'link-status', 'aria-label': t('schValue'), disabled: ro, onchange: ev => { l.status = ev.target.value; this.changed(false); } },
        (STATUSES[b.type] || []).map(s => h('option', { value: s, selected: l.status === s }, s)));
      else if (l.on === 'reply' || l.on === 'key' || l.on === 'message') {
        const k = l.on === 'reply' ? (l.matches !== undefined ? 'matches' : 'contains') : l.on === 'key' ? 'key' : 'event';
        value = h('input', { class: 'link-value', 'aria-label': t('schValue') + ' (' + k + ')', readonly: ro, oninput: ev => { l[k] = ev.target.value; this.changed(false); } });
        value.value = l[k] || '';
      }
      body.append(h('tr', { class: 'link-row' }, h('td', {}, onSel), h('td', {}, value),
        h('td', {}, this.nextSelect(l, 'next', ids, ro, false, null)),
        h('td', {}, ro ? null : h('button', { type: 'button', class: 'secondary link-delete', onclick: () => { b.links.splice(i, 1); this.changed(true); } }, t('schDelete')))));
    });
    return h('div', {}, h('table', { class: 'sch-links' }, h('thead', {}, h('tr', {}, h('th', {}, t('schOn')), h('th', {}, t('schValue')), h('th', {}, t('schNext')), h('th', {}))), body),
      ro ? null : h('button', { type: 'button', class: 'secondary', id: 'add-link', onclick: () => { b.links.push({ on: 'timeout', next: endOf(this.doc) }); this.changed(true); } }, t('schAddLink')));
  }

  branchesEditor(b, ids, ro) {
    b.branches = Array.isArray(b.branches) ? b.branches : [];
    const body = h('tbody', {});
    b.branches.forEach((br, i) => {
      const name = h('input', { class: 'branch-name', 'aria-label': t('id'), readonly: ro, oninput: ev => { br.name = ev.target.value; this.changed(false); } });
      name.value = br.name || '';
      const pct = h('input', { class: 'branch-percent', type: 'number', min: '1', max: '100', 'aria-label': '%', readonly: ro, oninput: ev => { br.percent = Number(ev.target.value); this.changed(false); } });
      pct.value = br.percent ?? '';
      body.append(h('tr', {}, h('td', {}, name), h('td', {}, pct), h('td', {}, this.nextSelect(br, 'next', ids, ro, false, null)),
        h('td', {}, ro ? null : h('button', { type: 'button', class: 'secondary', onclick: () => { b.branches.splice(i, 1); this.changed(true); } }, t('schDelete')))));
    });
    return h('div', {}, h('table', { class: 'sch-links' }, body),
      ro ? null : h('button', { type: 'button', class: 'secondary', onclick: () => { b.branches.push({ name: 'b' + (b.branches.length + 1), percent: 50, next: endOf(this.doc) }); this.changed(true); } }, t('schAddBranch')));
  }

  addBlockForm() {
    const type = h('select', { id: 'new-block-type', 'aria-label': t('schType') }, TYPES.map(x => h('option', { value: x }, x)));
    const bid = h('input', { id: 'new-block-id', placeholder: 'sms2', 'aria-label': t('schNewBlockId') });
    const err = h('span', { class: 'error-text', role: 'alert' });
    return h('div', { class: 'actions sch-add' }, h('strong', {}, t('schAddBlock')), type, bid,
      h('button', { type: 'button', id: 'add-block', onclick: () => {
        const id = bid.value.trim();
        if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(id) || this.doc.blocks[id]) { err.textContent = t('schIdBad'); return; }
        err.textContent = '';
        this.doc.blocks[id] = newBlock(type.value, { next: endOf(this.doc) });
        if (!this.doc.start) this.doc.start = id;
        this.selected = id; bid.value = '';
        this.changed(true);
      } }, t('schAdd')), err);
  }

  drawProblems() {
    this.problemList.replaceChildren(...(this.problems.length ? this.problems.map(p => h('li', { class: 'problem', 'data-block': p.blockId || '' },
      p.blockId ? h('a', { href: '#', onclick: ev => { ev.preventDefault(); this.select(p.blockId); } }, p.blockId) : null, p.blockId ? ': ' : '', p.text || p.message))
      : [h('li', { class: 'muted' }, this.rw ? t('schNoProblems') : t('schReadOnly'))]));
  }

  drawEstimates() {
    const rows = Object.values(this.estimates);
    if (!rows.length) { this.estimateTable.replaceChildren(h('p', { class: 'muted' }, '—')); return; }
    this.estimateTable.replaceChildren(h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, t('schBlock')), h('th', {}, t('schType')), h('th', {}, t('schSegments')), h('th', {}, t('schEncoding')), h('th', {}, t('schCost')))),
      h('tbody', {}, rows.map(e => h('tr', { 'data-block': e.blockId }, h('td', {}, e.blockId), h('td', {}, e.channel),
        h('td', {}, e.channel === 'sms' ? String(e.segments) + (e.placeholders ? ' (' + t('schPlaceholders') + ')' : '') : '—'),
        h('td', {}, e.encoding || '—'), h('td', {}, String(e.cost)))))),
      this.prices ? h('p', { class: 'muted' }, t('schPrices') + ': ' + CHANNELS.map(c => c + ' ' + this.prices[c]).join(', ')) : '');
  }

  async save() {
    this.doc.id = this.id;
    this.json.value = JSON.stringify(this.doc, null, 2);
    const r = await api('PUT', '/schemes/' + encodeURIComponent(this.id), JSON.stringify(this.doc), 'application/json');
    if (!r.ok) { this.saveStatus.textContent = problemText(r); this.saveStatus.className = 'error-text'; return; }
    this.version = r.json.version;
    this.saveStatus.className = r.json.valid ? 'sch-saved' : 'error-text';
    this.saveStatus.textContent = (r.json.created ? t('schSavedAs') : t('schUnchanged')) + ' ' + r.json.version
      + (r.json.valid ? '' : ' (' + t('schInvalid') + ')');
    document.querySelector('main h1').textContent = t('schemes') + ': ' + this.id + ' · v' + this.version;
  }

  // ---- dry run ----
  dryRunPanel() {
    const boxes = PRESETS.map(([key, label], i) => h('label', { class: 'sch-preset' },
      h('input', { type: 'checkbox', class: 'preset', value: key, checked: i < 4 }), ' ' + t(label)));
    const custom = h('textarea', { id: 'dry-custom', class: 'sch-small', placeholder: '[{"name": "busy twice", "voice": ["BUSY", "ANSWERED"]}]' });
    const contact = h('input', { id: 'dry-contact' }); contact.value = '{"name": "Anna"}';
    const pay = h('input', { type: 'checkbox', id: 'pay-for-delivered' });
    const out = h('div', { id: 'dry-results', 'aria-live': 'polite' });
    const run = h('button', { type: 'button', id: 'run-dry', onclick: async () => {
      const behaviours = [];
      for (const cb of boxes.map(b => b.querySelector('input'))) if (cb.checked) {
        const p = PRESETS.find(x => x[0] === cb.value);
        behaviours.push(Object.assign({ name: t(p[1]) }, p[2]));
      }
      try {
        if (custom.value.trim()) behaviours.push(...JSON.parse(custom.value));
        var fields = contact.value.trim() ? JSON.parse(contact.value) : {};
      } catch (e) { out.replaceChildren(h('p', { class: 'error-text' }, t('schJsonError') + ': ' + e.message)); return; }
      if (!behaviours.length) { out.replaceChildren(h('p', { class: 'error-text' }, t('schNoBehaviour'))); return; }
      const body = { scheme: this.doc, behaviours, contact: fields };
      if (pay.checked) {
        body.prices = { payForDelivered: true };
        for (const c of CHANNELS) body.prices[c] = this.prices ? this.prices[c] : 0;
      }
      run.disabled = true; out.replaceChildren(h('p', { class: 'muted' }, t('schRunning')));
      const r = await api('POST', '/schemes/dry-run', body);
      run.disabled = false;
      if (!r.ok) { out.replaceChildren(h('p', { class: 'error-text', id: 'dry-error' }, problemText(r))); return; }
      out.replaceChildren(...r.json.paths.map(renderPath));
    } }, t('schRun'));
    return h('section', { class: 'card sch-dry', id: 'dry-run' }, h('h2', {}, t('schDryRun')), h('p', { class: 'muted' }, t('schDryHint')),
      h('fieldset', { class: 'sch-presets' }, h('legend', {}, t('schBehaviours')), boxes),
      h('div', { class: 'row' }, h('label', { for: 'dry-custom' }, t('schCustom')), custom),
      h('div', { class: 'row' }, h('label', { for: 'dry-contact' }, t('schContact')), contact),
      h('label', { class: 'sch-preset' }, pay, ' ' + t('schPayDelivered')),
      h('div', { class: 'actions' }, run), out);
  }
}

function renderPath(p) {
  const outcome = p.outcome === 'goal' ? t('schGoal') + ': ' + p.goals.join(', ') : p.outcome === 'end' ? t('schEnd') : p.outcome;
  return h('div', { class: 'card sch-path', 'data-behaviour': p.behaviour, 'data-outcome': p.outcome },
    h('h3', {}, p.behaviour, ' ', badge(outcome, p.outcome === 'goal' ? 'ok' : p.outcome === 'end' ? 'sch-end' : 'error')),
    h('p', { class: 'muted' }, t('schTotal') + ': ', h('strong', { class: 'total-cost' }, String(p.totalCost)), ' · ' + t('schTook') + ': ' + human(p.duration)
      + (p.reason ? ' · ' + p.reason : '')),
    h('ol', { class: 'sch-steps' }, p.steps.map(s => h('li', { class: 'step', 'data-block': s.block },
      h('span', { class: 'sch-at' }, '+' + human(s.at)), ' ', h('strong', {}, s.block), ' ', h('span', { class: 'muted' }, s.channel || s.type),
      s.wait ? h('span', { class: 'muted' }, ' · ' + t('schWait') + ' ' + human(s.wait)) : null,
      s.message ? h('div', { class: 'sch-msg' },
        s.channel === 'voice' ? h('span', { class: 'msg-text' }, t('schFlow') + ': ' + (s.message.text || ''))
          : h('q', { class: 'msg-text' }, s.message.text || ''),
        h('span', { class: 'msg-meta' }, [
          s.channel === 'sms' ? s.message.segments + ' × SMS ' + s.message.encoding : null,
          t('schStepCost') + ' ' + s.message.cost,
          s.message.refund ? t('schRefund') + ' ' + s.message.refund : null,
          s.message.status ? t('schStatus') + ' ' + s.message.status : null,
          s.message.error ? s.message.error : null].filter(x => x).join(' · '))) : null,
      s.outcome ? h('div', { class: 'sch-out' }, '→ ' + s.outcome + (s.next ? ' → ' + s.next : '')) : null))));
}

// ---- helpers ----
function el(tag, attrs = {}, ...kids) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
}

function linkLabel(l) {
  switch (l.on) {
    case 'status': return l.status || 'status';
    case 'reply': return l.contains !== undefined ? 'reply "' + l.contains + '"' : 'reply /' + (l.matches || '') + '/';
    case 'key': return 'key ' + (l.key || '?');
    case 'message': return 'msg ' + (l.event || '?');
    default: return l.on || '?';
  }
}

function nodeSummary(b, est) {
  if (b.type === 'sms' && est) return estimateText(est, false);
  if (CHANNELS.includes(b.type)) return (b.decisionTime ? t('schWait') + ' ' + b.decisionTime : '') + (est && est.cost ? ' · ' + est.cost : '');
  if (b.type === 'delay') return t('schWait') + ' ' + (b.duration || '?');
  if (b.type === 'goal') return t('schGoal') + ': ' + (b.name || '');
  if (b.type === 'split') return (b.branches || []).map(x => x.name + ' ' + x.percent + '%').join(' / ');
  return '';
}

function estimateText(e, long) {
  const seg = e.segments + ' × SMS ' + e.encoding + (e.placeholders && long ? ' (' + t('schPlaceholders') + ')' : '');
  return long ? t('schSegments') + ': ' + seg + ' · ' + t('schCost') + ': ' + e.cost : seg + ' · ' + e.cost;
}

function human(iso) {
  if (!iso) return '0';
  const m = /^PT?(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso);
  if (!m) return iso;
  let secs = (Number(m[1] || 0) * 86400) + Number(m[2] || 0) * 3600 + Number(m[3] || 0) * 60 + Number(m[4] || 0);
  const d = Math.floor(secs / 86400); secs -= d * 86400;
  const hh = Math.floor(secs / 3600); secs -= hh * 3600;
  const mm = Math.floor(secs / 60); secs = Math.round(secs - mm * 60);
  return [d ? d + 'd' : '', hh ? hh + 'h' : '', mm ? mm + 'm' : '', secs ? secs + 's' : ''].filter(x => x).join(' ') || '0';
}

function setOrDrop(obj, key, value) { if (value === '') delete obj[key]; else obj[key] = value; }

function endOf(doc) {
  const ids = Object.keys(doc.blocks || {});
  return ids.find(x => doc.blocks[x] && doc.blocks[x].type === 'end') || ids[0] || '';
}

// a block of another type, keeping what still fits
function newBlock(type, old) {
  const next = old && (old.next || (Array.isArray(old.links) && old.links[0] && old.links[0].next)) || '';
  if (CHANNELS.includes(type)) {
    const content = {};
    if (type === 'voice') content.flow = 'main';
    else if (type === 'webhook') content.url = 'https://example.com/hook';
    else if (type === 'whatsapp') content.template = 'reminder';
    else content.text = (old && old.content && old.content.text) || 'Hello {{contact.name}}';
    const links = old && Array.isArray(old.links) && CHANNELS.includes(old.type) ? old.links.filter(l => l.on === 'timeout' || l.on === 'error') : [];
    return { type, content, decisionTime: (old && old.decisionTime) || 'PT1H', links: links.length ? links : [{ on: 'timeout', next }] };
  }
  if (type === 'delay') return { type, duration: 'PT10M', next };
  if (type === 'split') return { type, branches: [{ name: 'a', percent: 50, next }, { name: 'b', percent: 50, next }] };
  if (type === 'goal') return next ? { type, name: 'goal', next } : { type, name: 'goal' };
  return { type: 'end' };
}
