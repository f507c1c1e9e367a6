//! Report pages: the list for a period, a report's overview (findings, narrative, workflow,
//! history), workflow actions, the compiling office's page and the audit log.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cchc_app::Error;
use cchc_app::access;
use cchc_catalogue::Severity;
use cchc_periods::Period;
use cchc_report::Place;
use cchc_report::workflow::{Action, Status};
use cchc_storage::ReportRecord;
use cchc_units::UnitTree;
use cchc_validation::Finding;
use tower_sessions::Session;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::flash::Flash;
use crate::state::AppState;
use crate::view::{Nav, PeriodQuery, parse_period, period_options, picked};

/// One line of the list of reports.
pub struct ReportRow {
    pub code: String,
    pub name: String,
    pub status: String,
    pub status_slug: String,
    pub arrival: String,
    pub submitted: String,
    pub link: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    nav: Nav,
    period_title: String,
    periods: Vec<(String, String, bool)>,
    due: String,
    rows: Vec<ReportRow>,
}

/// The due date of the reports of `period`, on the working-day calendar in force.
fn report_due(state: &AppState, period: Period) -> chrono::NaiveDate {
    let calendar = state.calendar();
    state.rule.due_date(period, |d| calendar.is_working_day(d))
}

/// The reports the user can see for a period: their own unit's, and for the compiling office
/// and leaders every unit below with its timeliness (from the roll-up's completeness).
pub async fn home(State(state): State<Arc<AppState>>, current: CurrentUser, Query(q): Query<PeriodQuery>) -> AppResult<Html<String>> {
    let period = q.period()?;
    let tree = state.tree().await?;
    let records: HashMap<String, ReportRecord> = cchc_app::reports::readable_in_period(&state, &current.user, period).await?;
    let mut rows = vec![own_row(&tree, &records, &current.user.unit_code, period)];
    if current.user.role != cchc_storage::Role::UnitOfficer {
        let (compiled, _) = cchc_app::compile::compiled(&state, &current.user, &current.user.unit_code, period).await?;
        rows.extend(compiled.completeness.expected.iter().map(|e| expected_row(e, &records, period)));
    }
    let due = report_due(state.as_ref(), period);
    let page = HomePage {
        nav: Nav::new(&current, period),
        period_title: period.title_vi(),
        periods: period_options(period),
        due: cchc_format::date(due),
        rows,
    };
    Ok(Html(page.render()?))
}

/// A unit below the user's, with its report's status and timeliness.
fn expected_row(e: &cchc_rollup::Expected, records: &HashMap<String, ReportRecord>, period: Period) -> ReportRow {
    let record = records.get(&e.code);
    ReportRow {
        code: e.code.clone(),
        name: e.name.clone(),
        status: record.map_or("chưa có".into(), |r| r.status.name_vi().into()),
        status_slug: record.map_or("none".into(), |r| r.status.slug().into()),
        arrival: e.arrival.name_vi().into(),
        submitted: e.submitted_on.map(cchc_format::date).unwrap_or_default(),
        link: format!("/reports/{}/{period}", e.code),
    }
}

fn own_row(tree: &UnitTree, records: &HashMap<String, ReportRecord>, unit: &str, period: Period) -> ReportRow {
    let record = records.get(unit);
    ReportRow {
        code: unit.into(),
        name: tree.get(unit).map_or(unit.to_string(), |u| u.name.clone()),
        status: record.map_or("chưa có".into(), |r| r.status.name_vi().into()),
        status_slug: record.map_or("none".into(), |r| r.status.slug().into()),
        arrival: "đơn vị mình".into(),
        submitted: record.and_then(|r| r.submitted_at).map(|t| cchc_format::date(t.date())).unwrap_or_default(),
        link: format!("/reports/{unit}/{period}"),
    }
}

/// A finding as shown: severity, message, the figures involved.
pub struct FindingView {
    pub severity: String,
    pub error: bool,
    pub message: String,
}

impl FindingView {
    pub fn from(f: &Finding) -> FindingView {
        FindingView { severity: f.severity.name_vi().into(), error: f.severity == Severity::Error, message: f.message.clone() }
    }
}

