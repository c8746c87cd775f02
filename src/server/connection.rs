//! One connection: hello, welcome, then intents in and events out until either
//! side goes. Limits: hello within 10 s, frames up to 64 KiB, about 20 frames a
//! second, a ping every 15 s and a drop after 45 s of silence, a write that takes
//! longer than 10 s closes the connection (4008) instead of stalling anyone.

use super::limits::Bucket;
use super::Shared;
use crate::hub::task::{now_ms, Published, Subscription};
use crate::hub::HubError;
use crate::meeting::snapshot::Snapshot;
use crate::protocol::{close, parse_client, ClientFrame, ErrorCode, ServerFrame, You, PROTOCOL};
use futures_util::{SinkExt, StreamExt};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpStream;
use tokio::sync::{broadcast, watch};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::error::{CapacityError, Error as WsError};
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

type Ws = WebSocketStream<TcpStream>;
/// One stream for both ways: a split stream would put a lock between the reading
/// and the writing half of every connection, for nothing, since one task does both.
type Sink = Ws;

/// Why a connection ends: sent as the close frame when there is one to send.
struct Closing {
    code: u16,
    reason: &'static str,
}

pub(crate) async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let config = WebSocketConfig::default()
        .read_buffer_size(1024)
        .write_buffer_size(16 * 1024)
        .max_write_buffer_size(1024 * 1024)
        .max_message_size(Some(shared.config.max_frame))
        .max_frame_size(Some(shared.config.max_frame));
    // The handshake and the hello are boxed: they are large and brief, and held
    // inline they would make every connection's task as large for all its life.
    let handshake = Box::pin(tokio_tungstenite::accept_hdr_async_with_config(
        stream,
        only_ws,
        Some(config),
    ));
    let ws = match timeout(shared.config.hello_timeout, handshake).await {
        Ok(Ok(ws)) => ws,
        Ok(Err(e)) => return tracing::debug!(%peer, "handshake failed: {e}"),
        Err(_) => return tracing::debug!(%peer, "handshake too slow"),
    };
    let mut sink = ws;
    let (
        you,
        Hello {
            resume_from,
            full_state,
        },
    ) = match Box::pin(hello(&mut sink, &shared)).await {
        Ok(hello) => hello,
        Err(closing) => return close_with(&mut sink, closing).await,
    };
    let Some(subscription) = shared.hub.subscribe(resume_from).await else {
        // (the hub answers None only when it has stopped)
        return close_with(
            &mut sink,
            Closing {
                code: close::GOING_AWAY,
                reason: "the meeting has stopped",
            },
        )
        .await;
    };
    shared.hub.presence(&you.id, 1).await;
    tracing::debug!(%peer, participant = %you.id, "joined");
    let mut session = Session {
        shared: shared.clone(),
        you,
        sink,
        // A resumed client holds events up to its resume_from and is sent the rest.
        delivered: match (&subscription.snapshot, resume_from) {
            (None, Some(from)) => from,
            _ => subscription.seq,
        },
        bucket: Bucket::new(shared.config.rate, shared.config.burst),
        strikes: 0,
        last_seen: Instant::now(),
        full_state,
    };
    let closing = session.run(subscription, stop).await;
    let Session { mut sink, you, .. } = session;
    shared.hub.presence(&you.id, -1).await;
    if let Some(closing) = closing {
        close_with(&mut sink, closing).await;
    }
}

/// The handshake's check: only `/ws` is served. (Its type is the library's.)
#[allow(clippy::result_large_err)]
fn only_ws(req: &Request, resp: Response) -> Result<Response, ErrorResponse> {
    if req.uri().path() == "/ws" {
        Ok(resp)
    } else {
        let mut not_found = ErrorResponse::new(Some("the meeting is at /ws\n".into()));
        *not_found.status_mut() = StatusCode::NOT_FOUND;
        Err(not_found)
    }
}

