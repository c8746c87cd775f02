//! A countdown that is not ticked: it remembers how much had elapsed as of a moment,
//! and whether it is running since. Server time is the truth; whoever holds a timer
//! computes the current elapsed time from `now`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    /// Planned time; elapsed time past it is overtime.
    pub limit_ms: u64,
    /// Elapsed time as of `as_of_ms`.
    pub elapsed_ms: u64,
    pub running: bool,
    /// Unix milliseconds, server time.
    pub as_of_ms: u64,
}

impl Timer {
    pub fn started(limit_ms: u64, elapsed_ms: u64, now: u64) -> Timer {
        Timer {
            limit_ms,
            elapsed_ms,
            running: true,
            as_of_ms: now,
        }
    }

    /// Elapsed time at `now`; a `now` earlier than the last change counts as no time.
    pub fn elapsed_at(&self, now: u64) -> u64 {
        if self.running {
            self.elapsed_ms + now.saturating_sub(self.as_of_ms)
        } else {
            self.elapsed_ms
        }
    }

    pub fn remaining_at(&self, now: u64) -> u64 {
        self.limit_ms.saturating_sub(self.elapsed_at(now))
    }

    pub fn overtime_at(&self, now: u64) -> u64 {
        self.elapsed_at(now).saturating_sub(self.limit_ms)
    }

    pub fn pause(&mut self, now: u64) {
        self.elapsed_ms = self.elapsed_at(now);
        self.as_of_ms = now.max(self.as_of_ms);
        self.running = false;
    }

    pub fn resume(&mut self, now: u64) {
        self.as_of_ms = now.max(self.as_of_ms);
        self.running = true;
    }

    /// Moves the limit by `seconds` (negative shortens); never below zero.
    pub fn extend(&mut self, seconds: i64) {
        let delta = seconds.unsigned_abs().saturating_mul(1000);
        self.limit_ms = if seconds >= 0 {
            self.limit_ms.saturating_add(delta)
        } else {
            self.limit_ms.saturating_sub(delta)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_while_running() {
        let mut t = Timer::started(60_000, 0, 1_000);
        assert_eq!(t.elapsed_at(11_000), 10_000);
        t.pause(11_000);
        assert_eq!(t.elapsed_at(50_000), 10_000);
        t.resume(50_000);
        assert_eq!(t.elapsed_at(60_000), 20_000);
        assert_eq!(t.remaining_at(60_000), 40_000);
    }

    #[test]
    fn overtime_counts_up_past_the_limit() {
        let t = Timer::started(60_000, 0, 0);
        assert_eq!(t.overtime_at(75_000), 15_000);
        assert_eq!(t.remaining_at(75_000), 0);
    }

    #[test]
    fn a_negative_extension_never_goes_below_zero() {
        let mut t = Timer::started(60_000, 0, 0);
        t.extend(-30);
        assert_eq!(t.limit_ms, 30_000);
        t.extend(-3600);
        assert_eq!(t.limit_ms, 0);
        t.extend(60);
        assert_eq!(t.limit_ms, 60_000);
    }

    #[test]
    fn a_clock_going_backwards_adds_no_time() {
        let t = Timer::started(60_000, 5_000, 10_000);
        assert_eq!(t.elapsed_at(9_000), 5_000);
    }
}
