use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use xieshang::check;

/// 协商 xieshang: run live consultation meetings from a terminal.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check scenario files: exits 0 when every file is valid, and otherwise
    /// prints each problem as FILE:LINE:COLUMN: what is wrong and what to do.
    Check {
        /// Scenario files (TOML), e.g. scenarios/*.toml
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
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
