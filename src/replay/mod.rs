//! Replaying a recorded meeting: [`timeline`] lays the journal out for playing and
//! seeking; `xieshang replay` (the console, in `tui::replay`) and `xieshang serve
//! --replay` ([`serve`]) play it.

pub mod serve;
pub mod timeline;

use crate::journal::{Header, JournalError};
use std::path::Path;
use std::sync::Arc;
pub use timeline::Timeline;

/// A journal opened for replay: its header and its timeline.
pub struct Opened {
    pub header: Header,
    pub timeline: Timeline,
    /// A torn last line, left out: for a warning.
    pub torn: Option<crate::journal::Torn>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("{0}: the journal records no events yet: the meeting was never started, so there is nothing to replay")]
    NothingRecorded(String),
}

/// Reads a journal for replay, with idle gaps longer than `idle_limit_ms` shortened.
pub fn open(path: &Path, idle_limit_ms: Option<u64>) -> Result<Opened, ReplayError> {
    let recording = crate::journal::read(path)?;
    if recording.entries.is_empty() {
        return Err(ReplayError::NothingRecorded(path.display().to_string()));
    }
    let plan = Arc::new(recording.header.plan.clone());
    Ok(Opened {
        timeline: Timeline::new(plan, recording.entries, idle_limit_ms),
        header: recording.header,
        torn: recording.torn,
    })
}
