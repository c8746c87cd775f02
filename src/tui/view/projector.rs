//! The room's big screen in a terminal (`join --projector`): the same screens as
//! the projector page, chosen by the same rule (`State::screen`), at the
//! terminal's size. Before the meeting, its title, venue, date, agenda and (with
//! the audience's token) the code to scan; while someone speaks, the countdown
//! in digits as large as the screen allows; in question and respond steps, the
//! departments' board and the question at hand; in a review (回头看), the
//! earlier promise called, how late it is and what was found; in an evaluation,
//! how many have voted, then the results; after, what the meeting came to.
//! Read-only.

use super::super::app::App;
use super::super::labels::{self, clock, labels, Labels};
use super::{bigtext, line};
use crate::meeting::followups::Rating;
use crate::meeting::question::QuestionStatus;
use crate::meeting::review::Outcome;
use crate::meeting::Screen;
use crate::text::{spread, truncate, width, wrap_words};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let l = labels(app.lang);
    let w = area.width as usize;
    super::panels::header(app, Rect { height: 1, ..area }, buf);
    let body = Rect {
        y: area.y + 2,
        height: area.height.saturating_sub(3),
        ..area
    };
    let screen = app.state.screen();
    if screen != Screen::Welcome {
        step_line(app, body, buf);
    }
    let rest = Rect {
        y: body.y + 2,
        height: body.height.saturating_sub(2),
        ..body
    };
    match screen {
        Screen::Welcome => welcome(app, l, body, buf),
        Screen::Floor => {
            floor(app, l, rest, buf, rest.height as usize);
        }
        Screen::Board => board(app, l, rest, buf),
        Screen::Review => review(app, l, rest, buf),
        Screen::Poll => poll(app, l, rest, buf),
        Screen::Summary => summary(app, l, body, buf),
    }
    // Trouble the room should know of (a relay's broadcast interrupted), on the
    // last row, until it is over.
    if let Some(f) = app
        .flash
        .as_ref()
        .filter(|f| f.error && f.shown(app.now_ms))
    {
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
}

fn step_line(app: &App, area: Rect, buf: &mut Buffer) {
    let step = app
        .state
        .step()
        .map(|st| format!("{} · {}", labels::step_kind(app.lang, st.kind), st.title))
        .unwrap_or_default();
    line(
        area,
        buf,
        0,
        Line::from(Span::styled(
            truncate(&step, area.width as usize),
            Style::new().bold().fg(Color::Cyan),
        )),
    );
}

