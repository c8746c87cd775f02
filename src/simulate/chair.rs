//! The automatic chair of `xieshang simulate` and `xieshang demo --auto`: a pure
//! policy ([`next_move`]) that looks at the meeting and says what a chair would do
//! next, and when. It starts the meeting, gives the floor in the registered order
//! and then to the queue, ends a turn when its time is up, opens the evaluation and
//! closes it when the votes stop coming, moves on when nobody is left to speak, and
//! closes the meeting after the last step.

use crate::meeting::plan::PollPlan;
use crate::meeting::poll::Poll;
use crate::meeting::{Command, State, Status};

/// A chair's pause between one thing and the next (meeting time).
pub const PAUSE_MS: u64 = 5_000;
/// How long a step stays quiet (no event) before the chair moves on.
pub const QUIET_MS: u64 = 30_000;
/// How long an open poll stays quiet before the chair closes it, when not
/// everyone present who may vote has voted.
pub const POLL_QUIET_MS: u64 = 60_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Move {
    /// Do this now.
    Do(Command),
    /// Nothing yet: look again in this much meeting time (or at the next event).
    Wait(u64),
    /// The meeting is closed.
    Done,
}

/// What the chair does at `now`, when the last event happened at `last_event`.
pub fn next_move(state: &State, now: u64, last_event: u64) -> Move {
    let since = now.saturating_sub(last_event);
    let pause = |then: Command| {
        if since >= PAUSE_MS {
            Move::Do(then)
        } else {
            Move::Wait(PAUSE_MS - since)
        }
    };
    match state.status {
        Status::Closed => return Move::Done,
        Status::NotStarted => return pause(Command::StartMeeting),
        Status::Running => {}
    }
    if let Some(floor) = &state.floor {
        if !floor.timer.running {
            return Move::Wait(QUIET_MS);
        }
        return match floor.timer.remaining_at(now) {
            0 => Move::Do(Command::EndSpeech),
            left => Move::Wait(left),
        };
    }
    let Some(step) = state.step() else {
        // Running with no step is not a state the core makes; start the agenda.
        return pause(Command::GotoStep { item: 0, step: 0 });
    };
    if step.kind.traits().poll {
        if let Some(poll) = &step.poll {
            match state.polls.get(&poll.id) {
                None => {
                    return pause(Command::OpenPoll {
                        poll: poll.id.clone(),
                    })
                }
                Some(p) if p.open => {
                    return if since >= POLL_QUIET_MS || everyone_voted(state, poll, p) {
                        Move::Do(Command::ClosePoll {
                            poll: poll.id.clone(),
                        })
                    } else {
                        Move::Wait(POLL_QUIET_MS - since)
                    };
                }
                Some(_) => {}
            }
        }
    }
    if state.next_speaker().is_some() {
        return pause(Command::GrantFloor { participant: None });
    }
    if let Some(review) = &step.review {
        if let Some(then) = review_move(state, review, now) {
            return pause(then);
        }
    }
    if since < QUIET_MS {
        return Move::Wait(QUIET_MS - since);
    }
    let last = state
        .position
        .and_then(|p| state.plan.ordinal(p))
        .is_some_and(|o| o + 1 == state.plan.positions().len());
    Move::Do(if last {
        Command::CloseMeeting
    } else {
        Command::NextStep
    })
}

/// 回头看: once the called item's department has reported, what stands is
/// recorded (by the item's place in the list, so a demo shows each outcome:
/// delivered, in progress for another month, not delivered); once its asker
/// had a moment to rate a delivered one, the next item is called. `None` when
/// every item is done.
fn review_move(
    state: &State,
    review: &crate::meeting::review::ReviewPlan,
    now: u64,
) -> Option<Command> {
    use crate::meeting::followups::Date;
    use crate::meeting::review::Outcome;
    let current = state.reviews.current.as_deref();
    if let Some(id) = current {
        let recorded = state.reviews.items.get(id).and_then(|r| r.outcome);
        if recorded.is_none() {
            let i = review.found.iter().position(|x| x.id == id).unwrap_or(0);
            let zh = state.plan.meeting.language == crate::meeting::plan::Language::Zh;
            let (outcome, note) = match i % 3 {
                0 => (
                    Outcome::Delivered,
                    if zh {
                        "部门报告已按承诺办理"
                    } else {
                        "done as promised, the department reports"
                    },
                ),
                1 => (
                    Outcome::InProgress,
                    if zh {
                        "正在办理，部门承诺一个月内办结"
                    } else {
                        "in progress, due within a month"
                    },
                ),
                _ => (
                    Outcome::NotDelivered,
                    if zh {
                        "尚未落实"
                    } else {
                        "not yet delivered"
                    },
                ),
            };
            let due =
                (outcome == Outcome::InProgress).then(|| Date::of_ms(now, 8 * 3600).add_months(1));
            return Some(Command::ReviewRecord {
                item: id.to_string(),
                outcome,
                due,
                note: Some(note.to_string()),
            });
        }
    }
    review
        .found
        .iter()
        .find(|x| !state.reviews.items.contains_key(&x.id))
        .map(|x| Command::ReviewCall { item: x.id.clone() })
}

