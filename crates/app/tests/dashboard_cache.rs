//! The leaders' dashboard kept across requests (issue 17 item 2): a second request is served from
//! the kept tables, twenty leaders at once cost one computation, a write recomputes only the
//! tables of the unit it changed, and after every kind of write (a receipt at the counter, an
//! import, a calendar change, a survey answer) the next request shows the new figures — the same
//! as a computation from the stored facts, never the kept ones.

mod common;

use std::sync::Arc;

use cchc_app::App;
use cchc_app::dashboard::{Dashboard, dashboard};
use cchc_dossiers::{Channel, Counts, Dossier, Event, EventKind};
use cchc_periods::Period;
use cchc_storage::Role;
use cchc_units::UnitKind;
use chrono::NaiveDate;
use common::{unit, user};

fn period() -> Period {
    "2026-Y".parse().unwrap()
}

fn at(m: u32, d: u32, h: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap()
}

/// A province T with communes X1 and X2, and 600 generated dossiers of 2026, stored as an import.
async fn app() -> App {
    let store =
        common::store_with(&[unit("T", UnitKind::Tinh, None), unit("X1", UnitKind::Xa, Some("T")), unit("X2", UnitKind::Xa, Some("T"))])
            .await;
    let tree = store.unit_tree().await.unwrap();
    cchc_app::dossiers::generate_into_store(store.as_ref(), &tree, "T", 600, 2026, 11).await.unwrap();
    App::with(store, cchc_catalogue::default_catalogue(), cchc_calendar::WorkCalendar::vietnam())
}

/// The figures computed from the stored facts now, without the kept tables: the subtree's, and
/// each commune's.
async fn fresh(app: &App) -> (Counts, Counts, Counts) {
    let tree = app.store.unit_tree().await.unwrap();
    let t = |root: &'static str| {
        let tree = &tree;
        async move { cchc_app::dossiers::table(app.store.as_ref(), tree, root, period(), &app.rule).await.unwrap().total() }
    };
    (t("T").await, t("X1").await, t("X2").await)
}

fn ranked<'a>(d: &'a Dashboard, code: &str) -> &'a Counts {
    &d.ranking.iter().find(|r| r.code == code).unwrap().counts
}

/// Asserts that `d` shows exactly what the stored facts give now.
async fn shows_the_stored_figures(app: &App, d: &Dashboard) {
    let (total, x1, x2) = fresh(app).await;
    assert_eq!(d.table.total(), total);
    assert_eq!(ranked(d, "X1"), &x1);
    assert_eq!(ranked(d, "X2"), &x2);
    let tree = app.store.unit_tree().await.unwrap();
    for (p, counts) in &d.trend {
        let quarter = cchc_app::dossiers::table(app.store.as_ref(), &tree, "T", *p, &app.rule).await.unwrap().total();
        assert_eq!(counts, &quarter, "{p}");
    }
}

