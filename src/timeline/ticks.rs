//! Calendar-aware ticks, from centuries down to minutes.
//!
//! A step is chosen so that its labels cannot overlap; the next coarser unit
//! is given as context ("2022" above months, "5 Aug 2022" above hours).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::axis::TimeAxis;
use crate::model::Instant;
use crate::model::date::{from_instant, to_instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Minutes(u32),
    Hours(u32),
    Days(u32),
    Week,
    Months(u32),
    Years(u32),
}

impl Step {
    const LADDER: [Step; 28] = [
        Step::Minutes(1),
        Step::Minutes(2),
        Step::Minutes(5),
        Step::Minutes(10),
        Step::Minutes(15),
        Step::Minutes(30),
        Step::Hours(1),
        Step::Hours(2),
        Step::Hours(3),
        Step::Hours(6),
        Step::Hours(12),
        Step::Days(1),
        Step::Days(2),
        Step::Week,
        Step::Months(1),
        Step::Months(2),
        Step::Months(3),
        Step::Months(6),
        Step::Years(1),
        Step::Years(2),
        Step::Years(5),
        Step::Years(10),
        Step::Years(20),
        Step::Years(50),
        Step::Years(100),
        Step::Years(200),
        Step::Years(500),
        Step::Years(1000),
    ];

    /// Shortest length of one step in seconds (for spacing).
    fn min_seconds(self) -> f64 {
        const DAY: f64 = 86_400.0;
        match self {
            Step::Minutes(n) => 60.0 * n as f64,
            Step::Hours(n) => 3600.0 * n as f64,
            Step::Days(n) => DAY * n as f64,
            Step::Week => 7.0 * DAY,
            Step::Months(n) => 28.0 * DAY * n as f64,
            Step::Years(n) => 365.0 * DAY * n as f64,
        }
    }

    /// Widest label this step can print, in characters.
    fn label_chars(self) -> usize {
        match self {
            Step::Minutes(_) | Step::Hours(_) => 5, // "14:30"
            Step::Days(_) | Step::Week => 2,        // "28"
            Step::Months(_) => 3,                   // "Sep"
            Step::Years(_) => 5,                    // "-1000" at most 5 for our range
        }
    }

    /// Start of the step's unit at or before `dt`.
    fn floor(self, dt: NaiveDateTime) -> NaiveDateTime {
        let d = dt.date();
        let midnight = |d: NaiveDate| d.and_time(NaiveTime::MIN);
        match self {
            Step::Minutes(n) => {
                let m = dt.minute() / n * n;
                d.and_hms_opt(dt.hour(), m, 0).unwrap_or(dt)
            }
            Step::Hours(n) => d.and_hms_opt(dt.hour() / n * n, 0, 0).unwrap_or(dt),
            Step::Days(n) => {
                // Align multi-day steps to the day of the month so labels
                // read 1, 3, 5...; restart on each month.
                let day = (d.day() - 1) / n * n + 1;
                NaiveDate::from_ymd_opt(d.year(), d.month(), day).map_or(dt, midnight)
            }
            Step::Week => midnight(d - Duration::days(d.weekday().num_days_from_monday() as i64)),
            Step::Months(n) => {
                let m = (d.month() - 1) / n * n + 1;
                NaiveDate::from_ymd_opt(d.year(), m, 1).map_or(dt, midnight)
            }
            Step::Years(n) => {
                let y = d.year().div_euclid(n as i32) * n as i32;
                NaiveDate::from_ymd_opt(y, 1, 1).map_or(dt, midnight)
            }
        }
    }

