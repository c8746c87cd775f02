//! The terminal loop of `xieshang run`: draws the model, turns keys into commands
//! for the hub, and feeds what the hub recorded back into the model.
//!
//! It redraws on every key and every recorded event, a few times a second while a
//! clock runs, and otherwise once a minute (for the wall clock), so an idle console
//! costs nearly nothing. The terminal is restored on quit, on panic (ratatui's hook),
//! on SIGTERM, SIGINT and SIGHUP (a dropped SSH connection); a second signal while
//! the meeting stops ends the process at once (`crate::signals`).

use super::app::{update, App, Effect, JoinInfo, Msg};
use super::labels::labels;
use crate::hub::task::HubHandle;
use crate::hub::HubError;
use crate::meeting::plan::Language;
use crate::meeting::State;
use crate::served::{default_journal, open_live, Listen, Running};
use crate::server::{self, Tokens};
use anyhow::Context;
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

pub struct Options {
    /// Serve participants over websockets on this address while the console runs.
    pub listen: Option<Listen>,
    /// The plan's file, for messages and the default journal.
    pub plan: PathBuf,
    pub journal: Option<PathBuf>,
    pub lang: Option<Language>,
    /// The plan already read (and its sha256), instead of reading `plan`.
    pub loaded: Option<(crate::meeting::Plan, String)>,
    /// Called once participants can join (with the websocket on loopback and the
    /// tokens), inside the runtime: the demo starts its simulated participants here.
    pub on_serving: Option<OnServing>,
    /// Open the participants screen (who joins, how) at the start.
    pub show_join: bool,
    /// A first line for the log (the demo says what to do).
    pub greeting: Option<String>,
    /// What `xieshang join` needs to trust the port (` --ca FILE`), or nothing.
    pub trust: String,
    /// Participants no simulation plays (the demo): free for a person to join,
    /// and said so on the participants screen.
    pub free: Vec<String>,
    /// Resume a journal of an earlier version of the plan (`--accept-plan-change`).
    pub accept_plan_change: bool,
    /// Publish the meeting to NATS for relays (`--nats`).
    pub publish: Option<crate::relay::publish::Config>,
}

pub type OnServing = Box<dyn FnOnce(&str, &Tokens) + Send>;

impl Options {
    pub fn new(plan: PathBuf) -> Options {
        Options {
            listen: None,
            plan,
            journal: None,
            lang: None,
            loaded: None,
            on_serving: None,
            show_join: false,
            greeting: None,
            trust: String::new(),
            free: Vec::new(),
            accept_plan_change: false,
            publish: None,
        }
    }
}

pub use crate::hub::task::now_ms;

/// A console needs a terminal to draw on; say so plainly instead of failing inside
/// the terminal library.
pub fn needs_a_terminal(command: &str, instead: &str) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        Ok(())
    } else {
        anyhow::bail!("`{command}` draws a console and needs a terminal; {instead}")
    }
}

