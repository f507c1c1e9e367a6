//! The use cases of a unit's periodic report: open it for reading or entry, find its findings,
//! save figures and narrative as a draft, take a workflow step, import a report file.
//!
//! Each takes the acting user, checks access ([`crate::access`]), applies the gates of the domain
//! and returns [`crate::Error`]: the page, the API and the CLI call the same function, so a report
//! with an error-level finding is refused for submission everywhere with the same message, and
//! findings are always computed with the same context (the unit's earlier reports of the year).

use std::sync::Arc;

use cchc_catalogue::{Catalogue, CatalogueFile, Indicator, Kind, Severity};
use cchc_periods::Period;
use cchc_report::workflow::{Action, Status};
use cchc_report::{Entry, Key, UnitReport, Value};
use cchc_storage::{ReportRecord, User};
use cchc_validation::Finding;

use crate::access;
use crate::app::App;
use crate::error::{Error, Problem, Result};

/// A report as its pages show it: the stored record (if any), the report to show or edit (for
/// an editable report, with the ledger's current figures pre-filled), its catalogue, and what
/// the acting user may do with it.
pub struct Opened {
    pub unit: cchc_units::Unit,
    pub period: Period,
    pub record: Option<ReportRecord>,
    pub report: UnitReport,
    /// The catalogue the report was made with (the one in force for a report not yet made).
    pub catalogue: Arc<Catalogue>,
    /// The version an edit starts from (`None`: the report is not stored yet).
    pub version: Option<i64>,
    pub status: Status,
    /// Whether the acting user may change its figures and narrative now.
    pub editable: bool,
}

const NO_READ: &str = "Bạn không có quyền xem báo cáo của đơn vị này.";
const NO_EDIT: &str = "Bạn không có quyền sửa báo cáo của đơn vị này.";
const NOT_EDITABLE: &str = "Báo cáo đã gửi, đã duyệt hoặc đã khóa, không sửa được.";

fn not_found(unit: &str, period: Period) -> Error {
    Error::NotFound(format!("báo cáo của đơn vị {unit} kỳ {period}"))
}

/// Opens `unit`'s report of `period` for `actor`, who must be able to read it.
pub async fn open(app: &App, actor: &User, unit: &str, period: Period) -> Result<Opened> {
    let tree = app.tree().await?;
    let u = tree.get(unit).ok_or_else(|| Error::NotFound(format!("đơn vị {unit}")))?.clone();
    if !access::can_read(actor, &tree, unit) {
        return Err(Error::Forbidden(NO_READ.into()));
    }
    let record = app.store.report(unit, period).await?;
    let catalogue = match &record {
        Some(r) => app.catalogue_of(&r.report.catalogue).await?,
        None => app.catalogue(),
    };
    let status = record.as_ref().map_or(Status::Draft, |r| r.status);
    let editable = access::can_edit(actor, unit) && status.is_editable();
    // While the report can change, the ledger's figures are always the current ones.
    let (report, version) = match &record {
        Some(r) if !editable => (r.report.clone(), Some(r.version)),
        _ => crate::dossiers::prefilled_report(app.store.as_ref(), &tree, &catalogue, unit, period, &app.rule).await?,
    };
    Ok(Opened { unit: u, period, record, report, catalogue, version, status, editable })
}

/// The stored record of `unit`'s report of `period`, which `actor` must be able to read.
pub async fn record(app: &App, actor: &User, unit: &str, period: Period) -> Result<ReportRecord> {
    let tree = app.tree().await?;
    if !access::can_read(actor, &tree, unit) {
        return Err(Error::Forbidden(NO_READ.into()));
    }
    app.store.report(unit, period).await?.ok_or_else(|| not_found(unit, period))
}

/// The stored record of `unit`'s report of `period` if there is one (a unit's page shows "no
/// report yet" rather than an error), which `actor` must be able to read.
pub async fn stored(app: &App, actor: &User, unit: &str, period: Period) -> Result<Option<ReportRecord>> {
    let tree = app.tree().await?;
    if !access::can_read(actor, &tree, unit) {
        return Err(Error::Forbidden(NO_READ.into()));
    }
    Ok(app.store.report(unit, period).await?)
}

