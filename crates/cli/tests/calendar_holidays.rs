//! `cchc calendar holidays YEAR` with the shipped schedule (no database): the announced days off
//! and the Saturdays worked in exchange, dates dd/mm/yyyy, labels in Vietnamese; `cchc calendar
//! lunar` where the published algorithm says day 0.

use std::process::Command;

/// The output of `cchc calendar holidays YEAR` against a database that does not exist (the
/// shipped schedule; listing creates nothing).
fn holidays(year: &str) -> String {
    let dir = std::env::temp_dir().join(format!("cchc-calendar-holidays-{}", std::process::id()));
    let db = dir.join("none.db");
    let out = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .arg("--db")
        .arg(format!("sqlite://{}", db.display()))
        .args(["calendar", "holidays", year])
        .output()
        .expect("cchc runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!db.exists());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_days_off_of_2024_and_the_saturday_worked() {
    let out = holidays("2024");
    let lines: Vec<&str> = out.lines().collect();
    // Tết Giáp Thìn: 08/02–14/02/2024, every day listed; 15/02 is worked.
    for day in ["08/02/2024", "09/02/2024", "10/02/2024", "11/02/2024", "12/02/2024", "13/02/2024", "14/02/2024"] {
        assert!(lines.iter().any(|l| l.starts_with(day) && l.contains("Tết Nguyên đán")), "{day} missing:\n{out}");
    }
    assert!(!out.contains("15/02/2024"), "{out}");
    assert!(lines.contains(&"29/04/2024 Ngày Chiến thắng (hoán đổi)"), "{out}");
    assert!(lines.contains(&"30/04/2024 Ngày Chiến thắng"), "{out}");
    assert!(lines.contains(&"01/05/2024 Ngày Quốc tế Lao động"), "{out}");
    // The worked Saturday comes after the days off, under its own heading.
    let heading = lines.iter().position(|l| *l == "Ngày làm việc bù (ngày nghỉ hằng tuần đi làm):").expect(&out);
    assert_eq!(lines[heading + 1..], ["04/05/2024 Thứ Bảy — Làm bù cho ngày 29/04/2024"], "{out}");
    assert!(lines[..heading].iter().all(|l| !l.contains("04/05/2024")), "{out}");
}

#[test]
fn a_year_without_worked_weekend_days_lists_the_days_off_only() {
    let out = holidays("2023");
    assert!(out.contains("20/01/2023 Tết Nguyên đán (hoán đổi)") && !out.contains("27/01/2023"), "{out}");
    assert!(!out.contains("Ngày làm việc bù"), "{out}");
    let out = holidays("2026");
    assert!(out.contains("31/08/2026 Quốc khánh (hoán đổi)"), "{out}");
    assert!(out.ends_with("Ngày làm việc bù (ngày nghỉ hằng tuần đi làm):\n22/08/2026 Thứ Bảy — Làm bù cho ngày 31/08/2026\n"), "{out}");
}

/// `cchc calendar lunar` on the two days of 1900–2100 where the published algorithm says day 0
/// (every day is checked in crates/calendar/tests/lunar_every_day.rs): the 30th of the month.
#[test]
fn the_lunar_day_is_never_0() {
    let lunar = |date: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_cchc")).args(["calendar", "lunar", date]).output().expect("cchc runs");
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(lunar("06/05/2054"), "29/3/2054\n");
    assert_eq!(lunar("07/05/2054"), "30/3/2054\n");
    assert_eq!(lunar("08/05/2054"), "1/4/2054\n");
    assert_eq!(lunar("2062-04-09"), "30/2/2062\n");
}
