//! A hundred thousand on one machine: N websocket clients on loopback against a
//! `xieshang serve` child process (release build) and, in the same run, against
//! a minimal server that only upgrades and writes the bytes (`crowd/minimal.rs`).
//! For each server and N it measures:
//!
//! - joining: all N connect, upgrade and say hello at once; the time until the
//!   last is welcomed, and how many were turned away;
//! - memory while waiting: the server's RSS growth per idle connection ten
//!   seconds after the last joined, and the kernel's memory per socket beside it
//!   (the slab objects of a TCP socket and TCP's buffer pages; both ends of every
//!   connection are on this machine, so a connection is two sockets);
//! - the fan-out: a chair's question, one at a time, from the intent to its event
//!   at every client (p50, p99, the last), and the server's CPU per event per
//!   client.
//!
//! The bench raises its own limit on open files (as root) and the servers inherit
//! it; clients connect from 127.0.B.2, .3, … (10,000 each), a fresh block B
//! each run.
//!
//! cargo bench --bench crowd                       (10,000 and 100,000 clients)
//! CROWD_CLIENTS=10000 cargo bench --bench crowd
//! CROWD_SERVERS=minimal,xieshang CROWD_RUNS=2     (the servers alternate, each run)
//! CROWD_TLS=1                                     (xieshang over wss; the minimal server has no TLS)
//! CROWD_EVENTS=20 CROWD_IN_FLIGHT=2000            (connecting at once, default all)
//! CROWD_CAPS=default                              (xieshang's per-address caps as shipped)
//! CROWD_SAY_CLOSE=1                               (print each close a client had before its welcome)
//! FANOUT_BIN=/path/to/other/xieshang              (another build of the server)
//! CROWD_BEFORE=/path/to/xieshang CROWD_SERVERS=minimal,before,xieshang
//!                                                 (an older build beside this one, in the same run)

use futures_util::{SinkExt, StreamExt};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

#[path = "crowd/client.rs"]
mod client;
#[path = "crowd/minimal.rs"]
mod minimal;
#[path = "fanout/server.rs"]
mod server;

use client::{Board, Target};
use server::Server;

const PLAN: &str = include_str!("../scenarios/standing-committee-supervision.toml");

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    if std::env::var("CROWD_MINIMAL").is_ok_and(|v| v == "1") {
        return minimal::run();
    }
    let sizes: Vec<usize> = std::env::var("CROWD_CLIENTS")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    let tls = std::env::var("CROWD_TLS").is_ok_and(|v| v == "1");
    let servers: Vec<String> = std::env::var("CROWD_SERVERS")
        .unwrap_or_else(|_| {
            if tls {
                "xieshang".into()
            } else {
                "minimal,xieshang".into()
            }
        })
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    let runs: usize = env("CROWD_RUNS", 1);
    let events: usize = env("CROWD_EVENTS", 20);
    let largest = sizes.iter().copied().max().unwrap_or(0);
    let files = raise_open_files(largest as u64 * 2 + 10_000);
    println!("{}", machine());
    println!("open files: {files}; events {events}; tls {tls}");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(env("CROWD_CLIENT_THREADS", 2))
        .enable_all()
        .build()
        .unwrap();
    // Each client is a descriptor here and one in the server: a crowd larger than
    // the limit allows is cut to what it allows, and said so.
    let room = files.saturating_sub(200) as usize;
    let mut block = 0u8;
    let mut table = Vec::new();
    for &asked in &sizes {
        let n = asked.min(room);
        if n < asked {
            println!(
                "\n{asked} clients need {} open files in this process and in the server; \
                 the limit here is {files} and cannot be raised (it needs CAP_SYS_RESOURCE): \
                 {n} clients instead",
                asked + 200
            );
        }
        for run in 0..runs {
            for kind in &servers {
                block = block.wrapping_add(1).max(1);
                println!("\n{kind}, {n} clients (run {})", run + 1);
                let r = runtime.block_on(measure(kind, n, events, tls, block));
                r.print();
                table.push(r);
                std::thread::sleep(Duration::from_secs(2));
            }
        }
    }
    println!("\n| server | clients | welcomed | turned away | join | server CPU per join (µs) | KiB per idle connection | kernel bytes per socket (its slab objects and TCP buffers; two sockets a connection) | event p50 | p99 | last | CPU µs per event per client |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in &table {
        println!("{}", r.row());
    }
    // The tasks of a hundred thousand clients are dropped with the runtime.
    runtime.shutdown_background();
}

