//! The chair's console: a terminal UI in The Elm Architecture.
//!
//! - [`app`]: the model, messages, and `update` (pure: keys in, commands out)
//! - [`keys`]: the one key table (dispatch, footer, help)
//! - [`view`]: the screen, drawn from the model (`impl Widget for &App`)
//! - [`console`]: the terminal loop that ties them to the hub
//! - [`join`]: the participant's and the projector's console, over the protocol
//! - [`replay`]: a recorded meeting played back on the same screen, read-only
//! - [`desk`]: the secretariat's follow-up register (`xieshang followups`)

pub mod app;
pub mod available;
pub mod console;
pub mod describe;
pub mod desk;
pub mod form;
pub mod join;
pub mod keys;
pub mod labels;
pub mod picker;
pub mod replay;
pub mod topic_desk;
pub mod view;
