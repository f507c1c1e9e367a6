//! The statistics facts by part (migration 0028): what a window's read returns, and the split of
//! the blobs stored before into parts.
//!
//! A unit's facts are kept as two blobs per month of receipt, its ended dossiers with the moment
//! the last of them settled and its open ones (`cchc_dossiers::facts::MonthPart`,
//! `part_matters`), and the counter writes one row per dossier beside them (`dossier_fact_rows`,
//! with its month and settled moment). A window reads the blobs it must and the rows that are
//! either counted by it or of a month it reads a blob of; a row is laid over its own month's
//! stale record of the dossier, and the rows of months not read form a blob of their own.

use std::collections::{BTreeMap, HashMap};

use cchc_dossiers::facts::{decode_unit, overlay_unit, part_month, split_parts};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::StoreError;
use crate::sql::SqlStore;

fn invalid(e: cchc_dossiers::facts::FactsError) -> StoreError {
    StoreError::Invalid(e.to_string())
}

/// The blobs of a window's read: each part with its rows laid over it, then per unit one blob of
/// the rows whose part was not read. `parts` are `(unit, month, blob)`, `deltas` rows of
/// `(unit_code, month, data)`.
pub(crate) fn windowed(parts: Vec<(String, u32, Vec<u8>)>, deltas: &[AnyRow]) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    let mut rows: BTreeMap<(String, u32), Vec<Vec<u8>>> = BTreeMap::new();
    for r in deltas {
        let unit: String = r.try_get("unit_code")?;
        let data: Vec<u8> = r.try_get("data")?;
        let month = match r.try_get::<Option<i64>, _>("month")? {
            Some(m) => m as u32,
            // A row stored before its part was written beside it: its own record tells.
            None => decode_unit(&unit, &data).map_err(invalid)?.first().map_or(0, |f| part_month(f.received)),
        };
        rows.entry((unit, month)).or_default().push(data);
    }
    let mut months: BTreeMap<(String, u32), Vec<Vec<u8>>> = BTreeMap::new();
    for (unit, month, data) in parts {
        months.entry((unit, month)).or_default().push(data);
    }
    let mut out = Vec::with_capacity(months.len());
    for ((unit, month), blobs) in months {
        let over = rows.remove(&(unit.clone(), month)).unwrap_or_default();
        // A month's blobs (ended, open) hold distinct dossiers: returned as they are, unless the
        // counter's rows of that month replace records in them. Then the second is laid over
        // the first as the rows are, which leaves each blob's records as they are.
        match blobs.split_first() {
            Some((first, rest)) if !over.is_empty() => {
                let refs: Vec<&[u8]> = rest.iter().chain(&over).map(Vec::as_slice).collect();
                out.push((unit, overlay_unit(Some(first), &refs).map_err(invalid)?));
            }
            _ => out.extend(blobs.into_iter().map(|b| (unit.clone(), b))),
        }
    }
    let mut alone: BTreeMap<String, Vec<Vec<u8>>> = BTreeMap::new();
    for ((unit, _), data) in rows {
        alone.entry(unit).or_default().extend(data);
    }
    for (unit, data) in alone {
        let blob = overlay_unit(None, &data.iter().map(Vec::as_slice).collect::<Vec<_>>()).map_err(invalid)?;
        out.push((unit, blob));
    }
    Ok(out)
}

