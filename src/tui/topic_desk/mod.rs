//! The secretariat's topics console (`xieshang topics desk`): topics by stage,
//! one whole with its history, and a form for each screening's decision
//! (初审, 复审, 定审). The Elm Architecture like the register's desk: keys become
//! `Effect`s that [`drive`] carries out by asking a [`Topics`] (implemented
//! over the office's file in `cmd::topics`). No IO, no clock in the model.

mod drive;
pub mod view;

pub use drive::{drive, Topics};

use super::form::Edited;
use super::keys::{action_for, Action, TopicDesk as Key, TOPIC_DESK_BINDINGS};
use crate::lang::catalogue::{self, Topics as Words};
use crate::meeting::plan::Language;
use crate::meeting::topics::{Command, Final, Screening, Stage, Topic};
use crossterm::event::KeyEvent;

/// One line of a topic's history, as the desk shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    /// When, in the office's zone (`2027-03-01 14:05`).
    pub when: String,
    pub who: String,
    pub what: String,
}

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Loaded(Vec<Topic>),
    History(String, Vec<HistoryLine>),
    Recorded(Result<Box<Topic>, String>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Record { id: String, command: Command },
    Load,
    History(String),
    Quit,
}

/// A form of this console: its key says what it becomes.
pub type Form = crate::tui::form::Form<Key>;

/// The stages the desk filters by, in the order work flows.
pub const STAGES: &[Stage] = &[
    Stage::Submitted,
    Stage::Eligible,
    Stage::InReview,
    Stage::Reviewed,
    Stage::Adopted,
    Stage::Reserved,
    Stage::Returned,
    Stage::Rejected,
    Stage::Merged,
    Stage::Redirected,
    Stage::Withdrawn,
    Stage::Draft,
];

pub struct TopicDesk {
    pub lang: Language,
    pub all: Vec<Topic>,
    pub rows: Vec<usize>,
    pub selected: usize,
    pub stage: Option<Stage>,
    pub open: Option<(String, Vec<HistoryLine>)>,
    pub form: Option<Form>,
    pub help: bool,
    pub notice: Option<(String, bool)>,
}

impl TopicDesk {
    pub fn new(lang: Language, topics: Vec<Topic>) -> TopicDesk {
        let mut desk = TopicDesk {
            lang,
            all: topics,
            rows: Vec::new(),
            selected: 0,
            stage: None,
            open: None,
            form: None,
            help: false,
            notice: None,
        };
        desk.refilter();
        desk
    }

    pub fn words(&self) -> &'static Words {
        &catalogue::of(self.lang).topics
    }

    pub fn current(&self) -> Option<&Topic> {
        self.rows.get(self.selected).map(|&i| &self.all[i])
    }

    /// The rows: this stage's (or all), the work's order first (submitted
    /// first), then flagged ones, the most supported, the oldest.
    fn refilter(&mut self) {
        let keep = self.current().map(|t| t.id.clone());
        let mut rows: Vec<usize> = (0..self.all.len())
            .filter(|&i| self.stage.is_none_or(|s| self.all[i].stage == s))
            .collect();
        rows.sort_by_cached_key(|&i| {
            let t = &self.all[i];
            (
                STAGES.iter().position(|s| *s == t.stage),
                !t.flagged,
                std::cmp::Reverse(t.supporters()),
                t.id.clone(),
            )
        });
        self.rows = rows;
        self.selected = keep
            .and_then(|id| self.rows.iter().position(|&i| self.all[i].id == id))
            .unwrap_or(0)
            .min(self.rows.len().saturating_sub(1));
    }
}

