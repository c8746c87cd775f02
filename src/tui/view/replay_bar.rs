//! The replay's timeline: playing or paused, the speed, the position and the
//! length, and a bar with a mark where each step begins.

use super::super::app::ReplayBar;
use crate::meeting::plan::Language;
use crate::text::width;
use crate::tui::labels::clock;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};

pub fn render(bar: &ReplayBar, lang: Language, area: Rect, buf: &mut Buffer) {
    let head = head(bar, lang);
    let room = (area.width as usize).saturating_sub(width(&head));
    let mut spans = vec![Span::styled(head, Style::new().bold())];
    spans.extend(cells(bar, room));
    super::line(area, buf, 0, Line::from(spans));
}

/// The replay time at `column` of a bar line `line_width` wide, when the column is
/// on the bar (not on the words before it).
pub fn time_at(bar: &ReplayBar, lang: Language, line_width: u16, column: u16) -> Option<u64> {
    let start = width(&head(bar, lang));
    let n = (line_width as usize)
        .checked_sub(start)
        .filter(|&n| n > 0)?;
    let cell = (column as usize).checked_sub(start).filter(|&c| c < n)?;
    // The first time that `cells` draws in this cell.
    let total = bar.total_ms.max(1) as u128;
    let at = (cell as u128 * (total + 1)).div_ceil(n as u128) as u64;
    Some(at.min(bar.total_ms))
}

/// `回放 ▶  8× 7:35/36:50 `: the words before the bar.
fn head(bar: &ReplayBar, lang: Language) -> String {
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
    // The position is padded to the length's width, so the bar does not move as
    // the clock goes from 9:59 to 10:00.
    let total = clock(bar.total_ms);
    format!(
        "{word} {state} {speed:>3} {:>w$}/{total} ",
        clock(bar.position_ms),
        w = total.len()
    )
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
