//! The journal (会议记录): the durable record of a meeting, one JSON object per line.
//!
//! The first line is a [`Header`]; every further line an [`Entry`] with `seq` from
//! 1 without gaps. Appends are written and fsynced before they return, so whoever
//! is told about an event afterwards can count on it surviving a crash; several
//! events may share one fsync ([`Journal::append`] takes a batch).
//!
//! Reopening after a crash cuts a torn last line (with a warning) and refuses a
//! corrupt line anywhere else, naming it. A journal records one plan: reopening it
//! for a different scenario file is refused.
//!
//! Space is allocated ahead of the writes by writing zeros ([`PREALLOCATE`] at a
//! time): an fdatasync then only has to flush the data, not the file's new size,
//! which makes each one about a third cheaper on ext4. The zeros past the last line
//! are not part of the journal; readers skip them and [`Journal::close`] cuts them.

mod entry;
mod read;

pub use entry::{digest, rfc3339_ms, Entry, Header, FORMAT, MAGIC};
pub use read::{read, scan, Recording, Scan, Torn};

use crate::meeting::event::Event;
use crate::meeting::plan::Plan;
use crate::meeting::state::State;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: the journal is empty (it has no header line); it is not a meeting record")]
    Empty { path: PathBuf },
    #[error("{path}:1: not a xieshang journal ({reason})")]
    NotAJournal { path: PathBuf, reason: String },
    #[error("{path}:1: journal format {found} is not supported by this build (it reads format {FORMAT}); use a newer xieshang")]
    Format { path: PathBuf, found: u32 },
    #[error(
        "{path}: this journal records a different plan (its scenario file had sha256 {journal}, this one has {plan}); \
         run the scenario it was recorded from, or give --journal a new path to start a new meeting"
    )]
    PlanMismatch {
        path: PathBuf,
        journal: String,
        plan: String,
    },
    #[error("{path}:{line}: corrupt journal line ({reason}); the lines after it are intact, so this is not a crash: restore the file from a copy")]
    Corrupt {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("the journal failed earlier and accepts no more events: restart to reopen it")]
    Poisoned,
}

/// How much space is zero-filled ahead of the writes at a time.
pub const PREALLOCATE: u64 = 4 << 20;

/// An open journal, ready to append.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    /// Bytes of complete lines; the next line goes here.
    len: u64,
    /// Size of the file: `len` plus zeros allocated ahead.
    allocated: u64,
    next_seq: u64,
    buf: Vec<u8>,
    poisoned: bool,
}

/// A journal opened for a meeting: what it holds, and what was mended.
#[derive(Debug)]
pub struct Opened {
    pub journal: Journal,
    pub header: Header,
    pub entries: Vec<Entry>,
    /// What reopening had to do, e.g. cut a torn last line. For the log.
    pub warnings: Vec<String>,
    /// Whether the journal was made just now.
    pub created: bool,
}

