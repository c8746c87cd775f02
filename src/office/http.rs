//! The office on HTTP: what every wing's routes share — one [`Front`] (the
//! file, the tokens, the day), a [`Failure`] said in both languages, the
//! file's calls on a blocking thread, `ETag`s of its last change. The routes
//! themselves are the wings' (`followups::pages`), put together by
//! [`super::site`].
//!
//! Tokens come only in the `Authorization: Bearer` header (a page keeps its
//! own in the link's fragment), never in a path or query; a request's token is
//! checked before its body is read, and the body must come within
//! [`Front::body_timeout`]. The file is SQLite,
//! its calls blocking: each request takes it on a blocking thread, one at a
//! time (a change is one short transaction).

use super::keys::{Holder, Keys};
use super::Office;
use crate::meeting::followups::Date;
use crate::meeting::plan::Language;
use crate::web::http as web;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a request's body may take to arrive, once its headers have come.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// The office as its pages reach it.
pub struct Front {
    office: Mutex<Office>,
    keys: Keys,
    /// A fixed day (`--today`), else the clock's.
    today: Option<Date>,
    /// The office's zone, seconds east of UTC.
    pub offset_s: i32,
    /// How long a request's body may take ([`BODY_TIMEOUT`]); past it, 408.
    pub body_timeout: Duration,
}

/// The connection a request came on, when the office's own port serves it
/// (`office::port`): it counts against its address until one of its requests
/// has shown a valid token and been read whole ([`Connection::proved`]).
#[derive(Clone)]
pub struct Connection {
    ticket: Arc<Mutex<crate::server::admission::Ticket>>,
    /// Where it comes from, for the log.
    pub peer: std::net::SocketAddr,
}

impl Connection {
    pub fn new(ticket: crate::server::admission::Ticket, peer: std::net::SocketAddr) -> Connection {
        Connection {
            ticket: Arc::new(Mutex::new(ticket)),
            peer,
        }
    }

    /// A request of this connection showed a valid token and was read whole:
    /// it no longer counts against its address.
    pub fn proved(&self) {
        self.ticket
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .known();
    }
}

impl Front {
    /// The office's file, its tokens made for everyone its wings name.
    pub fn open(office: Office, today: Option<Date>, offset_s: i32) -> anyhow::Result<Front> {
        let holders = office.holders()?;
        let file = super::keys::path_for(office.path());
        let keys = Keys::load_or_create(&file, &holders)?;
        Ok(Front {
            office: Mutex::new(office),
            keys,
            today,
            offset_s,
            body_timeout: BODY_TIMEOUT,
        })
    }

    /// Now (Unix ms) and today, in the office's zone.
    pub fn now(&self) -> (u64, Date) {
        let now_ms = super::now_ms(self.today, self.offset_s);
        (now_ms, Date::of_ms(now_ms, self.offset_s))
    }

    /// The file, to read or write (one request at a time).
    pub fn office(&self) -> std::sync::MutexGuard<'_, Office> {
        self.office.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Who holds the request's bearer token.
    pub fn holder(&self, headers: &HeaderMap) -> Result<Holder, Failure> {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(Failure::NoToken)?;
        if let Some(h) = self.keys.find(token) {
            return Ok(h);
        }
        if self.keys.unknown_holder(token) {
            // Made by another process for items imported since this one read them.
            let holders = self.office().holders().map_err(Failure::Store)?;
            self.keys.know(&holders);
            if let Some(h) = self.keys.find(token) {
                return Ok(h);
            }
        }
        Err(Failure::UnknownToken)
    }
}

