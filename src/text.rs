//! The text layer: how any string is drawn, whatever its source. Names, titles,
//! questions and notes come from plans and participants, and an old journal or
//! someone else's plan may hold what the meeting refuses today, so every view
//! (the consoles, log lines, dialogs, CLI messages, the minutes, the register's
//! and the roster's exports) draws strings through [`shown`], by the core's rule
//! (`meeting::text`): control characters, direction controls and invisible
//! characters become a visible placeholder (their Unicode control picture, `␛`
//! for ESC, else `�`), line and paragraph breaks a space, and a character
//! carrying more than `meeting::text::MAX_MARKS` combining marks keeps that many
//! and one placeholder for the rest, so that no cell holds a pile of marks that
//! spills over the lines around it. The widths below are of the text as shown,
//! in terminal columns: Chinese characters take two, marks none.

use crate::meeting::text::{is_unsafe, joins, MAX_MARKS};
use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// What stands for a character that must not be drawn.
pub const PLACEHOLDER: char = '\u{FFFD}';

/// `s` as it may be drawn on one line: line breaks (and tabs) become a space, other
/// control characters their Unicode control picture (`␛` for ESC) or `�`, the
/// direction controls and invisible characters `�`, marks past the bound one
/// `�`. Borrowed when there is nothing to change.
pub fn shown(s: &str) -> Cow<'_, str> {
    map(s, false)
}

/// [`shown`], but line feeds stay: for messages of several lines printed to a
/// terminal (a CLI's errors, the problems `check` finds).
pub fn shown_lines(s: &str) -> Cow<'_, str> {
    map(s, true)
}

fn map(s: &str, keep_lines: bool) -> Cow<'_, str> {
    let needs = |c: char| needs_mapping(c) && !(keep_lines && c == '\n');
    if !s.chars().any(needs) && !too_many_marks(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut marks = 0;
    while let Some(c) = chars.next() {
        if !needs(c) {
            if joins(c) {
                marks += 1;
                if marks > MAX_MARKS {
                    // The rest of the pile: one placeholder says it was there.
                    if marks == MAX_MARKS + 1 {
                        out.push(PLACEHOLDER);
                    }
                    continue;
                }
            } else {
                marks = 0;
            }
            out.push(c);
            continue;
        }
        marks = 0;
        out.push(match c {
            '\r' if chars.peek() == Some(&'\n') => continue,
            '\r' if keep_lines => '\n',
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' | '\u{85}' => ' ',
            // C0 controls and DEL have pictures: U+2400 + code, U+2421 for DEL.
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or(PLACEHOLDER),
            '\u{7f}' => '\u{2421}',
            _ => PLACEHOLDER,
        });
    }
    Cow::Owned(out)
}

/// Whether a drawn string would need [`shown`] (line breaks included).
fn needs_mapping(c: char) -> bool {
    is_unsafe(c) || c == '\n'
}

/// Whether some character of `s` carries more marks than it may.
fn too_many_marks(s: &str) -> bool {
    let mut marks = 0;
    s.chars().any(|c| {
        marks = if joins(c) { marks + 1 } else { 0 };
        marks > MAX_MARKS
    })
}

/// Columns `s` takes once shown.
pub fn width(s: &str) -> usize {
    shown(s).width()
}

