//! The meeting as the protocol's `state` (in `welcome` and `snapshot` frames).
//!
//! It holds the contract's fields, which any client can read, and two extensions
//! for our own clients: `plan` (tokens removed) and `core` (the state itself), from
//! which [`Snapshot::to_state`] rebuilds exactly the server's state, so that a client
//! applies events with the same `apply` as the server.

use super::command::Mode;
use super::event::Source;
use super::plan::{Department, Language, Plan, Position, Role, StepKind};
use super::question::Question;
use super::state::{State, Status};
use super::timer::Timer;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub meeting: MeetingView,
    pub participants: Vec<ParticipantView>,
    pub departments: Vec<Department>,
    pub agenda: Vec<ItemView>,
    pub position: Option<Position>,
    pub step: Option<StepView>,
    pub floor: Option<FloorView>,
    pub queue: Vec<QueueView>,
    pub queue_open: bool,
    pub questions: Vec<Question>,
    /// Extension: the polls opened so far, with their votes.
    #[serde(default)]
    pub polls: Vec<PollView>,
    /// Extension: who gets the floor next, as the server decides it
    /// (`State::next_speaker`), so that no page has to know the rule; `null`
    /// when nobody is waiting. Every `event` frame carries it afresh.
    #[serde(default)]
    pub next: Option<NextView>,
    /// Extension: 回头看, the item called and what this meeting found of each.
    #[serde(default)]
    pub reviews: crate::review::Reviews,
    /// Extension, for clients that ask for it (`hello.full_state`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Plan>,
    /// Extension, for clients that ask for it (`hello.full_state`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core: Option<State>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingView {
    pub title: String,
    pub status: Status,
    pub language: Language,
    /// Extension: where and when, as the plan says (the projector's first screen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Extension: once the meeting is closed, what it came to (the projector's
    /// last screen); a client that holds the meeting by applying events asks for a
    /// `sync` when it closes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Summary>,
}

/// A closed meeting in figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub started_ms: u64,
    pub closed_ms: u64,
    /// Turns at the floor, and how many people took them.
    pub turns: usize,
    pub speakers: usize,
    pub spoken_ms: u64,
}

