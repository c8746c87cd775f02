//! The secretariat's desk (`xieshang followups`): the follow-up register as a
//! console, The Elm Architecture like the chair's. The model holds a window of
//! the list (a few hundred rows around the selected one, never the whole
//! register) and how many there are; keys become `Effect`s (record this command
//! on that item, the page around this row, where this item stands now) that
//! [`drive`] carries out by asking a [`Register`] (implemented over
//! the office's file in `cmd::followups`) and answers with `Msg`s. No IO, no
//! clock in the model: the time is in each message.

mod drive;
pub mod view;

pub use drive::{drive, Register};

use super::form::Edited;
use super::keys::{action_for, Action, Desk as Key, DESK_BINDINGS};
use crate::lang::catalogue::{self, Followups};
use crate::meeting::followups::item::{AnswerClass, Rating};
use crate::meeting::followups::{Command, Date, Item, ItemState};
use crate::meeting::plan::Language;
use crossterm::event::KeyEvent;

/// One line of an item's history, as the desk shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    pub version: u64,
    pub at_ms: u64,
    pub who: String,
    pub what: &'static str,
}

/// Which items the desk lists, as the register is asked for them: the store
/// filters (a lead department, a state, overdue on a day) and orders them,
/// open first and the longest overdue first, as every first screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    pub department: Option<String>,
    pub state: Option<ItemState>,
    /// Only those overdue on this day.
    pub overdue_on: Option<Date>,
}

/// A stretch of the list as the register answered it.
#[derive(Debug, Clone)]
pub struct Page {
    pub listing: Listing,
    /// Where `items[0]` stands in the whole list.
    pub offset: usize,
    pub items: Vec<Item>,
    /// How many items the listing finds in all.
    pub total: usize,
}

/// Rows the desk holds at once: a screen and more either side of it.
pub const WINDOW: usize = 240;
/// Rows that must be held above and below the selected one (a tall terminal's
/// screen above it): past them, the desk asks for the window around it again.
const MARGIN: usize = 80;
/// Rows a PageUp or PageDown moves.
const PAGE_STEP: usize = 20;

/// What the desk is told.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// A stretch of the list, as asked.
    Page(Page),
    /// Where an item followed stands now in the list (`None`: not in it).
    Located(String, Option<usize>),
    /// The departments that lead items (id, name), by id.
    Departments(Vec<(String, String)>),
    /// Someone wrote to the register: what is shown is read again.
    Changed,
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
    Record {
        id: String,
        command: Command,
    },
    /// The items `listing` finds from `offset`, at most `limit`, and how many.
    Page {
        listing: Listing,
        offset: usize,
        limit: usize,
    },
    /// Where item `id` stands in `listing`'s list now.
    Locate {
        listing: Listing,
        id: String,
    },
    Departments,
    History(String),
    Quit,
}

/// A form of this console: its key says what it becomes.
pub type Form = crate::tui::form::Form<Key>;

pub struct Desk {
    pub lang: Language,
    pub offset_s: i32,
    pub now_ms: u64,
    /// The items held: a window of the list, from the `first`-th on (never the
    /// whole register, which may hold a hundred thousand).
    pub all: Vec<Item>,
    pub first: usize,
    /// How many items the list has in all.
    pub total: usize,
    /// The selected row, in the whole list.
    pub selected: usize,
    /// The departments that lead items (id, name), by id.
    pub departments: Vec<(String, String)>,
    pub department: Option<String>,
    pub state: Option<ItemState>,
    pub overdue_only: bool,
    /// The item whose timeline is open, and its history.
    pub open: Option<(String, Vec<HistoryLine>)>,
    /// A move with a timeline open went past the rows held: the selected
    /// item's timeline opens once its window comes.
    pub open_when_held: bool,
    pub form: Option<Form>,
    pub help: bool,
    pub notice: Option<(String, bool)>,
}

impl Desk {
    /// A desk with nothing held yet: [`Desk::start`] says what to ask for.
    pub fn new(lang: Language, offset_s: i32, now_ms: u64) -> Desk {
        Desk {
            lang,
            offset_s,
            now_ms,
            all: Vec::new(),
            first: 0,
            total: 0,
            selected: 0,
            departments: Vec::new(),
            department: None,
            state: None,
            overdue_only: false,
            open: None,
            open_when_held: false,
            form: None,
            help: false,
            notice: None,
        }
    }

    /// What to ask for first: the departments, and the first screen.
    pub fn start(&self) -> Vec<Effect> {
        vec![Effect::Departments, self.window_at(0)]
    }

