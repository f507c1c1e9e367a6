//! A dossier of a unit the actor may not read is answered as a missing one (no existence
//! oracle), by the use cases themselves: the page, the API and the counter's form all call them.

use cchc_dossiers::{Event, EventKind};

#[tokio::test]
async fn another_units_dossier_is_not_found_like_a_missing_one() {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 50).await.expect("demo seed");
    let app = cchc_app::App::with(store.clone(), catalogue, cchc_calendar::WorkCalendar::vietnam());
    let officer = store.user("sonha").await.unwrap().expect("sonha");
    let leader = store.user("lanhdao").await.unwrap().expect("lanhdao");
    let until = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    let theirs = store.dossiers(&["99201N".to_string()], until).await.unwrap().into_iter().next().expect("a dossier of 99201N").id;
    let event = || Event {
        at: chrono::NaiveDate::from_ymd_opt(2026, 12, 30).unwrap().and_hms_opt(9, 0, 0).unwrap(),
        kind: EventKind::Resolved,
        by: None,
        note: None,
    };

    let read = cchc_app::ledger::dossier(&app, &officer, &theirs).await.unwrap_err();
    let missing = cchc_app::ledger::dossier(&app, &officer, "KHONG-CO").await.unwrap_err();
    assert!(matches!(read, cchc_app::Error::NotFound(_)), "{read:?}");
    assert_eq!(read.to_string().replace(&theirs, "X"), missing.to_string().replace("KHONG-CO", "X"));

    let write = cchc_app::counter::record_event(&app, &officer, &theirs, 1, event()).await.unwrap_err();
    let missing = cchc_app::counter::record_event(&app, &officer, "KHONG-CO", 1, event()).await.unwrap_err();
    assert!(matches!(write, cchc_app::Error::NotFound(_)), "{write:?}");
    assert_eq!(write.to_string().replace(&theirs, "X"), missing.to_string().replace("KHONG-CO", "X"));

    // Who may read it but not write (a leader) is told why, as the dossier is no secret to them.
    assert!(cchc_app::ledger::dossier(&app, &leader, &theirs).await.is_ok());
    let refused = cchc_app::counter::record_event(&app, &leader, &theirs, 1, event()).await.unwrap_err();
    assert!(matches!(refused, cchc_app::Error::Forbidden(_)), "{refused:?}");
}
