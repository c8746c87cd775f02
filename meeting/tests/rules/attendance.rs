//! Attendance: the chair marks who came (present, late, left early, absent), also
//! before the meeting opens and after it closes; nobody else may.

use crate::common::*;
use xieshang_meeting::attendance::Attendance;
use xieshang_meeting::{Command, EventKind, Refusal};

fn mark(who: &str, mark: Option<Attendance>) -> Command {
    Command::MarkAttendance {
        participant: who.into(),
        mark,
    }
}

#[test]
fn the_chair_marks_attendance_before_during_and_after_the_meeting() {
    let mut m = Meeting::new();
    let e = m.ok("chair", mark("m01", Some(Attendance::Present)));
    assert!(
        matches!(e.as_slice(), [EventKind::AttendanceMarked { participant, mark: Some(Attendance::Present) }] if participant == "m01"),
        "{e:?}"
    );
    assert!(
        m.ok("chair", mark("m01", Some(Attendance::Present)))
            .is_empty(),
        "the same mark again changes nothing"
    );
    m.ok("chair", Command::StartMeeting);
    m.after(10 * MIN)
        .ok("chair", mark("m02", Some(Attendance::Late)));
    m.ok("chair", Command::CloseMeeting);
    m.ok("chair", mark("m03", Some(Attendance::Absent)));
    m.ok("chair", mark("m02", None));
    assert_eq!(m.state.attendance.get("m01"), Some(&Attendance::Present));
    assert_eq!(m.state.attendance.get("m02"), None, "a mark taken back");
    assert_eq!(m.state.attendance.get("m03"), Some(&Attendance::Absent));
}

#[test]
fn only_the_chair_marks_and_only_someone_of_the_meeting() {
    let mut m = Meeting::started();
    assert!(matches!(
        m.rejected("m01", mark("m01", Some(Attendance::Present))),
        Refusal::ChairOnly { .. }
    ));
    assert!(matches!(
        m.rejected("chair", mark("nobody", Some(Attendance::Present))),
        Refusal::NoSuchParticipant { .. }
    ));
}

#[test]
fn one_key_steps_through_every_mark_and_back() {
    let mut seen = vec![None];
    let mut at = None;
    for _ in 0..5 {
        at = Attendance::next(at);
        seen.push(at);
    }
    assert_eq!(
        seen,
        [
            None,
            Some(Attendance::Present),
            Some(Attendance::Late),
            Some(Attendance::LeftEarly),
            Some(Attendance::Absent),
            None
        ]
    );
}
