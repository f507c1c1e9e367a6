//! The storage contract: what every backend of [`Store`] must do, as one suite of async checks
//! on a `&dyn Store`, exported (feature `contract`) so that a further backend runs the same
//! suite: `crate::contract_suite!(open);` in its tests, where `open(test_name)` returns
//! `Option<Box<dyn Store>>` (a fresh, empty store per test; `None` skips, e.g. a server that is
//! not configured). `crates/storage/tests/contract.rs` runs it on SQLite and PostgreSQL.

mod feedback;
mod generations;
mod handling_unit;
mod inspections;
mod records;
mod survey;
pub use feedback::*;
pub use generations::*;
pub use handling_unit::*;
pub use inspections::*;
pub use records::*;
pub use survey::*;

use std::collections::BTreeMap;

use crate::{AuditFilter, Role, Store, StoreError, User};
use cchc_catalogue::{DEFAULT_CATALOGUE_TOML, parse};
use cchc_report::workflow::{Action, Status};
use cchc_report::{Entry, Key, Qualifier, UnitRef, UnitReport, Value};
use cchc_units::{LineageEdge, LineageKind, Unit, UnitKind};
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn report() -> UnitReport {
    let unit = UnitRef { code: "X1".into(), name: "Xã Lê Hồng".into(), kind: UnitKind::Xa, parent: None };
    let mut r = UnitReport::new("vn-default@2022.1", unit, "2022-H1".parse().unwrap());
    r.window = Some(cchc_periods::DateRange { from: d(2021, 12, 10), to: d(2022, 6, 9) });
    r.document.number = Some("165/BC-UBND".into());
    r.document.recipients = vec!["Phòng Nội vụ;".into(), "Lưu: VP.".into()];
    r.narrative.insert("I".into(), "Công tác chỉ đạo, điều hành…".into());
    let mut e = Entry::new(Key::total("3.5.1"), Value::Int(1224));
    e.source = Some("II.2.c".into());
    r.entries.push(e);
    r.entries.push(Entry::new(Key::split("3.5.1", &[("field", "ho-tich")]), Value::Int(224)));
    let mut claim = Entry::new(Key::total("3.5.7"), Value::Dec("80".parse().unwrap()));
    claim.qualifier = Some(Qualifier::Above);
    r.entries.push(claim);
    r.entries.push(Entry { note: Some("Kế hoạch số 309/KH-UBND".into()), ..Entry::new(Key::total("1.2.1"), Value::Int(28)) });
    r.entries.push(Entry { value: None, note: Some("chưa có số liệu".into()), ..Entry::new(Key::total("1.2.2"), Value::Int(0)) });
    r.entries.push(Entry::new(Key::total("9.1"), Value::Bool(true)));
    r.entries.push(Entry::new(Key::total("9.2"), Value::Choice(2)));
    r.entries.push(Entry::new(Key::total("9.3"), Value::Tally { yes: 3, of: 5 }));
    r.entries.push(Entry::new(Key::total("9.4"), Value::OptionCounts(BTreeMap::from([(0, 2), (1, 3)]))));
    r.entries.push(Entry::new(Key::total("9.5"), Value::Text("Thông báo số 28/TB-UBND".into())));
    r.entries.push(Entry::new(Key::total("9.6"), Value::Dec("4900.5".parse().unwrap())));
    // What it was compiled from, as a parent's compiled report keeps it.
    r.compilation = Some(cchc_report::Compilation {
        at: d(2022, 6, 16).and_hms_opt(9, 30, 0).unwrap(),
        by: "tonghop".into(),
        sources: vec![cchc_report::CompiledSource { unit: "X2".into(), version: 3 }],
        missing: vec!["X3".into()],
        own: vec![Entry::new(Key::total("3.6.1"), Value::Int(12))],
    });
    r
}

/// Stores the communes the tests' reports and dossiers name (the foreign keys want them).
async fn known_units(s: &dyn Store) {
    let u = |code: &str| Unit {
        code: code.into(),
        name: format!("Xã {code}"),
        kind: UnitKind::Xa,
        parent: None,
        valid_from: None,
        valid_to: None,
        issuer: None,
    };
    s.upsert_units(&["X1", "X2", "X3"].map(u), &[]).await.unwrap();
}

pub async fn units_and_lineage_round_trip(s: &dyn Store) {
    let u = |code: &str, kind, parent: Option<&str>| Unit {
        code: code.into(),
        name: format!("Đơn vị {code}"),
        kind,
        parent: parent.map(Into::into),
        valid_from: None,
        valid_to: None,
        issuer: None,
    };
    let mut a = u("A", UnitKind::Xa, Some("P"));
    a.valid_to = Some(d(2025, 6, 30));
    let mut n = u("N", UnitKind::Xa, Some("P"));
    n.valid_from = Some(d(2025, 7, 1));
    let edge = LineageEdge {
        from: "A".into(),
        to: "N".into(),
        kind: LineageKind::MergedInto,
        date: d(2025, 7, 1),
        basis: Some("Nghị quyết".into()),
    };
    s.upsert_units(&[u("P", UnitKind::Tinh, None), a.clone(), n.clone()], std::slice::from_ref(&edge)).await.unwrap();
    let tree = s.unit_tree().await.unwrap();
    assert_eq!(tree.len(), 3);
    assert_eq!(tree.get("A"), Some(&a));
    assert_eq!(tree.lineage().edges, vec![edge]);
    assert_eq!(tree.predecessors_on("N", d(2024, 1, 1)).into_iter().collect::<Vec<_>>(), vec!["A"]);
    // Upsert replaces, the unit's issuer with its line break too (migration 0015).
    let mut renamed = n.clone();
    renamed.name = "Xã Mới".into();
    renamed.issuer = Some("ỦY BAN NHÂN DÂN\nXÃ MỚI".into());
    s.upsert_units(&[renamed.clone()], &[]).await.unwrap();
    assert_eq!(s.unit_tree().await.unwrap().get("N"), Some(&renamed));
}

pub async fn catalogue_round_trip(s: &dyn Store) {
    let file = parse(DEFAULT_CATALOGUE_TOML).unwrap();
    s.add_catalogue(&file, "quantri").await.unwrap();
    // The same text again changes nothing; another text under the same reference is refused,
    // and the stored version stays as it was (reports name it).
    s.add_catalogue(&file, "quantri").await.unwrap();
    let mut changed = file.clone();
    changed.catalogue.name = "Đổi tên".into();
    assert!(matches!(s.add_catalogue(&changed, "quantri").await, Err(StoreError::Invalid(_))));
    assert_eq!(s.catalogue_files().await.unwrap(), vec![file]);
}

pub async fn a_report_round_trips_exactly(s: &dyn Store) {
    known_units(s).await;
    let r = report();
    let rec = s.save_report(&r, None, "canbo").await.unwrap();
    assert_eq!(rec.report, r);
    assert_eq!((rec.status, rec.version), (Status::Draft, 1));
    let again = s.report("X1", r.period).await.unwrap().unwrap();
    assert_eq!(again.report, r);
    assert_eq!(s.reports_in_period(r.period).await.unwrap().len(), 1);
    assert_eq!(s.reports_of_unit("X1").await.unwrap().len(), 1);
    assert!(s.report("X1", "2022-Y".parse().unwrap()).await.unwrap().is_none());
}

pub async fn figure_notes_are_written_with_the_return_or_not_at_all(s: &dyn Store) {
    known_units(s).await;
    let r = report();
    let rec = s.save_report(&r, None, "canbo").await.unwrap();
    let rec = s.transition("X1", r.period, Action::Submit, Some("Giải trình: số liệu quý I chưa đủ"), "canbo", rec.version).await.unwrap();
    let at = d(2022, 6, 20).and_hms_opt(8, 0, 0).unwrap();
    let mark = |key: &str, text: &str| crate::FigureNote {
        unit_code: "X1".into(),
        period: r.period,
        key: key.into(),
        kind: crate::NoteKind::Mark,
        text: text.into(),
        by: "tonghop".into(),
        at,
    };
    let marks = [mark("3.5.1", "Tổng số khác phụ lục"), mark("3.5.1[field=ho-tich]", "Hộ tịch 224 < 94 + 150")];
    // A stale version: neither the step nor its marks are written.
    let stale = s.transition_with_notes("X1", r.period, Action::Return, Some("Sai số liệu"), &marks, "tonghop", rec.version - 1).await;
    assert!(matches!(stale, Err(StoreError::Conflict { .. })), "{stale:?}");
    assert!(s.figure_notes("X1", r.period).await.unwrap().is_empty());
    let back = s.transition_with_notes("X1", r.period, Action::Return, Some("Sai số liệu"), &marks, "tonghop", rec.version).await.unwrap();
    assert_eq!(back.status, Status::Returned);
    let comment = crate::FigureNote {
        kind: crate::NoteKind::Comment,
        by: "canbo".into(),
        text: "Đã đối chiếu sổ hộ tịch".into(),
        ..marks[1].clone()
    };
    s.add_figure_note(&comment).await.unwrap();
    let notes = s.figure_notes("X1", r.period).await.unwrap();
    assert_eq!(notes, vec![marks[0].clone(), marks[1].clone(), comment]);
    // The explanation of the submission is kept with its step.
    let history = s.history("X1", r.period).await.unwrap();
    assert_eq!(history[0].reason.as_deref(), Some("Giải trình: số liệu quý I chưa đủ"));
    // A note on a report that does not exist is refused by the database.
    let orphan = crate::FigureNote { unit_code: "X2".into(), ..notes[0].clone() };
    assert!(s.add_figure_note(&orphan).await.is_err());
}

pub async fn an_issued_report_is_kept_as_printed_beside_its_correction(s: &dyn Store) {
    known_units(s).await;
    let mut issued = report();
    issued.compilation = None;
    issued.set(Key::total("1.2.1"), Some(Value::Int(29)));
    s.put_issued_report(&issued, "vanphong").await.unwrap();
    assert!(
        matches!(s.put_issued_report(&report(), "vanphong").await, Err(StoreError::AlreadyExists(_))),
        "an issued document does not change"
    );
    let back = s.issued_report("X1", issued.period).await.unwrap().unwrap();
    assert_eq!((back.report, back.by.as_str()), (issued.clone(), "vanphong"));
    // The corrected version is the unit's report of the period, beside it.
    s.save_report(&report(), None, "vanphong").await.unwrap();
    assert_eq!(s.issued_report("X1", issued.period).await.unwrap().unwrap().report, issued);
    assert!(s.issued_report("X1", "2023-H1".parse().unwrap()).await.unwrap().is_none());
    let audit = s.audit(&AuditFilter { unit_code: Some("X1".into()), ..Default::default() }).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "lưu báo cáo đã ban hành"));
}