impl Journal {
    /// Makes a new journal with its header, durable before it returns. Fails if the
    /// file exists.
    pub fn create(path: &Path, header: &Header) -> Result<Journal, JournalError> {
        let io_err = |source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io_err)?;
        }
        let file = OpenOptions::new()
            .create_new(true)
            .read(true)
            .write(true)
            .open(path)
            .map_err(io_err)?;
        let mut line = serde_json::to_vec(header).expect("a header always serializes");
        line.push(b'\n');
        file.write_all_at(&line, 0).map_err(io_err)?;
        file.sync_all().map_err(io_err)?;
        sync_dir(path).map_err(io_err)?;
        Ok(Journal {
            path: path.to_path_buf(),
            file,
            len: line.len() as u64,
            allocated: line.len() as u64,
            next_seq: 1,
            buf: Vec::new(),
            poisoned: false,
        })
    }

    /// Opens the journal of this plan at `path`, creating it if there is none (or if
    /// a crash left only part of its header). `plan_sha256` is the digest of the
    /// scenario file; a journal of another plan is refused.
    pub fn open_or_create(
        path: &Path,
        plan: &Plan,
        plan_sha256: &str,
        now_ms: u64,
    ) -> Result<Opened, JournalError> {
        let recording = match read(path) {
            Ok(r) => r,
            Err(JournalError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
                return Self::fresh(path, plan, plan_sha256, now_ms, Vec::new());
            }
            Err(JournalError::Empty { .. }) => {
                let note = format!("{}: the journal had no complete header (a crash while it was made); made it anew", path.display());
                std::fs::remove_file(path).map_err(|source| JournalError::Io {
                    path: path.to_path_buf(),
                    source,
                })?;
                return Self::fresh(path, plan, plan_sha256, now_ms, vec![note]);
            }
            Err(e) => return Err(e),
        };
        if recording.header.plan_sha256 != plan_sha256 {
            return Err(JournalError::PlanMismatch {
                path: path.to_path_buf(),
                journal: recording.header.plan_sha256,
                plan: plan_sha256.to_string(),
            });
        }
        Self::reopen(path, recording)
    }

    fn fresh(
        path: &Path,
        plan: &Plan,
        sha: &str,
        now_ms: u64,
        warnings: Vec<String>,
    ) -> Result<Opened, JournalError> {
        let header = Header::new(plan, sha, now_ms);
        let journal = Journal::create(path, &header)?;
        Ok(Opened {
            journal,
            header,
            entries: Vec::new(),
            warnings,
            created: true,
        })
    }

    /// Opens a journal read earlier for appending, cutting the torn tail it found.
    fn reopen(path: &Path, recording: Recording) -> Result<Opened, JournalError> {
        let io_err = |source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(io_err)?;
        let mut warnings = Vec::new();
        let size = file.metadata().map_err(io_err)?.len();
        if size != recording.complete_len {
            // A torn line, or zeros allocated ahead by a run that did not close.
            file.set_len(recording.complete_len).map_err(io_err)?;
            file.sync_all().map_err(io_err)?;
        }
        if let Some(torn) = &recording.torn {
            warnings.push(format!(
                "{}:{}: cut a torn last line ({} bytes; {}), left by a crash before it was acknowledged",
                path.display(),
                torn.line,
                torn.bytes,
                torn.reason
            ));
        }
        let next_seq = recording.entries.last().map_or(1, |e| e.seq + 1);
        Ok(Opened {
            journal: Journal {
                path: path.to_path_buf(),
                file,
                len: recording.complete_len,
                allocated: recording.complete_len,
                next_seq,
                buf: Vec::new(),
                poisoned: false,
            },
            header: recording.header,
            entries: recording.entries,
            warnings,
            created: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The `seq` the next event will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Appends events under one fsync and returns them numbered. When this returns
    /// `Ok`, they are durable. On an error nothing of the batch counts, the file is
    /// cut back to where it was, and the journal refuses further appends.
    pub fn append(&mut self, events: Vec<Event>) -> Result<Vec<Entry>, JournalError> {
        if self.poisoned {
            return Err(JournalError::Poisoned);
        }
        if events.is_empty() {
            return Ok(Vec::new());
        }
        self.buf.clear();
        let mut entries = Vec::with_capacity(events.len());
        for (i, event) in events.into_iter().enumerate() {
            let entry = Entry::new(self.next_seq + i as u64, event);
            serde_json::to_writer(&mut self.buf, &entry).expect("an entry always serializes");
            self.buf.push(b'\n');
            entries.push(entry);
        }
        let written = self
            .reserve(self.buf.len() as u64)
            .and_then(|()| self.file.write_all_at(&self.buf, self.len))
            .and_then(|()| self.file.sync_data());
        if let Err(source) = written {
            self.poisoned = true;
            // Best effort: what was not acknowledged must not be found on reopening
            // as if it had been. If this fails too, reopening finds a torn line.
            let zeros = vec![0; self.buf.len()];
            let _ = self.file.write_all_at(&zeros, self.len);
            return Err(JournalError::Io {
                path: self.path.clone(),
                source,
            });
        }
        self.len += self.buf.len() as u64;
        self.next_seq += entries.len() as u64;
        Ok(entries)
    }
}

impl Journal {
    /// Makes sure `more` bytes fit after `len` in space that is already allocated
    /// and durable, so that the append's fdatasync need not flush a new file size.
    fn reserve(&mut self, more: u64) -> io::Result<()> {
        let need = self.len + more;
        if need <= self.allocated {
            return Ok(());
        }
        let grow = (need - self.allocated).max(PREALLOCATE);
        let zeros = vec![0u8; grow as usize];
        self.file.write_all_at(&zeros, self.allocated)?;
        self.file.sync_all()?;
        self.allocated += grow;
        Ok(())
    }

    /// Closes the journal cleanly: the zeros allocated ahead are cut, so the file
    /// ends with its last line.
    pub fn close(mut self) -> Result<(), JournalError> {
        self.trim().map_err(|source| JournalError::Io {
            path: self.path.clone(),
            source,
        })
    }

    fn trim(&mut self) -> io::Result<()> {
        if self.allocated > self.len && !self.poisoned {
            self.file.set_len(self.len)?;
            self.file.sync_all()?;
            self.allocated = self.len;
        }
        Ok(())
    }
}

impl Drop for Journal {
    /// Best effort: a journal dropped without `close` has its zeros cut here, and
    /// if that fails, on the next open.
    fn drop(&mut self) {
        let _ = self.trim();
    }
}

/// Replays a recording: the state its events lead to.
pub fn replay(recording: &Recording) -> State {
    let plan = Arc::new(recording.header.plan.clone());
    crate::meeting::replay(plan, recording.entries.iter().map(Entry::to_event))
}

/// Replays a journal file as it is read, holding one event at a time: the state at
/// its end and what the pass found (a torn last line is left out, as on reopening).
pub fn replay_file(path: &Path) -> Result<(State, Scan), JournalError> {
    let mut state: Option<State> = None;
    let scan = scan(path, |header, entry| {
        let state = state.get_or_insert_with(|| State::new(Arc::new(header.plan.clone())));
        crate::meeting::apply(state, &entry.into_event());
    })?;
    let state = state.unwrap_or_else(|| State::new(Arc::new(scan.header.plan.clone())));
    Ok((state, scan))
}

/// Makes a new file's directory entry durable.
fn sync_dir(path: &Path) -> io::Result<()> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => File::open(dir)?.sync_all(),
        None => File::open(".")?.sync_all(),
    }
}
