//! Citizens' feedback (PAKN) pages and API (issue 14 items 4, 7): `/feedback` (a unit's
//! feedback, searched and filtered by status, channel and received dates, with the due-soon and
//! overdue lists, the intake form, and on each row the forms to correct its intake, to assign and
//! to answer it) and `/api/feedback` (the same as JSON). Every rule is `cchc_app::feedback`'s; this module parses
//! forms (dates dd/mm/yyyy) and renders.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use cchc_app::feedback::{Correction, Intake, ListQuery, Row};
use cchc_records::feedback::{Channel, DEFAULT_TIME_LIMIT, Sender, Status};
use serde::Deserialize;
use serde_json::json;

use crate::auth::CurrentUser;
use crate::error::{ApiError, AppError, AppResult};
use crate::fields::{answered, date, refused, required_date, some};
use crate::state::AppState;
use crate::view::{Nav, current_period};

/// How many working days ahead the due-soon list looks.
const DUE_SOON_DAYS: u32 = 3;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/feedback", get(page).post(receive))
        .route("/feedback/{id}/edit", post(correct))
        .route("/feedback/{id}/assign", post(assign))
        .route("/feedback/{id}/answer", post(answer))
        .route("/api/feedback", get(api_list).post(api_receive))
        .route("/api/feedback/{id}", get(api_get).post(api_correct))
        .route("/api/feedback/{id}/assign", post(api_assign))
        .route("/api/feedback/{id}/answer", post(api_answer))
}

#[derive(Deserialize, Default, Clone)]
pub struct FeedbackQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    channel: String,
    /// `due` (sắp đến hạn), `overdue` (quá hạn) or all.
    #[serde(default)]
    list: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

impl FeedbackQuery {
    fn unit(&self, current: &CurrentUser) -> String {
        crate::fields::unit_or_own(&self.unit, current)
    }

    fn query(&self) -> Result<ListQuery, cchc_app::Error> {
        let mut status = Status::from_slug(&self.status);
        if self.list == "overdue" {
            status = Some(Status::Overdue);
        }
        Ok(ListQuery {
            text: self.q.clone(),
            channel: Channel::from_slug(&self.channel),
            status,
            from: date("Từ ngày", &self.from)?,
            to: date("Đến ngày", &self.until)?,
            due_within: (self.list == "due").then_some(DUE_SOON_DAYS),
        })
    }
}

struct RowView {
    id: i64,
    version: i64,
    received: String,
    channel: &'static str,
    channel_slug: &'static str,
    sender: String,
    contact: String,
    content: String,
    concerns: String,
    procedure: String,
    dossier: String,
    handler_unit: String,
    handler_unit_code: String,
    handler: String,
    due: String,
    days_left: String,
    status: &'static str,
    status_slug: &'static str,
    answer: String,
    can_assign: bool,
    can_answer: bool,
    /// Whether the intake may be corrected (by the receiving unit's keepers, until answered).
    can_correct: bool,
}

