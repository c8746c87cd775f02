//! Which keys work right now: the console's table for its seat, and of it the
//! keys that can do something in the meeting as it stands, for the footer.

use super::app::App;
use super::keys::{self, Action, Binding};
use crate::meeting::question::QuestionStatus;

/// The key table of this console: the chair's, or a participant's.
pub fn bindings(app: &App) -> &'static [Binding] {
    keys::table(app.seat.table())
}

/// The keys for the footer, those that matter most in this step first: recording
/// questions while questions are put, answers while departments respond, the poll
/// in an evaluation.
pub fn footer_bindings(app: &App) -> Vec<&'static Binding> {
    let mine = app.me().is_some() && app.state.speaker() == app.me();
    let pending = || {
        app.state
            .questions
            .iter()
            .any(|q| q.status == QuestionStatus::Pending)
    };
    // The item called has its rating (rating again stays possible, not first).
    let rated = || {
        app.called_review()
            .and_then(|i| app.state.reviews.items.get(&i.id))
            .is_some_and(|r| r.rating.is_some())
    };
    let first = match app.state.step().map(|s| s.kind.traits()) {
        // A participant at the floor: how to give it back comes first.
        _ if mine => Some(Action::Yield),
        // A review: rate what was just delivered, record the one called, call the next.
        Some(t) if t.reviews => Some(if app.can(Action::ReviewRate) && !rated() {
            Action::ReviewRate
        } else if app.called_review().is_some_and(|i| {
            app.state
                .reviews
                .items
                .get(&i.id)
                .is_none_or(|r| r.outcome.is_none())
        }) {
            Action::ReviewRecord
        } else {
            Action::ReviewCall
        }),
        Some(t) if t.questions_put => Some(Action::RecordQuestion),
        Some(t) if t.departments_answer && pending() => Some(Action::RecordAnswer),
        Some(t) if t.poll => Some(Action::TogglePoll),
        _ => None,
    };
    let mut keys: Vec<&Binding> = bindings(app)
        .iter()
        .filter(|b| b.footer && b.action != Action::Help && app.can(b.action))
        .collect();
    if let Some(i) = first.and_then(|a| keys.iter().position(|b| b.action == a)) {
        let b = keys.remove(i);
        // After "next speaker" where that works; in an evaluation the poll
        // comes before everything.
        let at = match keys.first() {
            Some(k) if k.action == Action::GrantNext && first != Some(Action::TogglePoll) => 1,
            _ => 0,
        };
        keys.insert(at, b);
    }
    keys
}
