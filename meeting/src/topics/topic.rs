//! A topic (议题) as the office keeps it: who proposed it and how, its text,
//! who co-signed it, who supports it by sector, and where it stands in the
//! three screenings (初审, 复审, 定审); links to what it became (a meeting, its
//! promises) or came from (a failed promise, topics merged into it).

use crate::followups::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a topic comes from, which sets what it must carry and the support
/// it needs to pass 初审 (`Thresholds`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Origin {
    /// A member (委员), from the roster: 非调研不提案, it says what research it
    /// rests on.
    Member,
    /// A party or group (党派团体), by its roster organisation.
    Party,
    /// A sector (界别), as a body.
    Sector,
    /// A resident, through a contact point or the public page (界别群众).
    Public,
    /// A promise that failed (回流): rated unsatisfied twice, or badly overdue.
    Returned,
}

impl Origin {
    pub const ALL: &'static [Origin] = <Origin as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<Origin> {
        s.parse().ok()
    }
}

/// Where a topic stands. The three screenings in order: 初审 (the committee's
/// office: eligible, returned, merged, redirected), 复审 (a review group's
/// opinions), 定审 (the chairs' meeting: 立题, reserve, 不立题).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Stage {
    /// Being written; co-signers invited and signing.
    Draft,
    /// Submitted: waiting for 初审.
    Submitted,
    /// Returned by 初审 with a reason: the proposer may revise and submit again.
    Returned,
    /// Merged (并入) into another topic by 初审; kept, linked.
    Merged,
    /// Redirected by 初审 as 社情民意 (not a topic for a meeting).
    Redirected,
    /// Past 初审: waiting for its evaluators (复审).
    Eligible,
    /// Evaluators assigned, their opinions coming in (复审).
    InReview,
    /// Every evaluator has given an opinion: waiting for 定审.
    Reviewed,
    /// 立题: chosen, with a number; it becomes a meeting's plan.
    Adopted,
    /// Held in reserve by 定审.
    Reserved,
    /// 不立题, with a reason.
    Rejected,
    /// Withdrawn by its proposer.
    Withdrawn,
}

impl Stage {
    pub const ALL: &'static [Stage] = <Stage as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<Stage> {
        s.parse().ok()
    }

    /// Ended: nothing but a link or a note changes it.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Stage::Merged | Stage::Redirected | Stage::Rejected | Stage::Withdrawn
        )
    }

    /// Its text may be changed (by its proposer).
    pub fn editable(self) -> bool {
        matches!(self, Stage::Draft | Stage::Returned)
    }

    /// The public may support it: submitted and not yet decided.
    pub fn supportable(self) -> bool {
        matches!(
            self,
            Stage::Submitted | Stage::Eligible | Stage::InReview | Stage::Reviewed
        )
    }
}

/// What the topic says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Text {
    pub title: String,
    /// 问题: what is wrong, as the proposer sees it.
    pub problem: String,
    /// 建议: what should be done.
    pub suggestion: String,
    /// 调研基础: what research it rests on (required from members).
    #[serde(default)]
    pub research: String,
    /// The departments concerned, by the roster's organisation id (or a plan's
    /// department id).
    #[serde(default)]
    pub departments: Vec<String>,
}

/// Who proposed a topic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Proposer {
    /// A roster person (a member; a resident the roster knows).
    Person { person: String },
    /// A roster organisation (a party or group, a sector's body).
    Organisation { organisation: String },
    /// A resident with no roster id, known by the key their proposal was
    /// taken under (the public page's, or a contact point's record of them):
    /// one proposal a round for each.
    Resident { key: String },
}

impl Proposer {
    /// As a `Who` of the office's tokens and pages, when a person.
    pub fn person(&self) -> Option<&str> {
        match self {
            Proposer::Person { person } => Some(person),
            _ => None,
        }
    }
}

/// A co-signer (联名) and where their signature stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cosigner {
    /// The roster person.
    pub person: String,
    pub name: String,
    pub signature: Signature,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signature {
    /// Invited, not yet answered (or asked again after a change of text).
    Invited,
    /// Signed the text of this version.
    Signed {
        version: u64,
    },
    Declined,
}

/// One evaluator's opinion at 复审.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub person: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opinion: Option<Opinion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opinion {
    pub verdict: Verdict,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Verdict {
    /// 建议立题.
    For,
    /// 建议修改后立题.
    Revise,
    /// 不建议立题.
    Against,
}

/// A decision of a screening, kept with why and whether it overrode a
/// threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub stage: Stage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Taken though the topic lacked the support its origin needs: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrode: Option<String>,
    pub by: String,
    pub at_ms: u64,
}

/// What a topic is linked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Link {
    /// Merged into it: the topic it became part of.
    MergedInto {
        topic: String,
    },
    /// Another topic merged into this one.
    MergedFrom {
        topic: String,
    },
    /// The promise of the register it comes back from (回流).
    Promise {
        item: String,
    },
    /// The plan its 立题 wrote, and the meeting that ran it (its journal key).
    Plan {
        file: String,
    },
    Meeting {
        key: String,
    },
}

/// A topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    /// The office's id (`t00042`), stable from its first draft.
    pub id: String,
    /// The 立题 number, once adopted (`2027-03`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub version: u64,
    /// The collection round it was proposed in (`2027`).
    pub round: String,
    pub origin: Origin,
    /// Who proposed it.
    pub proposer: Proposer,
    pub proposer_name: String,
    /// The sector it speaks for, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// Who wrote it down for the proposer (the secretariat, a contact
    /// point's staff), when not the proposer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_by: Option<String>,
    pub text: Text,
    #[serde(default)]
    pub cosigners: Vec<Cosigner>,
    pub stage: Stage,
    #[serde(default)]
    pub evaluators: Vec<Evaluation>,
    /// Every screening's decision, in order.
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// Supports by sector (a supporter's own sector; `""` for none given).
    #[serde(default)]
    pub support: BTreeMap<String, u64>,
    #[serde(default)]
    pub links: Vec<Link>,
    /// Came back from a failed promise: flagged at 定审.
    #[serde(default)]
    pub flagged: bool,
    /// When it was last submitted (the 初审 queue's order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted: Option<Date>,
    pub created_ms: u64,
    pub updated_ms: u64,
}

impl Topic {
    /// Supporters, in all.
    pub fn supporters(&self) -> u64 {
        self.support.values().sum()
    }

    /// Co-signers who signed the text as it is.
    pub fn signed(&self) -> usize {
        self.cosigners
            .iter()
            .filter(|c| matches!(c.signature, Signature::Signed { .. }))
            .count()
    }

    /// The text is locked: someone has signed it.
    pub fn locked(&self) -> bool {
        self.signed() > 0
    }

    /// Whether `person` is invited to co-sign it.
    pub fn cosigner(&self, person: &str) -> Option<&Cosigner> {
        self.cosigners.iter().find(|c| c.person == person)
    }
}
