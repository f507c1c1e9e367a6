//! The store of citizens' feedback and petitions (phản ánh, kiến nghị: PAKN): intake, assignment,
//! answer (issue 14, item 4), in SQL for both backends through `Any`, as [`crate::records`].
//! Every write is one transaction with its audit row (the sender masked there: the audit log is
//! read by administrators, who see personal data masked); a change names the version it was
//! based on and is refused with [`StoreError::Conflict`] when the row changed since.

use async_trait::async_trait;
use cchc_records::feedback::{Channel, Feedback};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::rows::{audit, day};
use crate::sql::{SqlStore, parameters};
use crate::{AuditEntry, StoreError, Versioned};

/// A search of feedback: that of the units (received by them or assigned to them), received
/// within `from..=to`, of a channel, answered or not, whose content, procedure code or dossier
/// code contains `text` (any case); newest first, at most `limit`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedbackQuery {
    pub units: Vec<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub channel: Option<Channel>,
    /// `Some(true)`: answered only; `Some(false)`: not answered only.
    pub answered: Option<bool>,
    pub text: String,
    pub limit: i64,
}

/// The store of citizens' feedback and petitions (phản ánh, kiến nghị: PAKN): intake, assignment, answer and due date (issue 14, item 4).
#[async_trait]
pub trait FeedbackStore: Send + Sync {
    /// Stores new feedback (its id ignored) with an audit row "tiếp nhận phản ánh, kiến nghị".
    async fn insert_feedback(&self, f: &Feedback, by: &str) -> Result<Versioned<Feedback>, StoreError>;

    /// Changes feedback (not its receiving unit) if it is still at `expected_version`, with an
    /// audit row `action` ("phân công xử lý phản ánh, kiến nghị", "trả lời …"); the new version.
    async fn update_feedback(&self, f: &Feedback, expected_version: i64, by: &str, action: &str) -> Result<i64, StoreError>;

    async fn feedback(&self, id: i64) -> Result<Option<Versioned<Feedback>>, StoreError>;

    async fn feedback_list(&self, q: &FeedbackQuery) -> Result<Vec<Versioned<Feedback>>, StoreError>;
}

fn json(f: &Feedback) -> String {
    serde_json::to_string(f).expect("domain values serialise")
}

/// The record as the audit log keeps it: the sender masked.
fn audited(f: &Feedback) -> String {
    use cchc_dossiers::mask;
    let mut f = f.clone();
    f.sender.name = mask::name(&f.sender.name);
    f.sender.phone = f.sender.phone.as_deref().map(mask::phone);
    f.sender.email = f.sender.email.as_deref().map(mask::email);
    f.sender.address = f.sender.address.as_deref().map(mask::address);
    json(&f)
}

fn item(f: &Feedback) -> String {
    format!("phản ánh, kiến nghị số {} ngày {}", f.id, f.received_on.format("%d/%m/%Y"))
}

fn search_text(f: &Feedback) -> String {
    format!("{} {} {}", f.content, f.procedure.as_deref().unwrap_or_default(), f.dossier.as_deref().unwrap_or_default()).to_lowercase()
}

fn feedback_from(r: &AnyRow) -> Result<Versioned<Feedback>, StoreError> {
    let mut f: Feedback = serde_json::from_str(&r.try_get::<String, _>("json")?).map_err(|e| StoreError::Invalid(e.to_string()))?;
    f.id = r.try_get("id")?;
    Ok(Versioned { value: f, version: r.try_get("version")? })
}

