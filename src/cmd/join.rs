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
    /// The meeting's address, e.g. ws://127.0.0.1:7878/ws or wss://192.168.1.23:7878/ws
    /// (https://HOST:PORT, the pages' address, works too)
    url: String,
    /// Trust the certificates in this file (PEM) for wss://: the meeting's own,
    /// when the chair made it with --tls-self-signed (beside the journal, as
    /// JOURNAL.cert.pem). Without it only the web's usual authorities are trusted
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,
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
    let url = websocket_url(&args.url)?;
    let tls = if url.starts_with("wss://") {
        Some(crate::tls::client(args.ca.as_deref())?)
    } else {
        if args.ca.is_some() {
            anyhow::bail!("--ca is for a meeting served with TLS (wss://); {url} is not");
        }
        None
    };
    crate::tui::console::needs_a_terminal("join", "run it in a terminal")?;
    let options = join::Options {
        remote: crate::client::Remote { url, tls },
        token,
        projector: args.projector,
        lang: args.lang.map(Into::into),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let stop = crate::signals::Stop::listen_with_hangup()?;
        join::drive(options, async move {
            stop.requested().await;
        })
        .await
    })
}

/// The websocket's URL of what was given: `ws(s)://…` as it is, the pages'
/// address `http(s)://HOST:PORT[/…]` as the websocket beside it. A link's
/// fragment (`#t=…`, a token) is refused rather than put on a command line.
fn websocket_url(given: &str) -> anyhow::Result<String> {
    let given = given.trim();
    if given.contains('#') {
        anyhow::bail!(
            "give the meeting's address without the link's #t=…: that part is the token, which \
             belongs in XIESHANG_TOKEN or --token-file (anyone on this machine can read a command line)"
        );
    }
    if given.starts_with("ws://") || given.starts_with("wss://") {
        return Ok(given.to_string());
    }
    for (page, socket) in [("https://", "wss://"), ("http://", "ws://")] {
        if let Some(rest) = given.strip_prefix(page) {
            let base = rest.trim_end_matches('/');
            let base = ["/join", "/projector"]
                .iter()
                .find_map(|page| base.strip_suffix(page))
                .unwrap_or(base);
            return Ok(format!("{socket}{base}/ws"));
        }
    }
    anyhow::bail!(
        "{} is not a meeting's address: give ws://HOST:PORT/ws or wss://HOST:PORT/ws (serve prints it)",
        crate::text::shown(given)
    )
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

#[cfg(test)]
mod tests {
    use super::websocket_url;

    #[test]
    fn a_pages_address_is_the_websocket_beside_it_and_a_token_stays_off_the_command_line() {
        for (given, url) in [
            ("ws://127.0.0.1:7878/ws", "ws://127.0.0.1:7878/ws"),
            ("https://192.168.1.23:7878", "wss://192.168.1.23:7878/ws"),
            (
                "https://meet.example.org/hall/join",
                "wss://meet.example.org/hall/ws",
            ),
            ("http://[::1]:7878/", "ws://[::1]:7878/ws"),
        ] {
            assert_eq!(websocket_url(given).unwrap(), url, "{given}");
        }
        let err = websocket_url("https://h:1/join#t=secret")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("XIESHANG_TOKEN") && !err.contains("secret"),
            "{err}"
        );
        assert!(websocket_url("ftp://x").is_err());
    }
}
