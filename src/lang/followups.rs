//! The follow-up register's words for its states, classes, ratings and the
//! clock's marks: the same in the desk, the exports and the pages.

use super::catalogue::Followups;
use crate::meeting::followup::item::{AnswerClass, Rating};
use crate::meeting::followup::{Change, ItemState, Standing};

/// An item's state as a person reads it.
pub fn state_word(w: &Followups, state: ItemState) -> &'static str {
    match state {
        ItemState::Assigned => w.assigned,
        ItemState::Acknowledged => w.acknowledged,
        ItemState::InProgress => w.in_progress,
        ItemState::Answered => w.answered,
        ItemState::Closed => w.closed,
        ItemState::Withdrawn => w.withdrawn,
        ItemState::Merged => w.merged,
    }
}

pub fn rating_word(w: &Followups, rating: Rating) -> &'static str {
    match rating {
        Rating::Satisfied => w.satisfied,
        Rating::BasicallySatisfied => w.basically_satisfied,
        Rating::Dissatisfied => w.dissatisfied,
    }
}

pub fn class_word(w: &Followups, class: AnswerClass) -> &'static str {
    match class {
        AnswerClass::A => w.class_a,
        AnswerClass::B => w.class_b,
        AnswerClass::C => w.class_c,
    }
}

/// The clock's marks of an item, worst first, as words.
pub fn standing_words(w: &Followups, s: &Standing, flagged: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    if s.badly_overdue {
        out.push(w.badly_overdue);
    } else if s.overdue {
        out.push(w.overdue);
    } else if s.due_soon {
        out.push(w.due_soon);
    }
    if s.silent {
        out.push(w.silent);
    }
    if s.review_due {
        out.push(w.review_due);
    }
    if flagged {
        out.push(w.flagged);
    }
    out
}

/// What a change did, in a word (an item's history).
pub fn change_word(w: &Followups, change: &Change) -> &'static str {
    match change {
        Change::Created { .. } => w.change_created,
        Change::Acknowledged { .. } => w.change_acknowledged,
        Change::Progressed { .. } => w.change_progressed,
        Change::Answered { .. } => w.change_answered,
        Change::Rated { .. } => w.change_rated,
        Change::Extended { .. } => w.change_extended,
        Change::DueSet { .. } => w.change_due_set,
        Change::Withdrawn { .. } => w.change_withdrawn,
        Change::Merged { .. } => w.change_merged,
        Change::PublicSet { .. } => w.change_public_set,
        Change::CoHandlingSet { .. } => w.change_co_handling_set,
    }
}
