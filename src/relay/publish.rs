//! The chair's server's side: every recorded event published to the meeting's
//! JetStream stream, in order, after it is durable, signed
//! ([`super::signature`]).
//!
//! The publisher is one more subscriber of the hub, like a connection: the hub
//! never waits for it, so NATS being slow or away never holds the meeting up (the
//! journal is the record). On its first connection it finds the events the stream
//! already holds from the first without a gap, by their deduplication ids (only
//! this meeting's key makes them), and goes on from the next one (from the hub's
//! memory or, when that is too far back, from the journal, a chunk at a time);
//! later connections go on from what it knows was acknowledged. An event's
//! deduplication id comes from the key, so a publish retried after a lost ack is
//! dropped by JetStream and nobody else can take the id first; should a
//! "duplicate" acknowledgement hold a message that is not ours, the event is
//! published again under a fresh id, and the chair is told.
//!
//! The stream is this meeting's when it holds this key's header for this journal:
//! whatever else anyone published to its subjects is left aside and reported,
//! never a reason to stop. Finding where the stream stands reads only the
//! messages' NATS headers (`scan_headers`) and fetches whole only the
//! few whose headers claim to be ours, so junk on the subjects costs a start
//! neither memory nor much time; and the stream takes no message larger than the
//! largest this meeting publishes ([`super::message_limit`]).
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
    /// Messages on the meeting's subjects that are not this meeting's (someone
    /// else can publish to them): left aside, as relays leave them.
    Foreign { messages: u64 },
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
            (Alert::Foreign { messages }, Zh) => format!("NATS 上本会议的主题里有 {messages} 条消息不是本会议签发的：已略过，转发节点也不会采用（有人能向本会议的主题发布，见 docs/scale.md）"),
            (Alert::Foreign { messages }, En) => format!("NATS: {messages} message(s) on the meeting's subjects are not signed by this meeting; left aside, as relays leave them (someone else can publish to its subjects: see docs/scale.md)"),
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
        limit: 0,
        record: Record::default(),
        written: Record::default(),
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
    /// The largest message the stream takes (`<= 0`: any).
    limit: i32,
    /// Where the stream stands, as known now, and as last written beside the
    /// journal.
    record: Record,
    written: Record,
    connected: Arc<AtomicBool>,
}

/// Where the stream stood when this meeting last published, kept beside the
/// journal (`<journal>.published`), so that a start finds it at once instead of
/// reading the stream's headers: which stream, where this meeting's header is in
/// it, and the last event acknowledged with every one before it and where that
/// is. Only a shortcut: each place is read back and its signature checked before
/// it is believed, and without it (or when it does not hold) the stream is read.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Record {
    stream: String,
    header: u64,
    seq: u64,
    at: u64,
}

