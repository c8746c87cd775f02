//! What `xieshang followups` prints: the register's items as a table for a
//! terminal (every text made safe to print), one item whole with its history,
//! and the exports' formats.

use super::Format;
use crate::meeting::followups::Item;
use crate::meeting::plan::Language;
use crate::office::followups::{export, Entry};

pub(super) fn render(
    items: &[Item],
    format: Format,
    lang: Language,
    now_ms: u64,
    offset_s: i32,
) -> String {
    match format {
        Format::Csv => export::csv(items, lang, now_ms, offset_s),
        Format::Json => export::json(items, now_ms, offset_s) + "\n",
        Format::Md => export::markdown(items, lang, now_ms, offset_s),
        Format::Table => table(items, lang, now_ms, offset_s),
    }
}

/// One line an item, for a terminal: its text made safe to print.
fn table(items: &[Item], lang: Language, now_ms: u64, offset_s: i32) -> String {
    let w = &crate::lang::catalogue::of(lang).followups;
    let safe = |t: &str| crate::text::shown(t).into_owned();
    let mut out = String::new();
    for item in items {
        let s = crate::meeting::followups::standing(item, now_ms, offset_s);
        let marks = export::standing_words(w, &s, item.flagged()).join(" ");
        out.push_str(&format!(
            "{}  {}  {}  {}  {}{}  {}: {}\n",
            safe(&item.id),
            item.deadline(),
            export::state_word(w, item.state),
            safe(&item.department_name),
            marks,
            if s.days_over > 0 {
                format!(" +{}", s.days_over)
            } else {
                String::new()
            },
            safe(&item.origin.asker.name),
            safe(&item.origin.text),
        ));
    }
    if items.is_empty() {
        out.push_str(&format!("{}\n", w.none_due));
    }
    out
}

pub(super) fn show(
    item: &Item,
    history: &[Entry],
    lang: Language,
    now_ms: u64,
    offset_s: i32,
) -> String {
    let w = &crate::lang::catalogue::of(lang).followups;
    let safe = |t: &str| crate::text::shown(t).into_owned();
    let s = crate::meeting::followups::standing(item, now_ms, offset_s);
    let mut out = format!(
        "{}  {}  {}\n{}: {} ({})\n{}: {} · {}\n{}: {}\n{}: {}  {}\n",
        safe(&item.id),
        export::state_word(w, item.state),
        export::standing_words(w, &s, item.flagged()).join(" "),
        w.meeting,
        safe(&item.origin.meeting),
        item.origin.date,
        w.asker,
        safe(&item.origin.asker.name),
        safe(&item.origin.text),
        w.department,
        safe(&item.department_name),
        if item.unanswered {
            w.in_meeting
        } else {
            w.promise
        },
        safe(&item.promise),
        item.deadline(),
    );
    for e in history {
        let at =
            chrono::DateTime::from_timestamp_millis(e.at_ms as i64 + i64::from(offset_s) * 1000)
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default();
        out.push_str(&format!(
            "  v{} {at} {} · {}\n",
            e.version,
            safe(e.actor.name()),
            crate::lang::followups::change_word(w, &e.change)
        ));
    }
    out
}
