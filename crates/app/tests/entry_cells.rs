//! Saving the entry form cell by cell (`cchc_app::entry::save_cell`): the version the page holds
//! is checked (a concurrent writer is a conflict, nothing overwritten), another unit's report is
//! refused, and a value that cannot be taken is refused with a Vietnamese message naming the
//! indicator and its split.

mod common;

use cchc_app::{App, Error};
use cchc_periods::Period;
use cchc_report::{Key, Value};
use cchc_storage::Role;
use cchc_units::UnitKind;
use common::named as user;

fn period() -> Period {
    "2024-H1".parse().unwrap()
}

async fn app() -> App {
    let store = common::store_with(&[
        common::unit("H", UnitKind::Huyen, None),
        common::unit("X", UnitKind::Xa, Some("H")),
        common::unit("Y", UnitKind::Xa, Some("H")),
    ])
    .await;
    App::load(store).await.unwrap()
}

#[tokio::test]
async fn cells_are_saved_one_by_one_and_a_stale_version_is_a_conflict() {
    let app = app().await;
    let clerk = user("vanphong", Role::UnitOfficer, "X");
    let first = cchc_app::entry::save_cell(&app, &clerk, "X", period(), None, "2.4.5", "1234").await.unwrap();
    assert_eq!(first.value, "1.234", "the value as stored, in Vietnamese notation");
    let second = cchc_app::entry::save_cell(&app, &clerk, "X", period(), Some(first.version), "note:2.4.5", "rà soát").await.unwrap();
    assert!(second.version > first.version);
    assert_eq!(second.value, "rà soát");

    // Another tab (or person) saved since `first`: the page's version is stale.
    let err = cchc_app::entry::save_cell(&app, &clerk, "X", period(), Some(first.version), "2.4.5", "99").await.unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    let stored = app.store.report("X", period()).await.unwrap().unwrap();
    assert_eq!(stored.version, second.version, "nothing written by the refused save");
    assert_eq!(stored.report.value(&Key::total("2.4.5")), Some(&Value::Int(1234)), "the first value is not overwritten");
    assert_eq!(
        stored.report.entries.iter().find(|e| e.key == Key::total("2.4.5")).and_then(|e| e.note.clone()).as_deref(),
        Some("rà soát")
    );

    // A report not stored yet, saved twice from a page that opened it before: the second is a conflict too.
    let err = cchc_app::entry::save_cell(&app, &user("vp-y", Role::UnitOfficer, "Y"), "Y", period(), None, "2.4.5", "1").await;
    assert!(err.is_ok());
    let err = cchc_app::entry::save_cell(&app, &user("vp-y", Role::UnitOfficer, "Y"), "Y", period(), None, "2.4.5", "2").await.unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
}

#[tokio::test]
async fn another_units_report_is_refused() {
    let app = app().await;
    let clerk = user("vanphong", Role::UnitOfficer, "X");
    let err = cchc_app::entry::save_cell(&app, &clerk, "Y", period(), None, "2.4.5", "5").await.unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    assert!(app.store.report("Y", period()).await.unwrap().is_none(), "nothing stored");
}

#[tokio::test]
async fn a_bad_value_is_refused_with_a_vietnamese_message_naming_the_field() {
    let app = app().await;
    let district = user("vp-h", Role::UnitOfficer, "H");
    let err = cchc_app::entry::save_cell(&app, &district, "H", period(), None, "2.1.1[level=xa]", "nhiều").await.unwrap_err();
    let Error::Invalid { .. } = &err else { panic!("{err:?}") };
    let message = err.to_string();
    assert!(message.contains("chỉ tiêu 2.1.1") && message.to_lowercase().contains("cấp xã"), "{message}");
    assert!(message.starts_with("Lỗi nhập liệu"), "{message}");
    assert!(app.store.report("H", period()).await.unwrap().is_none(), "nothing stored");

    let err = cchc_app::entry::save_cell(&app, &district, "H", period(), None, "không-có", "1").await.unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
}
