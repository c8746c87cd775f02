//! Secret ballots stay secret on disk. The journal records that someone voted in a
//! secret poll (`vote_cast` with `"choice": ""`), never how: the journal is handed
//! around, and `minutes`, `replay` and relays need only the tallies, which the
//! poll's closing records. The choices themselves are kept in a file beside it,
//! `<journal>.ballots`, readable only by its owner, one JSON line per vote with the
//! `seq` of its event, so that a meeting resumed after a crash still counts every
//! vote exactly.
//!
//! A ballot is written and made durable before its event is journaled; a ballot
//! whose event never reached the journal (a crash between the two writes) is cut
//! when the file is opened again, as a torn line is.

use super::JournalError;
use crate::meeting::event::{Event, EventKind};
use crate::meeting::Plan;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// One vote in a secret poll, as only this file holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    /// The `seq` of its `vote_cast` in the journal.
    pub seq: u64,
    pub poll: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub voter: String,
    pub choice: String,
}

/// Where a journal's ballots are kept: `<journal>.ballots`.
pub fn path_for(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".ballots");
    PathBuf::from(name)
}

/// The ballots of one journal, open for appending once the first is cast.
#[derive(Debug)]
pub struct Ballots {
    path: PathBuf,
    file: Option<File>,
}

impl Ballots {
    /// The ballots kept beside `journal`, whose last event is `last`: the votes
    /// they hold, by `seq`. Lines after `last` (their events were never recorded)
    /// and a torn last line are cut. A file others could read is refused.
    pub fn open(
        journal: &Path,
        last: u64,
    ) -> Result<(Ballots, BTreeMap<u64, Ballot>), JournalError> {
        let path = path_for(journal);
        let io = |source| JournalError::Io {
            path: path.clone(),
            source,
        };
        let mut cast = BTreeMap::new();
        let Some(bytes) = crate::private::read(&path, "the secret ballots").map_err(io)? else {
            return Ok((Ballots { path, file: None }, cast));
        };
        let mut kept = 0;
        for (n, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
            if !line.ends_with(b"\n") {
                break; // torn: its event was never recorded either
            }
            let ballot: Ballot =
                serde_json::from_slice(line).map_err(|e| JournalError::Corrupt {
                    path: path.clone(),
                    line: n + 1,
                    reason: e.to_string(),
                })?;
            if ballot.seq > last {
                break;
            }
            kept += line.len();
            cast.insert(ballot.seq, ballot);
        }
        let file = std::fs::OpenOptions::new()
            .append(true)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
            .open(&path)
            .map_err(io)?;
        if kept < bytes.len() {
            file.set_len(kept as u64).map_err(io)?;
            file.sync_all().map_err(io)?;
        }
        Ok((
            Ballots {
                path,
                file: Some(file),
            },
            cast,
        ))
    }

    /// Takes the choices of the secret votes among `events` (whose first will be
    /// recorded as `first`) out of them, and keeps them, durable before this
    /// returns: the events are then fit for the journal.
    pub fn take(
        &mut self,
        plan: &Plan,
        first: u64,
        events: &mut [Event],
    ) -> Result<(), JournalError> {
        let mut ballots = Vec::new();
        for (i, event) in events.iter_mut().enumerate() {
            let Some(hidden) = crate::meeting::secret::public_event(plan, &event.kind) else {
                continue;
            };
            if let EventKind::VoteCast {
                poll,
                voter,
                target,
                choice,
            } = std::mem::replace(&mut event.kind, hidden)
            {
                ballots.push(Ballot {
                    seq: first + i as u64,
                    poll,
                    target,
                    voter,
                    choice,
                });
            }
        }
        if ballots.is_empty() {
            return Ok(());
        }
        let mut lines = Vec::new();
        for b in &ballots {
            serde_json::to_writer(&mut lines, b).expect("a ballot serializes");
            lines.push(b'\n');
        }
        let io = |source| JournalError::Io {
            path: self.path.clone(),
            source,
        };
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(create(&self.path).map_err(io)?),
        };
        file.write_all(&lines).map_err(io)?;
        file.sync_data().map_err(io)
    }
}

/// A new ballots file, its owner's alone from the moment it exists; never
/// through a link planted in its place.
fn create(path: &Path) -> std::io::Result<File> {
    let file = std::fs::OpenOptions::new()
        .append(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)?.sync_all()?;
    }
    Ok(file)
}

/// The event as it happened: a secret vote's choice put back from `cast` (what
/// [`Ballots::open`] read) by its `seq`.
pub fn reveal(mut event: Event, seq: u64, cast: &BTreeMap<u64, Ballot>) -> Event {
    if let EventKind::VoteCast { choice, voter, .. } = &mut event.kind {
        if let Some(ballot) = cast.get(&seq).filter(|b| b.voter == *voter) {
            if choice.as_str() == crate::meeting::secret::HIDDEN {
                *choice = ballot.choice.clone();
            }
        }
    }
    event
}