/// The stored reports of `period` that `actor` may read, by unit code: the lists of the home and
/// compile pages.
pub async fn readable_in_period(app: &App, actor: &User, period: Period) -> Result<std::collections::HashMap<String, ReportRecord>> {
    let tree = app.tree().await?;
    Ok(app
        .store
        .reports_in_period(period)
        .await?
        .into_iter()
        .filter(|r| access::can_read(actor, &tree, &r.report.unit.code))
        .map(|r| (r.report.unit.code.clone(), r))
        .collect())
}

/// The workflow history of `unit`'s report of `period` (who sent, returned, approved, when and
/// why), which `actor` must be able to read.
pub async fn history(app: &App, actor: &User, unit: &str, period: Period) -> Result<Vec<cchc_storage::StatusChange>> {
    let tree = app.tree().await?;
    if !access::can_read(actor, &tree, unit) {
        return Err(Error::Forbidden(NO_READ.into()));
    }
    Ok(app.store.history(unit, period).await?)
}

/// Everything the document of `unit`'s stored report of `period` needs (comparisons through the
/// lineage, findings, the unit's document settings), which `actor` must be able to read: what
/// the downloads, the preview and `cchc report --unit` render.
pub async fn document(app: &App, actor: &User, unit: &str, period: Period) -> Result<cchc_documents::ReportDocument> {
    let tree = app.tree().await?;
    if tree.get(unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {unit}")));
    }
    record(app, actor, unit, period).await?;
    Ok(crate::report_docs::load_document_with_rule(app.store.as_ref(), unit, period, &app.rule).await?)
}

/// The unit's other reports of the same year and its report of the same period last year: the
/// context of the cumulative-figure checks and of the changes against earlier periods.
async fn earlier_reports(app: &App, report: &UnitReport) -> Result<Vec<UnitReport>> {
    let last_year = report.period.same_period_last_year();
    let mut earlier: Vec<UnitReport> = app
        .store
        .reports_of_unit(&report.unit.code)
        .await?
        .into_iter()
        .map(|r| r.report)
        .filter(|r| (r.period.year == report.period.year && r.period != report.period) || r.period == last_year)
        .collect();
    // Last year's report may only exist as issued (đã ban hành), or, across a merger, as the
    // reports of the units this one was made of (summed).
    if !earlier.iter().any(|r| r.period == last_year) {
        let tree = app.tree().await?;
        let catalogue = app.catalogue_of(&report.catalogue).await?;
        let before = crate::report_docs::comparison(app.store.as_ref(), &tree, &report.unit, last_year, &catalogue).await?;
        earlier.extend(before.map(|mut r| {
            r.period = last_year;
            r
        }));
    }
    Ok(earlier)
}

/// Every finding of `report` with its full context — what the page, the API, submission and the
/// document all use.
pub async fn findings_of(app: &App, report: &UnitReport, catalogue: &Catalogue) -> Result<Vec<Finding>> {
    let earlier = earlier_reports(app, report).await?;
    let mut findings = cchc_validation::validate(report, catalogue, cchc_validation::Context { earlier: &earlier });
    // Required indicators not stated: a warning to explain when sending, or an error where the
    // catalogue refuses an incomplete report (so `submission_gate` needs nothing more).
    let completeness = cchc_validation::completeness::completeness(report, catalogue);
    findings.extend(cchc_validation::completeness::finding(&completeness, catalogue));
    findings.extend(window_finding(report, &app.rule, catalogue));
    Ok(findings)
}

/// A warning when the report states a data window other than the province's rule gives for its
/// period ("từ 10/12/2021 đến 09/6/2022" where the rule gives 15/12 → 14/6): its figures are not
/// those of the period's window, and comparisons with other units are off by the difference. Its
/// severity is the catalogue's (`[severity]` `auto:window`; a warning by default, or off).
pub fn window_finding(report: &UnitReport, rule: &cchc_periods::WindowRule, catalogue: &Catalogue) -> Option<Finding> {
    let stated = report.window?;
    let expected = rule.window(report.period);
    let check = cchc_catalogue::AutoCheck::Window;
    let severity = catalogue.severity_of(check)?;
    (stated != expected).then(|| Finding {
        rule: check.id().into(),
        severity,
        message: format!(
            "Báo cáo nêu số liệu từ ngày {} đến ngày {}, khác kỳ số liệu theo quy định (từ ngày {} đến ngày {}).",
            cchc_format::date(stated.from),
            cchc_format::date(stated.to),
            cchc_format::date(expected.from),
            cchc_format::date(expected.to)
        ),
        values: Vec::new(),
    })
}

