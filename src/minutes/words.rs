//! The minutes' words in Chinese and English: the plan's language decides.

use crate::meeting::plan::Language;

pub struct Words {
    pub minutes: &'static str,
    pub date: &'static str,
    pub venue: &'static str,
    pub chair: &'static str,
    pub time: &'static str,
    pub duration: &'static str,
    pub not_closed: &'static str,
    pub not_started: &'static str,
    pub attendance: &'static str,
    pub present: &'static str,
    pub planned: &'static str,
    /// Beside a plan's date that is not the day the record says.
    pub planned_date: &'static str,
    pub absent: &'static str,
    pub role: &'static str,
    pub sector: &'static str,
    pub proceedings: &'static str,
    pub item: &'static str,
    pub step: &'static str,
    pub planned_time: &'static str,
    pub actual_time: &'static str,
    pub not_held: &'static str,
    pub speaker: &'static str,
    pub affiliation: &'static str,
    pub started: &'static str,
    pub spoken: &'static str,
    pub overtime: &'static str,
    pub no_turns: &'static str,
    pub questions: &'static str,
    pub no: &'static str,
    pub asker: &'static str,
    pub department: &'static str,
    pub question: &'static str,
    pub outcome: &'static str,
    pub note: &'static str,
    pub no_questions: &'static str,
    pub carried: &'static str,
    /// Before an earlier answer that a later one replaced.
    pub earlier: &'static str,
    pub follow_ups: &'static str,
    pub follow_ups_intro: &'static str,
    pub no_follow_ups: &'static str,
    pub evaluations: &'static str,
    pub target: &'static str,
    pub overall: &'static str,
    pub voters: &'static str,
    pub not_evaluated: &'static str,
    pub statistics: &'static str,
    pub participant: &'static str,
    pub turns: &'static str,
    pub not_spoken: &'static str,
    pub everyone_spoke: &'static str,
    pub chart_title: &'static str,
    pub recorded_from: &'static str,
    pub events: &'static str,
    pub torn: &'static str,
    pub list_sep: &'static str,
}

pub const ZH: Words = Words {
    minutes: "会议纪要",
    date: "日期",
    venue: "地点",
    chair: "主持人",
    time: "时间",
    duration: "历时",
    not_closed: "会议未正式结束，纪要记至最后一条记录",
    not_started: "会议尚未开始。",
    attendance: "出席情况",
    present: "出席",
    planned: "应到",
    planned_date: "计划日期",
    absent: "未出席",
    role: "身份",
    sector: "界别",
    proceedings: "会议议程与发言",
    item: "议题",
    step: "环节",
    planned_time: "计划用时",
    actual_time: "实际用时",
    not_held: "未进行",
    speaker: "发言人",
    affiliation: "身份/单位",
    started: "开始",
    spoken: "用时",
    overtime: "超时",
    no_turns: "本环节无发言。",
    questions: "提问与答复",
    no: "编号",
    asker: "提问人",
    department: "部门",
    question: "问题",
    outcome: "答复情况",
    note: "说明",
    no_questions: "本次会议未向部门提问。",
    carried: "（答复环节结束时仍待答复，转入会后跟进）",
    earlier: "此前",
    follow_ups: "会后跟进事项",
    follow_ups_intro:
        "以下问题承诺书面答复或会上尚未答复，按部门列出，供成果转化、评价反馈跟踪办理：",
    no_follow_ups: "无会后跟进事项。",
    evaluations: "满意度测评结果",
    target: "测评对象",
    overall: "总体",
    voters: "参评人数",
    not_evaluated: "未进行测评。",
    statistics: "发言统计",
    participant: "参会人",
    turns: "发言次数",
    not_spoken: "未发言",
    everyone_spoke: "应发言者均已发言。",
    chart_title: "各界别发言时长",
    recorded_from: "据会议记录生成",
    events: "条记录",
    torn: "记录文件末行不完整（录制时中断），已略去",
    list_sep: "、",
};

