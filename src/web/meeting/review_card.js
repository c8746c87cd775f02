// 回头看 on the pages: the earlier promise the chair called (the plan carries the
// items as the register had them: `agenda[].steps[].review`), what was promised
// and done since, how late it is, what this meeting found of it; on the asker's
// own phone, once it is recorded delivered, their rating.

import { el, text, show, fill } from '../shared/dom.js';

/** The earlier promise called in the step running now, and what was found of it. */
export function called(s) {
  const id = s.reviews && s.reviews.current;
  if (!id || !s.position) return null;
  const it = s.agenda[s.position.item];
  const step = it && it.steps[s.position.step];
  const item = step && step.review && step.review.find((i) => i.id === id);
  if (!item) return null;
  return { item, found: (s.reviews.items && s.reviews.items[id]) || {} };
}

/** The promises the step running now reviews, as the plan holds them (the
 *  longest overdue first). */
export function underReview(s) {
  if (!s.position) return [];
  const it = s.agenda[s.position.item];
  const step = it && it.steps[s.position.step];
  return (step && step.review) || [];
}

/** What this meeting's review found, counted as the core counts it
 *  (`Reviews::tally`; `tests/fold.rs` holds the two together). */
export function tally(s) {
  const t = { delivered: 0, in_progress: 0, not_delivered: 0, unsatisfied: 0 };
  for (const r of Object.values((s.reviews && s.reviews.items) || {})) {
    if (r.outcome && t[r.outcome] !== undefined) t[r.outcome] += 1;
    if (r.rating === 'dissatisfied') t.unsatisfied += 1;
  }
  return t;
}

/** `label：text` in Chinese, `label: text` in English. */
export function labelled(w, label, text) {
  return label + (w.lang === 'zh' ? '：' : ': ') + text;
}

/** One line of what this meeting found: the outcome, a new date, the note. */
export function foundLine(found, w) {
  const f = w.followups;
  const parts = [];
  if (found.outcome) parts.push(f['outcome_' + found.outcome]);
  if (found.due) parts.push(found.due);
  if (found.note) parts.push(found.note);
  return parts.join(' · ');
}

/** The asker's rating, with why: its own line, coloured by it. */
export function ratingLine(found, w) {
  if (!found.rating) return '';
  const said = w.followups[found.rating];
  return labelled(w, w.followups.rating, found.reason ? labelled(w, said, found.reason) : said);
}

/** Sets a line's text and its class from what it says (`base` plus `kind`). */
export function mark(node, base, kind, words) {
  text(node, words);
  const want = base + (words && kind ? ' ' + kind : '');
  if (node.className !== want) node.className = want;
}

/** How late it was when the meeting began, or its due date. */
export function lateness(item, w) {
  return item.days_over > 0 ? w.reviewOverdue(item.days_over) : w.reviewDue(item.deadline);
}

/** The card on a phone: `box` holds `.head`, `.q`, `.promise`, `.late`,
 *  `.found` and `.rate` (the form). `rate(rating, reason, button)` sends it. */
export function drawReview(box, s, me, w, rate) {
  const c = called(s);
  show(box, !!c);
  if (!c) return;
  const { item, found } = c;
  const mine = me && me.id === item.asker;
  text(box.querySelector('.head'), `${w.reviewTitle} · ${item.department_name}`);
  text(box.querySelector('.yours'), mine ? w.reviewYours : `${item.asker_name} · ${item.meeting}`);
  text(box.querySelector('.q'), item.question);
  text(box.querySelector('.promise'), labelled(w, w.reviewPromised, item.promise));
  const late = box.querySelector('.late');
  text(late, lateness(item, w));
  late.classList.toggle('over', item.days_over > 0);
  text(box.querySelector('.done'), item.last ? labelled(w, w.reviewDone, item.last) : '');
  const said = foundLine(found, w);
  mark(box.querySelector('.found'), 'found', found.outcome, said && labelled(w, w.reviewFound, said));
  mark(box.querySelector('.rating'), 'rating', found.rating, ratingLine(found, w));
  const form = box.querySelector('.rate');
  const canRate = mine && found.outcome === 'delivered' && found.rated_by !== me.id;
  show(form, canRate);
  if (!canRate || form.dataset.item === item.id) return;
  // Built once per item, so a reason being typed survives every redraw.
  form.dataset.item = item.id;
  const f = w.followups;
  const send = el('button', { type: 'submit', class: 'wide primary' }, w.reviewSend);
  const reason = el('textarea', { rows: 2, maxlength: 2000, 'aria-label': w.reviewReason, placeholder: w.reviewReason });
  const choices = ['satisfied', 'basically_satisfied', 'dissatisfied'].map((r) => {
    const b = el('button', { type: 'button', class: 'choice', 'data-rating': r, 'aria-pressed': 'false' }, f[r]);
    b.addEventListener('click', () => {
      for (const x of form.querySelectorAll('.choice')) x.setAttribute('aria-pressed', String(x === b));
      reason.required = r === 'dissatisfied';
      // The reason and the send button next, above the action bar.
      send.scrollIntoView({ block: 'center' });
    });
    return b;
  });
  fill(form, el('p', { class: 'ask' }, w.reviewAsk), el('div', { class: 'choices' }, ...choices), reason, send);
  form.onsubmit = (ev) => {
    ev.preventDefault();
    const picked = form.querySelector('.choice[aria-pressed="true"]');
    if (!picked) return;
    if (picked.dataset.rating === 'dissatisfied' && !reason.value.trim()) {
      reason.focus();
      return;
    }
    rate(picked.dataset.rating, reason.value.trim() || null, send);
  };
}
