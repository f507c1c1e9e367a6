//! A hand-built ledger checked figure by figure, due dates across Tết and after the cut-off,
//! illegal transitions, consistency by construction, and a report pre-filled from the ledger.

use std::collections::HashMap;

use cchc_calendar::WorkCalendar;
use cchc_dossiers::lifecycle::initial_due;
use cchc_dossiers::prefill::prefill;
use cchc_dossiers::*;
use cchc_periods::{Period, WindowRule};
use cchc_units::Level;
use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
}

fn procedures() -> HashMap<String, Procedure> {
    let p = |code: &str, field: &str, level, time| Procedure {
        code: code.into(),
        name: format!("Thủ tục {code}"),
        field: field.into(),
        level,
        time,
        online: OnlineClass::Partial,
        fee: None,
    };
    [
        p("P1", "ho-tich", Level::Xa, ProcessingTime::WorkingDays(3)),
        p("P2", "dat-dai", Level::Huyen, ProcessingTime::WorkingDays(10)),
        p("P3", "chung-thuc", Level::Xa, ProcessingTime::WorkingDays(1)),
    ]
    .into_iter()
    .map(|p| (p.code.clone(), p))
    .collect()
}

fn dossier(id: &str, unit: &str, proc_: &str, channel: Channel, received: NaiveDateTime, rest: Vec<(NaiveDateTime, EventKind)>) -> Dossier {
    let mut events = vec![Event { at: received, kind: EventKind::Received { channel }, by: None, note: None }];
    events.extend(rest.into_iter().map(|(at, kind)| Event::new(at, kind)));
    Dossier {
        id: id.into(),
        unit: unit.into(),
        procedure: proc_.into(),
        events,
        digitised: false,
        rating: None,
        applicant: None,
        handler: None,
        assignments: Vec::new(),
    }
}

fn ledger() -> Vec<Dossier> {
    use Channel::*;
    use EventKind::*;
    let mut d14 = dossier(
        "D14",
        "X",
        "P1",
        Direct,
        at(2026, 6, 1, 8, 0),
        vec![(at(2026, 6, 2, 9, 0), Resolved), (at(2026, 6, 3, 9, 0), ResultReturned { channel: Postal })],
    );
    d14.digitised = true;
    d14.rating = Some(5);
    vec![
        dossier("D1", "X", "P1", Direct, at(2026, 1, 5, 9, 0), vec![(at(2026, 1, 6, 10, 0), Resolved)]),
        dossier("D2", "X", "P1", Online, at(2026, 1, 5, 9, 0), vec![(at(2026, 1, 8, 8, 0), Resolved)]),
        dossier("D3", "X", "P1", Online, at(2026, 1, 5, 9, 0), vec![(at(2026, 1, 9, 10, 0), Resolved)]),
        dossier(
            "D4",
            "X",
            "P1",
            Direct,
            at(2026, 2, 12, 10, 0),
            vec![
                (at(2026, 2, 12, 15, 0), SupplementRequested),
                (at(2026, 2, 23, 8, 0), SupplementProvided),
                (at(2026, 2, 25, 11, 0), Resolved),
            ],
        ),
        dossier("D5", "X", "P3", Direct, at(2026, 3, 6, 16, 30), vec![(at(2026, 3, 10, 9, 0), Resolved)]),
        dossier(
            "D6",
            "H",
            "P2",
            Direct,
            at(2026, 3, 2, 8, 0),
            vec![(at(2026, 3, 13, 9, 0), Extended { new_due: at(2026, 3, 30, 17, 0), apology: true }), (at(2026, 3, 20, 9, 0), Resolved)],
        ),
        dossier("D7", "H", "P2", Postal, at(2026, 4, 1, 9, 0), vec![(at(2026, 4, 3, 9, 0), Refused)]),
        dossier("D8", "X", "P1", Online, at(2026, 5, 4, 9, 0), vec![(at(2026, 5, 5, 9, 0), Withdrawn)]),
        dossier("D9", "X", "P1", Direct, at(2025, 12, 1, 9, 0), vec![(at(2025, 12, 10, 9, 0), Resolved)]),
        dossier("D10", "X", "P1", Direct, at(2025, 12, 10, 9, 0), vec![(at(2026, 1, 5, 9, 0), Resolved)]),
        dossier("D11", "H", "P2", Online, at(2026, 6, 10, 8, 0), vec![]),
        dossier("D12", "H", "P2", Direct, at(2026, 5, 4, 8, 0), vec![]),
        dossier("D13", "X", "P1", Online, at(2026, 6, 12, 9, 0), vec![(at(2026, 6, 12, 14, 0), SupplementRequested)]),
        d14,
        dossier("D15", "X", "P1", Direct, at(2026, 6, 20, 9, 0), vec![]),
    ]
}

