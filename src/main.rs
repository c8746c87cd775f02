use clap::{Parser, Subcommand};
use std::process::ExitCode;
use xieshang::cmd;

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
    Demo(cmd::demo::Args),
    Simulate(cmd::simulate::Args),
    Run(cmd::run::Args),
    Serve(cmd::serve::Args),
    Relay(cmd::relay::Args),
    Join(cmd::join::Args),
    Invitations(cmd::invitations::Args),
    Replay(cmd::replay::Args),
    Minutes(cmd::minutes::Args),
    Check(cmd::check::Args),
    Followups(cmd::followups::Args),
    Roster(cmd::roster::Args),
    Topics(cmd::topics::Args),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Demo(args) => cmd::demo::run(args),
        Command::Simulate(args) => cmd::simulate::run(args),
        Command::Run(args) => cmd::run::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Relay(args) => cmd::relay::run(args),
        Command::Join(args) => cmd::join::run(args),
        Command::Invitations(args) => cmd::invitations::run(args),
        Command::Replay(args) => cmd::replay::run(args),
        Command::Minutes(args) => cmd::minutes::run(args),
        Command::Followups(args) => cmd::followups::run(args),
        Command::Roster(args) => cmd::roster::run(args),
        Command::Topics(args) => cmd::topics::run(args),
        Command::Check(args) => {
            return if cmd::check::run(args) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    };
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
