//! Topics on the office's front: the public page and each proposer's,
//! co-signer's, evaluator's and contact point's own, and the JSON they read and
//! write.
//!
//! - `/topics`: the public page (双公开), no token: the topics past their draft,
//!   the most supported first, each with its stage, its support by sector (one
//!   group cannot pass for everyone), every decision with its reason, and its
//!   chain (topic → meeting → promise → the topic a failed one came back as).
//!   Anyone may support a topic (and take it back) and propose one, once a
//!   round, by the key their browser keeps (`supporter`, sent in the body; the
//!   office keeps only its digest).
//! - `/topics/mine#t=TOKEN`: a roster person's page (their card's token, the
//!   one their asker's page has): propose (a member says what research it rests
//!   on), invite co-signers, sign or decline, submit, withdraw, give an opinion
//!   at 复审, support; or a contact point's (联系点): enter a resident's proposal.
//! - `POST /topics/api/similar`: the topics most like what is being written,
//!   asked while one types, so that a duplicate is seen before it is made.
//!
//! Every change carries the version the page saw; one made meanwhile is
//! refused naming who came between (409), as the register's are.

use super::{Similar, TopicError, TopicFilter};
use crate::lang::topics as words;
use crate::meeting::followups::Date;
use crate::meeting::plan::Language;
use crate::meeting::roster::Who;
use crate::meeting::topics::{
    topic::Decision, Actor, Command, Link, NewTopic, Origin, Proposer, Stage, Text, Topic,
};
use crate::office::http::{blocking, off_thread, Connection, Failure, Front};
use crate::office::keys::Holder;
use crate::web::http::json;
use axum::body::Bytes;
use axum::extract::{Extension, FromRequest, Path, Request, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Topics on one screen of the public page.
pub const PAGE_TOPICS: usize = 50;

/// The largest request a page may send.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Similar topics shown while one is written.
pub const SIMILAR_SHOWN: usize = 5;

/// What one address (an IPv6 one by its /64) may write without a token: so
/// many proposals an hour, so many supports (or their withdrawals) a minute.
/// A browser's key is no person; this bounds what one machine can pass off
/// as many.
const PUBLIC_PROPOSALS_AN_HOUR: usize = 10;
const PUBLIC_SUPPORTS_A_MINUTE: usize = 120;

/// Public writes by address and whether a proposal, each a list of when (ms).
type Writes = std::collections::HashMap<(std::net::IpAddr, bool), Vec<u64>>;

/// What [`allowed`] counts.
static PUBLIC_WRITES: std::sync::Mutex<Option<Writes>> = std::sync::Mutex::new(None);

/// Whether the address of `connection` may write once more without a token
/// (`proposal`: a proposal, else a support), at `now_ms`; counted when so. A
/// request with no connection known (a meeting's port) is not counted.
fn allowed(connection: Option<&Connection>, proposal: bool, now_ms: u64) -> bool {
    let Some(c) = connection else { return true };
    let (most, window_ms) = if proposal {
        (PUBLIC_PROPOSALS_AN_HOUR, 3_600_000)
    } else {
        (PUBLIC_SUPPORTS_A_MINUTE, 60_000)
    };
    let ip = crate::server::admission::counted(c.peer.ip());
    let mut all = PUBLIC_WRITES.lock().unwrap_or_else(|e| e.into_inner());
    let all = all.get_or_insert_with(Default::default);
    // Forget the addresses that have written nothing lately (a bounded table).
    if all.len() > 100_000 {
        all.retain(|_, times| times.last().is_some_and(|t| now_ms < t + 3_600_000));
    }
    let times = all.entry((ip, proposal)).or_default();
    times.retain(|t| now_ms < t + window_ms);
    if times.len() >= most {
        return false;
    }
    times.push(now_ms);
    true
}

/// The shortest key a browser may support or propose under (it makes one of
/// 32 hex digits).
const MIN_SUPPORTER_KEY: usize = 16;

/// The topics' JSON routes (their pages are in `crate::web::PAGES`).
pub fn routes() -> Router<Arc<Front>> {
    Router::new()
        .route("/topics/api/list", get(list))
        .route("/topics/api/mine", get(mine))
        .route("/topics/api/people", get(people))
        .route("/topics/api/similar", post(similar))
        .route("/topics/api/propose", post(propose))
        .route("/topics/api/topics/{id}", post(intent))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// A topic as anyone may see it: a resident's name is not shown (their
/// sector is), nor an evaluator's opinion before 定审 (only how many are in).
#[derive(Serialize)]
struct Public {
    id: String,
    version: u64,
    number: Option<String>,
    round: String,
    origin: Origin,
    /// The proposer's name; empty for a resident.
    proposer: String,
    sector: Option<String>,
    title: String,
    problem: String,
    suggestion: String,
    research: String,
    /// The departments concerned, by name.
    departments: Vec<String>,
    stage: Stage,
    /// Co-signers who signed the text as it is.
    cosigners: Vec<String>,
    support: BTreeMap<String, u64>,
    supporters: u64,
    decisions: Vec<Decision>,
    /// Evaluators named at 复审, and how many have given their opinion.
    evaluators: usize,
    opinions: usize,
    merged_into: Option<String>,
    merged_from: Vec<String>,
    /// The meetings that took it up, by their journal's key.
    meetings: Vec<String>,
    flagged: bool,
    chain: super::chain::Chain,
}

impl Public {
    fn of(t: Topic, departments: Vec<String>, chain: super::chain::Chain) -> Public {
        let links = |f: fn(&Link) -> Option<&String>| -> Vec<String> {
            t.links.iter().filter_map(f).cloned().collect()
        };
        let merged_into = links(|l| match l {
            Link::MergedInto { topic } => Some(topic),
            _ => None,
        })
        .into_iter()
        .next();
        let merged_from = links(|l| match l {
            Link::MergedFrom { topic } => Some(topic),
            _ => None,
        });
        let meetings = links(|l| match l {
            Link::Meeting { key } => Some(key),
            _ => None,
        });
        Public {
            proposer: match t.proposer {
                Proposer::Resident { .. } => String::new(),
                _ => t.proposer_name.clone(),
            },
            cosigners: t
                .cosigners
                .iter()
                .filter(|c| {
                    matches!(
                        c.signature,
                        crate::meeting::topics::Signature::Signed { .. }
                    )
                })
                .map(|c| c.name.clone())
                .collect(),
            supporters: t.supporters(),
            evaluators: t.evaluators.len(),
            opinions: t.evaluators.iter().filter(|e| e.opinion.is_some()).count(),
            version: t.version,
            id: t.id,
            number: t.number,
            round: t.round,
            origin: t.origin,
            sector: t.sector,
            title: t.text.title,
            problem: t.text.problem,
            suggestion: t.text.suggestion,
            research: t.text.research,
            departments,
            stage: t.stage,
            support: t.support,
            decisions: t.decisions,
            merged_into,
            merged_from,
            meetings,
            flagged: t.flagged,
            chain,
        }
    }
}

#[derive(Serialize)]
struct Listing {
    today: Date,
    /// Topics the filter finds; `topics` holds [`PAGE_TOPICS`] from `offset`.
    total: u64,
    offset: usize,
    topics: Vec<Public>,
    /// A supporter's supports a round.
    cap: u64,
}

/// `name=value` of a query, decoded; `None` when absent.
fn query_value(uri: &Uri, name: &str) -> Option<String> {
    uri.query()?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let pair = (b == b'%' && i + 2 < bytes.len())
            .then(|| Some((hex(bytes[i + 1])?, hex(bytes[i + 2])?)))
            .flatten();
        match (b, pair) {
            (_, Some((hi, lo))) => {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
            (b'+', _) => out.push(b' '),
            (b, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The departments' names, from the roster (an id it lacks, as given).
fn department_names(office: &crate::office::Office, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| {
            office
                .organisation(id)
                .ok()
                .flatten()
                .map_or_else(|| id.clone(), |o| o.name)
        })
        .collect()
}

/// The public page's topics: `?stage=` one stage (else every public one),
/// `?offset=` from the n-th.
async fn list(State(front): State<Arc<Front>>, uri: Uri) -> Response {
    blocking(move || {
        let stage = match query_value(&uri, "stage").filter(|s| !s.is_empty()) {
            Some(s) => Some(Stage::parse(&s).ok_or_else(|| Failure::BadIntent {
                why: format!("no stage {}", crate::text::shown(&s)),
            })?),
            None => None,
        };
        let offset = query_value(&uri, "offset")
            .and_then(|o| o.parse::<usize>().ok())
            .unwrap_or(0)
            .min(1_000_000);
        let filter = TopicFilter {
            stage: stage.filter(|s| *s != Stage::Draft),
            public: true,
            ..TopicFilter::default()
        };
        let (now_ms, today) = front.now();
        let office = front.office();
        let total = office.count_topics(&filter).map_err(Failure::Store)?;
        let mut topics = Vec::new();
        for t in office
            .topics(&filter, offset, PAGE_TOPICS)
            .map_err(Failure::Store)?
        {
            let chain = office
                .chain(&t, now_ms, front.offset_s)
                .map_err(Failure::Store)?;
            let departments = department_names(&office, &t.text.departments);
            topics.push(Public::of(t, departments, chain));
        }
        let cap = office
            .thresholds()
            .map_err(Failure::Store)?
            .supports_per_round;
        Ok(json(&Listing {
            today,
            total,
            offset,
            topics,
            cap,
        }))
    })
    .await
}

/// What a page sends to find similar topics.
#[derive(Deserialize)]
struct Typed {
    text: String,
    #[serde(default)]
    except: Option<String>,
}

/// The topics most like what is being written.
async fn similar(State(front): State<Arc<Front>>, request: Request) -> Response {
    let body = match read_body(&front, request).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    blocking(move || {
        let typed: Typed =
            serde_json::from_slice(&body).map_err(|e| Failure::BadIntent { why: e.to_string() })?;
        let text: String = typed.text.chars().take(2000).collect();
        let found: Vec<Similar> = front
            .office()
            .similar_topics(&text, typed.except.as_deref(), SIMILAR_SHOWN)
            .map_err(Failure::Store)?;
        Ok(json(&found))
    })
    .await
}

/// A body, within the front's time and size.
async fn read_body(front: &Front, request: Request) -> Result<Bytes, Response> {
    match tokio::time::timeout(front.body_timeout, Bytes::from_request(request, &())).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(rejection)) => Err(rejection.into_response()),
        Err(_) => Err(Failure::TooSlow.into_response()),
    }
}

/// Who a token's holder is on the topics' pages.
#[derive(Debug, Clone)]
enum Topical {
    Person {
        id: String,
        name: String,
        sector: Option<String>,
    },
    ContactPoint {
        id: String,
        name: String,
    },
}

impl Topical {
    fn of(front: &Front, holder: &Holder) -> Result<Topical, Failure> {
        match holder {
            Holder::ContactPoint { id, name } => Ok(Topical::ContactPoint {
                id: id.clone(),
                name: name.clone(),
            }),
            Holder::Asker {
                who: Who::Person(id),
                name,
            } => {
                let person = front.office().person(id).map_err(Failure::Store)?;
                Ok(Topical::Person {
                    id: id.clone(),
                    name: person
                        .as_ref()
                        .map_or_else(|| name.clone(), |p| p.name.clone()),
                    sector: person.and_then(|p| p.sector),
                })
            }
            // A department's or a seat's card is for the register.
            _ => Err(Failure::NotYours),
        }
    }

    fn actor(&self) -> Actor {
        match self {
            Topical::Person { id, name, .. } => Actor::Person {
                person: id.clone(),
                name: name.clone(),
            },
            Topical::ContactPoint { id, name } => Actor::ContactPoint {
                organisation: id.clone(),
                name: name.clone(),
            },
        }
    }

    /// What their page may send.
    fn may(&self) -> &'static [&'static str] {
        match self {
            Topical::Person { .. } => &[
                "propose",
                "edit",
                "invite",
                "uninvite",
                "sign",
                "decline",
                "submit",
                "withdraw",
                "opine",
                "support",
                "unsupport",
            ],
            Topical::ContactPoint { .. } => &["propose", "edit", "submit", "withdraw"],
        }
    }
}

/// The token holder's own page: who they are and their topics, whole.
#[derive(Serialize)]
struct Mine {
    today: Date,
    #[serde(rename = "as")]
    role: &'static str,
    id: String,
    name: String,
    sector: Option<String>,
    may: &'static [&'static str],
    topics: Vec<Topic>,
    /// The topics they support.
    supporting: Vec<String>,
    /// The roster's departments, for a proposal's "departments concerned".
    departments: Vec<Named>,
}

#[derive(Serialize)]
struct Named {
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sector: Option<String>,
}

/// People of the roster whose name holds `?q=` (a proposer inviting
/// co-signers): a token's holder's only, ten at most, no contact.
async fn people(State(front): State<Arc<Front>>, headers: HeaderMap, uri: Uri) -> Response {
    blocking(move || {
        let holder = front.holder(&headers)?;
        Topical::of(&front, &holder)?;
        let q: String = query_value(&uri, "q")
            .unwrap_or_default()
            .trim()
            .chars()
            .take(40)
            .collect();
        if q.is_empty() {
            return Ok(json(&Vec::<Named>::new()));
        }
        let found = front
            .office()
            .find_people(&q, 10)
            .map_err(Failure::Store)?
            .into_iter()
            .map(|p| Named {
                id: p.id,
                name: p.name,
                sector: p.sector,
            })
            .collect::<Vec<_>>();
        Ok(json(&found))
    })
    .await
}

/// Most topics on a person's own page.
const MINE_TOPICS: usize = 200;

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
        let who = Topical::of(&front, &holder)?;
        let (_, today) = front.now();
        let office = front.office();
        let (filter, role, id, name, sector) = match &who {
            Topical::Person { id, name, sector } => (
                TopicFilter {
                    person: Some(id.clone()),
                    ..TopicFilter::default()
                },
                "person",
                id.clone(),
                name.clone(),
                sector.clone(),
            ),
            Topical::ContactPoint { id, name } => (
                TopicFilter {
                    entered_through: Some(contact_prefix(id)),
                    ..TopicFilter::default()
                },
                "contact_point",
                id.clone(),
                name.clone(),
                None,
            ),
        };
        let topics = office
            .topics(&filter, 0, MINE_TOPICS)
            .map_err(Failure::Store)?;
        let supporting = match &who {
            Topical::Person { id, .. } => office
                .supported_by(&person_supporter(id))
                .map_err(Failure::Store)?,
            Topical::ContactPoint { .. } => Vec::new(),
        };
        let departments = office
            .organisations()
            .map_err(Failure::Store)?
            .into_iter()
            .filter(|o| o.kind == crate::meeting::roster::OrgKind::Department)
            .map(|o| Named {
                id: o.id,
                name: o.name,
                sector: None,
            })
            .collect();
        Ok(json(&Mine {
            today,
            departments,
            role,
            may: who.may(),
            id,
            name,
            sector,
            topics,
            supporting,
        }))
    })
    .await
}

