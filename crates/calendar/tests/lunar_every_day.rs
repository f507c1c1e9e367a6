//! Every day of 1900–2100 through `solar_to_lunar`: a day of the month is 1–30, a month 1–12, and
//! the days follow one another (the next lunar day, or day 1 of the next month after a 29th or
//! 30th). The result is compared with an independent transcription of Hồ Ngọc Đức's published
//! algorithm ("Âm lịch Việt Nam", amlich.js: jdFromDate, NewMoon, SunLongitude, getNewMoonDay,
//! getSunLongitude, getLunarMonth11, getLeapMonthOffset, convertSolar2Lunar) at UTC+7, written
//! here from its description with nothing shared with the crate; the days where the two differ
//! are listed and were examined by hand (see `THE_PUBLISHED_ALGORITHM_GIVES_DAY_0`).

use cchc_calendar::{LunarDate, lunar_to_solar, solar_to_lunar};
use chrono::{Datelike, NaiveDate};

/// Hồ Ngọc Đức's algorithm as published, step by step. Dates are Julian day numbers; the
/// result is (day, month, year, leap) exactly as convertSolar2Lunar returns it, day 0 included.
mod reference {
    use std::f64::consts::PI;

    /// INT() of the published code: the floor.
    fn int(x: f64) -> i64 {
        x.floor() as i64
    }

    /// Julian day number of a Gregorian date (Tøndering's formula, integers only).
    pub fn jd_from_date(dd: i64, mm: i64, yy: i64) -> i64 {
        let a = (14 - mm) / 12;
        let y = yy + 4800 - a;
        let m = mm + 12 * a - 3;
        dd + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    /// The moment of the k-th new moon after the one of 1/1/1900 (Meeus, ch. 49, shortened as
    /// the published code does), in Julian days UTC.
    fn new_moon(k: i64) -> f64 {
        let k = k as f64;
        let t = k / 1236.85;
        let t2 = t * t;
        let t3 = t2 * t;
        let rad = |deg: f64| deg * PI / 180.0;
        let mean =
            2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3 + 0.00033 * rad(166.56 + 132.87 * t - 0.009173 * t2).sin();
        let sun_anomaly = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
        let moon_anomaly = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
        let latitude = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
        let terms: [(f64, f64); 13] = [
            (0.1734 - 0.000393 * t, sun_anomaly),
            (0.0021, 2.0 * sun_anomaly),
            (-0.4068, moon_anomaly),
            (0.0161, 2.0 * moon_anomaly),
            (-0.0004, 3.0 * moon_anomaly),
            (0.0104, 2.0 * latitude),
            (-0.0051, sun_anomaly + moon_anomaly),
            (-0.0074, sun_anomaly - moon_anomaly),
            (0.0004, 2.0 * latitude + sun_anomaly),
            (-0.0004, 2.0 * latitude - sun_anomaly),
            (-0.0006, 2.0 * latitude + moon_anomaly),
            (0.0010, 2.0 * latitude - moon_anomaly),
            (0.0005, 2.0 * moon_anomaly + sun_anomaly),
        ];
        let correction: f64 = terms.iter().map(|(coefficient, angle)| coefficient * rad(*angle).sin()).sum();
        let delta_t = if t < -11.0 {
            0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
        } else {
            -0.000278 + 0.000265 * t + 0.000262 * t2
        };
        mean + correction - delta_t
    }

    /// The sun's true longitude in radians, 0 ≤ L < 2π, at a moment in Julian days.
    fn sun_longitude(jdn: f64) -> f64 {
        let t = (jdn - 2451545.0) / 36525.0;
        let t2 = t * t;
        let rad = PI / 180.0;
        let anomaly = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
        let mean_longitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
        let centre = (1.914600 - 0.004817 * t - 0.000014 * t2) * (rad * anomaly).sin()
            + (0.019993 - 0.000101 * t) * (rad * 2.0 * anomaly).sin()
            + 0.000290 * (rad * 3.0 * anomaly).sin();
        let l = (mean_longitude + centre) * rad;
        l - 2.0 * PI * int(l / (2.0 * PI)) as f64
    }

    /// The 30° sector (0–11) of the sun's longitude at local midnight starting the day.
    pub fn get_sun_longitude(day_number: i64, tz: f64) -> i64 {
        int(sun_longitude(day_number as f64 - 0.5 - tz / 24.0) / PI * 6.0)
    }

    /// The local day of the k-th new moon.
    pub fn get_new_moon_day(k: i64, tz: f64) -> i64 {
        int(new_moon(k) + 0.5 + tz / 24.0)
    }

    /// The first day of the lunar month 11 that holds the winter solstice of year `yy`.
    pub fn get_lunar_month11(yy: i64, tz: f64) -> i64 {
        let off = jd_from_date(31, 12, yy) - 2415021;
        let k = int(off as f64 / 29.530588853);
        let new_moon = get_new_moon_day(k, tz);
        if get_sun_longitude(new_moon, tz) >= 9 { get_new_moon_day(k - 1, tz) } else { new_moon }
    }

    /// After month 11 starting on `a11`, how many months on the leap month is (the first month
    /// in which the sun's sector does not change).
    pub fn get_leap_month_offset(a11: i64, tz: f64) -> i64 {
        let k = int((a11 as f64 - 2415021.076998695) / 29.530588853 + 0.5);
        let mut i = 1;
        let mut sector = get_sun_longitude(get_new_moon_day(k + i, tz), tz);
        loop {
            let previous = sector;
            i += 1;
            sector = get_sun_longitude(get_new_moon_day(k + i, tz), tz);
            if sector == previous || i >= 14 {
                return i - 1;
            }
        }
    }

    /// convertSolar2Lunar(dd, mm, yy, timeZone) → (day, month, year, leap).
    pub fn convert_solar2lunar(dd: i64, mm: i64, yy: i64, tz: f64) -> (i64, i64, i64, bool) {
        let day_number = jd_from_date(dd, mm, yy);
        let k = int((day_number as f64 - 2415021.076998695) / 29.530588853);
        let mut month_start = get_new_moon_day(k + 1, tz);
        if month_start > day_number {
            month_start = get_new_moon_day(k, tz);
        }
        // Month 11 before the day (a11) and the one after it (b11).
        let this_years = get_lunar_month11(yy, tz);
        let (a11, b11, mut year) = if this_years >= month_start {
            (get_lunar_month11(yy - 1, tz), this_years, yy)
        } else {
            (this_years, get_lunar_month11(yy + 1, tz), yy + 1)
        };
        let day = day_number - month_start + 1;
        let diff = int((month_start - a11) as f64 / 29.0);
        let mut month = diff + 11;
        let mut leap = false;
        if b11 - a11 > 365 {
            let leap_diff = get_leap_month_offset(a11, tz);
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
        (day, month, year, leap)
    }
}

const fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, day) {
        Some(date) => date,
        None => panic!("invalid date"),
    }
}

