//! The CCHC work records' pages and API (issue 14 items 1, 2, 7): `/plans` (a unit's plans and
//! their tasks, with the due-soon and overdue lists, forms to add a plan, a task, record a
//! task's progress, import the Excel table and download it) and `/documents` (the documents
//! register, searched and filtered, with a form to add one); `/api/plans` and `/api/documents`
//! answer the same as JSON. Every rule is `cchc_app::plans` / `cchc_app::register`'s; this
//! module parses forms (dates dd/mm/yyyy) and renders.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use cchc_app::plans::{TaskFilter, TaskRow};
use cchc_records::{Direction, DocKind, Document, Plan, PlanKind, Task};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use crate::auth::CurrentUser;
use crate::error::{ApiError, AppError, AppResult};
use crate::fields::{answered, date, required_date, some};
use crate::state::AppState;
use crate::view::{Nav, current_period};

/// How many working days ahead the due-soon list looks.
const DUE_SOON_DAYS: u32 = 5;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/plans", get(plans_page).post(create_plan))
        .route("/plans/import", post(import))
        .route("/plans/{id}/export.xlsx", get(export))
        .route("/plans/{id}/tasks", post(add_task))
        .route("/plans/tasks/{id}", post(progress))
        .route("/plans/tasks/{id}/evidence", get(evidence_download).post(evidence_upload))
        .route("/documents", get(documents_page).post(create_document))
        .route("/api/plans", get(api_plans).post(api_create_plan))
        .route("/api/plans/{id}/tasks", post(api_add_task))
        .route("/api/plans/tasks/{id}", post(api_progress))
        .route("/api/plans/tasks/{id}/evidence", get(api_evidence_download).post(api_evidence_upload))
        .route("/api/documents", get(api_documents).post(api_create_document))
}

#[derive(Deserialize, Default)]
pub struct PlansQuery {
    #[serde(default)]
    unit: String,
    /// `due` (sắp đến hạn), `overdue` (quá hạn) or all.
    #[serde(default)]
    list: String,
}

impl PlansQuery {
    fn unit(&self, current: &CurrentUser) -> String {
        crate::fields::unit_or_own(&self.unit, current)
    }

    fn filter(&self) -> TaskFilter {
        match self.list.as_str() {
            "due" => TaskFilter::DueWithin(DUE_SOON_DAYS),
            "overdue" => TaskFilter::Overdue,
            _ => TaskFilter::All,
        }
    }
}

struct TaskView {
    id: i64,
    version: i64,
    plan: String,
    content: String,
    responsible: String,
    cooperating: String,
    deadline: String,
    output: String,
    state: &'static str,
    state_slug: &'static str,
    days_left: String,
    started: String,
    done: String,
    notes: Vec<String>,
    /// The evidence document's number in the register (empty: none), and its citation.
    evidence: String,
    evidence_citation: String,
    /// The uploaded evidence file: its name and size ("Biên bản.pdf, 120 KB"), empty when none.
    evidence_file: String,
    progress: bool,
}

struct PlanView {
    id: i64,
    citation: String,
    kind: &'static str,
    signer: String,
    tasks: usize,
    own: bool,
    keep: bool,
}

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    nav: Nav,
    unit: String,
    unit_name: String,
    list: String,
    message: Option<String>,
    plans: Vec<PlanView>,
    tasks: Vec<TaskView>,
    can_keep: bool,
    kinds: Vec<(&'static str, &'static str)>,
    units: Vec<(String, String)>,
    due_days: u32,
}

fn task_view(r: &TaskRow, name: &dyn Fn(&str) -> String, evidence: &std::collections::HashMap<i64, String>) -> TaskView {
    let opt = |d: Option<NaiveDate>| d.map(cchc_format::date).unwrap_or_default();
    TaskView {
        id: r.task.id,
        version: r.version,
        plan: r.plan.short_citation(),
        content: r.task.content.clone(),
        responsible: name(&r.task.responsible),
        cooperating: r.task.cooperating.iter().map(|c| name(c)).collect::<Vec<_>>().join("; "),
        deadline: cchc_format::date(r.task.deadline),
        output: r.task.output.clone(),
        state: r.state.name_vi(),
        state_slug: r.state.slug(),
        days_left: r.days_left.map(|n| format!("còn {n} ngày làm việc")).unwrap_or_default(),
        started: opt(r.task.started_on),
        done: opt(r.task.done_on),
        notes: r.task.notes.iter().map(|n| format!("{}: {}", cchc_format::date(n.on), n.text)).collect(),
        evidence: r.task.evidence.map(|e| e.to_string()).unwrap_or_default(),
        evidence_citation: r.task.evidence.and_then(|e| evidence.get(&e).cloned()).unwrap_or_default(),
        evidence_file: r
            .task
            .evidence_file
            .as_ref()
            .map(|f| format!("{}, {} KB", f.name, cchc_format::int(f.size.div_ceil(1024) as i64)))
            .unwrap_or_default(),
        progress: r.progress,
    }
}

