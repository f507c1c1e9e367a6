//! Statutory days off (ngày nghỉ lễ, tết) and the yearly schedule.
//!
//! Labour Code 2019 art. 112: Tết Dương lịch 1/1; Tết Nguyên đán 5 days; Giỗ Tổ Hùng Vương 10/3
//! âm lịch; Ngày Chiến thắng 30/4; Ngày Quốc tế Lao động 1/5; Quốc khánh 2/9 and one adjacent day;
//! from 2026 also Ngày Văn hóa Việt Nam 24/11 (Resolution 80-NQ/TW). Computed defaults:
//! - Tết: the last day of the old lunar year and the 1st–4th of the new one;
//! - the day adjacent to 2/9 is 1/9 (the government picks 1/9 or 3/9 each year: put the other in
//!   the schedule);
//! - a holiday on a weekend is compensated by the next working day (nghỉ bù).
//!
//! Each year the government announces the exact days and the swapped working days; that is the
//! [`Schedule`], editable TOML data (`data/calendar/vn.toml`, format in its README).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::lunar::{LunarDate, lunar_to_solar, new_years_eve};

/// One day off with its Vietnamese name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DayOff {
    pub date: NaiveDate,
    pub name: String,
}

/// The announced schedule of the years it names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    #[serde(default, rename = "year")]
    pub years: Vec<YearSchedule>,
}

/// What the government announced for one year, on top of the computed default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearSchedule {
    pub year: i32,
    /// Extra days off (hoán đổi, nghỉ thêm).
    #[serde(default)]
    pub days_off: Vec<DayOff>,
    /// Computed days off that are working days this year (e.g. a default adjacent day not chosen).
    #[serde(default)]
    pub not_off: Vec<NaiveDate>,
    /// Weekend days that are working days (làm bù).
    #[serde(default)]
    pub working_days: Vec<DayOff>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Lịch nghỉ không hợp lệ: {0}")]
pub struct ScheduleError(pub String);

impl Schedule {
    pub fn parse(text: &str) -> Result<Schedule, ScheduleError> {
        toml::from_str(text).map_err(|e: toml::de::Error| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            let vi = cchc_format::serde_message(e.message());
            ScheduleError(line.map_or(vi.clone(), |l| format!("dòng {l}: {vi}")))
        })
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a schedule serialises")
    }

    fn year(&self, year: i32) -> Option<&YearSchedule> {
        self.years.iter().find(|y| y.year == year)
    }

    /// Every day off of `year`, sorted: the computed default, adjusted by the schedule.
    pub fn days_off(&self, year: i32, weekend: &[Weekday]) -> Vec<DayOff> {
        let mut days: BTreeSet<DayOff> = statutory(year, weekend).into_iter().collect();
        if let Some(y) = self.year(year) {
            days.retain(|d| !y.not_off.contains(&d.date));
            days.extend(y.days_off.iter().cloned());
        }
        days.into_iter().collect()
    }

    /// Weekend days of `year` that are working days.
    pub fn working_weekend_days(&self, year: i32) -> Vec<NaiveDate> {
        self.year(year).map(|y| y.working_days.iter().map(|d| d.date).collect()).unwrap_or_default()
    }

    /// What was announced for `year` (empty when nothing was).
    pub fn year_or_empty(&self, year: i32) -> YearSchedule {
        self.year(year).cloned().unwrap_or(YearSchedule { year, ..Default::default() })
    }

    /// This schedule with `years` in place of its entries for the same years: how the schedules
    /// administrators record override the shipped one.
    pub fn overridden_by(mut self, years: impl IntoIterator<Item = YearSchedule>) -> Schedule {
        for y in years {
            self.years.retain(|old| old.year != y.year);
            self.years.push(y);
        }
        self.years.sort_by_key(|y| y.year);
        self
    }
}

