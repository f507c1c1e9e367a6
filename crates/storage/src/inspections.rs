//! The store of inspections (kiểm tra công tác CCHC): the year's inspection plan, the inspections
//! done, their findings and recommendations with their follow-up (issue 14, item 3), in SQL for
//! both backends through `Any`, as [`crate::records`]. Every write is one transaction with its
//! audit row under the inspecting unit; a change names the version it was based on and is refused
//! with [`StoreError::Conflict`] when the row changed since (nothing written).

use async_trait::async_trait;
use cchc_records::inspections::{Finding, Inspection};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::rows::{Tx, audit, current, day, expect_version, from_json, json};
use crate::sql::{SqlStore, parameters};
use crate::{AuditEntry, StoreError, Versioned};

/// An inspection with its version and its findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionRecord {
    pub inspection: Inspection,
    pub version: i64,
    pub findings: Vec<Versioned<Finding>>,
}

/// A search of inspections: those made by `units` or of `targets` (either), scheduled by `plan`
/// when given; the latest (done, else planned) first, at most `limit`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InspectionQuery {
    pub units: Vec<String>,
    pub targets: Vec<String>,
    pub plan: Option<i64>,
    pub limit: i64,
}

/// The store of inspections (kiểm tra công tác CCHC): the year's inspection plan, the inspections done, their findings and recommendations with their follow-up (issue 14, item 3).
#[async_trait]
pub trait InspectionStore: Send + Sync {
    /// Stores a new inspection (planned or done) with its findings (their ids and inspection
    /// ignored) in one transaction, with an audit row `action` by `by`.
    async fn insert_inspection(
        &self,
        inspection: &Inspection,
        findings: &[Finding],
        by: &str,
        action: &str,
    ) -> Result<InspectionRecord, StoreError>;

    /// Changes an inspection (not its inspecting unit) if it is still at `expected_version` and
    /// adds the findings `add` to it, all in one transaction with an audit row `action`; the
    /// record as it is then.
    async fn update_inspection(
        &self,
        inspection: &Inspection,
        expected_version: i64,
        add: &[Finding],
        by: &str,
        action: &str,
    ) -> Result<InspectionRecord, StoreError>;

    async fn inspection(&self, id: i64) -> Result<Option<InspectionRecord>, StoreError>;

    async fn inspections(&self, query: &InspectionQuery) -> Result<Vec<InspectionRecord>, StoreError>;

    /// Adds a finding to its inspection (`finding.inspection`).
    async fn insert_finding(&self, finding: &Finding, by: &str) -> Result<Versioned<Finding>, StoreError>;

    /// Changes a finding (not its inspection) if it is still at `expected_version`, with an
    /// audit row `action` ("theo dõi khắc phục kiến nghị", "đóng kiến nghị"); the new version.
    async fn update_finding(&self, finding: &Finding, expected_version: i64, by: &str, action: &str) -> Result<i64, StoreError>;

    async fn finding(&self, id: i64) -> Result<Option<Versioned<Finding>>, StoreError>;
}

fn item(i: &Inspection) -> String {
    let when = match (i.done_on, i.scheduled_on) {
        (Some(d), _) => format!(" ngày {}", d.format("%d/%m/%Y")),
        (None, Some(d)) => format!(" dự kiến ngày {}", d.format("%d/%m/%Y")),
        (None, None) => String::new(),
    };
    format!("kiểm tra {} số {}{when}", i.target, i.id)
}

fn inspection_from(r: &AnyRow) -> Result<(Inspection, i64), StoreError> {
    let mut i: Inspection = from_json(&r.try_get::<String, _>("json")?)?;
    i.id = r.try_get("id")?;
    Ok((i, r.try_get("version")?))
}

fn finding_from(r: &AnyRow) -> Result<Versioned<Finding>, StoreError> {
    let mut f: Finding = from_json(&r.try_get::<String, _>("json")?)?;
    f.id = r.try_get("id")?;
    f.inspection = r.try_get("inspection_id")?;
    Ok(Versioned { value: f, version: r.try_get("version")? })
}

