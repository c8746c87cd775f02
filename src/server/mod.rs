//! The websocket server: `run(listener, hub, tokens, config, shutdown)` is the whole
//! of it, shaped like tokio's mini-redis, so tests bind `127.0.0.1:0` and call it.
//!
//! Each connection is one task ([`connection`]); they share nothing but the hub's
//! handle and its published events, so a slow or hostile client never slows the
//! meeting or anyone else.

mod connection;
pub mod limits;
pub mod tokens;

use crate::hub::task::HubHandle;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
pub use tokens::Tokens;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// The limits of a connection; the defaults are the contract's.
#[derive(Debug, Clone)]
pub struct Config {
    pub hello_timeout: Duration,
    pub ping_interval: Duration,
    pub idle_timeout: Duration,
    /// Intents (any frames) per second, and the burst allowed above it.
    pub rate: f64,
    pub burst: f64,
    /// How many frames over the rate before the connection is closed with 1008.
    pub rate_strikes: u32,
    pub max_frame: usize,
    /// A client that cannot take a write for this long is too slow: closed with 4008.
    pub write_timeout: Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            hello_timeout: Duration::from_secs(10),
            ping_interval: Duration::from_secs(15),
            idle_timeout: Duration::from_secs(45),
            rate: 20.0,
            burst: 40.0,
            rate_strikes: 20,
            max_frame: 64 * 1024,
            write_timeout: Duration::from_secs(10),
        }
    }
}

pub(crate) struct Shared {
    pub hub: HubHandle,
    pub tokens: Tokens,
    pub config: Config,
}

/// Serves `/ws` on `listener` until `shutdown` completes; then every connection is
/// closed with 1001 and this returns when they are gone (or after five seconds).
pub async fn run(
    listener: TcpListener,
    hub: HubHandle,
    tokens: Tokens,
    config: Config,
    shutdown: impl Future,
) {
    let shared = Arc::new(Shared {
        hub,
        tokens,
        config,
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let shared = shared.clone();
                    let stop = stop_rx.clone();
                    connections.spawn(async move {
                        connection::serve(stream, peer, shared, stop).await;
                    });
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait a little, go on.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = &mut shutdown => break,
        }
    }
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(Duration::from_secs(5), async {
        while connections.join_next().await.is_some() {}
    });
    if drained.await.is_err() {
        connections.abort_all();
    }
}
