// The participant's page (/join#t=TOKEN): everything `xieshang join` does, for
// every role, on a phone. One task a screen: the sections are tabs under a
// sticky header that says where the meeting is, and the one action that matters
// now is always in reach at the bottom. Every tap is answered (sending, then
// done or the refusal's sentence). Nodes are made once and patched, so an event
// touches only what it concerns.

import { Connection, newTokenInFragment, tokenFromFragment } from './connection.js';
import { ServerClock, currentPoll, stepTraits } from './state.js';
import { clock as hms } from '../shared/words.js';
import { chosen, remember, words, refusal } from '../shared/words.js';
import * as v from './view.js';
import { drawReview, called, tally as reviewTally } from './review_card.js';

const $ = (id) => document.getElementById(id);
const clock = new ServerClock();
let lang = chosen();
let w = words(lang);
let conn = null;
let token = '';
let me = null; // welcome.you
let watch = null; // 'replay' or 'broadcast': only to watch
let state = null;
let lastSpeaker = null;
let tab = 'floor';
let moreOpen = false;
let link = { status: 'connecting', code: 0 }; // the connection, as last told
let notice = null; // a relay's notice, while it holds

const THEME = 'xieshang.theme'; // the reader's theme, remembered
applyTheme();

/** `#theme=dark` or `#theme=light` in the link, else the one the reader chose
 *  on this page (remembered), else the phone's own. */
function applyTheme() {
  let theme = new URLSearchParams(location.hash.slice(1)).get('theme');
  if (theme !== 'dark' && theme !== 'light') {
    try { theme = localStorage.getItem(THEME); } catch (_) { theme = ''; }
  }
  document.documentElement.dataset.theme = theme === 'dark' || theme === 'light' ? theme : '';
  drawThemeButton();
}

/** Dark now, whoever chose it. */
function dark() {
  const t = document.documentElement.dataset.theme;
  return t ? t === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
}

/** The switch names the theme it switches to. */
function drawThemeButton() {
  const b = $('theme');
  if (b) v.text(b, dark() ? '☀ ' + w.themeLight : '☾ ' + w.theme);
}

function switchTheme() {
  const theme = dark() ? 'light' : 'dark';
  try { localStorage.setItem(THEME, theme); } catch (_) { /* this page only */ }
  document.documentElement.dataset.theme = theme;
  drawThemeButton();
}

function say(words, assertive) {
  const region = $(assertive ? 'alert' : 'live');
  region.textContent = '';
  // A fresh text node, so that a screen reader announces the same words again;
  // gone once said, so nothing stale is left in another language.
  setTimeout(() => { region.textContent = words; }, 30);
  setTimeout(() => { if (region.textContent === words) region.textContent = ''; }, 8000);
}

let toastTimer = 0;
/** A short answer to a tap, above the action bar, gone after a while. */
function toast(message, refused) {
  const t = $('toast');
  v.text(t, message);
  v.cls(t, 'toast' + (refused ? ' refused' : ''));
  v.show(t, true);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => v.show(t, false), refused ? 6000 : 1800);
}

// This participant's own choices in secret polls, which the state shows without
// them: from the welcome, then from each vote the server accepted.
const myVotes = new Map();
const voteKey = (poll, target) => poll + '\u0000' + (target || '');

/** Sends an action; the button (if any) says it is sending, and the answer is
 *  told: done, or the refusal's sentence in the reader's language. */
async function act(action, button) {
  if (button) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  }
  const frame = await conn.act(action);
  if (button) {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
  if (!frame && action.kind === 'vote') {
    // The event came before this ack, without the choice (a secret ballot).
    myVotes.set(voteKey(action.poll, action.target), action.choice);
    if (state) drawPoll(state);
  }
  if (frame) toast('✕ ' + refusal(frame, lang), true);
  else toast('✓ ' + (w.done[action.kind] || w.sent), false);
  return frame;
}

