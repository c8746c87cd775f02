// The room's big screen (/projector#t=TOKEN; an observer's token does, and then
// the first screen carries the audience's code). One thing dominates each state:
// before the meeting, its title, venue, agenda and the code to scan; while someone
// speaks, the countdown; in question and respond steps, the departments' board
// and the question at hand; in an evaluation, how many have voted, then the
// results; after, what the meeting came to. Everything is sized to the screen's
// height and nothing scrolls. `#theme=dark` for a hall that projects dark.

import { Connection, tokenFromFragment } from './connection.js';
import { ServerClock, currentPoll, stepTraits } from './state.js';
import { called, foundLine, labelled, lateness, mark, ratingLine, tally, underReview } from './review_card.js';
import { clock as hms, words } from '../shared/words.js';
import * as v from './view.js';
import { svg } from './qr.js';

const $ = (id) => document.getElementById(id);
const clock = new ServerClock();
let state = null;
let me = null;
let w = words('zh');
let link = 'connecting';
let drawn = ''; // the screen's kind, as drawn

const theme = new URLSearchParams(location.hash.slice(1)).get('theme');
document.documentElement.dataset.theme = theme === 'dark' || theme === 'light' ? theme : '';

/** Which screen the meeting calls for now: the core's rule (`State::screen`,
 *  meeting/src/screen.rs), which the terminal's projector draws by; a test
 *  (tests/fold.rs) holds this to it after every event of a corpus of meetings. */
export function screenOf(s) {
  if (s.meeting.status === 'not_started') return 'welcome';
  if (s.meeting.status === 'closed') return 'summary';
  if (currentPoll(s) && !s.floor) return 'poll';
  if (stepTraits(s).reviews) return 'review';
  if (stepTraits(s).board) return 'board';
  return 'floor';
}

/** A floor box as `view.drawFloor` patches it. */
function floorBox() {
  return v.el('div', { class: 'floor' },
    v.el('p', { class: 'your-turn', hidden: true }),
    v.el('p', { class: 'speaker' }, v.el('span', { class: 'name' }), ' ', v.el('span', { class: 'badge mode', hidden: true })),
    v.el('p', { class: 'who' }),
    v.el('p', { class: 'countdown', 'data-timer': 'floor', hidden: true },
      v.el('span', { class: 'time' }), v.el('span', { class: 'state' }), v.el('span', { class: 'limit' })),
    v.el('p', { class: 'next' }));
}

/** A question's outcomes on the board, each with an icon besides its colour. */
const OUTCOMES = [['answered', '✓'], ['follow_up', '✎'], ['declined', '✕'], ['pending', '○'], ['carried', '→']];

