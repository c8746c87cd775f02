//! Every rule of the meeting core as given / when / then, with fixed times.

#[path = "../common/mod.rs"]
mod common;

mod attendance;
mod floor;
mod polls;
mod questions;
mod queue;
mod roles;
mod stats;
mod steps;
mod walk_ins;
