//! `xieshang minutes`: the minutes (会议纪要) of a recorded meeting.

use crate::minutes::{from_journal, Format};
use std::path::PathBuf;

/// Write the minutes (会议纪要) of a recorded meeting from its journal, in the
/// plan's language: attendance, each step planned against actual time with its
/// turns, the questions and answers, follow-ups by department, the evaluation,
/// speaking statistics.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The meeting's journal, e.g. meetings/huishang-supervision.journal
    journal: PathBuf,
    /// md, json or html [default: from the -o file's extension, else md]
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write to this file instead of standard output
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Refuse unless the journal was recorded from this scenario file
    #[arg(long)]
    plan: Option<PathBuf>,
    /// Show times at this UTC offset, e.g. +08:00 [default: the plan's
    /// `utc_offset`, else +08:00, as the register's]
    #[arg(long, value_parser = crate::recorded::parse_offset, allow_hyphen_values = true)]
    utc_offset: Option<i32>,
    /// Name each follow-up by its item in this register (`followups import`)
    /// [default: meetings/register.db, when there is one]
    #[arg(long)]
    register: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let (header, mut minutes, torn) = from_journal(&args.journal, args.utc_offset)?;
    let register = args
        .register
        .or_else(|| Some(PathBuf::from(crate::office::DEFAULT_PATH)).filter(|p| p.is_file()));
    if let Some(path) = register {
        // The items' ids are the meeting's key and the question's.
        let register = crate::office::Office::open_existing(&path)?;
        let key = crate::office::followups::meeting_key(&header);
        minutes.name_follow_ups(|q| {
            let id = format!("{key}/{q}");
            register.item(&id).ok().flatten().map(|_| id)
        });
    }
    crate::recorded::check_plan(&args.journal, &header, args.plan.as_deref())?;
    if let Some(torn) = &torn {
        eprintln!("{}", crate::recorded::torn_warning(&args.journal, torn));
    }
    let format = args
        .format
        .unwrap_or_else(|| args.output.as_deref().map_or(Format::Md, Format::of_path));
    let text = format.render(&minutes);
    match args.output {
        Some(path) => std::fs::write(&path, text)
            .map_err(|e| anyhow::anyhow!("cannot write the minutes to {}: {e}", path.display())),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = out.write_all(text.as_bytes());
            Ok(())
        }
    }
}
