//! The hub as a task: the one writer of a live meeting. Commands from the console
//! and from every connection arrive through one bounded channel; whatever is waiting
//! is decided in order and made durable under one fsync (group commit); only then
//! is each event published, serialized once, to every subscriber, and each command
//! answered.

use super::state_at::StateAt;
use super::{Hub, HubError};
use crate::journal::Entry;
use crate::meeting::{apply, decide, Command, Ctx, Plan, Refusal, State};
use crate::protocol::ServerFrame;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::sync::{broadcast, mpsc, oneshot};

/// How many requests may wait for the hub.
pub const QUEUE: usize = 1024;
/// How many requests share one fsync at most.
pub const BATCH: usize = 256;
/// How many published events a subscriber may fall behind before it must resync.
pub const LAG: usize = 1024;
/// How many recent events the hub keeps for clients that resume.
pub const RECENT: usize = 8192;

/// One recorded event, as structure and as the frame every client gets.
#[derive(Debug)]
pub struct Published {
    pub entry: Entry,
    /// The event frame's JSON text, shared by every connection.
    pub frame: bytes::Bytes,
}

/// What a new subscriber gets: where the meeting stands, what it missed, and the
/// stream of what comes next, with no gap between them.
pub struct Subscription {
    pub seq: u64,
    /// The state as of `seq`, unless the subscriber resumed.
    pub snapshot: Option<Arc<StateAt>>,
    /// What the subscriber missed that only the journal still holds, to be read
    /// back (off the hub's task) before `missed`. Boxed: it is rare, and a
    /// connection holds its subscription for as long as it lasts.
    pub backlog: Option<Box<Backlog>>,
    /// Events after the subscriber's `resume_from` (or after the backlog), up to
    /// `seq`, from memory.
    pub missed: Vec<Arc<Published>>,
    pub events: broadcast::Receiver<Arc<Published>>,
}

/// Clients of one hub reading back from its journal at once; one that finds
/// every place taken is sent the state instead.
pub const READ_BACK_PLACES: usize = 2;

/// What a resuming client missed that only the journal still holds: the events
/// after `after` and before `before` (the oldest the hub keeps in memory), read
/// back by the subscriber (`Backlog::start`), never by the hub, in one of the
/// hub's [`READ_BACK_PLACES`], held until the reading is done.
pub struct Backlog {
    pub(super) journal: PathBuf,
    pub after: u64,
    pub before: u64,
    pub(super) plan: Arc<Plan>,
    /// The newest `next` when the client subscribed: every frame read back
    /// carries it (a client keeps the last frame's).
    pub(super) next: Option<crate::meeting::snapshot::NextView>,
    pub(super) place: tokio::sync::OwnedSemaphorePermit,
}

pub type Outcome = Result<Option<u64>, HubError>;

enum Request {
    Submit {
        actor: Option<String>,
        command: Command,
        reply: Option<oneshot::Sender<Outcome>>,
    },
    Subscribe {
        resume_from: Option<u64>,
        reply: oneshot::Sender<Subscription>,
    },
    Snapshot {
        reply: oneshot::Sender<Arc<StateAt>>,
    },
    /// A connection of this participant opened (+1) or closed (-1).
    Presence { participant: String, delta: i32 },
    /// Recorded events to publish as they were (a replay only).
    Play { entries: Vec<Entry> },
    /// Finish what came before, then stop (the server is stopping).
    Stop,
}

/// A handle to the hub task; cheap to clone.
#[derive(Clone)]
pub struct HubHandle {
    tx: mpsc::Sender<Request>,
    /// The last `seq` published, for whoever needs only that (`/healthz`).
    seq: Arc<AtomicU64>,
    plan: Arc<Plan>,
    /// Why the hub stopped recording, once it has.
    failure: Arc<OnceLock<Failure>>,
}

/// Why a meeting stopped: its journal could not be written. Nothing after `seq`
/// was recorded, acknowledged or shown; the journal is intact up to it.
#[derive(Debug, Clone)]
pub struct Failure {
    pub seq: u64,
    /// The disk (or a limit on file size) is full.
    pub full: bool,
    /// What the system said.
    pub cause: String,
}

