//! 回头看 on the console: the earlier promises of the review step, the one
//! called on top with what was promised and done since, then each item with its
//! department, asker, how overdue it was, and what this meeting found of it.

use super::super::app::{App, Focus};
use super::super::labels::labels;
use super::line;
use crate::meeting::review::{Outcome, ReviewItem};
use crate::text::{spread, truncate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::Widget;

/// What this meeting found of `item`, in a word or two (outcome, rating).
fn found(app: &App, item: &ReviewItem) -> (String, Style) {
    let fw = &crate::lang::catalogue::of(app.lang).followups;
    let Some(r) = app.state.reviews.items.get(&item.id) else {
        return (String::new(), Style::new());
    };
    let mut words = Vec::new();
    if let Some(o) = r.outcome {
        words.push(crate::lang::followups::outcome_word(fw, o).to_string());
    }
    if let Some(d) = r.due {
        words.push(d.to_string());
    }
    if let Some(rating) = r.rating {
        words.push(crate::lang::followups::rating_word(fw, rating).to_string());
    }
    let style = match r.outcome {
        Some(Outcome::Delivered) => Style::new().fg(Color::Green),
        Some(Outcome::InProgress) => Style::new().fg(Color::Cyan),
        Some(Outcome::NotDelivered) => Style::new().fg(Color::Red),
        None => Style::new(),
    };
    (words.join(" · "), style)
}

/// How late it was when the meeting began: `逾期 12 天`, or its due date.
fn lateness(app: &App, item: &ReviewItem) -> String {
    let l = labels(app.lang);
    if item.days_over > 0 {
        format!("{}{}{}", l.review_days_over, item.days_over, l.review_days)
    } else {
        item.deadline.to_string()
    }
}

pub fn panel(app: &App, area: Rect, buf: &mut Buffer, roomy: bool) {
    let l = labels(app.lang);
    let focused = app.focus == Focus::Questions;
    let items = app.review_items();
    // Marked as the other panels are when Tab brings the cursor here.
    let block = super::panels::block(format!(" {} · {} ", l.review_panel, items.len()), focused);
    let inner = block.inner(area);
    block.render(area, buf);
    let w = inner.width as usize;
    if items.is_empty() {
        line(inner, buf, 0, Line::from(l.review_none).dim());
        return;
    }
    let mut row = 0u16;
    // The one called: what was asked, promised and done since, in full.
    if let Some(now) = app.called_review() {
        let fw = &crate::lang::catalogue::of(app.lang).followups;
        let head = format!("▶ {} · {}", now.department_name, now.asker_name);
        line(
            inner,
            buf,
            row,
            Line::from(spread(&head, &lateness(app, now), w))
                .bold()
                .fg(Color::Yellow),
        );
        row += 1;
        let rows = if roomy { 3 } else { 2 };
        for text in crate::text::wrap(&now.question, w).into_iter().take(rows) {
            line(inner, buf, row, Line::from(text));
            row += 1;
        }
        let promised = format!("{}：{}（{}）", fw.promise, now.promise, now.deadline);
        line(inner, buf, row, Line::from(truncate(&promised, w)).dim());
        row += 1;
        if let Some(last) = &now.last {
            line(
                inner,
                buf,
                row,
                Line::from(truncate(&format!("{}：{last}", fw.evidence), w)).dim(),
            );
            row += 1;
        }
        row += 1;
    }
    let space = inner.height.saturating_sub(row) as usize;
    if space == 0 {
        return;
    }
    let skip = app.review_cursor.saturating_sub(space.saturating_sub(1));
    for (i, item) in items.iter().enumerate().skip(skip).take(space) {
        let called = app.state.reviews.current.as_deref() == Some(item.id.as_str());
        let (said, said_style) = found(app, item);
        // The cursor's row is marked by a sign as well as by its colours.
        let cursor = if i == app.review_cursor { "›" } else { " " };
        let mark = if called { "▶" } else { " " };
        let left = format!(
            "{cursor}{mark}{} {}：{}",
            truncate(&item.department_name, 10),
            truncate(&item.asker_name, 8),
            item.question
        );
        let right = if said.is_empty() {
            lateness(app, item)
        } else {
            said
        };
        let mut style = if right == lateness(app, item) && item.days_over > 0 {
            Style::new().fg(Color::Red)
        } else {
            said_style
        };
        if focused && i == app.review_cursor {
            style = style.reversed();
        }
        line(
            inner,
            buf,
            row,
            Line::from(spread(&left, &right, w)).style(style),
        );
        row += 1;
    }
}
