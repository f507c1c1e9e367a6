//! What the record pages' forms share (`/plans`, `/documents`, `/feedback`, `/inspections`):
//! a field that is absent when blank, dates typed dd/mm/yyyy refused naming the field, and what a
//! form's handler answers once its use case has ([`answered`]: a flash and a redirect, or the
//! form's page again with the refusal).

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;

use crate::error::AppResult;

/// The field's text, trimmed; `None` when blank.
pub fn some(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

/// The unit a form or query names, or the acting user's own when it names none.
pub fn unit_or_own(unit: &str, current: &crate::auth::CurrentUser) -> String {
    some(unit).map_or_else(|| current.user.unit_code.clone(), str::to_string)
}

/// A refusal of one field, nothing saved.
pub fn refused(field: &str, message: String) -> cchc_app::Error {
    let p = cchc_app::Problem::at(field, message);
    cchc_app::Error::invalid_all(format!("Chưa lưu: {p}"), vec![p])
}

/// A date typed dd/mm/yyyy (or chosen by a date picker as yyyy-mm-dd), refused naming the field.
pub fn date(field: &str, s: &str) -> Result<Option<NaiveDate>, cchc_app::Error> {
    match some(s) {
        None => Ok(None),
        Some(t) => cchc_format::parse_date(t)
            .map(Some)
            .ok_or_else(|| refused(field, format!("\"{t}\" không phải ngày có trong lịch, viết dạng dd/mm/yyyy (ví dụ 17/01/2026)."))),
    }
}

/// A date that must be typed.
pub fn required_date(field: &str, s: &str) -> Result<NaiveDate, cchc_app::Error> {
    date(field, s)?.ok_or_else(|| refused(field, "chưa nhập ngày (dd/mm/yyyy).".into()))
}

/// A refusal in one sentence: the summary and every problem it does not already say ("Chưa lưu:
/// Ngày kiểm tra: …" once, not again after a dash).
pub fn said(e: &cchc_app::Error) -> String {
    let head = e.to_string();
    let mut text = head.clone();
    for p in e.problems().iter().filter(|p| !head.contains(&p.to_string())) {
        text.push_str(&format!(" — {p}"));
    }
    text
}

/// The status of a refusal shown again on its form's page: 409 for a change based on a stale
/// version, 422 for what was typed; `None` for any other error, which is handed on.
pub fn shown_on_page(e: &cchc_app::Error) -> Option<StatusCode> {
    match e {
        cchc_app::Error::Conflict(_) => Some(StatusCode::CONFLICT),
        cchc_app::Error::Invalid { .. } => Some(StatusCode::UNPROCESSABLE_ENTITY),
        _ => None,
    }
}

/// What a record page's form answers once its use case has: saved, a flash and a redirect
/// (`saved` gives the flash's text and where the browser goes); refused for what was typed or a
/// stale version, the form's page again with the refusal in one sentence (`again` renders it with
/// that message), 422 or 409 ([`shown_on_page`]); anything else handed on (403, 404, 500).
pub async fn answered<T, Page>(
    session: &tower_sessions::Session,
    result: Result<T, cchc_app::Error>,
    saved: impl FnOnce(T) -> (String, String),
    again: impl FnOnce(String) -> Page,
) -> AppResult<Response>
where
    Page: Future<Output = AppResult<String>>,
{
    match result {
        Ok(v) => {
            let (text, to) = saved(v);
            crate::flash::set(session, crate::flash::Flash::done(text)).await?;
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let Some(status) = shown_on_page(&e) else { return Err(e.into()) };
            Ok((status, Html(again(said(&e)).await?)).into_response())
        }
    }
}
