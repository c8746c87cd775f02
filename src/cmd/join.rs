//! `xieshang join`: a participant's console, or the room's big screen.

use super::Lang;
use crate::tui::join;
use std::path::PathBuf;

/// Join a meeting from your own terminal: see the floor, the queue and the
/// questions live; raise your hand, ask a department, vote, answer for your
/// department. Reconnects by itself.
///
/// Your token (from the chair) is read from the environment variable
/// XIESHANG_TOKEN or from --token-file, where no one else on this machine can
/// read it; --token works too, but anyone on the machine can see a command
/// line (with ps).
#[derive(Debug, clap::Args)]
pub struct Args {
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
    #[arg(long, value_enum)]
    lang: Option<Lang>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let token = token(args.token, args.token_file)?;
    join::join(join::Options {
        url: args.url,
        token,
        projector: args.projector,
        lang: args.lang.map(Into::into),
    })
}

/// The participant's token: `--token`, else the first line of `--token-file`, else
/// `$XIESHANG_TOKEN`.
fn token(token: Option<String>, file: Option<PathBuf>) -> anyhow::Result<String> {
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
