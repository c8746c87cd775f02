//! `xieshang simulate`: a scenario played headless with its script and an
//! automatic chair, to the end.

use super::parse_sim_speed;
use std::path::PathBuf;

/// Run a scenario headless with its script and an automatic chair, to the end,
/// as fast as asked, leaving its journal (for tests, benchmarks and minutes).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML), with [[script]] entries
    plan: PathBuf,
    /// Where to record the meeting (a new file)
    #[arg(long)]
    journal: PathBuf,
    /// How many times faster than life (up to 10000)
    #[arg(long, default_value_t = 100.0, value_parser = parse_sim_speed)]
    speed: f64,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    super::log_to_stderr();
    let loaded = super::plan::load(&args.plan)?;
    for warning in &loaded.warnings {
        eprintln!("{}", crate::text::shown(warning));
    }
    let done = crate::simulate::simulate(loaded.scenario, &args.journal, args.speed)?;
    println!(
        "simulated {} events, {} of meeting in {:.1} s; recorded in {}",
        done.events,
        crate::lang::clock(done.meeting_ms),
        done.real.as_secs_f64(),
        args.journal.display()
    );
    println!(
        "  minutes: {} minutes {}",
        crate::program::invocation(),
        args.journal.display()
    );
    Ok(())
}
