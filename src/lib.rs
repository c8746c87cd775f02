//! xieshang (协商): run live consultation meetings from a terminal.
//!
//! - [`meeting`]: the pure core — plan, commands, events, state, `decide`, `apply`.
//! - [`scenario`]: reading a scenario file: the plan, its script's cues, `check`'s summary.
//! - [`journal`]: the durable record of a meeting, one JSON line per event.
//! - [`hub`]: the one writer of a meeting; [`server`]: its port; [`served`]: both,
//!   started and stopped together.
//! - [`lang`], [`text`]: the words, and how any string is drawn.
//! - [`office`]: what happens between meetings, in the secretariat's one file
//!   (the follow-up register, 督办台账), its pages and its port.
//! - [`web`]: the pages, from one table, and the HTTP both fronts answer with.
//! - [`tui`]: the consoles (a leaf: nothing below imports it).
//! - [`cmd`]: the subcommands, one file each.
//!
//! `docs/architecture.md` has the one-page map.

#![forbid(unsafe_code)]

pub mod client;
pub mod clock;
pub mod cmd;
pub mod hub;
pub mod invitations;
pub mod journal;
pub mod keyring;
pub mod lang;
pub mod links;
pub mod logging;
pub use xieshang_meeting as meeting;
pub mod minutes;
pub mod office;
pub mod private;
pub mod program;
pub mod protocol;
pub mod qr;
pub mod recorded;
pub mod relay;
pub mod replay;
pub mod scenario;
pub mod served;
pub mod server;
pub mod signals;
pub mod simulate;
pub mod text;
pub mod tls;
pub mod tui;
pub mod web;