// What each kind of event can change on the page: only those parts are drawn
// again (a meeting of hundreds has long lists that most events leave alone).
const PARTS = {
  meeting_started: ['step', 'floor', 'bar', 'tabs', 'questions', 'banner'],
  meeting_closed: ['step', 'floor', 'queue', 'bar', 'tabs', 'questions', 'poll', 'agenda'],
  step_started: ['step', 'floor', 'bar', 'tabs', 'poll', 'agenda', 'review'],
  step_ended: ['step', 'floor', 'bar', 'tabs', 'poll', 'agenda', 'review'],
  floor_granted: ['floor', 'bar', 'queue'],
  turn_ended: ['floor', 'bar'],
  timer_paused: ['floor', 'bar'], timer_resumed: ['floor', 'bar'], timer_extended: ['floor', 'bar'],
  hand_raised: ['queue', 'bar', 'floor'], hand_withdrawn: ['queue', 'bar', 'floor'],
  queue_added: ['queue', 'bar', 'floor'], queue_removed: ['queue', 'bar', 'floor'],
  queue_moved: ['queue', 'bar', 'floor'], queue_closed: ['queue', 'bar'], queue_opened: ['queue', 'bar'],
  question_submitted: ['questions', 'answers', 'tabs'], question_answered: ['questions', 'answers', 'tabs'],
  questions_carried: ['questions', 'answers', 'tabs'],
  question_withdrawn: ['questions', 'answers', 'tabs'], question_edited: ['questions', 'answers'],
  poll_opened: ['poll', 'bar', 'tabs'], poll_closed: ['poll', 'bar', 'tabs'], vote_cast: ['poll', 'bar'],
  review_called: ['review', 'floor', 'bar'], review_recorded: ['review'], review_rated: ['review'],
  participant_added: [],
  presence_changed: [],
  attendance_marked: [],
};
const ALL = ['head', 'tabs', 'banner', 'step', 'review', 'floor', 'queue', 'questions', 'answers', 'poll', 'agenda', 'bar', 'ask'];

function render(parts) {
  if (!state || !me) return;
  const now = clock.now();
  const s = state;
  const draw = new Set(parts || ALL);
  if (draw.has('head')) drawHead(s);
  if (draw.has('tabs')) drawTabs(s);
  if (draw.has('banner')) drawBanner();
  if (draw.has('step')) {
    v.drawStep($('step'), s, w);
    v.tick($('step'), s, now, w);
  }
  if (draw.has('review')) {
    drawReview($('review'), s, watch ? null : me, w, (rating, reason, button) => {
      const c = called(state);
      if (c) act({ kind: 'review_rate', item: c.item.id, rating, reason }, button);
    });
  }
  // A closed meeting: what it came to, in place of an idle floor and queue.
  const closed = s.meeting.status === 'closed';
  for (const id of ['floor', 'queue-title', 'queue-list']) v.show($(id), !closed);
  v.show($('summary'), closed);
  if (closed) drawSummary($('summary'), s);
  else if (draw.has('floor')) v.drawFloor($('floor'), s, me.id, now, w);
  if (draw.has('queue') && !closed) {
    v.drawQueue($('queue-list'), s, me.id, w);
    v.text($('queue-title'), `${w.queue} · ${s.queue.length}${s.queue_open ? '' : ' · ' + w.queueClosed}`);
  }
  if (draw.has('questions')) drawQuestions(s);
  if (draw.has('answers')) drawAnswers(s);
  if (draw.has('poll')) drawPoll(s);
  if (draw.has('agenda')) v.drawAgenda($('agenda-list'), s, w);
  if (draw.has('bar')) drawBar(s, now);
  if (draw.has('ask')) drawAsk(s);
}

/** What a closed meeting came to: its figures (the server's summary), its
 *  questions by how they stand, what a review found, and each evaluation's
 *  results. */