/// The proposer key prefix of the residents a contact point wrote down.
fn contact_prefix(point: &str) -> String {
    format!("resident:contact:{point}:")
}

/// A person's key as a supporter.
fn person_supporter(id: &str) -> String {
    format!("person:{id}")
}

/// A browser's key as the office keeps it: its digest only.
fn public_supporter(key: &str) -> Result<String, Failure> {
    let key = key.trim();
    if key.len() < MIN_SUPPORTER_KEY || key.len() > 128 {
        return Err(Failure::BadIntent {
            why: "a supporter's key of 16 to 128 characters".into(),
        });
    }
    use sha2::{Digest, Sha256};
    Ok(format!(
        "public:{}",
        hex::encode(&Sha256::digest(key.as_bytes())[..16])
    ))
}

/// A proposal as a page sends it.
#[derive(Deserialize)]
struct Proposal {
    text: Text,
    /// The resident's name (the public page, a contact point).
    #[serde(default)]
    name: String,
    /// The resident's sector (界别), or the circle they speak for.
    #[serde(default)]
    sector: String,
    /// How a contact point can reach the resident again (kept only as part
    /// of the key that makes them one proposer a round).
    #[serde(default)]
    contact: String,
    /// The public page's browser key.
    #[serde(default)]
    supporter: Option<String>,
}

