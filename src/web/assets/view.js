// Drawing the meeting from the state alone. Everything a participant or a plan
// wrote goes into the page as text (textContent), never as markup.

import { elapsedAt, nextSpeaker, tally } from './state.js';
import { clock } from './words.js';

/** An element with attributes (`on*` are listeners) and children (strings become
 *  text nodes). */
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else if (k === 'style') e.style.cssText = v; // the CSSOM: allowed by the CSP
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of flatten(children)) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

// Children as given: nested lists flattened, nothing for null, undefined or false.
// (Written out rather than `flat()` and `replaceChildren()`, which older in-app
// browsers lack.)
function flatten(children, out = []) {
  for (const c of children) {
    if (Array.isArray(c)) flatten(c, out);
    else if (c !== null && c !== undefined && c !== false) out.push(c);
  }
  return out;
}

/** Brings the children of `list` to `items`, each drawn by `make(item)` and known
 *  by `key(item)` and `sig(item)` (what its drawing depends on): a node whose item
 *  has not changed is kept, so a long list costs only what changed in it. */
export function keyed(list, items, key, sig, make) {
  const keys = new Set(items.map((item) => String(key(item))));
  const old = new Map();
  for (const node of Array.from(list.children)) {
    if (keys.has(node.dataset.key)) old.set(node.dataset.key, node);
    else node.remove(); // gone first, so that the rest need not move
  }
  let at = list.firstElementChild;
  for (const item of items) {
    const k = String(key(item));
    const signature = sig(item);
    let node = old.get(k);
    if (!node || node.dataset.sig !== signature) {
      const made = make(item);
      made.dataset.key = k;
      made.dataset.sig = signature;
      if (node) {
        if (at === node) at = made;
        node.replaceWith(made);
      }
      node = made;
    }
    if (node === at) at = at.nextElementSibling;
    else list.insertBefore(node, at);
  }
}

export function fill(node, ...children) {
  while (node.firstChild) node.removeChild(node.firstChild);
  for (const c of flatten(children)) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
}

// Lookups by id, made once per list (the lists of a state are kept as they are;
// only a participant's `online` changes).
const indexes = new WeakMap();
function byId(list, id) {
  let index = indexes.get(list);
  if (!index) {
    index = new Map(list.map((x) => [x.id, x]));
    indexes.set(list, index);
  }
  return index.get(id);
}

export function name(s, id) {
  const p = byId(s.participants, id);
  return p ? p.name : id;
}

export function deptName(s, id) {
  const d = byId(s.departments, id);
  return d ? d.name : id;
}

/** Who someone is: role, and sector or department. */
export function who(s, id, w) {
  const p = byId(s.participants, id);
  if (!p) return '';
  const group = p.department ? deptName(s, p.department) : p.sector || '';
  return [w.roles[p.role] || p.role, group].filter(Boolean).join(' · ');
}

/** A countdown: the time left (or over), and whether it is in its last 30 s. */
export function countdown(t, now, w) {
  const elapsed = elapsedAt(t, now);
  const left = t.limit_ms - elapsed;
  if (left < 0) return { text: `${w.overtime} +${clock(-left)}`, tone: 'over', icon: '‼ ' };
  const tone = left <= 30000 ? 'amber' : 'ok';
  return { text: clock(left), tone, icon: tone === 'amber' ? '⚠ ' : '' };
}

/** The floor: who speaks, as what, the countdown; or who is next. */
export function floor(s, me, now, w) {
  if (!s.floor) {
    const next = nextSpeaker(s);
    return el('div', { class: 'floor free' },
      el('p', { class: 'speaker muted' }, w.free),
      next && el('p', {}, `${w.next}：${name(s, next.id)}（${w.sources[next.source]}${next.mode !== 'normal' ? ' · ' + w.modes[next.mode] : ''}）`));
  }
  const f = s.floor;
  const mine = f.speaker === me;
  const c = countdown(f.timer, now, w);
  return el('div', { class: 'floor' + (mine ? ' mine' : '') },
    mine && el('p', { class: 'your-turn', role: 'status' }, '▶ ' + w.yourTurn),
    el('p', { class: 'speaker' }, name(s, f.speaker),
      f.mode !== 'normal' && el('span', { class: 'badge' }, w.modes[f.mode])),
    el('p', { class: 'muted' }, [who(s, f.speaker, w), w.sources[f.source]].filter(Boolean).join(' · ')),
    el('p', { class: 'countdown ' + c.tone, 'data-timer': 'floor' },
      el('span', { class: 'icon', 'aria-hidden': 'true' }, c.icon),
      el('span', { class: 'time' }, c.text),
      el('span', { class: 'limit' }, ` / ${w.limit} ${clock(f.timer.limit_ms)}`),
      !f.timer.running && el('span', { class: 'badge' }, w.paused)));
}

/** Refreshes the countdowns already on the page (every quarter second). */
export function tick(root, s, now, w) {
  for (const node of root.querySelectorAll('[data-since]')) {
    const time = node.querySelector('.time');
    const text = clock(now - Number(node.dataset.since));
    if (time && time.textContent !== text) time.textContent = text;
  }
  for (const node of root.querySelectorAll('[data-timer]')) {
    const t = node.dataset.timer === 'floor' ? s.floor && s.floor.timer : s.step && s.step.timer;
    if (!t) continue;
    const c = node.dataset.timer === 'floor' ? countdown(t, now, w) : { text: clock(elapsedAt(t, now)) + ' / ' + clock(t.limit_ms), tone: elapsedAt(t, now) > t.limit_ms ? 'over' : 'ok', icon: '' };
    node.className = (node.dataset.timer === 'floor' ? 'countdown ' : 'steptime ') + c.tone;
    const time = node.querySelector('.time');
    if (time && time.textContent !== c.text) time.textContent = c.text;
    const icon = node.querySelector('.icon');
    if (icon && icon.textContent !== c.icon) icon.textContent = c.icon;
  }
}

