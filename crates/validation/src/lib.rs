//! Validation of a unit's report (kiểm tra số liệu báo cáo).
//!
//! Two sources of checks, both producing [`Finding`]s that carry the indicator keys and the
//! values involved and a Vietnamese message that shows the numbers:
//! - the catalogue's own rules (data, DHIS2-style: left, operator, right, missing-value strategy,
//!   severity, message template), evaluated for the total and for every split they share
//!   ([`rules`]);
//! - checks that follow from the catalogue's structure, so nobody has to write them as rules
//!   ([`structural`]): two statements of the same figure that differ, splits that add up to more
//!   than their total, a ratio whose numerator exceeds its denominator, a stated ratio that is not
//!   the one computed from its counts, a percentage above 100, and cumulative (lũy kế) figures
//!   that fall within a year;
//! - the catalogue's plausibility limits ([`limits`]): a figure outside its range, or changed by
//!   more than a factor against the same period of last year or the previous period.
//!
//! Beside the findings: how complete a report is ([`completeness`]) and which units are far
//! from their peers ([`peers`], for the reviewer).

pub mod completeness;
mod eval;
pub mod limits;
pub mod peers;
mod render;
pub mod rules;
pub mod structural;

use cchc_catalogue::{Catalogue, Severity};
use cchc_report::UnitReport;
use rust_decimal::Decimal;
use serde::Serialize;

/// One problem found in a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The catalogue rule id, or `auto:<check>` for structural checks.
    pub rule: String,
    pub severity: Severity,
    /// Vietnamese message with the numbers, e.g. "Tổng các phần theo Cấp … 4.738 + 49.120 = 53.858,
    /// khác tổng số 53.850".
    pub message: String,
    /// The figures involved: key text (`3.6.4[level=xa]`) and value (`None` when not reported).
    pub values: Vec<(String, Option<Decimal>)>,
}

impl Finding {
    /// The indicator codes involved, without splits, deduplicated in order.
    pub fn codes(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for (k, _) in &self.values {
            let code = k.split('[').next().unwrap_or(k);
            if !out.contains(&code) {
                out.push(code);
            }
        }
        out
    }
}

/// Other reports that some checks need: the same unit's earlier reports of the same year (for
/// cumulative figures and the change against the previous period) and of the same period last
/// year (for the change against it). Reports of other periods are ignored.
#[derive(Debug, Default, Clone, Copy)]
pub struct Context<'a> {
    pub earlier: &'a [UnitReport],
}

/// Every finding for a report, errors first.
pub fn validate(report: &UnitReport, catalogue: &Catalogue, ctx: Context<'_>) -> Vec<Finding> {
    let mut findings = structural::check(report, catalogue, ctx);
    findings.extend(rules::check(report, catalogue));
    let mut plausibility = limits::ranges(report, catalogue);
    plausibility.extend(limits::changes(report, catalogue, ctx));
    findings.extend(structural::with_catalogue_severity(plausibility, catalogue));
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    findings
}

/// Whether any finding blocks submission (lỗi).
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

#[cfg(test)]
mod tests;
