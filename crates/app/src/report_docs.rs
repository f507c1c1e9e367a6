//! The report documents as the shells need them (issue 4): everything a [`ReportDocument`] is
//! built from, loaded from the store or a file, and the conversions that need the outside world
//! (LibreOffice for PDF). The CLI (`cchc report`) and the web app (downloads) call these, so both
//! produce the same documents.
//!
//! Loading gathers: the unit's stored report and its catalogue; the same period of the previous
//! year and the previous period, followed back through the unit lineage across mergers
//! ([`UnitTree::predecessors_on`]) and summed when several units became this one; the validation
//! findings; and weaknesses read from the subordinate units' reports (late dossiers) for the
//! draft of "III. Đánh giá chung".

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, anyhow};
use cchc_catalogue::Catalogue;
use cchc_documents::ReportDocument;
use cchc_periods::{Period, WindowRule};
use cchc_report::{UnitRef, UnitReport};
use cchc_storage::Store;
use cchc_units::UnitTree;
use chrono::NaiveDate;

/// The catalogue a report names (`id@version`): the stored catalogues and the shipped default.
pub async fn catalogue(store: &dyn Store, reference: &str) -> Result<Catalogue> {
    let files = crate::catalogues::sources(store).await?;
    let file = files
        .iter()
        .find(|f| f.catalogue.reference() == reference)
        .cloned()
        .ok_or_else(|| anyhow!("không tìm thấy bộ chỉ tiêu \"{reference}\""))?;
    Ok(crate::catalogues::resolve_checked(file, &files)?)
}

/// The document of a report that is not in the store (e.g. `cchc report --from FILE`): its own
/// figures and validation findings, no comparison data.
pub fn document_from_report(report: UnitReport, catalogue: Catalogue) -> ReportDocument {
    let findings = findings(&report, &catalogue, &[]);
    let mut doc = ReportDocument::new(report, catalogue);
    doc.findings = findings;
    doc
}

/// Everything the document of `unit`'s stored report for `period` needs, from the store, with
/// the default window rule where the report states no window ([`load_document_with_rule`]).
pub async fn load_document(store: &dyn Store, unit: &str, period: Period) -> Result<ReportDocument> {
    load_document_with_rule(store, unit, period, &WindowRule::default()).await
}

/// [`load_document`] with the window rule in force (`App::rule`), which decides the window of
/// section I's lists when the report states none.
pub async fn load_document_with_rule(store: &dyn Store, unit: &str, period: Period, rule: &WindowRule) -> Result<ReportDocument> {
    let record = store.report(unit, period).await?.ok_or_else(|| anyhow!("chưa có báo cáo của đơn vị {unit} kỳ {period}"))?;
    let mut report = record.report;
    if let Some(settings) = store.document_settings(unit).await? {
        apply_settings(&mut report.document, &settings);
    }
    let tree = store.unit_tree().await?;
    if report.document.issuer.is_none() {
        // The unit's own header name (its units file's `issuer`), with the break it was typed with.
        report.document.issuer = tree.get(unit).and_then(|u| u.issuer.clone()).filter(|i| !i.trim().is_empty());
    }
    // Section I lists the plans, documents and unfinished tasks of the unit's records.
    crate::plans::add_section_one(store, &tree, rule, &mut report).await?;
    let catalogue = catalogue(store, &report.catalogue).await?;
    let last_year = comparison(store, &tree, &report.unit, period.same_period_last_year(), &catalogue).await?;
    let previous = period.previous();
    // The previous period is only a different comparison when it is not last year's same period.
    let previous_period = if previous == period.same_period_last_year() {
        None
    } else {
        comparison(store, &tree, &report.unit, previous, &catalogue).await?
    };
    let earlier: Vec<UnitReport> = store
        .reports_of_unit(unit)
        .await?
        .into_iter()
        .map(|r| r.report)
        .filter(|r| r.period.year == period.year && r.period != period)
        .collect();
    let mut doc = ReportDocument::new(report, catalogue);
    doc.findings = findings(&doc.report, &doc.catalogue, &earlier);
    doc.weaknesses = weaknesses_below(store, &tree, unit, period, &doc.catalogue).await?;
    doc.last_year = last_year;
    doc.previous_period = previous_period;
    Ok(doc)
}

/// Fills what the report does not state from the unit's document settings; a number not yet
/// given gets "…/KÝ-HIỆU" left for the clerk ("Số:        /BC-UBND").
pub fn apply_settings(meta: &mut cchc_report::DocumentMeta, s: &cchc_storage::DocumentSettings) {
    let fill = |field: &mut Option<String>, value: &Option<String>| {
        if field.is_none() {
            field.clone_from(value);
        }
    };
    fill(&mut meta.issuer, &s.issuer);
    fill(&mut meta.parent_body, &s.parent_body);
    fill(&mut meta.place, &s.place);
    fill(&mut meta.addressee, &s.addressee);
    fill(&mut meta.sign_for, &s.sign_for);
    fill(&mut meta.deputy, &s.deputy);
    fill(&mut meta.signer_title, &s.signer_title);
    fill(&mut meta.signer, &s.signer);
    if meta.number.is_none()
        && let Some(symbol) = &s.symbol
    {
        meta.number = Some(format!("       /{symbol}"));
    }
    if meta.recipients.is_empty() {
        meta.recipients.clone_from(&s.recipients);
    }
}

