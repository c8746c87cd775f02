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
//!   the item meanwhile (409). Its token is checked before its body is read
//!   (a stranger is answered 401 at once, whatever body it announces), and the
//!   body must come within `Front::body_timeout` (408).
//!
//! Its pages are `crate::web::PAGES`' (audience `Office`); what it shares with
//! the office's other routes (the token's holder, the file on a blocking
//! thread, refusals in both languages, `ETag`s) is `office::http`'s.

use super::{Filter, UpdateError};
use crate::lang::followups as words;
use crate::meeting::followups::{
    self, item::AnswerClass, item::Evidence, item::Rating, Command, Date, Item, Refusal, Standing,
};
use crate::meeting::plan::Language;
use crate::office::http::{
    blocking, etag, json_with_tag, not_modified, off_thread, unchanged, Connection, Failure, Front,
};
use crate::office::keys::Holder;
use crate::web::http::json;
use axum::body::Bytes;
use axum::extract::{Extension, FromRequest, Path, Request, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// At most this many items on the dashboard (open and longest overdue first);
/// the page says how many more there are.
pub const DASHBOARD_ITEMS: usize = 200;

/// At most this many items on a token holder's page (open and longest
/// overdue first); the page says how many more there are (the desk and the
/// exports have them all).
pub const MINE_ITEMS: usize = 200;

/// The largest intent a page may send.
pub const MAX_INTENT_BYTES: usize = 64 * 1024;

/// The register's JSON routes (its pages are in `crate::web::PAGES`).
pub fn routes() -> Router<Arc<Front>> {
    Router::new()
        .route("/followups/api/dashboard", get(dashboard))
        .route("/followups/api/mine", get(mine))
        .route("/followups/api/items/{*id}", post(intent))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_INTENT_BYTES))
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
            standing: followups::standing(&item, now_ms, offset_s),
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
    /// Left unanswered in the meeting: nothing promised.
    unanswered: bool,
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
            standing: followups::standing(&item, now_ms, offset_s),
            deadline: item.deadline(),
            state: item.state.as_str(),
            id: item.id,
            meeting: item.origin.meeting,
            date: item.origin.date,
            question: item.origin.text,
            department: item.department_name,
            promise: item.promise,
            unanswered: item.unanswered,
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
    departments: Vec<super::DepartmentFigures>,
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
async fn dashboard(State(front): State<Arc<Front>>, headers: HeaderMap) -> Response {
    blocking(move || {
        let (now_ms, today) = front.now();
        let register = front.office();
        let etag = etag(&register, today)?;
        if not_modified(&headers, &etag) {
            return Ok(unchanged(etag));
        }
        let departments = register.figures(today, true).map_err(Failure::Store)?;
        let total = departments.iter().map(|d| d.items).sum();
        let items = register
            .first_items(
                &Filter {
                    public_only: true,
                    ..Filter::default()
                },
                DASHBOARD_ITEMS,
                false,
            )
            .map_err(Failure::Store)?
            .into_iter()
            .map(|i| Public::of(i, now_ms, front.offset_s))
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
async fn mine(
    State(front): State<Arc<Front>>,
    connection: Option<Extension<Connection>>,
    headers: HeaderMap,
) -> Response {
    blocking(move || {
        let holder = front.holder(&headers)?;
        if let Some(Extension(c)) = connection {
            c.proved();
        }
        let (now_ms, today) = front.now();
        let register = front.office();
        let etag = etag(&register, today)?;
        if not_modified(&headers, &etag) {
            return Ok(unchanged(etag));
        }
        let filter = match &holder {
            Holder::Department { id, .. } => Some(Filter {
                handled_by: Some(id.clone()),
                ..Filter::default()
            }),
            Holder::Asker { who, .. } => Some(Filter {
                asker: Some(who.clone()),
                ..Filter::default()
            }),
            // A contact point's card is for topics: no item is its.
            Holder::ContactPoint { .. } => None,
        };
        let (total, items) = match filter {
            Some(filter) => (
                register.count_items(&filter).map_err(Failure::Store)?,
                register
                    .first_items(&filter, MINE_ITEMS, true)
                    .map_err(Failure::Store)?
                    .into_iter()
                    .map(|i| Shown::of(i, now_ms, front.offset_s))
                    .collect(),
            ),
            None => (0, Vec::new()),
        };
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
        Holder::ContactPoint { .. } => &[],
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

/// Carries out one intent on item `id` as the token's holder: the token first,
/// then the body (within the deadline), then the rules.
async fn intent(
    State(front): State<Arc<Front>>,
    Path(id): Path<String>,
    connection: Option<Extension<Connection>>,
    request: Request,
) -> Response {
    let headers = request.headers().clone();
    let holder = {
        let front = front.clone();
        match off_thread(move || front.holder(&headers)).await {
            Ok(holder) => holder,
            Err(failure) => return failure.into_response(),
        }
    };
    let body =
        match tokio::time::timeout(front.body_timeout, Bytes::from_request(request, &())).await {
            Ok(Ok(body)) => body,
            // Over the limit (413), or the client went away.
            Ok(Err(rejection)) => return rejection.into_response(),
            Err(_) => return Failure::TooSlow.into_response(),
        };
    if let Some(Extension(c)) = connection {
        c.proved();
    }
    blocking(move || {
        let intent: Intent =
            serde_json::from_slice(&body).map_err(|e| Failure::BadIntent { why: e.to_string() })?;
        let seen = intent.seen();
        let (now_ms, today) = front.now();
        if !may(&holder).contains(&intent.name()) {
            return Err(Failure::NotYours);
        }
        let actor = holder.actor(intent.by());
        let command = intent.command(today, actor.name());
        carry_out(
            &front,
            &id,
            &command,
            followups::Ctx {
                actor: &actor,
                now_ms,
                offset_s: front.offset_s,
                seen: Some(seen),
            },
        )
    })
    .await
}

fn carry_out(
    front: &Front,
    id: &str,
    command: &Command,
    ctx: followups::Ctx,
) -> Result<Response, Failure> {
    let mut register = front.office();
    // Another's item is not found: a token learns nothing of items not its own.
    let item = register
        .item(id)
        .map_err(Failure::Store)?
        .ok_or(Failure::NoSuchItem)?;
    if !item.concerns(ctx.actor) {
        return Err(Failure::NoSuchItem);
    }
    match register.update_item(id, command, ctx) {
        Ok(item) => Ok(json(&Shown::of(item, ctx.now_ms, front.offset_s))),
        Err(UpdateError::NoSuchItem(_)) => Err(Failure::NoSuchItem),
        Err(UpdateError::Refused(r)) => Err(r.into()),
        Err(UpdateError::Store(e)) => Err(Failure::Store(e)),
    }
}

impl From<Refusal> for Failure {
    fn from(r: Refusal) -> Failure {
        Failure::Refused {
            stale_by: match &r {
                Refusal::Stale { by, .. } => Some(by.clone()),
                _ => None,
            },
            zh: words::refusal(Language::Zh, &r),
            en: words::refusal(Language::En, &r),
        }
    }
}