impl Summary {
    fn of(state: &State) -> Option<Summary> {
        if state.status != Status::Closed {
            return None;
        }
        let speakers: std::collections::BTreeSet<&str> =
            state.turns.iter().map(|t| t.participant.as_str()).collect();
        Some(Summary {
            started_ms: state.started_ms.unwrap_or_default(),
            closed_ms: state.closed_ms.unwrap_or_default(),
            turns: state.turns.len(),
            speakers: speakers.len(),
            spoken_ms: state.turns.iter().map(|t| t.spoken_ms).sum(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipantView {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub sector: Option<String>,
    pub department: Option<String>,
    pub online: bool,
    /// Extension: attendance as the chair marked it, when marked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendance: Option<super::attendance::Attendance>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub title: String,
    pub steps: Vec<StepBrief>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepBrief {
    pub kind: StepKind,
    pub title: String,
    pub duration_ms: u64,
    /// Extension: the registered order of speakers.
    #[serde(default)]
    pub speakers: Vec<String>,
    /// Extension: the departments that respond (a `respond` step).
    #[serde(default)]
    pub departments: Vec<String>,
    /// Extension: the poll of an `evaluate` step.
    #[serde(default)]
    pub poll: Option<PollBrief>,
    /// Extension: the earlier promises a `review` step brings back (回头看),
    /// as the register had them when the meeting began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Vec<crate::review::ReviewItem>>,
}

/// An evaluation's plan: what is asked and who answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollBrief {
    pub id: String,
    pub choices: Vec<String>,
    pub targets: Vec<String>,
    pub roles: Vec<Role>,
    /// Extension: a secret ballot (votes travel without their choices).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
}

/// A poll as it stands: open or not, and every vote (one per voter and target).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollView {
    pub id: String,
    pub open: bool,
    pub votes: Vec<VoteView>,
    /// Extension: a secret poll's tallies, once it has closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revealed: Option<Vec<super::poll::Tally>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoteView {
    pub target: Option<String>,
    pub voter: String,
    pub choice: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepView {
    pub kind: StepKind,
    pub title: String,
    pub timer: Timer,
    /// Extension: who has had the floor in this visit of the step.
    #[serde(default)]
    pub spoken: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FloorView {
    pub speaker: String,
    pub mode: Mode,
    pub source: Source,
    pub timer: Timer,
}

/// Who gets the floor next, and how (`State::next_speaker`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextView {
    pub participant: String,
    pub mode: Mode,
    pub source: Source,
}

impl NextView {
    pub fn of(state: &State) -> Option<NextView> {
        state
            .next_speaker()
            .map(|(participant, mode, source)| NextView {
                participant: participant.to_string(),
                mode,
                source,
            })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueView {
    pub participant: String,
    pub mode: Mode,
    pub since_ms: u64,
}

impl Snapshot {
    pub fn of(state: &State) -> Snapshot {
        let plan = &state.plan;
        Snapshot {
            meeting: MeetingView {
                title: plan.meeting.title.clone(),
                status: state.status,
                language: plan.meeting.language,
                venue: plan.meeting.venue.clone(),
                date: plan.meeting.date.clone(),
                summary: Summary::of(state),
            },
            participants: plan
                .participants
                .iter()
                .map(|p| ParticipantView {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    role: p.role,
                    sector: p.sector.clone(),
                    department: p.department.clone(),
                    online: state.online.contains(&p.id),
                    attendance: state.attendance.get(&p.id).copied(),
                })
                .collect(),
            departments: plan.departments.clone(),
            agenda: plan
                .agenda
                .iter()
                .map(|i| ItemView {
                    title: i.title.clone(),
                    steps: i
                        .steps
                        .iter()
                        .map(|s| StepBrief {
                            kind: s.kind,
                            title: s.title.clone(),
                            duration_ms: s.duration_ms,
                            speakers: s.speakers.clone(),
                            departments: s.departments.clone(),
                            poll: s.poll.as_ref().map(|p| PollBrief {
                                id: p.id.clone(),
                                choices: p.choices.clone(),
                                targets: p.targets.clone(),
                                roles: p.roles.clone(),
                                secret: p.secret,
                            }),
                            review: s.review.as_ref().map(|r| r.found.clone()),
                        })
                        .collect(),
                })
                .collect(),
            position: state.position,
            step: match (state.step(), state.step_timer) {
                (Some(s), Some(timer)) => Some(StepView {
                    kind: s.kind,
                    title: s.title.clone(),
                    timer,
                    spoken: state.step_spoken.clone(),
                }),
                _ => None,
            },
            floor: state.floor.as_ref().map(|f| FloorView {
                speaker: f.speaker.clone(),
                mode: f.mode,
                source: f.source,
                timer: f.timer,
            }),
            queue: state
                .queue
                .entries
                .iter()
                .map(|e| QueueView {
                    participant: e.participant.clone(),
                    mode: e.mode,
                    since_ms: e.since_ms,
                })
                .collect(),
            queue_open: state.queue.open,
            questions: state.questions.clone(),
            polls: state
                .polls
                .iter()
                .map(|(id, p)| PollView {
                    id: id.clone(),
                    open: p.open,
                    votes: p
                        .votes
                        .iter()
                        .map(|((target, voter), choice)| VoteView {
                            target: target.clone(),
                            voter: voter.clone(),
                            choice: choice.clone(),
                        })
                        .collect(),
                    revealed: p.revealed.clone(),
                })
                .collect(),
            next: NextView::of(state),
            reviews: state.reviews.clone(),
            plan: Some(plan.without_tokens()),
            core: Some(state.clone()),
        }
    }

    /// The server's state, rebuilt, when the snapshot is full: apply later events
    /// to it.
    pub fn to_state(&self) -> Option<State> {
        let mut plan = self.plan.clone()?;
        plan.reindex();
        let mut state = self.core.clone()?;
        state.plan = Arc::new(plan);
        Some(state)
    }

    /// Leaves out the extensions, for clients that did not ask for them.
    pub fn contract_only(mut self) -> Snapshot {
        self.plan = None;
        self.core = None;
        self
    }

    /// The contract's fields only, borrowed, for serializing without a copy.
    pub fn contract_view(&self) -> ContractView<'_> {
        ContractView {
            meeting: &self.meeting,
            participants: &self.participants,
            departments: &self.departments,
            agenda: &self.agenda,
            position: &self.position,
            step: &self.step,
            floor: &self.floor,
            queue: &self.queue,
            queue_open: self.queue_open,
            questions: &self.questions,
            polls: &self.polls,
            next: &self.next,
            reviews: &self.reviews,
        }
    }
}

/// A snapshot without its extensions, as it serializes for a client that did not
/// ask for them.
#[derive(Serialize)]
pub struct ContractView<'a> {
    meeting: &'a MeetingView,
    participants: &'a [ParticipantView],
    departments: &'a [Department],
    agenda: &'a [ItemView],
    position: &'a Option<Position>,
    step: &'a Option<StepView>,
    floor: &'a Option<FloorView>,
    queue: &'a [QueueView],
    queue_open: bool,
    questions: &'a [Question],
    polls: &'a [PollView],
    next: &'a Option<NextView>,
    reviews: &'a crate::review::Reviews,
}
