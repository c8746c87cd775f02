//! What each byte of an idle connection is for: the meeting's server runs in this
//! process on a runtime of its own, under an allocator that counts what that
//! runtime's threads hold, by size; N idle clients (the `idle` bench's, on another
//! runtime, not counted) say hello, take their welcome and sit. The heap it holds
//! per connection is printed, with the allocations that every connection has (the
//! sizes held about once, or a few times, per client) and the sizes of the types
//! they come from; and the kernel's memory for the sockets (`/proc/net/sockstat`),
//! the server's side and the clients' both, since both are on this machine.
//!
//! cargo bench --bench idle_bytes                 (2,000 clients, plain)
//! IDLE_CLIENTS=10000 IDLE_TLS=1 cargo bench --bench idle_bytes

#[path = "fanout/server.rs"]
mod server;

use futures_util::StreamExt;
use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicI64, Ordering::Relaxed};
use std::time::Duration;
use xieshang::meeting::Role;

/// Requested sizes are counted in steps of this many bytes up to [`BUCKETS`] steps.
const STEP: usize = 8;
const BUCKETS: usize = 8192;

/// Live bytes and live allocations of the server's threads, by requested size.
struct Census {
    bytes: [AtomicI64; BUCKETS + 1],
    count: [AtomicI64; BUCKETS + 1],
}

static CENSUS: Census = Census {
    bytes: [const { AtomicI64::new(0) }; BUCKETS + 1],
    count: [const { AtomicI64::new(0) }; BUCKETS + 1],
};

thread_local! {
    /// Whether this thread is one of the server's.
    static SERVER: Cell<bool> = const { Cell::new(false) };
}

/// The allocator the binary uses, counting.
struct Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn count(size: usize, sign: i64) {
    if SERVER.with(Cell::get) {
        let b = size.div_ceil(STEP).min(BUCKETS);
        CENSUS.bytes[b].fetch_add(sign * size as i64, Relaxed);
        CENSUS.count[b].fetch_add(sign, Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size(), 1);
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size(), 1);
        unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(layout.size(), -1);
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        count(layout.size(), -1);
        count(new, 1);
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new) }
    }
}

/// What the census says at one moment.
struct Snapshot {
    bytes: Vec<i64>,
    count: Vec<i64>,
}

fn snapshot() -> Snapshot {
    Snapshot {
        bytes: CENSUS.bytes.iter().map(|a| a.load(Relaxed)).collect(),
        count: CENSUS.count.iter().map(|a| a.load(Relaxed)).collect(),
    }
}

/// The kernel's slab caches: name, objects in use, and each one's size.
fn slabs() -> std::collections::BTreeMap<String, (i64, i64)> {
    let text = std::fs::read_to_string("/proc/slabinfo").unwrap_or_default();
    text.lines()
        .skip(2)
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            Some((
                w.first()?.to_string(),
                (w.get(1)?.parse().ok()?, w.get(3)?.parse().ok()?),
            ))
        })
        .collect()
}

