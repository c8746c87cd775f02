//! The rules of topics, pure like the meeting's and the register's: a command
//! on a topic, by someone, with what the store knows of them (`Ctx`), is
//! decided into a change (or refused, saying why), and a change applied to the
//! topic. Who may do what:
//!
//! - its proposer (or the secretariat on their behalf, recorded) writes and
//!   changes it while it is a draft or returned, invites co-signers, submits
//!   it, withdraws it;
//! - an invited co-signer signs or declines it, for themselves only; the text
//!   locks at the first signature, and a change of it asks every co-signer
//!   again;
//! - the public supports it while it is screened (one support a topic, a cap
//!   a round for each supporter), and may take the support back;
//! - the secretariat screens it: 初审 (eligible, which needs the support its
//!   origin asks (`Thresholds`) or an override with a reason; returned with a
//!   reason; merged into another; redirected as 社情民意), 复审 (evaluators
//!   assigned, each giving their own opinion), 定审 (立题 with a number, held in
//!   reserve, or 不立题 with a reason, recorded as the chairs' meeting decided;
//!   before every opinion is in only with an override).
//!
//! A change carries the version it was decided on; a stale one is refused
//! naming who came between (`Refusal::Stale`).

use super::topic::{
    Cosigner, Decision, Evaluation, Link, Opinion, Origin, Proposer, Signature, Stage, Text, Topic,
    Verdict,
};
use serde::{Deserialize, Serialize};

/// The longest title, in characters.
pub const MAX_TITLE: usize = 100;
/// The longest problem, suggestion, research, reason or opinion.
pub const MAX_TEXT: usize = 5_000;
/// Most co-signers a topic may invite.
pub const MAX_COSIGNERS: usize = 50;
/// Most evaluators a topic may have.
pub const MAX_EVALUATORS: usize = 15;

/// Who acts on a topic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Actor {
    /// The committee's office: screens, and writes for someone when asked.
    Secretariat { name: String },
    /// A roster person for themselves: a proposer, a co-signer, an evaluator.
    Person { person: String, name: String },
    /// A contact point's staff, writing a resident's proposal down.
    ContactPoint { organisation: String, name: String },
    /// Someone of the public, by the key their page keeps, giving their sector.
    Supporter { key: String },
}

impl Actor {
    pub fn name(&self) -> &str {
        match self {
            Actor::Secretariat { name }
            | Actor::Person { name, .. }
            | Actor::ContactPoint { name, .. } => name,
            Actor::Supporter { .. } => "",
        }
    }
}

/// The support each origin needs to pass 初审 (configurable by the office).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Supporters a resident's topic needs.
    pub public_supports: u64,
    /// Co-signers (signed) a member's topic needs.
    pub member_cosigners: usize,
    /// Co-signers a party's or a sector's topic needs.
    pub body_cosigners: usize,
    /// Supports one supporter may give in a round.
    pub supports_per_round: u64,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            public_supports: 30,
            member_cosigners: 0,
            body_cosigners: 0,
            supports_per_round: 5,
        }
    }
}

impl Thresholds {
    /// Whether `topic` has the support its origin needs.
    pub fn met(&self, topic: &Topic) -> bool {
        match topic.origin {
            Origin::Public => topic.supporters() >= self.public_supports,
            Origin::Member => topic.signed() >= self.member_cosigners,
            Origin::Party | Origin::Sector => topic.signed() >= self.body_cosigners,
            Origin::Returned => true,
        }
    }
}

/// 初审's verdicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Screening {
    Eligible,
    Return { reason: String },
    Merge { into: String, reason: String },
    Redirect { reason: String },
}

/// 定审's verdicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Final {
    Adopt {
        number: String,
    },
    Reserve {
        #[serde(default)]
        reason: Option<String>,
    },
    Reject {
        reason: String,
    },
}

/// What someone asks of a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Command {
    Edit {
        text: Text,
    },
    Invite {
        person: String,
        name: String,
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
    Screen {
        #[serde(flatten)]
        screening: Screening,
        /// Passing a topic that lacks its origin's support: why.
        #[serde(default)]
        overriding: Option<String>,
    },
    Assign {
        evaluators: Vec<(String, String)>,
    },
    Opine {
        verdict: Verdict,
        text: String,
    },
    Decide {
        #[serde(flatten)]
        decision: Final,
        /// Deciding before every opinion is in: why.
        #[serde(default)]
        overriding: Option<String>,
    },
    Support {
        sector: String,
    },
    Unsupport,
    /// What it became or came from (a plan written, a meeting run, a topic
    /// merged into it): the office's, never a person's.
    Link {
        link: Link,
    },
}

