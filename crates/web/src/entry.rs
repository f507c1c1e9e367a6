//! Data entry: one page per form (biểu mẫu) of the catalogue, live validation as the user types
//! (htmx posts the form to `…/check` and the findings are swapped in beside their fields), and
//! saving a draft with optimistic locking. Nothing is saved while any typed value is invalid.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cchc_catalogue::{Catalogue, Indicator, Kind, Severity};
use cchc_periods::Period;
use cchc_report::{Key, UnitReport, Value};
use cchc_units::Level;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::reports::split_label;
use crate::state::AppState;
use crate::view::{Nav, key_id, parse_period};

/// Posted fields: figure keys (`3.5.1`, `3.5.1[level=xa]`), notes (`note:3.5.1`), `version`.
type Fields = Vec<(String, String)>;
/// Messages to show beside fields, by field id.
type Messages = HashMap<String, Vec<(bool, String)>>;

/// One input of the form.
pub struct Cell {
    pub name: String,
    pub id: String,
    pub label: String,
    /// The input's accessible name: the indicator and its split ("Số VBQPPL đã ban hành — cấp xã").
    pub aria: String,
    pub value: String,
    /// "number", "text", "select", "computed", "ledger", "survey", "records", "inspections", "feedback", "compiled".
    pub input: &'static str,
    /// The figure's review page: its history, comments and (compiled) the units' parts.
    pub link: String,
    /// How many comments its thread has.
    pub comments: usize,
    /// What the reviewer asked to look at again when returning the report.
    pub marks: Vec<String>,
    pub options: Vec<(String, String, bool)>,
    pub messages: Vec<(bool, String)>,
}

/// One indicator of the form with its total and split cells.
pub struct Row {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub group: bool,
    pub hint: String,
    pub total: Option<Cell>,
    pub splits: Vec<Cell>,
    pub note: String,
    pub note_name: String,
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage {
    nav: Nav,
    /// The picker (`period_picker.html`): the same form of another period or unit.
    periods: Vec<(String, String, bool)>,
    units: Vec<(String, String, bool)>,
    /// The acting user's name: the values kept in the browser are theirs only.
    user: String,
    unit: String,
    unit_name: String,
    period: String,
    period_title: String,
    form: u8,
    form_name: String,
    forms: Vec<(u8, String)>,
    status: String,
    version: String,
    editable: bool,
    message: Option<(bool, String)>,
    summary: Summary,
    rows: Vec<Row>,
    /// Where the ledger figures come from: the Biểu 06 page of the unit and period.
    ledger_link: String,
    /// Where the work records' figures come from: the unit's plans and tasks.
    records_link: String,
}

/// The findings summary above the form (also the live-check response).
#[derive(Template)]
#[template(path = "findings.html")]
pub struct Summary {
    pub items: Vec<(bool, String)>,
    pub oob: Vec<(String, Vec<(bool, String)>)>,
    /// Ratios recomputed from the figures as typed: (cell id, value).
    pub computed: Vec<(String, String)>,
}

#[derive(serde::Deserialize, Default)]
pub struct SavedQuery {
    saved: Option<i64>,
    /// The picker's choice: the same form of another period or unit.
    period: Option<String>,
    unit: Option<String>,
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period, form)): Path<(String, String, u8)>,
    Query(q): Query<SavedQuery>,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let page = |u: &str, p: &str| format!("/reports/{u}/{p}/form/{form}");
    if let Some(to) = crate::view::picked((q.period.as_deref(), q.unit.as_deref()), &unit, &period, page)? {
        return Ok(to.into_response());
    }
    let ctx = load(&state, &current, &unit, &period, form).await?;
    let message = q.saved.map(|v| (false, format!("Đã lưu nháp (phiên bản {v}).")));
    let findings = findings_for(&state, &ctx.catalogue, &ctx.report, Vec::new()).await?;
    Ok(Html(render(&current, &ctx, None, findings, message)?.render()?).into_response())
}

/// What a form page works on: the report as opened by the use case, and the form shown.
struct Ctx {
    unit: String,
    unit_name: String,
    period: Period,
    form: u8,
    report: UnitReport,
    /// The catalogue the report was made with (the one in force for a new report).
    catalogue: Arc<Catalogue>,
    version: Option<i64>,
    status: cchc_report::workflow::Status,
    editable: bool,
    /// Comments and a reviewer's marks per figure key.
    beside: HashMap<String, cchc_app::figures::Beside>,
    /// The units the picker offers ([`crate::view::picker_units`]).
    picker_units: Vec<(String, String, bool)>,
}