fn lunar(day: u8, month: u8, year: i32, leap: bool) -> LunarDate {
    LunarDate { year, month, day, leap }
}

/// The only days of 1900–2100 where cchc and the published algorithm differ, examined by hand.
/// On each, the day's mean-lunation estimate k is barely past a whole number (1909.001 and
/// 2007.001) while the true new moon k comes just after midnight of the next day (by the same
/// series: 08/05/2054 00:01 and 10/04/2062 00:18, UTC+7). The published code looks at new moons
/// k + 1 and k only, both start after the day, and it answers day 0 of the month starting the next
/// day. The day belongs to the month before (new moon k − 1: 08/04/2054 11:34, 11/03/2062 11:14),
/// 30 days long: cchc steps back one more new moon and gives its 30th day; the day before is the
/// 29th and the day after is day 1 in both implementations. Every month start, leap month and
/// year of the two agree; only these two day numbers differ. (Both new moons are within
/// minutes of midnight, the precision of this shortened series: an almanac computed with a full
/// ephemeris may put them on the other side of it.)
/// A day, what the published algorithm says of it (day, month, year, leap), what cchc says.
type Difference = (NaiveDate, (i64, i64, i64, bool), LunarDate);

const THE_PUBLISHED_ALGORITHM_GIVES_DAY_0: [Difference; 2] = [
    (d(2054, 5, 7), (0, 4, 2054, false), LunarDate { year: 2054, month: 3, day: 30, leap: false }),
    (d(2062, 4, 9), (0, 3, 2062, false), LunarDate { year: 2062, month: 2, day: 30, leap: false }),
];

