//! The secretariat's desk (`xieshang followups`): the follow-up register as a
//! console, The Elm Architecture like the chair's. The model holds the items it
//! was handed; keys become `Effect`s (record this command on that item, load
//! again) that [`drive`] carries out by asking a [`Register`] (implemented over
//! the office's file in `cmd::followups`) and answers with `Msg`s. No IO, no
//! clock in the model: the time is in each message.

mod drive;
pub mod view;

pub use drive::{drive, Register};

use super::keys::{action_for, Action, Desk as Key, DESK_BINDINGS};
use crate::lang::catalogue::{self, Followups};
use crate::meeting::followups::item::{AnswerClass, Rating};
use crate::meeting::followups::{standing, Command, Date, Item, ItemState};
use crate::meeting::plan::Language;
use crossterm::event::{KeyCode, KeyEvent};

/// One line of an item's history, as the desk shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    pub version: u64,
    pub at_ms: u64,
    pub who: String,
    pub what: &'static str,
}

/// What the desk is told.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// The register's items, afresh.
    Loaded(Vec<Item>),
    /// An item's history, for its timeline.
    History(String, Vec<HistoryLine>),
    /// A command was recorded (the item as it is now), or why not.
    Recorded(Result<Box<Item>, String>),
    /// The time, for the clock's marks.
    Now(u64),
    /// An item as it is, whole (its evidence too), in place of the one held.
    Item(Box<Item>),
}

/// What the desk asks of whoever runs it.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Record { id: String, command: Command },
    Load,
    History(String),
    Quit,
}

/// A form: what is asked, field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub key: Key,
    pub id: String,
    pub fields: Vec<(&'static str, String)>,
    pub at: usize,
    pub error: Option<&'static str>,
}

pub struct Desk {
    pub lang: Language,
    pub offset_s: i32,
    pub now_ms: u64,
    pub all: Vec<Item>,
    /// The rows shown (indices into `all`), overdue first.
    pub rows: Vec<usize>,
    pub selected: usize,
    pub department: Option<String>,
    pub state: Option<ItemState>,
    pub overdue_only: bool,
    /// The item whose timeline is open, and its history.
    pub open: Option<(String, Vec<HistoryLine>)>,
    pub form: Option<Form>,
    pub help: bool,
    pub notice: Option<(String, bool)>,
}

impl Desk {
    pub fn new(lang: Language, offset_s: i32, now_ms: u64, items: Vec<Item>) -> Desk {
        let mut desk = Desk {
            lang,
            offset_s,
            now_ms,
            all: items,
            rows: Vec::new(),
            selected: 0,
            department: None,
            state: None,
            overdue_only: false,
            open: None,
            form: None,
            help: false,
            notice: None,
        };
        desk.refilter();
        desk
    }

    pub fn words(&self) -> &'static Followups {
        &catalogue::of(self.lang).followups
    }

    pub fn current(&self) -> Option<&Item> {
        self.rows.get(self.selected).map(|&i| &self.all[i])
    }

    /// The departments there are, by name, each once.
    pub fn departments(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .all
            .iter()
            .map(|i| (i.department.clone(), i.department_name.clone()))
            .collect();
        out.sort();
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }

    fn refilter(&mut self) {
        let keep = self.current().map(|i| i.id.clone());
        let (now, offset) = (self.now_ms, self.offset_s);
        let mut rows: Vec<usize> = (0..self.all.len())
            .filter(|&i| {
                let item = &self.all[i];
                self.department
                    .as_ref()
                    .is_none_or(|d| &item.department == d)
                    && self.state.is_none_or(|s| item.state == s)
                    && (!self.overdue_only || standing(item, now, offset).overdue)
            })
            .collect();
        rows.sort_by_cached_key(|&i| {
            let item = &self.all[i];
            let s = standing(item, now, offset);
            (
                !item.state.is_open(),
                std::cmp::Reverse(s.days_over),
                item.deadline(),
                item.id.clone(),
            )
        });
        self.rows = rows;
        self.selected = keep
            .and_then(|id| self.rows.iter().position(|&i| self.all[i].id == id))
            .unwrap_or(0)
            .min(self.rows.len().saturating_sub(1));
    }
}

pub fn update(desk: &mut Desk, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Loaded(items) => {
            desk.all = items;
            desk.refilter();
            // An open timeline is read again: the change may be its item's.
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
        Msg::Recorded(Ok(item)) => {
            let w = desk.words();
            desk.notice = Some((format!("{} · {}", item.id, w.recorded), false));
            let id = item.id.clone();
            let item = *item;
            match desk.all.iter_mut().find(|i| i.id == item.id) {
                Some(slot) => *slot = item,
                None => desk.all.push(item),
            }
            desk.refilter();
            if desk.open.as_ref().is_some_and(|(open, _)| *open == id) {
                vec![Effect::History(id)]
            } else {
                Vec::new()
            }
        }
        Msg::Recorded(Err(why)) => {
            desk.notice = Some((format!("{}: {why}", desk.words().refused), true));
            Vec::new()
        }
        Msg::Item(item) => {
            if let Some(slot) = desk.all.iter_mut().find(|i| i.id == item.id) {
                *slot = *item;
            }
            Vec::new()
        }
        Msg::Now(now) => {
            desk.now_ms = now;
            Vec::new()
        }
        Msg::Key(key) => key_pressed(desk, key),
    }
}

