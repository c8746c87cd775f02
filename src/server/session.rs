//! One participant's websocket, after the upgrade: hello, welcome, then intents in
//! and events out until either side goes. Limits: hello within 10 s, frames up to
//! 64 KiB, about 20 frames a second, a ping every 15 s and a drop after 45 s of
//! silence, a write that takes longer than 10 s closes the connection (4008)
//! instead of stalling anyone.
//!
//! Every ending follows RFC 6455 §7: the server sends a close frame with its code
//! (1002 for a protocol violation, 1007 for text that is not UTF-8, 1008 for too
//! many frames, 1009 for a frame too large, 400x for the contract's reasons), then
//! reads and discards until the client's own close or two seconds, so that what it
//! sent last is not lost to a TCP reset; a client's close is answered.
//!
//! The session is generic over its stream: plain TCP after an HTTP upgrade, or TLS.
//! Frames are read by [`inbox`] and written by [`outbox`], straight on the stream.
//!
//! What a connection holds while it waits is what its task holds across the
//! `select!` of its loop, and the task's allocation is as large as its largest
//! state: so whatever runs once or now and then (the hello, the welcome, each
//! write, each frame from the client, the close) is boxed, and lives only while it
//! runs.

use super::admission::Ticket;
use super::inbox::{self, Broken, Inbox};
use super::limits::Bucket;
use super::outbox;
use super::Shared;
use crate::clock::now_ms;
use crate::hub::task::{Published, Subscription};
use crate::hub::HubError;
use crate::protocol::{close, parse_client, ClientFrame, ErrorCode, ServerFrame, You, PROTOCOL};
use crate::server::tokens::MAX_TOKEN_BYTES;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};
use tokio::sync::{broadcast, watch};
use tokio::time::timeout;

/// How long a closing connection waits for the client's own close frame.
pub const CLOSE_WAIT: Duration = Duration::from_secs(2);

/// What a session's stream must be.
pub trait Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> Stream for S {}

/// How a connection ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// The server closes: this code and reason, then waits for the client's close.
    Close(u16, &'static str),
    /// The client closed: its close is answered.
    PeerClosed,
    /// The stream is gone (reset, or broken mid-write): nothing can be sent.
    Gone,
}

/// A client that cannot take a control frame (a ping) in time: a ping is small,
/// so its close frame can still be tried.
const TOO_SLOW: End = End::Close(close::TOO_SLOW, "too slow to keep up");
const STOPPED: End = End::Close(close::GOING_AWAY, "the meeting has stopped");
/// The reason a replaced connection is given; the page and `join` say it.
const REPLACED: End = End::Close(
    close::REPLACED,
    "replaced: you opened this meeting in another place (a few at once at most)",
);

/// How a connection ends when the hub has stopped: 1011 with why, when its record
/// could not be written; 1001 when the server is going away.
fn stopped(shared: &Shared) -> End {
    match shared.hub.failure() {
        Some(failure) => End::Close(close::INTERNAL_ERROR, failure.close_reason()),
        None => STOPPED,
    }
}

/// The connection itself: its stream, and what has been read of the frame the
/// client is sending.
struct Wire<S> {
    stream: S,
    inbox: Inbox,
}

impl<S: Stream> Wire<S> {
    /// The client's next frame (cancel-safe).
    async fn next(&mut self) -> Result<inbox::Frame, Broken> {
        self.inbox.next(&mut self.stream).await
    }
}

