//! The follow-up register on an HTTP front (`xieshang followups serve`): three
//! pages and the JSON they read and write.
//!
//! - `/followups`: the public dashboard (双公开), no token: the public items, their
//!   states and dates, and per department the on-time and satisfaction rates.
//! - `/followups/mine#t=TOKEN`: a department's page (its items, led or
//!   co-handled: acknowledge, add progress, answer) or an asker's (their items:
//!   rate the answer). The token stays in the fragment; the page sends it as
//!   `Authorization: Bearer`, never in a path or query.
//! - `/followups/api/dashboard`, `/followups/api/mine`: what the pages show,
//!   with an `ETag` of the register's last change so a page polling for news
//!   costs one indexed read when there is none.
//! - `POST /followups/api/items/{id}`: one intent (`{"do": "answer", "seen": 3,
//!   …}`), carried out by the core's rules as the token's holder; the version
//!   the page saw goes with it, and a stale one is refused naming who changed
//!   the item meanwhile (409).
//!
//! The register is SQLite, its calls blocking: each request takes it on a
//! blocking thread, one at a time (a change is one short transaction).

use crate::lang::followups as words;
use crate::meeting::followup::{
    self, item::AnswerClass, item::Evidence, item::Rating, Command, Date, Item, Refusal, Standing,
};
use crate::meeting::plan::Language;
use crate::register::keys::{Holder, Keys};
use crate::register::{Filter, Register, UpdateError};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// At most this many items on the dashboard (open and longest overdue first);
/// the page says how many more there are.
pub const DASHBOARD_ITEMS: usize = 200;

/// At most this many items on a token holder's page (open and longest
/// overdue first); the page says how many more there are (the desk and the
/// exports have them all).
pub const MINE_ITEMS: usize = 200;

/// The largest intent a page may send.
pub const MAX_INTENT_BYTES: usize = 64 * 1024;

/// The register as the pages reach it.
pub struct Office {
    register: Mutex<Register>,
    keys: Keys,
    /// A fixed day (`--today`), else the system clock.
    today: Option<Date>,
    offset_s: i32,
}

impl Office {
    /// The register at `register`, its tokens made for everyone it names.
    pub fn open(register: Register, today: Option<Date>, offset_s: i32) -> anyhow::Result<Office> {
        let holders = register.holders()?;
        let file = crate::register::keys::path_for(register.path());
        let keys = Keys::load_or_create(&file, &holders)?;
        Ok(Office {
            register: Mutex::new(register),
            keys,
            today,
            offset_s,
        })
    }

    /// Now (Unix ms) and today, in the register's zone.
    fn now(&self) -> (u64, Date) {
        let now_ms = match self.today {
            Some(day) => day.noon_ms(self.offset_s),
            None => crate::hub::task::now_ms(),
        };
        (now_ms, Date::of_ms(now_ms, self.offset_s))
    }

    fn register(&self) -> std::sync::MutexGuard<'_, Register> {
        self.register.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Who holds the request's bearer token.
    fn holder(&self, headers: &HeaderMap) -> Result<Holder, Failure> {
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
            let holders = self.register().holders().map_err(Failure::Store)?;
            self.keys.know(&holders);
            if let Some(h) = self.keys.find(token) {
                return Ok(h);
            }
        }
        Err(Failure::UnknownToken)
    }
}

/// The register's routes, for `followups serve` (or any front that has
/// `/assets/…`).
pub fn router(office: Arc<Office>) -> Router {
    Router::new()
        .route("/followups", get(dashboard_page))
        .route("/followups/mine", get(mine_page))
        .route("/followups/api/dashboard", get(dashboard))
        .route("/followups/api/mine", get(mine))
        .route("/followups/api/items/{*id}", post(intent))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_INTENT_BYTES))
        .with_state(office)
}

async fn dashboard_page(headers: HeaderMap) -> Response {
    super::http::page_at("/followups", &headers)
}

async fn mine_page(headers: HeaderMap) -> Response {
    super::http::page_at("/followups/mine", &headers)
}

/// An item as a page shows it: whole, with how late it is and its deadline.
#[derive(Serialize)]
struct Shown {
    #[serde(flatten)]
    item: Item,
    deadline: Date,
    standing: Standing,
    flagged: bool,
}

