// The participant's page (/join#t=TOKEN): everything `xieshang join` does, for
// every role, on a phone.

import { Connection, tokenFromFragment } from './connection.js';
import { ServerClock, currentPoll } from './state.js';
import { chosen, remember, words, refusal } from './words.js';
import * as v from './view.js';

const $ = (id) => document.getElementById(id);
const clock = new ServerClock();
let lang = chosen();
let w = words(lang);
let conn = null;
let me = null; // welcome.you
let state = null;
let lastSpeaker = null;

function say(text, assertive) {
  const region = $(assertive ? 'alert' : 'live');
  region.textContent = '';
  // A fresh text node, so that a screen reader announces the same words again.
  setTimeout(() => { region.textContent = text; }, 30);
}

/** A refusal (or a confirmation) shown where the action was. */
function answer(where, frame) {
  const out = where.querySelector('.outcome');
  if (!out) return;
  out.className = 'outcome ' + (frame ? 'refused' : 'ok');
  out.textContent = frame ? refusal(frame, lang) : w.sent;
}

// This participant's own choices in secret polls, which the state shows without
// them: from the welcome, then from each vote the server accepted.
const myVotes = new Map();
const voteKey = (poll, target) => poll + '\u0000' + (target || '');

async function act(action, where) {
  const frame = await conn.act(action);
  if (!frame && action.kind === 'vote') {
    // The event came before this ack, without the choice: draw the poll again.
    myVotes.set(voteKey(action.poll, action.target), action.choice);
    if (state) renderPoll(state);
  }
  if (where) answer(where, frame);
  return frame;
}

function button(label, action, attrs) {
  return v.el('button', Object.assign({ type: 'button', onclick: (e) => act(action, e.target.closest('section')) }, attrs || {}), label);
}

// What each kind of event can change on the page: only those parts are drawn
// again (a meeting of hundreds has long lists that most events leave alone).
const PARTS = {
  floor_granted: ['floor', 'actions', 'queue', 'step'],
  turn_ended: ['floor', 'actions'],
  timer_paused: ['floor', 'step'], timer_resumed: ['floor', 'step'], timer_extended: ['floor', 'step'],
  hand_raised: ['queue', 'actions', 'floor'], hand_withdrawn: ['queue', 'actions', 'floor'],
  queue_added: ['queue', 'actions', 'floor'], queue_removed: ['queue', 'actions', 'floor'],
  queue_moved: ['queue', 'actions', 'floor'], queue_closed: ['queue', 'actions'], queue_opened: ['queue', 'actions'],
  question_submitted: ['questions', 'answers'], question_answered: ['questions', 'answers'],
  questions_carried: ['questions', 'answers'],
  question_withdrawn: ['questions', 'answers'], question_edited: ['questions', 'answers'],
  poll_opened: ['poll'], poll_closed: ['poll'], vote_cast: ['poll'],
  presence_changed: [],
};
const ALL = ['head', 'step', 'floor', 'actions', 'queue', 'poll', 'answers', 'questions', 'agenda', 'ask'];

function render(parts) {
  if (!state || !me) return;
  const now = clock.now();
  const s = state;
  const draw = new Set(parts || ALL);
  if (draw.has('head')) {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = s.meeting.title;
    $('title').textContent = s.meeting.title;
    $('who').textContent = `${me.name} · ${w.roles[me.role] || me.role}`;
    $('lang').textContent = w.other;
    $('questions-title').textContent = w.questions;
    $('agenda-title').textContent = w.agenda;
  }
  if (draw.has('step')) v.fill($('step'), v.stepLine(s, now, w));
  if (draw.has('floor')) v.fill($('floor'), v.floor(s, me.id, now, w));
  if (draw.has('actions')) renderActions(s);
  if (draw.has('queue')) {
    v.queue($('queue-list'), s, me.id, now, w);
    $('queue-title').textContent = `${w.queue} · ${s.queue.length}`;
  }
  if (draw.has('poll')) renderPoll(s);
  if (draw.has('answers')) renderAnswers(s);
  if (draw.has('questions')) v.questions($('question-list'), s, w, me && me.id, act);
  if (draw.has('agenda')) v.fill($('agenda-list'), v.agenda(s, now, w));
  if (draw.has('ask')) renderAsk(s);
}

