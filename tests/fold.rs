//! The page keeps the meeting by folding events in `state.js`; the server, by the
//! core's `apply`. Two folds of one meeting must agree at every seq: a corpus of
//! recorded meetings (every bundled scenario simulated, and a scripted one that
//! takes every kind of event) is replayed through `state.js` in Chromium, frame by
//! frame as the server sends them, and the page's state after each event is held
//! to the state the core reaches, as the server would send it; and the screen the
//! projector page chooses for that state (`screenOf`) to the core's
//! (`State::screen`), which the terminal's projector draws by.

use crate::common::browser::Browser;
use crate::common::corpus::{self, Recorded};
use crate::common::room::{free_port, zh_plan};
use crate::common::serve::Serve;
use serde_json::{json, Value};
use xieshang::meeting::snapshot::{NextView, Snapshot};
use xieshang::meeting::{apply, secret, EventKind, Screen, State};
use xieshang::protocol::ServerFrame;

/// The state a page is sent (`welcome.state`, `snapshot.state`).
fn page_state(state: &State) -> Value {
    let snapshot = Snapshot::of(&secret::public_state(state));
    serde_json::to_value(snapshot.contract_view()).unwrap()
}

/// JSON with its keys sorted and whole numbers without a point, as the page
/// writes it (`canon` in the script below).
fn canon(v: &Value) -> String {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<_> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", Value::String((*k).clone()), canon(&map[*k])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => {
            format!(
                "[{}]",
                items.iter().map(canon).collect::<Vec<_>>().join(",")
            )
        }
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap();
            if f.fract() == 0.0 && f.abs() < 9e15 {
                format!("{}", f as i64)
            } else {
                format!("{f}")
            }
        }
        other => other.to_string(),
    }
}

/// FNV-1a over UTF-16 code units, as the page computes it.
fn fnv(text: &str) -> u32 {
    text.encode_utf16().fold(0x811c_9dc5u32, |h, u| {
        (h ^ u32::from(u)).wrapping_mul(0x0100_0193)
    })
}

/// The frames the server sends for `meeting`, the hash of the page's state after
/// each, and the state itself where the page takes it afresh rather than folds
/// (a corrected plan reconnects; a closed meeting asks for a `sync`); the
/// projector's screen before the first and after each.
struct Expected {
    initial: Value,
    frames: Vec<Value>,
    hashes: Vec<u32>,
    afresh: serde_json::Map<String, Value>,
    states: Vec<Value>,
    screens: Vec<Screen>,
    /// Each department's questions by outcome (`Coverage`, the one count the
    /// consoles and the minutes show), before the first event and after each.
    boards: Vec<String>,
}

/// The core's counts for every department of `state`, as the page's `board`
/// says them: `id:answered,follow_up,declined,pending,carried;…`, then what
/// the review found (`Reviews::tally`): `|delivered,in_progress,not_delivered,unsatisfied`.
fn boards(state: &State) -> String {
    let t = state.reviews.tally();
    let review = format!(
        "|{},{},{},{}",
        t.delivered, t.in_progress, t.not_delivered, t.unsatisfied
    );
    state
        .plan
        .departments
        .iter()
        .map(|d| {
            let c = state.coverage(&d.id);
            format!(
                "{}:{},{},{},{},{}",
                d.id, c.answered, c.follow_up, c.declined, c.pending, c.carried
            )
        })
        .collect::<Vec<_>>()
        .join(";")
        + &review
}

fn expected(meeting: &Recorded) -> Expected {
    let mut state = State::new(meeting.plan.clone());
    let initial = page_state(&state);
    let mut out = Expected {
        initial,
        frames: Vec::new(),
        hashes: Vec::new(),
        afresh: serde_json::Map::new(),
        states: Vec::new(),
        screens: vec![state.screen()],
        boards: vec![boards(&state)],
    };
    for (i, entry) in meeting.entries.iter().enumerate() {
        apply(&mut state, &entry.to_event());
        let next = NextView::of(&state);
        let frame = ServerFrame::public_event(entry, &state.plan, 0, next);
        out.frames.push(serde_json::to_value(&frame).unwrap());
        let now = page_state(&state);
        out.hashes.push(fnv(&canon(&now)));
        if matches!(
            entry.event,
            EventKind::PlanChanged { .. } | EventKind::MeetingClosed
        ) {
            out.afresh.insert(i.to_string(), now.clone());
        }
        out.states.push(now);
        out.screens.push(state.screen());
        out.boards.push(boards(&state));
    }
    out
}