/// A websocket upgraded from `stream` (`read_ahead`: what was read past the
/// upgrade request, frames a client sent without waiting): the hello, a seat, the
/// subscription, and the session that serves it from then on; `None` when the
/// connection ended before (said why and closed). What this holds is large and
/// brief: the caller boxes it, so that no connection's task is as large for all
/// its life.
pub(crate) async fn join<S: Stream>(
    stream: S,
    read_ahead: Vec<u8>,
    peer: SocketAddr,
    mut ticket: Ticket,
    shared: &Arc<Shared>,
) -> Option<Session<S>> {
    let mut wire = Wire {
        stream,
        inbox: Inbox::new(read_ahead, shared.config.max_frame),
    };
    let (you, hello) = match hello(&mut wire, shared).await {
        Ok(hello) => hello,
        Err(end) => {
            finish(wire, end).await;
            return None;
        }
    };
    ticket.known();
    tracing::Span::current().record("participant", you.id.as_str());
    let seat = match shared.seats.take(&you, peer.ip()) {
        Ok(seat) => seat,
        Err(full) => {
            let error = refusal(
                ErrorCode::RateLimited,
                "too_many_from_address",
                format!(
                    "your address holds {} connections to this meeting already: try again later",
                    full.limit
                ),
            );
            let _ = send(&mut wire, &error, shared).await;
            let end = End::Close(
                close::TRY_AGAIN_LATER,
                "too many connections from your address",
            );
            finish(wire, end).await;
            return None;
        }
    };
    let Some(subscription) = shared.hub.subscribe(hello.resume_from).await else {
        // (the hub answers None only when it has stopped)
        finish(wire, stopped(shared)).await;
        return None;
    };
    shared.hub.presence(&you.id, 1).await;
    tracing::debug!(%peer, participant = %you.id, "joined");
    let session = Session {
        shared: shared.clone(),
        you,
        wire,
        // A resumed client holds events up to its resume_from and is sent the rest.
        delivered: match (&subscription.snapshot, hello.resume_from) {
            (None, Some(from)) => from,
            _ => subscription.seq,
        },
        bucket: Bucket::new(shared.config.rate, shared.config.burst),
        strikes: 0,
        last_seen: Instant::now(),
        full_state: hello.full_state,
        seat,
        _ticket: ticket,
        sub: subscription,
        peer,
    };
    Some(session)
}

/// The bytes of a close frame: the code, then as much of the reason as fits in a
/// control frame (125 bytes), cut between characters.
fn close_payload(code: u16, reason: &str) -> Vec<u8> {
    let mut cut = reason.len().min(123);
    while !reason.is_char_boundary(cut) {
        cut -= 1;
    }
    [&code.to_be_bytes()[..], &reason.as_bytes()[..cut]].concat()
}

/// Ends a connection as RFC 6455 §7 says: our close frame (or the answer to the
/// client's), then whatever the client still sends is read and discarded until its
/// close arrives or [`CLOSE_WAIT`] passes, and only then is the stream dropped. A
/// stream dropped with unread input is reset by the kernel, and a reset makes the
/// client throw away what it had not read yet: the errors and the close frame that
/// say why it was closed.
async fn finish<S: Stream>(mut wire: Wire<S>, end: End) {
    let frame = match end {
        End::Gone => return,
        End::PeerClosed => match wire.inbox.take_answer() {
            Some(answer) => answer,
            None => return,
        },
        End::Close(code, reason) => close_payload(code, reason),
    };
    let deadline = tokio::time::Instant::now() + CLOSE_WAIT;
    let sending = outbox::write_control(&mut wire.stream, outbox::CLOSE, &frame, CLOSE_WAIT);
    let sent = tokio::time::timeout_at(deadline, sending).await;
    // A client's close that is answered is the end of both.
    if !matches!(sent, Ok(Ok(()))) || end == End::PeerClosed {
        return;
    }
    let drained = tokio::time::timeout_at(deadline, async {
        loop {
            match wire.next().await {
                // Data after our close is discarded; the client's close ends it.
                Ok(inbox::Frame::Close) | Err(Broken::Ended) => return true,
                Ok(_) => {}
                // A stream that cannot be read as frames: discard it raw.
                Err(_) => return false,
            }
        }
    })
    .await;
    if let Ok(false) = drained {
        let mut sink = [0u8; 4096];
        let _ = tokio::time::timeout_at(deadline, async {
            while matches!(wire.stream.read(&mut sink).await, Ok(n) if n > 0) {}
        })
        .await;
    }
}

