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
    /// a few thousand events), duplicates within two minutes dropped.
    pub fn stream_config(&self) -> async_nats::jetstream::stream::Config {
        async_nats::jetstream::stream::Config {
            name: self.stream.clone(),
            subjects: vec![format!("xieshang.{}.>", self.meeting)],
            storage: async_nats::jetstream::stream::StorageType::File,
            duplicate_window: Duration::from_secs(120),
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

/// Messages of one subject of a stream, from its first up to the last there was
/// when this was called, in order: what a publisher and a relay read to find
/// where a meeting stands. Empty when the subject has none.
pub(crate) async fn read_subject(
    stream: &async_nats::jetstream::stream::Stream,
    subject: &str,
) -> anyhow::Result<Vec<async_nats::jetstream::Message>> {
    use async_nats::jetstream::consumer;
    use async_nats::jetstream::stream::LastRawMessageErrorKind;
    use futures_util::StreamExt;
    let last = match stream.get_last_raw_message_by_subject(subject).await {
        Ok(m) => m.sequence,
        Err(e) if e.kind() == LastRawMessageErrorKind::NoMessageFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let consumer = stream
        .create_consumer(consumer::pull::OrderedConfig {
            filter_subject: subject.to_string(),
            deliver_policy: consumer::DeliverPolicy::All,
            ..Default::default()
        })
        .await?;
    let mut messages = consumer.messages().await?;
    let mut out = Vec::new();
    while let Some(message) = tokio::time::timeout(Duration::from_secs(10), messages.next())
        .await
        .map_err(|_| anyhow::anyhow!("reading {subject} took more than 10 s"))?
    {
        let message = message?;
        let at = message.info().map_err(anyhow::Error::msg)?.stream_sequence;
        out.push(message);
        if at >= last {
            break;
        }
    }
    Ok(out)
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
}
