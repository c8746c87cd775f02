//! The consoles' keys, as data: one table per console that dispatches keys, fills
//! the footer (`available`: the keys that work right now) and generates the help
//! screen. Nothing here knows the model.

use crate::meeting::plan::Language;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Start,
    GrantNext,
    GrantPick,
    EndTurn,
    NextStep,
    PreviousStep,
    GotoStep,
    ToggleTurnTimer,
    TurnPlus,
    TurnMinus,
    ToggleStepTimer,
    StepPlus,
    StepMinus,
    QueueAdd,
    QueueRemove,
    QueueUp,
    QueueDown,
    ToggleQueue,
    RecordAnswer,
    RecordQuestion,
    TogglePoll,
    SwitchPane,
    CursorUp,
    CursorDown,
    CloseMeeting,
    Participants,
    /// The audience's code, full-screen for the projector.
    AudienceCode,
    // A participant's own actions (xieshang join).
    RaiseNormal,
    RaiseOrder,
    RaiseReply,
    Withdraw,
    Yield,
    Ask,
    /// Take back one's own pending question.
    WithdrawQuestion,
    /// Rewrite one's own pending question.
    EditQuestion,
    Vote,
    /// 回头看: call the earlier promise under the cursor.
    ReviewCall,
    /// 回头看: record what stands now of the one called.
    ReviewRecord,
    /// 回头看: rate a delivered one (its asker, or the chair for them).
    ReviewRate,
    /// Replaying a recorded meeting (xieshang replay).
    Replay(Replay),
    /// The secretariat's register (xieshang followups).
    Desk(Desk),
    /// The secretariat's topics (xieshang topics desk).
    TopicDesk(TopicDesk),
    Help,
    Quit,
}

/// The keys of a replay: they drive the player, not the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    PlayPause,
    Faster,
    Slower,
    NextStep,
    PreviousStep,
    NextTurn,
    PreviousTurn,
    Forward,
    Back,
    ForwardMinute,
    BackMinute,
    Start,
    End,
    /// 0–9: to that tenth of the meeting.
    Tenth,
}

/// The keys of the follow-up register's console: the secretariat's desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Desk {
    /// Show the item's whole timeline, or the list again.
    Open,
    Extend,
    SetDue,
    Answer,
    Rate,
    Withdraw,
    Merge,
    TogglePublic,
    CoHandling,
    NextDepartment,
    NextState,
    OverdueOnly,
    Reload,
    /// A screen up or down the list, its first row, its last.
    PageUp,
    PageDown,
    Home,
    End,
}

/// The keys of the topics' console: each a screening's decision, a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicDesk {
    /// Show the topic whole (its text, co-signers, support, history), or the list.
    Open,
    /// 初审: eligible (with why, when it lacks its support).
    Eligible,
    /// 初审: returned to its proposer, with why.
    Return,
    /// 初审: merged into another topic, with why.
    Merge,
    /// 初审: redirected as 社情民意, with why.
    Redirect,
    /// 复审: name evaluators from the roster.
    Assign,
    /// 定审: adopt with a number, reserve, or reject with why.
    Decide,
    /// The next stage's topics only (then every stage again).
    NextStage,
    Reload,
}

pub struct Binding {
    /// The keys, as the footer and help show them.
    pub shown: &'static str,
    pub codes: &'static [KeyCode],
    pub action: Action,
    pub zh: &'static str,
    pub en: &'static str,
    /// Shown in the footer (the help lists every binding).
    pub footer: bool,
}

const fn b(
    shown: &'static str,
    codes: &'static [KeyCode],
    action: Action,
    zh: &'static str,
    en: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        shown,
        codes,
        action,
        zh,
        en,
        footer,
    }
}

use KeyCode::{
    BackTab, Char, Delete, Down, End, Enter, Home, Left, PageDown, PageUp, Right, Tab, Up,
};

