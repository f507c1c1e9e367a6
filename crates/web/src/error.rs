//! Errors of a request: [`AppError`] is a use case's [`cchc_app::Error`] or "not logged in", and
//! this module is the one mapping of it for pages (a Vietnamese page, a redirect to the login page)
//! and for the JSON API (`{"error": "conflict", "message": "…"}` with 401, 403, 404, 409, 422,
//! 503 or 500, never a redirect). No database, driver or library text reaches a response: an
//! internal error shows only the reference under which its cause is logged.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cchc_app::Error;

#[derive(Debug)]
pub enum AppError {
    /// Not logged in: pages redirect to the login page, the API answers 401.
    Unauthenticated {
        api: bool,
    },
    App(Error),
}

pub type AppResult<T> = Result<T, AppError>;

/// Shorthands for the cases handlers raise themselves (a bad address, an unknown form).
#[allow(non_snake_case)]
impl AppError {
    pub fn NotFound(what: String) -> AppError {
        AppError::App(Error::NotFound(what))
    }
    pub fn Forbidden(why: String) -> AppError {
        AppError::App(Error::Forbidden(why))
    }
    pub fn BadRequest(why: String) -> AppError {
        AppError::App(Error::invalid(why))
    }
    pub fn Unavailable(why: String) -> AppError {
        AppError::App(Error::Unavailable(why))
    }
    /// A fault of cchc: the cause is logged under a reference, users see the reference.
    pub fn Internal(cause: impl std::fmt::Display) -> AppError {
        AppError::App(Error::internal(cause))
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        AppError::App(e)
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::App(e.into())
    }
}

impl From<cchc_storage::StoreError> for AppError {
    fn from(e: cchc_storage::StoreError) -> Self {
        AppError::App(e.into())
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::App(Error::internal(format!("template: {e}")))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    problems: Vec<String>,
}

/// The HTTP status of each case.
pub fn status(e: &Error) -> StatusCode {
    match e {
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        Error::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The title of the error page of each case.
fn title(e: &Error) -> &'static str {
    match e {
        Error::NotFound(_) => "Không tìm thấy",
        Error::Forbidden(_) => "Không có quyền",
        Error::Invalid { .. } => "Dữ liệu không hợp lệ",
        Error::Conflict(_) => "Dữ liệu đã thay đổi",
        Error::Unavailable(_) => "Chưa thực hiện được",
        Error::Internal { .. } => "Lỗi hệ thống",
    }
}

const LOGIN_FIRST: &str = "Vui lòng đăng nhập.";

/// The error as a Vietnamese page.
pub fn page(e: &Error) -> Response {
    let message = e.to_string();
    let problems = if e.problems().len() > 1 || e.problems().first().is_some_and(|p| p.message != message) {
        e.problems().iter().map(|p| p.to_string()).collect()
    } else {
        Vec::new()
    };
    let html = ErrorPage { title: title(e), message: &message, problems }.render().unwrap_or_else(|_| message.clone());
    (status(e), Html(html)).into_response()
}

/// The error as the API's JSON body: `error` (the case), `message`, and for an invalid input
/// every `problems` entry with its `place`.
pub fn json(e: &Error) -> Response {
    let mut body = serde_json::json!({ "error": e.code(), "message": e.to_string() });
    if !e.problems().is_empty() {
        body["problems"] = serde_json::to_value(e.problems()).unwrap_or_default();
    }
    (status(e), axum::Json(body)).into_response()
}

fn unauthenticated_json() -> Response {
    (StatusCode::UNAUTHORIZED, axum::Json(serde_json::json!({ "error": "unauthenticated", "message": LOGIN_FIRST }))).into_response()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Unauthenticated { api: false } => Redirect::to("/login").into_response(),
            AppError::Unauthenticated { api: true } => unauthenticated_json(),
            AppError::App(e) => page(&e),
        }
    }
}

/// An API error: the same cases as JSON, never a redirect.
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self.0 {
            AppError::Unauthenticated { .. } => unauthenticated_json(),
            AppError::App(e) => json(&e),
        }
    }
}

/// Any address no route answers: the Vietnamese "not found" page, or JSON under `/api`.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    let error = Error::NotFound(format!("trang {}", uri.path()));
    if uri.path().starts_with("/api/") { json(&error) } else { page(&error) }
}
