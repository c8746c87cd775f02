//! Help (`?`): `?` or `q` closes it; any key it has no use for closes it and
//! acts on the console.

use super::closes;
use crate::tui::app::{main, App, Effect};
use crossterm::event::{KeyCode, KeyEvent};

pub(super) fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Char('?' | 'q') => Vec::new(),
        _ if closes(key) => Vec::new(),
        _ => main::on_key(app, key),
    }
}