function drawSummary(box, s) {
  const polls = s.agenda.flatMap((item) => item.steps).map((st) => st.poll).filter(Boolean)
    .map((p) => Object.assign({}, p, s.polls.find((x) => x.id === p.id) || {}))
    .filter((p) => p.votes && !p.open);
  const sum = s.meeting.summary;
  const count = v.outcomes(s, (q) => q.status !== 'withdrawn');
  const reviewed = s.agenda.some((item) => item.steps.some((st) => st.review && st.review.length));
  const t = reviewTally(s);
  const sig = JSON.stringify([sum, count, reviewed && t, polls.map((p) => p.revealed || p.votes), w.lang]);
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  const f = w.followups;
  v.fill(box,
    v.el('h2', {}, w.summary),
    sum && v.el('p', { class: 'figures' }, [
      [hms(sum.closed_ms - sum.started_ms), w.duration], [String(sum.speakers), w.speakers], [String(sum.turns), w.turns],
    ].map(([n, label]) => v.el('span', { class: 'figure' }, v.el('b', {}, n), ' ', label))),
    v.el('p', { class: 'outcomes' }, v.el('span', { class: 'muted' }, w.outcome), ' ',
      Object.keys(count).filter((k) => k !== 'carried' || count.carried)
        .map((k) => v.el('span', { class: 'badge ' + k }, `${w[k]} ${count[k]}`))),
    reviewed && v.el('p', { class: 'outcomes reviewed' }, v.el('span', { class: 'muted' }, w.reviewTitle), ' ',
      [[f.outcome_delivered, t.delivered], [f.outcome_in_progress, t.in_progress],
        [f.outcome_not_delivered, t.not_delivered], [f.dissatisfied, t.unsatisfied]]
        .map(([word, n]) => v.el('span', { class: 'badge' }, `${word} ${n}`))),
    polls.map((p) => v.el('div', { class: 'poll-result' },
      v.el('h3', {}, p.title || w.rating), v.results(s, p, w))));
}

/** Everything the page says in its own words, in the reader's language. */
function drawHead(s) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = s.meeting.title;
  v.text($('title'), s.meeting.title);
  v.text($('lang'), w.other);
  drawThemeButton();
  v.text($('who'), `${me.name} · ${w.roles[me.role] || me.role}`);
  for (const [id, label] of [['floor', w.floor], ['questions', w.questions], ['poll', w.poll], ['answers', w.answers], ['agenda', w.agenda]]) {
    v.text($('tab-' + id).querySelector('.label'), label);
  }
  v.text($('ask-open'), '+ ' + w.ask);
  drawLink();
}

const DEPARTMENT = (s) => me.may.answer && me.department;
const ASKS = (s) => !watch && me.may.ask && s.meeting.status === 'running';

function drawTabs(s) {
  const poll = currentPoll(s);
  v.show($('tab-poll'), !!poll);
  const dept = DEPARTMENT(s);
  v.show($('tab-answers'), !!dept);
  const open = s.questions.filter((q) => q.status !== 'withdrawn').length;
  v.text($('tab-questions').querySelector('.count'), open ? String(open) : '');
  v.text($('tab-poll').querySelector('.count'), poll && poll.open ? '●' : '');
  const pending = dept ? s.questions.filter((q) => q.department === me.department && q.status === 'pending').length : 0;
  v.text($('tab-answers').querySelector('.count'), pending ? String(pending) : '');
  if ((tab === 'poll' && !poll) || (tab === 'answers' && !dept)) select('floor');
}

/** Shows one section. */
function select(name) {
  // The "more" drawer belongs to the tab it was opened on.
  if (name !== tab) moreOpen = false;
  tab = name;
  for (const id of ['floor', 'questions', 'poll', 'answers', 'agenda']) {
    v.attr($('tab-' + id), 'aria-selected', String(id === name));
    v.show($(id + '-panel'), id === name);
  }
  if (state) drawBar(state, clock.now());
}

/** The line under the header: a replay or broadcast, the meeting paused, a
 *  connection given way, a relay's notice. */
