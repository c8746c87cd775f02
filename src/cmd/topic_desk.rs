//! The topics console (`tui::topic_desk`) over the office's file: the console
//! asks its small `Topics` trait, answered here with the file's queries.

use crate::meeting::followups::Date;
use crate::meeting::plan::Language;
use crate::meeting::topics::{Actor, Command, Topic};
use crate::office::topics::{TopicError, TopicFilter};
use crate::office::Office;
use crate::tui::topic_desk::{HistoryLine, TopicDesk};

/// Most topics the console holds (the exports have them all).
const MOST: usize = 20_000;

struct Kept {
    office: Office,
    lang: Language,
    offset_s: i32,
    by: Actor,
}

impl crate::tui::topic_desk::Topics for Kept {
    fn topics(&mut self) -> anyhow::Result<Vec<Topic>> {
        self.office.topics(&TopicFilter::default(), 0, MOST)
    }

    fn history(&mut self, id: &str) -> anyhow::Result<Vec<HistoryLine>> {
        let w = &crate::lang::catalogue::of(self.lang).topics;
        Ok(self
            .office
            .topic_history(id)?
            .into_iter()
            .map(|e| HistoryLine {
                when: when(e.at_ms, self.offset_s),
                who: e.actor.name().to_string(),
                what: crate::lang::topics::change_said(self.lang, w, &e.change),
            })
            .collect())
    }

    fn record(&mut self, id: &str, command: &Command, now_ms: u64) -> Result<Topic, String> {
        // Evaluators are named as the roster has them.
        let command = match command {
            Command::Assign { evaluators } => {
                let mut named = Vec::new();
                for (person, _) in evaluators {
                    match self.office.person(person) {
                        Ok(Some(p)) => named.push((p.id, p.name)),
                        Ok(None) => return Err(format!("{person}?")),
                        Err(e) => return Err(e.to_string()),
                    }
                }
                Command::Assign { evaluators: named }
            }
            other => other.clone(),
        };
        self.office
            .update_topic(id, &command, &self.by, None, (now_ms, self.offset_s))
            .map_err(|e| match e {
                TopicError::Refused(r) => crate::lang::topics::refusal(self.lang, &r),
                other => other.to_string(),
            })
    }
}

/// `2027-03-01 14:05` in the office's zone.
fn when(at_ms: u64, offset_s: i32) -> String {
    let day = Date::of_ms(at_ms, offset_s);
    let local = (at_ms as i64 / 1000 + offset_s as i64).rem_euclid(86_400);
    format!("{day} {:02}:{:02}", local / 3600, local % 3600 / 60)
}

/// The topics console on `office` until quit or a signal.
pub(super) fn run(office: Office, lang: Language, offset_s: i32, by: String) -> anyhow::Result<()> {
    use crate::tui::topic_desk::Topics;
    crate::tui::console::needs_a_terminal("topics desk", "use topics list or export")?;
    let mut kept = Kept {
        office,
        lang,
        offset_s,
        by: Actor::Secretariat { name: by },
    };
    let desk = TopicDesk::new(lang, kept.topics()?);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let stop = crate::signals::Stop::listen_with_hangup()?;
        crate::tui::topic_desk::drive(desk, &mut kept, crate::clock::now_ms, async move {
            stop.requested().await;
        })
        .await
    })
}
