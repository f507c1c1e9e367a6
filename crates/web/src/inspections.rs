//! Inspections' pages and API (issue 14 items 3, 7): `/inspections` (a unit's inspections, made by
//! it or of it, with the year's figures, filters by year (the year of the period being viewed
//! unless another is chosen), stage, unit inspected and text, the open recommendations, and forms
//! to plan an inspection, edit or reschedule a planned one, record one done with its findings, add
//! a finding and record a recommendation's remedy) and `/api/inspections` answering the same as
//! JSON. Every rule is `cchc_app::inspections`'s; this module parses forms (dates dd/mm/yyyy) and
//! renders.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use cchc_app::inspections::{Changes, Done, Filter, FollowUp, Inspections, Stage};
use cchc_periods::Period;
use cchc_records::inspections::{Finding, Inspection};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer};
use serde_json::json;

use crate::auth::CurrentUser;
use crate::error::{ApiError, AppError, AppResult};
use crate::fields::{answered, date, refused, said, some};
use crate::state::AppState;
use crate::view::{Nav, current_period};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/inspections", get(page).post(create))
        .route("/inspections/{id}/edit", post(edit))
        .route("/inspections/{id}/done", post(done))
        .route("/inspections/{id}/findings", post(add_finding))
        .route("/inspections/findings/{id}", post(follow_up))
        .route("/api/inspections", get(api_list).post(api_create))
        .route("/api/inspections/{id}", post(api_edit))
        .route("/api/inspections/{id}/done", post(api_done))
        .route("/api/inspections/{id}/findings", post(api_add_finding))
        .route("/api/inspections/findings/{id}", post(api_follow_up))
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    unit: String,
    /// A year ("2026"), `all` for every year; empty: the year of `period`, else this year.
    #[serde(default)]
    year: String,
    /// The period being viewed ("2026-H1", as the navigation and the report's form link here).
    #[serde(default)]
    period: String,
    /// `planned`, `done`, `open` (recommendations open) or all.
    #[serde(default)]
    stage: String,
    /// The unit inspected (code).
    #[serde(default)]
    target: String,
    #[serde(default)]
    q: String,
}

impl ListQuery {
    fn unit(&self, current: &CurrentUser) -> String {
        crate::fields::unit_or_own(&self.unit, current)
    }

    /// The period being viewed, when the query names one.
    fn period(&self) -> Option<Period> {
        some(&self.period).and_then(|p| p.parse().ok())
    }

    /// The year shown when none is chosen: the period's, else `today`'s.
    fn default_year(&self, today: NaiveDate) -> i32 {
        self.period().map_or(today.year(), |p| p.year)
    }

    fn filter(&self, today: NaiveDate) -> Result<Filter, cchc_app::Error> {
        let year = match some(&self.year) {
            None => Some(self.default_year(today)),
            Some(ALL_YEARS) => None,
            Some(y) => Some(
                y.parse::<i32>()
                    .ok()
                    .filter(|y| (2000..=2100).contains(y))
                    .ok_or_else(|| refused("Năm", format!("\"{y}\" không phải một năm (ví dụ 2026).")))?,
            ),
        };
        Ok(Filter { year, stage: Stage::from_slug(&self.stage), target: some(&self.target).map(str::to_string), text: self.q.clone() })
    }
}

/// The `year` of a list of every year.
const ALL_YEARS: &str = "all";

/// Where a form leads once saved: the unit's page at the year of the inspection's day (done, else
/// planned) or else at `year`, on its row.
fn at(unit: &str, year: &str, i: &Inspection, anchor: &str) -> String {
    let year = i.done_on.or(i.scheduled_on).map_or_else(|| year.to_string(), |d| d.year().to_string());
    format!("/inspections?unit={unit}&year={year}#{anchor}")
}

struct FindingView {
    id: i64,
    version: i64,
    issue: String,
    recommendation: String,
    deadline: String,
    resolved: String,
    state: &'static str,
    state_slug: &'static str,
    notes: Vec<String>,
}

struct InspectionView {
    id: i64,
    version: i64,
    target: String,
    target_code: String,
    /// The plan's number in the register, empty when unscheduled (the edit form's choice).
    plan_id: String,
    /// Made by the page's unit (else: of it, by the unit above).
    own: bool,
    by: String,
    plan: String,
    team: String,
    scheduled: String,
    done: String,
    conclusion: String,
    findings: Vec<FindingView>,
    keep: bool,
    follow_up: bool,
}

