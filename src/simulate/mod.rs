//! Simulated participants and an automatic chair, over real websockets with the
//! same client as `xieshang join`, so a demo or a simulation exercises the path a
//! real meeting takes.
//!
//! - [`participants`]: one connection per participant the plan's `[[script]]`
//!   names, each doing its cues when their events come.
//! - [`auto_chair`]: the chair's connection, doing what [`chair::next_move`] says.
//! - [`simulate`] (`xieshang simulate`) and [`demo`] (`xieshang demo`).

pub mod chair;

use crate::client::Client;
use crate::clock::{self, now_ms};
use crate::meeting::script::{Cue, Trigger};
use crate::meeting::{EventKind, Plan, Status};
use crate::protocol::{ClientFrame, ServerFrame};
use crate::server::Tokens;
use anyhow::Context;
use chair::Move;
use std::path::{Path, PathBuf};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// Connects every participant the script names and plays their cues; each task
/// ends when the meeting closes or its connection does.
pub fn participants(url: &str, tokens: &Tokens, plan: &Plan) -> Vec<JoinHandle<()>> {
    let mut who: Vec<&str> = plan.script.iter().map(|c| c.who.as_str()).collect();
    who.sort_unstable();
    who.dedup();
    who.into_iter()
        .filter_map(|id| {
            let token = tokens.of(id)?.to_string();
            let cues: Vec<Cue> = plan
                .script
                .iter()
                .filter(|c| c.who == id)
                .cloned()
                .collect();
            Some(tokio::spawn(participant(
                url.to_string(),
                token,
                id.to_string(),
                cues,
            )))
        })
        .collect()
}

async fn participant(url: String, token: String, who: String, cues: Vec<Cue>) {
    let mut client = match Client::connect(&url, &token, None).await {
        Ok(c) => c,
        Err(e) => return tracing::warn!(%who, "a simulated participant could not join: {e}"),
    };
    let mut fired = vec![false; cues.len()];
    let mut due: Vec<(Instant, usize)> = Vec::new();
    // Joined after the start: the start's cues count from now.
    if client.state.status != Status::NotStarted {
        for (i, c) in cues.iter().enumerate() {
            if c.on == Trigger::MeetingStarted {
                fired[i] = true;
                due.push((Instant::now() + clock::real(c.after_ms), i));
            }
        }
    }
    let mut sent = 0u64;
    loop {
        let next = due.iter().map(|d| d.0).min();
        tokio::select! {
            frame = client.next() => match frame {
                Ok(ServerFrame::Event { event, .. }) => {
                    let at = client.state.position;
                    for (i, c) in cues.iter().enumerate() {
                        if !fired[i] && c.on.fired_by(&who, &event, at) {
                            fired[i] = true;
                            due.push((Instant::now() + clock::real(c.after_ms), i));
                        }
                    }
                    if event == EventKind::MeetingClosed {
                        break;
                    }
                }
                Ok(ServerFrame::Error { code, message, .. }) => {
                    tracing::debug!(%who, ?code, "a scripted action was refused: {message}");
                }
                Ok(_) => {}
                Err(e) => return tracing::debug!(%who, "connection ended: {e}"),
            },
            _ = tokio::time::sleep_until(next.unwrap_or_else(Instant::now)), if next.is_some() => {
                let now = Instant::now();
                let (ready, later): (Vec<_>, Vec<_>) = due.drain(..).partition(|d| d.0 <= now);
                due = later;
                for (_, i) in ready {
                    let Some(action) = cues[i].act.command(&who, &client.state) else {
                        continue;
                    };
                    sent += 1;
                    let frame = ClientFrame::Intent { id: format!("{who}-{sent}"), action };
                    let text = serde_json::to_string(&frame).expect("frames serialize");
                    if client.send_text(text).await.is_err() {
                        return;
                    }
                }
            }
        }
    }
    client.close().await;
}

/// The automatic chair, connected with the chair's token; returns when the meeting
/// is closed (or the connection is lost).
pub async fn auto_chair(url: String, token: String) -> anyhow::Result<()> {
    let mut client = Client::connect(&url, &token, None)
        .await
        .context("the automatic chair could not join")?;
    let mut last_event = now_ms();
    loop {
        match chair::next_move(&client.state, now_ms(), last_event) {
            Move::Done => break,
            Move::Do(command) => {
                let name = command.name();
                match client.intent(command).await? {
                    Ok(Some(_)) => last_event = now_ms(),
                    // Changed nothing, or refused (someone else acted first): look
                    // again after a pause rather than at once.
                    Ok(None) => last_event = now_ms(),
                    Err((code, message)) => {
                        tracing::debug!(
                            command = name,
                            ?code,
                            "the automatic chair was refused: {message}"
                        );
                        last_event = now_ms();
                    }
                }
            }
            Move::Wait(ms) => {
                tokio::select! {
                    frame = client.next() => {
                        if let ServerFrame::Event { .. } = frame? {
                            last_event = now_ms();
                        }
                    }
                    _ = tokio::time::sleep(clock::real(ms)) => {}
                }
            }
        }
    }
    client.close().await;
    Ok(())
}

