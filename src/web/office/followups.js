// What the register's two pages share: the words (nodes are made with
// shared/dom.js: everything an item holds was written by someone, and reaches
// the page as text, never as markup), the JSON requests with their ETag, and an
// item's state and standing as badges.

import { chosen, remember, words } from '../shared/words.js';
import { $, el } from '../shared/dom.js';

export const page = { lang: chosen() };

/** The words of the page's language. */
export function w() {
  return words(page.lang);
}

/** The language button: flips the page's language and draws it again. */
export function languageButton(draw) {
  const button = $('lang');
  const label = () => {
    button.textContent = w().other;
    document.documentElement.lang = page.lang === 'zh' ? 'zh-CN' : 'en';
  };
  label();
  button.addEventListener('click', () => {
    page.lang = page.lang === 'zh' ? 'en' : 'zh';
    remember(page.lang);
    label();
    draw();
  });
}

/** A card's token: from the link's fragment (`#t=…`, then kept for this tab
 *  under `key` and taken out of the address bar), or the one kept before. It
 *  travels as `Authorization: Bearer`, never in a path or a query. */
export function linkToken(key) {
  const m = /(?:^#|&)t=([^&]*)/.exec(location.hash);
  if (m) {
    const t = decodeURIComponent(m[1]);
    try { sessionStorage.setItem(key, t); } catch (_) { /* private mode: this load only */ }
    history.replaceState(null, '', location.pathname);
    return t;
  }
  try { return sessionStorage.getItem(key) || ''; } catch (_) { return ''; }
}

/** GET or POST `path` as JSON: `{ status, body, etag }`; status 0 when the
 *  server could not be reached. */
export async function request(path, { token, etag, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  if (etag) headers['If-None-Match'] = etag;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch (_) {
    return { status: 0 };
  }
  let json = null;
  if (response.status !== 304) {
    try {
      json = await response.json();
    } catch (_) { /* not JSON: a proxy's page */ }
  }
  return { status: response.status, body: json, etag: response.headers.get('ETag') };
}

/** The sentence of a refusal the server sent, in the page's language. */
export function refusal(body) {
  if (body && body.messages) return body.messages[page.lang] || body.messages.zh || body.error;
  return w().register.offline;
}

/** Calls `fetchOnce` now and every `ms` while the page is shown, and at once
 *  when it is shown again. */
export function every(ms, fetchOnce) {
  fetchOnce();
  setInterval(() => {
    if (!document.hidden) fetchOnce();
  }, ms);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) fetchOnce();
  });
}

/** The banner: shown with `text`, hidden without. */
export function banner(text) {
  const b = $('banner');
  b.hidden = !text;
  b.textContent = text || '';
}

/** An item's state, its lateness, a second return (领衔督办), its review. */
export function badges(item) {
  const f = w().followups;
  const r = w().register;
  const out = [el('span', 'badge st st-' + item.state, f[item.state] || item.state)];
  const s = item.standing || {};
  if (s.badly_overdue) out.push(el('span', 'badge late badly', f.badly_overdue + ' · ' + r.days_over(s.days_over)));
  else if (s.overdue) out.push(el('span', 'badge late', r.days_over(s.days_over)));
  else if (s.due_soon) out.push(el('span', 'badge soon', f.due_soon));
  if (s.silent) out.push(el('span', 'badge silent', f.silent));
  if (s.review_due) out.push(el('span', 'badge review', f.review_due));
  if (item.flagged) out.push(el('span', 'badge flagged', f.flagged));
  return out;
}

/** A rating as a badge. */
export function ratingBadge(rating) {
  return el('span', 'badge rating r-' + rating, w().followups[rating] || rating);
}

/** A class of answer, its words (`A 已解决或基本解决`). */
export function classWord(cls) {
  return w().followups['class_' + String(cls).toLowerCase()] || cls;
}

/** What was promised, in the page's language: the register keeps the words
 *  of the meeting's language (`会后书面答复`, or for a question the room left
 *  unanswered `会上未答复，转会后跟踪办理`), which are the system's, not anyone's. */
export function promiseWord(item) {
  const f = w().followups;
  return item.unanswered ? f.carried : f.written_reply;
}

/** A labelled line: `<p><span class="k">label</span> text</p>`. */
export function line(cls, label, text) {
  const p = el('p', cls);
  p.append(el('span', 'k', label), document.createTextNode(' '), el('span', 'v', text));
  return p;
}

let toastTimer = 0;

/** A short note at the bottom: done, or (red) why not. */
export function toast(text, refused) {
  const t = $('toast');
  if (!t) return;
  t.textContent = text;
  t.classList.toggle('refused', !!refused);
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, refused ? 6000 : 2500);
}