/// One change an administrator makes to a year's announced schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleChange {
    /// An extra day off (hoán đổi, nghỉ thêm).
    AddDayOff(DayOff),
    /// A computed day off that is worked this year.
    Work(NaiveDate),
    /// A weekend day that is worked (làm bù).
    AddWorkingDay(DayOff),
    /// Takes back whatever the announcement says of this day: the computed default applies.
    Remove(NaiveDate),
}

impl YearSchedule {
    /// This year's schedule with `change` made (not checked: see [`Self::problems`]).
    pub fn with_change(&self, change: ScheduleChange) -> YearSchedule {
        let mut y = self.clone();
        match change {
            ScheduleChange::AddDayOff(d) => y.days_off.push(d),
            ScheduleChange::Work(d) => y.not_off.push(d),
            ScheduleChange::AddWorkingDay(d) => y.working_days.push(d),
            ScheduleChange::Remove(date) => {
                y.days_off.retain(|d| d.date != date);
                y.not_off.retain(|d| *d != date);
                y.working_days.retain(|d| d.date != date);
            }
        }
        y.days_off.sort();
        y.not_off.sort();
        y.working_days.sort();
        y
    }

    /// Every problem of this year's announcement, in Vietnamese, naming the day: a date of
    /// another year, an unnamed day, an extra day off that is already off, a worked day that is
    /// not a computed day off, a swapped working day that is not a weekend day or is a day off,
    /// a date listed twice. Empty when it can be saved.
    pub fn problems(&self, weekend: &[Weekday]) -> Vec<String> {
        let show = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
        let computed: BTreeSet<NaiveDate> = statutory(self.year, weekend).into_iter().map(|d| d.date).collect();
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        let all = self.days_off.iter().map(|d| d.date).chain(self.not_off.iter().copied()).chain(self.working_days.iter().map(|d| d.date));
        for d in all {
            if d.year() != self.year {
                problems.push(format!("Ngày {} không thuộc năm {}", show(d), self.year));
            }
            if !seen.insert(d) {
                problems.push(format!("Ngày {} được ghi nhiều lần trong lịch năm {}", show(d), self.year));
            }
        }
        for d in self.days_off.iter().chain(&self.working_days) {
            if d.name.trim().is_empty() {
                problems.push(format!("Ngày {}: cần ghi tên ngày nghỉ hoặc lý do làm bù", show(d.date)));
            }
        }
        for d in &self.days_off {
            if computed.contains(&d.date) || weekend.contains(&d.date.weekday()) {
                problems.push(format!("Ngày {} đã là ngày nghỉ, không cần thêm", show(d.date)));
            }
        }
        for d in &self.not_off {
            if !computed.contains(d) {
                problems.push(format!("Ngày {} không phải ngày nghỉ lễ tính theo luật, không thể đổi thành ngày làm việc", show(*d)));
            }
        }
        for d in &self.working_days {
            if !weekend.contains(&d.date.weekday()) {
                problems.push(format!("Ngày {} không phải ngày nghỉ hằng tuần, không thể là ngày làm bù", show(d.date)));
            }
        }
        problems
    }