struct OpenView {
    inspection: i64,
    target: String,
    asked: String,
    deadline: String,
    state: &'static str,
    state_slug: &'static str,
}

#[derive(Template)]
#[template(path = "inspections.html")]
struct InspectionsPage {
    nav: Nav,
    unit: String,
    unit_name: String,
    q: ListQuery,
    /// The year selector's value: a year or [`ALL_YEARS`].
    year_slug: String,
    years: Vec<i32>,
    message: Option<String>,
    summary: Vec<String>,
    rows: Vec<InspectionView>,
    open: Vec<OpenView>,
    can_keep: bool,
    plans: Vec<(i64, String)>,
    units: Vec<(String, String)>,
    count: String,
}

/// The year's figures in sentences: the plan's units, those inspected, the issues.
fn summary(list: &Inspections, year: i32) -> Vec<String> {
    let int = |n: u64| cchc_format::int(n as i64);
    let rate = |a: u64, b: u64| cchc_format::ratio_percent(a as i64, b as i64).map(cchc_format::percent);
    let f = &list.figures;
    let mut out = Vec::new();
    if let Some(p) = f.plan {
        let mut s = format!("Kế hoạch kiểm tra năm {year}: {}", int(p.planned.total));
        if list.subordinates >= p.planned.total && list.subordinates > 0 {
            s.push_str(&format!("/{} cơ quan, đơn vị trực thuộc", int(list.subordinates)));
        } else {
            s.push_str(" cơ quan, đơn vị");
        }
        s.push_str(&format!(" ({}); đã kiểm tra {}/{} đơn vị", p.planned.describe(), int(p.done), int(p.planned.total)));
        if let Some(r) = rate(p.done, p.planned.total) {
            s.push_str(&format!(", đạt {r} kế hoạch"));
        }
        out.push(s + ".");
    }
    if let Some(i) = f.inspected {
        let mut s = format!("Đã kiểm tra {} cơ quan, đơn vị", int(i.total));
        if i.total > 0 {
            s.push_str(&format!(" ({})", i.describe()));
        }
        out.push(s + ".");
    }
    if let Some(i) = f.issues {
        let mut s = format!("Vấn đề phát hiện qua kiểm tra: {}; đã xử lý xong: {}", int(i.found), int(i.handled));
        if let Some(r) = rate(i.handled, i.found) {
            s.push_str(&format!(" ({r})"));
        }
        out.push(s + ".");
    }
    out
}

async fn render(state: &AppState, current: &CurrentUser, q: &ListQuery, message: Option<String>) -> AppResult<String> {
    let unit = q.unit(current);
    let tree = state.tree().await?;
    let today = cchc_app::plans::today();
    let (filter, message) = match q.filter(today) {
        Ok(f) => (f, message),
        Err(e) => (Filter { year: Some(q.default_year(today)), ..Filter::default() }, Some(said(&e))),
    };
    let list = cchc_app::inspections::list(state, &current.user, &unit, &filter, today).await?;
    let name = |c: &str| tree.get(c).map_or_else(|| c.to_string(), |u| u.name.clone());
    let opt = |d: Option<NaiveDate>| d.map(cchc_format::date).unwrap_or_default();
    let mut open = Vec::new();
    let rows: Vec<InspectionView> = list
        .rows
        .iter()
        .map(|r| {
            let i = &r.record.inspection;
            let findings = r
                .record
                .findings
                .iter()
                .zip(&r.states)
                .map(|(f, s)| {
                    if s.is_open() {
                        open.push(OpenView {
                            inspection: i.id,
                            target: name(&i.target),
                            asked: f.value.asked(),
                            deadline: opt(f.value.deadline),
                            state: s.name_vi(),
                            state_slug: s.slug(),
                        });
                    }
                    FindingView {
                        id: f.value.id,
                        version: f.version,
                        issue: f.value.issue.clone(),
                        recommendation: f.value.recommendation.clone(),
                        deadline: opt(f.value.deadline),
                        resolved: opt(f.value.resolved_on),
                        state: s.name_vi(),
                        state_slug: s.slug(),
                        notes: f.value.notes.iter().map(|n| format!("{}: {}", cchc_format::date(n.on), n.text)).collect(),
                    }
                })
                .collect();
            InspectionView {
                id: i.id,
                version: r.record.version,
                target: name(&i.target),
                target_code: i.target.clone(),
                plan_id: i.plan.map(|p| p.to_string()).unwrap_or_default(),
                own: i.unit == unit,
                by: name(&i.unit),
                plan: r.plan.as_ref().map_or_else(|| "Kiểm tra đột xuất (ngoài kế hoạch)".to_string(), |p| p.short_citation()),
                team: i.team.clone(),
                scheduled: opt(i.scheduled_on),
                done: opt(i.done_on),
                conclusion: i.conclusion.clone(),
                findings,
                keep: r.keep,
                follow_up: r.follow_up,
            }
        })
        .collect();
    let mut units: Vec<(String, String)> =
        tree.subtree(&unit).into_iter().filter(|u| u.code != unit).map(|u| (u.code.clone(), u.name.clone())).collect();
    units.sort();
    let year = filter.year.unwrap_or(today.year());
    let page = InspectionsPage {
        nav: Nav::new(current, q.period().unwrap_or_else(current_period)),
        unit_name: list.unit.name.clone(),
        unit,
        year_slug: filter.year.map_or_else(|| ALL_YEARS.to_string(), |y| y.to_string()),
        // The years with inspections and this year, and the one asked for when it has none.
        years: {
            let mut years: Vec<i32> = list.years.iter().copied().chain(filter.year).collect();
            years.sort_unstable_by(|a, b| b.cmp(a));
            years.dedup();
            years
        },
        message,
        summary: summary(&list, year),
        count: cchc_format::int(rows.len() as i64),
        rows,
        open,
        // A unit with no unit below it has nobody to inspect: no form.
        can_keep: list.can_keep && !units.is_empty(),
        plans: list.plans.iter().map(|p| (p.id, p.citation())).collect(),
        units,
        q: q.clone(),
    };
    Ok(page.render()?)
}

