//! The roster (委员名册): the people and organisations the secretariat keeps
//! across meetings, each with a stable id, and [`Who`]: how anyone outside one
//! meeting is known — a roster person, or else a seat of one meeting (its key
//! and the participant's id there), never a participant's id alone, which every
//! plan may give to someone else.
//!
//! Pure: the office keeps them (`office::roster`), plans name them
//! (`person`, `organisation`), the register's items and tokens know askers by
//! their `Who`.

use super::plan::Role;
use serde::{Deserialize, Serialize};

/// The longest id, name, sector, party or contact line, in characters as a
/// person sees them (`text::length`).
pub const MAX_FIELD_CHARS: usize = 100;

/// A person of the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    /// What they usually are in a meeting: a member, an expert, a department's
    /// representative, someone of the public.
    pub role: Role,
    /// 界别.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// 党派/团体.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// The organisation they belong to (a department's, a contact point's), by
    /// its roster id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// How the secretariat reaches them (a phone, an office): never shown on a
    /// public page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// What an organisation is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum OrgKind {
    /// A government department that answers (承办单位).
    Department,
    /// A party or group (党派、团体).
    Party,
    /// A contact point or members' work station (联系点、委员工作站).
    ContactPoint,
}

impl OrgKind {
    pub const ALL: &'static [OrgKind] = <OrgKind as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<OrgKind> {
        s.parse().ok()
    }
}

/// An organisation of the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// Whether `id` may be a roster id: 1 to 64 of ASCII letters, digits, `-`, `_`
/// and `.`, so it goes into a plan, a URL's fragment and a file unquoted.
pub fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// What is wrong with a field's text, if anything: empty when it must not be,
/// too long, or holding a character no one may write (`crate::text`).
pub fn field_problem(text: &str, required: bool) -> Option<FieldProblem> {
    if text.trim().is_empty() {
        return required.then_some(FieldProblem::Empty);
    }
    if super::text::length(text) > MAX_FIELD_CHARS {
        return Some(FieldProblem::TooLong {
            max: MAX_FIELD_CHARS,
        });
    }
    if let Some((_, c)) = super::text::first_unsafe(text) {
        return Some(FieldProblem::Unsafe { c });
    }
    if text.contains('\n') {
        return Some(FieldProblem::LineBreak);
    }
    None
}

/// Why a field's text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldProblem {
    Empty,
    TooLong { max: usize },
    Unsafe { c: char },
    LineBreak,
}

/// How a person is known beyond one meeting: a roster person, or a seat of one
/// meeting (its key, `20261119-3fa2c1`, and the participant's id in its plan).
/// Written as `person:ID` or `seat:MEETING/PARTICIPANT`. An id alone from an
/// older record (`m01`) reads as a seat of no known meeting: it is nobody's
/// seat now, and matches no one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Who {
    Person(String),
    Seat {
        meeting: String,
        participant: String,
    },
}

impl Who {
    /// A participant of a meeting: the roster person they are, when their seat
    /// names one, else their seat.
    pub fn of(meeting: &str, participant: &str, person: Option<&str>) -> Who {
        match person {
            Some(p) => Who::Person(p.to_string()),
            None => Who::Seat {
                meeting: meeting.to_string(),
                participant: participant.to_string(),
            },
        }
    }

    pub fn person(&self) -> Option<&str> {
        match self {
            Who::Person(p) => Some(p),
            Who::Seat { .. } => None,
        }
    }
}

impl std::fmt::Display for Who {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Who::Person(p) => write!(f, "person:{p}"),
            Who::Seat {
                meeting,
                participant,
            } => write!(f, "seat:{meeting}/{participant}"),
        }
    }
}

impl std::str::FromStr for Who {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Who, Self::Err> {
        Ok(if let Some(p) = s.strip_prefix("person:") {
            Who::Person(p.to_string())
        } else if let Some((meeting, participant)) =
            s.strip_prefix("seat:").and_then(|r| r.split_once('/'))
        {
            Who::Seat {
                meeting: meeting.to_string(),
                participant: participant.to_string(),
            }
        } else {
            Who::Seat {
                meeting: String::new(),
                participant: s.to_string(),
            }
        })
    }
}

impl Serialize for Who {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Who {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Who, D::Error> {
        let s = String::deserialize(d)?;
        Ok(s.parse().unwrap_or_else(|e| match e {}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_is_written_and_read_back_and_an_old_bare_id_is_nobodys_seat() {
        for who in [
            Who::Person("W0012".into()),
            Who::Seat {
                meeting: "20261119-3fa2c1".into(),
                participant: "m01".into(),
            },
        ] {
            let text = who.to_string();
            assert_eq!(text.parse::<Who>().unwrap(), who);
            let json = serde_json::to_string(&who).unwrap();
            assert_eq!(serde_json::from_str::<Who>(&json).unwrap(), who);
        }
        let old: Who = "m01".parse().unwrap();
        assert_ne!(
            old,
            Who::of("20261119-3fa2c1", "m01", None),
            "a bare id is no meeting's seat"
        );
        assert_eq!(
            Who::of("k", "m01", Some("W1")),
            Who::Person("W1".into()),
            "a seat that names a person is that person"
        );
    }

    #[test]
    fn ids_and_fields_are_checked() {
        assert!(valid_id("W0012") && valid_id("org.fangguan-1_a"));
        for bad in ["", "a b", "委员1", "a/b", &"x".repeat(65)] {
            assert!(!valid_id(bad), "{bad}");
        }
        assert_eq!(field_problem("  ", true), Some(FieldProblem::Empty));
        assert_eq!(field_problem("", false), None);
        assert_eq!(
            field_problem("a\u{1b}]0;x", true),
            Some(FieldProblem::Unsafe { c: '\u{1b}' })
        );
        assert!(matches!(
            field_problem(&"名".repeat(101), true),
            Some(FieldProblem::TooLong { .. })
        ));
        assert_eq!(field_problem("林志远", true), None);
    }
}