/// Why a stream could not be read, as the close that answers it.
fn on_read_error(e: &Broken) -> End {
    match e {
        Broken::TooLarge { .. } => End::Close(close::TOO_BIG, "frame too large"),
        Broken::Utf8 => End::Close(close::INVALID_DATA, "text frames must be UTF-8"),
        // A stream that ends without a close is a violation too (§7.1.1).
        Broken::Protocol | Broken::Ended => {
            End::Close(close::PROTOCOL_ERROR, "websocket protocol violation")
        }
        Broken::Io(e) => {
            tracing::debug!("a read failed: {e}");
            End::Gone
        }
    }
}

/// What a hello asks for besides admission.
struct Hello {
    resume_from: Option<u64>,
    full_state: bool,
}

/// Waits for `hello`, checks protocol and token. Whatever is wrong with it is said
/// in an error frame before the close.
async fn hello<S: Stream>(wire: &mut Wire<S>, shared: &Shared) -> Result<(You, Hello), End> {
    let no_hello = End::Close(
        close::NO_HELLO,
        "the first frame must be hello, within 10 s",
    );
    let first = match timeout(shared.config.hello_timeout, wire.next()).await {
        Err(_) => return Err(no_hello),
        Ok(Ok(inbox::Frame::Text(text))) => text,
        Ok(Ok(inbox::Frame::Close)) => return Err(End::PeerClosed),
        Ok(Ok(inbox::Frame::Binary)) => {
            let error = refusal(
                ErrorCode::BadRequest,
                "binary_frame",
                "binary frames are refused: send hello as JSON text",
            );
            let _ = send(wire, &error, shared).await;
            return Err(no_hello);
        }
        Ok(Ok(_)) => return Err(no_hello),
        Ok(Err(Broken::TooLarge {
            size,
            max: max_size,
        })) => {
            let error = refusal(
                ErrorCode::TooLarge,
                "frame_too_large",
                format!("a hello of {size} bytes; frames have at most {max_size}"),
            );
            let _ = send(wire, &error, shared).await;
            return Err(End::Close(close::TOO_BIG, "frame too large"));
        }
        Ok(Err(e)) => return Err(on_read_error(&e)),
    };
    let (protocol, token, hello) = match parse_client(&first) {
        Ok(ClientFrame::Hello {
            protocol,
            token,
            resume_from,
            full_state,
            ..
        }) => (
            protocol,
            token,
            Hello {
                resume_from,
                full_state,
            },
        ),
        Ok(_) => {
            let error = refusal(
                ErrorCode::BadRequest,
                "hello_expected",
                "the first frame must be hello",
            );
            let _ = send(wire, &error, shared).await;
            return Err(no_hello);
        }
        Err(bad) => {
            let error = refusal(ErrorCode::BadRequest, "bad_hello", bad.message);
            let _ = send(wire, &error, shared).await;
            return Err(no_hello);
        }
    };
    if protocol != PROTOCOL {
        let error = refusal(
            ErrorCode::UnsupportedProtocol,
            "unsupported_protocol",
            format!("this server speaks protocol {PROTOCOL}, not {protocol}"),
        );
        let _ = send(wire, &error, shared).await;
        return Err(End::Close(
            close::UNSUPPORTED_PROTOCOL,
            "unsupported protocol",
        ));
    }
    if token.len() > MAX_TOKEN_BYTES {
        let error = refusal(
            ErrorCode::Unauthorized,
            "token_too_long",
            format!("a token has at most {MAX_TOKEN_BYTES} bytes: ask the chair for yours"),
        );
        let _ = send(wire, &error, shared).await;
        return Err(End::Close(close::UNAUTHORIZED, "unknown token"));
    }
    match shared.tokens.find(&token) {
        Some(you) => Ok((you.clone(), hello)),
        None => {
            let error = refusal(
                ErrorCode::Unauthorized,
                "unknown_token",
                "unknown token: ask the chair for yours",
            );
            let _ = send(wire, &error, shared).await;
            Err(End::Close(close::UNAUTHORIZED, "unknown token"))
        }
    }
}

