//! The chair console's screen, drawn from the model alone (no side effects). Two
//! layouts: compact for 80x24 over SSH, roomy from 120x36 for a projector. No size
//! makes it panic; below 40x10 it asks for a larger window.

mod bigtext;
mod overlay;
mod panels;
mod projector;
mod replay_bar;
pub mod text;

use super::app::App;
use super::labels::labels;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

/// The smallest screen the console draws a meeting on.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let text = format!(
                "{} {}x{}",
                labels(self.lang).too_small,
                area.width,
                area.height
            );
            Paragraph::new(text::truncate(&text, area.width as usize)).render(area, buf);
            return;
        }
        if self.seat == super::app::Seat::Projector {
            projector::render(self, area, buf);
            overlay::render(self, area, buf);
            return;
        }
        let roomy = area.width >= 120 && area.height >= 36;
        let replay = self
            .replay
            .as_ref()
            .filter(|_| self.seat == super::app::Seat::Replay);
        let [header, body, stats, log, timeline, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(if roomy { 9 } else { 1 }),
            Constraint::Length(if roomy { 8 } else { 3 }),
            Constraint::Length(u16::from(replay.is_some())),
            Constraint::Length(1),
        ])
        .areas(area);
        if let Some(bar) = replay {
            replay_bar::render(bar, self.lang, timeline, buf);
        }
        panels::header(self, header, buf);
        let floor_height = if roomy { 12 } else { 7 };
        let [top, middle] =
            Layout::vertical([Constraint::Length(floor_height), Constraint::Min(0)]).areas(body);
        if roomy {
            let agenda_height =
                (self.state.plan.positions().len() + self.state.plan.agenda.len() + 2) as u16;
            let [left, right] =
                Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)])
                    .areas(body);
            let [agenda, queue] = Layout::vertical([
                Constraint::Length(agenda_height.min(left.height / 2)),
                Constraint::Min(0),
            ])
            .areas(left);
            let [floor, rest] =
                Layout::vertical([Constraint::Length(floor_height), Constraint::Min(0)])
                    .areas(right);
            panels::agenda(self, agenda, buf, true);
            panels::queue(self, queue, buf);
            panels::floor(self, floor, buf, true);
            panels::board_or_poll(self, rest, buf, true);
            panels::stats(self, stats, buf, true);
        } else {
            let [floor, agenda] =
                Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                    .areas(top);
            let [queue, board] =
                Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)])
                    .areas(middle);
            panels::floor(self, floor, buf, false);
            panels::agenda(self, agenda, buf, false);
            panels::queue(self, queue, buf);
            panels::board_or_poll(self, board, buf, false);
            panels::stats(self, stats, buf, false);
        }
        panels::log(self, log, buf, roomy);
        panels::footer(self, footer, buf);
        overlay::render(self, area, buf);
    }
}

/// The replay time under a click at (`column`, `row`) of a screen of `area`, when
/// the click is on the replay's timeline bar (the row above the footer).
pub fn replay_time_at(app: &App, area: Rect, column: u16, row: u16) -> Option<u64> {
    let bar = app.replay.as_ref()?;
    let drawn = area.width >= MIN_WIDTH && area.height >= MIN_HEIGHT;
    (drawn && app.seat == super::app::Seat::Replay && row + 2 == area.y + area.height)
        .then(|| replay_bar::time_at(bar, app.lang, area.width, column.saturating_sub(area.x)))
        .flatten()
}

/// Draws one line, cut to the area's width.
fn line(area: Rect, buf: &mut Buffer, row: u16, l: Line<'_>) {
    if row < area.height {
        let r = Rect {
            y: area.y + row,
            height: 1,
            ..area
        };
        Paragraph::new(l).render(r, buf);
    }
}