/// Migration 0028's second half, once, when the store is opened: each unit's blob of
/// `dossier_facts` split into parts (one transaction per unit, the unit's blob deleted in it),
/// and the counter's rows stored before given their part and settled moment.
pub(crate) async fn fill(store: &SqlStore) -> Result<usize, StoreError> {
    let units: Vec<String> = sqlx::query("SELECT unit_code FROM dossier_facts")
        .fetch_all(&store.pool)
        .await?
        .iter()
        .map(|r| r.try_get("unit_code"))
        .collect::<Result<_, _>>()?;
    let mut split = 0;
    for unit in units {
        let mut tx = store.write().await?;
        let Some(row) =
            sqlx::query("SELECT data FROM dossier_facts WHERE unit_code = $1").bind(unit.clone()).fetch_optional(&mut *tx).await?
        else {
            continue;
        };
        let facts = decode_unit(&unit, &row.try_get::<Vec<u8>, _>("data")?).map_err(invalid)?;
        for (month, part) in split_parts(&facts) {
            for (open, blob) in [(0, part.settled), (1, part.open)] {
                if blob.is_empty() {
                    continue;
                }
                sqlx::query("INSERT INTO dossier_fact_parts (unit_code, month, is_open, settled_at, data) VALUES ($1, $2, $3, $4, $5)")
                    .bind(unit.clone())
                    .bind(month as i32)
                    .bind(open)
                    .bind(blob.settled())
                    .bind(blob.finish())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        sqlx::query("DELETE FROM dossier_facts WHERE unit_code = $1").bind(unit.clone()).execute(&mut *tx).await?;
        tx.commit().await?;
        split += facts.len();
    }
    // Read first, outside a write transaction: on every open there is usually nothing to fill.
    let rows = sqlx::query("SELECT id, unit_code, data FROM dossier_fact_rows WHERE month IS NULL").fetch_all(&store.pool).await?;
    if rows.is_empty() {
        return Ok(split);
    }
    let mut tx = store.write().await?;
    let mut filled: HashMap<String, (u32, Option<i64>)> = HashMap::new();
    for r in &rows {
        let (id, unit): (String, String) = (r.try_get("id")?, r.try_get("unit_code")?);
        if let Some(f) = decode_unit(&unit, &r.try_get::<Vec<u8>, _>("data")?).map_err(invalid)?.first() {
            filled.insert(id, (part_month(f.received), cchc_dossiers::facts::settled(f)));
        }
    }
    for (id, (month, settled)) in filled {
        // Only a row still unfilled: the counter may have rewritten it since it was read.
        sqlx::query("UPDATE dossier_fact_rows SET month = $1, settled_at = $2 WHERE id = $3 AND month IS NULL")
            .bind(month as i32)
            .bind(settled)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(split)
}

#[cfg(test)]
mod tests {
    use cchc_dossiers::facts::{Facts, decode_unit, encode_unit};
    use cchc_dossiers::generate::{Config, generate};
    use sqlx::Row;

    use crate::LedgerStore;
    use crate::sql::SqlStore;

    /// A store as migration 0028 finds it (the unit's facts in one blob of `dossier_facts`, a
    /// counter row without its part) is split into parts when opened, each dossier once.
    #[tokio::test]
    async fn blobs_stored_before_are_split_into_parts() {
        let s = SqlStore::open("sqlite::memory:").await.unwrap();
        let procedures = crate::test_ledger::with_communes(&s, &["X1"]).await;
        let cal = cchc_calendar::WorkCalendar::vietnam();
        let units = vec![("X1".to_string(), cchc_units::Level::Xa)];
        let ds: Vec<_> = generate(&Config { units, procedures: procedures.clone(), year: 2025, dossiers: 300, seed: 3 }, &cal).collect();
        let facts: Vec<Facts> =
            ds.iter().map(|d| Facts::derive(d, procedures.iter().find(|p| p.code == d.procedure).unwrap(), &cal).unwrap()).collect();
        s.put_dossiers(&ds, &facts).await.unwrap();
        // Back to the state before migration 0028: one blob, and the last dossier a counter row
        // without its part.
        let (blob_facts, row) = facts.split_at(facts.len() - 1);
        sqlx::query("DELETE FROM dossier_fact_parts").execute(&s.pool).await.unwrap();
        sqlx::query("INSERT INTO dossier_facts (unit_code, data) VALUES ('X1', $1)")
            .bind(encode_unit(blob_facts))
            .execute(&s.pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO dossier_fact_rows (id, unit_code, data) VALUES ($1, 'X1', $2)")
            .bind(row[0].id.clone())
            .bind(encode_unit(row))
            .execute(&s.pool)
            .await
            .unwrap();
        assert_eq!(super::fill(&s).await.unwrap(), blob_facts.len());
        let left = sqlx::query("SELECT COUNT(*) AS n FROM dossier_facts").fetch_one(&s.pool).await.unwrap().try_get::<i64, _>("n").unwrap();
        assert_eq!(left, 0);
        let parts =
            sqlx::query("SELECT COUNT(*) AS n FROM dossier_fact_parts").fetch_one(&s.pool).await.unwrap().try_get::<i64, _>("n").unwrap();
        assert!(parts >= 12, "{parts} parts");
        let unfilled = sqlx::query("SELECT COUNT(*) AS n FROM dossier_fact_rows WHERE month IS NULL")
            .fetch_one(&s.pool)
            .await
            .unwrap()
            .try_get::<i64, _>("n")
            .unwrap();
        assert_eq!(unfilled, 0);
        let mut back: Vec<Facts> =
            s.dossier_facts(&["X1".into()]).await.unwrap().iter().flat_map(|(u, b)| decode_unit(u, b).unwrap()).collect();
        back.sort_by(|a, b| a.id.cmp(&b.id));
        let mut expected = facts.clone();
        expected.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(back, expected);
    }
}