function renderActions(s) {
  const box = $('actions');
  const running = s.meeting.status === 'running';
  const watching = me.role === 'observer';
  const place = s.queue.findIndex((e) => e.participant === me.id);
  const speaking = s.floor && s.floor.speaker === me.id;
  const status = watching ? w.watchOnly : speaking ? w.youSpeak : place >= 0 ? w.place(place + 1) : w.notQueued;
  const outcome = box.querySelector('.outcome');
  v.fill(box,
    v.el('p', { class: 'mystatus' + (place >= 0 || speaking ? ' strong' : '') }, status),
    !watching && running && v.el('div', { class: 'buttons' },
      speaking
        ? button(w.yield, { kind: 'yield_floor' }, { class: 'primary' })
        : place >= 0
          ? button(w.withdraw, { kind: 'withdraw_hand' })
          : [button(w.raise, { kind: 'raise_hand', mode: 'normal' }, { class: 'primary' }),
              button(w.order, { kind: 'raise_hand', mode: 'point_of_order' }),
              s.floor && button(w.reply, { kind: 'raise_hand', mode: 'reply' })]),
    outcome || v.el('p', { class: 'outcome', role: 'status', 'aria-live': 'polite' }));
}

function renderAsk(s) {
  const box = $('ask');
  box.hidden = me.role === 'observer' || s.meeting.status !== 'running';
  $('ask-title').textContent = w.ask;
  $('ask-dept-label').textContent = w.department;
  $('ask-text-label').textContent = w.question;
  $('ask-send').textContent = w.send;
  const select = $('ask-dept');
  if (select.options.length !== s.departments.length) {
    v.fill(select, s.departments.map((d) => v.el('option', { value: d.id }, d.name)));
  }
}

const drafts = new Map(); // question id → note being typed

