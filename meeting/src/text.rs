//! Which characters free text may hold. Questions, notes and everything a plan
//! writes end up on terminals, pages and printed minutes; a control character or a
//! bidirectional override in them would be an instruction to whoever draws them
//! (a terminal's title, a cleared screen, text that reads backwards), not text.
//!
//! The rule, shared by the meeting (which refuses such text) and by every view
//! (which draws such text from old journals harmlessly, `xieshang::text::shown`):
//! C0 controls except the line feed, DEL, C1 controls, and the bidirectional
//! embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069.

/// Whether `c` may not appear in free text.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first unsafe character of `s`, with its byte offset.
pub fn first_unsafe(s: &str) -> Option<(usize, char)> {
    s.char_indices().find(|&(_, c)| is_unsafe(c))
}

/// A character named for a person: `U+001B (ESC)`.
pub fn describe(c: char) -> String {
    let name = match c {
        '\t' => "TAB",
        '\r' => "CR, carriage return",
        '\u{7}' => "BEL",
        '\u{8}' => "BS, backspace",
        '\u{1b}' => "ESC, escape",
        '\u{7f}' => "DEL",
        '\u{9b}' => "CSI",
        '\u{90}' => "DCS",
        '\u{9d}' => "OSC",
        '\u{202A}' => "LRE, left-to-right embedding",
        '\u{202B}' => "RLE, right-to-left embedding",
        '\u{202C}' => "PDF, pop directional formatting",
        '\u{202D}' => "LRO, left-to-right override",
        '\u{202E}' => "RLO, right-to-left override",
        '\u{2066}' => "LRI, left-to-right isolate",
        '\u{2067}' => "RLI, right-to-left isolate",
        '\u{2068}' => "FSI, first strong isolate",
        '\u{2069}' => "PDI, pop directional isolate",
        c if (c as u32) < 0x20 => "a control character",
        _ if c.is_control() => "a C1 control character",
        _ => "a control character",
    };
    format!("U+{:04X} ({name})", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_feed_and_text_pass_controls_and_overrides_do_not() {
        assert!(first_unsafe("第一行\n第二行 with English, emoji 🙂 and 中文").is_none());
        for bad in [
            '\u{1b}', '\u{7}', '\r', '\t', '\0', '\u{7f}', '\u{9b}', '\u{85}', '\u{202e}',
            '\u{2066}',
        ] {
            let s = format!("电梯{bad}x");
            assert_eq!(first_unsafe(&s), Some(("电梯".len(), bad)), "{bad:?}");
        }
        assert!(
            !is_unsafe('\u{200d}'),
            "a zero-width joiner belongs to emoji"
        );
        assert_eq!(describe('\u{1b}'), "U+001B (ESC, escape)");
        assert_eq!(describe('\u{202e}'), "U+202E (RLO, right-to-left override)");
    }
}