#[derive(Template)]
#[template(path = "report.html")]
struct OverviewPage {
    nav: Nav,
    unit: String,
    unit_name: String,
    period: String,
    period_title: String,
    exists: bool,
    status: String,
    version: String,
    due: String,
    return_reason: String,
    message: Option<String>,
    forms: Vec<(u8, String)>,
    findings: Vec<FindingView>,
    errors: usize,
    warnings: usize,
    can_edit: bool,
    /// The narrative editor's sections, in report order (docs/narrative-format.md).
    narrative: Vec<NarrativeSection>,
    /// The section being added (kept when the save was refused): its place and text.
    new_key: String,
    new_text: String,
    new_preview: String,
    actions: Vec<(String, String)>,
    history: Vec<(String, String, String, crate::view::Person, String)>,
    /// What the report was compiled from, for a compiled report.
    compilation: Option<crate::compiling::CompilationView>,
    /// Whether the acting user may compile this report now (a unit with units below).
    can_compile: bool,
    /// Whether the acting user may return the report, pointing at figures.
    can_mark: bool,
    /// What was just done (compiled), shown as a success.
    notice: Option<String>,
    /// "212/245 chỉ tiêu" and the required indicators missing.
    completeness: String,
    /// The report issued for the period (đã ban hành), when one is stored: when, by whom, and its
    /// findings as stored; and which of the two comparisons use.
    issued: Option<IssuedView>,
    /// The clerk's explanation of the warnings when the report was last sent.
    explanation: String,
    /// The picker (`period_picker.html`): the periods, and the units the user may read (none
    /// when that is only this one).
    periods: Vec<(String, String, bool)>,
    units: Vec<(String, String, bool)>,
}

/// One section of the narrative editor: a place of the report, its label and its Markdown.
struct NarrativeSection {
    /// The place's key: `opening`, `II.7`, `closing`.
    key: String,
    /// "II.1 · 1. Cải cách thể chế", "Mở đầu (căn cứ)": the title the document prints.
    label: String,
    /// A place with neither a standard title nor one of its own (`# 7. Tiêu đề`).
    needs_title: bool,
    text: String,
    /// The text as HTML, shown beside it (and alone when the user cannot edit).
    preview: String,
    rows: usize,
}

/// The sections the editor shows: the opening, the standard sections, the closing and every
/// other place the narrative has, sorted by place.
fn narrative_sections(narrative: &BTreeMap<String, String>) -> Vec<NarrativeSection> {
    let mut places: Vec<Place> = [Place::Opening, Place::Closing]
        .into_iter()
        .chain(cchc_report::SECTIONS.iter().filter_map(|s| Place::parse(s.id)))
        .chain(narrative.keys().filter_map(|k| Place::parse(k)))
        .collect();
    places.sort();
    places.dedup();
    places
        .into_iter()
        .map(|place| {
            let key = place.to_string();
            let text = narrative.get(&key).cloned().unwrap_or_default();
            let own = cchc_documents::narrative::parse(&text).title;
            let (label, needs_title) = match place {
                Place::Opening => ("Mở đầu (căn cứ)".to_string(), false),
                Place::Closing => ("Kết thúc".to_string(), false),
                _ => match own.as_deref().or(cchc_report::standard_title(place)) {
                    // A part's title names its numeral ("III. ĐÁNH GIÁ CHUNG"), a section's not.
                    Some(title) if title.starts_with(&format!("{key}.")) => (title.to_string(), false),
                    Some(title) => (format!("{key} · {title}"), false),
                    None => (format!("{key} · (chưa có tiêu đề)"), true),
                },
            };
            NarrativeSection {
                preview: cchc_documents::narrative::preview_html(&text),
                rows: (text.lines().count() + 2).clamp(4, 24),
                key,
                label,
                needs_title,
                text,
            }
        })
        .collect()
}