function drawBanner() {
  const b = $('banner');
  let message = '';
  let tone = 'info';
  let again = false;
  if (link.status === 'replaced') {
    message = w.replaced;
    tone = 'warn';
    again = true;
  } else if (link.status === 'refused') {
    message = link.code === 4001 ? w.badLink : w.refusedClose;
    tone = 'warn';
  } else if (link.status === 'ended') {
    message = w.meetingOver;
  } else if (link.status === 'paused') {
    message = w.chairLeft;
    tone = 'warn';
  } else if (notice && !notice.ok) {
    message = notice.messages[lang] || notice.reason;
    tone = 'warn';
  } else if (watch) {
    message = w[watch];
  }
  v.show(b, !!message);
  v.cls(b, 'banner ' + tone);
  const sig = `${message}|${again}`;
  if (b.dataset.sig !== sig) {
    b.dataset.sig = sig;
    v.fill(b, message, again && v.el('button', { type: 'button', id: 'take-back', class: 'pill', onclick: () => conn.takeBack() }, w.takeBack));
  }
}

/** The connection in a dot and a word. */
function drawLink() {
  const line = $('link');
  const word = link.status === 'open' ? w.connected
    : link.status === 'connecting' ? w.connecting
      : link.status === 'reconnecting' ? w.reconnecting
        : link.status === 'paused' ? w.paused
          : link.status === 'ended' ? w.ended
          : link.status === 'replaced' ? w.replaced
            : w.refusedClose;
  v.cls(line, 'link ' + link.status);
  v.text(line.querySelector('.word'), word);
}

function onStatus(status, code) {
  link = { status, code: code || 0 };
  drawLink();
  drawBanner();
  if (state) drawBar(state, clock.now());
  if (status === 'refused') say(code === 4001 ? w.badLink : w.refusedClose, true);
  if (status === 'replaced') say(w.replaced, true);
}

/** A notice from the server (a relay's broadcast interrupted, then back). */
function showNotice(f) {
  notice = { reason: f.reason, messages: f.messages || {}, ok: f.reason === 'broadcast_resumed' };
  drawBanner();
  say(notice.messages[lang] || f.reason, !notice.ok);
}

// The action bar: the one thing that matters now, always in reach.
const BUTTONS = {
  yield: { label: () => w.yield, action: { kind: 'yield_floor' } },
  raise: { label: () => w.raise, action: { kind: 'raise_hand', mode: 'normal' } },
  order: { label: () => w.order, action: { kind: 'raise_hand', mode: 'point_of_order' } },
  reply: { label: () => w.reply, action: { kind: 'raise_hand', mode: 'reply' } },
  withdraw: { label: () => w.withdraw, action: { kind: 'withdraw_hand' } },
  vote: { label: () => w.voteNow, go: 'poll' },
  more: { label: () => (moreOpen ? '▾ ' : '▸ ') + w.more, toggle: true },
};

function drawBar(s, now) {
  const bar = $('bar');
  const mine = s.floor && s.floor.speaker === me.id;
  const place = s.queue.findIndex((e) => e.participant === me.id);
  const running = s.meeting.status === 'running' && (link.status === 'open' || link.status === 'connecting' || link.status === 'reconnecting');
  const watching = !!watch || !me.may.speak;
  const p = currentPoll(s);
  const unvoted = !watching && p && p.open && p.roles.includes(me.role)
    && (p.targets.length ? p.targets : [null]).some((t) => !myChoice(p, t));
  const status = watching ? (watch ? w[watch] : w.watchOnly)
    : mine ? '▶ ' + w.youSpeak
      : place >= 0 ? w.place(place + 1)
        : s.meeting.status === 'running' ? w.notQueued
          : s.meeting.status === 'closed' ? w.closed : w.notStarted;
  v.text($('me'), status);
  v.cls(bar, 'bar' + (mine ? ' speaking' : '') + (place >= 0 ? ' queued' : ''));
  let ids = [];
  if (running && !watching) {
    if (mine) ids = ['yield'];
    else if (unvoted && tab !== 'poll') ids = ['vote', place >= 0 ? 'withdraw' : 'raise'];
    else if (place >= 0) ids = ['withdraw'];
    // Voting: no drawer to open over the choices.
    else if (unvoted) ids = ['raise'];
    else ids = moreOpen ? ['raise', 'more', 'order'].concat(s.floor ? ['reply'] : []) : ['raise', 'more'];
  }
  const primary = ids[0];
  v.keyed($('do'), ids, (id) => id, (id) => `${id}|${w.lang}|${id === primary}|${id === 'more' ? moreOpen : ''}`, (id) => {
    const b = BUTTONS[id];
    return v.el('button', {
      type: 'button',
      // Taking one's hand back is the action, but not one to urge: outlined.
      class: id === primary ? (id === 'withdraw' ? 'primary outline' : 'primary') : id === 'more' ? 'ghost' : 'secondary',
      'aria-expanded': id === 'more' ? String(moreOpen) : null,
      onclick: (e) => {
        if (b.go) {
          select(b.go);
          // The first thing to rate, from its top (under the sticky header).
          const first = $('poll').querySelector('fieldset') || $('poll');
          const under = document.querySelector('.top').getBoundingClientRect().bottom;
          window.scrollTo(0, Math.max(0, window.scrollY + first.getBoundingClientRect().top - under - 8));
          return undefined;
        }
        if (b.toggle) {
          moreOpen = !moreOpen;
          return drawBar(state, clock.now());
        }
        moreOpen = false;
        return act(b.action, e.currentTarget);
      },
    }, b.label());
  });
  v.show(bar, true);
  void now;
}

