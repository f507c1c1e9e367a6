//! The streaming dossier import: several blocks, every bad row reported, nothing stored unless
//! all are valid.

use std::io::Write;
use std::path::PathBuf;

use cchc_app::dossiers::{Import, import_file};
use cchc_calendar::WorkCalendar;
use cchc_dossiers::Dossier;
use cchc_dossiers::generate::{Config, generate};
use cchc_storage::prelude::*;
use cchc_storage::sql::SqlStore;

/// Enough dossiers for the file to span several blocks of the pipeline (≈ 4,5 MB).
const N: usize = 15_000;

fn ledger() -> Vec<Dossier> {
    let units = vec![("X1".to_string(), cchc_units::Level::Xa), ("X2".to_string(), cchc_units::Level::Huyen)];
    let config = Config { units, procedures: cchc_dossiers::import::default_procedures(), year: 2024, dossiers: N, seed: 5 };
    generate(&config, &WorkCalendar::vietnam()).collect()
}

fn write_lines(name: &str, lines: &[String]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("cchc-import-{}-{name}.jsonl", std::process::id()));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
    f.flush().unwrap();
    path
}

/// A store with the ledger's units (the database refuses dossiers of unknown units).
async fn store() -> SqlStore {
    let store = SqlStore::open("sqlite::memory:").await.unwrap();
    let unit = |code: &str, kind| cchc_units::Unit {
        code: code.into(),
        name: code.into(),
        kind,
        parent: None,
        valid_from: None,
        valid_to: None,
        issuer: None,
    };
    store.upsert_units(&[unit("X1", cchc_units::UnitKind::Xa), unit("X2", cchc_units::UnitKind::Huyen)], &[]).await.unwrap();
    store
}

async fn nothing_stored(store: &SqlStore) {
    let units = ["X1".to_string(), "X2".into()];
    let end = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap().and_hms_opt(0, 0, 0).unwrap();
    assert!(store.dossiers(&units, end).await.unwrap().is_empty());
    assert!(store.dossier_facts(&units).await.unwrap().is_empty());
}

#[tokio::test]
async fn bad_rows_late_in_a_long_file_are_all_reported_and_nothing_is_stored() {
    let store = store().await;
    let mut lines: Vec<String> = ledger().iter().map(|d| serde_json::to_string(d).unwrap()).collect();
    lines[19] = "{\"id\": ".into();
    lines[N - 2] = "không phải JSON".into();
    let path = write_lines("bad-json", &lines);
    let Import::Refused(errors) = import_file(&store, &path).await.unwrap() else { panic!("accepted") };
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("Dòng 20, cột \"(dòng)\": JSON không hợp lệ"), "{}", errors[0]);
    assert!(errors[1].starts_with(&format!("Dòng {}, cột \"(dòng)\": JSON không hợp lệ", N - 1)), "{}", errors[1]);
    nothing_stored(&store).await;

    // A dossier the ledger refuses (unknown procedure), near the end: nothing stored either.
    let mut ds = ledger();
    ds[N - 10].procedure = "KHONG-CO".into();
    let lines: Vec<String> = ds.iter().map(|d| serde_json::to_string(d).unwrap()).collect();
    let path = write_lines("bad-history", &lines);
    let Import::Refused(errors) = import_file(&store, &path).await.unwrap() else { panic!("accepted") };
    assert_eq!(errors, vec![format!("Hồ sơ {}: thủ tục KHONG-CO chưa có trong danh mục", ds[N - 10].id)]);
    nothing_stored(&store).await;
    std::fs::remove_file(path).unwrap();
}

