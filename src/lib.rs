//! xieshang (协商): run live consultation meetings from a terminal.
//!
//! - [`meeting`]: the pure core — plan, commands, events, state, `decide`, `apply`.
//! - [`journal`]: the durable record of a meeting, one JSON line per event.
//! - [`check`]: `xieshang check`, validating scenario files.
//!
//! `docs/architecture.md` has the one-page map.

#![forbid(unsafe_code)]

pub mod check;
pub mod client;
pub mod clock;
pub mod hub;
pub mod journal;
pub mod lang;
pub mod meeting;
pub mod minutes;
pub mod protocol;
pub mod recorded;
pub mod replay;
pub mod serve;
pub mod server;
pub mod simulate;
pub mod text;
pub mod tui;