/// An error frame that answers no intent.
fn refusal(code: ErrorCode, reason: &str, message: impl Into<String>) -> ServerFrame {
    ServerFrame::refusal(None, code, reason, message, now_ms())
}

async fn send<S: Stream>(
    wire: &mut Wire<S>,
    frame: &ServerFrame,
    shared: &Shared,
) -> Result<(), End> {
    let text = bytes::Bytes::from(frame.to_json());
    let limit = shared.config.write_timeout;
    written(outbox::write_texts(&mut wire.stream, &[std::slice::from_ref(&text)], limit).await)
}

/// How a write of ours ended: a client that took nothing for the limit is closed
/// with 4008 when the stream was left between frames, else let go.
fn written(result: Result<(), outbox::Unwritten>) -> Result<(), End> {
    match result {
        Ok(()) => Ok(()),
        Err(outbox::Unwritten::TooSlow { clean: true }) => Err(TOO_SLOW),
        Err(outbox::Unwritten::TooSlow { clean: false }) => Err(End::Gone),
        Err(outbox::Unwritten::Broken(e)) => {
            tracing::debug!("a write failed: {e}");
            Err(End::Gone)
        }
    }
}

/// A websocket after its hello, until it ends.
pub(crate) struct Session<S> {
    shared: Arc<Shared>,
    you: You,
    wire: Wire<S>,
    /// The last `seq` this client has been sent.
    delivered: u64,
    bucket: Bucket,
    strikes: u32,
    last_seen: Instant,
    /// Whether the client asked for states with `plan` and `core`.
    full_state: bool,
    /// Its place among the participant's (or the address's) connections.
    seat: super::seats::Seat,
    /// Its place among the server's connections, given back when dropped.
    _ticket: Ticket,
    /// The hub's events, and (until the welcome) the state and what was missed.
    sub: Subscription,
    peer: SocketAddr,
}

impl<S: Stream> Session<S> {
    /// Serves the session until it ends, and closes it. What a waiting
    /// connection holds is this future: the session in it once (an `async fn`
    /// taking it by value would hold it twice), and the futures of the loop's
    /// `select!`.
    #[allow(clippy::manual_async_fn)] // on purpose: see above
    pub(crate) fn run(
        mut self,
        mut stop: watch::Receiver<bool>,
    ) -> impl std::future::Future<Output = ()> + Send {
        async move {
            let end = self.wait(&mut stop).await;
            Box::pin(self.leave(end)).await;
        }
    }

    async fn wait(&mut self, stop: &mut watch::Receiver<bool>) -> End {
        let mut notices = match Box::pin(self.greet(stop)).await {
            Ok(notices) => notices,
            Err(end) => return end,
        };
        let mut ping = tokio::time::interval(self.shared.config.ping_interval);
        ping.tick().await;
        loop {
            // What the connection holds while it waits is this select's futures
            // and little else: the work of each branch is boxed, held only while
            // it runs (an allocation per event is nothing next to its write).
            let step = tokio::select! {
                notice = next_notice(&mut notices) => match notice {
                    Some(n) => Box::pin(self.notice(&n)).await,
                    None => Ok(()),
                },
                frame = self.wire.next() => Box::pin(self.incoming(frame)).await,
                published = self.sub.events.recv() => Box::pin(self.outgoing(published)).await,
                _ = ping.tick() => Box::pin(self.keep_alive()).await,
                _ = self.seat.replaced() => Err(REPLACED),
                _ = stop.changed() => Err(self.stopping()),
            };
            if let Err(end) = step {
                return end;
            }
        }
    }

