//! The chair moves through the meeting: starts it, goes to the next, the
//! previous or any step (asked first when leaving one deserves a second
//! thought), closes it (asked first).

use crate::meeting::Command;
use crate::tui::app::{App, Dialog, Effect, Purpose};
use crate::tui::keys::Action;
use crate::tui::labels;
use crate::tui::picker::{Item, Picker};

pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    let submit = |c: Command| vec![Effect::Submit(c)];
    let s = &app.state;
    match action {
        Action::Start => submit(Command::StartMeeting),
        Action::NextStep if !app.leaving_step_warnings().is_empty() => {
            app.dialog = Dialog::ConfirmNext;
            Vec::new()
        }
        Action::NextStep => submit(Command::NextStep),
        Action::PreviousStep => submit(Command::PreviousStep),
        Action::GotoStep => {
            let items = s
                .plan
                .positions()
                .iter()
                .filter_map(|&p| {
                    let step = s.plan.step(p)?;
                    let kind = labels::step_kind(app.lang, step.kind);
                    Some(Item::new(
                        &format!("{}.{}", p.item, p.step),
                        format!("{}.{} {} · {}", p.item + 1, p.step + 1, step.title, kind),
                    ))
                })
                .collect();
            app.dialog = Dialog::Pick(Purpose::Step, Picker::new(items));
            Vec::new()
        }
        Action::CloseMeeting => {
            app.dialog = Dialog::ConfirmClose;
            Vec::new()
        }
        _ => Vec::new(),
    }
}
