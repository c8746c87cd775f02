//! The follow-up register: its store, import and command line (`store`); its
//! rules, pure, are the core's own tests (`meeting/tests/rules/followup.rs`).

mod dashboard_words;
mod desk;
mod identity;
mod pages;
mod roster;
pub mod store;
mod topic_pages;
mod topics;
mod web;
