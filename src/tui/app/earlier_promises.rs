//! 回头看 on the consoles: the earlier promises a review step brings back, the
//! one under the cursor and the one called, and the two forms: what stands now
//! (the chair) and the rating (the asker, or the chair for them). No IO: each
//! form ends as a command for the hub.

use super::{App, Dialog, Effect, Focus};
use crate::meeting::followups::{Date, Rating};
use crate::meeting::review::{Outcome, ReviewItem};
use crate::meeting::Command;
use crate::tui::picker::edit;
use crossterm::event::{KeyCode, KeyEvent};

/// The form of what stands now: the outcome (1, 2, 3), for `in_progress` the
/// new date, and a note; `on_note` says which of the two typing goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub item: String,
    pub outcome: Option<Outcome>,
    pub due: String,
    pub note: String,
    pub on_note: bool,
}

/// The rating form: 1, 2, 3 and, with 3, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    pub item: String,
    pub rating: Option<Rating>,
    pub reason: String,
}

impl App {
    /// The earlier promises the step running now brings back.
    pub fn review_items(&self) -> &[ReviewItem] {
        self.state
            .step()
            .and_then(|s| s.review.as_ref())
            .map_or(&[], |r| r.found.as_slice())
    }

    /// The item under the review list's cursor.
    pub fn selected_review(&self) -> Option<&ReviewItem> {
        self.review_items().get(self.review_cursor)
    }

    /// The item the chair called, while its step lasts.
    pub fn called_review(&self) -> Option<&ReviewItem> {
        self.state.called_review()
    }

    /// Whether the step running now reviews earlier promises.
    pub fn in_review(&self) -> bool {
        self.state.step().is_some_and(|s| s.kind.traits().reviews)
    }

    /// Whether `item` was recorded delivered in this meeting, so it can be rated.
    pub fn delivered(&self, item: &str) -> bool {
        self.state.reviews.items.get(item).and_then(|r| r.outcome) == Some(Outcome::Delivered)
    }

    /// What the rating key rates: the item called, else (the chair) the one
    /// under the cursor; only one that was delivered, and for a participant only
    /// their own.
    pub fn ratable_review(&self) -> Option<&ReviewItem> {
        let item = match self.me() {
            Some(_) => self.called_review(),
            None => self.called_review().or_else(|| self.selected_review()),
        }?;
        let mine = self.me().is_none_or(|me| me == item.asker);
        (mine && self.delivered(&item.id)).then_some(item)
    }
}

/// `v`, `u`, `m`: call, record, rate.
pub(super) fn on_review_key(app: &mut App, action: crate::tui::keys::Action) -> Vec<Effect> {
    use crate::tui::keys::Action;
    app.focus = Focus::Questions;
    match action {
        Action::ReviewCall => {
            let Some(item) = app.selected_review().map(|i| i.id.clone()) else {
                return Vec::new();
            };
            // The next `v` calls the next one.
            app.review_cursor =
                (app.review_cursor + 1).min(app.review_items().len().saturating_sub(1));
            vec![Effect::Submit(Command::ReviewCall { item })]
        }
        Action::ReviewRecord => {
            let Some(item) = app.called_review().or_else(|| app.selected_review()) else {
                return Vec::new();
            };
            let before = app.state.reviews.items.get(&item.id);
            app.dialog = Dialog::Review(Record {
                item: item.id.clone(),
                outcome: before.and_then(|r| r.outcome),
                due: before
                    .and_then(|r| r.due)
                    .map_or_else(String::new, |d| d.to_string()),
                note: before.and_then(|r| r.note.clone()).unwrap_or_default(),
                on_note: false,
            });
            Vec::new()
        }
        Action::ReviewRate => {
            let Some(item) = app.ratable_review() else {
                return Vec::new();
            };
            app.dialog = Dialog::ReviewRate(Rate {
                item: item.id.clone(),
                rating: None,
                reason: String::new(),
            });
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A key in the form of what stands now.
pub(super) fn on_record_key(app: &mut App, mut form: Record, key: KeyEvent) -> Vec<Effect> {
    let words = crate::tui::labels::labels(app.lang);
    match key.code {
        KeyCode::Esc => return Vec::new(),
        KeyCode::Enter if form.outcome.is_some() => {
            let outcome = form.outcome.expect("chosen");
            let due = if outcome == Outcome::InProgress {
                match Date::parse(form.due.trim()) {
                    Some(d) => Some(d),
                    None => {
                        app.refuse(words.not_a_date);
                        app.dialog = Dialog::Review(Record {
                            on_note: false,
                            ..form
                        });
                        return Vec::new();
                    }
                }
            } else {
                None
            };
            let note = Some(form.note.trim().to_string()).filter(|n| !n.is_empty());
            return vec![Effect::Submit(Command::ReviewRecord {
                item: form.item,
                outcome,
                due,
                note,
            })];
        }
        KeyCode::Tab | KeyCode::BackTab => form.on_note = !form.on_note,
        KeyCode::Char(c @ '1'..='3') if form.outcome.is_none() => {
            form.outcome = Some(match c {
                '1' => Outcome::Delivered,
                '2' => Outcome::InProgress,
                _ => Outcome::NotDelivered,
            });
            // Only an item still in progress has a date to write first.
            form.on_note = form.outcome != Some(Outcome::InProgress);
        }
        _ if form.outcome.is_some() => {
            if form.on_note {
                edit(&mut form.note, key);
            } else {
                edit(&mut form.due, key);
            }
        }
        _ => {}
    }
    app.dialog = Dialog::Review(form);
    Vec::new()
}

/// A key in the rating form.
pub(super) fn on_rate_key(app: &mut App, mut form: Rate, key: KeyEvent) -> Vec<Effect> {
    match (key.code, form.rating) {
        (KeyCode::Esc, _) => return Vec::new(),
        (KeyCode::Enter, Some(rating)) => {
            let reason = Some(form.reason.trim().to_string()).filter(|r| !r.is_empty());
            return vec![Effect::Submit(Command::ReviewRate {
                item: form.item,
                rating,
                reason,
            })];
        }
        (KeyCode::Char(c @ '1'..='3'), None) => {
            form.rating = Some(match c {
                '1' => Rating::Satisfied,
                '2' => Rating::BasicallySatisfied,
                _ => Rating::Dissatisfied,
            });
        }
        (_, Some(_)) => edit(&mut form.reason, key),
        _ => {}
    }
    app.dialog = Dialog::ReviewRate(form);
    Vec::new()
}