/// Runs the chair's console until the chair quits.
pub fn run(mut options: Options) -> anyhow::Result<()> {
    let (plan, sha) = match options.loaded.take() {
        Some(loaded) => loaded,
        None => {
            let scenario = crate::scenario::load(&options.plan)?;
            (scenario.plan, scenario.sha256)
        }
    };
    needs_a_terminal("run", "use xieshang serve to run a meeting with no console")?;
    let journal = options
        .journal
        .clone()
        .unwrap_or_else(|| default_journal(&options.plan));
    crate::logging::to_file(&journal.with_extension("log"))?;
    let lang = options.lang.unwrap_or(plan.meeting.language);
    let (opened, tokens) = open_live(
        plan,
        &sha,
        &journal,
        options.listen.is_some(),
        options.accept_plan_change,
    )?;
    tracing::info!(journal = %journal.display(), resumed = opened.resumed, events = opened.history.len(), "console started");
    let chair = opened.hub.state().plan.chair().map(|c| c.id.clone());
    let mut app = App::new(
        State::new(Arc::new(opened.hub.state().plan.as_ref().clone())),
        lang,
        journal.display().to_string(),
    );
    app.utc_offset_s = chrono::Local::now().offset().local_minus_utc();
    app.faster = crate::clock::faster();
    let now = now_ms();
    update(&mut app, Msg::Recorded(opened.history.clone()), now);
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
    if let Some(text) = options.greeting.take() {
        update(&mut app, Msg::Notice { text, error: false }, now);
    }
    let last_seq = opened.history.last().map_or(0, |e| e.seq);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let key_beside = journal.clone();
    let result = runtime.block_on(async move {
        let mut running = Running::live(
            opened,
            tokens,
            options.listen,
            server::Config {
                stop_reason: crate::protocol::close::CHAIR_LEFT,
                ..server::Config::default()
            },
        )
        .await?;
        let mut alerts = None;
        if let Some(publish) = options.publish.take() {
            let (key, rx) = running.publish(publish)?;
            alerts = Some(rx);
            // The key itself (64 digits) would not fit the line: its file does.
            tracing::info!(key = %key.to_hex(), "relays take this --publisher-key");
            let file = crate::relay::signature::paths_for(&key_beside).1;
            let file = crate::text::shown(&file.display().to_string()).into_owned();
            let text = match lang {
                Language::Zh => format!("发布到 NATS：转发节点用 --publisher-key {file}"),
                Language::En => format!("publishing to NATS: relays take --publisher-key {file}"),
            };
            update(&mut app, Msg::Notice { text, error: false }, now_ms());
        }
        if let (Some(links), Some(url), Some(tokens)) =
            (&running.links, running.local_url(), &running.tokens)
        {
            app.join = Some(JoinInfo {
                links: links.clone(),
                people: people(tokens),
                trust: options.trust.clone(),
                free: options.free.clone(),
                program: crate::program::invocation(),
            });
            if let Some(hook) = options.on_serving {
                hook(&url, tokens);
            }
            if options.show_join {
                // A free seat first, when there is one: the one to try on a phone.
                let selected = app.free_seat().unwrap_or(0);
                app.dialog = super::app::Dialog::Participants { selected };
            }
            update(
                &mut app,
                Msg::Notice {
                    text: format!("{} {} · i", labels(lang).serving, links.base),
                    error: false,
                },
                now_ms(),
            );
        }
        let outcome = event_loop(
            app,
            running.hub.clone(),
            running.tokens.clone(),
            chair,
            last_seq,
            alerts,
        )
        .await;
        // The hub finishes what is queued and closes the journal.
        let closed = running.stop().await;
        outcome?;
        // A failed record was said on the console; the journal's error stays in the log.
        if let Err(e) = closed {
            tracing::error!("{e}");
        }
        Ok(())
    });
    tracing::info!("console stopped");
    if result.is_ok() {
        println!("{}", after_words(lang, &journal));
    }
    result
}

/// (participant id, token) of everyone, for the participants screen.
fn people(tokens: &crate::server::Tokens) -> Vec<(String, String)> {
    tokens.all().into_iter().map(|(t, y)| (y.id, t)).collect()
}

