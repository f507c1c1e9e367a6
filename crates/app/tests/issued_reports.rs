//! A signed report with its own mistakes stored as issued (đã ban hành), and the next year's
//! report compared with it: in the document's comparison and in the findings' context.

use cchc_app::{App, access::system_user, report_docs, reports};
use cchc_report::{Key, Value};

#[tokio::test]
async fn next_years_report_compares_with_the_issued_one_and_a_correction_takes_its_place() {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let units = cchc_units::file::UnitsFile::parse(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/units.json")).unwrap(),
    )
    .unwrap();
    store.upsert_units(&units.units, &units.lineage).await.unwrap();
    let app = App::load(store.clone()).await.unwrap();
    let admin = system_user("test");
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/reports/my-tu-2021.json")).unwrap();
    let signed = cchc_report::file::read(&text, &app.catalogue()).unwrap();
    let findings = reports::import_issued(&app, &admin, signed.clone(), &[]).await.unwrap();
    assert_eq!(findings.iter().filter(|f| f.severity == cchc_catalogue::Severity::Error).count(), 6, "its mistakes are kept and shown");

    let mut next = signed.clone();
    next.period = "2022-Y".parse().unwrap();
    next.window = None;
    next.entries.clear();
    for (code, n) in [("3.6.1", 60_000), ("3.6.4", 59_000), ("3.6.5", 1_000)] {
        next.set(Key::total(code), Some(Value::Int(n)));
    }
    reports::import(&app, &admin, next.clone(), &[]).await.unwrap();
    let doc = report_docs::load_document(store.as_ref(), "94-MYTU", next.period).await.unwrap();
    let last = doc.last_year.as_ref().expect("2021 from the issued report");
    assert_eq!(last.value(&Key::total("3.6.1")), Some(&Value::Int(54_647)), "the figure as printed");
    assert_eq!(reports::for_comparison(store.as_ref(), "94-MYTU", signed.period).await.unwrap().map(|(_, issued)| issued), Some(true));

    // A corrected 2021 (53.858 on time, as the counts give) stored beside it is what comparisons use.
    let mut corrected = signed.clone();
    corrected.entries.retain(|e| !["3.6.4", "3.6.1", "1.2", "1.3.6"].contains(&e.key.code.as_str()) && e.key.split.is_empty());
    corrected.set(Key::total("3.6.1"), Some(Value::Int(54_647)));
    corrected.set(Key::total("3.6.4"), Some(Value::Int(53_858)));
    corrected.set(Key::total("3.6.5"), Some(Value::Int(789)));
    reports::import(&app, &admin, corrected, &[]).await.unwrap();
    let (used, issued) = reports::for_comparison(store.as_ref(), "94-MYTU", signed.period).await.unwrap().unwrap();
    assert!(!issued);
    assert_eq!(used.value(&Key::total("3.6.4")), Some(&Value::Int(53_858)));
    assert!(store.issued_report("94-MYTU", signed.period).await.unwrap().is_some(), "the issued one stays beside it");
}
