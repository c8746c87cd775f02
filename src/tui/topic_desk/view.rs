//! The topics console drawn: a line of what is shown, the topics (the 初审
//! queue first) or one topic whole with its history, the notice, and the
//! footer's keys or the form being filled. Every text someone typed goes
//! through `text::truncate` (shown safe, cut to its columns, Chinese double
//! width).

use super::{Form, HistoryLine, TopicDesk};
use crate::lang::topics::{origin_word, stage_word};
use crate::meeting::topics::{Signature, Topic};
use crate::text::{truncate, width as columns};
use crate::tui::keys::TOPIC_DESK_BINDINGS;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Widget;

impl Widget for &TopicDesk {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height < 4 || area.width < 20 {
            return;
        }
        let w = self.words();
        let width = area.width as usize;
        let stage = self.stage.map_or(w.every_stage, |s| stage_word(w, s));
        let head = format!(
            "{} · {} · {} {}",
            w.desk_title,
            stage,
            self.rows.len(),
            w.count
        );
        buf.set_string(
            area.x,
            area.y,
            truncate(&head, width),
            Style::default().add_modifier(Modifier::BOLD),
        );
        let body = Rect::new(area.x, area.y + 1, area.width, area.height - 3);
        match &self.open {
            Some((id, history)) => match self.all.iter().find(|t| &t.id == id) {
                Some(t) => whole(self, t, history, body, buf),
                None => list(self, body, buf),
            },
            None => list(self, body, buf),
        }
        if let Some((text, error)) = &self.notice {
            let style = Style::default().fg(if *error { Color::Red } else { Color::Green });
            buf.set_string(
                area.x,
                area.y + area.height - 2,
                truncate(text, width),
                style,
            );
        }
        match &self.form {
            Some(form) => draw_form(self, form, area, buf),
            None => {
                let keys: Vec<String> = TOPIC_DESK_BINDINGS
                    .iter()
                    .filter(|b| b.footer)
                    .map(|b| format!("{} {}", b.shown, b.label(self.lang)))
                    .collect();
                buf.set_string(
                    area.x,
                    area.y + area.height - 1,
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

/// `text` padded with spaces to `cols` columns (cut first when longer).
fn cell(text: &str, cols: usize) -> String {
    let cut = truncate(text, cols);
    let pad = cols.saturating_sub(columns(&cut));
    format!("{cut}{}", " ".repeat(pad))
}

fn list(desk: &TopicDesk, area: Rect, buf: &mut Buffer) {
    let w = desk.words();
    if desk.rows.is_empty() {
        buf.set_string(
            area.x,
            area.y,
            truncate(w.none, area.width as usize),
            Style::default(),
        );
        return;
    }
    let height = area.height as usize;
    let first = desk.selected.saturating_sub(height.saturating_sub(1));
    for (n, &i) in desk.rows.iter().enumerate().skip(first).take(height) {
        let t = &desk.all[i];
        let y = area.y + (n - first) as u16;
        let line = format!(
            "{} {} {} {} {:>4} {}{}",
            cell(&t.id, 7),
            cell(stage_word(w, t.stage), 8),
            cell(origin_word(w, t.origin), 8),
            cell(&t.proposer_name, 10),
            t.supporters(),
            if t.flagged { "⚑ " } else { "" },
            t.text.title
        );
        let style = if n == desk.selected {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        };
        buf.set_string(area.x, y, truncate(&line, area.width as usize), style);
    }
}

fn whole(desk: &TopicDesk, t: &Topic, history: &[HistoryLine], area: Rect, buf: &mut Buffer) {
    let w = desk.words();
    let width = area.width as usize;
    let mut lines: Vec<(String, Style)> = Vec::new();
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let plain = Style::default();
    let dim = Style::default().fg(Color::DarkGray);
    let number = t
        .number
        .as_deref()
        .map_or(String::new(), |n| format!(" · {n}"));
    lines.push((
        format!(
            "{} · {}{number} · {}",
            t.id,
            stage_word(w, t.stage),
            t.text.title
        ),
        bold,
    ));
    lines.push((
        format!(
            "{} · {}{}",
            origin_word(w, t.origin),
            t.proposer_name,
            t.sector
                .as_deref()
                .map_or(String::new(), |s| format!(" · {s}"))
        ),
        dim,
    ));
    if t.flagged {
        lines.push((
            format!("⚑ {}", w.flagged),
            Style::default().fg(Color::Yellow),
        ));
    }
    for (label, text) in [
        (w.problem, &t.text.problem),
        (w.suggestion, &t.text.suggestion),
        (w.research, &t.text.research),
    ] {
        if !text.is_empty() {
            lines.push((format!("{label}：{text}"), plain));
        }
    }
    if !t.text.departments.is_empty() {
        lines.push((
            format!("{}：{}", w.departments, t.text.departments.join("、")),
            plain,
        ));
    }
    if !t.cosigners.is_empty() {
        let names: Vec<String> = t
            .cosigners
            .iter()
            .map(|c| {
                let said = match c.signature {
                    Signature::Signed { .. } => w.signed,
                    Signature::Invited => w.invited,
                    Signature::Declined => w.declined,
                };
                format!("{} {said}", c.name)
            })
            .collect();
        lines.push((format!("{}：{}", w.cosigners, names.join("、")), plain));
    }
    let support: Vec<String> = t.support.iter().map(|(s, n)| format!("{s} {n}")).collect();
    lines.push((
        format!(
            "{} {} · {}：{}",
            w.support,
            t.supporters(),
            w.support_by_sector,
            if support.is_empty() {
                w.none_yet.to_string()
            } else {
                support.join("、")
            }
        ),
        plain,
    ));
    for e in &t.evaluators {
        let said = e.opinion.as_ref().map_or(w.none_yet.to_string(), |o| {
            format!("{}: {}", <&str>::from(o.verdict), o.text)
        });
        lines.push((format!("{} {}：{said}", w.opinion, e.name), plain));
    }
    lines.push((w.history.to_string(), bold));
    for h in history {
        lines.push((format!("  {}  {}  {}", h.when, h.who, h.what), dim));
    }
    for (n, (text, style)) in lines.iter().take(area.height as usize).enumerate() {
        buf.set_string(area.x, area.y + n as u16, truncate(text, width), *style);
    }
}

fn draw_form(desk: &TopicDesk, form: &Form, area: Rect, buf: &mut Buffer) {
    let width = area.width as usize;
    let w = &crate::lang::catalogue::of(desk.lang).followups;
    let (label, value) = &form.fields[form.at];
    let y = area.y + area.height - 1;
    buf.set_string(
        area.x,
        y,
        truncate(&format!("{} · {label}: {value}▏", form.id), width),
        Style::default().add_modifier(Modifier::BOLD),
    );
    let hint = form.error.unwrap_or(w.form_keys);
    let style = Style::default().fg(if form.error.is_some() {
        Color::Red
    } else {
        Color::DarkGray
    });
    buf.set_string(area.x, y - 1, truncate(hint, width), style);
}

fn help(desk: &TopicDesk, area: Rect, buf: &mut Buffer) {
    let rows = TOPIC_DESK_BINDINGS.len() as u16 + 2;
    let top = area.y + area.height.saturating_sub(rows) / 2;
    let box_area = Rect::new(
        area.x + 2,
        top,
        area.width.saturating_sub(4),
        rows.min(area.height),
    );
    ratatui::widgets::Clear.render(box_area, buf);
    ratatui::widgets::Block::bordered()
        .title(desk.words().desk_title)
        .render(box_area, buf);
    for (n, b) in TOPIC_DESK_BINDINGS.iter().enumerate() {
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