#[tokio::test]
async fn a_second_request_is_served_from_the_kept_tables() {
    let app = app().await;
    let leader = user(Role::Leader, "T");
    let first = dashboard(&app, &leader, "T", period()).await.unwrap();
    assert_eq!(app.tables.computations(), 1);
    // T's subtree receives in X1 and X2, five windows each (the year and its four quarters).
    assert_eq!(app.tables.unit_tables_computed(), 10);
    assert!(first.table.total().received_total() > 500, "{:?}", first.table.total());
    assert_eq!(first.trend.len(), 4);
    assert_eq!(first.ranking.iter().map(|r| r.code.as_str()).collect::<std::collections::BTreeSet<_>>(), ["X1", "X2"].into());
    shows_the_stored_figures(&app, &first).await;

    let second = dashboard(&app, &leader, "T", period()).await.unwrap();
    assert_eq!(second, first);
    assert_eq!((app.tables.computations(), app.tables.unit_tables_computed()), (1, 10), "served from the kept tables");
    // Biểu 06 of the same window reads the same kept tables.
    let table = cchc_app::ledger::statistics(&app, &leader, "T", period()).await.unwrap();
    assert_eq!(table, first.table);
    assert_eq!(app.tables.computations(), 1);
    // A commune's dashboard reuses its unit's tables too.
    let x1 = dashboard(&app, &user(Role::Leader, "X1"), "X1", period()).await.unwrap();
    assert_eq!(&x1.table.total(), ranked(&first, "X1"));
    assert_eq!(app.tables.computations(), 1);
    // Who may not read the unit gets nothing.
    assert!(matches!(dashboard(&app, &user(Role::Leader, "X2"), "X1", period()).await, Err(cchc_app::Error::Forbidden(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_leaders_at_once_cost_one_computation() {
    let app = Arc::new(app().await);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { dashboard(&app, &user(Role::Leader, "T"), "T", period()).await.unwrap() })
        })
        .collect();
    let mut seen = Vec::new();
    for t in tasks {
        seen.push(t.await.unwrap());
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(app.tables.computations(), 1, "one computation for twenty requests");
}

/// An answer of `rating` to every question about dossier `receipt` of `unit`, received on `day`
/// (read from its JSON, as the store keeps it; the survey page's `submit` stores the same).
fn answer(receipt: &str, unit: &str, procedure: &str, day: NaiveDate, rating: u8) -> cchc_records::survey::Answer {
    let q = cchc_records::survey::Questionnaire::sipas();
    let scores: serde_json::Map<String, serde_json::Value> = q.questions.iter().map(|q| (q.key.clone(), rating.into())).collect();
    serde_json::from_value(serde_json::json!({
        "receipt": receipt, "unit": unit, "procedure": procedure, "received_on": day.to_string(),
        "answered_at": "2026-06-11T09:00:00", "scores": scores, "comment": "",
    }))
    .unwrap()
}

#[tokio::test]
async fn every_write_shows_at_the_next_request() {
    let app = app().await;
    let leader = user(Role::Leader, "T");
    let before = dashboard(&app, &leader, "T", period()).await.unwrap();
    let computed = app.tables.unit_tables_computed();

    // A receipt at X1's counter (June: the second quarter): X1's tables only are computed again.
    let procedures = cchc_app::dossiers::procedures(app.store.as_ref()).await.unwrap();
    let mut codes: Vec<&String> = procedures.iter().filter(|(_, p)| p.level == cchc_units::Level::Xa).map(|(c, _)| c).collect();
    codes.sort();
    let receipt = cchc_app::counter::Receipt {
        unit: "X1".into(),
        procedure: codes[0].clone(),
        channel: Channel::Direct,
        at: at(6, 10, 9),
        applicant: None,
        documents: None,
    };
    let stored = cchc_app::counter::receive_dossier(&app, &user(Role::UnitOfficer, "X1"), &receipt).await.unwrap();
    let received = dashboard(&app, &leader, "T", period()).await.unwrap();
    assert_eq!(app.tables.unit_tables_computed(), computed + 5, "X1's five windows, not X2's");
    assert_eq!(received.table.total().received_direct, before.table.total().received_direct + 1);
    assert_eq!(ranked(&received, "X1").received_total(), ranked(&before, "X1").received_total() + 1);
    assert_eq!(ranked(&received, "X2"), ranked(&before, "X2"));
    assert_eq!(received.trend[1].1.received_total(), before.trend[1].1.received_total() + 1);
    assert_eq!(received.trend[0].1, before.trend[0].1);
    shows_the_stored_figures(&app, &received).await;

    // A survey answer about that dossier (score 1 of 5): one more surveyed, none more satisfied.
    let about = answer(&stored.dossier.id, "X1", codes[0], at(6, 10, 9).date(), 1);
    assert!(app.store.insert_survey_answer(&about, "").await.unwrap());
    let answered = dashboard(&app, &leader, "T", period()).await.unwrap();
    let (a, r) = (answered.table.total(), received.table.total());
    assert_eq!((a.satisfaction_surveyed, a.satisfaction_satisfied), (r.satisfaction_surveyed + 1, r.satisfaction_satisfied));
    assert_eq!(ranked(&answered, "X2"), ranked(&before, "X2"));
    shows_the_stored_figures(&app, &answered).await;

    // An import (a JSON-lines export) of a dossier of X2, received and resolved in July.
    let imported = Dossier {
        id: "X2-NHAP-0001".into(),
        unit: "X2".into(),
        procedure: codes[0].clone(),
        events: vec![
            Event { at: at(7, 1, 9), kind: EventKind::Received { channel: Channel::Online }, by: None, note: None },
            Event { at: at(7, 2, 15), kind: EventKind::Resolved, by: None, note: None },
            Event { at: at(7, 3, 9), kind: EventKind::ResultReturned { channel: Channel::Direct }, by: None, note: None },
        ],
        digitised: true,
        rating: None,
        applicant: None,
        handler: None,
        assignments: Vec::new(),
    };
    let path = std::env::temp_dir().join(format!("cchc-dashboard-{}.jsonl", std::process::id()));
    std::fs::write(&path, serde_json::to_string(&imported).unwrap() + "\n").unwrap();
    let import = cchc_app::ledger::import_export(&app, &user(Role::Admin, "T"), &path).await.unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(import, cchc_app::dossiers::Import::Stored(1));
    let after_import = dashboard(&app, &leader, "T", period()).await.unwrap();
    assert_eq!(ranked(&after_import, "X2").received_online, ranked(&answered, "X2").received_online + 1);
    assert_eq!(ranked(&after_import, "X1"), ranked(&answered, "X1"));
    assert_eq!(after_import.trend[2].1.received_total(), answered.trend[2].1.received_total() + 1);
    shows_the_stored_figures(&app, &after_import).await;

    // A calendar change: most working days of 2026 declared days off, so due dates move far
    // later and dossiers resolved late are now on time; every unit's tables are computed again.
    let weekend = [chrono::Weekday::Sat, chrono::Weekday::Sun];
    let days_off: Vec<cchc_calendar::DayOff> = (0..365)
        .map(|i| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(i))
        .filter(|d| *d >= NaiveDate::from_ymd_opt(2026, 2, 1).unwrap() && *d < NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
        .map(|date| cchc_calendar::DayOff { date, name: "Nghỉ thử".into() })
        .filter(|d| {
            cchc_calendar::YearSchedule { year: 2026, days_off: vec![d.clone()], ..Default::default() }.problems(&weekend).is_empty()
        })
        .collect();
    let year = cchc_calendar::YearSchedule { year: 2026, days_off, ..Default::default() };
    let saved = cchc_app::calendar::save_year(app.store.as_ref(), &year, "quantri").await.unwrap();
    // Only the dossiers whose clock runs from 01/02 to 30/11 are derived again, not the others.
    assert!(matches!(saved, cchc_app::calendar::SavedYear::Saved { rederived } if rederived > 300 && rederived < 1000), "{saved:?}");
    let computed = app.tables.unit_tables_computed();
    let moved = dashboard(&app, &leader, "T", period()).await.unwrap();
    assert_eq!(app.tables.unit_tables_computed(), computed + 10);
    assert!(after_import.table.total().resolved_late > 0, "the generated ledger has late dossiers");
    assert!(moved.table.total().resolved_late < after_import.table.total().resolved_late, "{:?}", moved.table.total());
    assert_eq!(moved.table.total().received_total(), after_import.table.total().received_total());
    shows_the_stored_figures(&app, &moved).await;

    // Nothing written since: served as kept.
    let computations = app.tables.computations();
    assert_eq!(dashboard(&app, &leader, "T", period()).await.unwrap(), moved);
    assert_eq!(app.tables.computations(), computations);
}