/// What happened to a topic: its history's rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Created {
        topic: Box<Topic>,
    },
    Edited {
        text: Text,
        asked_again: usize,
    },
    Invited {
        person: String,
        name: String,
    },
    Uninvited {
        person: String,
    },
    Signed {
        person: String,
    },
    Declined {
        person: String,
    },
    Submitted {
        on: crate::followups::Date,
    },
    Withdrawn {
        reason: String,
    },
    Screened {
        decision: Decision,
        into: Option<String>,
    },
    Assigned {
        evaluators: Vec<(String, String)>,
    },
    Opined {
        person: String,
        opinion: Opinion,
    },
    Decided {
        decision: Decision,
        number: Option<String>,
    },
    Supported {
        sector: String,
    },
    Unsupported {
        sector: String,
    },
    Linked {
        link: Link,
    },
}

impl Change {
    pub fn name(&self) -> &'static str {
        match self {
            Change::Created { .. } => "created",
            Change::Edited { .. } => "edited",
            Change::Invited { .. } => "invited",
            Change::Uninvited { .. } => "uninvited",
            Change::Signed { .. } => "signed",
            Change::Declined { .. } => "declined",
            Change::Submitted { .. } => "submitted",
            Change::Withdrawn { .. } => "withdrawn",
            Change::Screened { .. } => "screened",
            Change::Assigned { .. } => "assigned",
            Change::Opined { .. } => "opined",
            Change::Decided { .. } => "decided",
            Change::Supported { .. } => "supported",
            Change::Unsupported { .. } => "unsupported",
            Change::Linked { .. } => "linked",
        }
    }
}

/// Why a command is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum Refusal {
    Stale {
        id: String,
        version: u64,
        by: String,
    },
    SecretariatOnly {
        what: &'static str,
    },
    /// Only its proposer (or the secretariat for them).
    NotYours {
        id: String,
    },
    NotInvited {
        id: String,
    },
    NotAnEvaluator {
        id: String,
    },
    WrongStage {
        id: String,
        stage: &'static str,
        what: &'static str,
    },
    Empty {
        what: &'static str,
    },
    TooLong {
        what: &'static str,
        max: usize,
    },
    UnsafeText {
        what: &'static str,
        character: String,
    },
    /// 非调研不提案: a member's topic says what research it rests on.
    ResearchRequired,
    /// Passing it needs the support its origin asks, or an override's reason.
    BelowThreshold {
        needed: u64,
        has: u64,
    },
    /// Deciding before every evaluator's opinion needs an override's reason.
    OpinionsMissing {
        missing: usize,
    },
    NoEvaluators,
    TooMany {
        what: &'static str,
        max: usize,
    },
    MergeIntoItself,
    AlreadySupported,
    NotSupported,
    /// One supporter's supports in a round are capped.
    RoundCap {
        cap: u64,
    },
    /// The proposer may not co-sign their own topic.
    OwnTopic,
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
            Refusal::NotYours { id } => {
                write!(f, "only its proposer (or the secretariat for them) may change {id}")
            }
            Refusal::NotInvited { id } => write!(f, "you are not invited to co-sign {id}"),
            Refusal::NotAnEvaluator { id } => write!(f, "you are not an evaluator of {id}"),
            Refusal::WrongStage { id, stage, what } => {
                write!(f, "{id} is {stage}: it cannot be {what} now")
            }
            Refusal::Empty { what } => write!(f, "{what} cannot be empty"),
            Refusal::TooLong { what, max } => {
                write!(f, "{what} is too long (at most {max} characters)")
            }
            Refusal::UnsafeText { what, character } => {
                write!(f, "{what} holds {character}, which text may not")
            }
            Refusal::ResearchRequired => write!(
                f,
                "a member's topic says what research it rests on (非调研不提案)"
            ),
            Refusal::BelowThreshold { needed, has } => write!(
                f,
                "it has {has} of the {needed} its origin needs to pass: give a reason to pass it anyway"
            ),
            Refusal::OpinionsMissing { missing } => write!(
                f,
                "{missing} evaluators have not given their opinion: give a reason to decide anyway"
            ),
            Refusal::NoEvaluators => write!(f, "name at least one evaluator"),
            Refusal::TooMany { what, max } => write!(f, "at most {max} {what}"),
            Refusal::MergeIntoItself => write!(f, "a topic cannot be merged into itself"),
            Refusal::AlreadySupported => write!(f, "you support it already"),
            Refusal::NotSupported => write!(f, "you do not support it"),
            Refusal::RoundCap { cap } => {
                write!(f, "you have given your {cap} supports of this round")
            }
            Refusal::OwnTopic => write!(f, "the proposer cannot co-sign their own topic"),
        }
    }
}

