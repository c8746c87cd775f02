//! The floor: the chair gives it to the next or to someone picked, and ends a
//! turn (asked first when it has only just begun); a participant raises a hand
//! (normal, point of order, reply), withdraws it, or yields.

use crate::meeting::{Command, Mode, Role};
use crate::tui::app::dialog::pick;
use crate::tui::app::{App, Dialog, Effect, Purpose};
use crate::tui::keys::Action;

pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    let submit = |c: Command| vec![Effect::Submit(c)];
    match action {
        Action::GrantNext | Action::EndTurn if app.fresh_turn().is_some() => {
            let then = if action == Action::GrantNext {
                Command::GrantFloor { participant: None }
            } else {
                Command::EndSpeech
            };
            app.dialog = Dialog::ConfirmEndTurn { then };
            Vec::new()
        }
        Action::GrantNext => submit(Command::GrantFloor { participant: None }),
        Action::GrantPick => {
            app.dialog = Dialog::Pick(Purpose::Grant, pick::participants(app, Role::may_take_part));
            Vec::new()
        }
        Action::EndTurn => submit(Command::EndSpeech),
        Action::RaiseNormal => submit(Command::RaiseHand { mode: Mode::Normal }),
        Action::RaiseOrder => submit(Command::RaiseHand {
            mode: Mode::PointOfOrder,
        }),
        Action::RaiseReply => submit(Command::RaiseHand { mode: Mode::Reply }),
        Action::Withdraw => submit(Command::WithdrawHand),
        Action::Yield => submit(Command::YieldFloor),
        _ => Vec::new(),
    }
}
