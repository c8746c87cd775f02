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
use crate::meeting::{EventKind, Status};
use crate::protocol::{ClientFrame, ServerFrame};
use crate::scenario::script::{Cue, Trigger};
use crate::server::Tokens;
use anyhow::Context;
use chair::Move;
use std::path::Path;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// Connects every participant the script names and plays their cues; each task
/// ends when the meeting closes or its connection does.
pub fn participants(url: &str, tokens: &Tokens, script: &[Cue]) -> Vec<JoinHandle<()>> {
    let mut who: Vec<&str> = script.iter().map(|c| c.who.as_str()).collect();
    who.sort_unstable();
    who.dedup();
    who.into_iter()
        .filter_map(|id| {
            let token = tokens.of(id)?;
            let cues: Vec<Cue> = script.iter().filter(|c| c.who == id).cloned().collect();
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
                    for (i, c) in cues.iter().enumerate() {
                        if !fired[i] && c.on.fired_by(&who, &event, &client.state) {
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
pub fn simulate(
    scenario: crate::scenario::Scenario,
    journal: &Path,
    speed: f64,
) -> anyhow::Result<Simulated> {
    if journal.exists() {
        anyhow::bail!(
            "{} already exists: give --journal a new path (a simulation records a new meeting)",
            journal.display()
        );
    }
    clock::run_faster(speed);
    let started = std::time::Instant::now();
    let tokens = Tokens::generated(&scenario.plan).context("cannot make tokens")?;
    let chair = scenario
        .plan
        .chair()
        .and_then(|c| tokens.of(&c.id))
        .context("the plan has no chair")?;
    let (opened, _) =
        crate::served::open_live(scenario.plan, &scenario.sha256, journal, false, false)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let stopped = runtime.block_on(async move {
        let stop = crate::signals::Stop::listen()?.requested();
        let listen = crate::served::Listen::at("127.0.0.1:0".parse().expect("an address"));
        let running = crate::served::Running::live(
            opened,
            Some(tokens.clone()),
            Some(listen),
            crate::server::Config::default(),
        )
        .await?;
        let url = running.local_url().context("served")?;
        let people = participants(&url, &tokens, &scenario.script);
        // A signal stops the simulation where it is: what is recorded stays.
        let stopped = tokio::select! {
            chaired = auto_chair(url, chair) => {
                chaired?;
                for p in people {
                    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), p).await;
                }
                None
            }
            signal = stop => {
                for p in &people {
                    p.abort();
                }
                Some(signal)
            }
        };
        running.stop().await?;
        anyhow::Ok(stopped)
    })?;
    if let Some(signal) = stopped {
        eprintln!(
            "xieshang: {signal}: the simulation stopped; what it played is recorded in {}",
            journal.display()
        );
    }
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
