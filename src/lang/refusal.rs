//! Every refusal as a sentence for a person, in Chinese and in English. Names come
//! from the plan (a participant's name, a department's), so the sentence reads
//! "马文静不在排队中", not "m01"; an id the plan does not know is shown as given.

use super::Language;
use crate::meeting::plan::Plan;
use crate::meeting::refusal::{Refusal, TextField};
use crate::meeting::TimerName;

/// `refusal` in `lang`, with names from `plan`.
pub fn sentence(refusal: &Refusal, lang: Language, plan: &Plan) -> String {
    let who = |id: &str| {
        plan.participant(id)
            .map_or_else(|| id.to_string(), |p| p.name.clone())
    };
    let dept = |id: &str| {
        plan.department(id)
            .map_or_else(|| id.to_string(), |d| d.name.clone())
    };
    let zh = lang == Language::Zh;
    let say = |en: String, zh_text: String| if zh { zh_text } else { en };
    use Refusal::*;
    match refusal {
        NotStarted => say("the meeting has not started yet".into(), "会议尚未开始".into()),
        AlreadyStarted => say("the meeting has already started".into(), "会议已经开始".into()),
        MeetingClosed => say("the meeting is closed".into(), "会议已经结束".into()),
        ServerActsOnlyOnPresence => say(
            "the server acts only on presence".into(),
            "服务器只能更新在线状态".into(),
        ),
        NotAParticipant { who } => say(
            format!("\"{who}\" is not a participant of this meeting"),
            format!("“{who}”不是本次会议的参会人员"),
        ),
        PresenceIsTheServers => {
            say("presence is set by the server".into(), "在线状态由服务器设置".into())
        }
        ObserversOnlyWatch => say(
            "observers watch the meeting; they cannot act in it".into(),
            "列席人员只能旁听，不能操作".into(),
        ),
        ChairOnly { action } => say(
            format!("only the chair may {}", action.replace('_', " ")),
            format!("只有主持人可以{}", chair_action_zh(action)),
        ),
        ChairOnlyAsksForOthers => say(
            "only the chair may record a question for someone else".into(),
            "只有主持人可以代他人记录提问".into(),
        ),
        NotYourDepartment { department, .. } => {
            let d = dept(department);
            say(
                format!("this question is for {d}; only its representatives or the chair may answer it"),
                format!("这个问题是向{d}提出的，只有该部门代表或主持人可以答复"),
            )
        }
        NotYourQuestion { question } => say(
            format!("question {question} is someone else's: only its asker withdraws or edits it"),
            format!("问题 {question} 不是您提的：只有提问人可以撤回或修改"),
        ),
        QuestionNotPending { question } => say(
            format!("question {question} is no longer pending: it can no longer be withdrawn or edited"),
            format!("问题 {question} 已不在待答复状态，不能再撤回或修改"),
        ),
        AnswerChanged { question, by } => say(
            format!("{} answered question {question} meanwhile: look at that answer before replacing it", who(by)),
            format!("{}刚刚答复了问题 {question}：请先看过这个答复，再决定是否替换", who(by)),
        ),
        RoleDoesNotVote => say(
            "your role does not vote in this poll".into(),
            "您的身份不参加这项测评".into(),
        ),
        Replay => say(
            "this is a replay of a recorded meeting: it can be watched, not changed".into(),
            "这是会议的回放：只能观看，不能操作".into(),
        ),
        Broadcast => say(
            "this is a broadcast of the meeting: it can be followed here, not taken part in; participants use their own link to the meeting".into(),
            "这是会议的直播转发：在这里只能观看，不能参与；参会人请用自己的会议链接".into(),
        ),
        LastStep => say(
            "this is the last step; close the meeting to finish".into(),
            "这已是最后一个环节；如需结束请结束会议".into(),
        ),
        FirstStep => say(
            "this is the first step; there is none before it".into(),
            "这已是第一个环节，前面没有环节了".into(),
        ),
        NoSuchStep { item, step } => {
            // Counted from 1 for people, in u128 so that no index overflows.
            let (item, step) = (*item as u128 + 1, *step as u128 + 1);
            say(
                format!("there is no step {step} in item {item} of the agenda"),
                format!("议程第 {item} 项没有第 {step} 个环节"),
            )
        }
        NoStepRunning => say("no step is running".into(), "当前没有进行中的环节".into()),
        EmptyAgenda => say("the agenda has no steps".into(), "议程没有环节".into()),
        NobodyHasTheFloor => say("nobody has the floor".into(), "目前无人发言".into()),
        YouDoNotHaveTheFloor => say("you do not have the floor".into(), "您目前没有发言权".into()),
        NobodyWaiting => say(
            "nobody is waiting for the floor".into(),
            "没有人等候发言".into(),
        ),
        YouHaveTheFloor => say("you have the floor".into(), "您正在发言".into()),
        HasTheFloor { who: id } => {
            let n = who(id);
            say(format!("{n} has the floor"), format!("{n}正在发言"))
        }
        ObserverCannotSpeak { who: id } => {
            let n = who(id);
            say(
                format!("{n} is an observer and cannot take the floor"),
                format!("{n}是列席人员，不能发言"),
            )
        }
        NobodyToReplyTo => say(
            "nobody is speaking, so there is nobody to reply to".into(),
            "目前无人发言，无从直接回应".into(),
        ),
        TimerAlreadyPaused { timer } => say(
            format!("the {} timer is already paused", timer_en(*timer)),
            format!("{}计时已经暂停", timer_zh(*timer)),
        ),
        TimerAlreadyRunning { timer } => say(
            format!("the {} timer is already running", timer_en(*timer)),
            format!("{}计时已经在走", timer_zh(*timer)),
        ),
        NoTurnTimer => say(
            "nobody has the floor, so there is no turn timer".into(),
            "目前无人发言，没有发言计时".into(),
        ),
        ExtensionOutOfRange { max, .. } => say(
            format!("seconds must be a whole number other than zero, at most {max} either way"),
            format!("秒数须为非零整数，增减都不超过 {max} 秒"),
        ),
        QueueClosed => say(
            "the queue is closed; wait for the chair to open it".into(),
            "排队已关闭，请等主持人开放".into(),
        ),
        QueueAlreadyClosed => say("the queue is already closed".into(), "排队已经关闭".into()),
        QueueAlreadyOpen => say("the queue is already open".into(), "排队已经开放".into()),
        HandNotRaised => say("your hand is not raised".into(), "您没有在排队".into()),
        HandAlreadyRaised => say("your hand is already raised".into(), "您已经在排队".into()),
        AlreadyInQueue { who: id } => {
            let n = who(id);
            say(format!("{n} is already in the queue"), format!("{n}已经在排队"))
        }
        NotInQueue { who: id } => {
            let n = who(id);
            say(format!("{n} is not in the queue"), format!("{n}不在排队中"))
        }
        ObserverCannotAsk { who: id } => {
            let n = who(id);
            say(
                format!("{n} is an observer and cannot ask"),
                format!("{n}是列席人员，不能提问"),
            )
        }
        WalkInCannotChair => say(
            "a meeting has one chair: add the walk-in as a member, expert, resident, department or observer".into(),
            "会议只有一位主持人：请以委员、专家、群众、部门或列席身份添加".into(),
        ),
        DepartmentRequired => say(
            "a department's representative needs the department they speak for".into(),
            "部门代表须注明所代表的部门".into(),
        ),
        NotUnderReview { item } => say(
            format!("{item} is not one this step reviews"),
            format!("{item} 不在本环节回顾的事项之中"),
        ),
        ReviewDateRequired => say(
            "still in progress: say by when it will be done".into(),
            "仍在办理：请写明新的办理期限".into(),
        ),
        ReviewClosedItem { item } => say(
            format!("{item} is closed in the register: a review confirms it; the secretariat reopens it at the desk"),
            format!("{item} 在台账中已办结：回头看只能确认；如需重新办理请由办公室在台账中处理"),
        ),
        ReviewNotDelivered { item } => say(
            format!("{item} has not been recorded as delivered: only a delivered promise is rated"),
            format!("{item} 尚未记为已落实：落实后才能评价"),
        ),
        NotYourReview { item } => say(
            format!("only the person who asked (or the chair for them) rates {item}"),
            format!("只有提问人本人（或由主持人代为）评价 {item}"),
        ),
        ReviewReasonRequired => say(
            "a dissatisfied rating says why".into(),
            "评为不满意时请写明理由".into(),
        ),
        NoSuchDepartment { department } => say(
            format!("there is no department \"{department}\""),
            format!("没有部门“{department}”"),
        ),
        NoSuchQuestion { question } => say(
            format!("there is no question \"{question}\""),
            format!("没有问题“{question}”"),
        ),
        NoSuchParticipant { who } => say(
            format!("there is no participant \"{who}\""),
            format!("没有参会人员“{who}”"),
        ),
        EmptyText { field } => say(
            format!("{} is empty", field_en(*field)),
            format!("{}为空", field_zh(*field)),
        ),
        TextTooLong { field, chars, max } => say(
            format!(
                "{} has {chars} characters; at most {max} are allowed",
                field_en(*field)
            ),
            format!("{}有 {chars} 个字，最多 {max} 个", field_zh(*field)),
        ),
        ControlCharacter {
            field,
            character,
            at,
        } => say(
            format!(
                "{} contains {character} at character {at}, which cannot be shown: remove it (line breaks are allowed)",
                field_en(*field)
            ),
            format!(
                "{}第 {at} 个字符 {character} 无法显示：请删除（换行可以保留）",
                field_zh(*field)
            ),
        ),
        NoSuchPoll { poll } => say(
            format!("there is no poll \"{poll}\""),
            format!("没有测评“{poll}”"),
        ),
        PollAlreadyOpen => say("the poll is already open".into(), "测评已经开始".into()),
        SecretBallotClosed { poll } => say(
            format!("the secret ballot {poll} was closed with votes and is final: opening it again would let the next tally tell how the new votes went"),
            format!("无记名测评 {poll} 已有投票并已结束，结果为最终结果：若再次开启，下一次结果与本次之差会暴露新投的票"),
        ),
        PollNotOpen => say("the poll is not open".into(), "测评尚未开始".into()),
        NotAChoice { choice, choices } => say(
            format!(
                "\"{choice}\" is not a choice of this poll; choose one of: {}",
                choices.join(", ")
            ),
            format!(
                "“{choice}”不是本次测评的选项；请从中选择：{}",
                choices.join("、")
            ),
        ),
        TargetRequired => say(
            "this poll rates each department: say which one (target)".into(),
            "本次测评逐个部门评议：请指明评议哪个部门（target）".into(),
        ),
        TargetNotAllowed => say(
            "this poll is one overall rating: leave out target".into(),
            "本次测评是整体评议：不要指定 target".into(),
        ),
        NotRated { target } => {
            let d = dept(target);
            say(
                format!("\"{d}\" is not rated in this poll"),
                format!("“{d}”不在本次测评之列"),
            )
        }
    }
}

