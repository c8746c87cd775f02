//! The meeting core: the plan, commands, events, the state, and the two functions
//! everything else is built on:
//!
//! - [`decide`]`(&State, Command, Ctx{now, actor}) -> Result<Vec<Event>, Refusal>`
//! - [`apply`]`(&mut State, &Event)`
//!
//! It is pure: no tokio, no terminal, no file or network IO, no clock. Time comes in
//! as an argument, so a live meeting and the replay of its journal reach the same
//! state, and tests use fixed times.

pub mod apply;
pub mod attendance;
pub mod command;
pub mod decide;
pub mod duration;
pub mod event;
pub mod floor;
pub mod followups;
pub mod plan;
pub mod poll;
pub mod question;
pub mod queue;
pub mod refusal;
pub mod review;
pub mod roster;
pub mod scenario;
pub mod screen;
pub mod secret;
pub mod snapshot;
pub mod state;
pub mod stats;
pub mod text;
pub mod timer;
pub mod topics;

pub use apply::apply;
pub use command::{Answer, Command, Mode, TimerName};
pub use decide::{decide, Ctx};
pub use event::{Event, EventKind, Source, TurnEnd};
pub use plan::{Plan, Position, Role, StepKind};
pub use refusal::{Code, Refusal, TextField};
pub use screen::Screen;
pub use state::{State, Status};

/// Folds events into a fresh state: what a replay of a journal does.
pub fn replay(plan: std::sync::Arc<Plan>, events: impl IntoIterator<Item = Event>) -> State {
    let mut state = State::new(plan);
    for e in events {
        apply(&mut state, &e);
    }
    state
}

/// Decides and, on success, applies: the step a live meeting takes per command.
pub fn execute(state: &mut State, command: Command, ctx: Ctx<'_>) -> Result<Vec<Event>, Refusal> {
    let events = decide(state, command, ctx)?;
    for e in &events {
        apply(state, e);
    }
    Ok(events)
}