impl std::error::Error for Refusal {}

/// Who asks, when, and what the store knows that the topic does not.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub actor: &'a Actor,
    pub now_ms: u64,
    /// The office's zone, seconds east of UTC.
    pub offset_s: i32,
    /// The version the asker saw; `None` for the secretariat's desk.
    pub seen: Option<u64>,
    pub thresholds: Thresholds,
    /// A supporter's: whether they support this topic now, and how many
    /// topics of its round they support.
    pub supporting: Option<(bool, u64)>,
    /// The sector the supporter gave before, when they support it.
    pub supported_sector: Option<&'a str>,
}

/// What a new topic is made of.
#[derive(Debug, Clone)]
pub struct NewTopic {
    pub id: String,
    pub round: String,
    pub origin: Origin,
    pub proposer: Proposer,
    pub proposer_name: String,
    pub sector: Option<String>,
    /// Who wrote it down for the proposer, when not the proposer.
    pub entered_by: Option<String>,
    pub text: Text,
}

/// A new topic, made at `now_ms`: a draft (a failed promise's, flagged).
pub fn create(new: NewTopic, now_ms: u64) -> Topic {
    let NewTopic {
        id,
        round,
        origin,
        proposer,
        proposer_name,
        sector,
        entered_by,
        text,
    } = new;
    Topic {
        id,
        number: None,
        version: 1,
        round,
        origin,
        proposer,
        proposer_name,
        sector,
        entered_by,
        text,
        cosigners: Vec::new(),
        stage: Stage::Draft,
        evaluators: Vec::new(),
        decisions: Vec::new(),
        support: Default::default(),
        links: Vec::new(),
        flagged: origin == Origin::Returned,
        submitted: None,
        created_ms: now_ms,
        updated_ms: now_ms,
    }
}

/// What is wrong with a text for `what` (its length in characters as a
/// person sees them, `crate::text::length`), if anything; empty only where it
/// may be.
fn check(text: &str, what: &'static str, max: usize, required: bool) -> Result<(), Refusal> {
    if required && text.trim().is_empty() {
        return Err(Refusal::Empty { what });
    }
    if crate::text::length(text) > max {
        return Err(Refusal::TooLong { what, max });
    }
    if let Some((_, c)) = crate::text::first_unsafe(text) {
        return Err(Refusal::UnsafeText {
            what,
            character: crate::text::describe(c),
        });
    }
    Ok(())
}

/// The checks every text of a topic passes.
pub fn check_text(text: &Text) -> Result<(), Refusal> {
    check(&text.title, "the title", MAX_TITLE, true)?;
    if text.title.contains('\n') {
        return Err(Refusal::UnsafeText {
            what: "the title",
            character: "a line break".into(),
        });
    }
    check(&text.problem, "the problem", MAX_TEXT, false)?;
    check(&text.suggestion, "the suggestion", MAX_TEXT, false)?;
    check(&text.research, "the research", MAX_TEXT, false)?;
    for d in &text.departments {
        check(d, "a department", 100, true)?;
    }
    Ok(())
}

fn is_proposer(topic: &Topic, actor: &Actor) -> bool {
    match (actor, &topic.proposer) {
        (Actor::Secretariat { .. }, _) => true,
        (Actor::Person { person, .. }, Proposer::Person { person: p }) => person == p,
        // A contact point writes down what its residents propose.
        (Actor::ContactPoint { .. }, Proposer::Resident { .. }) => {
            topic.entered_by.as_deref() == Some(actor.name()) || topic.stage == Stage::Draft
        }
        _ => false,
    }
}

fn secretariat(actor: &Actor, what: &'static str) -> Result<(), Refusal> {
    match actor {
        Actor::Secretariat { .. } => Ok(()),
        _ => Err(Refusal::SecretariatOnly { what }),
    }
}

fn stage(topic: &Topic, ok: bool, what: &'static str) -> Result<(), Refusal> {
    if ok {
        Ok(())
    } else {
        Err(Refusal::WrongStage {
            id: topic.id.clone(),
            stage: topic.stage.as_str(),
            what,
        })
    }
}