impl OverviewPage {
    /// Shows the texts as typed rather than as stored, after a refused save: the sections'
    /// (`s:KEY` fields) and the section being added.
    fn keep_typed(&mut self, sections: &[(String, String)], new_key: &str, new_text: &str) {
        let mut texts: BTreeMap<String, String> = self.narrative.drain(..).map(|s| (s.key, s.text)).collect();
        texts.extend(sections.iter().filter(|(k, _)| Place::parse(k).is_some()).cloned());
        self.narrative = narrative_sections(&texts);
        self.new_key = new_key.to_string();
        self.new_text = new_text.to_string();
        self.new_preview = cchc_documents::narrative::preview_html(new_text);
    }
}

/// What the report page says of a report already issued.
struct IssuedView {
    summary: String,
    findings: Vec<FindingView>,
    used: String,
}

#[derive(serde::Deserialize, Default)]
pub struct OverviewQuery {
    /// Set after compiling: how many figures came from the units below.
    compiled: Option<usize>,
    /// The picker's choice: another period or unit ([`picked`]).
    period: Option<String>,
    unit: Option<String>,
}

pub async fn overview(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period)): Path<(String, String)>,
    Query(q): Query<OverviewQuery>,
) -> AppResult<Response> {
    if let Some(to) = picked((q.period.as_deref(), q.unit.as_deref()), &unit, &period, |u, p| format!("/reports/{u}/{p}"))? {
        return Ok(to.into_response());
    }
    let mut page = overview_page(&state, &current, &unit, parse_period(&period)?, None).await?;
    page.notice =
        q.compiled.map(|n| format!("Đã tổng hợp: {} số liệu lấy từ báo cáo của các đơn vị cấp dưới.", cchc_format::int(n as i64)));
    Ok(Html(page.render()?).into_response())
}

pub(crate) async fn render_overview(
    state: &AppState,
    current: &CurrentUser,
    unit: &str,
    period: Period,
    message: Option<String>,
) -> AppResult<Html<String>> {
    Ok(Html(overview_page(state, current, unit, period, message).await?.render()?))
}

