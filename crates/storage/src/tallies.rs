//! The statistics' read that lays in ended parts' tallies (migration 0032,
//! `cchc_dossiers::tally`): a part that every window of the read holds whole (or counts none of)
//! is read as its few figures per procedure instead of its dossiers' records; the others as
//! [`crate::LedgerStore::dossier_facts_window`] reads them. And the tallies of parts written
//! before migration 0032, filled when the store is opened.

use cchc_dossiers::facts::last_part;
use cchc_dossiers::tally::first_whole_month;
use sqlx::{AssertSqlSafe, Row};

use crate::sql::SqlStore;
use crate::{FactsPiece, StoreError};

/// Units per query (their codes are parameters, after four per window).
const UNITS_PER_QUERY: usize = 400;

/// The windows a read may serve at most (four parameters each).
pub const MAX_WINDOWS: usize = 16;

impl SqlStore {
    /// See [`crate::LedgerStore::dossier_pieces`].
    pub(crate) async fn pieces(
        &self,
        units: &[String],
        windows: &[(i64, i64)],
        records_only: &[String],
    ) -> Result<Vec<(String, FactsPiece)>, StoreError> {
        // One snapshot: a writer replacing a part and its tally is seen before or after.
        let mut tx = self.snapshot().await?;
        pieces_in(&mut tx, units, windows, records_only).await
    }
}

/// [`SqlStore::pieces`] in a transaction of the caller's (a snapshot, or the write transaction
/// of a re-derivation, `crate::rederive`).
pub(crate) async fn pieces_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    units: &[String],
    windows: &[(i64, i64)],
    records_only: &[String],
) -> Result<Vec<(String, FactsPiece)>, StoreError> {
    if windows.is_empty() || windows.len() > MAX_WINDOWS {
        return Err(StoreError::Invalid(format!("một lần đọc dữ liệu tổng hợp phục vụ từ 1 đến {MAX_WINDOWS} kỳ")));
    }
    let start = windows.iter().map(|w| w.0).min().unwrap_or(i64::MIN);
    let end = windows.iter().map(|w| w.1).max().unwrap_or(i64::MAX);
    let (tallied, whole): (Vec<&String>, Vec<&String>) = units.iter().partition(|u| !records_only.contains(u));
    let mut out = Vec::new();
    for (group, tallies) in [(tallied, true), (whole, false)] {
        for chunk in group.chunks(UNITS_PER_QUERY) {
            let told = if tallies { windows } else { &[] };
            let mut parts = sqlx::query(AssertSqlSafe(parts_sql(told.len(), chunk.len()))).bind(i64::from(last_part(end))).bind(start);
            for (s, e) in told {
                parts = parts.bind(i64::from(last_part(*e))).bind(*s).bind(i64::from(first_whole_month(*s))).bind(*e);
            }
            for unit in chunk {
                parts = parts.bind((*unit).clone());
            }
            let mut records = Vec::new();
            for r in parts.fetch_all(&mut **tx).await? {
                let unit: String = r.try_get("unit_code")?;
                let month = r.try_get::<i64, _>("month")? as u32;
                match r.try_get::<Option<Vec<u8>>, _>("tally")? {
                    Some(tally) => out.push((unit, FactsPiece::Tally { month, tally })),
                    None => records.push((unit, month, r.try_get::<Vec<u8>, _>("data")?)),
                }
            }
            let deltas = deltas_in_window(tx, chunk, end, start).await?;
            let read = crate::fact_parts::windowed(records, &deltas)?;
            out.extend(read.into_iter().map(|(unit, blob)| (unit, FactsPiece::Records(blob))));
        }
    }
    Ok(out)
}

/// The parts a read must see (as `dossier_facts_window` picks them). With `windows` > 0, each
/// with its tally when it fits every window whole or not at all (`cchc_dossiers::tally::fit`,
/// in SQL: an open part whose dossiers lay still before the window's start, an ended one the
/// window holds whole or that ended before it) and the counter wrote no row of its month, else
/// with its records; with none, always with its records. Parameters: $1 the last part, $2 the first start, then per window its last
/// part, start, first whole month and end, then the units.
fn parts_sql(windows: usize, units: usize) -> String {
    let each: Vec<String> = (0..windows)
        .map(|i| {
            let p = 3 + 4 * i;
            format!(
                "(p.month > ${p} OR p.tally_until < ${} OR (p.is_open = 0 AND p.month >= ${} AND p.tally_until <= ${}))",
                p + 1,
                p + 2,
                p + 3
            )
        })
        .collect();
    let fits = if windows == 0 {
        "1 = 0".to_string()
    } else {
        format!(
            "p.tally IS NOT NULL AND {} AND NOT EXISTS (SELECT 1 FROM dossier_fact_rows r WHERE r.unit_code = p.unit_code AND (r.month = p.month OR r.month IS NULL))",
            each.join(" AND ")
        )
    };
    let first_unit = 3 + 4 * windows;
    let list: Vec<String> = (first_unit..first_unit + units).map(|i| format!("${i}")).collect();
    format!(
        "SELECT unit_code, month, CASE WHEN fits = 1 THEN NULL ELSE data END AS data, CASE WHEN fits = 1 THEN tally END AS tally \
         FROM (SELECT p.unit_code, CAST(p.month AS BIGINT) AS month, p.data, p.tally, CASE WHEN {fits} THEN 1 ELSE 0 END AS fits \
         FROM dossier_fact_parts p WHERE p.month <= $1 AND (p.is_open = 1 OR p.settled_at >= $2) AND p.unit_code IN ({})) q",
        list.join(", ")
    )
}

