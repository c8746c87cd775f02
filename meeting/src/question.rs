//! Questions put to government departments, and how each department responded.

use super::command::Answer;
use super::plan::Position;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionStatus {
    Pending,
    Answered,
    FollowUp,
    Declined,
    /// Taken back by its asker before it was answered.
    Withdrawn,
}

impl From<Answer> for QuestionStatus {
    fn from(a: Answer) -> QuestionStatus {
        match a {
            Answer::Answered => QuestionStatus::Answered,
            Answer::FollowUp => QuestionStatus::FollowUp,
            Answer::Declined => QuestionStatus::Declined,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub asker: String,
    pub department: String,
    pub text: String,
    pub status: QuestionStatus,
    pub note: Option<String>,
    /// Where in the agenda it was put.
    pub at: Option<Position>,
    pub asked_ms: u64,
    /// Still pending when a `respond` step ended, so carried into follow-up.
    pub carried: bool,
    /// Every answer given, in order, with who gave it: a later answer replaces
    /// `status` and `note` but never the record of the earlier one.
    #[serde(default)]
    pub answers: Vec<GivenAnswer>,
}

/// One answer to a question, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenAnswer {
    pub by: String,
    pub status: Answer,
    pub note: Option<String>,
    pub at_ms: u64,
}

impl Question {
    /// Still the room's to answer: pending, and not carried to follow-up.
    pub fn is_open(&self) -> bool {
        self.status == QuestionStatus::Pending && !self.carried
    }
}

/// How far a department has got through the questions put to it: the one
/// count the console's board, both projectors and the minutes show. A question
/// left unanswered and carried to follow-up (`carried`) is apart from one the
/// department promised a written reply to (`follow_up`): nothing was promised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Coverage {
    /// Still to be answered in the room.
    pub pending: usize,
    pub answered: usize,
    /// A written reply promised.
    pub follow_up: usize,
    pub declined: usize,
    /// Not answered in the room, carried to follow-up.
    pub carried: usize,
}

impl Coverage {
    pub fn of<'a>(questions: impl IntoIterator<Item = &'a Question>) -> Coverage {
        let mut c = Coverage::default();
        for q in questions {
            match q.status {
                QuestionStatus::Pending if q.carried => c.carried += 1,
                QuestionStatus::Pending => c.pending += 1,
                QuestionStatus::Answered => c.answered += 1,
                QuestionStatus::FollowUp => c.follow_up += 1,
                QuestionStatus::Declined => c.declined += 1,
                // Taken back: nothing for the department to answer.
                QuestionStatus::Withdrawn => {}
            }
        }
        c
    }

    pub fn total(&self) -> usize {
        self.pending + self.answered + self.follow_up + self.declined + self.carried
    }

    /// What goes to follow-up after the meeting: promised written replies and
    /// questions left unanswered, each counted as what it is.
    pub fn followed_up(&self) -> usize {
        self.follow_up + self.carried
    }
}
