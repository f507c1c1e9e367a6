//! The store of the satisfaction survey at the counter (khảo sát sự hài lòng): one answer per
//! receipt code (issue 14, item 5), in SQL for both backends through `Any`, as [`crate::records`].
//! The one-answer rule is the table's UNIQUE constraint on the receipt code (migration 0024): an
//! insert that meets an answer already there does nothing (`ON CONFLICT DO NOTHING`), so of two
//! answers sent at once exactly one is stored, on SQLite and on PostgreSQL alike.

use async_trait::async_trait;
use cchc_records::survey::Answer;
use chrono::NaiveDate;
use sqlx::{AssertSqlSafe, Row};

use crate::rows::{audit, day, from_json};
use crate::sql::{SqlStore, parameters};
use crate::{AuditEntry, StoreError};

/// The audit action of a stored answer.
pub const AUDIT_ACTION: &str = "gửi phiếu khảo sát hài lòng";

/// The store of the satisfaction survey at the counter (khảo sát sự hài lòng): one answer per receipt code (issue 14, item 5).
#[async_trait]
pub trait SurveyStore: Send + Sync {
    /// Stores `answer` with its audit row (by `by`, the receipt code as the item, no score or
    /// comment in the log) in one transaction. `Ok(false)`, nothing written, when its receipt
    /// code has an answer already.
    async fn insert_survey_answer(&self, answer: &Answer, by: &str) -> Result<bool, StoreError>;

    /// The answer given for a receipt code, if any.
    async fn survey_answer(&self, receipt: &str) -> Result<Option<Answer>, StoreError>;

    /// The answers about dossiers received by `units`, within `received` (both days included)
    /// when given, in order of receipt day and receipt code.
    async fn survey_answers(&self, units: &[String], received: Option<(NaiveDate, NaiveDate)>) -> Result<Vec<Answer>, StoreError>;

    /// Each answer's rating ([`Answer::rating`]) by receipt code, of the dossiers received by
    /// `units`, as (unit, receipt code, rating): read from the columns, without the answers'
    /// JSON, because every statistics table of those units lays them over the ledger's.
    async fn survey_ratings(&self, units: &[String]) -> Result<Vec<(String, String, u8)>, StoreError>;
}

#[async_trait]
impl SurveyStore for SqlStore {
    async fn insert_survey_answer(&self, answer: &Answer, by: &str) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let json = serde_json::to_string(answer).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let done = sqlx::query(
            "INSERT INTO survey_answers (receipt_code, unit_code, procedure_code, received_on, answered_at, rating, json) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (receipt_code) DO NOTHING",
        )
        .bind(&answer.receipt)
        .bind(&answer.unit)
        .bind(&answer.procedure)
        .bind(day(answer.received_on))
        .bind(answer.answered_at.format(crate::sql::TS).to_string())
        .bind(i64::from(answer.rating()))
        .bind(json)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        let entry =
            AuditEntry { unit_code: Some(answer.unit.clone()), item: Some(answer.receipt.clone()), ..AuditEntry::now(by, AUDIT_ACTION) };
        audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn survey_answer(&self, receipt: &str) -> Result<Option<Answer>, StoreError> {
        let row = sqlx::query("SELECT json FROM survey_answers WHERE receipt_code = $1").bind(receipt).fetch_optional(&self.pool).await?;
        row.map(|r| from_json(&r.try_get::<String, _>("json")?)).transpose()
    }

    async fn survey_answers(&self, units: &[String], received: Option<(NaiveDate, NaiveDate)>) -> Result<Vec<Answer>, StoreError> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let n = units.len();
        let mut sql = format!("SELECT json FROM survey_answers WHERE unit_code IN ({})", parameters(self.backend, 1, n).join(", "));
        if received.is_some() {
            let p = parameters(self.backend, n + 1, 2);
            sql.push_str(&format!(" AND received_on >= {} AND received_on <= {}", p[0], p[1]));
        }
        sql.push_str(" ORDER BY received_on, receipt_code");
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for u in units {
            q = q.bind(u.clone());
        }
        if let Some((from, to)) = received {
            q = q.bind(day(from)).bind(day(to));
        }
        q.fetch_all(&self.pool).await?.iter().map(|r| from_json(&r.try_get::<String, _>("json")?)).collect()
    }

    async fn survey_ratings(&self, units: &[String]) -> Result<Vec<(String, String, u8)>, StoreError> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT unit_code, receipt_code, rating FROM survey_answers WHERE unit_code IN ({})",
            parameters(self.backend, 1, units.len()).join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for u in units {
            q = q.bind(u.clone());
        }
        q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let rating: i64 = r.try_get("rating")?;
                Ok((r.try_get("unit_code")?, r.try_get("receipt_code")?, u8::try_from(rating).unwrap_or(0)))
            })
            .collect()
    }
}
