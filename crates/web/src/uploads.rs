//! Bringing a report file in through the browser (`/reports/import`): a report JSON file or a
//! filled-in workbook as the unit's report, or a signed report of an earlier period as issued
//! (đã ban hành). The use case decides (`cchc_app::reports::import_file`); the page shows what
//! became of the file, or every problem named.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Html;
use cchc_app::reports::FileImport;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::reports::FindingView;
use crate::state::AppState;
use crate::view::Nav;

/// The largest file taken, in bytes: a report file or workbook is well under this.
pub const MAX_UPLOAD: usize = 16 * 1024 * 1024;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    nav: Nav,
    /// (message, link to the report) once a file was taken.
    done: Option<(String, String)>,
    findings: Vec<FindingView>,
}

/// The upload form.
pub async fn page(State(state): State<Arc<AppState>>, current: CurrentUser) -> AppResult<Html<String>> {
    let period = state.rule.current_report(cchc_storage::now().date());
    Ok(Html(ImportPage { nav: Nav::new(&current, period), done: None, findings: Vec::new() }.render()?))
}

/// Takes the uploaded file (`file`) and the choice to store it as issued (`issued`).
pub async fn upload(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Html<String>> {
    // Not a file upload at all: said in Vietnamese, not in axum's words.
    let mut form = form.map_err(|_| bad("Yêu cầu không phải một tệp gửi lên từ biểu mẫu nhập tệp."))?;
    let (mut bytes, mut issued) = (None, false);
    while let Some(field) = form.next_field().await.map_err(|_| bad("Không đọc được tệp gửi lên (bị ngắt hoặc sai định dạng)."))?
    {
        match field.name() {
            Some("file") => bytes = Some(field.bytes().await.map_err(|_| bad("Không đọc được tệp gửi lên (quá lớn hoặc bị ngắt)."))?),
            Some("issued") => issued = true,
            _ => {}
        }
    }
    let bytes = bytes.filter(|b| !b.is_empty()).ok_or_else(|| bad("Chưa chọn tệp báo cáo."))?;
    let (message, link, findings) = match cchc_app::reports::import_file(&state, &current.user, &bytes, issued).await? {
        FileImport::Stored(done) => {
            let r = &done.record.report;
            (
                format!("Đã nhập báo cáo của {} kỳ {} (phiên bản {}).", r.unit.name, r.period.title_vi(), done.record.version),
                format!("/reports/{}/{}", r.unit.code, r.period),
                done.findings,
            )
        }
        FileImport::Issued { unit, period, findings } => (
            format!("Đã lưu báo cáo đã ban hành của đơn vị {unit} kỳ {}, đúng như bản in (cả sai sót, để đối chiếu).", period.title_vi()),
            format!("/reports/{unit}/{period}"),
            findings,
        ),
    };
    // One report stored (as the unit's, or as issued): `cchc_import_rows_total{importer="report"}`.
    state.metrics.imported("report", 1);
    let period = state.rule.current_report(cchc_storage::now().date());
    let page = ImportPage {
        nav: Nav::new(&current, period),
        done: Some((message, link)),
        findings: findings.iter().map(FindingView::from).collect(),
    };
    Ok(Html(page.render()?))
}

fn bad(message: &str) -> AppError {
    AppError::App(cchc_app::Error::invalid(message))
}