/// `/inspections?unit=…&year=…|all&period=…&stage=planned|done|open&target=…&q=…`.
pub async fn page(State(state): State<Arc<AppState>>, current: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Html<String>> {
    Ok(Html(render(&state, &current, &q, None).await?))
}

/// The unit's page at `year` again, saying why a form was refused.
async fn again(state: &AppState, current: &CurrentUser, unit: &str, year: &str, message: String) -> AppResult<String> {
    let q = ListQuery { unit: unit.to_string(), year: year.to_string(), ..ListQuery::default() };
    render(state, current, &q, Some(message)).await
}

/// Findings typed one a line, "vấn đề" or "vấn đề | kiến nghị", with one deadline for all.
fn findings_of(text: &str, deadline: Option<NaiveDate>) -> Vec<Finding> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (issue, rec) = l.split_once('|').unwrap_or((l, ""));
            Finding {
                id: 0,
                inspection: 0,
                issue: issue.trim().into(),
                recommendation: rec.trim().into(),
                deadline,
                resolved_on: None,
                notes: Vec::new(),
            }
        })
        .collect()
}

#[derive(Deserialize, Clone, Default)]
pub struct InspectionForm {
    /// The inspecting unit.
    unit: String,
    /// The inspection plan's number in the register (its id); empty: unscheduled.
    #[serde(default)]
    plan: String,
    target: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    scheduled_on: String,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    conclusion: String,
    /// Findings one a line ("vấn đề | kiến nghị").
    #[serde(default)]
    findings: String,
    /// Thời hạn khắc phục of the findings typed.
    #[serde(default)]
    deadline: String,
}

/// The inspection plan a form names by its number in the register; blank: unscheduled.
fn plan_of(p: &str) -> Result<Option<i64>, cchc_app::Error> {
    match some(p) {
        None => Ok(None),
        Some(p) => {
            p.parse::<i64>().map(Some).map_err(|_| refused("Kế hoạch kiểm tra", format!("\"{p}\" không phải một kế hoạch trong sổ.")))
        }
    }
}

fn inspection_of(f: &InspectionForm) -> Result<(Inspection, Vec<Finding>), cchc_app::Error> {
    let inspection = Inspection {
        id: 0,
        unit: f.unit.trim().into(),
        plan: plan_of(&f.plan)?,
        target: f.target.trim().into(),
        team: f.team.trim().into(),
        scheduled_on: date("Ngày dự kiến", &f.scheduled_on)?,
        done_on: date("Ngày kiểm tra", &f.done_on)?,
        conclusion: f.conclusion.trim().into(),
    };
    let findings = findings_of(&f.findings, date("Thời hạn khắc phục", &f.deadline)?);
    Ok((inspection, findings))
}

