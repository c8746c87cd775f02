//! 回流: a promise that failed comes back as a topic. A follow-up item rated
//! unsatisfied a second time (its asker sent it back twice: 领衔督办), or badly
//! overdue (past the latest an extension could have given), becomes a topic
//! linked to it, proposed in its asker's name, past 初审 (the office's rule
//! screened it, recorded so) and flagged at 定审. Once an item: a topic that
//! links it already is found, never made again.

use super::{write_change, write_topic};
use crate::meeting::followups::{self, Date, Item};
use crate::meeting::roster::Who;
use crate::meeting::topics::{
    self, Actor, Change, Link, NewTopic, Origin, Proposer, Stage, Text, Topic,
};
use crate::office::followups::Filter;
use crate::office::Office;
use rusqlite::{OptionalExtension, TransactionBehavior};

/// Why an item comes back.
pub fn failed(item: &Item, now_ms: u64, offset_s: i32) -> bool {
    item.returned >= 2 || followups::standing(item, now_ms, offset_s).badly_overdue
}

impl Office {
    /// Every promise that failed and has no topic yet, made into one (at
    /// `now_ms`): the topics made.
    pub fn recirculate(&mut self, now_ms: u64, offset_s: i32) -> anyhow::Result<Vec<Topic>> {
        let candidates: Vec<Item> = self
            .items(&Filter::default())?
            .into_iter()
            .filter(|i| i.state.is_open() && failed(i, now_ms, offset_s))
            .collect();
        let mut made = Vec::new();
        for item in candidates {
            if let Some(topic) = self.recirculate_one(&item, now_ms, offset_s)? {
                made.push(topic);
            }
        }
        Ok(made)
    }

    /// The topic of the failed promise `item`, made unless there is one.
    fn recirculate_one(
        &mut self,
        item: &Item,
        now_ms: u64,
        offset_s: i32,
    ) -> anyhow::Result<Option<Topic>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let there: Option<String> = tx
            .query_row(
                "SELECT topics.id FROM topics, json_each(topics.body, '$.links') AS l
                 WHERE topics.origin = 'returned' AND json_extract(l.value, '$.item') = ?1",
                [&item.id],
                |r| r.get(0),
            )
            .optional()?;
        if there.is_some() {
            return Ok(None);
        }
        let proposer = match item.asker() {
            Who::Person(person) => Proposer::Person { person },
            seat @ Who::Seat { .. } => Proposer::Resident {
                key: seat.to_string(),
            },
        };
        let n: i64 = tx.query_row("SELECT count(*) FROM topics", [], |r| r.get(0))?;
        let today = Date::of_ms(now_ms, offset_s);
        let why = if item.returned >= 2 {
            format!("提问人两次评为不满意（{} 次退回重办）", item.returned)
        } else {
            format!(
                "严重逾期：应于 {} 前办结，至 {today} 仍未办结",
                item.deadline()
            )
        };
        let office = Actor::Secretariat {
            name: "督办台账（回流）".into(),
        };
        let mut topic = topics::create(
            NewTopic {
                id: format!("t{:05}", n + 1),
                round: today.ymd().0.to_string(),
                origin: Origin::Returned,
                proposer,
                proposer_name: item.origin.asker.name.clone(),
                sector: item.origin.asker.sector.clone(),
                entered_by: Some(office.name().to_string()),
                text: Text {
                    title: format!("再议：{}", first_chars(&item.origin.text, 60)),
                    problem: format!(
                        "{}（{} {}，{}）承诺“{}”，{}。",
                        item.origin.text,
                        item.origin.meeting,
                        item.origin.date,
                        item.department_name,
                        item.promise,
                        why
                    ),
                    suggestion: format!(
                        "请{}说明未落实的原因，协商提出新的办理办法和期限。",
                        item.department_name
                    ),
                    research: format!("督办事项 {} 的办理记录", item.id),
                    departments: vec![item.department.clone()],
                },
            },
            now_ms,
        );
        let created = Change::Created {
            topic: Box::new(topic.clone()),
        };
        write_change(&tx, &topic, &created, &office, now_ms)?;
        // Signed by its asker (in their name), past 初审 by the rule, linked.
        let steps = [
            Change::Linked {
                link: Link::Promise {
                    item: item.id.clone(),
                },
            },
            Change::Submitted { on: today },
            Change::Screened {
                decision: topics::topic::Decision {
                    stage: Stage::Eligible,
                    reason: Some(format!("回流：{why}")),
                    overrode: None,
                    by: office.name().to_string(),
                    at_ms: now_ms,
                },
                into: None,
            },
        ];
        for step in steps {
            topics::apply(&mut topic, &step, now_ms);
            write_change(&tx, &topic, &step, &office, now_ms)?;
        }
        write_topic(&tx, &topic)?;
        tx.commit()?;
        Ok(Some(topic))
    }
}

/// The first `n` characters of `text`, with an ellipsis when cut.
fn first_chars(text: &str, n: usize) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() <= n {
        line.to_string()
    } else {
        format!("{}…", line.chars().take(n).collect::<String>())
    }
}
