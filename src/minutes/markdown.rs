//! The minutes as Markdown, in the plan's language.

use super::words::{duration, known_legend, named_with_known, overtime, words, Words};
use super::{Minutes, SpeakingRow};
use crate::lang::{mode as mode_label, role as role_label};
use crate::meeting::plan::Language;
use crate::meeting::Mode;
use std::fmt::Write;

pub fn render(m: &Minutes) -> String {
    let lang = m.language;
    let w = words(lang);
    let mut out = String::new();
    let o = &mut out;
    let _ = writeln!(o, "# {} {}\n", md(&m.title), w.minutes);
    header(o, m, w);
    if m.started_ms.is_none() {
        let _ = writeln!(o, "{}\n", w.not_started);
    }
    attendance(o, m, w);
    if m.started_ms.is_some() {
        proceedings(o, m, w);
        questions(o, m, w);
        follow_ups(o, m, w);
        reviews(o, m, w);
        evaluations(o, m, w);
        statistics(o, m, w);
    }
    signatures(o, m, w);
    let _ = writeln!(
        o,
        "---\n\n*{}{}{} {}{}{}*",
        w.recorded_from,
        colon(lang),
        m.record.events,
        w.events,
        if m.record.torn {
            format!("{}{}", sep(lang), w.torn)
        } else {
            String::new()
        },
        stop(lang)
    );
    out
}

fn sep(lang: Language) -> &'static str {
    match lang {
        Language::Zh => "；",
        Language::En => "; ",
    }
}

fn stop(lang: Language) -> &'static str {
    match lang {
        Language::Zh => "。",
        Language::En => ".",
    }
}

fn comma(lang: Language) -> &'static str {
    match lang {
        Language::Zh => "，",
        Language::En => ", ",
    }
}

/// `（…）` in Chinese, ` (…)` in English.
fn paren(lang: Language, s: &str) -> String {
    match lang {
        Language::Zh => format!("（{s}）"),
        Language::En => format!(" ({s})"),
    }
}

fn colon(lang: Language) -> &'static str {
    match lang {
        Language::Zh => "：",
        Language::En => ": ",
    }
}

fn header(o: &mut String, m: &Minutes, w: &Words) {
    let c = colon(m.language);
    if let Some(date) = &m.date {
        let _ = writeln!(o, "- {}{c}{}", w.date, md(date));
    }
    if let Some(venue) = &m.venue {
        let _ = writeln!(o, "- {}{c}{}", w.venue, md(venue));
    }
    if let Some(topic) = &m.topic {
        let _ = writeln!(o, "- {}{c}{}", w.topic, md(topic));
    }
    if let Some(chair) = &m.chair {
        let _ = writeln!(o, "- {}{c}{}", w.chair, md(chair));
    }
    if let (Some(start), Some(end)) = (&m.started_at, &m.ended_at) {
        let mut span = format!("{} {}", w.duration, duration(m.language, m.duration_ms));
        if !m.closed {
            span = format!("{span}{}{}", comma(m.language), w.not_closed);
        }
        let _ = write!(
            o,
            "- {}{c}{start}—{end}{}",
            w.time,
            paren(m.language, &span)
        );
        let _ = writeln!(o);
    }
    let present = m.attendance.present.len();
    let expected = present + m.attendance.absent.len();
    let _ = writeln!(
        o,
        "- {}{c}{} {expected}{}{}{} {present}{}\n",
        w.attendance,
        w.planned,
        people(m.language),
        comma(m.language),
        w.present,
        people(m.language)
    );
}

fn people(lang: Language) -> &'static str {
    match lang {
        Language::Zh => " 人",
        Language::En => "",
    }
}

fn attendance(o: &mut String, m: &Minutes, w: &Words) {
    let lang = m.language;
    let _ = writeln!(o, "## {}\n", w.attendance);
    let _ = writeln!(o, "| {} | {} | {} |", w.role, w.planned, w.present);
    let _ = writeln!(o, "| --- | ---: | ---: |");
    for c in &m.attendance.by_role {
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            role_label(lang, c.key),
            c.expected,
            c.present
        );
    }
    let _ = writeln!(o);
    if !m.attendance.by_sector.is_empty() {
        let _ = writeln!(o, "| {} | {} | {} |", w.sector, w.planned, w.present);
        let _ = writeln!(o, "| --- | ---: | ---: |");
        for c in &m.attendance.by_sector {
            let _ = writeln!(o, "| {} | {} | {} |", md(&c.key), c.expected, c.present);
        }
        let _ = writeln!(o);
    }
    if !m.attendance.present.is_empty() {
        let names = named_with_known(lang, &m.attendance.present, w.list_sep);
        let _ = writeln!(o, "{}{}{}\n", w.present, colon(lang), md(&names));
    }
    if !m.attendance.absent.is_empty() {
        let names = named_with_known(lang, &m.attendance.absent, w.list_sep);
        let _ = writeln!(o, "{}{}{}\n", w.absent, colon(lang), md(&names));
    }
    // Observers were there, but neither 应到 nor 实到.
    if !m.attendance.observers.is_empty() {
        let names = named_with_known(lang, &m.attendance.observers, w.list_sep);
        let label = role_label(lang, crate::meeting::Role::Observer);
        let _ = writeln!(o, "{label}{}{}\n", colon(lang), md(&names));
    }
    let _ = writeln!(o, "{}\n", known_legend(lang));
}

