//! The participant's side of the protocol: connect with a token, keep the meeting's
//! state by applying events in `seq` order (the same `apply` as the server), send
//! intents, resume from the last `seq` after a drop. Used by tests now, and by the
//! participant console, the projector, simulated participants and the load
//! generator.

use crate::meeting::{apply, Command, State};
use crate::protocol::{ClientFrame, ErrorCode, ServerFrame, You, PROTOCOL};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot reach the meeting: {0}")]
    Ws(tokio_tungstenite::tungstenite::Error),
    /// The server's certificate is not one this client trusts: connecting again
    /// would not change that.
    #[error("the meeting's certificate is not trusted ({0}): if the chair made it with --tls-self-signed, give its .cert.pem with --ca FILE")]
    Untrusted(String),
    #[error("{0}")]
    Setup(String),
    #[error("the server closed the connection ({})", .0.as_ref().map_or("no reason".to_string(), |f| format!("{} {}", u16::from(f.code), f.reason)))]
    Closed(Option<CloseFrame>),
    #[error("the server refused: {code:?}: {message}")]
    Refused { code: ErrorCode, message: String },
    #[error("unexpected frame: {0}")]
    Protocol(String),
    #[error("missed events: expected seq {expected}, got {got}")]
    Gap { expected: u64, got: u64 },
}

impl ClientError {
    /// The chair's console closed: the meeting is paused, not over (1001 with
    /// `close::CHAIR_LEFT`).
    pub fn is_chair_left(&self) -> bool {
        matches!(self, ClientError::Closed(Some(f))
            if u16::from(f.code) == crate::protocol::close::GOING_AWAY
                && f.reason.starts_with("chair_left"))
    }

    /// Whether connecting again would only be refused again: the token is unknown,
    /// the protocol unsupported, or the server closed for something this client did
    /// (a protocol violation, bad text, too many frames, a frame too large). A
    /// client says why and stops instead of reconnecting in a loop.
    pub fn is_final(&self) -> bool {
        use crate::protocol::close;
        match self {
            ClientError::Refused { code, .. } => {
                matches!(
                    code,
                    ErrorCode::Unauthorized | ErrorCode::UnsupportedProtocol
                )
            }
            ClientError::Untrusted(_) | ClientError::Setup(_) => true,
            ClientError::Closed(Some(frame)) => matches!(
                u16::from(frame.code),
                close::PROTOCOL_ERROR
                    | close::INVALID_DATA
                    | close::POLICY
                    | close::TOO_BIG
                    | close::UNAUTHORIZED
                    | close::UNSUPPORTED_PROTOCOL
                    // Another connection of the same participant took its place:
                    // coming back by itself would push that one out in turn.
                    | close::REPLACED
            ),
            _ => false,
        }
    }
}

impl From<tokio_tungstenite::tungstenite::Error> for ClientError {
    fn from(e: tokio_tungstenite::tungstenite::Error) -> ClientError {
        use tokio_tungstenite::tungstenite::Error;
        // A certificate refused shows as an I/O error carrying rustls's own.
        let certificate = match &e {
            Error::Io(io) => io
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
                .filter(|r| matches!(r, rustls::Error::InvalidCertificate(_)))
                .map(|r| r.to_string()),
            _ => None,
        };
        match certificate {
            Some(why) => ClientError::Untrusted(why),
            None => ClientError::Ws(e),
        }
    }
}

/// The web's usual authorities, made once.
fn web_authorities() -> Result<std::sync::Arc<rustls::ClientConfig>, ClientError> {
    static CONFIG: std::sync::OnceLock<std::sync::Arc<rustls::ClientConfig>> =
        std::sync::OnceLock::new();
    if let Some(config) = CONFIG.get() {
        return Ok(config.clone());
    }
    let config = crate::tls::client(None).map_err(|e| ClientError::Setup(format!("{e:#}")))?;
    Ok(CONFIG.get_or_init(|| config).clone())
}

