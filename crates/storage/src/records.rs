//! The CCHC work records (plans, their tasks, the documents register) in SQL: one
//! implementation for both backends through `Any`, as [`crate::sql`]. Every write is one
//! transaction with its audit row; a change names the version it was based on and is refused
//! with [`StoreError::Conflict`] when the row changed since (nothing written).

use async_trait::async_trait;
use cchc_records::{Direction, DocKind, Document, EvidenceFile, Plan, Task};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::rows::{self, Tx, audit, day, from_json, json};
use crate::sql::{SqlStore, parameters};
use crate::{AuditEntry, StoreError};

/// A record with the version its row is at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned<T> {
    pub value: T,
    pub version: i64,
}

/// A plan with its version and tasks (all of them, or those a query asked for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRecord {
    pub plan: Plan,
    pub version: i64,
    pub tasks: Vec<Versioned<Task>>,
}

/// A search of the documents register: the units' documents, dated within `from..=to`, of a
/// kind and direction, whose number, issuer or summary contains `text` (any case); newest
/// first, at most `limit`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentQuery {
    pub units: Vec<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<DocKind>,
    pub direction: Option<Direction>,
    pub text: String,
    pub limit: i64,
}

/// A file to keep as a task's evidence (checked by `cchc_records::model::check_evidence`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTaskFile {
    pub name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// A file kept as a task's evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFile {
    pub id: i64,
    pub task: i64,
    pub name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// The records of issue 14 (plans, tasks, the documents register).
#[async_trait]
pub trait RecordStore: Send + Sync {
    /// Stores a new plan with its tasks (their ids and plan ignored) in one transaction, with an
    /// audit row `action` by `by`; [`StoreError::Invalid`] when the unit has a plan of that number
    /// and date already.
    async fn insert_plan(&self, plan: &Plan, tasks: &[Task], by: &str, action: &str) -> Result<PlanRecord, StoreError>;

    /// Changes a plan's own fields (not its unit, not its tasks) if it is still at
    /// `expected_version`; returns the new version.
    async fn update_plan(&self, plan: &Plan, expected_version: i64, by: &str) -> Result<i64, StoreError>;

    async fn plan(&self, id: i64) -> Result<Option<PlanRecord>, StoreError>;

    /// The plans of the units, with all their tasks, newest first.
    async fn plans(&self, units: &[String]) -> Result<Vec<PlanRecord>, StoreError>;

    /// The plans of other units that assign tasks to the units, with only those tasks.
    async fn plans_assigning(&self, units: &[String]) -> Result<Vec<PlanRecord>, StoreError>;

    /// Adds a task to its plan (`task.plan`).
    async fn insert_task(&self, task: &Task, by: &str) -> Result<Versioned<Task>, StoreError>;

    /// Changes a task (not its plan) if it is still at `expected_version`; returns the new one.
    async fn update_task(&self, task: &Task, expected_version: i64, by: &str) -> Result<i64, StoreError>;

    async fn task(&self, id: i64) -> Result<Option<Versioned<Task>>, StoreError>;

    /// Keeps `file` as the evidence of task `task.id` if the task is still at
    /// `expected_version`: the file stored and the task (as given, its `evidence_file` naming the
    /// new file) changed in one transaction with its audit row. Returns the task's new version
    /// and what it now says of the file.
    async fn attach_task_file(
        &self,
        task: &Task,
        expected_version: i64,
        file: &NewTaskFile,
        by: &str,
    ) -> Result<(i64, EvidenceFile), StoreError>;

    /// A file kept as a task's evidence, by its id.
    async fn task_file(&self, id: i64) -> Result<Option<TaskFile>, StoreError>;

    /// Adds a document to its unit's register; [`StoreError::Invalid`] when the register holds
    /// one of that direction, number and date already.
    async fn insert_document(&self, doc: &Document, by: &str) -> Result<Versioned<Document>, StoreError>;

    /// Changes a document (not its unit) if it is still at `expected_version`.
    async fn update_document(&self, doc: &Document, expected_version: i64, by: &str) -> Result<i64, StoreError>;

    async fn document(&self, id: i64) -> Result<Option<Versioned<Document>>, StoreError>;

    async fn documents(&self, query: &DocumentQuery) -> Result<Vec<Versioned<Document>>, StoreError>;
}

fn plan_item(p: &Plan) -> String {
    format!("kế hoạch {} ngày {}", p.number, cchc_format_date(p.date))
}

fn cchc_format_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn search_text(d: &Document) -> String {
    format!("{} {} {}", d.number, d.issuer, d.summary).to_lowercase()
}