/// Waits for `hello`, checks protocol and token.
async fn hello(sink: &mut Sink, shared: &Shared) -> Result<(You, Hello), Closing> {
    let no_hello = Closing {
        code: close::NO_HELLO,
        reason: "the first frame must be hello, within 10 s",
    };
    let first = match timeout(shared.config.hello_timeout, sink.next()).await {
        Ok(Some(Ok(Message::Text(text)))) => text,
        _ => return Err(no_hello),
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
        _ => return Err(no_hello),
    };
    if protocol != PROTOCOL {
        let error = ServerFrame::error(
            None,
            ErrorCode::UnsupportedProtocol,
            format!("this server speaks protocol {PROTOCOL}, not {protocol}"),
            now_ms(),
        );
        let _ = send(sink, &error, shared).await;
        return Err(Closing {
            code: close::UNSUPPORTED_PROTOCOL,
            reason: "unsupported protocol",
        });
    }
    match shared.tokens.find(&token) {
        Some(you) => Ok((you.clone(), hello)),
        None => {
            let error = ServerFrame::error(
                None,
                ErrorCode::Unauthorized,
                "unknown token: ask the chair for yours",
                now_ms(),
            );
            let _ = send(sink, &error, shared).await;
            Err(Closing {
                code: close::UNAUTHORIZED,
                reason: "unknown token",
            })
        }
    }
}

/// Like `timeout`, but sets no timer when the future is ready at once, which is how
/// writes to a client that keeps up go: with ten thousand clients, a timer per
/// write per client costs more than the write.
async fn within<F: std::future::Future>(
    limit: std::time::Duration,
    fut: F,
) -> Result<F::Output, tokio::time::error::Elapsed> {
    tokio::pin!(fut);
    if let Some(out) = futures_util::FutureExt::now_or_never(&mut fut) {
        return Ok(out);
    }
    timeout(limit, fut).await
}

async fn send(sink: &mut Sink, frame: &ServerFrame, shared: &Shared) -> Result<(), Closing> {
    let too_slow = Closing {
        code: close::TOO_SLOW,
        reason: "too slow to keep up",
    };
    match within(
        shared.config.write_timeout,
        sink.send(Message::text(frame.to_json())),
    )
    .await
    {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(Closing {
            code: close::GOING_AWAY,
            reason: "",
        }),
        Err(_) => Err(too_slow),
    }
}

async fn close_with(sink: &mut Sink, closing: Closing) {
    if closing.reason.is_empty() {
        return;
    }
    let frame = CloseFrame {
        code: CloseCode::from(closing.code),
        reason: closing.reason.into(),
    };
    let _ = timeout(
        std::time::Duration::from_secs(1),
        sink.send(Message::Close(Some(frame))),
    )
    .await;
}

struct Session {
    shared: Arc<Shared>,
    you: You,
    sink: Sink,
    /// The last `seq` this client has been sent.
    delivered: u64,
    bucket: Bucket,
    strikes: u32,
    last_seen: Instant,
    /// Whether the client asked for states with `plan` and `core`.
    full_state: bool,
}

/// What a hello asks for besides admission.
struct Hello {
    resume_from: Option<u64>,
    full_state: bool,
}

impl Session {
    /// A state as this client asked for it.
    fn shaped(&self, state: Box<Snapshot>) -> Box<Snapshot> {
        if self.full_state {
            state
        } else {
            Box::new(state.contract_only())
        }
    }

