//! The chair's server's side: every recorded event published to the meeting's
//! JetStream stream, in order, after it is durable.
//!
//! The publisher is one more subscriber of the hub, like a connection: the hub
//! never waits for it, so NATS being slow or away never holds the meeting up (the
//! journal is the record). Each time it (re)connects it asks the stream for the
//! last event it holds and goes on from the next one, from the hub's memory or,
//! when that is too far back, from the journal: no gap, and no duplicate (the
//! event's `seq` is also the message id, for a publish retried after a lost ack).

use super::Names;
use crate::hub::task::{HubHandle, Published};
use anyhow::Context;
use async_nats::jetstream;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// Where to publish, and what.
pub struct Config {
    pub url: String,
    pub names: Names,
    /// The meeting's journal: its header is published, and events too far back
    /// for the hub's memory are read from it.
    pub journal: PathBuf,
}

/// Starts publishing; the task ends when the hub does, after publishing what it
/// recorded (when NATS is there to take it).
pub fn spawn(hub: HubHandle, config: Config) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(hub, config))
}

async fn run(hub: HubHandle, config: Config) {
    let mut backoff = Duration::from_millis(250);
    let mut said = false;
    loop {
        match session(&hub, &config, &mut backoff).await {
            Ok(()) => return,
            Err(e) if e.is::<AnotherMeeting>() => {
                tracing::error!(nats = %config.url, "not publishing: {e}");
                eprintln!("xieshang: not publishing to NATS: {e}");
                return;
            }
            Err(e) => {
                if !said {
                    tracing::warn!(
                        nats = %config.url,
                        "not publishing to NATS ({e:#}); the meeting goes on and is recorded; \
                         publishing catches up when NATS is back"
                    );
                    said = true;
                }
                if hub.failure().is_some() || hub.is_closed() {
                    return;
                }
                tokio::time::sleep(backoff).await;
                backoff = super::next_backoff(backoff);
            }
        }
    }
}

/// The stream already holds a meeting recorded in another journal.
#[derive(Debug, thiserror::Error)]
#[error(
    "the stream {stream} holds another meeting (recorded in another journal): give this one \
     its own --meeting-id (not {meeting}), or remove that stream from NATS if it is done with"
)]
struct AnotherMeeting {
    stream: String,
    meeting: String,
}

/// One connection's worth of publishing; `Ok` when the hub has closed and every
/// event it published is in the stream.
async fn session(hub: &HubHandle, config: &Config, backoff: &mut Duration) -> anyhow::Result<()> {
    let client = super::connect(&config.url).await?;
    let js = jetstream::new(client);
    let stream = js
        .get_or_create_stream(config.names.stream_config())
        .await
        .context("cannot make the meeting's stream")?;
    let header = header_line(&config.journal)?;
    // A stream holds one meeting: another journal's events are never mixed in.
    if let Ok(theirs) = stream
        .get_last_raw_message_by_subject(&config.names.header)
        .await
    {
        if theirs.payload != header {
            return Err(AnotherMeeting {
                stream: config.names.stream.clone(),
                meeting: config.names.meeting.clone(),
            }
            .into());
        }
    }
    js.publish(config.names.header.clone(), header.into())
        .await?
        .await
        .context("the header was not acknowledged")?;
    let mut last = last_published(&stream, &config.names.events).await?;
    *backoff = Duration::from_millis(250);
    tracing::info!(nats = %config.url, stream = %config.names.stream, from = last + 1, "publishing the meeting");
    loop {
        let Some(mut sub) = hub.subscribe(Some(last)).await else {
            return Ok(()); // the hub has stopped; everything it published is out
        };
        if sub.snapshot.is_some() && last < sub.seq {
            // Further back than the hub serves: the journal has it all.
            let behind = from_journal(&config.journal, hub, last, sub.seq)?;
            last = publish(&js, config, &behind, last).await?;
        }
        last = publish(&js, config, &sub.missed, last).await?;
        loop {
            let first = match sub.events.recv().await {
                Ok(p) => p,
                Err(broadcast::error::RecvError::Lagged(_)) => break, // subscribe again
                Err(broadcast::error::RecvError::Closed) => return Ok(()),
            };
            let mut batch = vec![first];
            while batch.len() < 1024 {
                match sub.events.try_recv() {
                    Ok(p) => batch.push(p),
                    Err(_) => break,
                }
            }
            last = publish(&js, config, &batch, last).await?;
        }
    }
}

/// Publishes the events after `last`, all sent before any acknowledgement is
/// awaited; the new last `seq`.
async fn publish(
    js: &jetstream::Context,
    config: &Config,
    events: &[Arc<Published>],
    mut last: u64,
) -> anyhow::Result<u64> {
    let mut acks = Vec::with_capacity(events.len());
    for p in events.iter().filter(|p| p.entry.seq > last) {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Nats-Msg-Id", p.entry.seq.to_string().as_str());
        let ack = js
            .publish_with_headers(config.names.events.clone(), headers, p.frame.clone())
            .await?;
        acks.push((p.entry.seq, ack));
    }
    for (seq, ack) in acks {
        ack.await
            .with_context(|| format!("event {seq} was not acknowledged"))?;
        last = seq;
    }
    Ok(last)
}

/// The last event's `seq` in the stream (0 when there is none).
async fn last_published(stream: &jetstream::stream::Stream, subject: &str) -> anyhow::Result<u64> {
    use async_nats::jetstream::stream::LastRawMessageErrorKind;
    match stream.get_last_raw_message_by_subject(subject).await {
        Ok(message) => {
            #[derive(serde::Deserialize)]
            struct Seq {
                seq: u64,
            }
            let seq: Seq = serde_json::from_slice(&message.payload)
                .context("the stream's last event is not one of ours")?;
            Ok(seq.seq)
        }
        Err(e) if e.kind() == LastRawMessageErrorKind::NoMessageFound => Ok(0),
        Err(e) => Err(e.into()),
    }
}

/// The journal's first line: its header (the plan, never a token).
fn header_line(journal: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    use std::io::BufRead;
    let file = std::fs::File::open(journal)
        .with_context(|| format!("cannot read {}", journal.display()))?;
    let mut line = Vec::new();
    std::io::BufReader::new(file).read_until(b'\n', &mut line)?;
    serde_json::from_slice::<crate::journal::Header>(&line)
        .with_context(|| format!("{}: no journal header", journal.display()))?;
    Ok(line)
}

/// Events `last+1 ..= upto` from the journal, as the hub would have published them.
fn from_journal(
    journal: &std::path::Path,
    hub: &HubHandle,
    last: u64,
    upto: u64,
) -> anyhow::Result<Vec<Arc<Published>>> {
    let plan = hub.plan().clone();
    let now = crate::hub::task::now_ms();
    let mut out = Vec::new();
    crate::journal::scan(journal, |_, entry| {
        if entry.seq > last && entry.seq <= upto {
            let frame = crate::protocol::ServerFrame::public_event(&entry, &plan, now).to_json();
            out.push(Arc::new(Published {
                entry,
                frame: frame.into(),
            }));
        }
    })?;
    Ok(out)
}
