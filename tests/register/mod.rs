//! The follow-up register: its store, import and command line (`store`); its
//! rules, pure, are the core's own tests (`meeting/tests/rules/followup.rs`).

mod desk;
mod pages;
pub mod store;
mod web;