#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    b("s",   &[Char('s')],            Action::Start,           "开始会议",      "start meeting",     true),
    b("⏎",   &[Enter],                Action::GrantNext,       "下一位发言",    "next speaker",      true),
    b("f",   &[Char('f')],            Action::GrantPick,       "指定发言",      "give floor to…",    true),
    b("e",   &[Char('e')],            Action::EndTurn,         "结束发言",      "end turn",          true),
    b("n",   &[Char('n')],            Action::NextStep,        "下一环节",      "next step",         true),
    b("p",   &[Char('p')],            Action::PreviousStep,    "上一环节",      "previous step",     false),
    b("g",   &[Char('g')],            Action::GotoStep,        "跳转环节",      "go to step",        false),
    b("t",   &[Char('t')],            Action::ToggleTurnTimer, "发言暂停/继续", "pause/resume turn", true),
    b("+",   &[Char('+'), Char('=')], Action::TurnPlus,        "发言 +1分",     "turn +1 min",       true),
    b("-",   &[Char('-')],            Action::TurnMinus,       "发言 −1分",     "turn −1 min",       false),
    b("T",   &[Char('T')],            Action::ToggleStepTimer, "环节暂停/继续", "pause/resume step", false),
    b("]",   &[Char(']')],            Action::StepPlus,        "环节 +1分",     "step +1 min",       false),
    b("[",   &[Char('[')],            Action::StepMinus,       "环节 −1分",     "step −1 min",       false),
    b("a",   &[Char('a')],            Action::QueueAdd,        "加入排队",      "add to queue",      true),
    b("d",   &[Char('d'), Delete],    Action::QueueRemove,     "移出排队",      "remove from queue", false),
    b("K",   &[Char('K')],            Action::QueueUp,         "排队上移",      "move up",           false),
    b("J",   &[Char('J')],            Action::QueueDown,       "排队下移",      "move down",         false),
    b("c",   &[Char('c')],            Action::ToggleQueue,     "关闭/开放排队", "close/open queue",  false),
    b("r",   &[Char('r')],            Action::RecordAnswer,    "记录答复",      "record answer",     true),
    b("w",   &[Char('w')],            Action::RecordQuestion,  "记录提问",      "record question",   true),
    b("o",   &[Char('o')],            Action::TogglePoll,      "开启/关闭测评", "open/close poll",   true),
    b("v",   &[Char('v')],            Action::ReviewCall,      "回头看：点名",  "review: call item", true),
    b("u",   &[Char('u')],            Action::ReviewRecord,    "记录现状",      "record what stands", true),
    b("m",   &[Char('m')],            Action::ReviewRate,      "代为评价",      "rate for the asker", true),
    b("Tab", &[Tab, BackTab],         Action::SwitchPane,      "切换 排队/提问", "queue/questions",  false),
    b("↑",   &[Up, Char('k')],        Action::CursorUp,        "上一项",        "previous row",      false),
    b("↓",   &[Down, Char('j')],      Action::CursorDown,      "下一项",        "next row",          false),
    b("x",   &[Char('x')],            Action::CloseMeeting,    "结束会议",      "close meeting",     false),
    b("i",   &[Char('i')],            Action::Participants,    "参会人：签到与二维码", "participants: attendance, codes",  false),
    b("b",   &[Char('b')],            Action::AudienceCode,    "观众二维码",    "audience code",     true),
    b("?",   &[Char('?')],            Action::Help,            "帮助",          "help",              true),
    b("q",   &[Char('q')],            Action::Quit,            "退出",          "quit",              true),
];

/// A participant's keys (`xieshang join`); the projector uses only `q` and `?`.
#[rustfmt::skip]
pub const PARTICIPANT_BINDINGS: &[Binding] = &[
    b("h",   &[Char('h')],            Action::RaiseNormal,     "举手发言",      "raise hand",        true),
    b("o",   &[Char('o')],            Action::RaiseOrder,      "程序性发言",    "point of order",    true),
    b("r",   &[Char('r')],            Action::RaiseReply,      "直接回应",      "reply",             true),
    b("w",   &[Char('w')],            Action::Withdraw,        "撤回举手",      "withdraw",          true),
    b("y",   &[Char('y')],            Action::Yield,           "交还话筒",      "yield the floor",   true),
    b("a",   &[Char('a')],            Action::Ask,             "书面提问",      "ask a department",  true),
    b("e",   &[Char('e')],            Action::EditQuestion,    "修改我的提问",  "edit my question",  true),
    b("x",   &[Char('x')],            Action::WithdrawQuestion, "撤回我的提问", "withdraw my question", true),
    b("v",   &[Char('v')],            Action::Vote,            "投票",          "vote",              true),
    b("d",   &[Char('d')],            Action::RecordAnswer,    "部门答复",      "answer (department)", true),
    b("m",   &[Char('m')],            Action::ReviewRate,      "评价回头看事项", "rate the review",  true),
    b("Tab", &[Tab, BackTab],         Action::SwitchPane,      "切换 排队/提问", "queue/questions",  false),
    b("↑",   &[Up, Char('k')],        Action::CursorUp,        "上一项",        "previous row",      false),
    b("↓",   &[Down, Char('j')],      Action::CursorDown,      "下一项",        "next row",          false),
    b("?",   &[Char('?')],            Action::Help,            "帮助",          "help",              true),
    b("q",   &[Char('q')],            Action::Quit,            "退出",          "quit",              true),
];

