//! Evaluations: the chair opens or closes the step's poll (asked first before
//! reopening a closed one); a participant votes, picking the department rated
//! when there are several, then a choice.

use crate::meeting::Command;
use crate::tui::app::dialog::pick;
use crate::tui::app::{App, Dialog, Effect, Purpose};
use crate::tui::keys::Action;
use crate::tui::picker::{Item, Picker};

pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    let submit = |c: Command| vec![Effect::Submit(c)];
    let s = &app.state;
    match action {
        Action::TogglePoll => {
            let Some(poll) = s
                .step()
                .and_then(|st| st.poll.as_ref())
                .filter(|_| s.step().is_some_and(|st| st.kind.traits().poll))
            else {
                return Vec::new();
            };
            let open = s.polls.get(&poll.id).is_some_and(|p| p.open);
            let id = poll.id.clone();
            if !open && s.polls.contains_key(&id) {
                app.dialog = Dialog::ConfirmReopen { poll: id };
                return Vec::new();
            }
            submit(if open {
                Command::ClosePoll { poll: id }
            } else {
                Command::OpenPoll { poll: id }
            })
        }
        Action::Vote => {
            let Some(poll) = app.open_poll().cloned() else {
                return Vec::new();
            };
            app.dialog = if poll.targets.is_empty() {
                pick::choice_picker(app, poll.id.clone(), None)
            } else {
                let items = poll
                    .targets
                    .iter()
                    .map(|t| {
                        Item::new(
                            t,
                            app.state
                                .plan
                                .department(t)
                                .map_or(t.clone(), |d| d.name.clone()),
                        )
                    })
                    .collect();
                Dialog::Pick(
                    Purpose::VoteTarget {
                        poll: poll.id.clone(),
                    },
                    Picker::new(items),
                )
            };
            Vec::new()
        }
        _ => Vec::new(),
    }
}
