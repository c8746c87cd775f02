//! Given/when/then helpers over the meeting core, with fixed times.

pub mod broadcast;
pub mod browser;
pub mod corpus;
pub mod hostile;
pub mod meeting;
pub mod nats;
pub mod qr;
pub mod room;
pub mod serve;
pub mod tmux;

use std::sync::Arc;
use xieshang::meeting::plan::Language;
use xieshang::meeting::scenario::parse_plan;
use xieshang::meeting::{execute, Command, Ctx, Event, EventKind, Plan, Refusal, State};

/// A small meeting with every role, two departments, and every kind of step but
/// review; the core's rules tests hold the same plan (`meeting/tests/plan.toml`).
pub const PLAN: &str = include_str!("../../meeting/tests/plan.toml");

/// The bundled scenarios (`scenarios/*.toml`), in order.
pub fn bundled_scenarios() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

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
        for lang in [Language::Zh, Language::En] {
            let sentence = xieshang::lang::refusal::sentence(&r, lang, &self.state.plan);
            assert!(!sentence.is_empty(), "a refusal is said in {lang:?}");
        }
        r
    }
}
pub mod recorded;
pub mod screen;