/** The department's page: the questions put to it, each with a way to answer. */
const drafts = new Map(); // question id → note being typed

function drawAnswers(s) {
  const dept = DEPARTMENT(s);
  if (!dept) return;
  v.text($('answers-title'), w.answerFor(v.deptName(s, me.department)));
  const list = s.questions.filter((q) => q.department === me.department && q.status !== 'withdrawn');
  v.text($('answers-empty'), list.length ? '' : w.noneToAnswer);
  const focused = document.activeElement && document.activeElement.dataset.q;
  v.keyed($('answers-list'), list, (q) => q.id, (q) => [q.status, q.carried, q.note, q.text, q.answers.length, w.lang].join('\u0000'), (q) => {
    const note = v.el('input', {
      type: 'text', 'data-q': q.id, 'aria-label': w.noteFor(q.id), placeholder: w.note,
      oninput: (e) => drafts.set(q.id, e.target.value),
    });
    note.value = drafts.has(q.id) ? drafts.get(q.id) : q.note || '';
    // What this drawing shows: an answer given since is not replaced unseen.
    const seen = q.answers.length;
    const ask = v.el('p', { class: 'ask-note small', role: 'status', hidden: true });
    // A written reply or a refusal without a word of what or why says nothing:
    // the first tap with no note asks for one; a second tap of the same choice
    // records it as it is.
    let armed = null;
    const reply = (status) => v.el('button', {
      type: 'button', class: 'secondary', 'data-status': status,
      onclick: async (e) => {
        const text = note.value.trim();
        if (!text && status !== 'answered' && armed !== status) {
          armed = status;
          v.text(ask, `${w[status]}${w.colon}${w.noteFirst}`);
          v.show(ask, true);
          note.focus();
          return;
        }
        armed = null;
        v.show(ask, false);
        const frame = await act({ kind: 'answer_question', question: q.id, status, note: text || undefined, seen_answers: seen }, e.currentTarget);
        if (!frame) drafts.delete(q.id);
      },
    }, w[status]);
    return v.questionCard(s, q, w, v.el('div', { class: 'answer' }, note, ask,
      v.el('div', { class: 'buttons' }, reply('answered'), reply('follow_up'), reply('declined'))));
  });
  if (focused) {
    const again = $('answers-list').querySelector(`[data-q="${CSS.escape(focused)}"]`);
    if (again && document.activeElement !== again) again.focus();
  }
}

/** Every question, with its status and the department's answer; one's own while
 *  pending with a way to rewrite or withdraw it. */
