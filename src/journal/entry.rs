//! The lines of a journal: a header, then one entry per event.

use crate::meeting::event::{Event, EventKind};
use crate::meeting::plan::Plan;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::{Duration, UNIX_EPOCH};

/// The journal format this build writes and reads.
pub const FORMAT: u32 = 1;
/// The value of `journal` in every header, so that other files are told apart.
pub const MAGIC: &str = "xieshang";

/// The first line: enough to replay the meeting and write its minutes from the
/// journal alone, and nothing that lets anyone in (tokens are removed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub journal: String,
    pub format: u32,
    pub title: String,
    /// UTC, RFC 3339 with milliseconds.
    pub created_at: String,
    pub created_at_ms: u64,
    /// sha256 of the scenario file the meeting was planned in, in hex.
    pub plan_sha256: String,
    pub plan: Plan,
}

impl Header {
    pub fn new(plan: &Plan, plan_sha256: &str, now_ms: u64) -> Header {
        Header {
            journal: MAGIC.to_string(),
            format: FORMAT,
            title: plan.meeting.title.clone(),
            created_at: rfc3339_ms(now_ms),
            created_at_ms: now_ms,
            plan_sha256: plan_sha256.to_string(),
            plan: plan.without_tokens(),
        }
    }
}

/// One event as recorded: `seq` from 1 without gaps, its time (Unix ms, UTC), who
/// caused it (`null`: the server itself), and the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    pub at_ms: u64,
    pub actor: Option<String>,
    pub event: EventKind,
}

impl Entry {
    pub fn new(seq: u64, event: Event) -> Entry {
        Entry {
            seq,
            at_ms: event.at_ms,
            actor: event.actor,
            event: event.kind,
        }
    }

    pub fn to_event(&self) -> Event {
        Event {
            at_ms: self.at_ms,
            actor: self.actor.clone(),
            kind: self.event.clone(),
        }
    }

    pub fn into_event(self) -> Event {
        Event {
            at_ms: self.at_ms,
            actor: self.actor,
            kind: self.event,
        }
    }
}

/// sha256 of a scenario file's bytes, in lower-case hex.
pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `2026-11-27T09:30:05.120Z` for Unix milliseconds.
pub fn rfc3339_ms(ms: u64) -> String {
    humantime::format_rfc3339_millis(UNIX_EPOCH + Duration::from_millis(ms)).to_string()
}