fn row_view(r: &Row, name: &dyn Fn(&str) -> String) -> RowView {
    let f = &r.feedback;
    let s = &f.sender;
    let contact = [s.phone.as_deref(), s.email.as_deref(), s.address.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    let concerns = [f.procedure.as_deref().map(|p| format!("TTHC {p}")), f.dossier.as_deref().map(|d| format!("hồ sơ {d}"))]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    RowView {
        id: f.id,
        version: r.version,
        received: cchc_format::date(f.received_on),
        channel: f.channel.name_vi(),
        channel_slug: f.channel.slug(),
        sender: s.name.clone(),
        contact,
        content: f.content.clone(),
        concerns,
        procedure: f.procedure.clone().unwrap_or_default(),
        dossier: f.dossier.clone().unwrap_or_default(),
        handler_unit: name(&f.handler_unit),
        handler_unit_code: f.handler_unit.clone(),
        handler: f.handler.clone().unwrap_or_default(),
        due: cchc_format::date(r.due_on),
        days_left: r.days_left.map(|n| format!("còn {n} ngày làm việc")).unwrap_or_default(),
        status: r.status.name_vi(),
        status_slug: r.status.slug(),
        answer: f.answer.as_ref().map(|a| format!("{}: {}", cchc_format::date(a.on), a.text)).unwrap_or_default(),
        can_assign: r.can_assign && f.answer.is_none(),
        can_answer: r.can_answer && f.answer.is_none(),
        can_correct: r.can_assign && f.answer.is_none(),
    }
}

#[derive(Template)]
#[template(path = "feedback.html")]
struct FeedbackPage {
    nav: Nav,
    f: FeedbackQuery,
    unit: String,
    unit_name: String,
    message: Option<String>,
    rows: Vec<RowView>,
    count: String,
    can_receive: bool,
    channels: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    units: Vec<(String, String)>,
    due_days: u32,
    default_limit: u32,
    today: String,
}

async fn render(state: &AppState, current: &CurrentUser, f: FeedbackQuery, message: Option<String>) -> AppResult<String> {
    let unit = f.unit(current);
    let tree = state.tree().await?;
    let today = cchc_app::feedback::today();
    let (listing, message) = match f.query() {
        Ok(q) => (cchc_app::feedback::list(state, &current.user, &unit, &q, today).await?, message),
        Err(e) => (cchc_app::feedback::list(state, &current.user, &unit, &ListQuery::default(), today).await?, Some(e.to_string())),
    };
    let name = |c: &str| tree.get(c).map_or_else(|| c.to_string(), |u| u.name.clone());
    let mut units: Vec<(String, String)> = tree.subtree(&unit).into_iter().map(|u| (u.code.clone(), u.name.clone())).collect();
    units.sort();
    let page = FeedbackPage {
        nav: Nav::new(current, current_period()),
        unit_name: listing.unit.name.clone(),
        unit,
        message,
        count: cchc_format::int(listing.rows.len() as i64),
        rows: listing.rows.iter().map(|r| row_view(r, &name)).collect(),
        can_receive: listing.can_receive,
        channels: Channel::ALL.iter().map(|c| (c.slug(), c.name_vi())).collect(),
        statuses: Status::ALL.iter().map(|s| (s.slug(), s.name_vi())).collect(),
        units,
        due_days: DUE_SOON_DAYS,
        default_limit: DEFAULT_TIME_LIMIT,
        today: cchc_format::date(today),
        f,
    };
    Ok(page.render()?)
}

/// `/feedback?unit=…&q=…&status=…&channel=…&list=due|overdue&from=…&until=…`.
pub async fn page(State(state): State<Arc<AppState>>, current: CurrentUser, Query(f): Query<FeedbackQuery>) -> AppResult<Html<String>> {
    Ok(Html(render(&state, &current, f, None).await?))
}

/// The unit's page again, saying why a form was refused.
async fn again(state: &AppState, current: &CurrentUser, unit: &str, message: String) -> AppResult<String> {
    render(state, current, FeedbackQuery { unit: unit.to_string(), ..FeedbackQuery::default() }, Some(message)).await
}

/// Where a form on feedback `id` leads once saved: the unit's page, on its row.
fn at(unit: &str, id: i64) -> String {
    format!("/feedback?unit={unit}#feedback-{id}")
}

#[derive(Deserialize, Clone)]
pub struct IntakeForm {
    unit: String,
    channel: String,
    received_on: String,
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
    content: String,
    #[serde(default)]
    procedure: String,
    #[serde(default)]
    dossier: String,
    #[serde(default)]
    time_limit: String,
}

fn intake_of(f: &IntakeForm) -> Result<Intake, cchc_app::Error> {
    let opt = |s: &str| some(s).map(str::to_string);
    let time_limit = match some(&f.time_limit) {
        None => None,
        Some(t) => Some(
            t.parse::<u32>()
                .map_err(|_| refused("Thời hạn xử lý", format!("\"{t}\" không phải số ngày làm việc (ví dụ {DEFAULT_TIME_LIMIT}).")))?,
        ),
    };
    Ok(Intake {
        unit: f.unit.trim().into(),
        channel: Channel::from_slug(&f.channel)
            .ok_or_else(|| refused("Kênh tiếp nhận", format!("không có kênh tiếp nhận \"{}\".", f.channel)))?,
        received_on: required_date("Ngày tiếp nhận", &f.received_on)?,
        sender: Sender { name: f.name.trim().into(), phone: opt(&f.phone), email: opt(&f.email), address: opt(&f.address) },
        content: f.content.trim().into(),
        procedure: opt(&f.procedure),
        dossier: opt(&f.dossier),
        time_limit,
    })
}

/// `POST /feedback`: feedback received.
pub async fn receive(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Form(f): Form<IntakeForm>,
) -> AppResult<Response> {
    let result = async { cchc_app::feedback::receive(&state, &current.user, intake_of(&f)?).await }.await;
    let saved = |v: cchc_storage::Versioned<cchc_records::feedback::Feedback>| {
        let f = v.value;
        (format!("Đã tiếp nhận phản ánh, kiến nghị số {} ngày {}.", f.id, cchc_format::date(f.received_on)), at(&f.unit, f.id))
    };
    answered(&session, result, saved, |m| again(&state, &current, f.unit.trim(), m)).await
}

/// A correction of an intake (`POST /feedback/{id}/edit`, `POST /api/feedback/{id}`), based on
/// `version`: the channel, the day received (dd/mm/yyyy), the content, the procedure and the
/// dossier concerned, all as the form shows them.
#[derive(Deserialize)]
pub struct CorrectionForm {
    version: i64,
    /// The unit whose page the form was on (to go back to it).
    #[serde(default)]
    unit: String,
    channel: String,
    received_on: String,
    content: String,
    #[serde(default)]
    procedure: String,
    #[serde(default)]
    dossier: String,
}

fn correction_of(f: &CorrectionForm) -> Result<Correction, cchc_app::Error> {
    Ok(Correction {
        channel: Channel::from_slug(&f.channel)
            .ok_or_else(|| refused("Kênh tiếp nhận", format!("không có kênh tiếp nhận \"{}\".", f.channel)))?,
        received_on: required_date("Ngày tiếp nhận", &f.received_on)?,
        content: f.content.clone(),
        procedure: some(&f.procedure).map(str::to_string),
        dossier: some(&f.dossier).map(str::to_string),
    })
}

/// `POST /feedback/{id}/edit`: the intake corrected while the feedback is not answered.
pub async fn correct(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Path(id): Path<i64>,
    Form(f): Form<CorrectionForm>,
) -> AppResult<Response> {
    let back = crate::fields::unit_or_own(&f.unit, &current);
    let result = async { cchc_app::feedback::correct(&state, &current.user, id, f.version, correction_of(&f)?).await }.await;
    let saved = |_| (format!("Đã sửa thông tin tiếp nhận phản ánh, kiến nghị số {id}."), at(&back, id));
    answered(&session, result, saved, |m| again(&state, &current, &back, m)).await
}

#[derive(Deserialize)]
pub struct AssignForm {
    version: i64,
    /// The unit whose page the form was on (to go back to it).
    #[serde(default)]
    unit: String,
    handler_unit: String,
    #[serde(default)]
    handler: String,
}

/// `POST /feedback/{id}/assign`.
pub async fn assign(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Path(id): Path<i64>,
    Form(f): Form<AssignForm>,
) -> AppResult<Response> {
    let back = crate::fields::unit_or_own(&f.unit, &current);
    let handler = some(&f.handler).map(str::to_string);
    let result = cchc_app::feedback::assign(&state, &current.user, id, f.version, &f.handler_unit, handler).await;
    let saved = |_| (format!("Đã phân công xử lý phản ánh, kiến nghị số {id}."), at(&back, id));
    answered(&session, result, saved, |m| again(&state, &current, &back, m)).await
}

#[derive(Deserialize)]
pub struct AnswerForm {
    version: i64,
    #[serde(default)]
    unit: String,
    answered_on: String,
    text: String,
}

/// `POST /feedback/{id}/answer`.
pub async fn answer(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Path(id): Path<i64>,
    Form(f): Form<AnswerForm>,
) -> AppResult<Response> {
    let back = crate::fields::unit_or_own(&f.unit, &current);
    let result = async {
        let on = required_date("Ngày trả lời", &f.answered_on)?;
        cchc_app::feedback::answer(&state, &current.user, id, f.version, on, &f.text).await
    }
    .await;
    let saved = |_| (format!("Đã ghi nhận trả lời phản ánh, kiến nghị số {id}."), at(&back, id));
    answered(&session, result, saved, |m| again(&state, &current, &back, m)).await
}

fn row_json(r: &Row) -> serde_json::Value {
    json!({
        "feedback": r.feedback, "version": r.version, "due_on": cchc_format::date(r.due_on),
        "status": r.status.slug(), "status_name": r.status.name_vi(), "working_days_left": r.days_left,
        "sender_masked": !r.full,
    })
}

/// `GET /api/feedback?…`: the unit's feedback with its due dates and states.
pub async fn api_list(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Query(f): Query<FeedbackQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let unit = f.unit(&current);
    let q = f.query().map_err(AppError::from)?;
    let listing = cchc_app::feedback::list(&state, &current.user, &unit, &q, cchc_app::feedback::today()).await?;
    Ok(Json(json!({ "unit": unit, "feedback": listing.rows.iter().map(row_json).collect::<Vec<_>>() })))
}

/// `GET /api/feedback/{id}`.
pub async fn api_get(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(row_json(&cchc_app::feedback::get(&state, &current.user, id).await?)))
}