impl Failure {
    /// What happened and what to do, for a person.
    pub fn sentence(&self) -> String {
        let what = if self.full {
            "the disk is full"
        } else {
            "the journal could not be written"
        };
        format!(
            "recording stopped: {what} ({}). The journal is intact up to event {}; nothing after \
             it was acknowledged or shown. {}run the same command again to resume the meeting.",
            self.cause,
            self.seq,
            if self.full {
                "Free some disk space, then "
            } else {
                "Fix the cause, then "
            }
        )
    }

    /// A close frame's reason (at most 123 bytes).
    pub fn close_reason(&self) -> &'static str {
        if self.full {
            "recording stopped: the disk is full"
        } else {
            "recording stopped: the journal could not be written"
        }
    }
}

impl HubHandle {
    /// The last `seq` published.
    pub fn seq(&self) -> u64 {
        self.seq.load(Ordering::Relaxed)
    }

    /// The meeting's plan.
    pub fn plan(&self) -> &Arc<Plan> {
        &self.plan
    }

    /// Why the hub stopped recording, once it has: the meeting is then over for
    /// this process (every request is refused).
    pub fn failure(&self) -> Option<&Failure> {
        self.failure.get()
    }

    /// Completes when the hub task has ended (a journal failure, or every other
    /// handle dropped).
    pub async fn closed(&self) {
        self.tx.closed().await
    }

    /// Whether the hub task has stopped.
    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }

    /// Decides, journals and publishes a command; answers with the last `seq` it
    /// produced once that is durable and published.
    pub async fn submit(&self, actor: Option<&str>, command: Command) -> Outcome {
        let (reply, rx) = oneshot::channel();
        let req = Request::Submit {
            actor: actor.map(String::from),
            command,
            reply: Some(reply),
        };
        if self.tx.send(req).await.is_err() {
            return Err(HubError::Stopped);
        }
        rx.await.unwrap_or(Err(HubError::Stopped))
    }

    pub async fn subscribe(&self, resume_from: Option<u64>) -> Option<Subscription> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Request::Subscribe { resume_from, reply })
            .await
            .ok()?;
        rx.await.ok()
    }

    /// The state as of the last event published.
    pub async fn snapshot(&self) -> Option<Arc<StateAt>> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Request::Snapshot { reply }).await.ok()?;
        rx.await.ok()
    }

    /// Publishes recorded events as if they happened now: how a replay is played.
    /// False once the hub has stopped.
    pub async fn play(&self, entries: Vec<Entry>) -> bool {
        self.tx.send(Request::Play { entries }).await.is_ok()
    }

    /// Asks the hub to finish what was asked before and then stop, closing its
    /// journal, whoever else still holds a handle (a publisher, a relay's
    /// follower): everything asked later is refused as [`HubError::Stopped`].
    pub async fn stop(&self) {
        let _ = self.tx.send(Request::Stop).await;
    }

    /// Tells the hub a connection opened or closed; presence events follow only
    /// when a participant's first connection opens or last one closes.
    pub async fn presence(&self, participant: &str, delta: i32) {
        let _ = self
            .tx
            .send(Request::Presence {
                participant: participant.to_string(),
                delta,
            })
            .await;
    }
}

use crate::clock::now_ms;

/// Starts the hub task on `hub`; it ends when every handle is dropped, closing the
/// journal cleanly.
pub fn spawn(
    hub: Hub,
    history: &[Entry],
) -> (HubHandle, tokio::task::JoinHandle<Result<(), HubError>>) {
    spawn_keeping(hub, history, RECENT)
}

/// [`spawn`], keeping the last `recent` events in memory for clients that resume
/// (older ones are read back from the journal).
pub fn spawn_keeping(
    hub: Hub,
    history: &[Entry],
    recent: usize,
) -> (HubHandle, tokio::task::JoinHandle<Result<(), HubError>>) {
    start(Source::Live(hub), history, recent, None)
}

/// Called with each event once it is durable and before anyone is told of it: a
/// walk-in's token is made here, so that nobody sees a participant without one.
pub type Observer = Box<dyn FnMut(&Entry) + Send>;

/// [`spawn`], with an [`Observer`] of what is recorded.
pub fn spawn_observed(
    hub: Hub,
    history: &[Entry],
    recent: usize,
    observer: Observer,
) -> (HubHandle, tokio::task::JoinHandle<Result<(), HubError>>) {
    start(Source::Live(hub), history, recent, Some(observer))
}

