//! Width-aware text: Chinese characters take two columns in a terminal.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn width(s: &str) -> usize {
    s.width()
}

/// Cuts `s` to at most `max` columns, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
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

/// `left` and `right` on one line of `width` columns, `left` cut to make room.
pub fn spread(left: &str, right: &str, total: usize) -> String {
    let rw = right.width();
    if rw + 1 >= total {
        return truncate(right, total);
    }
    let left = truncate(left, total - rw - 1);
    let pad = total - left.width() - rw;
    format!("{left}{}{right}", " ".repeat(pad))
}

#[cfg(test)]
mod tests {
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
}