/// Before the meeting: what it is, where and when, its agenda; the audience's
/// code beside it when there is room (and below it when there is not).
fn welcome(app: &App, l: &Labels, area: Rect, buf: &mut Buffer) {
    let s = &app.state;
    let plan = &s.plan;
    let code = app
        .audience
        .as_deref()
        .and_then(|link| crate::qr::Qr::for_screen(link).ok());
    // The code takes the right half of a wide screen.
    let (text, right) = match &code {
        Some(_) if area.width >= 80 => {
            let half = area.width / 2;
            (
                Rect {
                    width: half,
                    ..area
                },
                Some(Rect {
                    x: area.x + half,
                    width: area.width - half,
                    ..area
                }),
            )
        }
        _ => (area, None),
    };
    let w = text.width as usize;
    let mut row = 0;
    for part in wrap_words(&plan.meeting.title, w.saturating_sub(1)) {
        line(
            text,
            buf,
            row,
            Line::from(Span::styled(part, Style::new().bold())),
        );
        row += 1;
    }
    let where_when = [plan.meeting.venue.as_deref(), plan.meeting.date.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    if !where_when.is_empty() {
        line(text, buf, row, Line::from(truncate(&where_when, w)).dim());
        row += 1;
    }
    row += 1;
    for (i, item) in plan.agenda.iter().enumerate() {
        let head = format!("{} {}", i + 1, item.title);
        line(
            text,
            buf,
            row,
            Line::from(Span::styled(truncate(&head, w), Style::new().bold())),
        );
        row += 1;
        for (j, st) in item.steps.iter().enumerate() {
            let step = format!("  {}.{} {}", i + 1, j + 1, st.title);
            line(text, buf, row, Line::from(truncate(&step, w)));
            row += 1;
        }
    }
    if let (Some(qr), Some(link)) = (&code, app.audience.as_deref()) {
        let place = right.unwrap_or(Rect {
            y: area.y + row + 1,
            height: area.height.saturating_sub(row + 1),
            ..area
        });
        let label = Rect {
            height: place.height.saturating_sub(2),
            ..place
        };
        if let Some(at) = super::qr::draw(qr, label, buf, 4) {
            let under = Rect {
                y: at.y + at.height,
                height: 2,
                ..place
            };
            let pw = under.width as usize;
            let scan = format!(
                "{}{}",
                " ".repeat(pw.saturating_sub(width(l.scan)) / 2),
                l.scan
            );
            line(
                under,
                buf,
                0,
                Line::from(Span::styled(scan, Style::new().bold())),
            );
            let link = truncate(link, pw);
            let centred = format!(
                "{}{}",
                " ".repeat(pw.saturating_sub(width(&link)) / 2),
                link
            );
            line(under, buf, 1, Line::from(centred).dim());
        }
    }
}

/// Who speaks and the countdown, in `rows` rows at most; the rows used.
fn floor(app: &App, l: &Labels, area: Rect, buf: &mut Buffer, rows: usize) -> u16 {
    let s = &app.state;
    let w = area.width as usize;
    let mut row = 0;
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
            let (shown, color, word) = if t.overtime_at(now) > 0 {
                (
                    format!("+{}", clock(t.overtime_at(now))),
                    Color::Red,
                    l.overtime,
                )
            } else {
                let left = t.remaining_at(now);
                let amber = left <= 30_000;
                (
                    clock(left.div_ceil(1000) * 1000),
                    if amber { Color::Yellow } else { Color::Green },
                    if amber { l.last_seconds } else { "" },
                )
            };
            // As large as the screen allows, leaving rows for the limit and who
            // is next: a hall reads it from the back.
            let left_rows = rows.saturating_sub(row as usize + 3);
            for r in scaled(&shown, w.saturating_sub(2), left_rows) {
                line(
                    area,
                    buf,
                    row,
                    Line::from(Span::styled(format!(" {r}"), Style::new().fg(color).bold())),
                );
                row += 1;
            }
            let mut under = format!("{} {}", l.limit, clock(t.limit_ms));
            if !word.is_empty() {
                under = format!("{word} · {under}");
            }
            if !t.running {
                under = format!("{under} · {}", l.paused);
            }
            line(
                area,
                buf,
                row,
                Line::from(Span::styled(truncate(&under, w), Style::new().fg(color))),
            );
            row += 2;
        }
        None => {
            line(area, buf, row, Line::from(l.floor_free).dim());
            row += 2;
        }
    }
    if let Some((next, _, _)) = s.next_speaker() {
        let text = format!("{}：{}", l.next_up, app.name(next));
        line(area, buf, row, Line::from(truncate(&text, w)));
        row += 1;
    }
    row
}

