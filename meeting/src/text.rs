//! Which characters free text may hold, and how long it is. Questions, notes,
//! names and everything a plan writes end up on terminals, pages and printed
//! minutes; a control character or a bidirectional override in them would be an
//! instruction to whoever draws them (a terminal's title, a cleared screen, text
//! that reads backwards), not text; an invisible character makes two names that
//! look the same differ (or a name look empty); a pile of combining marks on
//! one letter spills over the lines above and below it.
//!
//! The rule, shared by the meeting and the register (which refuse such text,
//! naming the character and where it is), the scenario loader and the roster's
//! import (which refuse it in a file), and every view (which draws such text
//! from old journals and files from elsewhere harmlessly, `xieshang::text`):
//!
//! - **Unsafe** ([`is_unsafe`]): C0 controls except the line feed, DEL, C1
//!   controls; the direction controls (embeddings, overrides and isolates
//!   U+202A–U+202E and U+2066–U+2069, the marks LRM U+200E, RLM U+200F and ALM
//!   U+061C); and the invisible characters: the line and paragraph separators
//!   U+2028 and U+2029, the zero-width space U+200B, the word joiner and
//!   invisible operators U+2060–U+2065, the byte-order mark U+FEFF, the soft
//!   hyphen U+00AD, the combining grapheme joiner U+034F, the Mongolian vowel
//!   separator U+180E, the Khmer inherent vowels U+17B4–U+17B5, the Hangul
//!   fillers U+115F, U+1160, U+3164, U+FFA0, the deprecated format characters
//!   U+206A–U+206F, the interlinear annotation characters U+FFF9–U+FFFB, the
//!   Egyptian, shorthand and musical format controls, and the tag characters
//!   U+E0000–U+E007F with the rest of that plane but the variation selectors.
//!   (A subdivision flag, 🏴 and tags, is refused with them: it is the one use
//!   of tags, and it is shown as the black flag it falls back to.) A view shows
//!   each as a visible placeholder (`␛` for ESC, `�` otherwise), and a line or
//!   paragraph separator as a space, so that what was written is seen to be
//!   there.
//! - **Marks**: a character may carry at most [`MAX_MARKS`] joining characters
//!   ([`joins`]: combining marks, variation selectors, emoji modifiers, the
//!   zero-width joiner and non-joiner); one more is refused, and a view shows
//!   the first [`MAX_MARKS`] and one placeholder for the rest.
//! - **Length** ([`length`]) is counted in what a person sees: a letter with
//!   its marks is one, an emoji sequence joined by zero-width joiners is one, a
//!   flag's two regional indicators are one; not bytes, not code points.
//!
//! Zero-width joiners and non-joiners, variation selectors (an emoji's, a CJK
//! ideograph's, Mongolian's free variation selectors) and combining marks are
//! text: they are kept, within the bound.

mod joining;

/// The most joining characters ([`joins`]) one character may carry: enough for
/// Vietnamese, Thai, Tibetan stacks, pointed Hebrew, an emoji with its
/// presentation selector and skin tone.
pub const MAX_MARKS: usize = 4;

/// Whether `c` may not appear in free text: a control, a direction control, or
/// an invisible character (the module's rule).
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n') || is_direction(c) || is_invisible(c)
}

/// The direction controls: embeddings, overrides, isolates and marks.
fn is_direction(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Characters that show nothing (or nothing a reader could tell apart) and
/// are no part of any text a meeting needs.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{2060}'..='\u{2065}'
            | '\u{206A}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E00FF}'
            | '\u{E01F0}'..='\u{E0FFF}'
    )
}

/// Whether `c` joins the character before it as a reader sees it: a combining
/// mark, a variation selector, an emoji modifier, a zero-width joiner or
/// non-joiner, a Hangul vowel or final.
pub fn joins(c: char) -> bool {
    let c = c as u32;
    // Latin-1, and the CJK ideographs, kana and Hangul syllables between the
    // kana's marks and Cyrillic's extended ones: most of what a meeting writes.
    if c < 0x300 || (0x309B..0xA66F).contains(&c) || (0xAC00..0xD7B0).contains(&c) {
        return false;
    }
    joining::JOINING
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

const ZWJ: char = '\u{200D}';

fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1F1E6}'..='\u{1F1FF}')
}

/// How many characters a person sees in `s`: a character with what joins it
/// ([`joins`]) is one, as is an emoji sequence joined by zero-width joiners and
/// a flag's pair of regional indicators (Unicode's grapheme clusters, near
/// enough for a limit). Unsafe characters count as one each, as shown.
pub fn length(s: &str) -> usize {
    let mut n = 0;
    let mut after_zwj = false;
    let mut open_flag = false;
    for c in s.chars() {
        if joins(c) && !is_unsafe(c) && n > 0 {
            after_zwj = c == ZWJ;
            continue;
        }
        if std::mem::take(&mut after_zwj) {
            continue;
        }
        if is_regional_indicator(c) {
            open_flag = !open_flag;
            if !open_flag {
                continue;
            }
        } else {
            open_flag = false;
        }
        n += 1;
    }
    n
}