/// A proposal: a roster person's (a draft, to co-sign and submit), a contact
/// point's for a resident, or the public page's (each submitted at once:
/// the resident has no page to come back to).
async fn propose(
    State(front): State<Arc<Front>>,
    connection: Option<Extension<Connection>>,
    request: Request,
) -> Response {
    let headers = request.headers().clone();
    let has_token = headers.contains_key(axum::http::header::AUTHORIZATION);
    let who = if has_token {
        let front = front.clone();
        match off_thread(move || {
            let holder = front.holder(&headers)?;
            Topical::of(&front, &holder)
        })
        .await
        {
            Ok(who) => Some(who),
            Err(failure) => return failure.into_response(),
        }
    } else {
        None
    };
    let body = match read_body(&front, request).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let connection = connection.map(|Extension(c)| c);
    if let (Some(_), Some(c)) = (&who, &connection) {
        c.proved();
    }
    blocking(move || {
        if who.is_none() && !allowed(connection.as_ref(), true, crate::clock::now_ms()) {
            return Err(Failure::TooOften);
        }
        let p: Proposal =
            serde_json::from_slice(&body).map_err(|e| Failure::BadIntent { why: e.to_string() })?;
        let (now_ms, today) = front.now();
        let round = today.ymd().0.to_string();
        let name = p.name.trim().to_string();
        let sector = Some(p.sector.trim().to_string()).filter(|s| !s.is_empty());
        let lang = Language::Zh;
        let public_page = words_of(lang).public_page.to_string();
        let (new, by, submit_as) = match &who {
            Some(person @ Topical::Person { id, name, sector }) => (
                NewTopic {
                    id: String::new(),
                    round,
                    origin: Origin::Member,
                    proposer: Proposer::Person { person: id.clone() },
                    proposer_name: name.clone(),
                    sector: sector.clone(),
                    entered_by: None,
                    text: p.text,
                },
                person.actor(),
                None,
            ),
            Some(
                point @ Topical::ContactPoint {
                    id,
                    name: point_name,
                },
            ) => {
                needs_name(&name)?;
                let key = format!(
                    "contact:{id}:{}",
                    short_digest(&format!("{name}\u{1f}{}", p.contact.trim()))
                );
                (
                    NewTopic {
                        id: String::new(),
                        round,
                        origin: Origin::Public,
                        proposer: Proposer::Resident { key },
                        proposer_name: name,
                        sector,
                        entered_by: Some(point_name.clone()),
                        text: p.text,
                    },
                    point.actor(),
                    Some(point.actor()),
                )
            }
            None => {
                needs_name(&name)?;
                let key = public_supporter(p.supporter.as_deref().unwrap_or(""))?;
                let page = Actor::Secretariat { name: public_page };
                (
                    NewTopic {
                        id: String::new(),
                        round,
                        origin: Origin::Public,
                        proposer: Proposer::Resident { key },
                        proposer_name: name,
                        sector,
                        entered_by: None,
                        text: p.text,
                    },
                    page.clone(),
                    Some(page),
                )
            }
        };
        let mut office = front.office();
        let topic = office.propose(new, &by, now_ms).map_err(failure)?;
        let topic = match submit_as {
            Some(actor) => office
                .update_topic(
                    &topic.id,
                    &Command::Submit,
                    &actor,
                    Some(topic.version),
                    (now_ms, front.offset_s),
                )
                .map_err(failure)?,
            None => topic,
        };
        Ok(json(&topic))
    })
    .await
}