function drawQuestions(s) {
  v.show($('ask-open'), ASKS(s));
  const own = (q) => !watch && q.asker === me.id && q.status === 'pending' && !q.carried;
  const list = s.questions.slice().reverse(); // the newest first
  v.text($('question-list').querySelector('.empty'), list.length ? '' : w.none);
  v.keyed($('question-list').querySelector('ul'), list, (q) => q.id,
    (q) => [q.status, q.carried, q.note, q.text, q.answers.length, w.lang, own(q)].join('\u0000'),
    (q) => v.questionCard(s, q, w, own(q) && ownQuestion(q)));
}

/** Rewrite or withdraw one's own pending question. */
function ownQuestion(q) {
  const edit = v.el('textarea', { rows: '3', 'aria-label': w.editQuestion });
  edit.value = q.text;
  return v.el('div', { class: 'own' },
    v.el('details', {}, v.el('summary', {}, w.editQuestion), edit,
      v.el('button', { type: 'button', class: 'secondary', onclick: (e) => act({ kind: 'edit_question', question: q.id, text: edit.value }, e.currentTarget) }, w.saveQuestion)),
    v.el('button', { type: 'button', class: 'ghost', onclick: (e) => act({ kind: 'withdraw_question', question: q.id }, e.currentTarget) }, w.withdrawQuestion));
}

/** The ask sheet's words and the departments to choose from. */
function drawAsk(s) {
  v.text($('ask-title'), w.ask);
  v.text($('ask-dept-label'), w.department);
  v.text($('ask-text-label'), w.question);
  v.text($('ask-send'), w.send);
  v.text($('ask-count'), w.chars($('ask-text').value.length));
  const select = $('ask-dept');
  if (select.options.length !== s.departments.length) {
    v.fill(select, s.departments.map((d) => v.el('option', { value: d.id }, d.name)));
  }
  if (!ASKS(s)) v.show($('ask'), false);
}

function myChoice(p, t) {
  if (p.secret) return myVotes.get(voteKey(p.id, t));
  const x = p.votes.find((x) => x.voter === me.id && x.target === t);
  return x && x.choice;
}

/** The evaluation: what is rated and how many have voted; one's own choice per
 *  target (pressed); the results once it has closed. Its frame is made once per
 *  poll and state; a vote changes its count and, if it is one's own, a button. */
function drawPoll(s) {
  const box = $('poll');
  const p = currentPoll(s);
  if (!p) {
    if (box.dataset.sig) {
      box.dataset.sig = '';
      v.fill(box);
    }
    return;
  }
  const canVote = !watch && p.open && p.roles.includes(me.role);
  const targets = p.targets.length ? p.targets : [null];
  const sig = [p.id, p.open, canVote, w.lang, p.open ? '' : JSON.stringify(p.revealed || p.votes)].join('|');
  if (box.dataset.sig !== sig) {
    box.dataset.sig = sig;
    const title = stepTraits(s).poll ? s.step.title : w.rating;
    v.fill(box,
      v.el('h2', {}, title, ' ', v.el('span', { class: 'badge ' + (p.open ? 'open' : 'closed') }, p.open ? w.openPoll : w.closedPoll)),
      v.el('p', { class: 'turnout muted' }),
      canVote && targets.map((t) => v.el('fieldset', { class: 'card rate', 'data-target': t || '' },
        v.el('legend', {}, t ? w.rate(v.deptName(s, t)) : w.vote),
        v.el('div', { class: 'choices' }, p.choices.map((c) => v.el('button', {
          type: 'button', class: 'choice', 'data-choice': c, 'aria-pressed': 'false',
          onclick: (e) => act(t ? { kind: 'vote', poll: p.id, choice: c, target: t } : { kind: 'vote', poll: p.id, choice: c }, e.currentTarget),
        }, v.el('span', { class: 'tick', 'aria-hidden': 'true' }), c))))),
      !p.open && v.results(s, p, w));
  }
  const voted = new Set(p.votes.map((x) => x.voter)).size;
  v.text(box.querySelector('.turnout'), p.secret && p.open ? w.secretBallot(voted) : w.voters(voted));
  for (const set of box.querySelectorAll('fieldset')) {
    const t = set.dataset.target || null;
    const chosen = myChoice(p, t);
    for (const b of set.querySelectorAll('button')) {
      const on = b.dataset.choice === chosen;
      v.attr(b, 'aria-pressed', String(on));
      v.text(b.querySelector('.tick'), on ? '✓ ' : '');
    }
  }
}

