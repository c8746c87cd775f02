//! `followups serve`'s port: the office's front ([`super::http::site`]) on
//! hyper's HTTP/1, behind the same door as the meeting's port
//! (`server::admission`): connections bounded in all, and per address
//! (IPv6 by its /64) those that have not yet shown a valid token, so that one
//! host cannot take every place; each given a header timeout, so that a slow or
//! idle client holds one place for ten seconds at most. A request's body is
//! read only once its token is known good, and within a deadline
//! (`Front::body_timeout`). With TLS (`--tls-cert`, `--tls-self-signed`, as
//! `serve` takes them) the port speaks https only: a plain request is sent to
//! the same page over https (`server::tls::redirect`) and never answered with
//! the office's data. Drained on stopping.

use super::http::Connection;
use crate::server::admission::{self, Admission};
use std::net::SocketAddr;
use std::time::Duration;

/// The bounds of `followups serve`'s port.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Open connections at most (fewer if the descriptor limit allows fewer);
    /// past it a new one is answered 503.
    pub max_connections: usize,
    /// Connections from one address (an IPv6 /64) that have not shown a valid
    /// token, at most; past it a new one from there is answered 503.
    pub max_strangers_per_address: usize,
    /// How long a request's headers (and a kept-alive connection's next
    /// request) may take; and a TLS handshake, its first byte included.
    pub header_timeout: Duration,
    /// https on the port.
    pub tls: Option<crate::tls::ServerTls>,
}

/// At most this many connections at once on `followups serve`.
pub const MAX_CONNECTIONS: usize = 512;

/// At most this many connections from one address that have shown no valid
/// token: a browser holds a few while it loads the pages, so a few dozen
/// people behind one address (an office's NAT) load theirs at once, and no
/// one host takes more than a quarter of the places.
pub const MAX_STRANGERS_PER_ADDRESS: usize = 128;

/// How long a request's headers (and a kept-alive connection's next request)
/// may take.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: MAX_CONNECTIONS,
            max_strangers_per_address: MAX_STRANGERS_PER_ADDRESS,
            header_timeout: HEADER_TIMEOUT,
            tls: None,
        }
    }
}

/// Serves `app` on `listener` until `stop` completes, then lets the requests
/// under way finish (five seconds at most).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    stop: impl std::future::Future<Output = ()>,
    limits: Limits,
) {
    let admission = Admission::new(
        limits.max_connections,
        limits.max_strangers_per_address,
        admission::raise_fd_limit(),
    );
    tracing::info!(
        connections = admission.capacity,
        per_address = limits.max_strangers_per_address,
        "listening"
    );
    let tls = limits
        .tls
        .as_ref()
        .map(|tls| tokio_rustls::TlsAcceptor::from(tls.config.clone()));
    let (stopping, stopped) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors, a connection reset before accept: go on.
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        match admission.admit(peer.ip()) {
            Ok(ticket) => {
                let connection = Connection::new(ticket, peer);
                let (app, timeout, stopped) = (app.clone(), limits.header_timeout, stopped.clone());
                match tls.clone() {
                    None => connections
                        .spawn(serve_one(stream, peer, connection, app, timeout, stopped)),
                    Some(acceptor) => connections.spawn(serve_tls(
                        acceptor, stream, peer, connection, app, timeout, stopped,
                    )),
                };
            }
            Err(refusal) => {
                tracing::debug!(%peer, ?refusal, "refused at the door");
                connections.spawn(crate::server::refuse(stream, refusal));
            }
        }
    }
    let _ = stopping.send(true);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(Duration::from_secs(5), drain)
        .await
        .is_err()
    {
        tracing::warn!("requests still under way after 5 s: stopped");
    }
}

/// A TLS connection: a plain request is sent to https; else the handshake, the
/// first byte and the whole of it within the header timeout, then HTTP.
async fn serve_tls(
    acceptor: tokio_rustls::TlsAcceptor,
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    connection: Connection,
    app: axum::Router,
    timeout: Duration,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    let deadline = tokio::time::Instant::now() + timeout;
    let plain = tokio::select! {
        plain = crate::server::tls::speaks_plain_http(&stream, deadline) => plain,
        _ = stopped.changed() => return,
    };
    if plain {
        return crate::server::tls::redirect(stream, peer, timeout).await;
    }
    let handshake = tokio::time::timeout_at(deadline, acceptor.accept(stream));
    let stream = tokio::select! {
        done = handshake => match done {
            Ok(Ok(stream)) => stream,
            Ok(Err(e)) => return tracing::debug!(%peer, "tls handshake failed: {e}"),
            Err(_) => return tracing::debug!(%peer, "tls handshake timed out"),
        },
        _ = stopped.changed() => return,
    };
    serve_one(stream, peer, connection, app, timeout, stopped).await;
}

/// One connection: HTTP/1 until it ends, each request told whose connection it
/// is (so that one showing a valid token stops counting against its address).
async fn serve_one<S>(
    stream: S,
    peer: SocketAddr,
    connection: Connection,
    app: axum::Router,
    timeout: Duration,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    use hyper_util::rt::{TokioIo, TokioTimer};
    let service =
        hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(connection.clone());
            tower::ServiceExt::oneshot(app.clone(), request)
        });
    let http = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(timeout)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(http);
    let served = tokio::select! {
        served = http.as_mut() => served,
        _ = stopped.changed() => {
            http.as_mut().graceful_shutdown();
            http.as_mut().await
        }
    };
    if let Err(e) = served {
        tracing::debug!(%peer, "http: {e}");
    }
}
