//! The dialogs over the console, one file each with its keys beside its state
//! (as gitui keeps its popups; the drawing is `view/dialog/`): `Dialog` lists
//! them, and `on_key` hands a key to the one open, or to the console itself
//! (`main`) when none is.

mod answer;
mod confirm;
mod help;
mod participants;
pub(super) mod pick;
mod question;
mod queue_mode;
mod walk_in;

pub use pick::Purpose;
pub use walk_in::{WalkIn, WALK_IN_ROLES};

use super::{earlier_promises, main, App, Effect};
use crate::meeting::{Answer, Command};
use crate::tui::picker::Picker;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    None,
    Help,
    ConfirmQuit,
    ConfirmClose,
    /// `n` where leaving the step deserves a second thought
    /// (`App::leaving_step_warnings`).
    ConfirmNext,
    /// `⏎` or `e` on a turn that has only just begun: `then` ends it (and, for
    /// `⏎`, gives the floor to the next) once confirmed.
    ConfirmEndTurn {
        then: Command,
    },
    /// `o` on an evaluation that was closed: reopening it changes the results.
    ConfirmReopen {
        poll: String,
    },
    /// Who can join, and how: each participant's link and code, `selected` the
    /// one whose code is shown.
    Participants {
        selected: usize,
    },
    /// The audience's code (an observer's link), full-screen for the projector.
    Audience,
    Pick(Purpose, Picker),
    /// The chair picked someone to add to the queue; which mode?
    QueueMode {
        participant: String,
    },
    Answer {
        question: String,
        status: Option<Answer>,
        note: String,
        /// How many answers the question had when the form opened.
        seen: usize,
    },
    /// Someone else answered while the form was open: theirs is shown, and the
    /// chair's replaces it only when confirmed.
    ConfirmReplace {
        question: String,
        status: Answer,
        note: Option<String>,
        seen: usize,
    },
    QuestionText {
        asker: String,
        department: String,
        text: String,
    },
    /// The asker rewrites their pending question.
    EditQuestion {
        question: String,
        text: String,
    },
    /// `a` on the participants screen: someone the plan did not list arrived.
    WalkIn(WalkIn),
    /// 回头看: what stands now of an earlier promise.
    Review(earlier_promises::Record),
    /// 回头看: the asker's rating (or the chair's for them).
    ReviewRate(earlier_promises::Rate),
}

/// A key, to the dialog open (taken off the model while it decides, put back
/// when it stays open) or, with none, to the console.
pub(super) fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let dialog = std::mem::replace(&mut app.dialog, Dialog::None);
    match dialog {
        Dialog::None => main::on_key(app, key),
        Dialog::Review(form) => earlier_promises::on_record_key(app, form, key),
        Dialog::ReviewRate(form) => earlier_promises::on_rate_key(app, form, key),
        Dialog::Help => help::on_key(app, key),
        Dialog::Participants { selected } => participants::on_key(app, selected, key),
        Dialog::Audience => participants::on_audience_key(app, key),
        Dialog::ConfirmQuit => confirm::on_quit_key(app, key),
        Dialog::ConfirmNext => confirm::on_next_key(key),
        Dialog::ConfirmEndTurn { then } => confirm::on_end_turn_key(then, key),
        Dialog::ConfirmReopen { poll } => confirm::on_reopen_key(poll, key),
        Dialog::ConfirmClose => confirm::on_close_key(app, key),
        Dialog::Pick(purpose, picker) => pick::on_key(app, purpose, picker, key),
        Dialog::QueueMode { participant } => queue_mode::on_key(app, participant, key),
        Dialog::Answer {
            question,
            status,
            note,
            seen,
        } => answer::on_key(app, (question, status, note, seen), key),
        Dialog::ConfirmReplace {
            question,
            status,
            note,
            seen,
        } => answer::on_replace_key((question, status, note, seen), key),
        Dialog::QuestionText {
            asker,
            department,
            text,
        } => question::on_key(app, (asker, department, text), key),
        Dialog::WalkIn(form) => walk_in::on_key(app, form, key),
        Dialog::EditQuestion { question, text } => question::on_edit_key(app, question, text, key),
    }
}

/// The keys that close an overlay and do nothing else (`Esc`, `⏎`, `n`,
/// Ctrl-C). Any other key an overlay has no use for closes it and then does
/// what it does on the console, so that the footer's keys work whatever is
/// open (the demo opens on the participants screen, and its footer says `s`
/// starts the meeting).
fn closes(key: KeyEvent) -> bool {
    matches!(
        key.code,
        KeyCode::Esc | KeyCode::Enter | KeyCode::Char('n' | 'N')
    ) || is_ctrl_c(key)
}

fn is_ctrl_c(key: KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c')
}