/// `POST /api/feedback`: the intake form's fields (dates dd/mm/yyyy).
pub async fn api_receive(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    crate::api::ApiJson(b): crate::api::ApiJson<IntakeForm>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let intake = intake_of(&b).map_err(AppError::from)?;
    let v = cchc_app::feedback::receive(&state, &current.user, intake).await?;
    Ok(Json(json!({ "feedback": v.value, "version": v.version })))
}

/// `POST /api/feedback/{id}`: the intake corrected ([`CorrectionForm`]; 409 when stale, 422 once
/// answered).
pub async fn api_correct(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path(id): Path<i64>,
    crate::api::ApiJson(b): crate::api::ApiJson<CorrectionForm>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let correction = correction_of(&b).map_err(AppError::from)?;
    let version = cchc_app::feedback::correct(&state, &current.user, id, b.version, correction).await?;
    Ok(Json(json!({ "id": id, "version": version })))
}

/// `POST /api/feedback/{id}/assign` (`version`, `handler_unit`, `handler`; 409 when stale).
pub async fn api_assign(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path(id): Path<i64>,
    crate::api::ApiJson(b): crate::api::ApiJson<AssignForm>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let handler = some(&b.handler).map(str::to_string);
    let version = cchc_app::feedback::assign(&state, &current.user, id, b.version, &b.handler_unit, handler).await?;
    Ok(Json(json!({ "id": id, "version": version })))
}

/// `POST /api/feedback/{id}/answer` (`version`, `answered_on`, `text`; 409 when stale).
pub async fn api_answer(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path(id): Path<i64>,
    crate::api::ApiJson(b): crate::api::ApiJson<AnswerForm>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let on = required_date("Ngày trả lời", &b.answered_on).map_err(AppError::from)?;
    let version = cchc_app::feedback::answer(&state, &current.user, id, b.version, on, &b.text).await?;
    Ok(Json(json!({ "id": id, "version": version })))
}
