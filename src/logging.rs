//! Where logs go, and how much of them: `RUST_LOG` (tracing-subscriber's
//! `EnvFilter`, e.g. `RUST_LOG=xieshang::server=debug`) turns them up; the default
//! is `info`. Each connection logs inside a span with its peer and, once it has
//! said hello, its participant, so one person's trouble can be followed.

use std::path::Path;
use tracing_subscriber::EnvFilter;

fn filter() -> EnvFilter {
    // NATS's client says every connect and disconnect at info; ours say what matters.
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,async_nats=warn"))
}

/// Logs to standard error (`serve`, `simulate`): standard output says where to
/// connect.
pub fn to_stderr() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

/// Logs to a file (the consoles: their terminal is the screen).
pub fn to_file(path: &Path) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::private::make_dir(dir)?;
    }
    // Owner-only: a log names participants and where they connect from.
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot open the log file {}", path.display()))?;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init();
    Ok(())
}
