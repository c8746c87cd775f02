//! Relays over NATS JetStream, on this machine (every process shares its cores):
//!
//! 1. the hub's CPU per event: without --nats, and with --nats and 0, 1 and 3
//!    relays following (it must not grow with the audience);
//! 2. the latency a relay adds: an intent at the hub to its event at a viewer of a
//!    relay, against a viewer of the hub itself, in the same run;
//! 3. a relay's memory per idle viewer;
//! 4. 2 relays × N viewers (5,000 each by default): intent to event at every
//!    viewer, p50, p99 and the last;
//! 5. the audience spread over 1, 2, 4 … relays (`RELAY_COUNTS`), once with the
//!    same viewers in total (`RELAY_TOTAL`, 16,000) and once with the same
//!    viewers on each relay (`RELAY_PER`, 4,000): intent to event at every
//!    viewer; each relay's CPU per event per viewer and memory per idle viewer;
//!    NATS's CPU and bytes per event; the hub's CPU per event (with the relays
//!    following and no viewers, hands raised and lowered as in part 1).
//!
//! cargo bench --bench relay                 (needs nats-server)
//! RELAY_VIEWERS=1000 cargo bench --bench relay
//! RELAY_CPU_ONLY=1 cargo bench --bench relay   (part 1 only)
//! RELAY_SCALE_ONLY=1 RELAY_COUNTS=1,2,4,8 cargo bench --bench relay   (part 5 only)
//!
//! CPU is read from /proc/PID/stat (utime + stime, ticks of 10 ms) of each
//! process: the hub, nats-server, every relay and this process (the viewers);
//! memory from VmRSS in /proc/PID/status; NATS's bytes and messages from its
//! monitoring endpoint (/varz); and the machine's busy CPU that was none of
//! these processes' (others' work) from /proc/stat. Every viewer is a descriptor
//! of this process: a layout with more viewers than its limit on open files
//! allows (raised as far as the system lets it) is said and skipped.

use futures_util::{SinkExt, StreamExt};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

#[path = "fanout/server.rs"]
mod server;

use server::{connect_many, cpu_ticks_of, event_seq, join, join_from, welcome_bytes, Server, Ws};

const PLAN: &str = include_str!("../scenarios/standing-committee-supervision.toml");

struct Nats {
    child: Child,
    url: String,
    /// Its monitoring port (`/varz`).
    monitor: u16,
    _store: tempfile::TempDir,
}

/// What NATS has taken in from its clients and sent out to them, so far.
#[derive(Clone, Copy, Default)]
struct Traffic {
    in_msgs: u64,
    in_bytes: u64,
    out_msgs: u64,
    out_bytes: u64,
}

impl Nats {
    fn start() -> Option<Nats> {
        let program = ["nats-server", "/usr/sbin/nats-server"]
            .into_iter()
            .find(|p| Command::new(p).arg("--version").output().is_ok())?;
        let free = || {
            std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port()
        };
        let (port, monitor) = (free(), free());
        let store = tempfile::tempdir().unwrap();
        let child = Command::new(program)
            .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string()])
            .args(["-m", &monitor.to_string(), "-sd"])
            .arg(store.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            std::thread::sleep(Duration::from_millis(20));
        }
        while std::net::TcpStream::connect(("127.0.0.1", monitor)).is_err() {
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(Nats {
            child,
            url: format!("nats://127.0.0.1:{port}"),
            monitor,
            _store: store,
        })
    }

    fn cpu_ticks(&self) -> u64 {
        cpu_ticks_of(self.child.id())
    }

    /// Its counters from `GET /varz`.
    fn traffic(&self) -> Traffic {
        use std::io::{Read, Write};
        let mut tcp = std::net::TcpStream::connect(("127.0.0.1", self.monitor)).unwrap();
        tcp.write_all(b"GET /varz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        let mut answer = String::new();
        tcp.read_to_string(&mut answer).unwrap();
        let body = &answer[answer.find("\r\n\r\n").map_or(0, |i| i + 4)..];
        let varz: serde_json::Value = serde_json::from_str(body).expect("/varz is JSON");
        let n = |k: &str| varz[k].as_u64().unwrap_or(0);
        Traffic {
            in_msgs: n("in_msgs"),
            in_bytes: n("in_bytes"),
            out_msgs: n("out_msgs"),
            out_bytes: n("out_bytes"),
        }
    }
}

