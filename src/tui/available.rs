//! Which keys work right now: the console's table for its seat, and of it the
//! keys that can do something in the meeting as it stands, for the footer.

use super::app::{App, Focus};
use super::keys::{self, Action, Binding};
use crate::meeting::question::QuestionStatus;
use crate::meeting::{Status, StepKind};

/// The key table of this console: the chair's, or a participant's.
pub fn bindings(app: &App) -> &'static [Binding] {
    keys::table(app.seat.table())
}

/// The keys for the footer, those that matter most in this step first: recording
/// questions while questions are put, answers while departments respond, the poll
/// in an evaluation.
pub fn footer_bindings(app: &App) -> Vec<&'static Binding> {
    let first = match app.state.step().map(|s| s.kind) {
        Some(StepKind::Question) => Some(Action::RecordQuestion),
        Some(StepKind::Respond)
            if app
                .state
                .questions
                .iter()
                .any(|q| q.status == QuestionStatus::Pending) =>
        {
            Some(Action::RecordAnswer)
        }
        Some(StepKind::Evaluate) => Some(Action::TogglePoll),
        _ => None,
    };
    let mut keys: Vec<&Binding> = bindings(app)
        .iter()
        .filter(|b| b.footer && b.action != Action::Help && available(app, b.action))
        .collect();
    if let Some(i) = first.and_then(|a| keys.iter().position(|b| b.action == a)) {
        let b = keys.remove(i);
        keys.insert(1.min(keys.len()), b);
    }
    keys
}

/// Whether an action can do anything in the meeting as it stands.
pub fn available(app: &App, action: Action) -> bool {
    let s = &app.state;
    let running = s.status == Status::Running;
    let floor = s.floor.is_some();
    let queue_focus = app.focus == Focus::Queue && !s.queue.is_empty();
    match action {
        Action::Start => s.status == Status::NotStarted,
        Action::GrantNext => running && s.next_speaker().is_some(),
        Action::GrantPick
        | Action::QueueAdd
        | Action::ToggleQueue
        | Action::RecordQuestion
        | Action::GotoStep => running,
        Action::EndTurn | Action::ToggleTurnTimer | Action::TurnPlus | Action::TurnMinus => {
            running && floor
        }
        Action::NextStep => {
            running
                && s.position
                    .and_then(|p| s.plan.ordinal(p))
                    .is_some_and(|o| o + 1 < s.plan.positions().len())
        }
        Action::PreviousStep => {
            running
                && s.position
                    .and_then(|p| s.plan.ordinal(p))
                    .is_some_and(|o| o > 0)
        }
        Action::ToggleStepTimer | Action::StepPlus | Action::StepMinus | Action::CloseMeeting => {
            running
        }
        Action::QueueRemove | Action::QueueUp | Action::QueueDown => running && queue_focus,
        Action::RecordAnswer => running && !s.questions.is_empty(),
        Action::TogglePoll => running && s.step().is_some_and(|st| st.kind == StepKind::Evaluate),
        Action::RaiseNormal | Action::RaiseOrder | Action::Ask => running,
        Action::RaiseReply => running && floor,
        Action::Withdraw => app.me().is_some_and(|me| s.queue.contains(me)),
        Action::Yield => app.me().is_some() && s.speaker() == app.me(),
        Action::Vote => running && app.open_poll().is_some(),
        Action::AudienceCode => app.join.is_some(),
        Action::Replay(_)
        | Action::Participants
        | Action::SwitchPane
        | Action::CursorUp
        | Action::CursorDown
        | Action::Help
        | Action::Quit => true,
    }
}