/// The kernel's TCP memory (pages) and this process's RSS (KiB).
fn kernel_tcp_pages() -> i64 {
    let text = std::fs::read_to_string("/proc/net/sockstat").unwrap_or_default();
    text.lines()
        .find(|l| l.starts_with("TCP:"))
        .and_then(|l| l.split_whitespace().skip_while(|w| *w != "mem").nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn rss_kib() -> i64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

const PLAN: &str = include_str!("../scenarios/standing-committee-supervision.toml");

fn main() {
    let clients: usize = std::env::var("IDLE_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let tls = std::env::var("IDLE_TLS").is_ok_and(|v| v == "1");
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("idle.journal");
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .on_thread_start(|| SERVER.with(|s| s.set(true)))
        .enable_all()
        .build()
        .unwrap();
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server_tls = tls.then(|| {
        xieshang::tls::self_signed(&journal, &["127.0.0.1".to_string()]).expect("a certificate")
    });
    let client_tls = tls.then(|| {
        let (cert, _) = xieshang::tls::self_signed_paths(&journal);
        xieshang::tls::client(Some(&cert)).expect("the certificate")
    });
    let (url, token) = server_rt.block_on(async {
        let plan = xieshang::meeting::scenario::parse_plan("plan.toml", PLAN).unwrap();
        let tokens = xieshang::server::Tokens::load_or_create(
            &xieshang::server::tokens::path_for(&journal),
            &plan,
        )
        .unwrap();
        let token = tokens
            .all()
            .into_iter()
            .find(|(_, you)| you.role == Role::Observer)
            .map(|(t, _)| t)
            .expect("an observer");
        let opened = xieshang::hub::Hub::open(
            plan,
            &xieshang::journal::digest(PLAN.as_bytes()),
            &journal,
            xieshang::clock::now_ms(),
        )
        .unwrap();
        let (hub, _) = xieshang::hub::task::spawn_observed(
            opened.hub,
            &opened.history,
            xieshang::hub::task::RECENT,
            tokens.walk_ins(),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}/ws", listener.local_addr().unwrap());
        let config = xieshang::server::Config {
            max_per_address: 0,
            tls: server_tls,
            ..Default::default()
        };
        tokio::spawn(xieshang::server::run(
            listener,
            hub,
            tokens,
            config,
            std::future::pending::<()>(),
        ));
        (url, token)
    });
    println!(
        "{clients} idle clients{}, plan of 12",
        if tls { " over TLS" } else { "" }
    );
    let (held, before, after, pages) = client_rt.block_on(async {
        // One client first: what every server holds anyway is not counted.
        let (first, _) = server::idle_client(&url, &token, client_tls.as_ref()).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let before = snapshot();
        let pages0 = kernel_tcp_pages();
        let slabs0 = slabs();
        let rss0 = rss_kib();
        let all: Vec<_> = futures_util::stream::iter(0..clients)
            .map(|_| server::idle_client(&url, &token, client_tls.as_ref()))
            .buffer_unordered(128)
            .collect()
            .await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        let after = snapshot();
        let pages = kernel_tcp_pages() - pages0;
        let slabs1 = slabs();
        let n = clients as i64;
        println!("  the kernel's slab objects per connection (server and client sockets both; caches grown by at least N/2):");
        let mut total = 0;
        for (name, (objs, size)) in &slabs1 {
            let grown = objs - slabs0.get(name).map_or(0, |s| s.0);
            if grown * 2 >= n {
                total += grown * size;
                println!(
                    "    {name:<24} {:>5.2} × {size:>5} bytes = {:>6.0} bytes",
                    grown as f64 / n as f64,
                    (grown * size) as f64 / n as f64
                );
            }
        }
        println!("    in all {:.2} KiB per connection (both ends)", total as f64 / n as f64 / 1024.0);
        println!(
            "  this process's RSS (server and clients): {:.1} KiB per connection",
            (rss_kib() - rss0) as f64 / clients as f64
        );
        (
            vec![(first, 0)].into_iter().chain(all).collect::<Vec<_>>(),
            before,
            after,
            pages,
        )
    });
    let n = clients as f64;
    let live: i64 = (0..=BUCKETS)
        .map(|b| after.bytes[b] - before.bytes[b])
        .sum();
    println!(
        "  the server's live heap: {:.0} bytes per connection (requested sizes, before the allocator's rounding)",
        live as f64 / n
    );
    println!("  allocations held per connection (at least one in two connections holds one):");
    println!(
        "    {:>9} {:>10} {:>11}",
        "size", "per conn.", "bytes/conn."
    );
    let mut listed = 0i64;
    for b in 0..=BUCKETS {
        let c = after.count[b] - before.count[b];
        let bytes = after.bytes[b] - before.bytes[b];
        if c as f64 >= n / 2.0 {
            listed += bytes;
            let size = if b == BUCKETS {
                format!(">{}", BUCKETS * STEP)
            } else {
                format!("{}–{}", (b.max(1) - 1) * STEP + 1, b * STEP)
            };
            println!(
                "    {size:>9} {:>10.2} {:>11.0}",
                c as f64 / n,
                bytes as f64 / n
            );
        }
    }
    println!(
        "    (the rest: {:.0} bytes per connection)",
        (live - listed) as f64 / n
    );
    println!(
        "  the kernel's TCP memory: {pages} pages for {clients} connections, both ends: {:.2} KiB per connection pair",
        pages as f64 * 4.0 / n
    );
    types();
    for (task, _) in held {
        task.abort();
    }
    drop(client_rt);
    drop(server_rt);
}

/// The sizes of the types a connection holds, to name the allocations above.
fn types() {
    use std::mem::size_of;
    type Ws<S> = tokio_tungstenite::WebSocketStream<S>;
    type Tls = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    println!("  sizes of types (inline in the connection's task unless boxed):");
    for (name, size) in [
        ("tokio::net::TcpStream", size_of::<tokio::net::TcpStream>()),
        (
            "WebSocketStream<TcpStream>",
            size_of::<Ws<tokio::net::TcpStream>>(),
        ),
        ("WebSocketStream<TlsStream>", size_of::<Ws<Tls>>()),
        ("tokio_rustls::server::TlsStream", size_of::<Tls>()),
        (
            "rustls::ServerConnection",
            size_of::<rustls::ServerConnection>(),
        ),
        ("tokio::time::Interval", size_of::<tokio::time::Interval>()),
        ("tokio::time::Sleep", size_of::<tokio::time::Sleep>()),
        (
            "broadcast::Receiver",
            size_of::<tokio::sync::broadcast::Receiver<()>>(),
        ),
        (
            "xieshang::protocol::You",
            size_of::<xieshang::protocol::You>(),
        ),
    ] {
        println!("    {name:<32} {size:>6}");
    }
}
