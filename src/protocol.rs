//! The wire protocol, version 1 (`docs/protocol.md`, contract `../shared/protocol.md`):
//! the frames both ways, one vocabulary for the server, our clients and the tests.

use crate::journal::{rfc3339_ms, Entry};
use crate::meeting::snapshot::Snapshot;
use crate::meeting::{Code, Command, EventKind, Role};
use serde::{Deserialize, Serialize};

pub const PROTOCOL: u32 = 1;

/// Close codes of the contract.
pub mod close {
    pub const GOING_AWAY: u16 = 1001;
    pub const POLICY: u16 = 1008;
    pub const TOO_BIG: u16 = 1009;
    pub const UNAUTHORIZED: u16 = 4001;
    pub const NO_HELLO: u16 = 4002;
    pub const UNSUPPORTED_PROTOCOL: u16 = 4003;
    pub const TOO_SLOW: u16 = 4008;
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
        action: Command,
    },
    Sync,
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
    },
    Event {
        seq: u64,
        server_time_ms: u64,
        at: String,
        /// Extension: who caused it (`null`: the server).
        actor: Option<String>,
        event: EventKind,
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
        server_time_ms: u64,
    },
    Snapshot {
        seq: u64,
        server_time_ms: u64,
        state: Box<Snapshot>,
    },
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
            | ServerFrame::Snapshot { server_time_ms, .. } => *server_time_ms,
        }
    }

    pub fn event(entry: &Entry, server_time_ms: u64) -> ServerFrame {
        ServerFrame::Event {
            seq: entry.seq,
            server_time_ms,
            at: rfc3339_ms(entry.at_ms),
            actor: entry.actor.clone(),
            event: entry.event.clone(),
        }
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
            server_time_ms,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("frames always serialize")
    }
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
