// Drawing the meeting from the state alone, shared by the participant's page and
// the projector. Everything a participant or a plan wrote goes into the page as
// text (textContent), never as markup. Nodes are made once and then patched: a
// text, an attribute, a class is written only when it differs, and a list keeps
// the nodes of the items that did not change (`keyed`), so an event touches only
// the nodes it concerns and a clock's tick only its own digits.

import { elapsedAt, tally } from './state.js';
import { clock } from '../shared/words.js';
import { el, text, attr, show, cls, keyed, fill } from '../shared/dom.js';

// The node helpers, for the pages that draw with this module's drawings.
export { el, text, attr, show, cls, keyed, fill };

// Lookups by id, made once per list (the lists of a state are kept as they are;
// only a participant's `online` changes).
const indexes = new WeakMap();
function byId(list, id) {
  let index = indexes.get(list);
  if (!index || index.size !== list.length) {
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

/** A countdown: the time left (or over); its tone (`ok`, `amber` in the last
 *  30 s, `over`) said in a word and an icon as well as a colour. */
export function countdown(t, now, w) {
  const left = t.limit_ms - elapsedAt(t, now);
  if (left < 0) return { text: `+${clock(-left)}`, tone: 'over', icon: '‼', word: w.overtime };
  if (left <= 30000) return { text: clock(left), tone: 'amber', icon: '⚠', word: w.lastSeconds };
  return { text: clock(left), tone: 'ok', icon: '', word: '' };
}

/** A step's clock: elapsed against planned. */
export function stepClock(t, now) {
  const e = elapsedAt(t, now);
  return { text: `${clock(e)} / ${clock(t.limit_ms)}`, tone: e > t.limit_ms ? 'over' : 'ok' };
}

/** Patches a countdown node (`.time`, and `.state`: the tone's icon and word,
 *  paused or not) for timer `t`. */
export function drawCountdown(node, t, now, w) {
  const c = countdown(t, now, w);
  cls(node, `countdown ${c.tone}${t.running ? '' : ' paused'}`);
  text(node.querySelector('.time'), c.text);
  const said = [c.word && `${c.icon} ${c.word}`, t.running ? '' : `⏸ ${w.paused}`].filter(Boolean).join(' · ');
  text(node.querySelector('.state'), said);
}

/** Refreshes the clocks on the page (called every quarter second): only digits,
 *  and a tone that turns, ever change. */
export function tick(root, s, now, w) {
  for (const node of root.querySelectorAll('[data-timer]')) {
    if (node.hidden) continue;
    const floor = node.dataset.timer === 'floor';
    const t = floor ? s.floor && s.floor.timer : s.step && s.step.timer;
    if (!t) continue;
    if (floor) {
      drawCountdown(node, t, now, w);
    } else {
      const c = stepClock(t, now);
      cls(node, 'steptime ' + c.tone);
      text(node.querySelector('.time'), c.text);
    }
  }
}

/** The step line: its kind, where it is in the agenda, its title. */
export function drawStep(box, s, w) {
  const where = box.querySelector('.where');
  const kind = box.querySelector('.kind');
  const time = box.querySelector('.steptime');
  if (!s.step || !s.position) {
    show(kind, false);
    show(time, false);
    text(where, s.meeting.status === 'closed' ? w.closed : w.notStarted);
    return;
  }
  show(kind, true);
  show(time, true);
  text(kind, w.kinds[s.step.kind] || s.step.kind);
  text(where, `${s.position.item + 1}.${s.position.step + 1} ${s.step.title}`);
}

/** The floor card: who speaks, as what, the countdown; or who is next. `room`:
 *  for the room's screen, which leaves out how a turn came about (registered,
 *  queue), words that mean nothing to a hall. */
export function drawFloor(box, s, me, now, w, room) {
  const f = s.floor;
  const mine = !!(f && me && f.speaker === me);
  cls(box, 'card floor' + (mine ? ' mine' : '') + (f ? '' : ' free'));
  const turn = box.querySelector('.your-turn');
  show(turn, mine);
  text(turn, mine ? '▶ ' + w.yourTurn : '');
  text(box.querySelector('.speaker .name'), f ? name(s, f.speaker) : w.free);
  const mode = box.querySelector('.speaker .mode');
  show(mode, !!f && f.mode !== 'normal');
  text(mode, f && f.mode !== 'normal' ? w.modes[f.mode] : '');
  text(box.querySelector('.who'), f ? [who(s, f.speaker, w), !room && w.sources[f.source]].filter(Boolean).join(' · ') : '');
  const cd = box.querySelector('.countdown');
  show(cd, !!f);
  if (f) {
    drawCountdown(cd, f.timer, now, w);
    text(cd.querySelector('.limit'), ` ${w.limit} ${clock(f.timer.limit_ms)}`);
  }
  const next = s.meeting.status === 'running' ? s.next : null;
  const how = room ? (next && next.mode !== 'normal' ? w.modes[next.mode] : '')
    : next && `${w.sources[next.source]}${next.mode !== 'normal' ? ' · ' + w.modes[next.mode] : ''}`;
  text(box.querySelector('.next'), next ? `${w.next}${w.colon}${name(s, next.participant)}${how ? w.aside(how) : ''}` : '');
}

/** How many of the queue a phone shows: who is next, and one's own place. */
const SHOWN = 10;

/** The queue into `box` (its `ol`, `.more` and `.empty`): its head, and one's
 *  own place when it is further down. */
export function drawQueue(box, s, me, w) {
  const list = box.querySelector('ol');
  const place = s.queue.findIndex((e) => e.participant === me);
  const shown = s.queue.map((e, i) => ({ e, i })).filter(({ i }) => i < SHOWN || i === place);
  // An entry's node is kept as the queue moves on; only its number changes.
  keyed(list, shown, ({ e }) => e.participant, ({ e }) => `${e.mode}${w.lang}`, ({ e }) =>
    el('li', { class: e.participant === me ? 'mine' : null },
      el('span', { class: 'pos' }),
      el('span', { class: 'name' }, name(s, e.participant)),
      e.mode !== 'normal' && el('span', { class: 'badge ' + e.mode }, w.modes[e.mode]),
      e.participant === me && el('span', { class: 'badge you' }, w.you)));
  shown.forEach(({ i }, at) => text(list.children[at].firstChild, String(i + 1)));
  text(box.querySelector('.more'), s.queue.length > shown.length ? w.shownOf(s.queue.length) : '');
  text(box.querySelector('.empty'), s.queue.length ? '' : w.nobody);
}

/** A question's state in words: its status, and whether it was carried. */
export function status(q, w) {
  return q.carried ? w.carried : w[q.status];
}

/** Who answered a question last, when someone did: the department's own
 *  representative by name; an answer recorded by anyone else (the chair) is
 *  the department's, as the minutes have it. */
function answerer(s, q) {
  const last = q.answers && q.answers.length ? q.answers[q.answers.length - 1] : null;
  if (!last || !last.by) return null;
  const p = byId(s.participants, last.by);
  return p && p.department === q.department ? name(s, last.by) : deptName(s, q.department);
}

/** One question as a card: its status, the department, who asked, the text, and
 *  what the department said; `extra` (the asker's own controls) below. */
export function questionCard(s, q, w, extra) {
  const by = answerer(s, q);
  return el('li', { class: 'card q ' + q.status + (q.carried ? ' carried' : '') },
    el('p', { class: 'qhead' },
      el('span', { class: 'badge ' + (q.carried ? 'carried' : q.status) }, status(q, w)),
      el('b', { class: 'dept' }, deptName(s, q.department))),
    el('p', { class: 'text' }, q.text),
    el('p', { class: 'asker muted small' }, w.asked(name(s, q.asker))),
    (q.note || (by && q.status !== 'pending')) && el('div', { class: 'said' },
      el('p', { class: 'small muted' }, [w.deptSaid, by && w.answeredBy(by)].filter(Boolean).join(' · ')),
      q.note && el('p', {}, q.note)),
    extra);
}

/** The agenda: each item's title, then its steps numbered once (1.1, 1.2 …), the
 *  current one marked. */
export function drawAgenda(box, s, w) {
  const here = s.position ? `${s.position.item}.${s.position.step}` : '';
  const sig = `${here}|${w.lang}`;
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  fill(box, s.agenda.map((item, i) => el('div', { class: 'item' },
    el('h3', {}, item.title),
    el('ol', { class: 'steps' }, item.steps.map((st, j) => {
      const now = here === `${i}.${j}`;
      return el('li', { class: now ? 'here' : null, 'aria-current': now ? 'step' : null },
        el('span', { class: 'num' }, `${i + 1}.${j + 1}`),
        el('span', { class: 'title' }, st.title),
        el('span', { class: 'muted small' }, `${w.kinds[st.kind] || st.kind} · ${clock(st.duration_ms)}`));
    })))));
}

/** Per department: its questions answered, promised in writing, declined,
 *  pending (the departments' board). */
export function board(s) {
  return s.departments.map((d) => ({ id: d.id, name: d.name, count: outcomes(s, (q) => q.department === d.id) }));
}

/** Questions by how they stand: answered, a written reply promised, declined,
 *  pending, and still pending when the answers ended (carried to follow-up). */
export function outcomes(s, which) {
  const count = { answered: 0, follow_up: 0, declined: 0, pending: 0, carried: 0 };
  for (const q of s.questions) {
    if (!which(q)) continue;
    const k = q.carried ? 'carried' : q.status;
    if (count[k] !== undefined) count[k] += 1;
  }
  return count;
}

/** A poll's results: per target (or one overall) a bar split by choice, each
 *  part with its count, and the voters. */
export function results(s, p, w) {
  const rows = tally(p);
  // The longest name, in characters: the projector sizes its names' column by it.
  const longest = Math.max(2, ...rows.map((t) => [...(t.target ? deptName(s, t.target) : w.poll)].length));
  return el('div', { class: 'results', style: `--rows:${rows.length};--name:${longest}` },
    el('p', { class: 'legend' }, p.choices.map((c, i) => el('span', { class: `key c${i}` }, c))),
    rows.map((t) => el('div', { class: 'tally' },
      el('b', { class: 'target' }, t.target ? deptName(s, t.target) : w.poll),
      el('span', { class: 'voters muted' }, w.voters(t.voters)),
      el('div', { class: 'stack', role: 'img', 'aria-label': t.counts.map((c) => `${c.choice} ${c.votes}`).join(w.lang === 'zh' ? '，' : ', ') },
        t.counts.map((c, i) => c.votes > 0 && el('span', {
          class: `part c${i}`,
          style: `flex-grow:${c.votes}`,
        }, `${c.choice} ${c.votes}`)),
        t.voters === 0 && el('span', { class: 'part none' }, '—')))));
}