/// `POST /inspections`: an inspection planned, or done (unscheduled) with its findings.
pub async fn create(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Form(f): Form<InspectionForm>,
) -> AppResult<Response> {
    let result = async {
        let (i, findings) = inspection_of(&f)?;
        cchc_app::inspections::create(&state, &current.user, i, findings).await
    }
    .await;
    let tree = state.tree().await?;
    let unit = f.unit.trim();
    let saved = |r: cchc_storage::inspections::InspectionRecord| {
        let i = &r.inspection;
        let name = tree.get(&i.target).map_or_else(|| i.target.clone(), |u| u.name.clone());
        let what = if i.done_on.is_some() { "Đã ghi kết quả kiểm tra" } else { "Đã thêm cuộc kiểm tra theo kế hoạch" };
        (format!("{what}: {name}."), at(&i.unit, "", i, &format!("inspection-{}", i.id)))
    };
    answered(&session, result, saved, |m| again(&state, &current, unit, "", m)).await
}

/// An edit of an inspection (`POST /inspections/{id}/edit`, `POST /api/inspections/{id}`), based
/// on `version`: a field left out keeps what is stored, so rescheduling sends only
/// `scheduled_on`; `plan` is the plan's number (blank or null: unscheduled), dates dd/mm/yyyy.
#[derive(Deserialize, Default)]
pub struct EditForm {
    version: i64,
    /// The unit whose page the form was on, and its year (to go back to them).
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
    #[serde(default, deserialize_with = "plan_field")]
    plan: Option<String>,
    target: Option<String>,
    team: Option<String>,
    scheduled_on: Option<String>,
    done_on: Option<String>,
    conclusion: Option<String>,
}

/// A plan given as its number, as text (a form) or null (unscheduled); absent stays `None`.
fn plan_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Given {
        Number(i64),
        Text(String),
    }
    Ok(Some(match Option::<Given>::deserialize(d)? {
        None => String::new(),
        Some(Given::Number(n)) => n.to_string(),
        Some(Given::Text(t)) => t,
    }))
}

fn changes_of(f: &EditForm) -> Result<Changes, cchc_app::Error> {
    let day = |field, s: &Option<String>| s.as_deref().map(|s| date(field, s)).transpose();
    Ok(Changes {
        plan: f.plan.as_deref().map(plan_of).transpose()?,
        target: f.target.clone(),
        team: f.team.clone(),
        scheduled_on: day("Ngày dự kiến", &f.scheduled_on)?,
        done_on: day("Ngày kiểm tra", &f.done_on)?,
        conclusion: f.conclusion.clone(),
    })
}

/// `POST /inspections/{id}/edit`: a planned inspection rescheduled or corrected (its plan, the
/// unit inspected, the team, the day planned).
pub async fn edit(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Path(id): Path<i64>,
    Form(f): Form<EditForm>,
) -> AppResult<Response> {
    let unit = crate::fields::unit_or_own(&f.unit, &current);
    let result = async { cchc_app::inspections::edit(&state, &current.user, id, f.version, changes_of(&f)?).await }.await;
    let tree = state.tree().await?;
    let saved = |r: cchc_storage::inspections::InspectionRecord| {
        let i = &r.inspection;
        let name = tree.get(&i.target).map_or_else(|| i.target.clone(), |u| u.name.clone());
        let when = i.scheduled_on.filter(|_| i.done_on.is_none()).map(|d| format!(", dự kiến ngày {}", cchc_format::date(d)));
        (format!("Đã lưu cuộc kiểm tra {name}{}.", when.unwrap_or_default()), at(&unit, &f.year, i, &format!("inspection-{id}")))
    };
    answered(&session, result, saved, |m| again(&state, &current, &unit, &f.year, m)).await
}

#[derive(Deserialize, Clone, Default)]
pub struct DoneForm {
    version: i64,
    /// The unit whose page the form was on.
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    conclusion: String,
    #[serde(default)]
    findings: String,
    #[serde(default)]
    deadline: String,
}

fn done_of(f: &DoneForm) -> Result<Done, cchc_app::Error> {
    Ok(Done {
        done_on: date("Ngày kiểm tra", &f.done_on)?,
        team: f.team.clone(),
        conclusion: f.conclusion.clone(),
        findings: findings_of(&f.findings, date("Thời hạn khắc phục", &f.deadline)?),
    })
}