    fn next(self, dt: NaiveDateTime) -> Option<NaiveDateTime> {
        let d = dt.date();
        match self {
            Step::Minutes(n) => dt.checked_add_signed(Duration::minutes(n as i64)),
            Step::Hours(n) => dt.checked_add_signed(Duration::hours(n as i64)),
            Step::Days(n) => {
                let step = Duration::days(n as i64);
                let next = d.checked_add_signed(step)?;
                if n == 1 {
                    return Some(next.and_time(NaiveTime::MIN));
                }
                // Keep multi-day steps on the month grid (…27, 29, then 1),
                // never leaving a tick closer than a step to the next 1st.
                let first_of_next = |x: NaiveDate| {
                    let (y, m) = if x.month() == 12 {
                        (x.year() + 1, 1)
                    } else {
                        (x.year(), x.month() + 1)
                    };
                    NaiveDate::from_ymd_opt(y, m, 1)
                };
                let month_end = first_of_next(d)?;
                if next >= month_end || month_end.signed_duration_since(next) < step {
                    Some(month_end.and_time(NaiveTime::MIN))
                } else {
                    Some(next.and_time(NaiveTime::MIN))
                }
            }
            Step::Week => dt.checked_add_signed(Duration::days(7)),
            Step::Months(n) => {
                let total = d.year() as i64 * 12 + (d.month() as i64 - 1) + n as i64;
                let y = total.div_euclid(12) as i32;
                let m = total.rem_euclid(12) as u32 + 1;
                NaiveDate::from_ymd_opt(y, m, 1).map(|x| x.and_time(NaiveTime::MIN))
            }
            Step::Years(n) => NaiveDate::from_ymd_opt(d.year().checked_add(n as i32)?, 1, 1)
                .map(|x| x.and_time(NaiveTime::MIN)),
        }
    }

    fn label(self, dt: NaiveDateTime) -> String {
        match self {
            Step::Minutes(_) | Step::Hours(_) => format!("{:02}:{:02}", dt.hour(), dt.minute()),
            Step::Days(_) | Step::Week => dt.day().to_string(),
            Step::Months(_) => short_month(dt.month()).to_string(),
            Step::Years(_) => dt.year().to_string(),
        }
    }