fn proceedings(o: &mut String, m: &Minutes, w: &Words) {
    let lang = m.language;
    let _ = writeln!(o, "## {}\n", w.proceedings);
    let mut n = 0;
    for (i, item) in m.items.iter().enumerate() {
        let _ = writeln!(
            o,
            "### {} {}{}{}\n",
            w.item,
            i + 1,
            colon(lang),
            md(&item.title)
        );
        for step in &item.steps {
            n += 1;
            let actual = if step.held {
                format!("{} {}", w.actual_time, duration(lang, step.actual_ms))
            } else {
                w.not_held.to_string()
            };
            let times = format!(
                "{} {}{}{actual}",
                w.planned_time,
                duration(lang, step.planned_ms),
                comma(lang)
            );
            let _ = writeln!(o, "#### {n}. {}{}\n", md(&step.title), paren(lang, &times));
            if !step.held {
                continue;
            }
            if step.turns.is_empty() {
                let _ = writeln!(o, "{}\n", w.no_turns);
                continue;
            }
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                w.speaker, w.affiliation, w.started, w.spoken, w.overtime
            );
            let _ = writeln!(o, "| --- | --- | --- | ---: | ---: |");
            for t in &step.turns {
                let mut who = t.name.clone();
                if t.mode != Mode::Normal {
                    who = format!("{who}{}", paren(lang, mode_label(lang, t.mode)));
                }
                let affiliation = t
                    .affiliation
                    .clone()
                    .unwrap_or_else(|| role_label(lang, t.role).to_string());
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} | {} |",
                    md(&who),
                    md(&affiliation),
                    t.started_at,
                    duration(lang, t.spoken_ms),
                    overtime(lang, t.overtime_ms)
                );
            }
            let _ = writeln!(o);
        }
    }
}

fn questions(o: &mut String, m: &Minutes, w: &Words) {
    let lang = m.language;
    let _ = writeln!(o, "## {}\n", w.questions);
    if m.questions.is_empty() {
        let _ = writeln!(o, "{}\n", w.no_questions);
        return;
    }
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} | {} | {} |",
        w.no, w.asker, w.department, w.question, w.outcome, w.note
    );
    let _ = writeln!(o, "| --- | --- | --- | --- | --- | --- |");
    for q in &m.questions {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            q.id,
            md(&q.asker_name),
            md(&q.department_name),
            md(&q.text),
            md(&q.outcome(lang, w)),
            md(&q.note_said(lang).unwrap_or_else(|| "—".into()))
        );
    }
    let _ = writeln!(o);
}

fn follow_ups(o: &mut String, m: &Minutes, w: &Words) {
    let lang = m.language;
    let _ = writeln!(o, "## {}\n", w.follow_ups);
    if m.follow_ups.is_empty() {
        let _ = writeln!(o, "{}\n", w.no_follow_ups);
        return;
    }
    let _ = writeln!(o, "{}\n", w.follow_ups_intro);
    for d in &m.follow_ups {
        let _ = writeln!(o, "### {}\n", md(&d.department_name));
        for q in &d.questions {
            let asker = format!("{}{}{}", w.asker, colon(lang), md(&q.asker_name));
            let _ = write!(
                o,
                "- {} {}{}{}{}",
                q.id,
                md(&q.text),
                paren(lang, &asker),
                if lang == Language::Zh {
                    "——"
                } else {
                    " — "
                },
                q.follow_up_word(lang)
            );
            if let Some(note) = q.note_said(lang) {
                let _ = write!(o, "{}{}", colon(lang), md(&note));
            }
            if let Some(id) = &q.register_id {
                let _ = write!(
                    o,
                    "{}",
                    paren(lang, &format!("{} {}", w.register_id, md(id)))
                );
            }
            let _ = writeln!(o);
        }
        let _ = writeln!(o);
    }
}

fn reviews(o: &mut String, m: &Minutes, w: &Words) {
    if m.reviews.is_empty() {
        return;
    }
    let lang = m.language;
    let _ = writeln!(o, "## {}\n", w.reviews);
    let _ = writeln!(o, "{}\n", w.reviews_intro);
    for r in &m.reviews {
        let asker = format!("{}{}{}", w.asker, colon(lang), md(&r.asker_name));
        let _ = writeln!(
            o,
            "- {} {} {}{}\n  - {}{}{}\n  - {}{}{}",
            md(&r.id),
            md(&r.department_name),
            md(&r.question),
            paren(lang, &asker),
            w.review_before,
            colon(lang),
            md(&r.before(lang)),
            w.review_after,
            colon(lang),
            md(&r.after(lang)),
        );
    }
    let _ = writeln!(o);
}

