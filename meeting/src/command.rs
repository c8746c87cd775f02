//! What someone asks the meeting to do. On the wire a command is an intent's
//! `action` object (`{"kind":"raise_hand","mode":"normal"}`); see `docs/protocol.md`.

use serde::{Deserialize, Serialize};

/// How someone asks for the floor. Points of order go first, then direct replies
/// to the current speaker, then everyone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    Normal,
    PointOfOrder,
    Reply,
}

impl Mode {
    /// Lower goes first.
    pub fn rank(self) -> u8 {
        match self {
            Mode::PointOfOrder => 0,
            Mode::Reply => 1,
            Mode::Normal => 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimerName {
    Floor,
    Step,
}

/// How a department answered a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Answered,
    FollowUp,
    Declined,
}

#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumCount,
)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[strum(serialize_all = "snake_case")]
pub enum Command {
    // Any participant, for themselves.
    RaiseHand {
        #[serde(default)]
        mode: Mode,
    },
    WithdrawHand,
    YieldFloor,
    SubmitQuestion {
        department: String,
        text: String,
        /// Who asked, when the chair records a question spoken from the floor.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        asker: Option<String>,
    },
    /// The asker takes back their own question while it is pending.
    WithdrawQuestion {
        question: String,
    },
    /// The asker rewrites their own question while it is pending.
    EditQuestion {
        question: String,
        text: String,
    },
    Vote {
        poll: String,
        choice: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<String>,
    },
    // A department's representative for their own department, or the chair.
    AnswerQuestion {
        question: String,
        status: Answer,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// How many answers the question had when the answerer looked at it:
        /// refused (`answer_changed`) if another came since, so no answer is
        /// replaced unseen. Absent: no check (older clients).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seen_answers: Option<usize>,
    },
    // The chair only.
    StartMeeting,
    CloseMeeting,
    NextStep,
    PreviousStep,
    GotoStep {
        item: usize,
        step: usize,
    },
    GrantFloor {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        participant: Option<String>,
    },
    EndSpeech,
    PauseTimer {
        timer: TimerName,
    },
    ResumeTimer {
        timer: TimerName,
    },
    ExtendTimer {
        timer: TimerName,
        seconds: i64,
    },
    QueueAdd {
        participant: String,
        #[serde(default)]
        mode: Mode,
    },
    QueueRemove {
        participant: String,
    },
    QueueMove {
        participant: String,
        position: usize,
    },
    CloseQueue,
    OpenQueue,
    OpenPoll {
        poll: String,
    },
    ClosePoll {
        poll: String,
    },
    /// A walk-in: someone the plan did not list, added during the meeting (also
    /// before it starts). The meeting gives them an id (`guest1`, `guest2`, …); the
    /// server gives them a token, kept with the others and never in the journal.
    AddParticipant {
        name: String,
        role: super::plan::Role,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sector: Option<String>,
        /// For the `department` role: which department they speak for.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        department: Option<String>,
    },
    /// The chair marks who attended (present, late, left early, absent), or
    /// takes a mark back (`mark` absent); also before and after the meeting.
    MarkAttendance {
        participant: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mark: Option<super::attendance::Attendance>,
    },
    /// 回头看: the chair calls an earlier promise of the review step.
    ReviewCall {
        item: String,
    },
    /// The chair records what stands now (`due` with `in_progress`).
    ReviewRecord {
        item: String,
        outcome: super::review::Outcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<super::followups::Date>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The asker (or the chair for them) rates a delivered item; a reason
    /// with `dissatisfied`.
    ReviewRate {
        item: String,
        rating: super::followups::Rating,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    // The server itself (never accepted from a connection).
    SetPresence {
        participant: String,
        online: bool,
    },
}

impl Command {
    /// Whether the action carries fields besides its `kind`: those that do not
    /// take none, and an unknown field on them is refused like on the others.
    pub fn has_fields(&self) -> bool {
        match self {
            Command::WithdrawHand
            | Command::YieldFloor
            | Command::StartMeeting
            | Command::CloseMeeting
            | Command::NextStep
            | Command::PreviousStep
            | Command::EndSpeech
            | Command::CloseQueue
            | Command::OpenQueue => false,
            Command::RaiseHand { .. }
            | Command::SubmitQuestion { .. }
            | Command::WithdrawQuestion { .. }
            | Command::EditQuestion { .. }
            | Command::Vote { .. }
            | Command::AnswerQuestion { .. }
            | Command::GotoStep { .. }
            | Command::GrantFloor { .. }
            | Command::PauseTimer { .. }
            | Command::ResumeTimer { .. }
            | Command::ExtendTimer { .. }
            | Command::QueueAdd { .. }
            | Command::QueueRemove { .. }
            | Command::QueueMove { .. }
            | Command::OpenPoll { .. }
            | Command::ClosePoll { .. }
            | Command::AddParticipant { .. }
            | Command::MarkAttendance { .. }
            | Command::ReviewCall { .. }
            | Command::ReviewRecord { .. }
            | Command::ReviewRate { .. }
            | Command::SetPresence { .. } => true,
        }
    }

    /// The wire name of the command, as in `docs/protocol.md`.
    pub fn name(&self) -> &'static str {
        self.into()
    }
}