/// Where a journal's [`Record`] is kept.
fn record_path(journal: &std::path::Path) -> PathBuf {
    let mut path = journal.as_os_str().to_owned();
    path.push(".published");
    PathBuf::from(path)
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

/// Whose the stream is, by the header messages on it.
#[derive(Debug, PartialEq, Eq)]
enum Standing {
    /// It holds this key's header for this journal.
    Ours,
    /// It holds no meeting's header yet.
    Fresh,
    /// It holds another meeting's: signed by another key, or by this one for
    /// another journal.
    Another,
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

    /// Connects, checks that the stream holds this meeting (or none yet), publishes
    /// the header when it is not there yet and finds where to go on from.
    async fn connect(&mut self) -> anyhow::Result<Connected> {
        let names = self.config.names.clone();
        let names = &names;
        let connected = self.connected.clone();
        let client = self
            .config
            .nats
            .connect_observed(move |up| connected.store(up, Ordering::Relaxed))
            .await?;
        self.connected.store(true, Ordering::Relaxed);
        let js = jetstream::new(client);
        let header = header_line(&self.config.journal)?;
        let (stream, limit) =
            super::meeting_stream(&js, names, super::message_limit(header.len())).await?;
        self.limit = limit;
        // Where the stream stood at the last start, when that still holds; else
        // what the stream's headers say.
        let kept = self.kept_record().filter(|r| r.stream == names.stream);
        self.record.stream = names.stream.clone();
        let (standing, mut foreign) = match self.recorded_header(&stream, &header, &kept).await? {
            true => (Standing::Ours, 0),
            false => self.standing(&stream, &header).await?,
        };
        match standing {
            Standing::Ours => {}
            Standing::Another => {
                return Err(AnotherMeeting {
                    stream: names.stream.clone(),
                    meeting: names.meeting.clone(),
                }
                .into())
            }
            Standing::Fresh => {
                let mut headers = async_nats::HeaderMap::new();
                let key = self.signer.public().to_hex();
                headers.insert(signature::KEY_HEADER, key.as_str());
                let sig = self.signer.sign(&names.header, &header);
                headers.insert(signature::HEADER, sig.as_str());
                let ack = js
                    .publish_with_headers(names.header.clone(), headers, header.into())
                    .await?
                    .await
                    .context("the header was not acknowledged")?;
                self.record.header = ack.sequence;
            }
        }
        let last = match self.acknowledged {
            Some(last) => last,
            None => {
                let last = match self.recorded_event(&stream, &kept).await? {
                    Some(last) => last,
                    None => {
                        let (last, theirs) = self.held(&stream).await?;
                        foreign += theirs;
                        last
                    }
                };
                self.acknowledged = Some(last);
                last
            }
        };
        self.keep_record();
        if foreign > 0 {
            tracing::warn!(
                stream = %self.config.names.stream,
                "{foreign} message(s) on the meeting's subjects are not signed by this meeting's \
                 key (someone else can publish to its subjects: see docs/scale.md); they are \
                 left aside, and relays never take them"
            );
            self.alert(Alert::Foreign { messages: foreign });
        }
        Ok(Connected { js, stream, last })
    }

    /// Whose the stream is: this meeting's when the last header this key signed
    /// is this journal's; another meeting's when it is another journal's, or when
    /// there is none of this key's and one signed by another key; a fresh stream
    /// otherwise. Besides, how many header messages are nobody's this key knows
    /// (unsigned, forged, or another key's). Only headers are read, and whole
    /// only those that name a key.
    async fn standing(
        &mut self,
        stream: &jetstream::stream::Stream,
        ours: &[u8],
    ) -> anyhow::Result<(Standing, u64)> {
        let subject = &self.config.names.header;
        let key = self.signer.public();
        let hex = key.to_hex();
        let (mut claimed, mut theirs, mut foreign) = (Vec::new(), Vec::new(), 0u64);
        super::scan_headers(stream, subject, |at, headers| {
            match headers.get(signature::KEY_HEADER).map(|k| k.as_str()) {
                Some(k) if k == hex => claimed.push(at),
                Some(_) => {
                    foreign += 1;
                    theirs.push(at);
                }
                None => foreign += 1,
            }
        })
        .await?;
        for &at in claimed.iter().rev() {
            let Some(m) = super::message(stream, subject, at).await? else {
                continue;
            };
            if key.signed(subject, &m.payload, Some(&m.headers)) {
                if m.payload.as_ref() != ours {
                    return Ok((Standing::Another, foreign));
                }
                self.record.header = at;
                return Ok((Standing::Ours, foreign));
            }
            foreign += 1; // it names this key, but this key did not sign it
        }
        for &at in theirs.iter().rev() {
            let Some(m) = super::message(stream, subject, at).await? else {
                continue;
            };
            let signed = m
                .headers
                .get(signature::KEY_HEADER)
                .and_then(|k| signature::PublicKey::from_hex(k.as_str()))
                .is_some_and(|k| k.signed(subject, &m.payload, Some(&m.headers)));
            if signed {
                return Ok((Standing::Another, foreign));
            }
        }
        Ok((Standing::Fresh, foreign))
    }

    /// The last event the stream holds with every one before it (0 when there
    /// is none), and how many messages on the events subject are not this
    /// meeting's. Events are told by their deduplication ids, which only this key
    /// makes, from the messages' headers alone; the last one is then read whole
    /// and its signature checked (an id copied onto something else is not the
    /// event).
    async fn held(&mut self, stream: &jetstream::stream::Stream) -> anyhow::Result<(u64, u64)> {
        let subject = &self.config.names.events;
        // Where event `seq` is in the stream, at index `seq - 1` (0: not there).
        let mut at_of: Vec<u64> = Vec::new();
        let mut foreign = 0;
        super::scan_headers(stream, subject, |at, headers| {
            let seq = headers
                .get("Nats-Msg-Id")
                .and_then(|id| self.signer.seq_of_id(subject, id.as_str()))
                .filter(|&seq| seq > 0);
            let Some(seq) = seq else {
                foreign += 1;
                return;
            };
            let i = (seq - 1) as usize;
            if at_of.len() <= i {
                at_of.resize(i + 1, 0);
            }
            if at_of[i] == 0 {
                at_of[i] = at;
            }
        })
        .await?;
        let mut last = at_of.iter().position(|&at| at == 0).unwrap_or(at_of.len()) as u64;
        let key = self.signer.public();
        while last > 0 {
            let at = at_of[last as usize - 1];
            if let Some(m) = super::message(stream, subject, at).await? {
                if key.signed(subject, &m.payload, Some(&m.headers))
                    && event_seq(&m.payload) == Some(last)
                {
                    (self.record.seq, self.record.at) = (last, at);
                    break;
                }
            }
            last -= 1;
        }
        Ok((last, foreign))
    }

    /// The record kept beside the journal, if there is one that reads.
    fn kept_record(&self) -> Option<Record> {
        let bytes = std::fs::read(record_path(&self.config.journal)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Whether the stream holds this journal's header, signed by this key, where
    /// the record says.
    async fn recorded_header(
        &mut self,
        stream: &jetstream::stream::Stream,
        ours: &[u8],
        kept: &Option<Record>,
    ) -> anyhow::Result<bool> {
        let Some(at) = kept.as_ref().map(|r| r.header).filter(|&at| at > 0) else {
            return Ok(false);
        };
        let subject = &self.config.names.header;
        let Some(m) = super::message(stream, subject, at).await? else {
            return Ok(false);
        };
        let holds = m.payload.as_ref() == ours
            && self
                .signer
                .public()
                .signed(subject, &m.payload, Some(&m.headers));
        if holds {
            self.record.header = at;
        }
        Ok(holds)
    }

    /// The last event the record says the stream holds with every one before
    /// it, when the stream holds it, signed by this key, where the record says.
    async fn recorded_event(
        &mut self,
        stream: &jetstream::stream::Stream,
        kept: &Option<Record>,
    ) -> anyhow::Result<Option<u64>> {
        let Some(Record { seq, at, .. }) = kept.clone().filter(|r| r.seq > 0) else {
            return Ok(None);
        };
        let subject = &self.config.names.events;
        let Some(m) = super::message(stream, subject, at).await? else {
            return Ok(None);
        };
        let holds = event_seq(&m.payload) == Some(seq)
            && self
                .signer
                .public()
                .signed(subject, &m.payload, Some(&m.headers));
        if !holds {
            return Ok(None);
        }
        (self.record.seq, self.record.at) = (seq, at);
        Ok(Some(seq))
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
        let largest = events.iter().map(|p| p.frame.len()).max().unwrap_or(0);
        let needed = super::message_limit(largest);
        if self.limit > 0 && needed > self.limit {
            // An event larger than any before (a plan changed mid-meeting).
            let (_, limit) = super::meeting_stream(js, &self.config.names, needed).await?;
            self.limit = limit;
        }
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
        let published = !acks.is_empty();
        for (p, id, ack) in acks {
            let seq = p.entry.seq;
            let ack = ack
                .await
                .with_context(|| format!("event {seq} was not acknowledged"))?;
            let at = if ack.duplicate {
                self.check_duplicate(js, stream, ack.sequence, p, &id)
                    .await?
            } else {
                ack.sequence
            };
            last = seq;
            self.acknowledged = Some(last);
            (self.record.seq, self.record.at) = (seq, at);
        }
        if published {
            self.keep_record();
        }
        Ok(last)
    }

    /// Writes the record of where the stream stands beside the journal, when it
    /// changed (a failure is only logged: the record is a shortcut).
    fn keep_record(&mut self) {
        if self.record == self.written {
            return;
        }
        let path = record_path(&self.config.journal);
        let mut tmp = path.clone().into_os_string();
        tmp.push(".tmp");
        let written = serde_json::to_vec(&self.record)
            .map_err(std::io::Error::other)
            .and_then(|json| std::fs::write(&tmp, json))
            .and_then(|()| std::fs::rename(&tmp, &path));
        match written {
            Ok(()) => self.written = self.record.clone(),
            Err(e) => tracing::debug!("cannot write {}: {e}", path.display()),
        }
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
    ) -> anyhow::Result<u64> {
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
            return Ok(at);
        }
        let fresh = format!("{id}-{}", crate::server::tokens::generate()?);
        let ack = js
            .publish_with_headers(
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
        Ok(ack.sequence)
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
