//! A follow-up item (督办事项): a promise made in a meeting, with where it came
//! from, who handles it, when it is due, what was done and what the asker
//! thinks of it. Its state changes only by `rules::apply`; how late it is
//! (`Standing`) is worked out from the clock, never stored.

use super::date::Date;
use crate::roster::Who;
use serde::{Deserialize, Serialize};

/// Where an item stands in its handling.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ItemState {
    /// 已交办: put to the department.
    Assigned,
    /// 已领办: the department named who handles it.
    Acknowledged,
    /// 办理中: work under way (also after an answer was sent back).
    InProgress,
    /// 已答复: the department answered; the asker is to rate it.
    Answered,
    /// 办结: the asker was satisfied (or basically).
    Closed,
    /// 中止: withdrawn, with a reason.
    Withdrawn,
    /// 并案: merged into another item.
    Merged,
}

impl ItemState {
    pub const ALL: &'static [ItemState] = <ItemState as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<ItemState> {
        text.parse().ok()
    }

    /// Still to be handled: the clock's marks apply to it.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ItemState::Assigned | ItemState::Acknowledged | ItemState::InProgress
        )
    }

    /// Over: nothing changes it any more but a merge's link.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ItemState::Closed | ItemState::Withdrawn | ItemState::Merged
        )
    }
}

/// How an answer resolves the matter (the 提案 office's classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerClass {
    /// 已解决或基本解决
    A,
    /// 部分解决或列入计划
    B,
    /// 留作参考
    C,
}

/// What the asker thinks of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// 满意
    Satisfied,
    /// 基本满意
    BasicallySatisfied,
    /// 不满意
    Dissatisfied,
}

/// Who made a change: the secretariat (on their own or on someone's behalf), a
/// department's person, or the asker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Actor {
    Secretariat {
        name: String,
    },
    Department {
        department: String,
        name: String,
    },
    /// Who asked, known beyond their meeting (`crate::roster::Who`): an older
    /// record's bare participant id (`participant`) reads as nobody's seat.
    Asker {
        #[serde(alias = "participant")]
        who: Who,
        name: String,
    },
}

impl Actor {
    pub fn name(&self) -> &str {
        match self {
            Actor::Secretariat { name }
            | Actor::Department { name, .. }
            | Actor::Asker { name, .. } => name,
        }
    }
}

/// The person who asked, as the meeting's plan named them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asker {
    /// Their participant id in that meeting's plan (no one's beyond it).
    pub participant: String,
    pub name: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// The roster person their seat named, if it named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
}

/// Where an item came from: the meeting, its record, the question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The meeting's title.
    pub meeting: String,
    /// The meeting's journal id (its header's), with the question's id the
    /// item's own.
    pub journal_id: String,
    /// The journal's file, as imported.
    pub journal: String,
    /// The day the meeting was held.
    pub date: Date,
    /// The event that recorded the promise (or the carrying over).
    pub seq: u64,
    pub question: String,
    pub text: String,
    pub asker: Asker,
    /// What the department said in the room, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub said: Option<String>,
}

/// One piece of evidence of the work (a document, a site visit, a decision).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub date: Date,
    pub title: String,
    #[serde(default)]
    pub text: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenAnswer {
    pub class: AnswerClass,
    pub text: String,
    pub date: Date,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenRating {
    pub rating: Rating,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub date: Date,
    /// Who recorded it (the asker, or the secretariat on their behalf).
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub until: Date,
    pub reason: String,
}

/// A follow-up item as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    /// How many changes it has had; an update names the version it saw.
    pub version: u64,
    pub origin: Origin,
    /// The lead department (牵头), by id, and its name.
    pub department: String,
    pub department_name: String,
    /// Departments that co-handle it (会办).
    #[serde(default)]
    pub co_handling: Vec<String>,
    /// What was promised ("书面答复"), or, for a question the room left
    /// unanswered (`unanswered`), what follows it up ("跟踪办理").
    pub promise: String,
    /// Not answered in the meeting, carried to follow-up: the department
    /// promised nothing, and no view says it did.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unanswered: bool,
    pub due: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<Extension>,
    pub state: ItemState,
    /// Who handles it in the department (领办人).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler: Option<String>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<GivenAnswer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<GivenRating>,
    /// Times an answer was sent back (不满意); two flag it for 领衔督办.
    #[serde(default)]
    pub returned: u32,
    /// When a B or C answer comes up again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_on: Option<Date>,
    /// Why it was withdrawn or merged, and into what.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
    /// Shown on the public dashboard (双公开).
    pub public: bool,
    pub created_ms: u64,
    /// When it last changed (沉寂 counts from here).
    pub updated_ms: u64,
}

impl Item {
    /// Whether department `id` works on it: it leads it or co-handles it.
    pub fn handled_by(&self, id: &str) -> bool {
        self.department == id || self.co_handling.iter().any(|d| d == id)
    }

    /// Whether `actor` may see it as theirs: the secretariat every item, a
    /// department those it handles, an asker those they asked.
    pub fn concerns(&self, actor: &Actor) -> bool {
        match actor {
            Actor::Secretariat { .. } => true,
            Actor::Department { department, .. } => self.handled_by(department),
            Actor::Asker { who, .. } => self.asker() == *who,
        }
    }

    /// Who asked, known beyond their meeting: the roster person their seat
    /// named, else their seat in that meeting.
    pub fn asker(&self) -> Who {
        Who::of(
            &self.origin.journal_id,
            &self.origin.asker.participant,
            self.origin.asker.person.as_deref(),
        )
    }

    /// Sent back twice: the chair of the supervising body takes it up (领衔督办).
    pub fn flagged(&self) -> bool {
        self.returned >= 2
    }

    /// The latest it may be answered: the extension's date, else the due date.
    pub fn deadline(&self) -> Date {
        self.extension.as_ref().map_or(self.due, |e| e.until)
    }
}
