//! The office's front put together: its pages (`crate::web::PAGES`, audience
//! `Office`) and every wing's routes over one [`Front`]. [`routes`] is what a
//! meeting's port adds (`serve --register`); [`site`] is the whole of
//! `followups serve` (served by [`super::port`]).

use super::http::Front;
use crate::web::http as web;
use crate::web::Audience;
use axum::http::Method;
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

/// The office's pages and every wing's routes, for a front that serves the
/// assets itself (a meeting's port).
pub fn routes(front: Arc<Front>) -> Router {
    Router::new()
        .merge(web::pages(Audience::Office))
        .merge(super::followups::pages::routes())
        .merge(super::topics::pages::routes())
        .with_state(front)
}

/// The whole of `followups serve`: [`routes`], the assets, `/healthz`, `/` (to
/// the dashboard); 404 and 405 otherwise; every answer with the security
/// headers, and every request logged at debug ([`logged`]).
pub fn site(front: Arc<Front>) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { axum::response::Redirect::to("/followups") }),
        )
        .route("/healthz", get(|| async { "ok\n" }))
        .merge(web::assets())
        .merge(routes(front))
        .fallback(|method: Method| async move {
            web::not_found(
                &method,
                "not found: this server answers /followups and /topics\n",
            )
        })
        .layer(axum::middleware::from_fn(web::security_headers))
        .layer(axum::middleware::from_fn(logged))
}

/// Logs a request at debug (`RUST_LOG=debug`): who, its method and path, the
/// status and how long it took. No header is logged (the token is in one), no
/// query, and the path only when it was answered or is one of the fixed
/// routes: whatever else a client sends (a token pasted into a link) stays out
/// of the log.
async fn logged(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let peer = request
        .extensions()
        .get::<super::http::Connection>()
        .map(|c| c.peer);
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    const FIXED: [&str; 10] = [
        "/",
        "/healthz",
        "/followups",
        "/followups/mine",
        "/followups/api/dashboard",
        "/followups/api/mine",
        "/topics",
        "/topics/mine",
        "/topics/api/list",
        "/topics/api/mine",
    ];
    let path = if status < 400 || FIXED.contains(&path.as_str()) {
        crate::text::shown(&path).into_owned()
    } else {
        "(another)".to_string()
    };
    let ms = started.elapsed().as_millis();
    match peer {
        Some(peer) => tracing::debug!(%peer, %method, path, status, ms, "request"),
        None => tracing::debug!(%method, path, status, ms, "request"),
    }
    response
}