impl Shown {
    fn of(item: Item, now_ms: u64, offset_s: i32) -> Shown {
        Shown {
            deadline: item.deadline(),
            standing: followup::standing(&item, now_ms, offset_s),
            flagged: item.flagged(),
            item,
        }
    }
}

/// A public item as anyone may see it: no asker's or handler's name, no
/// evidence (a department's working papers), the answer and rating as given.
#[derive(Serialize)]
struct Public {
    id: String,
    meeting: String,
    date: Date,
    question: String,
    department: String,
    promise: String,
    deadline: Date,
    state: &'static str,
    standing: Standing,
    answer: Option<PublicAnswer>,
    rating: Option<Rating>,
}

#[derive(Serialize)]
struct PublicAnswer {
    class: AnswerClass,
    text: String,
    date: Date,
}

impl Public {
    fn of(item: Item, now_ms: u64, offset_s: i32) -> Public {
        Public {
            standing: followup::standing(&item, now_ms, offset_s),
            deadline: item.deadline(),
            state: item.state.as_str(),
            id: item.id,
            meeting: item.origin.meeting,
            date: item.origin.date,
            question: item.origin.text,
            department: item.department_name,
            promise: item.promise,
            answer: item.answer.map(|a| PublicAnswer {
                class: a.class,
                text: a.text,
                date: a.date,
            }),
            rating: item.rating.map(|r| r.rating),
        }
    }
}

#[derive(Serialize)]
struct Dashboard {
    today: Date,
    departments: Vec<crate::register::DepartmentFigures>,
    items: Vec<Public>,
    /// Public items in all; `items` holds the first [`DASHBOARD_ITEMS`].
    total: u64,
}

#[derive(Serialize)]
struct Mine {
    today: Date,
    holder: Holder,
    /// What this holder may send (`do`): a page asks this, never who they are.
    may: &'static [&'static str],
    items: Vec<Shown>,
    /// The holder's items in all; `items` holds the first [`MINE_ITEMS`].
    total: u64,
}

/// The dashboard's figures and first items.
async fn dashboard(State(office): State<Arc<Office>>, headers: HeaderMap) -> Response {
    blocking(move || {
        let (now_ms, today) = office.now();
        let register = office.register();
        let etag = etag(&register, today)?;
        if not_modified(&headers, &etag) {
            return Ok(unchanged(etag));
        }
        let departments = register.figures(today, true).map_err(Failure::Store)?;
        let total = departments.iter().map(|d| d.items).sum();
        let items = register
            .page(
                &Filter {
                    public_only: true,
                    ..Filter::default()
                },
                DASHBOARD_ITEMS,
                false,
            )
            .map_err(Failure::Store)?
            .into_iter()
            .map(|i| Public::of(i, now_ms, office.offset_s))
            .collect();
        Ok(json_with_tag(
            &Dashboard {
                today,
                departments,
                items,
                total,
            },
            etag,
        ))
    })
    .await
}

/// The token holder's items, whole.
async fn mine(State(office): State<Arc<Office>>, headers: HeaderMap) -> Response {
    blocking(move || {
        let holder = office.holder(&headers)?;
        let (now_ms, today) = office.now();
        let register = office.register();
        let etag = etag(&register, today)?;
        if not_modified(&headers, &etag) {
            return Ok(unchanged(etag));
        }
        let filter = match &holder {
            Holder::Department { id, .. } => Filter {
                handled_by: Some(id.clone()),
                ..Filter::default()
            },
            Holder::Asker { participant, .. } => Filter {
                asker: Some(participant.clone()),
                ..Filter::default()
            },
        };
        let total = register.count(&filter).map_err(Failure::Store)?;
        let items = register
            .page(&filter, MINE_ITEMS, true)
            .map_err(Failure::Store)?
            .into_iter()
            .map(|i| Shown::of(i, now_ms, office.offset_s))
            .collect();
        Ok(json_with_tag(
            &Mine {
                today,
                may: may(&holder),
                holder,
                items,
                total,
            },
            etag,
        ))
    })
    .await
}

/// The intents a token's holder may send (a page is told, and asks this).
fn may(holder: &Holder) -> &'static [&'static str] {
    match holder {
        Holder::Department { .. } => &["acknowledge", "progress", "answer"],
        Holder::Asker { .. } => &["rate"],
    }
}

