//! Reporting periods (kỳ báo cáo) and their data windows.
//!
//! A period is written `YYYY-Mmm` (month), `YYYY-Qn` (quarter), `YYYY-H1`/`YYYY-H2` (6 tháng),
//! `YYYY-9M` (9 tháng) or `YYYY-Y` (năm): `2025-M07`, `2024-Q3`, `2022-H1`, `2024-9M`, `2021-Y`.
//!
//! The data window of a period is not the calendar period. Under Decree 09/2019/NĐ-CP art. 12 a
//! month runs from the 15th of the previous month to the 14th, and a year from 15/12 of the
//! previous year to 14/12. Provinces differ (one reference report uses 10/12/2021 → 09/6/2022),
//! so the rule is data: [`WindowRule`].

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The kind of a period (loại kỳ báo cáo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodKind {
    /// Tháng.
    Month,
    /// Quý.
    Quarter,
    /// 6 tháng (đầu năm or cuối năm).
    Half,
    /// 9 tháng.
    NineMonths,
    /// Năm.
    Year,
}

/// A reporting period: a kind, a year and an index within the year (month 1–12, quarter 1–4,
/// half 1–2; 1 for 9 months and the year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    pub kind: PeriodKind,
    pub index: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("Kỳ báo cáo \"{0}\" không hợp lệ: viết theo mẫu 2022-H1, 2024-Q3, 2024-9M, 2021-Y hoặc 2025-M07")]
pub struct PeriodParseError(pub String);

impl Period {
    pub fn month(year: i32, m: u8) -> Period {
        Period { year, kind: PeriodKind::Month, index: m }
    }
    pub fn quarter(year: i32, q: u8) -> Period {
        Period { year, kind: PeriodKind::Quarter, index: q }
    }
    pub fn half(year: i32, h: u8) -> Period {
        Period { year, kind: PeriodKind::Half, index: h }
    }
    pub fn nine_months(year: i32) -> Period {
        Period { year, kind: PeriodKind::NineMonths, index: 1 }
    }
    pub fn year(year: i32) -> Period {
        Period { year, kind: PeriodKind::Year, index: 1 }
    }

    /// The first and last calendar month covered (1-based, inclusive) of the *cumulative* range
    /// would start at 1; this is the period's own range.
    pub fn month_range(self) -> (u8, u8) {
        match self.kind {
            PeriodKind::Month => (self.index, self.index),
            PeriodKind::Quarter => (self.index * 3 - 2, self.index * 3),
            PeriodKind::Half => (self.index * 6 - 5, self.index * 6),
            PeriodKind::NineMonths => (1, 9),
            PeriodKind::Year => (1, 12),
        }
    }

    /// The period of the same kind immediately before (kỳ trước). For 9 months and the year,
    /// the same period of the previous year.
    pub fn previous(self) -> Period {
        let (count, idx) = match self.kind {
            PeriodKind::Month => (12, self.index),
            PeriodKind::Quarter => (4, self.index),
            PeriodKind::Half => (2, self.index),
            PeriodKind::NineMonths | PeriodKind::Year => (1, 1),
        };
        if idx > 1 { Period { index: idx - 1, ..self } } else { Period { year: self.year - 1, index: count, ..self } }
    }

    /// The same period a year earlier (cùng kỳ năm trước).
    pub fn same_period_last_year(self) -> Period {
        Period { year: self.year - 1, ..self }
    }

    /// Vietnamese title as used in report titles: "6 tháng đầu năm 2022", "quý III năm 2024",
    /// "tháng 7 năm 2025", "9 tháng năm 2024", "năm 2021".
    pub fn title_vi(self) -> String {
        match self.kind {
            PeriodKind::Month => format!("tháng {} năm {}", self.index, self.year),
            PeriodKind::Quarter => format!("quý {} năm {}", roman(self.index), self.year),
            PeriodKind::Half if self.index == 1 => format!("6 tháng đầu năm {}", self.year),
            PeriodKind::Half => format!("6 tháng cuối năm {}", self.year),
            PeriodKind::NineMonths => format!("9 tháng năm {}", self.year),
            PeriodKind::Year => format!("năm {}", self.year),
        }
    }

    fn validate(self) -> bool {
        let max = match self.kind {
            PeriodKind::Month => 12,
            PeriodKind::Quarter => 4,
            PeriodKind::Half => 2,
            PeriodKind::NineMonths | PeriodKind::Year => 1,
        };
        (1..=max).contains(&self.index) && (1900..=2200).contains(&self.year)
    }
}

fn roman(n: u8) -> &'static str {
    ["", "I", "II", "III", "IV"][n as usize]
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PeriodKind::Month => write!(f, "{}-M{:02}", self.year, self.index),
            PeriodKind::Quarter => write!(f, "{}-Q{}", self.year, self.index),
            PeriodKind::Half => write!(f, "{}-H{}", self.year, self.index),
            PeriodKind::NineMonths => write!(f, "{}-9M", self.year),
            PeriodKind::Year => write!(f, "{}-Y", self.year),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PeriodParseError(s.to_string());
        let (y, rest) = s.trim().split_once('-').ok_or_else(err)?;
        let year: i32 = y.parse().map_err(|_| err())?;
        let rest = rest.to_ascii_uppercase();
        let num = |t: &str| t.parse::<u8>().map_err(|_| err());
        let p = match rest.as_str() {
            "Y" => Period::year(year),
            "9M" => Period::nine_months(year),
            r if r.starts_with('M') => Period::month(year, num(&r[1..])?),
            r if r.starts_with('Q') => Period::quarter(year, num(&r[1..])?),
            r if r.starts_with('H') => Period::half(year, num(&r[1..])?),
            _ => return Err(err()),
        };
        if p.validate() { Ok(p) } else { Err(err()) }
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// An inclusive range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DateRange {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

