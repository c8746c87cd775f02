// A topic as both topics' pages draw it: its stage, who proposed it, its
// text, its support by sector, its decisions and its chain. Everything in it
// was written by someone: it is set as text, never as markup.

import { $, el, fill } from '../shared/dom.js';
import { w, request } from './followups.js';

/** A date and time in the reader's clock, from Unix ms. */
function when(ms) {
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

export function stageBadge(stage) {
  return el('span', 'badge stage s-' + stage, w().topics[stage] || stage);
}

/** Support by sector: the largest first, each a name, a bar and a number. */
function sectors(support, total) {
  const i = w().intake;
  const rows = Object.entries(support || {}).sort((a, b) => b[1] - a[1]);
  if (rows.length === 0) return null;
  const ul = el('ul', { class: 'sectors', 'aria-label': i.by_sector });
  for (const [name, n] of rows.slice(0, 6)) {
    const bar = el('span', 'meter');
    const part = el('span', 'fill');
    part.style.width = (total > 0 ? Math.round((100 * n) / total) : 0) + '%';
    bar.append(part);
    ul.append(el('li', null, el('span', 'name', name || i.no_sector), bar, el('span', 'n', n)));
  }
  const rest = rows.slice(6).reduce((s, [, n]) => s + n, 0);
  if (rest > 0) ul.append(el('li', null, el('span', 'name muted', '…'), el('span'), el('span', 'n', rest)));
  return ul;
}

function decisions(list) {
  if (!list || list.length === 0) return null;
  const i = w().intake;
  const t = w().topics;
  const ol = el('ol', 'decisions');
  for (const d of list) {
    ol.append(el('li', null,
      el('strong', null, t[d.stage] || d.stage), ' · ', when(d.at_ms), ' · ', d.by,
      d.reason ? el('div', 'why', d.reason) : null,
      d.overrode ? el('div', 'over', d.overrode) : null));
  }
  return [el('h3', null, i.decisions), ol];
}

function promiseLine(p) {
  const i = w().intake;
  const f = w().followups;
  const li = el('li', null,
    el('span', 'dept', p.department), ' · ', p.meeting, ' · ', p.date, ' · ',
    el('span', 'badge st st-' + p.state, f[p.state] || p.state),
    p.overdue ? el('span', 'badge late', i.overdue) : null,
    p.promise ? el('div', null, p.promise) : null);
  if (p.returned_as) li.append(el('div', 'back', i.returned_as(p.returned_as)));
  return li;
}

function chain(c) {
  if (!c || (!c.came_from && (!c.promises || c.promises.length === 0))) return null;
  const i = w().intake;
  const box = el('div', 'chain');
  if (c.came_from) box.append(el('h3', null, i.came_from), el('ul', null, promiseLine(c.came_from)));
  if (c.promises && c.promises.length) box.append(el('h3', null, i.promises), el('ul', null, ...c.promises.map(promiseLine)));
  return box;
}

/** A public topic's card; `supported` and `onSupport(on)` for its button. */
export function topicCard(t, { supported, onSupport, extra } = {}) {
  const i = w().intake;
  const tw = w().topics;
  const li = el('li', { class: 'item card topic s-' + t.stage, id: 'topic-' + t.id });
  const head = el('div', 'ihead',
    stageBadge(t.stage),
    t.number ? el('span', 'badge st-closed', i.number(t.number)) : null,
    t.flagged ? el('span', 'badge flagged', i.flagged) : null,
    el('span', 'id muted', t.id));
  // `returned` is a stage's word too: an origin's is `origin_returned`.
  const who = [(t.origin === 'returned' ? tw.origin_returned : tw[t.origin]) || t.origin];
  if (t.proposer) who.push(t.proposer);
  if (t.sector) who.push(t.sector);
  li.append(head, el('p', 'title', t.title), el('p', 'who', who.join(' · ')));
  if (t.cosigners && t.cosigners.length) li.append(el('p', 'who', i.cosigned_by + ' ' + t.cosigners.join('、')));
  if (t.problem) li.append(el('p', 'text', el('span', 'k', i.problem), t.problem));
  if (t.suggestion) li.append(el('p', 'text', el('span', 'k', i.suggestion), t.suggestion));
  if (t.departments && t.departments.length) li.append(el('p', 'text', el('span', 'k', i.departments), t.departments.join('、')));
  if (t.merged_into) li.append(el('p', 'who', i.merged_into(t.merged_into)));
  if (t.merged_from && t.merged_from.length) li.append(el('p', 'who', i.merged_from(t.merged_from.join('、'))));
  if (t.evaluators > 0) li.append(el('p', 'who', i.opinions(t.opinions, t.evaluators)));
  const row = el('div', 'support', el('span', 'total', i.supporters(t.supporters)));
  if (onSupport) {
    const open = ['submitted', 'eligible', 'in_review', 'reviewed'].includes(t.stage);
    if (open || supported) {
      row.append(el('button', {
        type: 'button',
        class: supported ? 'secondary' : 'primary outline',
        'aria-pressed': String(!!supported),
        onclick: () => onSupport(!supported),
      }, supported ? i.supported : i.support));
    }
  }
  li.append(row);
  const bars = sectors(t.support, t.supporters);
  if (bars) li.append(bars);
  li.append(...[decisions(t.decisions), chain(t.chain)].flat().filter(Boolean));
  if (extra) li.append(extra);
  return li;
}

/** The similar topics found while one is written. */
export function similarList(found) {
  const i = w().intake;
  const tw = w().topics;
  return [el('p', null, i.similar), el('ul', null, ...found.map((s) => el('li', null,
    el('a', { href: '/topics#topic-' + s.id }, s.title),
    el('span', 'alike', `${tw[s.stage] || s.stage} · ${i.likeness(Math.round(100 * s.likeness))}`))))];
}

/** Shows in `#similar` the topics most like what is typed in `#p-title` and
 *  `#p-problem`, asked 300 ms after typing stops: a duplicate seen before it
 *  is made. */
export function similarWhileTyping() {
  let typing = 0;
  const ask = () => {
    clearTimeout(typing);
    typing = setTimeout(async () => {
      const text = $('p-title').value + '\n' + $('p-problem').value;
      const box = $('similar');
      if (text.trim().length < 4) { box.hidden = true; return; }
      const got = await request('/topics/api/similar', { body: { text } });
      if (got.status !== 200 || !Array.isArray(got.body) || got.body.length === 0) { box.hidden = true; return; }
      fill(box, similarList(got.body));
      box.hidden = false;
    }, 300);
  };
  $('p-title').addEventListener('input', ask);
  $('p-problem').addEventListener('input', ask);
}
