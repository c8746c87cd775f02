//! The meeting's state as of one `seq`, shared by every connection that needs it
//! (a welcome, a `sync`), and serialized at most once in each shape.
//!
//! A crowd joining a large meeting (ten thousand viewers of a plan of seven
//! thousand participants, a welcome of 700 KiB each) would otherwise cost the hub
//! a copy of the state per viewer and the server a serialization per viewer. The
//! hub builds one `StateAt` per `seq` that someone asks for; the first connection
//! to need its JSON makes it, and the rest share the bytes.

use crate::meeting::snapshot::Snapshot;
use bytes::Bytes;
use std::sync::OnceLock;

pub struct StateAt {
    pub seq: u64,
    /// The whole state, with the `plan` and `core` extensions.
    pub snapshot: Snapshot,
    contract: OnceLock<Bytes>,
    full: OnceLock<Bytes>,
}

impl StateAt {
    pub fn new(seq: u64, snapshot: Snapshot) -> StateAt {
        StateAt {
            seq,
            snapshot,
            contract: OnceLock::new(),
            full: OnceLock::new(),
        }
    }

    /// The state as JSON: with the extensions (`full`, for our own clients), or the
    /// contract's fields only.
    pub fn json(&self, full: bool) -> Bytes {
        let cell = if full { &self.full } else { &self.contract };
        cell.get_or_init(|| {
            let text = if full {
                serde_json::to_vec(&self.snapshot)
            } else {
                serde_json::to_vec(&self.snapshot.contract_view())
            };
            Bytes::from(text.expect("a snapshot serializes"))
        })
        .clone()
    }
}
