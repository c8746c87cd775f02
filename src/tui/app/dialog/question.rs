//! A question's text being typed: `⏎` puts it (or the rewritten one), `Esc`
//! drops it, every other key edits it.

use super::Dialog;
use crate::meeting::Command;
use crate::tui::app::{App, Effect};
use crate::tui::picker::edit;
use crossterm::event::{KeyCode, KeyEvent};

/// A new question: who asks, to which department, its text so far.
pub(super) fn on_key(
    app: &mut App,
    (asker, department, mut text): (String, String, String),
    key: KeyEvent,
) -> Vec<Effect> {
    match key.code {
        KeyCode::Esc => Vec::new(),
        KeyCode::Enter if !text.trim().is_empty() => {
            vec![Effect::Submit(Command::SubmitQuestion {
                department,
                text,
                asker: Some(asker),
            })]
        }
        _ => {
            edit(&mut text, key);
            app.dialog = Dialog::QuestionText {
                asker,
                department,
                text,
            };
            Vec::new()
        }
    }
}

/// The asker's own pending question, rewritten.
pub(super) fn on_edit_key(
    app: &mut App,
    question: String,
    mut text: String,
    key: KeyEvent,
) -> Vec<Effect> {
    match key.code {
        KeyCode::Esc => Vec::new(),
        KeyCode::Enter if !text.trim().is_empty() => {
            vec![Effect::Submit(Command::EditQuestion { question, text })]
        }
        _ => {
            edit(&mut text, key);
            app.dialog = Dialog::EditQuestion { question, text };
            Vec::new()
        }
    }
}
