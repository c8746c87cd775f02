//! Which keys can act now, and why one cannot: the footer offers what [`App::can`]
//! allows, and a key that acts only in the console says [`App::why_not`].

use super::{App, Focus};
use crate::meeting::Status;
use crate::tui::keys::Action;

impl App {
    /// Whether an action can do anything in the meeting as it stands.
    pub fn can(&self, action: Action) -> bool {
        let app = self;
        let s = &app.state;
        let running = s.status == Status::Running;
        let floor = s.floor.is_some();
        let queue_focus = app.focus == Focus::Queue && !s.queue.is_empty();
        // A participant's own role and place: what the core would refuse is not offered.
        let me = app.me().and_then(|id| s.participant(id));
        let takes_part = me.is_none_or(|p| p.role.may_take_part());
        let speaking = app.me().is_some() && s.speaker() == app.me();
        let queued = app.me().is_some_and(|id| s.queue.contains(id));
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
            Action::ToggleStepTimer
            | Action::StepPlus
            | Action::StepMinus
            | Action::CloseMeeting => running,
            Action::QueueRemove | Action::QueueUp | Action::QueueDown => running && queue_focus,
            Action::RecordAnswer => match me {
                // A department's representative answers that department's questions.
                Some(p) => {
                    running
                        && p.department
                            .as_deref()
                            .is_some_and(|d| s.questions.iter().any(|q| q.department == d))
                }
                None => running && !s.questions.is_empty(),
            },
            Action::TogglePoll => running && s.step().is_some_and(|st| st.kind.traits().poll),
            Action::RaiseNormal | Action::RaiseOrder => {
                running && takes_part && !speaking && !queued
            }
            Action::RaiseReply => running && takes_part && floor && !speaking && !queued,
            Action::Ask => running && takes_part,
            Action::WithdrawQuestion | Action::EditQuestion => {
                running && app.own_pending_question().is_some()
            }
            Action::Withdraw => app.me().is_some_and(|me| s.queue.contains(me)),
            Action::Yield => app.me().is_some() && s.speaker() == app.me(),
            Action::Vote => {
                running
                    && app.open_poll().is_some_and(|poll| {
                        me.is_none_or(|p| poll.roles.is_empty() || poll.roles.contains(&p.role))
                    })
            }
            Action::AudienceCode => app.join.is_some(),
            Action::ReviewCall | Action::ReviewRecord => {
                running && me.is_none() && !app.review_items().is_empty()
            }
            Action::ReviewRate => running && app.ratable_review().is_some(),
            // The desk's keys are not the meeting consoles'.
            Action::Desk(_) | Action::TopicDesk(_) => false,
            Action::Replay(_)
            | Action::Participants
            | Action::SwitchPane
            | Action::CursorUp
            | Action::CursorDown
            | Action::Help
            | Action::Quit => true,
        }
    }

    /// Why a key that acts only in the console (a list, a dialog) does nothing now,
    /// in the console's language; `None` for keys the meeting itself answers (a
    /// command is sent, and a refusal comes back as a sentence).
    pub fn why_not(&self, action: Action) -> Option<String> {
        let app = self;
        use crate::lang::refusal::sentence;
        use crate::meeting::Refusal;
        let s = &app.state;
        let words = crate::tui::labels::labels(app.lang);
        let say =
            |word: fn(&crate::tui::labels::Labels) -> &'static str| Some(word(words).to_string());
        let refusal = |r: Refusal| Some(sentence(&r, app.lang, &s.plan));
        let local = matches!(
            action,
            Action::GrantPick
                | Action::QueueAdd
                | Action::RecordQuestion
                | Action::GotoStep
                | Action::RecordAnswer
                | Action::TogglePoll
                | Action::Vote
                | Action::QueueRemove
                | Action::QueueUp
                | Action::QueueDown
                | Action::AudienceCode
                | Action::WithdrawQuestion
                | Action::EditQuestion
                | Action::ReviewCall
                | Action::ReviewRecord
                | Action::ReviewRate
        );
        if !local || app.can(action) {
            return None;
        }
        match s.status {
            Status::NotStarted if action != Action::AudienceCode => {
                return refusal(Refusal::NotStarted)
            }
            Status::Closed if action != Action::AudienceCode => {
                return refusal(Refusal::MeetingClosed)
            }
            _ => {}
        }
        let me = app.me().and_then(|id| s.participant(id));
        match action {
            Action::QueueRemove | Action::QueueUp | Action::QueueDown if s.queue.is_empty() => {
                say(|l| l.cannot_queue_empty_now)
            }
            Action::QueueRemove | Action::QueueUp | Action::QueueDown => {
                say(|l| l.cannot_cursor_on_questions)
            }
            Action::TogglePoll => say(|l| l.cannot_no_poll_here),
            Action::WithdrawQuestion | Action::EditQuestion => {
                say(|l| l.cannot_no_question_of_yours)
            }
            Action::RecordAnswer => match me {
                Some(p) if p.department.is_none() => say(|l| l.cannot_only_departments_answer),
                Some(_) => say(|l| l.cannot_none_for_your_department),
                None => say(|l| l.cannot_no_questions_record_one),
            },
            Action::Vote if app.open_poll().is_some() => refusal(Refusal::RoleDoesNotVote),
            Action::Vote => say(|l| l.cannot_no_poll_open),
            Action::AudienceCode => say(|l| l.cannot_serves_nobody),
            Action::ReviewCall | Action::ReviewRecord => say(|l| l.cannot_no_review_here),
            Action::ReviewRate if app.in_review() => say(|l| l.cannot_rate_not_delivered),
            Action::ReviewRate => say(|l| l.cannot_no_review_here),
            _ => None,
        }
    }
}
