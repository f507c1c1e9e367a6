//! Migration 0025's second half: the rows whose handling unit SQL could not tell (their JSON names
//! a transfer, or they came from the archive after the migration) get it from their events
//! ([`cchc_dossiers::Dossier::handling_unit`]), once, when the store is opened. NULL
//! `handling_unit` marks a row not filled yet.

use cchc_dossiers::Dossier;
use sqlx::Row;

use crate::StoreError;
use crate::sql::SqlStore;

/// Rows read and written per transaction.
const BATCH: i64 = 1000;

/// Fills the rows whose `handling_unit` is NULL, a batch per transaction; how many.
pub(crate) async fn fill(store: &SqlStore) -> Result<usize, StoreError> {
    let mut filled = 0;
    // Asked first outside a write transaction (migration 0031's index answers at once): on every
    // open but the first there is nothing to fill, and no command should wait for the write lock.
    if sqlx::query("SELECT id FROM dossiers WHERE handling_unit IS NULL LIMIT 1").fetch_optional(&store.pool).await?.is_none() {
        return Ok(0);
    }
    loop {
        let mut tx = store.write().await?;
        let rows = sqlx::query("SELECT id, json FROM dossiers WHERE handling_unit IS NULL ORDER BY id LIMIT $1")
            .bind(BATCH)
            .fetch_all(&mut *tx)
            .await?;
        if rows.is_empty() {
            return Ok(filled);
        }
        for r in &rows {
            let id: String = r.try_get("id")?;
            let d: Dossier =
                serde_json::from_str(&r.try_get::<String, _>("json")?).map_err(|e| StoreError::Invalid(format!("hồ sơ {id}: {e}")))?;
            sqlx::query("UPDATE dossiers SET handling_unit = $2 WHERE id = $1")
                .bind(id)
                .bind(d.handling_unit().to_string())
                .execute(&mut *tx)
                .await?;
        }
        filled += rows.len();
        tx.commit().await?;
    }
}

#[cfg(test)]
mod tests {
    use cchc_dossiers::facts::Facts;
    use cchc_dossiers::generate::{Config, generate};
    use cchc_dossiers::{Event, EventKind};
    use sqlx::Row;

    use crate::prelude::*;

    /// Rows stored before migration 0025: the migration's SQL gives the untransferred ones their
    /// receiving unit, and the store's opening gives the transferred ones the unit they went to.
    #[tokio::test]
    async fn rows_stored_before_get_their_handling_unit() {
        let s = crate::sql::SqlStore::open("sqlite::memory:").await.unwrap();
        let units = cchc_units::file::UnitsFile::parse(
            r#"{"units": [{"code": "99", "name": "Tỉnh", "kind": "tinh"}, {"code": "X1", "name": "Xã Một", "kind": "xa", "parent": "99"}, {"code": "X2", "name": "Xã Hai", "kind": "xa", "parent": "99"}]}"#,
        )
        .unwrap();
        s.upsert_units(&units.units, &units.lineage).await.unwrap();
        let procedures = cchc_dossiers::import::default_procedures();
        s.put_procedures(&procedures).await.unwrap();
        let cal = cchc_calendar::WorkCalendar::vietnam();
        let config = Config {
            units: vec![("X1".into(), cchc_units::Level::Xa)],
            procedures: procedures.clone(),
            year: 2026,
            dossiers: 30,
            seed: 25,
        };
        let mut ds: Vec<_> = generate(&config, &cal).collect();
        for d in &mut ds[..5] {
            d.events.truncate(1);
            let at = d.events[0].at + chrono::Duration::hours(1);
            d.events.push(Event::new(at, EventKind::Transferred { to_unit: "X2".into() }));
        }
        let by_code: std::collections::HashMap<_, _> = procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
        let facts: Vec<Facts> = ds.iter().map(|d| Facts::derive(d, &by_code[&d.procedure], &cal).unwrap()).collect();
        s.put_dossiers(&ds, &facts).await.unwrap();
        let read = |s: &crate::sql::SqlStore| {
            let pool = s.pool.clone();
            async move {
                sqlx::query("SELECT id, handling_unit FROM dossiers ORDER BY id")
                    .fetch_all(&pool)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| (r.try_get::<String, _>("id").unwrap(), r.try_get::<Option<String>, _>("handling_unit").unwrap()))
                    .collect::<Vec<_>>()
            }
        };
        let written = read(&s).await;
        assert_eq!(written.iter().filter(|r| r.1.as_deref() == Some("X2")).count(), 5, "written with the unit it went to");
        assert_eq!(written.iter().filter(|r| r.1.as_deref() == Some("X1")).count(), 25);
        // As before the migration, then its SQL half, then the store's.
        sqlx::query("UPDATE dossiers SET handling_unit = NULL").execute(&s.pool).await.unwrap();
        sqlx::query("UPDATE dossiers SET handling_unit = unit_code WHERE json NOT LIKE '%\"to_unit\"%'").execute(&s.pool).await.unwrap();
        assert_eq!(read(&s).await.iter().filter(|r| r.1.is_none()).count(), 5, "the SQL half leaves the transferred rows");
        assert_eq!(super::fill(&s).await.unwrap(), 5);
        assert_eq!(read(&s).await, written, "filled in as written");
        assert_eq!(super::fill(&s).await.unwrap(), 0, "once");
    }
}
