//! The HTTP side of the meeting's port (axum on hyper's HTTP/1): `/ws` (the
//! websocket, whose handshake is done here by hand so that the session runs on
//! tungstenite directly), `/healthz`, `/`, a small page saying what this is, and
//! the meeting's pages (`crate::web`). Unknown paths are 404, other methods 405;
//! a plain request to `/ws` that is not an upgrade is 426. Every answer but the
//! upgrade carries the security headers.

use super::Shared;
use crate::web::http::{self as web, text};
use crate::web::Audience;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Version};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use hyper::upgrade::OnUpgrade;
use std::sync::{Arc, Mutex};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;

/// One TCP (or TLS) connection as the routes see it: where the websocket route
/// leaves the upgrade for the connection's task to take.
#[derive(Default)]
pub(crate) struct Conn {
    upgrade: Mutex<Option<OnUpgrade>>,
}

impl Conn {
    /// The upgrade the websocket route accepted, if it did.
    pub fn take_upgrade(&self) -> Option<OnUpgrade> {
        self.upgrade
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }
}

/// Every route of the meeting's port, and `extra` (whoever started it may add
/// routes: the office's pages, on `serve --register`).
pub(crate) fn router(shared: Arc<Shared>, extra: Router) -> Router {
    Router::new()
        .route("/ws", get(websocket))
        .route("/healthz", get(healthz))
        .route("/", get(index))
        .merge(web::pages(Audience::Meeting))
        .merge(web::assets())
        .with_state(shared)
        .merge(extra)
        .fallback(|method: Method| async move {
            web::not_found(
                &method,
                "not found: this server answers /, /ws and /healthz\n",
            )
        })
        .layer(axum::middleware::from_fn(web::security_headers))
}

/// `ok seq=N`: the server is up and the meeting stands at `seq` N; 503 with why
/// once the meeting's record could not be written.
async fn healthz(State(shared): State<Arc<Shared>>) -> Response {
    if let Some(failure) = shared.hub.failure() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!(
                "{} (seq={}): {}\n",
                failure.close_reason(),
                failure.seq,
                failure.cause
            ),
        )
            .into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("ok seq={}\n", shared.hub.seq()),
    )
        .into_response()
}

/// A small page that says what this server is and which meeting it serves.
async fn index(State(shared): State<Arc<Shared>>) -> Response {
    let title = crate::text::html(&shared.hub.plan().meeting.title);
    let body = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
<title>{title}</title></head>\n<body><h1>{title}</h1>\n<p>xieshang {} serves this meeting. \
Participants join with their own link (<code>/join#t=…</code>, from the chair); the room's screen is \
<code>/projector#t=…</code>; terminals connect to <code>/ws</code> (<code>xieshang join</code>).</p>\n</body></html>\n",
        env!("CARGO_PKG_VERSION")
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// The websocket handshake (RFC 6455 §4.2): a request that is not an upgrade is
/// answered 426 with what it should have been; a good one 101, and the connection
/// is handed to the session once hyper lets go of it.
async fn websocket(Extension(conn): Extension<Arc<Conn>>, mut request: Request) -> Response {
    let headers = request.headers();
    let upgrade = request.version() == Version::HTTP_11
        && has_token(headers, header::CONNECTION, "upgrade")
        && has_token(headers, header::UPGRADE, "websocket");
    if !upgrade {
        let mut r = text(
            StatusCode::UPGRADE_REQUIRED,
            "this is the meeting's websocket: connect with a websocket client (xieshang join, or the participant page)\n",
        );
        r.headers_mut()
            .insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("Upgrade"));
        return r;
    }
    if headers
        .get(header::SEC_WEBSOCKET_VERSION)
        .is_none_or(|v| v.as_bytes() != b"13")
    {
        let mut r = text(StatusCode::UPGRADE_REQUIRED, "websocket version 13 only\n");
        r.headers_mut().insert(
            header::SEC_WEBSOCKET_VERSION,
            HeaderValue::from_static("13"),
        );
        return r;
    }
    let Some(key) = headers.get(header::SEC_WEBSOCKET_KEY) else {
        return text(StatusCode::BAD_REQUEST, "Sec-WebSocket-Key is missing\n");
    };
    let accept = derive_accept_key(key.as_bytes());
    let Some(on_upgrade) = request.extensions_mut().remove::<OnUpgrade>() else {
        return text(
            StatusCode::BAD_REQUEST,
            "this connection cannot be upgraded\n",
        );
    };
    *conn.upgrade.lock().unwrap_or_else(|e| e.into_inner()) = Some(on_upgrade);
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::CONNECTION, "Upgrade")
        .header(header::UPGRADE, "websocket")
        .header(header::SEC_WEBSOCKET_ACCEPT, accept)
        .body(Body::empty())
        .expect("a valid response")
}