    /// What a client is sent before it waits: the welcome, what is read back from
    /// the journal for it, what it missed, a notice in force. The notices to wait
    /// for.
    async fn greet(
        &mut self,
        stop: &mut watch::Receiver<bool>,
    ) -> Result<Option<watch::Receiver<Option<super::Notice>>>, End> {
        // What only the journal holds is read back off the hub's task (by one of
        // a few readers at a time: the hub sent the state instead when none was
        // free).
        let read_back = self.sub.backlog.take().map(|b| (*b).start());
        // The welcome (the whole state, for a large plan hundreds of KiB) is sent and
        // dropped here, not kept for as long as the connection lasts.
        self.welcome(false).await?;
        if let Some(reading) = read_back {
            self.deliver_read_back(reading, stop).await?;
        }
        let missed = std::mem::take(&mut self.sub.missed);
        self.deliver_all(missed).await?;
        let mut notices = self.shared.config.notices.clone();
        // One joining while something is wrong is told at once (not that all is
        // well again: that is news only to those who were told otherwise).
        let now = notices.as_mut().and_then(|n| n.borrow_and_update().clone());
        if let Some(notice) = now.filter(|n| !n.all_clear) {
            self.notice(&notice).await?;
        }
        Ok(notices)
    }

    /// The participant is gone from the meeting, and the connection is closed.
    async fn leave(self, end: End) {
        let Session {
            wire,
            you,
            shared,
            peer,
            ..
        } = self;
        shared.hub.presence(&you.id, -1).await;
        tracing::debug!(%peer, participant = %you.id, ?end, "left");
        finish(wire, end).await;
    }

    async fn send(&mut self, frame: &ServerFrame) -> Result<(), End> {
        send(&mut self.wire, frame, &self.shared).await
    }

    /// How the connection ends when the server is told to stop.
    fn stopping(&self) -> End {
        match self.shared.hub.failure() {
            Some(_) => stopped(&self.shared),
            None => End::Close(close::GOING_AWAY, self.shared.config.stop_reason),
        }
    }

    /// Writes what is read back from the journal, a chunk at a time, as it comes;
    /// a journal that cannot be read gets the client the meeting afresh.
    async fn deliver_read_back(
        &mut self,
        mut reading: crate::hub::read_back::ReadBack,
        stop: &mut watch::Receiver<bool>,
    ) -> Result<(), End> {
        loop {
            let chunk = tokio::select! {
                chunk = reading.next() => chunk,
                _ = self.seat.replaced() => return Err(REPLACED),
                _ = stop.changed() => return Err(self.stopping()),
            };
            match chunk {
                // A client that took all of it is there, whatever it said meanwhile
                // (nothing of it is read until now).
                None => {
                    self.last_seen = Instant::now();
                    return Ok(());
                }
                Some(Ok(events)) => self.deliver_all(events).await?,
                Some(Err(e)) => {
                    tracing::warn!("reading back from the journal for a client: {e}");
                    return self.resync().await;
                }
            }
        }
    }

    async fn notice(&mut self, n: &super::Notice) -> Result<(), End> {
        self.send(&ServerFrame::Notice {
            reason: n.reason.to_string(),
            messages: crate::protocol::Messages {
                zh: n.zh.clone(),
                en: n.en.clone(),
            },
            server_time_ms: now_ms(),
        })
        .await
    }

    /// Writes the events this client does not have yet, in one vectored write.
    async fn deliver_all(&mut self, events: Vec<Arc<Published>>) -> Result<(), End> {
        let frames: Vec<&[bytes::Bytes]> = events
            .iter()
            .filter(|p| p.entry.seq > self.delivered)
            .map(|p| std::slice::from_ref(&p.frame))
            .collect();
        let Some(last) = events.last().map(|p| p.entry.seq) else {
            return Ok(());
        };
        if frames.is_empty() {
            return Ok(());
        }
        let limit = self.shared.config.write_timeout;
        written(outbox::write_texts(&mut self.wire.stream, &frames, limit).await)?;
        self.delivered = self.delivered.max(last);
        Ok(())
    }

