//! 回头看's two forms: what stands now of an earlier promise (the chair), and
//! the asker's rating (or the chair's for them). Their keys:
//! `app/review.rs`.

use super::{end_of, hint, popup};
use crate::text::truncate;
use crate::tui::app::earlier_promises::{Rate, Record};
use crate::tui::app::App;
use crate::tui::labels::labels;
use crate::tui::view::line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};

/// What stands now: the outcome (1, 2, 3), for one in progress its new date,
/// and a note.
pub(super) fn record(app: &App, form: &Record, area: Rect, buf: &mut Buffer, wide: u16) {
    let l = labels(app.lang);
    let fw = &crate::lang::catalogue::of(app.lang).followups;
    let chosen = form
        .outcome
        .map(|o| crate::lang::followups::outcome_word(fw, o));
    let (inner, w) = review_form(
        app,
        area,
        buf,
        (wide, 10),
        (l.review_title, &form.item),
        chosen,
    );
    let cursor = |on: bool| if on { "▏" } else { "" };
    if form.outcome == Some(crate::meeting::review::Outcome::InProgress) {
        line(
            inner,
            buf,
            3,
            Line::from(end_of(
                &format!("{}: {}{}", l.review_due, form.due, cursor(!form.on_note)),
                w,
            )),
        );
    }
    line(
        inner,
        buf,
        4,
        Line::from(end_of(
            &format!("{}: {}{}", l.note, form.note, cursor(form.on_note)),
            w,
        )),
    );
    hint(inner, buf, 6, l.review_hint);
}

/// The rating: 1, 2, 3 and, with 3, why.
pub(super) fn rate(app: &App, form: &Rate, area: Rect, buf: &mut Buffer, wide: u16) {
    let l = labels(app.lang);
    let fw = &crate::lang::catalogue::of(app.lang).followups;
    let chosen = form
        .rating
        .map(|r| crate::lang::followups::rating_word(fw, r));
    let (inner, w) = review_form(
        app,
        area,
        buf,
        (wide, 9),
        (l.rate_title, &form.item),
        chosen,
    );
    line(
        inner,
        buf,
        3,
        Line::from(end_of(&format!("{}: {}▏", l.reason, form.reason), w)),
    );
    hint(inner, buf, 5, l.rate_hint);
}

/// A review form's popup: the item it is about on its first row and what was
/// chosen on its third; the inner area and its width.
fn review_form(
    app: &App,
    area: Rect,
    buf: &mut Buffer,
    (w, h): (u16, u16),
    (title, item): (&str, &str),
    chosen: Option<&str>,
) -> (Rect, usize) {
    let about = app
        .review_items()
        .iter()
        .find(|i| i.id == item)
        .map_or_else(String::new, |i| {
            format!("{} · {}：{}", i.department_name, i.asker_name, i.question)
        });
    let inner = popup(area, buf, w, h, &format!("{title} · {item}"));
    let width = inner.width as usize;
    line(inner, buf, 0, Line::from(truncate(&about, width)));
    line(
        inner,
        buf,
        2,
        Line::from(Span::styled(
            format!("→ {}", chosen.unwrap_or("…")),
            Style::new().bold().fg(Color::Cyan),
        )),
    );
    (inner, width)
}