/// The findings of `unit`'s stored report of `period`, which `actor` must be able to read.
pub async fn findings(app: &App, actor: &User, unit: &str, period: Period) -> Result<Vec<Finding>> {
    let record = record(app, actor, unit, period).await?;
    let catalogue = app.catalogue_of(&record.report.catalogue).await?;
    findings_of(app, &record.report, &catalogue).await
}

/// What the entries cchc derives from its own records say of where they come from: the dossier
/// ledger's, the plans' and documents', the feedback's and the inspections' figures.
pub const DERIVED: [&str; 4] =
    [cchc_dossiers::prefill::SOURCE, cchc_records::figures::SOURCE, cchc_records::feedback::SOURCE, cchc_records::inspections::SOURCE];

/// Whether `report` holds figures of indicator `code` derived from the unit's records: those are
/// read-only (they change with the records). An indicator that names a `source` but whose unit
/// keeps no such record is typed like any other, so an office that does not keep, say, its
/// inspections in cchc still states them.
pub fn derived(report: &UnitReport, code: &str) -> bool {
    report.entries.iter().any(|e| e.key.code == code && e.source.as_deref().is_some_and(|s| DERIVED.contains(&s)))
}

/// A typed value that cannot be taken: the field's key and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub key: Key,
    pub message: String,
}

/// Applies fields as typed (`3.5.1`, `3.5.1[level=xa]` → text; `note:3.5.1` → a note) to a
/// report. Figures derived from the unit's records ([`derived`]), ratios (computed from their
/// parts) and groups are not typed and are left as they are; an empty field clears the figure. Returns every field that cannot be taken.
pub fn apply_fields(cat: &Catalogue, report: &mut UnitReport, fields: &[(String, String)]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (name, text) in fields {
        let Some(key) = Key::parse(name) else { continue };
        let Some(ind) = cat.indicator(&key.code) else { continue };
        if report.entries.iter().any(|e| e.key == key && e.is_compiled()) {
            let message = format!(
                "Lỗi nhập liệu ({}): đây là số liệu tổng hợp từ báo cáo của các đơn vị, không sửa trực tiếp được; hãy tổng hợp lại báo cáo.",
                field_label(cat, ind, &key)
            );
            errors.push(FieldError { key, message });
            continue;
        }
        if !ind.holds_value() || derived(report, &ind.code) || matches!(ind.kind, Kind::Ratio { .. }) {
            continue;
        }
        let note = report.entries.iter().find(|e| e.key == key).and_then(|e| e.note.clone());
        match parse_field(cat, ind, &key, text) {
            Ok(None) => report.entries.retain(|e| e.key != key),
            Ok(Some(v)) => {
                report.set(key.clone(), Some(v));
                if let Some(e) = report.entries.iter_mut().find(|e| e.key == key) {
                    e.note = note;
                }
            }
            Err(msg) => {
                let message = format!("Lỗi nhập liệu ({}): {msg}", field_label(cat, ind, &key));
                errors.push(FieldError { key, message });
            }
        }
    }
    for (name, text) in fields {
        if let Some(code) = name.strip_prefix("note:") {
            set_note(report, code, text.trim());
        }
    }
    errors
}

/// "chỉ tiêu 3.5.1" or "chỉ tiêu 3.5.1, cấp xã".
fn field_label(cat: &Catalogue, ind: &Indicator, key: &Key) -> String {
    let split = split_label(key, cat);
    if split.is_empty() { format!("chỉ tiêu {}", ind.code) } else { format!("chỉ tiêu {}, {split}", ind.code) }
}

/// A split as users read it: "Cấp xã · Hộ tịch".
pub fn split_label(key: &Key, cat: &Catalogue) -> String {
    key.split.iter().map(|(d, v)| cat.dimension_value_name(d, v).to_string()).collect::<Vec<_>>().join(" · ")
}

