//! The console's own keys, with no dialog open: the seat's key table gives the
//! action, `App::why_not` (`can.rs`) says why it cannot act now, or it is
//! carried out, a file per part of the meeting it acts on.

mod floor;
mod lists;
mod poll;
mod questions;
mod queue;
mod steps;
mod timers;

use super::{earlier_promises, App, Dialog, Effect, Seat};
use crate::tui::keys::{self, Action};
use crossterm::event::KeyEvent;

pub(super) fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(action) = keys::action_for(key, keys::table(app.seat.table())) else {
        return Vec::new();
    };
    if let Some(why) = app.why_not(action) {
        app.refuse(why);
        return Vec::new();
    }
    match action {
        Action::Start
        | Action::NextStep
        | Action::PreviousStep
        | Action::GotoStep
        | Action::CloseMeeting => steps::on_action(app, action),
        Action::GrantNext
        | Action::GrantPick
        | Action::EndTurn
        | Action::RaiseNormal
        | Action::RaiseOrder
        | Action::RaiseReply
        | Action::Withdraw
        | Action::Yield => floor::on_action(app, action),
        Action::ToggleTurnTimer
        | Action::TurnPlus
        | Action::TurnMinus
        | Action::ToggleStepTimer
        | Action::StepPlus
        | Action::StepMinus => timers::on_action(app, action),
        Action::QueueAdd
        | Action::QueueRemove
        | Action::QueueUp
        | Action::QueueDown
        | Action::ToggleQueue => queue::on_action(app, action),
        Action::RecordAnswer
        | Action::RecordQuestion
        | Action::Ask
        | Action::WithdrawQuestion
        | Action::EditQuestion => questions::on_action(app, action),
        Action::TogglePoll | Action::Vote => poll::on_action(app, action),
        Action::ReviewCall | Action::ReviewRecord | Action::ReviewRate => {
            earlier_promises::on_review_key(app, action)
        }
        Action::SwitchPane | Action::CursorUp | Action::CursorDown => lists::on_action(app, action),
        // The screens over the console.
        Action::Help => {
            app.dialog = Dialog::Help;
            Vec::new()
        }
        Action::Participants => {
            app.dialog = Dialog::Participants {
                selected: app.free_seat().unwrap_or(0),
            };
            Vec::new()
        }
        Action::AudienceCode => {
            app.dialog = Dialog::Audience;
            Vec::new()
        }
        // Nothing to lose in a replay.
        Action::Quit if app.seat == Seat::Replay => vec![Effect::Quit],
        Action::Quit => {
            app.dialog = Dialog::ConfirmQuit;
            Vec::new()
        }
        Action::Replay(r) => vec![Effect::Replay(r, key.code)],
        Action::Desk(_) | Action::TopicDesk(_) => Vec::new(),
    }
}
