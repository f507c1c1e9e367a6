use super::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn p(s: &str) -> Period {
    s.parse().unwrap()
}

#[test]
fn the_report_being_prepared_follows_the_cutoffs() {
    let r = WindowRule::default();
    assert_eq!(r.current_report(d(2026, 3, 14)), p("2026-Q1"));
    assert_eq!(r.current_report(d(2026, 3, 15)), p("2026-H1"));
    assert_eq!(r.current_report(d(2026, 11, 23)), p("2026-Y"));
    assert_eq!(r.current_report(d(2026, 12, 15)), p("2027-Q1"));
    // A province closing on the 9th moves the boundary with it.
    assert_eq!(WindowRule::tenth_to_ninth().current_report(d(2026, 6, 10)), p("2026-9M"));
}

#[test]
fn syntax_round_trips() {
    for s in ["2022-H1", "2024-Q3", "2024-9M", "2021-Y", "2025-M07", "2022-H2"] {
        assert_eq!(p(s).to_string(), s);
    }
    assert_eq!(p("2025-m7").to_string(), "2025-M07");
    for bad in ["2022", "2022-H3", "2024-Q0", "2025-M13", "abc-Y", "2022-X"] {
        let e = bad.parse::<Period>().unwrap_err();
        assert!(e.to_string().contains("không hợp lệ"), "{bad}");
    }
}

#[test]
fn default_rule_is_fifteenth_to_fourteenth() {
    let r = WindowRule::default();
    assert_eq!(r.window(p("2022-H1")), DateRange { from: d(2021, 12, 15), to: d(2022, 6, 14) });
    assert_eq!(r.window(p("2024-9M")), DateRange { from: d(2023, 12, 15), to: d(2024, 9, 14) });
    assert_eq!(r.window(p("2021-Y")), DateRange { from: d(2020, 12, 15), to: d(2021, 12, 14) });
    assert_eq!(r.window(p("2025-M07")), DateRange { from: d(2025, 6, 15), to: d(2025, 7, 14) });
    assert_eq!(r.window(p("2024-Q3")), DateRange { from: d(2024, 6, 15), to: d(2024, 9, 14) });
    assert_eq!(r.cumulative_window(p("2024-Q3")), DateRange { from: d(2023, 12, 15), to: d(2024, 9, 14) });
}

#[test]
fn tenth_to_ninth_rule_matches_le_hong() {
    // Reference report 002: "Số liệu tính từ ngày 10/12/2021 đến ngày 09/6/2022".
    let r = WindowRule::tenth_to_ninth();
    assert_eq!(r.window(p("2022-H1")), DateRange { from: d(2021, 12, 10), to: d(2022, 6, 9) });
}

#[test]
fn calendar_months_and_overrides() {
    let r = WindowRule { cutoff_day: 0, ..WindowRule::default() };
    assert_eq!(r.window(p("2024-M02")), DateRange { from: d(2024, 2, 1), to: d(2024, 2, 29) });
    let r = WindowRule { overrides: vec![WindowOverride { kind: PeriodKind::Year, cutoff_day: 30 }], ..WindowRule::default() };
    assert_eq!(r.window(p("2024-Y")), DateRange { from: d(2023, 12, 31), to: d(2024, 12, 30) });
    // A cut-off on the 30th is clamped to 29/2 in a leap February.
    let r30 = WindowRule { cutoff_day: 30, ..WindowRule::default() };
    assert_eq!(r30.window(p("2024-M03")), DateRange { from: d(2024, 3, 1), to: d(2024, 3, 30) });
    assert_eq!(r.window(p("2024-M03")).from, d(2024, 2, 15));
}

#[test]
fn due_date_counts_working_days_after_cutoff() {
    let r = WindowRule::default();
    // 14/6/2022 is a Tuesday: two working days later is Thursday 16/6.
    let weekdays = |x: NaiveDate| x.weekday().number_from_monday() <= 5;
    assert_eq!(r.due_date(p("2022-H1"), weekdays), d(2022, 6, 16));
    // 14/12/2024 is a Saturday: Monday 16 and Tuesday 17.
    assert_eq!(r.due_date(p("2024-Y"), weekdays), d(2024, 12, 17));
}

#[test]
fn neighbours_and_titles() {
    assert_eq!(p("2024-Q1").previous(), p("2023-Q4"));
    assert_eq!(p("2025-M07").previous(), p("2025-M06"));
    assert_eq!(p("2022-H1").same_period_last_year(), p("2021-H1"));
    assert_eq!(p("2022-H1").title_vi(), "6 tháng đầu năm 2022");
    assert_eq!(p("2024-Q3").title_vi(), "quý III năm 2024");
    assert_eq!(p("2021-Y").title_vi(), "năm 2021");
}

fn any_period() -> impl Strategy<Value = Period> {
    (1990i32..2100, 0u8..5, 1u8..13).prop_map(|(y, k, i)| match k {
        0 => Period::month(y, i),
        1 => Period::quarter(y, (i - 1) / 3 + 1),
        2 => Period::half(y, (i - 1) / 6 + 1),
        3 => Period::nine_months(y),
        _ => Period::year(y),
    })
}

proptest! {
    #[test]
    fn windows_are_contiguous_and_nested(per in any_period(), cutoff in 0u8..29) {
        let r = WindowRule { cutoff_day: cutoff, ..WindowRule::default() };
        let w = r.window(per);
        prop_assert!(w.from <= w.to);
        let cum = r.cumulative_window(per);
        prop_assert_eq!(cum.to, w.to);
        prop_assert!(cum.from <= w.from);
        // The next period of the same kind starts the day after this one ends.
        if per.kind != PeriodKind::NineMonths && per.kind != PeriodKind::Year {
            let prev = per.previous();
            prop_assert_eq!(r.window(prev).to + Duration::days(1), w.from);
        }
        prop_assert_eq!(per.to_string().parse::<Period>().unwrap(), per);
    }

    #[test]
    fn rule_survives_toml(cutoff in 0u8..29, due in 0u32..10) {
        let r = WindowRule { cutoff_day: cutoff, due_working_days: due, overrides: vec![], from_first_of_month: false };
        let text = toml::to_string(&r).unwrap();
        let back: WindowRule = toml::from_str(&text).unwrap();
        prop_assert_eq!(back, r);
    }
}

#[test]
fn a_window_from_the_first_of_the_periods_first_month() {
    // "từ 01/7/2024 đến 14/9/2024", as a report of the third quarter states it.
    let r = WindowRule { from_first_of_month: true, ..WindowRule::default() };
    assert_eq!(r.window(p("2024-Q3")), DateRange { from: d(2024, 7, 1), to: d(2024, 9, 14) });
    assert_eq!(r.window(p("2024-Y")), DateRange { from: d(2024, 1, 1), to: d(2024, 12, 14) });
    assert_eq!(r.cumulative_window(p("2024-9M")), DateRange { from: d(2024, 1, 1), to: d(2024, 9, 14) });
}
