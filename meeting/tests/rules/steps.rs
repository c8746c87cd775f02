use crate::common::*;
use xieshang_meeting::{Code, Command, EventKind, Position, Refusal, Status, TimerName};

#[test]
fn starting_the_meeting_opens_the_first_step_with_its_planned_time() {
    let mut m = Meeting::new();
    let events = m.ok("chair", Command::StartMeeting);
    assert_eq!(
        events,
        vec![
            EventKind::MeetingStarted,
            EventKind::StepStarted {
                item: 0,
                step: 0,
                limit_ms: 10 * MIN,
                elapsed_ms: 0
            }
        ]
    );
    assert_eq!(m.state.status, Status::Running);
    assert_eq!(m.state.position, Some(Position { item: 0, step: 0 }));
    assert_eq!(m.state.started_ms, Some(T0));
}

#[test]
fn nothing_happens_before_the_start_and_the_start_happens_once() {
    let mut m = Meeting::new();
    assert_eq!(
        m.rejected("chair", Command::NextStep).code(),
        Code::Conflict
    );
    assert_eq!(
        m.rejected(
            "m01",
            Command::RaiseHand {
                mode: Default::default()
            }
        )
        .code(),
        Code::Conflict
    );
    m.ok("chair", Command::StartMeeting);
    assert_eq!(
        m.rejected("chair", Command::StartMeeting).code(),
        Code::Conflict
    );
}

#[test]
fn next_and_previous_walk_the_agenda_across_items() {
    let mut m = Meeting::started();
    for expected in [(0, 1), (0, 2), (0, 3), (1, 0)] {
        m.ok("chair", Command::NextStep);
        assert_eq!(
            m.state.position,
            Some(Position {
                item: expected.0,
                step: expected.1
            })
        );
    }
    let r = m.rejected("chair", Command::NextStep);
    assert_eq!(r.code(), Code::Conflict);
    assert_eq!(r, Refusal::LastStep);
    m.ok("chair", Command::PreviousStep);
    assert_eq!(m.state.position, Some(Position { item: 0, step: 3 }));
    m.goto(0, 0);
    assert_eq!(
        m.rejected("chair", Command::PreviousStep).code(),
        Code::Conflict
    );
}

#[test]
fn goto_jumps_to_any_step_and_refuses_steps_that_do_not_exist() {
    let mut m = Meeting::started();
    m.goto(1, 0);
    assert_eq!(m.state.position, Some(Position { item: 1, step: 0 }));
    assert_eq!(
        m.rejected("chair", Command::GotoStep { item: 1, step: 1 })
            .code(),
        Code::NotFound
    );
    assert_eq!(
        m.rejected("chair", Command::GotoStep { item: 7, step: 0 })
            .code(),
        Code::NotFound
    );
    assert!(
        m.ok("chair", Command::GotoStep { item: 1, step: 0 })
            .is_empty(),
        "going where we are is a no-op"
    );
}

#[test]
fn the_step_timer_counts_pauses_extends_and_runs_into_overtime() {
    let mut m = Meeting::started();
    m.after(4 * MIN);
    m.ok(
        "chair",
        Command::PauseTimer {
            timer: TimerName::Step,
        },
    );
    m.after(10 * MIN);
    let t = m.state.step_timer.unwrap();
    assert_eq!(
        t.elapsed_at(m.now),
        4 * MIN,
        "a paused step timer stands still"
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::PauseTimer {
                timer: TimerName::Step
            }
        )
        .code(),
        Code::Conflict
    );
    m.ok(
        "chair",
        Command::ResumeTimer {
            timer: TimerName::Step,
        },
    );
    assert_eq!(
        m.rejected(
            "chair",
            Command::ResumeTimer {
                timer: TimerName::Step
            }
        )
        .code(),
        Code::Conflict
    );
    m.ok(
        "chair",
        Command::ExtendTimer {
            timer: TimerName::Step,
            seconds: 60,
        },
    );
    assert_eq!(m.state.step_timer.unwrap().limit_ms, 11 * MIN);
    m.ok(
        "chair",
        Command::ExtendTimer {
            timer: TimerName::Step,
            seconds: -120,
        },
    );
    assert_eq!(m.state.step_timer.unwrap().limit_ms, 9 * MIN);
    m.after(6 * MIN);
    let t = m.state.step_timer.unwrap();
    assert_eq!(t.elapsed_at(m.now), 10 * MIN);
    assert_eq!(
        t.overtime_at(m.now),
        MIN,
        "past the limit the step runs into overtime"
    );
}

#[test]
fn an_extension_of_zero_or_more_than_a_day_is_a_bad_request() {
    let mut m = Meeting::started();
    for seconds in [0, 86_401, -86_401] {
        let r = m.rejected(
            "chair",
            Command::ExtendTimer {
                timer: TimerName::Step,
                seconds,
            },
        );
        assert_eq!(r.code(), Code::BadRequest);
    }
}

#[test]
fn revisiting_a_step_continues_its_clock_and_records_actual_time() {
    let mut m = Meeting::started();
    m.after(3 * MIN);
    m.ok("chair", Command::NextStep);
    assert_eq!(
        m.state.step_time(Position { item: 0, step: 0 }, m.now),
        3 * MIN
    );
    m.after(MIN);
    let events = m.ok("chair", Command::PreviousStep);
    assert!(events.contains(&EventKind::StepStarted {
        item: 0,
        step: 0,
        limit_ms: 10 * MIN,
        elapsed_ms: 3 * MIN
    }));
    m.after(2 * MIN);
    assert_eq!(
        m.state.step_time(Position { item: 0, step: 0 }, m.now),
        5 * MIN
    );
    assert_eq!(m.state.step_time(Position { item: 0, step: 1 }, m.now), MIN);
}

#[test]
fn changing_step_ends_the_turn_at_the_floor() {
    let mut m = Meeting::started();
    m.ok("chair", Command::GrantFloor { participant: None });
    m.after(MIN);
    let events = m.ok("chair", Command::NextStep);
    assert!(
        matches!(&events[0], EventKind::TurnEnded { participant, spoken_ms, .. } if participant == "m01" && *spoken_ms == MIN)
    );
    assert_eq!(m.speaker(), None);
}

#[test]
fn closing_the_meeting_ends_everything_and_refuses_what_follows() {
    let mut m = Meeting::started();
    m.goto(1, 0);
    m.ok(
        "chair",
        Command::OpenPoll {
            poll: "rating".into(),
        },
    );
    m.ok(
        "chair",
        Command::GrantFloor {
            participant: Some("x01".into()),
        },
    );
    m.after(MIN);
    let events = m.ok("chair", Command::CloseMeeting);
    let names: Vec<&str> = events.iter().map(|e| e.name()).collect();
    assert_eq!(
        names,
        ["turn_ended", "poll_closed", "step_ended", "meeting_closed"]
    );
    assert_eq!(m.state.status, Status::Closed);
    assert_eq!(m.state.position, None);
    assert_eq!(
        m.rejected("chair", Command::CloseMeeting).code(),
        Code::Conflict
    );
    assert_eq!(
        m.rejected(
            "m01",
            Command::RaiseHand {
                mode: Default::default()
            }
        )
        .code(),
        Code::Conflict
    );
}
