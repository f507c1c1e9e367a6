//! Errors of a request, shown to the user as a Vietnamese page (or JSON under `/api`).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

#[derive(Debug)]
pub enum AppError {
    /// Not logged in: pages redirect to the login page, the API answers 401.
    Unauthenticated {
        api: bool,
    },
    Forbidden(String),
    NotFound(String),
    BadRequest(String),
    /// Something outside cchc is missing (e.g. LibreOffice for PDF): 503 with the reason.
    Unavailable(String),
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}

impl From<cchc_storage::StoreError> for AppError {
    fn from(e: cchc_storage::StoreError) -> Self {
        match e {
            cchc_storage::StoreError::NotFound(what) => AppError::NotFound(what),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

impl AppError {
    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            AppError::Unauthenticated { .. } => (StatusCode::UNAUTHORIZED, "Chưa đăng nhập", "Vui lòng đăng nhập.".into()),
            AppError::Forbidden(m) => (StatusCode::FORBIDDEN, "Không có quyền", m.clone()),
            AppError::NotFound(m) => (StatusCode::NOT_FOUND, "Không tìm thấy", format!("Không tìm thấy {m}.")),
            AppError::BadRequest(m) => (StatusCode::BAD_REQUEST, "Yêu cầu không hợp lệ", m.clone()),
            AppError::Unavailable(m) => (StatusCode::SERVICE_UNAVAILABLE, "Chưa thực hiện được", m.clone()),
            AppError::Internal(e) => {
                tracing::error!("internal error: {e:#}");
                (StatusCode::INTERNAL_SERVER_ERROR, "Lỗi hệ thống", format!("Đã xảy ra lỗi: {e:#}"))
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Unauthenticated { api: false } = self {
            return Redirect::to("/login").into_response();
        }
        let (status, title, message) = self.parts();
        if let AppError::Unauthenticated { api: true } = self {
            return (status, axum::Json(serde_json::json!({ "error": message }))).into_response();
        }
        let page = ErrorPage { title, message: &message }.render().unwrap_or(message.clone());
        (status, Html(page)).into_response()
    }
}

/// An API error: the same cases as JSON `{ "error": "…" }`.
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, _, message) = self.0.parts();
        (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
    }
}

/// Any address no route answers: the Vietnamese "not found" page, or JSON under `/api`.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    let error = AppError::NotFound(format!("trang {}", uri.path()));
    if uri.path().starts_with("/api/") { ApiError(error).into_response() } else { error.into_response() }
}