fn units() -> HashMap<String, Level> {
    HashMap::from([("X".to_string(), Level::Xa), ("H".to_string(), Level::Huyen)])
}

fn table() -> Table {
    let window = WindowRule::default().window("2026-H1".parse::<Period>().unwrap());
    compute(&ledger(), &procedures(), &units(), window, &WorkCalendar::vietnam()).unwrap()
}

#[test]
fn the_bieu_06_table_figure_by_figure() {
    let t = table();
    let ho_tich = t.rows[&(Level::Xa, "ho-tich".to_string())];
    assert_eq!((ho_tich.received_online, ho_tich.received_direct, ho_tich.received_postal, ho_tich.carried_over), (4, 3, 0, 1));
    assert_eq!((ho_tich.resolved_early, ho_tich.resolved_on_due, ho_tich.resolved_late), (2, 2, 2));
    assert_eq!((ho_tich.in_progress_within, ho_tich.in_progress_overdue, ho_tich.awaiting_supplement, ho_tich.returned), (0, 0, 1, 1));
    assert_eq!(
        (ho_tich.returned_by_postal, ho_tich.digitised, ho_tich.satisfaction_surveyed, ho_tich.satisfaction_satisfied),
        (1, 1, 1, 1)
    );
    let chung_thuc = t.rows[&(Level::Xa, "chung-thuc".to_string())];
    assert_eq!((chung_thuc.received_direct, chung_thuc.resolved_late), (1, 1));
    let dat_dai = t.rows[&(Level::Huyen, "dat-dai".to_string())];
    assert_eq!((dat_dai.received_direct, dat_dai.received_online, dat_dai.received_postal), (2, 1, 1));
    assert_eq!((dat_dai.resolved_early, dat_dai.returned, dat_dai.in_progress_within, dat_dai.in_progress_overdue), (1, 1, 1, 1));
    assert_eq!(dat_dai.apology_letters, 1);
    let total = t.total();
    assert_eq!((total.received_total(), total.resolved_total(), total.resolved_in_time()), (13, 8, 5));
    assert_eq!(t.level(Level::Xa).received_total(), 9);
}

#[test]
fn a_supplement_pause_across_tet_moves_the_due_date() {
    let cal = WorkCalendar::vietnam();
    let p = &procedures()["P1"];
    let d4 = &ledger()[3];
    // Received Thursday 12/2/2026 10:00, 3 working days: 13/2, then Tết (16–20/2), 23/2 → 24/2 10:00.
    assert_eq!(initial_due(&cal, at(2026, 2, 12, 10, 0), p.time), at(2026, 2, 24, 10, 0));
    // Paused at 15:00 on 12/2 with 1.230 working minutes left, resumed on 23/2 at 8:00 → 25/2 14:00.
    let s = replay(d4, p, &cal, Some(at(2026, 2, 23, 9, 0))).unwrap();
    assert_eq!(s.due, at(2026, 2, 25, 14, 0));
    let paused = replay(d4, p, &cal, Some(at(2026, 2, 20, 9, 0))).unwrap();
    assert_eq!(paused.status.code(), 5);
}

#[test]
fn a_receipt_after_the_cutoff_hour_counts_from_the_next_working_day() {
    let cal = WorkCalendar::vietnam();
    // Friday 6/3/2026 16:30, one working day: Monday 9/3 17:00.
    assert_eq!(initial_due(&cal, at(2026, 3, 6, 16, 30), procedures()["P3"].time), at(2026, 3, 9, 17, 0));
}

