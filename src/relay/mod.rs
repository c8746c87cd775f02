//! Beyond one machine: the meeting's ordered events published to NATS JetStream,
//! and relays that serve them to an audience.
//!
//! The chair's server stays the one writer. After each batch is durable it
//! publishes every event (as the frame any viewer gets: secret votes without their
//! choices) to a JetStream stream for the meeting, with the event's `seq` as the
//! message's deduplication id, and the journal's header (the plan, without tokens)
//! beside them ([`publish`]). A relay ([`follow`]) rebuilds the meeting from the
//! stream with the same `apply` and serves the same `/ws` and pages, read-only.
//!
//! Layout, for a meeting id `ID`: the stream `XIESHANG_ID` holds the subjects
//! `xieshang.ID.header` (the header, JSON, one message per start) and
//! `xieshang.ID.events` (one message per event, in `seq` order, header
//! `Nats-Msg-Id: SEQ`).

pub mod follow;
pub mod publish;
pub mod signature;

use std::path::PathBuf;
use std::time::Duration;

/// The names of one meeting's stream and subjects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    pub meeting: String,
    pub stream: String,
    pub events: String,
    pub header: String,
}

impl Names {
    pub fn new(meeting: &str) -> Names {
        Names {
            meeting: meeting.to_string(),
            stream: format!("XIESHANG_{meeting}"),
            events: format!("xieshang.{meeting}.events"),
            header: format!("xieshang.{meeting}.header"),
        }
    }

    /// The stream's configuration: kept on disk, everything kept (a meeting is
    /// a few thousand events), duplicates within two minutes dropped, no message
    /// larger than `max_message_size` ([`message_limit`]).
    pub fn stream_config(&self, max_message_size: i32) -> async_nats::jetstream::stream::Config {
        async_nats::jetstream::stream::Config {
            name: self.stream.clone(),
            subjects: vec![format!("xieshang.{}.>", self.meeting)],
            storage: async_nats::jetstream::stream::StorageType::File,
            duplicate_window: Duration::from_secs(120),
            max_message_size,
            ..Default::default()
        }
    }
}

/// A meeting id as NATS names allow it: 1 to 64 of `A-Z a-z 0-9 _ -`.
pub fn meeting_id(id: &str) -> Result<String, String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(id.to_string())
    } else {
        Err(format!(
            "meeting id \"{}\": use 1 to 64 letters, digits, _ or - (it names a NATS stream)",
            crate::text::shown(id)
        ))
    }
}

/// The meeting id a plan file gives by default: its name, without what NATS does
/// not allow (`huishang-supervision.toml` → `huishang-supervision`).
pub fn default_meeting_id(plan: &std::path::Path) -> String {
    let stem = plan
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let id: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if id.is_empty() {
        "meeting".into()
    } else {
        id
    }
}

/// How long to wait before trying NATS again: doubling from 250 ms to 5 s.
pub(crate) fn next_backoff(backoff: Duration) -> Duration {
    (backoff * 2).min(Duration::from_secs(5))
}

/// How to reach NATS and who to be there: its URL, credentials and TLS, all read
/// (and checked) before anything starts. Secrets are never shown (`Debug` says
/// only which kind is set) and never taken from the command line, where `ps`
/// shows them: they come from owner-only files or the environment.
#[derive(Clone, Default)]
pub struct Nats {
    pub url: String,
    pub auth: Option<NatsAuth>,
    /// A CA certificate (PEM) that NATS's certificate is checked against.
    pub ca: Option<PathBuf>,
    /// A client certificate and its key (PEM), when NATS asks for one.
    pub client_cert: Option<(PathBuf, PathBuf)>,
}

/// Who this process is to NATS.
#[derive(Clone)]
pub enum NatsAuth {
    /// A `.creds` file's content: a user JWT and its nkey seed.
    Credentials(String),
    /// An nkey seed (`SU…`).
    Nkey(String),
    UserPassword {
        user: String,
        password: String,
    },
    Token(String),
}

