//! The demo province across the 2025 reorganisation: the dossiers of 2025 were received by the
//! communes of the districts until 30/06/2025 and by the merged communes after, and the Biểu 06
//! table of the year counts both; the district's compiling office compiles its communes' reports
//! of the first half of 2025.

use cchc_app::{App, access::system_user, compile, demo, ledger};
use cchc_periods::Period;
use cchc_report::{Key, Value};

async fn demo_app() -> App {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let catalogue = cchc_app::catalogues::in_force(store.as_ref()).await.unwrap();
    demo::seed(store.as_ref(), &catalogue, 4000).await.unwrap();
    App::load(store).await.unwrap()
}

#[tokio::test]
async fn the_year_of_the_mergers_counts_the_old_and_the_new_communes() {
    let app = demo_app().await;
    let admin = system_user("test");
    let year: Period = "2025-Y".parse().unwrap();
    let province = ledger::statistics(&app, &admin, demo::PROVINCE, year).await.unwrap().total();
    let tree = app.tree().await.unwrap();
    let window = app.rule.window(year);
    let next_window = app.rule.window("2026-Y".parse().unwrap());
    let facts = cchc_app::dossiers::subtree_facts(app.store.as_ref(), &tree, demo::PROVINCE, &[window, next_window]).await.unwrap();
    let merged_on = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    let old = facts.table(window, |code| tree.get(code).is_some_and(|u| u.valid_to == Some(merged_on))).unwrap().total();
    let new = facts.table(window, |code| tree.get(code).is_some_and(|u| u.valid_to.is_none())).unwrap().total();
    assert!(old.received_total() > 0 && new.received_total() > 0, "old {old:?}, new {new:?}");
    assert_eq!(province.received_total(), old.received_total() + new.received_total());
    assert_eq!(province.resolved_total(), old.resolved_total() + new.resolved_total());
    // A merged commune's year counts the communes it absorbed on 1/7/2025.
    let merged = ledger::statistics(&app, &admin, "99101N", year).await.unwrap().total();
    let parts: u64 =
        ["99101N", "99101", "99102"].iter().map(|u| facts.table(window, |code| code == *u).unwrap().total().received_total()).sum();
    assert_eq!(merged.received_total(), parts);
    assert!(merged.received_total() > facts.table(window, |code| code == "99101N").unwrap().total().received_total());
    // The year after counts the new communes only; the year before, the old ones.
    let next = ledger::statistics(&app, &admin, "99101N", "2026-Y".parse().unwrap()).await.unwrap().total();
    assert_eq!(next.received_total(), facts.table(next_window, |c| c == "99101N").unwrap().total().received_total());
}

#[tokio::test]
async fn the_districts_compiling_office_compiles_its_communes_of_2025() {
    let app = demo_app().await;
    let office = app.store.user("nvsonha").await.unwrap().expect("the district's compiling officer");
    let period: Period = "2025-H1".parse().unwrap();
    let out = compile::compile_report(&app, &office, demo::DISTRICT, period).await.unwrap();
    let r = &out.record.report;
    // Four communes received citizens 12 times each; 99105 (and the district's Phòng Nội vụ) sent
    // nothing.
    assert_eq!(r.value(&Key::total("1.10.1")), Some(&Value::Int(48)));
    assert!(r.entries.iter().find(|e| e.key == Key::total("1.10.1")).unwrap().is_compiled());
    assert_eq!(out.completeness.missing().map(|e| e.code.as_str()).collect::<Vec<_>>(), vec!["991-NV", "99105"]);
    // The district's ledger figures are its whole subtree's, not added again from the communes.
    let ledger = ledger::statistics(&app, &office, demo::DISTRICT, period).await.unwrap().total();
    let resolved = r.entries.iter().find(|e| e.key == Key::total("3.6.1")).expect("the ledger's resolved dossiers");
    assert_eq!(resolved.value, Some(Value::Int(ledger.resolved_total() as i64)));
    assert!(!resolved.is_compiled());
}