fn parse_field(cat: &Catalogue, ind: &Indicator, key: &Key, text: &str) -> Result<Option<Value>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    cchc_report::file::check_split(key, ind, cat)?;
    cchc_report::file::parse_value(&serde_json::Value::String(text.to_string()), ind).map(Some)
}

fn set_note(report: &mut UnitReport, code: &str, note: &str) {
    let key = Key::total(code);
    let note = (!note.is_empty()).then(|| note.to_string());
    match report.entries.iter_mut().find(|e| e.key == key) {
        Some(e) => e.note = note,
        None if note.is_some() => report.entries.push(Entry { key, value: None, qualifier: None, note, source: None }),
        None => {}
    }
}

/// The refusal of typed fields: every field named, nothing saved.
pub fn field_errors(errors: Vec<FieldError>) -> Error {
    let summary = format!("Chưa lưu: có {} ô nhập sai. Sửa các ô được đánh dấu rồi lưu lại.", cchc_format::int(errors.len() as i64));
    Error::invalid_all(summary, errors.into_iter().map(|e| Problem::at(e.key.to_string(), e.message)).collect())
}

/// Opens the report for editing by `actor`: it must be editable by them now.
async fn open_for_edit(app: &App, actor: &User, unit: &str, period: Period) -> Result<Opened> {
    if !access::can_edit(actor, unit) {
        return Err(Error::Forbidden(NO_EDIT.into()));
    }
    let opened = open(app, actor, unit, period).await?;
    if !opened.editable {
        return Err(Error::Conflict(NOT_EDITABLE.into()));
    }
    Ok(opened)
}

/// Saves figures as typed into `unit`'s draft of `period` (creating it, pre-filled from the
/// ledger, when `version` is `None`): every value valid, or nothing saved ([`Error::Invalid`]
/// naming each field); a stale `version` is a conflict.
pub async fn save_figures(
    app: &App,
    actor: &User,
    unit: &str,
    period: Period,
    version: Option<i64>,
    fields: &[(String, String)],
) -> Result<ReportRecord> {
    let mut opened = open_for_edit(app, actor, unit, period).await?;
    let errors = apply_fields(&opened.catalogue, &mut opened.report, fields);
    if !errors.is_empty() {
        return Err(field_errors(errors));
    }
    Ok(app.store.save_report(&opened.report, version, &actor.username).await?)
}

/// Fills `unit`'s draft of `period` with the ledger's current figures (Biểu 06, by the
/// catalogue's `source` names) and saves it; a new report follows the catalogue in force. Returns
/// the stored record, how many figures came from the ledger, and its findings.
pub async fn prefill(app: &App, actor: &User, unit: &str, period: Period) -> Result<(ReportRecord, usize, Vec<Finding>)> {
    let opened = open_for_edit(app, actor, unit, period).await?;
    let filled = opened.report.entries.iter().filter(|e| e.source.as_deref() == Some(cchc_dossiers::prefill::SOURCE)).count();
    let findings = findings_of(app, &opened.report, &opened.catalogue).await?;
    let record = app.store.save_report(&opened.report, opened.version, &actor.username).await?;
    Ok((record, filled, findings))
}

/// Saves the narrative of the sections named in `sections` (id → text; an empty text removes
/// the section's narrative). The ids are places of the report (docs/narrative-format.md:
/// `opening`, `II`, `II.7`, `closing`); any other id refuses the whole request.
pub async fn save_narrative(
    app: &App,
    actor: &User,
    unit: &str,
    period: Period,
    version: i64,
    sections: &[(String, String)],
) -> Result<ReportRecord> {
    let opened = open_for_edit(app, actor, unit, period).await?;
    let mut report = opened.record.ok_or_else(|| not_found(unit, period))?.report;
    let wrong: Vec<Problem> = cchc_report::invalid_keys(sections.iter().map(|(id, _)| id))
        .into_iter()
        .map(|id| Problem::at(format!("phần \"{id}\""), cchc_report::PLACE_RULE))
        .collect();
    if !wrong.is_empty() {
        return Err(Error::invalid_all("Phần lời có phần không hợp lệ; chưa lưu gì.", wrong));
    }
    for (id, text) in sections {
        if text.trim().is_empty() {
            report.narrative.remove(id.as_str());
        } else {
            report.narrative.insert(id.clone(), text.trim().to_string());
        }
    }
    Ok(app.store.save_report(&report, Some(version), &actor.username).await?)
}