/// Whether a comma-separated header holds `token` (case-insensitive).
/// A websocket upgrade read straight off a plain connection, without HTTP's
/// machinery (hyper, the router, the upgrade's hand-over): when `bytes` begin
/// with a whole `GET /ws` that asks for the websocket as [`websocket`] requires,
/// how many bytes the request took and the 101 that answers it, the same as
/// [`websocket`]'s. Anything else (another path, a request not whole in what has
/// arrived, a body, a header missing or repeated) is `None`, and HTTP answers it
/// as before. A hall joining at once spends a third less of the server this way.
pub(crate) fn direct_upgrade(bytes: &[u8]) -> Option<(usize, String)> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut request = httparse::Request::new(&mut headers);
    let httparse::Status::Complete(len) = request.parse(bytes).ok()? else {
        return None;
    };
    if request.method != Some("GET") || request.path != Some("/ws") || request.version != Some(1) {
        return None;
    }
    let headers = &*request.headers;
    let all = |name: &'static str| values(headers, name);
    let one = |name: &'static str| {
        let mut values = all(name);
        match (values.next(), values.next()) {
            (Some(v), None) => Some(v),
            _ => None,
        }
    };
    let token = |name: &'static str, token: &str| {
        all(name).any(|v| {
            std::str::from_utf8(v)
                .is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
        })
    };
    let bodiless =
        all("content-length").all(|v| v == b"0") && all("transfer-encoding").next().is_none();
    if !(bodiless
        && token("connection", "upgrade")
        && token("upgrade", "websocket")
        && one("sec-websocket-version")? == b"13")
    {
        return None;
    }
    let accept = derive_accept_key(one("sec-websocket-key")?);
    Some((
        len,
        format!(
            "HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-accept: {accept}\r\n\r\n"
        ),
    ))
}

/// The values of every header named `name` (in any case).
fn values<'a>(
    headers: &'a [httparse::Header<'a>],
    name: &'static str,
) -> impl Iterator<Item = &'a [u8]> + 'a {
    headers
        .iter()
        .filter(move |h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value)
}

fn has_token(headers: &HeaderMap, name: header::HeaderName, token: &str) -> bool {
    headers.get_all(name).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
    })
}

#[cfg(test)]
mod tests {
    use super::direct_upgrade;

    const UPGRADE: &str = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    #[test]
    fn a_whole_upgrade_is_answered_with_the_key_rfc_6455_gives() {
        let with_frame = format!("{UPGRADE}\u{81}\u{5}");
        let (len, response) = direct_upgrade(with_frame.as_bytes()).expect("an upgrade");
        assert_eq!(
            len,
            UPGRADE.len(),
            "only the request is taken, not the frame after it"
        );
        assert!(response.starts_with("HTTP/1.1 101 Switching Protocols\r\n"));
        // RFC 6455 §1.3's own example.
        assert!(response.contains("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        assert!(response.ends_with("\r\n\r\n"));
    }

    #[test]
    fn anything_else_is_left_to_http() {
        let cases = [
            // Not whole yet.
            &UPGRADE[..UPGRADE.len() - 2],
            // Another path, method or version.
            &UPGRADE.replace("GET /ws ", "GET /ws?x=1 "),
            &UPGRADE.replace("GET /ws ", "GET / "),
            &UPGRADE.replace("GET ", "POST "),
            &UPGRADE.replace("HTTP/1.1", "HTTP/1.0"),
            // A header wrong, missing or repeated.
            &UPGRADE.replace("Version: 13", "Version: 12"),
            &UPGRADE.replace("Upgrade: websocket\r\n", ""),
            &UPGRADE.replace("keep-alive, Upgrade", "keep-alive"),
            &UPGRADE.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ""),
            &UPGRADE.replace(
                "Host:",
                "Sec-WebSocket-Key: b3RoZXIga2V5IDEyMzQ1Ng==\r\nHost:",
            ),
            // A body.
            &UPGRADE.replace("Host:", "Content-Length: 5\r\nHost:"),
            &UPGRADE.replace("Host:", "Transfer-Encoding: chunked\r\nHost:"),
            // Not HTTP at all.
            "\u{16}\u{3}\u{1}",
        ];
        for case in cases {
            assert_eq!(direct_upgrade(case.as_bytes()), None, "{case:?}");
        }
    }
}
