// The meeting as the page holds it: the welcome's state, kept by applying each
// event exactly as the server's `meeting::apply` does (meeting/src/apply.rs), so
// that the page and the server agree at every seq. What takes a rule rather
// than a fold (who is next, what a step or a role allows) comes from the server:
// `next` in every event frame, the step kinds' traits and `may` in the welcome.
// A browser test folds a corpus of journals here and holds every seq to the
// server's own state.

const RANK = { point_of_order: 0, reply: 1, normal: 2 };

export function elapsedAt(t, now) {
  return t.running ? t.elapsed_ms + Math.max(0, now - t.as_of_ms) : t.elapsed_ms;
}

function timerOf(s, name) {
  if (name === 'floor') return s.floor ? s.floor.timer : null;
  return s.step ? s.step.timer : null;
}

function queueRemove(s, id) {
  const i = s.queue.findIndex((e) => e.participant === id);
  if (i >= 0) s.queue.splice(i, 1);
}

function queueInsert(s, entry) {
  if (s.queue.some((e) => e.participant === entry.participant)) return;
  let at = 0;
  s.queue.forEach((e, i) => {
    if (RANK[e.mode] <= RANK[entry.mode]) at = i + 1;
  });
  s.queue.splice(at, 0, entry);
}

function stepOf(s, item, step) {
  const it = s.agenda[item];
  return it ? it.steps[step] : null;
}

/** 回头看: what this meeting found of earlier promise `id`. */
function review(s, id) {
  if (!s.reviews) s.reviews = {};
  if (!s.reviews.items) s.reviews.items = {};
  if (!s.reviews.items[id]) s.reviews.items[id] = {};
  return s.reviews.items[id];
}

