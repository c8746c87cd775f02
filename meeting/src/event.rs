//! What happened. Events are decided from commands, written to the journal, and
//! folded into the state by `apply`; each carries everything `apply` needs.

use super::command::{Answer, Mode, TimerName};
use serde::{Deserialize, Serialize};

/// Why a turn at the floor ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnEnd {
    /// The chair ended it.
    Ended,
    /// The speaker gave the floor back.
    Yielded,
    /// The chair gave the floor to someone else.
    Replaced,
    /// The step changed or the meeting closed.
    StepEnded,
}

/// How the speaker came to the floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The step's registered order of speakers.
    Registered,
    /// The head of the queue.
    Queue,
    /// Named by the chair.
    Chair,
}

#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumCount,
)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EventKind {
    MeetingStarted,
    MeetingClosed,
    StepStarted {
        item: usize,
        step: usize,
        limit_ms: u64,
        /// Time spent in this step on earlier visits.
        elapsed_ms: u64,
    },
    StepEnded {
        item: usize,
        step: usize,
        elapsed_ms: u64,
    },
    FloorGranted {
        participant: String,
        mode: Mode,
        source: Source,
        limit_ms: u64,
    },
    TurnEnded {
        participant: String,
        reason: TurnEnd,
        spoken_ms: u64,
        overtime_ms: u64,
    },
    TimerPaused {
        timer: TimerName,
        elapsed_ms: u64,
    },
    TimerResumed {
        timer: TimerName,
    },
    TimerExtended {
        timer: TimerName,
        seconds: i64,
        limit_ms: u64,
    },
    HandRaised {
        participant: String,
        mode: Mode,
    },
    HandWithdrawn {
        participant: String,
    },
    QueueAdded {
        participant: String,
        mode: Mode,
    },
    QueueRemoved {
        participant: String,
    },
    QueueMoved {
        participant: String,
        position: usize,
    },
    QueueClosed,
    QueueOpened,
    QuestionSubmitted {
        question: String,
        asker: String,
        department: String,
        text: String,
    },
    QuestionAnswered {
        question: String,
        status: Answer,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    QuestionWithdrawn {
        question: String,
    },
    QuestionEdited {
        question: String,
        text: String,
    },
    /// Questions still pending when a `respond` step ended: carried into follow-up.
    QuestionsCarried {
        questions: Vec<String>,
    },
    /// The scenario file was corrected mid-meeting (`run --accept-plan-change`):
    /// the plan from now on (its walk-ins kept; never tokens), and the sha256 of the
    /// file, which the journal is checked against from then on. Only a plan with the
    /// same ids, roles and steps is accepted (`plan::structural_differences`).
    PlanChanged {
        plan_sha256: String,
        plan: Box<super::plan::Plan>,
    },
    /// The chair marked someone's attendance (`None`: the mark taken back).
    AttendanceMarked {
        participant: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mark: Option<super::attendance::Attendance>,
    },
    /// A walk-in joined the meeting (`add_participant`); never with a token.
    ParticipantAdded {
        participant: super::plan::Participant,
    },
    PollOpened {
        poll: String,
    },
    PollClosed {
        poll: String,
        /// A secret poll's tallies, told once as it closes (its votes travel without
        /// their choices); absent for an open ballot, whose votes say it all.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        results: Option<Vec<super::poll::Tally>>,
    },
    VoteCast {
        poll: String,
        voter: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<String>,
        choice: String,
    },
    PresenceChanged {
        participant: String,
        online: bool,
    },
    /// 回头看: an earlier promise called.
    ReviewCalled {
        item: String,
    },
    /// What stands now of an earlier promise, as the chair recorded it.
    ReviewRecorded {
        item: String,
        outcome: super::review::Outcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<super::followups::Date>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The asker's rating of a delivered promise (the actor: the asker, or the
    /// chair for them).
    ReviewRated {
        item: String,
        rating: super::followups::Rating,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

/// One event with when it happened and who caused it (`None`: the server itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at_ms: u64,
    pub actor: Option<String>,
    pub kind: EventKind,
}

impl EventKind {
    /// The wire name of the event, as in `docs/protocol.md`.
    pub fn name(&self) -> &'static str {
        self.into()
    }
}