impl Drop for Nats {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn main() {
    let Some(nats) = Nats::start() else {
        println!("relay: not measured (no nats-server)");
        return;
    };
    let viewers: usize = env("RELAY_VIEWERS", 5_000);
    let scale = Scale::from_env();
    // Every viewer is a descriptor of this process (and one of its relay's).
    let wanted = viewers.max(scale.most_viewers()) as u64 + 2_000;
    let limit = raise_fd_limit(wanted);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, PLAN).unwrap();
    let rounds = env("RELAY_CPU_ROUNDS", 100);

    if std::env::var("RELAY_SCALE_ONLY").is_ok() {
        scale.run(&runtime, &nats, &plan, dir.path(), limit);
        return;
    }
    println!("1. the hub's CPU per event (hands raised and lowered by 7 members)");
    for (name, with_nats, relays) in [
        ("without --nats", false, 0),
        ("--nats, 0 relays", true, 0),
        ("--nats, 1 relay", true, 1),
        ("--nats, 3 relays", true, 3),
    ] {
        let id = format!("cpu{relays}{with_nats}");
        let journal = dir.path().join(format!("{id}.journal"));
        let extra = ["--nats", &nats.url, "--meeting-id", &id];
        let hub = Server::xieshang_with(&plan, &journal, if with_nats { &extra } else { &[] });
        let tokens = tokens(&journal);
        let relays: Vec<Server> = (0..relays).map(|_| relay(&nats, &id, &journal)).collect();
        let meter = Meter {
            hub: &hub,
            nats: &nats,
            relays: &relays,
        };
        let (before, after, events) = runtime.block_on(hub_cpu(&hub, &tokens, rounds, &meter));
        let us = (after.hub - before.hub) as f64 * TICK_US / events as f64;
        println!("  {name}: {us:.0} µs of hub CPU per event ({events} events)");
        drop(relays);
    }

    if std::env::var("RELAY_CPU_ONLY").is_ok() {
        return;
    }
    println!("2. the latency a relay adds (200 events, one viewer on each)");
    let journal = dir.path().join("latency.journal");
    let hub = Server::xieshang_with(
        &plan,
        &journal,
        &["--nats", &nats.url, "--meeting-id", "latency"],
    );
    let tokens = tokens(&journal);
    let relay_a = relay(&nats, "latency", &journal);
    runtime.block_on(latency(&hub, &relay_a, &tokens));

    println!("3. a relay's memory per idle viewer ({viewers} viewers)");
    let rss0 = relay_a.rss_kib();
    let idle = runtime.block_on(connect_many(&relay_a.url, "audience", viewers));
    std::thread::sleep(Duration::from_secs(2));
    let kib = (relay_a.rss_kib().saturating_sub(rss0)) as f64 / viewers as f64;
    println!("  {kib:.1} KiB per idle viewer");
    drop(idle);

    println!("4. 2 relays × {viewers} viewers: an event from the hub to every viewer");
    let relay_b = relay(&nats, "latency", &journal);
    runtime.block_on(fanout(&hub, &[&relay_a, &relay_b], &tokens, viewers));
    drop((relay_a, relay_b, hub));

    scale.run(&runtime, &nats, &plan, dir.path(), limit);
}

/// Microseconds in a clock tick of /proc/PID/stat (USER_HZ is 100 on Linux).
const TICK_US: f64 = 10_000.0;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .map(|v| v.replace([',', '_'], ""))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Raises this process's limit on open files to `wanted` (its relays, started
/// from it, inherit it), as far as it is allowed; returns the limit now.
fn raise_fd_limit(wanted: u64) -> u64 {
    use rlimit::Resource;
    let (soft, hard) = rlimit::getrlimit(Resource::NOFILE).unwrap();
    if soft >= wanted {
        return soft;
    }
    if rlimit::setrlimit(Resource::NOFILE, wanted, wanted.max(hard)).is_ok() {
        return wanted;
    }
    let _ = rlimit::setrlimit(Resource::NOFILE, hard, hard);
    rlimit::getrlimit(Resource::NOFILE).unwrap().0
}

fn tokens(journal: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    serde_json::from_slice(&std::fs::read(format!("{}.tokens", journal.display())).unwrap())
        .unwrap()
}

/// A relay of meeting `id`, trusting the key kept beside its `journal`.
fn relay(nats: &Nats, id: &str, journal: &std::path::Path) -> Server {
    relay_with(nats, id, journal, &[])
}

