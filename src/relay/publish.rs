//! The chair's server's side: every recorded event published to the meeting's
//! JetStream stream, in order, after it is durable, signed
//! ([`super::signature`]).
//!
//! The publisher is one more subscriber of the hub, like a connection: the hub
//! never waits for it, so NATS being slow or away never holds the meeting up (the
//! journal is the record). On its first connection it reads the stream to find the
//! events it already holds, signed by this meeting's key, from the first without a
//! gap, and goes on from the next one (from the hub's memory or, when that is too
//! far back, from the journal, a chunk at a time); later connections go on from what it knows was
//! acknowledged. An event's deduplication id comes from the key, so a publish
//! retried after a lost ack is dropped by JetStream and nobody else can take the
//! id first; should a "duplicate" acknowledgement hold a message that is not ours,
//! the event is published again under a fresh id, and the chair is told.
//!
//! When the meeting stops, what is recorded last goes out if NATS is there to take
//! it; if it is not, the next start publishes it.

use super::signature::{self, Signer};
use super::{Names, Nats};
use crate::hub::task::{HubHandle, Published};
use anyhow::Context;
use async_nats::jetstream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};

/// Where to publish, and what.
pub struct Config {
    pub nats: Nats,
    pub names: Names,
    /// The meeting's journal: its header is published, events too far back for
    /// the hub's memory are read from it, and its publisher key is kept beside it.
    pub journal: PathBuf,
}

/// A publisher started: the key relays must be given, and what the chair should
/// read about it (NATS away, a message on the stream that is not ours).
pub struct Started {
    pub task: tokio::task::JoinHandle<()>,
    pub key: signature::PublicKey,
    pub alerts: mpsc::UnboundedReceiver<Alert>,
    /// Whether NATS is connected now: a stopping server waits for it to take the
    /// last batch only while it is.
    pub connected: Arc<AtomicBool>,
}

/// What the chair is told about the publishing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alert {
    /// NATS cannot be reached (why): the meeting goes on, publishing catches up.
    Away(String),
    /// NATS is back: publishing again.
    Back,
    /// The stream holds another meeting: nothing is published.
    AnotherMeeting,
    /// A "duplicate" held a message that was not ours: event `seq` was published
    /// again under a fresh id.
    NotOurs { seq: u64 },
}

impl Alert {
    pub fn sentence(&self, lang: crate::meeting::plan::Language) -> String {
        use crate::meeting::plan::Language::{En, Zh};
        match (self, lang) {
            (Alert::Away(why), Zh) => format!("NATS 暂不可用（{why}）：会议照常进行并记录，恢复后自动补发"),
            (Alert::Away(why), En) => format!("NATS: not publishing ({why}); the meeting goes on and is recorded, and is caught up when NATS is back"),
            (Alert::Back, Zh) => "NATS 已恢复，继续发布".into(),
            (Alert::Back, En) => "NATS: publishing again".into(),
            (Alert::AnotherMeeting, Zh) => "NATS 上的同名流属于另一场会议：不发布（请换一个 --meeting-id）".into(),
            (Alert::AnotherMeeting, En) => "NATS: the stream holds another meeting; not publishing (give this one its own --meeting-id)".into(),
            (Alert::NotOurs { seq }, Zh) => format!("NATS 上有不是本会议签发的消息占用了第 {seq} 条的编号：已用新编号重发（有人能向本会议的主题发布，见 docs/scale.md）"),
            (Alert::NotOurs { seq }, En) => format!("NATS: a message not signed by this meeting held event {seq}'s id; published again under a fresh id (someone else can publish to its subjects: see docs/scale.md)"),
        }
    }
}

