//! The answer form: `1`, `2`, `3` for the outcome, then the note, `⏎` records
//! it; when someone answered since it opened, the chair is asked first
//! (`ConfirmReplace`: `y` replaces theirs, anything else keeps it).

use super::Dialog;
use crate::meeting::{Answer, Command};
use crate::tui::app::{App, Effect};
use crate::tui::picker::edit;
use crossterm::event::{KeyCode, KeyEvent};

/// The form's state: the question, the outcome chosen, the note, and how many
/// answers the question had when it opened.
type Form = (String, Option<Answer>, String, usize);

pub(super) fn on_key(
    app: &mut App,
    (question, status, mut note, seen): Form,
    key: KeyEvent,
) -> Vec<Effect> {
    let status = match (key.code, status) {
        (KeyCode::Esc, _) => return Vec::new(),
        (KeyCode::Enter, Some(status)) => {
            let note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
            let now = app.state.question(&question).map_or(0, |q| q.answers.len());
            if now > seen {
                app.dialog = Dialog::ConfirmReplace {
                    question,
                    status,
                    note,
                    seen: now,
                };
                return Vec::new();
            }
            return vec![Effect::Submit(Command::AnswerQuestion {
                question,
                status,
                note,
                seen_answers: Some(seen),
            })];
        }
        (KeyCode::Char('1'), None) => Some(Answer::Answered),
        (KeyCode::Char('2'), None) => Some(Answer::FollowUp),
        (KeyCode::Char('3'), None) => Some(Answer::Declined),
        (_, Some(s)) => {
            edit(&mut note, key);
            Some(s)
        }
        (_, None) => None,
    };
    app.dialog = Dialog::Answer {
        question,
        status,
        note,
        seen,
    };
    Vec::new()
}

pub(super) fn on_replace_key(
    (question, status, note, seen): (String, Answer, Option<String>, usize),
    key: KeyEvent,
) -> Vec<Effect> {
    match key.code {
        KeyCode::Char('y' | 'Y') => vec![Effect::Submit(Command::AnswerQuestion {
            question,
            status,
            note,
            seen_answers: Some(seen),
        })],
        // Anything else keeps the other answer; nothing is lost either way.
        _ => Vec::new(),
    }
}