pub const EN: Words = Words {
    minutes: "Minutes",
    date: "Date",
    venue: "Venue",
    chair: "Chair",
    time: "Time",
    duration: "Duration",
    not_closed: "the meeting was not formally closed; the minutes run to the last record",
    not_started: "The meeting has not started.",
    attendance: "Attendance",
    present: "present",
    planned: "expected",
    planned_date: "planned for",
    absent: "Absent",
    role: "Role",
    sector: "Sector",
    proceedings: "Proceedings",
    item: "Item",
    step: "Step",
    planned_time: "planned",
    actual_time: "actual",
    not_held: "not held",
    speaker: "Speaker",
    affiliation: "Role / department",
    started: "Start",
    spoken: "Time",
    overtime: "Overtime",
    no_turns: "Nobody spoke in this step.",
    questions: "Questions and answers",
    no: "No.",
    asker: "Asked by",
    department: "Department",
    question: "Question",
    outcome: "Outcome",
    note: "Note",
    no_questions: "No questions were put to departments.",
    carried: " (still pending when the answers ended: carried into follow-up)",
    earlier: "earlier",
    follow_ups: "Follow-ups",
    follow_ups_intro: "Questions promised a written answer or left unanswered, by department, for the follow-up after the meeting:",
    no_follow_ups: "Nothing to follow up.",
    evaluations: "Evaluation",
    target: "Rated",
    overall: "overall",
    voters: "voters",
    not_evaluated: "No evaluation was held.",
    statistics: "Speaking statistics",
    participant: "Participant",
    turns: "Turns",
    not_spoken: "Did not speak",
    everyone_spoke: "Everyone expected to speak spoke.",
    chart_title: "Speaking time by sector",
    recorded_from: "Generated from the meeting's record",
    events: "events",
    torn: "the record's last line was incomplete (cut off while recording) and is left out",
    list_sep: ", ",
};

pub fn words(lang: Language) -> &'static Words {
    match lang {
        Language::Zh => &ZH,
        Language::En => &EN,
    }
}

pub use crate::lang::status;

/// Overtime for a table cell: a dash when under a second.
pub fn overtime(lang: Language, ms: u64) -> String {
    if ms >= 1000 {
        duration(lang, ms)
    } else {
        "—".to_string()
    }
}

/// `1小时5分20秒` / `1 h 5 min 20 s`, whole seconds, no zero parts (but `0秒`).
pub fn duration(lang: Language, ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    let units: [&str; 3] = match lang {
        Language::Zh => ["小时", "分", "秒"],
        Language::En => [" h", " min", " s"],
    };
    let sep = if lang == Language::En { " " } else { "" };
    let parts: Vec<String> = [h, m, s]
        .iter()
        .zip(units)
        .filter(|(n, _)| **n > 0)
        .map(|(n, u)| format!("{n}{u}"))
        .collect();
    if parts.is_empty() {
        format!("0{}", units[2])
    } else {
        parts.join(sep)
    }
}

/// How someone's attendance is known, in a word (beside their name).
pub fn known(lang: Language, known: super::Known) -> &'static str {
    use super::Known;
    use crate::meeting::attendance::Attendance;
    match (lang, known) {
        (Language::Zh, Known::Marked(Attendance::Present)) => "签到",
        (Language::Zh, Known::Marked(Attendance::Late)) => "迟到",
        (Language::Zh, Known::Marked(Attendance::LeftEarly)) => "早退",
        (Language::Zh, Known::Marked(Attendance::Absent)) => "记为缺席",
        (Language::Zh, Known::Connected) => "在线",
        (Language::Zh, Known::TookPart) => "参与",
        (Language::En, Known::Marked(Attendance::Present)) => "checked in",
        (Language::En, Known::Marked(Attendance::Late)) => "late",
        (Language::En, Known::Marked(Attendance::LeftEarly)) => "left early",
        (Language::En, Known::Marked(Attendance::Absent)) => "marked absent",
        (Language::En, Known::Connected) => "connected",
        (Language::En, Known::TookPart) => "took part",
    }
}

/// What the words beside names mean.
pub fn known_legend(lang: Language) -> &'static str {
    match lang {
        Language::Zh => "出席依据：签到、迟到、早退、记为缺席为主持人所记；在线为连接会议；参与为发言、提问、投票或主持。",
        Language::En => "How attendance is known: checked in, late, left early and marked absent are the chair's marks; connected means they joined the meeting; took part, that they spoke, asked, voted or chaired.",
    }
}

/// A list of people, each with how their attendance is known.
pub fn named_with_known(lang: Language, people: &[super::Person], sep: &str) -> String {
    people
        .iter()
        .map(|p| match p.known {
            Some(k) if lang == Language::Zh => format!("{}（{}）", p.name, known(lang, k)),
            Some(k) => format!("{} ({})", p.name, known(lang, k)),
            None => p.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(Language::Zh, 0), "0秒");
        assert_eq!(duration(Language::Zh, 3_725_000), "1小时2分5秒");
        assert_eq!(duration(Language::Zh, 120_999), "2分");
        assert_eq!(duration(Language::En, 65_000), "1 min 5 s");
    }
}
