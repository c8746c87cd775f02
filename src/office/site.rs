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
        .with_state(front)
}

/// The whole of `followups serve`: [`routes`], the assets, `/healthz`, `/` (to
/// the dashboard); 404 and 405 otherwise; every answer with the security
/// headers.
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
            web::not_found(&method, "not found: this server answers /followups\n")
        })
        .layer(axum::middleware::from_fn(web::security_headers))
}
