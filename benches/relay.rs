//! Relays over NATS JetStream, on this machine (every process shares its cores):
//!
//! 1. the hub's CPU per event: without --nats, and with --nats and 0, 1 and 3
//!    relays following (it must not grow with the audience);
//! 2. the latency a relay adds: an intent at the hub to its event at a viewer of a
//!    relay, against a viewer of the hub itself, in the same run;
//! 3. a relay's memory per idle viewer;
//! 4. 2 relays × N viewers (5,000 each by default): intent to event at every
//!    viewer, p50, p99 and the last.
//!
//! cargo bench --bench relay                 (needs nats-server)
//! RELAY_VIEWERS=1000 cargo bench --bench relay
//! RELAY_CPU_ONLY=1 cargo bench --bench relay   (part 1 only)

use futures_util::{SinkExt, StreamExt};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

#[path = "fanout/server.rs"]
mod server;

use server::{connect_many, event_seq, join, Server, Ws};

const PLAN: &str = include_str!("../scenarios/standing-committee-supervision.toml");

struct Nats {
    child: Child,
    url: String,
    _store: tempfile::TempDir,
}

impl Nats {
    fn start() -> Option<Nats> {
        let program = ["nats-server", "/usr/sbin/nats-server"]
            .into_iter()
            .find(|p| Command::new(p).arg("--version").output().is_ok())?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let store = tempfile::tempdir().unwrap();
        let child = Command::new(program)
            .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
            .arg(store.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(Nats {
            child,
            url: format!("nats://127.0.0.1:{port}"),
            _store: store,
        })
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
    let viewers: usize = std::env::var("RELAY_VIEWERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, PLAN).unwrap();

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
        let (us, events) = runtime.block_on(hub_cpu(&hub, &tokens));
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
}

fn tokens(journal: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    serde_json::from_slice(&std::fs::read(format!("{}.tokens", journal.display())).unwrap())
        .unwrap()
}

/// A relay of meeting `id`, trusting the key kept beside its `journal`.
fn relay(nats: &Nats, id: &str, journal: &std::path::Path) -> Server {
    Server::xieshang_args(&[
        "relay".into(),
        "--nats".into(),
        nats.url.clone(),
        "--meeting".into(),
        id.into(),
        "--listen".into(),
        "127.0.0.1:0".into(),
        "--publisher-key".into(),
        format!("{}.publisher.pub", journal.display()),
    ])
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

/// 800 events from 8 participants (within their rate limits); the hub's CPU per event.
async fn hub_cpu(
    hub: &Server,
    tokens: &std::collections::BTreeMap<String, String>,
) -> (f64, usize) {
    let mut chair = join(&hub.url, &tokens["chair"]).await;
    intent(&mut chair, "s", serde_json::json!({"kind":"start_meeting"})).await;
    let rounds: usize = std::env::var("RELAY_CPU_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
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
    let ticks0 = hub.cpu_ticks();
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
    let events = who.len() * rounds * 2;
    let ms = (hub.cpu_ticks() - ticks0) as f64 * 10.0;
    (ms * 1000.0 / events as f64, events)
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