/// What a finished simulation left.
pub struct Simulated {
    pub events: usize,
    pub meeting_ms: u64,
    pub real: std::time::Duration,
}

/// `xieshang simulate`: the plan's meeting with its script and the automatic chair,
/// headless, to the end, `speed` times faster than life, recorded in `journal`.
pub fn simulate(plan_file: &Path, journal: &Path, speed: f64) -> anyhow::Result<Simulated> {
    let (plan, sha) = crate::check::load_plan_file(plan_file)?;
    if journal.exists() {
        anyhow::bail!(
            "{} already exists: give --journal a new path (a simulation records a new meeting)",
            journal.display()
        );
    }
    clock::run_faster(speed);
    let started = std::time::Instant::now();
    let tokens = Tokens::generated(&plan).context("cannot make tokens")?;
    let opened = crate::hub::Hub::open(plan, &sha, journal, now_ms())
        .with_context(|| format!("cannot create the journal {}", journal.display()))?;
    let plan = opened.hub.state().plan.clone();
    let chair = plan
        .chair()
        .and_then(|c| tokens.of(&c.id))
        .map(String::from)
        .context("the plan has no chair")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("ws://{}/ws", listener.local_addr()?);
        let (handle, hub_task) = crate::hub::task::spawn(opened.hub, &opened.history);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(crate::server::run(
            listener,
            handle,
            tokens.clone(),
            crate::server::Config::default(),
            async {
                let _ = stopped.await;
            },
        ));
        let people = participants(&url, &tokens, &plan);
        auto_chair(url, chair).await?;
        for p in people {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), p).await;
        }
        let _ = stop.send(());
        let _ = server.await;
        hub_task.await??;
        anyhow::Ok(())
    })?;
    let recording = crate::journal::read(journal)?;
    let first = recording.entries.first().map_or(0, |e| e.at_ms);
    let last = recording.entries.last().map_or(0, |e| e.at_ms);
    Ok(Simulated {
        events: recording.entries.len(),
        meeting_ms: last - first,
        real: started.elapsed(),
    })
}

/// The bundled demo meeting: 会商监督 on installing lifts in old housing estates.
pub const DEMO_SCENARIO: &str = include_str!("../../scenarios/huishang-supervision.toml");
/// About three minutes for the whole meeting (35 minutes of meeting time).
pub const DEMO_SPEED: f64 = 12.0;

pub struct DemoOptions {
    pub speed: f64,
    pub auto: bool,
    pub listen: std::net::SocketAddr,
}

/// `xieshang demo`: the bundled meeting on the chair's console with its simulated
/// participants joining over websockets; with `auto`, a simulated chair too.
pub fn demo(options: DemoOptions) -> anyhow::Result<()> {
    let plan = crate::meeting::scenario::parse_plan("huishang-supervision.toml", DEMO_SCENARIO)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let sha = crate::journal::digest(DEMO_SCENARIO.as_bytes());
    crate::tui::console::needs_a_terminal(
        "demo",
        "use xieshang simulate scenarios/huishang-supervision.toml --journal OUT for a meeting with no console",
    )?;
    clock::run_faster(options.speed);
    let journal = demo_journal();
    let auto = options.auto;
    let script_plan = plan.clone();
    let on_serving: crate::tui::console::OnServing = Box::new(move |url: &str, tokens: &Tokens| {
        participants(url, tokens, &script_plan);
        if auto {
            let chair = script_plan
                .chair()
                .and_then(|c| tokens.of(&c.id))
                .map(String::from);
            if let Some(token) = chair {
                let url = url.to_string();
                tokio::spawn(async move {
                    if let Err(e) = auto_chair(url, token).await {
                        tracing::warn!("the automatic chair stopped: {e}");
                    }
                });
            }
        }
    });
    let result = crate::tui::console::run(crate::tui::console::Options {
        listen: Some(options.listen),
        journal: Some(journal.clone()),
        loaded: Some((plan, sha)),
        on_serving: Some(on_serving),
        show_join: true,
        any_port_if_taken: true,
        greeting: Some(if options.auto {
            "演示：模拟主持人在主持会议，按 ? 查看按键，按 i 查看其他终端如何加入，按 q 退出"
                .to_string()
        } else {
            "演示：您是主持人。s 开始会议，⏎ 请下一位发言，n 下一环节，? 全部按键，i 其他终端如何加入".to_string()
        }),
        ..crate::tui::console::Options::new(PathBuf::from("huishang-supervision.toml"))
    });
    if result.is_ok() {
        println!("the demo meeting is recorded in {}", journal.display());
        println!(
            "  replay it:        xieshang replay {} --speed 8",
            journal.display()
        );
        println!(
            "  write the minutes: xieshang minutes {} -o minutes.html",
            journal.display()
        );
    }
    result
}

/// A new journal for each demo: `meetings/demo-YYYYMMDD-HHMMSS.journal`.
fn demo_journal() -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    PathBuf::from("meetings").join(format!("demo-{stamp}.journal"))
}
