//! Why a command was refused: a code from the protocol and a sentence for a person.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The error codes of `../shared/protocol.md` that the meeting core can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    BadRequest,
    Forbidden,
    Conflict,
    NotFound,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::BadRequest => "bad_request",
            Code::Forbidden => "forbidden",
            Code::Conflict => "conflict",
            Code::NotFound => "not_found",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub code: Code,
    pub message: String,
}

impl Rejection {
    pub fn new(code: Code, message: impl Into<String>) -> Rejection {
        Rejection {
            code,
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Rejection {
        Rejection::new(Code::BadRequest, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Rejection {
        Rejection::new(Code::Forbidden, message)
    }
    pub fn conflict(message: impl Into<String>) -> Rejection {
        Rejection::new(Code::Conflict, message)
    }
    pub fn not_found(message: impl Into<String>) -> Rejection {
        Rejection::new(Code::NotFound, message)
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for Rejection {}
