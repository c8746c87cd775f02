//! The register's rules, pure like the meeting's: a command on an item is
//! decided into a change (or refused), and a change applied to the item. Time is
//! an argument; so is the register's time zone. The rule a 提案 office works by:
//! answered within two months, one extension of at most a month with a reason.

use super::date::Date;
use super::item::{
    Actor, AnswerClass, Evidence, Extension, GivenAnswer, GivenRating, Item, ItemState, Origin,
    Rating,
};
use serde::{Deserialize, Serialize};

/// How long a department has, unless the plan or the import says otherwise.
pub const DEFAULT_MONTHS: u32 = 2;
/// The most a plan may give (`follow_up_days`): three months at the latest.
pub const LATEST_DAYS: u32 = 92;
/// The one extension, at most.
pub const EXTENSION_MONTHS: u32 = 1;
/// A sent-back answer's new time: this long after the rating, or the date it
/// already had when that is later (a rating never brings a due date forward).
pub const REDO_MONTHS: u32 = 1;
/// When a B or C answer comes up again.
pub const REVIEW_MONTHS: u32 = 3;
/// 即将到期: due within this many days.
pub const DUE_SOON_DAYS: i32 = 7;
/// 沉寂: nothing for this many days.
pub const SILENT_DAYS: u64 = 60;

/// What someone asks of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Command {
    /// A department names who handles it (领办).
    Acknowledge {
        handler: String,
    },
    /// Work done, with its evidence.
    Progress {
        evidence: Evidence,
    },
    Answer {
        class: AnswerClass,
        text: String,
    },
    Rate {
        rating: Rating,
        #[serde(default)]
        reason: Option<String>,
    },
    /// The one extension.
    Extend {
        until: Date,
        reason: String,
    },
    SetDue {
        due: Date,
    },
    Withdraw {
        reason: String,
    },
    Merge {
        into: String,
        reason: String,
    },
    SetPublic {
        public: bool,
    },
    /// The departments that handle it with the lead (会办), by id.
    SetCoHandling {
        departments: Vec<String>,
    },
}

/// What happened to an item: its change log's rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Created {
        item: Box<Item>,
    },
    Acknowledged {
        handler: String,
    },
    Progressed {
        evidence: Evidence,
    },
    Answered {
        answer: GivenAnswer,
        review_on: Option<Date>,
    },
    Rated {
        rating: GivenRating,
        due: Option<Date>,
    },
    Extended {
        extension: Extension,
    },
    DueSet {
        due: Date,
    },
    Withdrawn {
        reason: String,
    },
    Merged {
        into: String,
        reason: String,
    },
    PublicSet {
        public: bool,
    },
    CoHandlingSet {
        departments: Vec<String>,
    },
}

impl Change {
    pub fn name(&self) -> &'static str {
        match self {
            Change::Created { .. } => "created",
            Change::Acknowledged { .. } => "acknowledged",
            Change::Progressed { .. } => "progressed",
            Change::Answered { .. } => "answered",
            Change::Rated { .. } => "rated",
            Change::Extended { .. } => "extended",
            Change::DueSet { .. } => "due_set",
            Change::Withdrawn { .. } => "withdrawn",
            Change::Merged { .. } => "merged",
            Change::PublicSet { .. } => "public_set",
            Change::CoHandlingSet { .. } => "co_handling_set",
        }
    }
}

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Stale {
        id: String,
        version: u64,
        by: String,
    },
    SecretariatOnly {
        what: &'static str,
    },
    NotYourDepartment {
        id: String,
        department: String,
    },
    NotYourItem {
        id: String,
    },
    WrongState {
        id: String,
        state: &'static str,
        what: &'static str,
    },
    Empty {
        what: &'static str,
    },
    TooLong {
        what: &'static str,
        max: usize,
    },
    AlreadyExtended {
        id: String,
        until: Date,
    },
    ExtensionTooLong {
        until: Date,
        latest: Date,
    },
    NotLater {
        until: Date,
        due: Date,
    },
    ReasonRequired,
    /// A control character, a direction control, an invisible character or a
    /// pile of marks (`crate::text`).
    UnsafeText {
        what: &'static str,
        character: String,
    },
    MergeIntoItself,
    LeadNotCoHandling {
        department: String,
    },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Stale { id, version, by } => write!(
                f,
                "{id} changed since you read it (now version {version}{})",
                if by.is_empty() {
                    String::new()
                } else {
                    format!(", by {by}")
                }
            ),
            Refusal::SecretariatOnly { what } => write!(f, "only the secretariat may {what}"),
            Refusal::NotYourDepartment { id, department } => {
                write!(
                    f,
                    "{id} is {department}'s: another department cannot change it"
                )
            }
            Refusal::NotYourItem { id } => {
                write!(f, "only the person who asked rates the answer to {id}")
            }
            Refusal::WrongState { id, state, what } => {
                write!(f, "{id} is {state}: it cannot be {what} now")
            }
            Refusal::Empty { what } => write!(f, "{what} cannot be empty"),
            Refusal::TooLong { what, max } => {
                write!(f, "{what} is too long (at most {max} characters)")
            }
            Refusal::AlreadyExtended { id, until } => {
                write!(f, "{id} was already extended once, to {until}")
            }
            Refusal::ExtensionTooLong { until, latest } => write!(
                f,
                "an extension is at most a month: {until} is after {latest}"
            ),
            Refusal::NotLater { until, due } => {
                write!(f, "{until} is not after the due date {due}")
            }
            Refusal::ReasonRequired => write!(f, "a dissatisfied rating says why"),
            Refusal::UnsafeText { what, character } => {
                write!(f, "{what} holds {character}, which text may not")
            }
            Refusal::MergeIntoItself => write!(f, "an item cannot be merged into itself"),
            Refusal::LeadNotCoHandling { department } => {
                write!(f, "{department} leads it: it cannot also co-handle it")
            }
        }
    }
}

