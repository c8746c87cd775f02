//! Fan-out load: N clients connected to a `xieshang serve` child process (release
//! build), a chair submitting questions; the time from sending an intent to its
//! event arriving at every client is recorded. Also: server memory per idle
//! connection, and the server's CPU with 1,000 idle clients. The same fan-out is
//! measured against a Node `ws` broadcast server when node and the `ws` package
//! can be had.
//!
//! cargo bench --bench fanout            (10,000 clients)
//! FANOUT_CLIENTS=2000 cargo bench --bench fanout
//! FANOUT_BIN=/path/to/other/xieshang   (another build of the server, e.g. the
//!                                       commit before a change, in the same run)
//! FANOUT_NODE=0                        (skip the Node `ws` comparison)

use futures_util::{SinkExt, StreamExt};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Barrier};
use tokio_tungstenite::tungstenite::Message;

#[path = "fanout/server.rs"]
mod server;

use server::{connect_many, event_seq, join, Server};

const EVENTS: usize = 20;
const PLAN: &str = include_str!("../scenarios/standing-committee-supervision.toml");

fn main() {
    let clients: usize = std::env::var("FANOUT_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(
            std::env::var("FANOUT_CLIENT_THREADS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(2),
        )
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, PLAN).unwrap();
    let journal = dir.path().join("fanout.journal");

    let mut server = Server::xieshang(&plan, &journal);
    let tokens: std::collections::BTreeMap<String, String> =
        serde_json::from_slice(&std::fs::read(format!("{}.tokens", journal.display())).unwrap())
            .unwrap();
    println!("xieshang serve, {clients} clients, {EVENTS} events of about 500 bytes");
    let ours = runtime.block_on(fanout(
        &server,
        &tokens["chair"],
        &tokens["o01"],
        clients,
        true,
    ));
    report("xieshang", &ours);
    let idle_cpu = runtime.block_on(idle_cpu(&server, &tokens["o01"], 1_000));
    println!("  xieshang: 1,000 idle clients for 10 s cost the server {idle_cpu:.2} % of one core");
    server.stop();

    let node = !std::env::var("FANOUT_NODE").is_ok_and(|v| v == "0");
    match node.then(|| Server::node(dir.path())).flatten() {
        Some(mut node) => {
            let theirs = runtime.block_on(fanout(&node, "chair", "o01", clients, false));
            report("node ws", &theirs);
            println!(
                "  ratio p99 node/xieshang: {:.2}, p50: {:.2}",
                theirs.p99.as_secs_f64() / ours.p99.as_secs_f64(),
                theirs.p50.as_secs_f64() / ours.p50.as_secs_f64()
            );
            node.stop();
        }
        None => println!("node ws: not measured (node or the ws package could not be had)"),
    }
}

struct Results {
    p50: Duration,
    p99: Duration,
    max: Duration,
    per_connection_kib: Option<f64>,
    /// The server's CPU time (user and system) over the fan-out, per event per client.
    server_us_per_delivery: f64,
}

fn report(name: &str, r: &Results) {
    println!(
        "  {name}: intent to event at each client: p50 {:?}, p99 {:?}, max (the last client) {:?}",
        r.p50, r.p99, r.max
    );
    println!(
        "  {name}: server CPU per event per client: {:.1} µs",
        r.server_us_per_delivery
    );
    if let Some(kib) = r.per_connection_kib {
        println!("  {name}: server memory per idle connection: {kib:.1} KiB");
    }
}

async fn idle_cpu(server: &Server, token: &str, n: usize) -> f64 {
    let clients = connect_many(&server.url, token, n).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (t0, c0) = (Instant::now(), server.cpu_ticks());
    tokio::time::sleep(Duration::from_secs(10)).await;
    let ticks = server.cpu_ticks() - c0;
    drop(clients);
    tokio::time::sleep(Duration::from_secs(1)).await;
    ticks as f64 / 100.0 / t0.elapsed().as_secs_f64() * 100.0
}