/// `POST /inspections/{id}/done`: a planned inspection recorded done with its findings.
pub async fn done(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Path(id): Path<i64>,
    Form(f): Form<DoneForm>,
) -> AppResult<Response> {
    let unit = crate::fields::unit_or_own(&f.unit, &current);
    let result = async { cchc_app::inspections::record_done(&state, &current.user, id, f.version, done_of(&f)?).await }.await;
    let saved = |r: cchc_storage::inspections::InspectionRecord| {
        let n = cchc_format::int(r.findings.len() as i64);
        (format!("Đã ghi kết quả kiểm tra ({n} vấn đề phát hiện)."), at(&unit, &f.year, &r.inspection, &format!("inspection-{id}")))
    };
    answered(&session, result, saved, |m| again(&state, &current, &unit, &f.year, m)).await
}

#[derive(Deserialize, Clone, Default)]
pub struct FindingForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
    issue: String,
    #[serde(default)]
    recommendation: String,
    #[serde(default)]
    deadline: String,
}

fn finding_of(inspection: i64, f: &FindingForm) -> Result<Finding, cchc_app::Error> {
    Ok(Finding {
        id: 0,
        inspection,
        issue: f.issue.trim().into(),
        recommendation: f.recommendation.trim().into(),
        deadline: date("Thời hạn khắc phục", &f.deadline)?,
        resolved_on: None,
        notes: Vec::new(),
    })
}

/// `POST /inspections/{id}/findings`: an issue found and its recommendation.
pub async fn add_finding(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Path(id): Path<i64>,
    Form(f): Form<FindingForm>,
) -> AppResult<Response> {
    let unit = crate::fields::unit_or_own(&f.unit, &current);
    let result = async { cchc_app::inspections::add_finding(&state, &current.user, finding_of(id, &f)?).await }.await;
    let saved =
        |_| ("Đã thêm vấn đề phát hiện và kiến nghị.".to_string(), format!("/inspections?unit={unit}&year={}#inspection-{id}", f.year));
    answered(&session, result, saved, |m| again(&state, &current, &unit, &f.year, m)).await
}

#[derive(Deserialize, Clone, Default)]
pub struct FollowUpForm {
    version: i64,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
    /// The day the recommendation was remedied (closes it); empty: still open.
    #[serde(default)]
    resolved_on: String,
    #[serde(default)]
    note: String,
}

fn follow_up_of(f: &FollowUpForm) -> Result<FollowUp, cchc_app::Error> {
    Ok(FollowUp { resolved_on: date("Ngày khắc phục xong", &f.resolved_on)?, note: some(&f.note).map(str::to_string) })
}

/// `POST /inspections/findings/{id}`: a recommendation's follow-up, based on its version.
pub async fn follow_up(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Path(id): Path<i64>,
    Form(f): Form<FollowUpForm>,
) -> AppResult<Response> {
    let unit = crate::fields::unit_or_own(&f.unit, &current);
    let result = async { cchc_app::inspections::follow_up(&state, &current.user, id, f.version, follow_up_of(&f)?).await }.await;
    let saved = |v: cchc_storage::Versioned<Finding>| {
        let text = if v.value.resolved_on.is_some() {
            "Đã ghi kiến nghị đã khắc phục xong."
        } else {
            "Đã cập nhật theo dõi khắc phục kiến nghị."
        };
        (text.to_string(), format!("/inspections?unit={unit}&year={}#finding-{id}", f.year))
    };
    answered(&session, result, saved, |m| again(&state, &current, &unit, &f.year, m)).await
}

fn record_json(r: &cchc_storage::inspections::InspectionRecord, today: NaiveDate) -> serde_json::Value {
    json!({
        "inspection": r.inspection,
        "version": r.version,
        "findings": r.findings.iter().map(|f| {
            let s = f.value.state_on(today);
            json!({ "finding": f.value, "version": f.version, "state": s.slug(), "state_name": s.name_vi() })
        }).collect::<Vec<_>>(),
    })
}

/// `GET /api/inspections?unit=…&year=…&stage=…&target=…&q=…`: the unit's inspections with
/// their findings and the year's figures.
pub async fn api_list(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let unit = q.unit(&current);
    let today = cchc_app::plans::today();
    let filter = q.filter(today).map_err(AppError::from)?;
    let list = cchc_app::inspections::list(&state, &current.user, &unit, &filter, today).await?;
    let f = &list.figures;
    Ok(Json(json!({
        "unit": unit,
        "year": filter.year.unwrap_or(today.year()),
        "all_years": filter.year.is_none(),
        "years": list.years,
        "figures": {
            "inspected": f.inspected,
            "issues": f.issues,
            "plan": f.plan,
            "subordinates": list.subordinates,
        },
        "plans": list.plans.iter().map(|p| json!({ "id": p.id, "citation": p.citation() })).collect::<Vec<_>>(),
        "inspections": list.rows.iter().map(|r| {
            let mut v = record_json(&r.record, today);
            v["plan_citation"] = json!(r.plan.as_ref().map(|p| p.short_citation()));
            v
        }).collect::<Vec<_>>(),
    })))
}