impl std::fmt::Debug for Nats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let auth = match &self.auth {
            None => "none",
            Some(NatsAuth::Credentials(_)) => "credentials file",
            Some(NatsAuth::Nkey(_)) => "nkey",
            Some(NatsAuth::UserPassword { .. }) => "user and password",
            Some(NatsAuth::Token(_)) => "token",
        };
        f.debug_struct("Nats")
            .field("url", &self.shown())
            .field("auth", &auth)
            .field("ca", &self.ca)
            .field("client_cert", &self.client_cert)
            .finish()
    }
}

impl Nats {
    /// NATS at `url`, nobody in particular, no TLS of our own.
    pub fn at(url: &str) -> Nats {
        Nats {
            url: url.to_string(),
            ..Nats::default()
        }
    }

    /// The URL as it may be shown (logs, printed commands): a user and password
    /// written into it are left out.
    pub fn shown(&self) -> String {
        let Some((scheme, rest)) = self.url.split_once("://") else {
            return self.url.clone();
        };
        let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
        match authority.rfind('@') {
            Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
            None => self.url.clone(),
        }
    }

    fn options(&self) -> anyhow::Result<async_nats::ConnectOptions> {
        let mut options = match &self.auth {
            None => async_nats::ConnectOptions::new(),
            Some(NatsAuth::Credentials(creds)) => {
                async_nats::ConnectOptions::with_credentials(creds)
                    .map_err(|e| anyhow::anyhow!("the NATS credentials file cannot be used: {e}"))?
            }
            Some(NatsAuth::Nkey(seed)) => async_nats::ConnectOptions::with_nkey(seed.clone()),
            Some(NatsAuth::UserPassword { user, password }) => {
                async_nats::ConnectOptions::with_user_and_password(user.clone(), password.clone())
            }
            Some(NatsAuth::Token(token)) => async_nats::ConnectOptions::with_token(token.clone()),
        };
        if let Some(ca) = &self.ca {
            options = options.add_root_certificates(ca.clone()).require_tls(true);
        }
        if let Some((cert, key)) = &self.client_cert {
            options = options
                .add_client_certificate(cert.clone(), key.clone())
                .require_tls(true);
        }
        Ok(options
            .connection_timeout(Duration::from_secs(3))
            .request_timeout(Some(Duration::from_secs(5))))
    }

    /// Connects without retrying (the callers retry, each in its own way).
    pub(crate) async fn connect(&self) -> anyhow::Result<async_nats::Client> {
        Ok(self.options()?.connect(&self.url).await?)
    }

    /// [`Nats::connect`], telling `on` whether it is connected each time that
    /// changes (true once connected again, false when the connection drops).
    pub(crate) async fn connect_observed(
        &self,
        on: impl Fn(bool) + Send + Sync + 'static,
    ) -> anyhow::Result<async_nats::Client> {
        let on = std::sync::Arc::new(on);
        let options = self.options()?.event_callback(move |event| {
            let on = on.clone();
            async move {
                match event {
                    async_nats::Event::Connected => on(true),
                    async_nats::Event::Disconnected => on(false),
                    _ => {}
                }
            }
        });
        Ok(options.connect(&self.url).await?)
    }
}

/// The largest message a meeting's stream takes, at least. Every event a client's
/// intent can make fits it with room to spare: its one free text is at most 2,000
/// characters (8,000 bytes of UTF-8), a name at most 100, and the intent itself
/// arrives in a frame of at most 64 KiB; such an event's frame is under 10 KB. The
/// events the hub makes of the plan (`plan_changed`, a long `questions_carried`)
/// and the header (the plan) can be larger: the publisher raises the limit for
/// them ([`message_limit`]). Junk on the meeting's subjects costs a reader at most
/// this much a message.
pub const MESSAGE_FLOOR: i32 = 64 * 1024;

