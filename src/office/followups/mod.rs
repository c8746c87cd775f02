//! The follow-up register (督办台账), the office's first wing: every change is
//! an append-only row of `changes` (who, when, what, the item's version) and
//! the item's current state a row of `items`, both written in one transaction.
//! The rules are the core's (`meeting::followups`): this file only reads,
//! decides with them, and writes.
//!
//! - [`figures`]: the dashboard's per-department counts, kept in the same
//!   transaction as each change.
//! - [`import`]: a meeting's journal → its promises, as items.
//! - [`take`]: a meeting's review events (回头看) → changes, live or imported.
//! - [`recall`]: the register → a plan's review steps (what they bring back).
//! - [`export`]: CSV, JSON, Markdown and each department's reminder.
//! - [`pages`]: the register on HTTP (the public dashboard, a holder's page).

pub mod export;
mod figures;
pub mod import;
pub mod pages;
pub mod recall;
pub mod take;

use super::keys;
use super::Office;
use crate::meeting::followups::{self, Actor, Change, Command, Item, Refusal};
use crate::meeting::roster::Who;
use anyhow::Context;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

/// Open items first, the longest overdue first: the order of every first screen
/// (the indexes of layout 3 hold it, word for word).
const OPEN_FIRST: &str = "state IN ('assigned', 'acknowledged', 'in_progress') DESC, deadline, id";

/// An open item, as the indexes of the open-first order say it.
const IS_OPEN: &str = "state IN ('assigned', 'acknowledged', 'in_progress')";

/// The meeting's key, the same wherever and whenever it is worked out: the
/// plan's date (else the day the record was made, UTC) and a digest of the
/// record's identity (when it was made, from which plan).
pub fn meeting_key(header: &crate::journal::Header) -> String {
    use sha2::Digest;
    let mut digest = sha2::Sha256::new();
    digest.update(header.created_at.as_bytes());
    digest.update(header.plan_sha256.as_bytes());
    let day = header
        .plan
        .meeting
        .date
        .as_deref()
        .and_then(followups::Date::parse)
        .unwrap_or_else(|| followups::Date::of_ms(header.created_at_ms, 0));
    let (y, m, d) = day.ymd();
    format!(
        "{y:04}{m:02}{d:02}-{}",
        &hex::encode(digest.finalize())[..6]
    )
}

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

/// A department's figures (the public dashboard's 双公开).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DepartmentFigures {
    pub department: String,
    pub name: String,
    pub items: u64,
    pub open: u64,
    pub overdue: u64,
    pub answered: u64,
    /// Answered on or before the deadline.
    pub on_time: u64,
    pub rated: u64,
    /// Rated satisfied or basically satisfied.
    pub satisfied: u64,
}

/// Which items a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The lead department's id.
    pub department: Option<String>,
    /// A department's own: those it leads or co-handles (its page).
    pub handled_by: Option<String>,
    /// An asker's own (their page), from every meeting they asked in.
    pub asker: Option<Who>,
    pub state: Option<followups::ItemState>,
    pub public_only: bool,
    /// Only those overdue on this day: open, their deadline before it.
    pub overdue_on: Option<followups::Date>,
}

impl Office {
    /// Adds `item` unless an item of its id is there: `false` then, and nothing
    /// changes (importing a journal twice adds nothing).
    pub fn insert_item(&mut self, item: &Item, actor: &Actor) -> anyhow::Result<bool> {
        Ok(self.insert_items(std::slice::from_ref(item), actor)?[0])
    }

