//! An import leaves the store ready (issue 17 item 4): on PostgreSQL the tables it filled are
//! vacuumed and analysed once it is committed (`SqlStore::write_dossiers`), so the planner does
//! not wait for autovacuum to learn their size, nor the list's counts to read rows their
//! indexes hold. The SQLite half, the WAL emptied after a big import, is
//! `bulk::sqlite_file::a_big_import_leaves_an_empty_wal` (it needs the crate's internals).
//! Runs when `CCHC_TEST_POSTGRES` names a server, like the contract suite.

use std::collections::HashMap;

use cchc_dossiers::facts::Facts;
use cchc_dossiers::{Channel, Dossier, Event, EventKind, Procedure};
use cchc_storage::prelude::*;
use cchc_storage::sql::SqlStore;
use cchc_storage::{DossierQuery, DossierRow, ImportBatch};
use cchc_units::{Unit, UnitKind};

/// The tables of the dossier ledger (of the facts' parts, the partition of 2026; the receipt
/// codes, migration 0033) and whether
/// PostgreSQL has analysed each (by hand or by autovacuum), in `schema`.
async fn analysed(url: &str, schema: &str) -> Vec<(String, bool)> {
    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(url).await.expect("PostgreSQL");
    let rows: Vec<(String, bool)> = sqlx::query_as(
        "SELECT relname::text, (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL) FROM pg_stat_user_tables \
         WHERE schemaname = $1 AND relname IN ('dossiers', 'dossier_ids', 'dossier_fact_parts_y2026', 'dossier_fact_rows') ORDER BY relname",
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
async fn an_import_into_postgresql_is_vacuumed_and_analysed_once_committed() {
    let Ok(url) = std::env::var("CCHC_TEST_POSTGRES") else {
        eprintln!("CCHC_TEST_POSTGRES is not set: an_import_into_postgresql_is_vacuumed_and_analysed_once_committed skipped");
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
        vec![
            ("dossier_fact_parts_y2026".to_string(), true),
            ("dossier_fact_rows".to_string(), true),
            ("dossier_ids".to_string(), true),
            ("dossiers".to_string(), true)
        ],
    );
    // Vacuumed too: the year's rows all visible, so the list's counts read its indexes alone.
    let visible = "SELECT CAST(relallvisible AS BIGINT) AS n FROM pg_class WHERE relname = 'dossiers_y2026' AND relnamespace = CAST(current_schema() AS regnamespace)";
    assert!(count(&url, schema, visible).await > 0);
    s.drop_schema(schema).await.expect("drop schema");
}

/// Biểu 06 of `units`' dossiers received in `y` (X1 is a commune), from the facts a window reads.
async fn table_of(s: &SqlStore, procs: &HashMap<String, Procedure>, y: i32) -> cchc_dossiers::Table {
    let window = year(y);
    let (start, end) = cchc_dossiers::facts::window_secs(window);
    let mut t = cchc_dossiers::Table::default();
    for (_, blob) in s.dossier_facts_window(&["X1".to_string()], start, end).await.unwrap() {
        cchc_dossiers::facts::accumulate_unit(&mut t, &blob, cchc_units::Level::Xa, procs, window).unwrap();
    }
    t
}

/// Biểu 06 of the same facts held in memory: what the store's must equal.
fn table_in_memory(facts: &[Facts], procs: &HashMap<String, Procedure>, y: i32) -> cchc_dossiers::Table {
    let mut t = cchc_dossiers::Table::default();
    let blob = cchc_dossiers::facts::encode_unit(facts);
    cchc_dossiers::facts::accumulate_unit(&mut t, &blob, cchc_units::Level::Xa, procs, year(y)).unwrap();
    t
}

fn year(y: i32) -> cchc_periods::DateRange {
    cchc_periods::DateRange {
        from: chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(y, 12, 31).unwrap(),
    }
}

/// The dossier list of X1 for the dossiers received in `y`: how many, and their ids in order.
async fn listed(s: &SqlStore, y: i32) -> (i64, Vec<String>) {
    let (from, to) = (year(y).from.and_hms_opt(0, 0, 0).unwrap(), year(y).to.and_hms_opt(23, 59, 59).unwrap());
    let (total, page) = s.search_dossiers(&DossierQuery::new(vec!["X1".into()], from, to, 100_000)).await.unwrap();
    (total, page.into_iter().map(|d| d.id).collect())
}

/// One number asked of the schema's tables directly (`SELECT … AS n`, a BIGINT).
async fn count(url: &str, schema: &str, sql: &str) -> i64 {
    let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(url).await.expect("PostgreSQL");
    sqlx::query(sqlx::AssertSqlSafe(format!("SET search_path TO {schema}"))).execute(&pool).await.unwrap();
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&pool).await.unwrap();
    pool.close().await;
    n
}

/// A dossier with its events moved by `days`.
fn shifted(d: &Dossier, days: i64) -> Dossier {
    let mut d = d.clone();
    for e in &mut d.events {
        e.at += chrono::Duration::days(days);
    }
    d
}

/// Issue 17 item 5: on PostgreSQL the dossiers (migration 0033) and their facts' parts
/// (migration 0028) are partitioned by year of receipt; an old year whose dossiers all ended
/// before the current year is detached for archiving, both tables in one transaction, the
/// counter's rows of that year folded into its facts first. The current year's Biểu 06 and
/// dossier list are unchanged; the old year's are gone (the test can fail), its archive keeps
/// them; its receipt codes stay taken and nothing is written into it any more. A year with a
/// dossier still open is refused, nothing detached.
#[tokio::test]
async fn an_old_settled_year_is_detached_and_this_years_figures_are_unchanged() {
    use cchc_dossiers::generate::{Config, generate};
    let Ok(url) = std::env::var("CCHC_TEST_POSTGRES") else {
        eprintln!("CCHC_TEST_POSTGRES is not set: the detach test skipped");
        return;
    };
    let schema = "t_detach_settled_year";
    let (s, procedures) = store_with_x1(&url, schema).await;
    let procs: HashMap<String, Procedure> = procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
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
    // One 2019 dossier written at the counter: its facts are a counter row beside the parts.
    let at_counter = facts.iter().position(|f| cchc_dossiers::facts::part_month(f.received) / 100 == 2019).unwrap();
    let (old_d, old_f) = (dossiers.remove(at_counter), facts.remove(at_counter));
    s.put_dossiers(&dossiers, &facts).await.unwrap();
    s.insert_dossier(&old_d, &old_f, "test").await.unwrap();
    let of_2019 = 1 + facts.iter().filter(|f| cchc_dossiers::facts::part_month(f.received) / 100 == 2019).count() as i64;
    let (this_year, old_year) = (table_of(&s, &procs, 2026).await, table_of(&s, &procs, 2019).await);
    let (list_2026, list_2020) = (listed(&s, 2026).await, listed(&s, 2020).await);
    assert_eq!(old_year.total().received_total(), of_2019 as u64);
    assert_eq!(listed(&s, 2019).await.0, of_2019);
    assert_eq!(count(&url, schema, "SELECT COUNT(*) AS n FROM dossiers_y2019").await, of_2019);
    assert_eq!(count(&url, schema, "SELECT COUNT(*) AS n FROM dossier_fact_rows WHERE month / 100 = 2019").await, 1);
    let start_2026 = cchc_dossiers::facts::window_secs(year(2026)).0;

    // 2020 has dossiers still open: refused, nothing detached.
    assert!(matches!(s.detach_settled_year(2020, start_2026).await, Err(cchc_storage::StoreError::Invalid(_))));
    assert_eq!(listed(&s, 2020).await, list_2020);
    // A year without a partition: refused.
    assert!(matches!(s.detach_settled_year(2009, start_2026).await, Err(cchc_storage::StoreError::NotFound(_))));

    let before = s.generations(&[]).await.unwrap().all;
    assert_eq!(s.detach_settled_year(2019, start_2026).await.unwrap(), vec!["dossiers_y2019", "dossier_fact_parts_y2019"]);
    assert!(s.generations(&[]).await.unwrap().all > before, "a detached year tells the kept tables");
    assert_eq!(table_of(&s, &procs, 2026).await, this_year);
    assert_eq!(listed(&s, 2026).await, list_2026);
    assert_eq!(table_of(&s, &procs, 2019).await.total().received_total(), 0);
    assert_eq!(listed(&s, 2019).await, (0, Vec::new()));
    assert_eq!(s.dossier(&old_d.id).await.unwrap(), None);
    // The archive holds the year: its dossiers, and its facts with the counter's row folded in.
    assert_eq!(count(&url, schema, "SELECT COUNT(*) AS n FROM dossiers_y2019").await, of_2019);
    assert_eq!(count(&url, schema, "SELECT COUNT(*) AS n FROM dossier_fact_rows").await, 0);
    let archived: Vec<Facts> = {
        let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
        let blobs: Vec<(String, Vec<u8>)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT unit_code, data FROM {schema}.dossier_fact_parts_y2019")))
                .fetch_all(&pool)
                .await
                .unwrap();
        pool.close().await;
        blobs.iter().flat_map(|(u, b)| cchc_dossiers::facts::decode_unit(u, b).unwrap()).collect()
    };
    assert_eq!(archived.len() as i64, of_2019);
    assert!(archived.contains(&old_f));

    // Nothing more is written into 2019: neither a dossier of it again, nor a new one received
    // in it (at the counter or by an import); its receipt codes stay taken by other years.
    let refused = |r: Result<usize, cchc_storage::StoreError>| match r {
        Err(cchc_storage::StoreError::Invalid(m)) => m,
        other => panic!("not refused: {other:?}"),
    };
    assert!(refused(s.put_dossiers(std::slice::from_ref(&old_d), std::slice::from_ref(&old_f)).await).contains("2019"));
    let new_2019 = Dossier { id: "X1-NEW-2019".into(), ..old_d.clone() };
    let new_f = Facts::derive(&new_2019, &procs[&new_2019.procedure], &cal).unwrap();
    assert!(refused(s.put_dossiers(std::slice::from_ref(&new_2019), std::slice::from_ref(&new_f)).await).contains("2019"));
    assert!(matches!(s.insert_dossier(&new_2019, &new_f, "test").await, Err(cchc_storage::StoreError::Invalid(_))));
    let moved = shifted(&old_d, 7 * 365);
    let moved_f = Facts::derive(&moved, &procs[&moved.procedure], &cal).unwrap();
    assert!(refused(s.put_dossiers(std::slice::from_ref(&moved), std::slice::from_ref(&moved_f)).await).contains(&old_d.id));
    assert!(matches!(s.insert_dossier(&moved, &moved_f, "test").await, Err(cchc_storage::StoreError::AlreadyExists(_))));
    assert_eq!(table_of(&s, &procs, 2026).await, this_year);
    assert_eq!(listed(&s, 2026).await, list_2026);
    s.drop_schema(schema).await.expect("drop schema");
}

/// A dossier whose receipt moment changes year (a corrected re-import, a correction at the
/// counter) moves to that year's partition (migration 0033): one row, one receipt code, its
/// version bumped once per write, listed and counted in its new year only.
#[tokio::test]
async fn a_dossier_whose_receipt_changes_year_moves_partition() {
    use cchc_dossiers::generate::{Config, generate};
    let Ok(url) = std::env::var("CCHC_TEST_POSTGRES") else {
        eprintln!("CCHC_TEST_POSTGRES is not set: the partition move test skipped");
        return;
    };
    let schema = "t_receipt_moves_partition";
    let (s, procedures) = store_with_x1(&url, schema).await;
    let procs: HashMap<String, Procedure> = procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let units = vec![("X1".to_string(), cchc_units::Level::Xa)];
    let dossiers: Vec<Dossier> = generate(&Config { units, procedures: procedures.clone(), year: 2025, dossiers: 40, seed: 7 }, &cal)
        .filter(|d| d.events[0].at.date() < chrono::NaiveDate::from_ymd_opt(2025, 12, 1).unwrap())
        .collect();
    let derive = |d: &Dossier| Facts::derive(d, &procs[&d.procedure], &cal).unwrap();
    let facts: Vec<Facts> = dossiers.iter().map(derive).collect();
    s.put_dossiers(&dossiers, &facts).await.unwrap();
    let n = dossiers.len() as u64;
    assert_eq!(table_of(&s, &procs, 2025).await, table_in_memory(&facts, &procs, 2025));
    let a = &dossiers[0];
    let partition_of = |id: &str| format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM dossiers_y2026 WHERE id = '{id}'");
    let rows_of = |id: &str| format!("SELECT COUNT(*) AS n FROM dossiers WHERE id = '{id}'");
    let ids_of = |id: &str, y: i32| format!("SELECT COUNT(*) AS n FROM dossier_ids WHERE id = '{id}' AND received_at LIKE '{y}-%'");

    // Re-imported with its receipt a year later.
    let later = shifted(a, 365);
    assert_eq!(s.put_dossiers(std::slice::from_ref(&later), &[derive(&later)]).await.unwrap(), 1);
    assert_eq!(s.dossier_with_version(&a.id).await.unwrap(), Some((later.clone(), 2)));
    assert_eq!(count(&url, schema, &partition_of(&a.id)).await, 1);
    assert_eq!(count(&url, schema, &rows_of(&a.id)).await, 1);
    assert_eq!(count(&url, schema, &ids_of(&a.id, 2026)).await, 1);
    assert!(!listed(&s, 2025).await.1.contains(&a.id));
    assert_eq!(listed(&s, 2026).await.1, vec![a.id.clone()]);
    let mut now = facts.clone();
    now[0] = derive(&later);
    for y in [2025, 2026] {
        assert_eq!(table_of(&s, &procs, y).await, table_in_memory(&now, &procs, y), "{y}");
    }

    // Corrected at the counter back to its first receipt, then re-imported as it is.
    assert_eq!(s.update_dossier(a, &facts[0], 2, "test").await.unwrap(), 3);
    assert_eq!(count(&url, schema, &partition_of(&a.id)).await, 0);
    assert_eq!(count(&url, schema, &ids_of(&a.id, 2025)).await, 1);
    assert_eq!(s.put_dossiers(std::slice::from_ref(a), &facts[..1]).await.unwrap(), 1);
    assert_eq!(s.dossier_with_version(&a.id).await.unwrap(), Some((a.clone(), 4)));
    assert_eq!(count(&url, schema, &rows_of(&a.id)).await, 1);
    assert_eq!(count(&url, schema, "SELECT COUNT(*) AS n FROM dossier_ids").await, n as i64);
    assert_eq!(listed(&s, 2026).await.0, 0);
    assert_eq!(table_of(&s, &procs, 2025).await, table_in_memory(&facts, &procs, 2025));
    s.drop_schema(schema).await.expect("drop schema");
}
