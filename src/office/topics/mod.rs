//! Topics (征集选题 → 立题), the office's third wing: every change an
//! append-only row of `topic_changes` (who, when, what, the topic's version)
//! and the topic's row, in one transaction; supporters a row each (one a
//! topic, a cap a round), counted on the topic in that same transaction; the
//! character pairs of each topic indexed, so similar ones are found while one
//! is written. The rules are the core's (`meeting::topics`).
//!
//! - [`plan`]: a topic chosen (立题) written as a meeting's plan.
//! - [`recirculate`]: a promise that failed, back as a draft topic (回流).

pub mod chain;
pub mod pages;
pub mod plan;
pub mod recirculate;

use super::Office;
use crate::meeting::topics::{
    self, apply, decide, similar, Actor, Change, Command, Ctx, NewTopic, Proposer, Refusal, Stage,
    Thresholds, Topic,
};
use anyhow::Context;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

/// Why a change to a topic did not happen.
#[derive(Debug, thiserror::Error)]
pub enum TopicError {
    #[error("no topic {0}")]
    NoSuchTopic(String),
    #[error("{0}")]
    Refused(Refusal),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl From<rusqlite::Error> for TopicError {
    fn from(e: rusqlite::Error) -> TopicError {
        TopicError::Store(e.into())
    }
}

/// Which topics a list shows.
#[derive(Debug, Clone, Default)]
pub struct TopicFilter {
    pub stage: Option<Stage>,
    pub round: Option<String>,
    /// A proposer's own: `person:ID`, `organisation:ID` or `resident:KEY`.
    pub proposer: Option<String>,
    /// A person's own: those they propose, co-sign or evaluate.
    pub person: Option<String>,
    /// What the public sees: submitted and after, never a draft.
    pub public: bool,
    /// Residents' topics a contact point wrote down: proposer keys that
    /// start so.
    pub entered_through: Option<String>,
}

/// One row of a topic's history.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TopicEntry {
    pub version: u64,
    pub at_ms: u64,
    pub actor: Actor,
    pub change: Change,
}

/// A topic found like the one being written, and how alike (0 to 1).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Similar {
    pub id: String,
    pub title: String,
    pub stage: Stage,
    pub likeness: f64,
}

/// A proposer as the `proposer` column keys them.
pub fn proposer_key(p: &Proposer) -> String {
    match p {
        Proposer::Person { person } => format!("person:{person}"),
        Proposer::Organisation { organisation } => format!("organisation:{organisation}"),
        Proposer::Resident { key } => format!("resident:{key}"),
    }
}

/// The stages the public sees: every one after a draft.
const PUBLIC_STAGES: &str = "stage != 'draft'";

impl Office {
    /// The office's thresholds (初审's support by origin, supports a round).
    pub fn thresholds(&self) -> anyhow::Result<Thresholds> {
        let value: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'topic_thresholds'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(value
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default())
    }