    /// Adds every item not there yet, all in one transaction (one wait for the
    /// disk, however many): whether each was added.
    pub fn insert_items(&mut self, items: &[Item], actor: &Actor) -> anyhow::Result<Vec<bool>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut added = Vec::with_capacity(items.len());
        for item in items {
            let exists = tx
                .query_row("SELECT 1 FROM items WHERE id = ?1", [&item.id], |_| Ok(()))
                .optional()?
                .is_some();
            if !exists {
                let change = Change::Created {
                    item: Box::new(item.clone()),
                };
                write(&tx, item, &change, actor, item.created_ms)?;
            }
            added.push(!exists);
        }
        tx.commit()?;
        Ok(added)
    }

    /// Loads items each with its changes after creation, in one transaction, as
    /// fast as the disk allows: for restoring an export and for measuring a large
    /// register. The changes are applied by the rules' `apply`, not decided.
    pub fn load_items(
        &mut self,
        items: impl IntoIterator<Item = (Item, Actor, Vec<(Actor, Change, u64)>)>,
    ) -> anyhow::Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut n = 0;
        for (mut item, creator, changes) in items {
            let created = Change::Created {
                item: Box::new(item.clone()),
            };
            write_change(&tx, &item, &created, &creator, item.created_ms)?;
            for (actor, change, at_ms) in changes {
                followups::apply(&mut item, &change, at_ms);
                write_change(&tx, &item, &change, &actor, at_ms)?;
            }
            write_item(&tx, &item)?;
            n += 1;
        }
        tx.commit()?;
        Ok(n)
    }

    /// Per department: how many items, open, overdue on `today`, answered on
    /// time of those answered, satisfied (or basically) of those rated; public
    /// items only when `public_only` (the dashboard with no token).
    pub fn figures(
        &self,
        today: followups::Date,
        public_only: bool,
    ) -> anyhow::Result<Vec<DepartmentFigures>> {
        figures::read(&self.conn, today, public_only)
    }

    /// Decides `command` on item `id` as `actor` at `now_ms`, and records it.
    pub fn update_item(
        &mut self,
        id: &str,
        command: &Command,
        ctx: followups::Ctx,
    ) -> Result<Item, UpdateError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(anyhow::Error::from)?;
        let mut item = read_item(&tx, id)?.ok_or_else(|| UpdateError::NoSuchItem(id.into()))?;
        let change = match followups::decide(&item, command, ctx) {
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
        followups::apply(&mut item, &change, ctx.now_ms);
        write(&tx, &item, &change, ctx.actor, ctx.now_ms)?;
        tx.commit().map_err(anyhow::Error::from)?;
        Ok(item)
    }

    pub fn item(&self, id: &str) -> anyhow::Result<Option<Item>> {
        read_item(&self.conn, id)
    }

    /// Carries out `steps` (each a command on an item, as someone) once for the
    /// key (`journal`, `seq`), all in one transaction with the key itself: `None`
    /// when the key was taken already, else each step's item or refusal (a
    /// refused step changes nothing and the others go on).
    pub fn once(
        &mut self,
        (journal, seq): (&str, u64),
        steps: &[(String, Command, Actor)],
        now_ms: u64,
        offset_s: i32,
    ) -> anyhow::Result<Option<Vec<Result<Item, UpdateError>>>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let added = tx
            .prepare_cached("INSERT OR IGNORE INTO reviews_taken (journal, seq) VALUES (?1, ?2)")?
            .execute(params![journal, seq as i64])?;
        if added == 0 {
            return Ok(None);
        }
        let mut done = Vec::new();
        for (id, command, actor) in steps {
            let Some(mut item) = read_item(&tx, id)? else {
                done.push(Err(UpdateError::NoSuchItem(id.clone())));
                continue;
            };
            let ctx = followups::Ctx {
                actor,
                now_ms,
                offset_s,
                seen: None,
            };
            match followups::decide(&item, command, ctx) {
                Ok(change) => {
                    followups::apply(&mut item, &change, now_ms);
                    write(&tx, &item, &change, actor, now_ms)?;
                    done.push(Ok(item));
                }
                Err(r) => done.push(Err(UpdateError::Refused(r))),
            }
        }
        tx.commit()?;
        Ok(Some(done))
    }

    /// Items as `filter` says, by deadline, without their evidence (`get`, or
    /// `list_whole`, has it).
    pub fn items(&self, filter: &Filter) -> anyhow::Result<Vec<Item>> {
        self.by_deadline(filter, false)
    }

    /// [`Office::items`], each item whole, its evidence included.
    pub fn items_whole(&self, filter: &Filter) -> anyhow::Result<Vec<Item>> {
        self.by_deadline(filter, true)
    }

    /// Every item `filter` finds, by deadline and id: read in whichever order
    /// an index gives them and sorted here, once parsed. Sorted by SQLite, each
    /// row's text went through its sorter first (a department's 2,500: 20 ms
    /// instead of 10 to read them).
    fn by_deadline(&self, filter: &Filter, whole: bool) -> anyhow::Result<Vec<Item>> {
        let mut items = self.select(filter, "", whole)?;
        items.sort_unstable_by(|a, b| (a.deadline(), &a.id).cmp(&(b.deadline(), &b.id)));
        Ok(items)
    }

    /// The first `limit` items as `filter` says, open ones first, the longest
    /// overdue first (a console's or a page's first screen); whole (with their
    /// evidence) when `whole`.
    pub fn first_items(
        &self,
        filter: &Filter,
        limit: usize,
        whole: bool,
    ) -> anyhow::Result<Vec<Item>> {
        self.items_page(filter, 0, limit, whole)
    }

    /// The items as `filter` says in the order of [`Office::first_items`], from
    /// the `offset`-th, at most `limit` of them: a console's screen anywhere in
    /// a long list.
    pub fn items_page(
        &self,
        filter: &Filter,
        offset: usize,
        limit: usize,
        whole: bool,
    ) -> anyhow::Result<Vec<Item>> {
        // All open or all not (a state, overdue): the same order, by deadline,
        // which the indexes give a page of without sorting every row found.
        let order = if filter.state.is_some() || filter.overdue_on.is_some() {
            "deadline, id"
        } else {
            OPEN_FIRST
        };
        self.select(
            filter,
            &format!("{order} LIMIT {limit} OFFSET {offset}"),
            whole,
        )
    }

    /// Where item `id` stands among the items `filter` finds, in the order of
    /// [`Office::first_items`] (0 the first); `None` when it is not among them.
    /// Counted on the open-first indexes: those open (when it is not), then
    /// those of its openness before it by deadline and id.
    pub fn item_position(&self, filter: &Filter, id: &str) -> anyhow::Result<Option<u64>> {
        let (sql, mut args) = Self::query(filter, "state, deadline", "");
        args.push(id.to_string());
        let found: Option<(String, String)> = self
            .conn
            .prepare_cached(&format!("{sql} AND id = ?{}", args.len()))?
            .query_row(rusqlite::params_from_iter(args.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let Some((state, deadline)) = found else {
            return Ok(None);
        };
        let open = followups::ItemState::parse(&state).is_some_and(|s| s.is_open());
        let count = |tail: &str, more: &[&str]| -> anyhow::Result<u64> {
            let (sql, mut args) = Self::query(filter, "count(*)", "");
            let n = args.len();
            args.extend(more.iter().map(|m| m.to_string()));
            let tail = tail.replace("?A", &format!("?{}", n + 1));
            let tail = tail.replace("?B", &format!("?{}", n + 2));
            let n: i64 = self
                .conn
                .prepare_cached(&format!("{sql}{tail}"))?
                .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
            Ok(n as u64)
        };
        let same = format!(
            " AND ({IS_OPEN}) = {} AND (deadline, id) < (?A, ?B)",
            open as u8
        );
        let mut before = count(&same, &[&deadline, id])?;
        if !open {
            before += count(&format!(" AND ({IS_OPEN}) = 1"), &[])?;
        }
        Ok(Some(before))
    }

    /// The departments that lead items (id, name), by id: from the figures kept
    /// per department, not the items (a handful of rows, however many items).
    pub fn lead_departments(&self) -> anyhow::Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT department, min(name) FROM figures WHERE items > 0
             GROUP BY department ORDER BY department",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many items `filter` finds.
    pub fn count_items(&self, filter: &Filter) -> anyhow::Result<u64> {
        let (sql, args) = Self::query(filter, "count(*)", "");
        let n: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
        Ok(n as u64)
    }

    fn select(&self, filter: &Filter, order: &str, whole: bool) -> anyhow::Result<Vec<Item>> {
        let columns = if whole { "body, evidence" } else { "body, ''" };
        let tail = if order.is_empty() {
            String::new()
        } else {
            format!(" ORDER BY {order}")
        };
        let (sql, args) = Self::query(filter, columns, &tail);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        // Parsed a chunk at a time, so that the rows' text and the items made of
        // it are never both held whole (a list of 100,000 items).
        let mut items = Vec::new();
        let mut chunk: Vec<(String, String)> = Vec::with_capacity(PARSE_CHUNK);
        for row in rows {
            chunk.push(row?);
            if chunk.len() == PARSE_CHUNK {
                items.extend(parse_rows(&chunk, whole)?);
                chunk.clear();
            }
        }
        items.extend(parse_rows(&chunk, whole)?);
        Ok(items)
    }

    /// `SELECT columns FROM items WHERE (filter) tail`, and its arguments.
    fn query(filter: &Filter, columns: &str, tail: &str) -> (String, Vec<String>) {
        let mut sql = format!("SELECT {columns} FROM items WHERE 1 = 1");
        let mut args: Vec<String> = Vec::new();
        if let Some(d) = &filter.department {
            args.push(d.clone());
            sql.push_str(&format!(" AND department = ?{}", args.len()));
        }
        if let Some(d) = &filter.handled_by {
            args.push(d.clone());
            let n = args.len();
            sql.push_str(&format!(
                " AND (department = ?{n} OR id IN (SELECT item FROM co_handlers WHERE department = ?{n}))"
            ));
        }
        if let Some(a) = &filter.asker {
            args.push(a.to_string());
            sql.push_str(&format!(" AND asker = ?{}", args.len()));
        }
        if let Some(s) = filter.state {
            args.push(s.as_str().to_string());
            sql.push_str(&format!(" AND state = ?{}", args.len()));
        }
        if filter.public_only {
            sql.push_str(" AND public = 1");
        }
        if let Some(day) = filter.overdue_on {
            args.push(day.to_string());
            // As the open-first indexes hold it, so that they find these.
            sql.push_str(&format!(
                " AND ({IS_OPEN}) = 1 AND deadline < ?{}",
                args.len()
            ));
        }
        sql.push_str(tail);
        (sql, args)
    }

    /// Everyone the items name: lead and co-handling departments (by id), then
    /// askers (each a roster person, or a seat of one meeting); a co-handling
    /// department that leads nothing is named by its id.
    pub(crate) fn register_holders(&self) -> anyhow::Result<Vec<keys::Holder>> {
        let mut departments = std::collections::BTreeMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT department, min(department_name) FROM items GROUP BY department")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (id, name) = row?;
            departments.insert(id, name);
        }
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT department FROM co_handlers")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let id = row?;
            departments.entry(id.clone()).or_insert(id);
        }
        let mut holders: Vec<keys::Holder> = departments
            .into_iter()
            .map(|(id, name)| keys::Holder::Department { id, name })
            .collect();
        let mut stmt = self.conn.prepare(
            "SELECT asker, min(json_extract(body, '$.origin.asker.name')) FROM items
             WHERE asker != '' GROUP BY asker",
        )?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (who, name) = row?;
            let who: Who = who.parse().unwrap_or_else(|e| match e {});
            holders.push(keys::Holder::Asker { who, name });
        }
        Ok(holders)
    }

    /// The last change's sequence number: anything written since by anyone
    /// makes it larger (a page's cheap "has anything changed").
    pub fn last_change(&self) -> anyhow::Result<u64> {
        let seq: Option<i64> = self
            .conn
            .query_row("SELECT max(seq) FROM changes", [], |r| r.get(0))?;
        Ok(seq.unwrap_or(0) as u64)
    }

    /// Every change of item `id`, oldest first.
    pub fn item_history(&self, id: &str) -> anyhow::Result<Vec<Entry>> {
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

/// Rows parsed together (on two threads when there are enough of them).
const PARSE_CHUNK: usize = 16_384;

/// Items from their rows (body, evidence); a long list is parsed on two
/// threads, its second half on another while this one does the first.
fn parse_rows(rows: &[(String, String)], whole: bool) -> anyhow::Result<Vec<Item>> {
    let parse = |rows: &[(String, String)]| -> anyhow::Result<Vec<Item>> {
        rows.iter()
            .map(|(body, evidence)| {
                let mut item: Item = serde_json::from_str(body)?;
                if whole {
                    item.evidence = serde_json::from_str(evidence)?;
                }
                Ok(item)
            })
            .collect()
    };
    if rows.len() < 1_024 {
        return parse(rows);
    }
    let (first, second) = rows.split_at(rows.len() / 2);
    std::thread::scope(|scope| {
        let later = scope.spawn(|| parse(second));
        let mut items = parse(first)?;
        items.extend(later.join().expect("parsing does not panic")?);
        Ok(items)
    })
}

/// Item `id` whole, its evidence included.
fn read_item(conn: &Connection, id: &str) -> anyhow::Result<Option<Item>> {
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT body, evidence FROM items WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    row.map(|(body, evidence)| {
        let mut item: Item =
            serde_json::from_str(&body).context("an item the register cannot read")?;
        item.evidence =
            serde_json::from_str(&evidence).context("evidence the register cannot read")?;
        Ok(item)
    })
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
    write_change(conn, item, change, actor, at_ms)?;
    write_item(conn, item)
}

fn write_change(
    conn: &Connection,
    item: &Item,
    change: &Change,
    actor: &Actor,
    at_ms: u64,
) -> anyhow::Result<()> {
    conn.prepare_cached(
        "INSERT INTO changes (item, version, at_ms, actor, kind, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        item.id,
        item.version as i64,
        at_ms as i64,
        serde_json::to_string(actor)?,
        change.name(),
        serde_json::to_string(change)?,
    ])?;
    Ok(())
}

