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

/// The tables of the dossier ledger and whether PostgreSQL has analysed each (by hand or by
/// autovacuum), in `schema`.
async fn analysed(url: &str, schema: &str) -> Vec<(String, bool)> {
    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(url).await.expect("PostgreSQL");
    let rows: Vec<(String, bool)> = sqlx::query_as(
        "SELECT relname::text, (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL) FROM pg_stat_user_tables \
         WHERE schemaname = $1 AND relname IN ('dossiers', 'dossier_facts', 'dossier_fact_rows') ORDER BY relname",
    )
    .bind(schema)
    .fetch_all(&pool)
    .await
    .expect("pg_stat_user_tables");
    pool.close().await;
    rows
}

#[tokio::test]
async fn an_import_into_postgresql_is_analysed_once_committed() {
    let Ok(url) = std::env::var("CCHC_TEST_POSTGRES") else {
        eprintln!("CCHC_TEST_POSTGRES is not set: an_import_into_postgresql_is_analysed_once_committed skipped");
        return;
    };
    let schema = "t_import_is_analysed";
    SqlStore::open_in_schema(&url, Some(schema)).await.expect("PostgreSQL").drop_schema(schema).await.expect("drop schema");
    let s = SqlStore::open_in_schema(&url, Some(schema)).await.expect("PostgreSQL");
    let unit =
        Unit { code: "X1".into(), name: "Xã X1".into(), kind: UnitKind::Xa, parent: None, valid_from: None, valid_to: None, issuer: None };
    s.upsert_units(&[unit], &[]).await.unwrap();
    let procedures = cchc_dossiers::import::default_procedures();
    s.put_procedures(&procedures).await.unwrap();
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
    assert_eq!(tables, vec![("dossier_fact_rows".to_string(), true), ("dossier_facts".to_string(), true), ("dossiers".to_string(), true)],);
    s.drop_schema(schema).await.expect("drop schema");
}
