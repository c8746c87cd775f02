//! The subcommands, one file each: its arguments (clap) and what it does. The
//! binary (`main.rs`) is the command line and nothing more.

pub mod chair;
pub mod check;
pub mod demo;
pub mod followups;
pub mod invitations;
pub mod join;
pub mod minutes;
pub mod plan;
pub mod relay;
pub mod replay;
pub mod roster;
pub mod run;
pub mod serve;
pub mod serving;
pub mod simulate;
pub mod topic_desk;
pub mod topics;

use crate::meeting::plan::Language;

/// `--lang`: the language of a console's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// 中文
    Zh,
    /// English
    En,
}

impl From<Lang> for Language {
    fn from(l: Lang) -> Language {
        match l {
            Lang::Zh => Language::Zh,
            Lang::En => Language::En,
        }
    }
}

/// A replay's speed: 0.25 to 64 (`8` or `8x`).
pub fn parse_speed(s: &str) -> Result<f64, String> {
    speed_up_to(s, 64.0)
}

/// A simulation's speed: 0.25 to 10000.
pub fn parse_sim_speed(s: &str) -> Result<f64, String> {
    speed_up_to(s, 10_000.0)
}

fn speed_up_to(s: &str, max: f64) -> Result<f64, String> {
    let speed: f64 = s
        .trim_end_matches('x')
        .parse()
        .map_err(|_| format!("\"{s}\" is not a speed: write a number such as 1, 8 or 12"))?;
    if (0.25..=max).contains(&speed) {
        Ok(speed)
    } else {
        Err(format!("{s}: the speed goes from 0.25 to {max}"))
    }
}

/// `--idle-limit`: seconds, at least 0.1.
pub fn parse_idle(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v >= 0.1 => Ok(v),
        _ => Err(format!("\"{s}\" is not a number of seconds (at least 0.1)")),
    }
}

pub fn seconds_to_ms(s: f64) -> u64 {
    (s * 1000.0) as u64
}

/// Opens the office's file at `path` and says on standard error what opening
/// it settled (an older office's askers' tokens, kept or revoked), in `lang`.
pub fn open_office(
    path: &std::path::Path,
    lang: Language,
) -> anyhow::Result<crate::office::Office> {
    let office = crate::office::Office::open(path)?;
    let w = &crate::lang::catalogue::of(lang).office;
    let settled = office.settled();
    for id in &settled.kept {
        eprintln!("{}", crate::lang::fill(w.kept, &[("id", id)]));
    }
    let command = format!(
        "{} followups --register {} cards --base-url URL",
        crate::program::invocation(),
        path.display()
    );
    for (id, n) in &settled.revoked {
        eprintln!(
            "{}",
            crate::lang::fill(w.revoked, &[("id", id), ("n", n), ("command", &command)])
        );
    }
    Ok(office)
}

/// Logs go to standard error; standard output says where to connect.
pub fn log_to_stderr() {
    crate::logging::to_stderr();
}
