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
/// the rows whose part was not read. `parts` and `deltas` are rows of `(unit_code, month, data)`.
pub(crate) fn windowed(parts: &[AnyRow], deltas: &[AnyRow]) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
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
    for r in parts {
        let key = (r.try_get::<String, _>("unit_code")?, r.try_get::<i64, _>("month")? as u32);
        months.entry(key).or_default().push(r.try_get("data")?);
    }
    let mut out = Vec::with_capacity(months.len());
    for ((unit, month), blobs) in months {
        let over = rows.remove(&(unit.clone(), month)).unwrap_or_default();
        // A month's blobs hold distinct dossiers: the second is laid over the first as the
        // counter's rows are, which leaves each blob's records as they are.
        match blobs.split_first() {
            Some((first, rest)) if !rest.is_empty() || !over.is_empty() => {
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
    let mut tx = store.write().await?;
    let rows = sqlx::query("SELECT id, unit_code, data FROM dossier_fact_rows WHERE month IS NULL").fetch_all(&mut *tx).await?;
    let mut filled: HashMap<String, (u32, Option<i64>)> = HashMap::new();
    for r in &rows {
        let (id, unit): (String, String) = (r.try_get("id")?, r.try_get("unit_code")?);
        if let Some(f) = decode_unit(&unit, &r.try_get::<Vec<u8>, _>("data")?).map_err(invalid)?.first() {
            filled.insert(id, (part_month(f.received), cchc_dossiers::facts::settled(f)));
        }
    }
    for (id, (month, settled)) in filled {
        sqlx::query("UPDATE dossier_fact_rows SET month = $1, settled_at = $2 WHERE id = $3")
            .bind(month as i32)
            .bind(settled)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(split)
}