pub async fn optimistic_locking_refuses_stale_saves(s: &dyn Store) {
    known_units(s).await;
    let r = report();
    s.save_report(&r, None, "a").await.unwrap();
    assert!(matches!(s.save_report(&r, None, "b").await, Err(StoreError::AlreadyExists(1))));
    let mut first = r.clone();
    first.set(Key::total("3.5.1"), Some(Value::Int(1225)));
    let mut second = r.clone();
    second.set(Key::total("3.5.1"), Some(Value::Int(9999)));
    assert_eq!(s.save_report(&first, Some(1), "a").await.unwrap().version, 2);
    let err = s.save_report(&second, Some(1), "b").await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { expected: 1, found: 2 }));
    assert!(err.to_string().contains("đã được người khác sửa"), "{err}");
    let stored = s.report("X1", r.period).await.unwrap().unwrap();
    assert_eq!(stored.report, first, "the stale save wrote nothing");
}

pub async fn a_failing_save_leaves_the_old_report_intact(s: &dyn Store) {
    known_units(s).await;
    let r = report();
    s.save_report(&r, None, "a").await.unwrap();
    // A save that fails inside its transaction (the report is submitted, so not editable)
    // must not have touched the entries it would have replaced.
    let rec = s.transition("X1", r.period, Action::Submit, None, "a", 1).await.unwrap();
    let mut changed = r.clone();
    changed.entries.truncate(1);
    let err = s.save_report(&changed, Some(rec.version), "a").await.unwrap_err();
    assert!(err.to_string().contains("đã gửi"), "{err}");
    let stored = s.report("X1", r.period).await.unwrap().unwrap();
    assert_eq!(stored.report.entries, r.entries);
    assert_eq!(stored.version, rec.version);
}

pub async fn the_workflow_is_recorded(s: &dyn Store) {
    known_units(s).await;
    let r = report();
    let p = r.period;
    s.save_report(&r, None, "canbo").await.unwrap();
    let v = s.transition("X1", p, Action::Submit, None, "canbo", 1).await.unwrap();
    assert_eq!(v.status, Status::Submitted);
    assert!(v.submitted_at.is_some());
    let err = s.transition("X1", p, Action::Return, Some(" "), "tonghop", v.version).await.unwrap_err();
    assert_eq!(err.to_string(), "Trả lại báo cáo phải ghi rõ lý do");
    let forbidden = s.transition("X1", p, Action::Lock, None, "tonghop", v.version).await.unwrap_err();
    assert!(forbidden.to_string().contains("Không thể khóa"), "{forbidden}");
    let v = s.transition("X1", p, Action::Return, Some("Hộ tịch 224 ≠ 94 + 150"), "tonghop", v.version).await.unwrap();
    assert_eq!((v.status, v.return_reason.as_deref()), (Status::Returned, Some("Hộ tịch 224 ≠ 94 + 150")));
    let v = s.save_report(&r, Some(v.version), "canbo").await.unwrap();
    // A step recorded at a given moment (brought in later) keeps that moment as the sending time.
    let sent = NaiveDate::from_ymd_opt(2022, 6, 16).unwrap().and_hms_opt(9, 30, 0).unwrap();
    let v = s.transition_at("X1", p, Action::Submit, None, "canbo", v.version, sent).await.unwrap();
    assert_eq!(v.submitted_at, Some(sent));
    let v = s.transition("X1", p, Action::Approve, None, "tonghop", v.version).await.unwrap();
    assert_eq!((v.status, v.return_reason), (Status::Approved, None));
    let steps: Vec<(Status, Status, String)> = s.history("X1", p).await.unwrap().into_iter().map(|c| (c.from, c.to, c.by)).collect();
    assert_eq!(
        steps,
        vec![
            (Status::Draft, Status::Submitted, "canbo".into()),
            (Status::Submitted, Status::Returned, "tonghop".into()),
            (Status::Returned, Status::Submitted, "canbo".into()),
            (Status::Submitted, Status::Approved, "tonghop".into()),
        ]
    );
}

pub async fn changed_figures_are_audited(s: &dyn Store) {
    known_units(s).await;
    let r = report();
    s.save_report(&r, None, "canbo").await.unwrap();
    let mut fixed = r.clone();
    fixed.set(Key::split("3.5.1", &[("field", "ho-tich")]), Some(Value::Int(244)));
    s.save_report(&fixed, Some(1), "tonghop").await.unwrap();
    let rows = s.audit(&AuditFilter { by: Some("tonghop".into()), ..Default::default() }).await.unwrap();
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].item.as_deref(), Some("3.5.1[field=ho-tich]"));
    assert_eq!((rows[0].old_value.as_deref(), rows[0].new_value.as_deref()), (Some("224"), Some("244")));
    assert!(s.audit(&AuditFilter { by: Some("canbo".into()), ..Default::default() }).await.unwrap().len() >= r.entries.len() - 1);
}

pub async fn users_round_trip(s: &dyn Store) {
    let u = User {
        username: "lehong".into(),
        full_name: "Nguyễn Thị Hà".into(),
        role: Role::UnitOfficer,
        unit_code: "X1".into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        active: true,
    };
    s.upsert_user(&u).await.unwrap();
    assert_eq!(s.user("lehong").await.unwrap(), Some(u.clone()));
    let off = User { active: false, role: Role::Leader, ..u };
    s.upsert_user(&off).await.unwrap();
    assert_eq!(s.users().await.unwrap(), vec![off]);
    assert_eq!(s.user("khong-co").await.unwrap(), None);
}

pub async fn dossiers_round_trip_atomically(s: &dyn Store) {
    known_units(s).await;
    use cchc_dossiers::facts::{Facts, decode_unit};
    use cchc_dossiers::generate::{Config, generate};
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let procedures = cchc_dossiers::import::default_procedures();
    s.put_procedures(&procedures).await.unwrap();
    assert_eq!(s.procedures().await.unwrap().len(), procedures.len());
    let units = vec![("X1".to_string(), cchc_units::Level::Xa), ("X2".to_string(), cchc_units::Level::Xa)];
    let config = Config { units, procedures, year: 2026, dossiers: 300, seed: 3 };
    let ds: Vec<_> = generate(&config, &cal).collect();
    let by_code: std::collections::HashMap<_, _> = config.procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
    let facts_of = |ds: &[cchc_dossiers::Dossier]| -> Vec<Facts> {
        ds.iter().map(|d| Facts::derive(d, &by_code[&d.procedure], &cal).unwrap()).collect()
    };
    let facts = facts_of(&ds);
    assert_eq!(s.put_dossiers(&ds, &facts).await.unwrap(), 300);
    let end = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap().and_hms_opt(23, 59, 0).unwrap();
    let mut back = s.dossiers(&["X1".into(), "X2".into()], end).await.unwrap();
    back.sort_by(|a, b| a.id.cmp(&b.id));
    let mut expected = ds.clone();
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(back, expected);
    assert_eq!(s.dossier(&ds[7].id).await.unwrap().as_ref(), Some(&ds[7]));
    assert_eq!(s.dossier("KHONG-CO").await.unwrap(), None);
    // A page of the list: newest first, counted in all, searchable by code.
    let (start, end_of_year) = (NaiveDate::from_ymd_opt(2026, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(), end);
    let query = |text: &str, limit| crate::DossierQuery {
        text: text.into(),
        ..crate::DossierQuery::new(vec!["X1".into(), "X2".into()], start, end_of_year, limit)
    };
    let (total, page) = s.search_dossiers(&query("", 10)).await.unwrap();
    assert_eq!((total, page.len()), (300, 10));
    assert!(page.windows(2).all(|w| w[0].events[0].at >= w[1].events[0].at), "newest first");
    let wanted = ds[42].id.to_uppercase();
    let (total, page) = s.search_dossiers(&query(&wanted, 10)).await.unwrap();
    assert_eq!((total, page.first().map(|d| d.id.as_str())), (1, Some(ds[42].id.as_str())));
    let only_x1 = crate::DossierQuery { units: vec!["X1".into()], ..query("", 1000) };
    let (total, page) = s.search_dossiers(&only_x1).await.unwrap();
    assert!(total > 0 && total < 300 && page.iter().all(|d| d.unit == "X1"));
    // A batch with one bad dossier writes nothing.
    let mut bad = ds[..2].to_vec();
    bad[0].id = "MOI-1".into();
    let mut bad_facts = facts_of(&bad);
    bad[1].events.clear();
    bad[1].id = "MOI-2".into();
    bad_facts[1].id = "MOI-2".into();
    assert!(s.put_dossiers(&bad, &bad_facts).await.is_err());
    assert_eq!(s.dossiers(&["X1".into(), "X2".into()], end).await.unwrap().len(), 300);
    // The facts are kept per unit (and month), follow a dossier that moves to another unit, and
    // are not touched by the failed batch.
    let blobs = s.dossier_facts(&["X1".into(), "X2".into(), "X3".into()]).await.unwrap();
    let mut holders: Vec<&str> = blobs.iter().map(|(u, _)| u.as_str()).collect();
    holders.dedup();
    assert_eq!(holders, ["X1", "X2"]);
    let mut back_facts: Vec<Facts> = blobs.iter().flat_map(|(u, b)| decode_unit(u, b).unwrap()).collect();
    back_facts.sort_by(|a, b| a.id.cmp(&b.id));
    let mut expected_facts = facts.clone();
    expected_facts.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(back_facts, expected_facts);
    let mut moved = ds.iter().find(|d| d.unit == "X1").unwrap().clone();
    moved.unit = "X3".into();
    s.put_dossiers(std::slice::from_ref(&moved), &facts_of(std::slice::from_ref(&moved))).await.unwrap();
    let blobs = s.dossier_facts(&["X1".into(), "X3".into()]).await.unwrap();
    let of = |unit: &str| -> Vec<Facts> { blobs.iter().filter(|(u, _)| u == unit).flat_map(|(u, b)| decode_unit(u, b).unwrap()).collect() };
    let (x1, x3) = (of("X1"), of("X3"));
    assert!(!x1.iter().any(|f| f.id == moved.id));
    assert_eq!(x3.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), [moved.id.as_str()]);
    assert_eq!(x1.len() + x3.len(), ds.iter().filter(|d| d.unit == "X1").count());
}

