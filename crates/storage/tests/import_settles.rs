//! An import leaves the store ready (issue 17 item 4): on PostgreSQL the tables it filled are
//! analysed once it is committed (`SqlStore::write_dossiers`), so the planner does not wait for
//! autovacuum to learn their size. The SQLite half, the WAL emptied after a big import, is
//! `bulk::sqlite_file::a_big_import_leaves_an_empty_wal` (it needs the crate's internals).
//! Runs when `CCHC_TEST_POSTGRES` names a server, like the contract suite.

use cchc_dossiers::facts::Facts;
use cchc_dossiers::{Channel, Dossier, Event, EventKind};
use cchc_storage::prelude::*;
use cchc_storage::sql::SqlStore;
use cchc_storage::{DossierRow, ImportBatch};
use cchc_units::{Unit, UnitKind};

/// The tables of the dossier ledger (of the facts' parts, the partition of 2026) and whether
/// PostgreSQL has analysed each (by hand or by autovacuum), in `schema`.
async fn analysed(url: &str, schema: &str) -> Vec<(String, bool)> {
    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(url).await.expect("PostgreSQL");
    let rows: Vec<(String, bool)> = sqlx::query_as(
        "SELECT relname::text, (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL) FROM pg_stat_user_tables \
         WHERE schemaname = $1 AND relname IN ('dossiers', 'dossier_fact_parts_y2026', 'dossier_fact_rows') ORDER BY relname",
    )
    .bind(schema)
    .fetch_all(&pool)
    .await
    .expect("pg_stat_user_tables");
    pool.close().await;
    rows
}

/// An empty schema with the commune X1 and the default procedures (returned).
async fn store_with_x1(url: &str, schema: &str) -> (SqlStore, Vec<cchc_dossiers::Procedure>) {
    let s = SqlStore::open_fresh_schema(url, schema).await.expect("PostgreSQL");
    let unit =
        Unit { code: "X1".into(), name: "Xã X1".into(), kind: UnitKind::Xa, parent: None, valid_from: None, valid_to: None, issuer: None };
    s.upsert_units(&[unit], &[]).await.unwrap();
    let procedures = cchc_dossiers::import::default_procedures();
    s.put_procedures(&procedures).await.unwrap();
    (s, procedures)
}

#[tokio::test]
async fn an_import_into_postgresql_is_analysed_once_committed() {
    let Ok(url) = std::env::var("CCHC_TEST_POSTGRES") else {
        eprintln!("CCHC_TEST_POSTGRES is not set: an_import_into_postgresql_is_analysed_once_committed skipped");
        return;
    };
    let schema = "t_import_is_analysed";
    let (s, procedures) = store_with_x1(&url, schema).await;
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap().and_hms_opt(8, 0, 0).unwrap();
    let dossier = |i: usize| Dossier {
        id: format!("D-{i:05}"),
        unit: "X1".into(),
        procedure: procedures[0].code.clone(),
        events: vec![Event { at, kind: EventKind::Received { channel: Channel::Direct }, by: None, note: None }],
        digitised: false,
        rating: None,
        applicant: None,
        handler: None,
        assignments: Vec::new(),
    };
    let row = |i: usize| {
        let d = dossier(i);
        DossierRow::new(&d, Facts::derive(&d, &procedures[0], &cal).unwrap()).unwrap()
    };
    // Not analysed before: the test can fail.
    assert!(analysed(&url, schema).await.iter().all(|(_, done)| !done), "{:?}", analysed(&url, schema).await);

    // An import stopped before its Commit is rolled back: nothing to analyse.
    let (send, receive) = tokio::sync::mpsc::channel(2);
    send.try_send(ImportBatch::Rows((0..100).map(row).collect())).unwrap();
    drop(send);
    assert_eq!(s.import_dossiers(receive).await.unwrap(), None);
    assert!(analysed(&url, schema).await.iter().all(|(_, done)| !done));

    let (send, receive) = tokio::sync::mpsc::channel(2);
    send.try_send(ImportBatch::Rows((0..2000).map(row).collect())).unwrap();
    send.try_send(ImportBatch::Commit).unwrap();
    assert_eq!(s.import_dossiers(receive).await.unwrap(), Some(2000));
    let tables = analysed(&url, schema).await;
    assert_eq!(
        tables,
        vec![("dossier_fact_parts_y2026".to_string(), true), ("dossier_fact_rows".to_string(), true), ("dossiers".to_string(), true)],
    );
    s.drop_schema(schema).await.expect("drop schema");
}

/// Issue 17 item 5: the facts' parts are partitioned by year on PostgreSQL (migration 0028); an
/// old year whose dossiers all ended before the current year is detached for archiving, and the
/// current year's figures are unchanged (the old year's are gone: the test can fail); a year
/// with a dossier still open is refused, nothing detached.
#[tokio::test]
async fn an_old_settled_year_is_detached_and_this_years_figures_are_unchanged() {
    use cchc_dossiers::facts::{accumulate_unit, window_secs};
    use cchc_dossiers::generate::{Config, generate};
    use cchc_periods::DateRange;
    let Ok(url) = std::env::var("CCHC_TEST_POSTGRES") else {
        eprintln!("CCHC_TEST_POSTGRES is not set: the detach test skipped");
        return;
    };
    let schema = "t_detach_settled_year";
    let (s, procedures) = store_with_x1(&url, schema).await;
    let procs: std::collections::HashMap<String, cchc_dossiers::Procedure> =
        procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let units = vec![("X1".to_string(), cchc_units::Level::Xa)];
    let (mut dossiers, mut facts) = (Vec::new(), Vec::new());
    for year in [2019, 2020, 2026] {
        for d in generate(&Config { units: units.clone(), procedures: procedures.clone(), year, dossiers: 200, seed: year as u64 }, &cal) {
            let f = Facts::derive(&d, &procs[&d.procedure], &cal).unwrap();
            // 2019's dossiers all ended; 2020 keeps those still open.
            if year == 2019 && f.finished.is_none() {
                continue;
            }
            dossiers.push(d);
            facts.push(f);
        }
    }
    assert!(facts.iter().any(|f| f.finished.is_none() && cchc_dossiers::facts::part_month(f.received) / 100 == 2020));
    s.put_dossiers(&dossiers, &facts).await.unwrap();
    let year = |y: i32| DateRange {
        from: chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(y, 12, 31).unwrap(),
    };
    let table = |window: DateRange| {
        let s = &s;
        let procs = &procs;
        async move {
            let (start, end) = window_secs(window);
            let mut t = cchc_dossiers::Table::default();
            for (_, blob) in s.dossier_facts_window(&["X1".to_string()], start, end).await.unwrap() {
                accumulate_unit(&mut t, &blob, cchc_units::Level::Xa, procs, window).unwrap();
            }
            t
        }
    };
    let (this_year, old_year) = (table(year(2026)).await, table(year(2019)).await);
    assert!(old_year.total().received_total() > 0);
    let start_2026 = window_secs(year(2026)).0;
    // 2020 has dossiers still open: refused, nothing detached.
    assert!(matches!(s.detach_settled_year(2020, start_2026).await, Err(cchc_storage::StoreError::Invalid(_))));
    let before = s.generations(&[]).await.unwrap().all;
    assert_eq!(s.detach_settled_year(2019, start_2026).await.unwrap(), "dossier_fact_parts_y2019");
    assert!(s.generations(&[]).await.unwrap().all > before, "a detached year tells the kept tables");
    assert_eq!(table(year(2026)).await, this_year);
    assert_eq!(table(year(2019)).await.total().received_total(), 0);
    s.drop_schema(schema).await.expect("drop schema");
}