async fn fanout(
    server: &Server,
    chair_token: &str,
    watcher_token: &str,
    n: usize,
    start: bool,
) -> Results {
    let measure_memory = start;
    let mut chair = join(&server.url, chair_token).await;
    if start {
        let start = r#"{"type":"intent","id":"start","action":{"kind":"start_meeting"}}"#;
        chair.send(Message::text(start)).await.unwrap();
        while let Some(Ok(m)) = chair.next().await {
            if matches!(&m, Message::Text(t) if t.contains(r#""id":"start""#)) {
                break;
            }
        }
    }
    let rss0 = server.rss_kib();
    let clients = connect_many(&server.url, watcher_token, n).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let per_connection_kib =
        measure_memory.then(|| (server.rss_kib().saturating_sub(rss0)) as f64 / n as f64);
    // Each client reports (seq, when it arrived).
    let (tx, mut rx) = mpsc::unbounded_channel::<(u64, Instant)>();
    let ready = Arc::new(Barrier::new(n + 1));
    // Each client stays connected until every client has its events: clients that
    // hang up the moment they have the last event would have the server busy with
    // ten thousand departures while it is still delivering that event to the rest.
    let (leave, _) = tokio::sync::broadcast::channel::<()>(1);
    let mut handles = Vec::with_capacity(n);
    for mut ws in clients {
        let tx = tx.clone();
        let ready = ready.clone();
        let mut leave = leave.subscribe();
        handles.push(tokio::spawn(async move {
            ready.wait().await;
            let mut seen = 0;
            while seen < EVENTS {
                match ws.next().await {
                    Some(Ok(Message::Text(t))) if t.contains(r#""kind":"question_submitted""#) => {
                        if let Some(seq) = event_seq(&t) {
                            let _ = tx.send((seq, Instant::now()));
                            seen += 1;
                        }
                    }
                    Some(Ok(_)) => {}
                    _ => break,
                }
            }
            let _ = leave.recv().await;
            drop(ws);
        }));
    }
    drop(tx);
    ready.wait().await;
    let ticks0 = server.cpu_ticks();
    let text = "关于苏州河沿岸生态廊道全线贯通的时间安排，以及绿地养护资金如何保障？".repeat(3);
    let mut sent: Vec<(u64, Instant)> = Vec::new();
    let mut arrivals: Vec<(u64, Instant)> = Vec::with_capacity(n * EVENTS);
    for i in 0..EVENTS {
        let intent = serde_json::json!({"type":"intent","id":format!("f{i}"),"action":{"kind":"submit_question","department":"eco","text":text,"asker":"m01"}});
        let at = Instant::now();
        chair.send(Message::text(intent.to_string())).await.unwrap();
        // The chair's own copy tells which seq it became.
        let seq = loop {
            match chair.next().await {
                Some(Ok(Message::Text(t))) if t.contains(r#""kind":"question_submitted""#) => {
                    if let Some(seq) = event_seq(&t) {
                        break seq;
                    }
                }
                Some(Ok(Message::Text(t))) if t.contains(r#""type":"error""#) => {
                    panic!("the chair was refused: {t}")
                }
                Some(Ok(_)) => {}
                other => panic!("the chair's connection ended: {other:?}"),
            }
        };
        sent.push((seq, at));
        tokio::time::sleep(Duration::from_millis(300)).await;
        while let Ok(a) = rx.try_recv() {
            arrivals.push(a);
        }
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while arrivals.len() < n * EVENTS && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(1), rx.recv()).await {
            Ok(Some(a)) => arrivals.push(a),
            Ok(None) => break,
            Err(_) => {}
        }
    }
    assert_eq!(
        arrivals.len(),
        n * EVENTS,
        "every event reached every client"
    );
    let server_ms = (server.cpu_ticks() - ticks0) as f64 * 10.0;
    let _ = leave.send(());
    for handle in handles {
        let _ = handle.await;
    }
    // Each delivery's latency: from the intent sent to the event at that client.
    let sent: std::collections::HashMap<u64, Instant> = sent.into_iter().collect();
    if std::env::var("FANOUT_PER_EVENT").is_ok() {
        let mut per: std::collections::BTreeMap<u64, Vec<Duration>> = Default::default();
        for (seq, when) in &arrivals {
            per.entry(*seq)
                .or_default()
                .push(when.duration_since(sent[seq]));
        }
        for (seq, mut v) in per {
            v.sort();
            println!(
                "    seq {seq}: p50 {:?} p99 {:?} max {:?}",
                v[v.len() / 2],
                v[v.len() * 99 / 100],
                v[v.len() - 1]
            );
        }
    }
    let mut all: Vec<Duration> = arrivals
        .iter()
        .map(|(seq, when)| when.duration_since(sent[seq]))
        .collect();
    all.sort();
    let pick = |q: f64| {
        all[((all.len() as f64 * q).ceil() as usize)
            .saturating_sub(1)
            .min(all.len() - 1)]
    };
    Results {
        p50: pick(0.5),
        p99: pick(0.99),
        max: *all.last().unwrap(),
        per_connection_kib,
        server_us_per_delivery: server_ms * 1000.0 / (n * EVENTS) as f64,
    }
}
