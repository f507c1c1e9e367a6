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
    /// The way on: (address, "Về trang chủ").
    back: (String, &'a str),
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
    let back = ("/".to_string(), "Về trang chủ");
    let html = ErrorPage { title: title(e), message: &message, problems, back }.render().unwrap_or_else(|_| message.clone());
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

/// An address that exists, asked for with a method it does not take: mostly a GET of a form's
/// address (a refresh or a bookmark after a post, the back button). Pages get 405 with the
/// Vietnamese page and a link to the page the address belongs to; the API gets its JSON. axum
/// adds the `Allow` header.
pub async fn method_not_allowed(method: axum::http::Method, axum::extract::OriginalUri(uri): axum::extract::OriginalUri) -> Response {
    let status = StatusCode::METHOD_NOT_ALLOWED;
    if uri.path().starts_with("/api/") {
        let message = format!("Địa chỉ {} không nhận yêu cầu {method}.", uri.path());
        return (status, axum::Json(serde_json::json!({ "error": "method_not_allowed", "message": message }))).into_response();
    }
    let message = if matches!(method, axum::http::Method::GET | axum::http::Method::HEAD) {
        "Địa chỉ này chỉ dùng để gửi biểu mẫu (khi bấm nút Lưu, Gửi, Ghi nhận…), không mở trực tiếp được: có thể trang vừa được tải lại hoặc mở lại sau khi gửi. Chưa có gì thay đổi. Hãy về trang dưới đây và thực hiện lại nếu cần.".to_string()
    } else {
        format!("Địa chỉ này không nhận yêu cầu {method}. Chưa có gì thay đổi.")
    };
    let back = page_of(uri.path());
    let page = ErrorPage { title: "Không mở được địa chỉ này", message: &message, problems: Vec::new(), back };
    (status, Html(page.render().unwrap_or(message))).into_response()
}

/// The page a form's address belongs to, and the link's words: `/reports/U/P/action` →
/// `/reports/U/P`. The segments are kept as they came (percent-encoded).
pub fn page_of(path: &str) -> (String, &'static str) {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["reports", unit, period, "action" | "narrative" | "figure" | "preview"]
        | ["reports", unit, period, "narrative", "preview"]
        | ["reports", unit, period, "download", _] => (format!("/reports/{unit}/{period}"), "Về trang báo cáo"),
        ["reports", unit, period, "form", form, "check"] => (format!("/reports/{unit}/{period}/form/{form}"), "Về biểu mẫu"),
        ["compile", unit, period] => (format!("/compile/{unit}/{period}"), "Về trang tổng hợp"),
        ["reports", "import"] => ("/reports/import".into(), "Về trang nhập tệp"),
        ["dossiers", "new"] => ("/dossiers".into(), "Về sổ theo dõi hồ sơ"),
        ["dossiers", id, "events"] => (format!("/dossiers/{id}"), "Về trang hồ sơ"),
        ["admin", "units", ..] => ("/admin/units".into(), "Về trang đơn vị hành chính"),
        ["admin", "catalogue", ..] => ("/admin/catalogue".into(), "Về trang bộ chỉ tiêu"),
        ["admin", "calendar", ..] => ("/admin/calendar".into(), "Về trang lịch làm việc"),
        ["admin", "users", ..] => ("/admin/users".into(), "Về trang người dùng"),
        _ => ("/".into(), "Về trang chủ"),
    }
}

#[cfg(test)]
mod tests {
    use super::page_of;

    #[test]
    fn a_form_address_leads_back_to_its_page() {
        assert_eq!(page_of("/reports/99101N/2026-H1/action"), ("/reports/99101N/2026-H1".into(), "Về trang báo cáo"));
        assert_eq!(page_of("/reports/99101N/2026-H1/narrative/preview").0, "/reports/99101N/2026-H1");
        assert_eq!(page_of("/reports/99101N/2026-H1/form/3/check").0, "/reports/99101N/2026-H1/form/3");
        assert_eq!(page_of("/dossiers/HS%2F1/events").0, "/dossiers/HS%2F1");
        assert_eq!(page_of("/dossiers/new").0, "/dossiers");
        assert_eq!(page_of("/admin/units/merge").0, "/admin/units");
        assert_eq!(page_of("/admin/users/sonha").0, "/admin/users");
        assert_eq!(page_of("/logout"), ("/".into(), "Về trang chủ"));
    }
}