/// Why a request was not carried out; each said to the page in both languages.
#[derive(Debug)]
pub enum Failure {
    NoToken,
    UnknownToken,
    NotYours,
    NoSuchItem,
    BadIntent {
        why: String,
    },
    /// The body did not come within [`Front::body_timeout`].
    TooSlow,
    /// One address wrote more than the public may (`office::topics::pages`).
    TooOften,
    /// A wing's rules refused, in both languages; for a version that was not
    /// the last, who changed it since.
    Refused {
        stale_by: Option<String>,
        zh: String,
        en: String,
    },
    Store(anyhow::Error),
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::NoToken | Failure::UnknownToken => StatusCode::UNAUTHORIZED,
            Failure::NotYours => StatusCode::FORBIDDEN,
            Failure::NoSuchItem => StatusCode::NOT_FOUND,
            Failure::BadIntent { .. } => StatusCode::BAD_REQUEST,
            Failure::TooSlow => StatusCode::REQUEST_TIMEOUT,
            Failure::TooOften => StatusCode::TOO_MANY_REQUESTS,
            Failure::Refused {
                stale_by: Some(_), ..
            } => StatusCode::CONFLICT,
            Failure::Refused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Failure::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Failure::NoToken => "no_token",
            Failure::UnknownToken => "unknown_token",
            Failure::NotYours => "not_yours",
            Failure::NoSuchItem => "no_such_item",
            Failure::BadIntent { .. } => "bad_intent",
            Failure::TooSlow => "too_slow",
            Failure::TooOften => "too_often",
            Failure::Refused {
                stale_by: Some(_), ..
            } => "stale",
            Failure::Refused { .. } => "refused",
            Failure::Store(_) => "unavailable",
        }
    }

    fn say(&self, lang: Language) -> String {
        let w = &crate::lang::catalogue::of(lang).office;
        match self {
            Failure::NoToken => w.no_token.into(),
            Failure::UnknownToken => w.unknown_token.into(),
            Failure::NotYours => w.not_yours.into(),
            Failure::NoSuchItem => w.no_such_item.into(),
            Failure::BadIntent { .. } => w.bad_intent.into(),
            Failure::TooSlow => w.too_slow.into(),
            Failure::TooOften => w.too_often.into(),
            Failure::Refused { zh, en, .. } => match lang {
                Language::Zh => zh.clone(),
                Language::En => en.clone(),
            },
            Failure::Store(_) => w.unavailable.into(),
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        if let Failure::Store(e) = &self {
            tracing::error!("the office's file: {e:#}");
        }
        if let Failure::BadIntent { why } = &self {
            tracing::debug!("a bad intent: {why}");
        }
        let by = match &self {
            Failure::Refused { stale_by, .. } => stale_by.clone(),
            _ => None,
        };
        let body = serde_json::json!({
            "error": self.code(),
            "by": by,
            "messages": { "zh": self.say(Language::Zh), "en": self.say(Language::En) },
        });
        let mut r = web::json(&body);
        *r.status_mut() = self.status();
        r
    }
}

/// Runs `f` (the file's blocking calls) off the async threads.
pub async fn blocking(f: impl FnOnce() -> Result<Response, Failure> + Send + 'static) -> Response {
    off_thread(f)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// `f`'s outcome, run on a blocking thread.
pub async fn off_thread<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        Err(Failure::Store(anyhow::anyhow!(
            "a request's task failed: {e}"
        )))
    })
}

/// The tag of what a page would read now: the office's last change, and the
/// day (a new day may make items overdue with no change at all).
pub fn etag(office: &Office, today: Date) -> Result<String, Failure> {
    let last = office.last_change().map_err(Failure::Store)?;
    Ok(format!("\"{last}-{today}\""))
}

/// Whether the page holds what `etag` tags already.
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
}

/// 304, tagged.
pub fn unchanged(etag: String) -> Response {
    tagged(StatusCode::NOT_MODIFIED.into_response(), etag)
}

/// `value` as JSON, tagged.
pub fn json_with_tag(value: &impl serde::Serialize, etag: String) -> Response {
    tagged(web::json(value), etag)
}

fn tagged(mut r: Response, etag: String) -> Response {
    if let Ok(v) = HeaderValue::from_str(&etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}
