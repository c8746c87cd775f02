//! The replay's timeline: playing or paused, the speed, the position and the
//! length, and a bar with a mark where each step begins.

use super::super::app::ReplayBar;
use super::text::width;
use crate::meeting::plan::Language;
use crate::tui::labels::clock;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};

pub fn render(bar: &ReplayBar, lang: Language, area: Rect, buf: &mut Buffer) {
    let state = if bar.playing { "▶" } else { "⏸" };
    let word = match lang {
        Language::Zh => "回放",
        Language::En => "replay",
    };
    let speed = if bar.speed.fract() == 0.0 {
        format!("{}×", bar.speed as u64)
    } else {
        format!("{}×", bar.speed)
    };
    let head = format!(
        "{word} {state} {speed:>3} {}/{} ",
        clock(bar.position_ms),
        clock(bar.total_ms)
    );
    let room = (area.width as usize).saturating_sub(width(&head));
    let mut spans = vec![Span::styled(head, Style::new().bold())];
    spans.extend(cells(bar, room));
    super::line(area, buf, 0, Line::from(spans));
}

/// The bar in `n` cells: played, to come, step marks, and where the replay is.
fn cells(bar: &ReplayBar, n: usize) -> Vec<Span<'static>> {
    if n == 0 {
        return Vec::new();
    }
    let total = bar.total_ms.max(1);
    let cell_of =
        |ms: u64| ((ms.min(total) as u128 * n as u128 / (total as u128 + 1)) as usize).min(n - 1);
    let here = cell_of(bar.position_ms);
    let mut marks = vec![false; n];
    for &at in &bar.steps {
        marks[cell_of(at)] = true;
    }
    (0..n)
        .map(|i| {
            if i == here {
                Span::styled("●", Style::new().fg(Color::Yellow).bold())
            } else if marks[i] {
                Span::styled("┃", Style::new().fg(Color::Magenta))
            } else if i < here {
                Span::styled("━", Style::new().fg(Color::Cyan))
            } else {
                Span::styled("─", Style::new().fg(Color::DarkGray))
            }
        })
        .collect()
}
