//! Why a command was refused, as a value: each refusal is a variant with what it
//! is about (`NotInQueue { who }`), its protocol code, and a stable name that
//! goes on the wire as the error frame's `reason`, its fields as `params`. The
//! sentence a person reads is made from it in their own language by
//! `xieshang::lang::refusal`, so a client may say it in its reader's language rather
//! than the meeting's.

use super::command::TimerName;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The error codes of `../shared/protocol.md` that the meeting core can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    BadRequest,
    Forbidden,
    Conflict,
    NotFound,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::BadRequest => "bad_request",
            Code::Forbidden => "forbidden",
            Code::Conflict => "conflict",
            Code::NotFound => "not_found",
        }
    }
}

/// Which free text a refusal speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextField {
    Question,
    Note,
    Name,
    Sector,
}

/// Every refusal of the meeting. Ids in fields are the plan's (participants,
/// departments, questions, polls); a client shows names from its state.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumDiscriminants,
)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[strum_discriminants(
    name(Reason),
    derive(strum::IntoStaticStr, strum::VariantArray),
    strum(serialize_all = "snake_case")
)]
pub enum Refusal {
    // The meeting's status.
    NotStarted,
    AlreadyStarted,
    MeetingClosed,
    // Who may do what.
    /// The server itself acts only on presence.
    ServerActsOnlyOnPresence,
    NotAParticipant {
        who: String,
    },
    /// Presence is set by the server, not by a participant.
    PresenceIsTheServers,
    ObserversOnlyWatch,
    /// `action`: the command's wire name.
    ChairOnly {
        action: String,
    },
    ChairOnlyAsksForOthers,
    NotYourDepartment {
        question: String,
        department: String,
    },
    /// Only the asker withdraws or edits a question.
    NotYourQuestion {
        question: String,
    },
    /// A question is withdrawn or edited only while it is pending.
    QuestionNotPending {
        question: String,
    },
    /// Someone answered the question since the answerer looked at it.
    AnswerChanged {
        question: String,
        by: String,
    },
    RoleDoesNotVote,
    /// A replay can be watched, not changed.
    Replay,
    /// A relay's viewer: the meeting is broadcast here, not run.
    Broadcast,
    // Steps.
    LastStep,
    FirstStep,
    /// 0-based, as sent.
    NoSuchStep {
        item: usize,
        step: usize,
    },
    NoStepRunning,
    EmptyAgenda,
    // The floor.
    NobodyHasTheFloor,
    YouDoNotHaveTheFloor,
    NobodyWaiting,
    YouHaveTheFloor,
    HasTheFloor {
        who: String,
    },
    ObserverCannotSpeak {
        who: String,
    },
    NobodyToReplyTo,
    // Timers.
    TimerAlreadyPaused {
        timer: TimerName,
    },
    TimerAlreadyRunning {
        timer: TimerName,
    },
    NoTurnTimer,
    ExtensionOutOfRange {
        seconds: i64,
        max: i64,
    },
    // The queue.
    QueueClosed,
    QueueAlreadyClosed,
    QueueAlreadyOpen,
    HandNotRaised,
    HandAlreadyRaised,
    AlreadyInQueue {
        who: String,
    },
    NotInQueue {
        who: String,
    },
    // Questions and answers.
    ObserverCannotAsk {
        who: String,
    },
    NoSuchDepartment {
        department: String,
    },
    NoSuchQuestion {
        question: String,
    },
    NoSuchParticipant {
        who: String,
    },
    EmptyText {
        field: TextField,
    },
    TextTooLong {
        field: TextField,
        chars: usize,
        max: usize,
    },
    /// `character`: as `U+001B (ESC, escape)`; `at`: 1-based, in characters.
    ControlCharacter {
        field: TextField,
        character: String,
        at: usize,
    },
    // Polls.
    NoSuchPoll {
        poll: String,
    },
    PollAlreadyOpen,
    /// A secret ballot closed with votes is final: opened again, the tally of
    /// the next closing would tell, by its difference, how the new votes went.
    SecretBallotClosed {
        poll: String,
    },
    PollNotOpen,
    NotAChoice {
        choice: String,
        choices: Vec<String>,
    },
    TargetRequired,
    TargetNotAllowed,
    NotRated {
        target: String,
    },
    // Walk-ins.
    WalkInCannotChair,
    DepartmentRequired,
    // 回头看.
    /// The item is not one the current step reviews.
    NotUnderReview {
        item: String,
    },
    /// `in_progress` says by when.
    ReviewDateRequired,
    /// A closed item is confirmed delivered, never reopened by a review (the
    /// secretariat reopens it at the desk, saying why).
    ReviewClosedItem {
        item: String,
    },
    /// Only a delivered item is rated.
    ReviewNotDelivered {
        item: String,
    },
    /// Only the person who asked (or the chair for them) rates it.
    NotYourReview {
        item: String,
    },
    /// A dissatisfied rating says why.
    ReviewReasonRequired,
}