/// A hub that plays a recorded meeting: [`HubHandle::play`] publishes its events;
/// every command is refused (`forbidden`), since a replay can be watched, not
/// changed. Clients that resume are sent what they missed from memory or from
/// `journal`.
pub fn spawn_replay(
    plan: Arc<Plan>,
    journal: PathBuf,
) -> (HubHandle, tokio::task::JoinHandle<Result<(), HubError>>) {
    let state = State::new(plan);
    start(
        Source::Replay {
            state,
            journal: Some(journal),
            refusal: Refusal::Replay,
        },
        &[],
        RECENT,
        None,
    )
}

/// A hub that follows a meeting broadcast from elsewhere (a relay,
/// `crate::relay`): its events come in through [`HubHandle::play`] from the
/// stream, in order; every command is refused as a broadcast. Clients resume
/// from what it holds in memory (`recent` events), or get the state afresh.
pub fn spawn_relay(
    plan: Arc<Plan>,
    recent: usize,
) -> (HubHandle, tokio::task::JoinHandle<Result<(), HubError>>) {
    let state = State::new(plan);
    start(
        Source::Replay {
            state,
            journal: None,
            refusal: Refusal::Broadcast,
        },
        &[],
        recent,
        None,
    )
}

fn start(
    source: Source,
    history: &[Entry],
    recent: usize,
    observer: Option<Observer>,
) -> (HubHandle, tokio::task::JoinHandle<Result<(), HubError>>) {
    let (tx, rx) = mpsc::channel(QUEUE);
    let (events, _) = broadcast::channel(LAG);
    let seq = history.last().map_or(0, |e| e.seq);
    let published = Arc::new(AtomicU64::new(seq));
    let plan = source.state().plan.clone();
    let failure = Arc::new(OnceLock::new());
    let mut task = Task {
        last_at: history.last().map_or(0, |e| e.at_ms),
        seq,
        published: published.clone(),
        recent: VecDeque::new(),
        keep: recent.max(1),
        connections: Default::default(),
        failed: None,
        failure: failure.clone(),
        cached: None,
        places: Arc::new(tokio::sync::Semaphore::new(READ_BACK_PLACES)),
        source,
        events,
        observer,
    };
    let start = history.len().saturating_sub(task.keep);
    let now = now_ms();
    for e in &history[start..] {
        task.remember(e.clone(), now);
    }
    let join = tokio::spawn(task.run(rx));
    let handle = HubHandle {
        tx,
        seq: published,
        plan,
        failure,
    };
    (handle, join)
}

/// Where the hub's meeting comes from.
enum Source {
    /// A live meeting: decided, journaled, applied.
    Live(Hub),
    /// A recorded meeting played back (or followed from a broadcast): its state
    /// so far, its journal to read back from for clients that resume (a relay has
    /// none), and what every command is told.
    Replay {
        state: State,
        journal: Option<PathBuf>,
        refusal: Refusal,
    },
}

impl Source {
    fn state(&self) -> &State {
        match self {
            Source::Live(hub) => hub.state(),
            Source::Replay { state, .. } => state,
        }
    }

    fn journal_path(&self) -> Option<&Path> {
        match self {
            Source::Live(hub) => Some(hub.journal().path()),
            Source::Replay { journal, .. } => journal.as_deref(),
        }
    }
}

struct Task {
    source: Source,
    observer: Option<Observer>,
    events: broadcast::Sender<Arc<Published>>,
    recent: VecDeque<Arc<Published>>,
    /// How many events `recent` holds at most.
    keep: usize,
    seq: u64,
    /// `seq` as handles read it.
    published: Arc<AtomicU64>,
    /// The latest event time, so that time never runs backwards in the record.
    last_at: u64,
    connections: std::collections::HashMap<String, u32>,
    /// The journal's error, once a write failed: the task then stops.
    failed: Option<crate::journal::JournalError>,
    failure: Arc<OnceLock<Failure>>,
    /// The state as of `seq`, once someone asked for it.
    cached: Option<Arc<StateAt>>,
    /// The places of clients reading back from the journal at once.
    places: Arc<tokio::sync::Semaphore>,
}

