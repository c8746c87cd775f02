//! The chair's console on a running meeting: draws the model, turns keys into
//! commands for the hub, and feeds what the hub recorded back into the model. It
//! is handed the meeting (`Meeting`: a hub handle, who walks in, the publisher's
//! alerts as sentences, when to stop) and builds nothing itself: `cmd::chair`
//! reads the plan, opens the journal, starts the server, the runtime and the
//! signals.
//!
//! It redraws on every key and every recorded event, a few times a second while a
//! clock runs, and otherwise once a minute (for the wall clock), so an idle console
//! costs nearly nothing. The terminal is restored on quit, on panic (ratatui's hook),
//! on SIGTERM, SIGINT and SIGHUP (a dropped SSH connection: `Meeting::stop`); a
//! second signal while the meeting stops ends the process at once.

use super::app::{update, App, Effect, Msg};
use super::labels::labels;
use crate::hub::task::HubHandle;
use crate::hub::HubError;
use crate::journal::Entry;
use crate::meeting::plan::Language;
use crate::meeting::{Plan, State};
use anyhow::Context;
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

pub use crate::clock::now_ms;

/// A running meeting, as the console is handed it.
pub struct Meeting {
    /// Where commands go and recorded events come from.
    pub hub: HubHandle,
    /// Everyone's (id, token), read afresh when someone walks in, when
    /// participants can join (walk-ins' codes).
    pub people: Option<People>,
    /// Who the chair is, to submit as.
    pub chair: Option<String>,
    /// The last event the console's model already holds.
    pub last_seq: u64,
    /// What the publisher to NATS has to say, when the meeting is published:
    /// a sentence, and whether it is an error.
    pub alerts: Option<tokio::sync::mpsc::UnboundedReceiver<(String, bool)>>,
    /// Resolves when the console should stop (a signal).
    pub stop: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>,
}

/// Everyone's (participant id, token), as the participants screen lists them.
pub type People = Box<dyn Fn() -> Vec<(String, String)> + Send>;

/// What the console knows of the meeting as it opens.
pub struct Opening<'a> {
    pub plan: &'a Plan,
    pub history: Vec<Entry>,
    pub resumed: bool,
    pub warnings: &'a [String],
    /// Time a crash left unrecorded, said as the console opens.
    pub unaccounted: Option<crate::hub::Unaccounted>,
    pub journal: &'a std::path::Path,
    pub greeting: Option<String>,
}

/// The chair's model as the console opens: the recorded history applied, and the
/// log's first lines (started or resumed, where the record is, any warning).
pub fn chair_app(lang: Language, opening: Opening<'_>) -> App {
    let mut app = App::new(
        State::new(Arc::new(opening.plan.clone())),
        lang,
        opening.journal.display().to_string(),
    );
    app.utc_offset_s = chrono::Local::now().offset().local_minus_utc();
    app.faster = crate::clock::faster();
    let now = now_ms();
    update(&mut app, Msg::Recorded(opening.history), now);
    let l = labels(lang);
    let notice = if opening.resumed {
        l.resumed
    } else {
        l.started_new
    };
    let text = match opening.warnings.first() {
        Some(w) => format!("{notice} · {w}"),
        None => format!("{notice} · {}", opening.journal.display()),
    };
    let error = !opening.warnings.is_empty();
    update(&mut app, Msg::Notice { text, error }, now);
    if let Some(u) = opening.unaccounted {
        let at = chrono::DateTime::from_timestamp_millis(
            u.since_ms as i64 + i64::from(app.utc_offset_s) * 1000,
        )
        .map(|t| t.format("%H:%M:%S").to_string())
        .unwrap_or_default();
        let time = crate::lang::clock(u.ms);
        let text = crate::lang::fill(l.unaccounted, &[("at", &at), ("time", &time)]);
        update(&mut app, Msg::Notice { text, error: true }, now);
    }
    if let Some(text) = opening.greeting {
        update(&mut app, Msg::Notice { text, error: false }, now);
    }
    app
}

/// Says on the console's log (not as an error).
pub fn notice(app: &mut App, text: String) {
    update(app, Msg::Notice { text, error: false }, now_ms());
}

/// The line that says participants can join, and where (`i` shows them how).
pub fn serving_notice(app: &mut App, base: &str) {
    let text = format!("{} {base} · i", labels(app.lang).serving);
    notice(app, text);
}

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

/// Runs the console on `meeting` until the chair quits or a signal comes.
pub async fn drive(mut app: App, meeting: Meeting) -> anyhow::Result<()> {
    let Meeting {
        hub,
        people,
        chair,
        last_seq,
        mut alerts,
        mut stop,
    } = meeting;
    let mut subscription = hub
        .subscribe(Some(last_seq))
        .await
        .context("the hub stopped before the console started")?;
    let mut recording = true;
    let mut terminal = ratatui::init();
    let mut keys = EventStream::new();
    let outcome = loop {
        app.now_ms = now_ms();
        if let Err(e) = terminal.draw(|frame| frame.render_widget(&app, frame.area())) {
            break Err(e.into());
        }
        let wait = if app.redraw_soon() {
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
                    if let (true, Some(join), Some(people)) = (walk_in, &mut app.join, &people) {
                        // Their token was made before the event was published.
                        join.people = people();
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
            Some((text, error)) = next_alert(&mut alerts) => {
                update(&mut app, Msg::Notice { text, error }, now_ms());
            }
            _ = tokio::time::sleep(wait) => {}
            _ = &mut stop => break Ok(()),
        }
    };
    restore_terminal(terminal);
    outcome
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
    alerts: &mut Option<tokio::sync::mpsc::UnboundedReceiver<(String, bool)>>,
) -> Option<(String, bool)> {
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
