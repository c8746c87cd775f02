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
        plan: PathBuf,
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
    Join {
        /// The meeting's address, e.g. ws://127.0.0.1:7878/ws
        url: String,
        /// Your token, from the chair
        #[arg(long)]
        token: String,
        /// The room's big screen: the speaker and a large countdown, read-only
        #[arg(long)]
        projector: bool,
        /// Language of the labels [default: the meeting's]
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Language>,
    },
    /// Check scenario files: exits 0 when every file is valid, and otherwise
    /// prints each problem as FILE:LINE:COLUMN: what is wrong and what to do.
    Check {
        /// Scenario files (TOML), e.g. scenarios/*.toml
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
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
            eprintln!("xieshang: {e:#}");
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
            plan,
            journal,
            lang,
            listen,
        })),
        Command::Serve {
            plan,
            listen,
            journal,
        } => exit(xieshang::serve::serve(xieshang::serve::Options {
            plan,
            listen,
            journal,
        })),
        Command::Join {
            url,
            token,
            projector,
            lang,
        } => exit(xieshang::tui::join::join(xieshang::tui::join::Options {
            url,
            token,
            projector,
            lang,
        })),
        Command::Check { files } => {
            let mut failed = false;
            for file in &files {
                match check::load_plan(file) {
                    Ok(plan) => println!("ok {}: {}", file.display(), check::summary(&plan)),
                    Err(e) => {
                        failed = true;
                        eprintln!("{e}");
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
