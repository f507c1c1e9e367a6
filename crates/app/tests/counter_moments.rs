//! The counter refuses a moment the ledger cannot take (issue 15 item 3): in the future, before
//! the dossier's receipt, a year that is a typing mistake, or inside the window of a locked
//! report of the unit or of a unit above it; nothing is written, and the message says why.

mod common;

use cchc_app::App;
use cchc_app::counter::{Receipt, receive_dossier, record_event};
use cchc_dossiers::{Channel, Event, EventKind};
use cchc_periods::Period;
use cchc_report::workflow::Action;
use cchc_report::{UnitRef, UnitReport};
use cchc_storage::Role;
use cchc_units::UnitKind;
use chrono::{NaiveDate, NaiveDateTime};

fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(9, 0, 0).unwrap()
}

/// Locks the report of `unit` for `period` (sent, approved, locked).
async fn lock(app: &App, unit: &str, period: &str) {
    let period: Period = period.parse().unwrap();
    let r = UnitReport::new(
        &app.catalogue().meta.reference(),
        UnitRef { code: unit.into(), name: unit.into(), kind: UnitKind::Xa, parent: None },
        period,
    );
    let mut version = app.store.save_report(&r, None, "t").await.unwrap().version;
    for action in [Action::Submit, Action::Approve, Action::Lock] {
        version = app.store.transition(unit, period, action, None, "t", version).await.unwrap().version;
    }
}

fn message(e: cchc_app::Error) -> String {
    assert!(matches!(e, cchc_app::Error::Invalid { .. }), "{e:?}");
    e.to_string()
}

#[tokio::test]
async fn moments_the_ledger_cannot_take_are_refused_and_nothing_is_written() {
    let store = common::store_with(&[
        common::unit("P", UnitKind::Tinh, None),
        common::unit("H1", UnitKind::Huyen, Some("P")),
        common::unit("X1", UnitKind::Xa, Some("H1")),
    ])
    .await;
    let app = App::with(store.clone(), cchc_catalogue::default_catalogue(), cchc_calendar::WorkCalendar::vietnam());
    let officer = common::user(Role::UnitOfficer, "X1");
    let procedure = cchc_dossiers::import::default_procedures().into_iter().find(|p| p.level == cchc_units::Level::Xa).unwrap().code;
    let receipt =
        |t| Receipt { unit: "X1".into(), procedure: procedure.clone(), channel: Channel::Direct, at: t, applicant: None, documents: None };
    lock(&app, "X1", "2025-Q1").await;
    lock(&app, "P", "2025-Q3").await;

    let locked = message(receive_dossier(&app, &officer, &receipt(at(2025, 2, 10))).await.unwrap_err());
    assert!(locked.contains("10/02/2025 09:00 thuộc") && locked.contains("đã khóa"), "{locked}");
    let above = message(receive_dossier(&app, &officer, &receipt(at(2025, 8, 11))).await.unwrap_err());
    assert!(above.contains("báo cáo của Đơn vị P đã khóa"), "{above}");
    let old = message(receive_dossier(&app, &officer, &receipt(at(1600, 1, 3))).await.unwrap_err());
    assert!(old.contains("03/01/1600") && old.contains("trước năm 2000"), "{old}");
    let future = cchc_storage::now() + chrono::Duration::days(1);
    assert!(message(receive_dossier(&app, &officer, &receipt(future)).await.unwrap_err()).contains("ở tương lai"));
    let end = at(9999, 12, 31);
    assert!(app.store.dossiers(&["X1".to_string()], end).await.unwrap().is_empty(), "nothing received");

    // An open quarter takes the receipt; an event before it or in the future is refused.
    let stored = receive_dossier(&app, &officer, &receipt(at(2025, 4, 10))).await.unwrap();
    let id = stored.dossier.id.clone();
    let before = Event { at: at(2025, 4, 9), kind: EventKind::Resolved, by: None, note: None };
    let e = message(record_event(&app, &officer, &id, stored.version, before).await.unwrap_err());
    assert!(e.contains("trước khi tiếp nhận hồ sơ (10/04/2025 09:00)"), "{e}");
    let later = Event { at: future, kind: EventKind::Resolved, by: None, note: None };
    assert!(message(record_event(&app, &officer, &id, stored.version, later).await.unwrap_err()).contains("ở tương lai"));
    let resolved = Event { at: at(2025, 4, 15), kind: EventKind::Resolved, by: None, note: None };
    assert_eq!(record_event(&app, &officer, &id, stored.version, resolved).await.unwrap().version, stored.version + 1);
}
