//! A list that filters as you type: every word typed must appear in an item's text
//! (case-insensitive; Chinese characters match as typed, ids match too).
//!
//! Hand-written on purpose: fuzzy matchers (nucleo, skim) score Latin
//! subsequences, which ranks "马文静" by accident; a chair types a few characters
//! of a name or an id and wants exactly the items that contain them.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    pub text: String,
    search: String,
}

impl Item {
    pub fn new(id: &str, text: String) -> Item {
        Item {
            id: id.to_string(),
            search: format!("{} {}", id, text).to_lowercase(),
            text,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub items: Vec<Item>,
    pub query: String,
    pub cursor: usize,
}

impl Picker {
    pub fn new(items: Vec<Item>) -> Picker {
        Picker {
            items,
            query: String::new(),
            cursor: 0,
        }
    }

    /// The same list with the cursor on `id` (where it is in the list).
    pub fn at(mut self, id: &str) -> Picker {
        if let Some(i) = self.items.iter().position(|i| i.id == id) {
            self.cursor = i;
        }
        self
    }

    /// The items that match the query, in order.
    pub fn matches(&self) -> Vec<&Item> {
        let query = self.query.to_lowercase();
        let words: Vec<&str> = query.split_whitespace().collect();
        self.items
            .iter()
            .filter(|i| words.iter().all(|w| i.search.contains(w)))
            .collect()
    }

    pub fn chosen(&self) -> Option<&str> {
        self.matches().get(self.cursor).map(|i| i.id.as_str())
    }

    pub fn key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Up => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down => {
                self.cursor = (self.cursor + 1).min(self.matches().len().saturating_sub(1))
            }
            _ => {
                edit(&mut self.query, key);
                self.cursor = 0;
            }
        }
    }
}

/// Typing into a text field: characters (Chinese ones included, as the input
/// method commits them) and Backspace.
pub fn edit(text: &mut String, key: KeyEvent) {
    match key.code {
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => text.push(c),
        KeyCode::Backspace => {
            text.pop();
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(p: &mut Picker, s: &str) {
        for c in s.chars() {
            p.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    #[test]
    fn filters_by_every_word_chinese_included() {
        let mut p = Picker::new(vec![
            Item::new("m01", "马文静 委员 民建".into()),
            Item::new("m02", "李明华 委员 经济界".into()),
            Item::new("x01", "周教授 专家".into()),
        ]);
        typed(&mut p, "委员 明");
        assert_eq!(p.chosen(), Some("m02"));
        p.key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        p.key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        assert_eq!(p.matches().len(), 2);
        p.key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
        assert_eq!(p.chosen(), Some("m02"));
        typed(&mut p, " X01");
        assert!(p.matches().is_empty());
    }
}
