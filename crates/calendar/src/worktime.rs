//! Working time: which days are worked, office hours, and adding working time to a moment.
//!
//! Conventions (the usual one-stop practice, configurable):
//! - a receipt outside office hours, or after the cut-off hour (e.g. 16:00), counts from the start
//!   of the next office period;
//! - N working days is N × the length of an office day of working time from that effective moment
//!   (received Monday 10:00 with 3 days → due Thursday 10:00); a result that lands exactly at the
//!   end of an office period stays there (17:00 rather than 7:30 the next day).

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::holidays::{DayOff, Schedule};

/// Office hours (giờ hành chính): periods of a working day, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeHours {
    pub periods: Vec<(NaiveTime, NaiveTime)>,
    /// Receipts at or after this time count from the next working period.
    pub cutoff: Option<NaiveTime>,
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

impl Default for OfficeHours {
    /// 7:30–11:30 and 13:00–17:00, receipts after 16:00 count from the next working day.
    fn default() -> Self {
        OfficeHours { periods: vec![(hm(7, 30), hm(11, 30)), (hm(13, 0), hm(17, 0))], cutoff: Some(hm(16, 0)) }
    }
}

impl OfficeHours {
    /// Minutes of work in one office day.
    pub fn day_minutes(&self) -> i64 {
        self.periods.iter().map(|(a, b)| (*b - *a).num_minutes()).sum()
    }
}

/// The calendar of working days and hours for a range of years.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    pub hours: OfficeHours,
    pub weekend: Vec<Weekday>,
    schedule: Schedule,
    off: HashSet<NaiveDate>,
    worked_weekend: HashSet<NaiveDate>,
    years: (i32, i32),
}

impl WorkCalendar {
    /// A calendar for `years` (inclusive) with the given schedule, Saturday–Sunday weekends and
    /// default office hours. Holidays are precomputed for the range; outside it only weekends are
    /// days off, so choose a range that covers the data.
    pub fn new(schedule: Schedule, years: (i32, i32)) -> WorkCalendar {
        Self::with(schedule, years, vec![Weekday::Sat, Weekday::Sun], OfficeHours::default())
    }

    pub fn with(schedule: Schedule, years: (i32, i32), weekend: Vec<Weekday>, hours: OfficeHours) -> WorkCalendar {
        let mut off = HashSet::new();
        let mut worked_weekend = HashSet::new();
        for y in years.0..=years.1 {
            off.extend(schedule.days_off(y, &weekend).into_iter().map(|d| d.date));
            worked_weekend.extend(schedule.working_weekend_days(y));
        }
        WorkCalendar { hours, weekend, schedule, off, worked_weekend, years }
    }

    /// The default calendar: the shipped schedule, 2000–2060.
    pub fn vietnam() -> WorkCalendar {
        Self::vietnam_with(Schedule::parse(crate::DEFAULT_SCHEDULE_TOML).expect("the shipped schedule parses"))
    }

    /// The Vietnamese calendar of 2000–2060 with the given schedule (the shipped one overridden by
    /// what administrators recorded).
    pub fn vietnam_with(schedule: Schedule) -> WorkCalendar {
        WorkCalendar::new(schedule, (2000, 2060))
    }

    /// The announced schedule this calendar follows.
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    pub fn years(&self) -> (i32, i32) {
        self.years
    }

    /// Days off of a year with their names, for `cchc calendar holidays`.
    pub fn days_off(&self, year: i32) -> Vec<DayOff> {
        self.schedule.days_off(year, &self.weekend)
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.worked_weekend.contains(&d) {
            return true;
        }
        !self.weekend.contains(&d.weekday()) && !self.off.contains(&d)
    }

