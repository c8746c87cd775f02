//! Durations as scenario files write them: `90s`, `5m`, `1h30m`, `1h 30m`.

/// Parses a duration into milliseconds. Units are `h`, `m` and `s`, largest first,
/// each at most once; the total must be positive.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let hint = "write it like \"90s\", \"5m\" or \"1h30m\"";
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(format!("empty duration; {hint}"));
    }
    let mut total: u64 = 0;
    let mut number: Option<u64> = None;
    let mut last_rank = 0;
    for c in trimmed.chars() {
        if let Some(d) = c.to_digit(10) {
            let n = number.unwrap_or(0);
            number = Some(
                n.checked_mul(10)
                    .and_then(|n| n.checked_add(u64::from(d)))
                    .ok_or_else(|| format!("duration \"{text}\" is too long"))?,
            );
            continue;
        }
        if c == ' ' && number.is_none() {
            continue;
        }
        let (rank, unit_ms) = match c {
            'h' => (1, 3_600_000),
            'm' => (2, 60_000),
            's' => (3, 1_000),
            _ => {
                return Err(format!(
                    "\"{text}\" is not a duration: unexpected '{c}'; {hint}"
                ))
            }
        };
        let n = number.take().ok_or_else(|| {
            format!("\"{text}\" is not a duration: '{c}' needs a number before it; {hint}")
        })?;
        if rank <= last_rank {
            return Err(format!(
                "\"{text}\" is not a duration: units go h, m, s, each once; {hint}"
            ));
        }
        last_rank = rank;
        total = n
            .checked_mul(unit_ms)
            .and_then(|ms| total.checked_add(ms))
            .ok_or_else(|| format!("duration \"{text}\" is too long"))?;
    }
    if number.is_some() {
        return Err(format!(
            "\"{text}\" needs a unit after its last number; {hint}"
        ));
    }
    if total == 0 {
        return Err(format!("duration \"{text}\" must be longer than zero"));
    }
    Ok(total)
}

/// Formats milliseconds the way scenario files write them (whole seconds).
pub fn format_duration(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_scenarios_use() {
        assert_eq!(parse_duration("90s"), Ok(90_000));
        assert_eq!(parse_duration("5m"), Ok(300_000));
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration("1h 30m 5s"), Ok(5_405_000));
    }

    #[test]
    fn rejects_what_is_not_a_positive_duration() {
        for bad in ["", "5", "m", "0s", "5x", "5m1h", "5m5m", "-5m", "1.5m"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn formats_back() {
        assert_eq!(format_duration(5_400_000), "1h30m");
        assert_eq!(format_duration(90_000), "1m30s");
        assert_eq!(format_duration(0), "0s");
    }
}