/// The limit on open files for this process and the servers it starts, raised to
/// `want` where the system lets it (the hard limit only as root).
fn raise_open_files(want: u64) -> u64 {
    use rlimit::Resource;
    let (soft, hard) = rlimit::getrlimit(Resource::NOFILE).unwrap_or((1024, 1024));
    if soft >= want {
        return soft;
    }
    if rlimit::setrlimit(Resource::NOFILE, want, want.max(hard)).is_ok() {
        return want;
    }
    let _ = rlimit::setrlimit(Resource::NOFILE, hard, hard);
    println!(
        "the limit on open files cannot be raised to {want} (that needs CAP_SYS_RESOURCE): {hard}"
    );
    hard
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap_or("?")
        .trim()
        .to_string();
    let cores = cpu.lines().filter(|l| l.starts_with("processor")).count();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!("machine: {cores} × {model}, Linux {}", kernel.trim())
}

struct Measured {
    kind: String,
    n: usize,
    welcomed: usize,
    failed: usize,
    join: Duration,
    /// The server's CPU over the join, per client welcomed (µs).
    join_us: f64,
    kib: f64,
    kernel_bytes: f64,
    p50: Duration,
    p99: Duration,
    last: Duration,
    missing: usize,
    us_per_delivery: f64,
}

impl Measured {
    fn print(&self) {
        println!(
            "  joined: {} welcomed, {} turned away, the last after {:.2} s; the server's CPU {:.0} µs a client",
            self.welcomed,
            self.failed,
            self.join.as_secs_f64(),
            self.join_us
        );
        println!(
            "  memory while waiting: {:.2} KiB per connection in the server; the kernel {:.0} bytes per socket",
            self.kib, self.kernel_bytes
        );
        println!(
            "  intent to event at every client: p50 {:.1} ms, p99 {:.1} ms, the last {:.1} ms ({} deliveries missing)",
            ms(self.p50),
            ms(self.p99),
            ms(self.last),
            self.missing
        );
        println!(
            "  server CPU per event per client: {:.2} µs",
            self.us_per_delivery
        );
    }

