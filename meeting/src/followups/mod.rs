//! The follow-up register's rules (督办台账): every promise made in a meeting
//! followed to its delivery. Pure like the meeting's: `rules::decide` turns a
//! command on an item into a change, `rules::apply` folds it in, and how late an
//! item is (`rules::standing`) is worked out from a time it is given. The store
//! (SQLite) and the import from journals live in the application
//! (`xieshang::register`).

pub mod date;
pub mod item;
pub mod rules;

pub use date::Date;
pub use item::{Actor, AnswerClass, Item, ItemState, Rating};
pub use rules::{apply, decide, standing, Change, Command, Ctx, Refusal, Standing};