/// What a page asks of one item.
#[derive(Debug, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
enum Intent {
    /// 领办: who handles it.
    Acknowledge { seen: u64, handler: String },
    /// Work done: a title, what was done, and who writes it.
    Progress {
        seen: u64,
        title: String,
        #[serde(default)]
        text: String,
        #[serde(default)]
        by: Option<String>,
    },
    Answer {
        seen: u64,
        class: AnswerClass,
        text: String,
        #[serde(default)]
        by: Option<String>,
    },
    Rate {
        seen: u64,
        rating: Rating,
        #[serde(default)]
        reason: Option<String>,
    },
}

impl Intent {
    /// Its `do`, as the pages write it.
    fn name(&self) -> &'static str {
        match self {
            Intent::Acknowledge { .. } => "acknowledge",
            Intent::Progress { .. } => "progress",
            Intent::Answer { .. } => "answer",
            Intent::Rate { .. } => "rate",
        }
    }

    fn seen(&self) -> u64 {
        match self {
            Intent::Acknowledge { seen, .. }
            | Intent::Progress { seen, .. }
            | Intent::Answer { seen, .. }
            | Intent::Rate { seen, .. } => *seen,
        }
    }

    /// Who writes it: a department's person, when they said.
    fn by(&self) -> Option<&str> {
        match self {
            Intent::Acknowledge { handler, .. } => Some(handler),
            Intent::Progress { by, .. } | Intent::Answer { by, .. } => by.as_deref(),
            Intent::Rate { .. } => None,
        }
    }

    /// The command, `by` naming who wrote the evidence.
    fn command(self, today: Date, by: &str) -> Command {
        match self {
            Intent::Acknowledge { handler, .. } => Command::Acknowledge { handler },
            Intent::Progress { title, text, .. } => Command::Progress {
                evidence: Evidence {
                    date: today,
                    title,
                    text,
                    by: by.to_string(),
                },
            },
            Intent::Answer { class, text, .. } => Command::Answer { class, text },
            Intent::Rate { rating, reason, .. } => Command::Rate { rating, reason },
        }
    }
}

/// Carries out one intent on item `id` as the token's holder.
async fn intent(
    State(office): State<Arc<Office>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    blocking(move || {
        let holder = office.holder(&headers)?;
        let intent: Intent =
            serde_json::from_slice(&body).map_err(|e| Failure::BadIntent { why: e.to_string() })?;
        let seen = intent.seen();
        let (now_ms, today) = office.now();
        if !may(&holder).contains(&intent.name()) {
            return Err(Failure::NotYours);
        }
        let actor = holder.actor(intent.by());
        let command = intent.command(today, actor.name());
        carry_out(&office, &id, &command, &actor, seen, now_ms)
    })
    .await
}

fn carry_out(
    office: &Office,
    id: &str,
    command: &Command,
    actor: &followup::Actor,
    seen: u64,
    now_ms: u64,
) -> Result<Response, Failure> {
    let mut register = office.register();
    // Another's item is not found: a token learns nothing of items not its own.
    let item = register
        .get(id)
        .map_err(Failure::Store)?
        .ok_or(Failure::NoSuchItem)?;
    if !item.concerns(actor) {
        return Err(Failure::NoSuchItem);
    }
    match register.update(id, command, actor, Some(seen), now_ms, office.offset_s) {
        Ok(item) => Ok(json(&Shown::of(item, now_ms, office.offset_s))),
        Err(UpdateError::NoSuchItem(_)) => Err(Failure::NoSuchItem),
        Err(UpdateError::Refused(r)) => Err(Failure::Refused(r)),
        Err(UpdateError::Store(e)) => Err(Failure::Store(e)),
    }
}

