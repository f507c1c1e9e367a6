//! `cchc report`: the report documents of a unit for a period (DOCX, and the XLSX appendix / data
//! entry template, PDF through LibreOffice), from the store or from a report file; and
//! `cchc import FILE.xlsx`, a filled-in workbook imported through validation.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use cchc_app::report_docs;
use cchc_documents::{ReportDocument, docx, xlsx};
use cchc_periods::Period;
use cchc_storage::Store;

use crate::output;
use crate::validate::{Checked, check_file};

/// Where the documents go.
pub struct Outputs {
    pub docx: Option<PathBuf>,
    pub xlsx: Option<PathBuf>,
    pub pdf: Option<PathBuf>,
    /// Print the draft of "III. Đánh giá chung".
    pub draft: bool,
}

/// `cchc report --from FILE …`: a report file, validated, no store needed.
pub fn from_file(path: &Path, extra: &[PathBuf], out: &Outputs) -> Result<ExitCode> {
    let (report, catalogue) = match check_file(path, extra)? {
        Checked::BadInput(errors) => {
            print!("{}", output::input_errors_text(&errors));
            return Ok(ExitCode::from(1));
        }
        Checked::Validated { report, catalogue, .. } => (report, catalogue),
    };
    write_all(&report_docs::document_from_report(report, catalogue), out)
}

/// `cchc report --unit CODE --period P …`: the stored report with comparisons and settings.
pub async fn from_store(store: &dyn Store, unit: &str, period: Period, out: &Outputs) -> Result<ExitCode> {
    let doc = report_docs::load_document(store, unit, period).await?;
    write_all(&doc, out)
}

fn write_all(doc: &ReportDocument, out: &Outputs) -> Result<ExitCode> {
    if out.docx.is_none() && out.xlsx.is_none() && out.pdf.is_none() && !out.draft {
        return Err(anyhow!("hãy chỉ ra tệp cần ghi: --out BAO-CAO.docx, --xlsx PHU-LUC.xlsx hoặc --pdf BAO-CAO.pdf"));
    }
    if out.draft {
        println!("Dự thảo \"III. Đánh giá chung\" từ số liệu:");
        for line in cchc_documents::draft::assessment(doc) {
            println!("{line}");
        }
    }
    if out.docx.is_some() || out.pdf.is_some() {
        let bytes = docx::render(doc)?;
        if let Some(path) = &out.docx {
            write(path, &bytes)?;
        }
        if let Some(path) = &out.pdf {
            write(path, &report_docs::convert_to_pdf(&bytes)?)?;
        }
    }
    if let Some(path) = &out.xlsx {
        write(path, &xlsx::render(&doc.report, &doc.catalogue)?)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("không ghi được tệp {}", path.display()))?;
    println!("Đã ghi {}.", path.display());
    Ok(())
}

/// `cchc import FILE.xlsx`: read a filled-in workbook (every wrong cell named, nothing stored if
/// any), validate, then store it atomically, keeping the stored report's narrative, document
/// metadata and qualified claims.
pub async fn import_xlsx(store: &dyn Store, path: &Path, by: &str) -> Result<ExitCode> {
    let bytes = std::fs::read(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    let reference = workbook_catalogue(&bytes)?;
    let catalogue = report_docs::catalogue(store, &reference).await?;
    let mut report = match xlsx::read(&bytes, &catalogue) {
        Ok(r) => r,
        Err(errors) => {
            println!("Tệp {} có {} ô sai; không nhập gì:", path.display(), errors.len());
            for e in errors {
                println!("- {e}");
            }
            return Ok(ExitCode::from(1));
        }
    };
    let existing = store.report(&report.unit.code, report.period).await?;
    if let Some(old) = &existing {
        report.document = old.report.document.clone();
        report.narrative = old.report.narrative.clone();
        report.window = old.report.window;
        report.entries.extend(old.report.entries.iter().filter(|e| e.qualifier.is_some()).cloned());
    }
    let findings = cchc_validation::validate(&report, &catalogue, cchc_validation::Context::default());
    let title = format!("Báo cáo {} – kỳ {} ({})", report.unit.name, report.period.title_vi(), report.period);
    print!("{}", output::findings_text(&title, &findings));
    if cchc_validation::has_errors(&findings) {
        println!("Không nhập: báo cáo còn lỗi. Sửa các lỗi trên rồi nhập lại.");
        return Ok(ExitCode::from(1));
    }
    store.put_catalogue(&catalogue.to_file()).await?;
    let record = store.save_report(&report, existing.map(|r| r.version), by).await?;
    println!(
        "Đã nhập {} số liệu của {} kỳ {} từ tệp Excel (phiên bản {}).",
        cchc_format::int(report.entries.len() as i64),
        report.unit.name,
        report.period,
        record.version
    );
    Ok(ExitCode::SUCCESS)
}

/// The catalogue reference on the workbook's information sheet.
fn workbook_catalogue(bytes: &[u8]) -> Result<String> {
    let reference = xlsx::catalogue_reference(bytes)?;
    if reference.is_empty() {
        return Err(anyhow!("{}!B7: thiếu bộ chỉ tiêu (ví dụ vn-default@2022.1)", xlsx::INFO_SHEET));
    }
    Ok(reference)
}
