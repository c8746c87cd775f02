//! The panels of the chair console.

use super::super::app::{status_label, App, Focus};
use super::super::available::{bindings, footer_bindings};
use super::super::keys::Action;
use super::super::labels::{self, clock, labels};
use super::{bigtext, line};
use crate::meeting::event::Source;
use crate::meeting::question::QuestionStatus;
use crate::meeting::stats::stats as meeting_stats;
use crate::meeting::{Mode, Status};
use crate::text::{spread, truncate, width};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

const AMBER_MS: u64 = 30_000;

pub(super) fn block<'a>(title: String, focused: bool) -> Block<'a> {
    // The panel with the cursor is marked by a sign, not by colour alone.
    let (style, title) = if focused {
        (Style::new().fg(Color::Cyan), format!("▶{title}"))
    } else {
        (Style::new().fg(Color::DarkGray), title)
    };
    Block::new()
        .borders(Borders::ALL)
        .border_style(style)
        .title(super::title(&title))
}

/// Draws a bordered block and returns the area inside it.
fn framed(area: Rect, buf: &mut Buffer, title: String, focused: bool) -> Rect {
    let b = block(title, focused);
    let inner = b.inner(area);
    b.render(area, buf);
    inner
}

pub fn header(app: &App, area: Rect, buf: &mut Buffer) {
    let l = labels(app.lang);
    let s = &app.state;
    let local = (app.wall_ms() / 1000) as i64 + i64::from(app.utc_offset_s);
    let wall = format!(
        "{:02}:{:02}",
        local.rem_euclid(86_400) / 3600,
        local.rem_euclid(3600) / 60
    );
    // A demo's meeting runs faster than life: say which clock is which (the log
    // keeps the meeting's).
    let wall = match app.faster {
        Some(_) => format!("{} {wall}", l.real_time),
        None => wall,
    };
    let rate = app.faster.map_or(String::new(), |(_, rate)| {
        format!(" · {} ×{rate}", l.meeting_clock)
    });
    let status = match (s.status, s.started_ms) {
        (Status::Running, Some(t)) => {
            format!(
                "{} {}{rate}",
                l.elapsed,
                clock(app.now_ms.saturating_sub(t))
            )
        }
        (Status::Closed, Some(t)) => format!(
            "{} {}",
            l.closed,
            clock(s.closed_ms.unwrap_or(t).saturating_sub(t))
        ),
        _ => l.not_started.to_string(),
    };
    let who = match app.me() {
        Some(me) => format!("{} {} · ", l.you_are, app.name(me)),
        None => String::new(),
    };
    let link = match app.connected {
        Some(true) => format!("● {} · ", l.connected),
        Some(false) if s.status == Status::Closed => format!("■ {} · ", l.meeting_over),
        Some(false) if app.chair_left_at.is_some() => format!("⏸ {} · ", l.chair_left),
        Some(false) => format!("○ {} · ", l.reconnecting),
        None => String::new(),
    };
    let right = format!("{who}{link}{wall}  {status}");
    if app.recording_stopped.is_some() {
        // Nothing the chair does is recorded any more: the top line says so in red.
        let text = spread(
            &format!("■ {}", l.recording_stopped),
            &right,
            area.width as usize,
        );
        let style = Style::new().bold().fg(Color::White).bg(Color::Red);
        line(area, buf, 0, Line::from(text).style(style));
        return;
    }
    let text = spread(&s.plan.meeting.title, &right, area.width as usize);
    line(
        area,
        buf,
        0,
        Line::from(text).style(Style::new().bold().reversed()),
    );
}

