//! The speaker queue, by the chair: add someone (picked, then their mode),
//! remove or move the one under the cursor (never past a point of order or a
//! reply), close or open it.

use crate::meeting::{Command, Role};
use crate::tui::app::dialog::pick;
use crate::tui::app::{App, Dialog, Effect, Focus, Purpose};
use crate::tui::keys::Action;
use crate::tui::labels::labels;

pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    let submit = |c: Command| vec![Effect::Submit(c)];
    let s = &app.state;
    match action {
        Action::QueueAdd => {
            app.dialog = Dialog::Pick(
                Purpose::QueueAdd,
                pick::participants(app, Role::may_take_part),
            );
            Vec::new()
        }
        Action::QueueRemove | Action::QueueUp | Action::QueueDown => {
            let Some(entry) = s
                .queue
                .entries
                .get(app.queue_cursor)
                .filter(|_| app.focus == Focus::Queue)
            else {
                return Vec::new();
            };
            let participant = entry.participant.clone();
            let at = app.queue_cursor;
            let to = match action {
                Action::QueueUp => at.checked_sub(1),
                Action::QueueDown => Some(at + 1).filter(|&to| to < s.queue.len()),
                _ => None,
            };
            if to.is_some_and(|to| s.queue.allowed_position(&participant, to) == Some(at)) {
                app.say(labels(app.lang).orders_first.to_string(), true);
                return Vec::new();
            }
            match action {
                Action::QueueRemove => submit(Command::QueueRemove { participant }),
                Action::QueueUp if at > 0 => {
                    app.queue_cursor = at - 1;
                    submit(Command::QueueMove {
                        participant,
                        position: at - 1,
                    })
                }
                Action::QueueDown if at + 1 < s.queue.len() => {
                    app.queue_cursor = at + 1;
                    submit(Command::QueueMove {
                        participant,
                        position: at + 1,
                    })
                }
                _ => Vec::new(),
            }
        }
        Action::ToggleQueue => submit(if s.queue.open {
            Command::CloseQueue
        } else {
            Command::OpenQueue
        }),
        _ => Vec::new(),
    }
}
