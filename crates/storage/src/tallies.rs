//! The statistics' read that lays in ended parts' tallies (migration 0032,
//! `cchc_dossiers::tally`): a part that every window of the read holds whole (or counts none of)
//! is read as its few figures per procedure instead of its dossiers' records; the others as
//! [`crate::LedgerStore::dossier_facts_window`] reads them. And the tallies of parts written
//! before migration 0032, filled when the store is opened.

use cchc_dossiers::facts::last_part;
use cchc_dossiers::tally::first_tallied_month;
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
            let mut records = Vec::new();
            for open in [false, true] {
                if !told.is_empty() {
                    for r in parts_query(open, Read::Tallies, told, chunk, (start, end)).fetch_all(&mut **tx).await? {
                        let month = r.try_get::<i64, _>("month")? as u32;
                        out.push((r.try_get("unit_code")?, FactsPiece::Tally { month, tally: r.try_get("tally")? }));
                    }
                }
                for r in parts_query(open, Read::Records, told, chunk, (start, end)).fetch_all(&mut **tx).await? {
                    records.push((r.try_get("unit_code")?, r.try_get::<i64, _>("month")? as u32, r.try_get::<Vec<u8>, _>("data")?));
                }
            }
            let deltas = deltas_in_window(tx, chunk, end, start).await?;
            let read = crate::fact_parts::windowed(records, &deltas)?;
            out.extend(read.into_iter().map(|(unit, blob)| (unit, FactsPiece::Records(blob))));
        }
    }
    Ok(out)
}

/// What a query of [`parts_query`] reads of the parts it picks.
#[derive(Clone, Copy)]
enum Read {
    /// The parts that fit every window (whole or not at all): their tallies.
    Tallies,
    /// The others: their records.
    Records,
}

/// A value bound to a query.
enum Bind {
    Int(i64),
    Text(String),
}

/// The parts of one kind (ended, or `open`) a read must see (as `dossier_facts_window` picks
/// them), those it reads by their tally or those it reads by their records: a part fits when it
/// has a tally, the counter wrote no row of its month, and each window of `windows` holds it
/// whole or counts none of it (`cchc_dossiers::tally::fit`, in SQL: an open part whose dossiers
/// lay still before the window's start, an ended one the window holds whole or that ended
/// before it). With no windows no part fits. `span` is the windows' first start and last end.
///
/// Why a query per kind and way: SQLite then decides from indexes alone (migration 0037) which
/// parts a window skips (an ended part that settled before it: most of five earlier years) and
/// reads an open part's small tally from an index too; in one query, it read every such part's
/// row to look at its columns, a page of the file each, as the blob is stored in the row
/// (30 MB more read for a year's Biểu 06 with five earlier years at 3.000.000).
fn parts_query<'q>(
    open: bool,
    read: Read,
    windows: &[(i64, i64)],
    units: &[&String],
    span: (i64, i64),
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let (sql, binds) = parts_sql(open, read, windows, units, span);
    bound(sql, binds)
}

/// The SQL of [`parts_query`] and its values.
fn parts_sql(open: bool, read: Read, windows: &[(i64, i64)], units: &[&String], span: (i64, i64)) -> (String, Vec<Bind>) {
    let mut binds = Vec::new();
    let mut bind = |v: Bind| {
        binds.push(v);
        format!("${}", binds.len())
    };
    let mut picked = format!("p.is_open = {} AND p.month <= {}", i32::from(open), bind(Bind::Int(i64::from(last_part(span.1)))));
    if !open {
        picked += &format!(" AND p.settled_at >= {}", bind(Bind::Int(span.0)));
    }
    let list: Vec<String> = units.iter().map(|u| bind(Bind::Text((*u).clone()))).collect();
    picked += &format!(" AND p.unit_code IN ({})", list.join(", "));
    let each: Vec<String> = windows
        .iter()
        .map(|(s, e)| {
            let (last, start) = (bind(Bind::Int(i64::from(last_part(*e)))), bind(Bind::Int(*s)));
            if open {
                format!("(p.month > {last} OR p.tally_until < {start})")
            } else {
                let (first, end) = (bind(Bind::Int(i64::from(first_tallied_month(*s)))), bind(Bind::Int(*e)));
                format!("(p.month > {last} OR p.tally_until < {start} OR (p.month >= {first} AND p.tally_until <= {end}))")
            }
        })
        .collect();
    let fits = if windows.is_empty() {
        "1 = 0".to_string()
    } else {
        format!(
            "p.tally IS NOT NULL AND {} AND NOT EXISTS (SELECT 1 FROM dossier_fact_rows r WHERE r.unit_code = p.unit_code AND (r.month = p.month OR r.month IS NULL))",
            each.join(" AND ")
        )
    };
    // CASE: a part is in exactly one of the two reads, even were a column it looks at NULL. A
    // tally read says `tally IS NOT NULL` outside it too: what lets SQLite use the index of the
    // open parts' tallies, which holds only those.
    let fitting = format!("(CASE WHEN {fits} THEN 1 ELSE 0 END)");
    let (column, chosen) = match read {
        Read::Tallies => ("p.tally", format!("p.tally IS NOT NULL AND {fitting} = 1")),
        Read::Records => ("p.data", format!("{fitting} = 0")),
    };
    let sql =
        format!("SELECT p.unit_code, CAST(p.month AS BIGINT) AS month, {column} FROM dossier_fact_parts p WHERE {picked} AND {chosen}");
    (sql, binds)
}

