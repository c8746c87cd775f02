//! The walk-in form (`a` on the participants screen): someone the plan did not
//! list arrived. Their name, typed; their role, Tab; for a department's
//! representative the department, ← →; `⏎` adds them, `Esc` goes back to the
//! participants screen.

use super::Dialog;
use crate::meeting::{Command, Role};
use crate::tui::app::{App, Effect};
use crate::tui::picker::edit;
use crossterm::event::{KeyCode, KeyEvent};

/// The walk-in form: a name, a role (Tab), for a department's representative the
/// department (← →).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkIn {
    pub name: String,
    pub role: Role,
    /// Index into the plan's departments.
    pub department: usize,
}

/// The roles a walk-in may have, in the order Tab goes through them.
pub const WALK_IN_ROLES: [Role; 5] = [
    Role::Public,
    Role::Member,
    Role::Expert,
    Role::Department,
    Role::Observer,
];

pub(super) fn on_key(app: &mut App, mut form: WalkIn, key: KeyEvent) -> Vec<Effect> {
    let departments = app.state.plan.departments.len().max(1);
    match key.code {
        KeyCode::Esc => {
            app.dialog = Dialog::Participants { selected: 0 };
            return Vec::new();
        }
        KeyCode::Enter if !form.name.trim().is_empty() => {
            let department = (form.role == Role::Department)
                .then(|| app.state.plan.departments.get(form.department))
                .flatten()
                .map(|d| d.id.clone());
            return vec![Effect::Submit(Command::AddParticipant {
                name: form.name,
                role: form.role,
                sector: None,
                department,
            })];
        }
        KeyCode::Tab | KeyCode::BackTab => {
            let at = WALK_IN_ROLES
                .iter()
                .position(|r| *r == form.role)
                .unwrap_or(0);
            let step = if key.code == KeyCode::Tab {
                1
            } else {
                WALK_IN_ROLES.len() - 1
            };
            form.role = WALK_IN_ROLES[(at + step) % WALK_IN_ROLES.len()];
        }
        KeyCode::Right if form.role == Role::Department => {
            form.department = (form.department + 1) % departments;
        }
        KeyCode::Left if form.role == Role::Department => {
            form.department = (form.department + departments - 1) % departments;
        }
        _ => edit(&mut form.name, key),
    }
    app.dialog = Dialog::WalkIn(form);
    Vec::new()
}