async fn event_loop(
    mut app: App,
    hub: HubHandle,
    tokens: Option<crate::server::Tokens>,
    chair: Option<String>,
    last_seq: u64,
    mut alerts: Option<tokio::sync::mpsc::UnboundedReceiver<crate::relay::publish::Alert>>,
) -> anyhow::Result<()> {
    let mut subscription = hub
        .subscribe(Some(last_seq))
        .await
        .context("the hub stopped before the console started")?;
    let mut recording = true;
    let mut terminal = ratatui::init();
    let mut keys = EventStream::new();
    let stop = crate::signals::Stop::listen_with_hangup()?.requested();
    tokio::pin!(stop);
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
                    if run_effects(&mut app, &hub, chair.as_deref(), effects).await {
                        break Ok(());
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => break Err(e.into()),
                None => break Ok(()),
            },
            published = next_event(&mut subscription, recording) => match published {
                Ok(p) => {
                    let mut entries = vec![p.entry.clone()];
                    while let Ok(p) = subscription.events.try_recv() {
                        entries.push(p.entry.clone());
                    }
                    let walk_in = entries
                        .iter()
                        .any(|e| matches!(e.event, crate::meeting::EventKind::ParticipantAdded { .. }));
                    if let (true, Some(join), Some(tokens)) = (walk_in, &mut app.join, &tokens) {
                        // Their token was made before the event was published.
                        join.people = people(tokens);
                    }
                    if update(&mut app, Msg::Recorded(entries), now_ms()).contains(&Effect::Bell) {
                        use std::io::Write;
                        let mut out = std::io::stdout();
                        let _ = out.write_all(b"\x07").and_then(|()| out.flush());
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    // Far behind (a very busy meeting): take the state afresh.
                    if let Some(fresh) = hub.subscribe(None).await {
                        if let Some(at) = &fresh.snapshot {
                            if let Some(state) = at.snapshot.to_state() {
                                app.state = state;
                            }
                        }
                        subscription = fresh;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => match hub.failure() {
                    // The record could not be written: say so plainly and stay on
                    // screen (with what is recorded) until the chair has read it.
                    Some(failure) => {
                        recording = false;
                        app.recording_stopped = Some(stop_notice(app.lang, failure));
                        let text = app.recording_stopped.clone().unwrap_or_default();
                        update(&mut app, Msg::Notice { text, error: true }, now_ms());
                    }
                    None => break Ok(()),
                },
            },
            Some(alert) = next_alert(&mut alerts) => {
                let error = !matches!(alert, crate::relay::publish::Alert::Back);
                let text = alert.sentence(app.lang);
                update(&mut app, Msg::Notice { text, error }, now_ms());
            }
            _ = tokio::time::sleep(wait) => {}
            _ = &mut stop => break Ok(()),
        }
    };
    restore_terminal(terminal);
    outcome
}

/// What the chair reads on leaving: where the record is, and the commands that
/// replay it and write its minutes, as they run here.
fn after_words(lang: Language, journal: &std::path::Path) -> String {
    let program = crate::program::invocation();
    let j = crate::text::shown(&journal.display().to_string()).into_owned();
    match lang {
        Language::Zh => format!(
            "会议记录在 {j}\n  回放：{program} replay {j} --speed 8\n  纪要：{program} minutes {j} -o minutes.html"
        ),
        Language::En => format!(
            "The meeting is recorded in {j}\n  replay it:          {program} replay {j} --speed 8\n  write the minutes:  {program} minutes {j} -o minutes.html"
        ),
    }
}

/// The next published event; never, once recording has stopped.
async fn next_event(
    subscription: &mut crate::hub::task::Subscription,
    recording: bool,
) -> Result<Arc<crate::hub::task::Published>, broadcast::error::RecvError> {
    if recording {
        subscription.events.recv().await
    } else {
        std::future::pending().await
    }
}

/// What the publisher has to say to the chair; never, when there is no publisher
/// (or it has ended).
async fn next_alert(
    alerts: &mut Option<tokio::sync::mpsc::UnboundedReceiver<crate::relay::publish::Alert>>,
) -> Option<crate::relay::publish::Alert> {
    if let Some(rx) = alerts {
        if let Some(alert) = rx.recv().await {
            return Some(alert);
        }
        *alerts = None;
    }
    std::future::pending().await
}

/// What the chair reads when the meeting's record could not be written.
fn stop_notice(lang: Language, failure: &crate::hub::task::Failure) -> String {
    match lang {
        Language::Zh => format!(
            "记录已停止：{}（{}）。会议记录完好，截至第 {} 条；此后的操作均未记录。{}后重新运行同一命令即可继续会议。",
            if failure.full { "磁盘已满" } else { "会议记录无法写入" },
            failure.cause,
            failure.seq,
            if failure.full { "请释放磁盘空间" } else { "请排除故障" }
        ),
        Language::En => failure.sentence(),
    }
}

/// Gives the terminal back. Unlike `ratatui::restore`, it says nothing when the
/// terminal is gone (a dropped SSH connection): printing to a dead terminal would
/// panic, and the meeting's journal still has to be closed after this.
///
/// Dropping the terminal would print to a terminal that may be gone; it holds
/// nothing but buffers, so it is let go without its drop.
pub(crate) fn restore_terminal(terminal: ratatui::DefaultTerminal) {
    std::mem::forget(terminal);
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Carries out what `update` asked for; true when the console should quit. What a
/// command changes comes back through the subscription, like everyone else's.
async fn run_effects(
    app: &mut App,
    hub: &HubHandle,
    chair: Option<&str>,
    effects: Vec<Effect>,
) -> bool {
    for effect in effects {
        match effect {
            Effect::Quit => return true,
            // (the chair's console has no replay keys)
            Effect::Replay(..) | Effect::Bell => {}
            Effect::Submit(command) => {
                let name = command.name();
                match hub.submit(chair, command).await {
                    Ok(_) => {}
                    Err(HubError::Refused(r)) => {
                        tracing::info!(command = name, reason = r.reason(), "refused");
                        let text = crate::lang::refusal::sentence(&r, app.lang, &app.state.plan);
                        update(app, Msg::Refused(text), now_ms());
                    }
                    Err(e) => {
                        tracing::error!(command = name, "{e}");
                        let text = format!("{}: {e}", labels(app.lang).journal_failed);
                        update(app, Msg::Notice { text, error: true }, now_ms());
                    }
                }
            }
        }
    }
    false
}