/// Starts publishing, with the key kept beside the journal (made on the first
/// start); the task ends when the hub does, after publishing what it recorded
/// when NATS is there to take it.
pub fn spawn(hub: HubHandle, config: Config) -> anyhow::Result<Started> {
    let signer = Signer::for_journal(&config.journal).with_context(|| {
        format!(
            "cannot keep the publisher key beside {}",
            config.journal.display()
        )
    })?;
    let key = signer.public();
    let (alerts, rx) = mpsc::unbounded_channel();
    let connected = Arc::new(AtomicBool::new(false));
    let publisher = Publisher {
        hub,
        config,
        signer,
        alerts,
        acknowledged: None,
        connected: connected.clone(),
    };
    Ok(Started {
        task: tokio::spawn(publisher.run()),
        key,
        alerts: rx,
        connected,
    })
}

struct Publisher {
    hub: HubHandle,
    config: Config,
    signer: Signer,
    alerts: mpsc::UnboundedSender<Alert>,
    /// The last event that NATS acknowledged with every one before it, once known.
    acknowledged: Option<u64>,
    connected: Arc<AtomicBool>,
}

/// The stream already holds a meeting recorded in another journal.
#[derive(Debug, thiserror::Error)]
#[error(
    "the stream {stream} holds another meeting (signed by another key, or recorded in another \
     journal): give this one its own --meeting-id (not {meeting}), or remove that stream from \
     NATS if it is done with"
)]
struct AnotherMeeting {
    stream: String,
    meeting: String,
}

/// A connection's worth of what the publisher needs.
struct Connected {
    js: jetstream::Context,
    stream: jetstream::stream::Stream,
    last: u64,
}

