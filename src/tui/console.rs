//! The terminal loop of `xieshang run`: draws the model, turns keys into commands
//! for the hub, and feeds what the hub recorded back into the model.
//!
//! It redraws on every key and every recorded event, a few times a second while a
//! clock runs, and otherwise once a minute (for the wall clock), so an idle console
//! costs nearly nothing. The terminal is restored on quit, on panic (ratatui's hook),
//! on SIGTERM and on SIGHUP (a dropped SSH connection).

use super::app::{update, App, Effect, Msg};
use super::labels::labels;
use crate::check::load_plan_file;
use crate::hub::{Hub, HubError};
use crate::meeting::plan::Language;
use crate::meeting::State;
use anyhow::Context;
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::signal::unix::{signal, SignalKind};

pub struct Options {
    pub plan: PathBuf,
    pub journal: Option<PathBuf>,
    pub lang: Option<Language>,
}

/// Where a plan's meeting is recorded unless told otherwise: `meetings/<plan>.journal`.
pub fn default_journal(plan: &Path) -> PathBuf {
    let stem = plan
        .file_stem()
        .map_or("meeting".into(), |s| s.to_string_lossy().into_owned());
    PathBuf::from("meetings").join(format!("{stem}.journal"))
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Runs the chair's console until the chair quits.
pub fn run(options: Options) -> anyhow::Result<()> {
    let (plan, sha) = load_plan_file(&options.plan)?;
    let journal = options
        .journal
        .clone()
        .unwrap_or_else(|| default_journal(&options.plan));
    init_log(&journal.with_extension("log"))?;
    let lang = options.lang.unwrap_or(plan.meeting.language);
    let opened = Hub::open(plan, &sha, &journal, now_ms())
        .with_context(|| format!("cannot open the meeting's journal {}", journal.display()))?;
    for w in &opened.warnings {
        tracing::warn!("{w}");
    }
    tracing::info!(journal = %journal.display(), resumed = opened.resumed, events = opened.history.len(), "console started");
    let hub = opened.hub;
    let mut app = App::new(
        State::new(Arc::new(hub.state().plan.as_ref().clone())),
        lang,
        journal.display().to_string(),
    );
    app.utc_offset_s = chrono::Local::now().offset().local_minus_utc();
    let now = now_ms();
    update(&mut app, Msg::Recorded(opened.history), now);
    let l = labels(lang);
    let notice = if opened.resumed {
        l.resumed
    } else {
        l.started_new
    };
    let text = match opened.warnings.first() {
        Some(w) => format!("{notice} · {w}"),
        None => format!("{notice} · {}", journal.display()),
    };
    update(
        &mut app,
        Msg::Notice {
            text,
            error: !opened.warnings.is_empty(),
        },
        now,
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(event_loop(app, hub));
    tracing::info!("console stopped");
    result
}

fn init_log(path: &Path) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open the log file {}", path.display()))?;
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init();
    Ok(())
}

async fn event_loop(mut app: App, mut hub: Hub) -> anyhow::Result<()> {
    let chair = hub.state().plan.chair().map(|c| c.id.clone());
    let mut terminal = ratatui::init();
    let mut keys = EventStream::new();
    let mut term = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let outcome = loop {
        app.now_ms = now_ms();
        if let Err(e) = terminal.draw(|frame| frame.render_widget(&app, frame.area())) {
            break Err(e.into());
        }
        let wait = if app.clock_running() {
            Duration::from_millis(250)
        } else {
            Duration::from_millis(60_000 - now_ms() % 60_000)
        };
        tokio::select! {
            event = keys.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                    let effects = update(&mut app, Msg::Key(key), now_ms());
                    if run_effects(&mut app, &mut hub, chair.as_deref(), effects) {
                        break Ok(());
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => break Err(e.into()),
                None => break Ok(()),
            },
            _ = tokio::time::sleep(wait) => {}
            _ = term.recv() => { tracing::info!("SIGTERM"); break Ok(()) }
            _ = hangup.recv() => { tracing::info!("SIGHUP"); break Ok(()) }
        }
    };
    ratatui::restore();
    hub.close()?;
    outcome
}

/// Carries out what `update` asked for; true when the console should quit.
fn run_effects(app: &mut App, hub: &mut Hub, chair: Option<&str>, effects: Vec<Effect>) -> bool {
    for effect in effects {
        match effect {
            Effect::Quit => return true,
            Effect::Submit(command) => {
                let name = command.name();
                let now = now_ms();
                match hub.submit(chair, command, now) {
                    Ok(entries) => {
                        update(app, Msg::Recorded(entries), now);
                    }
                    Err(HubError::Rejected(r)) => {
                        tracing::info!(
                            command = name,
                            code = r.code.as_str(),
                            "refused: {}",
                            r.message
                        );
                        update(app, Msg::Refused(r.message), now);
                    }
                    Err(HubError::Journal(e)) => {
                        tracing::error!(command = name, "journal failed: {e}");
                        let text = format!("{}: {e}", labels(app.lang).journal_failed);
                        update(app, Msg::Notice { text, error: true }, now);
                    }
                }
            }
        }
    }
    false
}
