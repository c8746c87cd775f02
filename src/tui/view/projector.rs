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
    // Trouble the room should know of (a relay's broadcast interrupted), on the
    // last row, until it is over.
    if let Some(f) = app.flash.as_ref().filter(|f| f.error) {
        line(
            area,
            buf,
            area.height.saturating_sub(1),
            Line::from(Span::styled(
                truncate(&f.text, w),
                Style::new().fg(Color::Red).bold(),
            )),
        );
    }
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
            // As large as the screen allows, leaving rows for the limit, the
            // queue and the step: a hall reads it from the back.
            let left_rows = (area.height as usize).saturating_sub(row as usize + 5);
            let rows = scaled(&shown, w.saturating_sub(2), left_rows);
            for r in &rows {
                line(
                    area,
                    buf,
                    row,
                    Line::from(Span::styled(format!(" {r}"), Style::new().fg(color).bold())),
                );
                row += 1;
            }
            let limit = format!("{} {}", l.limit, clock(t.limit_ms));
            let under = if t.running {
                limit
            } else {
                format!("{limit} · {}", l.paused)
            };
            line(area, buf, row, Line::from(truncate(&under, w)).dim());
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

/// The countdown in block digits as large as `w` columns and `h` rows allow:
/// the large digits scaled up by a whole factor, else the small ones.
fn scaled(text: &str, w: usize, h: usize) -> Vec<String> {
    let large = bigtext::rows_large(text);
    let one = width(&large[0]);
    let k = (1..=8)
        .rev()
        .find(|k| one * k <= w && large.len() * k <= h)
        .unwrap_or(0);
    if k == 0 {
        return bigtext::rows(text).to_vec();
    }
    large
        .iter()
        .flat_map(|r| {
            let wide: String = r.chars().flat_map(|c| std::iter::repeat_n(c, k)).collect();
            std::iter::repeat_n(wide, k)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_countdown_grows_with_the_screen() {
        let small = scaled("4:59", 40, 10);
        let big = scaled("4:59", 200, 40);
        assert!(big.len() > small.len() && width(&big[0]) > width(&small[0]));
        assert!(width(&big[0]) <= 200 && big.len() <= 40);
        assert_eq!(
            scaled("4:59", 10, 2).len(),
            3,
            "the small digits when nothing fits"
        );
    }
}
