//! Words and numbers the timeline shows, the same on screen and in
//! exports: dates and ranges, durations, counts.

use chrono::Timelike;

use crate::model::Instant;
use crate::model::date::from_instant;

/// "5 Aug 2022", with the time when the range is short.
pub fn describe_instant(t: Instant, with_time: bool) -> String {
    match from_instant(t) {
        Some(dt) if with_time && (dt.hour(), dt.minute()) != (0, 0) => {
            dt.format("%-d %b %Y %H:%M").to_string()
        }
        Some(dt) => dt.format("%-d %b %Y").to_string(),
        None => t.to_string(),
    }
}

/// "1 Aug 2022 – 31 Aug 2022": `t1` is the end, exclusive, so the last
/// second shown is the one before it.
pub fn describe_range(t0: Instant, t1: Instant) -> String {
    let short = t1 - t0 < 3 * 86_400;
    format!(
        "{} – {}",
        describe_instant(t0, short),
        describe_instant(t1.saturating_sub(1).max(t0), short)
    )
}

/// A duration in words: "12 days 4 hours", "3 years 2 months".
pub fn describe_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let parts = [
        (365 * 86_400 + 20_952, "year"), // mean Gregorian year
        (30 * 86_400 + 37_746, "month"),
        (86_400, "day"),
        (3_600, "hour"),
        (60, "minute"),
        (1, "second"),
    ];
    let mut rest = s;
    let mut out = Vec::new();
    for (unit, name) in parts {
        let n = rest / unit;
        if n > 0 {
            out.push(format!("{n} {name}{}", if n == 1 { "" } else { "s" }));
            rest -= n * unit;
        }
        if out.len() == 2 {
            break;
        }
    }
    if out.is_empty() {
        "0 seconds".into()
    } else {
        out.join(" ")
    }
}

/// 1234567 → "1,234,567".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 match", "3 matches".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// The lanes' title above their headers: "Lanes by kind".
pub fn lanes_title(grouping: crate::store::LaneGrouping) -> String {
    format!("Lanes by {}", grouping.label().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::to_instant;

    fn at(s: &str) -> Instant {
        to_instant(chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
    }

    #[test]
    fn durations_in_words() {
        assert_eq!(describe_duration(0), "0 seconds");
        assert_eq!(describe_duration(90), "1 minute 30 seconds");
        assert_eq!(
            describe_duration(12 * 86_400 + 4 * 3600 + 59),
            "12 days 4 hours"
        );
        assert_eq!(describe_duration(400 * 86_400), "1 year 1 month");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(plural(1, "match", "matches"), "1 match");
        assert_eq!(plural(1200, "match", "matches"), "1,200 matches");
    }

    #[test]
    fn ranges_name_their_last_second_and_times_only_when_short() {
        let (t0, t1) = (at("2022-08-01 00:00"), at("2022-09-01 00:00"));
        assert_eq!(describe_range(t0, t1), "1 Aug 2022 – 31 Aug 2022");
        let (t0, t1) = (at("2022-08-05 09:30"), at("2022-08-05 18:00"));
        assert_eq!(
            describe_range(t0, t1),
            "5 Aug 2022 09:30 – 5 Aug 2022 17:59"
        );
    }
}
