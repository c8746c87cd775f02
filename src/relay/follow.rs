//! The relay's side: the meeting rebuilt from its stream, event by event in `seq`
//! order, into a hub that serves viewers (`crate::hub::task::spawn_relay`).
//!
//! Only what the publisher signed is taken ([`super::signature`]): a message that
//! is not signed by its key, does not decode as an event, or is one the relay
//! holds already is skipped (and said in the log, at most every 10 s), and the
//! relay goes on with the next: no message can wedge it. An event that comes
//! before the one it follows (the publisher sent it again after a lost
//! acknowledgement) is held until its turn. The relay never reads the same message
//! twice: it goes on from the stream's next message after any reconnection.
//!
//! A relay started late reads the stream from its start, pulling a bounded batch
//! at a time (a few MB at most, whatever anyone published to the subject); its
//! header is the last one the key signed, found from the header subject's NATS
//! headers alone (`scan_headers`). One that loses NATS keeps what it
//! has, tells its viewers (`notice` frames, at most one every 10 s) and its log,
//! and goes on when NATS is back.

use super::signature::PublicKey;
use super::{Names, Nats};
use crate::hub::task::HubHandle;
use crate::journal::{Entry, Header};
use anyhow::Context;
use async_nats::jetstream::{self, consumer};
use futures_util::StreamExt;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// How many events may wait for one that came late.
pub const AHEAD: usize = 16_384;
/// Viewers are told of the broadcast at most this often.
pub const NOTICE_EVERY: Duration = Duration::from_secs(10);

/// The meeting's header as its publisher signed it, waiting (and saying so once)
/// until the chair's server has published it.
pub async fn header(nats: &Nats, names: &Names, key: &PublicKey) -> anyhow::Result<Header> {
    let mut backoff = Duration::from_millis(250);
    let mut said = false;
    loop {
        match try_header(nats, names, key).await {
            Ok(h) => return Ok(h),
            Err(e) => {
                if !said {
                    tracing::warn!(nats = %nats.shown(), meeting = %names.meeting, "waiting for the meeting on NATS: {e:#}");
                    eprintln!(
                        "xieshang relay: waiting for meeting {} on {} ({e:#})",
                        names.meeting,
                        nats.shown()
                    );
                    said = true;
                }
                tokio::time::sleep(backoff).await;
                backoff = super::next_backoff(backoff);
            }
        }
    }
}

/// The last header on the stream signed by `key`. Only the messages' NATS headers
/// are read ([`super::scan_headers`]); those that name `key` (or no key) are
/// fetched whole, the latest first, until one's signature holds: whatever else is
/// on the subject costs next to nothing.
async fn try_header(nats: &Nats, names: &Names, key: &PublicKey) -> anyhow::Result<Header> {
    let js = jetstream::new(nats.connect().await?);
    let stream = js
        .get_stream(&names.stream)
        .await
        .context("no stream for this meeting yet")?;
    let subject = &names.header;
    let hex = key.to_hex();
    let (mut named, mut unnamed, mut others) = (Vec::new(), Vec::new(), 0);
    super::scan_headers(&stream, subject, |at, headers| {
        if headers.get(super::signature::HEADER).is_none() {
            others += 1;
            return;
        }
        match headers
            .get(super::signature::KEY_HEADER)
            .map(|k| k.as_str())
        {
            Some(k) if k == hex => named.push(at),
            Some(_) => others += 1,
            None => unnamed.push(at),
        }
    })
    .await?;
    let candidates = named.len() + unnamed.len();
    for &at in named.iter().rev().chain(unnamed.iter().rev()) {
        let Some(m) = super::message(&stream, subject, at).await? else {
            continue;
        };
        if key.signed(subject, &m.payload, Some(&m.headers)) {
            return serde_json::from_slice(&m.payload)
                .context("the header is not a xieshang header");
        }
    }
    match candidates + others {
        0 => anyhow::bail!("no header yet"),
        n => anyhow::bail!(
            "no header signed by the publisher key yet ({n} not signed by it: is \
             --publisher-key the one serve --nats printed?)"
        ),
    }
}

/// What viewers are told when the relay loses the stream, and finds it again.
pub type Notices = watch::Sender<Option<crate::server::Notice>>;

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
    nats: Nats,
    names: Names,
    key: PublicKey,
    notices: Notices,
) -> tokio::task::JoinHandle<()> {
    let (lost, wanted) = watch::channel(false);
    tokio::spawn(tell(wanted, notices));
    let follower = Follower {
        hub,
        nats,
        names,
        key,
        seq: 0,
        stream: 0,
        ahead: BTreeMap::new(),
        skipped: Skipped::default(),
        lost,
    };
    tokio::spawn(follower.run())
}

/// Passes whether the stream is lost on to the viewers, at most once every
/// [`NOTICE_EVERY`]: a state that is over before its turn is never told.
async fn tell(mut wanted: watch::Receiver<bool>, notices: Notices) {
    let mut told = false;
    let mut last: Option<tokio::time::Instant> = None;
    while wanted.changed().await.is_ok() {
        if *wanted.borrow_and_update() == told {
            continue;
        }
        if let Some(last) = last {
            tokio::time::sleep_until(last + NOTICE_EVERY).await;
        }
        let lost = *wanted.borrow_and_update();
        if lost == told {
            continue;
        }
        notices.send_replace(Some(if lost { interrupted() } else { resumed() }));
        told = lost;
        last = Some(tokio::time::Instant::now());
    }
}

/// Messages left aside, said in the log at most every 10 s.
#[derive(Default)]
struct Skipped {
    since_said: u64,
    said: Option<Instant>,
}

