//! The catalogue of words, one per language: `src/lang/zh.toml` and
//! `src/lang/en.toml`, made into these structs by `src/build.rs` (which stops the
//! build when a key is in one language and not the other). The consoles
//! (`console`), the minutes (`minutes`) and the words shared by every view (roles,
//! step kinds, modes, how a turn came, attendance, a question's outcome) read
//! them here; the pages read the same files as `catalogue.js`.

use crate::meeting::plan::Language;

include!(concat!(env!("OUT_DIR"), "/words.rs"));

/// The words of `lang`.
pub fn of(lang: Language) -> &'static Catalogue {
    match lang {
        Language::Zh => &ZH,
        Language::En => &EN,
    }
}

/// The pages' words, as the pages import them (`catalogue.js`).
pub const PAGES_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/catalogue.js"));
