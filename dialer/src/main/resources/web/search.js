// Number search across campaigns (#/search?phone): the contacts with a number and its stop-list entries.
import { h, api, show, problemText, badge, fmtTime, mask, addScreen } from './core.js';
import { t, addTexts } from './i18n.js';

addTexts({
  en: { numberToFind: 'Number (E.164, or national with its region)', regionShort: 'Region', noMatches: 'No contact has this number.',
    onStopLists: 'On stop-lists', notOnStopLists: 'On no stop-list.', truncatedSearch: 'Only the first 200 contacts are shown.',
    searchedNumber: 'Number searched' },
  ru: { numberToFind: 'Номер (E.164 или национальный с регионом)', regionShort: 'Регион', noMatches: 'Ни у одного контакта нет этого номера.',
    onStopLists: 'В стоп-листах', notOnStopLists: 'Ни в одном стоп-листе.', truncatedSearch: 'Показаны только первые 200 контактов.',
    searchedNumber: 'Искомый номер' },
});

addScreen('search', searchScreen, ['#/search', 'searchNumber', null]);

// parts: ['search', number?, region?]
async function searchScreen(parts) {
  const phone = h('input', { id: 'search-phone', name: 'phone', type: 'search', inputmode: 'tel', autocomplete: 'off', required: true });
  const region = h('input', { id: 'search-region', name: 'region', size: 3, maxlength: 2, placeholder: 'US' });
  phone.value = parts[1] || '';
  region.value = parts[2] || '';
  const out = h('div', { id: 'search-results', 'aria-live': 'polite' });
  const form = h('form', { class: 'card actions', role: 'search', onsubmit: ev => {
    ev.preventDefault();
    location.hash = '#/search/' + encodeURIComponent(phone.value.trim()) + (region.value.trim() ? '/' + encodeURIComponent(region.value.trim()) : '');
  } },
    h('label', { for: 'search-phone' }, t('numberToFind')), phone,
    h('label', { for: 'search-region' }, t('regionShort')), region,
    h('button', { type: 'submit', id: 'search-go' }, t('search')));
  show(h('h1', {}, t('searchNumber')), form, out);
  if (!parts[1]) { phone.focus(); return; }
  const q = '?phone=' + encodeURIComponent(parts[1]) + (parts[2] ? '&region=' + encodeURIComponent(parts[2]) : '');
  const r = await api('GET', '/contacts' + q);
  if (!r.ok) { out.append(h('p', { class: 'error-text', role: 'alert', id: 'search-error' }, problemText(r))); return; }
  const j = r.json;
  out.append(h('p', {}, t('searchedNumber') + ': ', h('strong', { id: 'searched' }, mask(j.phone))));
  if (!j.items.length) out.append(h('p', { class: 'muted', id: 'no-matches' }, t('noMatches')));
  else {
    out.append(h('table', { id: 'found' },
      h('thead', {}, h('tr', {}, ...[t('campaign'), t('contact'), t('phone'), t('state'), t('result'), t('lastOutcome'), t('lastAttempt')].map(x => h('th', {}, x)))),
      h('tbody', {}, ...j.items.map(c => h('tr', {},
        h('td', {}, h('a', { href: '#/campaigns/' + encodeURIComponent(c.campaignId) }, c.campaignId)),
        h('td', {}, h('a', { href: '#/campaigns/' + encodeURIComponent(c.campaignId) + '/contacts/' + c.id }, String(c.id))),
        h('td', {}, mask(c.phone)), h('td', {}, badge(c.state)), h('td', {}, c.result || ''), h('td', {}, c.lastOutcome || ''),
        h('td', {}, fmtTime(c.lastAttemptAt)))))));
    if (j.truncated) out.append(h('p', { class: 'muted' }, t('truncatedSearch')));
  }
  out.append(h('h2', {}, t('onStopLists')));
  if (!j.stopList.length) out.append(h('p', { class: 'muted', id: 'not-stop-listed' }, t('notOnStopLists')));
  else out.append(h('table', { id: 'found-stop-list' },
    h('thead', {}, h('tr', {}, ...[t('scope'), t('reason'), t('since')].map(x => h('th', {}, x)))),
    h('tbody', {}, ...j.stopList.map(e => h('tr', {},
      h('td', {}, h('a', { href: '#/stop-list/' + encodeURIComponent(e.scope) }, e.scope === 'global' ? t('globalList') : e.scope)),
      h('td', {}, e.reason || ''), h('td', {}, fmtTime(e.addedAt)))))));
}
