// The room's big screen (/projector#t=TOKEN, an observer's token does): the
// speaker and a countdown readable across a hall, the step, who is next; in an
// evaluation, the results as bars once the chair has closed the poll.

import { Connection, tokenFromFragment } from './connection.js';
import { ServerClock, currentPoll, nextSpeaker } from './state.js';
import { chosen, words } from './words.js';
import * as v from './view.js';

const $ = (id) => document.getElementById(id);
const clock = new ServerClock();
let state = null;
let w = words(chosen());

function render() {
  if (!state) return;
  const s = state;
  // The room reads the meeting's own language.
  w = words(s.meeting.language || 'zh');
  document.documentElement.lang = s.meeting.language === 'en' ? 'en' : 'zh-CN';
  $('title').textContent = s.meeting.title;
  document.title = s.meeting.title;
  v.fill($('step'), v.stepLine(s, clock.now(), w));
  v.fill($('floor'), v.floor(s, null, clock.now(), w));
  const next = s.floor && nextSpeaker(s);
  v.fill($('next'), next && v.el('p', { class: 'next' }, `${w.next}：${v.name(s, next.id)}`));
  const p = currentPoll(s);
  v.fill($('results'), p && !p.open && p.votes.length && v.results(s, p, w));
  v.fill($('secret'), p && p.secret && p.open && v.el('p', {}, w.secretBallot(new Set(p.votes.map((x) => x.voter)).size)));
}

const token = tokenFromFragment();
new Connection(token, {
  clock,
  onState: (s) => { state = s; render(); },
  onEvent: (_, s) => { state = s; render(); },
  onNotice: (f) => {
    const ok = f.reason === 'broadcast_resumed';
    $('link').className = 'link ' + (ok ? 'open' : 'paused');
    $('link').textContent = (ok ? '● ' : '⏸ ') + ((f.messages && f.messages[(state && state.meeting.language) || "zh"]) || f.reason);
  },
  onStatus: (status) => {
    $('link').className = 'link ' + status;
    $('link').textContent = status === 'open' ? '●' : status === 'refused' ? '✕ ' + w.badLink
      : status === 'replaced' ? '✕ ' + w.replaced
        : status === 'paused' ? '⏸ ' + w.chairLeft : '○ ' + w.reconnecting;
  },
  onRefused: () => {},
});
setInterval(() => { if (state) v.tick(document.body, state, clock.now(), w); }, 250);