    /// Nothing announced: the computed default applies.
    pub fn is_empty(&self) -> bool {
        self.days_off.is_empty() && self.not_off.is_empty() && self.working_days.is_empty()
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The statutory days off of a year with compensation for those on a weekend.
pub fn statutory(year: i32, weekend: &[Weekday]) -> Vec<DayOff> {
    let off = |date, name: &str| DayOff { date, name: name.to_string() };
    let mut days = vec![off(day(year, 1, 1), "Tết Dương lịch")];
    let eve = new_years_eve(year - 1);
    days.extend((0..5).map(|i| off(eve + chrono::Duration::days(i), "Tết Nguyên đán")));
    if let Some(gio_to) = lunar_to_solar(LunarDate { year, month: 3, day: 10, leap: false }) {
        days.push(off(gio_to, "Giỗ Tổ Hùng Vương"));
    }
    days.push(off(day(year, 4, 30), "Ngày Chiến thắng"));
    days.push(off(day(year, 5, 1), "Ngày Quốc tế Lao động"));
    days.push(off(day(year, 9, 1), "Quốc khánh (ngày liền kề)"));
    days.push(off(day(year, 9, 2), "Quốc khánh"));
    if year >= 2026 {
        days.push(off(day(year, 11, 24), "Ngày Văn hóa Việt Nam"));
    }
    days.sort();
    compensate(days, weekend)
}

/// Adds a compensatory day off (nghỉ bù) after each holiday that falls on a weekend.
fn compensate(mut days: Vec<DayOff>, weekend: &[Weekday]) -> Vec<DayOff> {
    let mut taken: BTreeSet<NaiveDate> = days.iter().map(|d| d.date).collect();
    let on_weekend: Vec<DayOff> = days.iter().filter(|d| weekend.contains(&d.date.weekday())).cloned().collect();
    for h in on_weekend {
        let mut d = h.date;
        loop {
            d = d.succ_opt().expect("in range");
            if !weekend.contains(&d.weekday()) && !taken.contains(&d) {
                break;
            }
        }
        taken.insert(d);
        days.push(DayOff { date: d, name: format!("Nghỉ bù {}", h.name) });
    }
    days.sort();
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEEKEND: [Weekday; 2] = [Weekday::Sat, Weekday::Sun];

    #[test]
    fn the_days_off_of_2026() {
        let days: Vec<(String, String)> =
            Schedule::default().days_off(2026, &WEEKEND).into_iter().map(|d| (d.date.format("%d/%m/%Y").to_string(), d.name)).collect();
        let has = |date: &str, name: &str| days.iter().any(|(d, n)| d == date && n == name);
        assert!(has("01/01/2026", "Tết Dương lịch"));
        assert!(has("16/02/2026", "Tết Nguyên đán") && has("20/02/2026", "Tết Nguyên đán"));
        // Giỗ Tổ falls on Sunday 26/4/2026: compensated on Monday 27/4.
        assert!(has("26/04/2026", "Giỗ Tổ Hùng Vương"));
        assert!(has("27/04/2026", "Nghỉ bù Giỗ Tổ Hùng Vương"));
        assert!(has("24/11/2026", "Ngày Văn hóa Việt Nam"));
        assert!(!Schedule::default().days_off(2025, &WEEKEND).iter().any(|d| d.name == "Ngày Văn hóa Việt Nam"));
    }

    #[test]
    fn the_schedule_adjusts_the_default() {
        let s = Schedule::parse(
            r#"
[[year]]
year = 2026
not_off = ["2026-09-01"]
days_off = [{ date = "2026-09-03", name = "Quốc khánh (ngày liền kề)" }]
working_days = [{ date = "2026-02-14", name = "Làm bù" }]
"#,
        )
        .unwrap();
        let days = s.days_off(2026, &WEEKEND);
        assert!(!days.iter().any(|d| d.date == day(2026, 9, 1)));
        assert!(days.iter().any(|d| d.date == day(2026, 9, 3)));
        assert_eq!(s.working_weekend_days(2026), vec![day(2026, 2, 14)]);
        assert_eq!(Schedule::parse(&s.to_toml()).unwrap(), s);
        assert!(Schedule::parse("[[year]]\nyear = 2026\nbad = 1").unwrap_err().to_string().starts_with("Lịch nghỉ không hợp lệ"));
    }

    #[test]
    fn a_years_announcement_is_checked_day_by_day() {
        let off = |date, name: &str| DayOff { date, name: name.into() };
        let good = YearSchedule {
            year: 2026,
            days_off: vec![off(day(2026, 9, 3), "Quốc khánh (ngày liền kề)")],
            not_off: vec![day(2026, 9, 1)],
            working_days: vec![off(day(2026, 2, 14), "Làm bù")],
        };
        assert_eq!(good.problems(&WEEKEND), Vec::<String>::new());
        let bad = YearSchedule {
            year: 2026,
            // already off (Tết), of another year, a Sunday
            days_off: vec![off(day(2026, 2, 17), "Tết"), off(day(2027, 1, 4), "Nghỉ"), off(day(2026, 3, 8), "Nghỉ")],
            // an ordinary working day
            not_off: vec![day(2026, 3, 10)],
            // a Wednesday; unnamed
            working_days: vec![off(day(2026, 3, 11), " ")],
        };
        assert_eq!(
            bad.problems(&WEEKEND),
            vec![
                "Ngày 04/01/2027 không thuộc năm 2026",
                "Ngày 11/03/2026: cần ghi tên ngày nghỉ hoặc lý do làm bù",
                "Ngày 17/02/2026 đã là ngày nghỉ, không cần thêm",
                "Ngày 08/03/2026 đã là ngày nghỉ, không cần thêm",
                "Ngày 10/03/2026 không phải ngày nghỉ lễ tính theo luật, không thể đổi thành ngày làm việc",
                "Ngày 11/03/2026 không phải ngày nghỉ hằng tuần, không thể là ngày làm bù",
            ]
        );
        let twice = YearSchedule { year: 2026, not_off: vec![day(2026, 9, 1)], days_off: vec![], working_days: vec![] };
        let twice = YearSchedule { days_off: vec![off(day(2026, 9, 1), "x")], ..twice };
        assert!(twice.problems(&WEEKEND).contains(&"Ngày 01/09/2026 được ghi nhiều lần trong lịch năm 2026".to_string()));
    }

    #[test]
    fn changes_are_made_and_taken_back() {
        let off = |date, name: &str| DayOff { date, name: name.into() };
        let y = YearSchedule { year: 2027, ..Default::default() }
            .with_change(ScheduleChange::Work(day(2027, 9, 1)))
            .with_change(ScheduleChange::AddDayOff(off(day(2027, 9, 3), "Quốc khánh (ngày liền kề)")))
            .with_change(ScheduleChange::AddWorkingDay(off(day(2027, 9, 11), "Làm bù")));
        assert_eq!(y.problems(&WEEKEND), Vec::<String>::new());
        let s = Schedule { years: vec![y.clone()] };
        let days = s.days_off(2027, &WEEKEND);
        assert!(days.iter().any(|d| d.date == day(2027, 9, 3)) && !days.iter().any(|d| d.date == day(2027, 9, 1)));
        assert_eq!(s.working_weekend_days(2027), vec![day(2027, 9, 11)]);
        let back = y
            .with_change(ScheduleChange::Remove(day(2027, 9, 1)))
            .with_change(ScheduleChange::Remove(day(2027, 9, 3)))
            .with_change(ScheduleChange::Remove(day(2027, 9, 11)));
        assert!(back.is_empty());
    }

    #[test]
    fn recorded_years_replace_the_shipped_ones() {
        let shipped = Schedule::parse(crate::DEFAULT_SCHEDULE_TOML).unwrap();
        assert!(!shipped.year_or_empty(2025).is_empty());
        let emptied = YearSchedule { year: 2025, ..Default::default() };
        let extra = YearSchedule { year: 2027, not_off: vec![day(2027, 9, 1)], ..Default::default() };
        let s = shipped.overridden_by([extra.clone(), emptied]);
        assert!(s.year_or_empty(2025).is_empty());
        assert_eq!(s.year_or_empty(2027), extra);
        assert_eq!(s.years.iter().map(|y| y.year).collect::<Vec<_>>(), vec![2019, 2020, 2021, 2023, 2024, 2025, 2026, 2027]);
    }

    #[test]
    fn the_shipped_schedule_parses() {
        let s = Schedule::parse(crate::DEFAULT_SCHEDULE_TOML).unwrap();
        assert!(!s.years.is_empty());
    }
}