/// The keys of a replay (`xieshang replay`): the chair's screen, read-only.
#[rustfmt::skip]
pub const REPLAY_BINDINGS: &[Binding] = &[
    b("␣",   &[Char(' '), Char('p')], Action::Replay(Replay::PlayPause),         "播放/暂停",     "play/pause",        true),
    b("+",   &[Char('+'), Char('=')], Action::Replay(Replay::Faster),            "加速",          "faster",            true),
    b("-",   &[Char('-')],            Action::Replay(Replay::Slower),            "减速",          "slower",            true),
    b("n",   &[Char('n')],            Action::Replay(Replay::NextStep),      "下一环节",      "next step",         true),
    b("N",   &[Char('N'), Char('b')], Action::Replay(Replay::PreviousStep),  "上一环节",      "previous step",     false),
    b("]",   &[Char(']')],            Action::Replay(Replay::NextTurn),      "下一位发言",    "next turn",         true),
    b("[",   &[Char('[')],            Action::Replay(Replay::PreviousTurn),  "上一位发言",    "previous turn",     false),
    b("→",   &[Right, Char('l')],     Action::Replay(Replay::Forward),       "快进 10秒",     "forward 10 s",      true),
    b("←",   &[Left, Char('h')],      Action::Replay(Replay::Back),          "后退 10秒",     "back 10 s",         false),
    b("PgDn",&[PageDown, Char('L')],  Action::Replay(Replay::ForwardMinute), "快进 1分",      "forward 1 min",     false),
    b("PgUp",&[PageUp, Char('H')],    Action::Replay(Replay::BackMinute),    "后退 1分",      "back 1 min",        false),
    b("Home",&[Home, Char('g')],      Action::Replay(Replay::Start),         "回到开头",      "to the start",      false),
    b("End", &[End, Char('G')],       Action::Replay(Replay::End),           "跳到结尾",      "to the end",        false),
    b("0–9", &[Char('0'), Char('1'), Char('2'), Char('3'), Char('4'), Char('5'), Char('6'), Char('7'), Char('8'), Char('9')],
                                      Action::Replay(Replay::Tenth),         "跳到 0%–90%",   "to 0%–90%",         false),
    b("Tab", &[Tab, BackTab],         Action::SwitchPane,        "切换 排队/提问", "queue/questions",  false),
    b("↑",   &[Up, Char('k')],        Action::CursorUp,          "上一项",        "previous row",      false),
    b("↓",   &[Down, Char('j')],      Action::CursorDown,        "下一项",        "next row",          false),
    b("?",   &[Char('?')],            Action::Help,              "帮助",          "help",              true),
    b("q",   &[Char('q')],            Action::Quit,              "退出",          "quit",              true),
];