    fn row(&self) -> String {
        format!(
            "| {} | {} | {} | {} | {:.2} s | {:.0} | {:.2} | {:.0} | {:.0} ms | {:.0} ms | {:.0} ms | {:.2} |",
            self.kind,
            self.n,
            self.welcomed,
            self.failed,
            self.join.as_secs_f64(),
            self.join_us,
            self.kib,
            self.kernel_bytes,
            ms(self.p50),
            ms(self.p99),
            ms(self.last),
            self.us_per_delivery
        )
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn minimal_server() -> Server {
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .env("CROWD_MINIMAL", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    println!("server: the minimal one");
    let url = server::first_url(&mut child);
    Server {
        child,
        url,
        tls: None,
    }
}

async fn measure(kind: &str, n: usize, events: usize, tls: bool, block: u8) -> Measured {
    let dir = tempfile::tempdir().unwrap();
    let (server, chair_token, token) = match kind {
        "minimal" => (minimal_server(), "chair".to_string(), "o01".to_string()),
        _ => {
            let plan = dir.path().join("plan.toml");
            std::fs::write(&plan, PLAN).unwrap();
            let journal = dir.path().join("crowd.journal");
            let room = (n + 1000).to_string();
            let mut extra = vec!["--max-connections", &room, "--max-per-address", "0"];
            if std::env::var("CROWD_CAPS").map_or(true, |v| v != "default") {
                extra.extend(["--max-unauthenticated-per-address", &room]);
            }
            if tls {
                extra.push("--tls-self-signed");
            }
            let mut args: Vec<String> = [
                "serve",
                &plan.display().to_string(),
                "--listen",
                "127.0.0.1:0",
                "--journal",
                &journal.display().to_string(),
            ]
            .iter()
            .map(|a| a.to_string())
            .collect();
            args.extend(extra.iter().map(|a| a.to_string()));
            let bin = match kind {
                "before" => {
                    std::env::var("CROWD_BEFORE").expect("CROWD_BEFORE names the build to compare")
                }
                _ => std::env::var("FANOUT_BIN")
                    .unwrap_or_else(|_| env!("CARGO_BIN_EXE_xieshang").to_string()),
            };
            let server = if tls {
                let mut s = Server::program(&bin, &args);
                let (cert, _) = xieshang::tls::self_signed_paths(&journal);
                s.tls = Some(xieshang::tls::client(Some(&cert)).expect("the certificate"));
                s
            } else {
                Server::program(&bin, &args)
            };
            let tokens: std::collections::BTreeMap<String, String> = serde_json::from_slice(
                &std::fs::read(format!("{}.tokens", journal.display())).unwrap(),
            )
            .unwrap();
            (server, tokens["chair"].clone(), tokens["o01"].clone())
        }
    };
    let address: std::net::SocketAddr = server
        .url
        .trim_start_matches("wss://")
        .trim_start_matches("ws://")
        .trim_end_matches("/ws")
        .parse()
        .unwrap();
    let mut chair = chair(&server, &chair_token, kind != "minimal").await;
    let target = Arc::new(Target {
        server: address,
        token,
        tls: server.tls.clone(),
        block,
    });

    // One client first: what any server holds for its first, not counted.
    let warm = Board::new(1, 0);
    let first = tokio::spawn(client::client(0, target.clone(), warm.clone(), None));
    wait_for(
        || warm.welcomed.load(Ordering::Relaxed) + warm.failed.load(Ordering::Relaxed) == 1,
        Duration::from_secs(30),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (rss0, kernel0) = (server.rss_kib(), kernel_bytes());

    // Joining: every client at once (or CROWD_IN_FLIGHT at a time).
    let board = Board::new(n, events);
    let gate = std::env::var("CROWD_IN_FLIGHT")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(|k| Arc::new(tokio::sync::Semaphore::new(k)));
    let join_ticks0 = server.cpu_ticks();
    let overflows0 = listen_overflows();
    let started = board.base.elapsed();
    let clients: Vec<_> = (0..n)
        .map(|i| {
            tokio::spawn(client::client(
                i,
                target.clone(),
                board.clone(),
                gate.clone(),
            ))
        })
        .collect();
    wait_for(
        || board.welcomed.load(Ordering::Relaxed) + board.failed.load(Ordering::Relaxed) >= n,
        Duration::from_secs(300),
    )
    .await;
    let welcomed = board.welcomed.load(Ordering::Relaxed);
    let failed = n - welcomed;
    if failed > 0 {
        println!(
            "  turned away: {} never connected, {} answered without the upgrade, the rest closed before a welcome",
            board.unconnected.load(Ordering::Relaxed),
            board.not_upgraded.load(Ordering::Relaxed)
        );
    }
    let join =
        Duration::from_nanos(board.last_welcome_ns.load(Ordering::Relaxed)).saturating_sub(started);
    let join_cpu = server.cpu_ticks() - join_ticks0;
    println!(
        "  the listen queue overflowed {} times during the join (each a SYN dropped and sent again a second or more later)",
        listen_overflows() - overflows0
    );

    // Memory while waiting.
    tokio::time::sleep(Duration::from_secs(10)).await;
    let kib = server.rss_kib().saturating_sub(rss0) as f64 / welcomed.max(1) as f64;
    let kernel = (kernel_bytes() - kernel0) / (2 * welcomed.max(1)) as f64;

    // The fan-out: one question at a time, each measured alone.
    let text = "关于苏州河沿岸生态廊道全线贯通的时间安排，以及绿地养护资金如何保障？".repeat(3);
    let mut sent = Vec::with_capacity(events);
    let mut ticks = 0;
    for i in 0..events {
        let intent = serde_json::json!({"type":"intent","id":format!("c{i}"),"action":{"kind":"submit_question","department":"eco","text":text,"asker":"m01"}});
        let ticks0 = server.cpu_ticks();
        sent.push(board.base.elapsed());
        chair.send(Message::text(intent.to_string())).await.unwrap();
        own_copy(&mut chair).await;
        wait_for(
            || board.got[i].load(Ordering::Acquire) >= welcomed,
            Duration::from_secs(60),
        )
        .await;
        ticks += server.cpu_ticks() - ticks0;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut latencies = Vec::with_capacity(welcomed * events);
    let mut missing = 0;
    for c in 0..n {
        for (i, at) in sent.iter().enumerate() {
            match board.arrivals[c * events + i].load(Ordering::Relaxed) {
                0 => missing += 1,
                t => latencies.push(Duration::from_nanos(t - 1).saturating_sub(*at)),
            }
        }
    }
    missing -= failed * events;
    latencies.sort();
    let pick = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or_default()
    };
    let measured = Measured {
        kind: format!("{kind}{}", if tls { " (TLS)" } else { "" }),
        n,
        welcomed,
        failed,
        join,
        join_us: join_cpu as f64 * 10_000.0 / welcomed.max(1) as f64,
        kib,
        kernel_bytes: kernel,
        p50: pick(0.5),
        p99: pick(0.99),
        last: latencies.last().copied().unwrap_or_default(),
        missing,
        us_per_delivery: ticks as f64 * 10_000.0 / (events * welcomed.max(1)) as f64,
    };
    // The server goes first, so that the clients' ports are not left waiting.
    drop(server);
    drop(chair);
    for c in clients {
        c.abort();
    }
    first.abort();
    measured
}

async fn wait_for(done: impl Fn() -> bool, limit: Duration) {
    let deadline = Instant::now() + limit;
    while !done() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

type Chair =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The chair's connection; xieshang's meeting is started.
async fn chair(server: &Server, token: &str, start: bool) -> Chair {
    let connector = server.tls.clone().map(tokio_tungstenite::Connector::Rustls);
    let (mut ws, _) =
        tokio_tungstenite::connect_async_tls_with_config(&server.url, None, false, connector)
            .await
            .expect("the chair connects");
    let hello = format!(r#"{{"type":"hello","protocol":1,"token":"{token}"}}"#);
    ws.send(Message::text(hello)).await.unwrap();
    while let Some(Ok(m)) = ws.next().await {
        if matches!(&m, Message::Text(t) if t.contains(r#""type":"welcome""#)) {
            break;
        }
    }
    if start {
        let start = r#"{"type":"intent","id":"start","action":{"kind":"start_meeting"}}"#;
        ws.send(Message::text(start)).await.unwrap();
        while let Some(Ok(m)) = ws.next().await {
            if matches!(&m, Message::Text(t) if t.contains(r#""id":"start""#)) {
                break;
            }
        }
    }
    ws
}

/// Reads the chair's own copy of the question it just asked.
async fn own_copy(chair: &mut Chair) {
    loop {
        match chair.next().await {
            Some(Ok(Message::Text(t))) if t.contains(r#""kind":"question_submitted""#) => return,
            Some(Ok(Message::Text(t))) if t.contains(r#""type":"error""#) => {
                panic!("the chair was refused: {t}")
            }
            Some(Ok(_)) => {}
            other => panic!("the chair's connection ended: {other:?}"),
        }
    }
}

/// What the kernel holds for sockets, in bytes: the slab caches a TCP socket's
/// objects come from (the socket, its inode, its open file, its dentry, each
/// process's epoll entry for it) and TCP's buffer pages. Counted by objects in
/// use, so that what other processes free or cache does not blur it much.
fn kernel_bytes() -> f64 {
    const CACHES: [&str; 5] = ["TCP", "sock_inode_cache", "filp", "dentry", "eventpoll_epi"];
    let slabinfo = std::fs::read_to_string("/proc/slabinfo").unwrap_or_default();
    let slabs: f64 = slabinfo
        .lines()
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            (w.len() > 3 && CACHES.contains(&w[0]))
                .then(|| w[1].parse::<f64>().unwrap_or(0.0) * w[3].parse::<f64>().unwrap_or(0.0))
        })
        .sum();
    let sockstat = std::fs::read_to_string("/proc/net/sockstat").unwrap_or_default();
    let tcp_pages: f64 = sockstat
        .lines()
        .find(|l| l.starts_with("TCP:"))
        .and_then(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            words
                .iter()
                .position(|w| *w == "mem")
                .and_then(|i| words.get(i + 1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0.0);
    slabs + tcp_pages * 4096.0
}

/// TCP's count of SYNs and handshakes dropped at a listening socket (a full queue among them).
fn listen_overflows() -> u64 {
    let netstat = std::fs::read_to_string("/proc/net/netstat").unwrap_or_default();
    let mut lines = netstat.lines().filter(|l| l.starts_with("TcpExt:"));
    let (Some(names), Some(values)) = (lines.next(), lines.next()) else {
        return 0;
    };
    names
        .split_whitespace()
        .zip(values.split_whitespace())
        .find(|(name, _)| *name == "ListenDrops")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
}