/// One workflow step as a user asks for it.
#[derive(Debug, Clone, Default)]
pub struct Step {
    pub action: Option<Action>,
    /// The version the user saw; a stale one is a conflict.
    pub version: i64,
    /// Why a report is returned (trả lại).
    pub reason: Option<String>,
    /// Giải trình: the explanation that submitting a report with warnings needs; kept with the
    /// step, where the reviewer reads it.
    pub explanation: Option<String>,
    /// When returning: the figures to look at again, (key, what), which the clerk sees on the
    /// forms ([`crate::figures::marks`]).
    pub marks: Vec<(String, String)>,
}

/// Why submitting `findings` cannot go ahead, if it cannot: an error-level finding blocks it;
/// warnings need an explanation. [`findings_of`] includes the report's completeness
/// (`auto:required`: a warning, or an error where the catalogue refuses incomplete reports).
pub fn submission_gate(findings: &[Finding], explanation: Option<&str>) -> Result<()> {
    let errors: Vec<&Finding> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
    let warnings = findings.len() - errors.len();
    if !errors.is_empty() {
        let summary = format!("Không thể gửi: báo cáo còn {} lỗi. Sửa các lỗi rồi gửi lại.", cchc_format::int(errors.len() as i64));
        return Err(Error::invalid_all(summary, errors.iter().map(|f| Problem::new(f.message.clone())).collect()));
    }
    if warnings > 0 && explanation.is_none_or(|c| c.trim().is_empty()) {
        return Err(Error::invalid(format!(
            "Báo cáo còn {} cảnh báo: hãy ghi giải trình trước khi gửi.",
            cchc_format::int(warnings as i64)
        )));
    }
    Ok(())
}

/// Applies a workflow step (gửi, trả lại, duyệt, khóa, mở khóa) to `unit`'s report of `period`:
/// `actor` must be allowed it, submitting passes [`submission_gate`] on the findings with their
/// full context, the domain's status machine decides the rest; the explanation of warnings is
/// audited.
pub async fn act(app: &App, actor: &User, unit: &str, period: Period, step: &Step) -> Result<ReportRecord> {
    let action = step.action.ok_or_else(|| Error::invalid("Chưa chọn thao tác."))?;
    if action == Action::SaveDraft {
        return Err(Error::invalid("Lưu nháp là lưu số liệu, không phải một bước gửi duyệt."));
    }
    let tree = app.tree().await?;
    if !access::can_act(actor, &tree, unit, action) {
        return Err(Error::Forbidden("Bạn không có quyền thực hiện thao tác này với báo cáo của đơn vị này.".into()));
    }
    let record = app.store.report(unit, period).await?.ok_or_else(|| not_found(unit, period))?;
    let explanation = step.explanation.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let catalogue = app.catalogue_of(&record.report.catalogue).await?;
    if action == Action::Submit {
        submission_gate(&findings_of(app, &record.report, &catalogue).await?, explanation)?;
    }
    if !step.marks.is_empty() && action != Action::Return {
        return Err(Error::invalid("Chỉ đánh dấu chỉ tiêu cần xem lại khi trả lại báo cáo."));
    }
    let marks = crate::figures::marks(&catalogue, unit, period, &step.marks, &actor.username)
        .map_err(|problems| Error::invalid_all("Chưa trả lại: có chỉ tiêu đánh dấu chưa đúng.", problems))?;
    // The explanation is kept with the step that sends the report, in its transaction: the
    // report's history, where the reviewer reads it.
    let reason = match action {
        Action::Submit => explanation,
        _ => step.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()),
    };
    let done = app.store.transition_with_notes(unit, period, action, reason, &marks, &actor.username, step.version).await?;
    Ok(done)
}