/// A province's rule for data windows and due dates. Kept as data (TOML/JSON) per province.
///
/// `cutoff_day` is the last day of each monthly window: 14 gives 15/(m−1) → 14/m (the default of
/// Decree 09/2019), 9 gives 10/(m−1) → 9/m. 0 means calendar months (1/m → last day of m).
/// A cut-off past the end of a short month is clamped to its last day.
/// Reports are due `due_working_days` working days after the cut-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowRule {
    #[serde(default = "default_cutoff")]
    pub cutoff_day: u8,
    #[serde(default = "default_due")]
    pub due_working_days: u32,
    /// Per-kind overrides of `cutoff_day`, e.g. a province closing its year report on 30/11.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<WindowOverride>,
    /// Windows open on the first day of the period's first month (rather than the day after the
    /// previous month's cut-off): "from 01/7 to 14/9" for the third quarter.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_first_of_month: bool,
}

/// A cut-off day that applies only to one kind of period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowOverride {
    pub kind: PeriodKind,
    pub cutoff_day: u8,
}

fn default_cutoff() -> u8 {
    14
}
fn default_due() -> u32 {
    2
}

impl Default for WindowRule {
    fn default() -> Self {
        WindowRule { cutoff_day: default_cutoff(), due_working_days: default_due(), overrides: Vec::new(), from_first_of_month: false }
    }
}

impl WindowRule {
    /// The rule "10th → 9th" used by some provinces (reference report 002, Hải Dương).
    pub fn tenth_to_ninth() -> Self {
        WindowRule { cutoff_day: 9, ..WindowRule::default() }
    }

    fn cutoff_for(&self, kind: PeriodKind) -> u8 {
        self.overrides.iter().find(|o| o.kind == kind).map_or(self.cutoff_day, |o| o.cutoff_day)
    }

    /// The data window of the period itself (số liệu trong kỳ).
    pub fn window(&self, p: Period) -> DateRange {
        let (first, last) = p.month_range();
        self.span(p.kind, p.year, first, last)
    }

    /// The cumulative window from the start of the reporting year to the end of the period
    /// (lũy kế từ đầu năm).
    pub fn cumulative_window(&self, p: Period) -> DateRange {
        let (_, last) = p.month_range();
        self.span(p.kind, p.year, 1, last)
    }

    fn span(&self, kind: PeriodKind, year: i32, first: u8, last: u8) -> DateRange {
        match self.cutoff_for(kind) {
            0 => DateRange { from: ymd(year, first as u32, 1), to: last_day_of_month(year, last as u32) },
            c if self.from_first_of_month => DateRange { from: ymd(year, first as u32, 1), to: month_day(year, last, c) },
            c => DateRange { from: day_after_cutoff_of_previous_month(year, first, c), to: month_day(year, last, c) },
        }
    }

    /// The periodic report being prepared on `day`: of the reports of a year (quý I, 6 tháng,
    /// 9 tháng, năm), the first whose data window has not closed before `day`.
    pub fn current_report(&self, day: NaiveDate) -> Period {
        let year = day.year();
        [Period::quarter(year, 1), Period::half(year, 1), Period::nine_months(year), Period::year(year)]
            .into_iter()
            .find(|p| self.cutoff(*p) >= day)
            .unwrap_or(Period::quarter(year + 1, 1))
    }

    /// The last day of the period's window (ngày chốt số liệu).
    pub fn cutoff(&self, p: Period) -> NaiveDate {
        self.window(p).to
    }

    /// The day the report is due: `due_working_days` working days after the cut-off, counted
    /// with the caller's working-day calendar.
    pub fn due_date(&self, p: Period, is_working_day: impl Fn(NaiveDate) -> bool) -> NaiveDate {
        let mut d = self.cutoff(p);
        let mut left = self.due_working_days;
        while left > 0 {
            d = d.succ_opt().expect("date in range");
            if is_working_day(d) {
                left -= 1;
            }
        }
        d
    }
}

/// Day `c` of month `m` (clamped to the month's length).
fn month_day(year: i32, m: u8, c: u8) -> NaiveDate {
    let last = last_day_of_month(year, m as u32).day();
    ymd(year, m as u32, (c as u32).min(last))
}

/// The day after the cut-off of the month before `m`: where the window of month `m` starts.
fn day_after_cutoff_of_previous_month(year: i32, m: u8, c: u8) -> NaiveDate {
    let (py, pm) = if m == 1 { (year - 1, 12) } else { (year, m - 1) };
    month_day(py, pm, c) + Duration::days(1)
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn last_day_of_month(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1) - Duration::days(1)
}

#[cfg(test)]
mod tests;
