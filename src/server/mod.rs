//! The meeting's port: `run(listener, hub, tokens, config, shutdown)` is the whole
//! of it, shaped like tokio's mini-redis, so tests bind `127.0.0.1:0` and call it.
//!
//! - [`admission`]: who gets a connection (caps in total and per address).
//! - [`http`]: the routes (`/ws`, `/healthz`, `/`), on hyper's HTTP/1.
//! - [`session`]: one participant's websocket after the upgrade.
//!
//! Each connection is one task: HTTP until it upgrades, then the websocket session
//! on the same task. Connections share nothing but the hub's handle and its
//! published events, so a slow or hostile client never slows the meeting or anyone
//! else.

pub mod admission;
mod http;
mod inbox;
pub mod limits;
mod outbox;
pub mod seats;
mod session;
pub(crate) mod tls;
pub mod tokens;

use crate::hub::task::HubHandle;
use admission::{Admission, Refusal, Ticket};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
pub use tokens::Tokens;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
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
    /// Open connections at most (fewer if the descriptor limit allows fewer).
    pub max_connections: usize,
    /// Connections per address that have not said a valid hello, at most.
    pub max_strangers_per_address: usize,
    /// Connections one participant (a personal token) holds at once; a new one
    /// replaces the oldest.
    pub max_per_participant: usize,
    /// Observer connections (a shared token: the audience) from one address at
    /// once; 0 for no bound (behind a proxy every client has its address).
    pub max_per_address: usize,
    /// How long an HTTP request's headers may take, and a kept-alive connection may
    /// wait for its next request; and a TLS handshake may take.
    pub http_timeout: Duration,
    /// TLS on the port (https and wss), when the chair gave or asked for a
    /// certificate.
    pub tls: Option<crate::tls::ServerTls>,
    /// Why connections are closed (1001) when the server stops: the chair's
    /// console closing pauses the meeting (`close::CHAIR_LEFT`).
    pub stop_reason: &'static str,
    /// What every connection is told as it changes, and on joining while it holds
    /// (a relay: its stream lost, then found): `notice` frames.
    pub notices: Option<tokio::sync::watch::Receiver<Option<Notice>>>,
    /// What is served when it is not a live meeting one can take part in:
    /// `replay` (a recorded meeting played) or `broadcast` (a relay), told in
    /// `welcome.watch` so a page says so from its first screen.
    pub watch: Option<&'static str>,
    /// More routes on the same port, from whoever starts it (`serve
    /// --register`: the office's pages).
    pub routes: axum::Router,
}

/// A `notice` frame's reason and sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub reason: &'static str,
    pub zh: String,
    pub en: String,
    /// Says that what was wrong is over (told to those connected, not to newcomers).
    pub all_clear: bool,
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
            max_connections: 20_000,
            max_strangers_per_address: 256,
            max_per_participant: 4,
            max_per_address: 1000,
            http_timeout: Duration::from_secs(10),
            tls: None,
            stop_reason: crate::protocol::close::SHUTTING_DOWN,
            notices: None,
            watch: None,
            routes: axum::Router::new(),
        }
    }
}

pub(crate) struct Shared {
    pub hub: HubHandle,
    pub tokens: Tokens,
    pub config: Config,
    pub seats: Arc<seats::Seats>,
    tls: Option<tokio_rustls::TlsAcceptor>,
}