fn plan_from(r: &AnyRow) -> Result<(Plan, i64), StoreError> {
    let mut p: Plan = from_json(&r.try_get::<String, _>("json")?)?;
    p.id = r.try_get("id")?;
    Ok((p, r.try_get("version")?))
}

fn task_from(r: &AnyRow) -> Result<Versioned<Task>, StoreError> {
    let mut t: Task = from_json(&r.try_get::<String, _>("json")?)?;
    t.id = r.try_get("id")?;
    t.plan = r.try_get("plan_id")?;
    Ok(Versioned { value: t, version: r.try_get("version")? })
}

fn document_from(r: &AnyRow) -> Result<Versioned<Document>, StoreError> {
    let mut d: Document = from_json(&r.try_get::<String, _>("json")?)?;
    d.id = r.try_get("id")?;
    Ok(Versioned { value: d, version: r.try_get("version")? })
}

impl SqlStore {
    async fn add_task(tx: &mut Tx, task: &Task, plan: i64) -> Result<Versioned<Task>, StoreError> {
        let row =
            sqlx::query("INSERT INTO plan_tasks (plan_id, responsible, deadline, json, version) VALUES ($1, $2, $3, $4, 1) RETURNING id")
                .bind(plan)
                .bind(&task.responsible)
                .bind(day(task.deadline))
                .bind(json(task))
                .fetch_one(&mut **tx)
                .await?;
        let id: i64 = row.try_get("id")?;
        Ok(Versioned { value: Task { id, plan, ..task.clone() }, version: 1 })
    }

    async fn tasks_of(&self, plans: &[i64], responsible: Option<&[String]>) -> Result<Vec<Versioned<Task>>, StoreError> {
        if plans.is_empty() {
            return Ok(Vec::new());
        }
        let ps = parameters(self.backend, 1, plans.len());
        let mut sql = format!("SELECT id, plan_id, json, version FROM plan_tasks WHERE plan_id IN ({})", ps.join(", "));
        if let Some(units) = responsible {
            let us = parameters(self.backend, plans.len() + 1, units.len());
            sql.push_str(&format!(" AND responsible IN ({})", us.join(", ")));
        }
        sql.push_str(" ORDER BY plan_id, id");
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for p in plans {
            q = q.bind(*p);
        }
        for u in responsible.unwrap_or_default() {
            q = q.bind(u.clone());
        }
        q.fetch_all(&self.pool).await?.iter().map(task_from).collect()
    }

    async fn plans_where(&self, condition: &str, units: &[String]) -> Result<Vec<(Plan, i64)>, StoreError> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let us = parameters(self.backend, 1, units.len()).join(", ");
        let sql =
            format!("SELECT id, json, version FROM plans WHERE {} ORDER BY issued_on DESC, id DESC", condition.replace("{units}", &us));
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for u in units {
            q = q.bind(u.clone());
        }
        q.fetch_all(&self.pool).await?.iter().map(plan_from).collect()
    }
}

