//! Every long-running command stops when told: SIGTERM or SIGINT closes each
//! connection with 1001, the journal is left complete and its lock released (a
//! second `serve` on it starts at once), and the process exits 0, whatever NATS is
//! doing; a second signal ends it at once. Real processes, real signals.

use crate::common::broadcast::{ok, reach, viewer, Broadcast};
use crate::common::room::{free_port, tokens_of, zh_plan};
use crate::common::serve::Serve;
use crate::common::tmux::Tmux;
use std::path::Path;
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};
use xieshang::client::{Client, ClientError};
use xieshang::meeting::{Command as Act, Mode};

/// Sends `signal` (`TERM`, `INT`) to a process.
fn signal(pid: u32, signal: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "kill -{signal} {pid}");
}

/// Waits for a child to exit, at most `limit`; its status and how long it took.
fn exits_within(child: &mut Child, limit: Duration) -> (ExitStatus, Duration) {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, start.elapsed());
        }
        assert!(
            start.elapsed() < limit,
            "still running {:?} after the signal",
            start.elapsed()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Reads until the connection closes; the close code.
async fn closed_with(c: &mut Client) -> Option<u16> {
    let read = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match c.next().await {
                Ok(_) => {}
                Err(ClientError::Closed(frame)) => return frame.map(|f| u16::from(f.code)),
                Err(_) => return None,
            }
        }
    });
    read.await.expect("the connection was closed in time")
}

fn serve_on(plan: &Path, journal: &Path, port: u16, more: &[&str]) -> Serve {
    let (plan, journal, listen) = (
        plan.display().to_string(),
        journal.display().to_string(),
        format!("127.0.0.1:{port}"),
    );
    let mut args = vec!["serve", &plan, "--listen", &listen, "--journal", &journal];
    args.extend_from_slice(more);
    Serve::with_args(&args)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_stops_on_sigterm_and_sigint_with_clients_and_starts_again_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let plan = zh_plan(dir.path());
    let journal = dir.path().join("m.journal");
    let port = free_port();
    let mut seq = 0;
    for sig in ["TERM", "INT"] {
        // Started right after the last one stopped: its lock is gone.
        let mut serve = serve_on(&plan, &journal, port, &[]);
        let tokens = tokens_of(&journal);
        let mut chair = Client::connect(&serve.url, &tokens["chair"], None)
            .await
            .unwrap();
        assert_eq!(chair.seq, seq, "it resumed the meeting where it stopped");
        if seq == 0 {
            ok(&mut chair, Act::StartMeeting).await;
        }
        let mut m01 = Client::connect(&serve.url, &tokens["m01"], None)
            .await
            .unwrap();
        seq = ok(&mut m01, Act::RaiseHand { mode: Mode::Normal }).await;
        seq = seq.max(ok(&mut m01, Act::WithdrawHand).await);
        signal(serve.child.id(), sig);
        assert_eq!(closed_with(&mut chair).await, Some(1001), "SIG{sig}");
        assert_eq!(closed_with(&mut m01).await, Some(1001));
        let (status, took) = exits_within(&mut serve.child, Duration::from_secs(5));
        assert!(status.success(), "SIG{sig}: {status:?}");
        assert!(took < Duration::from_secs(5), "SIG{sig}: {took:?}");
        let recording = xieshang::journal::read(&journal).unwrap();
        assert!(recording.torn.is_none());
        assert!(
            recording.entries.last().unwrap().seq >= seq,
            "every acknowledged event is in the journal"
        );
        seq = recording.entries.last().unwrap().seq;
    }
}