    /// The days of `years` (inclusive) that are working days in one calendar and not in the
    /// other, in order: what a change of the schedule moves (the due dates whose clock runs
    /// across one of them).
    pub fn changed_days(&self, other: &WorkCalendar, years: (i32, i32)) -> Vec<NaiveDate> {
        let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(years.0, 1, 1), NaiveDate::from_ymd_opt(years.1, 12, 31)) else {
            return Vec::new();
        };
        first.iter_days().take_while(|d| *d <= last).filter(|d| self.is_working_day(*d) != other.is_working_day(*d)).collect()
    }

    pub fn next_working_day(&self, d: NaiveDate) -> NaiveDate {
        let mut x = d.succ_opt().expect("in range");
        while !self.is_working_day(x) {
            x = x.succ_opt().expect("in range");
        }
        x
    }

    /// The working day `n` working days after `d` (n = 0: `d` itself if it is worked).
    pub fn add_working_days(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut x = if self.is_working_day(d) { d } else { self.next_working_day(d) };
        for _ in 0..n {
            x = self.next_working_day(x);
        }
        x
    }

    /// The moment from which a receipt at `t` is counted.
    pub fn effective_start(&self, t: NaiveDateTime) -> NaiveDateTime {
        let (date, time) = (t.date(), t.time());
        let after_cutoff = self.hours.cutoff.is_some_and(|c| time >= c);
        if self.is_working_day(date)
            && !after_cutoff
            && let Some((start, _)) = self.hours.periods.iter().find(|(_, end)| time < *end)
        {
            return date.and_time(time.max(*start));
        }
        self.next_working_day(date).and_time(self.hours.periods[0].0)
    }

    /// Working minutes between two moments (0 if `b` ≤ `a`).
    pub fn working_minutes_between(&self, a: NaiveDateTime, b: NaiveDateTime) -> i64 {
        if b <= a {
            return 0;
        }
        let mut total = 0;
        let mut d = a.date();
        while d <= b.date() {
            if self.is_working_day(d) {
                for (s, e) in &self.hours.periods {
                    let (ps, pe) = (d.and_time(*s), d.and_time(*e));
                    let (lo, hi) = (ps.max(a), pe.min(b));
                    if hi > lo {
                        total += (hi - lo).num_minutes();
                    }
                }
            }
            d = d.succ_opt().expect("in range");
        }
        total
    }

    /// The moment `minutes` of working time after `t` (counted from the next office time if `t`
    /// is outside it). The inverse of [`Self::working_minutes_between`].
    pub fn add_working_minutes(&self, t: NaiveDateTime, minutes: i64) -> NaiveDateTime {
        let mut left = minutes.max(0);
        let mut d = t.date();
        let mut from = t;
        loop {
            if self.is_working_day(d) {
                for (s, e) in &self.hours.periods {
                    let (ps, pe) = (d.and_time(*s), d.and_time(*e));
                    let start = ps.max(from);
                    if start >= pe {
                        continue;
                    }
                    let avail = (pe - start).num_minutes();
                    if left <= avail {
                        return start + Duration::minutes(left);
                    }
                    left -= avail;
                }
            }
            d = d.succ_opt().expect("in range");
            from = d.and_time(NaiveTime::MIN);
        }
    }

    pub fn add_working_hours(&self, t: NaiveDateTime, hours: i64) -> NaiveDateTime {
        self.add_working_minutes(t, hours * 60)
    }

    /// The due date (ngày hẹn trả) of a dossier received at `received` for a procedure of
    /// `n_days` working days.
    pub fn due_after_working_days(&self, received: NaiveDateTime, n_days: u32) -> NaiveDateTime {
        self.add_working_minutes(self.effective_start(received), n_days as i64 * self.hours.day_minutes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn three_working_days_from_a_monday_morning() {
        let c = WorkCalendar::vietnam();
        assert_eq!(c.due_after_working_days(at(2026, 3, 2, 10, 0), 3), at(2026, 3, 5, 10, 0));
    }

    #[test]
    fn a_receipt_after_the_cutoff_counts_from_the_next_working_day() {
        let c = WorkCalendar::vietnam();
        // Friday 16:30 → counted from Monday 7:30; one working day → Monday 17:00.
        assert_eq!(c.effective_start(at(2026, 3, 6, 16, 30)), at(2026, 3, 9, 7, 30));
        assert_eq!(c.due_after_working_days(at(2026, 3, 6, 16, 30), 1), at(2026, 3, 9, 17, 0));
        // Lunch time counts from 13:00.
        assert_eq!(c.effective_start(at(2026, 3, 9, 12, 0)), at(2026, 3, 9, 13, 0));
    }

    #[test]
    fn working_days_skip_tet() {
        let c = WorkCalendar::vietnam();
        // Tết Bính Ngọ: 16–20/2/2026 off. Received Thursday 12/2 10:00, 5 working days:
        // 12 (rest), 13, 23, 24, 25, 26 (until 10:00).
        assert_eq!(c.due_after_working_days(at(2026, 2, 12, 10, 0), 5), at(2026, 2, 26, 10, 0));
        assert!(!c.is_working_day(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()));
        // 2025's announced schedule: 27/1 off, 3/2 worked.
        assert!(!c.is_working_day(NaiveDate::from_ymd_opt(2025, 1, 27).unwrap()));
        assert!(c.is_working_day(NaiveDate::from_ymd_opt(2025, 2, 3).unwrap()));
    }

    proptest! {
        #[test]
        fn adding_minutes_and_measuring_them_are_inverse(day in 0i64..2000, minute in 0u32..1440, add in 0i64..30_000) {
            let c = WorkCalendar::vietnam();
            let t = at(2024, 1, 1, 0, 0) + Duration::days(day) + Duration::minutes(minute as i64);
            let start = c.effective_start(t);
            let end = c.add_working_minutes(start, add);
            prop_assert_eq!(c.working_minutes_between(start, end), add);
        }
    }
}
