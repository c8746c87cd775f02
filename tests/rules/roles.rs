use crate::common::*;
use xieshang::meeting::{decide, Code, Command, Ctx, Mode, TimerName};

fn chair_commands() -> Vec<Command> {
    vec![
        Command::CloseMeeting,
        Command::NextStep,
        Command::PreviousStep,
        Command::GotoStep { item: 0, step: 1 },
        Command::GrantFloor { participant: None },
        Command::EndSpeech,
        Command::PauseTimer {
            timer: TimerName::Step,
        },
        Command::ResumeTimer {
            timer: TimerName::Step,
        },
        Command::ExtendTimer {
            timer: TimerName::Step,
            seconds: 60,
        },
        Command::QueueAdd {
            participant: "m02".into(),
            mode: Mode::Normal,
        },
        Command::QueueRemove {
            participant: "m02".into(),
        },
        Command::QueueMove {
            participant: "m02".into(),
            position: 0,
        },
        Command::CloseQueue,
        Command::OpenQueue,
        Command::OpenPoll {
            poll: "rating".into(),
        },
        Command::ClosePoll {
            poll: "rating".into(),
        },
    ]
}

#[test]
fn chair_actions_are_the_chairs_alone() {
    let mut m = Meeting::started();
    for who in ["m01", "x01", "p01", "d-eco"] {
        for c in chair_commands() {
            let r = m.rejected(who, c.clone());
            assert_eq!(r.code, Code::Forbidden, "{who} {c:?}: {r}");
            assert!(r.message.starts_with("only the chair"), "{r}");
        }
    }
    assert_eq!(
        m.rejected("m01", Command::StartMeeting).code,
        Code::Forbidden
    );
}

#[test]
fn observers_only_watch() {
    let mut m = Meeting::started();
    let mut all = chair_commands();
    all.extend([
        Command::RaiseHand { mode: Mode::Normal },
        Command::WithdrawHand,
        Command::YieldFloor,
        Command::SubmitQuestion {
            department: "eco".into(),
            text: "?".into(),
            asker: None,
        },
        Command::Vote {
            poll: "rating".into(),
            choice: "满意".into(),
            target: Some("eco".into()),
        },
    ]);
    for c in all {
        let r = m.rejected("o01", c.clone());
        assert_eq!(r.code, Code::Forbidden, "{c:?}");
        assert!(r.message.contains("observers"), "{r}");
    }
}

#[test]
fn everyone_else_may_raise_a_hand_and_ask() {
    let mut m = Meeting::started();
    for who in ["m01", "x01", "p01", "d-eco"] {
        m.ok(who, Command::RaiseHand { mode: Mode::Normal });
        m.ok(
            who,
            Command::SubmitQuestion {
                department: "ndrc".into(),
                text: "问题".into(),
                asker: None,
            },
        );
    }
    assert_eq!(m.queue(), ["m01", "x01", "p01", "d-eco"]);
    assert_eq!(m.state.questions.len(), 4);
}

#[test]
fn a_stranger_may_do_nothing() {
    let m = Meeting::started();
    let r = decide(
        &m.state,
        Command::RaiseHand { mode: Mode::Normal },
        Ctx::by("intruder", m.now),
    )
    .unwrap_err();
    assert_eq!(r.code, Code::Forbidden);
}

#[test]
fn presence_is_the_servers_and_changes_only_when_it_changes() {
    let mut m = Meeting::new();
    let online = |p: &str, on| Command::SetPresence {
        participant: p.into(),
        online: on,
    };
    assert_eq!(
        m.rejected("chair", online("m01", true)).code,
        Code::Forbidden
    );
    let events = decide(&m.state, online("m01", true), Ctx::server(m.now)).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor, None);
    xieshang::meeting::apply(&mut m.state, &events[0]);
    assert!(m.state.online.contains("m01"));
    assert!(decide(&m.state, online("m01", true), Ctx::server(m.now))
        .unwrap()
        .is_empty());
    assert_eq!(
        decide(&m.state, online("zz", true), Ctx::server(m.now))
            .unwrap_err()
            .code,
        Code::NotFound
    );
    assert_eq!(
        decide(&m.state, Command::StartMeeting, Ctx::server(m.now))
            .unwrap_err()
            .code,
        Code::Forbidden
    );
}

#[test]
fn events_say_who_acted_and_when() {
    let mut m = Meeting::started();
    m.after(7 * SEC);
    m.ok("m02", Command::RaiseHand { mode: Mode::Normal });
    let e = m.events.last().unwrap();
    assert_eq!((e.actor.as_deref(), e.at_ms), (Some("m02"), T0 + 7 * SEC));
}

#[test]
fn rejections_speak_the_meetings_language() {
    use std::sync::Arc;
    use xieshang::meeting::scenario::parse_plan;
    let zh = PLAN.replace("language = \"en\"", "language = \"zh\"");
    let mut m = Meeting::new();
    m.state = xieshang::meeting::State::new(Arc::new(parse_plan("zh.toml", &zh).unwrap()));
    assert_eq!(
        m.rejected("chair", Command::NextStep).message,
        "会议尚未开始"
    );
    m.ok("chair", Command::StartMeeting);
    assert_eq!(
        m.rejected("m01", Command::NextStep).message,
        "只有主持人可以切换环节"
    );
    assert_eq!(
        m.rejected("o01", Command::WithdrawHand).message,
        "列席人员只能旁听，不能操作"
    );
    m.ok("m01", Command::RaiseHand { mode: Mode::Normal });
    assert_eq!(
        m.rejected("m01", Command::RaiseHand { mode: Mode::Normal })
            .message,
        "您已经在排队"
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::QueueAdd {
                participant: "m01".into(),
                mode: Mode::Normal
            }
        )
        .message,
        "马文静已经在排队"
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::PauseTimer {
                timer: TimerName::Floor
            }
        )
        .message,
        "目前无人发言，没有发言计时"
    );
    assert_eq!(
        m.rejected("chair", Command::GotoStep { item: 1, step: 4 })
            .message,
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
    assert_eq!(r.message, "问题为空");
}
