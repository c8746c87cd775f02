//! The hub: the one writer of a meeting. It decides each command, makes the events
//! durable in the journal, and only then applies them and hands them on.
//!
//! [`Hub`] is the synchronous heart; [`task`] runs it as the one task that the
//! console and every connection send their commands to.

pub mod state_at;
pub mod task;

use crate::journal::{Entry, Journal, JournalError};
use crate::meeting::{apply, decide, Command, Ctx, Plan, Refusal, State, TimerName};
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("{0}")]
    Refused(Refusal),
    #[error("the journal could not be written, so nothing was done: {0}")]
    Journal(#[from] JournalError),
    #[error("the meeting has stopped: its record could not be written")]
    Stopped,
}

pub struct Hub {
    state: State,
    journal: Journal,
}

/// A hub opened on a journal, and what opening it found.
pub struct Opened {
    pub hub: Hub,
    /// Every event already recorded (empty for a new meeting).
    pub history: Vec<Entry>,
    /// What reopening the journal had to mend, for the log and the screen.
    pub warnings: Vec<String>,
    /// Whether an earlier run of this meeting was resumed.
    pub resumed: bool,
}

impl Hub {
    /// Opens the meeting of `plan` on the journal at `path`, creating it or resuming
    /// it. On resuming, a running turn timer is paused as of the last recorded event,
    /// so the time the console was away does not count and the chair decides when
    /// the clock runs again.
    pub fn open(
        plan: Plan,
        plan_sha256: &str,
        path: &Path,
        now_ms: u64,
    ) -> Result<Opened, JournalError> {
        let opened = Journal::open_or_create(path, &plan, plan_sha256, now_ms)?;
        let mut state = State::new(Arc::new(plan));
        for entry in &opened.entries {
            apply(&mut state, &entry.to_event());
        }
        let resumed = !opened.entries.is_empty();
        let mut hub = Hub {
            state,
            journal: opened.journal,
        };
        let mut history = opened.entries;
        if hub.state.floor.as_ref().is_some_and(|f| f.timer.running) {
            let last = history.last().map_or(now_ms, |e| e.at_ms);
            let chair = hub.state.plan.chair().map(|c| c.id.clone());
            if let Ok(entries) = hub.submit(
                chair.as_deref(),
                Command::PauseTimer {
                    timer: TimerName::Floor,
                },
                last,
            ) {
                history.extend(entries);
            }
        }
        Ok(Opened {
            hub,
            history,
            warnings: opened.warnings,
            resumed,
        })
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub(crate) fn journal_mut(&mut self) -> &mut Journal {
        &mut self.journal
    }

    pub(crate) fn state_mut(&mut self) -> &mut State {
        &mut self.state
    }

    /// Decides, journals (fsync), applies. The entries returned are durable.
    pub fn submit(
        &mut self,
        actor: Option<&str>,
        command: Command,
        now_ms: u64,
    ) -> Result<Vec<Entry>, HubError> {
        let ctx = Ctx { now_ms, actor };
        let events = decide(&self.state, command, ctx).map_err(HubError::Refused)?;
        let entries = self.journal.append(events)?;
        for entry in &entries {
            apply(&mut self.state, &entry.to_event());
        }
        Ok(entries)
    }

    /// Closes the journal cleanly.
    pub fn close(self) -> Result<(), JournalError> {
        self.journal.close()
    }
}
