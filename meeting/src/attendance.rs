//! Attendance as the chair marks it (签到): present, late, left early, or absent.
//! Where only the chair has a terminal, nobody connects and many never speak; the
//! chair's mark is what the minutes count, before connecting or speaking.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Present,
    Late,
    LeftEarly,
    Absent,
}

impl Attendance {
    /// Whether the mark counts the person as attending.
    pub fn attended(self) -> bool {
        match self {
            Attendance::Present | Attendance::Late | Attendance::LeftEarly => true,
            Attendance::Absent => false,
        }
    }

    /// The mark after `mark` as the chair steps through them with one key:
    /// none, present, late, left early, absent, none again.
    pub fn next(mark: Option<Attendance>) -> Option<Attendance> {
        match mark {
            None => Some(Attendance::Present),
            Some(Attendance::Present) => Some(Attendance::Late),
            Some(Attendance::Late) => Some(Attendance::LeftEarly),
            Some(Attendance::LeftEarly) => Some(Attendance::Absent),
            Some(Attendance::Absent) => None,
        }
    }
}
