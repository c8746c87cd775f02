//! `xieshang serve`: a meeting with no console, driven over the protocol (the chair
//! with the chair's token). Prints where to connect and how each participant
//! joins; on SIGTERM or Ctrl-C closes every connection with 1001 and leaves the
//! journal complete. With `--replay`, a recorded meeting played as if live.

use super::serving::{PerAddress, Serving};
use super::{log_to_stderr, parse_idle, parse_speed, seconds_to_ms};
use crate::lang::fill;
use crate::meeting::plan::Language;
use crate::served::{default_journal, open_live, Running};
use crate::server::{self, tokens, Tokens};
use anyhow::Context;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Serve a meeting with no console: participants (and the chair, with the chair's
/// token) connect over websockets. Stops on SIGTERM or Ctrl-C, leaving the
/// journal complete.
#[derive(Debug, clap::Args)]
pub struct Args {
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
    listen: SocketAddr,
    /// Where the meeting is recorded [default: meetings/<plan name>.journal]
    #[arg(long)]
    journal: Option<PathBuf>,
    /// Resume the journal although the scenario file changed since it was started,
    /// when the change keeps every participant, role, department and step (a name,
    /// a title, the venue or a time corrected); the change is recorded in the
    /// journal. Other changes are refused, saying what differs
    #[arg(long, conflicts_with = "replay")]
    accept_plan_change: bool,
    /// Open connections at most (fewer if the system's limit on open files allows
    /// fewer)
    #[arg(long, default_value_t = server::Config::default().max_connections)]
    max_connections: usize,
    /// Connections one participant holds at once (a phone, a laptop, a reload);
    /// a new one beyond it replaces their oldest, which is told so
    #[arg(long, default_value_t = server::Config::default().max_per_participant, value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u16).range(1..), usize::from))]
    max_per_participant: usize,
    /// Serve the follow-up register's pages on this port too: the public
    /// dashboard at /followups and each department's and asker's own page (their
    /// cards: `xieshang followups cards`)
    #[arg(long, value_name = "REGISTER", conflicts_with = "replay")]
    register: Option<PathBuf>,
    #[command(flatten)]
    per_address: PerAddress,
    #[command(flatten)]
    serving: Serving,
    #[command(flatten)]
    publishing: crate::cmd::serving::Publishing,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    // The office's pages on this port too: its routes, handed to the server.
    let routes = match &args.register {
        Some(path) => {
            // The office speaks Chinese unless told otherwise (`followups --lang`).
            let lang = Language::Zh;
            let front = crate::office::http::Front::open(
                super::open_office(path, lang)?,
                None,
                crate::office::DEFAULT_UTC_OFFSET_HOURS * 3600,
            )?;
            crate::office::site::routes(std::sync::Arc::new(front))
        }
        None => axum::Router::new(),
    };
    let config = server::Config {
        routes,
        max_connections: args.max_connections,
        max_strangers_per_address: args.per_address.max_unauthenticated_per_address,
        max_per_participant: args.max_per_participant,
        max_per_address: args.per_address.max_per_address,
        ..server::Config::default()
    };
    match (&args.replay, &args.plan) {
        (Some(journal), _) => replay(journal.clone(), &args, config),
        (None, Some(plan)) => live(plan.clone(), &args, config),
        (None, None) => unreachable!("clap requires a plan unless --replay is given"),
    }
}

fn live(plan: PathBuf, args: &Args, config: server::Config) -> anyhow::Result<()> {
    let super::plan::Loaded {
        scenario,
        register,
        warnings,
        ..
    } = super::plan::load(&plan)?;
    for warning in &warnings {
        eprintln!("{}", crate::text::shown(warning));
    }
    let journal = args
        .journal
        .clone()
        .unwrap_or_else(|| default_journal(&plan));
    log_to_stderr();
    let listen = args.serving.listen(args.listen, &journal)?;
    let trust = args.serving.join_needs(&journal);
    let (opened, tokens) = open_live(
        scenario.plan,
        &scenario.sha256,
        &journal,
        true,
        args.accept_plan_change,
    )?;
    let title = opened.hub.state().plan.meeting.title.clone();
    let lang = opened.hub.state().plan.meeting.language;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let publish = args.publishing.config(&plan, &journal)?;
    runtime.block_on(async move {
        // From here a signal stops the meeting cleanly.
        let stop = crate::signals::Stop::listen()?;
        let taker = crate::office::followups::take::taker(
            &opened.hub.state().plan,
            register.as_deref(),
            (&journal, &opened.header),
        );
        let mut running =
            Running::live_observed(opened, tokens, Some(listen), config, taker).await?;
        let mut relays = None;
        if let Some(publish) = publish {
            let command = format!(
                "{} relay --nats {} --meeting {} --publisher-key {}",
                crate::program::invocation(),
                publish.nats.shown(),
                publish.names.meeting,
                "{}"
            );
            let (key, _alerts) = running.publish(publish)?;
            relays = Some(command.replace("{}", &key.to_hex()));
        }
        let tokens_file = tokens::path_for(&journal);
        let (j, t) = (journal.display(), tokens_file.display());
        let w = &crate::lang::catalogue::of(lang).cli;
        let what = fill(w.serving, &[("title", &title)]);
        let detail = fill(w.serving_detail, &[("journal", &j), ("tokens", &t)]);
        announce(&running, lang, &what, &detail, &trust, Some(&plan))?;
        if let (Some(register), Some(links)) = (&args.register, &running.links) {
            let dashboard = links.dashboard();
            let dashboard = crate::text::shown(&dashboard);
            let register = register.display();
            let said = [
                ("dashboard", &dashboard as &dyn std::fmt::Display),
                ("register", &register),
            ];
            println!("{}", fill(w.followups_public, &said));
        }
        if let Some(relays) = relays {
            let relays = crate::text::shown(&relays);
            println!("{}", fill(w.relays, &[("command", &relays)]));
        }
        running.until(stop.requested()).await?;
        tracing::info!("stopped");
        Ok(())
    })
}

fn replay(journal: PathBuf, args: &Args, config: server::Config) -> anyhow::Result<()> {
    log_to_stderr();
    let listen = args.serving.listen(args.listen, &journal)?;
    let trust = args.serving.join_needs(&journal);
    let opened = crate::replay::open(&journal, args.idle_limit.map(seconds_to_ms))?;
    if let Some(torn) = &opened.torn {
        tracing::warn!("{}", crate::recorded::torn_warning(&journal, torn));
    }
    let plan = opened.timeline.plan().clone();
    // The recording's own tokens when they are at hand; new ones otherwise (the
    // journal may be a copy handed round, or in a folder we cannot write to).
    let tokens = Tokens::load_or_create(&tokens::path_for(&journal), &plan)
        .or_else(|_| Tokens::generated(&plan))
        .context("cannot make tokens for the viewers")?;
    let timeline = std::sync::Arc::new(opened.timeline);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let speed = args.speed;
    runtime.block_on(async move {
        let stop = crate::signals::Stop::listen()?;
        let mut running = Running::replay(plan, journal.clone(), tokens, listen, config).await?;
        let length = crate::lang::clock(timeline.total_ms());
        let (j, n, title) = (
            journal.display(),
            timeline.entries().len(),
            &opened.header.title,
        );
        let lang = timeline.plan().meeting.language;
        let w = &crate::lang::catalogue::of(lang).cli;
        let what = fill(w.replaying, &[("title", title)]);
        let detail = fill(
            w.replaying_detail,
            &[
                ("journal", &j),
                ("events", &n),
                ("length", &length),
                ("speed", &speed),
            ],
        );
        announce(&running, lang, &what, &detail, &trust, None)?;
        let player = tokio::spawn(crate::replay::serve::play(
            running.hub.clone(),
            timeline,
            speed,
        ));
        running.feed(player);
        running.until(stop.requested()).await
    })
}

/// Prints where to connect (first line, with the websocket's URL), a line of
/// `detail`, and each participant's link; `trust` is what `join` needs to trust
/// the certificate. A link holds its participant's token, so links are printed
/// only to a terminal: anywhere else (a service's log) the announcement says where
/// the tokens are kept and how to print the invitation cards of `plan`.
fn announce(
    running: &Running,
    lang: Language,
    what: &str,
    detail: &str,
    trust: &str,
    plan: Option<&std::path::Path>,
) -> std::io::Result<()> {
    use std::io::IsTerminal;
    let w = &crate::lang::catalogue::of(lang).cli;
    let (Some(links), Some(tokens)) = (&running.links, &running.tokens) else {
        return Ok(());
    };
    let url = links.websocket();
    let shown = crate::text::shown;
    let mut out = std::io::stdout().lock();
    // The first line names the websocket's URL, set off by spaces: scripts read it.
    let (what, url) = (shown(what), shown(&url));
    writeln!(out, "{}", fill(w.at, &[("what", &what), ("url", &url)]))?;
    writeln!(out, "{}", shown(detail))?;
    if let Some(note) = &links.note {
        writeln!(out, "{}{}", w.note, shown(note))?;
    } else if links.loopback_only {
        writeln!(out, "{}{}", w.note, crate::lang::loopback_only(lang))?;
    }
    if !links.others.is_empty() {
        let others = links.others.join(", ");
        let others = shown(&others);
        writeln!(out, "{}", fill(w.also_reachable, &[("others", &others)]))?;
    }
    let program = crate::program::invocation();
    let join = [
        ("program", &program as &dyn std::fmt::Display),
        ("trust", &trust),
        ("url", &url),
    ];
    writeln!(out, "{}", fill(w.how_to_join, &join))?;
    if !std::io::stdout().is_terminal() {
        let kept = tokens
            .file()
            .map(|f| shown(&f.display().to_string()).into_owned());
        let cards = plan.map(|plan| {
            format!(
                "{program} invitations {} --base-url {}",
                shown(&plan.display().to_string()),
                shown(&links.base)
            )
        });
        // The sentence, then where the tokens are and how to print the cards.
        let (colon, semicolon) = match lang {
            Language::Zh => ("：", "；"),
            Language::En => (": ", "; "),
        };
        let mut said = w.links_private.to_string();
        if let Some(kept) = kept {
            said.push_str(colon);
            said.push_str(&fill(w.tokens_kept, &[("file", &kept)]));
            if let Some(cards) = cards {
                said.push_str(semicolon);
                said.push_str(&fill(w.cards_how, &[("command", &cards)]));
            }
        }
        return writeln!(out, "{said}").and_then(|()| out.flush());
    }
    // The hall's link: the projector's, and the code on the wall; it only
    // watches, and is no one's seat.
    if let Some(token) = tokens.audience_token() {
        writeln!(
            out,
            "{}",
            fill(
                w.hall,
                &[
                    ("projector", &shown(&links.projector(&token))),
                    ("page", &shown(&links.join(&token)))
                ]
            )
        )?;
    }
    for (token, you) in tokens.all() {
        // Padded by display width: a Chinese role takes two columns a character.
        let role = crate::lang::role(lang, you.role);
        let role = format!(
            "{role}{}",
            " ".repeat(10usize.saturating_sub(crate::text::width(role)))
        );
        writeln!(
            out,
            "  {:<12} {} {}   # {}",
            shown(&you.id),
            role,
            shown(&links.join(&token)),
            shown(&you.name)
        )?;
    }
    out.flush()
}