/// The floor on top (smaller), then each department's questions by outcome and
/// the question at hand, whole.
fn board(app: &App, l: &Labels, area: Rect, buf: &mut Buffer) {
    let s = &app.state;
    let w = area.width as usize;
    let current = current_question(s);
    // The board and the question take what they need; the floor the rest.
    let question_rows = current.map_or(0, |q| {
        2 + wrap_words(&q.text, w.saturating_sub(1)).len().min(6)
    });
    let need = 2 + s.plan.departments.len() + question_rows;
    let top = (area.height as usize).saturating_sub(need).max(8);
    let used = floor(app, l, area, buf, top);
    let mut row = used + 1;
    line(
        area,
        buf,
        row,
        Line::from(Span::styled(l.board, Style::new().bold())),
    );
    row += 1;
    for d in &s.plan.departments {
        let c = s.coverage(&d.id);
        // Words where they fit, else the board's one-letter counts.
        let counts = super::coverage(l, &c, w >= 64);
        let style = if c.pending > 0 {
            Style::new().fg(Color::Yellow)
        } else {
            Style::new()
        };
        line(
            area,
            buf,
            row,
            Line::from(spread(&d.name, &counts, w)).style(style),
        );
        row += 1;
    }
    if let Some(q) = current {
        row += 1;
        let head = format!(
            "{} · {} · {} · {}{}",
            l.current_question,
            crate::lang::status(app.lang, q.status),
            s.plan
                .department(&q.department)
                .map_or(q.department.as_str(), |d| d.name.as_str()),
            l.asked_by,
            app.name(&q.asker)
        );
        line(
            area,
            buf,
            row,
            Line::from(Span::styled(truncate(&head, w), Style::new().bold())),
        );
        row += 1;
        for part in wrap_words(&q.text, w.saturating_sub(1)) {
            line(area, buf, row, Line::from(part));
            row += 1;
        }
    }
}

/// The question at hand: the one the speaking department answers next, or the
/// latest put.
fn current_question(s: &crate::meeting::State) -> Option<&crate::meeting::question::Question> {
    let speaking = s
        .floor
        .as_ref()
        .and_then(|f| s.participant(&f.speaker))
        .and_then(|p| p.department.as_deref());
    let live = || {
        s.questions
            .iter()
            .filter(|q| q.status != QuestionStatus::Withdrawn)
    };
    speaking
        .and_then(|d| live().find(|q| q.department == d && q.is_open()))
        .or_else(|| live().next_back())
}

/// 回头看: the earlier promise called, whole (who asked it at which meeting,
/// its department, the question, the promise, how late it was, what this
/// meeting found and the asker's rating, each in its colour), then who has the
/// floor, with the rows that are left.
fn review(app: &App, l: &Labels, area: Rect, buf: &mut Buffer) {
    let s = &app.state;
    let Some(item) = s.called_review() else {
        return under_review(app, l, area, buf);
    };
    let fw = &crate::lang::catalogue::of(app.lang).followups;
    let said = |label: &str, text: &str| labelled(app.lang, label, text);
    let w = area.width as usize;
    let mut row = 0;
    let mut say = |text: &str, style: Style, most: usize| {
        for part in wrap_words(text, w.saturating_sub(1)).into_iter().take(most) {
            line(area, buf, row, Line::from(Span::styled(part, style)));
            row += 1;
        }
    };
    let head = format!(
        "{} · {} · {}",
        l.review_panel, item.meeting, item.asker_name
    );
    say(&head, Style::new().dim(), 1);
    say(
        &item.department_name,
        Style::new().bold().fg(Color::Yellow),
        1,
    );
    say(&item.question, Style::new().bold(), 4);
    say(&said(fw.promise, &item.promise), Style::new(), 2);
    if item.days_over > 0 {
        let late = format!("{}{}{}", l.review_days_over, item.days_over, l.review_days);
        say(&late, Style::new().bold().fg(Color::Red), 1);
    } else {
        say(&said(fw.due, &item.deadline.to_string()), Style::new(), 1);
    }
    if let Some(found) = s.reviews.items.get(&item.id) {
        let words: Vec<String> = found
            .outcome
            .map(|o| crate::lang::followups::outcome_word(fw, o).to_string())
            .into_iter()
            .chain(found.due.map(|d| d.to_string()))
            .chain(found.note.clone())
            .collect();
        if !words.is_empty() {
            let style = match found.outcome {
                Some(Outcome::Delivered) => Style::new().fg(Color::Green),
                Some(Outcome::InProgress) => Style::new().fg(Color::Cyan),
                Some(Outcome::NotDelivered) => Style::new().fg(Color::Red),
                None => Style::new(),
            };
            let text = said(l.review_found, &words.join(" · "));
            say(&text, style.bold(), 2);
        }
        if let Some(rating) = found.rating {
            let word = crate::lang::followups::rating_word(fw, rating);
            let why = found
                .reason
                .as_deref()
                .map_or(word.to_string(), |r| said(word, r));
            let colour = match rating {
                Rating::Satisfied => Color::Green,
                Rating::BasicallySatisfied => Color::Cyan,
                Rating::Dissatisfied => Color::Red,
            };
            say(&said(fw.rating, &why), Style::new().bold().fg(colour), 2);
        }
    }
    let rest = Rect {
        y: area.y + (row + 1).min(area.height),
        height: area.height.saturating_sub(row + 1),
        ..area
    };
    floor(app, l, rest, buf, rest.height as usize);
}

