//! A recorded meeting laid out on a timeline for playing and seeking.
//!
//! Positions are milliseconds of *replay time*: the recording's own time from its
//! first event, with every idle gap longer than the idle limit shortened to it.
//! The state at any position is the fold of the events up to it; a copy of the
//! state is kept every [`SNAPSHOT_EVERY`] events, so a seek folds at most that many
//! events from the nearest copy instead of the whole meeting. Pure: no clock, no IO.

use crate::journal::Entry;
use crate::meeting::{apply, EventKind, Plan, State};
use std::sync::Arc;

/// Events between two kept states.
pub const SNAPSHOT_EVERY: usize = 1024;

pub struct Timeline {
    plan: Arc<Plan>,
    entries: Vec<Entry>,
    /// Replay time of each entry, non-decreasing, the first at 0.
    at: Vec<u64>,
    /// `snapshots[k]` is the state after the first `k * SNAPSHOT_EVERY` events.
    snapshots: Vec<State>,
    /// Where each step begins and each turn at the floor, in replay time: the
    /// places worth jumping to.
    steps: Vec<u64>,
    turns: Vec<u64>,
}

impl Timeline {
    /// Lays out `entries` (in `seq` order) with gaps longer than `idle_limit_ms`
    /// shortened to it.
    pub fn new(plan: Arc<Plan>, entries: Vec<Entry>, idle_limit_ms: Option<u64>) -> Timeline {
        let mut at = Vec::with_capacity(entries.len());
        let mut steps = Vec::new();
        let mut turns = Vec::new();
        let mut snapshots = Vec::with_capacity(entries.len() / SNAPSHOT_EVERY + 1);
        let mut state = State::new(plan.clone());
        let mut t = 0u64;
        for (i, e) in entries.iter().enumerate() {
            if i % SNAPSHOT_EVERY == 0 {
                snapshots.push(state.clone());
            }
            if i > 0 {
                let gap = e.at_ms.saturating_sub(entries[i - 1].at_ms);
                t += idle_limit_ms.map_or(gap, |limit| gap.min(limit));
            }
            at.push(t);
            match e.event {
                EventKind::StepStarted { .. } => steps.push(t),
                EventKind::FloorGranted { .. } => turns.push(t),
                _ => {}
            }
            apply(&mut state, &e.to_event());
        }
        Timeline {
            plan,
            entries,
            at,
            snapshots,
            steps,
            turns,
        }
    }

    pub fn plan(&self) -> &Arc<Plan> {
        &self.plan
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The replay time of the last event: the length of the replay.
    pub fn total_ms(&self) -> u64 {
        self.at.last().copied().unwrap_or(0)
    }

    /// How many events have happened by `pos` (those at `pos` included).
    pub fn events_by(&self, pos: u64) -> usize {
        self.at.partition_point(|&t| t <= pos)
    }

    /// The replay time of event `i`.
    pub fn time_of(&self, i: usize) -> u64 {
        self.at.get(i).copied().unwrap_or_else(|| self.total_ms())
    }

    /// The state after the first `n` events.
    pub fn state_after(&self, n: usize) -> State {
        let n = n.min(self.entries.len());
        let k = (n / SNAPSHOT_EVERY).min(self.snapshots.len().saturating_sub(1));
        let mut state = self
            .snapshots
            .get(k)
            .cloned()
            .unwrap_or_else(|| State::new(self.plan.clone()));
        for e in &self.entries[(k * SNAPSHOT_EVERY).min(n)..n] {
            apply(&mut state, &e.to_event());
        }
        state
    }

    /// The state at replay time `pos`.
    pub fn state_at(&self, pos: u64) -> State {
        self.state_after(self.events_by(pos))
    }

    /// The recording's own clock (Unix ms) at replay time `pos`: the last event's
    /// time plus the replay time since it. Timers on screen count from it.
    pub fn clock_at(&self, pos: u64) -> u64 {
        match self.events_by(pos) {
            0 => self.entries.first().map_or(0, |e| e.at_ms),
            n => self.entries[n - 1].at_ms + (pos - self.at[n - 1]),
        }
    }

    /// Where each step begins, in replay time.
    pub fn steps(&self) -> &[u64] {
        &self.steps
    }

    /// Where the next step begins after `pos`.
    pub fn next_step(&self, pos: u64) -> Option<u64> {
        next(&self.steps, pos)
    }

    /// Where the step playing at `pos` began, or, within two seconds of that, the
    /// one before (as a player's "previous" does).
    pub fn previous_step(&self, pos: u64) -> Option<u64> {
        previous(&self.steps, pos)
    }

    pub fn next_turn(&self, pos: u64) -> Option<u64> {
        next(&self.turns, pos)
    }

    pub fn previous_turn(&self, pos: u64) -> Option<u64> {
        previous(&self.turns, pos)
    }
}

/// Pressing "previous" just after a marker goes to the one before it.
const BACK_GRACE_MS: u64 = 2_000;

fn next(markers: &[u64], pos: u64) -> Option<u64> {
    markers.iter().copied().find(|&at| at > pos)
}

fn previous(markers: &[u64], pos: u64) -> Option<u64> {
    markers
        .iter()
        .copied()
        .rev()
        .find(|&at| at + BACK_GRACE_MS <= pos)
        .or_else(|| markers.first().copied().filter(|&at| at <= pos))
}
