//! The compiling office's pages around a compiled report (báo cáo tổng hợp): the button that
//! compiles a unit's report from the reports sent by the units below, what the report page says
//! of a compiled report (when, from what, whether it is out of date), and the drill-down of one
//! compiled figure to the units that contributed and those missing. Every decision is the use
//! case's (`cchc_app::compile`).

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cchc_app::Error;
use cchc_report::Key;
use cchc_storage::ReportRecord;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::view::{Nav, parse_period};

/// What the report page shows of a compiled report.
pub struct CompilationView {
    /// "Tổng hợp lúc 16/06/2022 09:30 (tonghop) từ báo cáo của 2 đơn vị; chưa gửi: Xã C."
    pub summary: String,
    /// Why it is out of date, when it is.
    pub stale: Option<String>,
}

/// The report page's account of a compiled report; `None` for a report that was not compiled.
pub async fn view(state: &AppState, record: &ReportRecord) -> AppResult<Option<CompilationView>> {
    let Some(c) = &record.report.compilation else { return Ok(None) };
    let tree = state.tree().await?;
    let name = |code: &str| tree.get(code).map_or_else(|| code.to_string(), |u| u.name.clone());
    let mut summary = format!(
        "Tổng hợp lúc {} {} ({}) từ báo cáo của {} đơn vị; {} số liệu là số liệu tổng hợp, chỉ xem được.",
        cchc_format::date(c.at.date()),
        c.at.format("%H:%M"),
        c.by,
        cchc_format::int(c.sources.len() as i64),
        cchc_format::int(record.report.entries.iter().filter(|e| e.is_compiled()).count() as i64)
    );
    if !c.missing.is_empty() {
        summary.push_str(&format!(" Chưa gửi: {}.", c.missing.iter().map(|code| name(code)).collect::<Vec<_>>().join(", ")));
    }
    let stale = cchc_app::compile::staleness(state, record).await?.filter(|s| s.is_stale()).map(|s| s.message_vi());
    Ok(Some(CompilationView { summary, stale }))
}

#[derive(serde::Deserialize)]
pub struct CompileForm {}

/// Compiles the unit's report ([`cchc_app::compile::compile_report`]) and shows the report; a
/// refusal (a report already sent, a busy database) is shown on the report page.
pub async fn compile(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period)): Path<(String, String)>,
    Form(_): Form<CompileForm>,
) -> AppResult<Response> {
    let period = parse_period(&period)?;
    match cchc_app::compile::compile_report(&state, &current.user, &unit, period).await {
        Ok(out) => Ok(Redirect::to(&format!("/reports/{unit}/{period}?compiled={}", out.compiled)).into_response()),
        Err(e @ Error::Conflict(_)) => {
            let page = crate::reports::render_overview(&state, &current, &unit, period, Some(e.to_string())).await?;
            Ok((crate::error::status(&e), page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
pub struct FigureQuery {
    key: String,
}

#[derive(Template)]
#[template(path = "compiled_figure.html")]
struct FigurePage {
    nav: Nav,
    unit: String,
    period: String,
    unit_name: String,
    period_title: String,
    key: String,
    indicator: String,
    split: String,
    value: String,
    /// (unit, name, value, state) per contribution.
    rows: Vec<(String, String, String, String)>,
}

/// The drill-down of one compiled figure: the unit's own statement, each unit's part, and the
/// units whose reports are missing.
pub async fn figure(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period)): Path<(String, String)>,
    Query(q): Query<FigureQuery>,
) -> AppResult<Html<String>> {
    let period = parse_period(&period)?;
    let key = Key::parse(&q.key).ok_or_else(|| AppError::BadRequest(format!("chỉ tiêu \"{}\" không hợp lệ", q.key)))?;
    let (record, parts) = cchc_app::compile::contributions(&state, &current.user, &unit, period, &key).await?;
    let catalogue = state.catalogue_of(&record.report.catalogue).await?;
    let rows = parts
        .iter()
        .map(|p| {
            let what = if p.own {
                "số liệu riêng của đơn vị (đã thay bằng số liệu tổng hợp)"
            } else if p.missing {
                "chưa gửi báo cáo"
            } else if p.value.is_none() {
                "đã gửi, không báo cáo chỉ tiêu này"
            } else {
                "đã gửi"
            };
            (p.code.clone(), p.name.clone(), p.value.as_ref().map(|v| v.display()).unwrap_or_default(), what.to_string())
        })
        .collect();
    let page = FigurePage {
        nav: Nav::new(&current, period),
        unit: unit.clone(),
        period: period.to_string(),
        unit_name: record.report.unit.name.clone(),
        period_title: period.title_vi(),
        key: key.to_string(),
        indicator: catalogue.indicator(&key.code).map_or_else(|| key.code.clone(), |i| format!("{} {}", i.code, i.name)),
        split: cchc_app::reports::split_label(&key, &catalogue),
        value: record.report.value(&key).map(|v| v.display()).unwrap_or_default(),
        rows,
    };
    Ok(Html(page.render()?))
}

/// The address of a compiled figure's drill-down.
pub fn figure_link(unit: &str, period: &str, key: &Key) -> String {
    let key = key.to_string();
    let encoded: String = key
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("/reports/{unit}/{period}/compiled?key={encoded}")
}
