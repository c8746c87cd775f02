use crate::common::*;
use xieshang_meeting::{Code, Command, EventKind, Mode, Refusal};

fn raise(m: &mut Meeting, who: &str, mode: Mode) {
    m.ok(who, Command::RaiseHand { mode });
}

#[test]
fn points_of_order_then_replies_then_the_rest_each_first_come_first_served() {
    let mut m = Meeting::started();
    m.ok("chair", Command::GrantFloor { participant: None });
    raise(&mut m, "m02", Mode::Normal);
    raise(&mut m, "m03", Mode::Reply);
    raise(&mut m, "x01", Mode::PointOfOrder);
    raise(&mut m, "p01", Mode::Reply);
    raise(&mut m, "d-eco", Mode::PointOfOrder);
    assert_eq!(m.queue(), ["x01", "d-eco", "m03", "p01", "m02"]);
}

#[test]
fn a_hand_is_raised_once_and_withdrawn_once() {
    let mut m = Meeting::started();
    raise(&mut m, "m02", Mode::Normal);
    let r = m.rejected(
        "m02",
        Command::RaiseHand {
            mode: Mode::PointOfOrder,
        },
    );
    assert_eq!((r.code(), r), (Code::Conflict, Refusal::HandAlreadyRaised));
    assert_eq!(
        m.ok("m02", Command::WithdrawHand),
        vec![EventKind::HandWithdrawn {
            participant: "m02".into()
        }]
    );
    assert_eq!(
        m.rejected("m02", Command::WithdrawHand).code(),
        Code::Conflict
    );
    assert!(m.queue().is_empty());
}

#[test]
fn the_speaker_cannot_queue_and_nobody_replies_to_silence() {
    let mut m = Meeting::started();
    assert_eq!(
        m.rejected("m02", Command::RaiseHand { mode: Mode::Reply })
            .code(),
        Code::Conflict
    );
    m.ok(
        "chair",
        Command::GrantFloor {
            participant: Some("m02".into()),
        },
    );
    assert_eq!(
        m.rejected("m02", Command::RaiseHand { mode: Mode::Normal })
            .code(),
        Code::Conflict
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::QueueAdd {
                participant: "m02".into(),
                mode: Mode::Normal
            }
        )
        .code(),
        Code::Conflict
    );
}

#[test]
fn a_closed_queue_refuses_hands_but_not_the_chair() {
    let mut m = Meeting::started();
    m.ok("chair", Command::CloseQueue);
    assert!(!m.state.queue.open);
    assert_eq!(
        m.rejected("chair", Command::CloseQueue).code(),
        Code::Conflict
    );
    let r = m.rejected("m02", Command::RaiseHand { mode: Mode::Normal });
    assert_eq!(r, Refusal::QueueClosed);
    m.ok(
        "chair",
        Command::QueueAdd {
            participant: "m02".into(),
            mode: Mode::Normal,
        },
    );
    assert_eq!(m.queue(), ["m02"]);
    m.ok("chair", Command::OpenQueue);
    assert_eq!(
        m.rejected("chair", Command::OpenQueue).code(),
        Code::Conflict
    );
    raise(&mut m, "m03", Mode::Normal);
    assert_eq!(m.queue(), ["m02", "m03"]);
}

#[test]
fn the_chair_adds_removes_and_moves_people() {
    let mut m = Meeting::started();
    for who in ["m01", "m02", "m03"] {
        m.ok(
            "chair",
            Command::QueueAdd {
                participant: who.into(),
                mode: Mode::Normal,
            },
        );
    }
    m.ok(
        "chair",
        Command::QueueAdd {
            participant: "x01".into(),
            mode: Mode::PointOfOrder,
        },
    );
    assert_eq!(m.queue(), ["x01", "m01", "m02", "m03"]);
    m.ok(
        "chair",
        Command::QueueMove {
            participant: "m03".into(),
            position: 0,
        },
    );
    assert_eq!(m.queue(), ["m03", "x01", "m01", "m02"]);
    m.ok(
        "chair",
        Command::QueueMove {
            participant: "m03".into(),
            position: 99,
        },
    );
    assert_eq!(
        m.queue(),
        ["x01", "m01", "m02", "m03"],
        "a position past the end means last"
    );
    assert!(m
        .ok(
            "chair",
            Command::QueueMove {
                participant: "m03".into(),
                position: 3
            }
        )
        .is_empty());
    m.ok(
        "chair",
        Command::QueueRemove {
            participant: "m01".into(),
        },
    );
    assert_eq!(m.queue(), ["x01", "m02", "m03"]);
    assert_eq!(
        m.rejected(
            "chair",
            Command::QueueRemove {
                participant: "m01".into()
            }
        )
        .code(),
        Code::Conflict
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::QueueRemove {
                participant: "zz".into()
            }
        )
        .code(),
        Code::NotFound
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::QueueMove {
                participant: "m01".into(),
                position: 0
            }
        )
        .code(),
        Code::Conflict
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::QueueAdd {
                participant: "m02".into(),
                mode: Mode::Normal
            }
        )
        .code(),
        Code::Conflict
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::QueueAdd {
                participant: "o01".into(),
                mode: Mode::Normal
            }
        )
        .code(),
        Code::Conflict
    );
}

#[test]
fn after_a_move_a_new_request_still_joins_behind_its_own_mode() {
    let mut m = Meeting::started();
    m.ok("chair", Command::GrantFloor { participant: None });
    raise(&mut m, "m02", Mode::Normal);
    raise(&mut m, "x01", Mode::PointOfOrder);
    m.ok(
        "chair",
        Command::QueueMove {
            participant: "x01".into(),
            position: 1,
        },
    );
    raise(&mut m, "p01", Mode::PointOfOrder);
    assert_eq!(m.queue(), ["m02", "x01", "p01"]);
}

#[test]
fn the_queue_remembers_when_each_person_asked() {
    let mut m = Meeting::started();
    m.after(10 * SEC);
    raise(&mut m, "m02", Mode::Normal);
    assert_eq!(m.state.queue.get("m02").unwrap().since_ms, T0 + 10 * SEC);
}
