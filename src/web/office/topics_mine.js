// A roster person's topics page (their card's link: `/topics/mine#t=…`), or a
// contact point's. The token comes in the link's fragment, is kept for this
// tab only (sessionStorage) and taken out of the address bar at once; it
// travels as `Authorization: Bearer`, never in a path or a query.
//
// A member proposes (saying what research it rests on), invites co-signers
// from the roster, submits; a co-signer signs or declines; an evaluator gives
// an opinion at 复审. A contact point's staff enter a resident's proposal.
// Every change carries the version the page saw: one made meanwhile by
// someone else is refused, naming them, and the topic is drawn again.

import { $, el, fill } from '../shared/dom.js';
import { w, languageButton, request, every, banner, toast, refusal, linkToken } from './followups.js';
import { topicCard, similarWhileTyping } from './topic_card.js';

const TOKEN = 'xieshang.topics.t';

const me = { token: linkToken(TOKEN), data: null };

const may = (what) => !!me.data && me.data.may.includes(what);
const isPoint = () => !!me.data && me.data.as === 'contact_point';

/** A whole topic as the shared card draws it. */
function view(t) {
  const names = new Map((me.data.departments || []).map((d) => [d.id, d.name]));
  return {
    id: t.id,
    version: t.version,
    stage: t.stage,
    number: t.number,
    flagged: t.flagged,
    origin: t.origin,
    proposer: t.proposer_name,
    sector: t.sector,
    title: t.text.title,
    problem: t.text.problem,
    suggestion: t.text.suggestion,
    departments: (t.text.departments || []).map((d) => names.get(d) || d),
    cosigners: [],
    support: t.support,
    supporters: Object.values(t.support || {}).reduce((a, b) => a + b, 0),
    decisions: t.decisions,
    evaluators: (t.evaluators || []).length,
    opinions: (t.evaluators || []).filter((e) => e.opinion).length,
  };
}

async function act(t, body) {
  const got = await request('/topics/api/topics/' + encodeURIComponent(t.id), {
    token: me.token,
    body: Object.assign({ seen: t.version }, body),
  });
  if (got.status === 200) toast(w().intake.recorded);
  else toast(refusal(got.body), true);
  refresh(true);
  return got.status === 200;
}

function button(label, cls, onclick) {
  return el('button', { type: 'button', class: cls, onclick }, label);
}

/** What the holder may do with `t`, by their part in it. */
function actions(t) {
  const i = w().intake;
  const box = el('div', 'acts');
  const mine = isPoint() || (t.proposer.as === 'person' && t.proposer.person === me.data.id);
  const editable = ['draft', 'returned'].includes(t.stage);
  if (mine) {
    box.append(el('p', 'k', i.role_proposer));
    if (t.cosigners.length) {
      box.append(el('ul', 'cosigners', ...t.cosigners.map((c) => {
        const said = c.signature === 'invited' ? i.invited : c.signature === 'declined' ? i.declined : i.signed;
        const li = el('li', 'badge', `${c.name} · ${said}`);
        if (editable && may('uninvite')) li.append(' ', button('×', 'ghost', () => act(t, { do: 'uninvite', person: c.person })));
        return li;
      })));
    }
    const row = el('div', 'buttons');
    if (editable && may('invite')) row.append(button(i.invite, 'secondary', () => invite(t, box)));
    if (editable && may('submit')) row.append(button(i.submit, 'primary', () => act(t, { do: 'submit' })));
    if (!['adopted', 'rejected', 'withdrawn', 'merged', 'redirected'].includes(t.stage) && may('withdraw')) {
      row.append(button(i.withdraw, 'ghost', () => {
        const reason = window.prompt(i.withdraw_reason, '');
        if (reason !== null) act(t, { do: 'withdraw', reason });
      }));
    }
    box.append(row);
  }
  const asked = (t.cosigners || []).find((c) => c.person === me.data.id);
  if (asked && !mine) {
    box.append(el('p', 'k', i.role_cosigner));
    const row = el('div', 'buttons');
    if (asked.signature === 'invited') {
      row.append(button(i.sign, 'primary', () => act(t, { do: 'sign' })), button(i.decline, 'secondary', () => act(t, { do: 'decline' })));
    } else {
      row.append(el('span', 'badge', asked.signature === 'declined' ? i.declined : i.signed));
    }
    box.append(row);
  }
  const evaluation = (t.evaluators || []).find((e) => e.person === me.data.id);
  if (evaluation) {
    box.append(el('p', 'k', i.role_evaluator));
    if (evaluation.opinion) {
      box.append(el('p', null, `${i['verdict_' + evaluation.opinion.verdict]} · ${evaluation.opinion.text}`));
    } else if (t.stage === 'in_review') {
      box.append(opinionForm(t));
    }
  }
  return box;
}

