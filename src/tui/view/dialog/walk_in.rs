//! A walk-in (`a` on the participants screen): someone the plan did not list
//! arrived; their name, their role, for a department's representative the
//! department.

use super::{end_of, popup};
use crate::text::truncate;
use crate::tui::app::{App, WalkIn};
use crate::tui::labels::labels;
use crate::tui::view::line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;

pub(super) fn render(app: &App, form: &WalkIn, area: Rect, buf: &mut Buffer, wide: u16) {
    let l = labels(app.lang);
    let inner = popup(area, buf, wide, 8, l.walk_in_title);
    let w = inner.width as usize;
    let mut rows = vec![
        end_of(&format!("{}: {}▏", l.walk_in_name, form.name), w),
        format!(
            "{}: ‹ {} ›",
            l.walk_in_role,
            crate::lang::role(app.lang, form.role)
        ),
    ];
    if form.role == crate::meeting::Role::Department {
        let dept = app
            .state
            .plan
            .departments
            .get(form.department)
            .map_or("", |d| d.name.as_str());
        rows.push(format!("{}: ‹ {dept} ›", l.walk_in_department));
    }
    for (i, r) in rows.iter().enumerate() {
        line(inner, buf, i as u16, Line::from(truncate(r, w)));
    }
    line(
        inner,
        buf,
        inner.height.saturating_sub(1),
        Line::from(truncate(l.walk_in_keys, w)).dim(),
    );
}
