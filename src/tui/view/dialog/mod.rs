//! Dialogs drawn over the console, one file each (their keys are beside their
//! state, in `app/dialog/`): help, the confirmations, the pickers, the forms
//! (an answer, a question, a walk-in, a review), the participants screen.
//! `render` draws the one open; the rest of this file is what they share: a
//! centred box, the end of a field being typed, a form's hint.

mod answer;
mod confirm;
mod help;
mod participants;
mod pick;
mod question;
mod queue_mode;
mod review_forms;
mod walk_in;

use crate::text::width;
use crate::tui::app::{App, Dialog};
use crate::tui::view::line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Widget};

/// Draws the dialog open, if any, over the screen.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let wide = area.width.saturating_sub(4).min(72);
    match &app.dialog {
        Dialog::None => {}
        Dialog::Review(form) => review_forms::record(app, form, area, buf, wide),
        Dialog::ReviewRate(form) => review_forms::rate(app, form, area, buf, wide),
        Dialog::Help => help::render(app, area, buf),
        Dialog::Participants { selected } => participants::render(app, *selected, area, buf),
        Dialog::Audience => participants::audience(app, area, buf),
        Dialog::ConfirmNext => confirm::next(app, area, buf, wide),
        Dialog::ConfirmEndTurn { then } => confirm::end_turn(app, then, area, buf, wide),
        Dialog::ConfirmReopen { .. } => confirm::reopen(app, area, buf, wide),
        Dialog::ConfirmQuit | Dialog::ConfirmClose => {
            confirm::quit_or_close(app, area, buf, wide);
        }
        Dialog::Pick(purpose, picker) => pick::render(app, purpose, picker, area, buf, wide),
        Dialog::QueueMode { participant } => {
            queue_mode::render(app, participant, area, buf, wide);
        }
        Dialog::Answer {
            question,
            status,
            note,
            ..
        } => answer::render(app, (question, *status, note), area, buf, wide),
        Dialog::ConfirmReplace {
            question,
            status,
            note,
            ..
        } => answer::replace(app, (question, status, note.as_deref()), area, buf, wide),
        Dialog::WalkIn(form) => walk_in::render(app, form, area, buf, wide),
        Dialog::EditQuestion { question, text } => {
            question::edit(app, question, text, area, buf, wide);
        }
        Dialog::QuestionText {
            asker,
            department,
            text,
        } => question::put(app, (asker, department, text), area, buf, wide),
    }
}

/// A centred box of at most `w` x `h` inside `area`, cleared, with a title.
fn popup(area: Rect, buf: &mut Buffer, w: u16, h: u16, title: &str) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    // One column more on each side: a wide character cut by the popup's edge
    // would otherwise leave half of itself on screen.
    let x = r.x.saturating_sub(1).max(area.x);
    let right = (r.x + r.width + 1).min(area.x + area.width);
    Clear.render(
        Rect {
            x,
            width: right - x,
            ..r
        },
        buf,
    );
    let b = Block::new()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(Color::Cyan))
        .title(super::title(&format!(" {title} ")));
    let inner = b.inner(r);
    b.render(r, buf);
    inner
}

/// A field being typed, in `w` columns: its end, where the cursor is, always
/// shown; "…" where the beginning is cut off.
fn end_of(field: &str, w: usize) -> String {
    if width(field) <= w {
        return field.to_string();
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 1; // the "…"
    for c in field.chars().rev() {
        let cw = width(&c.to_string());
        if used + cw > w {
            break;
        }
        used += cw;
        tail.push(c);
    }
    std::iter::once('…').chain(tail.into_iter().rev()).collect()
}

/// A longer text being typed, over at most `rows` lines of `w` columns: its last
/// lines (the cursor's), with "…" before the first when the beginning is cut off.
fn typed_lines(text: &str, w: usize, rows: usize) -> Vec<String> {
    let lines = crate::text::wrap(&format!("> {text}▏"), w.max(2));
    if lines.len() <= rows {
        return lines;
    }
    let mut tail = lines[lines.len() - rows.max(1)..].to_vec();
    tail[0] = end_of(&format!("…{}", tail[0]), w);
    tail
}

/// A form's hint, dimmed, on at most two rows from `row`, broken between
/// words.
fn hint(inner: Rect, buf: &mut Buffer, row: u16, text: &str) {
    for (i, t) in crate::text::wrap_words(text, inner.width as usize)
        .iter()
        .take(2)
        .enumerate()
    {
        line(inner, buf, row + i as u16, Line::from(t.clone()).dim());
    }
}