function poll(s, id) {
  let p = s.polls.find((x) => x.id === id);
  if (!p) {
    p = { id, open: false, votes: [] };
    s.polls.push(p);
    s.polls.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return p;
}

/** Folds one `event` frame into `s`: the event, and who is next as the server
 *  says it. */
export function take(s, f) {
  apply(s, f.event, Date.parse(f.at), f.actor);
  s.next = f.next || null;
}

/** Folds one event (`kind` and its fields) that happened at `at` (ms), done by
 * `actor` (a participant's id), into `s`. */
export function apply(s, ev, at, actor) {
  switch (ev.kind) {
    case 'meeting_started':
      s.meeting.status = 'running';
      break;
    case 'meeting_closed':
      s.meeting.status = 'closed';
      s.position = null;
      s.step = null;
      s.floor = null;
      break;
    case 'step_started': {
      const st = stepOf(s, ev.item, ev.step);
      s.position = { item: ev.item, step: ev.step };
      // A step the plan does not have shows as none, as the server's state does.
      s.step = st && {
        kind: st.kind,
        title: st.title,
        timer: { limit_ms: ev.limit_ms, elapsed_ms: ev.elapsed_ms, running: true, as_of_ms: at },
        spoken: [],
      };
      break;
    }
    case 'step_ended':
      if (s.position && s.position.item === ev.item && s.position.step === ev.step) {
        s.position = null;
        s.step = null;
        if (s.reviews) delete s.reviews.current;
      }
      break;
    case 'floor_granted':
      queueRemove(s, ev.participant);
      if (s.step && !s.step.spoken.includes(ev.participant)) s.step.spoken.push(ev.participant);
      s.floor = {
        speaker: ev.participant,
        mode: ev.mode,
        source: ev.source,
        timer: { limit_ms: ev.limit_ms, elapsed_ms: 0, running: true, as_of_ms: at },
      };
      break;
    case 'turn_ended':
      s.floor = null;
      break;
    case 'timer_paused': {
      const t = timerOf(s, ev.timer);
      if (t) {
        t.elapsed_ms = elapsedAt(t, at);
        t.as_of_ms = Math.max(at, t.as_of_ms);
        t.running = false;
      }
      break;
    }
    case 'timer_resumed': {
      const t = timerOf(s, ev.timer);
      if (t) {
        t.as_of_ms = Math.max(at, t.as_of_ms);
        t.running = true;
      }
      break;
    }
    case 'timer_extended': {
      const t = timerOf(s, ev.timer);
      if (t) t.limit_ms = ev.limit_ms;
      break;
    }
    case 'hand_raised':
    case 'queue_added':
      queueInsert(s, { participant: ev.participant, mode: ev.mode, since_ms: at });
      break;
    case 'hand_withdrawn':
    case 'queue_removed':
      queueRemove(s, ev.participant);
      break;
    case 'queue_moved': {
      const i = s.queue.findIndex((e) => e.participant === ev.participant);
      if (i >= 0) {
        const [e] = s.queue.splice(i, 1);
        s.queue.splice(Math.min(ev.position, s.queue.length), 0, e);
      }
      break;
    }
    case 'queue_closed':
      s.queue_open = false;
      break;
    case 'queue_opened':
      s.queue_open = true;
      break;
    case 'question_submitted':
      s.questions.push({
        id: ev.question,
        asker: ev.asker,
        department: ev.department,
        text: ev.text,
        status: 'pending',
        note: null,
        at: s.position ? { item: s.position.item, step: s.position.step } : null,
        asked_ms: at,
        carried: false,
        answers: [],
      });
      break;
    case 'question_answered': {
      const q = s.questions.find((x) => x.id === ev.question);
      if (q) {
        q.status = ev.status;
        q.note = ev.note === undefined ? null : ev.note;
        q.carried = false;
        q.answers.push({ by: actor || '', status: ev.status, note: q.note, at_ms: at });
      }
      break;
    }
    case 'question_withdrawn': {
      const q = s.questions.find((x) => x.id === ev.question);
      if (q) q.status = 'withdrawn';
      break;
    }
    case 'question_edited': {
      const q = s.questions.find((x) => x.id === ev.question);
      if (q) q.text = ev.text;
      break;
    }
    case 'questions_carried':
      for (const id of ev.questions) {
        const q = s.questions.find((x) => x.id === id);
        // Unanswered, carried to follow-up: still pending, nothing promised.
        if (q) q.carried = true;
      }
      break;
    case 'poll_opened': {
      const p = poll(s, ev.poll);
      p.open = true;
      delete p.revealed;
      break;
    }
    case 'poll_closed': {
      const p = s.polls.find((x) => x.id === ev.poll);
      if (p) {
        p.open = false;
        // A secret poll tells its tallies here, once; its votes came without choices.
        if (ev.results) p.revealed = ev.results;
        else delete p.revealed;
      }
      break;
    }
    case 'vote_cast': {
      const p = poll(s, ev.poll);
      const target = ev.target === undefined ? null : ev.target;
      const old = p.votes.find((v) => v.voter === ev.voter && v.target === target);
      if (old) old.choice = ev.choice;
      else {
        p.votes.push({ target, voter: ev.voter, choice: ev.choice });
        p.votes.sort((a, b) => key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
      }
      break;
    }
    case 'participant_added': {
      // A walk-in: one more participant, offline until they connect.
      const p = ev.participant;
      if (!s.participants.some((x) => x.id === p.id)) {
        s.participants.push({ id: p.id, name: p.name, role: p.role, sector: p.sector || null, department: p.department || null, online: false });
      }
      break;
    }
    case 'attendance_marked': {
      const p = s.participants.find((x) => x.id === ev.participant);
      if (p) {
        if (ev.mark) p.attendance = ev.mark;
        else delete p.attendance;
      }
      break;
    }
    case 'review_called': {
      const r = review(s, ev.item);
      s.reviews.current = ev.item;
      if (r.called_ms === undefined) r.called_ms = at;
      // A new item is a new round: its department reports afresh.
      if (s.step) s.step.spoken = [];
      break;
    }
    case 'review_recorded': {
      const r = review(s, ev.item);
      r.outcome = ev.outcome;
      if (ev.due) r.due = ev.due;
      else delete r.due;
      if (ev.note) r.note = ev.note;
      else delete r.note;
      if (ev.outcome !== 'delivered') {
        delete r.rating;
        delete r.reason;
        delete r.rated_by;
      }
      break;
    }
    case 'review_rated': {
      const r = review(s, ev.item);
      r.rating = ev.rating;
      if (ev.reason) r.reason = ev.reason;
      else delete r.reason;
      if (actor) r.rated_by = actor;
      else delete r.rated_by;
      break;
    }
    case 'presence_changed': {
      const p = s.participants.find((x) => x.id === ev.participant);
      if (p) p.online = ev.online;
      break;
    }
    default:
      break; // a kind this page does not know: a newer server; ignored
  }
}

// Votes in the server's order: the overall rating (no target) first, then by
// target and voter.
function key(v) {
  return (v.target === null ? '0' : '1' + v.target) + '\u0000' + v.voter;
}

// What each kind of step allows and shows, as the server says it in the
// welcome (`StepKind::traits`): the page asks these, never a kind's name.
let KINDS = {};

/** Takes the table of step kinds from a welcome. */
export function setStepKinds(table) {
  KINDS = table || {};
}

/** What the current step allows and shows (`board`, `poll`, …): nothing when
 *  no step runs. */
export function stepTraits(s) {
  return (s.step && KINDS[s.step.kind]) || {};
}

/** The poll of the step at the current position, with its plan and state. */
export function currentPoll(s) {
  if (!s.position) return null;
  const st = stepOf(s, s.position.item, s.position.step);
  if (!st || !st.poll) return null;
  const p = s.polls.find((x) => x.id === st.poll.id) || { id: st.poll.id, open: false, votes: [] };
  return Object.assign({}, st.poll, { open: p.open, votes: p.votes, revealed: p.revealed });
}

/** Counts per target (or one overall), every choice, zeros included; a secret
 *  poll's as its closing told them (none while it is open). */
export function tally(p) {
  if (p.secret) {
    return (p.revealed || []).map((t) => ({
      target: t.target === undefined ? null : t.target,
      counts: t.counts.map(([choice, votes]) => ({ choice, votes })),
      voters: t.voters,
    }));
  }
  const targets = p.targets.length ? p.targets : [null];
  return targets.map((target) => {
    const counts = p.choices.map((c) => ({ choice: c, votes: 0 }));
    let voters = 0;
    for (const v of p.votes) {
      if (v.target !== target) continue;
      voters += 1;
      const slot = counts.find((c) => c.choice === v.choice);
      if (slot) slot.votes += 1;
    }
    return { target, counts, voters };
  });
}

/** The server's clock as heard: its time in the last frame, advanced by the local
 *  time since, at the server's rate. */
export class ServerClock {
  constructor() {
    this.server = Date.now();
    this.heard = performance.now();
    this.rate = 1;
  }
  hear(serverTimeMs) {
    if (typeof serverTimeMs === 'number') {
      this.server = serverTimeMs;
      this.heard = performance.now();
      this.stopped = undefined;
    }
  }
  /** The meeting is paused (the chair's console closed): time stands still. */
  stop() {
    if (this.stopped === undefined) this.stopped = this.now();
  }
  now() {
    if (this.stopped !== undefined) return this.stopped;
    return this.server + (performance.now() - this.heard) * this.rate;
  }
}