export function stepLine(s, now, w) {
  if (!s.step || !s.position) return el('p', { class: 'muted' }, s.meeting.status === 'closed' ? w.closed : w.notStarted);
  return el('p', { class: 'step' },
    el('span', { class: 'badge' }, w.kinds[s.step.kind] || s.step.kind), ' ',
    `${s.position.item + 1}.${s.position.step + 1} ${s.step.title} `,
    el('span', { class: 'steptime', 'data-timer': 'step' },
      el('span', { class: 'time' }, clock(elapsedAt(s.step.timer, now)) + ' / ' + clock(s.step.timer.limit_ms))));
}

/** How many of the queue a phone shows: who is next, and one's own place. */
const SHOWN = 10;

/** The queue, into `box` (kept from one drawing to the next): its head, and
 *  one's own place when it is further down. */
export function queue(box, s, me, now, w) {
  if (!s.queue.length) {
    fill(box, el('p', { class: 'muted' }, w.nobody));
    return;
  }
  let list = box.querySelector('ol.queue');
  let more = box.querySelector('p.more');
  if (!list) {
    list = el('ol', { class: 'queue' });
    more = el('p', { class: 'more muted' });
    fill(box, list, more);
  }
  const place = s.queue.findIndex((e) => e.participant === me);
  const shown = s.queue
    .map((e, i) => ({ e, i }))
    .filter(({ i }) => i < SHOWN || i === place);
  keyed(list, shown, ({ e }) => e.participant, ({ e, i }) => `${i}${e.mode}${w.lang}`, ({ e, i }) =>
    el('li', { class: e.participant === me ? 'mine' : null, value: String(i + 1) },
      el('span', {}, name(s, e.participant)),
      e.mode !== 'normal' && el('span', { class: 'badge' }, w.modes[e.mode]),
      e.participant === me && el('span', { class: 'badge you' }, w.you),
      el('span', { class: 'muted small', 'data-since': e.since_ms },
        ` ${w.waited} `, el('span', { class: 'time' }, clock(now - e.since_ms)))));
  more.textContent = s.queue.length > shown.length ? w.more(s.queue.length) : '';
}

export function agenda(s, now, w) {
  return el('ol', { class: 'agenda' }, s.agenda.map((item, i) =>
    el('li', {}, el('span', { class: 'muted' }, item.title),
      el('ol', {}, item.steps.map((st, j) => {
        const here = s.position && s.position.item === i && s.position.step === j;
        return el('li', { class: here ? 'here' : null, 'aria-current': here ? 'step' : null },
          (here ? '▶ ' : '') + `${i + 1}.${j + 1} ${st.title} · ${w.kinds[st.kind] || st.kind} · ${clock(st.duration_ms)}`);
      })))));
}

export function status(q, w) {
  return w[q.status] + (q.carried ? w.carried : '');
}

/** The questions, into `box` (kept from one drawing to the next); the asker's
 * own pending ones (`me`) with a way to rewrite or withdraw them (`act`). */
export function questions(box, s, w, me, act) {
  if (!s.questions.length) {
    fill(box, el('p', { class: 'muted' }, w.none));
    return;
  }
  let list = box.querySelector('ul.questions');
  if (!list) {
    list = el('ul', { class: 'questions' });
    fill(box, list);
  }
  const own = (q) => act && me && q.asker === me && q.status === 'pending' && !q.carried;
  keyed(list, s.questions, (q) => q.id, (q) => [q.status, q.carried, q.note, q.text, w.lang, own(q)].join('\u0000'), (q) =>
    el('li', { class: 'q ' + q.status },
      el('p', {}, el('span', { class: 'badge ' + q.status }, status(q, w)), ' ',
        el('b', {}, deptName(s, q.department)), ' · ', name(s, q.asker)),
      el('p', { class: 'text' }, q.text),
      q.note && el('p', { class: 'note muted' }, `${w.note}：${q.note}`),
      own(q) && ownQuestion(q, w, act)));
}

/** Rewrite or withdraw one's own pending question. */
function ownQuestion(q, w, act) {
  const text = el('textarea', { rows: '3', 'aria-label': w.editQuestion });
  text.value = q.text;
  const where = (e) => e.target.closest('li');
  return el('div', { class: 'own' },
    el('details', {}, el('summary', {}, w.editQuestion), text,
      el('button', { type: 'button', onclick: (e) => act({ kind: 'edit_question', question: q.id, text: text.value }, where(e)) }, w.saveQuestion)),
    el('button', { type: 'button', class: 'secondary', onclick: (e) => act({ kind: 'withdraw_question', question: q.id }, where(e)) }, w.withdrawQuestion),
    el('p', { class: 'outcome', role: 'status' }));
}

/** A poll's results as bars, for the projector and the page once it is closed. */
export function results(s, p, w) {
  return el('div', { class: 'results' }, tally(p).map((t) =>
    el('div', { class: 'tally' },
      el('p', {}, el('b', {}, t.target ? deptName(s, t.target) : w.poll), ' · ', w.voters(t.voters)),
      t.counts.map((c) => {
        const share = t.voters ? Math.round((100 * c.votes) / t.voters) : 0;
        return el('div', { class: 'bar' },
          el('span', { class: 'label' }, c.choice),
          el('span', { class: 'track', role: 'img', 'aria-label': `${c.choice} ${c.votes}` },
            el('span', { class: 'fill', style: `width:${share}%` })),
          el('span', { class: 'count' }, String(c.votes)));
      }))));
}