impl std::error::Error for Refusal {}

/// Who asks, and when, in which zone.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub actor: &'a Actor,
    pub now_ms: u64,
    /// The register's zone, seconds east of UTC (Beijing: 28 800).
    pub offset_s: i32,
    /// The version the asker saw; `None` for the secretariat's console, which
    /// holds the item as it is.
    pub seen: Option<u64>,
}

impl Ctx<'_> {
    fn today(&self) -> Date {
        Date::of_ms(self.now_ms, self.offset_s)
    }
}

/// The longest text of an item, in characters as a person sees them
/// (`crate::text::length`).
const MAX_TEXT: usize = 4000;

fn text(what: &'static str, t: &str) -> Result<(), Refusal> {
    if t.trim().is_empty() {
        Err(Refusal::Empty { what })
    } else if let Some((_, c)) = crate::text::first_unsafe(t) {
        Err(Refusal::UnsafeText {
            what,
            character: crate::text::describe(c),
        })
    } else if crate::text::length(t) > MAX_TEXT {
        Err(Refusal::TooLong {
            what,
            max: MAX_TEXT,
        })
    } else {
        Ok(())
    }
}

/// What a new item is made of.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub id: String,
    pub origin: Origin,
    /// The lead department: its id and name.
    pub department: (String, String),
    pub promise: String,
    /// Left unanswered in the room (nothing promised).
    pub unanswered: bool,
    /// Due on this day, else two months after the meeting.
    pub due: Option<Date>,
}

/// A new item, made at `now_ms`.
pub fn create(new: NewItem, now_ms: u64) -> Item {
    let NewItem {
        id,
        origin,
        department,
        promise,
        unanswered,
        due,
    } = new;
    let due = due.unwrap_or_else(|| origin.date.add_months(DEFAULT_MONTHS));
    Item {
        id,
        version: 1,
        origin,
        department: department.0,
        department_name: department.1,
        co_handling: Vec::new(),
        promise,
        unanswered,
        due,
        extension: None,
        state: ItemState::Assigned,
        handler: None,
        evidence: Vec::new(),
        answer: None,
        rating: None,
        returned: 0,
        review_on: None,
        ended: None,
        merged_into: None,
        public: true,
        created_ms: now_ms,
        updated_ms: now_ms,
    }
}

