// "Try a flow": a virtual phone for a stored flow (#/try/<flowId>[/<version>]). Call places a real call on the
// node's call engine to the sandbox PBX's remote-controlled callee; the keypad presses keys in the live call; the
// try's events (/api/ui/tries/<id>/events, Server-Sent Events) show the path, the prompts (played here from the
// audio the PBX was given), the keys, the variables and answers, and the outcome at the end.
import { t, addTexts } from './i18n.js';
import { h, api, show, problemText, addScreen } from './core.js';

addTexts({
  en: { tryTitle: 'Try a flow', tryCall: 'Call', tryHangUp: 'Hang up', tryKeypad: 'Keypad', tryLog: 'Path taken',
    tryVars: 'Variables', tryAnswers: 'Answers', tryResult: 'Result', tryNewest: 'newest valid version', tryVersion: 'version',
    tryIdle: 'idle', tryDialing: 'dialing', tryLive: 'in the call', tryEnded: 'ended', tryPrompt: 'Prompt',
    tryNoAudio: 'no audio in the browser', tryNode: 'node', tryKey: 'key', tryPressed: 'pressed', tryAnsweredEv: 'answered',
    tryHungUp: 'hung up', tryByCallee: 'by you', tryByFlow: 'by the flow', tryOutcome: 'Outcome', tryCompletion: 'Completion',
    tryGoal: 'Goal', tryNone: 'none yet', tryHint: 'Keys 0-9, * and # on your keyboard press the keypad.', tryRecording: 'recording',
    tryTransfer: 'transfer to', tryTimeLimit: 'time limit reached', tryPath: 'Path', tryPromptEnd: 'prompt ended' },
  ru: { tryTitle: 'Проверка сценария', tryCall: 'Позвонить', tryHangUp: 'Положить трубку', tryKeypad: 'Клавиатура', tryLog: 'Пройденный путь',
    tryVars: 'Переменные', tryAnswers: 'Ответы', tryResult: 'Итог', tryNewest: 'последняя корректная версия', tryVersion: 'версия',
    tryIdle: 'ожидание', tryDialing: 'набор', tryLive: 'идёт разговор', tryEnded: 'завершён', tryPrompt: 'Фраза',
    tryNoAudio: 'звук недоступен в браузере', tryNode: 'узел', tryKey: 'клавиша', tryPressed: 'нажато', tryAnsweredEv: 'ответ',
    tryHungUp: 'разъединение', tryByCallee: 'вами', tryByFlow: 'сценарием', tryOutcome: 'Исход', tryCompletion: 'Завершение',
    tryGoal: 'Цель', tryNone: 'пока нет', tryHint: 'Клавиши 0-9, * и # на клавиатуре нажимают кнопки телефона.', tryRecording: 'запись',
    tryTransfer: 'перевод на', tryTimeLimit: 'истёк лимит времени', tryPath: 'Путь', tryPromptEnd: 'фраза закончилась' },
});

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
let current = null;   // {source, onKey} of the shown screen, cleaned up when leaving it

function leave() {
  if (!current) return;
  if (current.source) current.source.close();
  document.removeEventListener('keydown', current.onKey);
  if (current.audio) current.audio.pause();
  current = null;
}
window.addEventListener('hashchange', () => { if (!location.hash.startsWith('#/try/')) leave(); });

function kvTable(id, obj) {
  const entries = Object.entries(obj || {});
  if (!entries.length) return h('p', { class: 'muted', id }, t('tryNone'));
  return h('table', { id }, h('tbody', {}, ...entries.map(([k, v]) => h('tr', { 'data-key': k }, h('th', {}, k), h('td', {}, String(v))))));
}