    pub fn words(&self) -> &'static Followups {
        &catalogue::of(self.lang).followups
    }

    pub fn current(&self) -> Option<&Item> {
        self.row(self.selected)
    }

    /// The item of row `n` of the whole list, when it is held.
    pub fn row(&self, n: usize) -> Option<&Item> {
        n.checked_sub(self.first).and_then(|i| self.all.get(i))
    }

    /// What the register is asked for, as the filters stand now.
    pub fn listing(&self) -> Listing {
        Listing {
            department: self.department.clone(),
            state: self.state,
            overdue_on: self
                .overdue_only
                .then(|| Date::of_ms(self.now_ms, self.offset_s)),
        }
    }

    /// The window around row `at`.
    fn window_at(&self, at: usize) -> Effect {
        Effect::Page {
            listing: self.listing(),
            offset: at.saturating_sub(WINDOW / 2),
            limit: WINDOW,
        }
    }

    /// The window again when the selected row is near its edge (or past it).
    fn follow_window(&self) -> Vec<Effect> {
        let held = self.first..self.first + self.all.len();
        let from = self.selected.saturating_sub(MARGIN);
        let to = (self.selected + MARGIN).min(self.total.saturating_sub(1));
        if self.total == 0 || (held.contains(&from) && held.contains(&to)) {
            Vec::new()
        } else {
            vec![self.window_at(self.selected)]
        }
    }

    /// The filters changed: the list from its top.
    fn refilter(&mut self) -> Vec<Effect> {
        self.selected = 0;
        if self.open.take().is_some() {
            self.open_when_held = true;
        }
        vec![self.window_at(0)]
    }

    /// The list read again where it stands, the selected item kept selected
    /// (it may have moved: answered, it goes down among those closed).
    fn reload(&self) -> Vec<Effect> {
        match self.current() {
            Some(item) => vec![Effect::Locate {
                listing: self.listing(),
                id: item.id.clone(),
            }],
            None => vec![self.window_at(self.selected)],
        }
    }

    fn select(&mut self, row: usize) -> Vec<Effect> {
        self.selected = row.min(self.total.saturating_sub(1));
        let effects = self.follow_window();
        if effects.is_empty() {
            return follow_open(self);
        }
        if self.open.take().is_some() {
            self.open_when_held = true;
        }
        effects
    }
}

pub fn update(desk: &mut Desk, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Page(page) => {
            if page.listing != desk.listing() {
                return Vec::new(); // asked before the filters changed
            }
            let stale = page.offset > 0 && page.items.is_empty();
            let mut items = page.items;
            // An item held whole (its timeline open) stays whole while unchanged.
            if let Some((id, _)) = &desk.open {
                if let (Some(old), Some(new)) = (
                    desk.all.iter().find(|i| &i.id == id),
                    items.iter_mut().find(|i| &i.id == id),
                ) {
                    if old.version == new.version {
                        *new = old.clone();
                    }
                }
            }
            desk.all = items;
            desk.first = page.offset;
            desk.total = page.total;
            desk.selected = desk.selected.min(desk.total.saturating_sub(1));
            if stale && desk.total > 0 {
                // The list shrank below where it was read.
                return vec![desk.window_at(desk.selected)];
            }
            if std::mem::take(&mut desk.open_when_held) {
                desk.open = desk.current().map(|i| (i.id.clone(), Vec::new()));
                return follow_open(desk);
            }
            Vec::new()
        }
        Msg::Located(id, at) => {
            if desk.current().is_some_and(|i| i.id == id) {
                if let Some(at) = at {
                    desk.selected = at;
                }
            }
            let mut effects = vec![desk.window_at(desk.selected)];
            // An open timeline is read again: the change may be its item's.
            if let Some((open, _)) = &desk.open {
                effects.push(Effect::History(open.clone()));
            }
            effects
        }
        Msg::Departments(all) => {
            desk.departments = all;
            Vec::new()
        }
        Msg::Changed => desk.reload(),
        Msg::History(id, lines) => {
            if desk.open.as_ref().is_some_and(|(open, _)| *open == id) {
                desk.open = Some((id, lines));
            }
            Vec::new()
        }
        Msg::Recorded(Ok(item)) => {
            let w = desk.words();
            desk.notice = Some((format!("{} · {}", item.id, w.recorded), false));
            if let Some(slot) = desk.all.iter_mut().find(|i| i.id == item.id) {
                *slot = *item;
            }
            // Where it stands now (and its timeline, when open, read again).
            desk.reload()
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
            let before = desk.listing();
            desk.now_ms = now;
            if desk.listing() != before {
                // A new day: overdue from it.
                return desk.reload();
            }
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
        Action::CursorUp => desk.select(desk.selected.saturating_sub(1)),
        Action::CursorDown => desk.select(desk.selected + 1),
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
        Key::Reload => {
            let mut effects = desk.reload();
            effects.push(Effect::Departments);
            return effects;
        }
        Key::PageUp => return desk.select(desk.selected.saturating_sub(PAGE_STEP)),
        Key::PageDown => return desk.select(desk.selected + PAGE_STEP),
        Key::Home => return desk.select(0),
        Key::End => return desk.select(desk.total.saturating_sub(1)),
        Key::OverdueOnly => {
            desk.overdue_only = !desk.overdue_only;
            return desk.refilter();
        }
        Key::NextDepartment => {
            let all = &desk.departments;
            let at = desk
                .department
                .as_ref()
                .and_then(|d| all.iter().position(|(id, _)| id == d));
            desk.department = match at {
                None => all.first().map(|(id, _)| id.clone()),
                Some(i) => all.get(i + 1).map(|(id, _)| id.clone()),
            };
            return desk.refilter();
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
            return desk.refilter();
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
    desk.form = Some(Form::new(k, id, fields));
    Vec::new()
}

fn form_key(desk: &mut Desk, key: KeyEvent) -> Vec<Effect> {
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

/// The command a filled form asks for, or which field is wrong and why. The
/// rules say the rest (an empty reason, a date too far) when it is recorded.
fn command_of(form: &Form, w: &Followups) -> Result<Command, (usize, &'static str)> {
    let field = |i: usize| form.field(i);
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

#[cfg(test)]
mod tests;