/// Why a request was not carried out; each said to the page in both languages.
#[derive(Debug)]
enum Failure {
    NoToken,
    UnknownToken,
    NotYours,
    NoSuchItem,
    BadIntent { why: String },
    Refused(Refusal),
    Store(anyhow::Error),
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::NoToken | Failure::UnknownToken => StatusCode::UNAUTHORIZED,
            Failure::NotYours => StatusCode::FORBIDDEN,
            Failure::NoSuchItem => StatusCode::NOT_FOUND,
            Failure::BadIntent { .. } => StatusCode::BAD_REQUEST,
            Failure::Refused(Refusal::Stale { .. }) => StatusCode::CONFLICT,
            Failure::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
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
            Failure::Refused(Refusal::Stale { .. }) => "stale",
            Failure::Refused(_) => "refused",
            Failure::Store(_) => "unavailable",
        }
    }

    fn say(&self, lang: Language) -> String {
        let zh = lang == Language::Zh;
        let say = |en: &str, zh_text: &str| if zh { zh_text } else { en }.to_string();
        match self {
            Failure::NoToken => say(
                "this page needs the link from your card",
                "请用您卡片上的链接打开此页",
            ),
            Failure::UnknownToken => say(
                "this link is not valid (ask the secretariat for a new card)",
                "此链接无效（请向办公室索取新的卡片）",
            ),
            Failure::NotYours => say("your link cannot do that", "您的链接不能进行此项操作"),
            Failure::NoSuchItem => say("no such item of yours", "没有这项属于您的事项"),
            Failure::BadIntent { .. } => say(
                "the page sent something this server does not read; reload it",
                "页面发送的内容无法识别，请刷新页面",
            ),
            Failure::Refused(r) => words::refusal(lang, r),
            Failure::Store(_) => say(
                "the register cannot be read or written just now; try again",
                "台账暂时无法读写，请稍后再试",
            ),
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        if let Failure::Store(e) = &self {
            tracing::error!("the register: {e:#}");
        }
        if let Failure::BadIntent { why } = &self {
            tracing::debug!("a bad intent: {why}");
        }
        let by = match &self {
            Failure::Refused(Refusal::Stale { by, .. }) => Some(by.clone()),
            _ => None,
        };
        let body = serde_json::json!({
            "error": self.code(),
            "by": by,
            "messages": { "zh": self.say(Language::Zh), "en": self.say(Language::En) },
        });
        let mut r = json(&body);
        *r.status_mut() = self.status();
        r
    }
}

/// Runs `f` (the register's blocking calls) off the async threads.
async fn blocking(f: impl FnOnce() -> Result<Response, Failure> + Send + 'static) -> Response {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(r)) => r,
        Ok(Err(failure)) => failure.into_response(),
        Err(e) => Failure::Store(anyhow::anyhow!("a request's task failed: {e}")).into_response(),
    }
}

/// The tag of what a page would read now: the last change, and the day (a
/// new day may make items overdue with no change at all).
fn etag(register: &Register, today: Date) -> Result<String, Failure> {
    let last = register.last_change().map_err(Failure::Store)?;
    Ok(format!("\"{last}-{today}\""))
}

fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
}

fn unchanged(etag: String) -> Response {
    tagged(StatusCode::NOT_MODIFIED.into_response(), etag)
}

fn json_with_tag(value: &impl Serialize, etag: String) -> Response {
    tagged(json(value), etag)
}

fn tagged(mut r: Response, etag: String) -> Response {
    if let Ok(v) = HeaderValue::from_str(&etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}

fn json(value: &impl Serialize) -> Response {
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

/// The whole front of `followups serve`: the register's routes, the pages'
/// assets, `/healthz`, `/` (to the dashboard); 404 and 405 otherwise; every
/// answer with the security headers.
pub fn front(office: Arc<Office>) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { axum::response::Redirect::to("/followups") }),
        )
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/assets/{version}/{name}", get(super::http::asset))
        .merge(router(office))
        .fallback(|method: axum::http::Method| async move {
            if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
                (
                    StatusCode::NOT_FOUND,
                    "not found: this server answers /followups\n",
                )
                    .into_response()
            } else {
                (StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n").into_response()
            }
        })
        .layer(axum::middleware::from_fn(super::http::security_headers))
}

/// At most this many connections at once on `followups serve` (a new one waits
/// for a free place); a request's headers must come within [`HEADER_TIMEOUT`].
pub const MAX_CONNECTIONS: usize = 512;

/// How long a request's headers (and a kept-alive connection's next request)
/// may take.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Serves [`front`] on `listener` until `stop` completes, then lets the
/// requests under way finish: connections bounded, each with a header timeout,
/// so that a slow or idle client holds one place for at most that long.
pub async fn serve(
    listener: tokio::net::TcpListener,
    office: Arc<Office>,
    stop: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let app = front(office);
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
