//! The follow-up register's words for its states, classes, ratings and the
//! clock's marks: the same in the desk, the exports and the pages.

use super::catalogue::Followups;
use crate::meeting::followups::item::{AnswerClass, Rating};
use crate::meeting::followups::{Change, ItemState, Standing};

/// What a review found of an earlier promise.
pub fn outcome_word(w: &Followups, outcome: crate::meeting::review::Outcome) -> &'static str {
    use crate::meeting::review::Outcome;
    match outcome {
        Outcome::Delivered => w.outcome_delivered,
        Outcome::InProgress => w.outcome_in_progress,
        Outcome::NotDelivered => w.outcome_not_delivered,
    }
}

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

/// What a refusal names (`the answer`, `acknowledge it`), in Chinese; what is
/// not listed is shown as the rules wrote it.
fn zh_what(what: &str) -> &str {
    match what {
        "the handler" => "承办人",
        "the evidence's title" => "进展标题",
        "the evidence" => "办理情况",
        "the answer" => "答复内容",
        "the reason" => "理由",
        "a department's id" => "部门编号",
        "acknowledge it" => "领办",
        "add progress" => "添加办理进展",
        "answer it" => "答复",
        "acknowledged" => "领办",
        "worked on" => "继续办理",
        "answered" => "答复",
        "rated" => "评价",
        "extended" => "延期",
        "given a due date" => "改定期限",
        "withdrawn" => "中止",
        "merged" => "并案",
        "extend a due date" => "延期",
        "set a due date" => "改定期限",
        "withdraw an item" => "中止事项",
        "merge items" => "并案",
        "say what is public" => "设置是否公开",
        other => other,
    }
}

/// A refusal of the register's rules as a sentence in `lang` (the English one
/// is the rules' own).
pub fn refusal(
    lang: crate::meeting::plan::Language,
    r: &crate::meeting::followups::Refusal,
) -> String {
    use crate::meeting::followups::Refusal::*;
    if lang == crate::meeting::plan::Language::En {
        return r.to_string();
    }
    let w = &super::catalogue::ZH.followups;
    match r {
        Stale { id, by, .. } if by.is_empty() => {
            format!("{id} 在您打开后已有改动，请看最新情况后再提交")
        }
        Stale { id, by, .. } => format!("{id} 在您打开后已由{by}改动，请看最新情况后再提交"),
        SecretariatOnly { what } => format!("只有办公室可以{}", zh_what(what)),
        NotYourDepartment { id, department } => {
            format!("{id} 由{department}办理，其他部门不能改动")
        }
        NotYourItem { id } => format!("只有提问人本人可以评价 {id} 的答复"),
        WrongState { id, state, what } => {
            let state = ItemState::parse(state).map_or(*state, |s| state_word(w, s));
            format!("{id} 目前{state}，现在不能{}", zh_what(what))
        }
        Empty { what } => format!("{}不能为空", zh_what(what)),
        TooLong { what, max } => format!("{}太长（最多 {max} 字）", zh_what(what)),
        AlreadyExtended { id, until } => format!("{id} 已延期过一次，至 {until}"),
        ExtensionTooLong { until, latest } => format!("延期最多一个月：{until} 晚于 {latest}"),
        NotLater { until, due } => format!("{until} 不晚于原期限 {due}"),
        ReasonRequired => "评为不满意时请写明理由".to_string(),
        UnsafeText { what, character } => {
            format!("{}含有不能使用的字符 {character}", zh_what(what))
        }
        MergeIntoItself => "事项不能并入它自己".to_string(),
        LeadNotCoHandling { department } => format!("{department} 是牵头部门，不能同时会办"),
    }
}
