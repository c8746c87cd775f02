// The protocol, the page's side (docs/protocol.md): hello with the token from the
// link's fragment, the welcome, events applied in seq order, intents answered by
// ack or error, and a connection that comes back by itself, resuming from the last
// seq it holds. A close that would only be refused again (a bad token, a protocol
// the server does not speak) stops it, with the reason; so does one that says the
// participant opened the meeting in another place (4009), or two tabs would take
// turns pushing each other out: the page offers to take it back here instead.

import { setStepKinds, take } from './state.js';

const FINAL = [1002, 1007, 1008, 1009, 4001, 4003];
const REPLACED = 4009;

export class Connection {
  constructor(token, { onState, onEvent, onStatus, onRefused, onNotice, clock }) {
    this.token = token;
    this.onState = onState;
    this.onEvent = onEvent;
    this.onStatus = onStatus;
    this.onRefused = onRefused;
    this.onNotice = onNotice;
    this.clock = clock;
    this.state = null;
    this.seq = 0;
    this.you = null;
    this.backoff = 250;
    this.next = 1;
    this.pending = new Map();
    this.stopped = false;
    this.open();
  }

  url() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return scheme + '//' + location.host + '/ws';
  }

  open() {
    this.onStatus(this.paused ? 'paused' : this.state ? 'reconnecting' : 'connecting');
    const ws = new WebSocket(this.url());
    this.ws = ws;
    ws.onopen = () => {
      const hello = { type: 'hello', protocol: 1, token: this.token, client: 'xieshang-page/1' };
      if (this.state) hello.resume_from = this.seq;
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (m) => this.frame(JSON.parse(m.data));
    ws.onclose = (c) => this.closed(c);
  }

  frame(f) {
    if (this.dropped) return; // another token took this page
    this.clock.hear(f.server_time_ms);
    switch (f.type) {
      case 'welcome':
        // What this seat may do, and what each kind of step allows: the server's.
        this.you = Object.assign({}, f.you, { may: f.may || {} });
        setStepKinds(f.step_kinds);
        this.watch = f.watch || null;
        this.clock.rate = f.clock_rate || 1;
        if (f.state) {
          this.state = f.state;
          this.seq = f.seq;
        }
        this.backoff = 250;
        this.paused = false;
        this.onStatus('open');
        // A fresh state comes with this participant's secret votes; a resumed one
        // leaves what the page holds.
        this.onState(this.state, this.you, f.state ? f.your_votes || [] : null, this.watch);
        break;
      case 'snapshot':
        if (f.seq >= this.seq) {
          this.state = f.state;
          this.seq = f.seq;
          this.onState(this.state, this.you, null, this.watch);
        }
        break;
      case 'event':
        if (f.seq <= this.seq) break; // held already
        if (f.seq !== this.seq + 1) {
          this.ws.close(); // a gap: reconnect and resume
          break;
        }
        if (f.event.kind === 'plan_changed') {
          // The plan was corrected (names, titles, times): take the meeting afresh.
          this.state = null;
          this.seq = 0;
          this.ws.close();
          break;
        }
        const started = performance.now();
        take(this.state, f);
        this.seq = f.seq;
        this.onEvent(f.event, this.state, f.actor);
        measured(started);
        // What a closed meeting came to is the server's to say (its summary).
        if (f.event.kind === 'meeting_closed') this.ws.send(JSON.stringify({ type: 'sync' }));
        break;
      case 'ack':
      case 'error': {
        const done = this.pending.get(f.id);
        if (done) {
          this.pending.delete(f.id);
          done(f.type === 'ack' ? null : f);
        } else if (f.type === 'error') {
          this.onRefused(f);
        }
        break;
      }
      case 'notice':
        // How the server stands (a relay that lost its stream, then found it).
        if (this.onNotice) this.onNotice(f);
        break;
      default:
        break;
    }
  }

  closed(c) {
    for (const done of this.pending.values()) done({ code: 'conflict', reason: 'disconnected' });
    this.pending.clear();
    if (this.stopped) return;
    if (FINAL.includes(c.code)) {
      this.stopped = true;
      this.onStatus('refused', c.code, c.reason);
      return;
    }
    if (c.code === REPLACED) {
      this.stopped = true;
      this.onStatus('replaced', c.code, c.reason);
      return;
    }
    // The chair's console closed: the meeting is paused, not over. Its clocks
    // stand still, the page says so, and it comes back when the chair does.
    if (c.code === 1001 && (c.reason || '').startsWith('chair_left')) {
      // A meeting already closed is over, not paused: nothing comes back.
      if (this.state && this.state.meeting.status === 'closed') {
        this.stopped = true;
        this.clock.stop();
        this.onStatus('ended', c.code, c.reason);
        return;
      }
      this.paused = true;
      this.clock.stop();
    }
    this.onStatus(this.paused ? 'paused' : 'reconnecting');
    setTimeout(() => this.open(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, 5000);
  }

  /** Connects again after the server replaced this connection (4009): the
   *  reader asked to continue here. */
  takeBack() {
    if (!this.stopped) return;
    this.stopped = false;
    this.backoff = 250;
    this.open();
  }

  /** Stops for good: the page is to connect with another token. */
  stop() {
    this.stopped = true;
    this.dropped = true;
    if (this.ws) this.ws.close();
  }

  /** Sends an action; resolves with null when acknowledged, or the error frame. */
  act(action) {
    return new Promise((resolve) => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
        resolve({ code: 'conflict', reason: 'disconnected' });
        return;
      }
      const id = 'p' + this.next++;
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ type: 'intent', id, action }));
    });
  }
}

/** Notes how long an event took to apply and draw, and then the layout of what
 *  it changed (forced now, so that it is counted): `window.xieshang.timings` and
 *  `.layouts`, the last thousand of each. */
function measured(started) {
  const x = window.xieshang;
  if (!x || !x.timings) return;
  const drawn = performance.now();
  void document.body.offsetHeight;
  x.timings.push(drawn - started);
  x.layouts.push(performance.now() - drawn);
  if (x.timings.length > 1000) {
    x.timings.shift();
    x.layouts.shift();
  }
}

/** The token in the link's fragment (`/join#t=TOKEN`): never in a path or query.
 *  It is kept for reloads in this tab's session storage and taken out of the
 *  address bar (and so out of the history and of a shared screen). */
export function tokenFromFragment() {
  return tokenFrom(location.hash);
}

/** A token newly given in the link's fragment (a tab whose link changed to
 *  another `#t=`), taken as `tokenFromFragment` takes one; else ''. */
export function newTokenInFragment() {
  return new URLSearchParams(location.hash.slice(1)).get('t') ? tokenFromFragment() : '';
}

function tokenFrom(hash) {
  const key = 'xieshang-token:' + location.pathname;
  const params = new URLSearchParams(hash.slice(1));
  const given = params.get('t');
  if (given) {
    try {
      sessionStorage.setItem(key, given);
    } catch (_) {
      // Storage refused (a private window): a reload needs the link again.
    }
    params.delete('t');
    const rest = params.toString();
    history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
    return given;
  }
  try {
    return sessionStorage.getItem(key) || '';
  } catch (_) {
    return '';
  }
}