async fn overview_page(
    state: &AppState,
    current: &CurrentUser,
    unit: &str,
    period: Period,
    message: Option<String>,
) -> AppResult<OverviewPage> {
    let tree = state.tree().await?;
    let unit_ref = tree.get(unit).ok_or_else(|| AppError::NotFound(format!("đơn vị {unit}")))?;
    let record = cchc_app::reports::stored(state, &current.user, unit, period).await?;
    let catalogue = match &record {
        Some(r) => state.catalogue_of(&r.report.catalogue).await?,
        None => state.catalogue(),
    };
    let findings = match &record {
        Some(r) => cchc_app::reports::findings_of(state, &r.report, &catalogue).await?,
        None => Vec::new(),
    };
    let status = record.as_ref().map_or(Status::Draft, |r| r.status);
    let can_edit = access::can_edit(&current.user, unit) && status.is_editable();
    let actions = status
        .actions()
        .iter()
        .filter(|a| **a != Action::SaveDraft && record.is_some() && access::can_act(&current.user, &tree, unit, **a))
        .map(|a| (action_slug(*a), a.name_vi().to_string()))
        .collect();
    let history = cchc_app::reports::history(state, &current.user, unit, period).await?;
    let issued = cchc_app::reports::issued(state, &current.user, unit, period).await?;
    let compiled_by = record.as_ref().and_then(|r| r.report.compilation.as_ref()).map(|c| c.by.as_str());
    let actors: Vec<&str> =
        history.iter().map(|h| h.by.as_str()).chain(issued.iter().map(|(i, _)| i.by.as_str())).chain(compiled_by).collect();
    let people = crate::view::People::of(state, &actors).await?;
    let due = report_due(state, period);
    let compilation = match &record {
        Some(r) => crate::compiling::view(state, r, &people).await?,
        None => None,
    };
    let can_compile = access::can_compile(&current.user, unit) && status.is_editable() && tree.all_children(unit).next().is_some();
    let units = crate::view::picker_units(&tree, current, unit, state.rule.window(period).to);
    let page = OverviewPage {
        periods: period_options(period),
        units,
        nav: Nav::new(current, period),
        unit: unit.into(),
        unit_name: unit_ref.name.clone(),
        period: period.to_string(),
        period_title: period.title_vi(),
        exists: record.is_some(),
        status: record.as_ref().map_or("chưa có báo cáo".into(), |r| r.status.name_vi().into()),
        version: record.as_ref().map_or(String::new(), |r| r.version.to_string()),
        due: cchc_format::date(due),
        return_reason: record.as_ref().and_then(|r| r.return_reason.clone()).unwrap_or_default(),
        message,
        forms: catalogue.forms.iter().map(|f| (f.number, format!("{}: {}", f.title(), f.name))).collect(),
        errors: findings.iter().filter(|f| f.severity == Severity::Error).count(),
        warnings: findings.iter().filter(|f| f.severity == Severity::Warning).count(),
        findings: findings.iter().map(FindingView::from).collect(),
        can_edit,
        narrative: narrative_sections(record.as_ref().map_or(&BTreeMap::new(), |r| &r.report.narrative)),
        new_key: String::new(),
        new_text: String::new(),
        new_preview: String::new(),
        actions,
        history: history
            .iter()
            .map(|h| {
                (
                    cchc_format::date(h.at.date()) + &h.at.format(" %H:%M").to_string(),
                    h.action.name_vi().into(),
                    h.to.name_vi().into(),
                    people.person(&h.by),
                    h.reason.clone().unwrap_or_default(),
                )
            })
            .collect(),
        compilation,
        can_compile,
        can_mark: record.is_some()
            && status.actions().contains(&Action::Return)
            && access::can_act(&current.user, &tree, unit, Action::Return),
        explanation: history.iter().rev().find(|h| h.action == Action::Submit).and_then(|h| h.reason.clone()).unwrap_or_default(),
        notice: None,
        completeness: record.as_ref().map_or(String::new(), |r| {
            let c = cchc_validation::completeness::completeness(&r.report, &catalogue);
            let missing: Vec<&str> = c.missing_required.iter().map(String::as_str).collect();
            if missing.is_empty() {
                c.label_vi()
            } else {
                format!("{}; chỉ tiêu bắt buộc chưa có: {}", c.label_vi(), missing.join(", "))
            }
        }),
        issued: issued.map(|(i, findings)| IssuedView {
            summary: format!(
                "Báo cáo {} đã ban hành, lưu lúc {} ({}), đúng như bản in.",
                i.report.document.number.clone().map_or_else(String::new, |n| format!("số {n}")),
                cchc_format::date(i.stored_at.date()),
                people.name(&i.by)
            ),
            findings: findings.iter().map(FindingView::from).collect(),
            used: if record.is_some() {
                "Các so sánh với kỳ này (cùng kỳ, kỳ trước) dùng bản đã sửa ở trên.".into()
            } else {
                "Các so sánh với kỳ này (cùng kỳ, kỳ trước) dùng bản đã ban hành này.".into()
            },
        }),
    };
    Ok(page)
}

