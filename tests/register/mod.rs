//! The follow-up register: its rules, pure, with fixed times (`rules`), and its
//! store, import and command line (`store`).

mod desk;
mod pages;
mod rules;
pub mod store;
mod web;
