//! The shipped schedule (`data/calendar/vn.toml`) against the announced schedules of 2019–2026
//! (../shared/domain.md, "The working-day calendar of past years"), and due dates of dossiers
//! received around Tết 2020–2024, 30/4–1/5 and 31/08/2026 computed with it.

use cchc_calendar::{Schedule, WorkCalendar};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(h, min, 0).unwrap()
}

/// `dd/mm` days of `year`.
fn days(year: i32, list: &str) -> Vec<NaiveDate> {
    list.split_whitespace()
        .map(|dm| {
            let (day, month) = dm.split_once('/').unwrap();
            d(year, month.parse().unwrap(), day.parse().unwrap())
        })
        .collect()
}

/// Per year: the weekdays off and the weekend days worked, as announced. The announcements'
/// table lists weekdays only and leaves out 01/01 when it is a weekday (a day off every year).
const ANNOUNCED: [(i32, &str, &str); 8] = [
    (2019, "01/01 04/02 05/02 06/02 07/02 08/02 15/04 29/04 30/04 01/05 02/09", "04/05"),
    (2020, "01/01 23/01 24/01 27/01 28/01 29/01 02/04 30/04 01/05 02/09", ""),
    (2021, "01/01 10/02 11/02 12/02 15/02 16/02 21/04 30/04 03/05 02/09 03/09", ""),
    (2022, "03/01 31/01 01/02 02/02 03/02 04/02 11/04 02/05 03/05 01/09 02/09", ""),
    (2023, "02/01 20/01 23/01 24/01 25/01 26/01 01/05 02/05 03/05 01/09 04/09", ""),
    (2024, "01/01 08/02 09/02 12/02 13/02 14/02 18/04 29/04 30/04 01/05 02/09 03/09", "04/05"),
    (2025, "01/01 27/01 28/01 29/01 30/01 31/01 07/04 30/04 01/05 02/05 01/09 02/09", "26/04"),
    (2026, "01/01 16/02 17/02 18/02 19/02 20/02 27/04 30/04 01/05 31/08 01/09 02/09 24/11", "22/08"),
];

#[test]
fn every_weekday_of_2019_2026_is_worked_or_off_as_announced() {
    let c = WorkCalendar::vietnam();
    for (year, off, worked) in ANNOUNCED {
        let mut weekdays_off = Vec::new();
        let mut weekend_worked = Vec::new();
        let mut day = d(year, 1, 1);
        while day.year() == year {
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            match (weekend, c.is_working_day(day)) {
                (false, false) => weekdays_off.push(day),
                (true, true) => weekend_worked.push(day),
                _ => {}
            }
            day = day.succ_opt().unwrap();
        }
        assert_eq!(weekdays_off, days(year, off), "{year}: weekdays off");
        assert_eq!(weekend_worked, days(year, worked), "{year}: weekend days worked");
    }
}

#[test]
fn the_shipped_years_pass_the_checks_an_administrators_years_pass() {
    let s = Schedule::parse(cchc_calendar::DEFAULT_SCHEDULE_TOML).unwrap();
    assert_eq!(s.years.iter().map(|y| y.year).collect::<Vec<_>>(), vec![2019, 2020, 2021, 2023, 2024, 2025, 2026]);
    for y in &s.years {
        assert_eq!(y.problems(&[Weekday::Sat, Weekday::Sun]), Vec::<String>::new(), "{}", y.year);
    }
}

