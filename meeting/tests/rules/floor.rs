use crate::common::*;
use xieshang_meeting::{Code, Command, EventKind, Mode, Refusal, Source, TimerName, TurnEnd};

#[test]
fn in_a_speak_step_the_floor_follows_the_registered_order_then_the_queue() {
    let mut m = Meeting::started();
    m.ok("m03", Command::RaiseHand { mode: Mode::Normal });
    let e = m.ok("chair", Command::GrantFloor { participant: None });
    assert_eq!(
        e,
        vec![EventKind::FloorGranted {
            participant: "m01".into(),
            mode: Mode::Normal,
            source: Source::Registered,
            limit_ms: 5 * MIN
        }]
    );
    m.ok("chair", Command::GrantFloor { participant: None });
    assert_eq!(m.speaker(), Some("m02"));
    m.ok("chair", Command::GrantFloor { participant: None });
    assert_eq!(
        m.speaker(),
        Some("m03"),
        "after the registered speakers, the queue"
    );
    assert!(m.queue().is_empty(), "the speaker left the queue");
    m.ok("chair", Command::EndSpeech);
    let r = m.rejected("chair", Command::GrantFloor { participant: None });
    assert_eq!(r, Refusal::NobodyWaiting);
    assert_eq!(r.code(), Code::Conflict);
}

#[test]
fn a_point_of_order_goes_before_the_next_registered_speaker() {
    let mut m = Meeting::started();
    m.ok("chair", Command::GrantFloor { participant: None });
    m.ok("m03", Command::RaiseHand { mode: Mode::Normal });
    m.ok(
        "x01",
        Command::RaiseHand {
            mode: Mode::PointOfOrder,
        },
    );
    m.ok("chair", Command::GrantFloor { participant: None });
    let floor = m.state.floor.as_ref().unwrap();
    assert_eq!(
        (floor.speaker.as_str(), floor.mode, floor.source),
        ("x01", Mode::PointOfOrder, Source::Queue)
    );
    m.ok("chair", Command::GrantFloor { participant: None });
    assert_eq!(m.speaker(), Some("m02"));
}

#[test]
fn the_chair_may_give_the_floor_to_anyone_who_takes_part() {
    let mut m = Meeting::started();
    m.ok("p01", Command::RaiseHand { mode: Mode::Normal });
    m.ok(
        "chair",
        Command::GrantFloor {
            participant: Some("m03".into()),
        },
    );
    m.ok("m01", Command::RaiseHand { mode: Mode::Reply });
    m.after(30 * SEC);
    let e = m.ok(
        "chair",
        Command::GrantFloor {
            participant: Some("m01".into()),
        },
    );
    assert_eq!(
        e,
        vec![
            EventKind::TurnEnded {
                participant: "m03".into(),
                reason: TurnEnd::Replaced,
                spoken_ms: 30 * SEC,
                overtime_ms: 0
            },
            EventKind::FloorGranted {
                participant: "m01".into(),
                mode: Mode::Reply,
                source: Source::Chair,
                limit_ms: 5 * MIN
            },
        ]
    );
    assert_eq!(m.queue(), ["p01"]);
    assert_eq!(
        m.rejected(
            "chair",
            Command::GrantFloor {
                participant: Some("m01".into())
            }
        )
        .code(),
        Code::Conflict
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::GrantFloor {
                participant: Some("o01".into())
            }
        )
        .code(),
        Code::Conflict
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::GrantFloor {
                participant: Some("nobody".into())
            }
        )
        .code(),
        Code::NotFound
    );
}

#[test]
fn the_turn_timer_pauses_resumes_extends_both_ways_and_counts_overtime() {
    let mut m = Meeting::started();
    m.ok("chair", Command::GrantFloor { participant: None });
    m.after(2 * MIN);
    m.ok(
        "chair",
        Command::PauseTimer {
            timer: TimerName::Floor,
        },
    );
    m.after(5 * MIN);
    m.ok(
        "chair",
        Command::ResumeTimer {
            timer: TimerName::Floor,
        },
    );
    m.ok(
        "chair",
        Command::ExtendTimer {
            timer: TimerName::Floor,
            seconds: -60,
        },
    );
    assert_eq!(m.state.floor.as_ref().unwrap().timer.limit_ms, 4 * MIN);
    m.after(3 * MIN);
    let t = m.state.floor.as_ref().unwrap().timer;
    assert_eq!(t.elapsed_at(m.now), 5 * MIN, "the pause does not count");
    assert_eq!(
        t.overtime_at(m.now),
        MIN,
        "overtime counts up past the limit"
    );
    let e = m.ok("chair", Command::EndSpeech);
    assert_eq!(
        e,
        vec![EventKind::TurnEnded {
            participant: "m01".into(),
            reason: TurnEnd::Ended,
            spoken_ms: 5 * MIN,
            overtime_ms: MIN
        }]
    );
    let turn = m.state.turns.last().unwrap();
    assert_eq!(
        (
            turn.spoken_ms,
            turn.overtime_ms,
            turn.started_ms,
            turn.ended_ms
        ),
        (5 * MIN, MIN, T0, T0 + 10 * MIN)
    );
}

#[test]
fn timers_of_a_floor_nobody_holds_do_not_exist() {
    let mut m = Meeting::started();
    assert_eq!(
        m.rejected(
            "chair",
            Command::PauseTimer {
                timer: TimerName::Floor
            }
        )
        .code(),
        Code::Conflict
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::ExtendTimer {
                timer: TimerName::Floor,
                seconds: 30
            }
        )
        .code(),
        Code::Conflict
    );
    assert_eq!(
        m.rejected("chair", Command::EndSpeech).code(),
        Code::Conflict
    );
}

#[test]
fn only_the_speaker_yields_the_floor() {
    let mut m = Meeting::started();
    m.ok("chair", Command::GrantFloor { participant: None });
    assert_eq!(
        m.rejected("m02", Command::YieldFloor).code(),
        Code::Conflict
    );
    m.after(45 * SEC);
    let e = m.ok("m01", Command::YieldFloor);
    assert!(
        matches!(&e[0], EventKind::TurnEnded { reason: TurnEnd::Yielded, spoken_ms, .. } if *spoken_ms == 45 * SEC)
    );
    assert_eq!(m.speaker(), None);
}

#[test]
fn each_step_has_its_own_turn_limit() {
    let mut m = Meeting::started();
    m.goto(0, 3);
    m.ok("m01", Command::RaiseHand { mode: Mode::Normal });
    m.ok("chair", Command::GrantFloor { participant: None });
    assert_eq!(m.state.floor.as_ref().unwrap().timer.limit_ms, 2 * MIN);
}

#[test]
fn in_a_respond_step_the_departments_representatives_are_the_registered_order() {
    let mut m = Meeting::started();
    m.goto(0, 2);
    m.ok("chair", Command::GrantFloor { participant: None });
    assert_eq!(
        m.speaker(),
        Some("d-eco"),
        "the first representative of the first department"
    );
    assert_eq!(m.state.floor.as_ref().unwrap().timer.limit_ms, 8 * MIN);
    m.ok("chair", Command::GrantFloor { participant: None });
    assert_eq!(m.speaker(), Some("d-ndrc"));
}
