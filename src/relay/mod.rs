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

/// Connects to NATS without retrying (the callers retry, each in its own way).
pub(crate) async fn connect(url: &str) -> anyhow::Result<async_nats::Client> {
    let client = async_nats::ConnectOptions::new()
        .connection_timeout(Duration::from_secs(3))
        .request_timeout(Some(Duration::from_secs(5)))
        .connect(url)
        .await?;
    Ok(client)
}

#[cfg(test)]
mod tests {
    use super::*;

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
