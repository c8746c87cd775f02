//! `followups serve`'s port: the office's front ([`super::http::site`]) on
//! hyper's HTTP/1, its connections bounded and each given a header timeout, so
//! that a slow or idle client holds one place for ten seconds at most; drained
//! on stopping.

use std::sync::Arc;

/// At most this many connections at once on `followups serve` (a new one waits
/// for a free place); a request's headers must come within [`HEADER_TIMEOUT`].
pub const MAX_CONNECTIONS: usize = 512;

/// How long a request's headers (and a kept-alive connection's next request)
/// may take.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Serves `app` on `listener` until `stop` completes, then lets the
/// requests under way finish: connections bounded, each with a header timeout,
/// so that a slow or idle client holds one place for at most that long.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    stop: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let places = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let (stopping, stopped) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(stop);
    loop {
        let place = tokio::select! {
            place = places.clone().acquire_owned() => place.expect("the semaphore is never closed"),
            () = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors, a connection reset before accept: go on.
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let app = app.clone();
        let mut stopped = stopped.clone();
        connections.spawn(async move {
            let _place = place;
            let service = hyper::service::service_fn(
                move |request: hyper::Request<hyper::body::Incoming>| {
                    tower::ServiceExt::oneshot(app.clone(), request)
                },
            );
            let http = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
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
        });
        // Finished connections are let go of as they end.
        while connections.try_join_next().is_some() {}
    }
    let _ = stopping.send(true);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(std::time::Duration::from_secs(5), drain)
        .await
        .is_err()
    {
        tracing::warn!("requests still under way after 5 s: stopped");
    }
}
