//! The questions asked before what cannot be taken back: leaving a step with
//! something left undone, cutting a turn that has only just begun, reopening
//! an evaluation, closing the meeting, quitting.

use super::popup;
use crate::meeting::Command;
use crate::text::{truncate, width, wrap_words};
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

/// A question in a box as wide as it needs, on as many rows as it takes at
/// the width there is (broken between words, never cut).
fn question(area: Rect, buf: &mut Buffer, wide: u16, text: &str) {
    let w = (width(text) as u16 + 4).min(wide);
    // The question, then the keys that answer it (after two spaces), each
    // begun on a row of its own when it does not fit beside the other.
    let lines = if width(text) + 4 <= usize::from(w) {
        vec![text.to_string()]
    } else {
        text.split("  ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .flat_map(|t| wrap_words(t, w.saturating_sub(4) as usize))
            .collect()
    };
    let inner = popup(area, buf, w, lines.len() as u16 + 2, "?");
    for (i, t) in lines.iter().enumerate() {
        line(
            inner,
            buf,
            i as u16,
            Line::from(truncate(t, inner.width as usize)).bold(),
        );
    }
}

/// A question in a box: `rows` in bold, then the keys that answer it, each
/// wrapped at the box's width.
fn confirm(area: Rect, buf: &mut Buffer, wide: u16, rows: &[String], keys: &str) {
    let inner_w = wide.saturating_sub(4) as usize;
    let said: Vec<String> = rows.iter().flat_map(|r| wrap_words(r, inner_w)).collect();
    let keys = wrap_words(keys, inner_w);
    let h = (said.len() + 1 + keys.len()) as u16 + 2;
    let inner = popup(area, buf, wide, h, "?");
    for (i, r) in said.iter().enumerate() {
        line(
            inner,
            buf,
            i as u16,
            Line::from(truncate(r, inner.width as usize)).bold(),
        );
    }
    for (i, k) in keys.iter().enumerate() {
        line(
            inner,
            buf,
            (said.len() + 1 + i) as u16,
            Line::from(truncate(k, inner.width as usize)).dim(),
        );
    }
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
