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
//! One writer: a journal opened for writing holds an exclusive lock (`flock`) for
//! as long as it is open, and a second writer is refused with the process that
//! holds it. Readers (minutes, replay) take no lock. A file that is not a journal is
//! never overwritten: only an empty file or a torn xieshang header is made anew.
//!
//! Space is allocated ahead of the writes by writing zeros ([`PREALLOCATE`] at a
//! time): an fdatasync then only has to flush the data, not the file's new size,
//! which makes each one about a third cheaper on ext4. The zeros past the last line
//! are not part of the journal; readers skip them and [`Journal::close`] cuts them.

pub mod ballots;
mod entry;
mod read;

pub use entry::{digest, rfc3339_ms, Entry, Header, FORMAT, MAGIC};
pub use read::{read, read_range, scan, Recording, Scan, Torn};

use crate::meeting::event::Event;
use crate::meeting::plan::Plan;
use crate::meeting::state::State;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
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
         run the scenario it was recorded from, or give --journal a new path to start a new meeting; \
         if you corrected only names, titles or times in it, run again with --accept-plan-change"
    )]
    PlanMismatch {
        path: PathBuf,
        journal: String,
        plan: String,
    },
    #[error(
        "{path}: the corrected plan cannot be taken mid-meeting, since {}; undo those changes \
         (names, titles, sectors, the venue, the date and times may change), or give --journal \
         a new path to start a new meeting",
        differences.join("; ")
    )]
    PlanShapeChanged {
        path: PathBuf,
        differences: Vec<String>,
    },
    #[error("{path}:{line}: corrupt journal line ({reason}); the lines after it are intact, so this is not a crash: restore the file from a copy")]
    Corrupt {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("the journal failed earlier and accepts no more events: restart to reopen it")]
    Poisoned,
    #[error(
        "{path}: this meeting's journal is being written by another process{}; only one \
         xieshang may record a meeting at a time: stop that one first, or give --journal \
         another path",
        holder.as_ref().map_or(String::new(), |h| format!(" ({h})"))
    )]
    Locked {
        path: PathBuf,
        /// The process holding the lock, when it can be known.
        holder: Option<String>,
    },
}

