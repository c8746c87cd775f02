//! The plan of a meeting: who takes part, which departments answer, and the agenda.
//!
//! A [`Plan`] is always valid: it is built by [`crate::scenario`] from a
//! scenario file (which checks every rule and reports positions), or read back from
//! a journal header that was written from such a plan.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The language of the consoles' labels and of the minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Zh,
    En,
}

/// Names (`as_str`, `parse`, `ALL`) come from strum, so a new role or step kind
/// cannot be missed in them, nor in the lists that `check` gives as "write one of".
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
pub enum Role {
    Chair,
    Member,
    Department,
    Expert,
    Public,
    Observer,
}

impl Role {
    pub const ALL: &'static [Role] = <Role as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<Role> {
        s.parse().ok()
    }

    /// Observers only watch; everyone else may speak, ask and vote.
    pub fn may_take_part(self) -> bool {
        self != Role::Observer
    }

    /// What this role may do in any meeting, as `decide` holds it: the pages
    /// offer their buttons by it (`welcome.may`) instead of knowing the roles.
    pub fn abilities(self) -> Abilities {
        Abilities {
            speak: self.may_take_part(),
            ask: self.may_take_part() && self != Role::Department,
            answer: matches!(self, Role::Department | Role::Chair),
            chair: self == Role::Chair,
        }
    }
}

/// What a role may do (`Role::abilities`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Abilities {
    /// Raise a hand and take the floor (and vote, where a poll's roles say so).
    pub speak: bool,
    /// Put questions to departments. The rules would take one from a
    /// department's representative too, but a department is the one asked: it is
    /// not offered.
    pub ask: bool,
    /// Answer the questions put to a department (its own, or any for the chair).
    pub answer: bool,
    /// Run the meeting.
    pub chair: bool,
}

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
pub enum StepKind {
    Speak,
    Question,
    Respond,
    Discuss,
    Evaluate,
    /// 回头看: earlier promises, from the follow-up register, brought back.
    Review,
}

impl StepKind {
    pub const ALL: &'static [StepKind] = <StepKind as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<StepKind> {
        s.parse().ok()
    }

    /// What this kind of step allows and shows, said once per kind. A new kind
    /// is decided here (this match lists it), in its words (`lang::step_kind`)
    /// and in its scenario keys' checks, which follow these traits; everything
    /// else asks the traits, never `== StepKind::X`.
    pub const fn traits(self) -> Traits {
        match self {
            StepKind::Speak => Traits {
                takes_speakers: true,
                departments_answer: false,
                questions_put: false,
                poll: false,
                board: false,
                reviews: false,
            },
            StepKind::Question => Traits {
                takes_speakers: true,
                departments_answer: false,
                questions_put: true,
                poll: false,
                board: true,
                reviews: false,
            },
            StepKind::Respond => Traits {
                takes_speakers: true,
                departments_answer: true,
                questions_put: false,
                poll: false,
                board: true,
                reviews: false,
            },
            StepKind::Discuss => Traits {
                takes_speakers: true,
                departments_answer: false,
                questions_put: false,
                poll: false,
                board: false,
                reviews: false,
            },
            StepKind::Evaluate => Traits {
                takes_speakers: false,
                departments_answer: false,
                questions_put: false,
                poll: true,
                board: false,
                reviews: false,
            },
            StepKind::Review => Traits {
                takes_speakers: true,
                departments_answer: false,
                questions_put: false,
                poll: false,
                board: false,
                reviews: true,
            },
        }
    }

    /// Every kind with its traits, as the pages are sent them.
    pub fn table() -> std::collections::BTreeMap<StepKind, Traits> {
        StepKind::ALL.iter().map(|k| (*k, k.traits())).collect()
    }

    /// The kinds whose traits say yes to `has`.
    pub fn all_where(has: impl Fn(Traits) -> bool) -> Vec<StepKind> {
        StepKind::ALL
            .iter()
            .copied()
            .filter(|k| has(k.traits()))
            .collect()
    }
}

/// What a kind of step allows and shows (`StepKind::traits`); the pages are
/// sent the table (`welcome.step_kinds`) and never name a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Traits {
    /// The plan may name its registered `speakers`.
    pub takes_speakers: bool,
    /// Departments answer in it: the plan may name its `departments`; with no
    /// registered speakers, each department's first representative is; leaving
    /// it carries their pending questions into follow-up.
    pub departments_answer: bool,
    /// Questions to departments are put in it (the console's `w` leads).
    pub questions_put: bool,
    /// It holds a poll (`id`, `choices`, `targets`, `roles`, `secret`).
    pub poll: bool,
    /// The room's big screen shows the departments' board rather than the floor.
    pub board: bool,
    /// Earlier promises are reviewed in it (回头看): the plan names them
    /// (`review_items`, `review_departments`), the chair calls, records and rates.
    pub reviews: bool,
}

