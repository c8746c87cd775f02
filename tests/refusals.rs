//! Refusals as people read them: every one the rules give is said in either
//! language (`xieshang::lang::refusal`), with names from the plan. The rules
//! themselves are the core's own tests (`meeting/tests/rules`).

use crate::common::*;
use serde_json::json;
use xieshang::lang::refusal::sentence;
use xieshang::meeting::plan::Language::{En, Zh};
use xieshang::meeting::{Command, Mode, Refusal, TextField, TimerName};

#[test]
fn refusals_are_values_said_in_either_language_with_names_from_the_plan() {
    let mut m = Meeting::new();
    let r = m.rejected("chair", Command::NextStep);
    assert_eq!(r, Refusal::NotStarted);
    assert_eq!(sentence(&r, Zh, &m.state.plan), "会议尚未开始");
    assert_eq!(
        sentence(&r, En, &m.state.plan),
        "the meeting has not started yet"
    );
    m.ok("chair", Command::StartMeeting);
    let r = m.rejected("m01", Command::NextStep);
    assert_eq!(
        r,
        Refusal::ChairOnly {
            action: "next_step".into()
        }
    );
    assert_eq!(sentence(&r, Zh, &m.state.plan), "只有主持人可以切换环节");
    let r = m.rejected("o01", Command::WithdrawHand);
    assert_eq!(r, Refusal::ObserversOnlyWatch);
    assert_eq!(
        sentence(&r, Zh, &m.state.plan),
        "列席人员只能旁听，不能操作"
    );
    m.ok("m01", Command::RaiseHand { mode: Mode::Normal });
    let r = m.rejected("m01", Command::RaiseHand { mode: Mode::Normal });
    assert_eq!(r, Refusal::HandAlreadyRaised);
    assert_eq!(sentence(&r, Zh, &m.state.plan), "您已经在排队");
    let r = m.rejected(
        "chair",
        Command::QueueAdd {
            participant: "m01".into(),
            mode: Mode::Normal,
        },
    );
    assert_eq!(r, Refusal::AlreadyInQueue { who: "m01".into() });
    assert_eq!(sentence(&r, Zh, &m.state.plan), "马文静已经在排队");
    assert_eq!(
        sentence(&r, En, &m.state.plan),
        "马文静 is already in the queue"
    );
    let r = m.rejected(
        "chair",
        Command::PauseTimer {
            timer: TimerName::Floor,
        },
    );
    assert_eq!(r, Refusal::NoTurnTimer);
    assert_eq!(
        sentence(&r, Zh, &m.state.plan),
        "目前无人发言，没有发言计时"
    );
    let r = m.rejected("chair", Command::GotoStep { item: 1, step: 4 });
    assert_eq!(r, Refusal::NoSuchStep { item: 1, step: 4 });
    assert_eq!(
        sentence(&r, Zh, &m.state.plan),
        "议程第 2 项没有第 5 个环节"
    );
    let r = m.rejected(
        "m01",
        Command::SubmitQuestion {
            department: "eco".into(),
            text: " ".into(),
            asker: None,
        },
    );
    assert_eq!(
        r,
        Refusal::EmptyText {
            field: TextField::Question
        }
    );
    assert_eq!(sentence(&r, Zh, &m.state.plan), "问题为空");
}

#[test]
fn every_refusal_is_said_in_either_language() {
    // One of each, made from its wire form: its reason and every field a
    // refusal may carry (`item` is a step's number in one, an id in others).
    let plan = plan();
    let fields = json!({
        "who": "m01", "action": "next_step", "question": "q1", "department": "eco",
        "by": "d-eco", "step": 1, "timer": "floor", "seconds": 900, "max": 600,
        "field": "question", "chars": 2001, "character": "U+001B (ESC, escape)",
        "at": 3, "poll": "rating", "choice": "好", "choices": ["满意", "不满意"],
        "target": "eco",
    });
    let mut said = 0;
    for reason in Refusal::reasons() {
        let refusal = [json!("m1/q1"), json!(1)]
            .into_iter()
            .find_map(|item| {
                let mut wire = fields.clone();
                wire["reason"] = reason.into();
                wire["item"] = item;
                serde_json::from_value::<Refusal>(wire).ok()
            })
            .unwrap_or_else(|| panic!("{reason}: made from its wire form"));
        assert_eq!(refusal.reason(), reason);
        for lang in [Zh, En] {
            let sentence = sentence(&refusal, lang, &plan);
            assert!(!sentence.trim().is_empty(), "{reason} is said in {lang:?}");
        }
        said += 1;
    }
    assert!(said > 40, "every refusal ({said})");
}
