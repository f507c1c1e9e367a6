//! The ledger's partitions by year on PostgreSQL: `dossiers` (migration 0033) and its facts
//! `dossier_fact_parts` (migration 0028), one partition of each per year of receipt, and the
//! detaching of a settled old year for archiving.
//!
//! A detached year leaves in its place, in both tables, an empty partition that refuses every
//! row (`dossiers_y2019_closed`, `dossier_fact_parts_y2019_closed`, each with a `CHECK (false)`
//! named `…_y2019_detached`): nothing is written into an archived year, the default partitions
//! never take its rows, and the archive can be attached again (detach the closed partition,
//! attach the archived one). Its receipt codes stay in `dossier_ids`, so none is given again.

use std::collections::HashSet;

use cchc_dossiers::facts::merge_part;
use sqlx::{AssertSqlSafe, Row};

use crate::StoreError;
use crate::bulk::{AnyBulk, BulkTx};
use crate::sql::{Backend, SqlStore};

/// A write refused by the partitions, in words (else the database's error as it is): a row of
/// a detached year (the closed partition's `CHECK (false)`), or a receipt code already taken in
/// `dossier_ids` by a dossier received at another moment, which a writer that upserts on
/// `(id, received_at)` meets only when that dossier is in a detached year.
pub(crate) fn refused(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        let constraint = db.constraint().unwrap_or_default();
        if let Some(year) = constraint.strip_suffix("_detached").and_then(|t| t.rsplit_once("_y")).map(|(_, y)| y) {
            return StoreError::Invalid(format!("năm {year} đã tách khỏi sổ để lưu trữ: không ghi được hồ sơ tiếp nhận trong năm đó"));
        }
        if constraint == "dossier_ids_pkey" {
            let detail = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().and_then(|p| p.detail()).unwrap_or_default();
            return StoreError::Invalid(format!(
                "mã hồ sơ đã có trong sổ với ngày tiếp nhận khác, ở một năm đã tách ra lưu trữ ({detail})"
            ));
        }
    }
    e.into()
}

/// Whether `table` is a partition of `parent` now (in the store's schema).
async fn attached(tx: &mut sqlx::Transaction<'static, sqlx::Any>, parent: &str, table: &str) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "SELECT 1 AS one FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent \
         WHERE c.relname = $1 AND p.relname = $2 AND pg_table_is_visible(c.oid) AND pg_table_is_visible(p.oid)",
    )
    .bind(table.to_string())
    .bind(parent.to_string())
    .fetch_optional(&mut **tx)
    .await?
    .is_some())
}

/// Detaches `parent`'s partition `{parent}_y{year}` and puts in its place the closed one
/// (`from`..`to`: the bounds, as SQL literals).
async fn close_year(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    parent: &str,
    year: i32,
    from: &str,
    to: &str,
) -> Result<(), StoreError> {
    let statements = [
        format!("ALTER TABLE {parent} DETACH PARTITION {parent}_y{year}"),
        format!("CREATE TABLE {parent}_y{year}_closed PARTITION OF {parent} FOR VALUES FROM ({from}) TO ({to})"),
        format!("ALTER TABLE {parent}_y{year}_closed ADD CONSTRAINT {parent}_y{year}_detached CHECK (false)"),
    ];
    for sql in statements {
        sqlx::query(AssertSqlSafe(sql)).execute(&mut **tx).await?;
    }
    Ok(())
}

impl SqlStore {
    /// Detaches, in one transaction, the partitions of the dossiers received in `year` and of
    /// their statistics facts (PostgreSQL's `dossiers_y{year}`, migration 0033, and
    /// `dossier_fact_parts_y{year}`, migration 0028), to be archived (dumped, then dropped) by
    /// the database's administrator, and returns their names. The counter's rows of that year
    /// (`dossier_fact_rows`) are first folded into its facts, so they leave with them.
    ///
    /// Refused, with nothing changed, unless every dossier of that year had ended before
    /// `settled_before` (seconds, the start of the first window still reported on): then no
    /// window from there on counts any of them, and its figures stay as they were. Refused also
    /// when the year has no partition (before 2010, after 2040) or is detached already. On
    /// SQLite, which has no partitions, refused.
    pub async fn detach_settled_year(&self, year: i32, settled_before: i64) -> Result<Vec<String>, StoreError> {
        if self.backend != Backend::Postgres {
            return Err(StoreError::Invalid("chỉ cơ sở dữ liệu PostgreSQL chia sổ hồ sơ theo năm".into()));
        }
        let (dossiers, facts) = (format!("dossiers_y{year}"), format!("dossier_fact_parts_y{year}"));
        let mut t = AnyBulk::new(self.write().await?, self.backend);
        // Writers wait until the year is detached (readers go on): what is checked below is
        // what is detached.
        sqlx::query("LOCK TABLE dossiers, dossier_fact_parts, dossier_fact_rows IN SHARE ROW EXCLUSIVE MODE").execute(&mut *t.tx).await?;
        if !attached(&mut t.tx, "dossiers", &dossiers).await? {
            return Err(StoreError::NotFound(format!("phần sổ hồ sơ năm {year} (chưa tách ra)")));
        }
        // An earlier cchc detached the facts alone: the dossiers follow them now.
        let facts_attached = attached(&mut t.tx, "dossier_fact_parts", &facts).await?;
        let months = (year * 100, (year + 1) * 100);
        // The counter's rows of the year folded into its parts (each part read with its rows laid
        // over it and taken out, and written back whole, as an import does).
        let parts: Vec<(String, i32)> = sqlx::query(
            "SELECT DISTINCT unit_code, CAST(month AS INTEGER) AS month FROM dossier_fact_rows WHERE month >= $1 AND month < $2",
        )
        .bind(months.0)
        .bind(months.1)
        .fetch_all(&mut *t.tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("unit_code")?, r.try_get("month")?)))
        .collect::<Result<_, StoreError>>()?;
        for (unit, month) in parts {
            let old = t.facts_part(&unit, month as u32).await?;
            let part = merge_part(&unit, old.as_deref(), &[], &HashSet::new()).map_err(|e| StoreError::Invalid(e.to_string()))?;
            t.put_facts_part(&unit, month as u32, part).await?;
        }
        let open = sqlx::query(
            "SELECT COUNT(*) AS n FROM dossier_fact_parts WHERE month >= $1 AND month < $2 AND (is_open = 1 OR settled_at >= $3)",
        )
        .bind(months.0)
        .bind(months.1)
        .bind(settled_before)
        .fetch_one(&mut *t.tx)
        .await?
        .try_get::<i64, _>("n")?;
        if open > 0 {
            return Err(StoreError::Invalid(format!(
                "năm {year} còn hồ sơ chưa kết thúc trước kỳ đang báo cáo ({open} phần dữ liệu), chưa thể tách ra lưu trữ"
            )));
        }
        close_year(&mut t.tx, "dossiers", year, &format!("'{year}'"), &format!("'{}'", year + 1)).await?;
        let mut detached = vec![dossiers];
        if facts_attached {
            close_year(&mut t.tx, "dossier_fact_parts", year, &months.0.to_string(), &months.1.to_string()).await?;
            detached.push(facts);
        }
        // DDL fires no row trigger: the tables kept of that year's windows are told here
        // (migration 0027's generations; cchc_app::dashboard).
        sqlx::query("SELECT bump_generation('*')").execute(&mut *t.tx).await?;
        t.tx.commit().await?;
        Ok(detached)
    }
}
