//! The office file's layout, as numbered steps: each step brings a file from
//! the version before it to its own, in one transaction, and a new file takes
//! every step in turn, so a file made today and one brought up from an old
//! version have the same tables. A file of a version after the last step is
//! refused by name, never rewritten.
//!
//! A new table (the roster's, the topics') is a new step at the end; a step
//! already released is never edited.

use rusqlite::Connection;

/// One step: the version it brings a file to, and what it does.
pub struct Step {
    pub version: i64,
    pub what: &'static str,
    pub sql: &'static str,
}

/// Every step, in order; the last one's version is the file's layout.
pub const STEPS: &[Step] = &[
    Step {
        version: 1,
        what: "the follow-up register: its items, their changes, the dashboard's figures",
        sql: "
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
    department_name TEXT NOT NULL,
    deadline TEXT NOT NULL,
    answered TEXT,
    rating TEXT,
    public INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    -- The item without its evidence, which a list does not need.
    body TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS items_by_department ON items (department, state, deadline);
CREATE INDEX IF NOT EXISTS items_by_deadline ON items (state, deadline);
CREATE TABLE IF NOT EXISTS figures (
    department TEXT NOT NULL,
    public INTEGER NOT NULL,
    name TEXT NOT NULL,
    items INTEGER NOT NULL DEFAULT 0,
    open INTEGER NOT NULL DEFAULT 0,
    answered INTEGER NOT NULL DEFAULT 0,
    on_time INTEGER NOT NULL DEFAULT 0,
    rated INTEGER NOT NULL DEFAULT 0,
    satisfied INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (department, public)
);
CREATE TABLE IF NOT EXISTS open_deadlines (
    department TEXT NOT NULL,
    public INTEGER NOT NULL,
    month TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (department, public, month)
);
CREATE INDEX IF NOT EXISTS items_open_by_deadline ON items (state, deadline, department, public);
",
    },
    Step {
        version: 2,
        what: "co-handling departments (会办), kept in each item's body",
        sql: "",
    },
    Step {
        version: 3,
        what: "who asked as a column, who co-handles as rows, the first screens' order in indexes, the review events taken",
        sql: "
ALTER TABLE items ADD COLUMN asker TEXT NOT NULL DEFAULT '';
UPDATE items SET asker = coalesce(json_extract(body, '$.origin.asker.participant'), '');
CREATE TABLE IF NOT EXISTS co_handlers (
    department TEXT NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (department, item)
) WITHOUT ROWID;
INSERT OR IGNORE INTO co_handlers (department, item)
    SELECT value, items.id FROM items, json_each(json_extract(items.body, '$.co_handling'));
CREATE INDEX IF NOT EXISTS co_handlers_by_item ON co_handlers (item);
CREATE INDEX IF NOT EXISTS items_open_first ON items (
    state IN ('assigned', 'acknowledged', 'in_progress') DESC, deadline, id);
CREATE INDEX IF NOT EXISTS items_public_open_first ON items (public,
    state IN ('assigned', 'acknowledged', 'in_progress') DESC, deadline, id);
CREATE INDEX IF NOT EXISTS items_department_open_first ON items (department,
    state IN ('assigned', 'acknowledged', 'in_progress') DESC, deadline, id);
CREATE INDEX IF NOT EXISTS items_asker_open_first ON items (asker,
    state IN ('assigned', 'acknowledged', 'in_progress') DESC, deadline, id);
-- The review events (回头看) a register has taken in, by the meeting's journal
-- id and the event's seq: taken live and imported after, counted once.
CREATE TABLE IF NOT EXISTS reviews_taken (
    journal TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (journal, seq)
) WITHOUT ROWID;
",
    },
    Step {
        version: 4,
        what: "the roster (委员名册): people and organisations; who asked, known beyond one meeting",
        sql: "
CREATE TABLE IF NOT EXISTS organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    contact TEXT,
    updated_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    sector TEXT,
    party TEXT,
    organisation TEXT,
    contact TEXT,
    updated_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS people_by_name ON people (name);
CREATE INDEX IF NOT EXISTS people_by_organisation ON people (organisation);
-- Who asked was a participant's id, which every plan gives to someone else:
-- from now on, a seat of its meeting (seat:MEETING/PARTICIPANT) or a roster
-- person (person:ID). The tokens kept for the bare ids are settled by
-- office::keys when the file is opened.
UPDATE items SET asker = CASE
        WHEN json_extract(body, '$.origin.asker.person') IS NOT NULL
            THEN 'person:' || json_extract(body, '$.origin.asker.person')
        ELSE 'seat:' || json_extract(body, '$.origin.journal_id') || '/' || asker
    END
    WHERE asker != '' AND asker NOT LIKE 'seat:%' AND asker NOT LIKE 'person:%';
",
    },
    Step {
        version: 5,
        what: "topics (征集选题): proposed, co-signed, supported, screened; their history, their supporters, their character pairs",
        sql: "
CREATE TABLE IF NOT EXISTS topics (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    round TEXT NOT NULL,
    stage TEXT NOT NULL,
    origin TEXT NOT NULL,
    -- person:ID, organisation:ID or resident:KEY
    proposer TEXT NOT NULL,
    number TEXT,
    supporters INTEGER NOT NULL DEFAULT 0,
    flagged INTEGER NOT NULL DEFAULT 0,
    updated_ms INTEGER NOT NULL,
    body TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS topics_by_stage ON topics (stage, updated_ms DESC, id);
CREATE INDEX IF NOT EXISTS topics_by_proposer ON topics (proposer, round);
CREATE INDEX IF NOT EXISTS topics_most_supported ON topics (supporters DESC, id);
CREATE TABLE IF NOT EXISTS topic_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    version INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS topic_changes_by_topic ON topic_changes (topic, seq);
-- Who is asked of a topic: its co-signers and evaluators (their own pages).
CREATE TABLE IF NOT EXISTS topic_people (
    person TEXT NOT NULL,
    topic TEXT NOT NULL,
    PRIMARY KEY (person, topic)
) WITHOUT ROWID;
-- One row a supporter a topic; a support taken back keeps its row, ended.
CREATE TABLE IF NOT EXISTS supports (
    topic TEXT NOT NULL,
    supporter TEXT NOT NULL,
    round TEXT NOT NULL,
    sector TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    ended_ms INTEGER,
    PRIMARY KEY (topic, supporter)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS supports_by_supporter ON supports (supporter, round) WHERE ended_ms IS NULL;
CREATE TABLE IF NOT EXISTS topic_grams (
    gram TEXT NOT NULL,
    topic TEXT NOT NULL,
    PRIMARY KEY (gram, topic)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
",
    },
    Step {
        version: 6,
        what: "a topic's character pairs and the people asked of it found by topic; the public list's order in an index",
        sql: "
-- Writing a topic replaces its pairs and the people asked of it; both tables
-- are keyed by the gram or the person first, so without these every write of
-- a topic (a support too) read the whole of them.
CREATE INDEX IF NOT EXISTS topic_grams_by_topic ON topic_grams (topic);
CREATE INDEX IF NOT EXISTS topic_people_by_topic ON topic_people (topic);
-- The list's whole order (most supported, then the newest, then the id):
-- with only (supporters DESC, id) SQLite read and sorted every topic, bodies
-- and all, for a page of 50.
CREATE INDEX IF NOT EXISTS topics_by_support ON topics (supporters DESC, updated_ms DESC, id);
",
    },
];

/// The layout this build reads and writes.
pub fn current() -> i64 {
    STEPS.last().map_or(0, |s| s.version)
}

/// Why a file could not be brought to the current layout.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    #[error("it is of a later layout ({found}; this build reads {reads}): use a newer xieshang")]
    Later { found: i64, reads: i64 },
    #[error("cannot bring it to layout {version} ({what}): {source}")]
    Step {
        version: i64,
        what: &'static str,
        source: rusqlite::Error,
    },
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
}

/// Brings `conn` from the layout it has to the current one, a step a
/// transaction; the version it had.
pub fn bring_up(conn: &mut Connection) -> Result<i64, LayoutError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > current() {
        return Err(LayoutError::Later {
            found,
            reads: current(),
        });
    }
    for step in STEPS.iter().filter(|s| s.version > found) {
        let tx = conn.transaction()?;
        tx.execute_batch(step.sql)
            .and_then(|()| tx.pragma_update(None, "user_version", step.version))
            .map_err(|source| LayoutError::Step {
                version: step.version,
                what: step.what,
                source,
            })?;
        tx.commit()?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables and indexes of a file, as SQLite keeps their definitions.
    fn schema(conn: &Connection) -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn steps_are_numbered_in_order_and_a_file_from_any_step_ends_the_same() {
        for pair in STEPS.windows(2) {
            assert_eq!(pair[1].version, pair[0].version + 1, "{}", pair[1].what);
        }
        let mut fresh = Connection::open_in_memory().unwrap();
        assert_eq!(bring_up(&mut fresh).unwrap(), 0);
        let whole = schema(&fresh);
        for start in 1..current() {
            let mut old = Connection::open_in_memory().unwrap();
            for step in STEPS.iter().filter(|s| s.version <= start) {
                old.execute_batch(step.sql).unwrap();
            }
            old.pragma_update(None, "user_version", start).unwrap();
            assert_eq!(bring_up(&mut old).unwrap(), start);
            assert_eq!(schema(&old), whole, "from layout {start}");
        }
        // Taken again, nothing happens.
        assert_eq!(bring_up(&mut fresh).unwrap(), current());
    }

    #[test]
    fn a_later_layout_is_refused_and_left_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", current() + 1)
            .unwrap();
        let e = bring_up(&mut conn).unwrap_err();
        assert!(e.to_string().contains("later layout"), "{e}");
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, current() + 1);
    }
}