async function tryScreen(parts) {
  leave();
  const flowId = parts[1] || '';
  const version = parts[2] ? Number(parts[2]) : null;
  const state = h('span', { id: 'try-state', class: 'badge' }, t('tryIdle'));
  const versionText = h('span', { id: 'try-version' }, version ? t('tryVersion') + ' ' + version : t('tryNewest'));
  const msg = h('p', { class: 'error-text', role: 'alert', id: 'try-msg' });
  const callBtn = h('button', { type: 'button', id: 'try-call' }, t('tryCall'));
  const hangBtn = h('button', { type: 'button', id: 'try-hangup', class: 'danger', disabled: true }, t('tryHangUp'));
  const audio = h('audio', { id: 'try-audio', controls: true, preload: 'auto' });
  const log = h('ol', { id: 'try-log', class: 'try-log' });
  const vars = h('div', { id: 'try-vars-box' }, kvTable('try-vars', {}));
  const answers = h('div', { id: 'try-answers-box' }, kvTable('try-answers', {}));
  const result = h('div', { class: 'card', id: 'try-result', hidden: true });
  const pad = h('div', { class: 'keypad', id: 'keypad', role: 'group', 'aria-label': t('tryKeypad') },
    ...KEYS.map(k => h('button', { type: 'button', class: 'secondary key', 'data-key': k, disabled: true, onclick: () => press(k) }, k)));
  const me = { source: null, tryId: null, queue: [], playing: false, seen: 0, audio, onKey: ev => {
    if (ev.target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(ev.target.tagName)) return;
    if (KEYS.includes(ev.key) && me.tryId) { ev.preventDefault(); press(ev.key); }
  } };
  current = me;
  document.addEventListener('keydown', me.onKey);

  function setState(key, cls) { state.textContent = t(key); state.className = 'badge ' + cls; }
  function keysEnabled(on) { for (const b of pad.querySelectorAll('button')) b.disabled = !on; }
  function entry(type, ...kids) { log.append(h('li', { 'data-type': type }, h('span', { class: 'muted' }, new Date().toLocaleTimeString() + ' '), ...kids)); log.scrollTop = log.scrollHeight; }

  async function press(k) {
    if (!me.tryId) return;
    const b = pad.querySelector('button[data-key="' + CSS.escape(k) + '"]');
    if (b) { b.classList.add('pressed'); setTimeout(() => b.classList.remove('pressed'), 150); }
    const r = await api('POST', '/tries/' + encodeURIComponent(me.tryId) + '/dtmf', { digits: k });
    msg.textContent = r.ok ? '' : problemText(r);
  }

  function playNext() {
    if (me.playing || !me.queue.length || current !== me) return;
    const url = me.queue.shift();
    me.playing = true;
    audio.src = url;
    const p = audio.play();
    if (p && p.catch) p.catch(() => { me.playing = false; playNext(); });
  }
  audio.addEventListener('ended', () => { me.playing = false; playNext(); });
  audio.addEventListener('error', () => { me.playing = false; playNext(); });

  function onEvent(e) {
    if (e.seq <= me.seen) return;   // a reconnect replays every event
    me.seen = e.seq;
    switch (e.type) {
      case 'dialing':
        versionText.textContent = t('tryVersion') + ' ' + e.version;
        entry('dialing', t('tryDialing') + ' ' + e.number); break;
      case 'answered': setState('tryLive', 'ok'); keysEnabled(true); entry('answered', t('tryAnsweredEv')); break;
      case 'node':
        entry('node', t('tryNode') + ' ', h('strong', { class: 'node-id' }, e.nodeId), ' (' + e.nodeType + ')');
        vars.replaceChildren(kvTable('try-vars', e.vars)); answers.replaceChildren(kvTable('try-answers', e.answers)); break;
      case 'prompt': {
        const what = e.kind === 'tts' ? '“' + e.text + '”' : e.uri;
        const li = h('li', { 'data-type': 'prompt', 'data-n': e.n }, h('span', { class: 'muted' }, new Date().toLocaleTimeString() + ' '), t('tryPrompt') + ' ' + e.n + ': ' + what + ' ');
        log.append(li);
        fetch(e.audio, { credentials: 'same-origin' }).then(r => { if (!r.ok) li.append(h('em', { class: 'muted' }, '(' + t('tryNoAudio') + ')')); }).catch(() => {});
        me.queue.push(e.audio); playNext(); break;
      }
      case 'promptEnded': if (e.status === 'STOPPED' && me.playing) { audio.pause(); me.playing = false; playNext(); } break;
      case 'pressed': break;
      case 'dtmf': entry('dtmf', t('tryKey') + ' ', h('strong', {}, e.digit)); break;
      case 'recording': entry('recording', t('tryRecording') + ' ' + e.name); break;
      case 'transfer': entry('transfer', t('tryTransfer') + ' ' + e.number); break;
      case 'timeLimit': entry('timeLimit', t('tryTimeLimit')); break;
      case 'hungUp': entry('hungUp', t('tryHungUp') + ' ' + (e.byCallee ? t('tryByCallee') : t('tryByFlow'))); break;
      case 'ended': ended(e); break;
      default: break;
    }
  }

  function ended(e) {
    setState('tryEnded', e.outcome === 'ANSWERED' ? 'COMPLETED' : 'warning');
    keysEnabled(false); hangBtn.disabled = true; callBtn.disabled = false;
    if (me.source) { me.source.close(); me.source = null; }
    me.tryId = null;
    if (e.answers) answers.replaceChildren(kvTable('try-answers', e.answers));
    if (e.vars) vars.replaceChildren(kvTable('try-vars', e.vars));
    entry('ended', t('tryEnded') + ': ' + e.outcome);
    result.hidden = false;
    result.replaceChildren(h('h2', {}, t('tryResult')),
      h('p', {}, t('tryOutcome') + ': ', h('strong', { id: 'try-outcome' }, e.outcome), ' ', e.detail ? h('span', { class: 'muted' }, e.detail) : null),
      e.completion ? h('p', {}, t('tryCompletion') + ': ', h('span', { id: 'try-completion' }, e.completion)) : null,
      e.completion ? h('p', {}, t('tryGoal') + ': ', h('span', { id: 'try-goal' }, e.goalReached ? e.goal || '✓' : '—')) : null,
      e.path ? h('p', {}, t('tryPath') + ': ', h('span', { id: 'try-path' }, e.path.join(' → '))) : null);
  }

  callBtn.addEventListener('click', async () => {
    msg.textContent = ''; log.replaceChildren(); result.hidden = true; me.seen = 0; me.queue = [];
    callBtn.disabled = true;
    const r = await api('POST', '/flows/' + encodeURIComponent(flowId) + '/tries', version ? { version } : {});
    if (!r.ok) { msg.textContent = problemText(r); callBtn.disabled = false; return; }
    me.tryId = r.json.tryId;
    setState('tryDialing', 'warning'); hangBtn.disabled = false;
    me.source = new EventSource('/api/ui/tries/' + encodeURIComponent(me.tryId) + '/events');
    me.source.onmessage = ev => onEvent(JSON.parse(ev.data));
  });
  hangBtn.addEventListener('click', async () => {
    if (!me.tryId) return;
    const r = await api('DELETE', '/tries/' + encodeURIComponent(me.tryId));
    if (!r.ok) msg.textContent = problemText(r);
  });

  show(h('h1', {}, t('tryTitle') + ': ', h('span', { id: 'try-flow' }, flowId), ' ', state),
    h('p', { class: 'muted' }, versionText),
    msg, result,
    h('div', { class: 'try-grid' },
      h('div', { class: 'card phone' }, h('div', { class: 'actions' }, callBtn, hangBtn), pad, h('p', { class: 'muted' }, t('tryHint')), audio),
      h('div', { class: 'card' }, h('h2', {}, t('tryLog')), log)),
    h('div', { class: 'try-grid' },
      h('div', { class: 'card' }, h('h2', {}, t('tryVars')), vars),
      h('div', { class: 'card' }, h('h2', {}, t('tryAnswers')), answers)));
}

addScreen('try', tryScreen);