    async fn outgoing(
        &mut self,
        published: Result<Arc<Published>, broadcast::error::RecvError>,
    ) -> Result<(), End> {
        match published {
            Ok(p) => {
                let mut batch = vec![p];
                while let Ok(p) = self.sub.events.try_recv() {
                    batch.push(p);
                }
                self.deliver_all(batch).await
            }
            Err(broadcast::error::RecvError::Lagged(_)) => self.resync().await,
            Err(broadcast::error::RecvError::Closed) => Err(stopped(&self.shared)),
        }
    }

    /// A client that fell behind gets the meeting afresh: a new welcome with the
    /// full state (`resumed: false`), never a silent gap.
    async fn resync(&mut self) -> Result<(), End> {
        let Some(fresh) = self.shared.hub.subscribe(None).await else {
            return Err(stopped(&self.shared));
        };
        self.delivered = fresh.seq;
        self.sub = fresh;
        self.welcome(true).await
    }

    /// Sends a welcome with the subscription's state (taken from it); `afresh`: to a
    /// client that fell behind, which is never told it resumed.
    async fn welcome(&mut self, afresh: bool) -> Result<(), End> {
        let state = self.sub.snapshot.take();
        let your_votes = state
            .as_ref()
            .map(|s| s.votes_of(&self.you.id))
            .unwrap_or_default();
        let head = crate::protocol::welcome_head(crate::protocol::Welcome {
            server_time_ms: now_ms(),
            you: &self.you,
            seq: self.sub.seq,
            resumed: !afresh && state.is_none(),
            clock_rate: crate::clock::speed(),
            your_votes: &your_votes,
            watch: self.shared.config.watch,
        });
        self.send_with_state(head, state.map(|s| s.json(self.full_state)))
            .await
    }

    /// A frame whose state is shared: its head, the state's JSON (or `null`), `}`.
    async fn send_with_state(
        &mut self,
        head: String,
        state: Option<bytes::Bytes>,
    ) -> Result<(), End> {
        let parts = [
            bytes::Bytes::from(head),
            state.unwrap_or(bytes::Bytes::from_static(b"null")),
            bytes::Bytes::from_static(b"}"),
        ];
        let limit = self.shared.config.write_timeout;
        written(outbox::write_texts(&mut self.wire.stream, &[&parts], limit).await)
    }

    /// Sends what the hub has published up to `seq` before answering, so that an
    /// ack or a snapshot never overtakes the events it speaks of.
    async fn catch_up(&mut self, seq: u64) -> Result<(), End> {
        let mut batch = Vec::new();
        let mut upto = self.delivered;
        while upto < seq {
            match self.sub.events.try_recv() {
                Ok(p) => {
                    upto = upto.max(p.entry.seq);
                    batch.push(p);
                }
                Err(broadcast::error::TryRecvError::Lagged(_)) => return self.resync().await,
                Err(_) => break,
            }
        }
        self.deliver_all(batch).await
    }

    async fn keep_alive(&mut self) -> Result<(), End> {
        if self.last_seen.elapsed() > self.shared.config.idle_timeout {
            // Silent for 45 s: the client (or its network) is gone.
            return Err(End::Gone);
        }
        let limit = self.shared.config.write_timeout;
        written(outbox::write_control(&mut self.wire.stream, outbox::PING, &[], limit).await)
    }