/// The secretariat's keys (`xieshang followups`).
#[rustfmt::skip]
pub const DESK_BINDINGS: &[Binding] = &[
    b("⏎",   &[Enter],                Action::Desk(Desk::Open),          "详情/列表",     "details/list",      true),
    b("a",   &[Char('a')],            Action::Desk(Desk::Answer),        "记录答复",      "record answer",     true),
    b("r",   &[Char('r')],            Action::Desk(Desk::Rate),          "记录满意度",    "record rating",     true),
    b("x",   &[Char('x')],            Action::Desk(Desk::Extend),        "延期",          "extend",            true),
    b("t",   &[Char('t')],            Action::Desk(Desk::SetDue),        "改办理期限",    "set due date",      false),
    b("w",   &[Char('w')],            Action::Desk(Desk::Withdraw),      "中止",          "withdraw",          false),
    b("m",   &[Char('m')],            Action::Desk(Desk::Merge),         "并案",          "merge",             false),
    b("p",   &[Char('p')],            Action::Desk(Desk::TogglePublic),  "公开/不公开",   "public or not",     false),
    b("c",   &[Char('c')],            Action::Desk(Desk::CoHandling),    "会办部门",      "co-handling",       false),
    b("d",   &[Char('d')],            Action::Desk(Desk::NextDepartment), "按部门筛选",   "by department",     false),
    b("s",   &[Char('s')],            Action::Desk(Desk::NextState),     "按状态筛选",    "by state",          false),
    b("o",   &[Char('o')],            Action::Desk(Desk::OverdueOnly),   "只看逾期",      "overdue only",      true),
    b("g",   &[Char('g')],            Action::Desk(Desk::Reload),        "刷新",          "reload",            false),
    b("↑",   &[Up, Char('k')],        Action::CursorUp,                  "上一项",        "previous row",      false),
    b("↓",   &[Down, Char('j')],      Action::CursorDown,                "下一项",        "next row",          false),
    b("PgUp",&[PageUp],               Action::Desk(Desk::PageUp),        "上一屏",        "page up",           false),
    b("PgDn",&[PageDown],             Action::Desk(Desk::PageDown),      "下一屏",        "page down",         false),
    b("Home",&[Home],                 Action::Desk(Desk::Home),          "第一项",        "first row",         false),
    b("End", &[End],                  Action::Desk(Desk::End),           "最后一项",      "last row",          false),
    b("?",   &[Char('?')],            Action::Help,                      "帮助",          "help",              true),
    b("q",   &[Char('q'), KeyCode::Esc], Action::Quit,                   "退出",          "quit",              true),
];

#[rustfmt::skip]
pub const TOPIC_DESK_BINDINGS: &[Binding] = &[
    b("⏎",   &[Enter],                Action::TopicDesk(TopicDesk::Open),     "详情/列表",     "details/list",      true),
    b("e",   &[Char('e')],            Action::TopicDesk(TopicDesk::Eligible), "初审通过",      "pass 初审",         true),
    b("r",   &[Char('r')],            Action::TopicDesk(TopicDesk::Return),   "退回修改",      "return",            true),
    b("m",   &[Char('m')],            Action::TopicDesk(TopicDesk::Merge),    "并入",          "merge into",        false),
    b("x",   &[Char('x')],            Action::TopicDesk(TopicDesk::Redirect), "转社情民意",    "redirect",          false),
    b("a",   &[Char('a')],            Action::TopicDesk(TopicDesk::Assign),   "指定评审",      "assign evaluators", true),
    b("d",   &[Char('d')],            Action::TopicDesk(TopicDesk::Decide),   "定审",          "decide",            true),
    b("s",   &[Char('s')],            Action::TopicDesk(TopicDesk::NextStage), "按阶段筛选",   "by stage",          true),
    b("g",   &[Char('g')],            Action::TopicDesk(TopicDesk::Reload),   "刷新",          "reload",            false),
    b("↑",   &[Up, Char('k')],        Action::CursorUp,                       "上一项",        "previous row",      false),
    b("↓",   &[Down, Char('j')],      Action::CursorDown,                     "下一项",        "next row",          false),
    b("?",   &[Char('?')],            Action::Help,                           "帮助",          "help",              true),
    b("q",   &[Char('q'), KeyCode::Esc], Action::Quit,                        "退出",          "quit",              true),
];

/// Which console a table is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Chair,
    Participant,
    /// The room's big screen: help and quit only.
    Projector,
    Replay,
}

/// The key table of a console.
pub fn table(t: Table) -> &'static [Binding] {
    match t {
        Table::Chair => BINDINGS,
        Table::Participant => PARTICIPANT_BINDINGS,
        Table::Projector => &PARTICIPANT_BINDINGS[PARTICIPANT_BINDINGS.len() - 2..],
        Table::Replay => REPLAY_BINDINGS,
    }
}

impl Binding {
    pub fn label(&self, lang: Language) -> &'static str {
        match lang {
            Language::Zh => self.zh,
            Language::En => self.en,
        }
    }
}

/// The action a key asks for on the main screen.
pub fn action_for(key: KeyEvent, table: &[Binding]) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return (key.code == Char('c')).then_some(Action::Quit);
    }
    table
        .iter()
        .find(|b| b.codes.contains(&key.code))
        .map(|b| b.action)
}
