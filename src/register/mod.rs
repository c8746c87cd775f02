//! The follow-up register (督办台账) on disk: one SQLite file (WAL, by default
//! `meetings/register.db`, owner-only). Every change is an append-only row of
//! `changes` (who, when, what, the item's version) and the item's current state
//! a row of `items`, both written in one transaction that is durable (synchronous
//! FULL) before anyone is told. The rules are the core's
//! (`meeting::followup`): this file only reads, decides with them, and writes.
//! Two processes may write one register: each change takes the write lock
//! (`BEGIN IMMEDIATE`) and waits its turn.

pub mod export;
pub mod import;

use crate::meeting::followup::{self, Actor, Change, Command, Item, Refusal};
use anyhow::Context;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};

/// Where the register is unless told otherwise.
pub const DEFAULT_PATH: &str = "meetings/register.db";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    item TEXT NOT NULL,
    version INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (item, version)
);
CREATE TABLE IF NOT EXISTS items (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    department TEXT NOT NULL,
    deadline TEXT NOT NULL,
    public INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS items_by_department ON items (department, state, deadline);
CREATE INDEX IF NOT EXISTS items_by_deadline ON items (state, deadline);
";

/// Why an update did not happen.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("no item {0} in the register")]
    NoSuchItem(String),
    #[error("{0}")]
    Refused(Refusal),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

/// One row of an item's history.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    pub version: u64,
    pub at_ms: u64,
    pub actor: Actor,
    pub change: Change,
}

/// Which items a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub department: Option<String>,
    pub state: Option<followup::ItemState>,
    pub public_only: bool,
}

pub struct Register {
    conn: Connection,
    path: PathBuf,
}

impl Register {
    /// Opens the register at `path`, made (owner-only) if it is not there.
    pub fn open(path: &Path) -> anyhow::Result<Register> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
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
        let conn = Connection::open(path)
            .with_context(|| format!("cannot open the register {}", path.display()))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(SCHEMA)
            .with_context(|| format!("{} is not a register (or is damaged)", path.display()))?;
        Ok(Register {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds `item` unless an item of its id is there: `false` then, and nothing
    /// changes (importing a journal twice adds nothing).
    pub fn insert(&mut self, item: &Item, actor: &Actor) -> anyhow::Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: bool = tx
            .query_row("SELECT 1 FROM items WHERE id = ?1", [&item.id], |_| Ok(()))
            .optional()?
            .is_some();
        if exists {
            return Ok(false);
        }
        let change = Change::Created {
            item: Box::new(item.clone()),
        };
        write(&tx, item, &change, actor, item.created_ms)?;
        tx.commit()?;
        Ok(true)
    }

    /// Decides `command` on item `id` as `actor` at `now_ms`, and records it.
    pub fn update(
        &mut self,
        id: &str,
        command: &Command,
        actor: &Actor,
        seen: Option<u64>,
        now_ms: u64,
        offset_s: i32,
    ) -> Result<Item, UpdateError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(anyhow::Error::from)?;
        let mut item = read_item(&tx, id)?.ok_or_else(|| UpdateError::NoSuchItem(id.into()))?;
        let ctx = followup::Ctx {
            actor,
            now_ms,
            offset_s,
            seen,
        };
        let change = match followup::decide(&item, command, ctx) {
            Ok(change) => change,
            Err(Refusal::Stale { id, version, .. }) => {
                // Say who changed it meanwhile.
                let by = last_actor(&tx, &id)?.map(|a| a.name().to_string());
                return Err(UpdateError::Refused(Refusal::Stale {
                    id,
                    version,
                    by: by.unwrap_or_default(),
                }));
            }
            Err(r) => return Err(UpdateError::Refused(r)),
        };
        followup::apply(&mut item, &change, now_ms);
        write(&tx, &item, &change, actor, now_ms)?;
        tx.commit().map_err(anyhow::Error::from)?;
        Ok(item)
    }

    pub fn get(&self, id: &str) -> anyhow::Result<Option<Item>> {
        read_item(&self.conn, id)
    }

    /// Items as `filter` says, by deadline (the latest first when closed).
    pub fn list(&self, filter: &Filter) -> anyhow::Result<Vec<Item>> {
        let mut sql = String::from("SELECT body FROM items WHERE 1 = 1");
        let mut args: Vec<String> = Vec::new();
        if let Some(d) = &filter.department {
            args.push(d.clone());
            sql.push_str(&format!(" AND department = ?{}", args.len()));
        }
        if let Some(s) = filter.state {
            args.push(s.as_str().to_string());
            sql.push_str(&format!(" AND state = ?{}", args.len()));
        }
        if filter.public_only {
            sql.push_str(" AND public = 1");
        }
        sql.push_str(" ORDER BY deadline, id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            r.get::<_, String>(0)
        })?;
        rows.map(|body| Ok(serde_json::from_str(&body?)?)).collect()
    }

    /// Every change of item `id`, oldest first.
    pub fn history(&self, id: &str) -> anyhow::Result<Vec<Entry>> {
        let mut stmt = self.conn.prepare(
            "SELECT version, at_ms, actor, body FROM changes WHERE item = ?1 ORDER BY version",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        rows.map(|row| {
            let (version, at_ms, actor, body) = row?;
            Ok(Entry {
                version: version as u64,
                at_ms: at_ms as u64,
                actor: serde_json::from_str(&actor)?,
                change: serde_json::from_str(&body)?,
            })
        })
        .collect()
    }
}

fn read_item(conn: &Connection, id: &str) -> anyhow::Result<Option<Item>> {
    let body: Option<String> = conn
        .query_row("SELECT body FROM items WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    body.map(|b| serde_json::from_str(&b).context("an item the register cannot read"))
        .transpose()
}

fn last_actor(conn: &Connection, id: &str) -> anyhow::Result<Option<Actor>> {
    let actor: Option<String> = conn
        .query_row(
            "SELECT actor FROM changes WHERE item = ?1 ORDER BY version DESC LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(actor.and_then(|a| serde_json::from_str(&a).ok()))
}

/// The change's row and the item's new state, in the caller's transaction.
fn write(
    conn: &Connection,
    item: &Item,
    change: &Change,
    actor: &Actor,
    at_ms: u64,
) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO changes (item, version, at_ms, actor, kind, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            item.id,
            item.version as i64,
            at_ms as i64,
            serde_json::to_string(actor)?,
            change.name(),
            serde_json::to_string(change)?,
        ],
    )?;
    conn.execute(
        "INSERT INTO items (id, version, state, department, deadline, public, updated_ms, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET version = ?2, state = ?3, department = ?4,
             deadline = ?5, public = ?6, updated_ms = ?7, body = ?8",
        params![
            item.id,
            item.version as i64,
            item.state.as_str(),
            item.department,
            item.deadline().to_string(),
            item.public,
            item.updated_ms as i64,
            serde_json::to_string(item)?,
        ],
    )?;
    Ok(())
}
