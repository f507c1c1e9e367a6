//! Migration 0018's second half: the rows stored before it get their search text, state,
//! channel and appointment ([`crate::DossierRow`]'s columns), once, when the store is opened.
//! The appointment comes from the unit's facts (blob and deltas), which SQL cannot read.

use std::collections::HashMap;

use cchc_dossiers::Dossier;
use sqlx::Row;

use crate::LedgerStore;
use crate::StoreError;
use crate::sql::SqlStore;

/// Fills the rows whose `search_text` is NULL, one transaction per unit.
pub(crate) async fn fill(store: &SqlStore) -> Result<usize, StoreError> {
    let units: Vec<String> = sqlx::query("SELECT DISTINCT unit_code FROM dossiers WHERE search_text IS NULL")
        .fetch_all(&store.pool)
        .await?
        .iter()
        .map(|r| r.try_get("unit_code"))
        .collect::<Result<_, _>>()?;
    let mut filled = 0;
    for unit in units {
        let mut due: HashMap<String, Option<i64>> = HashMap::new();
        for (u, blob) in store.dossier_facts(std::slice::from_ref(&unit)).await? {
            let facts = cchc_dossiers::facts::decode_unit(&u, &blob).map_err(|e| StoreError::Invalid(e.to_string()))?;
            due.extend(facts.into_iter().map(|f| (f.id.clone(), f.due_now())));
        }
        let mut tx = store.write().await?;
        let rows = sqlx::query("SELECT json FROM dossiers WHERE unit_code = $1 AND search_text IS NULL")
            .bind(unit.clone())
            .fetch_all(&mut *tx)
            .await?;
        for r in rows {
            let d: Dossier = serde_json::from_str(&r.try_get::<String, _>("json")?).map_err(|e| StoreError::Invalid(e.to_string()))?;
            let channel = match d.events.first().map(|e| &e.kind) {
                Some(cchc_dossiers::EventKind::Received { channel }) => crate::channel_slug(*channel),
                _ => "truc-tiep",
            };
            let due_at = due.get(&d.id).copied().flatten().map(|s| cchc_dossiers::facts::to_moment(s).format(crate::sql::TS).to_string());
            sqlx::query("UPDATE dossiers SET search_text = $2, state = $3, channel = $4, due_at = $5 WHERE id = $1")
                .bind(d.id.clone())
                .bind(cchc_dossiers::search::dossier_text(&d))
                .bind(cchc_dossiers::lifecycle::Status::of(&d).slug())
                .bind(channel)
                .bind(due_at)
                .execute(&mut *tx)
                .await?;
            filled += 1;
        }
        tx.commit().await?;
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use cchc_dossiers::facts::Facts;
    use cchc_dossiers::generate::{Config, generate};

    use crate::prelude::*;

    /// Rows stored before migration 0018 (their columns NULL) are filled in as a write fills them.
    #[tokio::test]
    async fn rows_stored_before_are_filled_in_at_open() {
        let s = crate::sql::SqlStore::open("sqlite::memory:").await.unwrap();
        let units = cchc_units::file::UnitsFile::parse(
            r#"{"units": [{"code": "99", "name": "Tỉnh", "kind": "tinh"}, {"code": "X1", "name": "Xã Một", "kind": "xa", "parent": "99"}]}"#,
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
            dossiers: 50,
            seed: 18,
        };
        let mut ds: Vec<_> = generate(&config, &cal).collect();
        for d in &mut ds[..20] {
            d.events.truncate(1);
        }
        let by_code: std::collections::HashMap<_, _> = procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
        let facts: Vec<Facts> = ds.iter().map(|d| Facts::derive(d, &by_code[&d.procedure], &cal).unwrap()).collect();
        s.put_dossiers(&ds, &facts).await.unwrap();
        let columns = "SELECT id, search_text, state, channel, due_at FROM dossiers ORDER BY id";
        let read = |s: &crate::sql::SqlStore| {
            let pool = s.pool.clone();
            async move {
                sqlx::query(columns)
                    .fetch_all(&pool)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| {
                        use sqlx::Row;
                        let t = |c: &str| r.try_get::<Option<String>, _>(c).unwrap();
                        (t("id"), t("search_text"), t("state"), t("channel"), t("due_at"))
                    })
                    .collect::<Vec<_>>()
            }
        };
        let written = read(&s).await;
        assert!(written.iter().any(|r| r.4.is_some()) && written.iter().all(|r| r.1.is_some()));
        sqlx::query("UPDATE dossiers SET search_text = NULL, state = NULL, channel = NULL, due_at = NULL").execute(&s.pool).await.unwrap();
        assert_eq!(super::fill(&s).await.unwrap(), 50);
        assert_eq!(read(&s).await, written, "filled in as written");
        assert_eq!(super::fill(&s).await.unwrap(), 0, "once");
    }

    /// The second halves of migrations run when a store is opened after a migration, not at every
    /// open: a row left unfilled (as none of the writers leaves one) is filled only once the
    /// store's check is older than its latest migration.
    #[tokio::test]
    async fn second_halves_run_once_after_each_migration() {
        let dir = std::env::temp_dir().join(format!("cchc-storage-second-halves-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("l.db").display());
        let s = crate::sql::SqlStore::open(&url).await.unwrap();
        let procedures = crate::test_ledger::with_communes(&s, &["X1"]).await;
        let cal = cchc_calendar::WorkCalendar::vietnam();
        let config =
            Config { units: vec![("X1".into(), cchc_units::Level::Xa)], procedures: procedures.clone(), year: 2026, dossiers: 5, seed: 18 };
        let ds: Vec<_> = generate(&config, &cal).collect();
        let by_code: std::collections::HashMap<_, _> = procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
        let facts: Vec<Facts> = ds.iter().map(|d| Facts::derive(d, &by_code[&d.procedure], &cal).unwrap()).collect();
        s.put_dossiers(&ds, &facts).await.unwrap();
        let unfilled = |s: crate::sql::SqlStore| async move {
            use sqlx::Row;
            let n = sqlx::query("SELECT COUNT(*) AS n FROM dossiers WHERE search_text IS NULL").fetch_one(&s.pool).await.unwrap();
            n.try_get::<i64, _>("n").unwrap()
        };
        sqlx::query("UPDATE dossiers SET search_text = NULL").execute(&s.pool).await.unwrap();
        drop(s);
        assert_eq!(unfilled(crate::sql::SqlStore::open(&url).await.unwrap()).await, 5, "checked already after the latest migration");
        let s = crate::sql::SqlStore::open(&url).await.unwrap();
        sqlx::query("UPDATE store_checks SET version = version - 1").execute(&s.pool).await.unwrap();
        drop(s);
        assert_eq!(unfilled(crate::sql::SqlStore::open(&url).await.unwrap()).await, 0, "a migration later than the check: filled");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
