//! The Vietnamese lunar calendar, after Hồ Ngọc Đức's published algorithm ("Âm lịch Việt Nam"):
//! new moons from Meeus' series, the sun's longitude, month 11 as the month containing the winter
//! solstice, and in a 13-month year the first month without a major solar term is the leap month.
//! All at UTC+7, the Vietnamese time zone.

use std::f64::consts::PI;
use std::fmt;

use chrono::{Datelike, NaiveDate};

const TZ: f64 = 7.0;

/// A lunar date. `leap` marks a day of the leap month (tháng nhuận).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LunarDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub leap: bool,
}

impl fmt::Display for LunarDate {
    /// `D/M/YYYY`, with " (nhuận)" for a day of the leap month: `1/2/2023 (nhuận)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.day, self.month, self.year)?;
        if self.leap {
            write!(f, " (nhuận)")?;
        }
        Ok(())
    }
}

fn floor(x: f64) -> i64 {
    x.floor() as i64
}

fn jd_from_date(d: NaiveDate) -> i64 {
    // Julian day number of a Gregorian date (the proleptic Gregorian calendar is fine for 1900+).
    d.num_days_from_ce() as i64 + 1_721_425
}

fn date_from_jd(jd: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt((jd - 1_721_425) as i32).expect("date in range")
}

/// The moment (Julian day, UTC) of the k-th new moon after 1/1/1900.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let (t2, t3) = (t * t, t * t * t);
    let dr = PI / 180.0;
    let mut jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
    jd1 += 0.00033 * ((166.56 + 132.87 * t - 0.009173 * t2) * dr).sin();
    let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
    let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
    let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
    // Each term with its own sign, as in the published series: writing `c1 -= a + b` where the
    // series says `- a + b` is exactly the sign error that shifts the leap month of 2023.
    let c1 = (0.1734 - 0.000393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin() - 0.4068 * (mpr * dr).sin()
        + 0.0161 * (dr * 2.0 * mpr).sin()
        - 0.0004 * (dr * 3.0 * mpr).sin()
        + 0.0104 * (dr * 2.0 * f).sin()
        - 0.0051 * (dr * (m + mpr)).sin()
        - 0.0074 * (dr * (m - mpr)).sin()
        + 0.0004 * (dr * (2.0 * f + m)).sin()
        - 0.0004 * (dr * (2.0 * f - m)).sin()
        - 0.0006 * (dr * (2.0 * f + mpr)).sin()
        + 0.0010 * (dr * (2.0 * f - mpr)).sin()
        + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    } else {
        -0.000278 + 0.000265 * t + 0.000262 * t2
    };
    jd1 + c1 - delta_t
}

/// The sun's longitude at the start of a local day, as the number (0–11) of the 30° sector it is in.
fn sun_sector(day_number: i64) -> i64 {
    let jdn = day_number as f64 - 0.5 - TZ / 24.0;
    let t = (jdn - 2451545.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
    let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
    let mut dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * (dr * m).sin();
    dl += (0.019993 - 0.000101 * t) * (dr * 2.0 * m).sin() + 0.000290 * (dr * 3.0 * m).sin();
    let mut l = (l0 + dl) * dr;
    l -= PI * 2.0 * (l / (PI * 2.0)).floor();
    floor(l / PI * 6.0)
}

/// The local day of the k-th new moon.
fn new_moon_day(k: i64) -> i64 {
    floor(new_moon(k) + 0.5 + TZ / 24.0)
}

const SYNODIC: f64 = 29.530588853;
const EPOCH: f64 = 2415021.076998695;

/// The first day of lunar month 11 of the lunar year that ends in solar year `year`.
fn month11(year: i32) -> i64 {
    let off = jd_from_date(NaiveDate::from_ymd_opt(year, 12, 31).expect("valid")) - 2415021;
    let k = floor(off as f64 / SYNODIC);
    let nm = new_moon_day(k);
    if sun_sector(nm) >= 9 { new_moon_day(k - 1) } else { nm }
}

/// In a 13-month year starting at month 11 `a11`, the offset of the leap month.
fn leap_month_offset(a11: i64) -> i64 {
    let k = floor((a11 as f64 - EPOCH) / SYNODIC + 0.5);
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// The lunar date of a solar (Gregorian) date, in Vietnam.
pub fn solar_to_lunar(date: NaiveDate) -> LunarDate {
    let day_number = jd_from_date(date);
    // The month holding the day starts at the last new moon on or before it. The mean-lunation
    // estimate can be a lunation off, the true new moon wandering around the mean one. The
    // published algorithm only tries new moons k + 1, then k, and answers day 0 when both come
    // after the day (07/05/2054 and 09/04/2062, see tests/lunar_every_day.rs): step back, or
    // forward, until the month really holds the day.
    let mut k = floor((day_number as f64 - EPOCH) / SYNODIC) + 1;
    while new_moon_day(k) > day_number {
        k -= 1;
    }
    while new_moon_day(k + 1) <= day_number {
        k += 1;
    }
    let month_start = new_moon_day(k);
    let mut a11 = month11(date.year());
    let mut b11 = a11;
    let mut year = date.year();
    if a11 >= month_start {
        a11 = month11(year - 1);
    } else {
        year += 1;
        b11 = month11(year);
    }
    let day = (day_number - month_start + 1) as u8;
    let diff = floor((month_start - a11) as f64 / 29.0);
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11);
        if diff >= leap_diff {
            month = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        year -= 1;
    }
    LunarDate { year, month: month as u8, day, leap }
}

/// The solar date of a lunar date, or `None` when it does not exist (a leap flag on a month that
/// is not leap that year, or a day 30 of a 29-day month).
pub fn lunar_to_solar(l: LunarDate) -> Option<NaiveDate> {
    if !(1..=12).contains(&l.month) || !(1..=30).contains(&l.day) {
        return None;
    }
    let (a11, b11) = if l.month < 11 { (month11(l.year - 1), month11(l.year)) } else { (month11(l.year), month11(l.year + 1)) };
    let k = floor(0.5 + (a11 as f64 - EPOCH) / SYNODIC);
    let mut off = l.month as i64 - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        let mut leap_month = leap_off - 2;
        if leap_month < 0 {
            leap_month += 12;
        }
        if l.leap && l.month as i64 != leap_month {
            return None;
        }
        if l.leap || off >= leap_off {
            off += 1;
        }
    } else if l.leap {
        return None;
    }
    let start = new_moon_day(k + off);
    let length = new_moon_day(k + off + 1) - start;
    (l.day as i64 <= length).then(|| date_from_jd(start + l.day as i64 - 1))
}

