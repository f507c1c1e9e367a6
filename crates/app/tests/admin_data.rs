//! What administrators change: a year's days off (checked, stored, and the due dates of stored
//! dossiers moved with it) and the catalogue versions (checked as a whole, never changed once
//! stored, one in force for new reports).

mod common;

use std::sync::Arc;

use cchc_app::calendar::{SavedYear, save_year, work_calendar};
use cchc_app::catalogues::{Checked, add_version, in_force, in_force_reference, set_in_force, versions};
use cchc_calendar::{DayOff, YearSchedule};
use cchc_dossiers::{Channel, Dossier, Event, EventKind, OnlineClass, Procedure, ProcessingTime};
use cchc_periods::WindowRule;
use cchc_storage::{AuditFilter, Store};
use cchc_units::{Level, UnitKind};
use chrono::{NaiveDate, NaiveDateTime};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, 0, 0).unwrap()
}

/// A province T, district H, commune X, and one procedure of 3 working days.
async fn store() -> Arc<dyn Store> {
    let unit = common::unit;
    let store =
        common::store_with(&[unit("T", UnitKind::Tinh, None), unit("H", UnitKind::Huyen, Some("T")), unit("X", UnitKind::Xa, Some("H"))])
            .await;
    let p = Procedure {
        code: "P1".into(),
        name: "Đăng ký khai sinh".into(),
        field: "ho-tich".into(),
        level: Level::Xa,
        time: ProcessingTime::WorkingDays(3),
        online: OnlineClass::Partial,
        fee: None,
    };
    store.put_procedures(&[p]).await.unwrap();
    store
}

/// Received Friday 27/08/2027 at 9:00, resolved Monday 06/09/2027 at 8:00. With the computed
/// days off (1/9 and 2/9) it was due Friday 03/09 at 9:00: late.
fn dossier() -> Dossier {
    let events = vec![
        Event { at: at(2027, 8, 27, 9), kind: EventKind::Received { channel: Channel::Direct }, by: None, note: None },
        Event { at: at(2027, 9, 6, 8), kind: EventKind::Resolved, by: None, note: None },
    ];
    Dossier {
        id: "X-270827-0001".into(),
        unit: "X".into(),
        procedure: "P1".into(),
        events,
        digitised: false,
        rating: None,
        applicant: None,
        handler: None,
        assignments: Vec::new(),
    }
}

async fn late_in_q3(store: &dyn Store) -> u64 {
    let tree = store.unit_tree().await.unwrap();
    let table = cchc_app::dossiers::table(store, &tree, "T", "2027-Q3".parse().unwrap(), &WindowRule::default()).await.unwrap();
    assert_eq!(table.total().resolved_total(), 1);
    table.total().resolved_late
}

#[tokio::test]
async fn a_recorded_day_off_moves_the_due_dates_of_stored_dossiers() {
    let store = store().await;
    let procs = cchc_app::dossiers::procedures(store.as_ref()).await.unwrap();
    assert!(matches!(
        cchc_app::dossiers::store_dossiers(store.as_ref(), &[dossier()], &procs, &work_calendar(store.as_ref()).await.unwrap())
            .await
            .unwrap(),
        cchc_app::dossiers::Import::Stored(1)
    ));
    assert_eq!(late_in_q3(store.as_ref()).await, 1);

    // The government gives Friday 03/09/2027 off as well: due Monday 06/09 at 9:00, in time.
    let year = YearSchedule {
        year: 2027,
        days_off: vec![DayOff { date: day(2027, 9, 3), name: "Quốc khánh (nghỉ thêm)".into() }],
        ..Default::default()
    };
    assert_eq!(save_year(store.as_ref(), &year, "quantri").await.unwrap(), SavedYear::Saved { rederived: 1 });
    assert!(!work_calendar(store.as_ref()).await.unwrap().is_working_day(day(2027, 9, 3)));
    assert_eq!(late_in_q3(store.as_ref()).await, 0);
    let audit = store.audit(&AuditFilter { by: Some("quantri".into()), ..Default::default() }).await.unwrap();
    assert_eq!(audit[0].item.as_deref(), Some("năm 2027"));

    // Taking it back restores the computed default, and the dossier is late again.
    save_year(store.as_ref(), &YearSchedule { year: 2027, ..Default::default() }, "quantri").await.unwrap();
    assert_eq!(late_in_q3(store.as_ref()).await, 1);
}

#[tokio::test]
async fn a_wrong_year_is_refused_and_nothing_changes() {
    let store = store().await;
    // A Wednesday is no weekend day to swap; 2/9 is already off.
    let year = YearSchedule {
        year: 2027,
        days_off: vec![DayOff { date: day(2027, 9, 2), name: "Quốc khánh".into() }],
        working_days: vec![DayOff { date: day(2027, 9, 8), name: "Làm bù".into() }],
        ..Default::default()
    };
    let SavedYear::Refused(problems) = save_year(store.as_ref(), &year, "quantri").await.unwrap() else { panic!("saved") };
    assert_eq!(
        problems,
        vec!["Ngày 02/09/2027 đã là ngày nghỉ, không cần thêm", "Ngày 08/09/2027 không phải ngày nghỉ hằng tuần, không thể là ngày làm bù"]
    );
    assert_eq!(store.calendar_years().await.unwrap(), vec![]);
    assert!(store.audit(&AuditFilter::default()).await.unwrap().is_empty());
}

