// A department's or an asker's own page. The token comes in the link's fragment
// (`/followups/mine#t=…`), is kept for this tab only (sessionStorage) and taken
// out of the address bar at once; it travels as `Authorization: Bearer`, never
// in a path or a query.
//
// A department takes an item on (领办), adds progress, answers it; an asker rates
// the answer, saying why when not satisfied. Every change carries the version
// the page saw: one made meanwhile by someone else is refused, naming them, and
// the item is drawn again as it now is, the text typed kept.

import { $, el } from '../shared/dom.js';
import { w, page, languageButton, request, every, banner, badges, ratingBadge, classWord, promiseWord, line, toast, refusal, linkToken } from './followups.js';

const TOKEN = 'xieshang.followups.t';
const NAME = 'xieshang.followups.name';

const me = { token: linkToken(TOKEN), data: null, etag: null };
/** Per item id: its card and what is drawn in it. */
const cards = new Map();

function personName() {
  return $('name').value.trim();
}

/** Whether this page may send `what` (the server says: `may`). */
function may(what) {
  return !!me.data && me.data.may.includes(what);
}

/** The item as the server now has it (the version a change carries). */
function current(id) {
  return me.data ? me.data.items.find((i) => i.id === id) : null;
}

function evidenceList(list) {
  const ol = el('ol', 'evidence');
  for (const e of list) {
    const li = el('li');
    li.append(el('p', 'etitle', e.title), el('p', 'emeta muted', `${e.date} · ${e.by}`));
    if (e.text) li.append(el('p', 'etext', e.text));
    ol.append(li);
  }
  return ol;
}

/** What the card says of the item (everything but the open form). */
function body(it) {
  const r = w().register;
  const f = w().followups;
  const div = el('div', 'ibody');
  const head = el('div', 'ihead');
  head.append(...badges(it), el('span', 'id muted', it.id));
  div.append(head);
  const o = it.origin;
  div.append(el('p', 'q', o.text));
  const asker = o.asker.name + (o.asker.sector ? ` · ${o.asker.sector}` : '');
  if (may('answer')) div.append(line('asker', r.asked_by, asker));
  if (o.said) div.append(line('said', r.said, o.said));
  if (it.promise) div.append(line('promise', it.unanswered ? r.in_meeting : r.promise, promiseWord(it)));
  const depts = [it.department_name].concat(it.co_handling.length ? [`${r.co_handling} ${it.co_handling.join('、')}`] : []);
  div.append(line('dept', r.department_of, depts.join(' · ')));
  if (it.handler) div.append(line('handler', r.handled_by, it.handler));
  const dates = [`${r.from_meeting} ${o.meeting} · ${o.date}`, r.due_by(it.deadline)];
  if (it.returned > 0) dates.push(r.returned(it.returned));
  if (it.review_on && (it.state === 'answered' || it.state === 'closed')) dates.push(r.review_on(it.review_on));
  div.append(el('p', 'dates muted', dates.join(' · ')));
  if (it.evidence && it.evidence.length) {
    div.append(el('h3', 'etitle-h', f.evidence), evidenceList(it.evidence));
  }
  if (it.answer) {
    const a = el('div', 'answer');
    // An answer sent back is the last one, not the item's.
    const label = it.state === 'answered' || it.state === 'closed' ? r.answer_given : r.previous_answer;
    a.append(el('p', 'aclass', `${label} · ${classWord(it.answer.class)} · ${it.answer.date} · ${it.answer.by}`),
      el('p', 'atext', it.answer.text));
    div.append(a);
  }
  if (it.rating) {
    const p = el('p', 'rated');
    p.append(el('span', 'k', r.rated), document.createTextNode(' '), ratingBadge(it.rating.rating));
    if (it.rating.reason) p.append(document.createTextNode(' '), el('span', 'reason', it.rating.reason));
    div.append(p);
  }
  return div;
}

/** The buttons that open a form, those the item's state allows. */
function actions(it) {
  const r = w().register;
  const div = el('div', 'buttons');
  const open = ['assigned', 'acknowledged', 'in_progress'].includes(it.state);
  const add = (label, form, primary) => {
    const b = el('button', primary ? 'primary' : 'secondary', label);
    b.type = 'button';
    b.dataset.form = form;
    b.addEventListener('click', () => openForm(it.id, form));
    div.append(b);
  };
  if (may('acknowledge') && it.state === 'assigned') add(r.acknowledge, 'acknowledge', true);
  if (may('progress') && open) add(r.progress, 'progress', false);
  if (may('answer') && open) add(r.answer, 'answer', it.state !== 'assigned');
  if (may('rate') && it.state === 'answered' && !it.rating) {
    add(r.rate_open, 'rate', true);
  }
  return div;
}

