//! The relay's side: the meeting rebuilt from its stream, event by event in `seq`
//! order, into a hub that serves viewers (`crate::hub::task::spawn_relay`).
//!
//! A relay started late reads the stream from its start; one that loses NATS keeps
//! what it has, tells its viewers (`notice` frames) and its log, and goes on from
//! the next event when NATS is back. An event out of order is never applied: the relay reads
//! again from the last one it holds.

use super::Names;
use crate::hub::task::HubHandle;
use crate::journal::{Entry, Header};
use anyhow::Context;
use async_nats::jetstream::{self, consumer};
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;

/// The meeting's header, waiting (and saying so once) until the chair's server
/// has published it.
pub async fn header(url: &str, names: &Names) -> anyhow::Result<Header> {
    let mut backoff = Duration::from_millis(250);
    let mut said = false;
    loop {
        match try_header(url, names).await {
            Ok(h) => return Ok(h),
            Err(e) => {
                if !said {
                    tracing::warn!(nats = %url, meeting = %names.meeting, "waiting for the meeting on NATS: {e:#}");
                    eprintln!(
                        "xieshang relay: waiting for meeting {} on {url} ({e:#})",
                        names.meeting
                    );
                    said = true;
                }
                tokio::time::sleep(backoff).await;
                backoff = super::next_backoff(backoff);
            }
        }
    }
}

async fn try_header(url: &str, names: &Names) -> anyhow::Result<Header> {
    let js = jetstream::new(super::connect(url).await?);
    let stream = js
        .get_stream(&names.stream)
        .await
        .context("no stream for this meeting yet")?;
    let message = stream
        .get_last_raw_message_by_subject(&names.header)
        .await
        .context("no header yet")?;
    serde_json::from_slice(&message.payload).context("the header is not a xieshang header")
}

/// What viewers are told when the relay loses the stream, and finds it again.
pub type Notices = tokio::sync::watch::Sender<Option<crate::server::Notice>>;

fn interrupted() -> crate::server::Notice {
    crate::server::Notice {
        reason: "broadcast_interrupted",
        zh: "直播转发暂时中断：会议仍在进行，恢复后自动补上".into(),
        en: "the broadcast is interrupted: the meeting goes on, and what you missed comes when it is back".into(),
        all_clear: false,
    }
}

fn resumed() -> crate::server::Notice {
    crate::server::Notice {
        reason: "broadcast_resumed",
        zh: "直播转发已恢复".into(),
        en: "the broadcast is back".into(),
        all_clear: true,
    }
}

/// Follows the stream into `hub` until the hub stops; viewers are told through
/// `notices` when the stream is lost and found again.
pub fn spawn(
    hub: HubHandle,
    url: String,
    names: Names,
    notices: Notices,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(hub, url, names, notices))
}

async fn run(hub: HubHandle, url: String, names: Names, notices: Notices) {
    let mut at = Position::default();
    let mut backoff = Duration::from_millis(250);
    loop {
        let outcome = session(&hub, &url, &names, &mut at, &mut backoff, &notices).await;
        if hub.is_closed() {
            return;
        }
        if let Err(e) = outcome {
            if notices.borrow().as_ref().is_none_or(|n| n.all_clear) {
                notices.send_replace(Some(interrupted()));
                tracing::warn!(
                    nats = %url,
                    seq = at.seq,
                    "lost the meeting's stream ({e:#}); viewers are told, and keep what they have; catching up when NATS is back"
                );
            }
        }
        tokio::time::sleep(backoff).await;
        backoff = super::next_backoff(backoff);
    }
}

/// How far the relay has read: the meeting's `seq` and the stream's own.
#[derive(Debug, Default, Clone, Copy)]
struct Position {
    seq: u64,
    stream: u64,
}

async fn session(
    hub: &HubHandle,
    url: &str,
    names: &Names,
    at: &mut Position,
    backoff: &mut Duration,
    notices: &Notices,
) -> anyhow::Result<()> {
    let lost = Arc::new(tokio::sync::Notify::new());
    let on_event = lost.clone();
    let client = async_nats::ConnectOptions::new()
        .connection_timeout(Duration::from_secs(3))
        .event_callback(move |event| {
            let lost = on_event.clone();
            async move {
                if matches!(event, async_nats::Event::Disconnected) {
                    lost.notify_one();
                }
            }
        })
        .connect(url)
        .await?;
    let js = jetstream::new(client);
    let stream = js.get_stream(&names.stream).await?;
    let deliver_policy = match at.stream {
        0 => consumer::DeliverPolicy::All,
        n => consumer::DeliverPolicy::ByStartSequence {
            start_sequence: n + 1,
        },
    };
    let consumer = stream
        .create_consumer(consumer::pull::OrderedConfig {
            filter_subject: names.events.clone(),
            deliver_policy,
            ..Default::default()
        })
        .await?;
    let mut messages = consumer.messages().await?.ready_chunks(512);
    if notices.borrow().as_ref().is_some_and(|n| !n.all_clear) {
        notices.send_replace(Some(resumed()));
        tracing::info!(nats = %url, "found the meeting's stream again");
    }
    *backoff = Duration::from_millis(250);
    tracing::info!(nats = %url, from = at.seq + 1, "following the meeting");
    loop {
        let chunk = tokio::select! {
            chunk = messages.next() => chunk.context("the stream ended")?,
            _ = lost.notified() => anyhow::bail!("disconnected from NATS"),
        };
        let mut batch = Vec::with_capacity(chunk.len());
        let mut gap = None;
        for message in chunk {
            let message = message?;
            let stream_seq = message.info().map_err(anyhow::Error::msg)?.stream_sequence;
            let entry = entry(&message.payload)?;
            if entry.seq > at.seq + 1 {
                gap = Some(entry.seq);
                break;
            }
            at.stream = stream_seq;
            if entry.seq <= at.seq {
                continue; // held already
            }
            at.seq = entry.seq;
            batch.push(entry);
        }
        if !batch.is_empty() && !hub.play(batch).await {
            return Ok(()); // the hub has stopped
        }
        if let Some(seq) = gap {
            anyhow::bail!(
                "event {seq} came after {}: reading again from there",
                at.seq
            );
        }
    }
}

/// An event message: the frame the chair's server sent its own viewers.
fn entry(payload: &[u8]) -> anyhow::Result<Entry> {
    let frame: crate::protocol::ServerFrame =
        serde_json::from_slice(payload).context("an event message that is not an event frame")?;
    crate::client::entry_of(&frame).context("an event message that is not an event frame")
}