/// 回头看 before a promise is called: every one under review, a row each (its
/// department, how late it was, its state in the register or what this
/// meeting found of it), the longest overdue first as the plan holds them;
/// then who has the floor.
fn under_review(app: &App, l: &Labels, area: Rect, buf: &mut Buffer) {
    let s = &app.state;
    let fw = &crate::lang::catalogue::of(app.lang).followups;
    let items: Vec<_> = s
        .step()
        .and_then(|st| st.review.as_ref())
        .map(|r| r.found.iter().collect())
        .unwrap_or_default();
    let w = area.width as usize;
    let head = format!("{} · {} {}", l.review_panel, l.review_waiting, items.len());
    line(
        area,
        buf,
        0,
        Line::from(Span::styled(truncate(&head, w), Style::new().bold())),
    );
    let room = (area.height as usize).saturating_sub(8).max(1);
    let mut row = 1u16;
    for item in items.iter().take(room) {
        let found = s.reviews.items.get(&item.id).and_then(|r| r.outcome);
        let state = match found {
            Some(o) => crate::lang::followups::outcome_word(fw, o),
            None => crate::meeting::followups::ItemState::parse(&item.state)
                .map_or("", |st| crate::lang::followups::state_word(fw, st)),
        };
        let late = if item.days_over > 0 {
            format!("{}{}{}", l.review_days_over, item.days_over, l.review_days)
        } else {
            item.deadline.to_string()
        };
        let style = match found {
            Some(Outcome::Delivered) => Style::new().fg(Color::Green),
            Some(Outcome::InProgress) => Style::new().fg(Color::Cyan),
            Some(Outcome::NotDelivered) => Style::new().fg(Color::Red),
            None if item.days_over > 0 => Style::new().fg(Color::Red),
            None => Style::new(),
        };
        let right = format!("{late}  {state}");
        line(
            area,
            buf,
            row,
            Line::from(spread(&item.department_name, &right, w)).style(style),
        );
        row += 1;
    }
    if items.len() > room {
        let more = super::scroll::more(app.lang, items.len() - room, false);
        line(
            area,
            buf,
            row,
            Line::from(Span::styled(more, Style::new().dim())),
        );
        row += 1;
    }
    let rest = Rect {
        y: area.y + (row + 1).min(area.height),
        height: area.height.saturating_sub(row + 1),
        ..area
    };
    floor(app, l, rest, buf, rest.height as usize);
}

/// `label：text` in Chinese, `label: text` in English.
fn labelled(lang: crate::meeting::plan::Language, label: &str, text: &str) -> String {
    match lang {
        crate::meeting::plan::Language::Zh => format!("{label}：{text}"),
        crate::meeting::plan::Language::En => format!("{label}: {text}"),
    }
}