/// Room for a message's NATS headers (its id and signature, ~250 bytes).
const HEADERS_ROOM: usize = 1024;

/// The stream's limit for messages whose payloads are at most `len` bytes: the
/// floor, or the next power of two that holds one with its headers.
pub fn message_limit(len: usize) -> i32 {
    let needed = (len + HEADERS_ROOM).next_power_of_two();
    needed.clamp(MESSAGE_FLOOR as usize, i32::MAX as usize) as i32
}

/// The meeting's stream, made with [`Names::stream_config`] when there is none;
/// one made before with a larger limit on messages (or none, as earlier versions
/// made it) is given `limit` (needs `$JS.API.STREAM.UPDATE`: when it is refused
/// the stream is used as it is, and the log says so). The limit in force comes
/// back with it (`<= 0`: none).
pub(crate) async fn meeting_stream(
    js: &async_nats::jetstream::Context,
    names: &Names,
    limit: i32,
) -> anyhow::Result<(async_nats::jetstream::stream::Stream, i32)> {
    use anyhow::Context;
    let stream = js
        .get_or_create_stream(names.stream_config(limit))
        .await
        .context("cannot make the meeting's stream")?;
    let config = &stream.cached_info().config;
    let in_force = config.max_message_size;
    if in_force > 0 && in_force >= limit {
        return Ok((stream, in_force));
    }
    let wanted = async_nats::jetstream::stream::Config {
        max_message_size: limit,
        ..config.clone()
    };
    match js.update_stream(&wanted).await {
        Ok(_) => {
            tracing::info!(stream = %names.stream, from = in_force, to = limit, "the stream's largest message set");
            Ok((stream, limit))
        }
        Err(e) => {
            tracing::warn!(
                stream = %names.stream,
                "cannot set the stream's largest message to {limit} bytes ({e}); it takes \
                 {} (see the permissions in docs/scale.md)",
                if in_force > 0 { format!("{in_force} bytes") } else { "any size".into() }
            );
            Ok((stream, in_force))
        }
    }
}

/// How many bytes one pull may bring: a few of the largest messages NATS takes.
pub(crate) fn batch_bytes(client: &async_nats::Client) -> usize {
    4 * client.server_info().max_payload.max(1 << 20)
}

/// Goes over every message of `subject`, oldest first, up to the last there is
/// when it reaches it, handing `each` the message's place in the stream and its
/// NATS headers. Payloads stay on the server (a headers-only consumer): what the
/// reader holds is one batch of headers, whatever the subject holds, and a
/// message is fetched whole ([`message`]) only when its headers make it worth it.
pub(crate) async fn scan_headers(
    stream: &async_nats::jetstream::stream::Stream,
    subject: &str,
    mut each: impl FnMut(u64, &async_nats::HeaderMap),
) -> anyhow::Result<()> {
    use async_nats::jetstream::consumer::{self, pull};
    use futures_util::StreamExt;
    let consumer = stream
        .create_consumer(pull::Config {
            filter_subject: subject.to_string(),
            deliver_policy: consumer::DeliverPolicy::All,
            ack_policy: consumer::AckPolicy::None,
            headers_only: true,
            memory_storage: true,
            inactive_threshold: Duration::from_secs(30),
            ..Default::default()
        })
        .await?;
    let name = consumer.cached_info().name.clone();
    let pending = consumer.cached_info().num_pending;
    let started = std::time::Instant::now();
    let scanned = async {
        if pending == 0 {
            return Ok(());
        }
        let mut messages = consumer
            .stream()
            .max_messages_per_batch(512)
            .messages()
            .await?;
        let none = async_nats::HeaderMap::new();
        loop {
            let message = tokio::time::timeout(Duration::from_secs(10), messages.next())
                .await
                .map_err(|_| anyhow::anyhow!("reading {subject} took more than 10 s"))?
                .ok_or_else(|| anyhow::anyhow!("reading {subject}: the consumer ended"))??;
            let info = message.info().map_err(anyhow::Error::msg)?;
            each(
                info.stream_sequence,
                message.headers.as_ref().unwrap_or(&none),
            );
            if info.pending == 0 {
                return Ok(());
            }
        }
    }
    .await;
    tracing::debug!(subject, messages = pending, took = ?started.elapsed(), "headers scanned");
    let _ = stream.delete_consumer(&name).await;
    scanned
}

