//! The lists on the console: Tab between the queue and the questions (the
//! review's items in a review step), ↑ ↓ through the one in use.

use crate::tui::app::{App, Effect, Focus};
use crate::tui::keys::Action;

pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::SwitchPane => {
            app.focus = match app.focus {
                Focus::Queue => Focus::Questions,
                Focus::Questions => Focus::Queue,
            };
            Vec::new()
        }
        Action::CursorUp | Action::CursorDown
            if app.in_review() && app.focus == Focus::Questions =>
        {
            let len = app.review_items().len();
            app.review_cursor = if action == Action::CursorUp {
                app.review_cursor.saturating_sub(1)
            } else {
                (app.review_cursor + 1).min(len.saturating_sub(1))
            };
            Vec::new()
        }
        Action::CursorUp | Action::CursorDown => {
            let up = action == Action::CursorUp;
            let (cursor, len) = match app.focus {
                Focus::Queue => (&mut app.queue_cursor, app.state.queue.len()),
                Focus::Questions => (&mut app.question_cursor, app.state.questions.len()),
            };
            *cursor = if up {
                cursor.saturating_sub(1)
            } else {
                (*cursor + 1).min(len.saturating_sub(1))
            };
            Vec::new()
        }
        _ => Vec::new(),
    }
}
