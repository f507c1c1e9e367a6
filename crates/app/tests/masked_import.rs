//! A file exported for someone who may not see applicants in full carries them masked
//! (`cchc_dossiers::mask`); imported again, those stars would pass for the applicant. Every
//! importer refuses such a dossier, naming it and the field, and stores nothing.

use cchc_app::dossiers::Import;

async fn demo() -> (cchc_app::App, cchc_storage::User) {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 300).await.expect("demo seed");
    let admin = store.user("quantri").await.unwrap().expect("the demo administrator");
    (cchc_app::App::with(store, catalogue, cchc_calendar::WorkCalendar::vietnam()), admin)
}

fn refusal(import: Import) -> Vec<String> {
    match import {
        Import::Refused(messages) => messages,
        other => panic!("a masked export was imported: {other:?}"),
    }
}

#[tokio::test]
async fn an_export_with_masked_applicants_is_refused_by_every_importer() {
    let (app, admin) = demo().await;
    // An administrator sees applicants masked: the export carries the stars.
    let dossiers = cchc_app::ledger::subtree_dossiers(&app, &admin, "99").await.unwrap();
    let masked = dossiers.iter().find(|d| d.applicant.as_ref().is_some_and(|a| a.name.contains('*'))).expect("a masked applicant");
    let dir = std::env::temp_dir().join(format!("cchc-masked-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let national = dir.join("dongbo.json");
    std::fs::write(&national, serde_json::to_vec(&cchc_app::ledger::export_national(&app, &admin, "99").await.unwrap()).unwrap()).unwrap();
    let read = cchc_app::ledger::import_national(&app, &admin, &national).await.unwrap();
    let messages = refusal(read.import);
    assert!(messages.iter().any(|m| m.contains(&format!("Hồ sơ {}: họ và tên của chủ hồ sơ đã bị che", masked.id))), "{messages:?}");

    let csv = dir.join("so-theo-doi.csv");
    let mut bytes = Vec::new();
    cchc_dossiers::import::write_dossiers_csv(&dossiers, &mut bytes).unwrap();
    std::fs::write(&csv, bytes).unwrap();
    let messages = refusal(cchc_app::ledger::import_export(&app, &admin, &csv).await.unwrap());
    assert!(messages.iter().any(|m| m.contains("đã bị che (có dấu *)")), "{messages:?}");

    // Nothing changed: the stored applicant is still whole.
    let stored = app.store.dossier(&masked.id).await.unwrap().expect("still stored");
    assert!(!stored.applicant.as_ref().unwrap().name.contains('*'), "{stored:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