/// Serves the meeting's port on `listener` until `shutdown` completes; then every
/// websocket is closed with 1001 and this returns when they are gone (or after five
/// seconds).
pub async fn run(
    listener: TcpListener,
    hub: HubHandle,
    tokens: Tokens,
    config: Config,
    shutdown: impl Future,
) {
    let admission = Admission::new(
        config.max_connections,
        config.max_strangers_per_address,
        admission::raise_fd_limit(),
    );
    tracing::info!(connections = admission.capacity, "listening");
    let tls = config
        .tls
        .as_ref()
        .map(|tls| tokio_rustls::TlsAcceptor::from(tls.config.clone()));
    let shared = Arc::new(Shared {
        hub,
        tokens,
        seats: seats::Seats::new(config.max_per_participant, config.max_per_address),
        config,
        tls,
    });
    let router = http::router(shared.clone(), shared.config.routes.clone());
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    // A descriptor kept free, so that a connection can still be accepted (and
    // refused) when the process has run out of them.
    let mut reserve = std::fs::File::open("/dev/null").ok();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            // Unconstrained by tokio's budget: a hall joining at once is taken off
            // the listen queue as fast as it arrives, not a hundred or so each
            // time this task's turn comes round among thousands of connections
            // (the queue fills meanwhile, and each SYN it drops waits a second).
            accepted = tokio::task::unconstrained(listener.accept()) => match accepted {
                Ok((stream, peer)) => match admission.admit(peer.ip()) {
                    Ok(ticket) => {
                        // Everything the connection logs says whose it is (the
                        // participant once known) with `RUST_LOG=xieshang::server=debug`.
                        // A debug span: at the default level it costs nothing, where an
                        // enabled span per connection cost 2 KiB and a lookup per poll.
                        let span = tracing::debug_span!("connection", %peer, participant = tracing::field::Empty);
                        let (shared, router, stop) = (shared.clone(), router.clone(), stop_rx.clone());
                        // A task of each kind: a plain connection's task holds no
                        // room for TLS, nor a TLS one's for a plain stream.
                        match shared.tls.clone() {
                            None => {
                                let serving = connection(stream, peer, ticket, shared, router, stop);
                                connections.spawn(tracing::Instrument::instrument(serving, span))
                            }
                            Some(tls) => {
                                let serving = tls_connection(tls, stream, peer, ticket, shared, router, stop);
                                connections.spawn(tracing::Instrument::instrument(serving, span))
                            }
                        };
                    }
                    Err(refusal) => {
                        tracing::debug!(%peer, ?refusal, "refused at the door");
                        connections.spawn(refuse(stream, refusal));
                    }
                },
                Err(e) if is_out_of_descriptors(&e) => {
                    tracing::warn!("out of file descriptors: refusing a connection");
                    reserve = None;
                    if let Ok((stream, _)) = listener.accept().await {
                        refuse(stream, Refusal::Full).await;
                    }
                    reserve = reserve.or_else(|| std::fs::File::open("/dev/null").ok());
                }
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = &mut shutdown => break,
        }
    }
    drop(reserve);
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(Duration::from_secs(5), async {
        while connections.join_next().await.is_some() {}
    });
    if drained.await.is_err() {
        connections.abort_all();
    }
}

fn is_out_of_descriptors(e: &std::io::Error) -> bool {
    // EMFILE (24) and ENFILE (23).
    matches!(e.raw_os_error(), Some(23 | 24))
}

/// A 400 in HTTP/1.1 to a client that spoke HTTP/2, then the close.
async fn refuse_http2(mut stream: TcpStream) {
    let body = "this server speaks HTTP/1.1 (and websockets over it), not HTTP/2\n";
    let response = format!(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
        // What the client sent is read and dropped, so the close is no reset.
        let mut sink = [0u8; 1024];
        while matches!(tokio::io::AsyncReadExt::read(&mut stream, &mut sink).await, Ok(n) if n > 0)
        {
        }
    })
    .await;
}

/// Says why in HTTP and closes, without waiting long on whoever it is.
pub(crate) async fn refuse(mut stream: TcpStream, refusal: Refusal) {
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = stream.write_all(&refusal.response()).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// One plain connection: HTTP (pages, `/healthz`) until a request upgrades it to
/// the meeting's websocket, which then runs on this same task. (Not an `async fn`:
/// one holds each of its arguments twice for as long as it runs.)
#[allow(clippy::manual_async_fn)]
fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    ticket: Ticket,
    shared: Arc<Shared>,
    router: axum::Router,
    mut stop: watch::Receiver<bool>,
) -> impl Future<Output = ()> + Send {
    async move {
        let _ = stream.set_nodelay(true);
        // Boxed, as everything a connection does once: held inline, its state
        // would make the task as large for as long as the websocket waits.
        let opening = opening(&stream, shared.config.http_timeout);
        let opened = Box::pin(stopping_or(&mut stop, opening)).await;
        match opened.unwrap_or(Opening::Silent) {
            Opening::Other => {
                let session = match Box::pin(upgrade_directly(&stream)).await {
                    Upgraded::Yes => {
                        let join = session::join(stream, Vec::new(), peer, ticket, &shared);
                        Box::pin(join).await
                    }
                    Upgraded::No => {
                        let open = open(stream, peer, ticket, shared, router, &mut stop);
                        Box::pin(open).await
                    }
                    Upgraded::Gone => return,
                };
                // (`let … else`, not `if let`: the temporary an `if let` matches
                // on lives to its end, and would hold the session a second time.)
                let Some(session) = session else {
                    return;
                };
                session.run(stop).await;
            }
            Opening::Http2 => Box::pin(refuse_http2(stream)).await,
            // Let go after the same 10 s as a request that never comes.
            Opening::Silent => tracing::debug!(%peer, "said nothing"),
        }
    }
}

