//! Every integration test of the binary and the library, as modules of one
//! target: one link of the whole crate instead of one per file. Run a part with
//! its module's name, `cargo test --test all tmux::`.

mod common;

mod browser;
mod cli;
mod console;
mod demo_loop;
mod docs;
mod fold;
mod hostile_text;
mod hostile_wire;
mod invitations;
mod join;
mod journal;
mod minutes;
mod office;
mod pages;
mod plan_change;
mod properties;
mod purity;
mod record;
mod refusals;
mod relay;
mod relay_hostile;
mod replay;
mod restart;
mod resume;
mod review;
mod scenarios;
mod server;
mod simulate;
mod stopping;
mod tls;
mod tmux;
