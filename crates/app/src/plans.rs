//! The use cases of plans and their tasks (issue 14 item 1): list, read, create, change, add and
//! finish tasks, import a plan's task table from Excel and export it back, the due-soon and
//! overdue lists, and the figures and section I lists a report takes from them.
//!
//! Who may do what: everyone who can read a unit's reports reads its plans (a unit officer
//! their unit, the compiling office and leaders the subtree); a unit officer keeps their unit's
//! plans, the compiling office those of its subtree, an administrator all; leaders only read.
//! The unit a task is assigned to records its progress (start, finish, notes, evidence) but does
//! not change what the plan asks. Every change is audited by the store in its transaction.

use std::collections::HashMap;

use cchc_calendar::WorkCalendar;
use cchc_catalogue::Catalogue;
use cchc_periods::{DateRange, Period, WindowRule};
use cchc_records::sheet::{self, ImportedPlan};
use cchc_records::state::{TaskState, state_on, working_days_left};
use cchc_records::{Plan, Task, figures};
use cchc_report::UnitReport;
use cchc_storage::{PlanRecord, Role, Store, StoreError, User, Versioned};
use cchc_units::UnitTree;
use chrono::NaiveDate;

use crate::access;
use crate::app::App;
use crate::error::{Error, Problem, Result};

const NO_READ: &str = "Bạn không có quyền xem kế hoạch, nhiệm vụ của đơn vị này.";
const NO_KEEP: &str = "Bạn không có quyền thêm hoặc sửa kế hoạch, nhiệm vụ của đơn vị này.";

/// Whether `user` may keep (add, change) the records of `unit`: a unit officer their own unit,
/// the compiling office its subtree, an administrator every unit; leaders never.
pub fn can_keep(user: &User, tree: &UnitTree, unit: &str) -> bool {
    match user.role {
        Role::Admin => true,
        Role::UnitOfficer => user.unit_code == unit,
        Role::Compiler => tree.is_within(unit, &user.unit_code),
        Role::Leader => false,
    }
}

fn conflict(what: &str) -> impl Fn(StoreError) -> Error + '_ {
    move |e| match e {
        StoreError::Conflict { expected, found } => Error::Conflict(format!(
            "{what} đã được người khác sửa (phiên bản hiện tại {found}, bạn đang sửa phiên bản {expected}); chưa lưu gì. Hãy tải lại rồi sửa lại."
        )),
        other => other.into(),
    }
}

fn invalid(summary: &str, problems: Vec<(&str, String)>) -> Error {
    Error::Invalid { summary: summary.into(), problems: problems.into_iter().map(|(f, m)| Problem::at(f, m)).collect() }
}

/// Today in Vietnam.
pub fn today() -> NaiveDate {
    cchc_storage::now().date()
}

/// A task as the lists show it: with its plan, its version and its state today.
#[derive(Debug, Clone)]
pub struct TaskRow {
    pub plan: Plan,
    pub task: Task,
    pub version: i64,
    pub state: TaskState,
    /// Working days left before its deadline (`None`: finished or overdue).
    pub days_left: Option<u32>,
    /// Whether the acting user may change what the task asks (its plan's unit).
    pub editable: bool,
    /// Whether the acting user may record its progress (its plan's unit or the assigned one).
    pub progress: bool,
}

/// A unit's plans and the tasks other units' plans assign to it.
#[derive(Debug, Clone)]
pub struct Plans {
    pub unit: cchc_units::Unit,
    pub own: Vec<PlanRecord>,
    pub assigned: Vec<PlanRecord>,
    pub can_keep: bool,
}

/// `unit`'s plans (with their tasks) and the plans assigning it tasks.
pub async fn list(app: &App, actor: &User, unit: &str) -> Result<Plans> {
    let tree = app.tree().await?;
    let u = tree.get(unit).ok_or_else(|| Error::NotFound(format!("đơn vị {unit}")))?.clone();
    if !access::can_read(actor, &tree, unit) {
        return Err(Error::Forbidden(NO_READ.into()));
    }
    let units = [unit.to_string()];
    let own = app.store.plans(&units).await?;
    let assigned = app.store.plans_assigning(&units).await?;
    Ok(Plans { unit: u, own, assigned, can_keep: can_keep(actor, &tree, unit) })
}

