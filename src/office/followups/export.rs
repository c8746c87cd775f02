//! The register for scripts and for paper: CSV for Excel (`office::sheet`),
//! JSON, a Markdown table, and a per-department reminder of what is due and
//! overdue (催办单). Whatever they hold is harmless on a terminal: JSON escapes
//! what would drive one (`text::json`), CSV and Markdown show it as the
//! consoles do (`text::shown`), since a journal from elsewhere may have brought
//! in what the rules refuse today.

use crate::lang::catalogue::{self, Followups};
pub use crate::lang::followups::{class_word, rating_word, standing_words, state_word};
use crate::meeting::followups::{standing, Item, Standing};
use crate::meeting::plan::Language;

/// The columns every export has, an item's row of them.
fn row(item: &Item, w: &Followups, now_ms: u64, offset_s: i32) -> Vec<String> {
    let s = standing(item, now_ms, offset_s);
    vec![
        item.id.clone(),
        item.origin.meeting.clone(),
        item.origin.date.to_string(),
        item.origin.asker.name.clone(),
        item.origin.text.clone(),
        item.department_name.clone(),
        item.promise.clone(),
        item.deadline().to_string(),
        state_word(w, item.state).to_string(),
        standing_words(w, &s, item.flagged()).join(" "),
        s.days_over.to_string(),
        item.answer
            .as_ref()
            .map(|a| format!("{} {}", class_word(w, a.class), a.text))
            .unwrap_or_default(),
        item.rating
            .as_ref()
            .map(|r| rating_word(w, r.rating).to_string())
            .unwrap_or_default(),
    ]
}

fn header(w: &Followups) -> Vec<&'static str> {
    vec![
        w.id,
        w.meeting,
        w.date,
        w.asker,
        w.question,
        w.department,
        w.promise,
        w.due,
        w.state,
        w.standing,
        w.days_over,
        w.answer,
        w.rating,
    ]
}

pub fn csv(items: &[Item], lang: Language, now_ms: u64, offset_s: i32) -> String {
    let w = &catalogue::of(lang).followups;
    let head = header(w).into_iter().map(String::from).collect();
    crate::office::sheet::write(
        std::iter::once(head).chain(items.iter().map(|item| row(item, w, now_ms, offset_s))),
    )
}

/// Every item whole, with its clock's marks, as JSON.
pub fn json(items: &[Item], now_ms: u64, offset_s: i32) -> String {
    let rows: Vec<serde_json::Value> = items
        .iter()
        .map(|item| {
            serde_json::json!({
                "item": item,
                "standing": standing(item, now_ms, offset_s),
                "flagged": item.flagged(),
            })
        })
        .collect();
    crate::text::json(&serde_json::to_string_pretty(&rows).expect("items serialize"))
}

/// Markdown text: shown as the consoles show it (line breaks as a space,
/// controls visible), pipes and markup neutralised.
fn md(text: &str) -> String {
    let text = crate::text::shown(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

pub fn markdown(items: &[Item], lang: Language, now_ms: u64, offset_s: i32) -> String {
    let w = &catalogue::of(lang).followups;
    let head = header(w);
    let mut out = format!(
        "| {} |\n|{}\n",
        head.join(" | "),
        " --- |".repeat(head.len())
    );
    for item in items {
        let cells: Vec<String> = row(item, w, now_ms, offset_s)
            .iter()
            .map(|c| md(c))
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// Per department, what is due within a week or overdue (催办单), to print or
/// send; a department with nothing due is left out.
pub fn digest(items: &[Item], lang: Language, now_ms: u64, offset_s: i32) -> String {
    let w = &catalogue::of(lang).followups;
    let mut by_department: std::collections::BTreeMap<&str, Vec<(&Item, Standing)>> =
        Default::default();
    for item in items {
        let s = standing(item, now_ms, offset_s);
        if s.overdue || s.due_soon {
            by_department
                .entry(item.department_name.as_str())
                .or_default()
                .push((item, s));
        }
    }
    if by_department.is_empty() {
        return format!("{}\n", w.none_due);
    }
    let mut out = String::new();
    for (department, mut due) in by_department {
        due.sort_by_cached_key(|(i, s)| {
            (std::cmp::Reverse(s.days_over), i.deadline(), i.id.clone())
        });
        out.push_str(&format!(
            "# {} · {}\n\n{}\n\n",
            w.digest,
            md(department),
            w.digest_intro
        ));
        for (item, s) in due {
            let marks = standing_words(w, &s, item.flagged()).join(" ");
            out.push_str(&format!(
                "- **{}** {} ({} {}{}) — {}: {}\n",
                md(&item.id),
                marks,
                w.due,
                item.deadline(),
                if s.days_over > 0 {
                    format!(", {} {}", w.days_over, s.days_over)
                } else {
                    String::new()
                },
                md(&item.origin.asker.name),
                md(&item.origin.text)
            ));
        }
        out.push('\n');
    }
    out
}
