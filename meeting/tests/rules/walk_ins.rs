//! Walk-ins: the chair adds someone the plan did not list; they take part as anyone
//! of their role would, and the record holds them (never a token).

use crate::common::*;
use xieshang_meeting::{Code, Command, EventKind, Mode, Refusal, Role};

fn walk_in(name: &str, role: Role, department: Option<&str>) -> Command {
    Command::AddParticipant {
        name: name.into(),
        role,
        sector: Some("  社区居民 ".into()),
        department: department.map(String::from),
    }
}

#[test]
fn a_walk_in_is_numbered_recorded_and_takes_part_like_anyone_of_their_role() {
    let mut m = Meeting::new();
    // Before the meeting opens too: people arrive early.
    let e = m.ok("chair", walk_in(" 王大爷 ", Role::Public, None));
    let [EventKind::ParticipantAdded { participant: p }] = e.as_slice() else {
        panic!("{e:?}");
    };
    assert_eq!(
        (
            p.id.as_str(),
            p.name.as_str(),
            p.sector.as_deref(),
            &p.token
        ),
        ("guest1", "王大爷", Some("社区居民"), &None),
        "trimmed, numbered, never a token"
    );
    m.ok("chair", Command::StartMeeting);
    m.ok("chair", walk_in("李工", Role::Department, Some("eco")));
    assert_eq!(
        m.state.participant("guest2").map(|p| p.role),
        Some(Role::Department)
    );
    // They act as their role does: a hand, a question answered for their department.
    m.ok("guest1", Command::RaiseHand { mode: Mode::Normal });
    assert_eq!(m.queue(), ["guest1"]);
    let events = m.ok(
        "guest1",
        Command::SubmitQuestion {
            department: "eco".into(),
            text: "河道何时清淤？".into(),
            asker: None,
        },
    );
    let Some(EventKind::QuestionSubmitted { question, .. }) = events.first() else {
        panic!("{events:?}");
    };
    m.ok(
        "guest2",
        Command::AnswerQuestion {
            question: question.clone(),
            status: xieshang_meeting::Answer::Answered,
            note: None,
            seen_answers: None,
        },
    );
    // A replay of what was recorded reaches the same state, walk-ins included.
    let replayed = xieshang_meeting::replay(plan(), m.events.clone());
    assert_eq!(replayed, m.state);
}

#[test]
fn a_walk_in_needs_a_name_a_role_other_than_chair_and_a_real_department() {
    let mut m = Meeting::started();
    assert_eq!(
        m.rejected("chair", walk_in("  ", Role::Member, None))
            .code(),
        Code::BadRequest
    );
    assert_eq!(
        m.rejected("chair", walk_in("\u{1b}[2J", Role::Member, None))
            .code(),
        Code::BadRequest
    );
    assert_eq!(
        m.rejected("chair", walk_in(&"名".repeat(101), Role::Member, None))
            .code(),
        Code::BadRequest
    );
    assert_eq!(
        m.rejected("chair", walk_in("新主席", Role::Chair, None)),
        Refusal::WalkInCannotChair
    );
    assert_eq!(
        m.rejected("chair", walk_in("李工", Role::Department, None)),
        Refusal::DepartmentRequired
    );
    assert_eq!(
        m.rejected("chair", walk_in("李工", Role::Department, Some("nope")))
            .code(),
        Code::NotFound
    );
    // Only the chair adds people.
    assert_eq!(
        m.rejected("m01", walk_in("朋友", Role::Public, None))
            .code(),
        Code::Forbidden
    );
    // A department given for another role is not kept: only representatives speak for one.
    m.ok("chair", walk_in("赵委员", Role::Member, Some("eco")));
    assert_eq!(
        m.state
            .participant("guest1")
            .and_then(|p| p.department.clone()),
        None
    );
}