/// One plan with its tasks, and what the acting user may do with it.
pub async fn get(app: &App, actor: &User, id: i64) -> Result<(PlanRecord, bool)> {
    let tree = app.tree().await?;
    let record = app.store.plan(id).await?.ok_or_else(|| Error::NotFound(format!("kế hoạch số {id}")))?;
    if !access::can_read(actor, &tree, &record.plan.unit) {
        // Another unit's plan is not shown as existing, except to the units it assigns tasks to.
        let assigned = record.tasks.iter().any(|t| access::can_read(actor, &tree, &t.value.responsible));
        if !assigned {
            return Err(Error::NotFound(format!("kế hoạch số {id}")));
        }
    }
    let keep = can_keep(actor, &tree, &record.plan.unit);
    Ok((record, keep))
}

/// The problems of a task against the unit tree: units that exist, a responsible unit within the
/// plan's unit's subtree, evidence that is a document of the register.
async fn task_problems(app: &App, tree: &UnitTree, plan: &Plan, task: &Task) -> Result<Vec<(&'static str, String)>> {
    let mut problems = task.problems();
    if !task.responsible.is_empty() {
        if tree.get(&task.responsible).is_none() {
            problems.push(("Đơn vị chủ trì", format!("không có đơn vị \"{}\"", task.responsible)));
        } else if !tree.is_within(&task.responsible, &plan.unit) {
            problems.push((
                "Đơn vị chủ trì",
                format!("đơn vị {} không trực thuộc đơn vị ban hành kế hoạch, không giao nhiệm vụ được", task.responsible),
            ));
        }
    }
    for c in &task.cooperating {
        if tree.get(c).is_none() {
            problems.push(("Đơn vị phối hợp", format!("không có đơn vị \"{c}\"")));
        }
    }
    if let Some(e) = task.evidence
        && app.store.document(e).await?.is_none()
    {
        problems.push(("Minh chứng", format!("không có văn bản số {e} trong sổ văn bản")));
    }
    Ok(problems)
}

fn plan_problems(tree: &UnitTree, plan: &Plan) -> Vec<(&'static str, String)> {
    let mut p = plan.problems();
    if !plan.unit.is_empty() && tree.get(&plan.unit).is_none() {
        p.push(("Đơn vị", format!("không có đơn vị \"{}\"", plan.unit)));
    }
    p
}

/// Creates a plan of `plan.unit` with its tasks, all or nothing.
pub async fn create(app: &App, actor: &User, plan: Plan, tasks: Vec<Task>) -> Result<PlanRecord> {
    store_new(app, actor, ImportedPlan { plan, tasks, rows: Vec::new() }, "thêm kế hoạch").await
}