    async fn run(
        &mut self,
        mut sub: Subscription,
        mut stop: watch::Receiver<bool>,
    ) -> Option<Closing> {
        let welcome = ServerFrame::Welcome {
            protocol: PROTOCOL,
            server_time_ms: now_ms(),
            you: self.you.clone(),
            seq: sub.seq,
            resumed: sub.snapshot.is_none(),
            state: sub.snapshot.take().map(|s| self.shaped(s)),
            clock_rate: crate::clock::speed(),
        };
        if let Err(c) = self.send(&welcome).await {
            return Some(c);
        }
        let missed = std::mem::take(&mut sub.missed);
        if let Err(c) = self.deliver_all(missed).await {
            return Some(c);
        }
        let mut ping = tokio::time::interval(self.shared.config.ping_interval);
        ping.tick().await;
        loop {
            let step = tokio::select! {
                frame = self.sink.next() => self.incoming(frame, &mut sub).await,
                published = sub.events.recv() => self.outgoing(published, &mut sub).await,
                _ = ping.tick() => self.keep_alive().await,
                _ = stop.changed() => Err(Some(Closing { code: close::GOING_AWAY, reason: "the server is shutting down" })),
            };
            if let Err(closing) = step {
                return closing;
            }
        }
    }

    async fn send(&mut self, frame: &ServerFrame) -> Result<(), Closing> {
        send(&mut self.sink, frame, &self.shared).await
    }

