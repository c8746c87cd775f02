//! The minutes as one self-contained HTML page (no scripts, no outside files),
//! with an SVG bar chart of speaking time by sector.
//!
//! Written with `format!` and one escaping function (`crate::text::html`) rather
//! than a template crate (maud, askama): the page is a dozen tables whose rows
//! come from the same data as the Markdown, and a template language would add a
//! second way of writing them without making any shorter or safer.

use super::words::{duration, overtime, words, Words};
use super::{Minutes, SpeakingRow};
use crate::lang::{mode as mode_label, role as role_label};
use crate::meeting::plan::Language;
use crate::meeting::{Mode, Role};
use std::fmt::Write;

const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}\
h1{font-size:1.6rem;border-bottom:2px solid #a00;padding-bottom:.3rem}h2{margin-top:2rem;color:#a00}\
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.25rem .6rem;vertical-align:top}\
th{background:#f4f4f4;white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}.meta{list-style:none;padding:0}\
.muted{color:#666}.legend{color:#666;font-size:.9rem}footer{margin-top:2rem;color:#666;font-size:.9rem}\
@page{size:A4;margin:18mm 16mm}\
@media print{body{max-width:none;margin:0;padding:0;font-size:10.5pt;color:#000}h1{font-size:16pt}h2{font-size:13pt}\
h2,h3,h4{break-after:avoid;page-break-after:avoid;break-inside:avoid}\
h2::after,h3::after,h4::after{content:'';display:block;height:5em;margin-bottom:-5em}\
table{width:100%}thead{display:table-header-group}tr,li,p{break-inside:avoid}\
th{background:#eee;-webkit-print-color-adjust:exact;print-color-adjust:exact}svg{max-width:100%;height:auto}\
.signatures{break-inside:avoid;page-break-inside:avoid}}\
.signatures{margin-top:2.5rem}.signatures table{width:100%}.signatures td{height:3.2rem;width:35%}.signatures th{width:15%;text-align:left}";

pub fn render(m: &Minutes) -> String {
    let lang = m.language;
    let w = words(lang);
    let mut o = String::new();
    let title = format!("{} {}", m.title, w.minutes);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n",
        if lang == Language::Zh { "zh-CN" } else { "en" },
        esc(&title)
    );
    // In print: the title at the top of every page, "page N of M" at its foot.
    let _ = write!(
        o,
        "<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        page_boxes(&title, w),
        esc(&title)
    );
    o.push_str("<ul class=\"meta\">\n");
    let mut meta = |label: &str, value: String| {
        let _ = writeln!(o, "<li><b>{}</b> {}</li>", esc(label), esc(&value));
    };
    if let Some(d) = &m.date {
        meta(w.date, d.clone());
    }
    if let Some(v) = &m.venue {
        meta(w.venue, v.clone());
    }
    if let Some(t) = &m.topic {
        meta(w.topic, t.clone());
    }
    if let Some(c) = &m.chair {
        meta(w.chair, c.clone());
    }
    if let (Some(s), Some(e)) = (&m.started_at, &m.ended_at) {
        let mut t = format!("{s}—{e} · {} {}", w.duration, duration(lang, m.duration_ms));
        if !m.closed {
            t = format!("{t} · {}", w.not_closed);
        }
        meta(w.time, t);
    }
    let present = m.attendance.present.len();
    meta(
        w.attendance,
        format!(
            "{} {} · {} {present}",
            w.planned,
            present + m.attendance.absent.len(),
            w.present
        ),
    );
    o.push_str("</ul>\n");
    if m.started_ms.is_none() {
        let _ = writeln!(o, "<p>{}</p>", esc(w.not_started));
    }
    attendance(&mut o, m, w);
    if m.started_ms.is_some() {
        proceedings(&mut o, m, w);
        questions(&mut o, m, w);
        follow_ups(&mut o, m, w);
        reviews(&mut o, m, w);
        evaluations(&mut o, m, w);
        statistics(&mut o, m, w);
    }
    signatures(&mut o, m, w);
    let _ = writeln!(
        o,
        "<footer>{} · {} {}{}</footer>\n</body>\n</html>",
        esc(w.recorded_from),
        m.record.events,
        esc(w.events),
        if m.record.torn {
            format!(" · {}", esc(w.torn))
        } else {
            String::new()
        }
    );
    o
}

/// The printed page's margin boxes: the minutes' title as a running header,
/// "page N of M" at the foot (in the minutes' language).
fn page_boxes(title: &str, w: &Words) -> String {
    // The catalogue's "第 {page} 页，共 {pages} 页" as CSS: strings and counters.
    let mut footer = String::new();
    let mut rest = w.page_of;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        footer.push_str(&css_string(&rest[..open]));
        footer.push_str(match &rest[open + 1..close] {
            "pages" => " counter(pages) ",
            _ => " counter(page) ",
        });
        rest = &rest[(close + 1).min(rest.len())..];
    }
    footer.push_str(&css_string(rest));
    format!(
        "@page{{@top-center{{content:{};font-size:9pt;color:#555}}@bottom-center{{content:{footer};font-size:9pt;color:#555}}}}",
        css_string(&crate::text::shown(title))
    )
}

/// `s` as a quoted CSS string that cannot end the string or the style element:
/// quotes, backslashes, `<`, `>`, `&` and controls as hex escapes.
fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\' | '<' | '>' | '&') || c.is_control() {
            let _ = write!(out, "\\{:x} ", c as u32);
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// The block a secretariat signs: the chair (named, from the plan), whoever
/// recorded the minutes and whoever reviewed them, each with a line for the
/// signature and the date.
fn signatures(o: &mut String, m: &Minutes, w: &Words) {
    let _ = writeln!(
        o,
        "<section class=\"signatures\">\n<h2>{}</h2>\n<table>",
        esc(w.signatures)
    );
    for (role, name) in [
        (w.signed_chair, m.chair.as_deref().unwrap_or("")),
        (w.signed_recorder, ""),
        (w.signed_reviewer, ""),
    ] {
        let _ = writeln!(
            o,
            "<tr><th>{}</th><td>{}</td><th>{}</th><td></td></tr>",
            esc(role),
            esc(name),
            esc(w.signed_date)
        );
    }
    o.push_str("</table>\n</section>\n");
}

/// A table: headers, then rows; columns marked numeric are right-aligned.
fn table(o: &mut String, headers: &[&str], numeric: &[bool], rows: &[Vec<String>]) {
    // A header row in `thead`: printed again at the top of every page.
    o.push_str("<table>\n<thead><tr>");
    for h in headers {
        let _ = write!(o, "<th>{}</th>", esc(h));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        o.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            let class = if numeric.get(i).copied().unwrap_or(false) {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(o, "<td{class}>{}</td>", esc(c));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n");
}

fn attendance(o: &mut String, m: &Minutes, w: &Words) {
    let lang = m.language;
    let _ = writeln!(o, "<h2>{}</h2>", esc(w.attendance));
    let rows: Vec<Vec<String>> = m
        .attendance
        .by_role
        .iter()
        .map(|c| {
            vec![
                role_label(lang, c.key).to_string(),
                c.expected.to_string(),
                c.present.to_string(),
            ]
        })
        .collect();
    table(
        o,
        &[w.role, w.planned, w.present],
        &[false, true, true],
        &rows,
    );
    if !m.attendance.by_sector.is_empty() {
        let rows: Vec<Vec<String>> = m
            .attendance
            .by_sector
            .iter()
            .map(|c| vec![c.key.clone(), c.expected.to_string(), c.present.to_string()])
            .collect();
        table(
            o,
            &[w.sector, w.planned, w.present],
            &[false, true, true],
            &rows,
        );
    }
    let observers = crate::lang::role(m.language, crate::meeting::Role::Observer);
    for (label, people) in [
        (w.present, &m.attendance.present),
        (w.absent, &m.attendance.absent),
        (observers, &m.attendance.observers),
    ] {
        if !people.is_empty() {
            let names = super::words::named_with_known(m.language, people, w.list_sep);
            let _ = writeln!(o, "<p><b>{}</b> {}</p>", esc(label), esc(&names));
        }
    }
    let _ = writeln!(
        o,
        "<p class=\"legend\">{}</p>",
        esc(super::words::known_legend(m.language))
    );
}

fn proceedings(o: &mut String, m: &Minutes, w: &Words) {
    let lang = m.language;
    let _ = writeln!(o, "<h2>{}</h2>", esc(w.proceedings));
    let mut n = 0;
    for (i, item) in m.items.iter().enumerate() {
        let _ = writeln!(
            o,
            "<h3>{} {} · {}</h3>",
            esc(w.item),
            i + 1,
            esc(&item.title)
        );
        for step in &item.steps {
            n += 1;
            let actual = if step.held {
                format!("{} {}", w.actual_time, duration(lang, step.actual_ms))
            } else {
                w.not_held.to_string()
            };
            let _ = writeln!(
                o,
                "<h4>{n}. {} <span class=\"muted\">· {} {} · {}</span></h4>",
                esc(&step.title),
                esc(w.planned_time),
                esc(&duration(lang, step.planned_ms)),
                esc(&actual)
            );
            if !step.held {
                continue;
            }
            if step.turns.is_empty() {
                let _ = writeln!(o, "<p class=\"muted\">{}</p>", esc(w.no_turns));
                continue;
            }
            let rows: Vec<Vec<String>> = step
                .turns
                .iter()
                .map(|t| {
                    let mut who = t.name.clone();
                    if t.mode != Mode::Normal {
                        who = format!("{who} ({})", mode_label(lang, t.mode));
                    }
                    vec![
                        who,
                        t.affiliation
                            .clone()
                            .unwrap_or_else(|| role_label(lang, t.role).to_string()),
                        t.started_at.clone(),
                        duration(lang, t.spoken_ms),
                        overtime(lang, t.overtime_ms),
                    ]
                })
                .collect();
            table(
                o,
                &[w.speaker, w.affiliation, w.started, w.spoken, w.overtime],
                &[false, false, false, true, true],
                &rows,
            );
        }
    }
}

fn questions(o: &mut String, m: &Minutes, w: &Words) {
    let lang = m.language;
    let _ = writeln!(o, "<h2>{}</h2>", esc(w.questions));
    if m.questions.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", esc(w.no_questions));
        return;
    }
    let rows: Vec<Vec<String>> = m
        .questions
        .iter()
        .map(|q| {
            let outcome = q.outcome(lang, w);
            vec![
                q.id.clone(),
                q.asker_name.clone(),
                q.department_name.clone(),
                q.text.clone(),
                outcome,
                q.note_said(lang).unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    table(
        o,
        &[w.no, w.asker, w.department, w.question, w.outcome, w.note],
        &[],
        &rows,
    );
}

fn follow_ups(o: &mut String, m: &Minutes, w: &Words) {
    let lang = m.language;
    let _ = writeln!(o, "<h2>{}</h2>", esc(w.follow_ups));
    if m.follow_ups.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", esc(w.no_follow_ups));
        return;
    }
    let _ = writeln!(o, "<p>{}</p>", esc(w.follow_ups_intro));
    for d in &m.follow_ups {
        let _ = writeln!(o, "<h3>{}</h3>\n<ul>", esc(&d.department_name));
        for q in &d.questions {
            let mut line = format!(
                "{} {} ({} {}) — {}",
                q.id,
                q.text,
                w.asker,
                q.asker_name,
                q.follow_up_word(lang)
            );
            if let Some(note) = q.note_said(lang) {
                line = format!("{line}: {note}");
            }
            if let Some(id) = &q.register_id {
                line = format!("{line} ({} {id})", w.register_id);
            }
            let _ = writeln!(o, "<li>{}</li>", esc(&line));
        }
        o.push_str("</ul>\n");
    }
}

fn reviews(o: &mut String, m: &Minutes, w: &Words) {
    if m.reviews.is_empty() {
        return;
    }
    let lang = m.language;
    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<p>{}</p>\n<ul>",
        esc(w.reviews),
        esc(w.reviews_intro)
    );
    for r in &m.reviews {
        let _ = writeln!(
            o,
            "<li>{} <b>{}</b> {} ({} {})<br>{}: {}<br>{}: {}</li>",
            esc(&r.id),
            esc(&r.department_name),
            esc(&r.question),
            esc(w.asker),
            esc(&r.asker_name),
            esc(w.review_before),
            esc(&r.before(lang)),
            esc(w.review_after),
            esc(&r.after(lang)),
        );
    }
    o.push_str("</ul>\n");
}

fn evaluations(o: &mut String, m: &Minutes, w: &Words) {
    if m.evaluations.is_empty() {
        return;
    }
    let _ = writeln!(o, "<h2>{}</h2>", esc(w.evaluations));
    for e in &m.evaluations {
        let _ = writeln!(o, "<h3>{}</h3>", esc(&e.step));
        if !e.held {
            let _ = writeln!(o, "<p>{}</p>", esc(w.not_evaluated));
            continue;
        }
        let mut headers = vec![w.target];
        if let Some(first) = e.results.first() {
            headers.extend(first.counts.iter().map(|c| c.choice.as_str()));
        }
        headers.push(w.voters);
        let numeric: Vec<bool> = (0..headers.len()).map(|i| i > 0).collect();
        let rows: Vec<Vec<String>> = e
            .results
            .iter()
            .map(|r| {
                let mut row = vec![r.target_name.clone().unwrap_or_else(|| w.overall.into())];
                row.extend(r.counts.iter().map(|c| c.votes.to_string()));
                row.push(r.voters.to_string());
                row
            })
            .collect();
        table(o, &headers, &numeric, &rows);
    }
}

fn statistics(o: &mut String, m: &Minutes, w: &Words) {
    let lang = m.language;
    let _ = writeln!(o, "<h2>{}</h2>", esc(w.statistics));
    let rows = |rs: &[SpeakingRow], name: &dyn Fn(&SpeakingRow) -> String| -> Vec<Vec<String>> {
        rs.iter()
            .map(|r| {
                vec![
                    name(r),
                    r.turns.to_string(),
                    duration(lang, r.spoken_ms),
                    overtime(lang, r.overtime_ms),
                ]
            })
            .collect()
    };
    let numeric = [false, true, true, true];
    table(
        o,
        &[w.participant, w.turns, w.spoken, w.overtime],
        &numeric,
        &rows(&m.statistics.by_participant, &|r| r.name.clone()),
    );
    if !m.statistics.by_sector.is_empty() {
        let _ = writeln!(o, "<h3>{}</h3>", esc(w.chart_title));
        chart(o, &m.statistics.by_sector, lang);
        table(
            o,
            &[w.sector, w.turns, w.spoken, w.overtime],
            &numeric,
            &rows(&m.statistics.by_sector, &|r| r.name.clone()),
        );
    }
    table(
        o,
        &[w.role, w.turns, w.spoken, w.overtime],
        &numeric,
        &rows(&m.statistics.by_role, &|r| {
            Role::parse(&r.key).map_or(r.key.clone(), |role| role_label(lang, role).to_string())
        }),
    );
    if m.statistics.not_spoken.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", esc(w.everyone_spoke));
    } else {
        let names: Vec<&str> = m
            .statistics
            .not_spoken
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        let _ = writeln!(
            o,
            "<p><b>{}</b> {}</p>",
            esc(w.not_spoken),
            esc(&names.join(w.list_sep))
        );
    }
}

/// Horizontal bars, one per sector, as long as its speaking time.
///
/// The labels' room is measured from their text (a column of
/// `text::width` at most [`COLUMN`] pixels), so a long sector's name and a long
/// time ("1小时6分23秒") are never cut; a `viewBox` lets the chart shrink to a
/// printed page's width as a whole rather than lose its right end.
fn chart(o: &mut String, rows: &[SpeakingRow], lang: Language) {
    /// The widest a column of 13 px text draws (a CJK character is two).
    const COLUMN: u32 = 8;
    const BAR: u32 = 420;
    const ROW: u32 = 26;
    let columns = |t: &str| crate::text::width(&crate::text::shown(t)) as u32;
    let label = rows.iter().map(|r| columns(&r.name)).max().unwrap_or(0) * COLUMN + 16;
    let value = rows
        .iter()
        .map(|r| columns(&duration(lang, r.spoken_ms)))
        .max()
        .unwrap_or(0)
        * COLUMN
        + 12;
    let max = rows.iter().map(|r| r.spoken_ms).max().unwrap_or(0).max(1);
    let height = ROW * rows.len() as u32 + 8;
    let width = label + BAR + value;
    let _ = writeln!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" font-size=\"13\">"
    );

    for (i, r) in rows.iter().enumerate() {
        let y = 4 + ROW * i as u32;
        let len = (r.spoken_ms as f64 / max as f64 * BAR as f64).round() as u32;
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{label}\" y=\"{}\" width=\"{len}\" height=\"{}\" fill=\"#b22\"><title>{}</title></rect><text x=\"{}\" y=\"{}\">{}</text>",
            label - 8,
            y + 16,
            esc(&r.name),
            y + 3,
            ROW - 8,
            esc(&format!("{} {}", r.name, duration(lang, r.spoken_ms))),
            label + len + 6,
            y + 16,
            esc(&duration(lang, r.spoken_ms))
        );
    }
    o.push_str("</svg>\n");
}

use crate::text::html as esc;