#[test]
fn illegal_transitions_are_refused_in_vietnamese() {
    let cal = WorkCalendar::vietnam();
    let mut d = ledger()[13].clone();
    d.events.push(Event { at: at(2026, 6, 4, 9, 0), kind: EventKind::SupplementRequested, by: None, note: None });
    let e = replay(&d, &procedures()["P1"], &cal, None).unwrap_err();
    assert_eq!(e.to_string(), "Hồ sơ D14 đang ở trạng thái \"đã trả kết quả\", không thể yêu cầu bổ sung (lúc 04/06/2026 09:00)");
    let mut no_receipt = ledger()[0].clone();
    no_receipt.events.remove(0);
    assert!(replay(&no_receipt, &procedures()["P1"], &cal, None).unwrap_err().to_string().contains("sự kiện đầu tiên phải là tiếp nhận"));
}

#[test]
fn a_report_prefilled_from_the_ledger_passes_every_rule() {
    let cat = cchc_catalogue::default_catalogue();
    let unit = cchc_report::UnitRef { code: "H".into(), name: "Huyện H".into(), kind: cchc_units::UnitKind::Huyen, parent: None };
    let mut report = cchc_report::UnitReport::new(&cat.meta.reference(), unit, "2026-H1".parse().unwrap());
    report.entries = prefill(&table(), &cat);
    assert!(report.entries.len() > 50, "{}", report.entries.len());
    assert_eq!(
        report.value(&cchc_report::Key::split("3.5.1", &[("level", "xa"), ("field", "ho-tich")])),
        Some(&cchc_report::Value::Int(8))
    );
    let findings = cchc_validation::validate(&report, &cat, cchc_validation::Context::default());
    assert!(findings.is_empty(), "{findings:#?}");
}

fn arb_events() -> impl Strategy<Value = Vec<(i64, u8)>> {
    prop::collection::vec((0i64..20_000, 0u8..9), 0..6)
}

proptest! {
    #[test]
    fn the_consistency_relations_hold_by_construction(histories in prop::collection::vec((0i64..400, 0u8..3, 0usize..3, arb_events()), 1..30)) {
        let cal = WorkCalendar::vietnam();
        let procs = procedures();
        let mut dossiers = Vec::new();
        for (i, (day, ch, p, evs)) in histories.into_iter().enumerate() {
            let received = at(2025, 10, 1, 8, 0) + chrono::Duration::days(day) + chrono::Duration::minutes(37 * i as i64 % 500);
            let channel = [Channel::Direct, Channel::Online, Channel::Postal][ch as usize];
            let mut t = received;
            let rest = evs.into_iter().map(|(dt, k)| {
                t += chrono::Duration::minutes(dt);
                let kind = match k {
                    0 => EventKind::SupplementRequested,
                    1 => EventKind::SupplementProvided,
                    2 => EventKind::Resolved,
                    3 => EventKind::Refused,
                    4 => EventKind::Withdrawn,
                    5 => EventKind::Stopped,
                    6 => EventKind::Extended { new_due: t + chrono::Duration::days(5), apology: true },
                    7 => EventKind::ResultReturned { channel: Channel::Postal },
                    _ => EventKind::Resolved,
                };
                (t, kind)
            }).collect();
            let d = dossier(&format!("R{i}"), if i % 2 == 0 { "X" } else { "H" }, ["P1", "P2", "P3"][p], channel, received, rest);
            // Keep only histories the state machine accepts: the ledger refuses the others.
            if replay(&d, &procs[&d.procedure], &cal, None).is_ok() {
                dossiers.push(d);
            }
        }
        let window = WindowRule::default().window("2026-H1".parse::<Period>().unwrap());
        let t = compute(&dossiers, &procs, &units(), window, &cal).unwrap();
        for c in t.rows.values().copied().chain([t.total(), t.level(Level::Xa), t.field("ho-tich")]) {
            prop_assert_eq!(c.received_total(), c.received_online + c.received_direct + c.received_postal + c.carried_over);
            prop_assert_eq!(c.received_total(), c.resolved_total() + c.in_progress_total() + c.awaiting_supplement + c.returned);
            prop_assert_eq!(c.resolved_total(), c.resolved_early + c.resolved_on_due + c.resolved_late);
        }
        let by_level = t.level(Level::Xa).received_total() + t.level(Level::Huyen).received_total();
        prop_assert_eq!(by_level, t.total().received_total());
    }
}