    pub fn set_thresholds(&mut self, t: &Thresholds) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES ('topic_thresholds', ?1)
             ON CONFLICT (key) DO UPDATE SET value = ?1",
            [serde_json::to_string(t)?],
        )?;
        Ok(())
    }

    /// A new draft topic of `new` (its id made here, `t00001` …), written down
    /// by `by`, at `now_ms`. A resident proposes once a round: a second is
    /// refused, naming the first.
    pub fn propose(&mut self, new: NewTopic, by: &Actor, now_ms: u64) -> Result<Topic, TopicError> {
        topics::rules::check_text(&new.text).map_err(TopicError::Refused)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let key = proposer_key(&new.proposer);
        if matches!(new.proposer, Proposer::Resident { .. }) {
            let first: Option<String> = tx
                .query_row(
                    "SELECT id FROM topics WHERE proposer = ?1 AND round = ?2 AND stage != 'withdrawn'",
                    params![key, new.round],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(first) = first {
                return Err(TopicError::Refused(Refusal::WrongStage {
                    id: first,
                    stage: "proposed",
                    what: "joined by a second proposal of the same person this round",
                }));
            }
        }
        let n: i64 = tx.query_row("SELECT count(*) FROM topics", [], |r| r.get(0))?;
        let mut id = format!("t{:05}", n + 1);
        while tx
            .query_row("SELECT 1 FROM topics WHERE id = ?1", [&id], |_| Ok(()))
            .optional()?
            .is_some()
        {
            id = format!(
                "t{:05}-{}",
                n + 1,
                crate::private::random_hex().map_err(anyhow::Error::from)?
            );
        }
        let topic = topics::create(NewTopic { id, ..new }, now_ms);
        let created = Change::Created {
            topic: Box::new(topic.clone()),
        };
        write_change(&tx, &topic, &created, by, now_ms)?;
        write_topic(&tx, &topic)?;
        tx.commit()?;
        Ok(topic)
    }

    /// Topic `id`.
    pub fn topic(&self, id: &str) -> anyhow::Result<Option<Topic>> {
        read_topic(&self.conn, id)
    }

    /// Decides `command` on topic `id` as `actor` (the version they saw, when
    /// a page sent it) and records it; a support or its withdrawal by a
    /// supporter (`Actor::Supporter`) is kept in `supports` too, and a merge
    /// links the topic merged into and asks its co-signers to co-sign that
    /// one (asked, never moved).
    pub fn update_topic(
        &mut self,
        id: &str,
        command: &Command,
        actor: &Actor,
        seen: Option<u64>,
        (now_ms, offset_s): (u64, i32),
    ) -> Result<Topic, TopicError> {
        let thresholds = self.thresholds()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut topic =
            read_topic(&tx, id)?.ok_or_else(|| TopicError::NoSuchTopic(id.to_string()))?;
        // What the store knows of a supporter: their support of it, and how
        // many of its round they support.
        let (supporting, sector) = match actor {
            Actor::Supporter { key } => {
                let sector: Option<String> = tx
                    .prepare_cached(
                        "SELECT sector FROM supports WHERE topic = ?1 AND supporter = ?2 AND ended_ms IS NULL",
                    )?
                    .query_row(params![id, key], |r| r.get(0))
                    .optional()?;
                let in_round: i64 = tx
                    .prepare_cached(
                        "SELECT count(*) FROM supports WHERE supporter = ?1 AND round = ?2 AND ended_ms IS NULL",
                    )?
                    .query_row(params![key, topic.round], |r| r.get(0))?;
                (Some((sector.is_some(), in_round as u64)), sector)
            }
            _ => (None, None),
        };
        let ctx = Ctx {
            actor,
            now_ms,
            offset_s,
            seen,
            thresholds,
            supporting,
            supported_sector: sector.as_deref(),
        };
        let change = match decide(&topic, command, ctx) {
            Ok(change) => change,
            Err(Refusal::Stale { id, version, .. }) => {
                let by = last_topic_actor(&tx, &id)?.map(|a| a.name().to_string());
                return Err(TopicError::Refused(Refusal::Stale {
                    id,
                    version,
                    by: by.unwrap_or_default(),
                }));
            }
            Err(r) => return Err(TopicError::Refused(r)),
        };
        // A merge needs the topic it goes into.
        let into = match &change {
            Change::Screened {
                into: Some(into), ..
            } => Some(read_topic(&tx, into)?.ok_or_else(|| TopicError::NoSuchTopic(into.clone()))?),
            _ => None,
        };
        apply(&mut topic, &change, now_ms);
        match (&change, actor) {
            (Change::Supported { sector }, Actor::Supporter { key }) => {
                tx.prepare_cached(
                    "INSERT INTO supports (topic, supporter, round, sector, at_ms) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (topic, supporter) DO UPDATE SET sector = ?4, at_ms = ?5, ended_ms = NULL",
                )?
                .execute(params![id, key, topic.round, sector, now_ms as i64])?;
            }
            (Change::Unsupported { .. }, Actor::Supporter { key }) => {
                tx.prepare_cached(
                    "UPDATE supports SET ended_ms = ?3 WHERE topic = ?1 AND supporter = ?2",
                )?
                .execute(params![id, key, now_ms as i64])?;
            }
            _ => write_change(&tx, &topic, &change, actor, now_ms)?,
        }
        write_topic(&tx, &topic)?;
        if let Some(mut target) = into {
            // The topic it is merged into: linked back, its co-signers asked.
            let office = Actor::Secretariat {
                name: actor.name().to_string(),
            };
            let mut steps = vec![Change::Linked {
                link: topics::Link::MergedFrom {
                    topic: topic.id.clone(),
                },
            }];
            for c in &topic.cosigners {
                if matches!(c.signature, topics::Signature::Signed { .. })
                    && target.cosigner(&c.person).is_none()
                    && target.proposer.person() != Some(c.person.as_str())
                {
                    steps.push(Change::Invited {
                        person: c.person.clone(),
                        name: c.name.clone(),
                    });
                }
            }
            for step in steps {
                apply(&mut target, &step, now_ms);
                write_change(&tx, &target, &step, &office, now_ms)?;
            }
            write_topic(&tx, &target)?;
        }
        tx.commit()?;
        Ok(topic)
    }

    /// Topics as `filter` says: the most supported first, then the newest,
    /// `limit` of them from `offset`.
    pub fn topics(
        &self,
        filter: &TopicFilter,
        offset: usize,
        limit: usize,
    ) -> anyhow::Result<Vec<Topic>> {
        let (sql, args) = topic_query(
            filter,
            "body",
            &format!(
                " ORDER BY supporters DESC, updated_ms DESC, id LIMIT {limit} OFFSET {offset}"
            ),
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            r.get::<_, String>(0)
        })?;
        rows.map(|body| Ok(serde_json::from_str(&body?)?)).collect()
    }

    /// Links the topic numbered `number` (立题) to the meeting of journal key
    /// `key` that took it up, once; nothing when no topic has that number.
    pub fn link_meeting(
        &mut self,
        number: &str,
        key: &str,
        by: &str,
        now_ms: u64,
    ) -> Result<bool, TopicError> {
        let id: Option<String> = self
            .conn
            .query_row("SELECT id FROM topics WHERE number = ?1", [number], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(id) = id else { return Ok(false) };
        let link = topics::Link::Meeting {
            key: key.to_string(),
        };
        let topic = read_topic(&self.conn, &id)?.ok_or(TopicError::NoSuchTopic(id.clone()))?;
        if topic.links.contains(&link) {
            return Ok(false);
        }
        let office = Actor::Secretariat {
            name: by.to_string(),
        };
        self.update_topic(&id, &Command::Link { link }, &office, None, (now_ms, 0))?;
        Ok(true)
    }

    /// The topics `supporter` supports now.
    pub fn supported_by(&self, supporter: &str) -> anyhow::Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT topic FROM supports WHERE supporter = ?1 AND ended_ms IS NULL ORDER BY topic",
        )?;
        let rows = stmt.query_map([supporter], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many topics `filter` finds.
    pub fn count_topics(&self, filter: &TopicFilter) -> anyhow::Result<u64> {
        let (sql, args) = topic_query(filter, "count(*)", "");
        let n: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Every change of topic `id`, oldest first (supports are counted, and
    /// kept in `supports`).
    pub fn topic_history(&self, id: &str) -> anyhow::Result<Vec<TopicEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT version, at_ms, actor, body FROM topic_changes WHERE topic = ?1 ORDER BY seq",
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
            Ok(TopicEntry {
                version: version as u64,
                at_ms: at_ms as u64,
                actor: serde_json::from_str(&actor)?,
                change: serde_json::from_str(&body)?,
            })
        })
        .collect()
    }

    /// The topics most like `text` (a title and problem being written), at
    /// least [`similar::WORTH_SHOWING`] alike, the most alike first; never a
    /// draft, nor `except`.
    pub fn similar_topics(
        &self,
        text: &str,
        except: Option<&str>,
        limit: usize,
    ) -> anyhow::Result<Vec<Similar>> {
        let grams = similar::grams(text);
        if grams.is_empty() {
            return Ok(Vec::new());
        }
        // The candidates sharing the most pairs, by the index; then each's
        // likeness from its own pairs.
        let placeholders = vec!["?"; grams.len()].join(",");
        let sql = format!(
            "SELECT topic, count(*) AS shared FROM topic_grams WHERE gram IN ({placeholders})
             GROUP BY topic ORDER BY shared DESC LIMIT 50"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let candidates: Vec<(String, i64)> = stmt
            .query_map(rusqlite::params_from_iter(grams.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for (id, shared) in candidates {
            if Some(id.as_str()) == except {
                continue;
            }
            let Some(topic) = read_topic(&self.conn, &id)? else {
                continue;
            };
            if topic.stage == Stage::Draft {
                continue;
            }
            let theirs = similar::topic_grams(&topic.text.title, &topic.text.problem);
            let likeness = 2.0 * shared as f64 / (grams.len() + theirs.len()) as f64;
            if likeness >= similar::WORTH_SHOWING {
                out.push(Similar {
                    id,
                    title: topic.text.title,
                    stage: topic.stage,
                    likeness,
                });
            }
        }
        out.sort_by(|a, b| b.likeness.total_cmp(&a.likeness).then(a.id.cmp(&b.id)));
        out.truncate(limit);
        Ok(out)
    }

    /// Loads topics as they are, each with its supporters, in one transaction,
    /// as fast as the disk allows: for measuring a large office. The
    /// supporters' index is written in no order a topic's supporters come
    /// in, so the transaction holds its pages in a cache large enough for a
    /// million supports (512 MiB at most, for the load only) rather than
    /// spilling them to the WAL again and again.
    pub fn load_topics(
        &mut self,
        topics: impl IntoIterator<Item = (Topic, Vec<(String, String)>)>,
    ) -> anyhow::Result<usize> {
        let cache: i64 = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", -512 * 1024)?;
        let loaded = self.load_topics_now(topics);
        self.conn.pragma_update(None, "cache_size", cache)?;
        loaded
    }

    fn load_topics_now(
        &mut self,
        topics: impl IntoIterator<Item = (Topic, Vec<(String, String)>)>,
    ) -> anyhow::Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut n = 0;
        {
            let mut support = tx.prepare_cached(
                "INSERT OR IGNORE INTO supports (topic, supporter, round, sector, at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let office = Actor::Secretariat {
                name: "load".into(),
            };
            for (topic, supporters) in topics {
                let created = Change::Created {
                    topic: Box::new(topic.clone()),
                };
                write_change(&tx, &topic, &created, &office, topic.created_ms)?;
                write_topic(&tx, &topic)?;
                for (key, sector) in supporters {
                    support.execute(params![
                        topic.id,
                        key,
                        topic.round,
                        sector,
                        topic.created_ms as i64
                    ])?;
                }
                n += 1;
            }
        }
        tx.commit()?;
        Ok(n)
    }
}

/// `SELECT columns FROM topics WHERE (filter) tail`, and its arguments.
fn topic_query(filter: &TopicFilter, columns: &str, tail: &str) -> (String, Vec<String>) {
    let mut sql = format!("SELECT {columns} FROM topics WHERE 1 = 1");
    let mut args: Vec<String> = Vec::new();
    if let Some(s) = filter.stage {
        args.push(s.as_str().to_string());
        sql.push_str(&format!(" AND stage = ?{}", args.len()));
    }
    if let Some(r) = &filter.round {
        args.push(r.clone());
        sql.push_str(&format!(" AND round = ?{}", args.len()));
    }
    if let Some(p) = &filter.proposer {
        args.push(p.clone());
        sql.push_str(&format!(" AND proposer = ?{}", args.len()));
    }
    if let Some(p) = &filter.person {
        args.push(p.clone());
        let n = args.len();
        sql.push_str(&format!(
            " AND (proposer = 'person:' || ?{n} OR id IN (SELECT topic FROM topic_people WHERE person = ?{n}))"
        ));
    }
    if let Some(prefix) = &filter.entered_through {
        // The index on proposer serves a range: from the prefix to just past it.
        args.push(prefix.clone());
        args.push(format!("{prefix}\u{10ffff}"));
        let n = args.len();
        sql.push_str(&format!(" AND proposer >= ?{} AND proposer < ?{n}", n - 1));
    }
    if filter.public {
        sql.push_str(&format!(" AND {PUBLIC_STAGES}"));
    }
    sql.push_str(tail);
    (sql, args)
}

fn read_topic(conn: &Connection, id: &str) -> anyhow::Result<Option<Topic>> {
    let body: Option<String> = conn
        .prepare_cached("SELECT body FROM topics WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    body.map(|b| serde_json::from_str(&b).context("a topic the office cannot read"))
        .transpose()
}

fn last_topic_actor(conn: &Connection, id: &str) -> anyhow::Result<Option<Actor>> {
    let actor: Option<String> = conn
        .query_row(
            "SELECT actor FROM topic_changes WHERE topic = ?1 ORDER BY seq DESC LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(actor.and_then(|a| serde_json::from_str(&a).ok()))
}

fn write_change(
    conn: &Connection,
    topic: &Topic,
    change: &Change,
    actor: &Actor,
    at_ms: u64,
) -> anyhow::Result<()> {
    conn.prepare_cached(
        "INSERT INTO topic_changes (topic, version, at_ms, actor, kind, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        topic.id,
        topic.version as i64,
        at_ms as i64,
        serde_json::to_string(actor)?,
        change.name(),
        serde_json::to_string(change)?,
    ])?;
    Ok(())
}

/// The topic's row, who is asked of it, and its character pairs.
fn write_topic(conn: &Connection, topic: &Topic) -> anyhow::Result<()> {
    let old_text: Option<String> = conn
        .prepare_cached("SELECT json_extract(body, '$.text') FROM topics WHERE id = ?1")?
        .query_row([&topic.id], |r| r.get(0))
        .optional()?;
    conn.prepare_cached(
        "INSERT INTO topics (id, version, round, stage, origin, proposer, number, supporters, flagged, updated_ms, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (id) DO UPDATE SET version = ?2, round = ?3, stage = ?4, origin = ?5,
             proposer = ?6, number = ?7, supporters = ?8, flagged = ?9, updated_ms = ?10, body = ?11",
    )?
    .execute(params![
        topic.id,
        topic.version as i64,
        topic.round,
        topic.stage.as_str(),
        topic.origin.as_str(),
        proposer_key(&topic.proposer),
        topic.number,
        topic.supporters() as i64,
        topic.flagged,
        topic.updated_ms as i64,
        serde_json::to_string(topic)?,
    ])?;
    // Who is asked: co-signers and evaluators, as rows a person's page finds.
    conn.prepare_cached("DELETE FROM topic_people WHERE topic = ?1")?
        .execute([&topic.id])?;
    let mut add =
        conn.prepare_cached("INSERT OR IGNORE INTO topic_people (person, topic) VALUES (?1, ?2)")?;
    for p in topic
        .cosigners
        .iter()
        .map(|c| &c.person)
        .chain(topic.evaluators.iter().map(|e| &e.person))
    {
        add.execute([p, &topic.id])?;
    }
    // Its pairs, again only when its words changed.
    let text = serde_json::to_string(&topic.text)?;
    if old_text.as_deref() != Some(text.as_str()) {
        conn.prepare_cached("DELETE FROM topic_grams WHERE topic = ?1")?
            .execute([&topic.id])?;
        let mut gram =
            conn.prepare_cached("INSERT OR IGNORE INTO topic_grams (gram, topic) VALUES (?1, ?2)")?;
        for g in similar::topic_grams(&topic.text.title, &topic.text.problem) {
            gram.execute([&g, &topic.id])?;
        }
    }
    Ok(())
}