async fn load(state: &AppState, current: &CurrentUser, unit: &str, period: &str, form: u8) -> AppResult<Ctx> {
    let period = parse_period(period)?;
    let o = cchc_app::reports::open(state, &current.user, unit, period).await?;
    if !o.catalogue.forms.iter().any(|f| f.number == form) {
        return Err(AppError::NotFound(format!("biểu mẫu {form}")));
    }
    let beside = match &o.record {
        Some(r) => cchc_app::figures::beside(state, r).await?,
        None => HashMap::new(),
    };
    let tree = state.tree().await?;
    Ok(Ctx {
        beside,
        picker_units: crate::view::picker_units(&tree, current, unit, state.rule.window(period).to),
        unit: unit.into(),
        unit_name: o.unit.name,
        period,
        form,
        report: o.report,
        catalogue: o.catalogue,
        version: o.version,
        status: o.status,
        editable: o.editable,
    })
}

fn render(
    current: &CurrentUser,
    ctx: &Ctx,
    posted: Option<&HashMap<String, String>>,
    summary: (Summary, Messages),
    message: Option<(bool, String)>,
) -> AppResult<FormPage> {
    let (summary, messages) = summary;
    let cat = &ctx.catalogue;
    Ok(FormPage {
        nav: Nav::new(current, ctx.period),
        periods: crate::view::period_options(ctx.period),
        units: ctx.picker_units.clone(),
        user: current.user.username.clone(),
        unit: ctx.unit.clone(),
        unit_name: ctx.unit_name.clone(),
        period: ctx.period.to_string(),
        period_title: ctx.period.title_vi(),
        form: ctx.form,
        form_name: cat.forms.iter().find(|f| f.number == ctx.form).map(|f| f.name.clone()).unwrap_or_default(),
        forms: cat.forms.iter().map(|f| (f.number, f.name.clone())).collect(),
        status: ctx.status.name_vi().into(),
        version: ctx.version.map(|v| v.to_string()).unwrap_or_default(),
        editable: ctx.editable,
        message,
        summary,
        rows: rows(cat, &ctx.report, ctx.form, posted, &messages, &ctx.beside),
        ledger_link: format!("/dossiers/stats?unit={}&period={}", ctx.unit, ctx.period),
        records_link: format!("/plans?unit={}", ctx.unit),
    })
}