fn write_item(conn: &Connection, item: &Item) -> anyhow::Result<()> {
    let old = figures::before(conn, &item.id)?;
    let row = figures::Row {
        department: item.department.clone(),
        name: item.department_name.clone(),
        public: item.public,
        state: item.state.as_str().to_string(),
        deadline: item.deadline().to_string(),
        answered: item.answer.as_ref().map(|a| a.date.to_string()),
        rating: item
            .rating
            .as_ref()
            .map(|r| rating_name(r.rating).to_string()),
    };
    figures::account(conn, old.as_ref(), &row)?;
    conn.prepare_cached(
        "INSERT INTO items (id, version, state, department, department_name, deadline, answered, rating, public, updated_ms, body, evidence, asker)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (id) DO UPDATE SET version = ?2, state = ?3, department = ?4,
             department_name = ?5, deadline = ?6, answered = ?7, rating = ?8, public = ?9,
             updated_ms = ?10, body = ?11, evidence = ?12, asker = ?13",
    )?
    .execute(params![
        item.id,
        item.version as i64,
        item.state.as_str(),
        item.department,
        item.department_name,
        item.deadline().to_string(),
        item.answer.as_ref().map(|a| a.date.to_string()),
        item.rating.as_ref().map(|r| rating_name(r.rating)),
        item.public,
        item.updated_ms as i64,
        serde_json::to_string(&Item {
            evidence: Vec::new(),
            ..item.clone()
        })?,
        serde_json::to_string(&item.evidence)?,
        item.asker().to_string(),
    ])?;
    // Who co-handles it, as rows a department's page finds by index.
    conn.prepare_cached("DELETE FROM co_handlers WHERE item = ?1")?
        .execute([&item.id])?;
    let mut add = conn
        .prepare_cached("INSERT OR IGNORE INTO co_handlers (department, item) VALUES (?1, ?2)")?;
    for d in &item.co_handling {
        add.execute([d, &item.id])?;
    }
    Ok(())
}

fn rating_name(rating: followups::Rating) -> &'static str {
    match rating {
        followups::Rating::Satisfied => "satisfied",
        followups::Rating::BasicallySatisfied => "basically_satisfied",
        followups::Rating::Dissatisfied => "dissatisfied",
    }
}