fn relay_with(nats: &Nats, id: &str, journal: &std::path::Path, extra: &[String]) -> Server {
    let mut args: Vec<String> = vec![
        "relay".into(),
        "--nats".into(),
        nats.url.clone(),
        "--meeting".into(),
        id.into(),
        "--listen".into(),
        "127.0.0.1:0".into(),
        "--publisher-key".into(),
        format!("{}.publisher.pub", journal.display()),
    ];
    args.extend(extra.iter().cloned());
    Server::xieshang_args(&args)
}

async fn intent(ws: &mut Ws, id: &str, action: serde_json::Value) {
    let frame = serde_json::json!({"type":"intent","id":id,"action":action});
    ws.send(Message::text(frame.to_string())).await.unwrap();
    while let Some(Ok(m)) = ws.next().await {
        if let Message::Text(t) = m {
            if t.contains(&format!(r#""id":"{id}""#)) {
                assert!(t.contains(r#""type":"ack""#), "{t}");
                return;
            }
        }
    }
}

/// The processes whose CPU (and NATS's traffic) a measurement reads.
struct Meter<'a> {
    hub: &'a Server,
    nats: &'a Nats,
    relays: &'a [Server],
}

/// Their CPU ticks so far (`viewers`: this process, which holds every viewer).
struct Reading {
    hub: u64,
    nats: u64,
    relays: Vec<u64>,
    viewers: u64,
    traffic: Traffic,
    /// The machine's CPU ticks, all cores: busy, and in all (/proc/stat).
    machine: (u64, u64),
}

impl Meter<'_> {
    fn read(&self) -> Reading {
        Reading {
            hub: self.hub.cpu_ticks(),
            nats: self.nats.cpu_ticks(),
            relays: self.relays.iter().map(Server::cpu_ticks).collect(),
            viewers: cpu_ticks_of(std::process::id()),
            traffic: self.nats.traffic(),
            machine: machine_ticks(),
        }
    }
}

impl Reading {
    fn ours(&self) -> u64 {
        self.hub + self.nats + self.relays.iter().sum::<u64>() + self.viewers
    }
}

/// The share of the machine's CPU between two readings that was none of the
/// measured processes' (other work on the machine), in percent.
fn others(before: &Reading, after: &Reading) -> f64 {
    let busy = after.machine.0.saturating_sub(before.machine.0);
    let all = after.machine.1.saturating_sub(before.machine.1).max(1);
    let ours = after.ours().saturating_sub(before.ours());
    busy.saturating_sub(ours) as f64 * 100.0 / all as f64
}

/// The first line of /proc/stat: (busy, busy + idle) ticks over all cores.
fn machine_ticks() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let v: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|n| n.parse().ok())
        .collect();
    let at = |i: usize| v.get(i).copied().unwrap_or(0);
    // user nice system idle iowait irq softirq steal
    let busy = at(0) + at(1) + at(2) + at(5) + at(6) + at(7);
    (busy, busy + at(3) + at(4))
}