function renderAnswers(s) {
  const box = $('answers');
  const mine = me.role === 'department' && me.department;
  box.hidden = !mine;
  if (!mine) return;
  const list = s.questions.filter((q) => q.department === me.department);
  const focused = document.activeElement && document.activeElement.dataset.q;
  v.fill($('answers-title'), w.answerFor(v.deptName(s, me.department)));
  v.fill($('answers-list'), list.length ? list.map((q) => {
    const note = v.el('input', { type: 'text', 'data-q': q.id, 'aria-label': `${w.note} ${q.id}`, placeholder: w.note,
      oninput: (e) => drafts.set(q.id, e.target.value) });
    note.value = drafts.has(q.id) ? drafts.get(q.id) : q.note || '';
    // What this drawing shows: an answer given since is not replaced unseen.
    const seen = q.answers.length;
    const reply = (status) => v.el('button', { type: 'button', onclick: async (e) => {
      const frame = await act({ kind: 'answer_question', question: q.id, status, note: note.value.trim() || undefined, seen_answers: seen });
      // The list may have been drawn anew meanwhile (the answer's own event).
      answer($('answers-list').querySelector(`li[data-item="${CSS.escape(q.id)}"]`) || e.target.closest('li'), frame);
      if (!frame) drafts.delete(q.id);
    } }, w[status]);
    return v.el('li', { class: 'q ' + q.status, 'data-item': q.id },
      v.el('p', {}, v.el('span', { class: 'badge ' + q.status }, v.status(q, w)), ' ', q.id, ' · ', v.name(s, q.asker)),
      v.el('p', { class: 'text' }, q.text),
      note,
      v.el('div', { class: 'buttons' }, reply('answered'), reply('follow_up'), reply('declined')),
      v.el('p', { class: 'outcome', role: 'status' }));
  }) : v.el('p', { class: 'muted' }, w.none));
  if (focused) {
    const again = box.querySelector(`[data-q="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
}

function renderPoll(s) {
  const box = $('poll');
  const p = currentPoll(s);
  box.hidden = !p;
  if (!p) return;
  const canVote = p.open && p.roles.includes(me.role);
  const targets = p.targets.length ? p.targets : [null];
  const mine = (t) => {
    if (p.secret) return myVotes.get(voteKey(p.id, t));
    const x = p.votes.find((x) => x.voter === me.id && x.target === t);
    return x && x.choice;
  };
  const voted = new Set(p.votes.map((x) => x.voter)).size;
  v.fill(box,
    v.el('h2', {}, `${w.poll}${p.open ? '' : ' · ' + w.closedPoll}`),
    canVote && targets.map((t) => v.el('fieldset', {},
      v.el('legend', {}, t ? v.deptName(s, t) : w.vote),
      v.el('div', { class: 'buttons' }, p.choices.map((c) => v.el('button', {
        type: 'button', class: mine(t) === c ? 'chosen' : null, 'aria-pressed': String(mine(t) === c),
        onclick: (e) => act(t ? { kind: 'vote', poll: p.id, choice: c, target: t } : { kind: 'vote', poll: p.id, choice: c }, e.target.closest('section')),
      }, (mine(t) === c ? '✓ ' : '') + c))))),
    p.secret && p.open && v.el('p', { class: 'secret' }, w.secretBallot(voted)),
    !p.open && v.results(s, p, w),
    v.el('p', { class: 'outcome', role: 'status' }));
}

// What tests and the curious may read: the state as the page holds it, and how
// long each event took to apply and draw (ms).
window.xieshang = { state: null, timings: [], drawn: 0 };

function onEvent(ev, s) {
  const started = performance.now();
  state = s;
  window.xieshang.state = s;
  const speaker = s.floor && s.floor.speaker;
  if ((ev.kind === 'floor_granted' || ev.kind === 'turn_ended') && (speaker === me.id || lastSpeaker === me.id)) {
    // What the last action said is over once the floor has moved.
    const out = $('actions').querySelector('.outcome');
    if (out) out.textContent = '';
  }
  if (ev.kind === 'floor_granted' && speaker !== lastSpeaker) {
    if (speaker === me.id) {
      say(w.yourTurnLong, true);
      if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
    } else {
      say(`${w.floor}：${v.name(s, speaker)}`);
    }
  }
  lastSpeaker = speaker;
  render(PARTS[ev.kind]);
  // The layout the new page needs, done now, so that the time counts it.
  void document.body.offsetHeight;
  const timings = window.xieshang.timings;
  timings.push(performance.now() - started);
  if (timings.length > 1000) timings.shift();
}

function onStatus(status, code) {
  const line = $('link');
  line.className = 'link ' + status;
  line.textContent = status === 'open' ? '● ' + w.connected
    : status === 'refused' ? `✕ ${code === 4001 ? w.badLink : w.refusedClose}`
      : status === 'replaced' ? '✕ ' + w.replaced
        : status === 'paused' ? '⏸ ' + w.chairLeft
          : '○ ' + (status === 'connecting' ? w.connecting : w.reconnecting);
  if (status === 'replaced') {
    // Opened elsewhere: nothing comes back by itself; the reader may take it back.
    const again = v.el('button', { type: 'button', id: 'take-back', class: 'small' }, w.takeBack);
    again.addEventListener('click', () => conn.takeBack());
    line.append(' ', again);
  }
  if (status === 'refused' || status === 'replaced') say(line.textContent, true);
}

/** A notice from the server (a relay's broadcast interrupted, then back): on the
 *  status line, in the reader's language, and announced. */
function showNotice(f) {
  const line = $('link');
  const text = (f.messages && f.messages[lang]) || f.reason;
  const ok = f.reason === 'broadcast_resumed';
  line.className = 'link ' + (ok ? 'open' : 'paused');
  line.textContent = (ok ? '● ' : '⏸ ') + text;
  say(text, !ok);
}

function start() {
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    remember(lang);
    w = words(lang);
    render();
  });
  $('ask-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('ask-text').value.trim();
    if (!text) return;
    const frame = await act({ kind: 'submit_question', department: $('ask-dept').value, text }, $('ask'));
    if (!frame) $('ask-text').value = '';
  });
  const token = tokenFromFragment();
  if (!token) {
    onStatus('refused', 4001);
    $('link').textContent = '✕ ' + w.noToken;
    return;
  }
  conn = new Connection(token, {
    clock,
    onState: (s, you, yourVotes) => {
      state = s;
      me = you;
      if (yourVotes) {
        myVotes.clear();
        for (const x of yourVotes) myVotes.set(voteKey(x.poll, x.target), x.choice);
      }
      window.xieshang.state = s;
      lastSpeaker = s.floor && s.floor.speaker;
      render();
      window.xieshang.drawn = performance.now();
    },
    onEvent,
    onStatus,
    onRefused: () => {},
    onNotice: showNotice,
  });
  setInterval(() => { if (state) v.tick(document.body, state, clock.now(), w); }, 250);
}

start();
