//! `xieshang replay`: a recorded meeting on the chair's screen, read-only.

use super::{parse_idle, parse_speed, seconds_to_ms, Lang};
use crate::tui::replay;
use std::path::PathBuf;

/// Replay a recorded meeting on the chair's screen, read-only: space plays and
/// pauses, + and - change the speed (1x to 64x), n and N jump between steps,
/// ] and [ between turns at the floor, arrows seek, 0-9 go to a tenth; ? for
/// every key.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The meeting's journal, e.g. meetings/huishang-supervision.journal
    journal: PathBuf,
    /// How many times faster than recorded (0.25 to 64; + and - change it)
    #[arg(long, default_value_t = 1.0, value_parser = parse_speed)]
    speed: f64,
    /// Shorten pauses longer than this many seconds to it
    #[arg(long, value_name = "SECONDS", value_parser = parse_idle)]
    idle_limit: Option<f64>,
    /// Language of the labels [default: the plan's]
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// Refuse unless the journal was recorded from this scenario file
    #[arg(long)]
    plan: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    replay::run(replay::Options {
        journal: args.journal,
        speed: args.speed,
        idle_limit_ms: args.idle_limit.map(seconds_to_ms),
        lang: args.lang.map(Into::into),
        plan: args.plan,
    })
}
