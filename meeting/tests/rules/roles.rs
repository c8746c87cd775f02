use crate::common::*;
use xieshang_meeting::{decide, Code, Command, Ctx, Mode, Refusal, TimerName};

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
            assert_eq!(r.code(), Code::Forbidden, "{who} {c:?}: {r}");
            assert!(
                matches!(&r, Refusal::ChairOnly { action } if action == c.name()),
                "{r}"
            );
        }
    }
    assert_eq!(
        m.rejected("m01", Command::StartMeeting).code(),
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
        assert_eq!(r.code(), Code::Forbidden, "{c:?}");
        assert_eq!(r, Refusal::ObserversOnlyWatch);
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
    assert_eq!(r.code(), Code::Forbidden);
}

#[test]
fn presence_is_the_servers_and_changes_only_when_it_changes() {
    let mut m = Meeting::new();
    let online = |p: &str, on| Command::SetPresence {
        participant: p.into(),
        online: on,
    };
    assert_eq!(
        m.rejected("chair", online("m01", true)).code(),
        Code::Forbidden
    );
    let events = decide(&m.state, online("m01", true), Ctx::server(m.now)).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor, None);
    xieshang_meeting::apply(&mut m.state, &events[0]);
    assert!(m.state.online.contains("m01"));
    assert!(decide(&m.state, online("m01", true), Ctx::server(m.now))
        .unwrap()
        .is_empty());
    assert_eq!(
        decide(&m.state, online("zz", true), Ctx::server(m.now))
            .unwrap_err()
            .code(),
        Code::NotFound
    );
    assert_eq!(
        decide(&m.state, Command::StartMeeting, Ctx::server(m.now))
            .unwrap_err()
            .code(),
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
fn what_each_role_is_told_it_may_do_is_what_the_rules_let_it_do() {
    // `welcome.may` (`Role::abilities`) is what the pages offer: it must not
    // offer what the rules refuse, nor hide what they allow (asking aside, which
    // a department is not offered: it is the one asked).
    let m0 = Meeting::started();
    let question = "q1";
    for p in m0.state.plan.participants.clone() {
        let may = p.role.abilities();
        let mut m = Meeting::started();
        m.ok(
            "m01",
            Command::SubmitQuestion {
                department: "eco".into(),
                text: "何时治理？".into(),
                asker: None,
            },
        );
        let speaks = m
            .try_by(&p.id, Command::RaiseHand { mode: Mode::Normal })
            .is_ok();
        assert_eq!(may.speak, speaks, "{} ({:?}) speaks", p.id, p.role);
        let asks = m
            .try_by(
                &p.id,
                Command::SubmitQuestion {
                    department: "ndrc".into(),
                    text: "资金何时到位？".into(),
                    asker: None,
                },
            )
            .is_ok();
        let department = p.role == xieshang_meeting::Role::Department;
        assert_eq!(may.ask || department, asks, "{} asks", p.id);
        assert!(
            !(may.ask && department),
            "a department is not offered asking"
        );
        let answers = m
            .try_by(
                &p.id,
                Command::AnswerQuestion {
                    question: question.into(),
                    status: xieshang_meeting::Answer::Answered,
                    note: None,
                    seen_answers: None,
                },
            )
            .is_ok();
        // Only the eco department's own representatives (and the chair) answer q1.
        let own = p.department.as_deref() == Some("eco");
        assert_eq!(
            may.answer && (own || may.chair),
            answers,
            "{} answers",
            p.id
        );
        let chairs = m.try_by(&p.id, Command::CloseQueue).is_ok();
        assert_eq!(may.chair, chairs, "{} chairs", p.id);
    }
}