/// Saves a unit's document settings, changing only the fields given.
pub async fn update_settings(
    store: &dyn Store,
    unit: &str,
    change: impl FnOnce(&mut cchc_storage::DocumentSettings),
) -> Result<cchc_storage::DocumentSettings> {
    if store.unit_tree().await?.get(unit).is_none() {
        return Err(anyhow!("không có đơn vị mã {unit}"));
    }
    let mut settings = store
        .document_settings(unit)
        .await?
        .unwrap_or_else(|| cchc_storage::DocumentSettings { unit_code: unit.into(), ..Default::default() });
    change(&mut settings);
    store.put_document_settings(&settings).await?;
    Ok(settings)
}

/// Validation messages (errors and warnings) for the draft assessment.
fn findings(report: &UnitReport, catalogue: &Catalogue, earlier: &[UnitReport]) -> Vec<String> {
    cchc_validation::validate(report, catalogue, cchc_validation::Context { earlier }).into_iter().map(|f| f.message).collect()
}

/// The last day of a period: the day whose units the comparison follows the lineage from.
fn last_day(period: Period) -> NaiveDate {
    let (_, to) = period.month_range();
    let (y, m) = if to == 12 { (period.year + 1, 1) } else { (period.year, u32::from(to) + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).expect("a valid month")
}

/// The report to compare with for `earlier`: the unit's own, or across a merger the sum of the
/// reports of the units that existed then and became this one; each unit's report, else the one
/// it issued (`reports::for_comparison`). `None` when no data exists.
pub async fn comparison(
    store: &dyn Store,
    tree: &UnitTree,
    unit: &UnitRef,
    earlier: Period,
    catalogue: &Catalogue,
) -> Result<Option<UnitReport>> {
    let codes = if tree.get(&unit.code).is_some() {
        tree.predecessors_on(&unit.code, last_day(earlier))
    } else {
        [unit.code.clone()].into_iter().collect()
    };
    let mut reports = Vec::new();
    for code in codes {
        if let Some((r, _)) = crate::reports::for_comparison(store, &code, earlier).await.map_err(|e| anyhow!(e.to_string()))? {
            reports.push(r);
        }
    }
    Ok(cchc_documents::combine::sum_reports(unit, &reports, catalogue))
}

/// "UBND Xã Lê Hồng còn 05 hồ sơ giải quyết quá hạn": what the catalogue's weaknesses say of the
/// subordinate units' stored reports for the period ([`cchc_documents::draft::below`]).
async fn weaknesses_below(store: &dyn Store, tree: &UnitTree, unit: &str, period: Period, catalogue: &Catalogue) -> Result<Vec<String>> {
    let below: std::collections::HashSet<String> = tree.all_children(unit).map(|u| u.code.clone()).collect();
    let mut out = Vec::new();
    for r in store.reports_in_period(period).await? {
        if below.contains(&r.report.unit.code) {
            out.extend(cchc_documents::draft::below(catalogue, &r.report));
        }
    }
    out.sort();
    Ok(out)
}

/// Converts a DOCX to PDF with LibreOffice (`soffice --headless --convert-to pdf`). Fails with a
/// Vietnamese message when LibreOffice is not installed.
pub fn convert_to_pdf(docx: &[u8]) -> Result<Vec<u8>> {
    convert_to_pdf_with(&soffice(), docx)
}

/// [`convert_to_pdf`] with a given LibreOffice program.
pub fn convert_to_pdf_with(program: &str, docx: &[u8]) -> Result<Vec<u8>> {
    let dir = std::env::temp_dir().join(format!("cchc-pdf-{}-{}", std::process::id(), unique()));
    std::fs::create_dir_all(&dir)?;
    let result = convert_in(program, &dir, docx);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn unique() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

fn convert_in(program: &str, dir: &Path, docx: &[u8]) -> Result<Vec<u8>> {
    let input = dir.join("bao-cao.docx");
    std::fs::write(&input, docx)?;
    // A private profile directory: a user's running LibreOffice would otherwise take the job.
    let profile = format!("-env:UserInstallation=file://{}", dir.join("profile").display());
    let output =
        Command::new(program).args([profile.as_str(), "--headless", "--convert-to", "pdf", "--outdir"]).arg(dir).arg(&input).output();
    let output = match output {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(anyhow!(
                "không xuất được PDF: máy chưa cài LibreOffice (lệnh soffice). Cài gói libreoffice-writer (Debian/Ubuntu) rồi chạy lại; tệp DOCX vẫn dùng được"
            ));
        }
        Err(e) => return Err(e).context("không chạy được LibreOffice (soffice)"),
    };
    let pdf = dir.join("bao-cao.pdf");
    if !output.status.success() || !pdf.exists() {
        return Err(anyhow!("LibreOffice không chuyển được sang PDF: {}", String::from_utf8_lossy(&output.stderr).trim()));
    }
    Ok(std::fs::read(pdf)?)
}

/// The LibreOffice command: `CCHC_SOFFICE` when set, else `soffice` on the PATH.
fn soffice() -> String {
    std::env::var("CCHC_SOFFICE").unwrap_or_else(|_| "soffice".into())
}
