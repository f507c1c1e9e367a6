//! The store of the satisfaction survey at the counter (khảo sát sự hài lòng): one answer per
//! receipt code (issue 14, item 5), in SQL for both backends through `Any`, as [`crate::records`].
//! The one-answer rule is the table's UNIQUE constraint on the receipt code (migration 0024): an
//! insert that meets an answer already there does nothing (`ON CONFLICT DO NOTHING`), so of two
//! answers sent at once exactly one is stored, on SQLite and on PostgreSQL alike.
//!
//! Also kept here: the question set (a setting, [`QUESTIONS_KEY`], written with its audit row by
//! [`SurveyStore::put_survey_questions`]), the server's secret that signs the printed survey
//! links ([`SECRET_KEY`], made once by whoever asks first, never written to the audit log), and
//! the codes of visits without a dossier (`survey_visits`, migration 0029; their answers are
//! marked `visit`, migration 0030, and are never read as a dossier's rating).

use async_trait::async_trait;
use cchc_records::survey::{Answer, Visit};
use chrono::NaiveDate;
use sqlx::{AssertSqlSafe, Row};

use crate::rows::{audit, day, from_json};
use crate::sql::{SqlStore, parameters};
use crate::{AdminStore, AuditEntry, StoreError};

/// The audit action of a stored answer.
pub const AUDIT_ACTION: &str = "gửi phiếu khảo sát hài lòng";

/// The audit action of a visit's code issued.
pub const VISIT_ACTION: &str = "cấp mã khảo sát lượt giao dịch";

/// The audit action of the secret's creation (the secret itself is never logged).
pub const SECRET_ACTION: &str = "tạo khóa ký đường dẫn khảo sát";

/// The setting that holds the question set (`cchc_records::survey::Questionnaire` as JSON);
/// the SIPAS set when unset.
pub const QUESTIONS_KEY: &str = "survey.questions";

/// The setting that holds the secret the printed survey links are signed with.
pub const SECRET_KEY: &str = "survey.secret";

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

    /// Replaces the question set (`json`, kept under [`QUESTIONS_KEY`]) with `entry` in the
    /// audit log, in one transaction.
    async fn put_survey_questions(&self, json: &str, entry: &AuditEntry) -> Result<(), StoreError>;

    /// The secret the survey links are signed with: the one kept under [`SECRET_KEY`], or
    /// `fresh`, kept then (audited by `by` without its value). Of two callers at once, both get
    /// the one kept.
    async fn survey_secret(&self, fresh: &str, by: &str) -> Result<String, StoreError>;

    /// Issues a visit's code: `{prefix}-{n:04}`, `n` the next number of the counter of `prefix`,
    /// advanced in the transaction that inserts it (a code a dossier has is skipped), audited
    /// by `visit.issued_by`. `visit.code` is ignored; the visit is returned as stored.
    /// [`StoreError::Invalid`] when the day's numbers are used up.
    async fn issue_survey_visit(&self, prefix: &str, visit: &Visit) -> Result<Visit, StoreError>;

    /// A visit by its code.
    async fn survey_visit(&self, code: &str) -> Result<Option<Visit>, StoreError>;
}

#[async_trait]
impl SurveyStore for SqlStore {
    async fn insert_survey_answer(&self, answer: &Answer, by: &str) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let json = serde_json::to_string(answer).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let done = sqlx::query(
            "INSERT INTO survey_answers (receipt_code, unit_code, procedure_code, received_on, answered_at, rating, visit, json) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (receipt_code) DO NOTHING",
        )
        .bind(&answer.receipt)
        .bind(&answer.unit)
        .bind(&answer.procedure)
        .bind(day(answer.received_on))
        .bind(answer.answered_at.format(crate::sql::TS).to_string())
        .bind(i64::from(answer.rating()))
        .bind(i64::from(answer.visit))
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
            "SELECT unit_code, receipt_code, rating FROM survey_answers WHERE visit = 0 AND unit_code IN ({})",
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

    async fn put_survey_questions(&self, json: &str, entry: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(QUESTIONS_KEY)
            .bind(json)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn survey_secret(&self, fresh: &str, by: &str) -> Result<String, StoreError> {
        if let Some(kept) = self.setting(SECRET_KEY).await? {
            return Ok(kept);
        }
        let mut tx = self.write().await?;
        let done = sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(SECRET_KEY)
            .bind(fresh)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 1 {
            audit(&mut tx, &AuditEntry::now(by, SECRET_ACTION)).await?;
        }
        tx.commit().await?;
        self.setting(SECRET_KEY).await?.ok_or_else(|| StoreError::NotFound("khóa ký đường dẫn khảo sát".into()))
    }

    async fn issue_survey_visit(&self, prefix: &str, visit: &Visit) -> Result<Visit, StoreError> {
        let mut tx = self.write().await?;
        loop {
            let n: i64 = sqlx::query(
                "INSERT INTO survey_visit_counters (prefix, last) VALUES ($1, 1) \
                 ON CONFLICT (prefix) DO UPDATE SET last = survey_visit_counters.last + 1 RETURNING last",
            )
            .bind(prefix)
            .fetch_one(&mut *tx)
            .await?
            .try_get("last")?;
            if n > 9999 {
                return Err(StoreError::Invalid(format!("đã cấp hết mã khảo sát của ngày ({prefix}-9999)")));
            }
            let code = format!("{prefix}-{n:04}");
            let taken = sqlx::query("SELECT 1 AS one FROM dossiers WHERE id = $1").bind(&code).fetch_optional(&mut *tx).await?.is_some();
            if taken {
                continue;
            }
            let stored = Visit { code: code.clone(), ..visit.clone() };
            let json = serde_json::to_string(&stored).map_err(|e| StoreError::Invalid(e.to_string()))?;
            sqlx::query("INSERT INTO survey_visits (code, unit_code, procedure_code, issued_at, json) VALUES ($1, $2, $3, $4, $5)")
                .bind(&code)
                .bind(&stored.unit)
                .bind(&stored.procedure)
                .bind(stored.issued_at.format(crate::sql::TS).to_string())
                .bind(json)
                .execute(&mut *tx)
                .await?;
            let entry = AuditEntry {
                unit_code: Some(stored.unit.clone()),
                item: Some(code),
                new_value: (!stored.procedure.is_empty()).then(|| format!("thủ tục {}", stored.procedure)),
                ..AuditEntry::now(&stored.issued_by, VISIT_ACTION)
            };
            audit(&mut tx, &entry).await?;
            tx.commit().await?;
            return Ok(stored);
        }
    }

    async fn survey_visit(&self, code: &str) -> Result<Option<Visit>, StoreError> {
        let row = sqlx::query("SELECT json FROM survey_visits WHERE code = $1").bind(code).fetch_optional(&self.pool).await?;
        row.map(|r| from_json(&r.try_get::<String, _>("json")?)).transpose()
    }
}