impl Refusal {
    /// The protocol's code for it.
    pub fn code(&self) -> Code {
        use Refusal::*;
        match self {
            ExtensionOutOfRange { .. }
            | EmptyText { .. }
            | TextTooLong { .. }
            | ControlCharacter { .. }
            | NotAChoice { .. }
            | TargetRequired
            | TargetNotAllowed
            | WalkInCannotChair
            | DepartmentRequired
            | ReviewDateRequired
            | ReviewReasonRequired => Code::BadRequest,
            ServerActsOnlyOnPresence
            | NotAParticipant { .. }
            | PresenceIsTheServers
            | ObserversOnlyWatch
            | ChairOnly { .. }
            | ChairOnlyAsksForOthers
            | NotYourDepartment { .. }
            | NotYourQuestion { .. }
            | RoleDoesNotVote
            | Replay
            | Broadcast
            | NotYourReview { .. } => Code::Forbidden,
            NoSuchStep { .. }
            | NoSuchDepartment { .. }
            | NoSuchQuestion { .. }
            | NoSuchParticipant { .. }
            | NoSuchPoll { .. }
            | NotRated { .. }
            | NotUnderReview { .. } => Code::NotFound,
            NotStarted
            | AlreadyStarted
            | MeetingClosed
            | LastStep
            | FirstStep
            | NoStepRunning
            | EmptyAgenda
            | NobodyHasTheFloor
            | YouDoNotHaveTheFloor
            | NobodyWaiting
            | YouHaveTheFloor
            | HasTheFloor { .. }
            | ObserverCannotSpeak { .. }
            | NobodyToReplyTo
            | TimerAlreadyPaused { .. }
            | TimerAlreadyRunning { .. }
            | NoTurnTimer
            | QueueClosed
            | QueueAlreadyClosed
            | QueueAlreadyOpen
            | HandNotRaised
            | HandAlreadyRaised
            | AlreadyInQueue { .. }
            | NotInQueue { .. }
            | ObserverCannotAsk { .. }
            | PollAlreadyOpen
            | SecretBallotClosed { .. }
            | PollNotOpen
            | AnswerChanged { .. }
            | QuestionNotPending { .. }
            | ReviewClosedItem { .. }
            | ReviewNotDelivered { .. } => Code::Conflict,
        }
    }

    /// Its stable name: the error frame's `reason`.
    pub fn reason(&self) -> &'static str {
        self.into()
    }

    /// Every refusal's name, for documentation and tests.
    pub fn reasons() -> impl Iterator<Item = &'static str> {
        <Reason as strum::VariantArray>::VARIANTS
            .iter()
            .map(|&r| r.into())
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {:?}", self.code().as_str(), self)
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_is_the_wire_tag() {
        let r = Refusal::NotInQueue { who: "m01".into() };
        assert_eq!(r.reason(), "not_in_queue");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"reason": "not_in_queue", "who": "m01"})
        );
        assert_eq!(serde_json::from_value::<Refusal>(json).unwrap(), r);
        assert_eq!(Refusal::QueueClosed.reason(), "queue_closed");
        assert_eq!(
            serde_json::to_value(Refusal::TimerAlreadyPaused {
                timer: TimerName::Floor
            })
            .unwrap(),
            serde_json::json!({"reason": "timer_already_paused", "timer": "floor"})
        );
    }
}