/// Issue 17 item 1: the facts a window reads follow the window, not the stored history, and give
/// the full replay's table: five years imported, dossiers left open in an earlier year and
/// ended later at the counter (before the window and within it), for windows across the years.
pub async fn windowed_facts_give_the_full_replays_table(s: &dyn Store) {
    known_units(s).await;
    use cchc_dossiers::facts::{Facts, accumulate_unit, decode_unit, window_secs};
    use cchc_dossiers::generate::{Config, generate};
    use cchc_dossiers::{Event, EventKind};
    use cchc_periods::{Period, WindowRule};
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let procedures = cchc_dossiers::import::default_procedures();
    s.put_procedures(&procedures).await.unwrap();
    let procs: std::collections::HashMap<String, cchc_dossiers::Procedure> =
        procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
    let levels = std::collections::HashMap::from([("X1".to_string(), cchc_units::Level::Xa), ("X2".to_string(), cchc_units::Level::Xa)]);
    let units: Vec<(String, cchc_units::Level)> = levels.iter().map(|(u, l)| (u.clone(), *l)).collect();
    let mut ds = Vec::new();
    for (i, year) in (2022..=2026).enumerate() {
        let config = Config { units: units.clone(), procedures: procedures.clone(), year, dossiers: 150, seed: 40 + i as u64 };
        ds.extend(generate(&config, &cal).map(|mut d| {
            d.id = format!("{year}-{}", d.id);
            d
        }));
    }
    // Two dossiers left open by the import, ended later at the counter: one before 2026, one in it.
    let procedure = procedures.iter().find(|p| p.level == cchc_units::Level::Xa).unwrap().code.clone();
    let at = |y: i32, m: u32, day: u32| d(y, m, day).and_hms_opt(9, 0, 0).unwrap();
    let open = |id: &str, unit: &str, received| cchc_dossiers::Dossier {
        id: id.into(),
        unit: unit.into(),
        procedure: procedure.clone(),
        events: vec![Event { at: received, kind: EventKind::Received { channel: cchc_dossiers::Channel::Direct }, by: None, note: None }],
        digitised: false,
        rating: None,
        applicant: None,
        handler: None,
        assignments: Vec::new(),
    };
    let (a, b) = (open("MO-A", "X1", at(2022, 11, 10)), open("MO-B", "X2", at(2023, 12, 5)));
    ds.extend([a.clone(), b.clone()]);
    let facts_of = |d: &cchc_dossiers::Dossier| Facts::derive(d, &procs[&d.procedure], &cal).unwrap();
    let facts: Vec<Facts> = ds.iter().map(facts_of).collect();
    s.put_dossiers(&ds, &facts).await.unwrap();
    for (mut d, ended) in [(a, at(2025, 3, 20)), (b, at(2026, 2, 10))] {
        d.events.push(Event { at: ended, kind: EventKind::Resolved, by: None, note: None });
        let version = s.dossier_with_version(&d.id).await.unwrap().unwrap().1;
        s.update_dossier(&d, &facts_of(&d), version, "tester").await.unwrap();
    }
    let all = vec!["X1".to_string(), "X2".into()];
    let stored = s.dossiers(&all, at(2030, 1, 1)).await.unwrap();
    let rule = WindowRule::default();
    for period in ["2022-Y", "2023-Y", "2024-Q4", "2025-M03", "2025-Y", "2026-Q1", "2026-Y"] {
        let window = rule.window(period.parse::<Period>().unwrap());
        let (start, end) = window_secs(window);
        let blobs = s.dossier_facts_window(&all, start, end).await.unwrap();
        let mut table = cchc_dossiers::Table::default();
        for (unit, blob) in &blobs {
            accumulate_unit(&mut table, blob, levels[unit], &procs, window).unwrap();
        }
        assert_eq!(table, cchc_dossiers::compute(&stored, &procs, &levels, window, &cal).unwrap(), "{period}");
        let read: usize = blobs.iter().map(|(u, b)| decode_unit(u, b).unwrap().len()).sum();
        if period == "2026-Y" {
            // The year's 150 and those of late 2025 still open in 2026, not the 600 before.
            assert!(read < 300, "{read} of {} facts read for {period}", stored.len());
        }
    }
    // Read with the ended parts' tallies, for a year and its quarters at once (as the dashboard
    // reads): every window's table is the replay's; the dossiers ended at the counter have rows
    // in their months, whose parts are read by their records.
    let (mut tallied, mut open_tallied) = (0, 0);
    for year in 2022..=2026 {
        let periods: Vec<Period> =
            std::iter::once(format!("{year}-Y")).chain((1..=4).map(|q| format!("{year}-Q{q}"))).map(|p| p.parse().unwrap()).collect();
        let windows: Vec<cchc_periods::DateRange> = periods.iter().map(|p| rule.window(*p)).collect();
        let secs: Vec<(i64, i64)> = windows.iter().map(|w| window_secs(*w)).collect();
        let pieces = s.dossier_pieces(&all, &secs, &[]).await.unwrap();
        for (window, (start, end)) in windows.iter().zip(&secs) {
            let mut table = cchc_dossiers::Table::default();
            for (unit, piece) in &pieces {
                match piece {
                    crate::FactsPiece::Records(blob) => accumulate_unit(&mut table, blob, levels[unit], &procs, *window).unwrap(),
                    crate::FactsPiece::Tally { month, tally } => {
                        let t = cchc_dossiers::tally::Tally::decode(tally).unwrap();
                        match t.fits(*month, *start, *end) {
                            cchc_dossiers::tally::Fit::Whole => {
                                tallied += 1;
                                open_tallied += t.waiting.is_some() as usize;
                                for (p, c) in t.rows(*start, *end).unwrap().rows {
                                    table.rows.entry((levels[unit], procs[p].field.clone())).or_default().add(&c);
                                }
                            }
                            cchc_dossiers::tally::Fit::Outside => {}
                            cchc_dossiers::tally::Fit::Partly => panic!("a tally read for {window:?}, which sees only part of {month}"),
                        }
                    }
                }
            }
            assert_eq!(table, cchc_dossiers::compute(&stored, &procs, &levels, *window, &cal).unwrap(), "{window:?} with tallies");
        }
        // Of the units whose records something lays over, no tally.
        let records = s.dossier_pieces(&all, &secs, &all).await.unwrap();
        assert!(records.iter().all(|(_, p)| matches!(p, crate::FactsPiece::Records(_))));
    }
    assert!(tallied > 20, "only {tallied} tallies read");
    // Dossiers of earlier years left awaiting a supplement: their open parts by their tallies.
    assert!(open_tallied > 0, "no open part's tally read");
}

/// The default procedures, stored in `s` and returned by code, and `n` dossiers of 2026 that the
/// generator makes for X1 and X2 with `seed`, under the shipped calendar (not stored).
async fn generated_for_x1_x2(
    s: &dyn Store,
    n: usize,
    seed: u64,
) -> (Vec<cchc_dossiers::Dossier>, std::collections::HashMap<String, cchc_dossiers::Procedure>) {
    let procedures = cchc_dossiers::import::default_procedures();
    s.put_procedures(&procedures).await.unwrap();
    let by_code = procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
    let units = vec![("X1".to_string(), cchc_units::Level::Xa), ("X2".to_string(), cchc_units::Level::Xa)];
    let config = cchc_dossiers::generate::Config { units, procedures, year: 2026, dossiers: n, seed };
    (cchc_dossiers::generate::generate(&config, &cchc_calendar::WorkCalendar::vietnam()).collect(), by_code)
}

/// A list of more dossiers than are counted: the count says "more than the cap", and each page is
/// the newest first of all the units' dossiers (read per unit in its index's order), with a
/// dossier transferred from one listed unit to another once.
pub async fn a_big_list_is_paged_newest_first_and_counted_up_to_the_cap(s: &dyn Store) {
    known_units(s).await;
    use cchc_dossiers::facts::Facts;
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let (ds, by_code) = generated_for_x1_x2(s, crate::COUNT_CAP as usize + 200, 11).await;
    let facts: Vec<Facts> = ds.iter().map(|d| Facts::derive(d, &by_code[&d.procedure], &cal).unwrap()).collect();
    s.put_dossiers(&ds, &facts).await.unwrap();
    let (from, to) = (d(2026, 1, 1).and_hms_opt(0, 0, 0).unwrap(), d(2026, 12, 31).and_hms_opt(23, 59, 59).unwrap());
    let mut newest: Vec<(chrono::NaiveDateTime, &str, &str)> =
        ds.iter().map(|d| (d.events[0].at, d.id.as_str(), d.unit.as_str())).collect();
    newest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    for (units, offset) in
        [(vec!["X1".to_string(), "X2".into()], 0), (vec!["X1".to_string(), "X2".into()], 130), (vec!["X2".to_string()], 40)]
    {
        let query = crate::DossierQuery { offset, ..crate::DossierQuery::new(units.clone(), from, to, 50) };
        let (total, page) = s.search_dossiers(&query).await.unwrap();
        let mine: Vec<&str> = newest.iter().filter(|(_, _, unit)| units.iter().any(|u| u == unit)).map(|(_, id, _)| *id).collect();
        let expected: Vec<&str> = mine.iter().skip(offset as usize).take(50).copied().collect();
        assert_eq!(page.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), expected, "{units:?} from {offset}");
        assert_eq!(total, (mine.len() as i64).min(crate::COUNT_CAP + 1), "{units:?}");
    }
    assert!(s.search_dossiers(&crate::DossierQuery::new(vec!["X1".into(), "X2".into()], from, to, 0)).await.unwrap().0 > crate::COUNT_CAP);
}