/// Where a client connects: the websocket's URL, and for `wss://` the
/// certificates it trusts (the web's usual authorities when none are given).
#[derive(Debug, Clone)]
pub struct Remote {
    pub url: String,
    pub tls: Option<std::sync::Arc<rustls::ClientConfig>>,
}

impl Remote {
    pub fn new(url: &str) -> Remote {
        Remote {
            url: url.to_string(),
            tls: None,
        }
    }
}

pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub you: You,
    /// The meeting as of `seq`.
    pub state: State,
    pub seq: u64,
    /// The server's clock, as last heard: what countdowns are computed from.
    pub clock: ServerClock,
    next_id: u64,
}

/// The server's clock estimated here: its time in the last frame, advanced by the
/// local time since at the server's rate (faster than life in a demo).
#[derive(Debug, Clone, Copy)]
pub struct ServerClock {
    server_ms: u64,
    heard: std::time::Instant,
    rate: f64,
}

impl ServerClock {
    fn new(server_ms: u64, rate: f64) -> ServerClock {
        ServerClock {
            server_ms,
            heard: std::time::Instant::now(),
            rate,
        }
    }

    /// The server's time now (Unix ms).
    pub fn now_ms(&self) -> u64 {
        self.server_ms + (self.heard.elapsed().as_secs_f64() * 1000.0 * self.rate) as u64
    }

    fn heard(&mut self, server_ms: u64) {
        self.server_ms = server_ms;
        self.heard = std::time::Instant::now();
    }
}

impl Client {
    /// Connects and says hello. With `resume` (the state and `seq` held from an
    /// earlier connection) it asks for only what it missed.
    pub async fn connect(
        url: &str,
        token: &str,
        resume: Option<(State, u64)>,
    ) -> Result<Client, ClientError> {
        Client::connect_to(&Remote::new(url), token, resume).await
    }

    /// As `connect`, trusting the certificates `remote` names for `wss://`.
    pub async fn connect_to(
        remote: &Remote,
        token: &str,
        resume: Option<(State, u64)>,
    ) -> Result<Client, ClientError> {
        let connector = match (&remote.tls, remote.url.starts_with("wss://")) {
            (_, false) => None,
            (Some(tls), true) => Some(tls.clone()),
            (None, true) => Some(web_authorities()?),
        };
        let (mut ws, _) = tokio_tungstenite::connect_async_tls_with_config(
            remote.url.as_str(),
            None,
            true,
            connector.map(tokio_tungstenite::Connector::Rustls),
        )
        .await?;
        let hello = ClientFrame::Hello {
            protocol: PROTOCOL,
            token: token.to_string(),
            client: Some(format!("xieshang/{}", env!("CARGO_PKG_VERSION"))),
            resume_from: resume.as_ref().map(|(_, seq)| *seq),
            full_state: true,
        };
        ws.send(Message::text(
            serde_json::to_string(&hello).expect("frames serialize"),
        ))
        .await?;
        let frame = read(&mut ws).await?;
        let clock = ServerClock::new(
            frame.server_time_ms(),
            match &frame {
                ServerFrame::Welcome { clock_rate, .. } => *clock_rate,
                _ => 1.0,
            },
        );
        let ServerFrame::Welcome {
            you,
            seq,
            resumed,
            state,
            ..
        } = frame
        else {
            return Err(match frame {
                ServerFrame::Error { code, message, .. } => ClientError::Refused { code, message },
                other => ClientError::Protocol(format!("{other:?}")),
            });
        };
        let (state, held) = match (resumed, state, resume) {
            (_, Some(snapshot), _) => {
                let state = snapshot.to_state().ok_or_else(|| {
                    ClientError::Protocol("the welcome's state lacks plan and core".into())
                })?;
                (state, seq)
            }
            (true, None, Some((state, held))) => (state, held),
            _ => return Err(ClientError::Protocol("a welcome with no state".into())),
        };
        Ok(Client {
            ws,
            you,
            state,
            seq: held,
            clock,
            next_id: 0,
        })
    }

