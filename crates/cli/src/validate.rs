//! `cchc validate FILE`: check a unit-report file without storing it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use cchc_catalogue::Catalogue;
use cchc_report::UnitReport;
use cchc_report::file::{InputError, catalogue_ref, read};
use cchc_validation::{Context as ValidationContext, Finding, has_errors, validate};

use crate::catalogues;
use crate::output::{self, Format};

/// A report file read, checked against its catalogue and validated.
pub enum Checked {
    /// The file's rows break type rules; nothing can be validated further.
    BadInput(Vec<InputError>),
    Validated {
        report: Box<UnitReport>,
        catalogue: Box<Catalogue>,
        findings: Vec<Finding>,
    },
}

pub fn check_file(path: &Path, extra: &[PathBuf]) -> Result<Checked> {
    let text = std::fs::read_to_string(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    let reference =
        catalogue_ref(&text).ok_or_else(|| anyhow!("tệp {} không phải báo cáo JSON có trường \"catalogue\"", path.display()))?;
    let catalogue = catalogues::find(&reference, extra)?;
    Ok(match read(&text, &catalogue) {
        Err(errors) => Checked::BadInput(errors),
        Ok(report) => {
            let findings = validate(&report, &catalogue, ValidationContext::default());
            Checked::Validated { report: Box::new(report), catalogue: Box::new(catalogue), findings }
        }
    })
}

pub fn run(path: &Path, format: Format, extra: &[PathBuf]) -> Result<ExitCode> {
    match check_file(path, extra)? {
        Checked::BadInput(errors) => {
            print!(
                "{}",
                match format {
                    Format::Text => output::input_errors_text(&errors),
                    Format::Json => output::input_errors_json(&errors),
                }
            );
            Ok(ExitCode::from(1))
        }
        Checked::Validated { report, findings, .. } => {
            let title = format!("Báo cáo {} – kỳ {} ({})", report.unit.name, report.period.title_vi(), report.period);
            match format {
                Format::Text => print!("{}", output::findings_text(&title, &findings)),
                Format::Json => println!("{}", output::findings_json(&report.unit.code, &report.period.to_string(), &findings)),
            }
            Ok(if has_errors(&findings) { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
    }
}
