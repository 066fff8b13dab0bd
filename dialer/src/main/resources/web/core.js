// Shared parts of the web UI: the element builder, the API client with the session's CSRF header, the signed-in
// user, and the registry of screens and navigation links that screen modules (flows.js, ...) add themselves to.
import { t, currentLang } from './i18n.js';

export const API = '/api/v1';
export const session = { me: null };   // me: {name, role, csrfToken}
export const main = document.getElementById('main');
// replaces the page's content; parts a role may not see are passed as null and left out
export const show = (...kids) => main.replaceChildren(...kids.flat().filter(k => k !== null && k !== undefined));

export function h(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else if (k === 'text') e.textContent = v; else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}
export const can = role => session.me && (session.me.role === 'admin' || session.me.role === role);
export const isViewer = () => session.me && session.me.role === 'viewer';
// phone numbers come masked from the API for viewers (http.viewersSeePhones); the UI shows them as given
export const mask = p => p || '';
export const fmtTime = s => s ? new Date(s).toLocaleString(currentLang() === 'ru' ? 'ru-RU' : 'en-GB') : '';
export const badge = (s, cls) => h('span', { class: 'badge ' + (cls || s) }, s);

// called with no argument when the API answers 401: the shell shows the login page
let onUnauthenticated = () => {};
export function setUnauthenticatedHandler(f) { onUnauthenticated = f; }

export async function api(method, path, body, type) {
  const headers = {};
  if (method !== 'GET' && session.me && session.me.csrfToken) headers['X-CSRF-Token'] = session.me.csrfToken;
  let payload = body;
  if (body !== undefined && !(body instanceof Blob) && !(body instanceof FormData) && typeof body !== 'string') {
    payload = JSON.stringify(body); headers['Content-Type'] = 'application/json';
  } else if (type) headers['Content-Type'] = type;
  const res = await fetch(API + path, { method, headers, body: payload, credentials: 'same-origin' });
  let json = null;
  const ct = res.headers.get('Content-Type') || '';
  if (ct.includes('json')) json = await res.json();
  if (res.status === 401 && path !== '/auth/login') { session.me = null; onUnauthenticated(); throw new Error('unauthenticated'); }
  return { status: res.status, ok: res.ok, json };
}

export function problemText(r) {
  if (r.status === 403) return t('forbidden') + (r.json && r.json.message ? ' (' + r.json.message + ')' : '');
  return (r.json && r.json.message) || (t('error') + ' ' + r.status);
}

// ---- screens added by modules ----
// screens: {name, render(parts)} where name is the first part of the hash route (#/name/...)
export const screens = new Map();
// nav: [href, text key, role or null (everyone signed in)] shown in the header after the built-in links
export const navLinks = [];
export function addScreen(name, render, nav) {
  screens.set(name, render);
  if (nav) navLinks.push(nav);
}