impl Task {
    async fn run(mut self, mut rx: mpsc::Receiver<Request>) -> Result<(), HubError> {
        let mut batch = Vec::with_capacity(BATCH);
        let mut stopping = false;
        while !stopping && rx.recv_many(&mut batch, BATCH).await > 0 {
            let mut pending = Pending::default();
            for req in batch.drain(..) {
                if stopping || self.failed.is_some() {
                    // Nothing more is decided, and no state is handed out: what the
                    // hub holds may be ahead of the record. (A dropped reply is
                    // `Stopped` or `None` to whoever asked.)
                    continue;
                }
                match req {
                    Request::Submit {
                        actor,
                        command,
                        reply,
                    } => self.decide(actor.as_deref(), command, reply, &mut pending),
                    Request::Presence { participant, delta } => {
                        let count = self.connections.entry(participant.clone()).or_default();
                        let before = *count;
                        *count = count.saturating_add_signed(delta);
                        let after = *count;
                        if (before == 0) != (after == 0) {
                            let command = Command::SetPresence {
                                participant,
                                online: after > 0,
                            };
                            self.decide(None, command, None, &mut pending);
                        }
                    }
                    // Whoever asks for the state gets it as of what is durable and
                    // published: what is pending goes first.
                    Request::Subscribe { resume_from, reply } => {
                        self.commit(&mut pending);
                        let _ = reply.send(self.subscription(resume_from));
                    }
                    Request::Snapshot { reply } => {
                        self.commit(&mut pending);
                        let _ = reply.send(self.state_at());
                    }
                    Request::Play { entries } => self.play(entries),
                    // What follows in this batch is dropped unanswered: `Stopped`.
                    Request::Stop => stopping = true,
                }
            }
            self.commit(&mut pending);
            if self.failed.is_some() {
                break;
            }
        }
        // A stop keeps the time spent: the turn's clock is paused as of now,
        // recorded and published like any other event.
        if self.failed.is_none() {
            if let Source::Live(hub) = &self.source {
                if let Some((chair, command)) = hub.stopping() {
                    let mut pending = Pending::default();
                    self.decide(chair.as_deref(), command, None, &mut pending);
                    self.commit(&mut pending);
                }
            }
        }
        // Whoever asks from now on is told at once that the hub has stopped.
        rx.close();
        if let Some(e) = self.failed.take() {
            // Every subscriber hears the end now (the broadcast closes), and every
            // handle's next request is refused.
            return Err(HubError::Journal(e));
        }
        match self.source {
            Source::Live(hub) => hub.close().map_err(HubError::Journal),
            Source::Replay { .. } => Ok(()),
        }
    }

    /// Publishes recorded events (a replay's): applied, remembered, sent.
    fn play(&mut self, entries: Vec<Entry>) {
        let Source::Replay { state, .. } = &mut self.source else {
            return;
        };
        for e in &entries {
            apply(state, &e.to_event());
        }
        let now = now_ms();
        for e in entries {
            self.seq = e.seq;
            self.last_at = e.at_ms;
            let published = self.remember(e, now);
            let _ = self.events.send(published);
        }
        self.published.store(self.seq, Ordering::Relaxed);
    }

    fn decide(
        &mut self,
        actor: Option<&str>,
        command: Command,
        reply: Option<oneshot::Sender<Outcome>>,
        pending: &mut Pending,
    ) {
        let now = now_ms().max(self.last_at);
        let hub = match &mut self.source {
            Source::Live(hub) => hub,
            Source::Replay { refusal, .. } => {
                if let Some(r) = reply {
                    pending.refused.push((r, refusal.clone()));
                }
                return;
            }
        };
        let state = hub.state_mut();
        match decide(state, command, Ctx { now_ms: now, actor }) {
            Ok(events) => {
                // Applied now so the next command in the batch sees it; nobody is
                // told before the batch is durable.
                for e in &events {
                    apply(state, e);
                }
                self.last_at = now;
                pending.events.extend(events);
                if let Some(r) = reply {
                    pending.replies.push((r, pending.events.len()));
                }
            }
            Err(rejection) => {
                if let Some(r) = reply {
                    pending.refused.push((r, rejection));
                }
            }
        }
    }

