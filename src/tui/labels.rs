//! The console's words in Chinese and English. Every string a person reads on the
//! console comes from here, so a layout test with one language covers the other.

use crate::meeting::plan::Language;
use crate::meeting::{Mode, Role, StepKind};

pub struct Labels {
    pub elapsed: &'static str,
    pub not_started: &'static str,
    pub closed: &'static str,
    pub agenda: &'static str,
    pub floor: &'static str,
    pub floor_free: &'static str,
    pub next_up: &'static str,
    pub paused: &'static str,
    pub limit: &'static str,
    pub queue: &'static str,
    pub queue_open: &'static str,
    pub queue_closed: &'static str,
    pub queue_empty: &'static str,
    pub departments: &'static str,
    pub no_questions: &'static str,
    pub poll: &'static str,
    pub poll_open: &'static str,
    pub poll_closed: &'static str,
    pub voters: &'static str,
    pub stats: &'static str,
    pub not_spoken: &'static str,
    pub log: &'static str,
    pub help: &'static str,
    pub help_close: &'static str,
    pub confirm_quit: &'static str,
    pub confirm_close: &'static str,
    pub pick_speaker: &'static str,
    pub pick_queue: &'static str,
    pub pick_asker: &'static str,
    pub pick_department: &'static str,
    pub pick_step: &'static str,
    pub pick_hint: &'static str,
    pub pick_mode: &'static str,
    pub answer_title: &'static str,
    pub answer_hint: &'static str,
    pub question_title: &'static str,
    pub text_hint: &'static str,
    pub note: &'static str,
    pub rejected: &'static str,
    pub journal_failed: &'static str,
    pub resumed: &'static str,
    pub started_new: &'static str,
    pub answered: &'static str,
    pub follow_up: &'static str,
    pub declined: &'static str,
    pub pending: &'static str,
    pub registered: &'static str,
    pub from_queue: &'static str,
    pub named: &'static str,
    pub point_of_order: &'static str,
    pub reply: &'static str,
    pub normal: &'static str,
    pub too_small: &'static str,
    pub serving: &'static str,
    pub participants: &'static str,
    pub not_serving: &'static str,
    pub online: &'static str,
    /// One-letter counts for the department board: answered, written, declined, pending.
    pub coverage_short: [&'static str; 4],
}

pub const ZH: Labels = Labels {
    elapsed: "已进行",
    not_started: "未开始",
    closed: "已结束",
    agenda: "议程",
    floor: "发言",
    floor_free: "话筒空闲",
    next_up: "下一位",
    paused: "已暂停",
    limit: "限时",
    queue: "排队",
    queue_open: "开放",
    queue_closed: "已关闭",
    queue_empty: "无人排队",
    departments: "部门答复",
    no_questions: "尚无提问",
    poll: "测评",
    poll_open: "投票中",
    poll_closed: "未开启",
    voters: "人",
    stats: "各界别发言时长",
    not_spoken: "未发言",
    log: "记录",
    help: "快捷键",
    help_close: "按任意键关闭",
    confirm_quit: "退出控制台？会议记录已保存，可随时继续。 y 退出 / n 取消",
    confirm_close: "结束会议？结束后不能再发言和投票。 y 结束 / n 取消",
    pick_speaker: "指定发言人",
    pick_queue: "加入排队",
    pick_asker: "提问人",
    pick_department: "向哪个部门提问",
    pick_step: "跳转到环节",
    pick_hint: "输入筛选 · ↑↓ 选择 · ⏎ 确定 · Esc 取消",
    pick_mode: "1 普通  2 程序性发言  3 直接回应  · Esc 取消",
    answer_title: "记录答复",
    answer_hint: "1 已答复  2 书面答复  3 不予答复 · 再输入备注 · ⏎ 确定 · Esc 取消",
    question_title: "记录提问",
    text_hint: "输入问题 · ⏎ 确定 · Esc 取消",
    note: "备注",
    rejected: "未执行",
    journal_failed: "会议记录写入失败，操作未执行",
    resumed: "已从会议记录恢复；发言计时已暂停",
    started_new: "新会议记录",
    answered: "已答复",
    follow_up: "书面答复",
    declined: "不予答复",
    pending: "待答复",
    registered: "登记",
    from_queue: "排队",
    named: "指定",
    point_of_order: "程序",
    reply: "回应",
    normal: "普通",
    too_small: "窗口太小",
    serving: "参会人可连接",
    participants: "参会人",
    not_serving:
        "本控制台未开放连接：用 xieshang run 计划 --listen 启动，参会人即可从自己的设备加入",
    online: "在线",
    coverage_short: ["答", "书", "拒", "待"],
};

pub const EN: Labels = Labels {
    elapsed: "elapsed",
    not_started: "not started",
    closed: "closed",
    agenda: "Agenda",
    floor: "Floor",
    floor_free: "The floor is free",
    next_up: "next",
    paused: "paused",
    limit: "limit",
    queue: "Queue",
    queue_open: "open",
    queue_closed: "closed",
    queue_empty: "nobody waiting",
    departments: "Departments",
    no_questions: "no questions yet",
    poll: "Rating",
    poll_open: "voting",
    poll_closed: "not open",
    voters: "votes",
    stats: "Speaking time by sector",
    not_spoken: "not yet spoken",
    log: "Log",
    help: "Keys",
    help_close: "press any key to close",
    confirm_quit: "Quit the console? The record is saved; run again to resume.  y quit / n cancel",
    confirm_close: "Close the meeting? Nobody can speak or vote afterwards.  y close / n cancel",
    pick_speaker: "Give the floor to",
    pick_queue: "Add to the queue",
    pick_asker: "Who asked",
    pick_department: "Asked of which department",
    pick_step: "Go to step",
    pick_hint: "type to filter · ↑↓ choose · ⏎ ok · Esc cancel",
    pick_mode: "1 normal  2 point of order  3 reply · Esc cancel",
    answer_title: "Record the answer",
    answer_hint: "1 answered  2 written reply  3 declined · then type a note · ⏎ ok · Esc cancel",
    question_title: "Record a question",
    text_hint: "type the question · ⏎ ok · Esc cancel",
    note: "note",
    rejected: "not done",
    journal_failed: "the journal could not be written; nothing was done",
    resumed: "resumed from the journal; the turn timer is paused",
    started_new: "new journal",
    answered: "answered",
    follow_up: "written reply",
    declined: "declined",
    pending: "pending",
    registered: "registered",
    from_queue: "queue",
    named: "named",
    point_of_order: "order",
    reply: "reply",
    normal: "normal",
    too_small: "window too small",
    serving: "participants connect at",
    participants: "Participants",
    not_serving: "this console serves nobody: start it with xieshang run PLAN --listen so participants can join from their devices",
    online: "online",
    coverage_short: ["A", "W", "D", "P"],
};

pub fn labels(lang: Language) -> &'static Labels {
    match lang {
        Language::Zh => &ZH,
        Language::En => &EN,
    }
}

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

pub fn mode(lang: Language, mode: Mode) -> &'static str {
    let l = labels(lang);
    match mode {
        Mode::Normal => l.normal,
        Mode::PointOfOrder => l.point_of_order,
        Mode::Reply => l.reply,
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