pub fn agenda(app: &App, area: Rect, buf: &mut Buffer, roomy: bool) {
    let l = labels(app.lang);
    let s = &app.state;
    let current = s.position;
    let title = match s.step_timer {
        Some(t) if !t.running => format!(" {} · {} ", l.agenda, l.paused),
        _ => format!(" {} ", l.agenda),
    };
    let inner = framed(area, buf, title, false);
    let mut rows: Vec<Line> = Vec::new();
    let mut current_row = 0;
    for (i, item) in s.plan.agenda.iter().enumerate() {
        if roomy {
            rows.push(
                Line::from(truncate(
                    &format!("{}. {}", i + 1, item.title),
                    inner.width as usize,
                ))
                .dim(),
            );
        }
        for (j, step) in item.steps.iter().enumerate() {
            let at = crate::meeting::Position { item: i, step: j };
            let spent = s.step_time(at, app.now_ms);
            let is_current = current == Some(at);
            let mark = if is_current {
                "▶"
            } else if spent > 0 {
                "✓"
            } else {
                " "
            };
            let times = format!("{}/{}", clock(spent), clock(step.duration_ms));
            let label = format!("{mark}{}.{} {}", i + 1, j + 1, step.title);
            let text = spread(&label, &times, inner.width as usize);
            let mut style = Style::new();
            if is_current {
                current_row = rows.len();
                style = style.bold().fg(Color::Cyan);
                if spent > step.duration_ms {
                    style = style.fg(Color::Red);
                }
            } else if spent > 0 {
                style = style.dim();
            }
            rows.push(Line::from(text).style(style));
        }
    }
    let skip = scroll(current_row, rows.len(), inner.height as usize);
    for (n, row) in rows
        .into_iter()
        .skip(skip)
        .take(inner.height as usize)
        .enumerate()
    {
        line(inner, buf, n as u16, row);
    }
}

/// First row to show so that `focus` stays visible among `len` rows in `height`.
fn scroll(focus: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    focus.saturating_sub(height / 3).min(len - height)
}

pub fn floor(app: &App, area: Rect, buf: &mut Buffer, roomy: bool) {
    let l = labels(app.lang);
    let s = &app.state;
    let step_title = s
        .step()
        .map(|st| format!(" {} · {} ", labels::step_kind(app.lang, st.kind), st.title))
        .unwrap_or_else(|| format!(" {} ", l.floor));
    let inner = framed(area, buf, step_title, false);
    let w = inner.width as usize;
    let Some(f) = &s.floor else {
        line(inner, buf, 0, Line::from(l.floor_free).dim());
        if let Some(next) = next_up(app) {
            line(inner, buf, 1, Line::from(truncate(&next, w)));
        }
        return;
    };
    let p = s.participant(&f.speaker);
    let mut first = vec![Span::styled(f.speaker.clone(), Style::new().dim())];
    if let Some(p) = p {
        first = vec![Span::styled(p.name.clone(), Style::new().bold())];
    }
    if app.me() == Some(f.speaker.as_str()) {
        // A participant's own turn: said in words, first, where the eye goes.
        first.insert(
            0,
            Span::styled(
                format!(" ▶ {} ", l.your_turn),
                Style::new().fg(Color::Black).bg(Color::Green).bold(),
            ),
        );
        first.insert(1, Span::raw(" "));
    }
    if f.mode != Mode::Normal {
        first.push(Span::raw(" "));
        first.push(Span::styled(
            format!("[{}]", labels::mode(app.lang, f.mode)),
            Style::new().fg(Color::Magenta).bold(),
        ));
    }
    line(inner, buf, 0, Line::from(first));
    let detail = p
        .map(|p| {
            let group = p
                .department
                .as_deref()
                .and_then(|d| s.plan.department(d))
                .map(|d| d.name.clone())
                .or_else(|| p.sector.clone())
                .unwrap_or_default();
            // A walk-in may have no sector: no empty place between the dots.
            [
                labels::role(app.lang, p.role).to_string(),
                group,
                source_label(app, f.source, f.mode).to_string(),
            ]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
        })
        .unwrap_or_default();
    line(inner, buf, 1, Line::from(truncate(&detail, w)).dim());
    let t = f.timer;
    let (shown, color) = if t.overtime_at(app.now_ms) > 0 {
        (format!("+{}", clock(t.overtime_at(app.now_ms))), Color::Red)
    } else {
        let left = t.remaining_at(app.now_ms);
        // Whole seconds remaining, rounded up, so the display reaches 0:00 at the limit.
        let shown = clock(left.div_ceil(1000) * 1000);
        (
            shown,
            if left <= AMBER_MS {
                Color::Yellow
            } else {
                Color::Green
            },
        )
    };
    // Six rows of full blocks where there is room (a projector), else three.
    let large = inner.height >= 9 && width(&bigtext::rows_large(&shown)[0]) + 2 <= w;
    let big: Vec<String> = if large {
        bigtext::rows_large(&shown).to_vec()
    } else {
        bigtext::rows(&shown).to_vec()
    };
    let note = format!(
        "{} {} · {}{}",
        l.limit,
        clock(t.limit_ms),
        clock(t.elapsed_at(app.now_ms)),
        if t.running {
            String::new()
        } else {
            format!(" · {}", l.paused)
        }
    );
    let digits_width = width(&big[0]);
    let top = if roomy { 3 } else { 2 };
    let note_row = top + big.len() as u16 / 2;
    if digits_width + 2 <= w {
        for (i, row) in big.iter().enumerate() {
            line(
                inner,
                buf,
                top + i as u16,
                Line::from(Span::styled(
                    format!(" {row}"),
                    Style::new().fg(color).bold(),
                )),
            );
        }
        let beside = Rect {
            x: inner.x + digits_width as u16 + 3,
            width: inner.width.saturating_sub(digits_width as u16 + 3),
            ..inner
        };
        line(
            beside,
            buf,
            note_row,
            Line::from(truncate(&note, beside.width as usize)).dim(),
        );
    } else {
        line(
            inner,
            buf,
            top,
            Line::from(Span::styled(shown, Style::new().fg(color).bold())),
        );
        line(inner, buf, top + 1, Line::from(truncate(&note, w)).dim());
    }
    // Room to spare (a large terminal): who comes next, under the clock.
    let below = top + big.len() as u16 + 1;
    if roomy && digits_width + 2 <= w && below < inner.height {
        if let Some(next) = next_up(app) {
            line(inner, buf, below, Line::from(truncate(&next, w)).dim());
        }
    }
}

