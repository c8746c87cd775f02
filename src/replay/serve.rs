//! `xieshang serve --replay`: a recorded meeting played to connected clients as if
//! it were live. Each event goes out at its time on the timeline divided by the
//! speed, its time moved to now, so clients' timers count from it; the events keep
//! their recorded `seq`, so clients resume as from a live meeting. Commands are
//! refused by the replay hub (`forbidden`).

use super::Timeline;
use crate::clock::now_ms;
use crate::hub::task::HubHandle;
use std::sync::Arc;
use std::time::Duration;

/// Plays every event of `timeline` to `hub`, `speed` times faster than recorded;
/// returns when all are played or the hub has stopped.
pub async fn play(hub: HubHandle, timeline: Arc<Timeline>, speed: f64) {
    let speed = speed.max(f64::MIN_POSITIVE);
    let start_ms = now_ms();
    let start = tokio::time::Instant::now();
    let entries = timeline.entries();
    let mut i = 0;
    while i < entries.len() {
        let due = timeline.time_of(i);
        let offset = Duration::from_secs_f64(due as f64 / speed / 1000.0);
        tokio::time::sleep_until(start + offset).await;
        let at_ms = start_ms + offset.as_millis() as u64;
        let mut batch = Vec::new();
        while i < entries.len() && timeline.time_of(i) == due {
            let mut e = entries[i].clone();
            e.at_ms = at_ms;
            batch.push(e);
            i += 1;
        }
        if !hub.play(batch).await {
            return;
        }
    }
}