#[test]
fn due_dates_around_tet_2020_2024() {
    let c = WorkCalendar::vietnam();
    // One working day from Wednesday 22/01/2020 10:00: 23–29/01 off (23/01 exchanged for 30/01,
    // which is worked) → Thursday 30/01 10:00. The computed default alone would say 23/01.
    assert!(!c.is_working_day(d(2020, 1, 23)) && c.is_working_day(d(2020, 1, 30)));
    assert_eq!(c.due_after_working_days(at(2020, 1, 22, 10, 0), 1), at(2020, 1, 30, 10, 0));
    assert_eq!(c.add_working_days(d(2020, 1, 22), 3), d(2020, 2, 3));
    // 2021: 10–16/02 off, Wednesday 17/02 worked.
    assert_eq!(c.due_after_working_days(at(2021, 2, 9, 10, 0), 1), at(2021, 2, 17, 10, 0));
    assert_eq!(c.add_working_days(d(2021, 2, 9), 2), d(2021, 2, 18));
    // 2022: 31/01–04/02 off; received Friday 28/01 after the 16:00 cut-off → from 07/02 7:30.
    assert_eq!(c.due_after_working_days(at(2022, 1, 28, 10, 0), 1), at(2022, 2, 7, 10, 0));
    assert_eq!(c.effective_start(at(2022, 1, 28, 16, 30)), at(2022, 2, 7, 7, 30));
    // 2023: 20–26/01 off, Friday 27/01 worked.
    assert_eq!(c.due_after_working_days(at(2023, 1, 19, 10, 0), 1), at(2023, 1, 27, 10, 0));
    assert_eq!(c.due_after_working_days(at(2023, 1, 19, 10, 0), 2), at(2023, 1, 30, 10, 0));
    // 2024: 08–14/02 off, Thursday 15/02 worked; a receipt during Tết counts from 15/02 7:30.
    assert_eq!(c.due_after_working_days(at(2024, 2, 7, 10, 0), 1), at(2024, 2, 15, 10, 0));
    assert_eq!(c.effective_start(at(2024, 2, 8, 9, 0)), at(2024, 2, 15, 7, 30));
    assert_eq!(c.due_after_working_days(at(2024, 2, 8, 9, 0), 3), at(2024, 2, 19, 17, 0));
    // Fifteen working days across Tết 2024: from Monday 29/01 10:00 → 29/01 + 15 working days,
    // skipping 08–14/02 and the weekends: 30, 31/01, 01, 02, 05, 06, 07, 15, 16, 19, 20, 21, 22,
    // 23, 26/02.
    assert_eq!(c.due_after_working_days(at(2024, 1, 29, 10, 0), 15), at(2024, 2, 26, 10, 0));
}

#[test]
fn due_dates_around_swapped_saturdays_and_31_08_2026() {
    let c = WorkCalendar::vietnam();
    // 2019 and 2024: 29/04–01/05 off, Saturday 04/05 worked.
    assert_eq!(c.due_after_working_days(at(2019, 4, 26, 10, 0), 3), at(2019, 5, 4, 10, 0));
    assert_eq!(c.due_after_working_days(at(2024, 4, 26, 10, 0), 3), at(2024, 5, 4, 10, 0));
    assert_eq!(c.due_after_working_days(at(2024, 4, 26, 10, 0), 4), at(2024, 5, 6, 10, 0));
    // A receipt on the worked Saturday counts that day; after the cut-off, from Monday.
    assert_eq!(c.effective_start(at(2024, 5, 4, 9, 0)), at(2024, 5, 4, 9, 0));
    assert_eq!(c.effective_start(at(2024, 5, 4, 16, 30)), at(2024, 5, 6, 7, 30));
    // 2025: Saturday 26/04 worked, 30/04–02/05 off.
    assert_eq!(c.due_after_working_days(at(2025, 4, 25, 10, 0), 1), at(2025, 4, 26, 10, 0));
    assert_eq!(c.due_after_working_days(at(2025, 4, 29, 10, 0), 1), at(2025, 5, 5, 10, 0));
    // 2026: Saturday 22/08 worked; 31/08, 01/09, 02/09 off.
    assert_eq!(c.due_after_working_days(at(2026, 8, 21, 10, 0), 1), at(2026, 8, 22, 10, 0));
    assert!(!c.is_working_day(d(2026, 8, 31)));
    assert_eq!(c.due_after_working_days(at(2026, 8, 28, 10, 0), 1), at(2026, 9, 3, 10, 0));
    assert_eq!(c.add_working_days(d(2026, 8, 28), 2), d(2026, 9, 4));
    assert_eq!(c.next_working_day(d(2026, 8, 28)), d(2026, 9, 3));
    // 2019–2020: Quốc khánh was 2/9 alone (Labour Code 2012); 2021: 02–03/09.
    assert!(c.is_working_day(d(2019, 9, 3)) && c.is_working_day(d(2020, 9, 1)));
    assert_eq!(c.due_after_working_days(at(2021, 9, 1, 10, 0), 1), at(2021, 9, 6, 10, 0));
}
