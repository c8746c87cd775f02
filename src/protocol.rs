//! The wire protocol, version 1 (`docs/protocol.md`, contract `../shared/protocol.md`):
//! the frames both ways, one vocabulary for the server, our clients and the tests.

use crate::journal::{rfc3339_ms, Entry};
use crate::meeting::snapshot::Snapshot;
use crate::meeting::{Code, Command, EventKind, Refusal, Role};
use serde::{Deserialize, Serialize};

pub const PROTOCOL: u32 = 1;

/// Close codes of the contract.
pub mod close {
    pub const NORMAL: u16 = 1000;
    pub const GOING_AWAY: u16 = 1001;
    pub const PROTOCOL_ERROR: u16 = 1002;
    pub const INVALID_DATA: u16 = 1007;
    pub const INTERNAL_ERROR: u16 = 1011;
    pub const POLICY: u16 = 1008;
    pub const TOO_BIG: u16 = 1009;
    pub const UNAUTHORIZED: u16 = 4001;
    pub const NO_HELLO: u16 = 4002;
    pub const UNSUPPORTED_PROTOCOL: u16 = 4003;
    pub const TOO_SLOW: u16 = 4008;
    /// Extension: the participant opened another connection and held too many;
    /// this, their oldest, gives way. A client says so and does not reconnect
    /// by itself (two tabs would take turns for ever).
    pub const REPLACED: u16 = 4009;
    /// Extension (RFC 6455's 1013, Try Again Later): the address holds as many
    /// observer connections as it may.
    pub const TRY_AGAIN_LATER: u16 = 1013;
    /// The reason of a 1001 when the chair's console closed (`run --listen`):
    /// the meeting is paused, not over, and resumes when the chair runs it again.
    pub const CHAIR_LEFT: &str = "chair_left: the chair's console closed; the meeting is paused";
    /// The reason of a 1001 when `serve` stops.
    pub const SHUTTING_DOWN: &str = "the server is shutting down";
}

/// Every error code of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    UnsupportedProtocol,
    Unauthorized,
    Forbidden,
    Conflict,
    NotFound,
    RateLimited,
    TooLarge,
}

impl From<Code> for ErrorCode {
    fn from(c: Code) -> ErrorCode {
        match c {
            Code::BadRequest => ErrorCode::BadRequest,
            Code::Forbidden => ErrorCode::Forbidden,
            Code::Conflict => ErrorCode::Conflict,
            Code::NotFound => ErrorCode::NotFound,
        }
    }
}

/// Frames a client sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    Hello {
        protocol: u32,
        token: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resume_from: Option<u64>,
        /// Extension: send `plan` and `core` in every state, to rebuild the server's
        /// state exactly.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        full_state: bool,
    },
    Intent {
        id: String,
        #[serde(deserialize_with = "strict_action")]
        action: Command,
    },
    Sync,
}

/// An action, with no field its kind does not take: serde refuses unknown fields
/// of the actions that have some, but lets those with none (`withdraw_hand`) take
/// anything, so they are checked here.
fn strict_action<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Command, D::Error> {
    use serde::de::Error;
    let fields = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
    let extra = fields.keys().find(|k| *k != "kind").cloned();
    let command: Command =
        serde_json::from_value(serde_json::Value::Object(fields)).map_err(D::Error::custom)?;
    match extra {
        Some(field) if !command.has_fields() => Err(D::Error::custom(format!(
            "unknown field `{field}`: {} takes no fields",
            command.name()
        ))),
        _ => Ok(command),
    }
}

/// Who a connection speaks for, as `welcome.you` tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct You {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub department: Option<String>,
}