#[async_trait]
impl RecordStore for SqlStore {
    async fn insert_plan(&self, plan: &Plan, tasks: &[Task], by: &str, action: &str) -> Result<PlanRecord, StoreError> {
        let mut tx = self.write().await?;
        let taken = sqlx::query("SELECT id FROM plans WHERE unit_code = $1 AND number = $2 AND issued_on = $3")
            .bind(&plan.unit)
            .bind(&plan.number)
            .bind(day(plan.date))
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Invalid(format!("đơn vị {} đã có {}", plan.unit, plan_item(plan))));
        }
        let row = sqlx::query(
            "INSERT INTO plans (unit_code, kind, number, issued_on, json, version) VALUES ($1, $2, $3, $4, $5, 1) RETURNING id",
        )
        .bind(&plan.unit)
        .bind(plan.kind.slug())
        .bind(&plan.number)
        .bind(day(plan.date))
        .bind(json(plan))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let plan = Plan { id, ..plan.clone() };
        let mut stored = Vec::new();
        for t in tasks {
            stored.push(Self::add_task(&mut tx, t, id).await?);
        }
        let entry = AuditEntry {
            unit_code: Some(plan.unit.clone()),
            item: Some(plan_item(&plan)),
            new_value: Some(format!("{} nhiệm vụ", stored.len())),
            ..AuditEntry::now(by, action)
        };
        audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(PlanRecord { plan, version: 1, tasks: stored })
    }

    async fn update_plan(&self, plan: &Plan, expected_version: i64, by: &str) -> Result<i64, StoreError> {
        let mut tx = self.write().await?;
        let old = rows::expect_version(&mut tx, "plans", plan.id, "kế hoạch", expected_version).await?;
        let before: Plan = from_json(&old)?;
        if before.unit != plan.unit {
            return Err(StoreError::Invalid("không chuyển được kế hoạch sang đơn vị khác".into()));
        }
        let clash = sqlx::query("SELECT id FROM plans WHERE unit_code = $1 AND number = $2 AND issued_on = $3 AND id <> $4")
            .bind(&plan.unit)
            .bind(&plan.number)
            .bind(day(plan.date))
            .bind(plan.id)
            .fetch_optional(&mut *tx)
            .await?;
        if clash.is_some() {
            return Err(StoreError::Invalid(format!("đơn vị {} đã có {}", plan.unit, plan_item(plan))));
        }
        sqlx::query(
            "UPDATE plans SET kind = $1, number = $2, issued_on = $3, json = $4, version = version + 1 WHERE id = $5 AND version = $6",
        )
        .bind(plan.kind.slug())
        .bind(&plan.number)
        .bind(day(plan.date))
        .bind(json(&Plan { id: 0, ..plan.clone() }))
        .bind(plan.id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        let entry = AuditEntry {
            unit_code: Some(plan.unit.clone()),
            item: Some(plan_item(plan)),
            old_value: Some(old),
            new_value: Some(json(plan)),
            ..AuditEntry::now(by, "sửa kế hoạch")
        };
        audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(expected_version + 1)
    }

    async fn plan(&self, id: i64) -> Result<Option<PlanRecord>, StoreError> {
        let Some(row) = sqlx::query("SELECT id, json, version FROM plans WHERE id = $1").bind(id).fetch_optional(&self.pool).await? else {
            return Ok(None);
        };
        let (plan, version) = plan_from(&row)?;
        let tasks = self.tasks_of(&[id], None).await?;
        Ok(Some(PlanRecord { plan, version, tasks }))
    }

    async fn plans(&self, units: &[String]) -> Result<Vec<PlanRecord>, StoreError> {
        let plans = self.plans_where("unit_code IN ({units})", units).await?;
        let ids: Vec<i64> = plans.iter().map(|(p, _)| p.id).collect();
        let mut tasks = self.tasks_of(&ids, None).await?;
        Ok(plans
            .into_iter()
            .map(|(plan, version)| {
                let mine = tasks.iter().filter(|t| t.value.plan == plan.id).cloned().collect();
                tasks.retain(|t| t.value.plan != plan.id);
                PlanRecord { plan, version, tasks: mine }
            })
            .collect())
    }

    async fn plans_assigning(&self, units: &[String]) -> Result<Vec<PlanRecord>, StoreError> {
        let n = units.len();
        if n == 0 {
            return Ok(Vec::new());
        }
        // Plans with a task of the units, then those tasks only.
        let us = parameters(self.backend, 1, n).join(", ");
        let rest = parameters(self.backend, n + 1, n).join(", ");
        let sql = format!(
            "SELECT id, json, version FROM plans WHERE unit_code NOT IN ({rest}) AND id IN (SELECT plan_id FROM plan_tasks WHERE responsible IN ({us})) ORDER BY issued_on DESC, id DESC"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for u in units.iter().chain(units) {
            q = q.bind(u.clone());
        }
        let plans: Vec<(Plan, i64)> = q.fetch_all(&self.pool).await?.iter().map(plan_from).collect::<Result<_, _>>()?;
        let ids: Vec<i64> = plans.iter().map(|(p, _)| p.id).collect();
        let tasks = self.tasks_of(&ids, Some(units)).await?;
        Ok(plans
            .into_iter()
            .map(|(plan, version)| {
                let mine = tasks.iter().filter(|t| t.value.plan == plan.id).cloned().collect();
                PlanRecord { plan, version, tasks: mine }
            })
            .collect())
    }

    async fn insert_task(&self, task: &Task, by: &str) -> Result<Versioned<Task>, StoreError> {
        let mut tx = self.write().await?;
        let Some((_, plan_json)) = rows::current(&mut tx, "plans", task.plan).await? else {
            return Err(StoreError::NotFound(format!("kế hoạch số {}", task.plan)));
        };
        let plan: Plan = from_json(&plan_json)?;
        let stored = Self::add_task(&mut tx, task, task.plan).await?;
        let entry = AuditEntry {
            unit_code: Some(plan.unit.clone()),
            item: Some(format!("nhiệm vụ {} ({})", stored.value.id, plan_item(&plan))),
            new_value: Some(json(&stored.value)),
            ..AuditEntry::now(by, "thêm nhiệm vụ")
        };
        audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn update_task(&self, task: &Task, expected_version: i64, by: &str) -> Result<i64, StoreError> {
        let mut tx = self.write().await?;
        let old = rows::expect_version(&mut tx, "plan_tasks", task.id, "nhiệm vụ", expected_version).await?;
        let plan_id: i64 =
            sqlx::query("SELECT plan_id FROM plan_tasks WHERE id = $1").bind(task.id).fetch_one(&mut *tx).await?.try_get("plan_id")?;
        if plan_id != task.plan {
            return Err(StoreError::Invalid("không chuyển được nhiệm vụ sang kế hoạch khác".into()));
        }
        sqlx::query(
            "UPDATE plan_tasks SET responsible = $1, deadline = $2, json = $3, version = version + 1 WHERE id = $4 AND version = $5",
        )
        .bind(&task.responsible)
        .bind(day(task.deadline))
        .bind(json(task))
        .bind(task.id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        let plan: Option<(i64, String)> = rows::current(&mut tx, "plans", plan_id).await?;
        let unit = plan.map(|(_, j)| from_json::<Plan>(&j)).transpose()?.map(|p| p.unit);
        let entry = AuditEntry {
            unit_code: unit,
            item: Some(format!("nhiệm vụ {}", task.id)),
            old_value: Some(old),
            new_value: Some(json(task)),
            ..AuditEntry::now(by, "sửa nhiệm vụ")
        };
        audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(expected_version + 1)
    }

    async fn attach_task_file(
        &self,
        task: &Task,
        expected_version: i64,
        file: &NewTaskFile,
        by: &str,
    ) -> Result<(i64, EvidenceFile), StoreError> {
        let mut tx = self.write().await?;
        let old = rows::expect_version(&mut tx, "plan_tasks", task.id, "nhiệm vụ", expected_version).await?;
        let row = sqlx::query(
            "INSERT INTO task_files (task_id, name, content_type, size, data, uploaded_at, by_user) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(task.id)
        .bind(&file.name)
        .bind(&file.content_type)
        .bind(file.data.len() as i64)
        .bind(file.data.clone())
        .bind(crate::now().format(crate::sql::TS).to_string())
        .bind(by)
        .fetch_one(&mut *tx)
        .await?;
        let evidence = EvidenceFile { id: row.try_get("id")?, name: file.name.clone(), size: file.data.len() as u64 };
        let task = Task { evidence_file: Some(evidence.clone()), ..task.clone() };
        sqlx::query("UPDATE plan_tasks SET json = $1, version = version + 1 WHERE id = $2 AND version = $3")
            .bind(json(&task))
            .bind(task.id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?;
        let plan: Option<(i64, String)> = rows::current(&mut tx, "plans", task.plan).await?;
        let entry = AuditEntry {
            unit_code: plan.map(|(_, j)| from_json::<Plan>(&j)).transpose()?.map(|p| p.unit),
            item: Some(format!("nhiệm vụ {}", task.id)),
            old_value: Some(old),
            new_value: Some(format!("tệp minh chứng \"{}\" ({} byte)", evidence.name, evidence.size)),
            ..AuditEntry::now(by, "đính kèm minh chứng")
        };
        audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok((expected_version + 1, evidence))
    }

    async fn task_file(&self, id: i64) -> Result<Option<TaskFile>, StoreError> {
        let row = sqlx::query("SELECT id, task_id, name, content_type, data FROM task_files WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| -> Result<TaskFile, StoreError> {
            Ok(TaskFile {
                id: r.try_get("id")?,
                task: r.try_get("task_id")?,
                name: r.try_get("name")?,
                content_type: r.try_get("content_type")?,
                data: r.try_get("data")?,
            })
        })
        .transpose()
    }

    async fn task(&self, id: i64) -> Result<Option<Versioned<Task>>, StoreError> {
        let row =
            sqlx::query("SELECT id, plan_id, json, version FROM plan_tasks WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(task_from).transpose()
    }

    async fn insert_document(&self, doc: &Document, by: &str) -> Result<Versioned<Document>, StoreError> {
        let mut tx = self.write().await?;
        let taken =
            sqlx::query("SELECT id FROM register_documents WHERE unit_code = $1 AND direction = $2 AND number = $3 AND issued_on = $4")
                .bind(&doc.unit)
                .bind(doc.direction.slug())
                .bind(&doc.number)
                .bind(day(doc.date))
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            return Err(StoreError::Invalid(format!("sổ văn bản của đơn vị {} đã có {}", doc.unit, doc.short_citation())));
        }
        let row = sqlx::query(
            "INSERT INTO register_documents (unit_code, kind, direction, number, issued_on, search_text, json, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 1) RETURNING id",
        )
        .bind(&doc.unit)
        .bind(doc.kind.slug())
        .bind(doc.direction.slug())
        .bind(&doc.number)
        .bind(day(doc.date))
        .bind(search_text(doc))
        .bind(json(doc))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let doc = Document { id, ..doc.clone() };
        let entry = AuditEntry {
            unit_code: Some(doc.unit.clone()),
            item: Some(doc.short_citation()),
            new_value: Some(json(&doc)),
            ..AuditEntry::now(by, "thêm văn bản vào sổ")
        };
        audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(Versioned { value: doc, version: 1 })
    }

    async fn update_document(&self, doc: &Document, expected_version: i64, by: &str) -> Result<i64, StoreError> {
        let mut tx = self.write().await?;
        let old = rows::expect_version(&mut tx, "register_documents", doc.id, "văn bản", expected_version).await?;
        let before: Document = from_json(&old)?;
        if before.unit != doc.unit {
            return Err(StoreError::Invalid("không chuyển được văn bản sang sổ của đơn vị khác".into()));
        }
        let clash = sqlx::query(
            "SELECT id FROM register_documents WHERE unit_code = $1 AND direction = $2 AND number = $3 AND issued_on = $4 AND id <> $5",
        )
        .bind(&doc.unit)
        .bind(doc.direction.slug())
        .bind(&doc.number)
        .bind(day(doc.date))
        .bind(doc.id)
        .fetch_optional(&mut *tx)
        .await?;
        if clash.is_some() {
            return Err(StoreError::Invalid(format!("sổ văn bản của đơn vị {} đã có {}", doc.unit, doc.short_citation())));
        }
        sqlx::query(
            "UPDATE register_documents SET kind = $1, direction = $2, number = $3, issued_on = $4, search_text = $5, json = $6, version = version + 1 WHERE id = $7 AND version = $8",
        )
        .bind(doc.kind.slug())
        .bind(doc.direction.slug())
        .bind(&doc.number)
        .bind(day(doc.date))
        .bind(search_text(doc))
        .bind(json(doc))
        .bind(doc.id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        let entry = AuditEntry {
            unit_code: Some(doc.unit.clone()),
            item: Some(doc.short_citation()),
            old_value: Some(old),
            new_value: Some(json(doc)),
            ..AuditEntry::now(by, "sửa văn bản trong sổ")
        };
        audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(expected_version + 1)
    }

    async fn document(&self, id: i64) -> Result<Option<Versioned<Document>>, StoreError> {
        let row = sqlx::query("SELECT id, json, version FROM register_documents WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(document_from).transpose()
    }

    async fn documents(&self, q: &DocumentQuery) -> Result<Vec<Versioned<Document>>, StoreError> {
        if q.units.is_empty() {
            return Ok(Vec::new());
        }
        let n = q.units.len();
        let us = parameters(self.backend, 1, n).join(", ");
        let rest = parameters(self.backend, n + 1, 5);
        let mut sql = format!("SELECT id, json, version FROM register_documents WHERE unit_code IN ({us})");
        let mut binds: Vec<String> = Vec::new();
        let mut add = |cond: &str, value: String| {
            sql.push_str(&format!(" AND {cond} {}", rest[binds.len()]));
            binds.push(value);
        };
        if let Some(from) = q.from {
            add("issued_on >=", day(from));
        }
        if let Some(to) = q.to {
            add("issued_on <=", day(to));
        }
        if let Some(k) = q.kind {
            add("kind =", k.slug().into());
        }
        if let Some(d) = q.direction {
            add("direction =", d.slug().into());
        }
        let text = q.text.trim().to_lowercase();
        if !text.is_empty() {
            add("search_text LIKE", format!("%{}%", text.replace(['%', '_'], "")));
        }
        sql.push_str(&format!(" ORDER BY issued_on DESC, id DESC LIMIT {}", q.limit.clamp(0, 10_000)));
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for u in &q.units {
            query = query.bind(u.clone());
        }
        for b in binds {
            query = query.bind(b);
        }
        query.fetch_all(&self.pool).await?.iter().map(document_from).collect()
    }
}
