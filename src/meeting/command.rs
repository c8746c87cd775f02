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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
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
    // The server itself (never accepted from a connection).
    SetPresence {
        participant: String,
        online: bool,
    },
}

impl Command {
    /// The wire name of the command, as in `docs/protocol.md`.
    pub fn name(&self) -> &'static str {
        match self {
            Command::RaiseHand { .. } => "raise_hand",
            Command::WithdrawHand => "withdraw_hand",
            Command::YieldFloor => "yield_floor",
            Command::SubmitQuestion { .. } => "submit_question",
            Command::Vote { .. } => "vote",
            Command::AnswerQuestion { .. } => "answer_question",
            Command::StartMeeting => "start_meeting",
            Command::CloseMeeting => "close_meeting",
            Command::NextStep => "next_step",
            Command::PreviousStep => "previous_step",
            Command::GotoStep { .. } => "goto_step",
            Command::GrantFloor { .. } => "grant_floor",
            Command::EndSpeech => "end_speech",
            Command::PauseTimer { .. } => "pause_timer",
            Command::ResumeTimer { .. } => "resume_timer",
            Command::ExtendTimer { .. } => "extend_timer",
            Command::QueueAdd { .. } => "queue_add",
            Command::QueueRemove { .. } => "queue_remove",
            Command::QueueMove { .. } => "queue_move",
            Command::CloseQueue => "close_queue",
            Command::OpenQueue => "open_queue",
            Command::OpenPoll { .. } => "open_poll",
            Command::ClosePoll { .. } => "close_poll",
            Command::SetPresence { .. } => "set_presence",
        }
    }
}