fn key_pressed(desk: &mut Desk, key: KeyEvent) -> Vec<Effect> {
    if desk.form.is_some() {
        return form_key(desk, key);
    }
    if desk.help {
        desk.help = false;
        return Vec::new();
    }
    let Some(action) = action_for(key, DESK_BINDINGS) else {
        return Vec::new();
    };
    desk.notice = None;
    match action {
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
        Action::Desk(k) => desk_key(desk, k),
        _ => Vec::new(),
    }
}

/// With a timeline open, moving opens the next item's.
fn follow_open(desk: &mut Desk) -> Vec<Effect> {
    match (desk.open.is_some(), desk.current()) {
        (true, Some(item)) => {
            let id = item.id.clone();
            desk.open = Some((id.clone(), Vec::new()));
            vec![Effect::History(id)]
        }
        _ => Vec::new(),
    }
}

fn desk_key(desk: &mut Desk, k: Key) -> Vec<Effect> {
    let w = desk.words();
    match k {
        Key::Reload => return vec![Effect::Load],
        Key::OverdueOnly => {
            desk.overdue_only = !desk.overdue_only;
            desk.refilter();
            return Vec::new();
        }
        Key::NextDepartment => {
            let all = desk.departments();
            let at = desk
                .department
                .as_ref()
                .and_then(|d| all.iter().position(|(id, _)| id == d));
            desk.department = match at {
                None => all.first().map(|(id, _)| id.clone()),
                Some(i) => all.get(i + 1).map(|(id, _)| id.clone()),
            };
            desk.refilter();
            return Vec::new();
        }
        Key::NextState => {
            let all = ItemState::ALL;
            desk.state = match desk.state {
                None => Some(all[0]),
                Some(s) => all
                    .iter()
                    .position(|x| *x == s)
                    .and_then(|i| all.get(i + 1))
                    .copied(),
            };
            desk.refilter();
            return Vec::new();
        }
        _ => {}
    }
    let Some(item) = desk.current() else {
        return Vec::new();
    };
    let id = item.id.clone();
    let fields: Vec<&'static str> = match k {
        Key::Open => {
            if desk.open.take().is_some() {
                return Vec::new();
            }
            desk.open = Some((id.clone(), Vec::new()));
            return vec![Effect::History(id)];
        }
        Key::TogglePublic => {
            return vec![Effect::Record {
                id,
                command: Command::SetPublic {
                    public: !item.public,
                },
            }]
        }
        Key::Extend => vec![w.extend_until, w.reason],
        Key::SetDue => vec![w.due_on],
        Key::Answer => vec![w.answer_class, w.answer_text],
        Key::Rate => vec![w.rating_choice, w.reason],
        Key::Withdraw => vec![w.reason],
        Key::Merge => vec![w.merge_into, w.reason],
        Key::CoHandling => vec![w.co_handling],
        _ => return Vec::new(),
    };
    desk.form = Some(Form {
        key: k,
        id,
        fields: fields.into_iter().map(|f| (f, String::new())).collect(),
        at: 0,
        error: None,
    });
    Vec::new()
}

fn form_key(desk: &mut Desk, key: KeyEvent) -> Vec<Effect> {
    let w = desk.words();
    let Some(form) = desk.form.as_mut() else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => desk.form = None,
        KeyCode::Backspace => {
            form.fields[form.at].1.pop();
            form.error = None;
        }
        KeyCode::Char(c) if !c.is_control() => {
            let field = &mut form.fields[form.at].1;
            if field.chars().count() < 2000 {
                field.push(c);
            }
            form.error = None;
        }
        KeyCode::Enter => {
            if form.at + 1 < form.fields.len() {
                form.at += 1;
                return Vec::new();
            }
            match command_of(form, w) {
                Ok(command) => {
                    let id = form.id.clone();
                    desk.form = None;
                    return vec![Effect::Record { id, command }];
                }
                Err((at, why)) => {
                    form.at = at;
                    form.error = Some(why);
                }
            }
        }
        _ => {}
    }
    Vec::new()
}

/// The command a filled form asks for, or which field is wrong and why. The
/// rules say the rest (an empty reason, a date too far) when it is recorded.
fn command_of(form: &Form, w: &Followups) -> Result<Command, (usize, &'static str)> {
    let field = |i: usize| form.fields[i].1.trim().to_string();
    let date = |i: usize| Date::parse(&field(i)).ok_or((i, w.not_a_date));
    let reason = |i: usize| Some(field(i)).filter(|r| !r.is_empty());
    Ok(match form.key {
        Key::Extend => Command::Extend {
            until: date(0)?,
            reason: field(1),
        },
        Key::SetDue => Command::SetDue { due: date(0)? },
        Key::Answer => Command::Answer {
            class: match field(0).to_ascii_lowercase().as_str() {
                "a" => AnswerClass::A,
                "b" => AnswerClass::B,
                "c" => AnswerClass::C,
                _ => return Err((0, w.not_a_choice)),
            },
            text: field(1),
        },
        Key::Rate => Command::Rate {
            rating: match field(0).as_str() {
                "1" => Rating::Satisfied,
                "2" => Rating::BasicallySatisfied,
                "3" => Rating::Dissatisfied,
                _ => return Err((0, w.not_a_choice)),
            },
            reason: reason(1),
        },
        Key::Withdraw => Command::Withdraw { reason: field(0) },
        Key::Merge => Command::Merge {
            into: field(0),
            reason: field(1),
        },
        Key::CoHandling => Command::SetCoHandling {
            departments: field(0)
                .split([',', '，', ' '])
                .filter(|d| !d.is_empty())
                .map(str::to_string)
                .collect(),
        },
        _ => return Err((0, w.not_a_choice)),
    })
}
