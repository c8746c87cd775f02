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

#[cfg(test)]
mod tests {
    #[test]
    fn rows_are_equally_wide() {
        let r = super::rows("+12:05");
        assert!(r
            .iter()
            .all(|row| row.chars().count() == r[0].chars().count()));
        assert_eq!(r[0].chars().count(), 3 * 5 + 1 + 5);
    }
}
