//! Questions to departments: the chair records one from the floor (who asks,
//! which department, the text) or an answer; a participant asks in writing,
//! rewrites or withdraws their own pending one; a department's representative
//! answers.

use crate::meeting::question::QuestionStatus;
use crate::meeting::{Command, Role};
use crate::tui::app::dialog::pick;
use crate::tui::app::{App, Dialog, Effect, Focus, Purpose};
use crate::tui::keys::Action;

pub(super) fn on_action(app: &mut App, action: Action) -> Vec<Effect> {
    let submit = |c: Command| vec![Effect::Submit(c)];
    let s = &app.state;
    match action {
        Action::RecordAnswer => {
            // r works from anywhere: it moves to the question list and answers the
            // question under its cursor (the first pending one if the list was not
            // in use yet).
            if app.focus != Focus::Questions {
                app.focus = Focus::Questions;
                if let Some(i) = app
                    .board_questions()
                    .iter()
                    .position(|q| q.status == QuestionStatus::Pending)
                {
                    app.question_cursor = i;
                }
            }
            // (With no question at all, `App::why_not` has said so already.)
            let Some(q) = app.selected_question() else {
                return Vec::new();
            };
            app.dialog = Dialog::Answer {
                question: q.id.clone(),
                status: None,
                note: q.note.clone().unwrap_or_default(),
                seen: q.answers.len(),
            };
            Vec::new()
        }
        Action::RecordQuestion => {
            // A question from the floor is most often the speaker's: the cursor
            // starts on whoever has the floor, else on the first who is not the chair.
            let asker = s.floor.as_ref().map(|f| f.speaker.clone()).or_else(|| {
                s.plan
                    .participants
                    .iter()
                    .find(|p| p.role != Role::Chair && p.role.may_take_part())
                    .map(|p| p.id.clone())
            });
            let picker = pick::participants(app, Role::may_take_part);
            let picker = match &asker {
                Some(id) => picker.at(id),
                None => picker,
            };
            app.dialog = Dialog::Pick(Purpose::Asker, picker);
            Vec::new()
        }
        Action::Ask => {
            let Some(me) = app.me().map(String::from) else {
                return Vec::new();
            };
            app.dialog = pick::department_picker(app, me);
            Vec::new()
        }
        Action::WithdrawQuestion => match app.own_pending_question() {
            Some(q) => submit(Command::WithdrawQuestion {
                question: q.id.clone(),
            }),
            None => Vec::new(),
        },
        Action::EditQuestion => {
            if let Some(q) = app.own_pending_question() {
                app.dialog = Dialog::EditQuestion {
                    question: q.id.clone(),
                    text: q.text.clone(),
                };
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}