/// `POST /api/inspections`: an inspection (the form's fields, dates dd/mm/yyyy) with its findings
/// (`findings`: a list of `{issue, recommendation, deadline}`), all or nothing.
#[derive(Deserialize)]
pub struct ApiInspection {
    #[serde(flatten)]
    inspection: ApiInspectionFields,
    #[serde(default)]
    findings: Vec<FindingForm>,
}

#[derive(Deserialize)]
pub struct ApiInspectionFields {
    unit: String,
    #[serde(default)]
    plan: Option<i64>,
    target: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    scheduled_on: String,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    conclusion: String,
}

pub async fn api_create(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    crate::api::ApiJson(b): crate::api::ApiJson<ApiInspection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let form = InspectionForm {
        unit: b.inspection.unit,
        plan: b.inspection.plan.map(|p| p.to_string()).unwrap_or_default(),
        target: b.inspection.target,
        team: b.inspection.team,
        scheduled_on: b.inspection.scheduled_on,
        done_on: b.inspection.done_on,
        conclusion: b.inspection.conclusion,
        ..InspectionForm::default()
    };
    let (inspection, _) = inspection_of(&form).map_err(AppError::from)?;
    let findings = b.findings.iter().map(|f| finding_of(0, f)).collect::<Result<Vec<_>, _>>().map_err(AppError::from)?;
    let r = cchc_app::inspections::create(&state, &current.user, inspection, findings).await?;
    Ok(Json(record_json(&r, cchc_app::plans::today())))
}

/// `POST /api/inspections/{id}`: an edit based on `version` ([`EditForm`]: the fields given
/// change, the others stay); 409 when the version is stale.
pub async fn api_edit(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path(id): Path<i64>,
    crate::api::ApiJson(b): crate::api::ApiJson<EditForm>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let changes = changes_of(&b).map_err(AppError::from)?;
    let r = cchc_app::inspections::edit(&state, &current.user, id, b.version, changes).await?;
    Ok(Json(record_json(&r, cchc_app::plans::today())))
}

/// `POST /api/inspections/{id}/done`: `version`, `done_on`, `team`, `conclusion` and `findings`
/// (a list of `{issue, recommendation, deadline}`); 409 when the version is stale.
#[derive(Deserialize)]
pub struct ApiDone {
    version: i64,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    conclusion: String,
    #[serde(default)]
    findings: Vec<FindingForm>,
}

pub async fn api_done(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path(id): Path<i64>,
    crate::api::ApiJson(b): crate::api::ApiJson<ApiDone>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let done = Done {
        done_on: date("Ngày kiểm tra", &b.done_on).map_err(AppError::from)?,
        team: b.team,
        conclusion: b.conclusion,
        findings: b.findings.iter().map(|f| finding_of(id, f)).collect::<Result<Vec<_>, _>>().map_err(AppError::from)?,
    };
    let r = cchc_app::inspections::record_done(&state, &current.user, id, b.version, done).await?;
    Ok(Json(record_json(&r, cchc_app::plans::today())))
}

/// `POST /api/inspections/{id}/findings`: `{issue, recommendation, deadline}`.
pub async fn api_add_finding(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path(id): Path<i64>,
    crate::api::ApiJson(b): crate::api::ApiJson<FindingForm>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let finding = finding_of(id, &b).map_err(AppError::from)?;
    let f = cchc_app::inspections::add_finding(&state, &current.user, finding).await?;
    Ok(Json(json!({ "finding": f.value, "version": f.version })))
}

/// `POST /api/inspections/findings/{id}`: `version`, `resolved_on`, `note`; 409 when stale.
pub async fn api_follow_up(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path(id): Path<i64>,
    crate::api::ApiJson(b): crate::api::ApiJson<FollowUpForm>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let follow = follow_up_of(&b).map_err(AppError::from)?;
    let f = cchc_app::inspections::follow_up(&state, &current.user, id, b.version, follow).await?;
    Ok(Json(json!({ "finding": f.value, "version": f.version, "state": f.value.state_on(cchc_app::plans::today()).slug() })))
}
