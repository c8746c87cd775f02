//! A picker: a list that filters as you type, titled by what it picks for
//! (who speaks, who queues, who asks, which department, step, target or
//! choice).

use super::{end_of, popup};
use crate::text::truncate;
use crate::tui::app::{App, Purpose};
use crate::tui::labels::labels;
use crate::tui::picker::Picker;
use crate::tui::view::{line, scroll};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Style, Stylize};
use ratatui::text::{Line, Span};

pub(super) fn render(
    app: &App,
    purpose: &Purpose,
    picker: &Picker,
    area: Rect,
    buf: &mut Buffer,
    wide: u16,
) {
    let l = labels(app.lang);
    let title = match purpose {
        Purpose::Grant => l.pick_speaker,
        Purpose::QueueAdd => l.pick_queue,
        Purpose::Asker => l.pick_asker,
        Purpose::Department { .. } => l.pick_department,
        Purpose::Step => l.pick_step,
        Purpose::VoteTarget { .. } => l.pick_target,
        Purpose::VoteChoice { .. } => l.pick_choice,
    };
    // What is being rated, named: a department's rating is for that one.
    let title = match purpose {
        Purpose::VoteChoice {
            target: Some(t), ..
        } => {
            let dept = app.state.plan.department(t).map_or(t.as_str(), |d| &d.name);
            format!("{title} · {dept}")
        }
        _ => title.to_string(),
    };
    let title = title.as_str();
    let h = area.height.saturating_sub(4).min(18);
    let inner = popup(area, buf, wide, h, title);
    line(
        inner,
        buf,
        0,
        Line::from(vec![
            Span::raw("> "),
            Span::styled(
                end_of(
                    &format!("{}▏", picker.query),
                    (inner.width as usize).saturating_sub(2),
                ),
                Style::new().bold(),
            ),
        ]),
    );
    let matches = picker.matches();
    let rows = inner.height.saturating_sub(2) as usize;
    let window = scroll::Window::new(matches.len(), rows, picker.cursor);
    for (row, text) in window.hints(app.lang) {
        let text = truncate(&text, inner.width as usize);
        line(inner, buf, row as u16 + 1, Line::from(text).dim());
    }
    for (i, item) in matches
        .iter()
        .enumerate()
        .skip(window.skip)
        .take(window.show)
    {
        let n = window.row(i).unwrap_or_default();
        let style = if i == picker.cursor {
            Style::new().reversed()
        } else {
            Style::new()
        };
        line(
            inner,
            buf,
            n as u16 + 1,
            Line::from(truncate(&item.text, inner.width as usize)).style(style),
        );
    }
    line(
        inner,
        buf,
        inner.height.saturating_sub(1),
        Line::from(truncate(l.pick_hint, inner.width as usize)).dim(),
    );
}