/// Stores a signed report of an earlier period as issued (đã ban hành, `cchc import --issued`):
/// its figures as printed, its own mistakes included, outside the submission workflow; the
/// findings (with their full context) are returned to be shown, not a gate. The unit must be
/// known and its catalogue resolvable as for [`import`]. An issued report is stored once: its
/// correction is the unit's report of the period, stored beside it by [`import`].
pub async fn import_issued(app: &App, actor: &User, report: UnitReport, files: &[CatalogueFile]) -> Result<Vec<Finding>> {
    may_import(app, actor, &report.unit.code).await?;
    let (catalogue, _) = import_catalogue(app, &report.catalogue, files).await?;
    let findings = findings_of(app, &report, &catalogue).await?;
    match app.store.put_issued_report(&report, &actor.username).await {
        Err(cchc_storage::StoreError::AlreadyExists(_)) => Err(Error::Conflict(format!(
            "Báo cáo đã ban hành của đơn vị {} kỳ {} đã được lưu và không thay đổi; bản sửa lưu bằng cách nhập không có --issued.",
            report.unit.code, report.period
        ))),
        other => {
            other?;
            Ok(findings)
        }
    }
}

/// The report `unit` issued for `period` (đã ban hành), which `actor` must be able to read, with
/// its findings as stored (its own mistakes, kept and shown), when one is stored.
pub async fn issued(app: &App, actor: &User, unit: &str, period: Period) -> Result<Option<(cchc_storage::IssuedReport, Vec<Finding>)>> {
    let tree = app.tree().await?;
    if !access::can_read(actor, &tree, unit) {
        return Err(Error::Forbidden(NO_READ.into()));
    }
    let Some(issued) = app.store.issued_report(unit, period).await? else { return Ok(None) };
    let catalogue = app.catalogue_of(&issued.report.catalogue).await?;
    let findings = findings_of(app, &issued.report, &catalogue).await?;
    Ok(Some((issued, findings)))
}

/// What a report file brought in through the browser became.
#[derive(Debug)]
pub enum FileImport {
    /// Stored as the unit's report of its period (the next version).
    Stored(Box<Imported>),
    /// Stored as issued (đã ban hành), with its findings as printed.
    Issued { unit: String, period: Period, findings: Vec<Finding> },
}

/// Brings in a report file as uploaded: a report JSON file (`docs/report-format.md`) or a filled-in
/// workbook (`.xlsx`, told by its content), as the unit's report ([`import`],
/// [`import_workbook`]) or, `issued`, as the report it issued ([`import_issued`], JSON only).
/// Every problem of the file is named; nothing is stored unless it is whole.
pub async fn import_file(app: &App, actor: &User, bytes: &[u8], issued: bool) -> Result<FileImport> {
    // A workbook is a zip; a report file is JSON text.
    if bytes.starts_with(b"PK") {
        if issued {
            return Err(Error::invalid("Báo cáo đã ban hành nhập từ tệp JSON của báo cáo, không từ biểu mẫu Excel."));
        }
        return Ok(FileImport::Stored(Box::new(import_workbook(app, actor, bytes).await?)));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Error::invalid("Tệp không phải báo cáo JSON (UTF-8) hay biểu mẫu Excel (.xlsx)."))?;
    let reference = cchc_report::file::catalogue_ref(text).ok_or_else(|| {
        Error::invalid("Tệp không phải báo cáo JSON có trường \"catalogue\" (bộ chỉ tiêu), cũng không phải biểu mẫu Excel.")
    })?;
    let (catalogue, _) = import_catalogue(app, &reference, &[]).await?;
    let report = cchc_report::file::read(text, &catalogue).map_err(|errors| {
        let summary = format!("Không nhập: tệp có {} lỗi; không lưu gì.", cchc_format::int(errors.len() as i64));
        Error::invalid_all(summary, errors.iter().map(|e| Problem::new(e.to_string())).collect())
    })?;
    if issued {
        let (unit, period) = (report.unit.code.clone(), report.period);
        let findings = import_issued(app, actor, report, &[]).await?;
        return Ok(FileImport::Issued { unit, period, findings });
    }
    Ok(FileImport::Stored(Box::new(import(app, actor, report, &[]).await?)))
}

