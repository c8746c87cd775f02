//! `xieshang run`: the chair's console on a meeting.

use super::Lang;
use crate::served::Listen;
use crate::tui::console;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Run a meeting from the chair's console. The meeting is recorded in a journal as
/// it happens; running the same plan again resumes it where it stopped.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML) that plans the meeting, e.g. scenarios/huishang-supervision.toml
    plan: PathBuf,
    /// Where the meeting is recorded [default: meetings/<plan name>.journal]
    #[arg(long)]
    journal: Option<PathBuf>,
    /// Language of the console's labels [default: the plan's `language`]
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// Let participants join over websockets at ws://ADDR/ws (press i in the
    /// console for their tokens)
    #[arg(long, num_args = 0..=1, default_missing_value = "127.0.0.1:7878", value_name = "ADDR")]
    listen: Option<SocketAddr>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    console::run(console::Options {
        journal: args.journal,
        lang: args.lang.map(Into::into),
        listen: args.listen.map(Listen::at),
        ..console::Options::new(args.plan)
    })
}
