//! The state of a meeting: everything `decide` needs, built only by `apply`.

use super::command::Mode;
use super::floor::{Floor, Turn};
use super::plan::{Participant, Plan, Position, Role, Step};
use super::poll::Poll;
use super::question::{Coverage, Question};
use super::queue::Queue;
use super::timer::Timer;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    NotStarted,
    Running,
    Closed,
}

/// Serialized without its plan (see `snapshot`, which carries the plan beside it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    #[serde(skip)]
    pub plan: Arc<Plan>,
    pub status: Status,
    pub started_ms: Option<u64>,
    pub closed_ms: Option<u64>,
    pub position: Option<Position>,
    pub step_timer: Option<Timer>,
    /// Time spent in each step (agenda order) on visits that have ended.
    pub step_elapsed: Vec<u64>,
    /// Who has had the floor during the current visit of the current step, each once.
    pub step_spoken: Vec<String>,
    pub floor: Option<Floor>,
    pub queue: Queue,
    pub questions: Vec<Question>,
    /// Polls that have been opened at least once, by id.
    pub polls: BTreeMap<String, Poll>,
    pub online: BTreeSet<String>,
    pub turns: Vec<Turn>,
    /// Attendance as the chair marked it.
    #[serde(default)]
    pub attendance: BTreeMap<String, super::attendance::Attendance>,
    /// 回头看: earlier promises called, recorded and rated in this meeting.
    #[serde(default)]
    pub reviews: super::review::Reviews,
}

impl State {
    pub fn new(plan: Arc<Plan>) -> State {
        let steps = plan.positions().len();
        State {
            plan,
            status: Status::NotStarted,
            started_ms: None,
            closed_ms: None,
            position: None,
            step_timer: None,
            step_elapsed: vec![0; steps],
            step_spoken: Vec::new(),
            floor: None,
            queue: Queue::default(),
            questions: Vec::new(),
            polls: BTreeMap::new(),
            online: BTreeSet::new(),
            turns: Vec::new(),
            attendance: BTreeMap::new(),
            reviews: super::review::Reviews::default(),
        }
    }

    pub fn step(&self) -> Option<&Step> {
        self.plan.step(self.position?)
    }

    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.plan.participant(id)
    }

    /// A question by id. Ids are `q1`, `q2`, … in order of submission, so the
    /// number finds it at once; the id is checked all the same.
    pub fn question(&self, id: &str) -> Option<&Question> {
        let n: usize = id.strip_prefix('q')?.parse().ok()?;
        self.questions.get(n.checked_sub(1)?).filter(|q| q.id == id)
    }

    pub fn question_mut(&mut self, id: &str) -> Option<&mut Question> {
        let n: usize = id.strip_prefix('q')?.parse().ok()?;
        self.questions
            .get_mut(n.checked_sub(1)?)
            .filter(|q| q.id == id)
    }

    pub fn speaker(&self) -> Option<&str> {
        self.floor.as_ref().map(|f| f.speaker.as_str())
    }

    /// Coverage of the questions put to one department.
    pub fn coverage(&self, department: &str) -> Coverage {
        Coverage::of(self.questions.iter().filter(|q| q.department == department))
    }

    /// Questions still the room's to answer: pending and not carried.
    pub fn pending_questions(&self) -> impl Iterator<Item = &Question> {
        self.questions.iter().filter(|q| q.is_open())
    }

    /// The departments that answer in the current `respond` step, in order: those
    /// the step names, or else every department with questions.
    pub fn responding_departments(&self) -> Vec<&str> {
        let Some(step) = self.step() else {
            return Vec::new();
        };
        if !step.departments.is_empty() {
            return step.departments.iter().map(String::as_str).collect();
        }
        self.plan
            .departments
            .iter()
            .map(|d| d.id.as_str())
            .filter(|d| self.questions.iter().any(|q| q.department == *d))
            .collect()
    }

    /// The step's registered order of speakers: the `speakers` it names, or, in a
    /// `respond` step that names none, the first representative of each department.
    pub fn registered_speakers(&self) -> Vec<&str> {
        let Some(step) = self.step() else {
            return Vec::new();
        };
        if step.speakers.is_empty() && step.kind.traits().reviews {
            // 回头看: the called item's department reports.
            let called = self
                .reviews
                .current
                .as_deref()
                .and_then(|id| step.review.as_ref()?.found.iter().find(|i| i.id == id));
            return called
                .and_then(|i| self.plan.representatives(&i.department).next())
                .map(|p| vec![p.id.as_str()])
                .unwrap_or_default();
        }
        if !step.speakers.is_empty() || !step.kind.traits().departments_answer {
            return step.speakers.iter().map(String::as_str).collect();
        }
        self.responding_departments()
            .into_iter()
            .filter_map(|d| self.plan.representatives(d).next())
            .map(|p| p.id.as_str())
            .collect()
    }

    /// The next registered speaker who has not yet had the floor in this step.
    pub fn next_registered(&self) -> Option<&str> {
        self.registered_speakers()
            .into_iter()
            .find(|id| self.speaker() != Some(*id) && !self.step_spoken.iter().any(|s| s == id))
    }

    /// Who gets the floor when the chair grants it without naming anyone: a point of
    /// order or a direct reply waiting in the queue, then the next registered
    /// speaker, then the head of the queue.
    pub fn next_speaker(&self) -> Option<(&str, Mode, super::event::Source)> {
        use super::event::Source;
        let head = self.queue.head();
        if let Some(h) = head.filter(|h| h.mode != Mode::Normal) {
            return Some((h.participant.as_str(), h.mode, Source::Queue));
        }
        if let Some(id) = self.next_registered() {
            return Some((id, Mode::Normal, Source::Registered));
        }
        head.map(|h| (h.participant.as_str(), h.mode, Source::Queue))
    }

    /// Whether this participant's role may vote in the poll.
    pub fn may_vote(&self, role: Role, poll: &str) -> bool {
        self.plan
            .poll(poll)
            .is_some_and(|(_, p)| p.roles.contains(&role))
    }

    /// Total time spent in a step so far, the current visit included.
    pub fn step_time(&self, at: Position, now: u64) -> u64 {
        let Some(ordinal) = self.plan.ordinal(at) else {
            return 0;
        };
        let earlier = self.step_elapsed.get(ordinal).copied().unwrap_or(0);
        match (self.position, self.step_timer) {
            (Some(p), Some(t)) if p == at => t.elapsed_at(now),
            _ => earlier,
        }
    }
}
