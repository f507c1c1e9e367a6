//! The public status lookup (tra cứu hồ sơ), without login: `/tra-cuu` (a page whose form is a
//! GET, `?ma=…&so=…`: a read that changes nothing, and the link the appointment slip's QR code
//! gives with the code filled in) and `/api/tra-cuu` (the same as JSON). The use case is
//! [`cchc_app::lookup::lookup`]; here the answer is rendered, and failed lookups are limited per
//! client address with the login's limiter ([`crate::state::LoginLimiter`], its own keys) and
//! the login's client address ([`crate::auth::client_addr`]). The request log records the route
//! only, never the query, so neither the code nor the digits reach the log.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use cchc_app::lookup::{LookupError, PublicStatus};
use serde::Deserialize;

use crate::error::AppResult;
use crate::state::AppState;

/// Failed lookups allowed from one address within the limiter's window (15 minutes): enough for
/// a citizen's typing mistakes, far too few to try the 10.000 combinations of 4 digits.
pub const MAX_FAILURES: usize = 10;

/// The limiter's key of an address's lookups (apart from the login's keys, which hold a `|`
/// or are a bare address).
fn key(address: &str) -> String {
    format!("tra-cuu {address}")
}

#[derive(Deserialize, Default)]
pub struct LookupQuery {
    /// Mã hồ sơ.
    #[serde(default)]
    ma: Option<String>,
    /// The last 4 digits (số).
    #[serde(default)]
    so: Option<String>,
}

/// What the page shows of a found dossier, formatted.
pub struct Shown {
    code: String,
    status: String,
    procedure: String,
    unit: String,
    appointment: String,
    returned: Option<String>,
}

fn moment(t: chrono::NaiveDateTime) -> String {
    format!("{} {}", cchc_format::date(t.date()), t.format("%H:%M"))
}

impl From<PublicStatus> for Shown {
    fn from(s: PublicStatus) -> Shown {
        Shown {
            code: s.code,
            status: s.status,
            procedure: s.procedure,
            unit: s.unit,
            appointment: moment(s.appointment),
            returned: s.returned.map(moment),
        }
    }
}

#[derive(Template)]
#[template(path = "lookup.html")]
struct LookupPage {
    code: String,
    found: Option<Shown>,
    error: Option<String>,
}

/// The outcome of a lookup under the limit: the status, or the status code and message.
async fn run(state: &AppState, parts: &Parts, q: &LookupQuery) -> Result<PublicStatus, (StatusCode, String)> {
    let address = crate::auth::client_addr(state, parts);
    let key = key(&address);
    if let Some(wait) = state.limiter.blocked(&key, MAX_FAILURES) {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        return Err((
            StatusCode::TOO_MANY_REQUESTS,
            format!("Bạn đã tra cứu không thành công quá {MAX_FAILURES} lần. Vui lòng thử lại sau {minutes} phút."),
        ));
    }
    let code = q.ma.as_deref().unwrap_or_default();
    let digits = q.so.as_deref().unwrap_or_default();
    match cchc_app::lookup::lookup(&state.app, code, digits).await {
        Ok(found) => Ok(found),
        Err(LookupError::Failed(e)) => Err((crate::error::status(&e), e.to_string())),
        Err(e) => {
            state.limiter.record_failure(&key);
            let status = if matches!(e, LookupError::NotFound) { StatusCode::NOT_FOUND } else { StatusCode::UNPROCESSABLE_ENTITY };
            Err((status, e.message()))
        }
    }
}

/// `GET /tra-cuu`: the form, and with `?ma=…&so=…` the answer under it.
pub async fn page(State(state): State<Arc<AppState>>, parts: Parts, Query(q): Query<LookupQuery>) -> AppResult<Response> {
    let code = q.ma.clone().unwrap_or_default().trim().to_string();
    if q.so.is_none() {
        let page = LookupPage { code, found: None, error: None }.render()?;
        return Ok(Html(page).into_response());
    }
    let (status, found, error) = match run(&state, &parts, &q).await {
        Ok(found) => (StatusCode::OK, Some(Shown::from(found)), None),
        Err((status, message)) => (status, None, Some(message)),
    };
    let page = LookupPage { code, found, error }.render()?;
    Ok((status, Html(page)).into_response())
}

/// `GET /api/tra-cuu?ma=…&so=…`: `{"ma_ho_so", "trang_thai", "thu_tuc", "don_vi", "ngay_hen_tra",
/// "ngay_tra"}` (moments as dd/mm/yyyy HH:MM), or `{"error", "message"}` with 404 (unknown code
/// or wrong digits alike), 422 (typed wrong) or 429 (too many failures).
pub async fn api(State(state): State<Arc<AppState>>, parts: Parts, Query(q): Query<LookupQuery>) -> Response {
    match run(&state, &parts, &q).await {
        Ok(found) => {
            let s = Shown::from(found);
            axum::Json(serde_json::json!({
                "ma_ho_so": s.code, "trang_thai": s.status, "thu_tuc": s.procedure, "don_vi": s.unit,
                "ngay_hen_tra": s.appointment, "ngay_tra": s.returned,
            }))
            .into_response()
        }
        Err((status, message)) => {
            let error = match status {
                StatusCode::NOT_FOUND => "not-found",
                StatusCode::TOO_MANY_REQUESTS => "too-many-requests",
                StatusCode::UNPROCESSABLE_ENTITY => "invalid",
                _ => "unavailable",
            };
            (status, axum::Json(serde_json::json!({ "error": error, "message": message }))).into_response()
        }
    }
}
