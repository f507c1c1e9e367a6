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
    /// Print every row of the forms in the appendix.
    pub full_appendix: bool,
}

/// `cchc report --from FILE …`: a report file, validated, no store needed.
pub fn from_file(path: &Path, extra: &[PathBuf], out: &Outputs) -> Result<ExitCode> {
    let (report, catalogue) = match check_file(path, extra)? {
        Checked::BadInput(errors) => {
            print!("{}", output::input_errors_text(&errors));
            return Ok(ExitCode::from(1));
        }
        Checked::Validated { report, catalogue, .. } => (*report, *catalogue),
    };
    let mut doc = report_docs::document_from_report(report, catalogue);
    doc.full_appendix = out.full_appendix;
    write_all(&doc, out)
}

/// `cchc report --unit CODE --period P …`: the stored report with comparisons and settings.
pub async fn from_store(app: &cchc_app::App, actor: &cchc_storage::User, unit: &str, period: Period, out: &Outputs) -> Result<ExitCode> {
    let mut doc = cchc_app::reports::document(app, actor, unit, period).await?;
    doc.full_appendix = out.full_appendix;
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

/// `cchc import FILE.xlsx`: a filled-in workbook stored through
/// [`cchc_app::reports::import_workbook`] (every wrong sheet, row or cell named, nothing stored
/// if any; the stored report's narrative, document metadata and qualified claims kept).
pub async fn import_xlsx(app: &cchc_app::App, actor: &cchc_storage::User, path: &Path) -> Result<ExitCode> {
    let bytes = std::fs::read(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    let done = cchc_app::reports::import_workbook(app, actor, &bytes).await?;
    let report = &done.record.report;
    let title = format!("Báo cáo {} – kỳ {} ({})", report.unit.name, report.period.title_vi(), report.period);
    print!("{}", output::findings_text(&title, &done.findings));
    let figures = report.entries.iter().filter(|e| e.value.is_some()).count();
    println!(
        "Đã nhập {} số liệu của {} kỳ {} từ tệp Excel (phiên bản {}).",
        cchc_format::int(figures as i64),
        report.unit.name,
        report.period,
        done.record.version
    );
    Ok(ExitCode::SUCCESS)
}

/// `cchc units settings --unit CODE [--symbol BC-UBND] [--signer …] …`.
#[derive(clap::Args)]
pub struct SettingsArgs {
    #[arg(long)]
    unit: String,
    #[doc = "Ký hiệu văn bản, ví dụ BC-UBND"]
    #[arg(long)]
    symbol: Option<String>,
    #[doc = "Tên cơ quan ban hành, ví dụ \"ỦY BAN NHÂN DÂN HUYỆN CẨM XUYÊN\"; \"|\" đặt chỗ xuống dòng: \"ỦY BAN NHÂN DÂN|HUYỆN CẨM XUYÊN\""]
    #[arg(long)]
    issuer: Option<String>,
    #[doc = "Tên cơ quan chủ quản (in phía trên cơ quan ban hành)"]
    #[arg(long)]
    parent_body: Option<String>,
    #[doc = "Địa danh, ví dụ \"Cẩm Xuyên\""]
    #[arg(long)]
    place: Option<String>,
    #[doc = "Kính gửi"]
    #[arg(long)]
    addressee: Option<String>,
    #[doc = "Thẩm quyền ký, ví dụ \"TM. ỦY BAN NHÂN DÂN\""]
    #[arg(long)]
    sign_for: Option<String>,
    #[doc = "Ký thay, ví dụ \"KT. CHỦ TỊCH\" (chuỗi rỗng để bỏ)"]
    #[arg(long)]
    deputy: Option<String>,
    #[doc = "Chức vụ người ký, ví dụ \"PHÓ CHỦ TỊCH\""]
    #[arg(long)]
    signer_title: Option<String>,
    #[doc = "Họ tên người ký"]
    #[arg(long)]
    signer: Option<String>,
    #[doc = "Nơi nhận, mỗi lần một dòng (dòng cuối \"Lưu: VT, …\"); thay cả danh sách"]
    #[arg(long = "recipient")]
    recipients: Vec<String>,
}

pub async fn settings(store: &dyn Store, a: SettingsArgs) -> Result<ExitCode> {
    let set = |field: &mut Option<String>, value: Option<String>| {
        if let Some(v) = value {
            *field = Some(v).filter(|v| !v.trim().is_empty());
        }
    };
    let s = report_docs::update_settings(store, &a.unit, |s| {
        set(&mut s.symbol, a.symbol);
        set(&mut s.issuer, a.issuer);
        set(&mut s.parent_body, a.parent_body);
        set(&mut s.place, a.place);
        set(&mut s.addressee, a.addressee);
        set(&mut s.sign_for, a.sign_for);
        set(&mut s.deputy, a.deputy);
        set(&mut s.signer_title, a.signer_title);
        set(&mut s.signer, a.signer);
        if !a.recipients.is_empty() {
            s.recipients = a.recipients;
        }
    })
    .await?;
    println!("Thiết lập văn bản của đơn vị {}:", s.unit_code);
    let show = |label: &str, v: &Option<String>| println!("  {label}: {}", v.as_deref().unwrap_or("(chưa đặt)"));
    show("Ký hiệu", &s.symbol);
    show("Cơ quan ban hành", &s.issuer);
    show("Cơ quan chủ quản", &s.parent_body);
    show("Địa danh", &s.place);
    show("Kính gửi", &s.addressee);
    show("Thẩm quyền ký", &s.sign_for);
    show("Ký thay", &s.deputy);
    show("Chức vụ người ký", &s.signer_title);
    show("Người ký", &s.signer);
    println!("  Nơi nhận: {}", if s.recipients.is_empty() { "(chưa đặt)".to_string() } else { s.recipients.join(" | ") });
    Ok(ExitCode::SUCCESS)
}