#[async_trait]
impl FeedbackStore for SqlStore {
    async fn insert_feedback(&self, f: &Feedback, by: &str) -> Result<Versioned<Feedback>, StoreError> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "INSERT INTO feedback (unit_code, handler_unit, channel, received_on, answered_on, search_text, json, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 1) RETURNING id",
        )
        .bind(&f.unit)
        .bind(&f.handler_unit)
        .bind(f.channel.slug())
        .bind(day(f.received_on))
        .bind(f.answer.as_ref().map(|a| day(a.on)))
        .bind(search_text(f))
        .bind(json(&Feedback { id: 0, ..f.clone() }))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let f = Feedback { id, ..f.clone() };
        let entry = AuditEntry {
            unit_code: Some(f.unit.clone()),
            item: Some(item(&f)),
            new_value: Some(audited(&f)),
            ..AuditEntry::now(by, "tiếp nhận phản ánh, kiến nghị")
        };
        audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(Versioned { value: f, version: 1 })
    }

    async fn update_feedback(&self, f: &Feedback, expected_version: i64, by: &str, action: &str) -> Result<i64, StoreError> {
        let mut tx = self.write().await?;
        let row = sqlx::query("SELECT id, json, version FROM feedback WHERE id = $1").bind(f.id).fetch_optional(&mut *tx).await?;
        let Some(row) = row else {
            return Err(StoreError::NotFound(format!("phản ánh, kiến nghị số {}", f.id)));
        };
        let before = feedback_from(&row)?;
        if before.version != expected_version {
            return Err(StoreError::Conflict { expected: expected_version, found: before.version });
        }
        if before.value.unit != f.unit {
            return Err(StoreError::Invalid("không chuyển được phản ánh, kiến nghị sang đơn vị tiếp nhận khác".into()));
        }
        sqlx::query(
            "UPDATE feedback SET handler_unit = $1, channel = $2, received_on = $3, answered_on = $4, search_text = $5, json = $6, version = version + 1 WHERE id = $7 AND version = $8",
        )
        .bind(&f.handler_unit)
        .bind(f.channel.slug())
        .bind(day(f.received_on))
        .bind(f.answer.as_ref().map(|a| day(a.on)))
        .bind(search_text(f))
        .bind(json(&Feedback { id: 0, ..f.clone() }))
        .bind(f.id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        let entry = AuditEntry {
            unit_code: Some(f.unit.clone()),
            item: Some(item(f)),
            old_value: Some(audited(&before.value)),
            new_value: Some(audited(f)),
            ..AuditEntry::now(by, action)
        };
        audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(expected_version + 1)
    }

    async fn feedback(&self, id: i64) -> Result<Option<Versioned<Feedback>>, StoreError> {
        let row = sqlx::query("SELECT id, json, version FROM feedback WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(feedback_from).transpose()
    }

    async fn feedback_list(&self, q: &FeedbackQuery) -> Result<Vec<Versioned<Feedback>>, StoreError> {
        if q.units.is_empty() {
            return Ok(Vec::new());
        }
        let n = q.units.len();
        let us = parameters(self.backend, 1, n).join(", ");
        let hs = parameters(self.backend, n + 1, n).join(", ");
        let rest = parameters(self.backend, 2 * n + 1, 4);
        let mut sql = format!("SELECT id, json, version FROM feedback WHERE (unit_code IN ({us}) OR handler_unit IN ({hs}))");
        let mut binds: Vec<String> = Vec::new();
        let mut add = |cond: &str, value: String| {
            sql.push_str(&format!(" AND {cond} {}", rest[binds.len()]));
            binds.push(value);
        };
        if let Some(from) = q.from {
            add("received_on >=", day(from));
        }
        if let Some(to) = q.to {
            add("received_on <=", day(to));
        }
        if let Some(c) = q.channel {
            add("channel =", c.slug().into());
        }
        let text = q.text.trim().to_lowercase();
        if !text.is_empty() {
            add("search_text LIKE", format!("%{}%", text.replace(['%', '_'], "")));
        }
        match q.answered {
            Some(true) => sql.push_str(" AND answered_on IS NOT NULL"),
            Some(false) => sql.push_str(" AND answered_on IS NULL"),
            None => {}
        }
        sql.push_str(&format!(" ORDER BY received_on DESC, id DESC LIMIT {}", q.limit.clamp(0, 10_000)));
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for u in q.units.iter().chain(&q.units) {
            query = query.bind(u.clone());
        }
        for b in binds {
            query = query.bind(b);
        }
        query.fetch_all(&self.pool).await?.iter().map(feedback_from).collect()
    }
}