/// One connection on a TLS port: the handshake, then as a plain one. (Not an
/// `async fn`, for the same reason.)
#[allow(clippy::manual_async_fn)]
fn tls_connection(
    acceptor: tokio_rustls::TlsAcceptor,
    stream: TcpStream,
    peer: SocketAddr,
    ticket: Ticket,
    shared: Arc<Shared>,
    router: axum::Router,
    mut stop: watch::Receiver<bool>,
) -> impl Future<Output = ()> + Send {
    async move {
        let _ = stream.set_nodelay(true);
        let timeout = shared.config.http_timeout;
        let handshake = handshake(acceptor, stream, peer, timeout, &mut stop);
        let Some(stream) = Box::pin(handshake).await else {
            return;
        };
        let open = open(stream, peer, ticket, shared, router, &mut stop);
        let Some(session) = Box::pin(open).await else {
            return;
        };
        session.run(stop).await;
    }
}

/// The TLS stream, once the handshake is done; `None` when it failed, timed out,
/// the server stopped, or the client spoke plain HTTP (answered here).
async fn handshake(
    acceptor: tokio_rustls::TlsAcceptor,
    stream: TcpStream,
    peer: SocketAddr,
    timeout: Duration,
    stop: &mut watch::Receiver<bool>,
) -> Option<tokio_rustls::server::TlsStream<TcpStream>> {
    // One deadline for the first byte and the whole handshake: a silent
    // connection is let go after 10 s, as on a plain port.
    let deadline = tokio::time::Instant::now() + timeout;
    // Someone who typed http:// where the meeting is https is sent to the same
    // page over https, rather than left with a reset connection.
    match stopping_or(stop, tls::speaks_plain_http(&stream, deadline)).await {
        None => return None,
        Some(true) => {
            tls::redirect(stream, peer, timeout).await;
            return None;
        }
        Some(false) => {}
    }
    let handshake = tokio::time::timeout_at(deadline, acceptor.accept(stream));
    match stopping_or(stop, handshake).await {
        Some(Ok(Ok(stream))) => return Some(stream),
        Some(Ok(Err(e))) => tracing::debug!(%peer, "tls handshake failed: {e}"),
        Some(Err(_)) => tracing::debug!(%peer, "tls handshake timed out"),
        None => {}
    }
    None
}

/// `fut`'s outcome, or `None` when the server stops first: a connection that has
/// not yet said what it wants never holds a stopping server up.
async fn stopping_or<F: std::future::Future>(
    stop: &mut watch::Receiver<bool>,
    fut: F,
) -> Option<F::Output> {
    tokio::select! {
        out = fut => Some(out),
        _ = stop.changed() => None,
    }
}

/// The start of HTTP/2's connection preface (`PRI * HTTP/2.0`): a client that
/// speaks it (with prior knowledge) is told in HTTP/1.1 that this port does not.
const H2_PREFACE: &[u8] = b"PRI * HTTP/2";

/// How a plain connection opens.
#[derive(Debug, PartialEq, Eq)]
enum Opening {
    /// Anything but HTTP/2: for HTTP/1 to read.
    Other,
    /// HTTP/2's preface.
    Http2,
    /// Nothing within the timeout, or the client went away.
    Silent,
}

/// How a plain connection opens; waits for no more than the bytes that tell,
/// `timeout` at most.
async fn opening(stream: &TcpStream, timeout: Duration) -> Opening {
    let mut first = [0u8; H2_PREFACE.len()];
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let n = match tokio::time::timeout_at(deadline, stream.peek(&mut first)).await {
            Ok(Ok(n)) if n > 0 => n,
            _ => return Opening::Silent,
        };
        if first[..n] != H2_PREFACE[..n] {
            return Opening::Other;
        }
        if n == H2_PREFACE.len() {
            return Opening::Http2;
        }
        // A prefix so far: the rest is on its way.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Whether a plain connection was upgraded without HTTP's machinery.
enum Upgraded {
    Yes,
    /// Not a whole upgrade in what has arrived: nothing was taken from the stream.
    No,
    /// The connection broke while the 101 was written.
    Gone,
}

/// The websocket's upgrade taken straight off the stream when what has arrived is
/// a whole, ordinary one ([`http::direct_upgrade`]); otherwise nothing is read.
async fn upgrade_directly(stream: &TcpStream) -> Upgraded {
    let mut head = vec![0u8; 2048];
    let Ok(n) = stream.peek(&mut head).await else {
        return Upgraded::No;
    };
    let Some((len, response)) = http::direct_upgrade(&head[..n]) else {
        return Upgraded::No;
    };
    // What was peeked is taken (it is there: a read of it does not wait), then
    // answered.
    let mut taken = 0;
    while taken < len {
        match stream.try_read(&mut head[taken..len]) {
            Ok(0) => return Upgraded::Gone,
            Ok(n) => taken += n,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if stream.readable().await.is_err() {
                    return Upgraded::Gone;
                }
            }
            Err(_) => return Upgraded::Gone,
        }
    }
    drop(head);
    let mut response = response.as_bytes();
    while !response.is_empty() {
        match stream.try_write(response) {
            Ok(n) => response = &response[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if stream.writable().await.is_err() {
                    return Upgraded::Gone;
                }
            }
            Err(_) => return Upgraded::Gone,
        }
    }
    Upgraded::Yes
}

