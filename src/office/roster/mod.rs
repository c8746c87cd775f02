//! The roster (委员名册), the office's second wing: the people and the
//! organisations (departments, parties and groups, contact points) the
//! secretariat keeps across meetings, each with a stable id. Plans name them
//! (`person`, `organisation`), the register knows askers by them, topics will
//! know proposers and co-signers by them.
//!
//! - [`import`]: a spreadsheet (CSV, UTF-8 or GB18030) read into people or
//!   organisations, every bad row said as FILE:LINE, nothing taken from a file
//!   with errors.
//! - [`seats`]: a plan's seats and departments checked against the roster.
//! - here: the tables' reads and writes, and the CSV and JSON they export as.

pub mod import;
pub mod seats;

use super::Office;
use crate::meeting::plan::Role;
use crate::meeting::roster::{OrgKind, Organisation, Person};
use rusqlite::{params, OptionalExtension, TransactionBehavior};

/// What putting rows in did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Put {
    pub added: usize,
    pub changed: usize,
    pub same: usize,
}

impl Office {
    /// A person of the roster.
    pub fn person(&self, id: &str) -> anyhow::Result<Option<Person>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, name, role, sector, party, organisation, contact FROM people WHERE id = ?1",
            )?
            .query_row([id], person_of)
            .optional()?)
    }

    /// Every person, by id.
    pub fn people(&self) -> anyhow::Result<Vec<Person>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, role, sector, party, organisation, contact FROM people ORDER BY id",
        )?;
        let rows = stmt.query_map([], person_of)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// People whose name holds `q`, or whose id is `q`: at most `limit`, by
    /// name (a page's search as one types; their contact is left out).
    pub fn find_people(&self, q: &str, limit: usize) -> anyhow::Result<Vec<Person>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, role, sector, party, organisation, NULL FROM people
             WHERE instr(name, ?1) > 0 OR id = ?1 ORDER BY name, id LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![q, limit as i64], person_of)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// An organisation of the roster.
    pub fn organisation(&self, id: &str) -> anyhow::Result<Option<Organisation>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id, name, kind, contact FROM organisations WHERE id = ?1")?
            .query_row([id], organisation_of)
            .optional()?)
    }

    /// Every organisation, by id.
    pub fn organisations(&self) -> anyhow::Result<Vec<Organisation>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, kind, contact FROM organisations ORDER BY id")?;
        let rows = stmt.query_map([], organisation_of)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds or updates `people`, all in one transaction, at `now_ms`.
    pub fn put_people(&mut self, people: &[Person], now_ms: u64) -> anyhow::Result<Put> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut put = Put::default();
        {
            let mut read = tx.prepare_cached(
                "SELECT id, name, role, sector, party, organisation, contact FROM people WHERE id = ?1",
            )?;
            let mut write = tx.prepare_cached(
                "INSERT INTO people (id, name, role, sector, party, organisation, contact, updated_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (id) DO UPDATE SET name = ?2, role = ?3, sector = ?4, party = ?5,
                     organisation = ?6, contact = ?7, updated_ms = ?8",
            )?;
            for p in people {
                match read.query_row([&p.id], person_of).optional()? {
                    Some(old) if old == *p => {
                        put.same += 1;
                        continue;
                    }
                    Some(_) => put.changed += 1,
                    None => put.added += 1,
                }
                write.execute(params![
                    p.id,
                    p.name,
                    p.role.as_str(),
                    p.sector,
                    p.party,
                    p.organisation,
                    p.contact,
                    now_ms as i64
                ])?;
            }
        }
        tx.commit()?;
        Ok(put)
    }

    /// Adds or updates `organisations`, all in one transaction, at `now_ms`.
    pub fn put_organisations(
        &mut self,
        organisations: &[Organisation],
        now_ms: u64,
    ) -> anyhow::Result<Put> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut put = Put::default();
        {
            let mut read = tx.prepare_cached(
                "SELECT id, name, kind, contact FROM organisations WHERE id = ?1",
            )?;
            let mut write = tx.prepare_cached(
                "INSERT INTO organisations (id, name, kind, contact, updated_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO UPDATE SET name = ?2, kind = ?3, contact = ?4, updated_ms = ?5",
            )?;
            for o in organisations {
                match read.query_row([&o.id], organisation_of).optional()? {
                    Some(old) if old == *o => {
                        put.same += 1;
                        continue;
                    }
                    Some(_) => put.changed += 1,
                    None => put.added += 1,
                }
                write.execute(params![
                    o.id,
                    o.name,
                    o.kind.as_str(),
                    o.contact,
                    now_ms as i64
                ])?;
            }
        }
        tx.commit()?;
        Ok(put)
    }
}

fn person_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Person> {
    let role: String = r.get(2)?;
    Ok(Person {
        id: r.get(0)?,
        name: r.get(1)?,
        // Written by this program from a checked role; an unknown one (a later
        // version's) reads as a member's.
        role: Role::parse(&role).unwrap_or(Role::Member),
        sector: r.get(3)?,
        party: r.get(4)?,
        organisation: r.get(5)?,
        contact: r.get(6)?,
    })
}

fn organisation_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Organisation> {
    let kind: String = r.get(2)?;
    Ok(Organisation {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: OrgKind::parse(&kind).unwrap_or(OrgKind::Department),
        contact: r.get(3)?,
    })
}

/// The people as a spreadsheet for Excel, with the header `import` reads back.
pub fn people_csv(people: &[Person], lang: crate::meeting::plan::Language) -> String {
    let w = &crate::lang::catalogue::of(lang).roster;
    let head = vec![
        w.id.to_string(),
        w.name.to_string(),
        w.role.to_string(),
        w.sector.to_string(),
        w.party.to_string(),
        w.organisation.to_string(),
        w.contact.to_string(),
    ];
    let rows = people.iter().map(|p| {
        vec![
            p.id.clone(),
            p.name.clone(),
            crate::lang::role(lang, p.role).to_string(),
            p.sector.clone().unwrap_or_default(),
            p.party.clone().unwrap_or_default(),
            p.organisation.clone().unwrap_or_default(),
            p.contact.clone().unwrap_or_default(),
        ]
    });
    super::sheet::write(std::iter::once(head).chain(rows))
}

/// The organisations as a spreadsheet for Excel, with the header `import`
/// reads back.
pub fn organisations_csv(
    organisations: &[Organisation],
    lang: crate::meeting::plan::Language,
) -> String {
    let w = &crate::lang::catalogue::of(lang).roster;
    let head = vec![
        w.id.to_string(),
        w.org_name.to_string(),
        w.kind.to_string(),
        w.contact.to_string(),
    ];
    let rows = organisations.iter().map(|o| {
        vec![
            o.id.clone(),
            o.name.clone(),
            kind_word(lang, o.kind).to_string(),
            o.contact.clone().unwrap_or_default(),
        ]
    });
    super::sheet::write(std::iter::once(head).chain(rows))
}

/// An organisation's kind, as a person reads it.
pub fn kind_word(lang: crate::meeting::plan::Language, kind: OrgKind) -> &'static str {
    let w = &crate::lang::catalogue::of(lang).roster;
    match kind {
        OrgKind::Department => w.kind_department,
        OrgKind::Party => w.kind_party,
        OrgKind::ContactPoint => w.kind_contact_point,
    }
}
