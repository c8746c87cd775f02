//! The minutes' words in Chinese and English (`[minutes]` in the catalogue,
//! `src/lang/zh.toml`, `en.toml`): the plan's language decides.

use crate::meeting::plan::Language;

/// The minutes' words (`[minutes]` in the catalogue).
pub type Words = crate::lang::catalogue::Minutes;

pub fn words(lang: Language) -> &'static Words {
    &crate::lang::catalogue::of(lang).minutes
}

pub use crate::lang::status;

/// Overtime for a table cell: a dash when under a second.
pub fn overtime(lang: Language, ms: u64) -> String {
    if ms >= 1000 {
        duration(lang, ms)
    } else {
        "—".to_string()
    }
}

/// `1小时5分20秒` / `1 h 5 min 20 s`, whole seconds, no zero parts (but `0秒`).
pub fn duration(lang: Language, ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    let units: [&str; 3] = match lang {
        Language::Zh => ["小时", "分", "秒"],
        Language::En => [" h", " min", " s"],
    };
    let sep = if lang == Language::En { " " } else { "" };
    let parts: Vec<String> = [h, m, s]
        .iter()
        .zip(units)
        .filter(|(n, _)| **n > 0)
        .map(|(n, u)| format!("{n}{u}"))
        .collect();
    if parts.is_empty() {
        format!("0{}", units[2])
    } else {
        parts.join(sep)
    }
}

/// How someone's attendance is known, in a word (beside their name).
pub fn known(lang: Language, known: super::Known) -> &'static str {
    use super::Known;
    use crate::meeting::attendance::Attendance;
    match (lang, known) {
        (Language::Zh, Known::Marked(Attendance::Present)) => "签到",
        (Language::Zh, Known::Marked(Attendance::Late)) => "迟到",
        (Language::Zh, Known::Marked(Attendance::LeftEarly)) => "早退",
        (Language::Zh, Known::Marked(Attendance::Absent)) => "记为缺席",
        (Language::Zh, Known::Connected) => "在线",
        (Language::Zh, Known::TookPart) => "参与",
        (Language::En, Known::Marked(Attendance::Present)) => "checked in",
        (Language::En, Known::Marked(Attendance::Late)) => "late",
        (Language::En, Known::Marked(Attendance::LeftEarly)) => "left early",
        (Language::En, Known::Marked(Attendance::Absent)) => "marked absent",
        (Language::En, Known::Connected) => "connected",
        (Language::En, Known::TookPart) => "took part",
    }
}

/// What the words beside names mean.
pub fn known_legend(lang: Language) -> &'static str {
    match lang {
        Language::Zh => "出席依据：签到、迟到、早退、记为缺席为主持人所记；在线为连接会议；参与为发言、提问、投票或主持。",
        Language::En => "How attendance is known: checked in, late, left early and marked absent are the chair's marks; connected means they joined the meeting; took part, that they spoke, asked, voted or chaired.",
    }
}

/// A list of people, each with how their attendance is known.
pub fn named_with_known(lang: Language, people: &[super::Person], sep: &str) -> String {
    people
        .iter()
        .map(|p| match p.known {
            Some(k) if lang == Language::Zh => format!("{}（{}）", p.name, known(lang, k)),
            Some(k) => format!("{} ({})", p.name, known(lang, k)),
            None => p.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(Language::Zh, 0), "0秒");
        assert_eq!(duration(Language::Zh, 3_725_000), "1小时2分5秒");
        assert_eq!(duration(Language::Zh, 120_999), "2分");
        assert_eq!(duration(Language::En, 65_000), "1 min 5 s");
    }
}
