//! The questions asked before what cannot be taken back: leaving a step with
//! something left undone, cutting a turn that has only just begun, reopening
//! an evaluation, closing the meeting, quitting.

use super::popup;
use crate::meeting::Command;
use crate::text::{truncate, width};
use crate::tui::app::{App, Dialog, Seat};
use crate::tui::labels::labels;
use crate::tui::view::line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;

/// `n`: what leaving the step leaves undone (`App::leaving_step_warnings`).
pub(super) fn next(app: &App, area: Rect, buf: &mut Buffer, wide: u16) {
    let l = labels(app.lang);
    let rows = app.leaving_step_warnings();
    confirm(area, buf, wide, &rows, l.confirm_next_keys);
}

/// `⏎` or `e` on a fresh turn: whose, and what the key then does.
pub(super) fn end_turn(app: &App, then: &Command, area: Rect, buf: &mut Buffer, wide: u16) {
    let l = labels(app.lang);
    let who = app.fresh_turn().unwrap_or_default();
    let (row, keys) = if matches!(then, Command::EndSpeech) {
        (format!("{who} {}", l.fresh_turn), l.confirm_end_keys)
    } else {
        (format!("{who} {}", l.fresh_turn), l.confirm_grant_keys)
    };
    confirm(area, buf, wide, &[row], keys);
}

/// `o` on an evaluation that was closed.
pub(super) fn reopen(app: &App, area: Rect, buf: &mut Buffer, wide: u16) {
    question(area, buf, wide, labels(app.lang).confirm_reopen);
}

/// `q` and `x`.
pub(super) fn quit_or_close(app: &App, area: Rect, buf: &mut Buffer, wide: u16) {
    let text = if app.dialog == Dialog::ConfirmQuit {
        quit_question(app)
    } else {
        labels(app.lang).confirm_close
    };
    question(area, buf, wide, text);
}

/// A one-line question in a box as wide as it needs.
fn question(area: Rect, buf: &mut Buffer, wide: u16, text: &str) {
    let w = (width(text) as u16 + 4).min(wide);
    let inner = popup(area, buf, w, 3, "?");
    line(
        inner,
        buf,
        0,
        Line::from(truncate(text, inner.width as usize)).bold(),
    );
}

/// A question in a box: `rows` in bold, then the keys that answer it.
fn confirm(area: Rect, buf: &mut Buffer, wide: u16, rows: &[String], keys: &str) {
    let inner = popup(area, buf, wide, rows.len() as u16 + 4, "?");
    for (i, r) in rows.iter().enumerate() {
        line(
            inner,
            buf,
            i as u16,
            Line::from(truncate(r, inner.width as usize)).bold(),
        );
    }
    line(
        inner,
        buf,
        rows.len() as u16 + 1,
        Line::from(truncate(keys, inner.width as usize)).dim(),
    );
}

/// The quit question in the words of whoever is asked: a participant leaves and
/// can come back; the chair of a closed meeting has nothing left to resume.
fn quit_question(app: &App) -> &'static str {
    let l = labels(app.lang);
    match (&app.seat, app.state.status) {
        (Seat::Participant(_) | Seat::Projector, _) => l.confirm_quit_participant,
        (_, crate::meeting::state::Status::Closed) => l.confirm_quit_closed,
        _ => l.confirm_quit,
    }
}
