//! The report documents (issue 4): everything a leader signs, built from the validated figures.
//!
//! - [`text`]: Vietnamese sentences generated from the figures by the catalogue's templates, so
//!   that every number in the text is the number in the appendix.
//! - [`appendix`]: the rows of each form (biểu mẫu) of the catalogue with their display values,
//!   shared by the DOCX tables and the XLSX workbook.
//! - [`docx`]: the report laid out per Decree 30/2020/NĐ-CP (header table, sections I–V, Nơi nhận,
//!   signature block, page numbers from page 2, the appendix tables).
//! - [`xlsx`]: the appendix as a workbook that is also the data-entry template, and its reader.
//! - [`draft`]: a draft of "III. Đánh giá chung" read from the data.
//! - [`counter_forms`]: the one-stop forms of Circular 03/2025/TT-VPCP printed from a dossier
//!   (01–06 as DOCX with a QR code to the status lookup, 07 the dossier ledger as XLSX).
//!
//! Pure: inputs in, bytes out; no files, no database.

pub mod appendix;
pub mod combine;
pub mod counter_forms;
pub mod docx;
pub mod draft;
mod header;
pub mod issuer;
pub mod narrative;
mod ooxml;
pub mod outline;
pub mod text;
pub mod xlsx;

use cchc_catalogue::Catalogue;
use cchc_report::UnitReport;

/// Everything a report document is built from. The caller (cchc-app) loads it from the store or
/// from a file; for a unit created by a merger `last_year` / `previous_period` are the
/// predecessors' reports already compiled into one.
#[derive(Debug, Clone)]
pub struct ReportDocument {
    pub report: UnitReport,
    pub catalogue: Catalogue,
    /// The same period of the previous year, when its data exists.
    pub last_year: Option<UnitReport>,
    /// The previous period of the same kind, when its data exists.
    pub previous_period: Option<UnitReport>,
    /// Messages of the validation findings (Vietnamese), for the draft assessment.
    pub findings: Vec<String>,
    /// Weaknesses the caller read from other data (units with late dossiers, unfinished plan
    /// tasks, late or missing reports of subordinate units), already phrased in Vietnamese.
    pub weaknesses: Vec<String>,
    /// Print every row of the forms in the appendix, not only those with a figure or a note.
    pub full_appendix: bool,
}

impl ReportDocument {
    /// A document with no comparison data; its sentences follow the catalogue's templates.
    pub fn new(report: UnitReport, catalogue: Catalogue) -> ReportDocument {
        ReportDocument {
            report,
            catalogue,
            last_year: None,
            previous_period: None,
            findings: Vec::new(),
            weaknesses: Vec::new(),
            full_appendix: false,
        }
    }

    /// The generated sentences of one section.
    pub fn sentences(&self, section: &str) -> Vec<String> {
        let inputs = text::Inputs {
            report: &self.report,
            catalogue: &self.catalogue,
            last_year: self.last_year.as_ref(),
            previous_period: self.previous_period.as_ref(),
        };
        text::section_sentences(section, &inputs)
    }
}

/// Why a document could not be built or read.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("không ghi được tệp DOCX: {0}")]
    Docx(String),
    #[error("không ghi được tệp XLSX: {0}")]
    XlsxWrite(#[from] rust_xlsxwriter::XlsxError),
    #[error("không đọc được tệp XLSX: {0}")]
    XlsxRead(String),
    /// A wrong cell: sheet, cell and rule, in Vietnamese ("Biểu 2!D7: …").
    #[error("{sheet}!{cell}: {rule}")]
    Cell { sheet: String, cell: String, rule: String },
}