/// `a, b, c`: the names of `all`, for "write one of …".
pub fn names<T: Copy + Into<&'static str>>(all: &[T]) -> String {
    all.iter()
        .map(|&x| x.into())
        .collect::<Vec<&str>>()
        .join(", ")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MeetingInfo {
    pub title: String,
    #[serde(default)]
    pub language: Language,
    /// Default time for one turn at the floor.
    pub speaker_limit_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// How many days after the meeting its promises are due in the follow-up
    /// register (`follow_up_days`); two months when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_days: Option<u32>,
    /// The follow-up register a review step reads (`register`), as the plan
    /// wrote it: relative to the plan's own folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register: Option<String>,
    /// The number of the topic this meeting takes up (立题), when a topic
    /// made its plan (`topic`): carried by its journal, its minutes and the
    /// promises the register takes from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// The meeting's time zone, seconds east of UTC (`utc_offset = "+08:00"`):
    /// its minutes' times and the day the register takes it as held. Absent,
    /// [`DEFAULT_UTC_OFFSET_S`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_s: Option<i32>,
}

/// A plan's time zone when it names none: Beijing's, UTC+08:00, the register's
/// own default.
pub const DEFAULT_UTC_OFFSET_S: i32 = 8 * 3600;

impl MeetingInfo {
    /// The meeting's time zone, seconds east of UTC: the plan's, else +08:00.
    pub fn utc_offset_s(&self) -> i32 {
        self.utc_offset_s.unwrap_or(DEFAULT_UTC_OFFSET_S)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: String,
    pub name: String,
    /// The roster's organisation it is (`crate::roster`), when the plan names
    /// one: how the register knows it beyond this meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// Who has the hall's link (the projector, the code on the wall): the audience,
/// who only watch and are no one's seat; no participant may have this id.
pub const AUDIENCE: &str = "audience";

/// The longest token a participant may have (generated ones have 32 characters).
pub const MAX_TOKEN_BYTES: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: String,
    pub name: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// The roster's person who holds this seat (`crate::roster`), when the plan
    /// names one: how the register knows them beyond this meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// Never written to a journal: a journal is handed around for replay and minutes.
    #[serde(default, skip_serializing)]
    pub token: Option<String>,
}

/// The poll of an `evaluate` step (民主评事 / 满意度测评).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollPlan {
    pub id: String,
    pub choices: Vec<String>,
    /// What is rated, usually the departments that responded; empty means one overall rating.
    #[serde(default)]
    pub targets: Vec<String>,
    /// Who may vote.
    pub roles: Vec<Role>,
    /// A secret ballot: nobody but the voter sees a choice, and the tallies are told
    /// only when the poll closes (`crate::secret`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub kind: StepKind,
    pub title: String,
    /// Planned time for the whole step.
    pub duration_ms: u64,
    /// Time for one turn at the floor in this step.
    pub speaker_limit_ms: u64,
    /// The registered order of speakers (for `respond`: the departments' representatives).
    #[serde(default)]
    pub speakers: Vec<String>,
    /// For `respond`: the departments that answer, in order.
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll: Option<PollPlan>,
    /// For `review`: the earlier promises it brings back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<super::review::ReviewPlan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub title: String,
    pub steps: Vec<Step>,
}