/// The message at `at` in the stream, whole, if it is (still) on `subject`.
pub(crate) async fn message(
    stream: &async_nats::jetstream::stream::Stream,
    subject: &str,
    at: u64,
) -> anyhow::Result<Option<async_nats::jetstream::message::StreamMessage>> {
    use async_nats::jetstream::stream::RawMessageErrorKind;
    match stream.get_raw_message(at).await {
        Ok(m) if m.subject.as_str() == subject => Ok(Some(m)),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == RawMessageErrorKind::NoMessageFound => Ok(None),
        Err(e) => Err(anyhow::anyhow!(
            "cannot read message {at} of the stream: {e}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_url_is_never_shown() {
        let shown = |url: &str| Nats::at(url).shown();
        assert_eq!(
            shown("nats://u:secret@10.0.0.5:4222"),
            "nats://10.0.0.5:4222"
        );
        assert_eq!(shown("tls://token@host:4222/x"), "tls://host:4222/x");
        assert_eq!(shown("nats://10.0.0.5:4222"), "nats://10.0.0.5:4222");
        assert!(!format!("{:?}", Nats::at("nats://u:secret@h:1")).contains("secret"));
    }

    #[test]
    fn meeting_ids_are_what_nats_allows() {
        assert_eq!(
            meeting_id("huishang-2026_11"),
            Ok("huishang-2026_11".into())
        );
        for bad in ["", "a.b", "a b", "a*", "a>", "会商", &"x".repeat(65)] {
            assert!(meeting_id(bad).is_err(), "{bad}");
        }
        assert_eq!(
            default_meeting_id(std::path::Path::new("scenarios/huishang-supervision.toml")),
            "huishang-supervision"
        );
        assert_eq!(
            default_meeting_id(std::path::Path::new("会商.v2.toml")),
            "___v2"
        );
        let names = Names::new("m1");
        assert_eq!(names.stream, "XIESHANG_m1");
        assert_eq!(names.events, "xieshang.m1.events");
    }

    #[test]
    fn a_stream_takes_any_event_of_an_intent_and_is_raised_for_larger_ones() {
        assert_eq!(message_limit(0), MESSAGE_FLOOR);
        assert_eq!(message_limit(10_000), MESSAGE_FLOOR);
        assert_eq!(
            message_limit(64 * 1024),
            128 * 1024,
            "the headers need room too"
        );
        assert_eq!(message_limit(700_000), 1 << 20);
        assert_eq!(message_limit(usize::MAX / 4), i32::MAX);
        // The largest event an intent makes: a question of 2,000 four-byte characters.
        let text = "𝄞".repeat(crate::meeting::decide::MAX_TEXT_CHARS);
        let entry = crate::journal::Entry {
            seq: u64::MAX,
            at_ms: 253_402_300_799_999, // 9999-12-31T23:59:59.999Z
            actor: Some("x".repeat(64)),
            event: crate::meeting::EventKind::QuestionSubmitted {
                question: format!("q{}", u64::MAX),
                asker: "x".repeat(64),
                department: "x".repeat(64),
                text,
            },
        };
        let frame = crate::protocol::ServerFrame::event(&entry, u64::MAX, None);
        let len = frame.to_json().len();
        assert!(
            len + HEADERS_ROOM < MESSAGE_FLOOR as usize / 4,
            "{len} bytes"
        );
    }
}
