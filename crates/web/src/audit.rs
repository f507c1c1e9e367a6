//! The audit log page (`/audit`) and its export (`/audit.csv`): filtered by unit, user, action
//! and day range (dd/mm/yyyy), paged in the store, each user's full name beside the user name,
//! values shown as text (a multi-line value, such as a schedule, folded). Who sees what is
//! [`cchc_app::audit::audit_log`]'s rule.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use cchc_app::audit::{AuditRequest, AuditView};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::view::Nav;

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default, Clone)]
pub struct AuditParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    by: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    page: Option<i64>,
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

fn day(field: &str, s: &str) -> Result<Option<chrono::NaiveDate>, cchc_app::Error> {
    match some(s) {
        None => Ok(None),
        Some(t) => cchc_format::parse_date(&t).map(Some).ok_or_else(|| {
            let p = cchc_app::Problem::at(field, format!("\"{t}\" không phải ngày dạng dd/mm/yyyy."));
            cchc_app::Error::invalid_all(format!("Chưa lọc được: {p}"), vec![p])
        }),
    }
}

impl AuditParams {
    fn request(&self, per_page: i64) -> Result<AuditRequest, cchc_app::Error> {
        Ok(AuditRequest {
            unit: some(&self.unit),
            by: some(&self.by),
            action: some(&self.action),
            from: day("trường \"Từ ngày\"", &self.from)?,
            until: day("trường \"Đến ngày\"", &self.until)?,
            page: self.page.unwrap_or(1),
            per_page,
        })
    }

    /// The query string of these filters (for the pages' links and the export).
    fn query(&self, page: Option<i64>) -> String {
        let mut pairs = vec![
            ("unit", self.unit.clone()),
            ("by", self.by.clone()),
            ("action", self.action.clone()),
            ("from", self.from.clone()),
            ("until", self.until.clone()),
        ];
        pairs.retain(|(_, v)| !v.trim().is_empty());
        if let Some(p) = page {
            pairs.push(("page", p.to_string()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// One row as read: time, person, unit, period, action, item, old and new value.
struct Row {
    at: String,
    by: String,
    full_name: String,
    unit: String,
    period: String,
    action: String,
    item: String,
    old: String,
    new: String,
}

fn rows(view: &AuditView) -> Vec<Row> {
    view.entries
        .iter()
        .map(|e| Row {
            at: e.at.format("%d/%m/%Y %H:%M").to_string(),
            by: e.by.clone(),
            full_name: view.names.get(&e.by).cloned().unwrap_or_default(),
            unit: e.unit_code.clone().unwrap_or_default(),
            period: e.period.clone().unwrap_or_default(),
            action: e.action.clone(),
            item: e.item.clone().unwrap_or_default(),
            old: e.old_value.clone().unwrap_or_default(),
            new: e.new_value.clone().unwrap_or_default(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    nav: Nav,
    f: AuditParams,
    message: Option<String>,
    rows: Vec<Row>,
    actions: Vec<String>,
    total: String,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    export: String,
    export_xlsx: String,
}

/// `/audit`: the filtered page.
pub async fn audit_page(State(state): State<Arc<AppState>>, current: CurrentUser, Query(f): Query<AuditParams>) -> AppResult<Html<String>> {
    let nav = Nav::new(&current, crate::view::current_period());
    let result = match f.request(PER_PAGE) {
        Ok(r) => cchc_app::audit::audit_log(&state, &current.user, &r).await,
        Err(e) => Err(e),
    };
    let (view, message) = match result {
        Ok(v) => (v, None),
        Err(e @ cchc_app::Error::Invalid { .. }) => (AuditView::default(), Some(e.to_string())),
        Err(e) => return Err(e.into()),
    };
    let page = view.page.max(1);
    let page_link = |p: i64| format!("/audit?{}", f.query(Some(p)));
    Ok(Html(
        AuditPage {
            nav,
            message,
            rows: rows(&view),
            actions: view.actions.clone(),
            total: cchc_format::int(view.total),
            page,
            pages: view.pages,
            prev: (page > 1).then(|| page_link(page - 1)),
            next: (page < view.pages).then(|| page_link(page + 1)),
            export: format!("/audit.csv?{}", f.query(None)),
            export_xlsx: format!("/audit.xlsx?{}", f.query(None)),
            f,
        }
        .render()?,
    ))
}

/// The export's columns: heading and width (in characters), in the order of [`Row::fields`].
const COLUMNS: [(&str, f64); 9] = [
    ("Thời gian", 17.0),
    ("Tài khoản", 12.0),
    ("Họ và tên", 22.0),
    ("Đơn vị", 10.0),
    ("Kỳ", 10.0),
    ("Thao tác", 18.0),
    ("Mục", 22.0),
    ("Giá trị cũ", 28.0),
    ("Giá trị mới", 28.0),
];

impl Row {
    fn fields(self) -> [String; 9] {
        [self.at, self.by, self.full_name, self.unit, self.period, self.action, self.item, self.old, self.new]
    }
}

/// Every entry the filters match (up to the export's cap), for the exports.
async fn exported(state: &AppState, current: &CurrentUser, f: &AuditParams) -> AppResult<Vec<Row>> {
    let r = AuditRequest { page: 1, ..f.request(cchc_app::audit::MAX_PER_PAGE)? };
    Ok(rows(&cchc_app::audit::audit_log(state, &current.user, &r).await?))
}

fn csv_field(s: &str) -> String {
    // Quoted; a leading = + - @ is prefixed so a spreadsheet does not run it as a formula.
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `/audit.csv`: the same filters, every matching entry (up to the export's cap), UTF-8 with
/// a byte-order mark so spreadsheet programs read the Vietnamese letters.
pub async fn audit_csv(State(state): State<Arc<AppState>>, current: CurrentUser, Query(f): Query<AuditParams>) -> AppResult<Response> {
    let mut out = String::from("\u{feff}");
    out.push_str(&COLUMNS.map(|(h, _)| h).join(","));
    out.push_str("\r\n");
    for r in exported(&state, &current, &f).await? {
        out.push_str(&r.fields().iter().map(|s| csv_field(s)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"nhat-ky-thay-doi.csv\"")],
        out,
    )
        .into_response())
}

/// What the filters were, for the export's second line.
fn filters_line(f: &AuditParams) -> String {
    let parts = [("Đơn vị", &f.unit), ("Tài khoản", &f.by), ("Thao tác", &f.action), ("Từ ngày", &f.from), ("Đến ngày", &f.until)];
    let said: Vec<String> = parts.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| format!("{k}: {}", v.trim())).collect();
    if said.is_empty() { "Tất cả các mục được xem".to_string() } else { said.join("; ") }
}

/// `/audit.xlsx`: the same entries as [`audit_csv`], as an Excel workbook.
pub async fn audit_xlsx(State(state): State<Arc<AppState>>, current: CurrentUser, Query(f): Query<AuditParams>) -> AppResult<Response> {
    use cchc_documents::xlsx::table::{Cell, Column, Table, table};
    let rows: Vec<Vec<Cell>> = exported(&state, &current, &f).await?.into_iter().map(|r| r.fields().map(Cell::Text).to_vec()).collect();
    let columns = COLUMNS.map(|(heading, width)| Column { heading, width });
    let subtitle = filters_line(&f);
    let t = Table { sheet: "Nhật ký thay đổi", title: "NHẬT KÝ THAY ĐỔI", subtitle: &subtitle, columns: &columns, rows: &rows };
    let bytes = table(&t).map_err(AppError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"nhat-ky-thay-doi.xlsx\""),
        ],
        bytes,
    )
        .into_response())
}
