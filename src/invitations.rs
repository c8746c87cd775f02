//! Printed invitation cards: one A4 page (six cards a sheet, dashed cut lines)
//! with, on each card, the meeting, the participant, their join link as a QR code
//! and in text, and a line saying the card is theirs alone. In the plan's
//! language; every name from the plan escaped.
//!
//! The cards carry the tokens of the journal they are printed for, so the codes
//! open the meeting that will run; the page is as secret as the tokens file.

use crate::lang::role as role_label;
use crate::links::Links;
use crate::meeting::plan::{Language, Participant, Plan, Role};
use crate::qr::Qr;
use crate::server::Tokens;
use crate::text::html as esc;
use std::fmt::Write;

/// Cards on one A4 sheet: two across, three down.
pub const PER_SHEET: usize = 6;

/// One participant's card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub id: String,
    pub name: String,
    /// Role, and department or sector when there is one.
    pub who: String,
    pub link: String,
}

/// The cards of `plan`'s participants in plan order, those of `only`'s roles
/// when it is not empty.
pub fn cards(plan: &Plan, tokens: &Tokens, links: &Links, only: &[Role]) -> Vec<Card> {
    let lang = plan.meeting.language;
    plan.participants
        .iter()
        .filter(|p| only.is_empty() || only.contains(&p.role))
        .filter_map(|p| {
            Some(Card {
                id: p.id.clone(),
                name: p.name.clone(),
                who: who(plan, lang, p),
                link: links.join(&tokens.of(&p.id)?),
            })
        })
        .collect()
}

fn who(plan: &Plan, lang: Language, p: &Participant) -> String {
    let role = role_label(lang, p.role);
    let place = p
        .department
        .as_deref()
        .map(|d| plan.department(d).map_or(d, |d| d.name.as_str()))
        .or(p.sector.as_deref());
    match place {
        Some(place) => format!("{role} · {place}"),
        None => role.to_string(),
    }
}

/// The cards' words (`[invitations]` in the catalogue).
fn words(lang: Language) -> &'static crate::lang::catalogue::Invitations {
    &crate::lang::catalogue::of(lang).invitations
}

const STYLE: &str = "@page{size:A4;margin:0}\
*{box-sizing:border-box}\
body{margin:0;font-family:system-ui,'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;color:#000;background:#ddd}\
.hint{max-width:210mm;margin:6mm auto;font-size:11pt}\
.sheet{width:210mm;height:297mm;margin:0 auto 6mm;padding:12mm;background:#fff;display:grid;grid-template-columns:repeat(2,93mm);grid-auto-rows:91mm;align-content:start;break-after:page;page-break-after:always}\
.sheet:last-child{break-after:auto;page-break-after:auto}\
.card{position:relative;border:.3mm dashed #777;margin:0 -.15mm -.15mm 0;padding:4mm 5mm;display:flex;flex-direction:column;overflow:hidden}\
.meeting{font-size:8.5pt;line-height:1.3;color:#333;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden;overflow-wrap:anywhere}\
.when{font-size:7.5pt;color:#333;margin-top:.5mm;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}\
.body{display:flex;gap:3mm;align-items:center;margin-top:2mm;flex:1;min-height:0}\
.qr{width:40mm;height:40mm;flex:none}.qr svg{width:100%;height:100%;display:block}\
.person{min-width:0;flex:1}\
.inv{font-size:7.5pt;letter-spacing:.1em;color:#a00}\
.name{font-size:15pt;font-weight:700;line-height:1.25;overflow-wrap:anywhere;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}\
.who{font-size:9pt;margin-top:1mm;overflow-wrap:anywhere}\
.scan{font-size:7pt;color:#333;margin-top:2mm}\
.link{font:6.5pt/1.25 ui-monospace,'DejaVu Sans Mono',monospace;overflow-wrap:anywhere;word-break:break-all}\
.personal{font-size:7pt;line-height:1.3;margin-top:1.5mm;border-top:.2mm solid #999;padding-top:1mm}\
@media print{body{background:none}.hint{display:none}.sheet{margin:0}}";

/// What a sheet of cards says around the cards.
pub struct Sheet<'a> {
    pub lang: Language,
    /// The top line of every card (the meeting, the register).
    pub title: &'a str,
    /// The line under it (date and venue), may be empty.
    pub when: &'a str,
    /// The card's kind, in red above the name.
    pub kind: &'a str,
    /// Above the link.
    pub scan: &'a str,
    /// The card's last line: whose it is.
    pub personal: &'a str,
    /// The hint above the sheets, not printed.
    pub print: &'a str,
}