impl Publisher {
    async fn run(mut self) {
        let mut backoff = Duration::from_millis(250);
        let mut said = false;
        loop {
            match self.session(&mut backoff, &mut said).await {
                Ok(()) => return,
                Err(e) if e.is::<AnotherMeeting>() => {
                    tracing::error!(nats = %self.config.nats.shown(), "not publishing: {e}");
                    eprintln!("xieshang: not publishing to NATS: {e}");
                    self.alert(Alert::AnotherMeeting);
                    return;
                }
                Err(e) => {
                    self.connected.store(false, Ordering::Relaxed);
                    if !said {
                        tracing::warn!(
                            nats = %self.config.nats.shown(),
                            "not publishing to NATS ({e:#}); the meeting goes on and is recorded; \
                             publishing catches up when NATS is back"
                        );
                        self.alert(Alert::Away(e.to_string()));
                        said = true;
                    }
                    if self.hub.failure().is_some() || self.hub.is_closed() {
                        return;
                    }
                    // A meeting that stops meanwhile leaves the rest to the next start.
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => {}
                        _ = self.hub.closed() => return,
                    }
                    backoff = super::next_backoff(backoff);
                }
            }
        }
    }

    fn alert(&self, alert: Alert) {
        let _ = self.alerts.send(alert);
    }

    /// One connection's worth of publishing; `Ok` when the hub has stopped and
    /// every event it published is in the stream, or when it stopped before NATS
    /// could be reached (the next start publishes the rest).
    async fn session(&mut self, backoff: &mut Duration, said: &mut bool) -> anyhow::Result<()> {
        let hub = self.hub.clone();
        let connected = tokio::select! {
            connected = self.connect() => connected?,
            _ = hub.closed() => return Ok(()),
        };
        let Connected {
            js,
            stream,
            mut last,
        } = connected;
        *backoff = Duration::from_millis(250);
        if std::mem::take(said) {
            self.alert(Alert::Back);
        }
        let names = &self.config.names;
        tracing::info!(nats = %self.config.nats.shown(), stream = %names.stream, from = last + 1, "publishing the meeting");
        loop {
            let Some(mut sub) = self.hub.subscribe(Some(last)).await else {
                return Ok(()); // the hub has stopped; everything it published is out
            };
            // Read from the journal below, by the publisher itself: the place a
            // client would read back in is left to clients.
            sub.backlog = None;
            // Further back than the hub's memory: the journal has it all.
            let in_memory = sub.missed.first().map_or(sub.seq + 1, |p| p.entry.seq);
            if last + 1 < in_memory {
                last = self
                    .publish_from_journal(&js, &stream, last, in_memory - 1)
                    .await?;
            }
            last = self.publish(&js, &stream, &sub.missed, last).await?;
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
                last = self.publish(&js, &stream, &batch, last).await?;
            }
        }
    }

    /// Connects, checks that the stream holds this meeting, publishes the header
    /// and finds where to go on from.
    async fn connect(&mut self) -> anyhow::Result<Connected> {
        let names = &self.config.names;
        let connected = self.connected.clone();
        let client = self
            .config
            .nats
            .connect_observed(move |up| connected.store(up, Ordering::Relaxed))
            .await?;
        self.connected.store(true, Ordering::Relaxed);
        let js = jetstream::new(client);
        let stream = js
            .get_or_create_stream(names.stream_config())
            .await
            .context("cannot make the meeting's stream")?;
        let header = header_line(&self.config.journal)?;
        self.check_headers(&stream, &header).await?;
        let mut headers = async_nats::HeaderMap::new();
        let key = self.signer.public().to_hex();
        headers.insert(signature::KEY_HEADER, key.as_str());
        let sig = self.signer.sign(&names.header, &header);
        headers.insert(signature::HEADER, sig.as_str());
        js.publish_with_headers(names.header.clone(), headers, header.into())
            .await?
            .await
            .context("the header was not acknowledged")?;
        let last = match self.acknowledged {
            Some(last) => last,
            None => {
                let last = self.held(&stream).await?;
                self.acknowledged = Some(last);
                last
            }
        };
        Ok(Connected { js, stream, last })
    }

    /// A stream holds one meeting: a header signed by another key, or by ours for
    /// another journal, means another meeting is there, and nothing is mixed in.
    /// A header that is not signed at all is left aside (said in the log).
    async fn check_headers(
        &self,
        stream: &jetstream::stream::Stream,
        ours: &[u8],
    ) -> anyhow::Result<()> {
        let names = &self.config.names;
        let key = self.signer.public();
        let mut unsigned = 0;
        for m in super::read_subject(stream, &names.header).await? {
            let signed_by_us = key.signed(&names.header, &m.payload, m.headers.as_ref());
            let theirs = m
                .headers
                .as_ref()
                .and_then(|h| h.get(signature::KEY_HEADER))
                .and_then(|k| signature::PublicKey::parse(k.as_str()).ok())
                .filter(|k| *k != key && k.signed(&names.header, &m.payload, m.headers.as_ref()));
            if (signed_by_us && m.payload.as_ref() != ours) || theirs.is_some() {
                return Err(AnotherMeeting {
                    stream: names.stream.clone(),
                    meeting: names.meeting.clone(),
                }
                .into());
            }
            if !signed_by_us {
                unsigned += 1;
            }
        }
        if unsigned > 0 {
            tracing::warn!(
                stream = %names.stream,
                "{unsigned} header message(s) on the stream are not signed by this meeting's key \
                 (an older xieshang, or someone else can publish to its subjects: see \
                 docs/scale.md); relays never take them"
            );
        }
        Ok(())
    }

    /// The last event the stream holds with every one before it, each signed by
    /// this meeting's key (0 when there is none).
    async fn held(&self, stream: &jetstream::stream::Stream) -> anyhow::Result<u64> {
        let subject = &self.config.names.events;
        let key = self.signer.public();
        let mut seen = std::collections::BTreeSet::new();
        for m in super::read_subject(stream, subject).await? {
            if key.signed(subject, &m.payload, m.headers.as_ref()) {
                if let Some(seq) = event_seq(&m.payload) {
                    seen.insert(seq);
                }
            }
        }
        let mut last = 0;
        for seq in seen {
            if seq != last + 1 {
                break;
            }
            last = seq;
        }
        Ok(last)
    }

    /// Publishes events `last+1 ..= upto` from the journal, a chunk at a time.
    async fn publish_from_journal(
        &mut self,
        js: &jetstream::Context,
        stream: &jetstream::stream::Stream,
        mut last: u64,
        upto: u64,
    ) -> anyhow::Result<u64> {
        // Relays make their own frames, `next` included, from the events.
        let mut read = crate::hub::read_back::read(
            self.config.journal.clone(),
            self.hub.plan().clone(),
            last,
            upto,
            None,
            None,
        );
        while let Some(chunk) = read.next().await {
            let chunk = chunk.map_err(anyhow::Error::msg)?;
            last = self.publish(js, stream, &chunk, last).await?;
        }
        Ok(last)
    }

    /// Publishes the events after `last`, all sent before any acknowledgement is
    /// awaited; the new last `seq` acknowledged with every one before it.
    async fn publish(
        &mut self,
        js: &jetstream::Context,
        stream: &jetstream::stream::Stream,
        events: &[Arc<Published>],
        mut last: u64,
    ) -> anyhow::Result<u64> {
        let subject = &self.config.names.events;
        let mut acks = Vec::with_capacity(events.len());
        for p in events.iter().filter(|p| p.entry.seq > last) {
            let id = self.signer.message_id(subject, p.entry.seq);
            let ack = js
                .publish_with_headers(
                    subject.clone(),
                    self.headers(&id, &p.frame),
                    p.frame.clone(),
                )
                .await?;
            acks.push((p, id, ack));
        }
        for (p, id, ack) in acks {
            let seq = p.entry.seq;
            let ack = ack
                .await
                .with_context(|| format!("event {seq} was not acknowledged"))?;
            if ack.duplicate {
                self.check_duplicate(js, stream, ack.sequence, p, &id)
                    .await?;
            }
            last = seq;
            self.acknowledged = Some(last);
        }
        Ok(last)
    }

    fn headers(&self, id: &str, frame: &[u8]) -> async_nats::HeaderMap {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Nats-Msg-Id", id);
        let sig = self.signer.sign(&self.config.names.events, frame);
        headers.insert(signature::HEADER, sig.as_str());
        headers
    }

    /// A "duplicate" must hold our own event: when what the stream holds under
    /// the id is not ours (someone else can publish to the meeting's subjects), the
    /// event is published again under a fresh id, and that is said.
    async fn check_duplicate(
        &self,
        js: &jetstream::Context,
        stream: &jetstream::stream::Stream,
        at: u64,
        p: &Published,
        id: &str,
    ) -> anyhow::Result<()> {
        let subject = &self.config.names.events;
        let held = stream
            .get_raw_message(at)
            .await
            .with_context(|| format!("cannot read message {at} of the stream"))?;
        let ours = self
            .signer
            .public()
            .signed(subject, &held.payload, Some(&held.headers))
            && event_seq(&held.payload) == Some(p.entry.seq);
        if ours {
            return Ok(());
        }
        let fresh = format!("{id}-{}", crate::server::tokens::generate()?);
        js.publish_with_headers(
            subject.clone(),
            self.headers(&fresh, &p.frame),
            p.frame.clone(),
        )
        .await?
        .await
        .with_context(|| format!("event {} was not acknowledged", p.entry.seq))?;
        tracing::warn!(
            "event {} was taken as a duplicate of message {at}, which is not this meeting's \
             (someone else can publish to its subjects: see docs/scale.md); published again \
             under a fresh id",
            p.entry.seq
        );
        self.alert(Alert::NotOurs { seq: p.entry.seq });
        Ok(())
    }
}

/// The `seq` an event message carries.
fn event_seq(payload: &[u8]) -> Option<u64> {
    #[derive(serde::Deserialize)]
    struct Seq {
        seq: u64,
    }
    serde_json::from_slice::<Seq>(payload).ok().map(|s| s.seq)
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
