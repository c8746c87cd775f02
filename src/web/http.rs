//! What both fronts (the meeting's port and the office's) answer with: the
//! security headers every answer carries, the pages of [`super::PAGES`] and the
//! versioned assets (gzipped to a client that takes it), plain text and JSON.

use super::Audience;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// The headers every answer carries (a websocket's upgrade excepted): no
/// sniffing, no referrer, no framing, nothing loaded from elsewhere, websockets
/// to this host only; not cached unless it is a versioned asset. A layer:
/// `axum::middleware::from_fn(security_headers)`.
pub async fn security_headers(request: Request, next: axum::middleware::Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(String::from);
    let mut response = next.run(request).await;
    if response.status() == StatusCode::SWITCHING_PROTOCOLS {
        return response;
    }
    let policy = super::content_security_policy(host.as_deref());
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        h.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// A route to every page of `audience`, from [`super::PAGES`].
pub fn pages<S: Clone + Send + Sync + 'static>(audience: Audience) -> Router<S> {
    super::PAGES
        .iter()
        .filter(|p| p.audience == audience)
        .fold(Router::new(), |router, p| {
            let route = p.route;
            router.route(
                route,
                get(move |headers: HeaderMap| async move { page(route, &headers) }),
            )
        })
}

/// The route of the versioned assets, which a front serves once.
pub fn assets<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/assets/{version}/{*path}", get(asset))
}

/// The page at `route`.
pub fn page(route: &str, headers: &HeaderMap) -> Response {
    match super::page(route) {
        Some(html) => body(headers, "text/html; charset=utf-8", html.as_bytes(), None),
        None => text(StatusCode::NOT_FOUND, "not found\n"),
    }
}

/// A versioned asset, cached for a year: its name changes with its content.
async fn asset(
    axum::extract::Path((version, path)): axum::extract::Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match super::asset(&version, &path) {
        Some((bytes, content_type)) => body(
            &headers,
            content_type,
            bytes,
            Some("public, max-age=31536000, immutable"),
        ),
        None => text(
            StatusCode::NOT_FOUND,
            "not found: this server has other assets\n",
        ),
    }
}

/// An embedded file as the answer, gzipped when the client takes gzip (a phone
/// loads a third of the bytes).
fn body(
    request: &HeaderMap,
    content_type: &'static str,
    bytes: &'static [u8],
    cache: Option<&'static str>,
) -> Response {
    let gzip = request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
            name.eq_ignore_ascii_case("gzip") && !refused
        });
    let mut response = if gzip {
        let mut r = super::gzipped(bytes).into_response();
        r.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        r
    } else {
        bytes.into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Some(cache) = cache {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    response
}

/// Plain text with a status.
pub fn text(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

/// A value as JSON; 500 (logged) for one that does not serialize.
pub fn json(value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!("an answer that does not serialize: {e}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// 404 for a GET or HEAD (saying what this front answers), 405 otherwise.
pub fn not_found(method: &axum::http::Method, answers: &'static str) -> Response {
    if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
        text(StatusCode::NOT_FOUND, answers)
    } else {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        r
    }
}