/// The change `command` makes to `item`, or why it may not.
pub fn decide(item: &Item, command: &Command, ctx: Ctx<'_>) -> Result<Change, Refusal> {
    if let Some(seen) = ctx.seen {
        if seen != item.version {
            return Err(Refusal::Stale {
                id: item.id.clone(),
                version: item.version,
                by: String::new(),
            });
        }
    }
    let secretariat = matches!(ctx.actor, Actor::Secretariat { .. });
    // Department work: the secretariat's, or a department's that handles it.
    let handles = !matches!(ctx.actor, Actor::Asker { .. }) && item.concerns(ctx.actor);
    let department_work = |what| {
        if handles {
            Ok(())
        } else if let Actor::Department { .. } = ctx.actor {
            Err(Refusal::NotYourDepartment {
                id: item.id.clone(),
                department: item.department_name.clone(),
            })
        } else {
            Err(Refusal::SecretariatOnly { what })
        }
    };
    let only_secretariat = |what| {
        if secretariat {
            Ok(())
        } else {
            Err(Refusal::SecretariatOnly { what })
        }
    };
    let wrong = |what| Refusal::WrongState {
        id: item.id.clone(),
        state: item.state.as_str(),
        what,
    };
    use ItemState::*;
    match command {
        Command::Acknowledge { handler } => {
            department_work("acknowledge it")?;
            text("the handler", handler)?;
            if !matches!(item.state, Assigned | Acknowledged) {
                return Err(wrong("acknowledged"));
            }
            Ok(Change::Acknowledged {
                handler: handler.trim().to_string(),
            })
        }
        Command::Progress { evidence } => {
            department_work("add progress")?;
            text("the evidence's title", &evidence.title)?;
            if let Some((_, c)) = crate::text::first_unsafe(&evidence.text) {
                return Err(Refusal::UnsafeText {
                    what: "the evidence",
                    character: crate::text::describe(c),
                });
            }
            if crate::text::length(&evidence.text) > MAX_TEXT {
                return Err(Refusal::TooLong {
                    what: "the evidence",
                    max: MAX_TEXT,
                });
            }
            if !item.state.is_open() {
                return Err(wrong("worked on"));
            }
            Ok(Change::Progressed {
                evidence: evidence.clone(),
            })
        }
        Command::Answer { class, text: t } => {
            department_work("answer it")?;
            text("the answer", t)?;
            if !item.state.is_open() {
                return Err(wrong("answered"));
            }
            let today = ctx.today();
            Ok(Change::Answered {
                answer: GivenAnswer {
                    class: *class,
                    text: t.trim().to_string(),
                    date: today,
                    by: ctx.actor.name().to_string(),
                },
                review_on: (*class != AnswerClass::A).then(|| today.add_months(REVIEW_MONTHS)),
            })
        }
        Command::Rate { rating, reason } => {
            // The secretariat records it for the asker; a department never rates.
            if matches!(ctx.actor, Actor::Department { .. }) || !item.concerns(ctx.actor) {
                return Err(Refusal::NotYourItem {
                    id: item.id.clone(),
                });
            }
            if item.state != Answered {
                return Err(wrong("rated"));
            }
            let reason = reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
            if let Some(r) = reason {
                text("the reason", r)?;
            }
            if *rating == Rating::Dissatisfied && reason.is_none() {
                return Err(Refusal::ReasonRequired);
            }
            let today = ctx.today();
            // Sent back: a month from today to redo it, but never earlier than
            // the department already had (its due date, or its extension).
            let had = item
                .extension
                .as_ref()
                .map_or(item.due, |e| e.until.max(item.due));
            Ok(Change::Rated {
                rating: GivenRating {
                    rating: *rating,
                    reason: reason.map(str::to_string),
                    date: today,
                    recorded_by: ctx.actor.name().to_string(),
                },
                due: (*rating == Rating::Dissatisfied)
                    .then(|| today.add_months(REDO_MONTHS).max(had)),
            })
        }
        Command::Extend { until, reason } => {
            only_secretariat("extend a due date")?;
            text("the reason", reason)?;
            if !item.state.is_open() {
                return Err(wrong("extended"));
            }
            if let Some(e) = &item.extension {
                return Err(Refusal::AlreadyExtended {
                    id: item.id.clone(),
                    until: e.until,
                });
            }
            if *until <= item.due {
                return Err(Refusal::NotLater {
                    until: *until,
                    due: item.due,
                });
            }
            let latest = item.due.add_months(EXTENSION_MONTHS);
            if *until > latest {
                return Err(Refusal::ExtensionTooLong {
                    until: *until,
                    latest,
                });
            }
            Ok(Change::Extended {
                extension: Extension {
                    until: *until,
                    reason: reason.trim().to_string(),
                },
            })
        }
        Command::SetDue { due } => {
            only_secretariat("set a due date")?;
            if !item.state.is_open() {
                return Err(wrong("given a due date"));
            }
            Ok(Change::DueSet { due: *due })
        }
        Command::Withdraw { reason } => {
            only_secretariat("withdraw an item")?;
            text("the reason", reason)?;
            if item.state.is_final() {
                return Err(wrong("withdrawn"));
            }
            Ok(Change::Withdrawn {
                reason: reason.trim().to_string(),
            })
        }
        Command::Merge { into, reason } => {
            only_secretariat("merge items")?;
            text("the reason", reason)?;
            if into == &item.id {
                return Err(Refusal::MergeIntoItself);
            }
            if item.state.is_final() {
                return Err(wrong("merged"));
            }
            Ok(Change::Merged {
                into: into.clone(),
                reason: reason.trim().to_string(),
            })
        }
        Command::SetPublic { public } => {
            only_secretariat("say what is public")?;
            Ok(Change::PublicSet { public: *public })
        }
        Command::SetCoHandling { departments } => {
            only_secretariat("name co-handling departments")?;
            if item.state.is_final() {
                return Err(wrong("given co-handling departments"));
            }
            let mut named: Vec<String> = Vec::new();
            for d in departments {
                let d = d.trim();
                text("a department's id", d)?;
                if d == item.department {
                    return Err(Refusal::LeadNotCoHandling {
                        department: d.to_string(),
                    });
                }
                if !named.iter().any(|n| n == d) {
                    named.push(d.to_string());
                }
            }
            Ok(Change::CoHandlingSet { departments: named })
        }
    }
}