impl Skipped {
    fn skip(&mut self, stream_seq: u64, why: &str) {
        self.since_said += 1;
        if self.said.is_none_or(|at| at.elapsed() >= NOTICE_EVERY) {
            tracing::warn!(
                message = stream_seq,
                skipped = self.since_said,
                "a message on the meeting's stream is left aside: {why}"
            );
            self.since_said = 0;
            self.said = Some(Instant::now());
        }
    }
}

struct Follower {
    hub: HubHandle,
    nats: Nats,
    names: Names,
    key: PublicKey,
    /// The last event applied.
    seq: u64,
    /// The last message of the stream read.
    stream: u64,
    /// Events that came before their turn.
    ahead: BTreeMap<u64, Entry>,
    skipped: Skipped,
    /// Whether the stream is lost (for [`tell`]).
    lost: watch::Sender<bool>,
}

impl Follower {
    async fn run(mut self) {
        let mut backoff = Duration::from_millis(250);
        loop {
            let outcome = self.session(&mut backoff).await;
            if self.hub.is_closed() {
                return;
            }
            if let Err(e) = outcome {
                if !*self.lost.borrow() {
                    tracing::warn!(
                        nats = %self.nats.shown(),
                        seq = self.seq,
                        "lost the meeting's stream ({e:#}); viewers are told, and keep what they have; catching up when NATS is back"
                    );
                    self.lost.send_replace(true);
                }
            }
            tokio::time::sleep(backoff).await;
            backoff = super::next_backoff(backoff);
        }
    }

    async fn session(&mut self, backoff: &mut Duration) -> anyhow::Result<()> {
        let lost = Arc::new(tokio::sync::Notify::new());
        let on_lost = lost.clone();
        let client = self
            .nats
            .connect_observed(move |up| {
                if !up {
                    on_lost.notify_one();
                }
            })
            .await?;
        let batch = super::batch_bytes(&client);
        let js = jetstream::new(client);
        let stream = js.get_stream(&self.names.stream).await?;
        let deliver_policy = match self.stream {
            0 => consumer::DeliverPolicy::All,
            n => consumer::DeliverPolicy::ByStartSequence {
                start_sequence: n + 1,
            },
        };
        // Pulled in batches of bounded size: junk on the subject (up to what NATS
        // takes in a message) costs memory for a few messages, never for all.
        let consumer = stream
            .create_consumer(consumer::pull::Config {
                filter_subject: self.names.events.clone(),
                deliver_policy,
                ack_policy: consumer::AckPolicy::None,
                memory_storage: true,
                // Gone by itself once this relay is (or has lost NATS).
                inactive_threshold: Duration::from_secs(30),
                ..Default::default()
            })
            .await?;
        let mut messages = consumer
            .stream()
            .max_messages_per_batch(512)
            .max_bytes_per_batch(batch)
            .messages()
            .await?
            .ready_chunks(512);
        if *self.lost.borrow() {
            tracing::info!(nats = %self.nats.shown(), "found the meeting's stream again");
            self.lost.send_replace(false);
        }
        *backoff = Duration::from_millis(250);
        tracing::info!(nats = %self.nats.shown(), from = self.seq + 1, "following the meeting");
        loop {
            let chunk = tokio::select! {
                chunk = messages.next() => chunk.context("the stream ended")?,
                _ = lost.notified() => anyhow::bail!("disconnected from NATS"),
            };
            let mut batch = Vec::with_capacity(chunk.len());
            for message in chunk {
                let message = message?;
                let at = message.info().map_err(anyhow::Error::msg)?.stream_sequence;
                self.stream = at;
                self.take(at, &message, &mut batch);
            }
            if !batch.is_empty() && !self.hub.play(batch).await {
                return Ok(()); // the hub has stopped
            }
        }
    }

    /// Takes one message of the stream (its sequence `at`): its event, and any that
    /// waited for it, go into `batch` in order; anything else is left aside.
    fn take(&mut self, at: u64, message: &async_nats::Message, batch: &mut Vec<Entry>) {
        // What does not decode, or is held already, is not worth a signature's
        // check (junk is told at its first byte); anything else is taken only
        // when the publisher's key signed it.
        let entry = match entry(&message.payload) {
            Ok(entry) => entry,
            Err(e) => return self.skipped.skip(at, &format!("{e:#}")),
        };
        if entry.seq <= self.seq || self.ahead.contains_key(&entry.seq) {
            return; // held already (published again after a lost acknowledgement)
        }
        if !self.key.signed(
            &self.names.events,
            &message.payload,
            message.headers.as_ref(),
        ) {
            return self
                .skipped
                .skip(at, "it is not signed by the publisher's key");
        }
        if entry.seq != self.seq + 1 {
            if self.ahead.len() >= AHEAD {
                return self.skipped.skip(
                    at,
                    &format!("event {} is too far ahead of {}", entry.seq, self.seq),
                );
            }
            self.ahead.insert(entry.seq, entry);
            return;
        }
        self.seq = entry.seq;
        batch.push(entry);
        while let Some(next) = self.ahead.remove(&(self.seq + 1)) {
            self.seq = next.seq;
            batch.push(next);
        }
    }
}

/// An event message: the frame the chair's server sent its own viewers.
fn entry(payload: &[u8]) -> anyhow::Result<Entry> {
    let frame: crate::protocol::ServerFrame =
        serde_json::from_slice(payload).context("not an event frame")?;
    crate::client::entry_of(&frame).context("not an event frame")
}
