//! Plain HTTP on a TLS port: whoever typed `http://` is sent to the same page over
//! `https://` (308, so a link's fragment, the token, comes along in the browser
//! and never reaches this server), and the connection ends. The meeting's port
//! and the office's (`office::port`) both answer so.

use axum::http::{header, uri::Authority, HeaderValue, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpStream;

/// Whether a client opens with a plain HTTP request (a method's capital letter)
/// where a TLS handshake (a record of type 22) was expected.
pub(crate) async fn speaks_plain_http(stream: &TcpStream, deadline: tokio::time::Instant) -> bool {
    let mut first = [0u8; 1];
    matches!(
        tokio::time::timeout_at(deadline, stream.peek(&mut first)).await,
        Ok(Ok(1)) if first[0].is_ascii_uppercase()
    )
}

/// Answers one plain HTTP request on a TLS port with the way to `https://`,
/// then closes.
pub(crate) async fn redirect(stream: TcpStream, peer: SocketAddr, timeout: Duration) {
    let service =
        hyper::service::service_fn(|request: Request<hyper::body::Incoming>| async move {
            Ok::<_, std::convert::Infallible>(answer(&request))
        });
    let served = hyper::server::conn::http1::Builder::new()
        .keep_alive(false)
        .serve_connection(TokioIo::new(stream), service);
    match tokio::time::timeout(timeout, served).await {
        Ok(Err(e)) => tracing::debug!(%peer, "plain http on the tls port: {e}"),
        Err(_) => tracing::debug!(%peer, "plain http on the tls port timed out"),
        Ok(Ok(())) => {}
    }
}

/// 308 to `https://HOST/PATH` when the Host header is a host (it is the client's
/// to write: nothing else goes into the Location), else 400 saying what to do.
fn answer<B>(request: &Request<B>) -> Response<String> {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.parse::<Authority>().ok())
        .filter(|a| !a.as_str().contains('@'));
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let location = host.and_then(|h| HeaderValue::from_str(&format!("https://{h}{path}")).ok());
    let mut response = match location {
        Some(location) => {
            let mut r = Response::new(format!(
                "this page is served over https: {}\n",
                location.to_str().unwrap_or_default()
            ));
            *r.status_mut() = StatusCode::PERMANENT_REDIRECT;
            r.headers_mut().insert(header::LOCATION, location);
            r
        }
        None => {
            let mut r = Response::new(
                "this page is served over https: open the same address with https://\n".to_string(),
            );
            *r.status_mut() = StatusCode::BAD_REQUEST;
            r
        }
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to(host: Option<&str>, path: &str) -> Response<String> {
        let mut r = Request::builder().uri(path);
        if let Some(host) = host {
            r = r.header(header::HOST, host);
        }
        answer(&r.body(()).unwrap())
    }

    #[test]
    fn the_same_page_over_https_and_nothing_else_of_the_header() {
        let r = to(Some("192.168.1.23:7878"), "/join");
        assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT);
        assert_eq!(
            r.headers()[header::LOCATION],
            "https://192.168.1.23:7878/join"
        );
        let r = to(Some("[fd00::5]:7878"), "/projector?x=1");
        assert_eq!(
            r.headers()[header::LOCATION],
            "https://[fd00::5]:7878/projector?x=1"
        );
        for hostile in ["evil.example/", "a@evil.example", "x\ty", "<script>"] {
            let r = to(Some(hostile), "/join");
            assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{hostile}");
            assert!(r.headers().get(header::LOCATION).is_none());
        }
        assert_eq!(to(None, "/").status(), StatusCode::BAD_REQUEST);
    }
}
