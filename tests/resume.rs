//! Clients that resume from far back (issue 35, item 3): what only the journal
//! still holds is read back off the hub's task, by a few readers at a time; a
//! client that finds them all busy, or that missed more than is worth reading
//! back, is sent the state instead (`resumed: false`), and the meeting is never
//! held up by any of it.

use crate::common::meeting::ok;
use crate::common::PLAN;
use futures_util::{SinkExt, StreamExt};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;
use xieshang::client::Client;
use xieshang::hub::task::{self, HubHandle};
use xieshang::hub::Hub;
use xieshang::journal::{self, Journal};
use xieshang::meeting::scenario::parse_plan;
use xieshang::meeting::{execute, Command, Ctx, Mode, State};
use xieshang::server::{self, Config, Tokens};

const T0: u64 = 1_795_000_000_000;

/// A meeting whose journal already holds `events` events (three questions
/// edited again and again to texts of `text_chars` characters when that is not
/// 0, else hands raised and withdrawn), served on loopback by a hub that keeps
/// the last `recent` in memory.
struct Served {
    url: String,
    hub: HubHandle,
    tokens: BTreeMap<String, String>,
    _dir: tempfile::TempDir,
}

async fn served(events: usize, text_chars: usize, recent: usize) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let plan = parse_plan("test.toml", PLAN).unwrap();
    let path = dir.path().join("m.journal");
    let digest = journal::digest(PLAN.as_bytes());
    let mut j = Journal::open_or_create(&path, &plan, &digest, T0)
        .unwrap()
        .journal;
    let mut state = State::new(std::sync::Arc::new(plan.clone()));
    let mut all = Vec::with_capacity(events);
    let mut now = T0;
    let mut run = |state: &mut State, who: &str, c: Command, all: &mut Vec<_>| {
        now += 10;
        all.extend(execute(state, c, Ctx::by(who, now)).unwrap());
    };
    run(&mut state, "chair", Command::StartMeeting, &mut all);
    let to_questions = Command::GotoStep { item: 0, step: 1 };
    run(&mut state, "chair", to_questions, &mut all);
    let texts = [
        "问".repeat(text_chars.max(1)),
        "答".repeat(text_chars.max(1)),
    ];
    let members = ["m01", "m02", "m03"];
    let mut i = 0;
    while all.len() < events {
        let who = members[i % 3];
        let command = if text_chars > 0 && i < 3 {
            Command::SubmitQuestion {
                department: "eco".into(),
                text: texts[0].clone(),
                asker: None,
            }
        } else if text_chars > 0 {
            Command::EditQuestion {
                question: format!("q{}", i % 3 + 1),
                text: texts[(i / 3) % 2].clone(),
            }
        } else if (i / 3) % 2 == 0 {
            Command::RaiseHand { mode: Mode::Normal }
        } else {
            Command::WithdrawHand
        };
        run(&mut state, who, command, &mut all);
        i += 1;
    }
    all.truncate(events);
    for chunk in all.chunks(4096) {
        j.append(chunk.to_vec()).unwrap();
    }
    j.close().unwrap();

    let tokens = Tokens::load_or_create(&server::tokens::path_for(&path), &plan).unwrap();
    let ids = tokens
        .all()
        .into_iter()
        .map(|(t, y)| (y.id.clone(), t.to_string()))
        .collect();
    let opened = Hub::open(plan, &digest, &path, xieshang::clock::now_ms()).unwrap();
    assert_eq!(opened.history.len(), events);
    let (hub, _) = task::spawn_keeping(opened.hub, &opened.history, recent);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/ws", listener.local_addr().unwrap());
    tokio::spawn(server::run(
        listener,
        hub.clone(),
        tokens,
        Config::default(),
        std::future::pending::<()>(),
    ));
    Served {
        url,
        hub,
        tokens: ids,
        _dir: dir,
    }
}