    /// Makes what is pending durable, publishes it, and answers.
    fn commit(&mut self, pending: &mut Pending) {
        for (reply, rejection) in pending.refused.drain(..) {
            let _ = reply.send(Err(HubError::Refused(rejection)));
        }
        if pending.events.is_empty() {
            for (reply, _) in pending.replies.drain(..) {
                let _ = reply.send(Ok(None));
            }
            return;
        }
        let first = self.seq + 1;
        let Source::Live(hub) = &mut self.source else {
            return;
        };
        match hub.record(std::mem::take(&mut pending.events)) {
            Ok(entries) => {
                let now = now_ms();
                for e in entries {
                    if let Some(observe) = &mut self.observer {
                        observe(&e);
                    }
                    self.seq = e.seq;
                    let published = self.remember(e, now);
                    let _ = self.events.send(published);
                }
                self.published.store(self.seq, Ordering::Relaxed);
                for (reply, upto) in pending.replies.drain(..) {
                    let _ = reply.send(Ok((upto > 0).then(|| first + upto as u64 - 1)));
                }
            }
            Err(e) => {
                // The state is ahead of the record now: stop, so that nothing more is
                // acknowledged or shown; a restart reopens the journal as it is.
                tracing::error!("journal failed, the meeting stops: {e}");
                let _ = self.failure.set(Failure {
                    seq: self.seq,
                    full: e.is_full(),
                    cause: e.to_string(),
                });
                self.cached = None;
                self.recent.clear();
                self.failed = Some(e);
                for (reply, _) in pending.replies.drain(..) {
                    let _ = reply.send(Err(HubError::Stopped));
                }
            }
        }
    }

    fn remember(&mut self, entry: Entry, now: u64) -> Arc<Published> {
        let state = self.source.state();
        let next = crate::meeting::snapshot::NextView::of(state);
        let frame =
            bytes::Bytes::from(ServerFrame::public_event(&entry, &state.plan, now, next).to_json());
        let published = Arc::new(Published { entry, frame });
        if self.recent.len() == self.keep {
            self.recent.pop_front();
        }
        self.recent.push_back(published.clone());
        published
    }

    /// The state as of `seq`, made once for however many ask while it holds.
    fn state_at(&mut self) -> Arc<StateAt> {
        match &self.cached {
            Some(at) if at.seq == self.seq => at.clone(),
            _ => {
                let at = Arc::new(StateAt::new(self.seq, self.source.state()));
                self.cached = Some(at.clone());
                at
            }
        }
    }

    fn subscription(&mut self, resume_from: Option<u64>) -> Subscription {
        let events = self.events.subscribe();
        let oldest = self.recent.front().map_or(self.seq + 1, |p| p.entry.seq);
        match resume_from {
            Some(from) if from <= self.seq && from + 1 >= oldest => Subscription {
                seq: self.seq,
                snapshot: None,
                backlog: None,
                missed: self
                    .recent
                    .iter()
                    .filter(|p| p.entry.seq > from)
                    .cloned()
                    .collect(),
                events,
            },
            // Older than memory holds: read back from the journal (by whoever
            // subscribed, not here) when a reader's place is free, unless so
            // much was missed that the state itself is the shorter way.
            Some(from) if from <= self.seq && oldest - from <= FROM_JOURNAL_AT_MOST => {
                let Some(journal) = self.source.journal_path().map(Path::to_path_buf) else {
                    return self.with_state(events);
                };
                let Ok(place) = self.places.clone().try_acquire_owned() else {
                    return self.with_state(events);
                };
                let backlog = Backlog {
                    journal,
                    after: from,
                    before: oldest,
                    plan: self.source.state().plan.clone(),
                    next: crate::meeting::snapshot::NextView::of(self.source.state()),
                    place,
                };
                Subscription {
                    seq: self.seq,
                    snapshot: None,
                    backlog: Some(Box::new(backlog)),
                    missed: self.recent.iter().cloned().collect(),
                    events,
                }
            }
            _ => self.with_state(events),
        }
    }

    /// A subscription that starts with the state.
    fn with_state(&mut self, events: broadcast::Receiver<Arc<Published>>) -> Subscription {
        Subscription {
            seq: self.seq,
            snapshot: Some(self.state_at()),
            backlog: None,
            missed: Vec::new(),
            events,
        }
    }
}

/// How many events a resuming client may be sent from the journal (besides the
/// [`RECENT`] from memory) before it is sent the state instead: a few MB of
/// frames, where the state is a few dozen KB. A client that missed more needs the
/// meeting as it stands, not its history (the contract lets the server send the
/// state when the events are "no longer all available").
pub const FROM_JOURNAL_AT_MOST: u64 = 16_384;

#[derive(Default)]
struct Pending {
    events: Vec<crate::meeting::Event>,
    /// Each reply with how many pending events existed when its command was decided.
    replies: Vec<(oneshot::Sender<Outcome>, usize)>,
    refused: Vec<(oneshot::Sender<Outcome>, Refusal)>,
}
