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

/// Opens the journal (refusing another plan's), then plays it on the terminal
/// until the viewer quits or a signal comes.
pub fn run(args: Args) -> anyhow::Result<()> {
    let journal = &args.journal;
    let opened = crate::replay::open(journal, args.idle_limit.map(seconds_to_ms))?;
    crate::recorded::check_plan(journal, &opened.header, args.plan.as_deref())?;
    crate::tui::console::needs_a_terminal(
        "replay",
        "use xieshang minutes JOURNAL for the record as text",
    )?;
    let lang = args
        .lang
        .map(Into::into)
        .unwrap_or(opened.timeline.plan().meeting.language);
    let mut player = replay::Player::new(
        opened.timeline,
        lang,
        journal.display().to_string(),
        args.speed,
    );
    player.app.utc_offset_s = crate::recorded::local_offset_s(opened.header.created_at_ms);
    if let Some(torn) = &opened.torn {
        player.warn(crate::recorded::torn_warning(journal, torn));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let stop = crate::signals::Stop::listen_with_hangup()?;
        replay::drive(player, async move {
            stop.requested().await;
        })
        .await
    })
}