async fn add_finding(tx: &mut Tx, f: &Finding, inspection: i64) -> Result<Versioned<Finding>, StoreError> {
    let row =
        sqlx::query("INSERT INTO inspection_findings (inspection_id, resolved_on, json, version) VALUES ($1, $2, $3, 1) RETURNING id")
            .bind(inspection)
            .bind(f.resolved_on.map(day))
            .bind(json(&Finding { id: 0, inspection: 0, ..f.clone() }))
            .fetch_one(&mut **tx)
            .await?;
    let id: i64 = row.try_get("id")?;
    Ok(Versioned { value: Finding { id, inspection, ..f.clone() }, version: 1 })
}

impl SqlStore {
    async fn findings_of(&self, inspections: &[i64]) -> Result<Vec<Versioned<Finding>>, StoreError> {
        if inspections.is_empty() {
            return Ok(Vec::new());
        }
        let ps = parameters(self.backend, 1, inspections.len());
        let sql = format!(
            "SELECT id, inspection_id, json, version FROM inspection_findings WHERE inspection_id IN ({}) ORDER BY inspection_id, id",
            ps.join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for i in inspections {
            q = q.bind(*i);
        }
        q.fetch_all(&self.pool).await?.iter().map(finding_from).collect()
    }

    async fn with_findings(&self, rows: Vec<(Inspection, i64)>) -> Result<Vec<InspectionRecord>, StoreError> {
        let ids: Vec<i64> = rows.iter().map(|(i, _)| i.id).collect();
        let mut findings = Vec::new();
        for chunk in ids.chunks(500) {
            findings.extend(self.findings_of(chunk).await?);
        }
        Ok(rows
            .into_iter()
            .map(|(inspection, version)| {
                let mine = findings.iter().filter(|f| f.value.inspection == inspection.id).cloned().collect();
                InspectionRecord { inspection, version, findings: mine }
            })
            .collect())
    }
}

#[async_trait]
impl InspectionStore for SqlStore {
    async fn insert_inspection(
        &self,
        inspection: &Inspection,
        findings: &[Finding],
        by: &str,
        action: &str,
    ) -> Result<InspectionRecord, StoreError> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "INSERT INTO inspections (unit_code, target_code, plan_id, scheduled_on, done_on, json, version) VALUES ($1, $2, $3, $4, $5, $6, 1) RETURNING id",
        )
        .bind(&inspection.unit)
        .bind(&inspection.target)
        .bind(inspection.plan)
        .bind(inspection.scheduled_on.map(day))
        .bind(inspection.done_on.map(day))
        .bind(json(&Inspection { id: 0, ..inspection.clone() }))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let inspection = Inspection { id, ..inspection.clone() };
        let mut stored = Vec::new();
        for f in findings {
            stored.push(add_finding(&mut tx, f, id).await?);
        }
        let entry = AuditEntry {
            unit_code: Some(inspection.unit.clone()),
            item: Some(item(&inspection)),
            new_value: Some(json(&(&inspection, stored.iter().map(|f| &f.value).collect::<Vec<_>>()))),
            ..AuditEntry::now(by, action)
        };
        audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(InspectionRecord { inspection, version: 1, findings: stored })
    }

    async fn update_inspection(
        &self,
        inspection: &Inspection,
        expected_version: i64,
        add: &[Finding],
        by: &str,
        action: &str,
    ) -> Result<InspectionRecord, StoreError> {
        let mut tx = self.write().await?;
        let old = expect_version(&mut tx, "inspections", inspection.id, "cuộc kiểm tra", expected_version).await?;
        let before: Inspection = from_json(&old)?;
        if before.unit != inspection.unit {
            return Err(StoreError::Invalid("không chuyển được cuộc kiểm tra sang đơn vị kiểm tra khác".into()));
        }
        sqlx::query(
            "UPDATE inspections SET target_code = $1, plan_id = $2, scheduled_on = $3, done_on = $4, json = $5, version = version + 1 WHERE id = $6 AND version = $7",
        )
        .bind(&inspection.target)
        .bind(inspection.plan)
        .bind(inspection.scheduled_on.map(day))
        .bind(inspection.done_on.map(day))
        .bind(json(&Inspection { id: 0, ..inspection.clone() }))
        .bind(inspection.id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        for f in add {
            add_finding(&mut tx, f, inspection.id).await?;
        }
        let entry = AuditEntry {
            unit_code: Some(inspection.unit.clone()),
            item: Some(item(inspection)),
            old_value: Some(old),
            new_value: Some(json(&(inspection, add))),
            ..AuditEntry::now(by, action)
        };
        audit(&mut tx, &entry).await?;
        tx.commit().await?;
        self.inspection(inspection.id).await?.ok_or_else(|| StoreError::NotFound(format!("cuộc kiểm tra số {}", inspection.id)))
    }

    async fn inspection(&self, id: i64) -> Result<Option<InspectionRecord>, StoreError> {
        let row = sqlx::query("SELECT id, json, version FROM inspections WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        let Some(row) = row else { return Ok(None) };
        Ok(self.with_findings(vec![inspection_from(&row)?]).await?.pop())
    }

    async fn inspections(&self, q: &InspectionQuery) -> Result<Vec<InspectionRecord>, StoreError> {
        let (n, m) = (q.units.len(), q.targets.len());
        if n + m == 0 {
            return Ok(Vec::new());
        }
        let mut either = Vec::new();
        if n > 0 {
            either.push(format!("unit_code IN ({})", parameters(self.backend, 1, n).join(", ")));
        }
        if m > 0 {
            either.push(format!("target_code IN ({})", parameters(self.backend, n + 1, m).join(", ")));
        }
        let mut sql = format!("SELECT id, json, version FROM inspections WHERE ({})", either.join(" OR "));
        if q.plan.is_some() {
            sql.push_str(&format!(" AND plan_id = {}", parameters(self.backend, n + m + 1, 1)[0]));
        }
        sql.push_str(&format!(" ORDER BY COALESCE(done_on, scheduled_on) DESC, id DESC LIMIT {}", q.limit.clamp(0, 10_000)));
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for u in q.units.iter().chain(&q.targets) {
            query = query.bind(u.clone());
        }
        if let Some(p) = q.plan {
            query = query.bind(p);
        }
        let rows = query.fetch_all(&self.pool).await?.iter().map(inspection_from).collect::<Result<Vec<_>, _>>()?;
        self.with_findings(rows).await
    }

    async fn insert_finding(&self, finding: &Finding, by: &str) -> Result<Versioned<Finding>, StoreError> {
        let mut tx = self.write().await?;
        let Some((_, inspection)) = current(&mut tx, "inspections", finding.inspection).await? else {
            return Err(StoreError::NotFound(format!("cuộc kiểm tra số {}", finding.inspection)));
        };
        let inspection: Inspection = Inspection { id: finding.inspection, ..from_json(&inspection)? };
        let stored = add_finding(&mut tx, finding, finding.inspection).await?;
        let entry = AuditEntry {
            unit_code: Some(inspection.unit.clone()),
            item: Some(format!("vấn đề phát hiện số {} ({})", stored.value.id, item(&inspection))),
            new_value: Some(json(&stored.value)),
            ..AuditEntry::now(by, "thêm vấn đề phát hiện, kiến nghị")
        };
        audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn update_finding(&self, finding: &Finding, expected_version: i64, by: &str, action: &str) -> Result<i64, StoreError> {
        let mut tx = self.write().await?;
        let old = expect_version(&mut tx, "inspection_findings", finding.id, "kiến nghị", expected_version).await?;
        let of: i64 = sqlx::query("SELECT inspection_id FROM inspection_findings WHERE id = $1")
            .bind(finding.id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("inspection_id")?;
        if of != finding.inspection {
            return Err(StoreError::Invalid("không chuyển được kiến nghị sang cuộc kiểm tra khác".into()));
        }
        sqlx::query("UPDATE inspection_findings SET resolved_on = $1, json = $2, version = version + 1 WHERE id = $3 AND version = $4")
            .bind(finding.resolved_on.map(day))
            .bind(json(&Finding { id: 0, inspection: 0, ..finding.clone() }))
            .bind(finding.id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?;
        let unit = match current(&mut tx, "inspections", of).await? {
            Some((_, j)) => Some(from_json::<Inspection>(&j)?.unit),
            None => None,
        };
        let entry = AuditEntry {
            unit_code: unit,
            item: Some(format!("kiến nghị số {} (cuộc kiểm tra số {of})", finding.id)),
            old_value: Some(old),
            new_value: Some(json(finding)),
            ..AuditEntry::now(by, action)
        };
        audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(expected_version + 1)
    }

    async fn finding(&self, id: i64) -> Result<Option<Versioned<Finding>>, StoreError> {
        let row = sqlx::query("SELECT id, inspection_id, json, version FROM inspection_findings WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(finding_from).transpose()
    }
}
