//! Clients resuming from far back while the meeting goes on (issue 35, item 3):
//! a journal of 61,009 events, `RESUME_CLIENTS` clients (50) each saying hello
//! with `resume_from: 1`, reading what they are sent until they hold the
//! meeting, and saying hello again, for `RESUME_SECONDS` (10); meanwhile the
//! chair extends the step's timer every 100 ms and each acknowledgement is timed.
//! The server's peak RSS (VmHWM) is read at the end.
//!
//! cargo bench --bench resume
//! FANOUT_BIN=/path/to/an/older/xieshang cargo bench --bench resume   (before)
//! RESUME_FROM=41009 cargo bench --bench resume    (20,000 events back: read
//!     back from the journal, as far back as the server still does)

use futures_util::{SinkExt, StreamExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;
use xieshang::journal::{self, Journal};

#[path = "workload.rs"]
mod workload;

#[path = "fanout/server.rs"]
mod server;

use server::{event_seq, Server};

const EVENTS: usize = 61_009;

/// A journal of the workload's events, `EVENTS` of them, and its plan beside it.
fn meeting(dir: &Path) -> (PathBuf, PathBuf) {
    let plan = dir.join("plan.toml");
    std::fs::write(&plan, workload::SCENARIO).unwrap();
    let path = dir.join("m.journal");
    let mut j = Journal::open_or_create(
        &path,
        &workload::plan(),
        &journal::digest(workload::SCENARIO.as_bytes()),
        workload::T0,
    )
    .unwrap()
    .journal;
    use xieshang::meeting::{execute, Command, Ctx, State};
    let mut state = State::new(workload::plan());
    let mut events = execute(
        &mut state,
        Command::StartMeeting,
        Ctx::by("chair", workload::T0),
    )
    .unwrap();
    let goto = Command::GotoStep { item: 0, step: 3 };
    events.extend(execute(&mut state, goto, Ctx::by("chair", workload::T0)).unwrap());
    events.extend(workload::run(&mut state, (EVENTS / 16 + 1) as u64));
    events.truncate(EVENTS);
    for chunk in events.chunks(10_000) {
        j.append(chunk.to_vec()).unwrap();
    }
    j.close().unwrap();
    (plan, path)
}

/// What one hello with `resume_from` came to: whether the events were sent
/// (else the state), and how many frames were read.
async fn resume_once(url: &str, token: &str, from: u64) -> Option<(bool, u64)> {
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.ok()?;
    let hello =
        format!(r#"{{"type":"hello","protocol":1,"token":"{token}","resume_from":{from}}}"#);
    ws.send(Message::text(hello)).await.ok()?;
    let (resumed, seq) = loop {
        match ws.next().await? {
            Ok(Message::Text(t)) if t.starts_with(r#"{"type":"welcome""#) => {
                let resumed = t.contains(r#""resumed":true"#);
                let at = t.find(r#""seq":"#)? + 6;
                let seq: u64 = t[at..]
                    .split(|c: char| !c.is_ascii_digit())
                    .next()?
                    .parse()
                    .ok()?;
                break (resumed, seq);
            }
            Ok(_) => {}
            Err(_) => return None,
        }
    };
    let mut frames = 1;
    if resumed {
        loop {
            match ws.next().await? {
                Ok(Message::Text(t)) => {
                    frames += 1;
                    if event_seq(&t).is_some_and(|s| s >= seq) {
                        break;
                    }
                }
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }
    let _ = ws.close(None).await;
    Some((resumed, frames))
}

fn main() {
    let clients: usize = std::env::var("RESUME_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let seconds: u64 = std::env::var("RESUME_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let from: u64 = std::env::var("RESUME_FROM")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let (plan, journal) = meeting(dir.path());
    let size = std::fs::metadata(&journal).unwrap().len();
    println!(
        "resume: a journal of {EVENTS} events ({:.1} MB), {clients} clients resuming from {from} for {seconds} s",
        size as f64 / 1e6
    );
    let server = Server::xieshang(&plan, &journal);
    let tokens: std::collections::BTreeMap<String, String> = serde_json::from_slice(
        &std::fs::read(xieshang::server::tokens::path_for(&journal)).unwrap(),
    )
    .unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let rss_before = server.rss_kib();
    let (acks, resumes) = runtime.block_on(async {
        let until = Instant::now() + Duration::from_secs(seconds);
        let mut loopers = Vec::new();
        for _ in 0..clients {
            let (url, token) = (server.url.clone(), tokens["o01"].clone());
            loopers.push(tokio::spawn(async move {
                let mut done = Vec::new();
                while Instant::now() < until {
                    if let Some(r) = resume_once(&url, &token, from).await {
                        done.push(r);
                    }
                }
                done
            }));
        }
        // The chair on a thread and runtime of its own: what is timed is the
        // server's answer, not this process's queue behind the loopers.
        let (url, token) = (server.url.clone(), tokens["chair"].clone());
        let chair = std::thread::spawn(move || {
            let own = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            own.block_on(async move {
                let mut chair = xieshang::client::Client::connect(&url, &token, None)
                    .await
                    .unwrap();
                let mut acks = Vec::new();
                let mut n = 0i64;
                while Instant::now() < until {
                    let seconds = if n % 2 == 0 { 60 } else { -60 };
                    n += 1;
                    let asked = Instant::now();
                    let extend = xieshang::meeting::Command::ExtendTimer {
                        timer: xieshang::meeting::TimerName::Step,
                        seconds,
                    };
                    match chair.intent(extend).await {
                        Ok(Ok(_)) => acks.push(asked.elapsed()),
                        other => panic!("the chair's intent: {other:?}"),
                    }
                    let pause = Duration::from_millis(100).saturating_sub(asked.elapsed());
                    tokio::time::sleep(pause).await;
                }
                acks
            })
        });
        let mut resumes = Vec::new();
        for l in loopers {
            resumes.extend(l.await.unwrap());
        }
        (chair.join().unwrap(), resumes)
    });
    let peak = std::fs::read_to_string(format!("/proc/{}/status", server.child.id()))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    let mut acks = acks;
    acks.sort();
    let at = |q: f64| acks[((acks.len() - 1) as f64 * q).round() as usize];
    let read_back = resumes.iter().filter(|r| r.0).count();
    let frames: u64 = resumes.iter().map(|r| r.1).sum();
    println!(
        "the chair's acknowledgements: {} of them, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        acks.len(),
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        acks.last().unwrap().as_secs_f64() * 1e3
    );
    println!(
        "resumes: {} done ({} sent the events, {} the state), {frames} frames read",
        resumes.len(),
        read_back,
        resumes.len() - read_back
    );
    println!(
        "the server's RSS: {:.0} MB at the start, peak {:.0} MB",
        rss_before as f64 / 1024.0,
        peak as f64 / 1024.0
    );
}
