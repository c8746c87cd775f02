//! The words of the meeting in Chinese and English, shared by every view: the
//! consoles, their log, the minutes, the server's error frames.
//!
//! - [`refusal`]: every refusal of the meeting as a sentence, names from the plan.
//! - [`catalogue`]: every word, one catalogue per language (`zh.toml`, `en.toml`),
//!   the pages' included.
//! - here: the labels more than one view uses (roles, step kinds, modes, question
//!   outcomes, times), each an exhaustive match over its kind that takes the word
//!   from the catalogue.

pub mod catalogue;
pub mod followups;
pub mod refusal;
pub mod topics;

use crate::meeting::event::Source;
pub use crate::meeting::plan::Language;
use crate::meeting::question::QuestionStatus;
use crate::meeting::{Mode, Role, StepKind};

/// A word of the catalogue with its values filled in: each `{name}` becomes
/// the value given for `name` (a name not given is left as it is).
pub fn fill(word: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = String::with_capacity(word.len() + 32);
    let mut rest = word;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name_end = after.find('}');
        let value = name_end.and_then(|end| values.iter().find(|(n, _)| *n == &after[..end]));
        match (name_end, value) {
            (Some(end), Some((_, v))) => {
                out.push_str(&v.to_string());
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A role, as a person reads it.
pub fn role(lang: Language, role: Role) -> &'static str {
    let w = &catalogue::of(lang).roles;
    match role {
        Role::Chair => w.chair,
        Role::Member => w.member,
        Role::Department => w.department,
        Role::Expert => w.expert,
        Role::Public => w.public,
        Role::Observer => w.observer,
    }
}

/// How a turn came to its speaker, in a word: the same in the floor panel, the
/// log and wherever a turn is named.
pub fn turn_source(lang: Language, source: Source, mode: Mode) -> &'static str {
    let c = catalogue::of(lang);
    match (source, mode) {
        (Source::Queue, Mode::PointOfOrder) => c.sources.point_of_order,
        (Source::Queue, Mode::Reply) => c.sources.reply,
        (Source::Queue, Mode::Normal) => c.sources.queue,
        (Source::Registered, _) => c.sources.registered,
        (Source::Chair, _) => c.sources.chair,
    }
}

/// A step's kind.
pub fn step_kind(lang: Language, kind: StepKind) -> &'static str {
    let w = &catalogue::of(lang).kinds;
    match kind {
        StepKind::Speak => w.speak,
        StepKind::Question => w.question,
        StepKind::Respond => w.respond,
        StepKind::Discuss => w.discuss,
        StepKind::Evaluate => w.evaluate,
        StepKind::Review => w.review,
    }
}

/// How someone asked for the floor, in a word.
pub fn mode(lang: Language, mode: Mode) -> &'static str {
    let w = &catalogue::of(lang).modes;
    match mode {
        Mode::Normal => w.normal,
        Mode::PointOfOrder => w.point_of_order,
        Mode::Reply => w.reply,
    }
}

/// An attendance mark.
pub fn attendance(lang: Language, mark: crate::meeting::attendance::Attendance) -> &'static str {
    use crate::meeting::attendance::Attendance;
    let w = &catalogue::of(lang).attendance;
    match mark {
        Attendance::Present => w.present,
        Attendance::Late => w.late,
        Attendance::LeftEarly => w.left_early,
        Attendance::Absent => w.absent,
    }
}

/// Said where a server listens on loopback only (the console's participants
/// screen, `serve`'s announcement): its links open on this machine, not on a phone.
pub fn loopback_only(lang: Language) -> &'static str {
    catalogue::of(lang).cli.loopback_only
}

/// How a question ended, in full (the minutes).
pub fn status(lang: Language, status: QuestionStatus) -> &'static str {
    let w = &catalogue::of(lang).status;
    match status {
        QuestionStatus::Answered => w.answered,
        QuestionStatus::FollowUp => w.follow_up,
        QuestionStatus::Declined => w.declined,
        QuestionStatus::Pending => w.pending,
        QuestionStatus::Withdrawn => w.withdrawn,
    }
}

/// How a question ended, short (the consoles' lists).
pub fn status_short(lang: Language, status: QuestionStatus) -> &'static str {
    let w = &catalogue::of(lang).status_short;
    match status {
        QuestionStatus::Answered => w.answered,
        QuestionStatus::FollowUp => w.follow_up,
        QuestionStatus::Declined => w.declined,
        QuestionStatus::Pending => w.pending,
        QuestionStatus::Withdrawn => w.withdrawn,
    }
}

/// `m:ss`, or `h:mm:ss` from an hour.
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_word_is_filled_in_by_name_and_other_braces_are_left() {
        let n = 3;
        assert_eq!(
            super::fill("{a} and {b}, {a}; {c} {", &[("a", &"x"), ("b", &n)]),
            "x and 3, x; {c} {"
        );
        assert_eq!(
            super::fill("会议：{t}", &[("t", &"“协商”")]),
            "会议：“协商”"
        );
    }
}
