//! An answer to a question: the whole question, the outcome (1, 2, 3) and a
//! note; and, when someone else answered while the form was open, theirs
//! beside the one about to replace it.

use super::{end_of, popup};
use crate::meeting::Answer;
use crate::text::truncate;
use crate::tui::app::App;
use crate::tui::labels::{labels, Labels};
use crate::tui::view::line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};

/// The outcome in the console's words.
fn word(l: &Labels, s: Answer) -> &'static str {
    match s {
        Answer::Answered => l.answered,
        Answer::FollowUp => l.follow_up,
        Answer::Declined => l.declined,
    }
}

/// The form: `question` (its id), the outcome chosen so far, the note.
pub(super) fn render(
    app: &App,
    (question, status, note): (&str, Option<Answer>, &str),
    area: Rect,
    buf: &mut Buffer,
    wide: u16,
) {
    let l = labels(app.lang);
    let q = app.state.question(question);
    // The whole question, wrapped (as much of it as the screen has rows for).
    let asked: Vec<String> = q.map_or_else(Vec::new, |q| {
        let dept = app
            .state
            .plan
            .department(&q.department)
            .map_or(q.department.as_str(), |d| d.name.as_str());
        crate::text::wrap(
            &format!("{} → {dept}：{}", app.name(&q.asker), q.text),
            wide.saturating_sub(2) as usize,
        )
    });
    let room = area.height.saturating_sub(9).max(1) as usize;
    let shown_rows = asked.len().min(room);
    let inner = popup(
        area,
        buf,
        wide,
        7 + shown_rows as u16,
        &format!("{} · {question}", l.answer_title),
    );
    for (i, text) in asked.iter().take(shown_rows).enumerate() {
        line(
            inner,
            buf,
            i as u16,
            Line::from(truncate(text, inner.width as usize)),
        );
    }
    let below = shown_rows.saturating_sub(1) as u16;
    let chosen = status.map(|s| word(l, s));
    line(
        inner,
        buf,
        below + 1,
        Line::from(Span::styled(
            format!("→ {}", chosen.unwrap_or("…")),
            Style::new().bold().fg(Color::Cyan),
        )),
    );
    line(
        inner,
        buf,
        below + 2,
        Line::from(end_of(
            &format!("{}: {note}▏", l.note),
            inner.width as usize,
        )),
    );
    super::hint(inner, buf, below + 4, l.answer_hint);
}

/// Someone else answered while the form was open: theirs, then the chair's,
/// which replaces it only when confirmed.
pub(super) fn replace(
    app: &App,
    (question, status, note): (&str, &Answer, Option<&str>),
    area: Rect,
    buf: &mut Buffer,
    wide: u16,
) {
    let l = labels(app.lang);
    let inner = popup(
        area,
        buf,
        wide,
        7,
        &format!("{} · {question}", l.replace_title),
    );
    if let Some(theirs) = app.state.question(question).and_then(|q| q.answers.last()) {
        let text = match &theirs.note {
            Some(n) => format!("{}：{} · {n}", app.name(&theirs.by), word(l, theirs.status)),
            None => format!("{}：{}", app.name(&theirs.by), word(l, theirs.status)),
        };
        line(
            inner,
            buf,
            0,
            Line::from(truncate(&text, inner.width as usize)).bold(),
        );
    }
    let mine = match note {
        Some(n) => format!("→ {} · {n}", word(l, *status)),
        None => format!("→ {}", word(l, *status)),
    };
    line(
        inner,
        buf,
        2,
        Line::from(Span::styled(
            truncate(&mine, inner.width as usize),
            Style::new().fg(Color::Cyan),
        )),
    );
    line(
        inner,
        buf,
        4,
        Line::from(truncate(l.replace_keys, inner.width as usize)).dim(),
    );
}
