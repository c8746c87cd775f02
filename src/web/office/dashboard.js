// The public dashboard (双公开), no token: per department how many items, how
// many open and overdue, the share answered on time and the share of ratings
// satisfied; then the public items, open and longest overdue first. Asks the
// server again every 5 seconds; an unchanged register costs a 304.

import { $, el } from '../shared/dom.js';
import { w, languageButton, request, every, banner, badges, ratingBadge, classWord, promiseWord, line } from './followups.js';

let data = null;
let etag = null;

function percent(part, whole) {
  return whole > 0 ? Math.round((100 * part) / whole) : null;
}

/** A rate as a number and a bar; a dash when nothing was counted. */
function rateCell(part, whole) {
  const td = el('td', 'rate');
  const p = percent(part, whole);
  if (p === null) {
    td.append(el('span', 'muted', w().register.rate_none));
    return td;
  }
  const bar = el('span', 'meter');
  const fill = el('span', 'fill' + (p < 60 ? ' low' : p < 85 ? ' mid' : ''));
  fill.style.width = p + '%';
  bar.append(fill);
  td.append(el('span', 'pct', p + '%'), el('span', 'of muted', ` ${part}/${whole}`), bar);
  return td;
}

/** The whole register in five figures. */
function drawTotals() {
  const r = w().register;
  const sum = (k) => (data ? data.departments.reduce((n, d) => n + d[k], 0) : 0);
  const rate = (part, whole) => {
    const p = percent(sum(part), sum(whole));
    return p === null ? r.rate_none : p + '%';
  };
  const tiles = [
    ['items', r.col_items, sum('items')],
    ['open', r.col_open, sum('open')],
    ['overdue' + (sum('overdue') > 0 ? ' over' : ''), r.col_overdue, sum('overdue')],
    ['on-time', r.col_on_time, rate('on_time', 'answered')],
    ['satisfied', r.col_satisfied, rate('satisfied', 'rated')],
  ];
  $('kpis').replaceChildren(...tiles.map(([cls, label, n]) => {
    const tile = el('div', 'kpi ' + cls);
    tile.setAttribute('role', 'listitem');
    tile.append(el('span', 'n', n), el('span', 'l', label));
    return tile;
  }));
}

function drawFigures() {
  const r = w().register;
  const labels = [r.col_department, r.col_items, r.col_open, r.col_overdue, r.col_on_time, r.col_satisfied];
  const heads = $('figures').querySelectorAll('th');
  labels.forEach((t, i) => { heads[i].textContent = t; });
  const body = $('figures').querySelector('tbody');
  body.replaceChildren();
  const rows = data ? data.departments : [];
  for (const d of rows) {
    const tr = el('tr');
    const name = el('th', 'c-dept', d.name);
    name.scope = 'row';
    const over = el('td', 'num' + (d.overdue > 0 ? ' over' : ''), d.overdue);
    const cells = [el('td', 'num', d.items), el('td', 'num', d.open), over,
      rateCell(d.on_time, d.answered), rateCell(d.satisfied, d.rated)];
    cells.forEach((td, i) => { td.dataset.label = labels[i + 1]; });
    tr.append(name, ...cells);
    body.append(tr);
  }
  $('figures').hidden = rows.length === 0;
  $('figures-empty').hidden = rows.length > 0;
  $('figures-empty').textContent = r.none;
}

function itemCard(it) {
  const r = w().register;
  const f = w().followups;
  const li = el('li', 'item card st-' + it.state);
  li.dataset.id = it.id;
  const head = el('div', 'ihead');
  head.append(...badges(it), el('span', 'id muted', it.id));
  li.append(head, el('p', 'dept', it.department), el('p', 'q', it.question));
  // A question left unanswered in the room is not a promise: said as what it is.
  if (it.promise) li.append(line('promise', it.unanswered ? r.in_meeting : r.promise, promiseWord(it)));
  li.append(el('p', 'dates muted', `${r.from_meeting} ${it.meeting} · ${it.date} · ${r.due_by(it.deadline)}`));
  if (it.answer) {
    const a = el('div', 'answer');
    const label = it.state === 'answered' || it.state === 'closed' ? r.answer_given : r.previous_answer;
    a.append(el('p', 'aclass', `${label} · ${classWord(it.answer.class)} · ${it.answer.date}`),
      el('p', 'atext', it.answer.text));
    li.append(a);
  }
  if (it.rating) {
    const p = el('p', 'rated');
    p.append(el('span', 'k', f.rating), document.createTextNode(' '), ratingBadge(it.rating));
    li.append(p);
  }
  return li;
}

function drawItems() {
  const r = w().register;
  const list = $('items');
  const items = data ? data.items : [];
  list.replaceChildren(...items.map(itemCard));
  $('items-empty').hidden = items.length > 0;
  $('items-empty').textContent = r.none;
  const more = data ? data.total - items.length : 0;
  $('items-more').hidden = more <= 0;
  $('items-more').textContent = more > 0 ? r.more(more) : '';
}

function draw() {
  const r = w().register;
  document.title = r.public_title + ' · ' + w().product;
  $('title').textContent = r.public_title;
  $('intro').textContent = r.public_intro;
  $('figures-title').textContent = r.figures;
  $('items-title').textContent = r.items;
  $('today').textContent = data ? r.today(data.today) : '';
  drawTotals();
  drawFigures();
  drawItems();
}

async function refresh() {
  const got = await request('/followups/api/dashboard', { etag });
  if (got.status === 304) {
    banner('');
    return;
  }
  if (got.status !== 200 || !got.body) {
    banner(w().register.offline);
    return;
  }
  banner('');
  etag = got.etag;
  data = got.body;
  draw();
}

languageButton(draw);
draw();
every(5000, refresh);