fn action_slug(a: Action) -> String {
    serde_json::to_value(a).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

#[derive(serde::Deserialize)]
pub struct ActionForm {
    action: String,
    version: i64,
    #[serde(default)]
    reason: String,
    /// Giải trình: the comment a warning needs before submitting.
    #[serde(default)]
    comment: String,
    /// When returning: the figures to look at again, one a line, `KEY: what`.
    #[serde(default)]
    marks: String,
}

/// A workflow step ([`cchc_app::reports::act`]): a refusal (errors block submission, warnings
/// need an explanation, a stale version, a step the status does not allow) is shown on the
/// report page.
pub async fn action(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: Session,
    Path((unit, period)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> AppResult<Response> {
    let period = parse_period(&period)?;
    let chosen = parse_action(&form.action)?;
    let step = cchc_app::reports::Step {
        action: Some(chosen),
        version: form.version,
        reason: Some(form.reason),
        explanation: Some(form.comment),
        marks: form.marks.lines().filter(|l| !l.trim().is_empty()).map(cchc_app::figures::mark_from_line).collect(),
    };
    match cchc_app::reports::act(&state, &current.user, &unit, period, &step).await {
        Ok(record) => {
            crate::flash::set(&session, Flash::done(action_done(chosen, &record, step.reason.as_deref()))).await?;
            Ok(Redirect::to(&format!("/reports/{unit}/{period}")).into_response())
        }
        Err(e @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            let page = render_overview(&state, &current, &unit, period, Some(e.to_string())).await?;
            Ok((crate::error::status(&e), page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The confirmation of a workflow step done on `record`.
fn action_done(action: Action, record: &ReportRecord, reason: Option<&str>) -> String {
    let report = format!("báo cáo {} – {}", record.report.unit.name, record.report.period.title_vi());
    match action {
        Action::Submit => format!("Đã nộp {report}: báo cáo đã gửi, chờ cấp trên xem xét."),
        Action::Return => match reason.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => format!("Đã trả lại {report} cho đơn vị, lý do: {r}"),
            None => format!("Đã trả lại {report} cho đơn vị."),
        },
        Action::Approve => format!("Đã duyệt {report}."),
        Action::Lock => format!("Đã khóa {report}."),
        Action::Unlock => format!("Đã mở khóa {report}: báo cáo trở lại trạng thái {}.", record.status.name_vi()),
        Action::SaveDraft => format!("Đã lưu nháp {report}."),
    }
}

/// A workflow action by its slug (`submit`, `return`, …).
pub fn parse_action(slug: &str) -> AppResult<Action> {
    serde_json::from_value(serde_json::Value::String(slug.to_string()))
        .map_err(|_| AppError::BadRequest(format!("thao tác \"{slug}\" không hợp lệ")))
}

/// Saves the narrative of every section (optimistic locking on the report's version): the
/// `s:KEY` fields, and the section being added (`new_key`, `new_text`) when it has a text. A
/// place that is not one is refused by [`cchc_app::reports::save_narrative`]: the page says which,
/// with the texts as typed, and nothing is stored.
pub async fn narrative(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: Session,
    Path((unit, period)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let period = parse_period(&period)?;
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str());
    let version = field("version").parse().unwrap_or(-1);
    // Browsers send a textarea's line breaks as CRLF: the text is stored with plain newlines.
    let text = |t: &str| t.replace("\r\n", "\n");
    let mut sections: Vec<(String, String)> =
        fields.iter().filter_map(|(k, t)| Some((k.strip_prefix("s:")?.to_string(), text(t)))).collect();
    let (new_key, new_text) = (field("new_key").trim(), text(field("new_text")));
    if !new_text.trim().is_empty() {
        sections.push((new_key.to_string(), new_text.clone()));
    }
    match cchc_app::reports::save_narrative(&state, &current.user, &unit, period, version, &sections).await {
        Ok(record) => {
            let done = format!("Đã lưu phần thuyết minh của báo cáo (phiên bản {}).", record.version);
            crate::flash::set(&session, Flash::done(done)).await?;
            Ok(Redirect::to(&format!("/reports/{unit}/{period}")).into_response())
        }
        Err(e @ Error::Conflict(_)) => {
            let page = render_overview(&state, &current, &unit, period, Some(e.to_string())).await?;
            Ok((crate::error::status(&e), page).into_response())
        }
        Err(e @ Error::Invalid { .. }) => {
            let problems: Vec<String> = e.problems().iter().map(ToString::to_string).collect();
            let message = format!("{e} {}.", problems.join("; "));
            let mut page = overview_page(&state, &current, &unit, period, Some(message)).await?;
            page.keep_typed(&sections, new_key, &new_text);
            Ok((crate::error::status(&e), Html(page.render()?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
pub struct PreviewForm {
    #[serde(default)]
    text: String,
}

/// The live preview of a section's Markdown as it is typed (htmx): an HTML fragment, for a user
/// who may read the report ([`cchc_app::narrative::preview`]).
pub async fn narrative_preview(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period)): Path<(String, String)>,
    Form(form): Form<PreviewForm>,
) -> AppResult<Html<String>> {
    let period = parse_period(&period)?;
    Ok(Html(cchc_app::narrative::preview(&state, &current.user, &unit, period, &form.text).await?))
}

#[derive(Template)]
#[template(path = "compile.html")]
struct CompilePage {
    nav: Nav,
    unit_name: String,
    period_title: String,
    summary: String,
    expected: Vec<ReportRow>,
    figures: Vec<(String, String, String, String)>,
    unit: String,
    period: String,
    /// Whether the acting user may make the unit's report from these figures.
    can_compile: bool,
    /// Units far from the other units below the same parent (modified z-score), for the reviewer.
    outliers: Vec<String>,
    /// The picker (`period_picker.html`): the periods, and the units with units below them that
    /// the user may read.
    periods: Vec<(String, String, bool)>,
    units: Vec<(String, String, bool)>,
}

/// The compiling office's view: every unit below with its timeliness, and the compiled figures.
pub async fn compile_page(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path((unit, period)): Path<(String, String)>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    if let Some(to) = picked((q.period.as_deref(), q.unit.as_deref()), &unit, &period, |u, p| format!("/compile/{u}/{p}"))? {
        return Ok(to.into_response());
    }
    let period = parse_period(&period)?;
    let tree = state.tree().await?;
    let window = state.rule.window(period);
    let units = crate::dossiers::scope_units(&tree, &current, &unit, window.to)
        .into_iter()
        .filter(|(code, _, _)| *code == unit || !tree.children_in(code, window.from, window.to).is_empty())
        .collect();
    let (compiled, catalogue) = cchc_app::compile::compiled(&state, &current.user, &unit, period).await?;
    let records: HashMap<String, ReportRecord> = cchc_app::reports::readable_in_period(&state, &current.user, period).await?;
    let cp = &compiled.completeness;
    let summary = format!(
        "Đã gửi {}/{} đơn vị (đúng hạn {}, muộn {}); chưa gửi {}.",
        cp.submitted(),
        cp.expected.len(),
        cp.count(cchc_rollup::Arrival::OnTime),
        cp.count(cchc_rollup::Arrival::Late),
        cp.count(cchc_rollup::Arrival::Missing)
    );
    let page = CompilePage {
        nav: Nav::new(&current, period),
        unit_name: tree.get(&unit).map_or(unit.clone(), |u| u.name.clone()),
        period_title: period.title_vi(),
        summary,
        expected: cp.expected.iter().map(|e| expected_row(e, &records, period)).collect(),
        figures: compiled_figures(&compiled.report, &catalogue),
        can_compile: access::can_compile(&current.user, &unit) && records.get(&unit).is_none_or(|r| r.status.is_editable()),
        outliers: cchc_app::review::outliers(&state, &current.user, &unit, period).await?.into_iter().map(|o| o.message).collect(),
        unit: unit.clone(),
        period: period.to_string(),
        periods: period_options(period),
        units,
    };
    Ok(Html(page.render()?).into_response())
}

/// The compiled figures in catalogue order, ratios recomputed from the compiled counts.
fn compiled_figures(report: &cchc_report::UnitReport, catalogue: &cchc_catalogue::Catalogue) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for ind in catalogue.value_indicators() {
        let mut keys: Vec<&cchc_report::Key> = report.entries.iter().map(|e| &e.key).filter(|k| k.code == ind.code).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            // A percentage units stated without its counts has no value, only its note.
            let value = report
                .value(key)
                .map(|v| v.display())
                .or_else(|| report.entries.iter().find(|e| e.key == *key).and_then(|e| e.note.clone()))
                .unwrap_or_default();
            out.push((key.to_string(), ind.name.clone(), split_label(key, catalogue), value));
        }
        if let Some(p) = report.computed_ratio(ind, &Default::default()) {
            out.push((ind.code.clone(), ind.name.clone(), String::new(), cchc_format::percent(p)));
        }
    }
    out
}

/// "Cấp xã · Hộ tịch" for a split, empty for a total.
pub use cchc_app::reports::split_label;