/** Each screen: how it is made, once, and patched after each event. */
const SCREENS = {
  welcome: {
    make: () => [
      v.el('div', { class: 'pane' },
        v.el('p', { class: 'title' }), v.el('p', { class: 'where' }), v.el('div', { class: 'agenda' })),
      v.el('div', { class: 'pane qr-pane' })],
    patch(s, box) {
      v.text(box.querySelector('.title'), s.meeting.title);
      v.text(box.querySelector('.where'), [s.meeting.venue, s.meeting.date].filter(Boolean).join(' · '));
      const agenda = box.querySelector('.agenda');
      if (agenda.dataset.sig !== w.lang) {
        agenda.dataset.sig = w.lang;
        v.fill(agenda, s.agenda.flatMap((item, i) => [
          v.el('p', {}, v.el('span', { class: 'n' }, `${i + 1}`), v.el('b', {}, item.title)),
          item.steps.map((st, j) => v.el('p', {}, v.el('span', { class: 'n' }, `${i + 1}.${j + 1}`), st.title)),
        ]));
      }
      // The audience's code, when this screen holds the audience's (an
      // observer's) token: the hall scans it off the screen.
      const pane = box.querySelector('.qr-pane');
      const url = me && !me.may.speak ? `${location.origin}/join#t=${token}` : '';
      if (pane.dataset.url !== url) {
        pane.dataset.url = url;
        const [page, fragment] = url.split('#');
        v.fill(pane, url && v.el('div', { class: 'qr' }, svg(url), v.el('p', {}, w.scan),
          v.el('p', { class: 'url' }, page, v.el('br'), '#' + (fragment || ''))));
      }
      v.text(pane.querySelector('.qr p'), w.scan);
    },
  },
  floor: {
    make: () => [v.el('div', { class: 'pane big' }, floorBox())],
    patch(s, box) {
      v.drawFloor(box.querySelector('.floor'), s, null, clock.now(), w, true);
    },
  },
  board: {
    make: () => [
      v.el('div', { class: 'pane big wide' }, floorBox()),
      v.el('div', { class: 'pane' },
        v.el('div', { class: 'board-head' }, v.el('p', { class: 'label board-label' }), v.el('p', { class: 'board-legend counts' })),
        v.el('div', { class: 'boardlist' })),
      v.el('div', { class: 'pane' }, v.el('p', { class: 'label current-label' }), v.el('div', { class: 'question' }))],
    patch(s, box) {
      v.drawFloor(box.querySelector('.floor'), s, null, clock.now(), w, true);
      v.text(box.querySelector('.board-label'), w.board);
      v.text(box.querySelector('.current-label'), w.current);
      const rows = v.board(s);
      const legend = box.querySelector('.board-legend');
      if (legend.dataset.sig !== w.lang) {
        legend.dataset.sig = w.lang;
        v.fill(legend, OUTCOMES.map(([k, icon]) => v.el('span', { class: k }, `${icon} ${w[k]}`)));
      }
      const list = box.querySelector('.boardlist');
      v.attr(list, 'data-many', rows.length > 8 ? '3' : rows.length > 5 ? '2' : null);
      v.attr(list, 'style', `--rows:${rows.length}`);
      v.keyed(list, rows, (r) => r.id, (r) => JSON.stringify(r.count) + r.name, (r) => v.el('div', { class: 'dept' },
        v.el('span', { class: 'n' }, r.name),
        v.el('span', { class: 'counts' }, OUTCOMES.filter(([k]) => k !== 'carried' || r.count.carried).map(([k, icon]) =>
          v.el('span', { class: k + (r.count[k] ? ' some' : ''), 'aria-label': `${w[k]} ${r.count[k]}` }, `${icon} ${r.count[k]}`)))));
      drawQuestion(box.querySelector('.question'), s);
    },
  },
  // 回头看: the earlier promise called, big enough for the back of the hall,
  // beside who has the floor.
  review: {
    make: () => [
      v.el('div', { class: 'pane review-pane review-waiting' },
        v.el('p', { class: 'label review-label' }), v.el('ul', { class: 'review-list' })),
      v.el('div', { class: 'pane review-pane review-called' },
        v.el('p', { class: 'label review-label' }),
        v.el('p', { class: 'review-dept' }),
        v.el('p', { class: 'qtext review-q' }),
        v.el('p', { class: 'review-promise' }),
        v.el('p', { class: 'review-late' }),
        v.el('p', { class: 'review-found' }),
        v.el('p', { class: 'review-rating' })),
      v.el('div', { class: 'pane big wide' }, floorBox())],
    patch(s, box) {
      const c = called(s);
      v.show(box.querySelector('.review-called'), !!c);
      v.show(box.querySelector('.review-waiting'), !c);
      if (!c) {
        // Before one is called: every promise under review, a row each.
        const items = underReview(s);
        v.text(box.querySelector('.review-waiting .review-label'), `${w.reviewTitle} · ${w.reviewWaiting(items.length)}`);
        const found = (id) => (s.reviews && s.reviews.items && s.reviews.items[id]) || {};
        v.keyed(box.querySelector('.review-list'), items, (i) => i.id,
          (i) => [found(i.id).outcome, i.days_over, i.state, w.lang].join('|'), (i) => {
            const outcome = found(i.id).outcome;
            const state = outcome ? w.followups['outcome_' + outcome] : (w.followups[i.state] || i.state);
            return v.el('li', { class: 'review-row' + (outcome ? ' ' + outcome : i.days_over > 0 ? ' over' : '') },
              v.el('span', { class: 'review-row-dept' }, i.department_name),
              v.el('span', { class: 'review-row-late' }, lateness(i, w)),
              v.el('span', { class: 'review-row-state' }, state),
              v.el('span', { class: 'review-row-q' }, i.question));
          });
        v.drawFloor(box.querySelector('.floor'), s, null, clock.now(), w, true);
        return;
      }
      const { item, found } = c;
      v.text(box.querySelector('.review-called .review-label'), `${w.reviewTitle} · ${item.meeting} · ${item.asker_name}`);
      v.text(box.querySelector('.review-dept'), item.department_name);
      v.text(box.querySelector('.review-q'), item.question);
      v.text(box.querySelector('.review-promise'), labelled(w, w.reviewPromised, item.promise));
      const late = box.querySelector('.review-late');
      v.text(late, lateness(item, w));
      v.cls(late, 'review-late' + (item.days_over > 0 ? ' over' : ''));
      const said = foundLine(found, w);
      // What the room found, and the asker's rating, each in its colour
      // (their words say it too).
      mark(box.querySelector('.review-found'), 'review-found', found.outcome, said && labelled(w, w.reviewFound, said));
      mark(box.querySelector('.review-rating'), 'review-rating', found.rating, ratingLine(found, w));
      v.drawFloor(box.querySelector('.floor'), s, null, clock.now(), w, true);
    },
  },
  poll: {
    make: () => [v.el('div', { class: 'pane' },
      v.el('p', { class: 'poll-title' }), v.el('div', { class: 'poll-body' }))],
    patch(s, box) {
      const p = currentPoll(s);
      // Before it opens, what is to be rated; while open, the turnout; after, the results.
      const opened = s.polls.some((x) => x.id === p.id);
      const showing = p.open || !opened;
      const state = p.open ? w.votingOpen : opened ? w.pollResults : w.notYetOpen;
      v.text(box.querySelector('.poll-title'), `${s.step ? s.step.title : w.rating} · ${state}`);
      const body = box.querySelector('.poll-body');
      const voted = new Set(p.votes.map((x) => x.voter)).size;
      const voters = s.participants.filter((x) => p.roles.includes(x.role)).length;
      const sig = [p.id, p.open, opened, w.lang, showing ? '' : JSON.stringify(p.revealed || p.votes)].join('|');
      if (body.dataset.sig !== sig) {
        body.dataset.sig = sig;
        v.fill(body, showing
          ? v.el('div', { class: 'poll-open' },
            v.el('div', { class: 'what' },
              v.el('p', { class: 'label' }, w.rated),
              v.el('p', { class: 'rated' }, (p.targets.length ? p.targets : [null]).map((t) => v.el('span', {}, t ? v.deptName(s, t) : w.poll))),
              v.el('p', { class: 'label' }, w.choices),
              v.el('p', { class: 'rated choices' }, p.choices.map((c) => v.el('span', {}, c))),
              p.secret && v.el('p', { class: 'label secret' }, '🔒 ' + w.secret)),
            v.el('p', { class: 'turnout' }, v.el('b', {}), v.el('span', { class: 'of' }), v.el('span', {}, w.haveVoted)))
          : v.results(s, p, w));
      }
      if (showing) {
        v.text(body.querySelector('.turnout b'), String(voted));
        v.text(body.querySelector('.turnout .of'), `/ ${voters}`);
      }
    },
  },
  summary: {
    make: () => [v.el('div', { class: 'pane summary' },
      v.el('p', { class: 'title' }), v.el('div', { class: 'figures' }), v.el('p', { class: 'outcomes' }),
      v.el('p', { class: 'outcomes reviewed' }), v.el('div', { class: 'last-poll' }))],
    patch(s, box) {
      v.text(box.querySelector('.title'), `${w.summary} · ${s.meeting.title}`);
      const sum = s.meeting.summary;
      const figures = sum ? [
        [hms(sum.closed_ms - sum.started_ms), w.duration],
        [String(sum.speakers), w.speakers],
        [String(sum.turns), w.turns],
      ] : [];
      v.keyed(box.querySelector('.figures'), figures, (f) => f[1], (f) => f[0], (f) =>
        v.el('div', { class: 'figure' }, v.el('b', {}, f[0]), v.el('span', {}, f[1])));
      const count = v.outcomes(s, (q) => q.status !== 'withdrawn');
      const outcomes = box.querySelector('.outcomes');
      const sig = JSON.stringify(count) + w.lang;
      if (outcomes.dataset.sig !== sig) {
        outcomes.dataset.sig = sig;
        v.fill(outcomes, v.el('span', { class: 'label' }, w.outcome),
          Object.keys(count).filter((k) => k !== 'carried' || count.carried).map((k) => v.el('span', { class: 'pill ' + k }, `${w[k]} ${count[k]}`)));
      }
      // What the review found, when the meeting reviewed anything.
      const reviewed = box.querySelector('.reviewed');
      const any = s.agenda.some((item) => item.steps.some((st) => st.review && st.review.length));
      const t = tally(s);
      v.show(reviewed, any);
      const rsig = JSON.stringify(t) + w.lang;
      if (any && reviewed.dataset.sig !== rsig) {
        reviewed.dataset.sig = rsig;
        const f = w.followups;
        v.fill(reviewed, v.el('span', { class: 'label' }, w.reviewTitle),
          [['answered', f.outcome_delivered, t.delivered], ['follow_up', f.outcome_in_progress, t.in_progress],
            ['declined', f.outcome_not_delivered, t.not_delivered], ['declined', f.dissatisfied, t.unsatisfied]]
            .map(([cls, word, n]) => v.el('span', { class: 'pill ' + cls }, `${word} ${n}`)));
      }
      // The last evaluation's results, when there was one.
      const polls = s.agenda.flatMap((item) => item.steps).map((st) => st.poll).filter(Boolean);
      const last = polls.map((p) => Object.assign({}, p, s.polls.find((x) => x.id === p.id) || {})).filter((p) => p.votes && !p.open).pop();
      const holder = box.querySelector('.last-poll');
      const psig = last ? JSON.stringify(last.revealed || last.votes) + w.lang : '';
      if (holder.dataset.sig !== psig) {
        holder.dataset.sig = psig;
        v.fill(holder, last && v.results(s, last, w));
      }
    },
  },
};

