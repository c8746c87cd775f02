// The public page of topics (双公开), no token: every topic past its draft,
// the most supported first, with its stage, its support by sector, every
// decision with its reason and its chain (topic → meeting → promise → the
// topic a failed promise came back as). Anyone may support a topic, take the
// support back, and propose one a round: by a key this browser keeps
// (localStorage), sent in the body, never in a path or query. Similar topics
// are shown while a proposal is written. Everything a topic holds was written
// by someone: it reaches the page as text, never as markup.

import { $, el, fill } from '../shared/dom.js';
import { w, languageButton, request, every, banner, toast, refusal } from './followups.js';
import { topicCard, similarWhileTyping } from './topic_card.js';

const KEY = 'xieshang.topics.key';
const SUPPORTED = 'xieshang.topics.supported';
const SECTOR = 'xieshang.topics.sector';

/** This browser's key: made once (32 hex digits), kept. */
function supporterKey() {
  try {
    let k = localStorage.getItem(KEY);
    if (!k) {
      const bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      k = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      localStorage.setItem(KEY, k);
    }
    return k;
  } catch (_) {
    return '';
  }
}

function stored(name, fallback) {
  try { return JSON.parse(localStorage.getItem(name)) ?? fallback; } catch (_) { return fallback; }
}
function store(name, value) {
  try { localStorage.setItem(name, JSON.stringify(value)); } catch (_) { /* private window */ }
}

const state = { data: null, stage: '', offset: 0, supported: new Set(stored(SUPPORTED, [])) };
const STAGES = ['', 'submitted', 'eligible', 'in_review', 'reviewed', 'adopted', 'reserved', 'rejected', 'merged', 'redirected'];

function drawTabs() {
  const t = w().topics;
  const nav = $('stages');
  fill(nav, ...STAGES.map((s) => el('button', {
    type: 'button',
    role: 'tab',
    'aria-selected': String(state.stage === s),
    onclick: () => { state.stage = s; state.offset = 0; drawTabs(); refresh(); },
  }, s ? t[s] : w().intake.all)));
}

async function support(topic, on) {
  const given = $('my-sector').value.trim();
  store(SECTOR, given);
  const got = await request('/topics/api/topics/' + encodeURIComponent(topic.id), {
    body: { do: on ? 'support' : 'unsupport', supporter: supporterKey(), sector: given || '' },
  });
  if (got.status === 200) {
    if (on) state.supported.add(topic.id); else state.supported.delete(topic.id);
    store(SUPPORTED, Array.from(state.supported));
    toast(w().intake.recorded);
    refresh();
    return;
  }
  toast(refusal(got.body), true);
}

function draw() {
  const i = w().intake;
  document.title = i.public_title + ' · ' + w().product;
  $('title').textContent = i.public_title;
  $('intro').textContent = i.public_intro;
  $('open-propose').textContent = i.propose_public;
  $('propose-title').textContent = i.propose_public;
  $('once').textContent = i.once_a_round;
  $('l-name').textContent = i.your_name;
  $('l-sector').textContent = i.your_sector;
  $('l-title').textContent = i.title;
  $('l-problem').textContent = i.problem;
  $('l-suggestion').textContent = i.suggestion;
  $('p-send').textContent = i.send;
  $('p-cancel').textContent = i.cancel;
  drawTabs();
  const d = state.data;
  $('cap').textContent = d ? i.cap(d.cap) : '';
  $('l-my-sector').textContent = i.sector_prompt;
  const topics = d ? d.topics : [];
  fill($('topics'), ...topics.map((t) => topicCard(t, {
    supported: state.supported.has(t.id),
    onSupport: (on) => support(t, on),
  })));
  $('empty').hidden = topics.length > 0;
  $('empty').textContent = i.none;
  const before = d ? d.offset : 0;
  const after = d ? d.total - d.offset - topics.length : 0;
  $('earlier').hidden = before <= 0;
  $('earlier').textContent = i.earlier(Math.min(before, 50));
  $('later').hidden = after <= 0;
  $('later').textContent = i.later(Math.min(after, 50));
}

async function refresh() {
  const q = new URLSearchParams();
  if (state.stage) q.set('stage', state.stage);
  if (state.offset) q.set('offset', String(state.offset));
  const got = await request('/topics/api/list' + (q.toString() ? '?' + q : ''));
  if (got.status !== 200 || !got.body) {
    banner(w().intake.offline);
    return;
  }
  banner('');
  state.data = got.body;
  draw();
}

async function send(event) {
  event.preventDefault();
  const error = $('p-error');
  error.hidden = true;
  const button = $('p-send');
  button.setAttribute('aria-busy', 'true');
  const got = await request('/topics/api/propose', {
    body: {
      name: $('p-name').value,
      sector: $('p-sector').value,
      supporter: supporterKey(),
      text: { title: $('p-title').value, problem: $('p-problem').value, suggestion: $('p-suggestion').value },
    },
  });
  button.removeAttribute('aria-busy');
  if (got.status !== 200) {
    error.textContent = refusal(got.body);
    error.hidden = false;
    return;
  }
  $('propose').reset();
  $('propose').hidden = true;
  $('similar').hidden = true;
  toast(w().intake.recorded + ' · ' + got.body.id);
  refresh();
}

$('open-propose').addEventListener('click', () => {
  $('propose').hidden = false;
  $('p-name').focus();
});
$('p-cancel').addEventListener('click', () => { $('propose').hidden = true; });
similarWhileTyping();
$('propose').addEventListener('submit', send);
$('earlier').addEventListener('click', () => { state.offset = Math.max(0, state.offset - 50); refresh(); window.scrollTo(0, 0); });
$('later').addEventListener('click', () => { state.offset += 50; refresh(); window.scrollTo(0, 0); });

$('my-sector').value = stored(SECTOR, '') || '';
$('my-sector').addEventListener('change', () => store(SECTOR, $('my-sector').value.trim()));

languageButton(draw);
draw();
every(10000, refresh);
