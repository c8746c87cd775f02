//! The chair's console on a live meeting, wired: the plan read, the journal and
//! its log opened, the runtime, the server and the publisher started, the console
//! (`tui::console`) handed the running meeting, everything stopped in order after.
//! `run` and `demo` both come here.

use crate::lang::fill;
use crate::meeting::plan::Language;
use crate::served::{default_journal, open_live, Listen, Running};
use crate::server::{self, Tokens};
use crate::tui::app::{Dialog, JoinInfo};
use crate::tui::console::{self, Meeting, Opening};
use std::path::PathBuf;

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

/// Runs the chair's console until the chair quits.
pub fn run(mut options: Options) -> anyhow::Result<()> {
    let (plan, sha, register) = match options.loaded.take() {
        Some((plan, sha)) => (plan, sha, None),
        None => {
            let loaded = super::plan::load(&options.plan)?;
            for warning in &loaded.warnings {
                eprintln!("{}", crate::text::shown(warning));
            }
            (
                loaded.scenario.plan,
                loaded.scenario.sha256,
                loaded.register,
            )
        }
    };
    console::needs_a_terminal("run", "use xieshang serve to run a meeting with no console")?;
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
    let last_seq = opened.history.last().map_or(0, |e| e.seq);
    let mut app = console::chair_app(
        lang,
        Opening {
            plan: opened.hub.state().plan.as_ref(),
            history: opened.history.clone(),
            resumed: opened.resumed,
            warnings: &opened.warnings,
            unaccounted: opened.unaccounted,
            journal: &journal,
            greeting: options.greeting.take(),
        },
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let key_beside = journal.clone();
    let taker = crate::office::followups::take::taker(
        &opened.hub.state().plan,
        register.as_deref(),
        (&journal, &opened.header),
    );
    let result = runtime.block_on(async move {
        let mut running = Running::live_observed(
            opened,
            tokens,
            options.listen,
            server::Config {
                stop_reason: crate::protocol::close::CHAIR_LEFT,
                ..server::Config::default()
            },
            taker,
        )
        .await?;
        let mut alerts = None;
        if let Some(publish) = options.publish.take() {
            let (key, rx) = running.publish(publish)?;
            alerts = Some(alert_sentences(rx, lang));
            // The key itself (64 digits) would not fit the line: its file does.
            tracing::info!(key = %key.to_hex(), "relays take this --publisher-key");
            let file = crate::relay::signature::paths_for(&key_beside).1;
            let file = crate::text::shown(&file.display().to_string()).into_owned();
            let w = &crate::lang::catalogue::of(lang).cli;
            console::notice(&mut app, fill(w.publishing, &[("file", &file)]));
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
                audience: tokens.audience_token(),
            });
            if let Some(hook) = options.on_serving {
                hook(&url, tokens);
            }
            if options.show_join {
                // A free seat first, when there is one: the one to try on a phone.
                let selected = app.free_seat().unwrap_or(0);
                app.dialog = Dialog::Participants { selected };
            }
            console::serving_notice(&mut app, &links.base);
        }
        let meeting = Meeting {
            hub: running.hub.clone(),
            people: running
                .tokens
                .clone()
                .map(|tokens| Box::new(move || people(&tokens)) as console::People),
            chair,
            last_seq,
            alerts,
            stop: {
                let stop = crate::signals::Stop::listen_with_hangup()?;
                Box::pin(async move {
                    stop.requested().await;
                })
            },
        };
        let outcome = console::drive(app, meeting).await;
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
        println!("{}", after_words(lang, &journal, register.as_deref()));
    }
    result
}

/// (participant id, token) of everyone, for the participants screen.
fn people(tokens: &Tokens) -> Vec<(String, String)> {
    tokens.all().into_iter().map(|(t, y)| (y.id, t)).collect()
}

/// The publisher's alerts as the console says them: a sentence in the chair's
/// language, and whether it is an error (all but "back").
fn alert_sentences(
    mut alerts: tokio::sync::mpsc::UnboundedReceiver<crate::relay::publish::Alert>,
    lang: Language,
) -> tokio::sync::mpsc::UnboundedReceiver<(String, bool)> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(alert) = alerts.recv().await {
            let error = !matches!(alert, crate::relay::publish::Alert::Back);
            if tx.send((alert.sentence(lang), error)).is_err() {
                break;
            }
        }
    });
    rx
}

/// What the chair reads on leaving: where the record is, and the commands that
/// replay it, write its minutes (to a file named as the meeting's journal is,
/// so a second meeting's do not overwrite the first's) and take its promises
/// into the register (the plan's, else the default), as they run here.
pub fn after_words(
    lang: Language,
    journal: &std::path::Path,
    register: Option<&std::path::Path>,
) -> String {
    let program = crate::program::invocation();
    let shown = |p: &std::path::Path| crate::text::shown(&p.display().to_string()).into_owned();
    let register = register.unwrap_or(std::path::Path::new(crate::office::DEFAULT_PATH));
    fill(
        crate::lang::catalogue::of(lang).cli.after_meeting,
        &[
            ("journal", &shown(journal)),
            ("program", &program),
            ("minutes", &shown(&minutes_file(journal))),
            ("register", &shown(register)),
        ],
    )
}

/// The minutes' file of a journal: beside it, named as it is
/// (`meetings/demo-20261207-1400.journal` → `….minutes.html`).
pub fn minutes_file(journal: &std::path::Path) -> PathBuf {
    journal.with_extension("minutes.html")
}
