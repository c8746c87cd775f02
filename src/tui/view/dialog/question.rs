//! A question's text being typed: one put to a department (by the chair for
//! someone, or by a participant), or an asker's own pending one rewritten. Its
//! end, where the cursor is, always in sight.

use super::{popup, typed_lines};
use crate::text::truncate;
use crate::tui::app::App;
use crate::tui::labels::labels;
use crate::tui::view::line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;

/// A new question: who asks, which department, the text so far.
pub(super) fn put(
    app: &App,
    (asker, department, text): (&str, &str, &str),
    area: Rect,
    buf: &mut Buffer,
    wide: u16,
) {
    let l = labels(app.lang);
    let dept = app
        .state
        .plan
        .department(department)
        .map_or(department, |d| d.name.as_str());
    let inner = popup(
        area,
        buf,
        wide,
        7,
        &format!("{} · {} → {}", l.question_title, app.name(asker), dept),
    );
    // Over the rows the box has, its end (and the cursor) always in sight.
    typed(app, text, inner, buf);
}

/// An asker's own pending question, rewritten.
pub(super) fn edit(app: &App, question: &str, text: &str, area: Rect, buf: &mut Buffer, wide: u16) {
    let l = labels(app.lang);
    let inner = popup(
        area,
        buf,
        wide,
        6,
        &format!("{} · {question}", l.question_title),
    );
    typed(app, text, inner, buf);
}

/// The text over the box's rows but the last, and the keys on the last.
fn typed(app: &App, text: &str, inner: Rect, buf: &mut Buffer) {
    let l = labels(app.lang);
    let rows = inner.height.saturating_sub(2) as usize;
    for (i, part) in typed_lines(text, inner.width as usize, rows)
        .into_iter()
        .enumerate()
    {
        line(inner, buf, i as u16, Line::from(part));
    }
    line(
        inner,
        buf,
        inner.height.saturating_sub(1),
        Line::from(truncate(l.text_hint, inner.width as usize)).dim(),
    );
}
