//! The office (办公室): what happens between meetings, kept by the secretariat
//! in one SQLite file (WAL, by default `meetings/register.db`, owner-only, in a
//! folder only its owner may enter). Its wings:
//!
//! - [`followups`]: the follow-up register (督办台账): every promise made in a
//!   meeting, followed to its answer and the asker's rating; brought back into
//!   the next meeting by a review step (回头看).
//!
//! The wings' rules are the core's (`meeting::followups`); here they are read,
//! decided with and written. [`layout`] holds the file's tables as numbered
//! steps; [`keys`] the tokens of those who reach the office's pages; [`http`]
//! what the wings' routes share, [`site`] the front they make together, served
//! by `followups serve` ([`port`]) or on a meeting's own port.
//!
//! Every change is durable (synchronous FULL) before anyone is told. Two
//! processes may write one file: each change takes the write lock (`BEGIN
//! IMMEDIATE`) and waits its turn.

pub mod followups;
pub mod http;
pub mod keys;
pub mod layout;
pub mod port;
pub mod roster;
pub mod sheet;
pub mod site;
pub mod topics;

use anyhow::Context;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// Where the office's file is unless told otherwise (`--register`).
pub const DEFAULT_PATH: &str = "meetings/register.db";

/// The office's time zone unless told otherwise (`--utc-offset`), hours east
/// of UTC: Beijing's. A due date ends at midnight there.
pub const DEFAULT_UTC_OFFSET_HOURS: i32 = 8;

/// The office's file, open.
pub struct Office {
    conn: Connection,
    path: PathBuf,
    /// What opening it had to settle, for whoever opened it to say.
    settled: keys::Settled,
}

impl Office {
    /// Opens the file at `path`, made (owner-only, in a folder made owner-only)
    /// if it is not there, and brought to this build's layout.
    pub fn open(path: &Path) -> anyhow::Result<Office> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::private::make_dir(dir)
                .with_context(|| format!("cannot make {}", dir.display()))?;
        }
        if !path.exists() {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .with_context(|| format!("cannot make {}", path.display()))?;
        }
        let mut conn = Connection::open(path)
            .with_context(|| format!("cannot open the register {}", path.display()))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let not_ours = || format!("{} is not a register (or is damaged)", path.display());
        conn.pragma_update(None, "journal_mode", "WAL")
            .with_context(not_ours)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        layout::bring_up(&mut conn).with_context(|| format!("{}", path.display()))?;
        let mut office = Office {
            conn,
            path: path.to_path_buf(),
            settled: keys::Settled::default(),
        };
        office.settled = office
            .settle_bare_askers()
            .with_context(|| format!("the tokens beside {}", path.display()))?;
        Ok(office)
    }

    /// What opening the file had to settle: tokens of an older office, kept
    /// or revoked (`keys::Settled`). A command says so.
    pub fn settled(&self) -> &keys::Settled {
        &self.settled
    }

    /// Opens a file that must be there already (for reading it).
    pub fn open_existing(path: &Path) -> anyhow::Result<Office> {
        if !path.is_file() {
            anyhow::bail!("no register at {}", path.display());
        }
        Office::open(path)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Now (Unix ms): noon of a fixed day (`--today`) in the office's zone, else
/// the clock's.
pub fn now_ms(today: Option<crate::meeting::followups::Date>, offset_s: i32) -> u64 {
    match today {
        Some(day) => day.noon_ms(offset_s),
        None => crate::clock::now_ms(),
    }
}