/// HTTP on a connection (plain or TLS) until it ends or a request upgrades it,
/// then the websocket's hello: the session that serves it from then on. Boxed by
/// the callers: the HTTP machinery is large and, once upgraded, gone; held inline
/// it would make every websocket's task as large for all its life. The session is
/// returned, not run here, so that the task holds it once and nothing else.
async fn open<S: session::Stream>(
    stream: S,
    peer: SocketAddr,
    ticket: Ticket,
    shared: Arc<Shared>,
    router: axum::Router,
    stop: &mut watch::Receiver<bool>,
) -> Option<session::Session<S>> {
    let (stream, read_ahead) = upgrade(stream, peer, &shared, router, stop).await?;
    session::join(stream, read_ahead, peer, ticket, &shared).await
}

/// HTTP until the connection ends (`None`) or a request upgrades it: then the
/// stream itself and what was read past the request.
async fn upgrade<S: session::Stream>(
    stream: S,
    peer: SocketAddr,
    shared: &Shared,
    router: axum::Router,
    stop: &mut watch::Receiver<bool>,
) -> Option<(S, Vec<u8>)> {
    let conn = Arc::new(http::Conn::default());
    let service = {
        let conn = conn.clone();
        hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(conn.clone());
            tower::ServiceExt::oneshot(router.clone(), request)
        })
    };
    let http = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(shared.config.http_timeout)
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    tokio::pin!(http);
    let served = tokio::select! {
        served = http.as_mut() => served,
        _ = stop.changed() => {
            http.as_mut().graceful_shutdown();
            http.as_mut().await
        }
    };
    if let Err(e) = served {
        tracing::debug!(%peer, "http: {e}");
    }
    let upgraded = match conn.take_upgrade()?.await {
        Ok(upgraded) => upgraded,
        Err(e) => {
            tracing::debug!(%peer, "upgrade failed: {e}");
            return None;
        }
    };
    // The stream itself, out of hyper's wrapper, with whatever hyper had read past
    // the request: so that nothing of the HTTP machinery (its read buffer, a boxed
    // stream) stays with the connection for the hours it may last.
    let Ok(parts) = upgraded.downcast::<TokioIo<S>>() else {
        tracing::warn!(%peer, "an upgraded stream of an unexpected type");
        return None;
    };
    Some((parts.io.into_inner(), parts.read_buf.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The size of what `f` returns, a future: a connection's task holds it for
    /// as long as the connection lasts.
    fn future_of<F: Future, A, B, C, D, E, G>(_: fn(A, B, C, D, E, G) -> F) -> usize {
        std::mem::size_of::<F>()
    }

    fn tls_future_of<F: Future, A, B, C, D, E, G, H>(_: fn(A, B, C, D, E, G, H) -> F) -> usize {
        std::mem::size_of::<F>()
    }

    /// With ten thousand idle clients, a connection's task is most of what each
    /// one holds. Everything it does once (the HTTP, the handshake, the hello,
    /// the welcome) or now and then (a write, a client's frame) is boxed, so the
    /// task holds the session and its loop's `select!`: about 1.4 KiB plain, and
    /// the TLS stream's 1.2 KiB more. It was 4.3 KiB plain, and a TLS connection
    /// boxed 13.7 KiB besides, when an argument, an `if let`'s temporary or a
    /// branch's work inline kept a second copy of the session or of the stream.
    #[test]
    fn a_waiting_connections_task_holds_little_more_than_its_session() {
        let plain = future_of(connection);
        let tls = tls_future_of(tls_connection);
        let stream = std::mem::size_of::<tokio_rustls::server::TlsStream<TcpStream>>();
        eprintln!("a plain connection's task: {plain} bytes; a TLS one's: {tls} ({stream} of them the TLS stream)");
        assert!(plain <= 2048, "a plain connection's task is {plain} bytes");
        assert!(
            tls <= plain + stream + 512,
            "a TLS connection's task is {tls} bytes (a plain one's {plain}, the TLS stream {stream})"
        );
    }
}