/// The rows of a form for the report's unit kind, with the posted text where there is one.
fn rows(
    cat: &Catalogue,
    report: &UnitReport,
    form: u8,
    posted: Option<&HashMap<String, String>>,
    messages: &Messages,
    beside: &HashMap<String, cchc_app::figures::Beside>,
) -> Vec<Row> {
    let kind = report.unit.kind.slug();
    let level = report.unit.kind.territorial_level();
    cat.form_indicators(form)
        .filter(|ind| ind.applies_to_kind(kind))
        .map(|ind| {
            let cell = |key: Key, label: String| make_cell(ind, report, key, label, posted, messages);
            let cell = |key: Key, label: String| {
                let aria = format!("{} — {}", ind.name, label.to_lowercase());
                let mut c = cell(key.clone(), label);
                c.aria = aria;
                c.link = crate::compiling::figure_link(&report.unit.code, &report.period.to_string(), &key);
                if report.entries.iter().any(|e| e.key == key && e.is_compiled()) {
                    c.input = "compiled";
                    c.name.clear();
                }
                if let Some(b) = beside.get(&key.to_string()) {
                    c.comments = b.comments;
                    c.marks = b.marks.clone();
                }
                c
            };
            let splits = if ind.holds_value() {
                split_keys(cat, ind, level)
                    .into_iter()
                    .map(|k| {
                        let l = split_label(&k, cat);
                        cell(k, l)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let note_name = format!("note:{}", ind.code);
            let note = posted.and_then(|p| p.get(&note_name).cloned()).or_else(|| total_note(report, &ind.code)).unwrap_or_default();
            Row {
                code: ind.code.clone(),
                name: ind.name.clone(),
                unit: ind.unit_label(),
                group: !ind.holds_value(),
                hint: ind.hint.clone().unwrap_or_default(),
                total: ind.holds_value().then(|| cell(Key::total(&ind.code), "Tổng số".into())),
                splits,
                note,
                note_name,
            }
        })
        .collect()
}

/// One key per value of each of the indicator's split dimensions (not their combinations). The
/// level split (the catalogue's `level` dimension, as the roll-up names it) offers only the
/// unit's own level and those below, and nothing to a commune, whose figures are all cấp xã.
fn split_keys(cat: &Catalogue, ind: &Indicator, unit_level: Option<Level>) -> Vec<Key> {
    let mut out = Vec::new();
    for dim in &ind.splits {
        let Some(d) = cat.dimension(dim) else { continue };
        let offered = |id: &str| match (dim.as_str(), unit_level) {
            ("level", Some(Level::Xa)) => false,
            ("level", Some(own)) => Level::from_slug(id).is_none_or(|l| l >= own),
            _ => true,
        };
        out.extend(d.values.iter().filter(|v| offered(&v.id)).map(|v| Key::split(&ind.code, &[(dim.as_str(), v.id.as_str())])));
    }
    out
}

fn total_note(report: &UnitReport, code: &str) -> Option<String> {
    report.entries.iter().find(|e| e.key.is_total() && e.key.code == code).and_then(|e| e.note.clone())
}

fn make_cell(
    ind: &Indicator,
    report: &UnitReport,
    key: Key,
    label: String,
    posted: Option<&HashMap<String, String>>,
    messages: &Messages,
) -> Cell {
    let name = key.to_string();
    let id = key_id(&key);
    let stored = report.value(&key);
    // A figure derived from the unit's records is read-only, with a link to them; an indicator
    // whose unit keeps no such record is typed (cchc_app::reports::derived).
    let source = ind.source.as_deref().filter(|_| cchc_app::reports::derived(report, &ind.code));
    let (input, value) = match &ind.kind {
        Kind::Ratio { .. } => ("computed", report.computed_ratio(ind, &key.split).map(cchc_format::percent).unwrap_or_default()),
        // Figures of the feedback (PAKN) records, read-only, with a link to them.
        _ if source.is_some_and(|s| cchc_records::feedback::SOURCES.contains(&s)) => {
            ("feedback", stored.map(Value::display).unwrap_or_default())
        }
        // Figures of the inspections' records, read-only, with a link to them.
        _ if source.is_some_and(|s| cchc_records::inspections::SOURCES.contains(&s)) => {
            ("inspections", stored.map(Value::display).unwrap_or_default())
        }
        // Figures of the work records (plans' tasks, the documents register), read-only like the ledger's.
        _ if source.is_some_and(|s| cchc_records::figures::SOURCES.contains(&s)) => {
            ("records", stored.map(Value::display).unwrap_or_default())
        }
        // The ledger's satisfaction figures, which the survey's answers feed: links to both.
        _ if source.is_some_and(|s| cchc_records::survey::SOURCES.contains(&s)) => {
            ("survey", stored.map(Value::display).unwrap_or_default())
        }
        _ if source.is_some() => ("ledger", stored.map(Value::display).unwrap_or_default()),
        Kind::YesNo { .. } | Kind::Choice { .. } => ("select", stored.map(Value::display).unwrap_or_default()),
        Kind::Text => ("text", stored.map(Value::display).unwrap_or_default()),
        _ => ("number", stored.map(Value::display).unwrap_or_default()),
    };
    let value = match input {
        "computed" | "ledger" | "survey" | "records" | "inspections" | "feedback" => value,
        _ => posted.and_then(|p| p.get(&name).cloned()).unwrap_or(value),
    };
    let options = select_options(ind, &value);
    Cell {
        messages: messages.get(&id).cloned().unwrap_or_default(),
        name,
        id,
        label,
        aria: String::new(),
        value,
        input,
        options,
        link: String::new(),
        comments: 0,
        marks: Vec::new(),
    }
}

fn select_options(ind: &Indicator, value: &str) -> Vec<(String, String, bool)> {
    let mut out = vec![(String::new(), "— chưa báo cáo —".to_string(), value.is_empty())];
    match &ind.kind {
        Kind::YesNo { yes, no } => {
            out.push(("1".into(), format!("{yes} (1)"), value == "1"));
            out.push(("0".into(), format!("{no} (0)"), value == "0"));
        }
        Kind::Choice { options } => {
            out.extend(options.iter().map(|o| (o.value.to_string(), format!("{} ({})", o.name, o.value), value == o.value.to_string())))
        }
        _ => return Vec::new(),
    }
    out
}

/// Applies typed values to the report; returns the per-field input errors (nothing is kept by
/// the caller when there is any). Ledger figures and ratios are read-only and ignored here.
/// The typed fields applied to the report ([`cchc_app::reports::apply_fields`]), with the
/// messages of the fields that cannot be taken, by field id.
fn apply(cat: &Catalogue, report: &mut UnitReport, fields: &Fields) -> Messages {
    let mut errors: Messages = HashMap::new();
    for e in cchc_app::reports::apply_fields(cat, report, fields) {
        errors.entry(key_id(&e.key)).or_default().push((true, e.message));
    }
    errors
}

/// The validation findings as a summary and as messages beside the fields they involve.
async fn findings_for(
    state: &AppState,
    cat: &Catalogue,
    report: &UnitReport,
    input_errors: Vec<(String, Vec<(bool, String)>)>,
) -> AppResult<(Summary, Messages)> {
    let mut messages: Messages = input_errors.into_iter().collect();
    let mut items: Vec<(bool, String)> = messages.values().flatten().cloned().collect();
    if items.is_empty() {
        for f in cchc_app::reports::findings_of(state, report, cat).await? {
            let text = format!("{}: {}", capitalise(f.severity.name_vi()), f.message);
            let error = f.severity == Severity::Error;
            for (k, _) in &f.values {
                if let Some(key) = Key::parse(k) {
                    let slot = messages.entry(key_id(&key)).or_default();
                    if !slot.iter().any(|(_, m)| m == &text) {
                        slot.push((error, text.clone()));
                    }
                }
            }
            items.push((error, text));
        }
    }
    Ok((Summary { items, oob: Vec::new(), computed: Vec::new() }, messages))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

fn posted_map(fields: &Fields) -> HashMap<String, String> {
    fields.iter().cloned().collect()
}

/// Live validation: the form as typed so far, checked without saving; the response is the
/// summary plus an out-of-band fragment for every field, so stale messages disappear too.
pub async fn check(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period, form)): Path<(String, String, u8)>,
    Form(fields): Form<Fields>,
) -> AppResult<Html<String>> {
    let mut ctx = load(&state, &current, &unit, &period, form).await?;
    let errors = apply(&ctx.catalogue, &mut ctx.report, &fields);
    let (mut summary, messages) = findings_for(&state, &ctx.catalogue, &ctx.report, errors.into_iter().collect()).await?;
    let page = rows(&ctx.catalogue, &ctx.report, form, None, &messages, &ctx.beside);
    let cells = || page.iter().flat_map(|r| r.total.iter().chain(r.splits.iter()));
    summary.oob = cells().map(|c| (c.id.clone(), c.messages.clone())).collect();
    summary.computed = cells().filter(|c| c.input == "computed").map(|c| (c.id.clone(), c.value.clone())).collect();
    Ok(Html(summary.render()?))
}

/// Saves the form as a draft: all typed values valid, or nothing is saved; a stale version is
/// refused with the Vietnamese conflict message and the typed values stay on the page.
pub async fn save(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period, form)): Path<(String, String, u8)>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> AppResult<Response> {
    if headers.contains_key(CELL_HEADER) {
        return Ok(save_cell(&state, &current, &unit, &period, &fields).await);
    }
    let mut ctx = load(&state, &current, &unit, &period, form).await?;
    let posted = posted_map(&fields);
    let version = posted.get("version").and_then(|v| v.parse::<i64>().ok());
    match cchc_app::reports::save_figures(&state, &current.user, &unit, ctx.period, version, &fields).await {
        Ok(rec) => Ok(Redirect::to(&format!("/reports/{unit}/{}/form/{form}?saved={}", ctx.period, rec.version)).into_response()),
        Err(e @ cchc_app::Error::Invalid { .. }) if ctx.editable => {
            // The page again, with the values as typed and each refused field marked.
            let errors = apply(&ctx.catalogue, &mut ctx.report, &fields);
            let summary = findings_for(&state, &ctx.catalogue, &ctx.report, errors.into_iter().collect()).await?;
            let page = render(&current, &ctx, Some(&posted), summary, Some((true, e.to_string())))?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(e @ cchc_app::Error::Conflict(_)) if ctx.editable => {
            apply(&ctx.catalogue, &mut ctx.report, &fields);
            let summary = findings_for(&state, &ctx.catalogue, &ctx.report, Vec::new()).await?;
            let page = render(&current, &ctx, Some(&posted), summary, Some((true, e.to_string())))?;
            Ok((StatusCode::CONFLICT, Html(page.render()?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The header of the entry form's cell saves (entry.js): the same address as the form's save,
/// one field, a JSON answer.
pub const CELL_HEADER: &str = "x-cchc-cell";

/// Saves one cell as it is typed (`cell`, `value`, `version`): `{"version", "value"}` (the value
/// as stored), or the error as JSON (409 conflict, 422 with the field's message, 403).
async fn save_cell(state: &AppState, current: &CurrentUser, unit: &str, period: &str, fields: &Fields) -> Response {
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let version = get("version").and_then(|v| v.parse::<i64>().ok());
    let result = match parse_period(period) {
        Ok(period) => cchc_app::entry::save_cell(
            state,
            &current.user,
            unit,
            period,
            version,
            get("cell").unwrap_or_default(),
            get("value").unwrap_or_default(),
        )
        .await
        .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(saved) => axum::Json(serde_json::json!({ "version": saved.version, "value": saved.value })).into_response(),
        Err(e) => crate::error::ApiError(e).into_response(),
    }
}