/// Whether everyone present who may vote has voted on every target.
fn everyone_voted(state: &State, plan: &PollPlan, poll: &Poll) -> bool {
    let voters: Vec<&str> = state
        .online
        .iter()
        .filter(|id| {
            state
                .participant(id)
                .is_some_and(|p| plan.roles.contains(&p.role))
        })
        .map(String::as_str)
        .collect();
    let targets: Vec<Option<&str>> = if plan.targets.is_empty() {
        vec![None]
    } else {
        plan.targets.iter().map(|t| Some(t.as_str())).collect()
    };
    !voters.is_empty()
        && voters
            .iter()
            .all(|v| targets.iter().all(|t| poll.vote(*t, v).is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::scenario::parse_plan;
    use crate::meeting::{execute, Ctx};
    use std::sync::Arc;

    const PLAN: &str = include_str!("../../scenarios/huishang-supervision.toml");

    /// Runs the policy alone (nobody else acts) and returns the commands it gave.
    fn alone() -> (State, Vec<&'static str>) {
        let plan = Arc::new(parse_plan("huishang.toml", PLAN).unwrap());
        let mut state = State::new(plan);
        let (mut now, mut last) = (1_000_000u64, 1_000_000u64);
        let mut done = Vec::new();
        for _ in 0..1_000 {
            match next_move(&state, now, last) {
                Move::Done => return (state, done),
                Move::Wait(ms) => now += ms,
                Move::Do(c) => {
                    done.push(c.name());
                    let events = execute(&mut state, c, Ctx::by("chair", now)).unwrap();
                    if !events.is_empty() {
                        last = now;
                    }
                }
            }
        }
        panic!("the chair never finished: {done:?}");
    }

    #[test]
    fn the_poll_closes_as_soon_as_everyone_present_has_voted() {
        let plan = Arc::new(parse_plan("huishang.toml", PLAN).unwrap());
        let mut state = State::new(plan);
        let t = 1_000_000;
        let by = |who: &'static str| Ctx::by(who, t);
        execute(&mut state, Command::StartMeeting, by("chair")).unwrap();
        execute(
            &mut state,
            Command::GotoStep { item: 0, step: 4 },
            by("chair"),
        )
        .unwrap();
        for who in ["p01", "m01"] {
            let online = Command::SetPresence {
                participant: who.into(),
                online: true,
            };
            execute(&mut state, online, Ctx::server(t)).unwrap();
        }
        let open = Command::OpenPoll {
            poll: "rating".into(),
        };
        execute(&mut state, open, by("chair")).unwrap();
        let close = Move::Do(Command::ClosePoll {
            poll: "rating".into(),
        });
        for who in ["p01", "m01"] {
            for target in ["housing", "fangguan", "market"] {
                assert_ne!(
                    next_move(&state, t + 1, t),
                    close,
                    "{who} has not voted yet"
                );
                let vote = Command::Vote {
                    poll: "rating".into(),
                    choice: "满意".into(),
                    target: Some(target.into()),
                };
                execute(&mut state, vote, by(who)).unwrap();
            }
        }
        assert_eq!(next_move(&state, t + 1, t), close, "all present have voted");
    }

    #[test]
    fn on_its_own_the_chair_runs_the_agenda_through_to_the_close() {
        let (state, done) = alone();
        assert_eq!(state.status, Status::Closed);
        assert_eq!(done.first(), Some(&"start_meeting"));
        assert_eq!(done.last(), Some(&"close_meeting"));
        // Every registered speaker had the floor to their limit.
        assert_eq!(state.turns.len(), 3 + 3 + 3 + 2);
        assert!(state.turns.iter().all(|t| t.overtime_ms == 0));
        assert_eq!(done.iter().filter(|c| **c == "open_poll").count(), 1);
        assert_eq!(done.iter().filter(|c| **c == "close_poll").count(), 1);
    }
}