/// "Next: who (how)", when someone would be next.
fn next_up(app: &App) -> Option<String> {
    let (id, mode, source) = app.state.next_speaker()?;
    Some(format!(
        "{}：{}（{}）",
        labels(app.lang).next_up,
        app.name(id),
        source_label(app, source, mode)
    ))
}

fn source_label(app: &App, source: Source, mode: Mode) -> &'static str {
    crate::lang::turn_source(app.lang, source, mode)
}

pub fn queue(app: &App, area: Rect, buf: &mut Buffer) {
    let l = labels(app.lang);
    let q = &app.state.queue;
    let state = if q.open { l.queue_open } else { l.queue_closed };
    let focused = app.focus == Focus::Queue;
    let inner = framed(
        area,
        buf,
        format!(" {} {} · {} ", l.queue, q.len(), state),
        focused,
    );
    if q.is_empty() {
        line(inner, buf, 0, Line::from(l.queue_empty).dim());
        return;
    }
    // The keys that work on the queue, on its lower border while it has the
    // cursor: the footer has no room for them on a small terminal.
    if focused && app.seat == super::super::app::Seat::Chair && area.height > 2 && area.width > 4 {
        let keys = truncate(l.queue_keys, area.width as usize - 4);
        buf.set_string(
            area.x + 2,
            area.bottom() - 1,
            format!(" {keys} "),
            Style::new().fg(Color::Cyan),
        );
    }
    let h = inner.height as usize;
    let skip = scroll(app.queue_cursor, q.len(), h);
    for (row, (i, e)) in q.entries.iter().enumerate().skip(skip).take(h).enumerate() {
        let waited = clock(app.now_ms.saturating_sub(e.since_ms));
        let badge = match e.mode {
            Mode::Normal => String::new(),
            m => format!("[{}]", labels::mode(app.lang, m)),
        };
        let left = format!("{:>2} {} {}", i + 1, app.name(&e.participant), badge);
        let mut style = Style::new();
        if e.mode != Mode::Normal {
            style = style.fg(Color::Magenta);
        }
        if focused && i == app.queue_cursor && app.seat == super::super::app::Seat::Chair {
            style = style.reversed();
        }
        if app.me() == Some(e.participant.as_str()) {
            style = style.fg(Color::Yellow).bold();
        }
        line(
            inner,
            buf,
            row as u16,
            Line::from(spread(&left, &waited, inner.width as usize)).style(style),
        );
    }
}

