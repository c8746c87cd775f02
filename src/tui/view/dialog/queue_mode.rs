//! The chair picked someone to add to the queue: in which mode (normal, point
//! of order, reply)?

use super::popup;
use crate::text::truncate;
use crate::tui::app::App;
use crate::tui::labels::labels;
use crate::tui::view::line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

pub(super) fn render(app: &App, participant: &str, area: Rect, buf: &mut Buffer, wide: u16) {
    let l = labels(app.lang);
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