pub async fn dossier_imports_stream_in_one_transaction(s: &dyn Store) {
    known_units(s).await;
    use crate::{DossierRow, ImportBatch};
    use cchc_dossiers::facts::{Facts, decode_unit};
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let (ds, by_code) = generated_for_x1_x2(s, 300, 9).await;
    let row = |d: &cchc_dossiers::Dossier| DossierRow::new(d, Facts::derive(d, &by_code[&d.procedure], &cal).unwrap()).unwrap();
    let rows = |ds: &[cchc_dossiers::Dossier]| ds.iter().map(row).collect::<Vec<_>>();
    let all = ["X1".to_string(), "X2".into(), "X3".into()];
    let end = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap().and_hms_opt(23, 59, 0).unwrap();
    let import = |batches: Vec<ImportBatch>| async move {
        let (send, receive) = tokio::sync::mpsc::channel(batches.len().max(1));
        for b in batches {
            send.try_send(b).unwrap();
        }
        drop(send);
        s.import_dossiers(receive).await.unwrap()
    };
    // Batches without the final Commit (a bad row found later): nothing is kept.
    assert_eq!(import(vec![ImportBatch::Rows(rows(&ds[..100])), ImportBatch::Rows(rows(&ds[100..200]))]).await, None);
    assert!(s.dossiers(&all, end).await.unwrap().is_empty());
    assert!(s.dossier_facts(&all).await.unwrap().is_empty());
    // Several batches, an id repeated in a later batch under another unit, another repeated as
    // it was: the last occurrence wins, the facts follow it, each dossier is counted once.
    let mut moved = ds.iter().find(|d| d.unit == "X1").unwrap().clone();
    moved.unit = "X3".into();
    let mut second = rows(&ds[150..]);
    second.push(row(&moved));
    second.push(row(&ds[5]));
    assert_eq!(import(vec![ImportBatch::Rows(rows(&ds[..150])), ImportBatch::Rows(second), ImportBatch::Commit]).await, Some(300));
    assert_eq!(s.dossiers(&all, end).await.unwrap().len(), 300);
    assert_eq!(s.dossier(&moved.id).await.unwrap().as_ref(), Some(&moved));
    let facts = |blobs: Vec<(String, Vec<u8>)>| blobs.iter().flat_map(|(u, b)| decode_unit(u, b).unwrap()).collect::<Vec<Facts>>();
    let stored = facts(s.dossier_facts(&all).await.unwrap());
    assert_eq!(stored.len(), 300);
    assert_eq!(stored.iter().filter(|f| f.id == moved.id).map(|f| f.unit.as_str()).collect::<Vec<_>>(), ["X3"]);
    assert_eq!(stored.iter().filter(|f| f.id == ds[5].id).count(), 1);
    // Into a ledger that has dossiers: it moves back, the schema's index is still there.
    let back = ds.iter().find(|d| d.id == moved.id).unwrap();
    assert_eq!(import(vec![ImportBatch::Rows(rows(std::slice::from_ref(back))), ImportBatch::Commit]).await, Some(1));
    let stored = facts(s.dossier_facts(&all).await.unwrap());
    assert_eq!(stored.len(), 300);
    assert_eq!(stored.iter().filter(|f| f.id == moved.id).map(|f| f.unit.as_str()).collect::<Vec<_>>(), ["X1"]);
    let query = crate::DossierQuery::new(vec!["X3".into()], end - chrono::Duration::days(400), end, 10);
    assert_eq!(s.search_dossiers(&query).await.unwrap().0, 0);
}