/** The question at hand: the one the speaking department answers next, else
 *  the first waiting; its text sized to fit. */
function drawQuestion(box, s) {
  // While a department speaks: its next question, else the last it answered
  // (with the answer).
  const speaker = s.floor && s.participants.find((p) => p.id === s.floor.speaker);
  const live = s.questions.filter((q) => q.status !== 'withdrawn');
  const theirs = speaker && speaker.department ? live.filter((x) => x.department === speaker.department) : [];
  // With no department speaking, the question being answered is the first
  // still waiting (answers go in order), else the one answered last: never
  // merely the newest put.
  const answeredAt = (x) => (x.answers && x.answers.length ? x.answers[x.answers.length - 1].at_ms : -1);
  const lastAnswered = (list) => list.reduce((a, x) => (answeredAt(x) >= 0 && (!a || answeredAt(x) >= answeredAt(a)) ? x : a), null);
  const q = speaker && speaker.department
    ? theirs.find((x) => x.status === 'pending') || theirs[theirs.length - 1]
    : live.find((x) => x.status === 'pending' && !x.carried) || lastAnswered(live);
  const sig = q ? [q.id, q.status, q.text, q.note, q.carried, w.lang].join('\u0000') : w.lang;
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  if (!q) {
    v.fill(box, v.el('p', { class: 'qmeta' }, w.noQuestion));
    return;
  }
  const size = q.text.length <= 60 ? 'l' : q.text.length <= 160 ? 'm' : q.text.length <= 400 ? 's' : 'xs';
  v.fill(box,
    v.el('p', { class: 'qmeta' }, v.el('span', { class: 'badge ' + (q.carried ? 'carried' : q.status) }, v.status(q, w)), ' ',
      v.el('b', {}, v.deptName(s, q.department)), ' · ', w.asked(v.name(s, q.asker))),
    v.el('p', { class: 'qtext ' + size }, q.text),
    q.note && v.el('p', { class: 'answer-said' }, `${w.deptSaid}${w.colon}${q.note}`));
}

