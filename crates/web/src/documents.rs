//! The report as a document: an HTML preview of the text the DOCX will hold (each section's
//! narrative with the sentences generated from the figures), and downloads of the DOCX (Decree
//! 30/2020 layout), the XLSX appendix and the PDF. Building the documents is `cchc-documents`'
//! job and loading them `cchc_app::report_docs`' (the same as `cchc report`), so a download and
//! the command line give the same file.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use cchc_documents::ReportDocument;
use cchc_periods::Period;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::view::{Nav, parse_period};

/// The formats offered for download.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    Docx,
    Xlsx,
    Pdf,
    /// The report file (`docs/report-format.md`): what a province sends upward as a file.
    Json,
}

impl Format {
    fn parse(text: &str) -> AppResult<Format> {
        match text {
            "docx" => Ok(Format::Docx),
            "xlsx" => Ok(Format::Xlsx),
            "pdf" => Ok(Format::Pdf),
            "json" => Ok(Format::Json),
            _ => Err(AppError::NotFound(format!("định dạng tải về \"{text}\" (chỉ có docx, xlsx, pdf, json)"))),
        }
    }

    fn mime(self) -> &'static str {
        match self {
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pdf => "application/pdf",
            Format::Json => "application/json",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
            Format::Json => "json",
        }
    }
}

/// The stored report's document, for a user who may read the unit.
async fn readable_document(state: &AppState, current: &CurrentUser, unit: &str, period: &str) -> AppResult<(Period, ReportDocument)> {
    let period = parse_period(period)?;
    Ok((period, cchc_app::reports::document(state, &current.user, unit, period).await?))
}

/// `GET /reports/{unit}/{period}/download/{docx|xlsx|pdf|json}`: the file, as an attachment.
pub async fn download(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period, format)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let format = Format::parse(&format)?;
    let (period, doc) = readable_document(&state, &current, &unit, &period).await?;
    let bytes = match format {
        Format::Docx => docx(&doc)?,
        Format::Xlsx => cchc_documents::xlsx::render(&doc.report, &doc.catalogue).map_err(AppError::Internal)?,
        Format::Json => cchc_report::file::write(&doc.report).into_bytes(),
        // LibreOffice takes seconds: off the async workers.
        Format::Pdf => {
            let docx = docx(&doc)?;
            tokio::task::spawn_blocking(move || cchc_app::report_docs::convert_to_pdf(&docx))
                .await
                .map_err(AppError::Internal)?
                .map_err(|e| AppError::Unavailable(format!("{e:#}")))?
        }
    };
    let name = format!("bao-cao-cchc-{unit}-{period}.{}", format.extension());
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok(([(header::CONTENT_TYPE, format.mime().to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

fn docx(doc: &ReportDocument) -> AppResult<Vec<u8>> {
    cchc_documents::docx::render(doc).map_err(AppError::Internal)
}

#[derive(Template)]
#[template(path = "preview.html")]
struct PreviewPage {
    nav: Nav,
    unit: String,
    period: String,
    title: String,
    unit_name: String,
    /// The data window line, when the report states one.
    window: Option<String>,
    /// The body as the document prints it, as HTML (every text escaped by cchc-documents).
    body: String,
    findings: Vec<String>,
}

/// `GET /reports/{unit}/{period}/preview`: the document's text before downloading it.
pub async fn preview(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period)): Path<(String, String)>,
) -> AppResult<Html<String>> {
    let (period, doc) = readable_document(&state, &current, &unit, &period).await?;
    let body = cchc_documents::outline::to_html(&cchc_documents::outline::body(&doc));
    let page = PreviewPage {
        nav: Nav::new(&current, period),
        unit: unit.clone(),
        period: period.to_string(),
        title: cchc_documents::docx::title_text(&doc),
        unit_name: doc.report.unit.name.clone(),
        window: cchc_documents::docx::window_line(&doc),
        body,
        findings: doc.findings.clone(),
    };
    Ok(Html(page.render()?))
}
