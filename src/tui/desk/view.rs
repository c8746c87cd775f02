//! The desk drawn: a line of what is shown, the items (overdue first) or one
//! item's whole timeline, the notice, and the footer's keys or the form being
//! filled. Every text someone typed goes through `text::truncate` (shown safe,
//! cut to its columns, Chinese double width).

use super::{Desk, Form};
use crate::lang::followups::{class_word, rating_word, standing_words, state_word};
use crate::meeting::followups::standing;
use crate::text::truncate;
use crate::tui::keys::DESK_BINDINGS;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Widget;

impl Widget for &Desk {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height < 4 || area.width < 20 {
            return;
        }
        let w = self.words();
        let width = area.width as usize;
        // The line of what is shown.
        let department = self
            .department
            .as_ref()
            .and_then(|d| self.departments.iter().find(|(id, _)| id == d))
            .map_or(w.all_departments.to_string(), |(_, name)| name.clone());
        let state = self.state.map_or(w.every_state, |s| state_word(w, s));
        let mut head = format!(
            "{} · {} · {}{} · {} {}",
            w.title,
            department,
            state,
            if self.overdue_only {
                format!(" · {}", w.overdue_only)
            } else {
                String::new()
            },
            self.total,
            w.items_count
        );
        head = truncate(&head, width);
        buf.set_string(
            area.x,
            area.y,
            &head,
            Style::default().add_modifier(Modifier::BOLD),
        );
        let body = Rect::new(area.x, area.y + 1, area.width, area.height - 3);
        match &self.open {
            Some((id, history)) => timeline(self, id, history, body, buf),
            None => list(self, body, buf),
        }
        // The notice, then the footer (or the form).
        let notice_y = area.y + area.height - 2;
        if let Some((text, error)) = &self.notice {
            let style = if *error {
                Style::default().fg(Color::Red)
            } else {
                Style::default().fg(Color::Green)
            };
            buf.set_string(area.x, notice_y, truncate(text, width), style);
        }
        let footer_y = area.y + area.height - 1;
        match &self.form {
            Some(form) => draw_form(self, form, area, buf),
            None => {
                let keys: Vec<String> = DESK_BINDINGS
                    .iter()
                    .filter(|b| b.footer)
                    .map(|b| format!("{} {}", b.shown, b.label(self.lang)))
                    .collect();
                buf.set_string(
                    area.x,
                    footer_y,
                    truncate(&keys.join("  "), width),
                    Style::default().fg(Color::DarkGray),
                );
            }
        }
        if self.help {
            help(self, area, buf);
        }
    }
}

fn list(desk: &Desk, area: Rect, buf: &mut Buffer) {
    let w = desk.words();
    let width = area.width as usize;
    if desk.total == 0 {
        buf.set_string(
            area.x,
            area.y,
            truncate(w.none_due, width),
            Style::default(),
        );
        return;
    }
    let height = area.height as usize;
    // Keep the selected row in view; the rows are the window held (a row not
    // held yet is left blank until its page comes).
    let first = desk.selected.saturating_sub(height.saturating_sub(1));
    for line in first..(first + height).min(desk.total) {
        let Some(item) = desk.row(line) else {
            continue;
        };
        let s = standing(item, desk.now_ms, desk.offset_s);
        let marks = standing_words(w, &s, item.flagged()).join(" ");
        let text = format!(
            "{} {} {} {} {}{} {}：{}",
            item.id,
            item.deadline(),
            state_word(w, item.state),
            item.department_name,
            marks,
            if s.days_over > 0 {
                format!(" +{}", s.days_over)
            } else {
                String::new()
            },
            item.origin.asker.name,
            item.origin.text
        );
        let mut style = if s.badly_overdue {
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
        } else if s.overdue {
            Style::default().fg(Color::Red)
        } else if s.due_soon {
            Style::default().fg(Color::Yellow)
        } else if !item.state.is_open() {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        };
        if line == desk.selected {
            style = style.add_modifier(Modifier::REVERSED);
        }
        let y = area.y + (line - first) as u16;
        buf.set_string(area.x, y, truncate(&text, width), style);
    }
}

