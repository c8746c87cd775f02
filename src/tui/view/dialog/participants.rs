//! The participants screen (`i`): everyone who may join, and the selected one's
//! link and QR code, for the person at the chair's table who arrived without a
//! card; and the audience's code (`b`), full-screen for the projector. Both take
//! the whole screen: a code needs room to be scanned from arm's length.

use crate::text::{shown, truncate, width, wrap_words};
use crate::tui::app::App;
use crate::tui::labels::{labels, role};
use crate::tui::view::{line, qr};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

/// The narrowest list beside a code.
const LIST_MIN: u16 = 24;

pub fn render(app: &App, selected: usize, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    let l = labels(app.lang);
    let title = Line::from(Span::styled(
        truncate(l.join_title, area.width as usize),
        Style::new().bold().fg(Color::Cyan),
    ));
    line(area, buf, 0, title);
    let Some(join) = &app.join else {
        // Nobody joins this console: the list, for the chair to mark attendance.
        return attendance_only(app, selected, area, buf);
    };
    let people = &app.state.plan.participants;
    let selected = selected.min(people.len().saturating_sub(1));
    let Some(person) = people.get(selected) else {
        return;
    };
    let link = join.link(&person.id).unwrap_or_default();
    // The code on the right, as large as leaves room for the list (at most twice
    // the smallest size: larger is no easier to scan on a laptop).
    let code = crate::qr::Qr::for_screen(&link).ok();
    let room = Rect {
        x: area.x + LIST_MIN.min(area.width),
        y: area.y,
        width: area.width.saturating_sub(LIST_MIN),
        height: area.height,
    };
    let fitted = code
        .as_ref()
        .and_then(|c| qr::fit(c, room.width, room.height, 2));
    let list_width = match fitted {
        Some(f) => area.width - f.width - 1,
        None => area.width,
    };
    if let (Some(code), Some(f)) = (&code, fitted) {
        let at = Rect {
            x: area.x + area.width - f.width,
            width: f.width,
            ..area
        };
        qr::draw(code, at, buf, 2);
    }
    let left = Rect {
        width: list_width,
        ..area
    };
    let w = left.width as usize;
    // Below the list: the selected one's link (all of it, over as many lines as
    // it takes), how a terminal joins, the keys.
    let mut below: Vec<Line> = vec![Line::from(truncate(l.join_scan, w).dim())];
    for part in wrap_words(&link, w) {
        below.push(Line::from(Span::styled(
            part,
            Style::new().bold().fg(Color::Cyan),
        )));
    }
    let token = join
        .people
        .iter()
        .find(|(id, _)| *id == person.id)
        .map_or("", |(_, t)| t.as_str());
    let terminal = format!(
        "{}XIESHANG_TOKEN={token} {} join{} {}",
        l.join_terminal,
        join.program,
        join.trust,
        join.links.websocket()
    );
    for part in wrap_words(&terminal, w) {
        below.push(Line::from(part).dim());
    }
    if let Some(note) = &join.links.note {
        for part in wrap_words(note, w) {
            below.push(Line::from(part).fg(Color::Yellow));
        }
    } else if join.links.loopback_only {
        for part in wrap_words(crate::lang::loopback_only(app.lang), w) {
            below.push(Line::from(part).fg(Color::Yellow));
        }
    }
    if fitted.is_none() {
        below.push(Line::from(truncate(l.code_too_small, w)).fg(Color::Yellow));
    }
    for part in crate::text::wrap_keys(l.join_keys, w) {
        below.push(Line::from(part).dim());
    }
    let below_rows = (below.len() as u16).min(left.height.saturating_sub(2));
    let list_rows = left.height.saturating_sub(2 + below_rows) as usize;
    // The list, scrolled to keep the selected one in sight.
    people_list(app, selected, left, buf, list_rows);
    let first_below = left.height - below_rows;
    for (i, text) in below.into_iter().take(below_rows as usize).enumerate() {
        line(left, buf, first_below + i as u16, text);
    }
}

