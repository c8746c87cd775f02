//! `xieshang serve`: a meeting with no console, driven over the protocol (the chair
//! with the chair's token). Prints where to connect and every participant's token;
//! on SIGTERM or Ctrl-C closes every connection with 1001 and leaves the journal
//! complete.

use crate::check::load_plan_file;
use crate::hub::task;
use crate::hub::Hub;
use crate::server::{self, tokens, Tokens};
use crate::tui::console::default_journal;
use anyhow::Context;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::signal::unix::{signal, SignalKind};

pub struct Options {
    pub plan: PathBuf,
    pub listen: SocketAddr,
    pub journal: Option<PathBuf>,
}

pub fn serve(options: Options) -> anyhow::Result<()> {
    let (plan, sha) = load_plan_file(&options.plan)?;
    let journal = options
        .journal
        .clone()
        .unwrap_or_else(|| default_journal(&options.plan));
    log_to_stderr();
    // The journal first: a path that is refused leaves no tokens file behind.
    let opened = Hub::open(plan, &sha, &journal, task::now_ms())
        .with_context(|| format!("cannot open the meeting's journal {}", journal.display()))?;
    let tokens_file = tokens::path_for(&journal);
    let tokens = Tokens::load_or_create(&tokens_file, &opened.hub.state().plan)
        .with_context(|| format!("cannot keep the tokens in {}", tokens_file.display()))?;
    for w in &opened.warnings {
        tracing::warn!("{w}");
    }
    let title = opened.hub.state().plan.meeting.title.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let detail = format!(
            "journal: {}  tokens: {}",
            journal.display(),
            tokens_file.display()
        );
        let listener = open(
            options.listen,
            &format!("serving \"{title}\""),
            &detail,
            &tokens,
        )
        .await?;
        let (handle, hub_task) = task::spawn(opened.hub, &opened.history);
        let hub = handle.clone();
        // Serving stops on a signal, or when the meeting can no longer be recorded.
        let stop = async move {
            tokio::select! {
                _ = shutdown() => {}
                _ = hub.closed() => {}
            }
            hub
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        server::run(listener, handle, tokens, server::Config::default(), async {
            let _ = tx.send(stop.await);
        })
        .await;
        tracing::info!("stopping");
        let failure = rx.await.ok().and_then(|hub| hub.failure().cloned());
        match (hub_task.await?, failure) {
            (Ok(()), _) => Ok(()),
            (Err(_), Some(failure)) => anyhow::bail!("{}", failure.sentence()),
            (Err(e), None) => Err(e.into()),
        }
    })
}

/// Logs go to standard error; standard output says where to connect.
fn log_to_stderr() {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

/// Listens on `addr` and prints where to connect (first line, with the URL), a
/// line of `detail`, and each participant's join command.
async fn open(
    addr: SocketAddr,
    what: &str,
    detail: &str,
    tokens: &Tokens,
) -> anyhow::Result<tokio::net::TcpListener> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    announce(what, listener.local_addr()?, detail, tokens)?;
    Ok(listener)
}

fn announce(what: &str, addr: SocketAddr, detail: &str, tokens: &Tokens) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let shown = crate::text::shown;
    writeln!(out, "xieshang: {} at ws://{addr}/ws", shown(what))?;
    writeln!(out, "{}", shown(detail))?;
    for (token, you) in tokens.all() {
        writeln!(
            out,
            "  {:<12} {:<10} XIESHANG_TOKEN={} xieshang join ws://{addr}/ws   # {}",
            shown(&you.id),
            you.role.as_str(),
            shown(token),
            shown(&you.name)
        )?;
    }
    out.flush()
}

pub struct ReplayOptions {
    pub journal: PathBuf,
    pub listen: SocketAddr,
    pub speed: f64,
    pub idle_limit_ms: Option<u64>,
}

/// `xieshang serve --replay JOURNAL`: plays a recorded meeting to whoever connects,
/// as if live, refusing every intent; keeps serving the final state once played,
/// until SIGTERM or Ctrl-C.
pub fn replay(options: ReplayOptions) -> anyhow::Result<()> {
    log_to_stderr();
    let opened = crate::replay::open(&options.journal, options.idle_limit_ms)?;
    if let Some(torn) = &opened.torn {
        tracing::warn!("{}", crate::recorded::torn_warning(&options.journal, torn));
    }
    let plan = opened.timeline.plan().clone();
    // The recording's own tokens when they are at hand; new ones otherwise (the
    // journal may be a copy handed round, or in a folder we cannot write to).
    let tokens_file = tokens::path_for(&options.journal);
    let tokens = Tokens::load_or_create(&tokens_file, &plan)
        .or_else(|_| Tokens::generated(&plan))
        .context("cannot make tokens for the viewers")?;
    let timeline = std::sync::Arc::new(opened.timeline);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let length = crate::tui::labels::clock(timeline.total_ms());
        let detail = format!(
            "journal: {} ({} events, {length} at {}x; intents are refused)",
            options.journal.display(),
            timeline.entries().len(),
            options.speed
        );
        let what = format!("replaying \"{}\"", opened.header.title);
        let listener = open(options.listen, &what, &detail, &tokens).await?;
        let (handle, hub_task) = task::spawn_replay(plan, options.journal.clone());
        let player = tokio::spawn(crate::replay::serve::play(
            handle.clone(),
            timeline,
            options.speed,
        ));
        server::run(
            listener,
            handle,
            tokens,
            server::Config::default(),
            shutdown(),
        )
        .await;
        player.abort();
        tracing::info!("stopping");
        hub_task.await??;
        Ok(())
    })
}

/// Completes on SIGTERM or Ctrl-C (SIGINT).
async fn shutdown() {
    let mut term = signal(SignalKind::terminate()).expect("a SIGTERM handler");
    let mut int = signal(SignalKind::interrupt()).expect("a SIGINT handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}