/// Where in the agenda the meeting is: item and step, both 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Position {
    pub item: usize,
    pub step: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Plan {
    pub meeting: MeetingInfo,
    pub departments: Vec<Department>,
    pub participants: Vec<Participant>,
    pub agenda: Vec<AgendaItem>,
    #[serde(skip)]
    index: Index,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Index {
    participants: HashMap<String, usize>,
    departments: HashMap<String, usize>,
    positions: Vec<Position>,
}

impl Plan {
    /// Builds a plan from its parts. The parts are assumed valid (see `scenario`);
    /// lookups of ids that are not there simply find nothing.
    pub fn new(
        meeting: MeetingInfo,
        departments: Vec<Department>,
        participants: Vec<Participant>,
        agenda: Vec<AgendaItem>,
    ) -> Plan {
        let mut plan = Plan {
            meeting,
            departments,
            participants,
            agenda,
            index: Index::default(),
        };
        plan.reindex();
        plan
    }

    /// Rebuilds the lookup tables; needed after deserializing a plan.
    pub fn reindex(&mut self) {
        self.index = Index {
            participants: self
                .participants
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.clone(), i))
                .collect(),
            departments: self
                .departments
                .iter()
                .enumerate()
                .map(|(i, d)| (d.id.clone(), i))
                .collect(),
            positions: self
                .agenda
                .iter()
                .enumerate()
                .flat_map(|(item, it)| (0..it.steps.len()).map(move |step| Position { item, step }))
                .collect(),
        };
    }

    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.index
            .participants
            .get(id)
            .map(|&i| &self.participants[i])
    }

    pub fn department(&self, id: &str) -> Option<&Department> {
        self.index
            .departments
            .get(id)
            .map(|&i| &self.departments[i])
    }

    pub fn chair(&self) -> Option<&Participant> {
        self.participants.iter().find(|p| p.role == Role::Chair)
    }

    pub fn step(&self, at: Position) -> Option<&Step> {
        self.agenda.get(at.item)?.steps.get(at.step)
    }

    /// Every step in agenda order.
    pub fn positions(&self) -> &[Position] {
        &self.index.positions
    }

    /// The 0-based index of a position in agenda order.
    pub fn ordinal(&self, at: Position) -> Option<usize> {
        self.index.positions.iter().position(|&p| p == at)
    }

    pub fn poll(&self, id: &str) -> Option<(Position, &PollPlan)> {
        self.positions().iter().find_map(|&at| {
            let poll = self.step(at)?.poll.as_ref()?;
            (poll.id == id).then_some((at, poll))
        })
    }

    /// A review step's item `id`, where it is reviewed, as the register had it.
    pub fn review_item(&self, id: &str) -> Option<(Position, &super::review::ReviewItem)> {
        self.positions().iter().find_map(|&at| {
            let review = self.step(at)?.review.as_ref()?;
            review.found.iter().find(|i| i.id == id).map(|i| (at, i))
        })
    }

    /// Every item the plan's review steps bring back, in agenda order.
    pub fn review_items(&self) -> impl Iterator<Item = (Position, &super::review::ReviewItem)> {
        self.positions().iter().flat_map(move |&at| {
            self.step(at)
                .and_then(|s| s.review.as_ref())
                .map(|r| r.found.iter().map(move |i| (at, i)))
                .into_iter()
                .flatten()
        })
    }

    /// The representatives of a department, in plan order.
    pub fn representatives<'a>(
        &'a self,
        department: &'a str,
    ) -> impl Iterator<Item = &'a Participant> {
        self.participants.iter().filter(move |p| {
            p.role == Role::Department && p.department.as_deref() == Some(department)
        })
    }

    /// The plan as written to a journal: the same plan with every token removed.
    pub fn without_tokens(&self) -> Plan {
        let mut plan = self.clone();
        for p in &mut plan.participants {
            p.token = None;
        }
        plan
    }
}

/// What a corrected plan changes that a meeting under way cannot take: a
/// participant or department added, removed or given another role or department;
/// an agenda item or step added, removed or of another kind; a poll's id, choices,
/// targets or voters. Names, titles, sectors, the venue, the date, times and the
/// registered speakers may change. Empty: `new` may replace `old`.
pub fn structural_differences(old: &Plan, new: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for p in &old.participants {
        match new.participant(&p.id) {
            None => out.push(format!("participant \"{}\" is gone", p.id)),
            Some(q) if q.role != p.role => out.push(format!(
                "participant \"{}\" was {} and is {} now",
                p.id,
                <&str>::from(p.role),
                <&str>::from(q.role)
            )),
            Some(q) if q.department != p.department => out.push(format!(
                "participant \"{}\" speaks for another department now",
                p.id
            )),
            Some(_) => {}
        }
    }
    for q in &new.participants {
        if old.participant(&q.id).is_none() {
            out.push(format!(
                "participant \"{}\" is new (add a walk-in from the console instead)",
                q.id
            ));
        }
    }
    let ids = |p: &Plan| {
        p.departments
            .iter()
            .map(|d| d.id.clone())
            .collect::<Vec<_>>()
    };
    if ids(old) != ids(new) {
        out.push(format!(
            "the departments were {} and are {} now",
            ids(old).join(", "),
            ids(new).join(", ")
        ));
    }
    if old.agenda.len() != new.agenda.len() {
        out.push(format!(
            "the agenda had {} items and has {} now",
            old.agenda.len(),
            new.agenda.len()
        ));
    }
    for (i, (a, b)) in old.agenda.iter().zip(&new.agenda).enumerate() {
        if a.steps.len() != b.steps.len() {
            out.push(format!(
                "item {} had {} steps and has {} now",
                i + 1,
                a.steps.len(),
                b.steps.len()
            ));
        }
        for (j, (x, y)) in a.steps.iter().zip(&b.steps).enumerate() {
            let at = format!("step {}.{}", i + 1, j + 1);
            if x.kind != y.kind {
                out.push(format!(
                    "{at} was {} and is {} now",
                    <&str>::from(x.kind),
                    <&str>::from(y.kind)
                ));
            } else if x.poll != y.poll {
                out.push(format!(
                    "{at}: its poll changed (id, choices, targets, voters or secrecy)"
                ));
            }
        }
    }
    out
}
