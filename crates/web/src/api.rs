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
use crate::view::{PeriodQuery, ensure, parse_period};

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/login", post(login))
        .route("/openapi.json", get(openapi))
        .route("/units", get(units))
        .route("/reports/{unit}/{period}", get(report).put(put_report))
        .route("/reports/{unit}/{period}/findings", get(findings))
        .route("/dossiers/stats", get(dossier_stats))
        .route("/dossiers/{id}", get(dossier))
}

async fn login(
    State(state): State<Arc<AppState>>,
    session: Session,
    parts: axum::http::request::Parts,
    Json(form): Json<LoginForm>,
) -> ApiResult<Response> {
    match authenticate(&state, &session, &form, &client_addr(&parts)).await? {
        Ok(user) => {
            let csrf = csrf_token(&session).await?;
            Ok(Json(json!({ "username": user.username, "role": user.role.slug(), "unit": user.unit_code, "csrf": csrf })).into_response())
        }
        Err(refusal) => Ok((StatusCode::UNAUTHORIZED, Json(json!({ "error": refusal.message() }))).into_response()),
    }
}

async fn units(State(state): State<Arc<AppState>>, current: CurrentUser) -> ApiResult<Json<Json_>> {
    let tree = state.store.unit_tree().await?;
    let list: Vec<Json_> = tree
        .units()
        .filter(|u| access::can_read(&current.user, &tree, &u.code))
        .map(|u| json!({ "code": u.code, "name": u.name, "kind": u.kind, "parent": u.parent, "valid_from": u.valid_from, "valid_to": u.valid_to }))
        .collect();
    Ok(Json(Json_::Array(list)))
}

async fn readable_record(state: &AppState, current: &CurrentUser, unit: &str, period: &str) -> ApiResult<cchc_storage::ReportRecord> {
    let period = parse_period(period)?;
    let tree = state.store.unit_tree().await?;
    ensure(access::can_read(&current.user, &tree, unit), "Bạn không có quyền xem báo cáo của đơn vị này.")?;
    Ok(state.store.report(unit, period).await?.ok_or_else(|| AppError::NotFound(format!("báo cáo của đơn vị {unit} kỳ {period}")))?)
}

async fn report(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period)): Path<(String, String)>,
) -> ApiResult<Json<Json_>> {
    let r = readable_record(&state, &current, &unit, &period).await?;
    let body: Json_ = serde_json::from_str(&cchc_report::file::write(&r.report)).map_err(|e| AppError::Internal(e.into()))?;
    Ok(Json(json!({ "status": r.status.slug(), "version": r.version, "report": body })))
}

async fn findings(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period)): Path<(String, String)>,
) -> ApiResult<Json<Json_>> {
    let r = readable_record(&state, &current, &unit, &period).await?;
    let catalogue = state.catalogue_of(&r.report.catalogue).await?;
    let findings = cchc_validation::validate(&r.report, &catalogue, cchc_validation::Context::default());
    Ok(Json(serde_json::to_value(&findings).map_err(|e| AppError::Internal(e.into()))?))
}

/// `PUT /api/reports/{unit}/{period}`: set figures of a draft, creating it (with the ledger's
/// figures pre-filled) when the unit has no report for the period yet. All values valid, or
/// nothing saved.
#[derive(Deserialize)]
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
    Json(body): Json<PutReport>,
) -> ApiResult<Response> {
    let period = parse_period(&period)?;
    let tree = state.store.unit_tree().await?;
    ensure(access::can_read(&current.user, &tree, &unit), "Bạn không có quyền xem báo cáo của đơn vị này.")?;
    ensure(access::can_edit(&current.user, &unit), "Bạn không có quyền sửa báo cáo của đơn vị này.")?;
    let mut report = match state.store.report(&unit, period).await? {
        Some(r) => {
            ensure(r.status.is_editable(), "Báo cáo đã gửi, đã duyệt hoặc đã khóa, không sửa được.")?;
            r.report
        }
        None => cchc_app::dossiers::prefilled_report(state.store.as_ref(), &tree, &state.catalogue(), &unit, period, &state.rule).await?.0,
    };
    let fields: Vec<(String, String)> = body
        .values
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                match v {
                    Json_::String(s) => s.clone(),
                    Json_::Null => String::new(),
                    other => other.to_string(),
                },
            )
        })
        .collect();
    let catalogue = state.catalogue_of(&report.catalogue).await?;
    let errors = crate::entry::apply(&catalogue, &mut report, &fields);
    if !errors.is_empty() {
        let list: Vec<String> = errors.into_values().flatten().map(|(_, m)| m).collect();
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "error": "Dữ liệu không hợp lệ, không lưu gì.", "errors": list })))
            .into_response());
    }
    match state.store.save_report(&report, body.version, &current.user.username).await {
        Ok(rec) => Ok(Json(json!({ "version": rec.version, "status": rec.status.slug() })).into_response()),
        Err(e @ (cchc_storage::StoreError::Conflict { .. } | cchc_storage::StoreError::AlreadyExists(_))) => {
            Ok((StatusCode::CONFLICT, Json(json!({ "error": e.to_string() }))).into_response())
        }
        Err(e) => Err(e.into()),
    }
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
    let d = state.store.dossier(&id).await?.ok_or_else(|| AppError::NotFound(format!("hồ sơ {id}")))?;
    let tree = state.store.unit_tree().await?;
    ensure(access::can_read(&current.user, &tree, &d.unit), "Bạn không có quyền xem hồ sơ của đơn vị này.")?;
    Ok(Json(serde_json::to_value(&d).map_err(|e| AppError::Internal(e.into()))?))
}

/// The OpenAPI 3.1 description of this API.
async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], include_str!("../openapi.json")).into_response()
}