fn needs_name(name: &str) -> Result<(), Failure> {
    if name.is_empty() {
        return Err(refused(crate::meeting::topics::Refusal::Empty {
            what: "the name",
        }));
    }
    Ok(())
}

fn short_digest(s: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(s.as_bytes())[..12])
}

fn words_of(lang: Language) -> &'static crate::lang::catalogue::Topics {
    &crate::lang::catalogue::of(lang).topics
}

fn refused(r: crate::meeting::topics::Refusal) -> Failure {
    let stale_by = match &r {
        crate::meeting::topics::Refusal::Stale { by, .. } => Some(by.clone()),
        _ => None,
    };
    Failure::Refused {
        stale_by,
        zh: words::refusal(Language::Zh, &r),
        en: words::refusal(Language::En, &r),
    }
}

fn failure(e: TopicError) -> Failure {
    match e {
        TopicError::NoSuchTopic(_) => Failure::NoSuchItem,
        TopicError::Refused(r) => refused(r),
        TopicError::Store(e) => Failure::Store(e),
    }
}

/// What a page asks of one topic: the core's command, the version it saw,
/// and for a support from the public page, the browser's key.
#[derive(Deserialize)]
struct Intent {
    /// The version the page saw; a support needs none (it does not depend on
    /// what others did meanwhile).
    #[serde(default)]
    seen: Option<u64>,
    #[serde(default)]
    supporter: Option<String>,
    #[serde(flatten)]
    command: Asked,
}

