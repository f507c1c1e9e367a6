//! The JSON API under `/api`, with the same accounts, roles and scoping as the pages, described by
//! the OpenAPI document at `/api/openapi.json`. State-changing calls carry the CSRF token that
//! `POST /api/login` returns, in the `X-CSRF-Token` header.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cchc_app::access;
use serde::Deserialize;
use serde_json::{Value as Json_, json};
use tower_sessions::Session;

use crate::auth::{CurrentUser, LoginForm, authenticate, client_addr, csrf_token};
use crate::error::{ApiError, AppError};
use crate::state::AppState;
use crate::view::{PeriodQuery, parse_period};

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/login", post(login))
        .route("/openapi.json", get(openapi))
        .route("/units", get(units).post(crate::admin::api_add_unit))
        .route("/units/merge", post(crate::admin::api_merge_units))
        .route("/units/{code}/rename", post(crate::admin::api_rename_unit))
        .route("/units/{code}/close", post(crate::admin::api_close_unit))
        .route("/reports/{unit}/{period}", get(report).put(put_report))
        .route("/reports/{unit}/{period}/findings", get(findings))
        .route("/reports/{unit}/{period}/workflow", post(workflow))
        .route("/reports/{unit}/{period}/compile", post(compile))
        .route("/dossiers/stats", get(dossier_stats))
        .route("/dossiers/{id}", get(dossier))
}

async fn login(
    State(state): State<Arc<AppState>>,
    session: Session,
    parts: axum::http::request::Parts,
    ApiJson(form): ApiJson<LoginForm>,
) -> ApiResult<Response> {
    match authenticate(&state, &session, &form, &client_addr(&state, &parts)).await? {
        Ok(user) => {
            let csrf = csrf_token(&session).await?;
            Ok(Json(json!({ "username": user.username, "role": user.role.slug(), "unit": user.unit_code, "csrf": csrf })).into_response())
        }
        Err(refusal) => {
            Ok((StatusCode::UNAUTHORIZED, Json(json!({ "error": "unauthenticated", "message": refusal.message() }))).into_response())
        }
    }
}

async fn units(State(state): State<Arc<AppState>>, current: CurrentUser) -> ApiResult<Json<Json_>> {
    let tree = state.tree().await?;
    let list: Vec<Json_> = tree
        .units()
        .filter(|u| access::can_read(&current.user, &tree, &u.code))
        .map(|u| json!({ "code": u.code, "name": u.name, "kind": u.kind, "parent": u.parent, "valid_from": u.valid_from, "valid_to": u.valid_to, "version": cchc_app::units_admin::version(u) }))
        .collect();
    Ok(Json(Json_::Array(list)))
}

async fn report(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period)): Path<(String, String)>,
) -> ApiResult<Json<Json_>> {
    let r = cchc_app::reports::record(&state, &current.user, &unit, parse_period(&period)?).await?;
    let body: Json_ = serde_json::from_str(&cchc_report::file::write(&r.report)).map_err(AppError::Internal)?;
    Ok(Json(json!({ "status": r.status.slug(), "version": r.version, "report": body })))
}

/// The findings with their full context (the unit's earlier reports of the year), as the report
/// page and submission see them.
async fn findings(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period)): Path<(String, String)>,
) -> ApiResult<Json<Json_>> {
    let findings = cchc_app::reports::findings(&state, &current.user, &unit, parse_period(&period)?).await?;
    Ok(Json(serde_json::to_value(&findings).map_err(AppError::Internal)?))
}

/// `PUT /api/reports/{unit}/{period}`: set figures of a draft, creating it (with the ledger's
/// figures pre-filled) when the unit has no report for the period yet. All values valid, or
/// nothing saved.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PutReport {
    /// The version the client read (`null` to create); a stale one is refused (409).
    version: Option<i64>,
    /// Key (`3.5.1`, `3.5.1[level=xa]`) → value as typed (`"8.803"`, `12`, `null` to clear).
    values: serde_json::Map<String, Json_>,
}

async fn put_report(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period)): Path<(String, String)>,
    ApiJson(body): ApiJson<PutReport>,
) -> ApiResult<Json<Json_>> {
    let fields: Vec<(String, String)> = body
        .values
        .iter()
        .map(|(k, v)| {
            let text = match v {
                Json_::String(s) => s.clone(),
                Json_::Null => String::new(),
                other => other.to_string(),
            };
            (k.clone(), text)
        })
        .collect();
    let rec = cchc_app::reports::save_figures(&state, &current.user, &unit, parse_period(&period)?, body.version, &fields).await?;
    Ok(Json(json!({ "version": rec.version, "status": rec.status.slug() })))
}

