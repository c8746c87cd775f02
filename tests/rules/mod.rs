//! Every rule of the meeting core as given / when / then, with fixed times.

mod attendance;
mod floor;
mod polls;
mod questions;
mod queue;
mod roles;
mod stats;
mod steps;
mod walk_ins;