fn bound<'q>(sql: String, binds: Vec<Bind>) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for b in binds {
        q = match b {
            Bind::Int(v) => q.bind(v),
            Bind::Text(v) => q.bind(v),
        };
    }
    q
}

/// Fills the tallies of the parts written before migrations 0032 (ended parts) and 0034 (open
/// ones), found by their partial indexes (none once filled), one transaction per unit; returns
/// how many.
pub(crate) async fn fill_tallies(store: &SqlStore) -> Result<usize, StoreError> {
    // Each half in the words of its partial index's condition, which SQLite uses only then: `is_open
    // IN (0, 1)` read every part's row (24 ms with six years of a 3.000.000 province, then at
    // every open of the store: most of what five earlier years added to a Biểu 06 command).
    let units: Vec<String> =
        sqlx::query(UNTALLIED_UNITS).fetch_all(&store.pool).await?.iter().map(|r| r.try_get("unit_code")).collect::<Result<_, _>>()?;
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
            // A part whose dossiers cannot be tallied keeps NULL, and is looked at again after
            // the next migration (`sql::second_halves`): an empty tally would be wrong, and such
            // a part (its writer left it NULL too) is rare.
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

/// The units with a part whose tally is not filled (none once filled).
const UNTALLIED_UNITS: &str = "SELECT unit_code FROM dossier_fact_parts WHERE is_open = 0 AND tally IS NULL \
     UNION SELECT unit_code FROM dossier_fact_parts WHERE is_open = 1 AND tally IS NULL";

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

    /// SQLite's plan of a query: a line per step (`EXPLAIN QUERY PLAN`).
    async fn plan_of(s: &SqlStore, sql: &str, binds: Vec<super::Bind>) -> Vec<String> {
        super::bound(format!("EXPLAIN QUERY PLAN {sql}"), binds)
            .fetch_all(&s.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get("detail").unwrap())
            .collect()
    }

    /// Every open of the store after a migration asks which parts have no tally: SQLite answers from the two
    /// partial indexes, never reading the parts themselves (a province's six years are gigabytes).
    #[tokio::test]
    async fn the_untallied_parts_are_found_by_their_indexes_alone() {
        let s = SqlStore::open("sqlite::memory:").await.unwrap();
        let plan = plan_of(&s, super::UNTALLIED_UNITS, Vec::new()).await;
        let scans: Vec<&String> = plan.iter().filter(|d| d.starts_with("SCAN dossier_fact_parts")).collect();
        assert_eq!(scans.len(), 2, "{plan:?}");
        assert!(scans.iter().all(|d| d.contains("USING INDEX dossier_fact_parts_") && d.contains("untallied")), "{plan:?}");
    }

    /// A window's read decides from indexes which parts it skips and which it reads by their
    /// tallies, and reads the open parts' tallies from their index alone (migration 0037).
    #[tokio::test]
    async fn a_windows_read_picks_its_parts_by_index() {
        let s = SqlStore::open("sqlite::memory:").await.unwrap();
        let (units, windows) = (["X1".to_string(), "X2".to_string()], [(1_700_000_000, 1_730_000_000), (1_710_000_000, 1_720_000_000)]);
        let units: Vec<&String> = units.iter().collect();
        for (open, read, index) in [
            (true, super::Read::Tallies, "USING COVERING INDEX dossier_fact_parts_open_tallies"),
            (false, super::Read::Tallies, "USING INDEX dossier_fact_parts_window"),
            (false, super::Read::Records, "USING INDEX dossier_fact_parts_window"),
        ] {
            let (sql, binds) = super::parts_sql(open, read, &windows, &units, (1_700_000_000, 1_730_000_000));
            let plan = plan_of(&s, &sql, binds).await;
            let parts = plan.iter().find(|d| d.contains("dossier_fact_parts")).unwrap_or_else(|| panic!("{plan:?}"));
            assert!(parts.contains(index), "open {open}: {plan:?}");
        }
    }
}
