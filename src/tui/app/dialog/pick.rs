//! A picker's keys: typing filters, `⏎` takes the one under the cursor for
//! what it was opened for (`Purpose`), `Esc` closes it. Also the pickers the
//! console opens: participants, departments, a poll's choices.

use super::{is_ctrl_c, Dialog};
use crate::meeting::{Command, Role};
use crate::tui::app::{App, Effect};
use crate::tui::labels;
use crate::tui::picker::{Item, Picker};
use crossterm::event::{KeyCode, KeyEvent};

/// What a picker is choosing for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Grant,
    QueueAdd,
    Asker,
    Department {
        asker: String,
    },
    Step,
    VoteTarget {
        poll: String,
    },
    VoteChoice {
        poll: String,
        target: Option<String>,
    },
}

pub(super) fn on_key(
    app: &mut App,
    purpose: Purpose,
    mut picker: Picker,
    key: KeyEvent,
) -> Vec<Effect> {
    if key.code == KeyCode::Esc || is_ctrl_c(key) {
        return Vec::new();
    }
    if key.code != KeyCode::Enter {
        picker.key(key);
        app.dialog = Dialog::Pick(purpose, picker);
        return Vec::new();
    }
    let Some(id) = picker.chosen().map(String::from) else {
        app.dialog = Dialog::Pick(purpose, picker);
        return Vec::new();
    };
    picked(app, purpose, id)
}

/// `id` was picked for `purpose`: what comes next, a command or the next
/// dialog.
fn picked(app: &mut App, purpose: Purpose, id: String) -> Vec<Effect> {
    match purpose {
        Purpose::Grant => vec![Effect::Submit(Command::GrantFloor {
            participant: Some(id),
        })],
        Purpose::QueueAdd => {
            app.dialog = Dialog::QueueMode { participant: id };
            Vec::new()
        }
        Purpose::Asker => {
            app.dialog = department_picker(app, id);
            Vec::new()
        }
        Purpose::Department { asker } => {
            app.dialog = Dialog::QuestionText {
                asker,
                department: id,
                text: String::new(),
            };
            Vec::new()
        }
        Purpose::VoteTarget { poll } => {
            app.dialog = choice_picker(app, poll, Some(id));
            Vec::new()
        }
        Purpose::VoteChoice { poll, target } => vec![Effect::Submit(Command::Vote {
            poll,
            choice: id,
            target,
        })],
        Purpose::Step => {
            let (item, step) = id
                .split_once('.')
                .and_then(|(i, s)| Some((i.parse().ok()?, s.parse().ok()?)))
                .unwrap_or((0, 0));
            vec![Effect::Submit(Command::GotoStep { item, step })]
        }
    }
}

/// The participants whose role `filter` takes, with their role and their
/// department or sector.
pub(in crate::tui::app) fn participants(app: &App, filter: impl Fn(Role) -> bool) -> Picker {
    let l = app.lang;
    let items = app
        .state
        .plan
        .participants
        .iter()
        .filter(|p| filter(p.role))
        .map(|p| {
            let detail = p
                .department
                .as_deref()
                .and_then(|d| app.state.plan.department(d))
                .map(|d| d.name.clone())
                .or_else(|| p.sector.clone())
                .unwrap_or_default();
            Item::new(
                &p.id,
                format!("{}  {} {}", p.name, labels::role(l, p.role), detail),
            )
        })
        .collect();
    Picker::new(items)
}

/// Which department a question from `asker` goes to.
pub(in crate::tui::app) fn department_picker(app: &App, asker: String) -> Dialog {
    let items = app
        .state
        .plan
        .departments
        .iter()
        .map(|d| Item::new(&d.id, d.name.clone()))
        .collect();
    Dialog::Pick(Purpose::Department { asker }, Picker::new(items))
}

/// A poll's choices, for `target` (a department) or the poll as a whole.
pub(in crate::tui::app) fn choice_picker(
    app: &App,
    poll: String,
    target: Option<String>,
) -> Dialog {
    let choices = app
        .state
        .plan
        .poll(&poll)
        .map(|(_, p)| p.choices.clone())
        .unwrap_or_default();
    let items = choices.iter().map(|c| Item::new(c, c.clone())).collect();
    Dialog::Pick(Purpose::VoteChoice { poll, target }, Picker::new(items))
}