/// The report of `unit` for `period` that comparisons use: the unit's report (a correction, when
/// an issued one is stored too), else the report issued; and whether it is the issued one.
pub async fn for_comparison(store: &dyn cchc_storage::Store, unit: &str, period: Period) -> Result<Option<(UnitReport, bool)>> {
    if let Some(r) = store.report(unit, period).await? {
        return Ok(Some((r.report, false)));
    }
    Ok(store.issued_report(unit, period).await?.map(|i| (i.report, true)))
}

/// Whether `actor` may bring in a report of `unit`, which must be a stored unit.
async fn may_import(app: &App, actor: &User, unit: &str) -> Result<()> {
    if !access::can_edit(actor, unit) {
        return Err(Error::Forbidden(NO_EDIT.into()));
    }
    if app.tree().await?.get(unit).is_none() {
        return Err(Error::invalid(format!("Không có đơn vị mã {unit} trong danh sách đơn vị; hãy nhập danh sách đơn vị trước.")));
    }
    Ok(())
}

/// A report file brought in (`cchc import`): stored, and what its findings were.
#[derive(Debug)]
pub struct Imported {
    pub record: ReportRecord,
    pub findings: Vec<Finding>,
}

/// Stores a report read from a file as the next version of the unit's report of its period.
/// The catalogue it names must be known: shipped, stored, or one of `files` (a catalogue given
/// with the file, stored as it is written — never a flattened copy). A stored catalogue version
/// never changes: a file that gives another text under a stored reference is refused. The
/// report's findings (with their full context) must hold no error.
pub async fn import(app: &App, actor: &User, report: UnitReport, files: &[CatalogueFile]) -> Result<Imported> {
    may_import(app, actor, &report.unit.code).await?;
    let (catalogue, new_version) = import_catalogue(app, &report.catalogue, files).await?;
    let findings = findings_of(app, &report, &catalogue).await?;
    if cchc_validation::has_errors(&findings) {
        return Err(Error::invalid_all(
            "Không nhập: báo cáo còn lỗi. Sửa các lỗi rồi nhập lại.",
            findings.iter().filter(|f| f.severity == Severity::Error).map(|f| Problem::new(f.message.clone())).collect(),
        ));
    }
    let existing = app.store.report(&report.unit.code, report.period).await?;
    if let Some(r) = &existing
        && !r.status.is_editable()
    {
        return Err(Error::Conflict(format!(
            "Báo cáo của đơn vị {} kỳ {} đang ở trạng thái \"{}\", không nhập đè được.",
            report.unit.code,
            report.period,
            r.status.name_vi()
        )));
    }
    if let Some(file) = new_version {
        app.store.add_catalogue(&file, &actor.username).await?;
    }
    let record = app.store.save_report(&report, existing.map(|r| r.version), &actor.username).await?;
    Ok(Imported { record, findings })
}

/// The catalogue `reference` for an import: the known one (a stored version is never replaced,
/// and a file that says otherwise is refused), else the given file's, resolved, with that file
/// to add as a new version once the import goes ahead.
pub async fn import_catalogue(app: &App, reference: &str, files: &[CatalogueFile]) -> Result<(Arc<Catalogue>, Option<CatalogueFile>)> {
    let known = crate::catalogues::sources(app.store.as_ref()).await?;
    let given = files.iter().find(|f| f.catalogue.reference() == reference);
    if let Some(stored) = known.iter().find(|f| f.catalogue.reference() == reference) {
        if given.is_some_and(|g| g != stored) {
            return Err(Error::Conflict(format!(
                "Bộ chỉ tiêu \"{reference}\" đã lưu khác với tệp đưa vào; phiên bản đã lưu không bao giờ thay đổi vì các báo cáo dựa vào nó. Hãy đặt số phiên bản mới cho tệp."
            )));
        }
        return Ok((app.catalogue_of(reference).await?, None));
    }
    let file = given.ok_or_else(|| {
        Error::invalid(format!("Không tìm thấy bộ chỉ tiêu \"{reference}\" mà báo cáo ghi (dùng --catalogue TỆP để chỉ ra tệp)."))
    })?;
    let all: Vec<CatalogueFile> = known.into_iter().chain(files.iter().cloned()).collect();
    let catalogue = crate::catalogues::resolve_checked(file.clone(), &all)
        .map_err(|e| Error::invalid(format!("Bộ chỉ tiêu \"{reference}\" không hợp lệ: {e}")))?;
    Ok((Arc::new(catalogue), Some(file.clone())))
}

