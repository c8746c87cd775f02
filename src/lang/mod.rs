//! The words of the meeting in Chinese and English, shared by every view: the
//! consoles, their log, the minutes, the server's error frames.
//!
//! - [`refusal`]: every refusal of the meeting as a sentence, names from the plan.
//! - here: the labels more than one view uses (roles, step kinds, modes, question
//!   outcomes, times). Words only one view uses stay with it (`tui::labels`,
//!   `minutes::words`).

pub mod refusal;

use crate::meeting::event::Source;
pub use crate::meeting::plan::Language;
use crate::meeting::question::QuestionStatus;
use crate::meeting::{Mode, Role, StepKind};

/// A role, as a person reads it.
pub fn role(lang: Language, role: Role) -> &'static str {
    match (lang, role) {
        (Language::Zh, Role::Chair) => "主持人",
        (Language::Zh, Role::Member) => "委员",
        (Language::Zh, Role::Department) => "部门",
        (Language::Zh, Role::Expert) => "专家",
        (Language::Zh, Role::Public) => "群众",
        (Language::Zh, Role::Observer) => "列席",
        (Language::En, r) => r.as_str(),
    }
}

/// How a turn came to its speaker, in a word: the same in the floor panel, the
/// log and wherever a turn is named.
pub fn turn_source(lang: Language, source: Source, mode: Mode) -> &'static str {
    let zh = lang == Language::Zh;
    match (source, mode) {
        (Source::Queue, Mode::PointOfOrder) => {
            if zh {
                "程序"
            } else {
                "point of order"
            }
        }
        (Source::Queue, Mode::Reply) => {
            if zh {
                "回应"
            } else {
                "reply"
            }
        }
        (Source::Queue, Mode::Normal) => {
            if zh {
                "排队"
            } else {
                "queue"
            }
        }
        (Source::Registered, _) => {
            if zh {
                "登记"
            } else {
                "registered"
            }
        }
        (Source::Chair, _) => {
            if zh {
                "指定"
            } else {
                "named"
            }
        }
    }
}

/// A step's kind.
pub fn step_kind(lang: Language, kind: StepKind) -> &'static str {
    match (lang, kind) {
        (Language::Zh, StepKind::Speak) => "发言",
        (Language::Zh, StepKind::Question) => "提问",
        (Language::Zh, StepKind::Respond) => "回应",
        (Language::Zh, StepKind::Discuss) => "讨论",
        (Language::Zh, StepKind::Evaluate) => "评议",
        (Language::En, k) => k.as_str(),
    }
}

/// How someone asked for the floor, in a word.
pub fn mode(lang: Language, mode: Mode) -> &'static str {
    match (lang, mode) {
        (Language::Zh, Mode::Normal) => "普通",
        (Language::Zh, Mode::PointOfOrder) => "程序",
        (Language::Zh, Mode::Reply) => "回应",
        (Language::En, Mode::Normal) => "normal",
        (Language::En, Mode::PointOfOrder) => "order",
        (Language::En, Mode::Reply) => "reply",
    }
}

/// An attendance mark.
pub fn attendance(lang: Language, mark: crate::meeting::attendance::Attendance) -> &'static str {
    use crate::meeting::attendance::Attendance;
    match (lang, mark) {
        (Language::Zh, Attendance::Present) => "出席",
        (Language::Zh, Attendance::Late) => "迟到",
        (Language::Zh, Attendance::LeftEarly) => "早退",
        (Language::Zh, Attendance::Absent) => "缺席",
        (Language::En, Attendance::Present) => "present",
        (Language::En, Attendance::Late) => "late",
        (Language::En, Attendance::LeftEarly) => "left early",
        (Language::En, Attendance::Absent) => "absent",
    }
}

/// Said where a server listens on loopback only (the console's participants
/// screen, `serve`'s announcement): its links open on this machine, not on a phone.
pub fn loopback_only(lang: Language) -> &'static str {
    match lang {
        Language::Zh => "只在本机监听：手机打不开这些链接。要让同一 Wi-Fi 的手机加入，用 --listen 0.0.0.0:7878 启动（二维码会用本机的局域网地址），并在防火墙放行该端口",
        Language::En => "listening on this machine only: phones cannot open these links. To let phones on the same Wi-Fi in, start with --listen 0.0.0.0:7878 (the codes then use this machine's LAN address) and allow that port through its firewall",
    }
}

/// How a question ended, in full (the minutes).
pub fn status(lang: Language, status: QuestionStatus) -> &'static str {
    match (lang, status) {
        (Language::Zh, QuestionStatus::Answered) => "已答复",
        (Language::Zh, QuestionStatus::FollowUp) => "会后书面答复",
        (Language::Zh, QuestionStatus::Declined) => "不予答复",
        (Language::Zh, QuestionStatus::Pending) => "待答复",
        (Language::En, QuestionStatus::Answered) => "answered",
        (Language::En, QuestionStatus::FollowUp) => "written answer to follow",
        (Language::En, QuestionStatus::Declined) => "declined",
        (Language::En, QuestionStatus::Pending) => "still pending",
        (Language::Zh, QuestionStatus::Withdrawn) => "提问人已撤回",
        (Language::En, QuestionStatus::Withdrawn) => "withdrawn by the asker",
    }
}

/// How a question ended, short (the consoles' lists).
pub fn status_short(lang: Language, status: QuestionStatus) -> &'static str {
    match (lang, status) {
        (Language::Zh, QuestionStatus::Answered) => "已答复",
        (Language::Zh, QuestionStatus::FollowUp) => "书面答复",
        (Language::Zh, QuestionStatus::Declined) => "不予答复",
        (Language::Zh, QuestionStatus::Pending) => "待答复",
        (Language::En, QuestionStatus::Answered) => "answered",
        (Language::En, QuestionStatus::FollowUp) => "written reply",
        (Language::En, QuestionStatus::Declined) => "declined",
        (Language::En, QuestionStatus::Pending) => "pending",
        (Language::Zh, QuestionStatus::Withdrawn) => "已撤回",
        (Language::En, QuestionStatus::Withdrawn) => "withdrawn",
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