fn timer_en(timer: TimerName) -> &'static str {
    match timer {
        TimerName::Floor => "turn",
        TimerName::Step => "step",
    }
}

fn timer_zh(timer: TimerName) -> &'static str {
    match timer {
        TimerName::Floor => "发言",
        TimerName::Step => "环节",
    }
}

fn field_en(field: TextField) -> &'static str {
    match field {
        TextField::Question => "the question",
        TextField::Note => "the note",
        TextField::Name => "the name",
        TextField::Sector => "the sector",
    }
}

fn field_zh(field: TextField) -> &'static str {
    match field {
        TextField::Question => "问题",
        TextField::Note => "备注",
        TextField::Name => "姓名",
        TextField::Sector => "界别",
    }
}

/// What a chair-only command does, by its wire name, for "只有主持人可以…".
fn chair_action_zh(action: &str) -> &'static str {
    match action {
        "start_meeting" => "开始会议",
        "close_meeting" => "结束会议",
        "next_step" | "previous_step" | "goto_step" => "切换环节",
        "grant_floor" => "安排发言",
        "end_speech" => "结束他人发言",
        "pause_timer" | "resume_timer" | "extend_timer" => "调整计时",
        "queue_add" | "queue_remove" | "queue_move" => "调整排队",
        "close_queue" | "open_queue" => "开放或关闭排队",
        "open_poll" | "close_poll" => "开启或结束测评",
        "add_participant" => "添加与会者",
        _ => "这样做",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_plan_in_either_language() {
        let plan = crate::meeting::scenario::parse_plan(
            "t.toml",
            "[meeting]\ntitle = \"t\"\n[[participants]]\nid = \"c\"\nname = \"陈主席\"\nrole = \"chair\"\n[[participants]]\nid = \"m01\"\nname = \"马文静\"\nrole = \"member\"\n[[agenda]]\ntitle = \"i\"\n[[agenda.steps]]\nkind = \"discuss\"\ntitle = \"s\"\n",
        )
        .unwrap();
        let r = Refusal::NotInQueue { who: "m01".into() };
        assert_eq!(sentence(&r, Language::Zh, &plan), "马文静不在排队中");
        assert_eq!(
            sentence(&r, Language::En, &plan),
            "马文静 is not in the queue"
        );
        let unknown = Refusal::NotInQueue { who: "x9".into() };
        assert_eq!(
            sentence(&unknown, Language::En, &plan),
            "x9 is not in the queue"
        );
        let far = Refusal::NoSuchStep {
            item: usize::MAX,
            step: 0,
        };
        assert!(sentence(&far, Language::En, &plan).contains("item 18446744073709551616"));
    }
}