    /// Writes events, feeding them all and flushing once.
    async fn deliver_all(&mut self, events: Vec<Arc<Published>>) -> Result<(), Closing> {
        if events.is_empty() {
            return Ok(());
        }
        let shared = self.shared.clone();
        let write = async {
            for p in &events {
                if p.entry.seq > self.delivered {
                    self.sink.feed(Message::Text(p.frame.clone())).await?;
                    self.delivered = p.entry.seq;
                }
            }
            self.sink.flush().await
        };
        match within(shared.config.write_timeout, write).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(Closing {
                code: close::GOING_AWAY,
                reason: "",
            }),
            Err(_) => Err(Closing {
                code: close::TOO_SLOW,
                reason: "too slow to keep up",
            }),
        }
    }

    async fn outgoing(
        &mut self,
        published: Result<Arc<Published>, broadcast::error::RecvError>,
        sub: &mut Subscription,
    ) -> Result<(), Option<Closing>> {
        match published {
            Ok(p) => {
                let mut batch = vec![p];
                while let Ok(p) = sub.events.try_recv() {
                    batch.push(p);
                }
                self.deliver_all(batch).await.map_err(Some)
            }
            Err(broadcast::error::RecvError::Lagged(_)) => self.resync(sub).await.map_err(Some),
            Err(broadcast::error::RecvError::Closed) => Err(Some(Closing {
                code: close::GOING_AWAY,
                reason: "the meeting has stopped",
            })),
        }
    }

    /// A client that fell behind gets the meeting afresh: a new welcome with the
    /// full state (`resumed: false`), never a silent gap.
    async fn resync(&mut self, sub: &mut Subscription) -> Result<(), Closing> {
        let Some(mut fresh) = self.shared.hub.subscribe(None).await else {
            return Err(Closing {
                code: close::GOING_AWAY,
                reason: "the meeting has stopped",
            });
        };
        let welcome = ServerFrame::Welcome {
            protocol: PROTOCOL,
            server_time_ms: now_ms(),
            you: self.you.clone(),
            seq: fresh.seq,
            resumed: false,
            state: fresh.snapshot.take().map(|s| self.shaped(s)),
            clock_rate: crate::clock::speed(),
        };
        self.delivered = fresh.seq;
        *sub = fresh;
        self.send(&welcome).await
    }

    /// Sends what the hub has published up to `seq` before answering, so that an
    /// ack or a snapshot never overtakes the events it speaks of.
    async fn catch_up(&mut self, seq: u64, sub: &mut Subscription) -> Result<(), Closing> {
        let mut batch = Vec::new();
        let mut upto = self.delivered;
        while upto < seq {
            match sub.events.try_recv() {
                Ok(p) => {
                    upto = upto.max(p.entry.seq);
                    batch.push(p);
                }
                Err(broadcast::error::TryRecvError::Lagged(_)) => return self.resync(sub).await,
                Err(_) => break,
            }
        }
        self.deliver_all(batch).await
    }

    async fn keep_alive(&mut self) -> Result<(), Option<Closing>> {
        if self.last_seen.elapsed() > self.shared.config.idle_timeout {
            return Err(None);
        }
        match within(
            self.shared.config.write_timeout,
            self.sink.send(Message::Ping(Default::default())),
        )
        .await
        {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(None),
            Err(_) => Err(Some(Closing {
                code: close::TOO_SLOW,
                reason: "too slow to keep up",
            })),
        }
    }

    async fn incoming(
        &mut self,
        frame: Option<Result<Message, WsError>>,
        sub: &mut Subscription,
    ) -> Result<(), Option<Closing>> {
        let now = Instant::now();
        let message = match frame {
            None | Some(Ok(Message::Close(_))) => return Err(None),
            Some(Err(WsError::Capacity(CapacityError::MessageTooLong { size, max_size }))) => {
                let error = ServerFrame::error(
                    None,
                    ErrorCode::TooLarge,
                    format!("a frame of {size} bytes; at most {max_size} are taken"),
                    now_ms(),
                );
                let _ = self.send(&error).await;
                return Err(Some(Closing {
                    code: close::TOO_BIG,
                    reason: "frame too large",
                }));
            }
            Some(Err(_)) => return Err(None),
            Some(Ok(m)) => m,
        };
        self.last_seen = now;
        let text = match message {
            Message::Text(text) => text,
            Message::Binary(_) => {
                return self
                    .refuse(
                        None,
                        ErrorCode::BadRequest,
                        "binary frames are refused: send JSON text",
                    )
                    .await
            }
            // Pongs are answered by the library; a ping from the client is answered
            // on the next write, so write now.
            Message::Ping(_) => return self.sink.flush().await.map_err(|_| None),
            _ => return Ok(()),
        };
        if !self.bucket.take(now) {
            self.strikes += 1;
            if self.strikes > self.shared.config.rate_strikes {
                return Err(Some(Closing {
                    code: close::POLICY,
                    reason: "too many frames",
                }));
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
                    "too many frames: slow down (about 20 a second)",
                )
                .await;
        }
        match parse_client(&text) {
            Err(bad) => {
                self.refuse(bad.id, ErrorCode::BadRequest, &bad.message)
                    .await
            }
            Ok(ClientFrame::Hello { .. }) => {
                self.refuse(None, ErrorCode::BadRequest, "hello was already said")
                    .await
            }
            Ok(ClientFrame::Sync) => {
                let Some((seq, state)) = self.shared.hub.snapshot().await else {
                    return Err(Some(Closing {
                        code: close::GOING_AWAY,
                        reason: "the meeting has stopped",
                    }));
                };
                self.catch_up(seq, sub).await.map_err(Some)?;
                let state = self.shaped(state);
                self.send(&ServerFrame::Snapshot {
                    seq,
                    server_time_ms: now_ms(),
                    state,
                })
                .await
                .map_err(Some)
            }
            Ok(ClientFrame::Intent { id, action }) => {
                match self.shared.hub.submit(Some(&self.you.id), action).await {
                    Ok(seq) => {
                        if let Some(seq) = seq {
                            self.catch_up(seq, sub).await.map_err(Some)?;
                        }
                        self.send(&ServerFrame::Ack {
                            id,
                            seq,
                            server_time_ms: now_ms(),
                        })
                        .await
                        .map_err(Some)
                    }
                    Err(HubError::Rejected(r)) => {
                        self.refuse(Some(id), r.code.into(), &r.message).await
                    }
                    Err(e) => {
                        let _ = self
                            .refuse(Some(id), ErrorCode::Conflict, &e.to_string())
                            .await;
                        Err(Some(Closing {
                            code: close::GOING_AWAY,
                            reason: "the meeting has stopped",
                        }))
                    }
                }
            }
        }
    }

    async fn refuse(
        &mut self,
        id: Option<String>,
        code: ErrorCode,
        message: &str,
    ) -> Result<(), Option<Closing>> {
        self.send(&ServerFrame::error(id, code, message, now_ms()))
            .await
            .map_err(Some)
    }
}
