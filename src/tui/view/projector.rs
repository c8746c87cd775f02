//! The room's big screen: who speaks, the countdown in large digits, the step, and
//! who comes next. Read-only.

use super::super::app::App;
use super::super::labels::{self, clock, labels};
use super::{bigtext, line};
use crate::text::{truncate, width};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let l = labels(app.lang);
    let s = &app.state;
    let w = area.width as usize;
    super::panels::header(app, Rect { height: 1, ..area }, buf);
    let step = s
        .step()
        .map(|st| format!("{} · {}", labels::step_kind(app.lang, st.kind), st.title))
        .unwrap_or_default();
    line(
        area,
        buf,
        2,
        Line::from(Span::styled(
            truncate(&step, w),
            Style::new().bold().fg(Color::Cyan),
        )),
    );
    let mut row = 4;
    match &s.floor {
        Some(f) => {
            let p = s.participant(&f.speaker);
            let name = p.map_or(f.speaker.clone(), |p| p.name.clone());
            let group = p
                .and_then(|p| {
                    p.department
                        .as_deref()
                        .and_then(|d| s.plan.department(d))
                        .map(|d| d.name.clone())
                        .or_else(|| p.sector.clone())
                })
                .unwrap_or_default();
            line(
                area,
                buf,
                row,
                Line::from(Span::styled(truncate(&name, w), Style::new().bold())),
            );
            line(area, buf, row + 1, Line::from(truncate(&group, w)).dim());
            row += 3;
            let t = f.timer;
            let now = app.now_ms;
            let (shown, color) = if t.overtime_at(now) > 0 {
                (format!("+{}", clock(t.overtime_at(now))), Color::Red)
            } else {
                let left = t.remaining_at(now);
                (
                    clock(left.div_ceil(1000) * 1000),
                    if left <= 30_000 {
                        Color::Yellow
                    } else {
                        Color::Green
                    },
                )
            };
            let large = bigtext::rows_large(&shown);
            let rows: Vec<String> = if width(&large[0]) + 2 <= w && area.height >= 16 {
                large.to_vec()
            } else {
                bigtext::rows(&shown).to_vec()
            };
            for r in &rows {
                line(
                    area,
                    buf,
                    row,
                    Line::from(Span::styled(format!(" {r}"), Style::new().fg(color).bold())),
                );
                row += 1;
            }
            if !t.running {
                line(area, buf, row, Line::from(l.paused).dim());
            }
            row += 2;
        }
        None => {
            line(area, buf, row, Line::from(l.floor_free).dim());
            row += 2;
        }
    }
    let next: Vec<&str> = s
        .queue
        .entries
        .iter()
        .take(3)
        .map(|e| app.name(&e.participant))
        .collect();
    if !next.is_empty() {
        let text = format!("{}：{}", l.next_up, next.join("、"));
        line(area, buf, row, Line::from(truncate(&text, w)));
    }
}