fn evaluations(o: &mut String, m: &Minutes, w: &Words) {
    if m.evaluations.is_empty() {
        return;
    }
    let _ = writeln!(o, "## {}\n", w.evaluations);
    for e in &m.evaluations {
        let _ = writeln!(o, "### {}\n", md(&e.step));
        if !e.held {
            let _ = writeln!(o, "{}\n", w.not_evaluated);
            continue;
        }
        let choices: Vec<&str> = e
            .results
            .first()
            .map(|r| r.counts.iter().map(|c| c.choice.as_str()).collect())
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            w.target,
            choices
                .iter()
                .map(|c| md(c))
                .collect::<Vec<_>>()
                .join(" | "),
            w.voters
        );
        let _ = writeln!(o, "| --- |{} ---: |", " ---: |".repeat(choices.len()));
        for r in &e.results {
            let counts: Vec<String> = r.counts.iter().map(|c| c.votes.to_string()).collect();
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                md(r.target_name.as_deref().unwrap_or(w.overall)),
                counts.join(" | "),
                r.voters
            );
        }
        let _ = writeln!(o);
    }
}

fn statistics(o: &mut String, m: &Minutes, w: &Words) {
    let lang = m.language;
    let _ = writeln!(o, "## {}\n", w.statistics);
    let table = |o: &mut String,
                 first: &str,
                 rows: &[SpeakingRow],
                 name: &dyn Fn(&SpeakingRow) -> String| {
        let _ = writeln!(
            o,
            "| {first} | {} | {} | {} |",
            w.turns, w.spoken, w.overtime
        );
        let _ = writeln!(o, "| --- | ---: | ---: | ---: |");
        for r in rows {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                md(&name(r)),
                r.turns,
                duration(lang, r.spoken_ms),
                overtime(lang, r.overtime_ms)
            );
        }
        let _ = writeln!(o);
    };
    table(o, w.participant, &m.statistics.by_participant, &|r| {
        r.name.clone()
    });
    if !m.statistics.by_sector.is_empty() {
        table(o, w.sector, &m.statistics.by_sector, &|r| r.name.clone());
    }
    table(o, w.role, &m.statistics.by_role, &|r| {
        crate::meeting::Role::parse(&r.key)
            .map_or(r.key.clone(), |role| role_label(lang, role).to_string())
    });
    if m.statistics.not_spoken.is_empty() {
        let _ = writeln!(o, "{}\n", w.everyone_spoke);
    } else {
        let names: Vec<String> = m
            .statistics
            .not_spoken
            .iter()
            .map(|p| md(&p.name))
            .collect();
        let _ = writeln!(
            o,
            "{}{}{}\n",
            w.not_spoken,
            colon(lang),
            names.join(w.list_sep)
        );
    }
}

/// Text that a participant or a plan wrote, as Markdown that shows it as written:
/// on one line (line breaks become spaces, control characters placeholders), with
/// every character that Markdown (CommonMark and GitHub's tables, strikethrough)
/// or HTML would take as inline markup escaped, and what would start a block at the
/// beginning of a line (`-`, `+`, `=`, `1.`) escaped there, so that no question can
/// make a heading, a list, a link, a table cell or a tag of its own.
pub fn md(s: &str) -> String {
    let s = crate::text::shown(s);
    let mut out = String::with_capacity(s.len() + 8);
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in s.chars().enumerate() {
        let inline = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '#'
        );
        let block_start = (i == 0 && matches!(c, '-' | '+' | '='))
            || (i == digits && digits > 0 && matches!(c, '.' | ')'));
        if inline || block_start {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The block a secretariat signs: the chair (named), whoever recorded the
/// minutes and whoever reviewed them, a blank for each signature and date.
fn signatures(o: &mut String, m: &Minutes, w: &Words) {
    let _ = writeln!(o, "## {}\n", w.signatures);
    let _ = writeln!(o, "| | | {} |\n| --- | --- | --- |", w.signed_date);
    for (role, name) in [
        (w.signed_chair, m.chair.as_deref().unwrap_or("")),
        (w.signed_recorder, ""),
        (w.signed_reviewer, ""),
    ] {
        let _ = writeln!(o, "| {role} | {} | |", md(name));
    }
    o.push('\n');
}

#[cfg(test)]
mod tests {
    use super::md;

    #[test]
    fn markup_is_escaped_and_plain_text_is_left_alone() {
        assert_eq!(
            md("市生态环境局 2026-11-27 Q&A"),
            "市生态环境局 2026-11-27 Q\\&A"
        );
        assert_eq!(
            md("Why?\n\n## Resolutions\n\n1. sold"),
            "Why?  \\#\\# Resolutions  1. sold"
        );
        assert_eq!(md("1. first"), "1\\. first");
        assert_eq!(md("- item"), "\\- item");
        assert_eq!(
            md("<script>x</script> | *a* [l](u)"),
            "\\<script\\>x\\</script\\> \\| \\*a\\* \\[l\\](u)"
        );
    }
}
