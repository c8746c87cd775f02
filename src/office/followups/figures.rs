//! The dashboard's figures per department, kept as the register changes so that
//! reading them never walks the items: counts per department (and public or
//! not) written in the same transaction as each item's row, and the open items'
//! deadlines counted per month. "Overdue today" is then the months before this
//! one, summed, and this month's open items whose deadline has passed, a short
//! range of an index. Their tables (`figures`, `open_deadlines`) are the
//! office's first layout step (`office::layout`).

use super::DepartmentFigures;
use crate::meeting::followups::Date;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;

const OPEN: &str = "('assigned', 'acknowledged', 'in_progress')";

/// What an item's row counts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    pub department: String,
    pub name: String,
    pub public: bool,
    pub state: String,
    pub deadline: String,
    pub answered: Option<String>,
    pub rating: Option<String>,
}

impl Row {
    fn open(&self) -> bool {
        matches!(
            self.state.as_str(),
            "assigned" | "acknowledged" | "in_progress"
        )
    }

    /// items, open, answered, on time, rated, satisfied.
    fn counts(&self) -> [i64; 6] {
        let answered = self.answered.is_some();
        [
            1,
            i64::from(self.open()),
            i64::from(answered),
            i64::from(
                self.answered
                    .as_deref()
                    .is_some_and(|a| a <= self.deadline.as_str()),
            ),
            i64::from(self.rating.is_some()),
            i64::from(matches!(
                self.rating.as_deref(),
                Some("satisfied" | "basically_satisfied")
            )),
        ]
    }
}

/// The row of item `id` as it is now, before it changes.
pub(super) fn before(conn: &Connection, id: &str) -> anyhow::Result<Option<Row>> {
    Ok(conn
        .prepare_cached(
            "SELECT department, department_name, public, state, deadline, answered, rating
             FROM items WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Row {
                department: r.get(0)?,
                name: r.get(1)?,
                public: r.get(2)?,
                state: r.get(3)?,
                deadline: r.get(4)?,
                answered: r.get(5)?,
                rating: r.get(6)?,
            })
        })
        .optional()?)
}

/// Moves the counts from `old` (if the item was there) to `new`.
pub(super) fn account(conn: &Connection, old: Option<&Row>, new: &Row) -> anyhow::Result<()> {
    if old == Some(new) {
        return Ok(());
    }
    if let Some(old) = old {
        add(conn, old, -1)?;
    }
    add(conn, new, 1)
}

fn add(conn: &Connection, row: &Row, sign: i64) -> anyhow::Result<()> {
    let c = row.counts().map(|n| n * sign);
    conn.prepare_cached(
        "INSERT INTO figures (department, public, name, items, open, answered, on_time, rated, satisfied)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (department, public) DO UPDATE SET name = ?3,
             items = items + ?4, open = open + ?5, answered = answered + ?6,
             on_time = on_time + ?7, rated = rated + ?8, satisfied = satisfied + ?9",
    )?
    .execute(params![
        row.department,
        row.public,
        row.name,
        c[0],
        c[1],
        c[2],
        c[3],
        c[4],
        c[5]
    ])?;
    if row.open() {
        conn.prepare_cached(
            "INSERT INTO open_deadlines (department, public, month, n) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (department, public, month) DO UPDATE SET n = n + ?4",
        )?
        .execute(params![
            row.department,
            row.public,
            &row.deadline[..7.min(row.deadline.len())],
            sign
        ])?;
    }
    Ok(())
}

/// Per department, as of `today` (overdue: open, the deadline's day over).
pub(super) fn read(
    conn: &Connection,
    today: Date,
    public_only: bool,
) -> anyhow::Result<Vec<DepartmentFigures>> {
    let mut out: BTreeMap<String, DepartmentFigures> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT department, MAX(name), SUM(items), SUM(open), SUM(answered), SUM(on_time),
                SUM(rated), SUM(satisfied)
         FROM figures WHERE (?1 = 0 OR public = 1) GROUP BY department",
    )?;
    let rows = stmt.query_map([public_only], |r| {
        Ok(DepartmentFigures {
            department: r.get(0)?,
            name: r.get(1)?,
            items: r.get::<_, i64>(2)? as u64,
            open: r.get::<_, i64>(3)? as u64,
            overdue: 0,
            answered: r.get::<_, i64>(4)? as u64,
            on_time: r.get::<_, i64>(5)? as u64,
            rated: r.get::<_, i64>(6)? as u64,
            satisfied: r.get::<_, i64>(7)? as u64,
        })
    })?;
    for f in rows {
        let f = f?;
        if f.items > 0 {
            out.insert(f.department.clone(), f);
        }
    }
    let today = today.to_string();
    let month = &today[..7];
    let month_start = format!("{month}-01");
    let mut overdue = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> anyhow::Result<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map(args, |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (department, n) = row?;
            if let Some(f) = out.get_mut(&department) {
                f.overdue += n as u64;
            }
        }
        Ok(())
    };
    overdue(
        "SELECT department, SUM(n) FROM open_deadlines
         WHERE month < ?1 AND (?2 = 0 OR public = 1) GROUP BY department",
        &[&month, &public_only],
    )?;
    overdue(
        &format!(
            "SELECT department, COUNT(*) FROM items
             WHERE state IN {OPEN} AND deadline >= ?1 AND deadline < ?2 AND (?3 = 0 OR public = 1)
             GROUP BY department"
        ),
        &[&month_start, &today, &public_only],
    )?;
    Ok(out.into_values().collect())
}
