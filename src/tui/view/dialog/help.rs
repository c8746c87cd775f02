//! Help (`?`): every key of this console's table, with what it does, in as
//! many columns as the screen needs; where the meeting is recorded.

use super::popup;
use crate::text::truncate;
use crate::tui::app::App;
use crate::tui::available::bindings;
use crate::tui::labels::labels;
use crate::tui::view::line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};

pub(super) fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let l = labels(app.lang);
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