function opinionForm(t) {
  const i = w().intake;
  const name = 'v-' + t.id;
  const options = ['for', 'revise', 'against'].map((v) => el('label', 'option',
    el('input', { type: 'radio', name, value: v }), i['verdict_' + v]));
  const text = el('textarea', { maxlength: '4000', rows: '3', 'aria-label': i.opinion_text });
  const form = el('form', 'change', el('div', 'options', ...options), el('label', null, i.opinion_text), text,
    el('div', 'buttons', el('button', { type: 'submit', class: 'primary' }, i.opine)));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const chosen = form.querySelector('input:checked');
    if (!chosen) return;
    act(t, { do: 'opine', verdict: chosen.value, text: text.value });
  });
  return form;
}

/** Finding a co-signer in the roster by name, as one types. */
function invite(t, box) {
  const i = w().intake;
  const input = el('input', { type: 'search', placeholder: i.invite_find, 'aria-label': i.invite_find, maxlength: '40' });
  const found = el('ul', 'found');
  let timer = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const got = await request('/topics/api/people?q=' + encodeURIComponent(input.value.trim()), { token: me.token });
      const people = got.status === 200 && Array.isArray(got.body) ? got.body.filter((p) => p.id !== me.data.id) : [];
      fill(found, ...people.map((p) => el('li', null, button(p.name + (p.sector ? ' · ' + p.sector : ''), 'secondary', () => act(t, { do: 'invite', person: p.id })))));
    }, 250);
  });
  box.append(input, found);
  input.focus();
}

function draw() {
  const i = w().intake;
  const point = isPoint();
  const title = point ? i.point_title : i.mine_title;
  document.title = title + ' · ' + w().product;
  $('title').textContent = title;
  $('who').textContent = me.data ? me.data.name + (me.data.sector ? ' · ' + me.data.sector : '') : '';
  $('open-propose').hidden = !may('propose');
  $('open-propose').textContent = i.propose;
  $('propose-title').textContent = i.propose;
  $('resident').hidden = !point;
  $('member-only').hidden = point;
  $('l-name').textContent = i.resident_name;
  $('l-contact').textContent = i.resident_contact;
  $('l-sector').textContent = i.your_sector;
  $('l-title').textContent = i.title;
  $('l-problem').textContent = i.problem;
  $('l-suggestion').textContent = i.suggestion;
  $('l-research').textContent = i.research;
  $('l-departments').textContent = i.departments;
  $('p-send').textContent = i.send;
  $('p-cancel').textContent = i.cancel;
  $('list-title').textContent = i.your_topics;
  const select = $('p-departments');
  if (me.data && select.options.length !== me.data.departments.length) {
    fill(select, ...me.data.departments.map((d) => el('option', { value: d.id }, d.name)));
  }
  const topics = me.data ? me.data.topics : [];
  fill($('topics'), ...topics.map((t) => {
    const card = topicCard(view(t), { extra: actions(t) });
    card.classList.add('mine-topic');
    return card;
  }));
  $('empty').hidden = topics.length > 0;
  $('empty').textContent = i.none;
}

/** Asks for the page's topics again; a form being filled is not drawn over,
 *  unless `force` (a change just made). */
async function refresh(force) {
  if (!me.token) {
    banner(w().intake.no_token);
    return;
  }
  const typing = document.activeElement && document.activeElement.matches('.acts input, .acts textarea');
  if (typing && force !== true) return;
  const got = await request('/topics/api/mine', { token: me.token });
  if (got.status === 401) {
    banner(w().intake.no_token);
    return;
  }
  if (got.status !== 200 || !got.body) {
    banner(w().intake.offline);
    return;
  }
  banner('');
  me.data = got.body;
  draw();
}

async function send(event) {
  event.preventDefault();
  const error = $('p-error');
  error.hidden = true;
  const departments = Array.from($('p-departments').selectedOptions, (o) => o.value);
  const got = await request('/topics/api/propose', {
    token: me.token,
    body: {
      name: $('p-name').value,
      contact: $('p-contact').value,
      sector: $('p-sector').value,
      text: {
        title: $('p-title').value,
        problem: $('p-problem').value,
        suggestion: $('p-suggestion').value,
        research: $('p-research').value,
        departments,
      },
    },
  });
  if (got.status !== 200) {
    error.textContent = refusal(got.body);
    error.hidden = false;
    return;
  }
  $('propose').reset();
  $('propose').hidden = true;
  $('similar').hidden = true;
  toast(w().intake.recorded + ' · ' + got.body.id);
  refresh(true);
}

$('open-propose').addEventListener('click', () => {
  $('propose').hidden = false;
  (isPoint() ? $('p-name') : $('p-title')).focus();
});
$('p-cancel').addEventListener('click', () => { $('propose').hidden = true; });
similarWhileTyping();
$('propose').addEventListener('submit', send);

languageButton(draw);
draw();
every(10000, refresh);