async fn render_plans(state: &AppState, current: &CurrentUser, q: &PlansQuery, message: Option<String>) -> AppResult<String> {
    let unit = q.unit(current);
    let tree = state.tree().await?;
    let list = cchc_app::plans::list(state, &current.user, &unit).await?;
    let rows = cchc_app::plans::tasks(state, &current.user, &unit, cchc_app::plans::today(), q.filter()).await?;
    let name = |c: &str| tree.get(c).map_or_else(|| c.to_string(), |u| u.name.clone());
    // The citations of the evidence documents the tasks name.
    let mut evidence = std::collections::HashMap::new();
    for id in rows.iter().filter_map(|r| r.task.evidence) {
        match cchc_app::register::get(state, &current.user, id).await {
            Ok((d, _)) => {
                evidence.insert(id, d.value.short_citation());
            }
            // A document gone, or of a unit the reader may not see: no citation.
            Err(cchc_app::Error::NotFound(_) | cchc_app::Error::Forbidden(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let plans = list
        .own
        .iter()
        .map(|p| (p, true))
        .chain(list.assigned.iter().map(|p| (p, false)))
        .map(|(p, own)| PlanView {
            id: p.plan.id,
            citation: p.plan.citation(),
            kind: p.plan.kind.name_vi(),
            signer: p.plan.signer.clone(),
            tasks: p.tasks.len(),
            own,
            keep: own && list.can_keep,
        })
        .collect();
    let mut units: Vec<(String, String)> = tree.subtree(&unit).into_iter().map(|u| (u.code.clone(), u.name.clone())).collect();
    units.sort();
    let page = PlansPage {
        nav: Nav::new(current, current_period()),
        unit_name: list.unit.name.clone(),
        unit,
        list: q.list.clone(),
        message,
        plans,
        tasks: rows.iter().map(|r| task_view(r, &name, &evidence)).collect(),
        can_keep: list.can_keep,
        kinds: PlanKind::ALL.iter().map(|k| (k.slug(), k.name_vi())).collect(),
        units,
        due_days: DUE_SOON_DAYS,
    };
    Ok(page.render()?)
}

/// `/plans?unit=…&list=due|overdue`.
pub async fn plans_page(State(state): State<Arc<AppState>>, current: CurrentUser, Query(q): Query<PlansQuery>) -> AppResult<Html<String>> {
    Ok(Html(render_plans(&state, &current, &q, None).await?))
}

/// The unit's plans page again, saying why a form was refused.
async fn plans_again(state: &AppState, current: &CurrentUser, unit: &str, message: String) -> AppResult<String> {
    render_plans(state, current, &PlansQuery { unit: unit.to_string(), list: String::new() }, Some(message)).await
}

#[derive(Deserialize, Clone)]
pub struct PlanForm {
    unit: String,
    kind: String,
    number: String,
    date: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    signer: String,
    summary: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
}

fn plan_of(f: &PlanForm) -> Result<Plan, cchc_app::Error> {
    Ok(Plan {
        id: 0,
        unit: f.unit.trim().into(),
        kind: PlanKind::from_slug(&f.kind).ok_or_else(|| cchc_app::Error::invalid(format!("Loại kế hoạch \"{}\" không có.", f.kind)))?,
        number: f.number.trim().into(),
        date: required_date("Ngày ban hành", &f.date)?,
        issuer: f.issuer.trim().into(),
        signer: f.signer.trim().into(),
        summary: f.summary.trim().into(),
        valid_from: date("Hiệu lực từ ngày", &f.valid_from)?,
        valid_to: date("Hiệu lực đến ngày", &f.valid_to)?,
    })
}

/// `POST /plans`: a new plan (its tasks added on its row).
pub async fn create_plan(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Form(f): Form<PlanForm>,
) -> AppResult<Response> {
    let result = async { cchc_app::plans::create(&state, &current.user, plan_of(&f)?, Vec::new()).await }.await;
    let saved = |rec: cchc_storage::PlanRecord| {
        (format!("Đã thêm {}.", rec.plan.short_citation()), format!("/plans?unit={}#plan-{}", rec.plan.unit, rec.plan.id))
    };
    answered(&session, result, saved, |m| plans_again(&state, &current, f.unit.trim(), m)).await
}

#[derive(Deserialize, Clone)]
pub struct TaskForm {
    content: String,
    responsible: String,
    #[serde(default)]
    cooperating: String,
    deadline: String,
    #[serde(default)]
    output: String,
}

fn task_of(plan: i64, f: &TaskForm) -> Result<Task, cchc_app::Error> {
    Ok(Task {
        id: 0,
        plan,
        content: f.content.trim().into(),
        responsible: f.responsible.trim().into(),
        cooperating: f.cooperating.split([',', ';']).map(str::trim).filter(|c| !c.is_empty()).map(Into::into).collect(),
        deadline: required_date("Thời hạn hoàn thành", &f.deadline)?,
        output: f.output.trim().into(),
        started_on: None,
        done_on: None,
        notes: Vec::new(),
        evidence: None,
        evidence_file: None,
    })
}

/// `POST /plans/{id}/tasks`: a task added to the plan.
pub async fn add_task(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Path(id): Path<i64>,
    Form(f): Form<TaskForm>,
) -> AppResult<Response> {
    let (plan, _) = cchc_app::plans::get(&state, &current.user, id).await?;
    let result = async { cchc_app::plans::add_task(&state, &current.user, task_of(id, &f)?).await }.await;
    let saved = |t: cchc_storage::Versioned<Task>| {
        let text = format!("Đã thêm nhiệm vụ «{}» vào {}.", t.value.content, plan.plan.short_citation());
        (text, format!("/plans?unit={}#task-{}", plan.plan.unit, t.value.id))
    };
    answered(&session, result, saved, |m| plans_again(&state, &current, &plan.plan.unit, m)).await
}

#[derive(Deserialize)]
pub struct ProgressForm {
    version: i64,
    /// The unit whose page the form was on (to go back to it).
    #[serde(default)]
    unit: String,
    #[serde(default)]
    started_on: String,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    note: String,
    /// Minh chứng: the number (id) of a document of the register; empty for none.
    #[serde(default)]
    evidence: String,
}

/// The progress a form or a body states.
fn progress_of(f: &ProgressForm) -> Result<cchc_app::plans::Progress, cchc_app::Error> {
    let evidence = match some(&f.evidence) {
        None => None,
        Some(e) => Some(e.parse::<i64>().map_err(|_| {
            let p = cchc_app::Problem::at("Minh chứng", format!("\"{e}\" không phải số thứ tự của một văn bản trong sổ văn bản."));
            cchc_app::Error::invalid_all(format!("Chưa lưu: {p}"), vec![p])
        })?),
    };
    Ok(cchc_app::plans::Progress {
        started_on: date("Ngày bắt đầu", &f.started_on)?,
        done_on: date("Ngày hoàn thành", &f.done_on)?,
        note: some(&f.note).map(str::to_string),
        evidence,
    })
}

/// `POST /plans/tasks/{id}`: a task's progress (start, finish, a note), based on its version.
pub async fn progress(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Path(id): Path<i64>,
    Form(f): Form<ProgressForm>,
) -> AppResult<Response> {
    let back = crate::fields::unit_or_own(&f.unit, &current);
    let result = async { cchc_app::plans::record_progress(&state, &current.user, id, f.version, progress_of(&f)?).await }.await;
    let saved = |t: cchc_storage::Versioned<Task>| {
        (format!("Đã cập nhật tiến độ nhiệm vụ «{}».", t.value.content), format!("/plans?unit={back}#task-{id}"))
    };
    answered(&session, result, saved, |m| plans_again(&state, &current, &back, m)).await
}

/// `POST /plans/import` (multipart: `unit`, `file`): a plan with its task table from Excel.
pub async fn import(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let bad = |m: &str| AppError::BadRequest(m.into());
    let mut form = form.map_err(|_| bad("Yêu cầu không phải một tệp gửi lên từ biểu mẫu nhập kế hoạch."))?;
    let (mut unit, mut bytes) = (String::new(), None);
    while let Some(field) = form.next_field().await.map_err(|_| bad("Không đọc được tệp gửi lên (bị ngắt hoặc sai định dạng)."))?
    {
        match field.name() {
            Some("unit") => unit = field.text().await.map_err(|_| bad("Không đọc được mã đơn vị."))?,
            Some("file") => bytes = Some(field.bytes().await.map_err(|_| bad("Không đọc được tệp gửi lên (quá lớn hoặc bị ngắt)."))?),
            _ => {}
        }
    }
    let unit = crate::fields::unit_or_own(&unit, &current);
    let bytes = bytes.filter(|b| !b.is_empty()).ok_or_else(|| bad("Chưa chọn tệp kế hoạch (.xlsx)."))?;
    let result = cchc_app::plans::import(&state, &current.user, &unit, &bytes).await;
    let saved = |rec: cchc_storage::PlanRecord| {
        let done = format!("Đã nhập {} với {} nhiệm vụ.", rec.plan.short_citation(), cchc_format::int(rec.tasks.len() as i64));
        (done, format!("/plans?unit={unit}#plan-{}", rec.plan.id))
    };
    answered(&session, result, saved, |m| plans_again(&state, &current, &unit, m)).await
}

/// `GET /plans/{id}/export.xlsx`.
pub async fn export(State(state): State<Arc<AppState>>, current: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let (plan, bytes) = cchc_app::plans::export(&state, &current.user, id).await?;
    let name = format!("ke-hoach-{}.xlsx", plan.number.replace(['/', '\\', '"'], "-"));
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", name.replace(|c: char| !c.is_ascii(), "_"))),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize, Default, Clone)]
pub struct DocumentsQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

impl DocumentsQuery {
    fn query(&self, current: &CurrentUser) -> Result<cchc_storage::DocumentQuery, cchc_app::Error> {
        Ok(cchc_storage::DocumentQuery {
            units: vec![crate::fields::unit_or_own(&self.unit, current)],
            from: date("Từ ngày", &self.from)?,
            to: date("Đến ngày", &self.until)?,
            kind: DocKind::from_slug(&self.kind),
            direction: Direction::from_slug(&self.direction),
            text: self.q.clone(),
            limit: 500,
        })
    }
}

struct DocView {
    id: i64,
    kind: &'static str,
    direction: &'static str,
    number: String,
    date: String,
    issuer: String,
    summary: String,
    citation: String,
}

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentsPage {
    nav: Nav,
    f: DocumentsQuery,
    unit: String,
    unit_name: String,
    message: Option<String>,
    docs: Vec<DocView>,
    count: String,
    can_keep: bool,
    kinds: Vec<(&'static str, &'static str)>,
    directions: Vec<(&'static str, &'static str)>,
}

async fn render_documents(state: &AppState, current: &CurrentUser, f: DocumentsQuery, message: Option<String>) -> AppResult<String> {
    let tree = state.tree().await?;
    let (docs, message) = match f.query(current) {
        Ok(q) => (cchc_app::register::search(state, &current.user, &q).await?, message),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let unit = crate::fields::unit_or_own(&f.unit, current);
    let page = DocumentsPage {
        nav: Nav::new(current, current_period()),
        unit_name: tree.get(&unit).map(|u| u.name.clone()).unwrap_or_default(),
        can_keep: cchc_app::plans::can_keep(&current.user, &tree, &unit),
        unit,
        message,
        count: cchc_format::int(docs.len() as i64),
        docs: docs
            .iter()
            .map(|d| DocView {
                id: d.value.id,
                kind: d.value.kind.name_vi(),
                direction: d.value.direction.name_vi(),
                number: d.value.number.clone(),
                date: cchc_format::date(d.value.date),
                issuer: d.value.issuer.clone(),
                summary: d.value.summary.clone(),
                citation: d.value.citation(),
            })
            .collect(),
        kinds: DocKind::ALL.iter().map(|k| (k.slug(), k.name_vi())).collect(),
        directions: Direction::ALL.iter().map(|k| (k.slug(), k.name_vi())).collect(),
        f,
    };
    Ok(page.render()?)
}

/// `/documents?unit=…&q=…&kind=…&direction=…&from=…&until=…`.
pub async fn documents_page(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Query(f): Query<DocumentsQuery>,
) -> AppResult<Html<String>> {
    Ok(Html(render_documents(&state, &current, f, None).await?))
}

#[derive(Deserialize)]
pub struct DocumentForm {
    unit: String,
    kind: String,
    direction: String,
    number: String,
    date: String,
    #[serde(default)]
    issuer: String,
    summary: String,
}

fn document_of(f: &DocumentForm) -> Result<Document, cchc_app::Error> {
    Ok(Document {
        id: 0,
        unit: f.unit.trim().into(),
        kind: DocKind::from_slug(&f.kind).ok_or_else(|| cchc_app::Error::invalid(format!("Loại văn bản \"{}\" không có.", f.kind)))?,
        direction: Direction::from_slug(&f.direction).unwrap_or(Direction::Issued),
        number: f.number.trim().into(),
        date: required_date("Ngày văn bản", &f.date)?,
        issuer: f.issuer.trim().into(),
        summary: f.summary.trim().into(),
    })
}

/// `POST /documents`: a document added to the unit's register.
pub async fn create_document(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Form(f): Form<DocumentForm>,
) -> AppResult<Response> {
    let result = async { cchc_app::register::create(&state, &current.user, document_of(&f)?).await }.await;
    let saved = |d: cchc_storage::Versioned<Document>| {
        (format!("Đã thêm {} vào sổ văn bản.", d.value.short_citation()), format!("/documents?unit={}#doc-{}", d.value.unit, d.value.id))
    };
    let again = |m| render_documents(&state, &current, DocumentsQuery { unit: f.unit.trim().into(), ..DocumentsQuery::default() }, Some(m));
    answered(&session, result, saved, again).await
}

/// `GET /api/plans?unit=…&list=due|overdue`: the unit's plans and its tasks with their states.
pub async fn api_plans(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Query(q): Query<PlansQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let unit = q.unit(&current);
    let list = cchc_app::plans::list(&state, &current.user, &unit).await?;
    let rows = cchc_app::plans::tasks(&state, &current.user, &unit, cchc_app::plans::today(), q.filter()).await?;
    let plan = |p: &cchc_storage::PlanRecord| json!({ "plan": p.plan, "version": p.version, "citation": p.plan.citation() });
    Ok(Json(json!({
        "unit": unit,
        "plans": list.own.iter().map(plan).collect::<Vec<_>>(),
        "assigning": list.assigned.iter().map(plan).collect::<Vec<_>>(),
        "tasks": rows.iter().map(|r| json!({
            "task": r.task, "version": r.version, "plan": r.plan.id, "state": r.state.slug(), "state_name": r.state.name_vi(), "working_days_left": r.days_left,
        })).collect::<Vec<_>>(),
    })))
}

/// `GET /api/documents?…`: the register as JSON, with each document's citation.
pub async fn api_documents(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Query(f): Query<DocumentsQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let q = f.query(&current).map_err(AppError::from)?;
    let docs = cchc_app::register::search(&state, &current.user, &q).await?;
    Ok(Json(json!({
        "documents": docs.iter().map(|d| json!({ "document": d.value, "version": d.version, "citation": d.value.citation() })).collect::<Vec<_>>(),
    })))
}

/// A plan as the API takes it: the form's fields (dates dd/mm/yyyy) and its tasks.
#[derive(Deserialize)]
pub struct ApiPlan {
    #[serde(flatten)]
    plan: PlanForm,
    #[serde(default)]
    tasks: Vec<TaskForm>,
}

/// `POST /api/plans`: a plan with its tasks, all or nothing.
pub async fn api_create_plan(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    crate::api::ApiJson(b): crate::api::ApiJson<ApiPlan>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let plan = plan_of(&b.plan).map_err(AppError::from)?;
    let tasks = b.tasks.iter().map(|t| task_of(0, t)).collect::<Result<Vec<_>, _>>().map_err(AppError::from)?;
    let rec = cchc_app::plans::create(&state, &current.user, plan, tasks).await?;
    Ok(Json(json!({
        "plan": rec.plan, "version": rec.version, "citation": rec.plan.citation(),
        "tasks": rec.tasks.iter().map(|t| json!({ "task": t.value, "version": t.version })).collect::<Vec<_>>(),
    })))
}

/// `POST /api/plans/{id}/tasks`.
pub async fn api_add_task(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path(id): Path<i64>,
    crate::api::ApiJson(b): crate::api::ApiJson<TaskForm>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let task = task_of(id, &b).map_err(AppError::from)?;
    let t = cchc_app::plans::add_task(&state, &current.user, task).await?;
    Ok(Json(json!({ "task": t.value, "version": t.version })))
}

/// `POST /api/plans/tasks/{id}`: progress, based on `version` (409 when stale).
pub async fn api_progress(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path(id): Path<i64>,
    crate::api::ApiJson(b): crate::api::ApiJson<ProgressForm>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let progress = progress_of(&b).map_err(AppError::from)?;
    let t = cchc_app::plans::record_progress(&state, &current.user, id, b.version, progress).await?;
    Ok(Json(json!({ "id": id, "version": t.version })))
}

/// `POST /api/documents`.
pub async fn api_create_document(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    crate::api::ApiJson(b): crate::api::ApiJson<DocumentForm>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let doc = document_of(&b).map_err(AppError::from)?;
    let d = cchc_app::register::create(&state, &current.user, doc).await?;
    Ok(Json(json!({ "document": d.value, "version": d.version, "citation": d.value.citation() })))
}

/// The `version` and `file` fields of an evidence upload (multipart), refused in Vietnamese when
/// the form is not one.
async fn evidence_form(
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(i64, String, Vec<u8>, String), AppError> {
    let bad = |m: &str| AppError::BadRequest(m.into());
    let mut form = form.map_err(|_| bad("Yêu cầu không phải một tệp gửi lên từ biểu mẫu minh chứng."))?;
    let (mut version, mut name, mut bytes, mut unit) = (None, String::new(), Vec::new(), String::new());
    while let Some(field) = form.next_field().await.map_err(|_| bad("Không đọc được tệp gửi lên (bị ngắt hoặc sai định dạng)."))?
    {
        match field.name() {
            Some("version") => {
                let text = field.text().await.map_err(|_| bad("Không đọc được phiên bản nhiệm vụ."))?;
                version = Some(text.trim().parse::<i64>().map_err(|_| bad("Phiên bản nhiệm vụ không hợp lệ; hãy tải lại trang."))?);
            }
            Some("unit") => unit = field.text().await.map_err(|_| bad("Không đọc được mã đơn vị."))?,
            Some("file") => {
                name = field.file_name().unwrap_or_default().to_string();
                bytes = field.bytes().await.map_err(|_| bad("Không đọc được tệp gửi lên (quá lớn hoặc bị ngắt)."))?.to_vec();
            }
            _ => {}
        }
    }
    let version = version.ok_or_else(|| bad("Thiếu phiên bản nhiệm vụ; hãy tải lại trang."))?;
    Ok((version, name, bytes, unit))
}

/// `POST /plans/tasks/{id}/evidence` (multipart: `version`, `unit`, `file`): an evidence file
/// for the task (`cchc_app::plans::attach_evidence` decides).
pub async fn evidence_upload(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Path(id): Path<i64>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let (version, name, bytes, unit) = evidence_form(form).await?;
    let back = crate::fields::unit_or_own(&unit, &current);
    let result = cchc_app::plans::attach_evidence(&state, &current.user, id, version, &name, bytes).await;
    let saved = |t: cchc_storage::Versioned<Task>| {
        let file = t.value.evidence_file.map(|f| f.name).unwrap_or_default();
        (format!("Đã lưu tệp minh chứng «{file}» của nhiệm vụ «{}».", t.value.content), format!("/plans?unit={back}#task-{id}"))
    };
    answered(&session, result, saved, |m| plans_again(&state, &current, &back, m)).await
}

/// `POST /api/plans/tasks/{id}/evidence` (multipart: `version`, `file`; 409 when stale).
pub async fn api_evidence_upload(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path(id): Path<i64>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (version, name, bytes, _) = evidence_form(form).await?;
    let t = cchc_app::plans::attach_evidence(&state, &current.user, id, version, &name, bytes).await?;
    Ok(Json(json!({ "id": id, "version": t.version, "evidence_file": t.value.evidence_file })))
}

/// `GET /plans/tasks/{id}/evidence`: the task's evidence file, as an attachment (never shown
/// inline, whatever it holds), for whoever may see the task.
pub async fn evidence_download(State(state): State<Arc<AppState>>, current: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    Ok(attachment(cchc_app::plans::evidence_file(&state, &current.user, id).await?))
}

/// `GET /api/plans/tasks/{id}/evidence`: the same, refusals as JSON.
pub async fn api_evidence_download(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    Ok(attachment(cchc_app::plans::evidence_file(&state, &current.user, id).await?))
}

/// A kept file as a download named as uploaded (RFC 6266: an ASCII fallback and the UTF-8 name).
fn attachment(file: cchc_storage::TaskFile) -> Response {
    let ascii: String = file.name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let utf8: String = file
        .name
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b".-_".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    (
        [
            (header::CONTENT_TYPE, file.content_type),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{utf8}")),
        ],
        file.data,
    )
        .into_response()
}
