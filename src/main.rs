use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use xieshang::check;
use xieshang::meeting::plan::Language;
use xieshang::tui::console;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// 协商 xieshang: run live consultation meetings from a terminal.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// A whole meeting, alive: the bundled 会商监督 meeting on the chair's console,
    /// with simulated participants joining over websockets. You are the chair
    /// (s starts, Enter gives the floor, n moves on, ? lists the keys); with --auto
    /// a simulated chair runs it and you watch. Other terminals can join it too
    /// (press i for how).
    Demo {
        /// How many times faster than life (at 12 the whole meeting takes about
        /// three minutes)
        #[arg(long, default_value_t = xieshang::simulate::DEMO_SPEED, value_parser = parse_sim_speed)]
        speed: f64,
        /// A simulated chair runs the meeting too
        #[arg(long)]
        auto: bool,
        /// Where other terminals join (a free port if this one is taken)
        #[arg(long, default_value = "127.0.0.1:7878")]
        listen: std::net::SocketAddr,
    },
    /// Run a scenario headless with its script and an automatic chair, to the end,
    /// as fast as asked, leaving its journal (for tests, benchmarks and minutes).
    Simulate {
        /// The scenario file (TOML), with [[script]] entries
        plan: PathBuf,
        /// Where to record the meeting (a new file)
        #[arg(long)]
        journal: PathBuf,
        /// How many times faster than life (up to 10000)
        #[arg(long, default_value_t = 100.0, value_parser = parse_sim_speed)]
        speed: f64,
    },
    /// Run a meeting from the chair's console. The meeting is recorded in a journal
    /// as it happens; running the same plan again resumes it where it stopped.
    Run {
        /// The scenario file (TOML) that plans the meeting, e.g. scenarios/huishang-supervision.toml
        plan: PathBuf,
        /// Where the meeting is recorded [default: meetings/<plan name>.journal]
        #[arg(long)]
        journal: Option<PathBuf>,
        /// Language of the console's labels [default: the plan's `language`]
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Language>,
        /// Let participants join over websockets at ws://ADDR/ws (press i in the
        /// console for their tokens)
        #[arg(long, num_args = 0..=1, default_missing_value = "127.0.0.1:7878", value_name = "ADDR")]
        listen: Option<std::net::SocketAddr>,
    },
    /// Serve a meeting with no console: participants (and the chair, with the chair's
    /// token) connect over websockets. Stops on SIGTERM or Ctrl-C, leaving the
    /// journal complete.
    Serve {
        /// The scenario file (TOML) that plans the meeting
        #[arg(required_unless_present = "replay")]
        plan: Option<PathBuf>,
        /// Instead of a live meeting, play this recorded one (its journal) to whoever
        /// connects, as if live; intents are refused
        #[arg(long, value_name = "JOURNAL", conflicts_with_all = ["plan", "journal"])]
        replay: Option<PathBuf>,
        /// With --replay: how many times faster than recorded (0.25 to 64)
        #[arg(long, default_value_t = 1.0, value_parser = parse_speed, requires = "replay")]
        speed: f64,
        /// With --replay: shorten pauses longer than this many seconds to it
        #[arg(long, value_name = "SECONDS", requires = "replay", value_parser = parse_idle)]
        idle_limit: Option<f64>,
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:7878")]
        listen: std::net::SocketAddr,
        /// Where the meeting is recorded [default: meetings/<plan name>.journal]
        #[arg(long)]
        journal: Option<PathBuf>,
    },
    /// Join a meeting from your own terminal: see the floor, the queue and the
    /// questions live; raise your hand, ask a department, vote, answer for your
    /// department. Reconnects by itself.
    ///
    /// Your token (from the chair) is read from the environment variable
    /// XIESHANG_TOKEN or from --token-file, where no one else on this machine can
    /// read it; --token works too, but anyone on the machine can see a command
    /// line (with ps).
    Join {
        /// The meeting's address, e.g. ws://127.0.0.1:7878/ws
        url: String,
        /// A file holding your token (its first line)
        #[arg(long, value_name = "FILE", conflicts_with = "token")]
        token_file: Option<PathBuf>,
        /// Your token [default: $XIESHANG_TOKEN]. Visible to others with ps: prefer
        /// XIESHANG_TOKEN or --token-file
        #[arg(long)]
        token: Option<String>,
        /// The room's big screen: the speaker and a large countdown, read-only
        #[arg(long)]
        projector: bool,
        /// Language of the labels [default: the meeting's]
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Language>,
    },
    /// Replay a recorded meeting on the chair's screen, read-only: space plays and
    /// pauses, + and - change the speed (1x to 64x), n and N jump between steps,
    /// ] and [ between turns at the floor, arrows seek, 0-9 go to a tenth; ? for
    /// every key.
    Replay {
        /// The meeting's journal, e.g. meetings/huishang-supervision.journal
        journal: PathBuf,
        /// How many times faster than recorded (0.25 to 64; + and - change it)
        #[arg(long, default_value_t = 1.0, value_parser = parse_speed)]
        speed: f64,
        /// Shorten pauses longer than this many seconds to it
        #[arg(long, value_name = "SECONDS", value_parser = parse_idle)]
        idle_limit: Option<f64>,
        /// Language of the labels [default: the plan's]
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Language>,
        /// Refuse unless the journal was recorded from this scenario file
        #[arg(long)]
        plan: Option<PathBuf>,
    },
    /// Write the minutes (会议纪要) of a recorded meeting from its journal, in the
    /// plan's language: attendance, each step planned against actual time with its
    /// turns, the questions and answers, follow-ups by department, the evaluation,
    /// speaking statistics.
    Minutes {
        /// The meeting's journal, e.g. meetings/huishang-supervision.journal
        journal: PathBuf,
        /// md, json or html [default: from the -o file's extension, else md]
        #[arg(long, value_enum)]
        format: Option<xieshang::minutes::Format>,
        /// Write to this file instead of standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Refuse unless the journal was recorded from this scenario file
        #[arg(long)]
        plan: Option<PathBuf>,
        /// Show times at this UTC offset, e.g. +08:00 [default: the local time zone]
        #[arg(long, value_parser = xieshang::recorded::parse_offset, allow_hyphen_values = true)]
        utc_offset: Option<i32>,
    },
    /// Check scenario files: exits 0 when every file is valid, and otherwise
    /// prints each problem as FILE:LINE:COLUMN: what is wrong and what to do.
    Check {
        /// Scenario files (TOML), e.g. scenarios/*.toml
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// A replay's speed: 0.25 to 64 (`8` or `8x`).
fn parse_speed(s: &str) -> Result<f64, String> {
    speed_up_to(s, 64.0)
}

/// A simulation's speed: 0.25 to 10000.
fn parse_sim_speed(s: &str) -> Result<f64, String> {
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

fn parse_idle(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v >= 0.1 => Ok(v),
        _ => Err(format!("\"{s}\" is not a number of seconds (at least 0.1)")),
    }
}

fn seconds_to_ms(s: f64) -> u64 {
    (s * 1000.0) as u64
}

fn parse_lang(s: &str) -> Result<Language, String> {
    match s {
        "zh" => Ok(Language::Zh),
        "en" => Ok(Language::En),
        _ => Err(format!("\"{s}\" is not a language here: use zh or en")),
    }
}

/// Says what went wrong, with its causes, and fails.
fn exit(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Each cause once: errors that already say their source are not
            // followed by it again.
            let mut message = String::new();
            for cause in e.chain().map(|c| c.to_string()) {
                if !message.contains(&cause) {
                    if !message.is_empty() {
                        message.push_str(": ");
                    }
                    message.push_str(&cause);
                }
            }
            // Errors quote plans, journals and servers: drawn safely.
            eprintln!("xieshang: {}", xieshang::text::shown_lines(&message));
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            plan,
            journal,
            lang,
            listen,
        } => exit(console::run(console::Options {
            journal,
            lang,
            listen,
            ..console::Options::new(plan)
        })),
        Command::Serve {
            plan,
            replay,
            speed,
            idle_limit,
            listen,
            journal,
        } => exit(match (replay, plan) {
            (Some(journal), _) => xieshang::serve::replay(xieshang::serve::ReplayOptions {
                journal,
                listen,
                speed,
                idle_limit_ms: idle_limit.map(seconds_to_ms),
            }),
            (None, Some(plan)) => xieshang::serve::serve(xieshang::serve::Options {
                plan,
                listen,
                journal,
            }),
            (None, None) => unreachable!("clap requires a plan unless --replay is given"),
        }),
        Command::Join {
            url,
            token_file,
            token,
            projector,
            lang,
        } => exit(join_token(token, token_file).and_then(|token| {
            xieshang::tui::join::join(xieshang::tui::join::Options {
                url,
                token,
                projector,
                lang,
            })
        })),
        Command::Demo {
            speed,
            auto,
            listen,
        } => exit(xieshang::simulate::demo(xieshang::simulate::DemoOptions {
            speed,
            auto,
            listen,
        })),
        Command::Simulate {
            plan,
            journal,
            speed,
        } => exit(
            xieshang::simulate::simulate(&plan, &journal, speed).map(|done| {
                println!(
                    "simulated {} events, {} of meeting in {:.1} s; recorded in {}",
                    done.events,
                    xieshang::tui::labels::clock(done.meeting_ms),
                    done.real.as_secs_f64(),
                    journal.display()
                );
                println!("  minutes: xieshang minutes {}", journal.display());
            }),
        ),
        Command::Replay {
            journal,
            speed,
            idle_limit,
            lang,
            plan,
        } => exit(xieshang::tui::replay::run(xieshang::tui::replay::Options {
            journal,
            speed,
            idle_limit_ms: idle_limit.map(seconds_to_ms),
            lang,
            plan,
        })),
        Command::Minutes {
            journal,
            format,
            output,
            plan,
            utc_offset,
        } => exit(minutes(journal, format, output, plan, utc_offset)),
        Command::Check { files } => {
            let mut failed = false;
            for file in &files {
                match check::load_plan(file) {
                    Ok(plan) => {
                        println!(
                            "ok {}: {}",
                            file.display(),
                            xieshang::text::shown(&check::summary(&plan))
                        );
                        for warning in check::warnings(&plan) {
                            eprintln!("{}: {warning}", file.display());
                        }
                    }
                    Err(e) => {
                        failed = true;
                        eprintln!("{}", xieshang::text::shown_lines(&e.to_string()));
                    }
                }
            }
            if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

/// The participant's token: `--token`, else the first line of `--token-file`, else
/// `$XIESHANG_TOKEN`.
fn join_token(token: Option<String>, file: Option<PathBuf>) -> anyhow::Result<String> {
    let token = match (token, file) {
        (Some(token), _) => token,
        (None, Some(file)) => std::fs::read_to_string(&file)
            .map_err(|e| anyhow::anyhow!("cannot read the token file {}: {e}", file.display()))?
            .lines()
            .next()
            .unwrap_or_default()
            .to_string(),
        (None, None) => std::env::var("XIESHANG_TOKEN").map_err(|_| {
            anyhow::anyhow!(
                "no token: set XIESHANG_TOKEN=<your token> (or give --token-file FILE); the chair has it"
            )
        })?,
    };
    let token = token.trim().to_string();
    if token.is_empty() {
        anyhow::bail!("the token is empty: the chair has yours");
    }
    Ok(token)
}

fn minutes(
    journal: PathBuf,
    format: Option<xieshang::minutes::Format>,
    output: Option<PathBuf>,
    plan: Option<PathBuf>,
    utc_offset: Option<i32>,
) -> anyhow::Result<()> {
    use xieshang::minutes::{from_journal, Format};
    let (header, minutes, torn) = from_journal(&journal, utc_offset)?;
    xieshang::recorded::check_plan(&journal, &header, plan.as_deref())?;
    if let Some(torn) = &torn {
        eprintln!("{}", xieshang::recorded::torn_warning(&journal, torn));
    }
    let format = format.unwrap_or_else(|| output.as_deref().map_or(Format::Md, Format::of_path));
    let text = format.render(&minutes);
    match output {
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