#[test]
fn every_day_of_1900_2100_is_a_proper_lunar_day_following_the_one_before() {
    let mut day = d(1900, 1, 1);
    let mut previous: Option<LunarDate> = None;
    while day <= d(2100, 12, 31) {
        let l = solar_to_lunar(day);
        assert!((1..=30).contains(&l.day), "{day}: {l}");
        assert!((1..=12).contains(&l.month), "{day}: {l}");
        if let Some(p) = previous {
            let same_month = l.year == p.year && l.month == p.month && l.leap == p.leap;
            if same_month {
                assert_eq!(l.day, p.day + 1, "{day}: {p} then {l}");
            } else {
                // A new month starts at day 1 after a month of 29 or 30 days, and it is the
                // next one: month m, then the leap month m or month m + 1 (12 → 1 of the next year).
                assert!(l.day == 1 && (p.day == 29 || p.day == 30), "{day}: {p} then {l}");
                let next = if p.month == 12 { (p.year + 1, 1) } else { (p.year, p.month + 1) };
                let leap_after = !p.leap && l.leap && (l.year, l.month) == (p.year, p.month);
                assert!(leap_after || (!l.leap && (l.year, l.month) == next), "{day}: {p} then {l}");
            }
        }
        assert_eq!(lunar_to_solar(l), Some(day), "{day}: {l}");
        previous = Some(l);
        day = day.succ_opt().unwrap();
    }
}

#[test]
fn cchc_agrees_with_the_published_algorithm_except_on_the_listed_days() {
    let mut differences: Vec<Difference> = Vec::new();
    let mut day = d(1900, 1, 1);
    while day <= d(2100, 12, 31) {
        let ours = solar_to_lunar(day);
        let theirs = reference::convert_solar2lunar(day.day() as i64, day.month() as i64, day.year() as i64, 7.0);
        let ours_as_tuple = (ours.day as i64, ours.month as i64, ours.year as i64, ours.leap);
        if ours_as_tuple != theirs {
            differences.push((day, theirs, ours));
        }
        day = day.succ_opt().unwrap();
    }
    assert_eq!(differences, THE_PUBLISHED_ALGORITHM_GIVES_DAY_0.to_vec());
}

#[test]
fn the_reference_is_the_published_algorithm() {
    // Values the published code gives (its own examples and well-known Tết days).
    assert_eq!(reference::jd_from_date(1, 1, 2000), 2451545);
    assert_eq!(reference::convert_solar2lunar(17, 2, 2007, 7.0), (1, 1, 2007, false));
    assert_eq!(reference::convert_solar2lunar(21, 1, 1985, 7.0), (1, 1, 1985, false));
    assert_eq!(reference::convert_solar2lunar(10, 2, 2024, 7.0), (1, 1, 2024, false));
    assert_eq!(reference::convert_solar2lunar(22, 3, 2023, 7.0), (1, 2, 2023, true));
    assert_eq!(reference::convert_solar2lunar(23, 5, 2020, 7.0), (1, 4, 2020, true));
}

#[test]
fn leap_months_of_2020_and_2023() {
    // Leap month 2 of 2023 starts on 22/3/2023, after a month 2 of 30 days from 20/2.
    assert_eq!(solar_to_lunar(d(2023, 3, 22)), lunar(1, 2, 2023, true));
    assert_eq!(solar_to_lunar(d(2023, 3, 21)), lunar(30, 2, 2023, false));
    assert_eq!(solar_to_lunar(d(2023, 2, 20)), lunar(1, 2, 2023, false));
    assert_eq!(solar_to_lunar(d(2023, 4, 20)), lunar(1, 3, 2023, false));
    assert_eq!(lunar_to_solar(lunar(1, 2, 2023, true)), Some(d(2023, 3, 22)));
    // Leap month 4 of 2020 starts on 23/5/2020.
    assert_eq!(solar_to_lunar(d(2020, 5, 23)), lunar(1, 4, 2020, true));
    assert_eq!(solar_to_lunar(d(2020, 5, 22)).month, 4);
    assert!(!solar_to_lunar(d(2020, 5, 22)).leap);
    assert_eq!(solar_to_lunar(d(2020, 6, 21)), lunar(1, 5, 2020, false));
    assert_eq!(lunar_to_solar(lunar(1, 4, 2020, true)), Some(d(2020, 5, 23)));
    // No leap month in 2024; no leap month 3 in 2023.
    assert_eq!(lunar_to_solar(lunar(1, 3, 2024, true)), None);
    assert_eq!(lunar_to_solar(lunar(1, 3, 2023, true)), None);
}
