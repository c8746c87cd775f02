//! `xieshang run`: the chair's console on a meeting.

use super::chair;
use super::serving::Serving;
use super::Lang;
use crate::served::default_journal;
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
    /// Let participants join: their pages at http://ADDR/join, terminals at
    /// ws://ADDR/ws (press i in the console for their links and codes); 0.0.0.0:7878
    /// for the room's network
    #[arg(long, num_args = 0..=1, default_missing_value = "127.0.0.1:7878", value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// Resume the journal although the scenario file changed since it was started,
    /// when the change keeps every participant, role, department and step (a name,
    /// a title, the venue or a time corrected); the change is recorded in the
    /// journal. Other changes are refused, saying what differs
    #[arg(long)]
    accept_plan_change: bool,
    #[command(flatten)]
    serving: Serving,
    #[command(flatten)]
    publishing: crate::cmd::serving::Publishing,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let journal = args
        .journal
        .clone()
        .unwrap_or_else(|| default_journal(&args.plan));
    let listen = match args.listen {
        Some(addr) => Some(args.serving.listen(addr, &journal)?),
        None if args.serving.is_given() => anyhow::bail!(
            "--public-url and --tls-* are for a meeting participants join: add --listen ADDR"
        ),
        None => None,
    };
    let trust = args.serving.join_needs(&journal);
    let publish = args.publishing.config(&args.plan, &journal)?;
    chair::run(chair::Options {
        trust,
        journal: Some(journal),
        lang: args.lang.map(Into::into),
        listen,
        accept_plan_change: args.accept_plan_change,
        publish,
        ..chair::Options::new(args.plan)
    })
}