#[tokio::test]
async fn a_long_file_is_stored_whole_as_it_was_read() {
    let store = store().await;
    let ds = ledger();
    // Lines as another system might write them: spaced, with CRLF endings.
    let lines: Vec<String> = ds.iter().map(|d| serde_json::to_string_pretty(d).unwrap().replace('\n', " ") + "\r").collect();
    let path = write_lines("good", &lines);
    assert_eq!(import_file(&store, &path).await.unwrap(), Import::Stored(N));
    std::fs::remove_file(path).unwrap();
    for d in [&ds[0], &ds[N / 2], &ds[N - 1]] {
        assert_eq!(store.dossier(&d.id).await.unwrap().as_ref(), Some(d));
    }
    let units = ["X1".to_string(), "X2".into()];
    let end = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap().and_hms_opt(0, 0, 0).unwrap();
    assert_eq!(store.dossiers(&units, end).await.unwrap().len(), N);
    let facts: usize =
        store.dossier_facts(&units).await.unwrap().iter().map(|(u, b)| cchc_dossiers::facts::decode_unit(u, b).unwrap().len()).sum();
    assert_eq!(facts, N);
}

/// A CSV export of the ledger; `interleave`: the rows of consecutive dossiers mixed, as a
/// system that writes events in time order would.
fn write_csv(name: &str, ds: &[Dossier], interleave: bool) -> PathBuf {
    let mut text = Vec::new();
    cchc_dossiers::import::write_dossiers_csv(ds, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    if interleave {
        // Swap the last row of each dossier with the first row of the next one.
        let starts: Vec<usize> = (2..lines.len()).filter(|i| lines[*i].split(',').next() != lines[i - 1].split(',').next()).collect();
        for i in starts.into_iter().step_by(2) {
            lines.swap(i - 1, i);
        }
    }
    let path = std::env::temp_dir().join(format!("cchc-import-{}-{name}.csv", std::process::id()));
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[tokio::test]
async fn a_csv_export_streams_and_one_not_grouped_by_dossier_is_read_whole() {
    let ds = ledger();
    let units = ["X1".to_string(), "X2".into()];
    let end = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap().and_hms_opt(0, 0, 0).unwrap();
    let sorted = |mut v: Vec<Dossier>| {
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    };
    for interleave in [false, true] {
        let store = store().await;
        let path = write_csv(&format!("csv-{interleave}"), &ds, interleave);
        assert_eq!(import_file(&store, &path).await.unwrap(), Import::Stored(N), "interleaved: {interleave}");
        std::fs::remove_file(path).unwrap();
        assert_eq!(sorted(store.dossiers(&units, end).await.unwrap()), sorted(ds.clone()), "interleaved: {interleave}");
    }
    // Bad rows in a grouped export, early and late: all named, nothing stored.
    let store = store().await;
    let path = write_csv("csv-bad", &ds, false);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let last = lines.len() - 1;
    lines[3] = lines[3].replacen(",2024-", ",2024-13-", 1);
    lines[last] = lines[last].replace("tra-ket-qua", "tra-lai");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let Import::Refused(errors) = import_file(&store, &path).await.unwrap() else { panic!("accepted") };
    std::fs::remove_file(path).unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("Dòng 3, cột \"at\""), "{}", errors[0]);
    assert!(errors[1].starts_with(&format!("Dòng {last}, cột \"event\"")), "{}", errors[1]);
    nothing_stored(&store).await;
}

#[tokio::test]
async fn a_dossier_of_an_unknown_unit_is_named_and_nothing_is_stored() {
    let store = store().await;
    let mut dossiers = ledger();
    dossiers[N - 10].unit = "KHONG-CO".into();
    let bad = dossiers[N - 10].id.clone();
    let lines: Vec<String> = dossiers.iter().map(|d| serde_json::to_string(d).unwrap()).collect();
    let path = write_lines("unknown-unit", &lines);
    let Import::Refused(errors) = import_file(&store, &path).await.unwrap() else { panic!("accepted") };
    assert_eq!(errors, vec![format!("Hồ sơ {bad}: đơn vị KHONG-CO không có trong danh sách đơn vị")]);
    nothing_stored(&store).await;
}