/// The first character of `s` that may not be there, with its byte offset: an
/// unsafe one, or one more joining character than a character may carry.
pub fn first_unsafe(s: &str) -> Option<(usize, char)> {
    let mut marks = 0;
    for (at, c) in s.char_indices() {
        if is_unsafe(c) {
            return Some((at, c));
        }
        if joins(c) {
            marks += 1;
            if marks > MAX_MARKS {
                return Some((at, c));
            }
        } else {
            marks = 0;
        }
    }
    None
}

/// A character named for a person: `U+001B (ESC, escape)`. For a joining
/// character (which [`first_unsafe`] names only when it is one too many), says
/// so.
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
        '\u{200E}' => "LRM, left-to-right mark, invisible",
        '\u{200F}' => "RLM, right-to-left mark, invisible",
        '\u{061C}' => "ALM, Arabic letter mark, invisible",
        '\u{200B}' => "ZWSP, zero-width space, invisible",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\u{FEFF}' => "BOM, byte-order mark, invisible",
        '\u{00AD}' => "soft hyphen, invisible",
        '\u{2060}' => "word joiner, invisible",
        '\u{E0000}'..='\u{E007F}' => "a tag character, invisible",
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => "a Hangul filler, invisible",
        c if (c as u32) < 0x20 => "a control character",
        c if c.is_control() => "a C1 control character",
        c if joins(c) && !is_unsafe(c) => {
            return format!(
                "U+{:04X} (a mark more than the {MAX_MARKS} one character may carry)",
                c as u32
            )
        }
        _ => "an invisible formatting character",
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

    #[test]
    fn invisible_characters_are_unsafe_and_text_that_needs_joiners_is_not() {
        for bad in [
            '\u{200f}',
            '\u{200e}',
            '\u{61c}',
            '\u{2028}',
            '\u{2029}',
            '\u{200b}',
            '\u{feff}',
            '\u{e0041}',
            '\u{e007f}',
            '\u{e0001}',
            '\u{2060}',
            '\u{ad}',
            '\u{3164}',
            '\u{115f}',
            '\u{34f}',
        ] {
            let s = format!("林{bad}志远");
            assert_eq!(first_unsafe(&s), Some(("林".len(), bad)), "{bad:?}");
            assert!(!describe(bad).is_empty());
        }
        for good in [
            "Nguyễn Thị Minh Khai", // decomposed below
            "Nguye\u{302}\u{303}n",
            "👨\u{200d}👩\u{200d}👧\u{200d}👦",
            "👍🏽",
            "❤\u{fe0f}",
            "葛\u{e0100}",
            "ᠮᠣᠩᠭᠣᠯ\u{180b}",
            "می\u{200c}خواهم",
            "ཀྐྵྨྻ",
            "🇨🇳",
        ] {
            assert_eq!(first_unsafe(good), None, "{good}");
        }
    }

    #[test]
    fn a_character_carries_at_most_four_marks() {
        let four = format!("e{}", "\u{301}".repeat(4));
        assert_eq!(first_unsafe(&four), None);
        let pile = format!("Ze{}x", "\u{301}".repeat(1990));
        assert_eq!(first_unsafe(&pile), Some((1 + 1 + 4 * 2, '\u{301}')));
        assert!(
            describe('\u{301}').contains("more than the 4"),
            "{}",
            describe('\u{301}')
        );
        // Marks on separate letters are each within the bound.
        let many = "e\u{301}\u{302}".repeat(500);
        assert_eq!(first_unsafe(&many), None);
    }

    #[test]
    fn length_is_what_a_person_sees() {
        assert_eq!(length("马文静"), 3);
        assert_eq!(length("Nguye\u{302}\u{303}n"), 6);
        assert_eq!(length(&format!("e{}", "\u{301}".repeat(1990))), 1);
        assert_eq!(length("👨\u{200d}👩\u{200d}👧\u{200d}👦"), 1);
        assert_eq!(length("👍🏽❤\u{fe0f}"), 2);
        assert_eq!(length("🇨🇳🇬🇧"), 2);
        assert_eq!(length("한국어"), 3);
        assert_eq!(length("\u{1100}\u{1161}\u{11a8}"), 1, "conjoining jamo");
        assert_eq!(length(""), 0);
        // Unsafe characters count as they are shown: one placeholder each.
        assert_eq!(length("a\u{200b}b"), 3);
        assert_eq!(length("\u{301}a"), 2, "a mark with nothing before it");
    }

    #[test]
    fn the_joining_table_is_sorted_and_knows_the_usual_marks() {
        assert!(joining::JOINING.windows(2).all(|w| w[0].1 < w[1].0));
        for c in [
            '\u{301}',
            '\u{94d}',
            '\u{e3a}',
            '\u{fe0f}',
            '\u{1f3fb}',
            ZWJ,
            '\u{200c}',
        ] {
            assert!(joins(c), "{c:?}");
        }
        for c in ['a', '马', '🙂', '\u{1f1e6}', ' ', '한', 'ア'] {
            assert!(!joins(c), "{c:?}");
        }
        // The shortcuts agree with the table.
        for c in (0x309Bu32..0xA66F).chain(0xAC00..0xD7B0) {
            let in_table = joining::JOINING
                .iter()
                .any(|&(lo, hi)| (lo..=hi).contains(&c));
            assert!(!in_table, "U+{c:04X}");
        }
    }
}
