//! The chair console's screen, drawn from the model alone (no side effects). Two
//! layouts: compact for 80x24 over SSH, roomy from 120x36 for a projector. No size
//! makes it panic; below 40x10 it asks for a larger window.

mod bigtext;
mod dialog;
mod earlier_promises;
mod panels;
mod projector;
pub mod qr;
mod replay_bar;
mod scroll;

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
        draw(self, area, buf);
        scrub(area, buf);
    }
}

/// The last guard between what participants and plans wrote and the terminal:
/// whatever reached a cell without going through [`crate::text::shown`], no
/// control character or bidirectional override leaves it.
fn scrub(area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            if cell.symbol().chars().any(crate::meeting::text::is_unsafe) {
                let kept: String = cell
                    .symbol()
                    .chars()
                    .filter(|&c| !crate::meeting::text::is_unsafe(c))
                    .collect();
                cell.set_symbol(if kept.is_empty() { " " } else { &kept });
            }
        }
    }
}

fn draw(app: &App, area: Rect, buf: &mut Buffer) {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "{} {}x{}",
            labels(app.lang).too_small,
            area.width,
            area.height
        );
        Paragraph::new(crate::text::truncate(&text, area.width as usize)).render(area, buf);
        return;
    }
    if app.seat == super::app::Seat::Projector {
        projector::render(app, area, buf);
        dialog::render(app, area, buf);
        return;
    }
    let roomy = area.width >= 120 && area.height >= 36;
    let replay = app
        .replay
        .as_ref()
        .filter(|_| app.seat == super::app::Seat::Replay);
    let noticed = app.flash.as_ref().is_some_and(|f| f.shown(app.now_ms));
    let [header, body, stats, log, timeline, notice, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(if roomy { 9 } else { 1 }),
        Constraint::Length(if roomy { 8 } else { 3 }),
        Constraint::Length(u16::from(replay.is_some())),
        Constraint::Length(u16::from(noticed)),
        Constraint::Length(1),
    ])
    .areas(area);
    if let Some(bar) = replay {
        replay_bar::render(bar, app.lang, timeline, buf);
    }
    panels::header(app, header, buf);
    // A large terminal gives the floor more: the six-row clock and who is next.
    let floor_height = match (roomy, body.height) {
        (true, h) if h >= 40 => 14,
        (true, _) => 12,
        _ => 7,
    };
    let [top, middle] =
        Layout::vertical([Constraint::Length(floor_height), Constraint::Min(0)]).areas(body);
    if roomy {
        let agenda_height =
            (app.state.plan.positions().len() + app.state.plan.agenda.len() + 2) as u16;
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)])
                .areas(body);
        let [agenda, queue] = Layout::vertical([
            Constraint::Length(agenda_height.min(left.height / 2)),
            Constraint::Min(0),
        ])
        .areas(left);
        let [floor, rest] =
            Layout::vertical([Constraint::Length(floor_height), Constraint::Min(0)]).areas(right);
        panels::agenda(app, agenda, buf, true);
        panels::queue(app, queue, buf);
        panels::floor(app, floor, buf, true);
        panels::board_or_poll(app, rest, buf, true);
        panels::stats(app, stats, buf, true);
    } else {
        let [floor, agenda] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
        let [queue, board] =
            Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)])
                .areas(middle);
        panels::floor(app, floor, buf, false);
        panels::agenda(app, agenda, buf, false);
        panels::queue(app, queue, buf);
        panels::board_or_poll(app, board, buf, false);
        panels::stats(app, stats, buf, false);
    }
    panels::log(app, log, buf, roomy);
    panels::notice(app, notice, buf);
    panels::footer(app, footer, buf);
    dialog::render(app, area, buf);
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

/// Draws one line, shown (`crate::text::shown`) and cut to the area's width.
fn line(area: Rect, buf: &mut Buffer, row: u16, l: Line<'_>) {
    if row < area.height {
        let r = Rect {
            y: area.y + row,
            height: 1,
            ..area
        };
        Paragraph::new(safe(l)).render(r, buf);
    }
}

/// A line whose every span is shown: no control character, no line break.
fn safe(mut l: Line<'_>) -> Line<'_> {
    for span in &mut l.spans {
        if let std::borrow::Cow::Owned(s) = crate::text::shown(&span.content) {
            span.content = s.into();
        }
    }
    l
}

/// A panel's or a dialog's title, shown.
fn title(text: &str) -> ratatui::text::Span<'static> {
    use ratatui::style::{Style, Stylize};
    ratatui::text::Span::styled(crate::text::shown(text).into_owned(), Style::new().bold())
}

/// A department's (or the meeting's) questions by outcome, from the core's one
/// count (`Coverage`): in words when `words`, else the board's letters; those
/// left unanswered and carried to follow-up only when there are any, and never
/// as written replies.
pub(super) fn coverage(
    l: &super::labels::Labels,
    c: &crate::meeting::question::Coverage,
    words: bool,
) -> String {
    let [a, f, x, p, k] = if words {
        [l.answered, l.follow_up, l.declined, l.pending, l.carried]
    } else {
        l.coverage_short
    };
    let mut s = format!(
        "{a}{} {f}{} {x}{} {p}{}",
        c.answered, c.follow_up, c.declined, c.pending
    );
    if c.carried > 0 {
        s.push_str(&format!(" {k}{}", c.carried));
    }
    s
}