/// A raw client that says hello with `resume_from` and reads its welcome:
/// whether it resumed, and the welcome's `seq`.
async fn hello_from(
    url: &str,
    token: &str,
    from: u64,
) -> (
    bool,
    u64,
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
) {
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let hello =
        format!(r#"{{"type":"hello","protocol":1,"token":"{token}","resume_from":{from}}}"#);
    ws.send(Message::text(hello)).await.unwrap();
    loop {
        if let Some(Ok(Message::Text(t))) = ws.next().await {
            let v: serde_json::Value = serde_json::from_str(&t).unwrap();
            if v["type"] == "welcome" {
                return (v["resumed"] == true, v["seq"].as_u64().unwrap(), ws);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_missed_too_much_gets_the_state_and_one_nearer_the_events() {
    let recent = 16;
    let events = recent + task::FROM_JOURNAL_AT_MOST as usize + 100;
    let s = served(events, 0, recent).await;
    let observer = &s.tokens["o01"];
    // From the start: more than is worth reading back.
    let (resumed, seq, _) = hello_from(&s.url, observer, 1).await;
    assert!(!resumed, "resumed from 1 of {events}");
    assert_eq!(seq, events as u64);
    // From further back than memory, within the bound: the events, read back.
    let from = events as u64 - task::FROM_JOURNAL_AT_MOST;
    let held = Client::connect(&s.url, observer, None).await.unwrap();
    let state = held.state.clone();
    held.close().await;
    let (resumed, _, mut ws) = hello_from(&s.url, observer, from).await;
    assert!(resumed, "from {from}");
    let mut expected = from + 1;
    while expected <= events as u64 {
        let Some(Ok(Message::Text(t))) = ws.next().await else {
            panic!("the connection ended at {expected}");
        };
        let v: serde_json::Value = serde_json::from_str(&t).unwrap();
        assert_eq!(v["type"], "event", "{t:.200}");
        assert_eq!(v["seq"], expected, "every event once, in order");
        expected += 1;
    }
    // And the library's client, resuming from there, holds the meeting.
    let back = Client::connect(&s.url, observer, Some((state, events as u64))).await;
    assert_eq!(back.unwrap().seq, events as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_reading_back_hold_up_neither_the_meeting_nor_anyone_else() {
    // 6,000 edits of 600 characters each: some 12 MB of frames to read back,
    // more than two sockets that nobody reads can take.
    let (events, recent) = (6_000, 16);
    let s = served(events, 600, recent).await;
    let observer = &s.tokens["o01"];
    let mut stuck = Vec::new();
    for _ in 0..task::READ_BACK_PLACES {
        let (resumed, _, ws) = hello_from(&s.url, observer, 1).await;
        assert!(
            resumed,
            "a client resuming from 1 of {events} is sent the events"
        );
        stuck.push(ws); // and never reads them
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Every reader's place is taken: the next client is sent the state at once.
    let asked = Instant::now();
    let (resumed, seq, _) = hello_from(&s.url, observer, 1).await;
    assert!(!resumed, "a third reader was let in");
    assert!(seq >= events as u64);
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "{:?}",
        asked.elapsed()
    );
    // The meeting goes on meanwhile.
    let mut chair = Client::connect(&s.url, &s.tokens["chair"], None)
        .await
        .unwrap();
    for _ in 0..5 {
        let asked = Instant::now();
        for seconds in [60, -60] {
            let extend = Command::ExtendTimer {
                timer: xieshang::meeting::TimerName::Step,
                seconds,
            };
            ok(&mut chair, extend).await;
        }
        assert!(
            asked.elapsed() < Duration::from_millis(500),
            "two intents took {:?}",
            asked.elapsed()
        );
    }
    // A reader that goes gives its place back.
    drop(stuck.pop());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (resumed, _, _) = hello_from(&s.url, observer, 1).await;
        if resumed {
            break;
        }
        assert!(Instant::now() < deadline, "the place was never given back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(s.hub.failure().is_none());
}
