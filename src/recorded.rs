//! What `xieshang minutes` and `xieshang replay` share: opening a recorded
//! meeting with messages a person can act on, and the time zone to show it in.

use crate::journal::{Header, JournalError, Torn};
use anyhow::Context;
use std::path::Path;

/// Checks that the journal was recorded from the scenario file `plan`, when one is
/// given: a journal of another plan would give minutes of the wrong meeting.
pub fn check_plan(journal: &Path, header: &Header, plan: Option<&Path>) -> anyhow::Result<()> {
    let Some(plan) = plan else {
        return Ok(());
    };
    let sha = crate::scenario::load(plan)?.sha256;
    if sha != header.plan_sha256 {
        return Err(JournalError::PlanMismatch {
            path: journal.to_path_buf(),
            journal: header.plan_sha256.clone(),
            plan: sha,
        })
        .with_context(|| {
            format!(
                "{} records \"{}\", not the meeting planned in {}",
                journal.display(),
                header.title,
                plan.display()
            )
        });
    }
    Ok(())
}

/// The sentence for a torn last line, for stderr.
pub fn torn_warning(journal: &Path, torn: &Torn) -> String {
    torn.warning(journal)
}

/// The local time zone's offset from UTC at `ms`, in seconds.
pub fn local_offset_s(ms: u64) -> i32 {
    use chrono::Offset;
    let at = chrono::DateTime::from_timestamp_millis(ms as i64).unwrap_or_default();
    at.with_timezone(&chrono::Local)
        .offset()
        .fix()
        .local_minus_utc()
}

/// `+08:00`, `-05:30`, `Z` or `UTC` as seconds east of UTC.
pub fn parse_offset(s: &str) -> Result<i32, String> {
    if s == "Z" || s.eq_ignore_ascii_case("utc") {
        return Ok(0);
    }
    s.parse::<chrono::FixedOffset>()
        .map(|o| o.local_minus_utc())
        .map_err(|_| format!("\"{s}\" is not a UTC offset: write it like +08:00 or -05:00"))
}

#[cfg(test)]
mod tests {
    use super::parse_offset;

    #[test]
    fn offsets_parse_and_nonsense_is_refused() {
        assert_eq!(parse_offset("+08:00"), Ok(8 * 3600));
        assert_eq!(parse_offset("-05:30"), Ok(-(5 * 3600 + 30 * 60)));
        assert_eq!(parse_offset("UTC"), Ok(0));
        assert!(parse_offset("8").is_err());
        assert!(parse_offset("+25:00").is_err());
    }
}
