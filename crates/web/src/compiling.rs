//! The compiling office's pages around a compiled report (báo cáo tổng hợp): the button that
//! compiles a unit's report from the reports sent by the units below, what the report page says
//! of a compiled report (when, from what, whether it is out of date), and the review page of one
//! figure: its history and comment thread, and for a compiled figure its drill-down to the units
//! that contributed and those missing. Every decision is the use cases' (`cchc_app::compile`,
//! `cchc_app::figures`).

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
    /// "Tổng hợp lúc 16/06/2022 09:30 (Trần Thị Hợp) từ báo cáo của 2 đơn vị; chưa gửi: Xã C."
    pub summary: String,
    /// Why it is out of date, when it is.
    pub stale: Option<String>,
}

/// The report page's account of a compiled report; `None` for a report that was not compiled.
pub async fn view(state: &AppState, record: &ReportRecord, people: &crate::view::People) -> AppResult<Option<CompilationView>> {
    let Some(c) = &record.report.compilation else { return Ok(None) };
    let tree = state.tree().await?;
    let name = |code: &str| tree.get(code).map_or_else(|| code.to_string(), |u| u.name.clone());
    let mut summary = format!(
        "Tổng hợp lúc {} {} ({}) từ báo cáo của {} đơn vị; {} số liệu là số liệu tổng hợp, chỉ xem được.",
        cchc_format::date(c.at.date()),
        c.at.format("%H:%M"),
        people.name(&c.by),
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
    /// The picker's choice: the same figure of another period or unit.
    period: Option<String>,
    unit: Option<String>,
}

#[derive(Template)]
#[template(path = "figure.html")]
struct FigurePage {
    nav: Nav,
    /// The picker (`period_picker.html`): the same figure in another period or unit.
    periods: Vec<(String, String, bool)>,
    units: Vec<(String, String, bool)>,
    unit: String,
    period: String,
    unit_name: String,
    period_title: String,
    key: String,
    indicator: String,
    split: String,
    value: String,
    compiled: bool,
    /// (unit, name, value, state) per contribution of a compiled figure.
    rows: Vec<(String, String, String, String)>,
    /// (when, who, old, new) per change.
    history: Vec<(String, String, String, String)>,
    /// (when, who, kind, text) per note.
    notes: Vec<(String, String, String, String)>,
    can_comment: bool,
    message: Option<String>,
}

/// The review page of one figure: its value, history and comments, and for a compiled figure
/// the unit's own statement, each unit's part and the units whose reports are missing.
pub async fn figure(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period)): Path<(String, String)>,
    Query(q): Query<FigureQuery>,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let key = crate::view::segment(&q.key);
    let page = |u: &str, p: &str| format!("/reports/{u}/{p}/figure?key={key}");
    if let Some(to) = crate::view::picked((q.period.as_deref(), q.unit.as_deref()), &unit, &period, page)? {
        return Ok(to.into_response());
    }
    Ok(render_figure(&state, &current, &unit, &period, &q.key, None).await?.into_response())
}

async fn render_figure(
    state: &AppState,
    current: &CurrentUser,
    unit: &str,
    period: &str,
    key: &str,
    message: Option<String>,
) -> AppResult<Html<String>> {
    let period = parse_period(period)?;
    let key = Key::parse(key).ok_or_else(|| AppError::BadRequest(format!("chỉ tiêu \"{key}\" không hợp lệ")))?;
    let view = cchc_app::figures::figure(state, &current.user, unit, period, &key).await?;
    let catalogue = state.catalogue_of(&view.record.report.catalogue).await?;
    let actors: Vec<&str> = view.history.iter().map(|h| h.by.as_str()).chain(view.notes.iter().map(|n| n.by.as_str())).collect();
    let people = crate::view::People::of(state, &actors).await?;
    let when = |at: chrono::NaiveDateTime| format!("{} {}", cchc_format::date(at.date()), at.format("%H:%M"));
    let rows = view
        .contributions
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
    let mut nav = Nav::new(current, period);
    nav.picker_hidden = vec![("key", key.to_string())];
    let tree = state.tree().await?;
    let units = crate::view::picker_units(&tree, current, unit, state.rule.window(period).to);
    let page = FigurePage {
        nav,
        periods: crate::view::period_options(period),
        units,
        unit: unit.to_string(),
        period: period.to_string(),
        unit_name: view.record.report.unit.name.clone(),
        period_title: period.title_vi(),
        key: key.to_string(),
        indicator: catalogue.indicator(&key.code).map_or_else(|| key.code.clone(), |i| format!("{} {}", i.code, i.name)),
        split: cchc_app::reports::split_label(&key, &catalogue),
        value: view.record.report.value(&key).map(|v| v.display()).unwrap_or_default(),
        compiled: !view.contributions.is_empty(),
        rows,
        history: view
            .history
            .iter()
            .map(|h| (when(h.at), people.name(&h.by), h.old_value.clone().unwrap_or_default(), h.new_value.clone().unwrap_or_default()))
            .collect(),
        notes: view.notes.iter().map(|n| (when(n.at), people.name(&n.by), n.kind.name_vi().to_string(), n.text.clone())).collect(),
        can_comment: view.can_comment,
        message,
    };
    Ok(Html(page.render()?))
}

#[derive(serde::Deserialize)]
pub struct CommentForm {
    key: String,
    #[serde(default)]
    text: String,
}

/// Adds a comment to a figure's thread ([`cchc_app::figures::comment`]); a refusal is shown on the
/// figure's page.
pub async fn comment(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Path((unit, period)): Path<(String, String)>,
    Form(form): Form<CommentForm>,
) -> AppResult<Response> {
    let p = parse_period(&period)?;
    let key = Key::parse(&form.key).ok_or_else(|| AppError::BadRequest(format!("chỉ tiêu \"{}\" không hợp lệ", form.key)))?;
    match cchc_app::figures::comment(&state, &current.user, &unit, p, &key, &form.text).await {
        Ok(_) => {
            crate::flash::set(&session, crate::flash::Flash::done(format!("Đã gửi ý kiến về chỉ tiêu {key}."))).await?;
            Ok(Redirect::to(&figure_link(&unit, &period, &key)).into_response())
        }
        Err(e @ Error::Invalid { .. }) => {
            let page = render_figure(&state, &current, &unit, &period, &form.key, Some(e.to_string())).await?;
            Ok((crate::error::status(&e), page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The address of a figure's review page.
pub fn figure_link(unit: &str, period: &str, key: &Key) -> String {
    format!("/reports/{unit}/{period}/figure?key={}", crate::view::segment(&key.to_string()))
}