/// An evaluation: what is rated and how many have voted, in large digits; once
/// closed, the results.
fn poll(app: &App, l: &Labels, area: Rect, buf: &mut Buffer) {
    let s = &app.state;
    let Some(plan) = s.step().and_then(|st| st.poll.as_ref()) else {
        return;
    };
    let w = area.width as usize;
    let state = s.polls.get(&plan.id);
    let open = state.is_some_and(|p| p.open);
    if open || state.is_none() {
        let targets: Vec<&str> = plan
            .targets
            .iter()
            .map(|t| s.plan.department(t).map_or(t.as_str(), |d| d.name.as_str()))
            .collect();
        let mut row = 0;
        if !targets.is_empty() {
            for part in wrap_words(
                &format!("{}：{}", l.rated, targets.join("、")),
                w.saturating_sub(1),
            ) {
                line(area, buf, row, Line::from(part));
                row += 1;
            }
            row += 1;
        }
        let n = state.map_or(0, |p| p.turnout());
        let rows = (area.height as usize).saturating_sub(row as usize + 2);
        for r in scaled(&n.to_string(), w.saturating_sub(2), rows) {
            line(
                area,
                buf,
                row,
                Line::from(Span::styled(
                    format!(" {r}"),
                    Style::new().fg(Color::Red).bold(),
                )),
            );
            row += 1;
        }
        let said = if plan.secret {
            format!(
                "{} · {}",
                l.have_voted,
                l.secret_ballot.trim_end_matches(['：', ':'])
            )
        } else {
            l.have_voted.to_string()
        };
        line(
            area,
            buf,
            row,
            Line::from(Span::styled(said, Style::new().bold())),
        );
        return;
    }
    results(app, plan, area, buf, 0);
}

/// A closed poll's results: a line per target, its counts by choice.
fn results(
    app: &App,
    plan: &crate::meeting::plan::PollPlan,
    area: Rect,
    buf: &mut Buffer,
    mut row: u16,
) -> u16 {
    let s = &app.state;
    let l = labels(app.lang);
    let w = area.width as usize;
    let Some(tallies) = s.polls.get(&plan.id).and_then(|p| p.shown_results(plan)) else {
        return row;
    };
    for t in tallies {
        let name = t.target.as_deref().map_or(l.poll, |t| {
            s.plan.department(t).map_or(t, |d| d.name.as_str())
        });
        let counts: Vec<String> = t.counts.iter().map(|(c, n)| format!("{c} {n}")).collect();
        let right = format!("{} · {} {}", counts.join("  "), t.voters, l.voters);
        line(area, buf, row, Line::from(spread(name, &right, w)));
        row += 1;
    }
    row
}

/// After the meeting: how long, how many spoke, the questions by outcome, and
/// the last evaluation's results.
fn summary(app: &App, l: &Labels, area: Rect, buf: &mut Buffer) {
    let s = &app.state;
    let w = area.width as usize;
    let head = format!("{} · {}", l.meeting_over, s.plan.meeting.title);
    line(
        area,
        buf,
        0,
        Line::from(Span::styled(truncate(&head, w), Style::new().bold())),
    );
    let took = match (s.started_ms, s.closed_ms) {
        (Some(a), Some(b)) => clock(b.saturating_sub(a)),
        _ => "—".into(),
    };
    let speakers: std::collections::BTreeSet<&str> =
        s.turns.iter().map(|t| t.participant.as_str()).collect();
    let figures = format!(
        "{} {took}   {} {}   {} {}",
        l.duration,
        l.speakers,
        speakers.len(),
        l.turns,
        s.turns.len()
    );
    line(area, buf, 2, Line::from(truncate(&figures, w)));
    let outcomes = super::coverage(
        l,
        &crate::meeting::question::Coverage::of(&s.questions),
        true,
    );
    line(area, buf, 3, Line::from(truncate(&outcomes, w)));
    // What the review found, when the meeting reviewed anything.
    if s.plan.review_items().next().is_some() {
        let t = s.reviews.tally();
        let fw = &crate::lang::catalogue::of(app.lang).followups;
        let found = format!(
            "{} {} {} {} {} {} {} {} {}",
            l.review_panel,
            fw.outcome_delivered,
            t.delivered,
            fw.outcome_in_progress,
            t.in_progress,
            fw.outcome_not_delivered,
            t.not_delivered,
            fw.dissatisfied,
            t.unsatisfied
        );
        line(area, buf, 4, Line::from(truncate(&found, w)));
    }
    let last = s
        .plan
        .positions()
        .iter()
        .filter_map(|&at| s.plan.step(at).and_then(|st| st.poll.as_ref()))
        .rfind(|p| s.polls.get(&p.id).is_some_and(|x| !x.open));
    if let Some(plan) = last {
        results(app, plan, area, buf, 5);
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