/// The list of participants from the second row, `rows` of them, scrolled to
/// keep `selected` in sight: each one's role, attendance mark, and whether they
/// are online (or a free seat); a row says how many more are above or below.
fn people_list(app: &App, selected: usize, area: Rect, buf: &mut Buffer, rows: usize) {
    let l = labels(app.lang);
    let people = &app.state.plan.participants;
    let w = area.width as usize;
    let window = crate::tui::view::scroll::Window::new(people.len(), rows, selected);
    for (row, text) in window.hints(app.lang) {
        line(
            area,
            buf,
            row as u16 + 1,
            Line::from(truncate(&text, w)).dim(),
        );
    }
    for (i, p) in people
        .iter()
        .enumerate()
        .skip(window.skip)
        .take(window.show)
    {
        let row = window.row(i).unwrap_or_default();
        let free = app.join.as_ref().is_some_and(|j| j.free.contains(&p.id));
        let mut tags = Vec::new();
        if let Some(mark) = app.state.attendance.get(&p.id) {
            tags.push(crate::lang::attendance(app.lang, *mark));
        }
        if app.state.online.contains(&p.id) {
            tags.push(l.online);
        } else if free {
            tags.push(l.join_free);
        }
        let tags: String = tags.iter().map(|t| format!(" · {t}")).collect();
        let mark = if i == selected { "▸ " } else { "  " };
        let text = format!("{mark}{} · {}{tags}", p.name, role(app.lang, p.role));
        let style = if i == selected {
            Style::new().reversed()
        } else if app
            .state
            .attendance
            .get(&p.id)
            .is_some_and(|m| m.attended())
        {
            Style::new().fg(Color::Green)
        } else {
            Style::new()
        };
        line(
            area,
            buf,
            row as u16 + 1,
            Line::from(truncate(&text, w)).style(style),
        );
    }
}

/// The participants screen of a console nobody joins (no `--listen`): the list
/// alone, for the chair to mark who attended.
fn attendance_only(app: &App, selected: usize, area: Rect, buf: &mut Buffer) {
    let l = labels(app.lang);
    let w = area.width as usize;
    line(
        area,
        buf,
        0,
        Line::from(Span::styled(
            truncate(l.attendance_title, w),
            Style::new().bold().fg(Color::Cyan),
        )),
    );
    let keys = crate::text::wrap_keys(l.attendance_keys, w);
    let below = keys.len() as u16 + 1;
    let rows = area.height.saturating_sub(2 + below) as usize;
    let people = app.state.plan.participants.len();
    let selected = selected.min(people.saturating_sub(1));
    people_list(app, selected, area, buf, rows);
    let marked = app
        .state
        .attendance
        .values()
        .filter(|m| m.attended())
        .count();
    let count = format!(
        "{} {marked}/{people}",
        crate::lang::attendance(app.lang, crate::meeting::attendance::Attendance::Present)
    );
    line(
        area,
        buf,
        area.height.saturating_sub(below),
        Line::from(truncate(&count, w)).dim(),
    );
    for (i, part) in keys.into_iter().enumerate() {
        let row = area.height.saturating_sub(below - 1 - i as u16);
        line(area, buf, row, Line::from(part).dim());
    }
}

/// The audience's code: the hall's link (the audience's token, which only
/// watches; never a participant's seat), on a white screen for the projector,
/// the meeting's title above it and the link below.
pub fn audience(app: &App, area: Rect, buf: &mut Buffer) {
    let l = labels(app.lang);
    let link = app
        .join
        .as_ref()
        .and_then(|join| Some(join.links.join(join.audience.as_deref()?)));
    let Some(link) = link else {
        Clear.render(area, buf);
        let why = l.not_serving;
        for (i, part) in wrap_words(why, area.width as usize).into_iter().enumerate() {
            line(area, buf, i as u16 + 1, Line::from(part));
        }
        return;
    };
    let page = Style::new().fg(qr::DARK).bg(qr::LIGHT);
    for y in area.y..area.y + area.height {
        for x in area.x..area.x + area.width {
            if let Some(cell) = buf.cell_mut((x, y)) {
                cell.reset();
                cell.set_style(page);
            }
        }
    }
    let w = area.width as usize;
    let heading = format!("{} · {}", l.audience_title, app.state.plan.meeting.title);
    centred(area, buf, 0, &truncate(&heading, w), page.bold());
    let links = wrap_words(&link, w);
    let code_area = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(3 + links.len() as u16),
        ..area
    };
    let drawn = crate::qr::Qr::for_screen(&link)
        .ok()
        .and_then(|code| qr::draw(&code, code_area, buf, 8));
    if drawn.is_none() {
        centred(area, buf, 2, &truncate(l.code_too_small, w), page);
    }
    let first = area.height.saturating_sub(1 + links.len() as u16);
    for (i, part) in links.iter().enumerate() {
        centred(area, buf, first + i as u16, part, page);
    }
    centred(
        area,
        buf,
        area.height.saturating_sub(1),
        &truncate(l.audience_keys, w),
        page.dim(),
    );
}

fn centred(area: Rect, buf: &mut Buffer, row: u16, text: &str, style: Style) {
    if row >= area.height {
        return;
    }
    let x = area.x + (area.width.saturating_sub(width(text) as u16)) / 2;
    buf.set_stringn(x, area.y + row, shown(text), area.width as usize, style);
}
