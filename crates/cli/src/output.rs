//! Printing findings and input errors, as Vietnamese text or JSON.

use cchc_catalogue::Severity;
use cchc_report::file::InputError;
use cchc_validation::Finding;
use serde_json::json;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn findings_text(title: &str, findings: &[Finding]) -> String {
    let mut out = format!("{title}\n");
    for f in findings {
        let tag = match f.severity {
            Severity::Error => "LỖI",
            Severity::Warning => "CẢNH BÁO",
        };
        out.push_str(&format!("{tag} [{}] {}\n", f.rule, f.message));
    }
    let (e, w) = counts(findings);
    out.push_str(&if findings.is_empty() {
        "Không phát hiện lỗi hay cảnh báo nào.\n".to_string()
    } else {
        format!("Tổng cộng: {e} lỗi, {w} cảnh báo.\n")
    });
    out
}

pub fn findings_json(unit: &str, period: &str, findings: &[Finding]) -> String {
    let (e, w) = counts(findings);
    let items: Vec<_> = findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule,
                "severity": f.severity,
                "message": f.message,
                "codes": f.codes(),
                "values": f.values.iter().map(|(k, v)| json!({ "key": k, "value": v.map(|d| d.to_string()) })).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({ "unit": unit, "period": period, "errors": e, "warnings": w, "findings": items }))
        .expect("findings serialise")
}

pub fn input_errors_text(errors: &[InputError]) -> String {
    let mut out = format!("Tệp không hợp lệ ({} lỗi), không có số liệu nào được ghi nhận:\n", errors.len());
    for e in errors {
        out.push_str(&format!("LỖI {e}\n"));
    }
    out
}

pub fn input_errors_json(errors: &[InputError]) -> String {
    serde_json::to_string_pretty(&json!({ "errors": errors.len(), "input_errors": errors })).expect("errors serialise")
}

fn counts(findings: &[Finding]) -> (usize, usize) {
    let e = findings.iter().filter(|f| f.severity == Severity::Error).count();
    (e, findings.len() - e)
}
