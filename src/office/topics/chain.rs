//! The chain a public page shows (双公开): a topic → the meeting its 立题 made →
//! the promises made there → the topic a failed one came back as; and for a
//! topic that came back, the promise it came from.

use crate::meeting::followups::{self, Date, Item};
use crate::meeting::topics::{Link, Topic};
use crate::office::Office;
use rusqlite::OptionalExtension;
use serde::Serialize;

/// A promise of the chain, as anyone may see it.
#[derive(Debug, Clone, Serialize)]
pub struct Promise {
    pub id: String,
    pub meeting: String,
    pub date: Date,
    pub department: String,
    pub promise: String,
    /// Left unanswered in the meeting: nothing promised.
    pub unanswered: bool,
    pub state: &'static str,
    pub overdue: bool,
    /// The topic it came back as (回流), when it did.
    pub returned_as: Option<String>,
}

/// A topic's chain: what it became, or came from.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Chain {
    /// Its 立题's meetings' promises (public ones), by the topic's number.
    pub promises: Vec<Promise>,
    /// The promise it came back from, when it is a failed promise's topic.
    pub came_from: Option<Promise>,
}

impl Chain {
    pub fn is_empty(&self) -> bool {
        self.promises.is_empty() && self.came_from.is_none()
    }
}

/// At most this many promises of one topic's meetings on a page.
pub const MOST_PROMISES: usize = 50;

impl Office {
    /// `topic`'s chain, at `now_ms`.
    pub fn chain(&self, topic: &Topic, now_ms: u64, offset_s: i32) -> anyhow::Result<Chain> {
        let mut chain = Chain::default();
        if let Some(number) = &topic.number {
            let mut stmt = self.conn.prepare_cached(
                "SELECT body FROM items WHERE public = 1
                   AND json_extract(body, '$.origin.topic') = ?1
                 ORDER BY deadline, id LIMIT ?2",
            )?;
            let bodies: Vec<String> = stmt
                .query_map(rusqlite::params![number, MOST_PROMISES as i64], |r| {
                    r.get(0)
                })?
                .collect::<Result<_, _>>()?;
            for body in bodies {
                let item: Item = serde_json::from_str(&body)?;
                chain.promises.push(self.promise(item, now_ms, offset_s)?);
            }
        }
        for link in &topic.links {
            if let Link::Promise { item } = link {
                if let Some(item) = self.item(item)?.filter(|i| i.public) {
                    chain.came_from = Some(self.promise(item, now_ms, offset_s)?);
                }
            }
        }
        Ok(chain)
    }

    fn promise(&self, item: Item, now_ms: u64, offset_s: i32) -> anyhow::Result<Promise> {
        let standing = followups::standing(&item, now_ms, offset_s);
        Ok(Promise {
            returned_as: self.returned_as(&item.id)?,
            overdue: standing.overdue,
            state: item.state.as_str(),
            unanswered: item.unanswered,
            id: item.id,
            meeting: item.origin.meeting,
            date: item.origin.date,
            department: item.department_name,
            promise: item.promise,
        })
    }

    /// The topic item `id` came back as, when it did (a failed promise's
    /// topics are few: those of origin `returned`).
    fn returned_as(&self, id: &str) -> anyhow::Result<Option<String>> {
        let link = serde_json::to_string(&Link::Promise {
            item: id.to_string(),
        })?;
        Ok(self
            .conn
            .prepare_cached(
                "SELECT t.id FROM topics t, json_each(t.body, '$.links') l
                 WHERE t.origin = 'returned' AND l.value = json(?1) LIMIT 1",
            )?
            .query_row([link], |r| r.get(0))
            .optional()?)
    }
}