async fn store_new(app: &App, actor: &User, new: ImportedPlan, action: &str) -> Result<PlanRecord> {
    let tree = app.tree().await?;
    if tree.get(&new.plan.unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {}", new.plan.unit)));
    }
    if !can_keep(actor, &tree, &new.plan.unit) {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    let mut problems = plan_problems(&tree, &new.plan);
    for (i, t) in new.tasks.iter().enumerate() {
        for (field, m) in task_problems(app, &tree, &new.plan, t).await? {
            problems.push((field, format!("nhiệm vụ {}: {m}", i + 1)));
        }
    }
    if !problems.is_empty() {
        return Err(invalid("Kế hoạch chưa lưu được; hãy sửa các mục sau.", problems));
    }
    Ok(app.store.insert_plan(&new.plan, &new.tasks, &actor.username, action).await?)
}

/// Changes a plan's own fields, based on `version`.
pub async fn update(app: &App, actor: &User, plan: Plan, version: i64) -> Result<i64> {
    let tree = app.tree().await?;
    let stored = app.store.plan(plan.id).await?.ok_or_else(|| Error::NotFound(format!("kế hoạch số {}", plan.id)))?;
    if !can_keep(actor, &tree, &stored.plan.unit) {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    let plan = Plan { unit: stored.plan.unit.clone(), ..plan };
    let problems = plan_problems(&tree, &plan);
    if !problems.is_empty() {
        return Err(invalid("Kế hoạch chưa lưu được; hãy sửa các mục sau.", problems));
    }
    app.store.update_plan(&plan, version, &actor.username).await.map_err(conflict("Kế hoạch"))
}

/// Adds a task to its plan (`task.plan`).
pub async fn add_task(app: &App, actor: &User, task: Task) -> Result<Versioned<Task>> {
    let tree = app.tree().await?;
    let plan = app.store.plan(task.plan).await?.ok_or_else(|| Error::NotFound(format!("kế hoạch số {}", task.plan)))?.plan;
    if !can_keep(actor, &tree, &plan.unit) {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    let problems = task_problems(app, &tree, &plan, &task).await?;
    if !problems.is_empty() {
        return Err(invalid("Nhiệm vụ chưa lưu được; hãy sửa các mục sau.", problems));
    }
    Ok(app.store.insert_task(&task, &actor.username).await?)
}

/// Changes a task, based on `version`: all of it by its plan's unit, its progress (start,
/// finish, notes, evidence) by the unit it is assigned to.
pub async fn update_task(app: &App, actor: &User, task: Task, version: i64) -> Result<i64> {
    let tree = app.tree().await?;
    let stored = app.store.task(task.id).await?.ok_or_else(|| Error::NotFound(format!("nhiệm vụ số {}", task.id)))?;
    let plan = app.store.plan(stored.value.plan).await?.ok_or_else(|| Error::NotFound(format!("kế hoạch số {}", stored.value.plan)))?.plan;
    // The evidence file changes only through [`attach_evidence`], which keeps its bytes.
    let task = Task { plan: plan.id, evidence_file: stored.value.evidence_file.clone(), ..task };
    if !can_keep(actor, &tree, &plan.unit) {
        if !can_keep(actor, &tree, &stored.value.responsible) {
            return Err(Error::Forbidden(NO_KEEP.into()));
        }
        let s = &stored.value;
        let asks_the_same = (&task.content, &task.responsible, &task.cooperating, task.deadline, &task.output)
            == (&s.content, &s.responsible, &s.cooperating, s.deadline, &s.output);
        if !asks_the_same {
            return Err(Error::Forbidden(
                "Đơn vị được giao nhiệm vụ chỉ cập nhật tiến độ (ngày bắt đầu, ngày hoàn thành, ghi chú, minh chứng); nội dung, thời hạn và đơn vị do đơn vị ban hành kế hoạch sửa.".into(),
            ));
        }
    }
    let problems = task_problems(app, &tree, &plan, &task).await?;
    if !problems.is_empty() {
        return Err(invalid("Nhiệm vụ chưa lưu được; hãy sửa các mục sau.", problems));
    }
    app.store.update_task(&task, version, &actor.username).await.map_err(conflict("Nhiệm vụ"))
}

/// What a unit records of a task's progress (`None`: no date, no evidence).
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub started_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    /// A progress note, added dated today under the actor's name.
    pub note: Option<String>,
    /// Minh chứng: a document of the register by its number there.
    pub evidence: Option<i64>,
}

/// Records task `id`'s progress, based on `version` ([`update_task`] decides who may); the
/// task as stored, with what was recorded.
pub async fn record_progress(app: &App, actor: &User, id: i64, version: i64, progress: Progress) -> Result<Versioned<Task>> {
    let stored = app.store.task(id).await?.ok_or_else(|| Error::NotFound(format!("nhiệm vụ số {id}")))?;
    let mut task = stored.value;
    task.started_on = progress.started_on;
    task.done_on = progress.done_on;
    task.evidence = progress.evidence;
    if let Some(text) = progress.note.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) {
        task.notes.push(cchc_records::Note { on: today(), by: actor.username.clone(), text });
    }
    let version = update_task(app, actor, task.clone(), version).await?;
    Ok(Versioned { value: task, version })
}

/// Keeps an uploaded file as task `id`'s evidence (minh chứng), based on `version`: by whoever
/// may record the task's progress ([`update_task`]: its plan's unit or the unit it is assigned
/// to); the file checked ([`cchc_records::model::check_evidence`]: PDF, Word, Excel, JPEG or PNG
/// by its name and first bytes, at most 10 MB) and kept with the task in one write, audited.
/// The task as stored, with the file named.
pub async fn attach_evidence(app: &App, actor: &User, id: i64, version: i64, name: &str, bytes: Vec<u8>) -> Result<Versioned<Task>> {
    let tree = app.tree().await?;
    let stored = app.store.task(id).await?.ok_or_else(|| Error::NotFound(format!("nhiệm vụ số {id}")))?;
    let plan = app.store.plan(stored.value.plan).await?.ok_or_else(|| Error::NotFound(format!("kế hoạch số {}", stored.value.plan)))?.plan;
    if !can_keep(actor, &tree, &plan.unit) && !can_keep(actor, &tree, &stored.value.responsible) {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    let (name, content_type) = cchc_records::model::check_evidence(name, &bytes)
        .map_err(|m| invalid("Chưa lưu tệp minh chứng; hãy sửa mục sau.", vec![("Tệp minh chứng", m)]))?;
    let file = cchc_storage::NewTaskFile { name, content_type: content_type.into(), data: bytes };
    let (version, evidence) =
        app.store.attach_task_file(&stored.value, version, &file, &actor.username).await.map_err(conflict("Nhiệm vụ"))?;
    Ok(Versioned { value: Task { evidence_file: Some(evidence), ..stored.value }, version })
}

/// The evidence file of task `id` for whoever may see the task (its plan's unit's readers and
/// the assigned unit's); another unit's is not said to exist.
pub async fn evidence_file(app: &App, actor: &User, id: i64) -> Result<cchc_storage::TaskFile> {
    let tree = app.tree().await?;
    let not_found = || Error::NotFound(format!("tệp minh chứng của nhiệm vụ số {id}"));
    let task = app.store.task(id).await?.ok_or_else(not_found)?.value;
    let plan = app.store.plan(task.plan).await?.ok_or_else(not_found)?.plan;
    if !access::can_read(actor, &tree, &plan.unit) && !access::can_read(actor, &tree, &task.responsible) {
        return Err(not_found());
    }
    let file = task.evidence_file.ok_or_else(not_found)?;
    app.store.task_file(file.id).await?.filter(|f| f.task == id).ok_or_else(not_found)
}

/// The tasks of `unit`'s plans and those assigned to it, with their states on `today`: all,
/// or those due within `due_within` working days, or those overdue.
pub async fn tasks(app: &App, actor: &User, unit: &str, today: NaiveDate, filter: TaskFilter) -> Result<Vec<TaskRow>> {
    let tree = app.tree().await?;
    let plans = list(app, actor, unit).await?;
    let cal = app.calendar();
    let w = |d| cal.is_working_day(d);
    let mut rows = Vec::new();
    for rec in plans.own.iter().chain(&plans.assigned) {
        let editable = can_keep(actor, &tree, &rec.plan.unit);
        for t in &rec.tasks {
            let state = state_on(&t.value, today, &w);
            let days_left = working_days_left(&t.value, today, &w);
            let keep = match filter {
                TaskFilter::All => true,
                TaskFilter::DueWithin(n) => days_left.is_some_and(|d| d <= n),
                TaskFilter::Overdue => state == TaskState::Overdue,
                TaskFilter::Unfinished => !state.is_done(),
            };
            if keep {
                rows.push(TaskRow {
                    plan: rec.plan.clone(),
                    task: t.value.clone(),
                    version: t.version,
                    state,
                    days_left,
                    editable,
                    progress: editable || can_keep(actor, &tree, &t.value.responsible),
                });
            }
        }
    }
    rows.sort_by_key(|r| (r.task.deadline, r.task.id));
    Ok(rows)
}

/// Which tasks [`tasks`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskFilter {
    All,
    /// Not finished and due within this many working days (sắp đến hạn).
    DueWithin(u32),
    Overdue,
    Unfinished,
}

/// The units a sheet may name: code and name of every unit.
fn unit_names(tree: &UnitTree) -> Vec<(String, String)> {
    tree.units().map(|u| (u.code.clone(), u.name.clone())).collect()
}

/// How far a plan's sheet reaches (rows, columns) before the reader's margin: the plan's fields,
/// the heading and a thousand tasks.
const SHEET_ROWS: u32 = 1_000;

/// Imports a plan with its task table from a workbook as offices keep it
/// (`examples/plans/ke-hoach-cchc.xlsx`), for `unit`: every problem named by row and column,
/// nothing stored unless all rows are right.
pub async fn import(app: &App, actor: &User, unit: &str, bytes: &[u8]) -> Result<PlanRecord> {
    let tree = app.tree().await?;
    if tree.get(unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {unit}")));
    }
    if !can_keep(actor, &tree, unit) {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    let (_, cells) = cchc_documents::xlsx::sheet_cells(bytes, SHEET_ROWS, sheet::HEADINGS.len() as u32)
        .map_err(|e| Error::invalid(format!("Không đọc được tệp kế hoạch: {e}")))?;
    let grid: sheet::Grid = cells
        .into_iter()
        .map(|(pos, c)| {
            let c = match c {
                cchc_documents::xlsx::PlainCell::Text(s) => sheet::Cell::Text(s),
                cchc_documents::xlsx::PlainCell::Number(n) => sheet::Cell::Number(n),
                cchc_documents::xlsx::PlainCell::Date(d) => sheet::Cell::Date(d),
                cchc_documents::xlsx::PlainCell::DateTime(t) => sheet::Cell::Date(t.date()),
            };
            (pos, c)
        })
        .collect();
    let names = unit_names(&tree);
    let read = sheet::read(&grid, unit, &|t| sheet::unit_in(t, &names), today()).map_err(|problems| Error::Invalid {
        summary: format!("Tệp kế hoạch có {} lỗi; chưa nhập gì. Hãy sửa rồi nhập lại.", problems.len()),
        problems: problems
            .iter()
            .map(|p| match p.row {
                Some(r) => Problem::at(format!("hàng {r}, cột {} ({})", p.column, p.heading), p.message.clone()),
                None => Problem::at(p.heading.clone(), p.message.clone()),
            })
            .collect(),
    })?;
    // The tasks against the unit tree, each problem named by the row and column of the sheet.
    let mut problems = Vec::new();
    for (t, row) in read.tasks.iter().zip(&read.rows) {
        for (field, m) in task_problems(app, &tree, &read.plan, t).await? {
            let place = match sheet::HEADINGS.iter().position(|h| *h == field) {
                Some(c) => format!("hàng {row}, cột {} ({field})", sheet::column_letter(c as u32)),
                None => format!("hàng {row} ({field})"),
            };
            problems.push(Problem::at(place, m));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid {
            summary: format!("Tệp kế hoạch có {} lỗi; chưa nhập gì. Hãy sửa rồi nhập lại.", problems.len()),
            problems,
        });
    }
    store_new(app, actor, read, "nhập kế hoạch từ Excel").await
}

/// A plan and its tasks as a workbook in the layout [`import`] reads.
pub async fn export(app: &App, actor: &User, id: i64) -> Result<(Plan, Vec<u8>)> {
    let (record, _) = get(app, actor, id).await?;
    let tree = app.tree().await?;
    let label = |code: &str| match tree.get(code) {
        Some(u) => format!("{} - {}", u.code, u.name),
        None => code.to_string(),
    };
    let tasks: Vec<Task> = record.tasks.iter().map(|t| t.value.clone()).collect();
    let (fields, rows) = sheet::rows(&record.plan, &tasks, &label);
    let bytes = cchc_documents::xlsx::form::form(&cchc_documents::xlsx::form::Form {
        sheet: sheet::SHEET,
        title: sheet::TITLE,
        fields: &fields,
        headings: &sheet::HEADINGS,
        widths: &[6.0, 48.0, 26.0, 26.0, 14.0, 24.0, 14.0, 14.0, 36.0],
        rows: &rows,
    })
    .map_err(|e| Error::internal(format!("plan workbook: {e}")))?;
    Ok((record.plan, bytes))
}

/// Everything a unit's records say: its plans (with their tasks), the plans of other units
/// assigning it tasks (with those tasks) and its register — read without an actor, for the
/// report's pre-filling and document (whose own use cases check access).
pub async fn records_of(store: &dyn Store, unit: &str) -> Result<(Vec<Plan>, Vec<Task>, Vec<cchc_records::Document>), StoreError> {
    let units = [unit.to_string()];
    let mut plans = Vec::new();
    let mut tasks = Vec::new();
    for rec in store.plans(&units).await?.into_iter().chain(store.plans_assigning(&units).await?) {
        tasks.extend(rec.tasks.into_iter().map(|t| t.value));
        plans.push(rec.plan);
    }
    let docs = store
        .documents(&cchc_storage::DocumentQuery { units: units.to_vec(), limit: 10_000, ..Default::default() })
        .await?
        .into_iter()
        .map(|d| d.value)
        .collect();
    Ok((plans, tasks, docs))
}

/// The figures `unit`'s records give its report of `period` ([`cchc_records::figures`]): the
/// tasks as they stood at the end of the period's cumulative window (lũy kế), the directive
/// documents of the period's own window.
pub async fn figures_for(
    store: &dyn Store,
    calendar: &WorkCalendar,
    rule: &WindowRule,
    unit: &str,
    period: Period,
) -> Result<figures::Figures, StoreError> {
    let (plans, tasks, docs) = records_of(store, unit).await?;
    let w = |d| calendar.is_working_day(d);
    let cumulative = rule.cumulative_window(period);
    let mut f = figures::Figures::of(unit, cumulative, figures::Records { plans: &plans, tasks: &tasks, documents: &docs }, &w);
    let own = figures::Figures::of(unit, rule.window(period), figures::Records { plans: &[], tasks: &[], documents: &docs }, &w);
    f.directive_documents = own.directive_documents;
    Ok(f)
}

/// Replaces the entries of `report` that the unit's records give (the catalogue's `source`
/// names of [`cchc_records::figures::SOURCES`]) with the figures of its records, when it keeps
/// them: what [`crate::dossiers::prefilled_report`] does for the records after the ledger.
pub async fn prefill(
    store: &dyn Store,
    catalogue: &Catalogue,
    unit: &str,
    period: Period,
    rule: &WindowRule,
    report: &mut UnitReport,
) -> anyhow::Result<()> {
    let calendar = crate::calendar::work_calendar(store).await?;
    let f = figures_for(store, &calendar, rule, unit, period).await?;
    let filled = figures::prefill(&f, catalogue);
    report.replace_indicators(filled);
    Ok(())
}

/// The section I lists of `unit`'s report of `period` as Markdown ([`cchc_records::cite`]):
/// plans and directive documents of the window with footnotes citing number and date, the
/// share of the CCHC plan's tasks finished and those unfinished with their responsible units.
/// Empty when the unit keeps no record of the window.
pub async fn section_one(store: &dyn Store, tree: &UnitTree, unit: &str, window: DateRange) -> Result<String, anyhow::Error> {
    let Some(u) = tree.get(unit) else { return Ok(String::new()) };
    let (plans, tasks, docs) = records_of(store, unit).await?;
    let calendar = crate::calendar::work_calendar(store).await?;
    let names: HashMap<&str, &str> = tree.units().map(|u| (u.code.as_str(), u.name.as_str())).collect();
    let s = cchc_records::cite::section_one(
        unit,
        (window.from, window.to),
        figures::Records { plans: &plans, tasks: &tasks, documents: &docs },
        &|d| calendar.is_working_day(d),
        &|c| names.get(c).map_or_else(|| c.to_string(), |n| n.to_string()),
    );
    Ok(if s.is_empty() { String::new() } else { s.markdown(&u.name) })
}

/// Adds the section I lists of the unit's records to the narrative of a report's document (not
/// to the stored report): after what the clerk wrote, in the report's stated window or the rule's.
pub async fn add_section_one(store: &dyn Store, tree: &UnitTree, rule: &WindowRule, report: &mut UnitReport) -> anyhow::Result<()> {
    let window = report.window.unwrap_or_else(|| rule.window(report.period));
    let unit = report.unit.code.as_str();
    let mut lists = section_one(store, tree, unit, window).await?;
    for more in [
        crate::inspections::section_one(store, tree, unit, window).await?,
        crate::feedback::section_one(store, tree, unit, window).await?,
        crate::survey::section_one(store, tree, unit, window).await?,
    ] {
        if !more.is_empty() {
            if !lists.is_empty() {
                lists.push_str("\n\n");
            }
            lists.push_str(&more);
        }
    }
    if lists.is_empty() {
        return Ok(());
    }
    let text = report.narrative.entry(cchc_report::SECTIONS[0].id.to_string()).or_default();
    if !text.trim().is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&lists);
    Ok(())
}

/// The demo province's plans, tasks (some late, some assigned by the province to communes) and
/// documents registers of 2026, consistent with its reports (which are pre-filled from them):
/// called by [`crate::demo::seed`] before the reports are made.
pub async fn seed_demo(store: &dyn Store) -> anyhow::Result<()> {
    use cchc_records::{Direction, DocKind, Document, PlanKind};
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(crate::demo::YEAR, m, day).expect("valid demo date");
    let plan = |unit: &str, kind, number: &str, date, issuer: &str, signer: &str, summary: &str| Plan {
        id: 0,
        unit: unit.into(),
        kind,
        number: number.into(),
        date,
        issuer: issuer.into(),
        signer: signer.into(),
        summary: summary.into(),
        valid_from: None,
        valid_to: None,
    };
    let task =
        |content: &str, responsible: &str, cooperating: &[&str], deadline, started: Option<NaiveDate>, done: Option<NaiveDate>| Task {
            id: 0,
            plan: 0,
            content: content.into(),
            responsible: responsible.into(),
            cooperating: cooperating.iter().map(|c| c.to_string()).collect(),
            deadline,
            output: String::new(),
            started_on: started,
            done_on: done,
            notes: Vec::new(),
            evidence: None,
            evidence_file: None,
        };
    let by = "demo";
    let province = plan(
        "99",
        PlanKind::Cchc,
        "25/KH-UBND",
        d(1, 10),
        "UBND tỉnh",
        "Nguyễn Văn Tỉnh",
        "thực hiện công tác cải cách hành chính năm 2026 trên địa bàn tỉnh",
    );
    store
        .insert_plan(
            &province,
            &[
                task(
                    "Hướng dẫn, đôn đốc tự đánh giá, chấm điểm Chỉ số CCHC năm 2025",
                    "99-SNV",
                    &[],
                    d(3, 31),
                    Some(d(1, 15)),
                    Some(d(3, 25)),
                ),
                task("Rà soát, đơn giản hóa TTHC thuộc thẩm quyền cấp xã", "99101N", &["99-SNV"], d(6, 30), Some(d(2, 2)), Some(d(6, 10))),
                task("Rà soát, đơn giản hóa TTHC thuộc thẩm quyền cấp xã", "99201N", &["99-SNV"], d(6, 30), Some(d(2, 9)), Some(d(7, 2))),
                task("Số hóa hồ sơ, kết quả giải quyết TTHC còn hiệu lực", "99301N", &["99-TTHCC"], d(9, 30), Some(d(4, 1)), None),
                task("Duy trì khảo sát sự hài lòng của người dân tại Bộ phận Một cửa", "99-TTHCC", &[], d(12, 15), Some(d(1, 5)), None),
            ],
            by,
            "thêm kế hoạch",
        )
        .await?;
    let commune = plan(
        "99101N",
        PlanKind::Cchc,
        "05/KH-UBND",
        d(1, 12),
        "UBND xã",
        "Phạm Văn Sơn",
        "thực hiện công tác cải cách hành chính năm 2026",
    );
    store
        .insert_plan(
            &commune,
            &[
                task("Ban hành Kế hoạch tuyên truyền CCHC năm 2026", "99101N", &[], d(1, 31), Some(d(1, 12)), Some(d(1, 20))),
                task("Niêm yết công khai đầy đủ TTHC tại Bộ phận Một cửa", "99101N", &[], d(2, 27), Some(d(2, 2)), Some(d(2, 26))),
                task("Rà soát quy trình nội bộ giải quyết TTHC", "99101N", &[], d(3, 31), Some(d(2, 16)), Some(d(4, 8))),
                task("Tự đánh giá, chấm điểm Chỉ số CCHC năm 2025", "99101N", &[], d(4, 15), Some(d(3, 2)), Some(d(4, 14))),
                task("Số hóa kết quả giải quyết TTHC lĩnh vực hộ tịch", "99101N", &["99-TTHCC"], d(6, 30), Some(d(3, 16)), None),
                task("Tổng kết công tác CCHC năm 2026", "99101N", &[], d(12, 15), None, None),
            ],
            by,
            "thêm kế hoạch",
        )
        .await?;
    store
        .insert_plan(
            &plan(
                "99101N",
                PlanKind::TuyenTruyen,
                "09/KH-UBND",
                d(1, 20),
                "UBND xã",
                "Phạm Văn Sơn",
                "tuyên truyền cải cách hành chính năm 2026",
            ),
            &[task("Đăng tin, bài về CCHC trên Trang thông tin điện tử xã", "99101N", &[], d(12, 15), Some(d(2, 1)), None)],
            by,
            "thêm kế hoạch",
        )
        .await?;
    store
        .insert_plan(
            &plan(
                "99201N",
                PlanKind::Cchc,
                "07/KH-UBND",
                d(1, 15),
                "UBND xã",
                "Hoàng Văn Lạc",
                "thực hiện công tác cải cách hành chính năm 2026",
            ),
            &[
                task("Kiện toàn Bộ phận Một cửa của xã", "99201N", &[], d(1, 30), Some(d(1, 15)), Some(d(1, 28))),
                task("Công khai TTHC trên Trang thông tin điện tử xã", "99201N", &[], d(2, 27), Some(d(2, 2)), Some(d(3, 6))),
                task("Tuyên truyền thanh toán trực tuyến phí, lệ phí", "99201N", &[], d(5, 29), Some(d(3, 2)), Some(d(5, 20))),
                task("Đánh giá chất lượng giải quyết TTHC năm 2026", "99201N", &[], d(11, 30), None, None),
            ],
            by,
            "thêm kế hoạch",
        )
        .await?;
    let doc = |unit: &str, kind, direction, number: &str, date, issuer: &str, summary: &str| Document {
        id: 0,
        unit: unit.into(),
        kind,
        direction,
        number: number.into(),
        date,
        issuer: issuer.into(),
        summary: summary.into(),
    };
    let (out, inn) = (Direction::Issued, Direction::Received);
    for document in [
        doc(
            "99",
            DocKind::KeHoach,
            out,
            "25/KH-UBND",
            d(1, 10),
            "UBND tỉnh",
            "thực hiện công tác cải cách hành chính năm 2026 trên địa bàn tỉnh",
        ),
        doc("99", DocKind::CongVan, out, "112/UBND-NC", d(1, 20), "UBND tỉnh", "về việc đôn đốc thực hiện nhiệm vụ CCHC năm 2026"),
        doc("99", DocKind::QuyetDinh, out, "145/QĐ-UBND", d(1, 26), "UBND tỉnh", "về việc kiện toàn Ban Chỉ đạo cải cách hành chính tỉnh"),
        doc("99", DocKind::HuongDan, out, "355/HD-SNV", d(3, 4), "Sở Nội vụ", "chế độ báo cáo cải cách hành chính định kỳ năm 2026"),
        doc("99101N", DocKind::KeHoach, out, "05/KH-UBND", d(1, 12), "UBND xã", "thực hiện công tác cải cách hành chính năm 2026"),
        doc("99101N", DocKind::CongVan, out, "15/UBND-VP", d(1, 14), "UBND xã", "về việc triển khai nhiệm vụ CCHC năm 2026"),
        doc("99101N", DocKind::QuyetDinh, out, "22/QĐ-UBND", d(2, 5), "UBND xã", "về việc ban hành Quy chế hoạt động của Bộ phận Một cửa"),
        doc("99101N", DocKind::CongVan, out, "88/UBND-VP", d(4, 10), "UBND xã", "về việc chấn chỉnh kỷ luật, kỷ cương hành chính"),
        doc("99101N", DocKind::BaoCao, out, "41/BC-UBND", d(3, 16), "UBND xã", "kết quả thực hiện công tác CCHC quý I năm 2026"),
        doc("99101N", DocKind::HuongDan, inn, "355/HD-SNV", d(3, 4), "Sở Nội vụ", "chế độ báo cáo cải cách hành chính định kỳ năm 2026"),
        doc(
            "99101N",
            DocKind::KeHoach,
            inn,
            "25/KH-UBND",
            d(1, 10),
            "UBND tỉnh",
            "thực hiện công tác cải cách hành chính năm 2026 trên địa bàn tỉnh",
        ),
        doc("99201N", DocKind::KeHoach, out, "07/KH-UBND", d(1, 15), "UBND xã", "thực hiện công tác cải cách hành chính năm 2026"),
        doc("99201N", DocKind::CongVan, out, "19/UBND-VP", d(2, 3), "UBND xã", "về việc công khai thủ tục hành chính tại Bộ phận Một cửa"),
    ] {
        store.insert_document(&document, by).await?;
    }
    Ok(())
}
