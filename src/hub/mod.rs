//! The hub: the one writer of a meeting. It decides each command, makes the events
//! durable in the journal, and only then applies them and hands them on.
//!
//! [`Hub`] is the synchronous heart; [`task`] runs it as the one task that the
//! console and every connection send their commands to.

pub mod read_back;
pub mod state_at;
pub mod task;

use crate::journal::ballots::{self, Ballots};
use crate::journal::{Entry, Journal, JournalError};
use crate::meeting::{apply, decide, Command, Ctx, Event, Plan, Refusal, State, TimerName};
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

/// Time a crash left unrecorded: from the last record to the restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unaccounted {
    /// When the last record was made (Unix ms).
    pub since_ms: u64,
    pub ms: u64,
}

pub struct Hub {
    state: State,
    journal: Journal,
    /// The choices of secret votes, kept beside the journal and never in it.
    ballots: Ballots,
}

/// A hub opened on a journal, and what opening it found.
pub struct Opened {
    pub hub: Hub,
    /// The journal's header line, as recorded when the meeting began.
    pub header: crate::journal::Header,
    /// Every event already recorded (empty for a new meeting).
    pub history: Vec<Entry>,
    /// What reopening the journal had to mend, for the log and the screen.
    pub warnings: Vec<String>,
    /// The meeting stopped with the turn's clock running and no record of
    /// when (a crash: a stop pauses it as it stops): the clock is paused as of
    /// the last record, and this much time since it is not counted.
    pub unaccounted: Option<Unaccounted>,
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
        Hub::open_accepting(plan, plan_sha256, path, now_ms, false)
    }

    /// [`Hub::open`]; with `accept_change`, a journal recorded from an earlier
    /// version of the plan resumes under this one when the change keeps every id,
    /// role and step (`plan::structural_differences`), and the change is recorded
    /// (`plan_changed`, with this file's sha256); any other change is refused,
    /// saying what differs.
    pub fn open_accepting(
        plan: Plan,
        plan_sha256: &str,
        path: &Path,
        now_ms: u64,
        accept_change: bool,
    ) -> Result<Opened, JournalError> {
        let mut opened = Journal::open_accepting(path, &plan, plan_sha256, now_ms, accept_change)?;
        // The meeting as recorded: from the journal's own plan, through every
        // event (walk-ins, earlier corrections).
        let mut recorded = opened.header.plan.clone();
        recorded.reindex();
        let mut state = State::new(Arc::new(recorded));
        let last = opened.entries.last().map_or(0, |e| e.seq);
        let (ballots, cast) = Ballots::open(path, last)?;
        for entry in &opened.entries {
            apply(
                &mut state,
                &ballots::reveal(entry.to_event(), entry.seq, &cast),
            );
        }
        if opened.plan_differs.is_some() {
            record_change(&mut opened, &mut state, &plan, plan_sha256, path, now_ms)?;
        }
        // Tokens the plan file sets are never recorded: put them back.
        let own = Arc::make_mut(&mut state.plan);
        for p in &mut own.participants {
            if let Some(q) = plan.participant(&p.id) {
                p.token = q.token.clone();
            }
        }
        let resumed = !opened.entries.is_empty();
        let mut hub = Hub {
            state,
            journal: opened.journal,
            ballots,
        };
        let mut history = opened.entries;
        let mut unaccounted = None;
        // Running: the meeting stopped without saying so (a stop pauses it).
        if hub.state.floor.as_ref().is_some_and(|f| f.timer.running) {
            let last = history.last().map_or(now_ms, |e| e.at_ms);
            unaccounted = Some(Unaccounted {
                since_ms: last,
                ms: now_ms.saturating_sub(last),
            });
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
            header: opened.header,
            history,
            warnings: opened.warnings,
            unaccounted,
            resumed,
        })
    }

    /// What a stop records (quit, SIGTERM, Ctrl-C): the turn's clock paused as
    /// the meeting stops, so the time spent is kept, and a restart finds it
    /// paused where it was. Nothing when no clock runs.
    pub fn stopping(&self) -> Option<(Option<String>, Command)> {
        self.state
            .floor
            .as_ref()
            .filter(|f| f.timer.running)
            .map(|_| {
                (
                    self.state.plan.chair().map(|c| c.id.clone()),
                    Command::PauseTimer {
                        timer: TimerName::Floor,
                    },
                )
            })
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Makes `events` durable: the choices of secret votes in the ballots beside
    /// the journal, everything else (those votes without their choices) in the
    /// journal. The entries are as journaled.
    pub(crate) fn record(&mut self, mut events: Vec<Event>) -> Result<Vec<Entry>, JournalError> {
        let first = self.journal.next_seq();
        self.ballots.take(&self.state.plan, first, &mut events)?;
        self.journal.append(events)
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
        let entries = self.record(events.clone())?;
        for event in &events {
            apply(&mut self.state, event);
        }
        Ok(entries)
    }

    /// Closes the journal cleanly.
    pub fn close(self) -> Result<(), JournalError> {
        self.journal.close()
    }
}

/// The plan file changed since the journal began and the chair accepts it: when
/// the change keeps every id, role and step, record it (`plan_changed`) and apply
/// it; otherwise refuse, naming each difference.
fn record_change(
    opened: &mut crate::journal::Opened,
    state: &mut State,
    plan: &Plan,
    plan_sha256: &str,
    path: &Path,
    now_ms: u64,
) -> Result<(), JournalError> {
    let walk_ins: Vec<_> = opened
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            crate::meeting::EventKind::ParticipantAdded { participant } => {
                state.participant(&participant.id).cloned()
            }
            _ => None,
        })
        .collect();
    let mut own = (*state.plan).clone();
    own.participants.retain(|p| !walk_ins.contains(p));
    own.reindex();
    let differences = crate::meeting::plan::structural_differences(&own, plan);
    if !differences.is_empty() {
        return Err(JournalError::PlanShapeChanged {
            path: path.to_path_buf(),
            differences,
        });
    }
    let mut next = plan.without_tokens();
    next.participants.extend(walk_ins);
    next.reindex();
    let at = opened
        .entries
        .last()
        .map_or(now_ms, |e| e.at_ms.max(now_ms));
    let entries = opened.journal.append(vec![crate::meeting::Event {
        at_ms: at,
        actor: None,
        kind: crate::meeting::EventKind::PlanChanged {
            plan_sha256: plan_sha256.to_string(),
            plan: Box::new(next),
        },
    }])?;
    for entry in &entries {
        apply(state, &entry.to_event());
    }
    opened.warnings.push(format!(
            "{}: the plan was corrected since the meeting began; recorded, and the meeting goes on under it",
            path.display()
        ));
    opened.entries.extend(entries);
    Ok(())
}