const VARIANT: &str = r#"
remove = ["3.5.7"]

[catalogue]
id = "hong-lam"
version = "2027.1"
name = "Bộ chỉ tiêu tỉnh Hồng Lam"
extends = "vn-default@2022.1"

[[indicators]]
code = "3.9.1"
name = "Số thủ tục hành chính được cắt giảm thời gian giải quyết"
unit = "TTHC"
kind = "count"
"#;

#[tokio::test]
async fn a_catalogue_version_is_checked_stored_and_put_in_force() {
    let store = store().await;
    assert_eq!(in_force_reference(store.as_ref()).await.unwrap(), "vn-default@2022.1");
    let Checked::Valid { changes, .. } = add_version(store.as_ref(), VARIANT, "quantri").await.unwrap() else { panic!("refused") };
    assert_eq!(changes.lines_vi(), vec!["Thêm 1 chỉ tiêu: 3.9.1", "Bỏ 1 chỉ tiêu: 3.5.7"]);
    // Stored, not yet in force.
    let listed: Vec<(String, bool)> = versions(store.as_ref()).await.unwrap().into_iter().map(|v| (v.reference, v.in_force)).collect();
    assert_eq!(listed, vec![("vn-default@2022.1".into(), true), ("hong-lam@2027.1".into(), false)]);

    set_in_force(store.as_ref(), "hong-lam@2027.1", "quantri").await.unwrap();
    let cat = in_force(store.as_ref()).await.unwrap();
    assert_eq!(cat.meta.reference(), "hong-lam@2027.1");
    assert!(cat.indicator("3.9.1").is_some() && cat.indicator("3.5.7").is_none());
    assert!(set_in_force(store.as_ref(), "khong-co@1", "quantri").await.is_err());

    // The stored version cannot be changed under the same reference.
    let changed = VARIANT.replace("remove = [\"3.5.7\"]", "");
    let Checked::Invalid(problems) = add_version(store.as_ref(), &changed, "quantri").await.unwrap() else { panic!("accepted") };
    assert!(problems[0].contains("hong-lam@2027.1 đã có với nội dung khác"), "{problems:?}");
}

