//! Given/when/then over the meeting core, with fixed times: a meeting of the
//! test plan (`meeting/tests/plan.toml`), its clock, and every event so far.
//! The top crate's `tests/common` has the same helpers, and there a refusal is
//! also said in both languages (`xieshang::lang`, which the core cannot reach).

use std::sync::Arc;
use xieshang_meeting::scenario::parse_plan;
use xieshang_meeting::{execute, Command, Ctx, Event, EventKind, Plan, Refusal, State};

/// A small meeting with every role, two departments, and every kind of step
/// but review.
pub const PLAN: &str = include_str!("../plan.toml");

pub const T0: u64 = 1_795_000_000_000;
pub const SEC: u64 = 1_000;
pub const MIN: u64 = 60_000;

pub fn plan() -> Arc<Plan> {
    Arc::new(parse_plan("test.toml", PLAN).expect("the test plan is valid"))
}

/// A meeting under test: its state, the clock, and every event so far.
pub struct Meeting {
    pub state: State,
    pub now: u64,
    pub events: Vec<Event>,
}

impl Meeting {
    /// Given a meeting that has not started, at T0.
    pub fn new() -> Meeting {
        Meeting {
            state: State::new(plan()),
            now: T0,
            events: Vec::new(),
        }
    }

    /// Given a meeting the chair started at T0.
    pub fn started() -> Meeting {
        let mut m = Meeting::new();
        m.ok("chair", Command::StartMeeting);
        m
    }

    /// Moves the clock forward.
    pub fn after(&mut self, ms: u64) -> &mut Meeting {
        self.now += ms;
        self
    }

    pub fn try_by(&mut self, actor: &str, command: Command) -> Result<Vec<EventKind>, Refusal> {
        let events = execute(&mut self.state, command, Ctx::by(actor, self.now))?;
        let kinds = events.iter().map(|e| e.kind.clone()).collect();
        self.events.extend(events);
        Ok(kinds)
    }

    /// When `actor` does `command`, then it is accepted: returns the events.
    pub fn ok(&mut self, actor: &str, command: Command) -> Vec<EventKind> {
        let c = format!("{command:?}");
        self.try_by(actor, command)
            .unwrap_or_else(|r| panic!("{actor} {c} was rejected: {r}"))
    }

    /// When `actor` does `command`, then it is rejected and nothing changes.
    pub fn rejected(&mut self, actor: &str, command: Command) -> Refusal {
        let before = self.state.clone();
        let c = format!("{command:?}");
        let r = match self.try_by(actor, command) {
            Ok(events) => panic!("{actor} {c} was accepted: {events:?}"),
            Err(r) => r,
        };
        assert_eq!(self.state, before, "a rejected command changed the state");
        r
    }

    pub fn queue(&self) -> Vec<&str> {
        self.state
            .queue
            .entries
            .iter()
            .map(|e| e.participant.as_str())
            .collect()
    }

    pub fn speaker(&self) -> Option<&str> {
        self.state.speaker()
    }

    pub fn goto(&mut self, item: usize, step: usize) {
        self.ok("chair", Command::GotoStep { item, step });
    }
}