/// `rounds` of hands raised and lowered by 8 participants (within their rate
/// limits): the readings before and after, and how many events that made.
async fn hub_cpu(
    hub: &Server,
    tokens: &std::collections::BTreeMap<String, String>,
    rounds: usize,
    meter: &Meter<'_>,
) -> (Reading, Reading, usize) {
    let mut chair = join(&hub.url, &tokens["chair"]).await;
    intent(&mut chair, "s", serde_json::json!({"kind":"start_meeting"})).await;
    let who: Vec<&String> = tokens
        .keys()
        .filter(|k| k.starts_with('m'))
        .take(8)
        .collect();
    let mut members = Vec::new();
    for w in &who {
        members.push(join(&hub.url, &tokens[*w]).await);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = meter.read();
    let mut tasks = Vec::new();
    for mut ws in members {
        tasks.push(tokio::spawn(async move {
            for i in 0..rounds {
                intent(
                    &mut ws,
                    &format!("r{i}"),
                    serde_json::json!({"kind":"raise_hand"}),
                )
                .await;
                tokio::time::sleep(Duration::from_millis(55)).await;
                intent(
                    &mut ws,
                    &format!("w{i}"),
                    serde_json::json!({"kind":"withdraw_hand"}),
                )
                .await;
                tokio::time::sleep(Duration::from_millis(55)).await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    (before, meter.read(), who.len() * rounds * 2)
}

/// A viewer on the hub and one on the relay; 200 questions; each one's latency.
async fn latency(
    hub: &Server,
    relay: &Server,
    tokens: &std::collections::BTreeMap<String, String>,
) {
    let mut chair = join(&hub.url, &tokens["chair"]).await;
    intent(&mut chair, "s", serde_json::json!({"kind":"start_meeting"})).await;
    let mut on_hub = join(&hub.url, &tokens["o01"]).await;
    let mut on_relay = join(&relay.url, "audience").await;
    let (mut direct, mut relayed) = (Vec::new(), Vec::new());
    for i in 0..200 {
        let at = Instant::now();
        intent(
            &mut chair,
            &format!("q{i}"),
            serde_json::json!({"kind":"submit_question","department":"eco","text":format!("问题 {i}"),"asker":"m01"}),
        )
        .await;
        for (ws, out) in [(&mut on_hub, &mut direct), (&mut on_relay, &mut relayed)] {
            loop {
                if let Some(Ok(Message::Text(t))) = ws.next().await {
                    if t.contains("question_submitted") && t.contains(&format!("问题 {i}\"")) {
                        out.push(at.elapsed());
                        break;
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(55)).await;
    }
    let show = |name: &str, v: &mut Vec<Duration>| {
        v.sort();
        println!(
            "  {name}: p50 {:?}, p99 {:?}",
            v[v.len() / 2],
            v[v.len() * 99 / 100]
        );
    };
    show("viewer on the hub", &mut direct);
    show("viewer on a relay", &mut relayed);
}

/// Viewers on the relays; 20 questions from the chair; intent to event at each.
async fn fanout(
    hub: &Server,
    relays: &[&Server],
    tokens: &std::collections::BTreeMap<String, String>,
    per_relay: usize,
) {
    let mut chair = join(&hub.url, &tokens["chair"]).await;
    let mut viewers = Vec::new();
    for r in relays {
        viewers.extend(connect_many(&r.url, "audience", per_relay).await);
    }
    let n = viewers.len();
    let (tx, mut rx) = mpsc::unbounded_channel::<(u64, Instant)>();
    let mut handles = Vec::new();
    for mut ws in viewers {
        let tx = tx.clone();
        handles.push(tokio::spawn(async move {
            let mut seen = 0;
            while seen < 20 {
                match ws.next().await {
                    Some(Ok(Message::Text(t)))
                        if t.contains("\"kind\":\"question_submitted\"") && t.contains("fan ") =>
                    {
                        if let Some(seq) = event_seq(&t) {
                            let _ = tx.send((seq, Instant::now()));
                            seen += 1;
                        }
                    }
                    Some(Ok(_)) => {}
                    _ => break,
                }
            }
            ws
        }));
    }
    drop(tx);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut sent = std::collections::HashMap::new();
    for i in 0..20 {
        let at = Instant::now();
        let frame = serde_json::json!({"type":"intent","id":format!("f{i}"),"action":{"kind":"submit_question","department":"eco","text":format!("fan {i} 关于苏州河沿岸生态廊道全线贯通的时间安排"),"asker":"m01"}});
        chair.send(Message::text(frame.to_string())).await.unwrap();
        let seq = loop {
            if let Some(Ok(Message::Text(t))) = chair.next().await {
                if t.contains("fan ") {
                    if let Some(seq) = event_seq(&t) {
                        break seq;
                    }
                }
            }
        };
        sent.insert(seq, at);
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let mut all = Vec::with_capacity(n * 20);
    let deadline = Instant::now() + Duration::from_secs(60);
    while all.len() < n * 20 && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(1), rx.recv()).await {
            Ok(Some((seq, when))) => all.push(when.duration_since(sent[&seq])),
            Ok(None) => break,
            Err(_) => {}
        }
    }
    println!("  {} of {} deliveries arrived", all.len(), n * 20);
    all.sort();
    if all.is_empty() {
        return;
    }
    println!(
        "  intent to event at each viewer: p50 {:?}, p99 {:?}, last {:?}",
        all[all.len() / 2],
        all[all.len() * 99 / 100],
        all[all.len() - 1]
    );
    for h in handles {
        let _ = h.await;
    }
}

/// Part 5: the audience spread over 1, 2, 4 … relays.
struct Scale {
    counts: Vec<usize>,
    /// The same viewers in total, whatever the number of relays.
    total: usize,
    /// The same viewers on each relay.
    per: usize,
    questions: usize,
    rounds: usize,
}

/// What one layout of viewers over relays measured.
struct Spread {
    relays: usize,
    each: usize,
    arrived: usize,
    expected: usize,
    p50: Duration,
    p99: Duration,
    last: Duration,
    /// Each relay's CPU per question per viewer it holds, µs.
    relay_us: Vec<f64>,
    /// Each relay's RSS growth per idle viewer, KiB.
    relay_kib: Vec<f64>,
    /// Each relay's CPU per viewer joining (its handshake, hello and welcome), µs.
    join_us: Vec<f64>,
    /// How long all the viewers took to join.
    joined_in: Duration,
    /// This process's CPU (every viewer reading every event) per delivery, µs.
    viewers_us: f64,
    /// NATS's traffic per question: in from its clients, out to them.
    nats_in: f64,
    nats_out: f64,
    nats_out_msgs: f64,
    /// The machine's CPU that was none of the measured processes', in percent.
    others: f64,
    /// A question's event frame as a viewer gets it, bytes.
    frame: usize,
    /// The welcome a viewer of a relay is sent (the meeting's state), bytes.
    welcome: usize,
}

impl Scale {
    fn from_env() -> Scale {
        let counts = std::env::var("RELAY_COUNTS")
            .unwrap_or_else(|_| "1,2,4".into())
            .split(',')
            .filter_map(|c| c.trim().parse().ok())
            .collect();
        Scale {
            counts,
            total: env("RELAY_TOTAL", 16_000),
            per: env("RELAY_PER", 4_000),
            questions: env("RELAY_QUESTIONS", 20),
            rounds: env("RELAY_SCALE_ROUNDS", 200),
        }
    }

    fn most_viewers(&self) -> usize {
        let most = self.counts.iter().map(|&c| self.per * c).max().unwrap_or(0);
        most.max(self.total)
    }

    /// `count` relays of meeting `id`, each taking `each` viewers and more.
    fn relays(
        &self,
        nats: &Nats,
        id: &str,
        journal: &std::path::Path,
        count: usize,
        each: usize,
    ) -> Vec<Server> {
        let most = [
            "--max-connections".into(),
            (each + 1_000).max(20_000).to_string(),
        ];
        (0..count)
            .map(|_| relay_with(nats, id, journal, &most))
            .collect()
    }

    fn run(
        &self,
        runtime: &tokio::runtime::Runtime,
        nats: &Nats,
        plan: &std::path::Path,
        dir: &std::path::Path,
        fd_limit: u64,
    ) {
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        println!(
            "5. the audience over {:?} relays: {} viewers in total, and {} on each relay",
            self.counts, self.total, self.per
        );
        println!(
            "  (one machine, {cores} cores shared by the hub, nats-server, the relays and this \
             process, which holds every viewer; open files allowed: {fd_limit})"
        );
        let (mut quiet, mut spreads) = (Vec::new(), Vec::new());
        for &count in &self.counts {
            let id = format!("scale{count}");
            let journal = dir.join(format!("{id}.journal"));
            let hub =
                Server::xieshang_with(plan, &journal, &["--nats", &nats.url, "--meeting-id", &id]);
            let tokens = tokens(&journal);
            // The relays follow with nobody watching: what the hub, NATS and a
            // relay spend on an event, whatever its audience.
            let relays = self.relays(nats, &id, &journal, count, 0);
            std::thread::sleep(Duration::from_secs(1));
            let meter = Meter {
                hub: &hub,
                nats,
                relays: &relays,
            };
            let (before, after, events) =
                runtime.block_on(hub_cpu(&hub, &tokens, self.rounds, &meter));
            let per_event = |a: u64, b: u64| b.saturating_sub(a) as f64 * TICK_US / events as f64;
            let relay_us: Vec<f64> = before
                .relays
                .iter()
                .zip(&after.relays)
                .map(|(a, b)| per_event(*a, *b))
                .collect();
            let (t0, t1) = (before.traffic, after.traffic);
            let row = format!(
                "| {count} | {events} | {:.0} | {:.0} | {} | {:.0} ({:.1} msgs) | {:.0} ({:.1} msgs) | {:.0} % |",
                per_event(before.hub, after.hub),
                per_event(before.nats, after.nats),
                range(&relay_us, 0),
                (t1.in_bytes - t0.in_bytes) as f64 / events as f64,
                (t1.in_msgs - t0.in_msgs) as f64 / events as f64,
                (t1.out_bytes - t0.out_bytes) as f64 / events as f64,
                (t1.out_msgs - t0.out_msgs) as f64 / events as f64,
                others(&before, &after),
            );
            println!("  {count} relay(s), no viewers: {row}");
            quiet.push(row);
            drop(relays);
            if count == 0 {
                continue;
            }
            let mut layouts = vec![self.total / count];
            if self.per != self.total / count {
                layouts.push(self.per);
            }
            for each in layouts {
                // Every viewer is one of this process's descriptors.
                if (count * each) as u64 + 500 > fd_limit {
                    println!(
                        "  {count} relay(s) × {each}: not measured ({} viewers, and this \
                         process may open {fd_limit} files)",
                        count * each
                    );
                    continue;
                }
                let relays = self.relays(nats, &id, &journal, count, each);
                // Each relay reads the meeting so far before it is measured.
                std::thread::sleep(Duration::from_secs(2));
                let tag = format!("{count}x{each}");
                let s = runtime.block_on(spread(
                    &hub,
                    nats,
                    &relays,
                    &tokens,
                    each,
                    self.questions,
                    &tag,
                ));
                println!(
                    "  {count} relay(s) × {each}: {} (a question's frame: {} bytes; \
                     the welcome: {} bytes)",
                    s.row().trim_start_matches("| "),
                    s.frame,
                    s.welcome
                );
                spreads.push(s);
            }
        }
        println!("\n  the hub, NATS and each relay, the relays following with no viewers (hands raised and lowered):");
        println!("| relays | events | the hub, µs CPU per event | nats-server, µs CPU per event | each relay, µs CPU per event | NATS in, bytes per event | NATS out, bytes per event | others' CPU |");
        println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for row in &quiet {
            println!("{row}");
        }
        println!(
            "\n  viewers on the relays, {} questions, each after the last reached every viewer (+300 ms):",
            self.questions
        );
        println!("| relays × viewers | in all | arrived | intent → event p50 | p99 | last | each relay, µs CPU per event per viewer | each relay, KiB per idle viewer | each relay, µs CPU per join | all joined in | viewers' process, µs CPU per delivery | NATS in / out, bytes per question (out msgs) | others' CPU |");
        println!(
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        );
        for s in &spreads {
            println!("{}", s.row());
        }
    }
}

impl Spread {
    fn row(&self) -> String {
        let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1e3);
        format!(
            "| {} × {} | {} | {} of {} | {} | {} | {} | {} | {} | {} | {:.1} s | {:.1} | {:.0} / {:.0} ({:.1}) | {:.0} % |",
            self.relays,
            self.each,
            self.relays * self.each,
            self.arrived,
            self.expected,
            ms(self.p50),
            ms(self.p99),
            ms(self.last),
            range(&self.relay_us, 1),
            range(&self.relay_kib, 1),
            range(&self.join_us, 0),
            self.joined_in.as_secs_f64(),
            self.viewers_us,
            self.nats_in,
            self.nats_out,
            self.nats_out_msgs,
            self.others,
        )
    }
}

/// "a–b" (or "a" when they are one), with `places` decimals.
fn range(v: &[f64], places: usize) -> String {
    let lo = v.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if v.is_empty() {
        "—".into()
    } else if format!("{lo:.places$}") == format!("{hi:.places$}") {
        format!("{lo:.places$}")
    } else {
        format!("{lo:.places$}–{hi:.places$}")
    }
}

/// The loopback address viewer `k` comes from: 2,000 a source address. (Binding
/// to port 0 searches the address's ports for a free one: with 10,000 taken,
/// joining 16,000 viewers took 25 s instead of 3.4.)
fn source(k: usize) -> std::net::Ipv4Addr {
    std::net::Ipv4Addr::new(127, 0, (k / 500_000) as u8, 2 + (k / 2_000 % 250) as u8)
}

/// `each` viewers on every relay; then `questions` questions from the chair, each
/// sent once the one before has reached every viewer (and 300 ms more).
async fn spread(
    hub: &Server,
    nats: &Nats,
    relays: &[Server],
    tokens: &std::collections::BTreeMap<String, String>,
    each: usize,
    questions: usize,
    tag: &str,
) -> Spread {
    let mut chair = join(&hub.url, &tokens["chair"]).await;
    let meter = Meter { hub, nats, relays };
    let welcome = welcome_bytes(&relays[0].url, "audience").await;
    let rss0: Vec<u64> = relays.iter().map(Server::rss_kib).collect();
    let joining = meter.read();
    let started = Instant::now();
    let mut viewers = Vec::with_capacity(each * relays.len());
    for r in relays {
        let from = viewers.len();
        let mut pending = futures_util::stream::iter(from..from + each)
            .map(|k| join_from(&r.url, "audience", source(k)))
            .buffer_unordered(256);
        while let Some(ws) = pending.next().await {
            viewers.push(ws);
        }
    }
    let joined_in = started.elapsed();
    let joined = meter.read();
    let join_us = joining
        .relays
        .iter()
        .zip(&joined.relays)
        .map(|(a, b)| (b - a) as f64 * TICK_US / each as f64)
        .collect();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let relay_kib = relays
        .iter()
        .zip(&rss0)
        .map(|(r, a)| r.rss_kib().saturating_sub(*a) as f64 / each as f64)
        .collect();

    let n = viewers.len();
    let marker = format!("fan {tag} ");
    let (tx, mut rx) = mpsc::unbounded_channel::<(u64, Instant)>();
    let frame = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut handles = Vec::with_capacity(n);
    for mut ws in viewers {
        let (tx, marker, frame) = (tx.clone(), marker.clone(), frame.clone());
        handles.push(tokio::spawn(async move {
            while let Some(Ok(m)) = ws.next().await {
                if let Message::Text(t) = m {
                    if t.contains(&marker) {
                        if let Some(seq) = event_seq(&t) {
                            let _ = tx.send((seq, Instant::now()));
                            frame.store(t.len(), std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                }
            }
        }));
    }
    drop(tx);
    tokio::time::sleep(Duration::from_secs(1)).await;

    let before = meter.read();
    let mut all = Vec::with_capacity(n * questions);
    for i in 0..questions {
        let text = format!("{marker}{i} 关于苏州河沿岸生态廊道全线贯通的时间安排");
        let at = Instant::now();
        let frame = serde_json::json!({"type":"intent","id":format!("f{tag}-{i}"),"action":{"kind":"submit_question","department":"eco","text":text,"asker":"m01"}});
        chair.send(Message::text(frame.to_string())).await.unwrap();
        let seq = loop {
            match chair.next().await {
                Some(Ok(Message::Text(t))) if t.contains(&text) => {
                    if let Some(seq) = event_seq(&t) {
                        break seq;
                    }
                }
                Some(Ok(_)) => {}
                other => panic!("the chair's connection: {other:?}"),
            }
        };
        let deadline = tokio::time::Instant::from_std(at + Duration::from_secs(30));
        let mut got = 0;
        while got < n {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some((s, when))) if s == seq => {
                    all.push(when.duration_since(at));
                    got += 1;
                }
                Ok(Some(_)) => {}
                _ => break,
            }
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let after = meter.read();
    for h in handles {
        h.abort();
    }

    all.sort();
    let at = |q: usize| all.get(q).copied().unwrap_or_default();
    let deliveries = (questions * n).max(1) as f64;
    let (t0, t1) = (before.traffic, after.traffic);
    Spread {
        relays: relays.len(),
        each,
        arrived: all.len(),
        expected: n * questions,
        p50: at(all.len() / 2),
        p99: at(all.len() * 99 / 100),
        last: at(all.len().saturating_sub(1)),
        relay_us: before
            .relays
            .iter()
            .zip(&after.relays)
            .map(|(a, b)| (b - a) as f64 * TICK_US / (questions * each) as f64)
            .collect(),
        relay_kib,
        join_us,
        joined_in,
        viewers_us: (after.viewers - before.viewers) as f64 * TICK_US / deliveries,
        nats_in: (t1.in_bytes - t0.in_bytes) as f64 / questions as f64,
        nats_out: (t1.out_bytes - t0.out_bytes) as f64 / questions as f64,
        nats_out_msgs: (t1.out_msgs - t0.out_msgs) as f64 / questions as f64,
        others: others(&before, &after),
        frame: frame.load(std::sync::atomic::Ordering::Relaxed),
        welcome,
    }
}
