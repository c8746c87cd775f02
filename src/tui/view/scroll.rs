//! A list taller than its room: which of its entries show, keeping the cursor in
//! sight, and how many are hidden above and below (said on a row of their own,
//! never lost without a word).

use crate::meeting::plan::Language;

/// The rows of a list of `len` entries in `rows` rows: `above` hidden before the
/// first shown (then the first row says so), `show` entries from `skip`, and
/// `below` hidden after them (then the last row says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub skip: usize,
    pub show: usize,
    pub above: usize,
    pub below: usize,
}

impl Window {
    /// The window of a list of `len` entries in `rows` rows with the cursor on
    /// entry `cursor`. With fewer than three rows there is no room for a hint:
    /// the cursor's entry shows alone.
    pub fn new(len: usize, rows: usize, cursor: usize) -> Window {
        if len <= rows {
            return Window {
                skip: 0,
                show: len,
                above: 0,
                below: 0,
            };
        }
        let cursor = cursor.min(len - 1);
        if rows < 3 {
            let skip = cursor
                .saturating_sub(rows.saturating_sub(1))
                .min(len - rows);
            return Window {
                skip,
                show: rows,
                above: 0,
                below: 0,
            };
        }
        let (skip, show) = if cursor < rows - 1 {
            (0, rows - 1)
        } else if cursor >= len - (rows - 1) {
            (len - (rows - 1), rows - 1)
        } else {
            (cursor + 1 - (rows - 2), rows - 2)
        };
        Window {
            skip,
            show,
            above: skip,
            below: len - skip - show,
        }
    }

    /// The row an entry `i` of the list is drawn on (counted from the list's
    /// first row), if it shows.
    pub fn row(&self, i: usize) -> Option<usize> {
        (self.skip..self.skip + self.show)
            .contains(&i)
            .then(|| i - self.skip + usize::from(self.above > 0))
    }

    /// The hint rows: (row, text) for the hidden ones above and below.
    pub fn hints(&self, lang: Language) -> Vec<(usize, String)> {
        let mut hints = Vec::new();
        if self.above > 0 {
            hints.push((0, more(lang, self.above, true)));
        }
        if self.below > 0 {
            let row = self.show + usize::from(self.above > 0);
            hints.push((row, more(lang, self.below, false)));
        }
        hints
    }
}

/// "↓ 还有 3 项" / "↓ 3 more".
pub(super) fn more(lang: Language, n: usize, above: bool) -> String {
    let arrow = if above { '↑' } else { '↓' };
    match lang {
        Language::Zh => format!("  {arrow} 还有 {n} 项"),
        Language::En => format!("  {arrow} {n} more"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_list_that_fits_shows_whole_and_says_nothing() {
        let w = Window::new(5, 5, 4);
        assert_eq!(
            w,
            Window {
                skip: 0,
                show: 5,
                above: 0,
                below: 0
            }
        );
        assert!(w.hints(Language::Zh).is_empty());
    }

    #[test]
    fn the_rows_lost_at_the_bottom_are_counted() {
        let w = Window::new(16, 10, 0);
        assert_eq!(
            w,
            Window {
                skip: 0,
                show: 9,
                above: 0,
                below: 7
            }
        );
        assert_eq!(
            w.hints(Language::Zh),
            vec![(9, "  ↓ 还有 7 项".to_string())]
        );
        let w = Window::new(16, 10, 15);
        assert_eq!(
            w,
            Window {
                skip: 7,
                show: 9,
                above: 7,
                below: 0
            }
        );
        assert_eq!(w.row(15), Some(9));
        assert_eq!(w.hints(Language::En), vec![(0, "  ↑ 7 more".to_string())]);
    }

    proptest! {
        #[test]
        fn the_cursor_always_shows_and_every_entry_is_counted(
            len in 0usize..60, rows in 0usize..30, cursor in 0usize..60,
        ) {
            let w = Window::new(len, rows, cursor);
            if rows >= 3 || len <= rows {
                prop_assert_eq!(w.above + w.show + w.below, len);
            }
            let hints = w.hints(Language::Zh).len();
            prop_assert!(w.show + hints <= rows.max(w.show));
            if len > 0 && rows > 0 {
                let cursor = cursor.min(len - 1);
                let row = w.row(cursor);
                prop_assert!(row.is_some());
                prop_assert!(row.unwrap() < rows);
            }
            for (row, _) in w.hints(Language::Zh) {
                prop_assert!(row < rows);
            }
        }
    }
}
