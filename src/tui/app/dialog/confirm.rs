//! The questions asked before what cannot be taken back: `y` goes ahead.
//! Quitting and closing the meeting close on a key they have no use for and
//! let it act; the others take any other key as no.

use super::closes;
use crate::meeting::Command;
use crate::tui::app::{main, App, Effect};
use crossterm::event::{KeyCode, KeyEvent};

fn yes(key: KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char('y' | 'Y'))
}

pub(super) fn on_quit_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        _ if yes(key) => vec![Effect::Quit],
        KeyCode::Char('q') => Vec::new(),
        _ if closes(key) => Vec::new(),
        _ => main::on_key(app, key),
    }
}

pub(super) fn on_close_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        _ if yes(key) => vec![Effect::Submit(Command::CloseMeeting)],
        KeyCode::Char('x') => Vec::new(),
        _ if closes(key) => Vec::new(),
        _ => main::on_key(app, key),
    }
}

/// Leaving a step with something left undone.
pub(super) fn on_next_key(key: KeyEvent) -> Vec<Effect> {
    if yes(key) {
        vec![Effect::Submit(Command::NextStep)]
    } else {
        Vec::new()
    }
}

/// Cutting a turn that has only just begun: `then` once confirmed.
pub(super) fn on_end_turn_key(then: Command, key: KeyEvent) -> Vec<Effect> {
    if yes(key) {
        vec![Effect::Submit(then)]
    } else {
        Vec::new()
    }
}

/// Reopening a closed evaluation.
pub(super) fn on_reopen_key(poll: String, key: KeyEvent) -> Vec<Effect> {
    if yes(key) {
        vec![Effect::Submit(Command::OpenPoll { poll })]
    } else {
        Vec::new()
    }
}