/// `s` shown, cut to at most `max` columns, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    let s = shown(s);
    if s.width() <= max {
        return s.into_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `left` and `right` shown on one line of `width` columns, `left` cut to make room.
pub fn spread(left: &str, right: &str, total: usize) -> String {
    let right = shown(right);
    let rw = right.width();
    if rw + 1 >= total {
        return truncate(&right, total);
    }
    let left = truncate(left, total - rw - 1);
    let pad = total - left.width() - rw;
    format!("{left}{}{right}", " ".repeat(pad))
}

/// JSON text (as serde_json writes it) with every character [`shown`] would
/// not draw as it is (C0 and C1 controls, DEL, direction controls, invisible
/// characters) written as a `\uXXXX` escape: the same data to whoever parses
/// it, but nothing in it drives the terminal it is printed on. (serde_json
/// escapes C0 only; JSON's own syntax is ASCII, so such characters can only be
/// inside strings, where the escape means the same.)
pub fn json(json: &str) -> String {
    if !json.chars().any(is_unsafe) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` shown and escaped for HTML text or a quoted attribute: nothing a
/// participant or a plan wrote can open a tag, and a page printed to a terminal is
/// as harmless as one in a browser.
pub fn html(s: &str) -> String {
    let s = shown(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` cut into lines of at most `w` columns (by width, so Chinese fits).
pub fn wrap(text: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut lines = vec![String::new()];
    let mut used = 0;
    for c in shown(text).chars() {
        let cw = c.encode_utf8(&mut [0; 4]).width();
        if used + cw > w && used > 0 {
            lines.push(String::new());
            used = 0;
        }
        lines.last_mut().expect("one line at least").push(c);
        used += cw;
    }
    lines
}

/// [`wrap`], breaking where a reader would: at a space, between Chinese
/// characters, and in a link after `/`, `=`, `?` or `&` (not inside `//`),
/// so a word, a token or a command's name is never cut in two unless it alone is
/// wider than a line. The spaces a line ends at are dropped.
pub fn wrap_words(text: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let text = shown(text);
    let wide = |c: char| c.encode_utf8(&mut [0; 4]).width() > 1;
    // Pieces that end where a line may break.
    let mut pieces: Vec<String> = Vec::new();
    let mut piece = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        piece.push(c);
        let after = c == ' '
            || ("/=?&".contains(c) && next != Some('/'))
            || wide(c)
            || next.is_some_and(wide);
        if after && next != Some(' ') {
            pieces.push(std::mem::take(&mut piece));
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    let mut lines = vec![String::new()];
    for piece in pieces {
        let line = lines.last_mut().expect("one line at least");
        let used = line.width();
        let needed = piece.trim_end_matches(' ').width();
        if used > 0 && used + needed > w {
            let kept = line.trim_end_matches(' ').len();
            line.truncate(kept);
            lines.push(String::new());
        }
        let line = lines.last_mut().expect("one line at least");
        if line.width() + needed <= w {
            line.push_str(&piece);
            continue;
        }
        // Wider than a line alone: cut by width.
        for c in piece.chars() {
            let line = lines.last_mut().expect("one line at least");
            let cw = c.encode_utf8(&mut [0; 4]).width();
            if line.width() + cw > w && !line.is_empty() {
                if c == ' ' {
                    continue;
                }
                lines.push(String::new());
            }
            lines.last_mut().expect("one line at least").push(c);
        }
    }
    if let Some(last) = lines.last_mut() {
        let kept = last.trim_end_matches(' ').len();
        last.truncate(kept);
    }
    lines
}

/// A line of keys (`a 加入 · b 观众二维码 · Esc 返回`) over as many lines as it
/// takes, broken only between keys, so a key is never parted from what it does.
pub fn wrap_keys(text: &str, w: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for key in text.split(" · ") {
        match lines.last_mut() {
            Some(line) if line.width() + 3 + key.width() <= w => {
                line.push_str(" · ");
                line.push_str(key);
            }
            _ => lines.extend(wrap_words(key, w)),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_wrap_between_keys_only() {
        let keys = "↑↓ 选人 · 空格 签到（出席/迟到/早退/缺席） · a 临时加入 · Esc 返回";
        let lines = super::wrap_keys(keys, 42);
        assert_eq!(
            lines,
            [
                "↑↓ 选人 · 空格 签到（出席/迟到/早退/缺席）",
                "a 临时加入 · Esc 返回"
            ]
        );
        assert_eq!(super::wrap_keys(keys, 200), [keys]);
        assert!(super::wrap_keys(keys, 6)
            .iter()
            .all(|l| super::width(l) <= 6));
    }

    #[test]
    fn a_link_is_cut_by_width_and_nothing_is_lost() {
        let link = "https://192.168.1.23:7878/join#t=0123456789abcdef";
        let lines = super::wrap(link, 20);
        assert!(lines.iter().all(|l| l.len() <= 20));
        assert_eq!(lines.concat(), link);
        assert_eq!(super::wrap("旁听市民来了", 5), ["旁听", "市民", "来了"]);
    }

    #[test]
    fn words_links_and_commands_break_where_a_reader_would() {
        // A command: never "j / oin"; the token whole on its line when it fits.
        let command = "XIESHANG_TOKEN=0123456789abcdef xieshang join ws://127.0.0.1:7878/ws";
        let lines = super::wrap_words(command, 36);
        assert!(lines.iter().all(|l| super::width(l) <= 36), "{lines:?}");
        assert!(
            lines.iter().any(|l| l.contains("xieshang join")),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|l| l.contains("0123456789abcdef")),
            "{lines:?}"
        );
        assert_eq!(lines.join(" ").replace("= ", "="), command, "nothing lost");
        // A link breaks after its path's slash or before its token.
        let link = "http://192.168.1.23:7878/join#t=0123456789abcdef0123";
        let lines = super::wrap_words(link, 30);
        assert_eq!(
            lines,
            ["http://192.168.1.23:7878/", "join#t=0123456789abcdef0123"]
        );
        // Chinese breaks between characters, English between words.
        assert_eq!(
            super::wrap_words("旁听市民来了", 5),
            ["旁听", "市民", "来了"]
        );
        assert_eq!(
            super::wrap_words("the chair gives the floor", 10),
            ["the chair", "gives the", "floor"]
        );
        // A word wider than a line is cut, and nothing is lost.
        let long = "0123456789abcdef0123456789";
        assert_eq!(super::wrap_words(long, 10).concat(), long);
        assert!(super::wrap_words(long, 10).iter().all(|l| l.len() <= 10));
    }

    use super::*;

    #[test]
    fn chinese_counts_double() {
        assert_eq!(width("马文静"), 6);
        assert_eq!(truncate("马文静委员", 7), "马文静…");
        assert_eq!(width(&truncate("马文静委员", 7)), 7);
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(spread("马文静", "4:12", 12), "马文静  4:12");
        assert_eq!(width(&spread("很长很长很长的名字", "4:12", 12)), 12);
    }

    #[test]
    fn escapes_and_overrides_are_drawn_as_placeholders() {
        let hostile = "电梯\x1b]0;pwned\x07\x1b[2J\x1b[31mRED\u{202e}evil\r\n下一行\u{9b}1m\u{7f}";
        let s = shown(hostile);
        assert_eq!(
            s,
            "电梯␛]0;pwned␇␛[2J␛[31mRED\u{fffd}evil 下一行\u{fffd}1m␡"
        );
        assert!(!s.chars().any(|c| c.is_control()));
        assert!(matches!(shown("平常的文字 plain"), Cow::Borrowed(_)));
        assert_eq!(shown("a\tb\nc\rd"), "a b c d");
        assert_eq!(shown_lines("one\r\ntwo\x1b[2J\n"), "one\ntwo␛[2J\n");
        // Widths are of what is drawn: a placeholder takes a column.
        assert_eq!(width("a\x1bb"), 3);
        assert_eq!(truncate("a\x1b[2Jbcdef", 5), "a␛[2…");
    }

    #[test]
    fn json_escapes_what_would_drive_a_terminal_and_means_the_same() {
        let value = serde_json::json!({"q": "a\x1b]0;t\x07\u{9b}2J\u{202e}b\n中"});
        let text = json(&serde_json::to_string(&value).unwrap());
        assert!(!text.chars().any(is_unsafe), "{text}");
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn invisible_characters_show_and_a_pile_of_marks_is_cut() {
        let name = "林\u{200b}志\u{200f}远\u{61c}\u{feff}\u{e0041}\u{2028}x\u{2029}y";
        assert_eq!(
            shown(name),
            "林\u{fffd}志\u{fffd}远\u{fffd}\u{fffd}\u{fffd} x y"
        );
        let pile = format!("Ze{}x", "\u{301}".repeat(1990));
        let s = shown(&pile);
        assert_eq!(s, format!("Ze{}\u{fffd}x", "\u{301}".repeat(4)));
        assert_eq!(width(&pile), 4, "Z, e with four marks, the placeholder, x");
        // Text that needs its joiners keeps them, borrowed.
        for good in [
            "Nguye\u{302}\u{303}n",
            "👨\u{200d}👩\u{200d}👧",
            "ཀྐྵྨྻ",
            "葛\u{e0100}",
        ] {
            assert!(matches!(shown(good), Cow::Borrowed(_)), "{good}");
        }
        assert_eq!(width(&format!("e{}", "\u{301}".repeat(4))), 1);
    }

    #[test]
    fn html_text_cannot_open_a_tag() {
        assert_eq!(
            html("<script>\"x\" & 'y'"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;"
        );
        assert_eq!(html("a\x1b]0;t\x07\nb\u{202e}"), "a␛]0;t␇ b\u{fffd}");
    }
}