fn reason(text: &str) -> Result<String, Refusal> {
    check(text, "the reason", MAX_TEXT, true)?;
    Ok(text.trim().to_string())
}

/// The change `command` makes to `topic`, or why it may not.
pub fn decide(topic: &Topic, command: &Command, ctx: Ctx<'_>) -> Result<Change, Refusal> {
    if let Some(seen) = ctx.seen {
        if seen != topic.version {
            return Err(Refusal::Stale {
                id: topic.id.clone(),
                version: topic.version,
                by: String::new(),
            });
        }
    }
    let actor = ctx.actor;
    let by = actor.name().to_string();
    let decision = |stage: Stage, reason: Option<String>, overrode: Option<String>| Decision {
        stage,
        reason,
        overrode,
        by: by.clone(),
        at_ms: ctx.now_ms,
    };
    match command {
        Command::Edit { text } => {
            if !is_proposer(topic, actor) {
                return Err(Refusal::NotYours {
                    id: topic.id.clone(),
                });
            }
            stage(topic, topic.stage.editable(), "changed")?;
            check_text(text)?;
            Ok(Change::Edited {
                text: text.clone(),
                asked_again: topic.signed(),
            })
        }
        Command::Invite { person, name } => {
            if !is_proposer(topic, actor) {
                return Err(Refusal::NotYours {
                    id: topic.id.clone(),
                });
            }
            stage(topic, topic.stage.editable(), "co-signed")?;
            check(name, "the name", 100, true)?;
            if topic.proposer.person() == Some(person.as_str()) {
                return Err(Refusal::OwnTopic);
            }
            if topic.cosigners.len() >= MAX_COSIGNERS && topic.cosigner(person).is_none() {
                return Err(Refusal::TooMany {
                    what: "co-signers",
                    max: MAX_COSIGNERS,
                });
            }
            Ok(Change::Invited {
                person: person.clone(),
                name: name.trim().to_string(),
            })
        }
        Command::Uninvite { person } => {
            if !is_proposer(topic, actor) {
                return Err(Refusal::NotYours {
                    id: topic.id.clone(),
                });
            }
            stage(topic, topic.stage.editable(), "co-signed")?;
            if topic.cosigner(person).is_none() {
                return Err(Refusal::NotInvited {
                    id: topic.id.clone(),
                });
            }
            Ok(Change::Uninvited {
                person: person.clone(),
            })
        }
        Command::Sign | Command::Decline => {
            let Actor::Person { person, .. } = actor else {
                return Err(Refusal::NotInvited {
                    id: topic.id.clone(),
                });
            };
            if topic.cosigner(person).is_none() {
                return Err(Refusal::NotInvited {
                    id: topic.id.clone(),
                });
            }
            // Signing is while it is written, or after submitting it (a late
            // signature counts only before 初审 decides).
            stage(
                topic,
                topic.stage.editable() || topic.stage == Stage::Submitted,
                "co-signed",
            )?;
            Ok(if *command == Command::Sign {
                Change::Signed {
                    person: person.clone(),
                }
            } else {
                Change::Declined {
                    person: person.clone(),
                }
            })
        }
        Command::Submit => {
            if !is_proposer(topic, actor) {
                return Err(Refusal::NotYours {
                    id: topic.id.clone(),
                });
            }
            stage(topic, topic.stage.editable(), "submitted")?;
            check_text(&topic.text)?;
            if topic.origin == Origin::Member && topic.text.research.trim().is_empty() {
                return Err(Refusal::ResearchRequired);
            }
            for (what, text) in [
                ("the problem", &topic.text.problem),
                ("the suggestion", &topic.text.suggestion),
            ] {
                if text.trim().is_empty() {
                    return Err(Refusal::Empty { what });
                }
            }
            Ok(Change::Submitted {
                on: crate::followups::Date::of_ms(ctx.now_ms, ctx.offset_s),
            })
        }
        Command::Withdraw { reason: why } => {
            if !is_proposer(topic, actor) {
                return Err(Refusal::NotYours {
                    id: topic.id.clone(),
                });
            }
            stage(
                topic,
                !topic.stage.is_final() && topic.stage != Stage::Adopted,
                "withdrawn",
            )?;
            Ok(Change::Withdrawn {
                reason: reason(why)?,
            })
        }
        Command::Screen {
            screening,
            overriding,
        } => {
            secretariat(actor, "screen a topic")?;
            stage(topic, topic.stage == Stage::Submitted, "screened (初审)")?;
            let overriding = overriding.as_deref().map(reason).transpose()?;
            let (next, why, into) = match screening {
                Screening::Eligible => {
                    if !ctx.thresholds.met(topic) && overriding.is_none() {
                        let t = ctx.thresholds;
                        let (needed, has) = match topic.origin {
                            Origin::Public => (t.public_supports, topic.supporters()),
                            Origin::Member => (t.member_cosigners as u64, topic.signed() as u64),
                            _ => (t.body_cosigners as u64, topic.signed() as u64),
                        };
                        return Err(Refusal::BelowThreshold { needed, has });
                    }
                    (Stage::Eligible, None, None)
                }
                Screening::Return { reason: r } => (Stage::Returned, Some(reason(r)?), None),
                Screening::Merge { into, reason: r } => {
                    if *into == topic.id {
                        return Err(Refusal::MergeIntoItself);
                    }
                    (Stage::Merged, Some(reason(r)?), Some(into.clone()))
                }
                Screening::Redirect { reason: r } => (Stage::Redirected, Some(reason(r)?), None),
            };
            // An override is kept only where it overrode something.
            let overrode =
                overriding.filter(|_| next == Stage::Eligible && !ctx.thresholds.met(topic));
            Ok(Change::Screened {
                decision: decision(next, why, overrode),
                into,
            })
        }
        Command::Assign { evaluators } => {
            secretariat(actor, "assign evaluators")?;
            stage(
                topic,
                matches!(topic.stage, Stage::Eligible | Stage::InReview),
                "reviewed (复审)",
            )?;
            if evaluators.is_empty() {
                return Err(Refusal::NoEvaluators);
            }
            if evaluators.len() > MAX_EVALUATORS {
                return Err(Refusal::TooMany {
                    what: "evaluators",
                    max: MAX_EVALUATORS,
                });
            }
            for (_, name) in evaluators {
                check(name, "an evaluator's name", 100, true)?;
            }
            Ok(Change::Assigned {
                evaluators: evaluators.clone(),
            })
        }
        Command::Opine { verdict, text } => {
            let Actor::Person { person, .. } = actor else {
                return Err(Refusal::NotAnEvaluator {
                    id: topic.id.clone(),
                });
            };
            if !topic.evaluators.iter().any(|e| e.person == *person) {
                return Err(Refusal::NotAnEvaluator {
                    id: topic.id.clone(),
                });
            }
            stage(
                topic,
                matches!(topic.stage, Stage::InReview | Stage::Reviewed),
                "given an opinion",
            )?;
            check(text, "the opinion", MAX_TEXT, true)?;
            Ok(Change::Opined {
                person: person.clone(),
                opinion: Opinion {
                    verdict: *verdict,
                    text: text.trim().to_string(),
                },
            })
        }
        Command::Decide {
            decision: verdict,
            overriding,
        } => {
            secretariat(actor, "record 定审")?;
            let missing = topic
                .evaluators
                .iter()
                .filter(|e| e.opinion.is_none())
                .count();
            let reviewing = matches!(topic.stage, Stage::Reviewed | Stage::InReview);
            // Held in reserve: taken up again at a later 定审.
            stage(
                topic,
                reviewing || topic.stage == Stage::Reserved,
                "decided (定审)",
            )?;
            let overriding = overriding.as_deref().map(reason).transpose()?;
            if (topic.stage == Stage::InReview || missing > 0) && overriding.is_none() {
                return Err(Refusal::OpinionsMissing {
                    missing: missing.max(1),
                });
            }
            let (next, why, number) = match verdict {
                Final::Adopt { number } => {
                    check(number, "the number", 40, true)?;
                    (Stage::Adopted, None, Some(number.trim().to_string()))
                }
                Final::Reserve { reason: r } => {
                    (Stage::Reserved, r.as_deref().map(reason).transpose()?, None)
                }
                Final::Reject { reason: r } => (Stage::Rejected, Some(reason(r)?), None),
            };
            let overrode = overriding.filter(|_| missing > 0 || topic.stage == Stage::InReview);
            Ok(Change::Decided {
                decision: decision(next, why, overrode),
                number,
            })
        }
        Command::Support { sector } => {
            stage(topic, topic.stage.supportable(), "supported")?;
            let Actor::Supporter { .. } = actor else {
                return Err(Refusal::SecretariatOnly {
                    what: "support on someone's behalf",
                });
            };
            check(sector, "the sector", 100, false)?;
            let (supports, in_round) = ctx.supporting.unwrap_or((false, 0));
            if supports {
                return Err(Refusal::AlreadySupported);
            }
            let cap = ctx.thresholds.supports_per_round;
            if in_round >= cap {
                return Err(Refusal::RoundCap { cap });
            }
            Ok(Change::Supported {
                sector: sector.trim().to_string(),
            })
        }
        Command::Unsupport => {
            let Actor::Supporter { .. } = actor else {
                return Err(Refusal::NotSupported);
            };
            if !ctx.supporting.is_some_and(|(s, _)| s) {
                return Err(Refusal::NotSupported);
            }
            // Taken back while it is screened: after a decision, it counted.
            stage(topic, topic.stage.supportable(), "unsupported")?;
            Ok(Change::Unsupported {
                sector: ctx.supported_sector.unwrap_or("").to_string(),
            })
        }
        Command::Link { link } => {
            secretariat(actor, "link a topic")?;
            Ok(Change::Linked { link: link.clone() })
        }
    }
}