    /// The coarser unit shown above this one, if any.
    fn context(self) -> Option<Context> {
        match self {
            Step::Minutes(_) | Step::Hours(_) => Some(Context::Day),
            Step::Days(_) | Step::Week => Some(Context::Month),
            Step::Months(_) => Some(Context::Year),
            Step::Years(n) if n <= 2 => Some(Context::Decade),
            Step::Years(_) => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Day,
    Month,
    Year,
    Decade,
}

impl Context {
    fn step(self) -> Step {
        match self {
            Context::Day => Step::Days(1),
            Context::Month => Step::Months(1),
            Context::Year => Step::Years(1),
            Context::Decade => Step::Years(10),
        }
    }

    fn label(self, dt: NaiveDateTime) -> String {
        match self {
            Context::Day => format!("{} {} {}", dt.day(), short_month(dt.month()), dt.year()),
            Context::Month => format!(
                "{} {}",
                crate::model::date::month_name(dt.month()),
                dt.year()
            ),
            Context::Year => dt.year().to_string(),
            Context::Decade => format!("{}s", dt.year()),
        }
    }
}

pub fn short_month(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    NAMES
        .get(month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub t: Instant,
    pub x: f32,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ticks {
    pub step: Step,
    pub ticks: Vec<Tick>,
    /// Coarser-unit boundaries in view, with the one containing the left
    /// edge first (its `x` may be left of the view: draw it pinned).
    pub context: Vec<Tick>,
}

/// Ticks for the axis. `char_width` is the width of one label character in
/// pixels; labels get at least `gap` pixels between them.
pub fn ticks(axis: &TimeAxis, char_width: f32, gap: f32) -> Ticks {
    let step = Step::LADDER
        .into_iter()
        .find(|s| {
            let px = s.min_seconds() * axis.scale();
            px >= (s.label_chars() as f32 * char_width + gap) as f64
        })
        .unwrap_or(Step::Years(1000));
    let (t0, t1) = axis.visible();
    let ticks = walk(step, t0, t1, axis, |dt| step.label(dt), 4096);
    let context = match step.context() {
        Some(c) => walk(c.step(), t0, t1, axis, |dt| c.label(dt), 1024),
        None => Vec::new(),
    };
    Ticks {
        step,
        ticks,
        context,
    }
}

fn walk(
    step: Step,
    t0: Instant,
    t1: Instant,
    axis: &TimeAxis,
    label: impl Fn(NaiveDateTime) -> String,
    limit: usize,
) -> Vec<Tick> {
    let mut out = Vec::new();
    let (Some(start), Some(end)) = (from_instant(t0), from_instant(t1)) else {
        return out;
    };
    let mut dt = step.floor(start);
    while dt <= end && out.len() < limit {
        let t = to_instant(dt);
        out.push(Tick {
            t,
            x: axis.x_of(t),
            label: label(dt),
        });
        match step.next(dt) {
            Some(n) if n > dt => dt = n,
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FuzzyDate;

    fn t(text: &str) -> Instant {
        FuzzyDate::parse(text).unwrap().earliest
    }

    const CHAR: f32 = 7.0;
    const GAP: f32 = 12.0;

    fn check_no_overlap(tk: &Ticks) {
        for w in tk.ticks.windows(2) {
            let room = w[1].x - w[0].x;
            let need = w[0].label.chars().count() as f32 * CHAR + GAP * 0.5;
            assert!(
                room >= need,
                "{:?} and {:?} overlap ({room} < {need})",
                w[0],
                w[1]
            );
        }
    }

    #[test]
    fn months_with_years_as_context() {
        let a = TimeAxis::fit(0.0, 1600.0, t("2020-01-01"), t("2022-12-31"));
        let tk = ticks(&a, CHAR, GAP);
        assert_eq!(tk.step, Step::Months(1));
        assert_eq!(tk.ticks[0].label, "Jan");
        assert!(tk.context.iter().any(|c| c.label == "2021"));
        check_no_overlap(&tk);
    }

    #[test]
    fn hours_with_the_date_as_context() {
        let a = TimeAxis::fit(0.0, 1200.0, t("2022-08-05T00:00"), t("2022-08-06T00:00"));
        let tk = ticks(&a, CHAR, GAP);
        assert!(matches!(tk.step, Step::Hours(_)));
        assert_eq!(tk.context[0].label, "5 Aug 2022");
        assert!(tk.ticks.iter().any(|x| x.label == "12:00"));
        check_no_overlap(&tk);
    }

    #[test]
    fn minutes_at_the_closest_zoom() {
        let a = TimeAxis::fit(0.0, 1200.0, t("2022-08-05T14:00"), t("2022-08-05T14:01"));
        let tk = ticks(&a, CHAR, GAP);
        assert_eq!(tk.step, Step::Minutes(1));
        check_no_overlap(&tk);
    }

    #[test]
    fn decades_and_centuries_when_far_out() {
        let a = TimeAxis::fit(0.0, 1000.0, t("1900"), t("2030"));
        let tk = ticks(&a, CHAR, GAP);
        assert!(matches!(tk.step, Step::Years(n) if n >= 5));
        assert!(tk.ticks.iter().any(|x| x.label == "2000"));
        check_no_overlap(&tk);
    }

    #[test]
    fn days_restart_on_each_month() {
        let a = TimeAxis::fit(0.0, 900.0, t("2022-07-20"), t("2022-08-20"));
        let tk = ticks(&a, CHAR, GAP);
        assert!(matches!(tk.step, Step::Days(_) | Step::Week));
        assert!(tk.context.iter().any(|c| c.label == "August 2022"));
        check_no_overlap(&tk);
    }

    #[test]
    fn every_zoom_level_has_non_overlapping_labels() {
        let mut a = TimeAxis::fit(0.0, 1400.0, t("1800"), t("2100"));
        for _ in 0..60 {
            let tk = ticks(&a, CHAR, GAP);
            assert!(!tk.ticks.is_empty());
            check_no_overlap(&tk);
            a.zoom_at(700.0, 1.5);
        }
    }
}