/// Folds the frames in the page's own `state.js`, the projector's; `null` when
/// every state and every screen agrees, else the first state that does not,
/// `{at, state}`, or the first screen, `{after, screen}` (`after` events).
const FOLD: &str = r#"
const [kinds, initial, frames, hashes, afresh, screens, boards, done] = arguments;
const projector = document.querySelector('script[type=module]').src;
const beside = (name) => projector.replace(/projector\.js.*$/, name);
Promise.all([import(beside('state.js')), import(projector), import(beside('view.js')), import(beside('review_card.js'))]).then(([m, p, v, r]) => {
  const board = (s) => {
    const t = r.tally(s);
    return v.board(s).map((d) => `${d.id}:${d.count.answered},${d.count.follow_up},${d.count.declined},${d.count.pending},${d.count.carried}`).join(';')
      + `|${t.delivered},${t.in_progress},${t.not_delivered},${t.unsatisfied}`;
  };
  const canon = (v) => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    if (Array.isArray(v)) return '[' + v.map((x) => (x === undefined ? 'null' : canon(x))).join(',') + ']';
    return '{' + Object.keys(v).sort().filter((k) => v[k] !== undefined)
      .map((k) => JSON.stringify(k) + ':' + canon(v[k])).join(',') + '}';
  };
  const fnv = (t) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193) >>> 0;
    return h >>> 0;
  };
  m.setStepKinds(kinds);
  let s = structuredClone(initial);
  if (p.screenOf(s) !== screens[0]) return done({ after: 0, screen: p.screenOf(s) });
  if (board(s) !== boards[0]) return done({ after: 0, board: board(s) });
  for (let i = 0; i < frames.length; i++) {
    m.take(s, frames[i]);
    if (afresh[i]) s = structuredClone(afresh[i]);
    if (fnv(canon(s)) !== hashes[i]) return done({ at: i, state: JSON.parse(canon(s)) });
    if (p.screenOf(s) !== screens[i + 1]) return done({ after: i + 1, screen: p.screenOf(s) });
    if (board(s) !== boards[i + 1]) return done({ after: i + 1, board: board(s) });
  }
  done(null);
}, (e) => done({ at: -1, state: String(e) }));
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_fold_agrees_with_the_cores_at_every_event_of_a_corpus_of_meetings() {
    let Some(mut browser) = Browser::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut meetings = corpus::simulated(dir.path());
    meetings.push(corpus::scripted());
    // The corpus takes every kind of event there is.
    let kinds: std::collections::BTreeSet<&str> = meetings
        .iter()
        .flat_map(|m| m.entries.iter().map(|e| e.event.name()))
        .collect();
    use strum::EnumCount;
    assert_eq!(kinds.len(), EventKind::COUNT, "every kind: {kinds:?}");
    // And every screen a projector has.
    let screens: std::collections::BTreeSet<Screen> =
        meetings.iter().flat_map(|m| expected(m).screens).collect();
    assert_eq!(
        screens.len(),
        Screen::ALL.len(),
        "every screen: {screens:?}"
    );

    // The projector's page loads `state.js` and `projector.js`, the server's own
    // assets (with no token, it holds no meeting of its own).
    let plan = zh_plan(dir.path());
    let port = free_port();
    let _server = Serve::start(
        &plan,
        &dir.path().join("m.journal"),
        &format!("127.0.0.1:{port}"),
    );
    let page = browser.window(1280, 720).await;
    page.goto(&format!("http://127.0.0.1:{port}/projector"))
        .await
        .unwrap();
    let table = serde_json::to_value(xieshang::meeting::StepKind::table()).unwrap();
    let mut events = 0;
    for meeting in &meetings {
        let e = expected(meeting);
        assert!(!e.frames.is_empty(), "{}: a meeting", meeting.name);
        let found = page
            .execute_async(
                FOLD,
                vec![
                    table.clone(),
                    e.initial.clone(),
                    json!(e.frames),
                    json!(e.hashes),
                    Value::Object(e.afresh.clone()),
                    json!(e.screens),
                    json!(e.boards),
                ],
            )
            .await
            .unwrap();
        if let Some(after) = found.get("after").and_then(Value::as_u64) {
            let after = after as usize;
            let event = after
                .checked_sub(1)
                .map_or("none", |i| meeting.entries[i].event.name());
            if let Some(board) = found.get("board") {
                panic!(
                    "{}: after event {after} ({event}), the page counts {board} where the core counts {}",
                    meeting.name, e.boards[after]
                );
            }
            panic!(
                "{}: after event {after} ({event}), the projector page shows {} where the core shows {}",
                meeting.name,
                found["screen"],
                e.screens[after].name()
            );
        }
        if !found.is_null() {
            let at = found["at"].as_i64().unwrap();
            assert!(at >= 0, "state.js did not load: {}", found["state"]);
            let at = at as usize;
            // Only the parts that differ: a whole state is pages long.
            let (page, core) = (&found["state"], &e.states[at]);
            let differ: Vec<String> = core
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, v)| page.get(k.as_str()) != Some(*v))
                .map(|(k, v)| format!("{k}: page {} / core {v}", page[k.as_str()]))
                .collect();
            assert!(
                differ.is_empty() && page == core,
                "{}: after event {} ({}), the page's state is not the core's:\n{}",
                meeting.name,
                at + 1,
                meeting.entries[at].event.name(),
                differ.join("\n")
            );
            panic!(
                "{}: after event {}: the same state, but not the same JSON text",
                meeting.name,
                at + 1
            );
        }
        events += e.frames.len();
    }
    assert!(events > 400, "a corpus of some size ({events} events)");
    page.close().await.unwrap();
}

#[test]
fn the_tests_canonical_json_is_the_pages() {
    // Keys sorted, whole numbers plain, strings as JSON writes them.
    let v = json!({"b": [1, 2.0, "引\"号"], "a": {"d": null, "c": true}});
    assert_eq!(canon(&v), r#"{"a":{"c":true,"d":null},"b":[1,2,"引\"号"]}"#);
    assert_ne!(fnv("a"), fnv("b"));
    // FNV-1a of "a" (one UTF-16 unit, 0x61), as the script's loop gives it.
    assert_eq!(fnv("a"), 0xe40c_292c);
}
