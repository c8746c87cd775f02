//! The process's clock for meetings: Unix milliseconds, normally the system's.
//!
//! `xieshang demo` and `xieshang simulate` run a whole meeting faster than life:
//! they call [`run_faster`] once at start-up, and from then on every meeting time
//! in the process — the hub's event times, the frames' `server_time_ms`, the
//! console's countdowns — runs that many times faster, all alike, so a three-minute
//! turn shows and is recorded as three minutes. Nothing else changes speed
//! (network timeouts, pings and redraws stay in real time). The meeting core never
//! reads it: time is an argument there.

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// (the real time the speed-up began, the speed)
static FASTER: OnceLock<(u64, f64)> = OnceLock::new();

fn system_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Meeting time now.
pub fn now_ms() -> u64 {
    let real = system_ms();
    match FASTER.get() {
        None => real,
        Some(&(origin, speed)) => origin + ((real.saturating_sub(origin)) as f64 * speed) as u64,
    }
}

/// Makes meeting time run `speed` times faster from now on. Only the first call
/// counts; false when the clock was already set.
pub fn run_faster(speed: f64) -> bool {
    FASTER
        .set((system_ms(), speed.max(f64::MIN_POSITIVE)))
        .is_ok()
}

/// When the speed-up began (real Unix ms) and the speed, if it runs faster.
pub fn faster() -> Option<(u64, f64)> {
    FASTER.get().copied()
}

/// How much faster meeting time runs than real time.
pub fn speed() -> f64 {
    FASTER.get().map_or(1.0, |&(_, s)| s)
}

/// A span of meeting time as real time, for sleeping.
pub fn real(meeting_ms: u64) -> std::time::Duration {
    std::time::Duration::from_secs_f64(meeting_ms as f64 / 1000.0 / speed())
}