/// `change` applied to `item` at `at_ms`: one version more.
pub fn apply(item: &mut Item, change: &Change, at_ms: u64) {
    use ItemState::*;
    match change {
        Change::Created { item: created } => {
            *item = (**created).clone();
            return;
        }
        Change::Acknowledged { handler } => {
            item.handler = Some(handler.clone());
            item.state = Acknowledged;
        }
        Change::Progressed { evidence } => {
            item.evidence.push(evidence.clone());
            item.state = InProgress;
        }
        Change::Answered { answer, review_on } => {
            item.answer = Some(answer.clone());
            item.review_on = *review_on;
            item.rating = None;
            item.state = Answered;
        }
        Change::Rated { rating, due } => {
            item.rating = Some(rating.clone());
            match due {
                Some(due) => {
                    item.returned += 1;
                    item.due = *due;
                    item.extension = None;
                    item.state = InProgress;
                }
                None => item.state = Closed,
            }
        }
        Change::Extended { extension } => item.extension = Some(extension.clone()),
        Change::DueSet { due } => {
            item.due = *due;
            item.extension = None;
        }
        Change::Withdrawn { reason } => {
            item.ended = Some(reason.clone());
            item.state = Withdrawn;
        }
        Change::Merged { into, reason } => {
            item.ended = Some(reason.clone());
            item.merged_into = Some(into.clone());
            item.state = Merged;
        }
        Change::PublicSet { public } => item.public = *public,
        Change::CoHandlingSet { departments } => item.co_handling = departments.clone(),
    }
    item.version += 1;
    item.updated_ms = at_ms;
}

/// How late an item is, from the clock: never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Standing {
    /// 即将到期: open, due within a week.
    pub due_soon: bool,
    /// 逾期: open, past its due date (or its extension).
    pub overdue: bool,
    /// 严重逾期: open, past the latest an extension could have given.
    pub badly_overdue: bool,
    /// 沉寂: open, nothing for 60 days.
    pub silent: bool,
    /// Days past the deadline (0 when not overdue).
    pub days_over: i32,
    /// A B or C answer whose review date has come.
    pub review_due: bool,
}

pub fn standing(item: &Item, now_ms: u64, offset_s: i32) -> Standing {
    let today = Date::of_ms(now_ms, offset_s);
    let review_due = matches!(item.state, ItemState::Answered | ItemState::Closed)
        && item.review_on.is_some_and(|d| today >= d);
    if !item.state.is_open() {
        return Standing {
            review_due,
            ..Standing::default()
        };
    }
    let deadline = item.deadline();
    let overdue = (now_ms as i64) >= deadline.end_ms(offset_s);
    let latest = item
        .extension
        .as_ref()
        .map_or(item.due.add_months(EXTENSION_MONTHS), |e| e.until);
    Standing {
        due_soon: !overdue && deadline.0 - today.0 < DUE_SOON_DAYS,
        overdue,
        badly_overdue: (now_ms as i64) >= latest.end_ms(offset_s),
        silent: now_ms.saturating_sub(item.updated_ms) >= SILENT_DAYS * 86_400_000,
        days_over: if overdue { today.0 - deadline.0 } else { 0 },
        review_due,
    }
}
