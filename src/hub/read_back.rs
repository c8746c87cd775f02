//! Events read back from the journal, for whoever needs them from further back
//! than the hub keeps in memory: a client that resumes from far back, and the
//! publisher catching up. The reading is never the hub's: a thread of its own,
//! at a lower priority than the meeting's (nice 10), reads, parses and
//! serializes the events, [`CHUNK`] at a time, into a channel of two chunks, so
//! that what one reader holds is bounded however far back it reads, and the
//! meeting is not held up by it. A hub lets
//! [`READ_BACK_PLACES`](super::task::READ_BACK_PLACES) clients read back at
//! once; one that finds every place taken is sent the state instead (the
//! contract allows it: the events are then "no longer all available").

use super::task::{Backlog, Published};
use crate::clock::now_ms;
use crate::meeting::snapshot::NextView;
use crate::meeting::Plan;
use crate::protocol::ServerFrame;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{mpsc, OwnedSemaphorePermit};

/// Events in one chunk.
pub const CHUNK: usize = 256;
/// The readers' nice value (Linux: a thread's own), so that the hub and the
/// connections get the processor first.
const NICE: i32 = 10;

impl Backlog {
    /// Starts reading it back.
    pub fn start(self) -> ReadBack {
        read(
            self.journal,
            self.plan,
            self.after,
            self.before - 1,
            self.next,
            Some(self.place),
        )
    }
}

/// The events being read back, a chunk at a time, as frames.
pub struct ReadBack {
    rx: mpsc::Receiver<Result<Vec<Arc<Published>>, String>>,
}

impl ReadBack {
    /// The next chunk, in order; `None` once every one was handed on, an error
    /// (said) when the journal could not be read.
    pub async fn next(&mut self) -> Option<Result<Vec<Arc<Published>>, String>> {
        self.rx.recv().await
    }
}

/// Reads events `after+1 ..= upto` of `journal` as the hub publishes them (as
/// anyone may see them, `next` as given) on a thread of its own, holding `place`
/// until done. Dropping the [`ReadBack`] stops the reading.
pub fn read(
    journal: PathBuf,
    plan: Arc<Plan>,
    after: u64,
    upto: u64,
    next: Option<NextView>,
    place: Option<OwnedSemaphorePermit>,
) -> ReadBack {
    let (tx, rx) = mpsc::channel(2);
    let failed = tx.clone();
    let reader = move || {
        let _place = place;
        // Whatever this thread does, what the meeting's threads do comes first.
        let _ = rustix::process::setpriority_process(None, NICE);
        let now = now_ms();
        let read = crate::journal::read_range(&journal, after, upto, CHUNK, |entries| {
            let frames = entries
                .into_iter()
                .map(|entry| {
                    let frame =
                        ServerFrame::public_event(&entry, &plan, now, next.clone()).to_json();
                    Arc::new(Published {
                        entry,
                        frame: frame.into(),
                    })
                })
                .collect();
            tx.blocking_send(Ok(frames)).is_ok()
        });
        if let Err(e) = read {
            let _ = tx.blocking_send(Err(e.to_string()));
        }
    };
    let started = std::thread::Builder::new()
        .name("read-back".into())
        .spawn(reader);
    if let Err(e) = started {
        let _ = failed.try_send(Err(format!(
            "cannot start a thread to read the journal: {e}"
        )));
    }
    ReadBack { rx }
}
