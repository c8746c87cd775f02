//! Dialogs drawn over the console: help, confirmations, pickers, text entry.

use super::super::app::{App, Dialog, Purpose};
use super::super::available::bindings;
use super::super::labels::labels;
use super::line;
use crate::meeting::Answer;
use crate::text::{truncate, width};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

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

/// A review form's popup (回头看): the item it is about on its first row and
/// what was chosen on its third; the inner area and its width.
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

/// A form's hint, dimmed, on at most two rows from `row`.
fn hint(inner: Rect, buf: &mut Buffer, row: u16, text: &str) {
    for (i, t) in crate::text::wrap(text, inner.width as usize)
        .iter()
        .take(2)
        .enumerate()
    {
        line(inner, buf, row + i as u16, Line::from(t.clone()).dim());
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let l = labels(app.lang);
    let wide = area.width.saturating_sub(4).min(72);
    match &app.dialog {
        Dialog::None => {}
        Dialog::Review(form) => {
            let fw = &crate::lang::catalogue::of(app.lang).followups;
            let chosen = form
                .outcome
                .map(|o| crate::lang::followups::outcome_word(fw, o));
            let (inner, w) = review_form(
                app,
                area,
                buf,
                (wide, 9),
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
        Dialog::ReviewRate(form) => {
            let fw = &crate::lang::catalogue::of(app.lang).followups;
            let chosen = form
                .rating
                .map(|r| crate::lang::followups::rating_word(fw, r));
            let (inner, w) = review_form(
                app,
                area,
                buf,
                (wide, 8),
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
        Dialog::Help => {
            // One column when the screen is tall enough, else as many as it takes.
            let table = bindings(app);
            let n = table.len() as u16;
            let rows = n.min(area.height.saturating_sub(5)).max(1);
            let columns = n.div_ceil(rows);
            let w = area.width.saturating_sub(2).min(36 * columns + 2);
            let inner = popup(area, buf, w, rows + 4, l.help);
            let col_w = inner.width / columns;
            for (i, b) in table.iter().enumerate() {
                let (col, row) = (i as u16 / rows, i as u16 % rows);
                let keys = match b.shown {
                    "↑" => "↑ k",
                    "↓" => "↓ j",
                    "q" => "q ^C",
                    other => other,
                };
                let cell = Rect {
                    x: inner.x + col * col_w,
                    width: col_w,
                    ..inner
                };
                let text = truncate(b.label(app.lang), col_w.saturating_sub(8) as usize);
                line(
                    cell,
                    buf,
                    row,
                    Line::from(vec![
                        Span::styled(format!("{keys:>5}  "), Style::new().bold().fg(Color::Cyan)),
                        Span::raw(text),
                    ]),
                );
            }
            let foot = format!("{} · {}", l.help_close, app.journal);
            line(
                inner,
                buf,
                rows + 1,
                Line::from(truncate(&foot, inner.width as usize)).dim(),
            );
        }
        Dialog::Participants { selected } => {
            super::participants::render(app, *selected, area, buf);
        }
        Dialog::Audience => super::participants::audience(app, area, buf),
        Dialog::ConfirmNext => {
            let rows = app.leaving_step_warnings();
            confirm(area, buf, wide, &rows, l.confirm_next_keys);
        }
        Dialog::ConfirmEndTurn { then } => {
            let who = app.fresh_turn().unwrap_or_default();
            let (row, keys) = if matches!(then, crate::meeting::Command::EndSpeech) {
                (format!("{who} {}", l.fresh_turn), l.confirm_end_keys)
            } else {
                (format!("{who} {}", l.fresh_turn), l.confirm_grant_keys)
            };
            confirm(area, buf, wide, &[row], keys);
        }
        Dialog::ConfirmReopen { .. } => {
            let text = l.confirm_reopen;
            let w = (width(text) as u16 + 4).min(wide);
            let inner = popup(area, buf, w, 3, "?");
            line(
                inner,
                buf,
                0,
                Line::from(truncate(text, inner.width as usize)).bold(),
            );
        }
        Dialog::ConfirmQuit | Dialog::ConfirmClose => {
            let text = if app.dialog == Dialog::ConfirmQuit {
                quit_question(app)
            } else {
                l.confirm_close
            };
            let w = (width(text) as u16 + 4).min(wide);
            let inner = popup(area, buf, w, 3, "?");
            line(
                inner,
                buf,
                0,
                Line::from(truncate(text, inner.width as usize)).bold(),
            );
        }
        Dialog::Pick(purpose, picker) => {
            let title = match purpose {
                Purpose::Grant => l.pick_speaker,
                Purpose::QueueAdd => l.pick_queue,
                Purpose::Asker => l.pick_asker,
                Purpose::Department { .. } => l.pick_department,
                Purpose::Step => l.pick_step,
                Purpose::VoteTarget { .. } => l.pick_target,
                Purpose::VoteChoice { .. } => l.pick_choice,
            };
            // What is being rated, named: a department's rating is for that one.
            let title = match purpose {
                Purpose::VoteChoice {
                    target: Some(t), ..
                } => {
                    let dept = app.state.plan.department(t).map_or(t.as_str(), |d| &d.name);
                    format!("{title} · {dept}")
                }
                _ => title.to_string(),
            };
            let title = title.as_str();
            let h = area.height.saturating_sub(4).min(18);
            let inner = popup(area, buf, wide, h, title);
            line(
                inner,
                buf,
                0,
                Line::from(vec![
                    Span::raw("> "),
                    Span::styled(
                        end_of(
                            &format!("{}▏", picker.query),
                            (inner.width as usize).saturating_sub(2),
                        ),
                        Style::new().bold(),
                    ),
                ]),
            );
            let matches = picker.matches();
            let rows = inner.height.saturating_sub(2) as usize;
            let window = super::scroll::Window::new(matches.len(), rows, picker.cursor);
            for (row, text) in window.hints(app.lang) {
                let text = truncate(&text, inner.width as usize);
                line(inner, buf, row as u16 + 1, Line::from(text).dim());
            }
            for (i, item) in matches
                .iter()
                .enumerate()
                .skip(window.skip)
                .take(window.show)
            {
                let n = window.row(i).unwrap_or_default();
                let style = if i == picker.cursor {
                    Style::new().reversed()
                } else {
                    Style::new()
                };
                line(
                    inner,
                    buf,
                    n as u16 + 1,
                    Line::from(truncate(&item.text, inner.width as usize)).style(style),
                );
            }
            line(
                inner,
                buf,
                inner.height.saturating_sub(1),
                Line::from(truncate(l.pick_hint, inner.width as usize)).dim(),
            );
        }
        Dialog::QueueMode { participant } => {
            let inner = popup(
                area,
                buf,
                wide,
                4,
                &format!("{} · {}", l.pick_queue, app.name(participant)),
            );
            line(
                inner,
                buf,
                0,
                Line::from(truncate(l.pick_mode, inner.width as usize)),
            );
        }
        Dialog::Answer {
            question,
            status,
            note,
            ..
        } => {
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
                6 + shown_rows as u16,
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
            let chosen = status.map(|s| match s {
                Answer::Answered => l.answered,
                Answer::FollowUp => l.follow_up,
                Answer::Declined => l.declined,
            });
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
            line(
                inner,
                buf,
                below + 4,
                Line::from(truncate(l.answer_hint, inner.width as usize)).dim(),
            );
        }
        Dialog::ConfirmReplace {
            question,
            status,
            note,
            ..
        } => {
            let inner = popup(
                area,
                buf,
                wide,
                7,
                &format!("{} · {question}", l.replace_title),
            );
            let word = |s: &Answer| match s {
                Answer::Answered => l.answered,
                Answer::FollowUp => l.follow_up,
                Answer::Declined => l.declined,
            };
            if let Some(theirs) = app.state.question(question).and_then(|q| q.answers.last()) {
                let text = match &theirs.note {
                    Some(n) => format!("{}：{} · {n}", app.name(&theirs.by), word(&theirs.status)),
                    None => format!("{}：{}", app.name(&theirs.by), word(&theirs.status)),
                };
                line(
                    inner,
                    buf,
                    0,
                    Line::from(truncate(&text, inner.width as usize)).bold(),
                );
            }
            let mine = match note {
                Some(n) => format!("→ {} · {n}", word(status)),
                None => format!("→ {}", word(status)),
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
        Dialog::WalkIn(form) => {
            let inner = popup(area, buf, wide, 8, l.walk_in_title);
            let w = inner.width as usize;
            let mut rows = vec![
                end_of(&format!("{}: {}▏", l.walk_in_name, form.name), w),
                format!(
                    "{}: ‹ {} ›",
                    l.walk_in_role,
                    crate::lang::role(app.lang, form.role)
                ),
            ];
            if form.role == crate::meeting::Role::Department {
                let dept = app
                    .state
                    .plan
                    .departments
                    .get(form.department)
                    .map_or("", |d| d.name.as_str());
                rows.push(format!("{}: ‹ {dept} ›", l.walk_in_department));
            }
            for (i, r) in rows.iter().enumerate() {
                line(inner, buf, i as u16, Line::from(truncate(r, w)));
            }
            line(
                inner,
                buf,
                inner.height.saturating_sub(1),
                Line::from(truncate(l.walk_in_keys, w)).dim(),
            );
        }
        Dialog::EditQuestion { question, text } => {
            let inner = popup(
                area,
                buf,
                wide,
                6,
                &format!("{} · {question}", l.question_title),
            );
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
        Dialog::QuestionText {
            asker,
            department,
            text,
        } => {
            let dept = app
                .state
                .plan
                .department(department)
                .map_or(department.as_str(), |d| d.name.as_str());
            let inner = popup(
                area,
                buf,
                wide,
                7,
                &format!("{} · {} → {}", l.question_title, app.name(asker), dept),
            );
            // Over the rows the box has, its end (and the cursor) always in sight.
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
    }
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
        (crate::tui::app::Seat::Participant(_) | crate::tui::app::Seat::Projector, _) => {
            l.confirm_quit_participant
        }
        (_, crate::meeting::state::Status::Closed) => l.confirm_quit_closed,
        _ => l.confirm_quit,
    }
}
