//! A token bucket: about `rate` frames a second, bursts up to `burst`.
//!
//! Hand-written on purpose: it is twenty lines, runs per frame on every
//! connection, and needs no clock of its own (the caller passes `Instant`, so tests
//! use fixed times); the rate-limiting crates (governor and the like) bring shared
//! state, atomics and a clock for what one connection's task owns alone.

use std::time::Instant;

pub struct Bucket {
    tokens: f64,
    last: Instant,
    rate: f64,
    burst: f64,
}

impl Bucket {
    pub fn new(rate: f64, burst: f64) -> Bucket {
        Bucket {
            tokens: burst,
            last: Instant::now(),
            rate,
            burst,
        }
    }

    /// Takes one token if there is one.
    pub fn take(&mut self, now: Instant) -> bool {
        let refill = now.saturating_duration_since(self.last).as_secs_f64() * self.rate;
        self.tokens = (self.tokens + refill).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn allows_a_burst_then_the_rate() {
        let t0 = Instant::now();
        let mut b = Bucket::new(20.0, 40.0);
        assert_eq!((0..50).filter(|_| b.take(t0)).count(), 40);
        assert!(!b.take(t0));
        assert_eq!(
            (0..50)
                .filter(|_| b.take(t0 + Duration::from_millis(500)))
                .count(),
            10
        );
    }
}