/// The leap month of a lunar year, if it has one.
pub fn leap_month(year: i32) -> Option<u8> {
    (1..=12u8).find(|&m| lunar_to_solar(LunarDate { year, month: m, day: 1, leap: true }).is_some())
}

/// The last day of the lunar year `year` (29 or 30 of month 12): the first day of Tết's holiday.
pub fn new_years_eve(year: i32) -> NaiveDate {
    lunar_to_solar(LunarDate { year: year + 1, month: 1, day: 1, leap: false }).expect("Tết exists") - chrono::Duration::days(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn tet(year: i32) -> NaiveDate {
        lunar_to_solar(LunarDate { year, month: 1, day: 1, leap: false }).unwrap()
    }

    #[test]
    fn tet_is_computed_at_utc_plus_seven() {
        assert_eq!(tet(1985), d(1985, 1, 21));
        assert_eq!(tet(2007), d(2007, 2, 17));
        assert_eq!(tet(2030), d(2030, 2, 2));
        assert_eq!(tet(2024), d(2024, 2, 10));
        assert_eq!(tet(2025), d(2025, 1, 29));
        assert_eq!(tet(2026), d(2026, 2, 17));
    }

    #[test]
    fn leap_months_start_where_they_should() {
        assert_eq!(leap_month(2023), Some(2));
        assert_eq!(lunar_to_solar(LunarDate { year: 2023, month: 2, day: 1, leap: true }), Some(d(2023, 3, 22)));
        assert_eq!(solar_to_lunar(d(2023, 3, 22)).to_string(), "1/2/2023 (nhuận)");
        assert_eq!(leap_month(2020), Some(4));
        assert_eq!(lunar_to_solar(LunarDate { year: 2020, month: 4, day: 1, leap: true }), Some(d(2020, 5, 23)));
        assert_eq!(leap_month(2024), None);
        assert_eq!(lunar_to_solar(LunarDate { year: 2024, month: 3, day: 1, leap: true }), None);
    }

    #[test]
    fn known_days() {
        // Giỗ Tổ Hùng Vương 2026 (10/3 âm lịch) is 26/4/2026.
        assert_eq!(lunar_to_solar(LunarDate { year: 2026, month: 3, day: 10, leap: false }), Some(d(2026, 4, 26)));
        // New moon of 9/11/2026 at 14:02 (UTC+7) starts month 10.
        assert_eq!(solar_to_lunar(d(2026, 11, 22)).to_string(), "14/10/2026");
        assert_eq!(solar_to_lunar(d(2025, 1, 28)).to_string(), "29/12/2024");
        // The published algorithm says day 0 here (tests/lunar_every_day.rs).
        assert_eq!(solar_to_lunar(d(2054, 5, 7)).to_string(), "30/3/2054");
        assert_eq!(solar_to_lunar(d(2062, 4, 9)).to_string(), "30/2/2062");
    }

    #[test]
    fn every_day_of_a_century_round_trips() {
        let mut day = d(1950, 1, 1);
        while day < d(2050, 1, 1) {
            assert_eq!(lunar_to_solar(solar_to_lunar(day)), Some(day), "{day}");
            day = day.succ_opt().unwrap();
        }
    }

    proptest! {
        #[test]
        fn solar_lunar_solar_round_trips_1900_2100(n in 0i64..73_048) {
            let day = d(1900, 1, 1) + chrono::Duration::days(n);
            let l = solar_to_lunar(day);
            prop_assert!((1..=30).contains(&l.day) && (1..=12).contains(&l.month));
            prop_assert_eq!(lunar_to_solar(l), Some(day));
        }
    }
}