pub fn board_or_poll(app: &App, area: Rect, buf: &mut Buffer, roomy: bool) {
    if app.in_review() {
        return super::earlier_promises::panel(app, area, buf, roomy);
    }
    let poll = app.state.step().and_then(|st| st.poll.as_ref());
    match poll {
        Some(p) if !roomy || area.height < 12 => poll_panel(app, p, area, buf),
        Some(p) => {
            let h = (p.targets.len().max(1) as u16) + 3;
            let poll_area = Rect {
                height: h.min(area.height),
                ..area
            };
            let rest = Rect {
                y: area.y + poll_area.height,
                height: area.height - poll_area.height,
                ..area
            };
            poll_panel(app, p, poll_area, buf);
            board(app, rest, buf, roomy);
        }
        None => board(app, area, buf, roomy),
    }
}

fn board(app: &App, area: Rect, buf: &mut Buffer, roomy: bool) {
    let l = labels(app.lang);
    let s = &app.state;
    let focused = app.focus == Focus::Questions;
    let inner = framed(area, buf, format!(" {} ", l.departments), focused);
    let w = inner.width as usize;
    let mut row = 0u16;
    for d in &s.plan.departments {
        let c = s.coverage(&d.id);
        let counts = super::coverage(l, &c, roomy);
        // Earlier promises this plan brings back (回头看), the overdue ones said.
        let earlier: Vec<_> = s
            .plan
            .review_items()
            .filter(|(_, i)| i.department == d.id)
            .collect();
        let overdue = earlier.iter().filter(|(_, i)| i.days_over > 0).count();
        let counts = match (earlier.len(), overdue) {
            (0, _) => counts,
            (n, 0) => format!("{counts} ↺{n}"),
            (n, o) => format!("{counts} ↺{n}!{o}"),
        };
        let style = if c.pending > 0 {
            Style::new().fg(Color::Yellow)
        } else if overdue > 0 {
            Style::new().fg(Color::Red)
        } else {
            Style::new()
        };
        line(
            inner,
            buf,
            row,
            Line::from(spread(&d.name, &counts, w)).style(style),
        );
        row += 1;
    }
    if s.plan.departments.is_empty() {
        return;
    }
    let questions = app.board_questions();
    if questions.is_empty() {
        line(inner, buf, row, Line::from(l.no_questions).dim());
        return;
    }
    let space = inner.height.saturating_sub(row) as usize;
    // Roomy: a question takes up to three lines, so it reads whole, as long as
    // every question still has room; narrow (or crowded): one line each.
    let texts: Vec<String> = questions
        .iter()
        .map(|q| {
            let status = status_label(app.lang, q);
            let dept = s
                .plan
                .department(&q.department)
                .map_or(q.department.as_str(), |d| d.name.as_str());
            let text = if roomy {
                format!(
                    "{} {} · {} → {}：{}",
                    q.id,
                    status,
                    app.name(&q.asker),
                    dept,
                    q.text
                )
            } else {
                // Narrow: who asked and the department cut short, so the
                // question itself keeps most of the line, and is never without
                // where it went.
                format!(
                    "{} {} {}→{}：{}",
                    q.id,
                    status,
                    truncate(app.name(&q.asker), 8),
                    truncate(dept, 8),
                    q.text
                )
            };
            text
        })
        .collect();
    let fits = |most: usize| -> Option<Vec<Vec<String>>> {
        let folded: Vec<Vec<String>> = texts.iter().map(|t| fold(t, w, most)).collect();
        (folded.iter().map(Vec::len).sum::<usize>() <= space).then_some(folded)
    };
    let texts = (2..=if roomy { 3 } else { 2 })
        .rev()
        .find_map(fits)
        .unwrap_or_else(|| texts.iter().map(|t| fold(t, w, 1)).collect());
    // From the first question shown, the one under the cursor must fit whole.
    let mut skip = scroll(app.question_cursor, questions.len(), space);
    while skip < app.question_cursor
        && texts[skip..=app.question_cursor]
            .iter()
            .map(Vec::len)
            .sum::<usize>()
            > space
    {
        skip += 1;
    }
    for (i, q) in questions.iter().enumerate().skip(skip) {
        let lines = &texts[i];
        if row as usize + lines.len() > inner.height as usize {
            break;
        }
        let mut style = match q.status {
            QuestionStatus::Pending => Style::new().fg(Color::Yellow),
            QuestionStatus::Answered => Style::new().fg(Color::Green),
            QuestionStatus::FollowUp => Style::new().fg(Color::Cyan),
            QuestionStatus::Declined | QuestionStatus::Withdrawn => Style::new().dim(),
        };
        if focused && i == app.question_cursor {
            style = style.reversed();
        }
        for text in lines {
            line(inner, buf, row, Line::from(text.clone()).style(style));
            row += 1;
        }
    }
}