/// Stores a filled-in workbook (the XLSX appendix, `cchc import FILE.xlsx`) as the next version
/// of the unit's report, through [`import`]. The workbook is read whole first: a missing,
/// renamed or extra sheet, a changed heading row, a formula without its value or a wrong cell is
/// named and nothing is stored. The workbook carries figures and notes only, so the stored
/// report's narrative, document data and qualified claims ("trên 80%") are kept; and a row of a
/// stored figure that is not in the workbook refuses the import: a figure is never deleted by
/// omission, only by emptying its cell.
pub async fn import_workbook(app: &App, actor: &User, bytes: &[u8]) -> Result<Imported> {
    use cchc_documents::xlsx;
    let reference = xlsx::catalogue_reference(bytes).map_err(|e| Error::invalid(format!("Không nhập tệp Excel: {e}.")))?;
    if reference.is_empty() {
        return Err(Error::invalid(format!("Không nhập tệp Excel: {}!B7: thiếu bộ chỉ tiêu (ví dụ vn-default@2022.1).", xlsx::INFO_SHEET)));
    }
    let catalogue = app.catalogue_of(&reference).await?;
    let read = xlsx::read_workbook(bytes, &catalogue).map_err(workbook_errors)?;
    let mut report = read.report;
    if !access::can_edit(actor, &report.unit.code) {
        return Err(Error::Forbidden(NO_EDIT.into()));
    }
    if let Some(old) = app.store.report(&report.unit.code, report.period).await? {
        let gone = rows_left_out(&old.report, &read.rows, &catalogue);
        if !gone.is_empty() {
            return Err(Error::invalid_all(
                "Không nhập tệp Excel: tệp thiếu hàng của số liệu đã lưu; nhập tệp này sẽ xóa các số liệu đó. Hãy dùng tệp xuất mới nhất của báo cáo.",
                gone,
            ));
        }
        report.document = old.report.document.clone();
        report.narrative = old.report.narrative.clone();
        report.window = report.window.or(old.report.window);
        report.entries.extend(old.report.entries.iter().filter(|e| e.qualifier.is_some()).cloned());
    }
    import(app, actor, report, &[]).await
}

/// Every wrong sheet or cell of a workbook, nothing stored.
fn workbook_errors(errors: Vec<cchc_documents::DocumentError>) -> Error {
    let summary = format!("Không nhập tệp Excel: có {} lỗi; không lưu số liệu nào.", cchc_format::int(errors.len() as i64));
    let problems = errors
        .into_iter()
        .map(|e| match e {
            cchc_documents::DocumentError::Cell { sheet, cell, rule } => Problem::at(format!("{sheet}!{cell}"), rule),
            other => Problem::new(other.to_string()),
        })
        .collect();
    Error::invalid_all(summary, problems)
}

/// The stored figures and notes whose rows the workbook of the stored report has, but the
/// imported workbook does not (a split row deleted, say): importing would delete them.
fn rows_left_out(stored: &UnitReport, rows: &std::collections::BTreeSet<Key>, catalogue: &Catalogue) -> Vec<Problem> {
    let template: std::collections::BTreeSet<Key> =
        cchc_documents::appendix::forms(catalogue, stored).into_iter().flat_map(|(_, rows)| rows.into_iter().map(|r| r.key)).collect();
    let mut gone: Vec<Problem> = Vec::new();
    for e in stored.entries.iter().filter(|e| e.qualifier.is_none() && (e.value.is_some() || e.note.is_some())) {
        if template.contains(&e.key) && !rows.contains(&e.key) && !gone.iter().any(|p| p.place.as_deref() == Some(&e.key.to_string())) {
            let label = catalogue.indicator(&e.key.code).map_or_else(|| e.key.code.clone(), |i| field_label(catalogue, i, &e.key));
            gone.push(Problem::at(e.key.to_string(), format!("không có hàng của {label} trong tệp, mà báo cáo đã lưu có số liệu này")));
        }
    }
    gone
}
