//! The participants screen (`i`): move through everyone, `b` for the
//! audience's code, and for the chair `␣` to mark attendance and `a` for a
//! walk-in; and the audience's code (`b`), `i` back to the list.

use super::{closes, Dialog, WalkIn, WALK_IN_ROLES};
use crate::meeting::Command;
use crate::tui::app::{main, App, Effect, Seat};
use crossterm::event::{KeyCode, KeyEvent};

pub(super) fn on_key(app: &mut App, selected: usize, key: KeyEvent) -> Vec<Effect> {
    let last = app.state.plan.participants.len().saturating_sub(1);
    let moved = match key.code {
        KeyCode::Up | KeyCode::Char('k') => Some(selected.saturating_sub(1)),
        KeyCode::Down | KeyCode::Char('j') => Some((selected + 1).min(last)),
        KeyCode::PageUp => Some(selected.saturating_sub(10)),
        KeyCode::PageDown => Some((selected + 10).min(last)),
        KeyCode::Home => Some(0),
        KeyCode::End => Some(last),
        _ => None,
    };
    match key.code {
        _ if moved.is_some() => {
            app.dialog = Dialog::Participants {
                selected: moved.unwrap_or(selected),
            };
            Vec::new()
        }
        KeyCode::Char('b') if app.join.is_some() => {
            app.dialog = Dialog::Audience;
            Vec::new()
        }
        // The chair marks who attended: present, late, left early,
        // absent, unmarked, in turn.
        KeyCode::Char(' ') if app.seat == Seat::Chair => {
            app.dialog = Dialog::Participants { selected };
            let Some(p) = app.state.plan.participants.get(selected) else {
                return Vec::new();
            };
            let mark = crate::meeting::attendance::Attendance::next(
                app.state.attendance.get(&p.id).copied(),
            );
            vec![Effect::Submit(Command::MarkAttendance {
                participant: p.id.clone(),
                mark,
            })]
        }
        KeyCode::Char('a') if app.seat == Seat::Chair => {
            app.dialog = Dialog::WalkIn(WalkIn {
                name: String::new(),
                role: WALK_IN_ROLES[0],
                department: 0,
            });
            Vec::new()
        }
        KeyCode::Char('i' | 'q') => Vec::new(),
        _ if closes(key) => Vec::new(),
        _ => main::on_key(app, key),
    }
}

pub(super) fn on_audience_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Char('i') => {
            app.dialog = Dialog::Participants { selected: 0 };
            Vec::new()
        }
        KeyCode::Char('b' | 'q') => Vec::new(),
        _ if closes(key) => Vec::new(),
        _ => main::on_key(app, key),
    }
}