/// `text` in at most `most` lines of width `w`, the last cut short with `…` when
/// there is more; continuation lines indented by two columns.
fn fold(text: &str, w: usize, most: usize) -> Vec<String> {
    let text = &crate::text::shown(text);
    if most <= 1 || w < 8 {
        return vec![truncate(text, w)];
    }
    let first = crate::text::wrap(text, w);
    if first.len() == 1 {
        return first;
    }
    let head = first[0].clone();
    let rest: String = text.chars().skip(head.chars().count()).collect::<String>();
    let mut out = vec![head];
    let more = crate::text::wrap(rest.trim_start(), w - 2);
    let take = most - 1;
    for (i, part) in more.iter().enumerate().take(take) {
        if i + 1 == take && more.len() > take {
            out.push(format!(
                "  {}",
                truncate(&format!("{part}{}", more[take..].concat()), w - 2)
            ));
        } else {
            out.push(format!("  {part}"));
        }
    }
    out
}

fn poll_panel(app: &App, plan: &crate::meeting::plan::PollPlan, area: Rect, buf: &mut Buffer) {
    let l = labels(app.lang);
    let s = &app.state;
    let poll = s.polls.get(&plan.id);
    let inner = framed(
        area,
        buf,
        format!(
            " {} · {} ",
            l.poll,
            match poll {
                Some(p) if p.open => l.poll_open,
                // Opened once and closed since: over, not "not open".
                Some(_) => l.poll_ended,
                None => l.poll_closed,
            }
        ),
        false,
    );
    let poll = poll.cloned().unwrap_or_default();
    let Some(results) = poll.shown_results(plan) else {
        let text = format!(
            "{} {} {} · {}",
            l.secret_ballot,
            poll.turnout(),
            l.voters,
            l.secret_later
        );
        line(
            inner,
            buf,
            0,
            Line::from(truncate(&text, inner.width as usize)),
        );
        return;
    };
    for (row, tally) in results.iter().enumerate() {
        let target = tally
            .target
            .as_deref()
            .map(|t| s.plan.department(t).map_or(t, |d| d.name.as_str()))
            .unwrap_or("");
        let counts: Vec<String> = tally
            .counts
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        let right = format!("{} · {} {}", counts.join("  "), tally.voters, l.voters);
        line(
            inner,
            buf,
            row as u16,
            Line::from(spread(target, &right, inner.width as usize)),
        );
    }
}

pub fn stats(app: &App, area: Rect, buf: &mut Buffer, roomy: bool) {
    let l = labels(app.lang);
    let st = meeting_stats(&app.state, app.now_ms);
    let not_spoken: Vec<&str> = st.not_spoken.iter().map(|id| app.name(id)).collect();
    if !roomy {
        let sectors: Vec<String> = st
            .by_sector
            .iter()
            .filter(|(_, s)| s.turns > 0)
            .map(|(k, s)| format!("{k} {}", clock(s.spoken_ms)))
            .collect();
        let sectors = if sectors.is_empty() {
            "—".to_string()
        } else {
            sectors.join("  ")
        };
        let text = format!(
            "{}: {sectors} · {} {}",
            l.stats,
            l.not_spoken,
            not_spoken.len()
        );
        line(
            area,
            buf,
            0,
            Line::from(truncate(&text, area.width as usize)).dim(),
        );
        return;
    }
    let [chart, names] = ratatui::layout::Layout::horizontal([
        ratatui::layout::Constraint::Percentage(60),
        ratatui::layout::Constraint::Percentage(40),
    ])
    .areas(area);
    let inner = framed(chart, buf, format!(" {} ", l.stats), false);
    let mut sectors = st.by_sector.clone();
    sectors.sort_by_key(|s| std::cmp::Reverse(s.1.spoken_ms));
    let longest = sectors
        .iter()
        .map(|(_, s)| s.spoken_ms)
        .max()
        .unwrap_or(0)
        .max(1);
    let label_w = sectors
        .iter()
        .map(|(k, _)| width(k))
        .max()
        .unwrap_or(0)
        .min(16);
    for (row, (k, s)) in sectors.iter().take(inner.height as usize).enumerate() {
        let time = format!(" {} · {}", clock(s.spoken_ms), s.turns);
        let bar_room = (inner.width as usize).saturating_sub(label_w + 1 + width(&time));
        let bar = (s.spoken_ms as u128 * bar_room as u128 / longest as u128) as usize;
        let name = truncate(k, label_w);
        let pad = " ".repeat(label_w - width(&name) + 1);
        line(
            inner,
            buf,
            row as u16,
            Line::from(vec![
                Span::raw(format!("{name}{pad}")),
                Span::styled("█".repeat(bar), Style::new().fg(Color::Cyan)),
                Span::raw(time),
            ]),
        );
    }
    let inner = framed(
        names,
        buf,
        format!(" {} {} ", l.not_spoken, not_spoken.len()),
        false,
    );
    let mut rows: Vec<String> = vec![String::new()];
    for n in not_spoken {
        let last = rows.last_mut().expect("one row");
        if !last.is_empty() && width(last) + width(n) + 2 > inner.width as usize {
            rows.push(String::new());
        }
        let last = rows.last_mut().expect("one row");
        if !last.is_empty() {
            last.push('、');
        }
        last.push_str(n);
    }
    for (row, text) in rows.iter().take(inner.height as usize).enumerate() {
        line(
            inner,
            buf,
            row as u16,
            Line::from(truncate(text, inner.width as usize)),
        );
    }
}