/// Frames the server sends. Every one carries `server_time_ms`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    Welcome {
        protocol: u32,
        server_time_ms: u64,
        you: You,
        seq: u64,
        resumed: bool,
        state: Option<Box<Snapshot>>,
        /// Extension: how many times faster than real time the server's clock runs
        /// (a demo or a simulation); absent when 1.
        #[serde(default = "one", skip_serializing_if = "is_one")]
        clock_rate: f64,
        /// Extension: this participant's own votes in secret polls, which the state
        /// shows without their choices (`crate::meeting::secret`); absent when none.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        your_votes: Vec<crate::meeting::secret::OwnVote>,
        /// Extension: `replay` or `broadcast` when what is served can only be
        /// watched; absent for a live meeting.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        watch: Option<String>,
        /// Extension: what this participant's role may do (`Role::abilities`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        may: Option<crate::meeting::plan::Abilities>,
        /// Extension: what each kind of step allows and shows
        /// (`StepKind::traits`), so that a page never names a kind.
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        step_kinds: std::collections::BTreeMap<
            crate::meeting::plan::StepKind,
            crate::meeting::plan::Traits,
        >,
    },
    Event {
        seq: u64,
        server_time_ms: u64,
        at: String,
        /// Extension: who caused it (`null`: the server).
        actor: Option<String>,
        event: EventKind,
        /// Extension: who gets the floor next (`state.next`) as of the newest
        /// event the server had recorded when it made this frame: after a batch
        /// of events, or a resume read back from the journal, the last frame a
        /// client holds says it right. `null`: nobody is waiting.
        #[serde(default)]
        next: Option<crate::meeting::snapshot::NextView>,
    },
    Ack {
        id: String,
        seq: Option<u64>,
        server_time_ms: u64,
    },
    Error {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        code: ErrorCode,
        message: String,
        /// Extension: the precise refusal, snake_case and stable, for clients that
        /// say it in their reader's language.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Extension: the refusal's details (ids, numbers), by name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        params: Option<serde_json::Map<String, serde_json::Value>>,
        /// Extension: the sentence in each language the server speaks (`zh`,
        /// `en`), for clients that show it in their reader's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        messages: Option<std::collections::BTreeMap<String, String>>,
        server_time_ms: u64,
    },
    Snapshot {
        seq: u64,
        server_time_ms: u64,
        state: Box<Snapshot>,
    },
    /// Extension: how the server stands, for a person to read (a relay that lost
    /// the meeting's stream, and found it again). `reason` is stable; `messages`
    /// says it in each language.
    Notice {
        reason: String,
        messages: Messages,
        server_time_ms: u64,
    },
}

/// A sentence in each language the server speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Messages {
    pub zh: String,
    pub en: String,
}

fn one() -> f64 {
    1.0
}

fn is_one(rate: &f64) -> bool {
    *rate == 1.0
}

impl ServerFrame {
    /// The server's clock when it sent the frame.
    pub fn server_time_ms(&self) -> u64 {
        match self {
            ServerFrame::Welcome { server_time_ms, .. }
            | ServerFrame::Event { server_time_ms, .. }
            | ServerFrame::Ack { server_time_ms, .. }
            | ServerFrame::Error { server_time_ms, .. }
            | ServerFrame::Snapshot { server_time_ms, .. }
            | ServerFrame::Notice { server_time_ms, .. } => *server_time_ms,
        }
    }

    pub fn event(
        entry: &Entry,
        server_time_ms: u64,
        next: Option<crate::meeting::snapshot::NextView>,
    ) -> ServerFrame {
        ServerFrame::Event {
            seq: entry.seq,
            server_time_ms,
            at: rfc3339_ms(entry.at_ms),
            actor: entry.actor.clone(),
            event: entry.event.clone(),
            next,
        }
    }

    /// An event as anyone may see it (`crate::meeting::secret`): what the server
    /// sends.
    pub fn public_event(
        entry: &Entry,
        plan: &crate::meeting::Plan,
        server_time_ms: u64,
        next: Option<crate::meeting::snapshot::NextView>,
    ) -> ServerFrame {
        let mut frame = ServerFrame::event(entry, server_time_ms, next);
        if let (ServerFrame::Event { event, .. }, Some(public)) = (
            &mut frame,
            crate::meeting::secret::public_event(plan, &entry.event),
        ) {
            *event = public;
        }
        frame
    }

    pub fn error(
        id: Option<String>,
        code: ErrorCode,
        message: impl Into<String>,
        server_time_ms: u64,
    ) -> ServerFrame {
        ServerFrame::Error {
            id,
            code,
            message: message.into(),
            reason: None,
            params: None,
            messages: None,
            server_time_ms,
        }
    }

    /// The meeting's refusal of an intent: its code, the sentence in the meeting's
    /// language (and in each language, `messages`), and its `reason` and `params`
    /// for clients that say it in theirs.
    pub fn refused(
        id: Option<String>,
        refusal: &Refusal,
        plan: &crate::meeting::Plan,
        server_time_ms: u64,
    ) -> ServerFrame {
        use crate::lang::{refusal::sentence, Language};
        let message = sentence(refusal, plan.meeting.language, plan);
        let messages = [("zh", Language::Zh), ("en", Language::En)]
            .into_iter()
            .map(|(code, lang)| (code.to_string(), sentence(refusal, lang, plan)))
            .collect();
        let mut params = match serde_json::to_value(refusal) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        params.remove("reason");
        ServerFrame::Error {
            id,
            code: refusal.code().into(),
            message,
            reason: Some(refusal.reason().to_string()),
            params: (!params.is_empty()).then_some(params),
            messages: Some(messages),
            server_time_ms,
        }
    }

    /// An error with its precise `reason`.
    pub fn refusal(
        id: Option<String>,
        code: ErrorCode,
        reason: &str,
        message: impl Into<String>,
        server_time_ms: u64,
    ) -> ServerFrame {
        ServerFrame::Error {
            id,
            code,
            message: message.into(),
            reason: Some(reason.to_string()),
            params: None,
            messages: None,
            server_time_ms,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("frames always serialize")
    }
}

/// What a `welcome` frame says besides the state.
#[derive(Debug, Clone, Copy)]
pub struct Welcome<'a> {
    pub server_time_ms: u64,
    pub you: &'a You,
    pub seq: u64,
    pub resumed: bool,
    pub clock_rate: f64,
    pub your_votes: &'a [crate::meeting::secret::OwnVote],
    pub watch: Option<&'a str>,
}