    /// The next frame, with events, welcomes and snapshots already applied.
    pub async fn next(&mut self) -> Result<ServerFrame, ClientError> {
        let frame = read(&mut self.ws).await?;
        self.clock.heard(frame.server_time_ms());
        match &frame {
            ServerFrame::Event {
                seq,
                at,
                actor,
                event,
                ..
            } => {
                if *seq <= self.seq {
                    return Ok(frame); // already held (sent before a snapshot)
                }
                if *seq != self.seq + 1 {
                    return Err(ClientError::Gap {
                        expected: self.seq + 1,
                        got: *seq,
                    });
                }
                apply(
                    &mut self.state,
                    &crate::meeting::Event {
                        at_ms: at_ms(at),
                        actor: actor.clone(),
                        kind: event.clone(),
                    },
                );
                self.seq = *seq;
            }
            ServerFrame::Welcome {
                seq,
                state: Some(snapshot),
                ..
            }
            | ServerFrame::Snapshot {
                seq,
                state: snapshot,
                ..
            } if *seq >= self.seq => {
                if let Some(state) = snapshot.to_state() {
                    self.state = state;
                }
                self.seq = *seq;
            }
            _ => {}
        }
        Ok(frame)
    }

    /// Sends an intent and reads (applying events) until its answer: `Ok(seq)` on
    /// ack, `Err((code, message))` on error.
    pub async fn intent(
        &mut self,
        action: Command,
    ) -> Result<Result<Option<u64>, (ErrorCode, String)>, ClientError> {
        self.next_id += 1;
        let id = format!("c-{}", self.next_id);
        let frame = ClientFrame::Intent {
            id: id.clone(),
            action,
        };
        self.send_text(serde_json::to_string(&frame).expect("frames serialize"))
            .await?;
        loop {
            match self.next().await? {
                ServerFrame::Ack { id: got, seq, .. } if got == id => return Ok(Ok(seq)),
                ServerFrame::Error {
                    id: Some(got),
                    code,
                    message,
                    ..
                } if got == id => return Ok(Err((code, message))),
                _ => {}
            }
        }
    }

    pub async fn send_text(&mut self, text: String) -> Result<(), ClientError> {
        self.ws.send(Message::text(text)).await?;
        Ok(())
    }

    pub async fn send_raw(&mut self, message: Message) -> Result<(), ClientError> {
        self.ws.send(message).await?;
        Ok(())
    }

    /// Reads until the state is at `seq`.
    pub async fn catch_up(&mut self, seq: u64) -> Result<(), ClientError> {
        while self.seq < seq {
            self.next().await?;
        }
        Ok(())
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

/// An event frame as a journal entry (for consoles that log and apply it).
pub fn entry_of(frame: &ServerFrame) -> Option<crate::journal::Entry> {
    let ServerFrame::Event {
        seq,
        at,
        actor,
        event,
        ..
    } = frame
    else {
        return None;
    };
    Some(crate::journal::Entry {
        seq: *seq,
        at_ms: at_ms(at),
        actor: actor.clone(),
        event: event.clone(),
    })
}

fn at_ms(at: &str) -> u64 {
    humantime::parse_rfc3339(at)
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis() as u64)
}

async fn read(
    ws: &mut WebSocketStream<MaybeTlsStream<TcpStream>>,
) -> Result<ServerFrame, ClientError> {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(text))) => {
                return serde_json::from_str(&text)
                    .map_err(|e| ClientError::Protocol(format!("{e}: {text}")));
            }
            Some(Ok(Message::Close(frame))) => {
                // The answer to the server's close, which the library has queued,
                // goes now: the server waits for it before it lets go (RFC 6455 §7).
                let _ = tokio::time::timeout(std::time::Duration::from_secs(1), ws.flush()).await;
                return Err(ClientError::Closed(frame));
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(e.into()),
            None => return Err(ClientError::Closed(None)),
        }
    }
}
