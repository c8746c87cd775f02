//! Large digits, three rows high, for the countdown.

const DIGITS: [[&str; 3]; 10] = [
    ["█▀█", "█ █", "▀▀▀"],
    ["▀█ ", " █ ", "▀▀▀"],
    ["▀▀█", "█▀▀", "▀▀▀"],
    ["▀▀█", " ▀█", "▀▀▀"],
    ["█ █", "▀▀█", "  ▀"],
    ["█▀▀", "▀▀█", "▀▀▀"],
    ["█▀▀", "█▀█", "▀▀▀"],
    ["▀▀█", "  █", "  ▀"],
    ["█▀█", "█▀█", "▀▀▀"],
    ["█▀█", "▀▀█", "▀▀▀"],
];

/// The three rows of `text` (digits, `:`, `+`, `-`, spaces) in large type.
pub fn rows(text: &str) -> [String; 3] {
    let mut out = [String::new(), String::new(), String::new()];
    for (i, c) in text.chars().enumerate() {
        let glyph: [&str; 3] = match c {
            '0'..='9' => DIGITS[c as usize - '0' as usize],
            ':' => [" ", "▀", "▀"],
            '+' => ["   ", "▄█▄", " ▀ "],
            '-' => ["   ", "▀▀▀", "   "],
            _ => ["   ", "   ", "   "],
        };
        for (row, part) in out.iter_mut().zip(glyph) {
            if i > 0 {
                row.push(' ');
            }
            row.push_str(part);
        }
    }
    out
}

/// The same text twice as large, six rows high, in full blocks: for a projector.
pub fn rows_large(text: &str) -> [String; 6] {
    let small = rows(text);
    let mut out: [String; 6] = Default::default();
    for (r, row) in small.iter().enumerate() {
        for c in row.chars() {
            let top = matches!(c, '█' | '▀');
            let bottom = matches!(c, '█' | '▄');
            out[2 * r].push_str(if top { "██" } else { "  " });
            out[2 * r + 1].push_str(if bottom { "██" } else { "  " });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn large_rows_are_twice_as_wide_and_tall() {
        let small = super::rows("4:05");
        let large = super::rows_large("4:05");
        assert!(large
            .iter()
            .all(|r| r.chars().count() == 2 * small[0].chars().count()));
        assert!(large[0].starts_with("██  ██"), "{}", large[0]);
    }

    #[test]
    fn rows_are_equally_wide() {
        let r = super::rows("+12:05");
        assert!(r
            .iter()
            .all(|row| row.chars().count() == r[0].chars().count()));
        assert_eq!(r[0].chars().count(), 3 * 5 + 1 + 5);
    }
}