/// The start of a `welcome` frame's JSON, up to where its state goes; the frame is
/// this, the state's JSON (shared by every client at that `seq`, `crate::hub::state_at`)
/// or `null`, and `}`.
pub fn welcome_head(w: Welcome<'_>) -> String {
    #[derive(Serialize)]
    struct Head<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        protocol: u32,
        server_time_ms: u64,
        you: &'a You,
        seq: u64,
        resumed: bool,
        #[serde(skip_serializing_if = "is_one")]
        clock_rate: f64,
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        your_votes: &'a [crate::meeting::secret::OwnVote],
        #[serde(skip_serializing_if = "Option::is_none")]
        watch: Option<&'a str>,
        may: crate::meeting::plan::Abilities,
        step_kinds: std::collections::BTreeMap<
            crate::meeting::plan::StepKind,
            crate::meeting::plan::Traits,
        >,
    }
    head(&Head {
        kind: "welcome",
        protocol: PROTOCOL,
        server_time_ms: w.server_time_ms,
        you: w.you,
        seq: w.seq,
        resumed: w.resumed,
        clock_rate: w.clock_rate,
        your_votes: w.your_votes,
        watch: w.watch,
        may: w.you.role.abilities(),
        step_kinds: crate::meeting::plan::StepKind::table(),
    })
}

/// The start of a `snapshot` frame's JSON, up to where its state goes.
pub fn snapshot_head(seq: u64, server_time_ms: u64) -> String {
    #[derive(Serialize)]
    struct Head {
        #[serde(rename = "type")]
        kind: &'static str,
        seq: u64,
        server_time_ms: u64,
    }
    head(&Head {
        kind: "snapshot",
        seq,
        server_time_ms,
    })
}

/// `{"a":1,…` followed by `,"state":`, ready for the state and the closing brace.
fn head(fields: &impl Serialize) -> String {
    let mut text = serde_json::to_string(fields).expect("frames always serialize");
    text.pop(); // the closing brace
    text.push_str(",\"state\":");
    text
}

/// The meeting's refusal an error frame speaks of, rebuilt from its `reason` and
/// `params`, for a client to say it in its own language; `None` for an error of
/// the connection (or a refusal this build does not know).
pub fn refusal_of(
    reason: Option<&str>,
    params: Option<&serde_json::Map<String, serde_json::Value>>,
) -> Option<Refusal> {
    let mut object = params.cloned().unwrap_or_default();
    object.insert("reason".into(), serde_json::Value::from(reason?));
    serde_json::from_value(serde_json::Value::Object(object)).ok()
}

/// Why a client frame could not be taken, with the intent's id when it had one.
#[derive(Debug, Clone, PartialEq)]
pub struct BadFrame {
    pub id: Option<String>,
    pub message: String,
}

/// Parses a client's text frame; a bad one keeps the intent's `id` when it can.
pub fn parse_client(text: &str) -> Result<ClientFrame, BadFrame> {
    serde_json::from_str(text).map_err(|e| {
        let value: Option<serde_json::Value> = serde_json::from_str(text).ok();
        let id = value
            .as_ref()
            .and_then(|v| v.get("id"))
            .and_then(|v| v.as_str())
            .map(String::from);
        let message = match &value {
            None => format!("not JSON: {e}"),
            Some(v) if !v.is_object() => "a frame is a JSON object with a \"type\"".to_string(),
            Some(_) => format!("not a frame of protocol 1: {e}"),
        };
        BadFrame { id, message }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_welcome_made_of_a_head_and_a_shared_state_reads_as_a_welcome() {
        let you = You {
            id: "m01".into(),
            name: "马文静 \"引号\"".into(),
            role: Role::Member,
            department: None,
        };
        let text = format!(
            "{}null}}",
            welcome_head(Welcome {
                server_time_ms: 5,
                you: &you,
                seq: 7,
                resumed: true,
                clock_rate: 12.0,
                your_votes: &[],
                watch: None,
            })
        );
        match serde_json::from_str::<ServerFrame>(&text).unwrap() {
            ServerFrame::Welcome {
                you: y,
                seq,
                resumed,
                state,
                clock_rate,
                server_time_ms,
                ..
            } => {
                assert_eq!(
                    (y, seq, resumed, clock_rate, server_time_ms),
                    (you, 7, true, 12.0, 5)
                );
                assert!(state.is_none());
            }
            other => panic!("{other:?}"),
        }
        let text = format!("{}null}}", snapshot_head(9, 3));
        assert!(text.starts_with(r#"{"type":"snapshot","seq":9"#), "{text}");
    }
}