/// The dossier list (issue 15 item 3): a search without diacritics or case on the dossier's own
/// words (code, procedure, applicant) or the procedures the caller matched, `%` and `_` as
/// characters; filters by state, channel, procedures and appointment; pages by offset, the
/// total counted; the columns follow a counter write.
pub async fn the_dossier_list_searches_filters_and_pages(s: &dyn Store) {
    use cchc_dossiers::facts::Facts;
    use cchc_dossiers::generate::{Config, generate};
    use cchc_dossiers::lifecycle::Status;
    known_units(s).await;
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let procedures = cchc_dossiers::import::default_procedures();
    s.put_procedures(&procedures).await.unwrap();
    let units = vec![("X1".to_string(), cchc_units::Level::Xa), ("X2".to_string(), cchc_units::Level::Xa)];
    let config = Config { units, procedures, year: 2026, dossiers: 200, seed: 15 };
    let mut ds: Vec<_> = generate(&config, &cal).collect();
    // Some still open at the receipt, their clock running.
    for d in &mut ds[10..70] {
        d.events.truncate(1);
    }
    ds[0].id = "X1-100%-A".into();
    ds[1].applicant = Some(cchc_dossiers::Applicant {
        kind: Default::default(),
        name: "Nguyễn Thị Đào".into(),
        id_number: Some("001234567890".into()),
        phone: None,
        address: None,
        email: None,
    });
    let by_code: std::collections::HashMap<_, _> = config.procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
    let facts: Vec<Facts> = ds.iter().map(|d| Facts::derive(d, &by_code[&d.procedure], &cal).unwrap()).collect();
    s.put_dossiers(&ds, &facts).await.unwrap();
    let (start, end) = (
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
        NaiveDate::from_ymd_opt(2100, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
    );
    let all = || crate::DossierQuery::new(vec!["X1".into(), "X2".into()], start, end, 500);
    let count = |q: crate::DossierQuery| async move { s.search_dossiers(&crate::DossierQuery { limit: 0, ..q }).await.unwrap().0 };
    let text = |t: &str| crate::DossierQuery { text: t.into(), personal: true, ..all() };
    // Diacritics, case and spaces do not matter; the applicant's name and ID number are found.
    for typed in ["nguyen thi dao", "NGUYỄN  Thị đào", "Dao", "4567890"] {
        let (n, page) = s.search_dossiers(&text(typed)).await.unwrap();
        assert_eq!((n, page[0].id.as_str()), (1, ds[1].id.as_str()), "{typed}");
    }
    // Without the right to see personal data, the applicant is not searched: only the codes.
    assert_eq!(count(crate::DossierQuery { personal: false, ..text("nguyen thi dao") }).await, 0);
    assert_eq!(count(crate::DossierQuery { personal: false, ..text(&ds[1].id.to_uppercase()) }).await, 1);
    // `%` and `_` are characters, not wildcards.
    assert_eq!(count(text("100%")).await, 1);
    assert_eq!(count(text("%")).await, 1);
    assert_eq!(count(text("_")).await, 0);
    assert_eq!(count(text("x1-100_-a")).await, 0);
    // The procedures the caller matched by name or field count as matches of the text.
    let code = ds[5].procedure.clone();
    let of_code = ds.iter().filter(|d| d.procedure == code).count() as i64;
    assert_eq!(count(crate::DossierQuery { text_procedures: vec![code.clone()], ..text("khong co dau") }).await, of_code);
    assert_eq!(count(crate::DossierQuery { procedures: Some(vec![code.clone()]), ..all() }).await, of_code);
    assert_eq!(count(crate::DossierQuery { procedures: Some(Vec::new()), ..all() }).await, 0);
    // States and channels as the dossiers say.
    for status in Status::ALL {
        let expected = ds.iter().filter(|d| Status::of(d) == status).count() as i64;
        assert_eq!(count(crate::DossierQuery { states: vec![status.slug().into()], ..all() }).await, expected, "{status:?}");
    }
    // A page and the counts beside it in one call, a text in each: as asked one by one.
    for typed in ["nguyen", "x1-", "2026", ""] {
        let by_state: Vec<crate::DossierQuery> =
            Status::ALL.iter().map(|st| crate::DossierQuery { states: vec![st.slug().into()], ..text(typed) }).collect();
        let (page, counts) = s.search_and_count(&crate::DossierQuery { limit: 9, ..text(typed) }, &by_state).await.unwrap();
        assert_eq!(page, s.search_dossiers(&crate::DossierQuery { limit: 9, ..text(typed) }).await.unwrap(), "{typed}");
        for (q, n) in by_state.into_iter().zip(counts) {
            assert_eq!(n, count(q).await, "{typed}");
        }
    }
    let online = facts.iter().filter(|f| f.channel == cchc_dossiers::Channel::Online).count() as i64;
    assert_eq!(count(crate::DossierQuery { channel: Some("truc-tuyen".into()), ..all() }).await, online);
    // The appointment of open dossiers whose clock runs.
    let due: Vec<(i64, &str)> = facts.iter().filter_map(|f| f.due_now().map(|d| (d, f.id.as_str()))).collect();
    assert!(!due.is_empty());
    let mid = {
        let mut ds: Vec<i64> = due.iter().map(|(d, _)| *d).collect();
        ds.sort();
        ds[ds.len() / 2]
    };
    let before = due.iter().filter(|(d, _)| *d < mid).count() as i64;
    let mid_at = cchc_dossiers::facts::to_moment(mid);
    assert_eq!(count(crate::DossierQuery { due_before: Some(mid_at), ..all() }).await, before);
    assert_eq!(count(crate::DossierQuery { due_from: Some(mid_at), ..all() }).await, due.len() as i64 - before);
    let (_, by_due) = s.search_dossiers(&crate::DossierQuery { due_from: Some(start), by_due: true, ..all() }).await.unwrap();
    let firsts: Vec<i64> = by_due.iter().map(|d| facts.iter().find(|f| f.id == d.id).unwrap().due_now().unwrap()).collect();
    assert!(firsts.windows(2).all(|w| w[0] <= w[1]), "by appointment");
    // Replaced facts (a changed calendar) move the appointment the work lists read.
    let moved: Vec<Facts> = facts
        .iter()
        .filter(|f| f.due_now().is_some())
        .map(|f| Facts { initial_due: f.initial_due + 400 * 86_400, changes: Vec::new(), ..f.clone() })
        .collect();
    s.replace_facts(&moved).await.unwrap();
    let far_ahead = cchc_dossiers::facts::to_moment(facts.iter().filter_map(|f| f.due_now()).max().unwrap() + 86_400);
    assert_eq!(count(crate::DossierQuery { due_from: Some(far_ahead), ..all() }).await, moved.len() as i64);
    s.replace_facts(&facts).await.unwrap();
    assert_eq!(count(crate::DossierQuery { due_before: Some(mid_at), ..all() }).await, before);
    // Pages: the second page of seven is the next seven, the total counted in all.
    let mut newest: Vec<&cchc_dossiers::Dossier> = ds.iter().collect();
    newest.sort_by(|a, b| b.events[0].at.cmp(&a.events[0].at).then_with(|| a.id.cmp(&b.id)));
    let (n, page) = s.search_dossiers(&crate::DossierQuery { limit: 7, offset: 7, ..all() }).await.unwrap();
    assert_eq!(n, 200);
    assert_eq!(page.iter().collect::<Vec<_>>(), newest[7..14].to_vec());
    let (n, page) = s.search_dossiers(&crate::DossierQuery { limit: 0, ..all() }).await.unwrap();
    assert_eq!((n, page.len()), (200, 0));
    // A counter write moves the dossier between states.
    let open = ds.iter().find(|d| Status::of(d) == Status::InProgress && d.events.len() == 1).unwrap().clone();
    let resolved_before = count(crate::DossierQuery { states: vec![Status::Resolved.slug().into()], ..all() }).await;
    let (_, version) = s.dossier_with_version(&open.id).await.unwrap().unwrap();
    let mut done = open.clone();
    let at = open.events[0].at + chrono::Duration::hours(1);
    done.events.push(cchc_dossiers::Event { at, kind: cchc_dossiers::EventKind::Resolved, ..open.events[0].clone() });
    let f = Facts::derive(&done, &by_code[&done.procedure], &cal).unwrap();
    s.update_dossier(&done, &f, version, "canbo").await.unwrap();
    assert_eq!(count(crate::DossierQuery { states: vec![Status::Resolved.slug().into()], ..all() }).await, resolved_before + 1);
    let (_, page) = s
        .search_dossiers(&crate::DossierQuery { states: vec![Status::Resolved.slug().into()], due_from: Some(start), ..all() })
        .await
        .unwrap();
    assert!(page.is_empty(), "a resolved dossier has no running appointment");
}

pub async fn document_settings_round_trip(s: &dyn Store) {
    assert_eq!(s.document_settings("X1").await.unwrap(), None);
    let mut settings = crate::DocumentSettings {
        unit_code: "X1".into(),
        symbol: Some("BC-UBND".into()),
        signer: Some("Phạm Hoàng Anh".into()),
        deputy: Some("KT. CHỦ TỊCH".into()),
        recipients: vec!["Sở Nội vụ;".into(), "Lưu: VT, NV.".into()],
        ..Default::default()
    };
    s.put_document_settings(&settings).await.unwrap();
    assert_eq!(s.document_settings("X1").await.unwrap().as_ref(), Some(&settings));
    settings.signer = Some("Nguyễn Văn A".into());
    s.put_document_settings(&settings).await.unwrap();
    assert_eq!(s.document_settings("X1").await.unwrap(), Some(settings));
}

pub async fn calendar_years_are_stored_and_audited(s: &dyn Store) {
    use cchc_calendar::{DayOff, YearSchedule};
    assert_eq!(s.calendar_years().await.unwrap(), vec![]);
    let mut y2027 = YearSchedule { year: 2027, not_off: vec![d(2027, 9, 1)], ..Default::default() };
    y2027.days_off.push(DayOff { date: d(2027, 9, 3), name: "Quốc khánh (ngày liền kề)".into() });
    let y2026 =
        YearSchedule { year: 2026, working_days: vec![DayOff { date: d(2026, 2, 14), name: "Làm bù".into() }], ..Default::default() };
    s.put_calendar_year(&y2027, "quantri").await.unwrap();
    s.put_calendar_year(&y2026, "quantri").await.unwrap();
    assert_eq!(s.calendar_years().await.unwrap(), vec![y2026.clone(), y2027.clone()]);
    // Replacing a year keeps one row and audits the old and the new schedule.
    let emptied = YearSchedule { year: 2027, ..Default::default() };
    s.put_calendar_year(&emptied, "quantri").await.unwrap();
    assert_eq!(s.calendar_years().await.unwrap(), vec![y2026, emptied]);
    let audit = s.audit(&AuditFilter { by: Some("quantri".into()), ..Default::default() }).await.unwrap();
    let last = &audit[0];
    assert_eq!((last.action.as_str(), last.item.as_deref()), ("sửa lịch nghỉ", Some("năm 2027")));
    assert!(last.old_value.as_deref().unwrap().contains("2027-09-03"));
    assert!(!last.new_value.as_deref().unwrap().contains("2027-09-03"));
}

pub async fn the_audit_log_is_filtered_and_paged_in_the_store(s: &dyn Store) {
    use crate::{AuditEntry, AuditQuery};
    let at = |day: u32, h: u32| d(2025, 3, day).and_hms_opt(h, 0, 0).unwrap();
    // 25 entries: days 1..=25, units A/B alternating, users u0..u2, two actions.
    for i in 1..=25u32 {
        let e = AuditEntry {
            at: at(i, 9),
            unit_code: Some(if i % 2 == 0 { "A".into() } else { "B".into() }),
            ..AuditEntry::now(&format!("u{}", i % 3), if i % 5 == 0 { "đóng đơn vị" } else { "sửa số liệu" })
        };
        s.append_audit(&e).await.unwrap();
    }
    s.append_audit(&AuditEntry { at: at(26, 9), ..AuditEntry::now("u0", "đăng nhập") }).await.unwrap();
    let all = s.audit_page(&AuditQuery { limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!((all.total, all.entries.len()), (26, 10));
    assert_eq!(all.entries[0].at, at(26, 9), "newest first");
    // Paging: the third page holds the last six, in order, and no entry twice.
    let third = s.audit_page(&AuditQuery { limit: 10, offset: 20, ..Default::default() }).await.unwrap();
    assert_eq!(third.entries.iter().map(|e| e.at).collect::<Vec<_>>(), (1..=6).rev().map(|i| at(i, 9)).collect::<Vec<_>>());
    // Each filter, and all of them together.
    let a = s.audit_page(&AuditQuery { units: Some(vec!["A".into()]), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(a.total, 12);
    assert!(a.entries.iter().all(|e| e.unit_code.as_deref() == Some("A")));
    let none = s.audit_page(&AuditQuery { units: Some(vec![]), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(none.total, 0, "an empty unit set sees nothing");
    let closed = s.audit_page(&AuditQuery { action: Some("đóng đơn vị".into()), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(closed.total, 5);
    let by = s.audit_page(&AuditQuery { by: Some("u1".into()), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(by.total, 9);
    let range = s
        .audit_page(&AuditQuery { from: Some(d(2025, 3, 10)), until: Some(d(2025, 3, 12)), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(range.entries.iter().map(|e| e.at).collect::<Vec<_>>(), [at(12, 9), at(11, 9), at(10, 9)], "both days inclusive");
    let together = AuditQuery {
        units: Some(vec!["A".into(), "B".into()]),
        by: Some("u0".into()),
        action: Some("đóng đơn vị".into()),
        from: Some(d(2025, 3, 1)),
        until: Some(d(2025, 3, 31)),
        offset: 0,
        limit: 1,
    };
    let t = s.audit_page(&together).await.unwrap();
    assert_eq!((t.total, t.entries.len()), (1, 1), "u0 closes a unit on day 15 only");
    assert_eq!(t.entries[0].at, at(15, 9));
    let counted = s.audit_page(&AuditQuery { limit: 0, ..together }).await.unwrap();
    assert_eq!((counted.total, counted.entries.len()), (1, 0));
    assert_eq!(s.audit_actions().await.unwrap(), ["sửa số liệu", "đóng đơn vị", "đăng nhập"], "each once, in code-point order");
}

pub async fn settings_are_audited(s: &dyn Store) {
    use crate::setting::CATALOGUE_IN_FORCE;
    assert_eq!(s.setting(CATALOGUE_IN_FORCE).await.unwrap(), None);
    s.put_setting(CATALOGUE_IN_FORCE, "hl@2026.1", "quantri").await.unwrap();
    s.put_setting(CATALOGUE_IN_FORCE, "hl@2026.2", "quantri").await.unwrap();
    assert_eq!(s.setting(CATALOGUE_IN_FORCE).await.unwrap().as_deref(), Some("hl@2026.2"));
    let audit = s.audit(&AuditFilter { by: Some("quantri".into()), ..Default::default() }).await.unwrap();
    let changes: Vec<(Option<&str>, Option<&str>)> = audit.iter().map(|a| (a.old_value.as_deref(), a.new_value.as_deref())).collect();
    assert_eq!(changes, vec![(Some("hl@2026.1"), Some("hl@2026.2")), (None, Some("hl@2026.1"))]);
    // Several at once: all stored, each audited.
    let many =
        [(crate::setting::decision_766("99101N", "2026-Q1"), "{}".to_string()), (CATALOGUE_IN_FORCE.to_string(), "hl@2026.3".into())];
    s.put_settings(&many, "tonghop").await.unwrap();
    assert_eq!(s.setting(&many[0].0).await.unwrap().as_deref(), Some("{}"));
    assert_eq!(s.setting(CATALOGUE_IN_FORCE).await.unwrap().as_deref(), Some("hl@2026.3"));
    let audit = s.audit(&AuditFilter { by: Some("tonghop".into()), ..Default::default() }).await.unwrap();
    assert_eq!(audit.len(), 2);
}

pub async fn a_catalogue_version_never_changes(s: &dyn Store) {
    let mut file = parse(DEFAULT_CATALOGUE_TOML).unwrap();
    file.catalogue.id = "hl".into();
    file.catalogue.version = "2026.1".into();
    s.add_catalogue(&file, "quantri").await.unwrap();
    s.add_catalogue(&file, "quantri").await.unwrap();
    let mut changed = file.clone();
    changed.indicators.pop();
    let err = s.add_catalogue(&changed, "quantri").await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)) && err.to_string().contains("hl@2026.1"), "{err}");
    assert_eq!(s.catalogue_files().await.unwrap(), vec![file]);
    let audit = s.audit(&AuditFilter { by: Some("quantri".into()), ..Default::default() }).await.unwrap();
    assert_eq!(audit.len(), 1, "only the first addition is a change");
    assert_eq!((audit[0].action.as_str(), audit[0].item.as_deref()), ("thêm bộ chỉ tiêu", Some("hl@2026.1")));
}

pub async fn sessions_expire_and_ids_are_unique(s: &dyn Store) {
    let now = chrono::Utc::now().timestamp();
    assert!(s.create_session("abc", "{\"user\":\"sonha\"}", now + 3600).await.unwrap());
    assert!(!s.create_session("abc", "{}", now + 3600).await.unwrap(), "a taken id is refused");
    assert_eq!(s.session("abc", now).await.unwrap().as_deref(), Some("{\"user\":\"sonha\"}"));
    s.put_session("abc", "{\"user\":\"lacgiang\"}", now + 7200).await.unwrap();
    assert_eq!(s.session("abc", now).await.unwrap().as_deref(), Some("{\"user\":\"lacgiang\"}"));
    // Expired: never returned, and swept by the next write.
    s.put_session("old", "{}", now - 10).await.unwrap();
    assert_eq!(s.session("old", now).await.unwrap(), None);
    s.put_session("abc", "{}", now + 7200).await.unwrap();
    assert!(s.create_session("old", "{}", now + 60).await.unwrap(), "the expired row was not swept");
    s.delete_session("abc").await.unwrap();
    assert_eq!(s.session("abc", now).await.unwrap(), None);
}

pub async fn facts_are_replaced_without_touching_the_events(s: &dyn Store) {
    known_units(s).await;
    use cchc_dossiers::{Channel, Dossier, Event, EventKind, Procedure, ProcessingTime};
    let at = |day: u32, h: u32| d(2026, 3, day).and_hms_opt(h, 0, 0).unwrap();
    let p = generations::procedure(3);
    s.put_procedures(std::slice::from_ref(&p)).await.unwrap();
    let d = Dossier {
        id: "D1".into(),
        unit: "X1".into(),
        procedure: "P".into(),
        events: vec![
            Event { at: at(2, 9), kind: EventKind::Received { channel: Channel::Direct }, by: None, note: None },
            Event { at: at(6, 9), kind: EventKind::Resolved, by: None, note: None },
        ],
        digitised: false,
        rating: None,
        applicant: None,
        handler: None,
        assignments: Vec::new(),
    };
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let facts = cchc_dossiers::facts::Facts::derive(&d, &p, &cal).unwrap();
    s.put_dossiers(std::slice::from_ref(&d), std::slice::from_ref(&facts)).await.unwrap();
    // The same dossier under a 1-day procedure: its facts change, its events do not.
    let quicker = Procedure { time: ProcessingTime::WorkingDays(1), ..p };
    let new = cchc_dossiers::facts::Facts::derive(&d, &quicker, &cal).unwrap();
    assert_ne!(new, facts);
    assert_eq!(s.replace_facts(std::slice::from_ref(&new)).await.unwrap(), 1);
    let blob = s.dossier_facts(&["X1".into()]).await.unwrap();
    assert_eq!(cchc_dossiers::facts::decode_unit("X1", &blob[0].1).unwrap(), vec![new.clone()]);
    assert_eq!(s.dossier("D1").await.unwrap(), Some(d));
    // Facts of a dossier the unit does not have: refused, nothing changed.
    let stranger = cchc_dossiers::facts::Facts { id: "D9".into(), ..new.clone() };
    assert!(matches!(s.replace_facts(&[new.clone(), stranger]).await, Err(StoreError::NotFound(_))));
    assert_eq!(cchc_dossiers::facts::decode_unit("X1", &s.dossier_facts(&["X1".into()]).await.unwrap()[0].1).unwrap(), vec![new]);
}

/// A change of the calendar re-derives inside its own transaction: a counter write that comes
/// while the change re-derives waits for it and then stands (its facts are the ones stored), and
/// is not overwritten by facts derived from the dossier's older events.
pub async fn a_rederivation_never_loses_a_counter_write(s: &dyn Store) {
    known_units(s).await;
    use cchc_calendar::{DayOff, YearSchedule};
    use cchc_dossiers::facts::{Facts, decode_unit, window_secs};
    use cchc_dossiers::{Dossier, Event, EventKind};
    use std::sync::atomic::{AtomicBool, Ordering};
    let at = |day: u32, h: u32| d(2026, 3, day).and_hms_opt(h, 0, 0).unwrap();
    let p = generations::procedure(5);
    s.put_procedures(std::slice::from_ref(&p)).await.unwrap();
    let open = generations::dossier("D1", "X1", 2);
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let version = s.insert_dossier(&open, &Facts::derive(&open, &p, &cal).unwrap(), "quay").await.unwrap();
    // D2, received at the same moment, stays open: only its appointment moves.
    let other = Dossier { id: "D2".into(), ..open.clone() };
    s.insert_dossier(&other, &Facts::derive(&other, &p, &cal).unwrap(), "quay").await.unwrap();
    // Wednesday 4 March becomes a day off: D1's clock runs across it.
    let year =
        YearSchedule { year: 2026, days_off: vec![DayOff { date: d(2026, 3, 4), name: "Nghỉ thêm".into() }], ..Default::default() };
    let mut schedule = cchc_calendar::Schedule::parse(cchc_calendar::DEFAULT_SCHEDULE_TOML).unwrap();
    schedule = schedule.overridden_by([year.clone()]);
    let new_cal = cchc_calendar::WorkCalendar::vietnam_with(schedule);
    let started = AtomicBool::new(false);
    let derive = |ds: &[Dossier]| -> Result<Vec<Facts>, Vec<String>> {
        started.store(true, Ordering::SeqCst);
        ds.iter().map(|d| Facts::derive(d, &p, &new_cal).map_err(|e| vec![e.to_string()])).collect()
    };
    let units = vec!["X1".to_string()];
    let re = crate::Rederivation {
        units: &units,
        span: window_secs(cchc_periods::DateRange { from: d(2026, 3, 4), to: d(2026, 3, 4) }),
        pick: &|_| true,
        derive: &derive,
    };
    let resolved = Dossier {
        events: vec![open.events[0].clone(), Event { at: at(5, 15), kind: EventKind::Resolved, by: None, note: None }],
        ..open.clone()
    };
    let counter = async {
        while !started.load(Ordering::SeqCst) {
            tokio::task::yield_now().await;
        }
        s.update_dossier(&resolved, &Facts::derive(&resolved, &p, &new_cal).unwrap(), version, "quay").await
    };
    let (changed, written) = tokio::join!(s.put_calendar_years(std::slice::from_ref(&year), "quantri", Some(&re)), counter);
    let (changed, written) = (changed.unwrap(), written.unwrap());
    let mut stored: Vec<Facts> =
        s.dossier_facts(&units).await.unwrap().iter().flat_map(|(u, blob)| decode_unit(u, blob).unwrap()).collect();
    stored.sort_by(|a, b| a.id.cmp(&b.id));
    let expected = vec![Facts::derive(&resolved, &p, &new_cal).unwrap(), Facts::derive(&other, &p, &new_cal).unwrap()];
    assert_eq!(stored, expected, "the counter's write stands");
    assert_eq!((changed, written), (2, version + 1), "D1 and D2 re-derived, then D1 written at the counter");
    assert_eq!(s.dossier("D1").await.unwrap(), Some(resolved));
    // The work lists' appointment of D2 moved from Monday 9 to Tuesday 10 March, 9:00.
    let due_on = |day: u32| {
        let q = crate::DossierQuery {
            due_from: Some(at(day, 9)),
            due_before: Some(at(day, 10)),
            ..crate::DossierQuery::new(units.clone(), at(1, 0), at(31, 0), 10)
        };
        async move { s.search_dossiers(&q).await.unwrap().1.into_iter().map(|d| d.id).collect::<Vec<_>>() }
    };
    assert_eq!(due_on(9).await, Vec::<String>::new());
    assert_eq!(due_on(10).await, vec!["D2".to_string()]);
}

/// A counter write that moves a dossier's receipt into another month moves its facts with it:
/// the old month's part keeps no record of it, which every window would count beside the new.
pub async fn a_receipt_moved_to_another_month_leaves_no_stale_record(s: &dyn Store) {
    known_units(s).await;
    use cchc_dossiers::facts::{Facts, decode_unit};
    let p = generations::procedure(3);
    s.put_procedures(std::slice::from_ref(&p)).await.unwrap();
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let march = generations::dossier("D1", "X1", 31);
    // Imported: its facts go into the blob of March's part.
    s.put_dossiers(std::slice::from_ref(&march), &[Facts::derive(&march, &p, &cal).unwrap()]).await.unwrap();
    let (_, version) = s.dossier_with_version("D1").await.unwrap().unwrap();
    let mut april = march.clone();
    april.events[0].at = d(2026, 4, 1).and_hms_opt(9, 0, 0).unwrap();
    let facts = Facts::derive(&april, &p, &cal).unwrap();
    s.update_dossier(&april, &facts, version, "quay").await.unwrap();
    let units = ["X1".to_string()];
    let stored: Vec<Facts> = s.dossier_facts(&units).await.unwrap().iter().flat_map(|(u, blob)| decode_unit(u, blob).unwrap()).collect();
    assert_eq!(stored, vec![facts], "one record of D1, received in April");
}

pub async fn archived_dossiers_read_and_change_like_the_others(s: &dyn Store) {
    known_units(s).await;
    use crate::{DossierRow, ImportBatch};
    use cchc_dossiers::facts::{Facts, decode_unit};
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let (mut ds, by_code) = generated_for_x1_x2(s, 240, 5).await;
    let facts_of = |d: &cchc_dossiers::Dossier| Facts::derive(d, &by_code[&d.procedure], &cal).unwrap();
    let import = |ds: &[cchc_dossiers::Dossier]| {
        let rows: Vec<DossierRow> = ds.iter().map(|d| DossierRow::new(d, facts_of(d)).unwrap()).collect();
        async move {
            let (send, receive) = tokio::sync::mpsc::channel(4);
            for chunk in rows.chunks(100) {
                send.try_send(ImportBatch::Rows(chunk.to_vec())).unwrap();
            }
            send.try_send(ImportBatch::Commit).unwrap();
            s.import_dossiers(receive).await.unwrap()
        }
    };
    let all = ["X1".to_string(), "X2".into()];
    let end = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap().and_hms_opt(23, 59, 0).unwrap();
    // Some dossiers written one by one (rows), the rest imported (archive blocks).
    s.put_dossiers(&ds[..40], &ds[..40].iter().map(facts_of).collect::<Vec<_>>()).await.unwrap();
    assert_eq!(import(&ds[40..]).await, Some(200));
    // The counter changes an imported dossier: it is read back changed, and only once.
    let changed = {
        let mut d = ds[100].clone();
        d.rating = Some(if d.rating == Some(1) { 2 } else { 1 });
        d
    };
    s.put_dossiers(std::slice::from_ref(&changed), &[facts_of(&changed)]).await.unwrap();
    ds[100] = changed.clone();
    assert_eq!(s.dossier(&changed.id).await.unwrap().as_ref(), Some(&changed));
    assert_eq!(s.dossier(&ds[150].id).await.unwrap().as_ref(), Some(&ds[150]));
    // An import brings a new version of a dossier that was a row: it replaces the row.
    let reimported = {
        let mut d = ds[3].clone();
        d.digitised = !d.digitised;
        d
    };
    assert_eq!(import(std::slice::from_ref(&reimported)).await, Some(1));
    ds[3] = reimported.clone();
    assert_eq!(s.dossier(&reimported.id).await.unwrap().as_ref(), Some(&reimported));
    // Every read sees each dossier once, in its latest version, wherever it is kept.
    let mut expected = ds.clone();
    let key = |d: &cchc_dossiers::Dossier| (d.unit.clone(), d.events[0].at, d.id.clone());
    expected.sort_by_key(key);
    assert_eq!(s.dossiers(&all, end).await.unwrap(), expected, "by unit, then by receipt");
    let blobs = s.dossier_facts(&all).await.unwrap();
    let mut facts: Vec<Facts> = blobs.iter().flat_map(|(u, b)| decode_unit(u, b).unwrap()).collect();
    facts.sort_by(|a, b| a.id.cmp(&b.id));
    let mut expected_facts: Vec<Facts> = ds.iter().map(facts_of).collect();
    expected_facts.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(facts, expected_facts);
    // A search page merges both, newest first, and counts both.
    let start = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    let query = |text: &str, limit| crate::DossierQuery { text: text.into(), ..crate::DossierQuery::new(all.to_vec(), start, end, limit) };
    let mut newest: Vec<&cchc_dossiers::Dossier> = ds.iter().filter(|d| d.events[0].at >= start).collect();
    newest.sort_by(|a, b| b.events[0].at.cmp(&a.events[0].at).then_with(|| a.id.cmp(&b.id)));
    let (total, page) = s.search_dossiers(&query("", 25)).await.unwrap();
    assert_eq!(total as usize, newest.len());
    assert_eq!(page.iter().collect::<Vec<_>>(), newest[..25].to_vec());
    let wanted = ds[150].id.to_lowercase();
    let (total, page) = s.search_dossiers(&query(&wanted, 10)).await.unwrap();
    let expected_hits = usize::from(ds[150].events[0].at >= start);
    assert_eq!((total as usize, page.len()), (expected_hits, expected_hits));
    // A failed import leaves the archive as it was.
    let (send, receive) = tokio::sync::mpsc::channel(1);
    send.try_send(ImportBatch::Rows(vec![DossierRow::new(&ds[200], facts_of(&ds[200])).unwrap()])).unwrap();
    drop(send);
    assert_eq!(s.import_dossiers(receive).await.unwrap(), None);
    assert_eq!(s.dossiers(&all, end).await.unwrap(), expected);
}

/// Polls all the futures at once (one task; the database sees concurrent transactions).
async fn all_at_once<'a, T>(mut futures: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = T> + 'a>>>) -> Vec<T> {
    let mut out: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, slot) in futures.iter_mut().zip(out.iter_mut()) {
            if slot.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *slot = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending { std::task::Poll::Pending } else { std::task::Poll::Ready(()) }
    })
    .await;
    out.into_iter().map(|v| v.expect("ready")).collect()
}

pub async fn the_counter_never_loses_an_acknowledged_write(s: &dyn Store) {
    known_units(s).await;
    use crate::{DossierRow, ImportBatch};
    use cchc_dossiers::facts::{Facts, decode_unit};
    use cchc_dossiers::{Channel, Dossier, Event, EventKind, Procedure, ProcessingTime};
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let p = generations::procedure(3);
    s.put_procedures(std::slice::from_ref(&p)).await.unwrap();
    let at = |day: u32, h: u32| d(2026, 3, day).and_hms_opt(h, 0, 0).unwrap();
    let dossier = |id: &str, unit: &str, events: Vec<Event>| Dossier {
        id: id.into(),
        unit: unit.into(),
        procedure: "P".into(),
        events,
        digitised: false,
        rating: None,
        applicant: None,
        handler: None,
        assignments: Vec::new(),
    };
    let received = |day| vec![Event { at: at(day, 8), kind: EventKind::Received { channel: Channel::Direct }, by: None, note: None }];
    let facts_of = |d: &Dossier| Facts::derive(d, &p, &cal).unwrap();
    let units = ["X1".to_string(), "X2".into()];
    let far = d(2027, 1, 1).and_hms_opt(0, 0, 0).unwrap();
    // The stored facts are exactly those of the stored dossiers, each once (blob and deltas merged).
    let facts_match = || async {
        let mut stored: Vec<Facts> = s.dossier_facts(&units).await.unwrap().iter().flat_map(|(u, b)| decode_unit(u, b).unwrap()).collect();
        stored.sort_by(|a, b| a.id.cmp(&b.id));
        let mut expected: Vec<Facts> = s.dossiers(&units, far).await.unwrap().iter().map(facts_of).collect();
        expected.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(stored, expected);
        stored.len()
    };
    // An import that already holds two of the day's codes.
    let imported =
        [dossier("X1-260302-0001", "X1", received(2)), dossier("X1-260302-0003", "X1", received(2)), dossier("I2", "X2", received(2))];
    let (send, batches) = tokio::sync::mpsc::channel(2);
    send.try_send(ImportBatch::Rows(imported.iter().map(|d| DossierRow::new(d, facts_of(d)).unwrap()).collect())).unwrap();
    send.try_send(ImportBatch::Commit).unwrap();
    assert_eq!(s.import_dossiers(batches).await.unwrap(), Some(3));

    // Concurrent receipts: every one stored, under its own code, after the imported ones.
    let new = dossier("", "X1", received(2));
    let new_facts = facts_of(&new);
    let receipts = all_at_once((0..20).map(|_| Box::pin(s.receive_dossier("X1-260302", &new, &new_facts, "quay")) as _).collect()).await;
    let mut codes: Vec<String> = receipts.into_iter().map(|r: Result<Dossier, StoreError>| r.unwrap().id).collect();
    codes.sort();
    let expected: Vec<String> = (4..24).map(|n| format!("X1-260302-{n:04}")).collect();
    assert_eq!(codes, expected, "unique codes from the counter, skipping the imported ones");
    let (first, version) = s.dossier_with_version(&codes[0]).await.unwrap().unwrap();
    assert_eq!((first.events.clone(), version), (new.events.clone(), 1));
    assert_eq!(s.receive_dossier("X2-260302", &new, &facts_of(&new), "quay").await.unwrap().id, "X2-260302-0001");
    assert_eq!(facts_match().await, 24);

    // A stale version is refused and writes nothing.
    let mut resolved = first.clone();
    resolved.events.push(Event { at: at(3, 9), kind: EventKind::Resolved, by: None, note: None });
    assert_eq!(s.update_dossier(&resolved, &facts_of(&resolved), 1, "quay").await.unwrap(), 2);
    let mut other = first.clone();
    other.events.push(Event { at: at(3, 10), kind: EventKind::Withdrawn, by: None, note: None });
    assert!(matches!(s.update_dossier(&other, &facts_of(&other), 1, "quay").await, Err(StoreError::Conflict { expected: 1, found: 2 })));
    assert_eq!(s.dossier_with_version(&first.id).await.unwrap(), Some((resolved.clone(), 2)));
    // Concurrent writes based on one version: exactly one is applied, the others refused.
    let tries: Vec<Dossier> = (0..8)
        .map(|i| {
            let mut d = resolved.clone();
            d.events.push(Event { at: at(4, 8 + i), kind: EventKind::ResultReturned { channel: Channel::Direct }, by: None, note: None });
            d
        })
        .collect();
    let tries_facts: Vec<Facts> = tries.iter().map(facts_of).collect();
    let outcomes: Vec<Result<i64, StoreError>> =
        all_at_once(tries.iter().zip(&tries_facts).map(|(d, f)| Box::pin(s.update_dossier(d, f, 2, "quay")) as _).collect()).await;
    let won: Vec<usize> = outcomes.iter().enumerate().filter(|(_, r)| r.is_ok()).map(|(i, _)| i).collect();
    assert_eq!(won.len(), 1, "{outcomes:?}");
    assert!(outcomes.iter().all(|r| matches!(r, Ok(3) | Err(StoreError::Conflict { expected: 2, found: 3 }))), "{outcomes:?}");
    assert_eq!(s.dossier_with_version(&first.id).await.unwrap(), Some((tries[won[0]].clone(), 3)));
    // The same on an archived dossier: out of its block once, the others refused.
    let (archived, v) = s.dossier_with_version("X1-260302-0001").await.unwrap().unwrap();
    assert_eq!(v, crate::counter::ARCHIVED_VERSION);
    let tries: Vec<Dossier> = (0..5)
        .map(|i| {
            let mut d = archived.clone();
            d.events.push(Event { at: at(5, 8 + i), kind: EventKind::SupplementRequested, by: None, note: None });
            d
        })
        .collect();
    let tries_facts: Vec<Facts> = tries.iter().map(facts_of).collect();
    let outcomes: Vec<Result<i64, StoreError>> =
        all_at_once(tries.iter().zip(&tries_facts).map(|(d, f)| Box::pin(s.update_dossier(d, f, v, "quay")) as _).collect()).await;
    assert_eq!(outcomes.iter().filter(|r| r.is_ok()).count(), 1, "{outcomes:?}");
    assert!(outcomes.iter().all(|r| matches!(r, Ok(2) | Err(StoreError::Conflict { expected: 1, found: 2 }))), "{outcomes:?}");
    assert_eq!(s.dossiers(&units, far).await.unwrap().len(), 24, "each dossier once");
    assert_eq!(facts_match().await, 24);
    // Unknown, or moved to another unit: refused.
    let ghost = dossier("KHONG-CO", "X1", received(2));
    assert!(matches!(s.update_dossier(&ghost, &facts_of(&ghost), 1, "quay").await, Err(StoreError::NotFound(_))));
    let elsewhere = Dossier { unit: "X2".into(), ..resolved.clone() };
    assert!(matches!(s.update_dossier(&elsewhere, &facts_of(&elsewhere), 3, "quay").await, Err(StoreError::Invalid(_))));

    // An insert never replaces: a row, an archived dossier, a new one inserted twice.
    for taken in [first.id.as_str(), "X1-260302-0003"] {
        let copy = dossier(taken, "X1", received(9));
        assert!(matches!(s.insert_dossier(&copy, &facts_of(&copy), "quay").await, Err(StoreError::AlreadyExists(_))), "{taken}");
    }
    let fresh = dossier("N1", "X2", received(6));
    assert_eq!(s.insert_dossier(&fresh, &facts_of(&fresh), "quay").await.unwrap(), 1);
    assert!(matches!(s.insert_dossier(&fresh, &facts_of(&fresh), "quay").await, Err(StoreError::AlreadyExists(1))));
    assert_eq!(s.dossier("X1-260302-0003").await.unwrap().as_ref(), Some(&imported[1]));
    assert_eq!(facts_match().await, 25);

    // The facts delta is folded by what rewrites a unit's blob, and stays counted exactly once:
    // a re-derivation of the counter's dossiers, an import into the unit, a replacing put.
    let quicker = Procedure { time: ProcessingTime::WorkingDays(1), ..p.clone() };
    let rederived: Vec<Facts> = s.dossiers(&units, far).await.unwrap().iter().map(|d| Facts::derive(d, &quicker, &cal).unwrap()).collect();
    assert_eq!(s.replace_facts(&rederived).await.unwrap(), 25);
    let mut stored: Vec<Facts> = s.dossier_facts(&units).await.unwrap().iter().flat_map(|(u, b)| decode_unit(u, b).unwrap()).collect();
    stored.sort_by(|a, b| a.id.cmp(&b.id));
    let mut rederived = rederived;
    rederived.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(stored, rederived);
    s.replace_facts(&s.dossiers(&units, far).await.unwrap().iter().map(facts_of).collect::<Vec<_>>()).await.unwrap();
    let mut counted = resolved.clone();
    counted.id = codes[1].clone();
    assert_eq!(s.update_dossier(&counted, &facts_of(&counted), 1, "quay").await.unwrap(), 2);
    let later = dossier("I3", "X1", received(7));
    let (send, batches) = tokio::sync::mpsc::channel(2);
    send.try_send(ImportBatch::Rows(vec![DossierRow::new(&later, facts_of(&later)).unwrap()])).unwrap();
    send.try_send(ImportBatch::Commit).unwrap();
    assert_eq!(s.import_dossiers(batches).await.unwrap(), Some(1));
    assert_eq!(facts_match().await, 26);
    assert_eq!(s.receive_dossier("X1-260302", &new, &facts_of(&new), "quay").await.unwrap().id, "X1-260302-0024");
    assert_eq!(facts_match().await, 27);
    // An import replacing a counter row bumps its version: a page showing the old one is stale.
    s.put_dossiers(std::slice::from_ref(&counted), &[facts_of(&counted)]).await.unwrap();
    assert!(matches!(
        s.update_dossier(&counted, &facts_of(&counted), 2, "quay").await,
        Err(StoreError::Conflict { expected: 2, found: 3 })
    ));
    assert_eq!(facts_match().await, 27);
    // Every acknowledged write is audited with it, and only those: 22 receipts, an insert, 4 updates.
    let audited = s.audit(&AuditFilter { by: Some("quay".into()), ..AuditFilter::default() }).await.unwrap();
    assert_eq!(audited.iter().filter(|a| a.action == "tiếp nhận hồ sơ").count(), 23);
    assert_eq!(audited.iter().filter(|a| a.action == "cập nhật hồ sơ").count(), 4);
}

/// The database itself refuses what names an unknown unit, report or procedure (a foreign-key
/// violation, which `cchc_app::Error` turns into an invalid input), and writes nothing.
pub async fn the_database_refuses_what_names_the_unknown(s: &dyn Store) {
    use cchc_dossiers::facts::Facts;
    use cchc_dossiers::{Channel, Dossier, Event, EventKind};
    let fk = |e: StoreError| match e {
        StoreError::Database(sqlx::Error::Database(db)) => db.kind() == sqlx::error::ErrorKind::ForeignKeyViolation,
        other => panic!("not a foreign-key violation: {other:?}"),
    };
    // A report of a unit that is not stored.
    assert!(fk(s.save_report(&report(), None, "canbo").await.unwrap_err()));
    assert!(s.report("X1", report().period).await.unwrap().is_none());
    assert!(s.audit(&AuditFilter::default()).await.unwrap().is_empty(), "no audit row either");
    // A dossier of an unknown unit, or of an unknown procedure, written every way.
    known_units(s).await;
    let procedures = cchc_dossiers::import::default_procedures();
    s.put_procedures(&procedures).await.unwrap();
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let at = d(2026, 3, 2).and_hms_opt(8, 0, 0).unwrap();
    let dossier = |id: &str, unit: &str, procedure: &str| Dossier {
        id: id.into(),
        unit: unit.into(),
        procedure: procedure.into(),
        events: vec![Event { at, kind: EventKind::Received { channel: Channel::Direct }, by: None, note: None }],
        digitised: false,
        rating: None,
        applicant: None,
        handler: None,
        assignments: Vec::new(),
    };
    let facts = |d: &Dossier| {
        let p = cchc_dossiers::Procedure { code: d.procedure.clone(), ..procedures[0].clone() };
        Facts::derive(d, &p, &cal).unwrap()
    };
    let known = procedures[0].code.as_str();
    let wrong = [dossier("D-UNIT", "KHONG-CO", known), dossier("D-PROC", "X1", "9.999999")];
    for d in &wrong {
        let f = facts(d);
        assert!(fk(s.put_dossiers(std::slice::from_ref(d), std::slice::from_ref(&f)).await.unwrap_err()), "{}", d.id);
        assert!(fk(s.insert_dossier(d, &f, "quay").await.unwrap_err()), "{}", d.id);
        assert!(fk(s.receive_dossier(&format!("{}-260302", d.unit), d, &f, "quay").await.unwrap_err()), "{}", d.id);
        let (send, receive) = tokio::sync::mpsc::channel(2);
        send.try_send(crate::ImportBatch::Rows(vec![crate::DossierRow::new(d, f.clone()).unwrap()])).unwrap();
        send.try_send(crate::ImportBatch::Commit).unwrap();
        assert!(fk(s.import_dossiers(receive).await.unwrap_err()), "{}", d.id);
        assert_eq!(s.dossier(&d.id).await.unwrap(), None);
    }
    let end = d(2026, 12, 31).and_hms_opt(0, 0, 0).unwrap();
    let units = ["X1".to_string(), "KHONG-CO".into()];
    assert!(s.dossiers(&units, end).await.unwrap().is_empty());
    assert!(s.dossier_facts(&units).await.unwrap().is_empty(), "no facts either");
    assert!(s.audit(&AuditFilter::default()).await.unwrap().is_empty(), "no audit row either");
    // The same dossier with a known unit and procedure is stored.
    let right = dossier("D-OK", "X1", known);
    assert_eq!(s.insert_dossier(&right, &facts(&right), "quay").await.unwrap(), 1);
}

/// Runs the whole contract suite as `#[tokio::test]`s of the calling test crate, one per check,
/// each on the store `$open(test_name).await` gives (`Option<Box<dyn Store>>`; `None` skips it).
#[macro_export]
macro_rules! contract_suite {
    ($open:path) => {
        $crate::contract_suite!(@each $open;
            the_database_refuses_what_names_the_unknown,
            units_and_lineage_round_trip,
            catalogue_round_trip,
            a_report_round_trips_exactly,
            optimistic_locking_refuses_stale_saves,
            figure_notes_are_written_with_the_return_or_not_at_all,
            an_issued_report_is_kept_as_printed_beside_its_correction,
            a_failing_save_leaves_the_old_report_intact,
            the_workflow_is_recorded,
            changed_figures_are_audited,
            users_round_trip,
            dossiers_round_trip_atomically,
            the_dossier_list_searches_filters_and_pages,
            dossier_imports_stream_in_one_transaction,
            windowed_facts_give_the_full_replays_table,
            a_big_list_is_paged_newest_first_and_counted_up_to_the_cap,
            document_settings_round_trip,
            calendar_years_are_stored_and_audited,
            settings_are_audited,
            the_audit_log_is_filtered_and_paged_in_the_store,
            a_catalogue_version_never_changes,
            sessions_expire_and_ids_are_unique,
            facts_are_replaced_without_touching_the_events,
            a_rederivation_never_loses_a_counter_write,
            a_receipt_moved_to_another_month_leaves_no_stale_record,
            archived_dossiers_read_and_change_like_the_others,
            the_counter_never_loses_an_acknowledged_write,
            plans_and_tasks_round_trip_with_versions,
            a_plan_with_a_task_of_an_unknown_unit_stores_nothing,
            the_documents_register_is_searched_and_versioned,
            a_task_keeps_its_evidence_file,
            inspections_contract,
            feedback_contract,
            survey_contract,
            a_transfer_moves_the_dossier_onto_the_handling_units_list,
            generations_contract
        );
    };
    (@each $open:path; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                if let Some(store) = $open(stringify!($name)).await {
                    $crate::contract::$name(store.as_ref()).await;
                }
            }
        )*
    };
}