#[tokio::test]
async fn a_wrong_catalogue_names_its_problems_and_stores_nothing() {
    let store = store().await;
    let wrong_rule = format!(
        "{VARIANT}\n[[rules]]\nid = \"moi\"\nname = \"Quy tắc mới\"\nleft = \"#{{3.9.1}}\"\noperator = \"<=\"\nright = \"#{{9.9.9}}\"\nseverity = \"error\"\nmessage = \"{{left}} > {{right}}\"\n"
    );
    let Checked::Invalid(problems) = add_version(store.as_ref(), &wrong_rule, "quantri").await.unwrap() else { panic!("accepted") };
    assert!(problems.iter().any(|p| p.contains("moi") && p.contains("9.9.9")), "{problems:?}");
    let Checked::Invalid(problems) = add_version(store.as_ref(), "[catalogue]\nid = \"x\"\n", "quantri").await.unwrap() else {
        panic!("accepted")
    };
    assert!(problems[0].contains("dòng") && problems[0].contains("thiếu trường"), "{problems:?}");
    assert!(store.catalogue_files().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_procedures_new_processing_time_moves_the_due_dates_of_its_dossiers() {
    use cchc_app::procedures::{ProceduresImport, import_procedures};
    let store = store().await;
    let procs = cchc_app::dossiers::procedures(store.as_ref()).await.unwrap();
    cchc_app::dossiers::store_dossiers(store.as_ref(), &[dossier()], &procs, &work_calendar(store.as_ref()).await.unwrap()).await.unwrap();
    assert_eq!(late_in_q3(store.as_ref()).await, 1);
    // 3 → 5 working days: due Tuesday 07/09/2027 at 9:00, so resolving on 06/09 is in time.
    let csv = "code,name,field,level,time_unit,time,online,fee\nP1,Đăng ký khai sinh,ho-tich,xa,working-days,5,partial,\n";
    assert_eq!(
        import_procedures(store.as_ref(), csv.as_bytes(), "quantri").await.unwrap(),
        ProceduresImport::Stored { procedures: 1, rederived: 1 }
    );
    assert_eq!(late_in_q3(store.as_ref()).await, 0);
    // The same list again changes no time: nothing to re-derive.
    assert_eq!(
        import_procedures(store.as_ref(), csv.as_bytes(), "quantri").await.unwrap(),
        ProceduresImport::Stored { procedures: 1, rederived: 0 }
    );
    // A bad row: nothing stored.
    let bad = "code,name,field,level,time_unit,time,online,fee\nP1,Đăng ký khai sinh,ho-tich,xa,working-days,3,partial,\nP2,Chứng thực,chung-thuc,thon,working-days,1,none,\n";
    let ProceduresImport::Refused(errors) = import_procedures(store.as_ref(), bad.as_bytes(), "quantri").await.unwrap() else {
        panic!("stored")
    };
    assert_eq!(errors, vec!["Dòng 2, cột \"level\": cấp \"thon\" không hợp lệ (tinh, huyen, xa)"]);
    assert_eq!(late_in_q3(store.as_ref()).await, 0, "the bad list changed the stored time");
}

#[tokio::test]
async fn an_import_after_a_recorded_day_off_counts_with_it() {
    let store = store().await;
    let year = YearSchedule {
        year: 2027,
        days_off: vec![DayOff { date: day(2027, 9, 3), name: "Quốc khánh (nghỉ thêm)".into() }],
        ..Default::default()
    };
    assert_eq!(save_year(store.as_ref(), &year, "quantri").await.unwrap(), SavedYear::Saved { rederived: 0 });
    let path = std::env::temp_dir().join(format!("cchc-admin-import-{}.jsonl", std::process::id()));
    std::fs::write(&path, serde_json::to_string(&dossier()).unwrap() + "\n").unwrap();
    assert_eq!(cchc_app::dossiers::import_file(store.as_ref(), &path).await.unwrap(), cchc_app::dossiers::Import::Stored(1));
    // Due Monday 06/09 at 9:00 with the recorded day off, not Friday 03/09: in time.
    assert_eq!(late_in_q3(store.as_ref()).await, 0);
    let _ = std::fs::remove_file(path);
}

/// Issue 17 item 3: a day off added to a year of 3.000 generated dossiers re-derives only those
/// whose clock runs across it, in one transaction with the year, and the stored facts are then
/// the full replay's under the new calendar, for every quarter, and back again when removed.
#[tokio::test]
async fn a_changed_day_re_derives_only_the_dossiers_whose_clock_runs_across_it() {
    use cchc_dossiers::generate::{Config, generate};
    use cchc_periods::Period;
    let store = store().await;
    let cal = work_calendar(store.as_ref()).await.unwrap();
    let procs = cchc_app::dossiers::procedures(store.as_ref()).await.unwrap();
    let list: Vec<Procedure> = procs.values().cloned().collect();
    let ds: Vec<Dossier> =
        generate(&Config { units: vec![("X".into(), Level::Xa)], procedures: list, year: 2027, dossiers: 3000, seed: 5 }, &cal).collect();
    cchc_app::dossiers::store_dossiers(store.as_ref(), &ds, &procs, &cal).await.unwrap();
    let tree = store.unit_tree().await.unwrap();
    let levels = std::collections::HashMap::from([("X".to_string(), Level::Xa)]);
    let rule = WindowRule::default();
    let agrees = async |calendar: cchc_calendar::WorkCalendar| {
        for q in ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4", "2027-Y"] {
            let period: Period = q.parse().unwrap();
            let stored = cchc_app::dossiers::table(store.as_ref(), &tree, "T", period, &rule).await.unwrap();
            let replayed = cchc_dossiers::compute(&ds, &procs, &levels, rule.window(period), &calendar).unwrap();
            assert_eq!(stored, replayed, "{q}");
        }
    };
    // Wednesday 16/06/2027 becomes a day off.
    let year =
        YearSchedule {
            year: 2027, days_off: vec![DayOff { date: day(2027, 6, 16), name: "Nghỉ đột xuất".into() }], ..Default::default()
        };
    let SavedYear::Saved { rederived } = save_year(store.as_ref(), &year, "quantri").await.unwrap() else { panic!("refused") };
    let crossing = ds
        .iter()
        .filter(|d| {
            let received = d.events[0].at.date();
            let ended = d.events.iter().filter(|e| matches!(e.kind, EventKind::Resolved)).map(|e| e.at.date()).next_back();
            received <= day(2027, 6, 16) && ended.is_none_or(|e| e >= day(2027, 6, 16))
        })
        .count();
    assert!(rederived > 0 && rederived < ds.len() / 10, "{rederived} of {} re-derived", ds.len());
    assert!(rederived >= crossing.min(1), "{rederived} re-derived, {crossing} crossing");
    let new = work_calendar(store.as_ref()).await.unwrap();
    assert!(!new.is_working_day(day(2027, 6, 16)));
    agrees(new).await;
    // Taken back: the same dossiers again, and the first calendar's figures.
    let SavedYear::Saved { rederived: back } =
        save_year(store.as_ref(), &YearSchedule { year: 2027, ..Default::default() }, "quantri").await.unwrap()
    else {
        panic!("refused")
    };
    assert_eq!(back, rederived);
    agrees(work_calendar(store.as_ref()).await.unwrap()).await;
}
