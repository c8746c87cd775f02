//! Memory per idle connection, as the plan grows: a `xieshang serve` child process
//! (release build) on plans of 12, 300, 2,000 and 7,000 participants; N clients
//! (one shared observer token, a watching audience) say hello, take their welcome
//! and sit idle; the server's RSS growth over N, ten seconds after the last has
//! joined, is the figure.
//!
//! cargo bench --bench idle                       (10,000 clients per plan)
//! IDLE_CLIENTS=2000 IDLE_PLANS=12,300 cargo bench --bench idle
//! FANOUT_BIN=/path/to/other/xieshang             (another build, in the same run)
//! IDLE_TLS=1                                     (wss: --tls-self-signed)
//! IDLE_NODE=1                                    (and Node's `ws`, with the same TLS or none)

#[path = "fanout/server.rs"]
mod server;

use futures_util::StreamExt;
use server::{idle_client, Server};
use std::time::Duration;

const PLAN: &str = include_str!("../scenarios/standing-committee-supervision.toml");

/// The bundled plan with members added until it has `n` participants.
fn plan_of(n: usize) -> String {
    let base = PLAN.matches("[[participants]]").count();
    let mut text = PLAN.to_string();
    for i in base..n {
        text.push_str(&format!(
            "\n[[participants]]\nid = \"x{i}\"\nname = \"委员{i}号\"\nrole = \"member\"\nsector = \"界别{}\"\n",
            i % 34
        ));
    }
    text
}

fn main() {
    let clients: usize = std::env::var("IDLE_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let plans: Vec<usize> = std::env::var("IDLE_PLANS")
        .unwrap_or_else(|_| "12,300,2000,7000".into())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    for n in plans {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("plan.toml");
        std::fs::write(&plan, plan_of(n)).unwrap();
        let journal = dir.path().join("idle.journal");
        let mut server = if std::env::var("IDLE_TLS").is_ok_and(|v| v == "1") {
            Server::xieshang_tls(&plan, &journal)
        } else {
            Server::xieshang(&plan, &journal)
        };
        let tls = server.tls.clone();
        let tokens: std::collections::BTreeMap<String, String> = serde_json::from_slice(
            &std::fs::read(format!("{}.tokens", journal.display())).unwrap(),
        )
        .unwrap();
        let token = &tokens["o01"];
        let (kib, welcome) = measure(&runtime, &server, token, clients);
        println!(
            "plan of {n} participants: welcome {:.0} KiB; {clients} idle clients: {kib:.1} KiB per connection",
            welcome as f64 / 1024.0
        );
        server.stop();
        if std::env::var("IDLE_NODE").is_ok_and(|v| v == "1") {
            let node = match &tls {
                Some(_) => Server::node_tls(dir.path(), &journal),
                None => Server::node(dir.path()),
            };
            let Some(mut node) = node else {
                println!("node's ws: skipped (no node or npm)");
                continue;
            };
            let (kib, _) = measure(&runtime, &node, token, clients);
            println!(
                "node's ws{}: {clients} idle clients: {kib:.1} KiB per connection",
                if tls.is_some() { " over TLS" } else { "" }
            );
            node.stop();
        }
    }
}

/// The server's RSS growth per connection, ten seconds after `clients` idle
/// clients joined, and the welcome's size.
fn measure(
    runtime: &tokio::runtime::Runtime,
    server: &Server,
    token: &str,
    clients: usize,
) -> (f64, usize) {
    let tls = server.tls.clone();
    runtime.block_on(async {
        // One client first, so that what every server holds anyway (and the
        // first welcome's buffers) is not counted.
        let (first, welcome) = idle_client(&server.url, token, tls.as_ref()).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let rss0 = server.rss_kib();
        let all: Vec<_> = futures_util::stream::iter(0..clients)
            .map(|_| idle_client(&server.url, token, tls.as_ref()))
            .buffer_unordered(128)
            .collect()
            .await;
        // The allocator gives back what the burst of welcomes used a little
        // after it; what stays is what the idle connections hold.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let soon = server.rss_kib().saturating_sub(rss0) as f64 / clients as f64;
        tokio::time::sleep(Duration::from_secs(10)).await;
        let kib = server.rss_kib().saturating_sub(rss0) as f64 / clients as f64;
        println!("  (2 s after the last client joined: {soon:.1} KiB per connection)");
        for (task, _) in all {
            task.abort();
        }
        first.abort();
        (kib, welcome)
    })
}
