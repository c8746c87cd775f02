//! A realistic stream of commands that are all accepted, for the benchmarks: hands
//! raised in every mode, the floor granted and taken back, timers extended and
//! paused, questions put and answered. Shared by the benches with `#[path]`.
#![allow(dead_code)]

use std::sync::Arc;
use xieshang::meeting::scenario::parse_plan;
use xieshang::meeting::{execute, Answer, Command, Ctx, Event, Mode, Plan, State, TimerName};

pub const SCENARIO: &str = include_str!("../scenarios/standing-committee-supervision.toml");
pub const T0: u64 = 1_795_000_000_000;

pub fn plan() -> Arc<Plan> {
    Arc::new(parse_plan("standing-committee-supervision.toml", SCENARIO).expect("bundled scenario"))
}

/// A meeting started and moved to its open discussion, at T0.
pub fn started() -> State {
    let mut state = State::new(plan());
    execute(&mut state, Command::StartMeeting, Ctx::by("chair", T0)).unwrap();
    execute(
        &mut state,
        Command::GotoStep { item: 0, step: 3 },
        Ctx::by("chair", T0),
    )
    .unwrap();
    state
}

/// One round: fourteen commands, sixteen events.
pub fn round(n: u64) -> Vec<(&'static str, Command)> {
    let q = format!("q{}", n + 1);
    vec![
        ("m01", Command::RaiseHand { mode: Mode::Normal }),
        (
            "m02",
            Command::RaiseHand {
                mode: Mode::PointOfOrder,
            },
        ),
        ("chair", Command::GrantFloor { participant: None }),
        ("m03", Command::RaiseHand { mode: Mode::Reply }),
        ("chair", Command::GrantFloor { participant: None }),
        (
            "chair",
            Command::ExtendTimer {
                timer: TimerName::Floor,
                seconds: 60,
            },
        ),
        (
            "m04",
            Command::SubmitQuestion {
                department: "eco".into(),
                text: "苏州河沿岸生态廊道何时全线贯通？".into(),
                asker: None,
            },
        ),
        (
            "d-eco",
            Command::AnswerQuestion {
                question: q,
                status: Answer::FollowUp,
                note: Some("会后书面答复".into()),
                seen_answers: None,
            },
        ),
        ("m03", Command::YieldFloor),
        ("chair", Command::GrantFloor { participant: None }),
        (
            "chair",
            Command::PauseTimer {
                timer: TimerName::Floor,
            },
        ),
        (
            "chair",
            Command::ResumeTimer {
                timer: TimerName::Floor,
            },
        ),
        ("m05", Command::RaiseHand { mode: Mode::Normal }),
        ("chair", Command::GrantFloor { participant: None }),
    ]
}

/// Runs `rounds` rounds on `state`, one second apart, returning the events.
pub fn run(state: &mut State, rounds: u64) -> Vec<Event> {
    let mut events = Vec::new();
    let mut now = T0;
    for n in 0..rounds {
        for (actor, command) in round(n) {
            now += 1_000;
            events.extend(
                execute(state, command, Ctx::by(actor, now)).expect("the workload is accepted"),
            );
        }
        // The last speaker of the round ends so the next round starts alike.
        now += 1_000;
        events.extend(execute(state, Command::EndSpeech, Ctx::by("chair", now)).unwrap());
    }
    events
}
