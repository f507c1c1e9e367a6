//! A dossier export imported again (issue 17 item 4): each dossier's row and facts are replaced,
//! never doubled, so the Biểu 06 table is the one of the last file, as if it alone had been
//! imported. The store's half (an id repeated within an import, a dossier moved to another unit)
//! is the contract's `dossier_imports_stream_in_one_transaction`; this is the whole path of
//! `cchc dossiers import` (`cchc_app::dossiers::import_file`), the table as `dossiers stats`
//! computes it.

use std::io::Write;
use std::path::PathBuf;

use cchc_app::dossiers::{Import, import_file};
use cchc_calendar::WorkCalendar;
use cchc_dossiers::Dossier;
use cchc_dossiers::generate::{Config, generate};
use cchc_dossiers::stats::Table;
use cchc_periods::{Period, WindowRule};
use cchc_storage::prelude::*;
use cchc_storage::sql::SqlStore;

/// Dossiers enough for the file to span two blocks of the import's pipeline (2 MB each).
const N: usize = 8000;
const UNITS: [&str; 2] = ["X1", "X2"];

fn ledger() -> Vec<Dossier> {
    let units = vec![("X1".to_string(), cchc_units::Level::Xa), ("X2".to_string(), cchc_units::Level::Huyen)];
    let config = Config { units, procedures: cchc_dossiers::import::default_procedures(), year: 2024, dossiers: N, seed: 17 };
    generate(&config, &WorkCalendar::vietnam()).collect()
}

fn write_file(name: &str, ds: &[Dossier]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("cchc-reimport-{}-{name}.jsonl", std::process::id()));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for d in ds {
        writeln!(f, "{}", serde_json::to_string(d).unwrap()).unwrap();
    }
    f.flush().unwrap();
    path
}

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

/// The Biểu 06 table of 2024 of both units, and how many facts and dossiers are stored.
async fn state(store: &SqlStore) -> (Table, usize, usize) {
    let tree = store.unit_tree().await.unwrap();
    let mut table = Table::default();
    for root in UNITS {
        table.add(&cchc_app::dossiers::table(store, &tree, root, Period::year(2024), &WindowRule::default()).await.unwrap());
    }
    let units: Vec<String> = UNITS.iter().map(|u| u.to_string()).collect();
    let facts =
        store.dossier_facts(&units).await.unwrap().iter().map(|(u, b)| cchc_dossiers::facts::decode_unit(u, b).unwrap().len()).sum();
    let end = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    (table, facts, store.dossiers(&units, end).await.unwrap().len())
}

#[tokio::test]
async fn a_file_imported_again_replaces_its_dossiers_and_never_doubles_the_table() {
    let full = ledger();
    // The same dossiers exported earlier: a third of them still at the receipt.
    let mut early = full.clone();
    for d in early.iter_mut().step_by(3) {
        d.events.truncate(1);
    }
    let (early_file, full_file) = (write_file("early", &early), write_file("full", &full));

    let store = store().await;
    assert_eq!(import_file(&store, &early_file).await.unwrap(), Import::Stored(N));
    let first = state(&store).await;
    assert_eq!((first.1, first.2), (N, N));
    assert!(first.0.total() != Table::default().total(), "the table counts the dossiers");

    // The same file again: the same table, nothing doubled.
    assert_eq!(import_file(&store, &early_file).await.unwrap(), Import::Stored(N));
    assert_eq!(state(&store).await, first);

    // A later export of the same dossiers: their facts replaced, the table that of the later file
    // alone, imported into an empty store.
    assert_eq!(import_file(&store, &full_file).await.unwrap(), Import::Stored(N));
    let fresh = self::store().await;
    assert_eq!(import_file(&fresh, &full_file).await.unwrap(), Import::Stored(N));
    let (later, alone) = (state(&store).await, state(&fresh).await);
    assert_eq!(later, alone);
    assert_ne!(later.0, first.0, "the later export changes the table");
    for d in [&full[0], &full[N / 2], &full[N - 1]] {
        assert_eq!(store.dossier(&d.id).await.unwrap().as_ref(), Some(d));
    }
    for f in [early_file, full_file] {
        std::fs::remove_file(f).unwrap();
    }
}