pub fn log(app: &App, area: Rect, buf: &mut Buffer, roomy: bool) {
    let inner = if roomy {
        framed(area, buf, format!(" {} ", labels(app.lang).log), false)
    } else {
        area
    };
    let h = inner.height as usize;
    let start = app.log.len().saturating_sub(h);
    for (row, entry) in app.log.iter().skip(start).enumerate() {
        let local = (entry.at_ms / 1000) as i64 + i64::from(app.utc_offset_s);
        let t = format!(
            "{:02}:{:02}:{:02}",
            local.rem_euclid(86_400) / 3600,
            local.rem_euclid(3600) / 60,
            local.rem_euclid(60)
        );
        let text = truncate(&format!("{t} {}", entry.text), inner.width as usize);
        line(
            inner,
            buf,
            row as u16,
            Line::from(text).style(Style::new().add_modifier(Modifier::DIM)),
        );
    }
}

/// A notice (why a key did nothing, an alert), on a row of its own above the
/// footer until it fades: the keys stay in sight.
pub fn notice(app: &App, area: Rect, buf: &mut Buffer) {
    if let Some(flash) = app.flash.as_ref().filter(|f| f.shown(app.now_ms)) {
        let style = if flash.error {
            Style::new().fg(Color::White).bg(Color::Red)
        } else {
            Style::new().fg(Color::Black).bg(Color::Yellow)
        };
        line(
            area,
            buf,
            0,
            Line::from(truncate(&flash.text, area.width as usize)).style(style),
        );
    }
}

pub fn footer(app: &App, area: Rect, buf: &mut Buffer) {
    // The help key always shows, at the right; the others as many as fit.
    let help = bindings(app)
        .iter()
        .find(|b| b.action == Action::Help)
        .expect("a help key");
    let help_text = format!("{} {}", help.shown, help.label(app.lang));
    let room = (area.width as usize).saturating_sub(width(&help_text) + 2);
    let mut spans = Vec::new();
    let mut used = 0;
    for b in footer_bindings(app) {
        let piece = format!("{} {}  ", b.shown, b.label(app.lang));
        if used + width(&piece) > room {
            break;
        }
        used += width(&piece);
        spans.push(Span::styled(b.shown, Style::new().bold().fg(Color::Cyan)));
        spans.push(Span::raw(format!(" {}  ", b.label(app.lang))));
    }
    spans.push(Span::raw(" ".repeat(
        (area.width as usize).saturating_sub(used + width(&help_text)),
    )));
    spans.push(Span::styled(
        help.shown,
        Style::new().bold().fg(Color::Cyan),
    ));
    spans.push(Span::raw(format!(" {}", help.label(app.lang))));
    line(area, buf, 0, Line::from(spans));
}
