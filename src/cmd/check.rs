//! `xieshang check`: scenario files, checked.

use std::path::PathBuf;

/// Check scenario files: exits 0 when every file is valid, and otherwise prints
/// each problem as FILE:LINE:COLUMN: what is wrong and what to do.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files (TOML), e.g. scenarios/*.toml
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// Whether every file is valid; what is wrong goes to standard error.
pub fn run(args: Args) -> bool {
    let mut valid = true;
    for file in &args.files {
        match super::plan::load(file) {
            Ok(super::plan::Loaded {
                scenario,
                warnings,
                who,
                ..
            }) => {
                println!(
                    "ok {}: {}",
                    file.display(),
                    crate::text::shown(&crate::scenario::check::summary(&scenario.plan))
                );
                // Who each seat that names the roster is.
                for line in who {
                    println!("  {line}");
                }
                for warning in warnings
                    .into_iter()
                    .chain(crate::scenario::check::warnings(&scenario.plan))
                {
                    eprintln!("{}: {warning}", file.display());
                }
            }
            Err(e) => {
                valid = false;
                eprintln!("{}", crate::text::shown_lines(&e.to_string()));
            }
        }
    }
    valid
}