impl JournalError {
    /// Whether the disk (or a limit on file size) is full: what the chair is told.
    pub fn is_full(&self) -> bool {
        matches!(self, JournalError::Io { source, .. }
            if matches!(source.raw_os_error(), Some(28 | 27 | 122)))
    }
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
    /// The plan's sha256 the journal stood at, when it was opened for another plan
    /// that the caller offered to accept ([`Journal::open_accepting`]).
    pub plan_differs: Option<String>,
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
            crate::private::make_dir(dir).map_err(io_err)?;
        }
        // Owner-only: a journal names who said what, and may be handed on only
        // by its owner's choice.
        let file = OpenOptions::new()
            .create_new(true)
            .read(true)
            .write(true)
            .mode(0o600)
            .open(path)
            .map_err(io_err)?;
        lock(&file, path)?;
        Journal::start(path, file, header)
    }

    /// Writes the header at the start of `file` (locked, and empty or to be
    /// emptied), durable before it returns.
    fn start(path: &Path, file: File, header: &Header) -> Result<Journal, JournalError> {
        let io_err = |source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut line = serde_json::to_vec(header).expect("a header always serializes");
        line.push(b'\n');
        file.set_len(0).map_err(io_err)?;
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

    /// Opens the journal of this plan at `path` for writing, creating it if there is
    /// none. `plan_sha256` is the digest of the scenario file; a journal of another
    /// plan is refused, and so is one that another process is writing. An empty
    /// file, or one holding only part of a xieshang header (a crash while it was
    /// made), is made anew; any other file that is not a journal is refused, never
    /// overwritten.
    pub fn open_or_create(
        path: &Path,
        plan: &Plan,
        plan_sha256: &str,
        now_ms: u64,
    ) -> Result<Opened, JournalError> {
        Journal::open_accepting(path, plan, plan_sha256, now_ms, false)
    }

    /// [`Journal::open_or_create`]; with `accept_change`, a journal of another plan
    /// is opened too, and says so (`plan_differs`): whoever asked checks that the
    /// change is one a meeting can take and records it (`hub::Hub::open`). The plan a
    /// journal stands at is its header's, or the last `plan_changed` event's.
    pub fn open_accepting(
        path: &Path,
        plan: &Plan,
        plan_sha256: &str,
        now_ms: u64,
        accept_change: bool,
    ) -> Result<Opened, JournalError> {
        let io_err = |source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = match OpenOptions::new().read(true).write(true).open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let header = Header::new(plan, plan_sha256, now_ms);
                return match Journal::create(path, &header) {
                    Ok(journal) => Ok(Opened {
                        journal,
                        header,
                        entries: Vec::new(),
                        warnings: Vec::new(),
                        created: true,
                        plan_differs: None,
                    }),
                    // Made by another process just now: open it as it is (and be
                    // refused by its lock).
                    Err(JournalError::Io { source, .. })
                        if source.kind() == io::ErrorKind::AlreadyExists =>
                    {
                        Journal::open_accepting(path, plan, plan_sha256, now_ms, accept_change)
                    }
                    Err(e) => Err(e),
                };
            }
            Err(e) => return Err(io_err(e)),
        };
        if !file.metadata().map_err(io_err)?.is_file() {
            return Err(JournalError::NotAJournal {
                path: path.to_path_buf(),
                reason: "it is not a regular file".into(),
            });
        }
        lock(&file, path)?;
        let recording = match read(path) {
            Ok(r) => r,
            Err(JournalError::Empty { .. }) => {
                let bytes = std::fs::read(path).map_err(io_err)?;
                if !read::is_torn_header(&bytes) {
                    return Err(JournalError::NotAJournal {
                        path: path.to_path_buf(),
                        reason: "it holds something else; it is left as it is: give --journal \
                                 a new path"
                            .into(),
                    });
                }
                let note = format!("{}: the journal had no complete header (a crash while it was made); made it anew", path.display());
                let header = Header::new(plan, plan_sha256, now_ms);
                return Ok(Opened {
                    journal: Journal::start(path, file, &header)?,
                    header,
                    entries: Vec::new(),
                    warnings: vec![note],
                    created: true,
                    plan_differs: None,
                });
            }
            Err(e) => return Err(e),
        };
        let stands_at = recording
            .entries
            .iter()
            .rev()
            .find_map(|e| match &e.event {
                crate::meeting::EventKind::PlanChanged { plan_sha256, .. } => {
                    Some(plan_sha256.clone())
                }
                _ => None,
            })
            .unwrap_or_else(|| recording.header.plan_sha256.clone());
        if stands_at != plan_sha256 && !accept_change {
            return Err(JournalError::PlanMismatch {
                path: path.to_path_buf(),
                journal: stands_at,
                plan: plan_sha256.to_string(),
            });
        }
        let mut opened = Self::reopen(path, file, recording)?;
        opened.plan_differs = (stands_at != plan_sha256).then_some(stands_at);
        Ok(opened)
    }

    /// Opens a journal read earlier (its `file` open and locked) for appending,
    /// cutting the torn tail it found.
    fn reopen(path: &Path, file: File, recording: Recording) -> Result<Opened, JournalError> {
        let io_err = |source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        };
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
            plan_differs: None,
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
    /// When [`PREALLOCATE`] does not fit (a nearly full disk), just what the batch
    /// needs is allocated, so that the meeting is recorded for as long as it can be.
    fn reserve(&mut self, more: u64) -> io::Result<()> {
        let need = self.len + more;
        if need <= self.allocated {
            return Ok(());
        }
        let least = need - self.allocated;
        match self.zero_fill(least.max(PREALLOCATE)) {
            Err(_) if least < PREALLOCATE => self.zero_fill(least),
            done => done,
        }
    }

    fn zero_fill(&mut self, n: u64) -> io::Result<()> {
        let zeros = vec![0u8; n as usize];
        self.file.write_all_at(&zeros, self.allocated)?;
        self.file.sync_all()?;
        self.allocated += n;
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

/// Takes the journal's exclusive lock, or says who holds it.
fn lock(file: &File, path: &Path) -> Result<(), JournalError> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(JournalError::Locked {
            path: path.to_path_buf(),
            holder: lock_holder(file),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(JournalError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The process holding a lock on `file`, as `process 1234: xieshang serve plan.toml`,
/// read from Linux's `/proc/locks`; `None` where that cannot be known.
fn lock_holder(file: &File) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let inode = file.metadata().ok()?.ino();
    let locks = std::fs::read_to_string("/proc/locks").ok()?;
    let pid = locks.lines().find_map(|line| {
        // 1: FLOCK  ADVISORY  WRITE 12345 fd:01:1234567 0 EOF
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (pid, device) = (fields.get(4)?, fields.get(5)?);
        (device.rsplit(':').next()? == inode.to_string()).then(|| pid.to_string())
    })?;
    let command = std::fs::read(format!("/proc/{pid}/cmdline"))
        .ok()
        .map(|c| {
            let words: Vec<String> = c
                .split(|&b| b == 0)
                .filter(|w| !w.is_empty())
                .map(|w| String::from_utf8_lossy(w).into_owned())
                .collect();
            words.join(" ")
        })
        .filter(|c| !c.is_empty());
    Some(match command {
        Some(command) => format!("process {pid}: {command}"),
        None => format!("process {pid}"),
    })
}

/// Makes a new file's directory entry durable.
fn sync_dir(path: &Path) -> io::Result<()> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => File::open(dir)?.sync_all(),
        None => File::open(".")?.sync_all(),
    }
}