/// Folds `change` into `topic`, made at `at_ms`.
pub fn apply(topic: &mut Topic, change: &Change, at_ms: u64) {
    match change {
        Change::Created { topic: created } => {
            *topic = (**created).clone();
            return;
        }
        Change::Edited { text, .. } => {
            topic.text = text.clone();
            // A change of text asks every co-signer again.
            for c in &mut topic.cosigners {
                if matches!(c.signature, Signature::Signed { .. }) {
                    c.signature = Signature::Invited;
                }
            }
        }
        Change::Invited { person, name } => {
            match topic.cosigners.iter_mut().find(|c| c.person == *person) {
                Some(c) => c.signature = Signature::Invited,
                None => topic.cosigners.push(Cosigner {
                    person: person.clone(),
                    name: name.clone(),
                    signature: Signature::Invited,
                }),
            }
        }
        Change::Uninvited { person } => topic.cosigners.retain(|c| c.person != *person),
        Change::Signed { person } => {
            let version = topic.version;
            if let Some(c) = topic.cosigners.iter_mut().find(|c| c.person == *person) {
                c.signature = Signature::Signed { version };
            }
        }
        Change::Declined { person } => {
            if let Some(c) = topic.cosigners.iter_mut().find(|c| c.person == *person) {
                c.signature = Signature::Declined;
            }
        }
        Change::Submitted { on } => {
            topic.stage = Stage::Submitted;
            topic.submitted = Some(*on);
        }
        Change::Withdrawn { reason } => {
            topic.stage = Stage::Withdrawn;
            topic.decisions.push(Decision {
                stage: Stage::Withdrawn,
                reason: Some(reason.clone()),
                overrode: None,
                by: topic.proposer_name.clone(),
                at_ms,
            });
        }
        Change::Screened { decision, into } => {
            topic.stage = decision.stage;
            if let Some(into) = into {
                topic.links.push(Link::MergedInto {
                    topic: into.clone(),
                });
            }
            topic.decisions.push(decision.clone());
        }
        Change::Assigned { evaluators } => {
            for (person, name) in evaluators {
                if !topic.evaluators.iter().any(|e| e.person == *person) {
                    topic.evaluators.push(Evaluation {
                        person: person.clone(),
                        name: name.clone(),
                        opinion: None,
                    });
                }
            }
            topic.stage = Stage::InReview;
        }
        Change::Opined { person, opinion } => {
            if let Some(e) = topic.evaluators.iter_mut().find(|e| e.person == *person) {
                e.opinion = Some(opinion.clone());
            }
            if topic.evaluators.iter().all(|e| e.opinion.is_some()) {
                topic.stage = Stage::Reviewed;
            }
        }
        Change::Decided { decision, number } => {
            topic.stage = decision.stage;
            if number.is_some() {
                topic.number = number.clone();
            }
            topic.decisions.push(decision.clone());
        }
        // Support is counted, not an edit: the topic's version (what a
        // change is decided on) stays as it was.
        Change::Supported { sector } => {
            *topic.support.entry(sector.clone()).or_default() += 1;
            return;
        }
        Change::Unsupported { sector } => {
            if let Some(n) = topic.support.get_mut(sector) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    topic.support.remove(sector);
                }
            }
            return;
        }
        Change::Linked { link } => {
            if !topic.links.contains(link) {
                topic.links.push(link.clone());
            }
        }
    }
    topic.version += 1;
    topic.updated_ms = at_ms;
}