/// The printable page of `cards` for `plan`'s meeting.
pub fn page(plan: &Plan, cards: &[Card]) -> Result<String, String> {
    let lang = plan.meeting.language;
    let w = words(lang);
    let m = &plan.meeting;
    let mut when = Vec::new();
    if let Some(d) = &m.date {
        when.push(format!("{} {}", w.date, d));
    }
    if let Some(v) = &m.venue {
        when.push(format!("{} {}", w.venue, v));
    }
    sheets(
        &Sheet {
            lang,
            title: &m.title,
            when: &when.join(" · "),
            kind: w.invitation,
            scan: w.scan,
            personal: w.personal,
            print: w.print,
        },
        cards,
    )
}

/// The printable page of `cards`, six to an A4 sheet, everything escaped.
pub fn sheets(sheet: &Sheet<'_>, cards: &[Card]) -> Result<String, String> {
    let when = esc(sheet.when);
    let title = esc(sheet.title);
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"referrer\" content=\"no-referrer\">\n<title>{} · {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
<p class=\"hint\">{}</p>\n",
        if sheet.lang == Language::Zh { "zh-CN" } else { "en" },
        esc(sheet.kind),
        esc(sheet.print),
    );
    for chunk in cards.chunks(PER_SHEET) {
        o.push_str("<section class=\"sheet\">\n");
        for card in chunk {
            let qr = Qr::for_paper(&card.link)?;
            let _ = writeln!(
                o,
                "<article class=\"card\" data-id=\"{}\">\
<div class=\"meeting\">{title}</div><div class=\"when\">{when}</div>\
<div class=\"body\"><div class=\"qr\">{}</div><div class=\"person\">\
<div class=\"inv\">{}</div><div class=\"name\">{}</div><div class=\"who\">{}</div></div></div>\
<div class=\"scan\">{}</div><div class=\"link\">{}</div>\
<div class=\"personal\">{}</div></article>",
                esc(&card.id),
                qr.svg(&card.name),
                esc(sheet.kind),
                esc(&card.name),
                esc(&card.who),
                esc(sheet.scan),
                esc(&card.link),
                esc(sheet.personal),
            );
        }
        o.push_str("</section>\n");
    }
    o.push_str("</body>\n</html>\n");
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        crate::scenario::parse(
            "plan.toml",
            r#"
[meeting]
title = "<b>旧改</b>协商"
language = "zh"
date = "2026-12-01"
venue = "社区会议室"

[[departments]]
id = "fgj"
name = "市房管局"

[[participants]]
id = "chair"
name = "黄主席"
role = "chair"

[[participants]]
id = "d1"
name = "副局长"
role = "department"
department = "fgj"

[[participants]]
id = "p1"
name = "吴阿姨<script>alert(1)</script>"
role = "public"
sector = "居民"

[[agenda]]
title = "议题"
[[agenda.steps]]
kind = "discuss"
title = "讨论"
duration = "5m"
"#,
        )
        .unwrap()
        .plan
    }

    #[test]
    fn a_card_for_each_participant_with_the_links_of_the_journals_tokens() {
        let plan = plan();
        let tokens = Tokens::generated(&plan).unwrap();
        let links = Links::at("https://10.0.0.2:7878");
        let all = cards(&plan, &tokens, &links, &[]);
        assert_eq!(all.len(), 3);
        assert_eq!(all[1].who, "部门 · 市房管局");
        assert_eq!(all[2].who, "群众 · 居民");
        for card in &all {
            let token = tokens.of(&card.id).unwrap();
            assert_eq!(card.link, format!("https://10.0.0.2:7878/join#t={token}"));
        }
        let only = cards(&plan, &tokens, &links, &[Role::Department]);
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].id, "d1");
    }

    #[test]
    fn the_page_escapes_everything_the_plan_wrote() {
        let plan = plan();
        let tokens = Tokens::generated(&plan).unwrap();
        let all = cards(&plan, &tokens, &Links::at("http://h"), &[]);
        let page = page(&plan, &all).unwrap();
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(!page.contains("<b>旧改"));
        assert!(page.contains("&lt;b&gt;旧改&lt;/b&gt;协商"));
        assert_eq!(page.matches("<article class=\"card\"").count(), 3);
        assert_eq!(page.matches("<svg").count(), 3);
        assert!(page.contains("时间 2026-12-01 · 地点 社区会议室"));
        assert!(page.contains("此卡仅限本人使用"));
    }

    #[test]
    fn six_cards_a_sheet() {
        let plan = plan();
        let tokens = Tokens::generated(&plan).unwrap();
        let one = cards(&plan, &tokens, &Links::at("http://h"), &[]);
        let many: Vec<Card> = one.iter().cycle().take(13).cloned().collect();
        let page = page(&plan, &many).unwrap();
        assert_eq!(page.matches("<section class=\"sheet\">").count(), 3);
    }
}