function render() {
  if (!state) return;
  const s = state;
  // The room reads the meeting's own language.
  w = words(s.meeting.language || 'zh');
  document.documentElement.lang = s.meeting.language === 'en' ? 'en' : 'zh-CN';
  document.title = s.meeting.title;
  v.text($('title'), s.meeting.title);
  v.drawStep($('step'), s, w);
  const k = screenOf(s);
  const screen = $('screen');
  if (drawn !== k) {
    drawn = k;
    v.cls(screen, 'screen ' + k + (k === 'welcome' ? ' welcome' : ''));
    v.fill(screen, SCREENS[k].make());
  }
  SCREENS[k].patch(s, screen);
  v.tick(document.body, s, clock.now(), w);
  drawLink();
  window.xieshang.state = s;
  window.xieshang.screen = k;
}

function drawLink() {
  v.cls($('link'), 'link ' + link);
  v.text($('link').querySelector('.word'), link === 'open' ? w.connected : link === 'ended' ? w.ended : link === 'replaced' ? w.replaced : link === 'refused' ? w.badLink : w.reconnecting);
}

window.xieshang = { state: null, screen: '' };
const token = tokenFromFragment();
// Another token in the link (the screen handed a new one): taken as a fresh page.
window.addEventListener('hashchange', () => {
  if (new URLSearchParams(location.hash.slice(1)).get('t')) location.reload();
});
new Connection(token, {
  clock,
  onState: (s, you, _votes, watching) => {
    state = s;
    me = you;
    // A replay or a broadcast says so on the screen from the first moment.
    const badge = $('watch');
    v.show(badge, !!watching);
    v.text(badge, watching ? (watching === 'replay' ? '⏵ ' : '● ') + words(s.meeting.language || 'zh')[watching + 'Short'] : '');
    render();
  },
  onEvent: (_, s) => { state = s; render(); },
  onNotice: (f) => {
    const ok = f.reason === 'broadcast_resumed';
    link = ok ? 'open' : 'paused';
    drawLink();
    v.text($('link').querySelector('.word'), (f.messages && f.messages[(state && state.meeting.language) || 'zh']) || f.reason);
  },
  onStatus: (status) => { link = status; drawLink(); },
  onRefused: () => {},
});
// Only the clocks move between events: their digits, once a second.
setInterval(() => { if (state) v.tick(document.body, state, clock.now(), w); }, 250);