// What tests and the curious may read: the state as the page holds it, and how
// long each event took (ms): applying it and drawing the page (`timings`), and
// the browser's layout of what changed (`layouts`, forced there and then).
window.xieshang = { state: null, timings: [], layouts: [], drawn: 0 };

function onEvent(ev, s) {
  state = s;
  window.xieshang.state = s;
  const speaker = s.floor && s.floor.speaker;
  if (ev.kind === 'floor_granted' && speaker !== lastSpeaker) {
    if (speaker === me.id) {
      say(w.yourTurnLong, true);
      if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
      select('floor');
    } else {
      say(`${w.floorCard}${w.colon}${v.name(s, speaker)}`);
    }
  }
  if (ev.kind === 'poll_opened' && p0(s)) say(w.voteNow);
  if (ev.kind === 'review_called') {
    // The asker's own question comes up: the phone says so and shows it.
    const c = called(s);
    if (c && c.item.asker === me.id && !watch) {
      say(w.reviewYours, true);
      select('floor');
    }
  }
  lastSpeaker = speaker;
  render(PARTS[ev.kind] || ALL);
}

const p0 = (s) => {
  const p = currentPoll(s);
  return p && p.open && p.roles.includes(me.role) && !watch;
};

function openAsk() {
  v.show($('ask'), true);
  drawAsk(state);
  $('ask-text').focus();
}

function start() {
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    remember(lang);
    w = words(lang);
    // What was said in the other language is over.
    v.show($('toast'), false);
    $('live').textContent = '';
    $('alert').textContent = '';
    render();
  });
  $('theme').addEventListener('click', switchTheme);
  for (const id of ['floor', 'questions', 'poll', 'answers', 'agenda']) {
    $('tab-' + id).addEventListener('click', () => select(id));
  }
  $('ask-open').addEventListener('click', openAsk);
  $('ask-close').addEventListener('click', () => v.show($('ask'), false));
  $('ask-text').addEventListener('input', () => v.text($('ask-count'), w.chars($('ask-text').value.length)));
  $('ask-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('ask-text').value.trim();
    if (!text) return;
    const frame = await act({ kind: 'submit_question', department: $('ask-dept').value, text }, $('ask-send'));
    if (!frame) {
      $('ask-text').value = '';
      v.show($('ask'), false);
      select('questions');
    }
  });
  window.addEventListener('hashchange', () => {
    applyTheme();
    // The link changed to another seat's (or the same seat's new) token: this
    // tab is now that one, as a fresh page would be.
    const given = newTokenInFragment();
    if (given && given !== token) {
      if (conn) conn.stop();
      connect(given);
    }
  });
  // The page ends above the action bar, however tall it grows: nothing it
  // covers is out of reach.
  new ResizeObserver(() => {
    document.body.style.paddingBottom = `${$('bar').offsetHeight + 16}px`;
  }).observe($('bar'));
  connect(tokenFromFragment());
  // Only the clocks move between events: their digits, once a second.
  setInterval(() => { if (state) v.tick(document.body, state, clock.now(), w); }, 250);
}

/** Joins with `given`: the page starts afresh for whoever it names. */
function connect(given) {
  token = given;
  state = null;
  me = null;
  watch = null;
  myVotes.clear();
  drafts.clear();
  if (!token) {
    onStatus('refused', 4001);
    v.text($('banner'), w.noToken);
    return;
  }
  conn = new Connection(token, {
    clock,
    onState: (s, you, yourVotes, watching) => {
      state = s;
      // The plan's language, until the reader chooses.
      const l = chosen(s.meeting.language);
      if (l !== lang) {
        lang = l;
        w = words(lang);
      }
      me = you;
      watch = watching || null;
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
    onRefused: (f) => toast('✕ ' + refusal(f, lang), true),
    onNotice: showNotice,
  });
}

start();