/// Fills the tallies of the parts written before migrations 0032 (ended parts) and 0034 (open
/// ones), found by their partial indexes (none once filled), one transaction per unit; returns
/// how many.
pub(crate) async fn fill_tallies(store: &SqlStore) -> Result<usize, StoreError> {
    let units: Vec<String> = sqlx::query("SELECT DISTINCT unit_code FROM dossier_fact_parts WHERE is_open IN (0, 1) AND tally IS NULL")
        .fetch_all(&store.pool)
        .await?
        .iter()
        .map(|r| r.try_get("unit_code"))
        .collect::<Result<_, _>>()?;
    let mut filled = 0;
    for unit in units {
        let mut tx = store.write().await?;
        let rows = sqlx::query("SELECT month, is_open, data FROM dossier_fact_parts WHERE unit_code = $1 AND tally IS NULL")
            .bind(unit.clone())
            .fetch_all(&mut *tx)
            .await?;
        for r in rows {
            let (month, open): (i32, i32) = (r.try_get("month")?, r.try_get("is_open")?);
            let (tally, until) = crate::bulk::tally_of(open == 1, &r.try_get::<Vec<u8>, _>("data")?)?;
            // A part whose dossiers cannot be tallied keeps NULL and is found again next time:
            // an empty tally would be wrong, so such a part (none the writers make) is rare.
            let Some(tally) = tally else { continue };
            sqlx::query("UPDATE dossier_fact_parts SET tally = $1, tally_until = $2 WHERE unit_code = $3 AND month = $4 AND is_open = $5")
                .bind(tally)
                .bind(until)
                .bind(unit.clone())
                .bind(month)
                .bind(open)
                .execute(&mut *tx)
                .await?;
            filled += 1;
        }
        tx.commit().await?;
    }
    Ok(filled)
}

/// The counter's rows a window must read: those it counts itself, and every row of a part it
/// reads (laid over that part's stale record of the dossier). A row without a part (stored
/// before migration 0028 and not yet filled) is always read. `$1`: the window's last part, `$2`:
/// its start in seconds, then the units.
const SELECT_DELTAS_IN_WINDOW: &str = "SELECT r.unit_code, CAST(r.month AS BIGINT) AS month, r.data FROM dossier_fact_rows r WHERE (r.month IS NULL OR (r.month <= $1 AND (r.settled_at IS NULL OR r.settled_at >= $2 OR EXISTS (SELECT 1 FROM dossier_fact_parts p WHERE p.unit_code = r.unit_code AND p.month = r.month AND (p.is_open = 1 OR p.settled_at >= $2)))))";

async fn deltas_in_window(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    units: &[&String],
    end: i64,
    start: i64,
) -> Result<Vec<sqlx::any::AnyRow>, StoreError> {
    let list = (3..3 + units.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let mut q = sqlx::query(AssertSqlSafe(format!("{SELECT_DELTAS_IN_WINDOW} AND r.unit_code IN ({list})")))
        .bind(i64::from(last_part(end)))
        .bind(start);
    for unit in units {
        q = q.bind((*unit).clone());
    }
    Ok(q.fetch_all(&mut **tx).await?)
}

#[cfg(test)]
mod tests {
    use cchc_dossiers::facts::Facts;
    use cchc_dossiers::generate::{Config, generate};
    use sqlx::Row;

    use crate::LedgerStore;
    use crate::sql::SqlStore;

    async fn tallies(s: &SqlStore) -> Vec<(i32, Option<Vec<u8>>, Option<i64>)> {
        sqlx::query("SELECT month, tally, tally_until FROM dossier_fact_parts ORDER BY month, is_open")
            .fetch_all(&s.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.try_get("month").unwrap(), r.try_get("tally").unwrap(), r.try_get("tally_until").unwrap()))
            .collect()
    }

    /// Every writer of a part writes its tally; parts written before migrations 0032 and 0034 get
    /// theirs when the store is opened, the same as a writer's.
    #[tokio::test]
    async fn ended_parts_written_before_get_their_tallies() {
        let s = SqlStore::open("sqlite::memory:").await.unwrap();
        let procedures = crate::test_ledger::with_communes(&s, &["X1"]).await;
        let cal = cchc_calendar::WorkCalendar::vietnam();
        let units = vec![("X1".to_string(), cchc_units::Level::Xa)];
        let ds: Vec<_> = generate(&Config { units, procedures: procedures.clone(), year: 2025, dossiers: 400, seed: 5 }, &cal).collect();
        let facts: Vec<Facts> =
            ds.iter().map(|d| Facts::derive(d, procedures.iter().find(|p| p.code == d.procedure).unwrap(), &cal).unwrap()).collect();
        s.put_dossiers(&ds, &facts).await.unwrap();
        let written = tallies(&s).await;
        assert!(written.len() > 12, "an ended part a month, and open ones: {}", written.len());
        assert!(written.iter().all(|(_, t, until)| t.is_some() && until.is_some()), "{written:?}");
        sqlx::query("UPDATE dossier_fact_parts SET tally = NULL, tally_until = NULL").execute(&s.pool).await.unwrap();
        assert_eq!(super::fill_tallies(&s).await.unwrap(), written.len());
        assert_eq!(tallies(&s).await, written);
        assert_eq!(super::fill_tallies(&s).await.unwrap(), 0, "nothing left to fill");
    }
}
