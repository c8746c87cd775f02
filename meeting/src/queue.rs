//! The speaker queue (发言排队): points of order first, then direct replies, then
//! everyone else; first come, first served within a mode, unless the chair moves
//! someone. A participant is in the queue at most once.

use super::command::Mode;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub participant: String,
    pub mode: Mode,
    /// When they joined the queue (Unix ms), for "time waited".
    pub since_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub entries: Vec<QueueEntry>,
    pub open: bool,
}

impl Default for Queue {
    fn default() -> Queue {
        Queue {
            entries: Vec::new(),
            open: true,
        }
    }
}

impl Queue {
    pub fn position(&self, participant: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.participant == participant)
    }

    pub fn contains(&self, participant: &str) -> bool {
        self.position(participant).is_some()
    }

    pub fn get(&self, participant: &str) -> Option<&QueueEntry> {
        self.entries.iter().find(|e| e.participant == participant)
    }

    pub fn head(&self) -> Option<&QueueEntry> {
        self.entries.first()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Where a new entry of this mode goes: after the last entry that goes before
    /// it or alongside it, so that within a mode the earlier request stays ahead.
    pub fn slot_for(&self, mode: Mode) -> usize {
        self.entries
            .iter()
            .rposition(|e| e.mode.rank() <= mode.rank())
            .map_or(0, |i| i + 1)
    }

    /// Adds someone; does nothing if they are already queued.
    pub fn insert(&mut self, entry: QueueEntry) {
        if !self.contains(&entry.participant) {
            let at = self.slot_for(entry.mode);
            self.entries.insert(at, entry);
        }
    }

    pub fn remove(&mut self, participant: &str) -> Option<QueueEntry> {
        let at = self.position(participant)?;
        Some(self.entries.remove(at))
    }

    /// Where a step-by-step move (the console's `K` and `J`) may take
    /// `participant` when aimed at `position`: points of order stay ahead of
    /// everyone else, so one is kept among them and anyone else behind them.
    /// `None` when they are not queued. (`queue_move` itself is the chair's
    /// explicit word and may put anyone anywhere.)
    pub fn allowed_position(&self, participant: &str, position: usize) -> Option<usize> {
        let mover = self.get(participant)?;
        let orders = self
            .entries
            .iter()
            .filter(|e| e.mode == Mode::PointOfOrder && e.participant != participant)
            .count();
        let last = self.entries.len() - 1;
        Some(if mover.mode == Mode::PointOfOrder {
            position.min(orders)
        } else {
            position.clamp(orders, last)
        })
    }

    /// Moves someone to `position` (0-based; past the end means last).
    pub fn move_to(&mut self, participant: &str, position: usize) {
        if let Some(entry) = self.remove(participant) {
            let at = position.min(self.entries.len());
            self.entries.insert(at, entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(p: &str, mode: Mode) -> QueueEntry {
        QueueEntry {
            participant: p.into(),
            mode,
            since_ms: 0,
        }
    }

    fn order(q: &Queue) -> Vec<&str> {
        q.entries.iter().map(|e| e.participant.as_str()).collect()
    }

    #[test]
    fn modes_order_the_queue_and_arrival_orders_a_mode() {
        let mut q = Queue::default();
        q.insert(entry("a", Mode::Normal));
        q.insert(entry("b", Mode::Reply));
        q.insert(entry("c", Mode::PointOfOrder));
        q.insert(entry("d", Mode::Reply));
        q.insert(entry("e", Mode::PointOfOrder));
        assert_eq!(order(&q), ["c", "e", "b", "d", "a"]);
    }

    #[test]
    fn nobody_is_queued_twice() {
        let mut q = Queue::default();
        q.insert(entry("a", Mode::Normal));
        q.insert(entry("a", Mode::PointOfOrder));
        assert_eq!(order(&q), ["a"]);
        assert_eq!(q.get("a").map(|e| e.mode), Some(Mode::Normal));
    }

    #[test]
    fn points_of_order_stay_ahead_whatever_the_move() {
        let mut q = Queue::default();
        q.insert(entry("a", Mode::Normal));
        q.insert(entry("b", Mode::Reply));
        q.insert(entry("c", Mode::PointOfOrder));
        q.insert(entry("e", Mode::PointOfOrder));
        // c, e, b, a
        assert_eq!(q.allowed_position("a", 0), Some(2));
        assert_eq!(q.allowed_position("b", 1), Some(2));
        assert_eq!(q.allowed_position("a", 99), Some(3));
        assert_eq!(q.allowed_position("c", 3), Some(1));
        assert_eq!(q.allowed_position("e", 0), Some(0));
        assert_eq!(q.allowed_position("z", 0), None);
    }

    #[test]
    fn a_move_past_the_end_goes_last() {
        let mut q = Queue::default();
        for p in ["a", "b", "c"] {
            q.insert(entry(p, Mode::Normal));
        }
        q.move_to("a", 99);
        assert_eq!(order(&q), ["b", "c", "a"]);
        q.move_to("a", 0);
        assert_eq!(order(&q), ["a", "b", "c"]);
    }
}
