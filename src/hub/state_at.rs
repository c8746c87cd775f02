//! The meeting's state as of one `seq`, shared by every connection that needs it
//! (a welcome, a `sync`), and serialized at most once in each shape.
//!
//! A crowd joining a large meeting (ten thousand viewers of a plan of seven
//! thousand participants, a welcome of 700 KiB each) would otherwise cost the hub
//! a copy of the state per viewer and the server a serialization per viewer. The
//! hub builds one `StateAt` per `seq` that someone asks for; the first connection
//! to need its JSON makes it, and the rest share the bytes.

use crate::meeting::secret::{self, OwnVote};
use crate::meeting::snapshot::Snapshot;
use crate::meeting::State;
use bytes::Bytes;
use std::sync::OnceLock;

pub struct StateAt {
    pub seq: u64,
    /// The whole state as anyone may see it (secret votes without their choices),
    /// with the `plan` and `core` extensions.
    pub snapshot: Snapshot,
    /// The votes in secret polls, each told only to its voter.
    secret_votes: Vec<(String, OwnVote)>,
    contract: OnceLock<Bytes>,
    full: OnceLock<Bytes>,
}

impl StateAt {
    pub fn new(seq: u64, state: &State) -> StateAt {
        let secret_votes = secret::all_votes(state).collect();
        StateAt {
            seq,
            snapshot: Snapshot::of(&secret::public_state(state)),
            secret_votes,
            contract: OnceLock::new(),
            full: OnceLock::new(),
        }
    }

    /// A voter's own votes in the secret polls.
    pub fn votes_of(&self, voter: &str) -> Vec<OwnVote> {
        self.secret_votes
            .iter()
            .filter(|(v, _)| v == voter)
            .map(|(_, vote)| vote.clone())
            .collect()
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
