//! Every rule of the meeting core as given / when / then, with fixed times, and
//! the follow-up register's rules (`followup`): the core's own tests, built
//! with nothing but the core (`cargo test -p xieshang-meeting`).

mod common;

mod attendance;
mod floor;
mod followups;
mod polls;
mod questions;
mod queue;
mod roles;
mod stats;
mod steps;
mod topics;
mod walk_ins;