/// Stops the hub of a broadcast with SIGTERM, then its relays; each within 5 s,
/// exiting 0, viewers closed with 1001; then the hub starts again on its journal.
async fn stop_a_broadcast(b: &mut Broadcast, nats_first: bool) {
    let mut chair = b.join("chair").await;
    let seq = ok(&mut chair, Act::StartMeeting).await;
    let mut relays = [b.relay(), b.relay()];
    let mut viewers = Vec::new();
    for relay in &relays {
        let mut v = viewer(relay).await;
        reach(&mut v, seq).await;
        viewers.push(v);
    }
    if nats_first {
        b.nats.kill();
        let mut m01 = b.join("m01").await;
        ok(&mut m01, Act::RaiseHand { mode: Mode::Normal }).await;
    }
    let started = Instant::now();
    signal(b.hub.child.id(), "TERM");
    assert_eq!(closed_with(&mut chair).await, Some(1001));
    let (status, took) = exits_within(&mut b.hub.child, Duration::from_secs(5));
    assert!(status.success(), "the hub: {status:?}");
    eprintln!("the hub stopped in {took:?} (NATS killed first: {nats_first})");
    for (relay, mut v) in relays.iter_mut().zip(viewers) {
        signal(relay.child.id(), "TERM");
        assert_eq!(closed_with(&mut v).await, Some(1001), "a relay's viewer");
        let (status, took) = exits_within(&mut relay.child, Duration::from_secs(5));
        assert!(status.success(), "a relay: {status:?}");
        eprintln!("a relay stopped in {took:?}");
    }
    assert!(started.elapsed() < Duration::from_secs(15));
    // At once, on the same journal.
    let plan = b.dir.path().join("plan.toml");
    let again = serve_on(&plan, &b.journal(), free_port(), &[]);
    let mut chair = Client::connect(&again.url, &b.tokens["chair"], None)
        .await
        .unwrap();
    assert!(chair.seq >= seq, "the meeting resumes");
    ok(&mut chair, Act::NextStep).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broadcast_stops_on_sigterm_with_nats_up() {
    let Some(mut b) = Broadcast::start() else {
        return;
    };
    stop_a_broadcast(&mut b, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broadcast_stops_on_sigterm_with_nats_killed_first() {
    let Some(mut b) = Broadcast::start() else {
        return;
    };
    stop_a_broadcast(&mut b, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_and_a_relay_whose_nats_was_never_there_stop_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let plan = zh_plan(dir.path());
    let journal = dir.path().join("m.journal");
    let nowhere = format!("nats://127.0.0.1:{}", free_port());
    let mut serve = serve_on(
        &plan,
        &journal,
        free_port(),
        &["--nats", &nowhere, "--meeting-id", "test"],
    );
    let tokens = tokens_of(&journal);
    let mut chair = Client::connect(&serve.url, &tokens["chair"], None)
        .await
        .unwrap();
    ok(&mut chair, Act::StartMeeting).await;
    let mut relay = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(["relay", "--nats", &nowhere, "--meeting", "test"])
        .args(["--listen", "127.0.0.1:0", "--publisher-key"])
        .arg(xieshang::relay::signature::paths_for(&journal).1)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    signal(serve.child.id(), "TERM");
    assert_eq!(closed_with(&mut chair).await, Some(1001));
    let (status, took) = exits_within(&mut serve.child, Duration::from_secs(5));
    assert!(status.success(), "{status:?} after {took:?}");
    // A relay still waiting for the meeting to be published.
    signal(relay.id(), "INT");
    let (status, _) = exits_within(&mut relay, Duration::from_secs(5));
    assert!(status.success(), "the waiting relay: {status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_served_replay_stops_on_sigint() {
    let dir = tempfile::tempdir().unwrap();
    let plan = zh_plan(dir.path());
    let journal = dir.path().join("m.journal");
    {
        let serve = serve_on(&plan, &journal, free_port(), &[]);
        let tokens = tokens_of(&journal);
        let mut chair = Client::connect(&serve.url, &tokens["chair"], None)
            .await
            .unwrap();
        ok(&mut chair, Act::StartMeeting).await;
        ok(&mut chair, Act::NextStep).await;
    }
    let mut replay = Serve::replay(&journal, "1", "60");
    let tokens = tokens_of(&journal);
    let mut watcher = Client::connect(&replay.url, &tokens["o01"], None)
        .await
        .unwrap();
    signal(replay.child.id(), "INT");
    assert_eq!(closed_with(&mut watcher).await, Some(1001));
    let (status, _) = exits_within(&mut replay.child, Duration::from_secs(5));
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_simulation_stops_on_sigterm_leaving_what_it_played() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("sim.journal");
    let mut sim = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .args(["simulate"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/huishang-supervision.toml"))
        .arg("--journal")
        .arg(&journal)
        .args(["--speed", "2"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while xieshang::journal::read(&journal).map_or(0, |r| r.entries.len()) < 3 {
        assert!(start.elapsed() < Duration::from_secs(20), "it played");
        std::thread::sleep(Duration::from_millis(100));
    }
    signal(sim.id(), "TERM");
    let (status, _) = exits_within(&mut sim, Duration::from_secs(5));
    assert!(status.success(), "{status:?}");
    let mut err = String::new();
    std::io::Read::read_to_string(&mut sim.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("SIGTERM"), "it says why it stopped: {err}");
    let recording = xieshang::journal::read(&journal).unwrap();
    assert!(recording.torn.is_none());
    let minutes = Command::new(env!("CARGO_BIN_EXE_xieshang"))
        .arg("minutes")
        .arg(&journal)
        .output()
        .unwrap();
    assert!(minutes.status.success(), "what it played has minutes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_ends_a_stopping_server_at_once() {
    use futures_util::SinkExt;
    let dir = tempfile::tempdir().unwrap();
    let plan = zh_plan(dir.path());
    let journal = dir.path().join("m.journal");
    let mut serve = serve_on(&plan, &journal, free_port(), &[]);
    let tokens = tokens_of(&journal);
    // A client that says hello and then never reads: the server waits for its
    // close (2 s) before it lets the connection go.
    let (mut ws, _) = tokio_tungstenite::connect_async(&serve.url).await.unwrap();
    let hello = format!(
        r#"{{"type":"hello","protocol":1,"token":"{}"}}"#,
        tokens["m01"]
    );
    ws.send(tokio_tungstenite::tungstenite::Message::text(hello))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    signal(serve.child.id(), "TERM");
    tokio::time::sleep(Duration::from_millis(300)).await;
    signal(serve.child.id(), "TERM");
    let (status, took) = exits_within(&mut serve.child, Duration::from_secs(1));
    assert_eq!(
        status.code(),
        Some(xieshang::signals::STOPPED_AT_ONCE),
        "after {took:?}"
    );
    drop(ws);
    // Everything acknowledged is on disk; the next start takes the journal.
    let again = serve_on(&plan, &journal, free_port(), &[]);
    Client::connect(&again.url, &tokens["chair"], None)
        .await
        .unwrap();
}

/// A console in tmux that says how it exited: `exit=CODE`.
fn console(name: &str, cmd: &str) -> Tmux {
    Tmux::start(name, &format!("{cmd}; echo exit=$?; sleep 30"))
}

/// Signals the xieshang process whose command line holds `pattern` (not the
/// shell or the tmux that started it).
fn signal_matching(pattern: &str, sig: &str) {
    let found = Command::new("pgrep")
        .args(["-f", pattern])
        .output()
        .unwrap();
    let pids: Vec<u32> = String::from_utf8_lossy(&found.stdout)
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|comm| comm.trim() == "xieshang")
        })
        .collect();
    assert_eq!(pids.len(), 1, "one xieshang matches {pattern}: {pids:?}");
    signal(pids[0], sig);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chairs_console_stops_on_sigterm_and_sigint_closing_its_participants() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("console.journal");
    let port = free_port();
    let bin = env!("CARGO_BIN_EXE_xieshang");
    let plan = format!(
        "{}/scenarios/standing-committee-supervision.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    for sig in ["TERM", "INT"] {
        let cmd = format!(
            "{bin} run {plan} --journal {} --listen 127.0.0.1:{port}",
            journal.display()
        );
        let t = console(&format!("run-{sig}"), &cmd);
        t.wait_for("未开始");
        let tokens = tokens_of(&journal);
        let url = format!("ws://127.0.0.1:{port}/ws");
        let mut member = Client::connect(&url, tokens.values().next().unwrap(), None)
            .await
            .unwrap();
        signal_matching(&journal.display().to_string(), sig);
        assert_eq!(closed_with(&mut member).await, Some(1001), "SIG{sig}");
        let screen = t.wait_for("exit=");
        assert!(screen.contains("exit=0"), "SIG{sig}:\n{screen}");
        assert!(
            screen.contains("会议记录在"),
            "the terminal was given back:\n{screen}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_participants_console_stops_on_sigterm_and_sigint() {
    let dir = tempfile::tempdir().unwrap();
    let plan = zh_plan(dir.path());
    let journal = dir.path().join("m.journal");
    let serve = serve_on(&plan, &journal, free_port(), &[]);
    let tokens = tokens_of(&journal);
    for sig in ["TERM", "INT"] {
        let cmd = format!(
            "XIESHANG_TOKEN={} {} join {}",
            tokens["m01"],
            env!("CARGO_BIN_EXE_xieshang"),
            serve.url
        );
        let t = console(&format!("join-{sig}"), &cmd);
        t.wait_for("马文静");
        signal_matching(&format!("join {}", serve.url), sig);
        let screen = t.wait_for("exit=");
        assert!(screen.contains("exit=0"), "SIG{sig}:\n{screen}");
    }
}

#[test]
fn the_demo_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let cmd = format!(
        "cd {} && {} demo --listen 127.0.0.1:{port}",
        dir.path().display(),
        env!("CARGO_BIN_EXE_xieshang")
    );
    let t = console("demo", &cmd);
    t.wait_for("i");
    std::thread::sleep(Duration::from_secs(2));
    signal_matching(&format!("demo --listen 127.0.0.1:{port}"), "TERM");
    let screen = t.wait_for("exit=");
    assert!(screen.contains("exit=0"), "{screen}");
    let journals: Vec<_> = std::fs::read_dir(dir.path().join("meetings"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "journal"))
        .collect();
    assert_eq!(journals.len(), 1, "the demo left its journal");
    assert!(xieshang::journal::read(&journals[0].path())
        .unwrap()
        .torn
        .is_none());
}

#[test]
fn the_secretariats_desk_stops_on_sigterm_and_sigint_with_the_terminal_given_back() {
    let dir = tempfile::tempdir().unwrap();
    for sig in ["TERM", "INT"] {
        let db = dir.path().join(format!("desk-{sig}.db"));
        let cmd = format!(
            "{} followups --register {}",
            env!("CARGO_BIN_EXE_xieshang"),
            db.display()
        );
        let t = console(&format!("desk-{sig}"), &cmd);
        t.wait_for("督办台账");
        signal_matching(&format!("followups --register {}", db.display()), sig);
        let screen = t.wait_for("exit=");
        assert!(screen.contains("exit=0"), "{sig}: {screen}");
        assert!(
            !screen.contains("督办台账"),
            "{sig}: the terminal is given back"
        );
    }
}

#[test]
fn the_topics_console_stops_on_sigterm_and_sigint_with_the_terminal_given_back() {
    let dir = tempfile::tempdir().unwrap();
    for sig in ["TERM", "INT"] {
        let db = dir.path().join(format!("topics-{sig}.db"));
        let cmd = format!(
            "{} topics --register {} desk --by 王敏",
            env!("CARGO_BIN_EXE_xieshang"),
            db.display()
        );
        let t = console(&format!("topics-{sig}"), &cmd);
        t.wait_for("议题征集");
        signal_matching(&format!("topics --register {}", db.display()), sig);
        let screen = t.wait_for("exit=");
        assert!(screen.contains("exit=0"), "{sig}: {screen}");
        assert!(
            !screen.contains("议题征集"),
            "{sig}: the terminal is given back"
        );
    }
}