pub fn update(desk: &mut TopicDesk, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Loaded(topics) => {
            desk.all = topics;
            desk.refilter();
            match &desk.open {
                Some((id, _)) => vec![Effect::History(id.clone())],
                None => Vec::new(),
            }
        }
        Msg::History(id, lines) => {
            if desk.open.as_ref().is_some_and(|(open, _)| *open == id) {
                desk.open = Some((id, lines));
            }
            Vec::new()
        }
        Msg::Recorded(Ok(topic)) => {
            let recorded = catalogue::of(desk.lang).followups.recorded;
            let stage = crate::lang::topics::stage_word(desk.words(), topic.stage);
            desk.notice = Some((format!("{} · {stage} · {recorded}", topic.id), false));
            let id = topic.id.clone();
            match desk.all.iter_mut().find(|t| t.id == topic.id) {
                Some(slot) => *slot = *topic,
                None => desk.all.push(*topic),
            }
            desk.refilter();
            // The rest may have changed too (a merge asks the other topic).
            let mut effects = vec![Effect::Load];
            if desk.open.as_ref().is_some_and(|(open, _)| *open == id) {
                effects.push(Effect::History(id));
            }
            effects
        }
        Msg::Recorded(Err(why)) => {
            let refused = catalogue::of(desk.lang).followups.refused;
            desk.notice = Some((format!("{refused}: {why}"), true));
            Vec::new()
        }
        Msg::Key(key) => key_pressed(desk, key),
    }
}

fn key_pressed(desk: &mut TopicDesk, key: KeyEvent) -> Vec<Effect> {
    if desk.form.is_some() {
        return form_key(desk, key);
    }
    if desk.help {
        desk.help = false;
        return Vec::new();
    }
    let Some(action) = action_for(key, TOPIC_DESK_BINDINGS) else {
        return Vec::new();
    };
    desk.notice = None;
    match action {
        Action::Quit if desk.open.is_some() => {
            desk.open = None;
            Vec::new()
        }
        Action::Quit => vec![Effect::Quit],
        Action::Help => {
            desk.help = true;
            Vec::new()
        }
        Action::CursorUp => {
            desk.selected = desk.selected.saturating_sub(1);
            follow_open(desk)
        }
        Action::CursorDown => {
            desk.selected = (desk.selected + 1).min(desk.rows.len().saturating_sub(1));
            follow_open(desk)
        }
        Action::TopicDesk(k) => desk_key(desk, k),
        _ => Vec::new(),
    }
}

fn follow_open(desk: &mut TopicDesk) -> Vec<Effect> {
    match (desk.open.is_some(), desk.current()) {
        (true, Some(t)) => {
            let id = t.id.clone();
            desk.open = Some((id.clone(), Vec::new()));
            vec![Effect::History(id)]
        }
        _ => Vec::new(),
    }
}

fn desk_key(desk: &mut TopicDesk, k: Key) -> Vec<Effect> {
    let w = desk.words();
    match k {
        Key::Reload => return vec![Effect::Load],
        Key::NextStage => {
            desk.stage = match desk.stage {
                None => Some(STAGES[0]),
                Some(s) => STAGES
                    .iter()
                    .position(|x| *x == s)
                    .and_then(|i| STAGES.get(i + 1))
                    .copied(),
            };
            desk.refilter();
            return Vec::new();
        }
        _ => {}
    }
    let Some(topic) = desk.current() else {
        return Vec::new();
    };
    let id = topic.id.clone();
    let fields: Vec<&'static str> = match k {
        Key::Open => {
            if desk.open.take().is_some() {
                return Vec::new();
            }
            desk.open = Some((id.clone(), Vec::new()));
            return vec![Effect::History(id)];
        }
        Key::Eligible => vec![w.why_override],
        Key::Return | Key::Redirect => vec![w.why],
        Key::Merge => vec![w.into, w.why],
        Key::Assign => vec![w.evaluators],
        Key::Decide => vec![w.verdict, w.number_field, w.why_decide],
        _ => return Vec::new(),
    };
    desk.form = Some(Form::new(k, id, fields));
    Vec::new()
}

fn form_key(desk: &mut TopicDesk, key: KeyEvent) -> Vec<Effect> {
    let w = desk.words();
    let Some(form) = desk.form.as_mut() else {
        return Vec::new();
    };
    match form.edit(key) {
        Edited::Left => desk.form = None,
        Edited::Editing => {}
        Edited::Filled => match command_of(form, w) {
            Ok(command) => {
                let id = form.id.clone();
                desk.form = None;
                return vec![Effect::Record { id, command }];
            }
            Err((at, why)) => form.refuse(at, why),
        },
    }
    Vec::new()
}

