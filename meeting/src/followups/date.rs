//! Calendar days, as a follow-up's due date is said ("by 2026-12-19"): a civil
//! date in the register's time zone, counted in days since 1970-01-01. A due
//! date runs to the end of its day there. No clock is read: the caller says
//! what time it is, and in which zone.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A civil date (proleptic Gregorian), as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i32);

const DAY_MS: i64 = 86_400_000;

impl Date {
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m as i32 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i32::from(m <= 2);
        (y, m, d)
    }

    /// `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let y = parts.next()?.parse().ok()?;
        let m = parts.next()?.parse().ok()?;
        let d = parts.next()?.parse().ok()?;
        Date::from_ymd(y, m, d)
    }

    /// The day `at_ms` falls on, `offset_s` east of UTC.
    pub fn of_ms(at_ms: u64, offset_s: i32) -> Date {
        let local = at_ms as i64 + i64::from(offset_s) * 1000;
        Date(local.div_euclid(DAY_MS) as i32)
    }

    /// The first instant after this day ends, `offset_s` east of UTC.
    pub fn end_ms(self, offset_s: i32) -> i64 {
        (i64::from(self.0) + 1) * DAY_MS - i64::from(offset_s) * 1000
    }

    /// Noon of this day, `offset_s` east of UTC (Unix ms): the instant taken
    /// for a day given as today (`--today`).
    pub fn noon_ms(self, offset_s: i32) -> u64 {
        (self.end_ms(offset_s) - 12 * 3_600_000) as u64
    }

    pub fn add_days(self, days: i32) -> Date {
        Date(self.0 + days)
    }

    /// The same day `months` later, the month's last day where it has no such
    /// day (31 January + 1 month = 28 or 29 February).
    pub fn add_months(self, months: u32) -> Date {
        let (y, m, d) = self.ymd();
        let total = y * 12 + (m as i32 - 1) + months as i32;
        let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        Date::from_ymd(y, m, d.min(days_in_month(y, m))).expect("a day of the month")
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("not a date: {text}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_go_both_ways() {
        assert_eq!(Date::from_ymd(1970, 1, 1), Some(Date(0)));
        assert_eq!(Date::from_ymd(2000, 3, 1).unwrap().ymd(), (2000, 3, 1));
        for n in -800_000..800_000 {
            if n % 997 == 0 {
                let d = Date(n);
                let (y, m, dd) = d.ymd();
                assert_eq!(Date::from_ymd(y, m, dd), Some(d));
            }
        }
        assert_eq!(Date::parse("2026-02-29"), None);
        assert_eq!(Date::parse("2028-02-29").unwrap().to_string(), "2028-02-29");
        assert_eq!(Date::parse("2026-13-01"), None);
    }

    #[test]
    fn months_end_where_the_month_does() {
        let jan31 = Date::parse("2026-01-31").unwrap();
        assert_eq!(jan31.add_months(1).to_string(), "2026-02-28");
        assert_eq!(
            Date::parse("2028-01-31").unwrap().add_months(1).to_string(),
            "2028-02-29"
        );
        assert_eq!(
            Date::parse("2026-11-19").unwrap().add_months(2).to_string(),
            "2027-01-19"
        );
        assert_eq!(
            Date::parse("2026-12-31").unwrap().add_months(2).to_string(),
            "2027-02-28"
        );
    }

    #[test]
    fn a_day_ends_at_midnight_where_the_register_is() {
        let d = Date::parse("2026-12-05").unwrap();
        // 2026-12-05 23:59:59 in Beijing is 15:59:59 UTC.
        let beijing = 8 * 3600;
        let end = d.end_ms(beijing);
        assert_eq!(Date::of_ms(end as u64 - 1, beijing), d);
        assert_eq!(Date::of_ms(end as u64, beijing), d.add_days(1));
        assert_eq!(Date::of_ms(end as u64, 0), d, "still the 5th in UTC");
    }
}
