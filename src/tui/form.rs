//! A form of the office's consoles (the register's desk, the topics'): text
//! fields filled one after another, Enter to the next and on the last to
//! send, Esc to leave; each console says what a filled form becomes.

use crossterm::event::{KeyCode, KeyEvent};

/// The longest a field may grow, in characters.
const MOST: usize = 2000;

/// A form: what is asked (`key`, of `id`), field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form<K> {
    pub key: K,
    pub id: String,
    pub fields: Vec<(&'static str, String)>,
    pub at: usize,
    pub error: Option<&'static str>,
}

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edited {
    /// Esc: the form is to be closed.
    Left,
    Editing,
    /// Enter on the last field: the form is to be sent.
    Filled,
}

impl<K> Form<K> {
    /// A form asking `labels` in turn, each empty.
    pub fn new(key: K, id: String, labels: Vec<&'static str>) -> Form<K> {
        Form {
            key,
            id,
            fields: labels.into_iter().map(|l| (l, String::new())).collect(),
            at: 0,
            error: None,
        }
    }

    /// The trimmed text of field `i`.
    pub fn field(&self, i: usize) -> String {
        self.fields[i].1.trim().to_string()
    }

    /// Types `key` into the field being filled (a control character never).
    pub fn edit(&mut self, key: KeyEvent) -> Edited {
        match key.code {
            KeyCode::Esc => return Edited::Left,
            KeyCode::Backspace => {
                self.fields[self.at].1.pop();
                self.error = None;
            }
            KeyCode::Char(c) if !c.is_control() => {
                let field = &mut self.fields[self.at].1;
                if field.chars().count() < MOST {
                    field.push(c);
                }
                self.error = None;
            }
            KeyCode::Enter if self.at + 1 < self.fields.len() => self.at += 1,
            KeyCode::Enter => return Edited::Filled,
            _ => {}
        }
        Edited::Editing
    }

    /// Field `at` is wrong, for `why`: the form goes back to it.
    pub fn refuse(&mut self, at: usize, why: &'static str) {
        self.at = at;
        self.error = Some(why);
    }
}