    async fn incoming(&mut self, frame: Result<inbox::Frame, Broken>) -> Result<(), End> {
        let now = Instant::now();
        let message = match frame {
            Ok(inbox::Frame::Close) => return Err(End::PeerClosed),
            Err(Broken::TooLarge {
                size,
                max: max_size,
            }) => {
                let error = refusal(
                    ErrorCode::TooLarge,
                    "frame_too_large",
                    format!("a frame of {size} bytes; at most {max_size} are taken"),
                );
                let _ = self.send(&error).await;
                return Err(End::Close(close::TOO_BIG, "frame too large"));
            }
            Err(e) => return Err(on_read_error(&e)),
            Ok(m) => m,
        };
        self.last_seen = now;
        let text = match message {
            inbox::Frame::Text(text) => text,
            inbox::Frame::Binary => {
                return self
                    .refuse(
                        None,
                        ErrorCode::BadRequest,
                        "binary_frame",
                        "binary frames are refused: send JSON text",
                    )
                    .await
            }
            // A ping is answered at once with its payload (§5.5.3); a pong only
            // says the client is there.
            inbox::Frame::Ping(payload) => {
                let limit = self.shared.config.write_timeout;
                let pong =
                    outbox::write_control(&mut self.wire.stream, outbox::PONG, &payload, limit);
                return written(pong.await);
            }
            inbox::Frame::Pong | inbox::Frame::Close => return Ok(()),
        };
        if !self.bucket.take(now) {
            self.strikes += 1;
            if self.strikes > self.shared.config.rate_strikes {
                return Err(End::Close(close::POLICY, "too many frames"));
            }
            // The intent's id, when it has one, so the client knows which was refused.
            let id = match parse_client(&text) {
                Ok(ClientFrame::Intent { id, .. }) => Some(id),
                Err(bad) => bad.id,
                _ => None,
            };
            return self
                .refuse(
                    id,
                    ErrorCode::RateLimited,
                    "rate_limited",
                    "too many frames: slow down (about 20 a second)",
                )
                .await;
        }
        match parse_client(&text) {
            Err(bad) => {
                self.refuse(bad.id, ErrorCode::BadRequest, "bad_frame", &bad.message)
                    .await
            }
            Ok(ClientFrame::Hello { .. }) => {
                self.refuse(
                    None,
                    ErrorCode::BadRequest,
                    "hello_again",
                    "hello was already said",
                )
                .await
            }
            Ok(ClientFrame::Sync) => {
                let Some(at) = self.shared.hub.snapshot().await else {
                    return Err(stopped(&self.shared));
                };
                self.catch_up(at.seq).await?;
                let head = crate::protocol::snapshot_head(at.seq, now_ms());
                self.send_with_state(head, Some(at.json(self.full_state)))
                    .await
            }
            Ok(ClientFrame::Intent { id, action }) => {
                match self.shared.hub.submit(Some(&self.you.id), action).await {
                    Ok(seq) => {
                        if let Some(seq) = seq {
                            self.catch_up(seq).await?;
                        }
                        self.send(&ServerFrame::Ack {
                            id,
                            seq,
                            server_time_ms: now_ms(),
                        })
                        .await
                    }
                    Err(HubError::Refused(r)) => {
                        let frame =
                            ServerFrame::refused(Some(id), &r, self.shared.hub.plan(), now_ms());
                        self.send(&frame).await
                    }
                    Err(e) => {
                        let frame = ServerFrame::refusal(
                            Some(id),
                            ErrorCode::Conflict,
                            "meeting_stopped",
                            e.to_string(),
                            now_ms(),
                        );
                        let _ = self.send(&frame).await;
                        Err(stopped(&self.shared))
                    }
                }
            }
        }
    }

    async fn refuse(
        &mut self,
        id: Option<String>,
        code: ErrorCode,
        reason: &str,
        message: &str,
    ) -> Result<(), End> {
        self.send(&ServerFrame::refusal(id, code, reason, message, now_ms()))
            .await
    }
}

/// The next notice, when there are notices; pending for ever when there are none
/// (or their sender is gone).
async fn next_notice(
    notices: &mut Option<watch::Receiver<Option<super::Notice>>>,
) -> Option<super::Notice> {
    if let Some(rx) = notices {
        if rx.changed().await.is_ok() {
            return rx.borrow_and_update().clone();
        }
        *notices = None; // the sender is gone: nothing more will come
    }
    std::future::pending().await
}