fn timeline(desk: &Desk, id: &str, history: &[super::HistoryLine], area: Rect, buf: &mut Buffer) {
    let w = desk.words();
    let width = area.width as usize;
    let Some(item) = desk.all.iter().find(|i| i.id == id) else {
        return;
    };
    let s = standing(item, desk.now_ms, desk.offset_s);
    let mut lines: Vec<(String, Style)> = vec![
        (
            format!(
                "{} {} {}",
                item.id,
                state_word(w, item.state),
                standing_words(w, &s, item.flagged()).join(" ")
            ),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        (
            format!(
                "{}：{}（{}）seq {}",
                w.origin, item.origin.meeting, item.origin.date, item.origin.seq
            ),
            Style::default(),
        ),
        (
            format!(
                "{}：{} · {}",
                w.asker, item.origin.asker.name, item.origin.text
            ),
            Style::default(),
        ),
        (
            format!(
                "{}：{} · {}：{} · {}：{}",
                w.department,
                item.department_name,
                if item.unanswered {
                    w.in_meeting
                } else {
                    w.promise
                },
                item.promise,
                w.due,
                item.deadline()
            ),
            Style::default(),
        ),
    ];
    // What the department said in the room, beside what it is held to.
    if let Some(said) = &item.origin.said {
        lines.push((format!("{}：{}", w.said, said), Style::default()));
    }
    if let Some(a) = &item.answer {
        lines.push((
            format!(
                "{}：{} {} · {}",
                w.answer,
                a.date,
                class_word(w, a.class),
                a.text
            ),
            Style::default(),
        ));
    }
    if let Some(r) = &item.rating {
        lines.push((
            format!(
                "{}：{} {} · {} {}",
                w.rating,
                rating_word(w, r.rating),
                r.reason.as_deref().unwrap_or(""),
                w.recorded_by,
                r.recorded_by
            ),
            Style::default(),
        ));
    }
    for e in &item.evidence {
        lines.push((
            format!("{}：{} {} {}", w.evidence, e.date, e.title, e.text),
            Style::default(),
        ));
    }
    lines.push((
        w.history.to_string(),
        Style::default().add_modifier(Modifier::BOLD),
    ));
    for h in history {
        let at = crate::meeting::followups::Date::of_ms(h.at_ms, desk.offset_s);
        lines.push((
            format!("  v{} {at} {} · {}", h.version, h.who, h.what),
            Style::default().fg(Color::DarkGray),
        ));
    }
    for (n, (text, style)) in lines.iter().take(area.height as usize).enumerate() {
        buf.set_string(area.x, area.y + n as u16, truncate(text, width), *style);
    }
}

fn draw_form(desk: &Desk, form: &Form, area: Rect, buf: &mut Buffer) {
    let w = desk.words();
    let width = area.width as usize;
    let (label, value) = &form.fields[form.at];
    let y = area.y + area.height - 1;
    let prompt = format!("{} · {label}：{value}▏", form.id);
    buf.set_string(
        area.x,
        y,
        truncate(&prompt, width),
        Style::default().add_modifier(Modifier::BOLD),
    );
    let hint = form.error.unwrap_or(w.form_keys);
    let style = if form.error.is_some() {
        Style::default().fg(Color::Red)
    } else {
        Style::default().fg(Color::DarkGray)
    };
    buf.set_string(area.x, y - 1, truncate(hint, width), style);
}

fn help(desk: &Desk, area: Rect, buf: &mut Buffer) {
    let rows = DESK_BINDINGS.len() as u16 + 2;
    let top = area.y + area.height.saturating_sub(rows) / 2;
    let box_area = Rect::new(
        area.x + 2,
        top,
        area.width.saturating_sub(4),
        rows.min(area.height),
    );
    ratatui::widgets::Clear.render(box_area, buf);
    ratatui::widgets::Block::bordered()
        .title(desk.words().title)
        .render(box_area, buf);
    for (n, b) in DESK_BINDINGS.iter().enumerate() {
        let y = box_area.y + 1 + n as u16;
        if y + 1 >= box_area.y + box_area.height {
            break;
        }
        let text = format!("{:<6}{}", b.shown, b.label(desk.lang));
        buf.set_string(
            box_area.x + 2,
            y,
            truncate(&text, box_area.width.saturating_sub(4) as usize),
            Style::default(),
        );
    }
}