/// `POST /api/reports/{unit}/{period}/workflow`: one workflow step, as the report page takes it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkflowStep {
    /// `submit`, `return`, `approve`, `lock`, `unlock`.
    action: String,
    version: i64,
    #[serde(default)]
    reason: Option<String>,
    /// Giải trình of the warnings, which submitting a report with warnings needs.
    #[serde(default)]
    explanation: Option<String>,
    /// When returning: the figures to look at again.
    #[serde(default)]
    marks: Vec<Mark>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Mark {
    key: String,
    text: String,
}

async fn workflow(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period)): Path<(String, String)>,
    ApiJson(body): ApiJson<WorkflowStep>,
) -> ApiResult<Json<Json_>> {
    let step = cchc_app::reports::Step {
        action: Some(crate::reports::parse_action(&body.action)?),
        version: body.version,
        reason: body.reason,
        explanation: body.explanation,
        marks: body.marks.into_iter().map(|m| (m.key, m.text)).collect(),
    };
    let rec = cchc_app::reports::act(&state, &current.user, &unit, parse_period(&period)?, &step).await?;
    Ok(Json(json!({ "version": rec.version, "status": rec.status.slug() })))
}

/// `POST /api/reports/{unit}/{period}/compile`: compiles the unit's report from its own figures
/// and the reports the units below have sent, and stores it as its draft.
async fn compile(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period)): Path<(String, String)>,
) -> ApiResult<Json<Json_>> {
    let out = cchc_app::compile::compile_report(&state, &current.user, &unit, parse_period(&period)?).await?;
    let c = &out.completeness;
    Ok(Json(json!({
        "version": out.record.version,
        "status": out.record.status.slug(),
        "compiled": out.compiled,
        "expected": c.expected.len(),
        "missing": c.missing().map(|e| e.code.clone()).collect::<Vec<_>>(),
    })))
}

/// A JSON body read with every problem said in Vietnamese: a malformed body is a 422 whose
/// problem names the field (`trường "version"`), never the parser's English.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::App(cchc_app::Error::invalid("Không đọc được nội dung yêu cầu (quá lớn hoặc bị ngắt).")))?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de).map(ApiJson).map_err(|e| ApiError(AppError::App(body_error(&e))))
    }
}

/// A body that does not read, in Vietnamese: where, and what is wrong.
fn body_error(e: &serde_path_to_error::Error<serde_json::Error>) -> cchc_app::Error {
    use serde_json::error::Category;
    let inner = e.inner();
    let text = inner.to_string();
    let field = |name: &str| format!("trường \"{name}\"");
    let named = |prefix: &str| text.strip_prefix(prefix).and_then(|r| r.split('`').next()).map(str::to_string);
    let (place, message): (String, String) = match inner.classify() {
        Category::Syntax | Category::Io => {
            (format!("dòng {}, cột {}", inner.line(), inner.column()), "nội dung không phải JSON hợp lệ".into())
        }
        Category::Eof => ("cuối nội dung".into(), "nội dung JSON bị cắt cụt".into()),
        Category::Data => match (named("missing field `"), named("unknown field `")) {
            (Some(missing), _) => (field(&missing), "thiếu trường này".into()),
            (None, Some(unknown)) => (field(&unknown), "trường này không có trong yêu cầu".into()),
            (None, None) => {
                let place = if e.path().to_string() == "." { "nội dung".into() } else { field(&e.path().to_string()) };
                (place, if text.starts_with("invalid type") { "sai kiểu giá trị" } else { "giá trị không hợp lệ" }.into())
            }
        },
    };
    cchc_app::Error::invalid_all("Nội dung yêu cầu không hợp lệ; chưa lưu gì.", vec![cchc_app::Problem::at(place, message)])
}

async fn dossier_stats(State(state): State<Arc<AppState>>, current: CurrentUser, Query(q): Query<PeriodQuery>) -> ApiResult<Json<Json_>> {
    let period = q.period()?;
    let unit = q.unit_or(&current.user).to_string();
    let (table, _) = crate::dossiers::table_for(&state, &current, &unit, period).await?;
    let counts = |c: &cchc_dossiers::Counts| {
        let mut m = serde_json::Map::new();
        for (k, _) in crate::dossiers::COLUMNS {
            m.insert(k.into(), json!(c.figure(k)));
        }
        Json_::Object(m)
    };
    let rows: Vec<Json_> = table.rows.iter().map(|((l, f), c)| json!({ "level": l.slug(), "field": f, "counts": counts(c) })).collect();
    Ok(Json(json!({ "unit": unit, "period": period.to_string(), "rows": rows, "total": counts(&table.total()) })))
}

async fn dossier(State(state): State<Arc<AppState>>, current: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<Json_>> {
    let (d, _) = cchc_app::ledger::dossier(&state, &current.user, &id).await?;
    Ok(Json(serde_json::to_value(&d).map_err(AppError::Internal)?))
}

/// The OpenAPI 3.1 description of this API.
async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], include_str!("../openapi.json")).into_response()
}
