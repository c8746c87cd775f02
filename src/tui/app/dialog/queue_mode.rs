//! In which mode the one picked joins the queue: `1` (or `⏎`) normal, `2` a
//! point of order, `3` a reply; `Esc` adds nobody, any other key acts on the
//! console.

use crate::meeting::{Command, Mode};
use crate::tui::app::{main, App, Effect};
use crossterm::event::{KeyCode, KeyEvent};

pub(super) fn on_key(app: &mut App, participant: String, key: KeyEvent) -> Vec<Effect> {
    let mode = match key.code {
        KeyCode::Char('1') | KeyCode::Enter => Mode::Normal,
        KeyCode::Char('2') => Mode::PointOfOrder,
        KeyCode::Char('3') => Mode::Reply,
        KeyCode::Esc => return Vec::new(),
        _ => return main::on_key(app, key),
    };
    vec![Effect::Submit(Command::QueueAdd { participant, mode })]
}