function field(label, control, id) {
  const wrap = el('div', 'field');
  const l = el('label', null, label);
  l.htmlFor = id;
  control.id = id;
  wrap.append(l, control);
  return wrap;
}

function choices(name, options, required) {
  const set = el('div', 'options');
  set.setAttribute('role', 'radiogroup');
  for (const [value, label] of options) {
    const l = el('label', 'option');
    const input = el('input');
    input.type = 'radio';
    input.name = name;
    input.value = value;
    input.required = required;
    l.append(input, el('span', null, label));
    set.append(l);
  }
  return set;
}

/** The form of one change, inside the item's card. */
function form(it, kind) {
  const r = w().register;
  const f = w().followups;
  const fm = el('form', 'change');
  fm.dataset.kind = kind;
  const uid = (s) => `${kind}-${s}-${it.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
  if (kind === 'acknowledge') {
    // One name field on the page (above): who takes it on is who is named there.
    fm.append(line('handler', r.handler, personName() || '—'));
  } else if (kind === 'progress') {
    const title = el('input');
    title.maxLength = 200;
    title.required = true;
    title.name = 'title';
    const text = el('textarea');
    text.rows = 4;
    text.maxLength = 4000;
    text.name = 'text';
    fm.append(field(r.progress_title, title, uid('title')), field(r.progress_text, text, uid('text')));
  } else if (kind === 'answer') {
    const legend = el('p', 'legend', r.answer_class);
    const text = el('textarea');
    text.rows = 6;
    text.maxLength = 4000;
    text.required = true;
    text.name = 'text';
    fm.append(legend, choices(uid('class'), [['A', f.class_a], ['B', f.class_b], ['C', f.class_c]], true),
      field(r.answer_text, text, uid('text')));
  } else if (kind === 'rate') {
    const legend = el('p', 'legend', r.rate);
    const reason = el('textarea');
    reason.rows = 3;
    reason.maxLength = 4000;
    reason.name = 'reason';
    const hint = el('p', 'hint muted small', r.reason_needed);
    fm.append(legend, choices(uid('rating'), [['satisfied', f.satisfied], ['basically_satisfied', f.basically_satisfied], ['dissatisfied', f.dissatisfied]], true),
      field(r.reason, reason, uid('reason')), hint);
    fm.addEventListener('change', () => {
      const picked = fm.querySelector('input[type=radio]:checked');
      reason.required = !!picked && picked.value === 'dissatisfied';
    });
  }
  const error = el('p', 'error');
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const row = el('div', 'buttons');
  const send = el('button', 'primary', r.send);
  send.type = 'submit';
  const cancel = el('button', 'ghost', r.cancel);
  cancel.type = 'button';
  cancel.addEventListener('click', () => closeForm(it.id));
  row.append(send, cancel);
  fm.append(error, row);
  fm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit(it.id, kind, fm, send, error);
  });
  return fm;
}

function intent(kind, fm, seen) {
  const value = (name) => (fm.elements[name] ? fm.elements[name].value : '');
  const picked = fm.querySelector('input[type=radio]:checked');
  const by = personName() || undefined;
  switch (kind) {
    case 'acknowledge': return { do: 'acknowledge', seen, handler: personName() };
    case 'progress': return { do: 'progress', seen, title: value('title'), text: value('text'), by };
    case 'answer': return { do: 'answer', seen, class: picked ? picked.value : '', text: value('text'), by };
    default: return { do: 'rate', seen, rating: picked ? picked.value : '', reason: value('reason') || null };
  }
}

async function submit(id, kind, fm, send, error) {
  const it = current(id);
  if (!it || send.getAttribute('aria-busy') === 'true') return;
  if (kind === 'acknowledge' && !personName()) {
    error.textContent = '✕ ' + w().register.name_first;
    error.hidden = false;
    $('name').focus();
    return;
  }
  send.setAttribute('aria-busy', 'true');
  error.hidden = true;
  const got = await request('/followups/api/items/' + encodeURIComponent(id), {
    token: me.token,
    body: intent(kind, fm, it.version),
  });
  send.removeAttribute('aria-busy');
  if (got.status === 200 && got.body) {
    const i = me.data.items.findIndex((x) => x.id === id);
    if (i >= 0) me.data.items[i] = got.body;
    closeForm(id);
    toast('✓ ' + w().register.recorded);
    me.etag = null;
    refresh();
    return;
  }
  error.textContent = '✕ ' + refusal(got.body);
  error.hidden = false;
  if (got.status === 409) {
    // Changed meanwhile: read it again; the form and its text stay.
    me.etag = null;
    await refresh();
  }
}

function openForm(id, kind) {
  const card = cards.get(id);
  const it = current(id);
  if (!card || !it) return;
  card.form = kind;
  card.formNode = form(it, kind);
  card.foot.replaceChildren(card.formNode);
  const first = card.formNode.querySelector('input:not([type=radio]), textarea, input');
  if (first) first.focus();
}

function closeForm(id) {
  const card = cards.get(id);
  if (!card) return;
  card.form = null;
  card.formNode = null;
  const it = current(id);
  card.foot.replaceChildren(it ? actions(it) : '');
}

/** Draws the items, keeping each card (and a form being filled in) whose item
 *  is still there. */
function drawItems() {
  const list = $('items');
  const items = me.data ? me.data.items : [];
  const seen = new Set();
  const nodes = [];
  for (const it of items) {
    seen.add(it.id);
    let card = cards.get(it.id);
    const sig = [it.version, page.lang, JSON.stringify(it.standing)].join('|');
    if (!card) {
      const li = el('li', 'item card');
      li.dataset.id = it.id;
      card = { li, top: el('div'), foot: el('div', 'foot'), sig: '', form: null, formNode: null };
      li.append(card.top, card.foot);
      cards.set(it.id, card);
    }
    if (card.sig !== sig) {
      card.li.className = 'item card st-' + it.state;
      card.top.replaceChildren(body(it));
      if (card.form && card.sig.split('|')[1] !== page.lang) {
        // The language changed: the form's words too, keeping nothing typed.
        openForm(it.id, card.form);
      } else if (!card.form) {
        card.foot.replaceChildren(actions(it));
      }
      card.sig = sig;
    }
    nodes.push(card.li);
  }
  for (const id of [...cards.keys()]) if (!seen.has(id)) cards.delete(id);
  list.replaceChildren(...nodes);
  const r = w().register;
  $('items-empty').hidden = items.length > 0;
  $('items-empty').textContent = r.none_mine;
  const more = me.data ? me.data.total - items.length : 0;
  $('items-more').hidden = more <= 0;
  $('items-more').textContent = more > 0 ? r.more(more) : '';
  const open = items.filter((i) => ['assigned', 'acknowledged', 'in_progress', 'answered'].includes(i.state)).length;
  const late = items.filter((i) => i.standing && i.standing.overdue).length;
  $('counts').textContent = items.length ? [r.open_count(open)].concat(late ? [r.overdue_count(late)] : []).join(' · ') : '';
}

function draw() {
  const r = w().register;
  document.title = r.mine_title + ' · ' + w().product;
  $('title').textContent = r.mine_title;
  $('name-label').textContent = r.your_name;
  if (me.data) {
    const h = me.data.holder;
    $('who').textContent = `${may('answer') ? r.department_of : r.asker_of} · ${h.name} · ${r.today(me.data.today)}`;
    // A department's person says who they are; an asker is themselves.
    $('name-row').hidden = !may('answer');
  }
  drawItems();
}

async function refresh() {
  if (!me.token) {
    banner(w().register.no_token);
    return;
  }
  const got = await request('/followups/api/mine', { token: me.token, etag: me.etag });
  if (got.status === 304) {
    banner('');
    return;
  }
  if (got.status !== 200 || !got.body) {
    banner(got.status === 0 ? w().register.offline : refusal(got.body));
    return;
  }
  banner('');
  me.etag = got.etag;
  me.data = got.body;
  draw();
}

try { $('name').value = localStorage.getItem(NAME) || ''; } catch (_) { /* no storage */ }
$('name').addEventListener('change', () => {
  try { localStorage.setItem(NAME, personName()); } catch (_) { /* no storage */ }
});
// An open 领办 form names whoever is named above, as it is typed.
$('name').addEventListener('input', () => {
  for (const v of document.querySelectorAll('form[data-kind=acknowledge] .handler .v')) v.textContent = personName() || '—';
});
languageButton(draw);
draw();
every(10000, refresh);