/// The command a filled form asks for, or which field is wrong; the rules
/// say the rest (an empty reason, a threshold) when it is recorded.
fn command_of(form: &Form, w: &Words) -> Result<Command, (usize, &'static str)> {
    let field = |i: usize| form.field(i);
    let optional = |i: usize| Some(field(i)).filter(|r| !r.is_empty());
    Ok(match form.key {
        Key::Eligible => Command::Screen {
            screening: Screening::Eligible,
            overriding: optional(0),
        },
        Key::Return => Command::Screen {
            screening: Screening::Return { reason: field(0) },
            overriding: None,
        },
        Key::Redirect => Command::Screen {
            screening: Screening::Redirect { reason: field(0) },
            overriding: None,
        },
        Key::Merge => Command::Screen {
            screening: Screening::Merge {
                into: field(0),
                reason: field(1),
            },
            overriding: None,
        },
        // Names are the store's to give (`drive` asks the roster).
        Key::Assign => Command::Assign {
            evaluators: field(0)
                .split([',', '，', ' ', '、'])
                .filter(|p| !p.is_empty())
                .map(|p| (p.to_string(), String::new()))
                .collect(),
        },
        Key::Decide => {
            let reason = optional(2);
            let decision = match field(0).as_str() {
                "1" => Final::Adopt { number: field(1) },
                "2" => Final::Reserve {
                    reason: reason.clone(),
                },
                "3" => Final::Reject {
                    reason: reason.clone().unwrap_or_default(),
                },
                _ => return Err((0, w.not_a_choice)),
            };
            // A reason given to adopt or reserve is for deciding before every
            // opinion is in.
            let overriding = match decision {
                Final::Reject { .. } => None,
                _ => reason,
            };
            Command::Decide {
                decision,
                overriding,
            }
        }
        _ => return Err((0, w.not_a_choice)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEventKind, KeyEventState, KeyModifiers};

    fn key(code: KeyCode) -> Msg {
        Msg::Key(KeyEvent {
            code,
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        })
    }

    fn typed(desk: &mut TopicDesk, text: &str) {
        for c in text.chars() {
            update(desk, key(KeyCode::Char(c)));
        }
    }

    fn topic(id: &str, stage: Stage) -> Topic {
        let mut t = crate::meeting::topics::create(
            crate::meeting::topics::NewTopic {
                id: id.into(),
                round: "2027".into(),
                origin: crate::meeting::topics::Origin::Member,
                proposer: crate::meeting::topics::Proposer::Person {
                    person: "p1".into(),
                },
                proposer_name: "林志远".into(),
                sector: None,
                entered_by: None,
                text: Default::default(),
            },
            0,
        );
        t.stage = stage;
        t
    }

    #[test]
    fn each_decision_is_a_form_whose_fields_make_the_core_s_command() {
        let mut desk = TopicDesk::new(
            Language::Zh,
            vec![topic("t1", Stage::Reviewed), topic("t2", Stage::Submitted)],
        );
        // Submitted first: the 初审 queue leads.
        assert_eq!(desk.current().unwrap().id, "t2");
        update(&mut desk, key(KeyCode::Char('e')));
        typed(&mut desk, "委员联名");
        let done = update(&mut desk, key(KeyCode::Enter));
        assert_eq!(
            done,
            vec![Effect::Record {
                id: "t2".into(),
                command: Command::Screen {
                    screening: Screening::Eligible,
                    overriding: Some("委员联名".into()),
                },
            }]
        );
        update(&mut desk, key(KeyCode::Down));
        update(&mut desk, key(KeyCode::Char('d')));
        typed(&mut desk, "9");
        update(&mut desk, key(KeyCode::Enter));
        update(&mut desk, key(KeyCode::Enter));
        let wrong = update(&mut desk, key(KeyCode::Enter));
        assert!(wrong.is_empty());
        let form = desk.form.as_ref().unwrap();
        assert_eq!((form.at, form.error), (0, Some(desk.words().not_a_choice)));
        update(&mut desk, key(KeyCode::Backspace));
        typed(&mut desk, "1");
        update(&mut desk, key(KeyCode::Enter));
        typed(&mut desk, "2027-03");
        update(&mut desk, key(KeyCode::Enter));
        let done = update(&mut desk, key(KeyCode::Enter));
        assert_eq!(
            done,
            vec![Effect::Record {
                id: "t1".into(),
                command: Command::Decide {
                    decision: Final::Adopt {
                        number: "2027-03".into()
                    },
                    overriding: None,
                },
            }]
        );
    }
}
