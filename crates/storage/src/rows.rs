//! What the SQL store modules share to write a record kept as a versioned row (plans, tasks,
//! documents, inspections, findings, feedback, survey answers): its JSON body, a day column,
//! the audit row written in the same transaction, and the version check before a change.

use chrono::NaiveDate;
use sqlx::{AssertSqlSafe, Row};

use crate::{AuditEntry, StoreError};

/// A write transaction of the store (`SqlStore::write`).
pub(crate) type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A domain value's JSON body.
pub(crate) fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("domain values serialise")
}

/// A stored JSON body read back; a body that does not read is an invalid row, not a panic.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// A day as the day columns hold it (`yyyy-mm-dd`, which sorts as the days do).
pub(crate) fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Writes `e` to the audit log within the transaction of the change it records.
pub(crate) async fn audit(tx: &mut sqlx::Transaction<'_, sqlx::Any>, e: &AuditEntry) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit (at, by_user, unit_code, period, action, item, old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.at.format(crate::sql::TS).to_string())
    .bind(&e.by)
    .bind(&e.unit_code)
    .bind(&e.period)
    .bind(&e.action)
    .bind(&e.item)
    .bind(&e.old_value)
    .bind(&e.new_value)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The version and JSON body of row `id` of `table` (a versioned table of this crate), when it
/// exists.
pub(crate) async fn current(tx: &mut Tx, table: &str, id: i64) -> Result<Option<(i64, String)>, StoreError> {
    let row =
        sqlx::query(AssertSqlSafe(format!("SELECT version, json FROM {table} WHERE id = $1"))).bind(id).fetch_optional(&mut **tx).await?;
    row.map(|r| Ok((r.try_get("version")?, r.try_get("json")?))).transpose()
}

/// Checks the version of the row about to change: [`StoreError::NotFound`] ("`what` số `id`")
/// or [`StoreError::Conflict`]; its JSON body before the change.
pub(crate) async fn expect_version(tx: &mut Tx, table: &str, id: i64, what: &str, expected: i64) -> Result<String, StoreError> {
    match current(tx, table, id).await? {
        None => Err(StoreError::NotFound(format!("{what} số {id}"))),
        Some((found, _)) if found != expected => Err(StoreError::Conflict { expected, found }),
        Some((_, old)) => Ok(old),
    }
}
