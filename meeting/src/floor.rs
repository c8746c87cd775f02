//! The floor (发言权 / 话筒): who speaks now, and the record of every turn.

use super::command::Mode;
use super::event::{Source, TurnEnd};
use super::plan::Position;
use super::timer::Timer;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Floor {
    pub speaker: String,
    pub mode: Mode,
    pub source: Source,
    pub timer: Timer,
    pub since_ms: u64,
}

/// One finished turn at the floor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub participant: String,
    pub mode: Mode,
    pub at: Option<Position>,
    pub started_ms: u64,
    pub ended_ms: u64,
    /// Time on the clock (pauses excluded).
    pub spoken_ms: u64,
    pub overtime_ms: u64,
    pub reason: TurnEnd,
}