/// The commands a page may send (the office's own are the desk's).
#[derive(Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
enum Asked {
    Edit {
        text: Text,
    },
    Invite {
        person: String,
    },
    Uninvite {
        person: String,
    },
    Sign,
    Decline,
    Submit,
    Withdraw {
        reason: String,
    },
    Opine {
        verdict: crate::meeting::topics::Verdict,
        text: String,
    },
    Support {
        #[serde(default)]
        sector: String,
    },
    Unsupport,
}

impl Asked {
    fn name(&self) -> &'static str {
        match self {
            Asked::Edit { .. } => "edit",
            Asked::Invite { .. } => "invite",
            Asked::Uninvite { .. } => "uninvite",
            Asked::Sign => "sign",
            Asked::Decline => "decline",
            Asked::Submit => "submit",
            Asked::Withdraw { .. } => "withdraw",
            Asked::Opine { .. } => "opine",
            Asked::Support { .. } => "support",
            Asked::Unsupport => "unsupport",
        }
    }
}

/// One change of a topic, from a token's holder or (a support, its
/// withdrawal) the public page.
async fn intent(
    State(front): State<Arc<Front>>,
    Path(id): Path<String>,
    connection: Option<Extension<Connection>>,
    request: Request,
) -> Response {
    let headers = request.headers().clone();
    let has_token = headers.contains_key(axum::http::header::AUTHORIZATION);
    let who = if has_token {
        let front = front.clone();
        match off_thread(move || {
            let holder = front.holder(&headers)?;
            Topical::of(&front, &holder)
        })
        .await
        {
            Ok(who) => Some(who),
            Err(failure) => return failure.into_response(),
        }
    } else {
        None
    };
    let body = match read_body(&front, request).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let connection = connection.map(|Extension(c)| c);
    if let (Some(_), Some(c)) = (&who, &connection) {
        c.proved();
    }
    blocking(move || {
        if who.is_none() && !allowed(connection.as_ref(), false, crate::clock::now_ms()) {
            return Err(Failure::TooOften);
        }
        let intent: Intent =
            serde_json::from_slice(&body).map_err(|e| Failure::BadIntent { why: e.to_string() })?;
        let name = intent.command.name();
        let supporting = matches!(name, "support" | "unsupport");
        let actor = match &who {
            Some(who) if !who.may().contains(&name) => return Err(Failure::NotYours),
            Some(Topical::Person { id, .. }) if supporting => Actor::Supporter {
                key: person_supporter(id),
            },
            Some(who) => who.actor(),
            None if supporting => Actor::Supporter {
                key: public_supporter(intent.supporter.as_deref().unwrap_or(""))?,
            },
            None => return Err(Failure::NoToken),
        };
        let mut office = front.office();
        let command = match intent.command {
            Asked::Edit { text } => Command::Edit { text },
            Asked::Invite { person } => {
                let found = office
                    .person(&person)
                    .map_err(Failure::Store)?
                    .ok_or_else(|| Failure::BadIntent {
                        why: "no such person in the roster".into(),
                    })?;
                Command::Invite {
                    person: found.id,
                    name: found.name,
                }
            }
            Asked::Uninvite { person } => Command::Uninvite { person },
            Asked::Sign => Command::Sign,
            Asked::Decline => Command::Decline,
            Asked::Submit => Command::Submit,
            Asked::Withdraw { reason } => Command::Withdraw { reason },
            Asked::Opine { verdict, text } => Command::Opine { verdict, text },
            Asked::Support { sector } => Command::Support {
                sector: match &who {
                    Some(Topical::Person {
                        sector: Some(s), ..
                    }) => s.clone(),
                    _ => sector,
                },
            },
            Asked::Unsupport => Command::Unsupport,
        };
        let seen = match (supporting, intent.seen) {
            (true, _) => None,
            (false, Some(seen)) => Some(seen),
            (false, None) => {
                return Err(Failure::BadIntent {
                    why: "a change carries the version it saw (`seen`)".into(),
                })
            }
        };
        let (now_ms, _) = front.now();
        let topic = office
            .update_topic(&id, &command, &actor, seen, (now_ms, front.offset_s))
            .map_err(failure)?;
        Ok(json(&topic))
    })
    .await
}
