//! The console's words in Chinese and English: the catalogue's `[console]`
//! (`src/lang/zh.toml`, `en.toml`). Every string a person reads on the console
//! comes from there, so a layout test with one language covers the other.

use crate::meeting::plan::Language;

/// The console's words (`[console]` in the catalogue).
pub type Labels = crate::lang::catalogue::Console;

pub fn labels(lang: Language) -> &'static Labels {
    &crate::lang::catalogue::of(lang).console
}

pub use crate::lang::{clock, mode, role, step_kind};
