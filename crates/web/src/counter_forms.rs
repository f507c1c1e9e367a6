//! The counter's forms (Circular 03/2025/TT-VPCP) as downloads: `/dossiers/{id}/forms/{01..06}.docx`
//! and `.pdf` (the use case is `cchc_app::counter_forms::form`), and form 07, Sổ theo dõi hồ sơ,
//! as `/dossiers/forms/07.xlsx?unit=…&period=…`.
//!
//! The QR code on the forms leads to the public status lookup at `CCHC_PUBLIC_URL` (the address
//! citizens reach, e.g. `https://motcua.example.gov.vn`) when it is set, else at the address the
//! request came to.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use cchc_documents::counter_forms::Form;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::view::PeriodQuery;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Where the public status lookup is served: `CCHC_PUBLIC_URL`, else this request's host.
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    if let Ok(url) = std::env::var("CCHC_PUBLIC_URL")
        && !url.trim().is_empty()
    {
        return url.trim().trim_end_matches('/').to_string();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).filter(|h| !h.is_empty()).unwrap_or("localhost");
    format!("http://{host}")
}

/// `01.docx` → form 01 as DOCX; `06.pdf` → form 06 as PDF.
fn parse(file: &str) -> AppResult<(Form, bool)> {
    let refused = || AppError::NotFound(format!("mẫu \"{file}\" (chỉ có 01.docx … 06.docx và 01.pdf … 06.pdf)"));
    let (number, ext) = file.rsplit_once('.').ok_or_else(refused)?;
    let pdf = match ext {
        "docx" => false,
        "pdf" => true,
        _ => return Err(refused()),
    };
    if number.len() != 2 {
        return Err(refused());
    }
    Ok((Form::parse(number).ok_or_else(refused)?, pdf))
}

/// A name a browser keeps as it is: the receipt code's letters, digits, dots and dashes.
fn file_name(stem: &str, ext: &str) -> String {
    let safe: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '-' }).collect();
    format!("attachment; filename=\"{safe}.{ext}\"")
}

/// `GET /dossiers/{id}/forms/{01..06}.{docx|pdf}`.
pub async fn form(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    headers: HeaderMap,
    Path((id, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let (form, pdf) = parse(&file)?;
    let printed = cchc_app::counter_forms::form(&state, &current.user, &id, form, &base_url(&headers)).await?;
    if !pdf {
        let disposition = file_name(&printed.file_stem, "docx");
        return Ok(([(header::CONTENT_TYPE, DOCX.to_string()), (header::CONTENT_DISPOSITION, disposition)], printed.docx).into_response());
    }
    // LibreOffice takes seconds: off the async workers.
    let docx = printed.docx;
    let bytes = tokio::task::spawn_blocking(move || cchc_app::counter_forms::pdf(&docx)).await.map_err(AppError::Internal)??;
    let disposition = file_name(&printed.file_stem, "pdf");
    Ok(([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

/// `GET /dossiers/forms/07.xlsx?unit=…&period=…`: Sổ theo dõi hồ sơ of the unit's subtree for the
/// period (the user's own unit and the current period by default).
pub async fn ledger(State(state): State<Arc<AppState>>, current: CurrentUser, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    let period = q.period()?;
    let unit = q.unit_or(&current.user).to_string();
    let bytes = cchc_app::counter_forms::ledger(&state, &current.user, &unit, period).await?;
    let disposition = file_name(&format!("so-theo-doi-ho-so-{unit}-{period}"), "xlsx");
    Ok(([(header::CONTENT_TYPE, XLSX.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}
