//! How complete a report is (mức độ đầy đủ): how many of the indicators its unit reports hold a
//! figure ("212/245 chỉ tiêu"), and which of those the catalogue marks as required
//! (`[[required]]`, per unit kind and period kind) are missing.

use cchc_catalogue::{AutoCheck, Catalogue, Indicator, Kind, Severity};
use cchc_report::UnitReport;
use serde::Serialize;

use crate::Finding;
use crate::eval::Figures;

/// The completeness of one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completeness {
    /// Indicators holding a figure that apply to the unit's kind and have one in the report.
    pub stated: usize,
    /// Indicators holding a figure that apply to the unit's kind.
    pub expected: usize,
    /// Required indicators (of the sets that apply) with no figure, in catalogue order.
    pub missing_required: Vec<String>,
    /// Whether a set that is missing some indicator refuses submission.
    pub refuse: bool,
}

impl Completeness {
    /// "212/245 chỉ tiêu".
    pub fn label_vi(&self) -> String {
        format!("{}/{} chỉ tiêu", cchc_format::int(self.stated as i64), cchc_format::int(self.expected as i64))
    }

    pub fn is_complete(&self) -> bool {
        self.missing_required.is_empty()
    }
}

/// Whether the report gives the indicator a figure (at any split); a ratio also when its counts
/// are given, since it is computed from them.
fn has_figure(report: &UnitReport, figs: &Figures, ind: &Indicator) -> bool {
    let stated = report.entries.iter().any(|e| e.key.code == ind.code && e.value.is_some());
    stated || (matches!(ind.kind, Kind::Ratio { .. }) && figs.number(&cchc_report::Key::total(&ind.code)).is_some())
}

/// The completeness of `report` against its catalogue.
pub fn completeness(report: &UnitReport, cat: &Catalogue) -> Completeness {
    let figs = Figures { values: report.values(), catalogue: cat };
    let kind = report.unit.kind.slug();
    let applicable: Vec<&Indicator> = cat.value_indicators().filter(|i| i.applies_to_kind(kind)).collect();
    let stated = applicable.iter().filter(|i| has_figure(report, &figs, i)).count();
    let sets: Vec<_> = cat.required.iter().filter(|r| r.applies(kind, report.period.kind)).collect();
    let mut missing_required = Vec::new();
    let mut refuse = false;
    for ind in cat.value_indicators() {
        let requiring: Vec<_> = sets.iter().filter(|s| s.indicators.contains(&ind.code)).collect();
        if !requiring.is_empty() && !has_figure(report, &figs, ind) {
            missing_required.push(ind.code.clone());
            refuse |= requiring.iter().any(|s| s.refuse);
        }
    }
    Completeness { stated, expected: applicable.len(), missing_required, refuse }
}

/// How many missing indicators a message names before "và N chỉ tiêu khác".
const NAMED: usize = 5;

/// The finding of an incomplete report: an error where a set refuses it, else at the severity
/// the catalogue gives `auto:required` (a warning by default, so sending needs an explanation).
pub fn finding(c: &Completeness, cat: &Catalogue) -> Option<Finding> {
    if c.is_complete() {
        return None;
    }
    let severity = if c.refuse { Severity::Error } else { cat.severity_of(AutoCheck::Required)? };
    let mut named: Vec<String> = c
        .missing_required
        .iter()
        .take(NAMED)
        .map(|code| format!("{code} \"{}\"", cat.indicator(code).map_or(code.as_str(), |i| i.name.as_str())))
        .collect();
    if c.missing_required.len() > NAMED {
        named.push(format!("{} chỉ tiêu khác", cchc_format::int((c.missing_required.len() - NAMED) as i64)));
    }
    Some(Finding {
        rule: AutoCheck::Required.id().into(),
        severity,
        message: format!(
            "Báo cáo có số liệu {}; còn thiếu {} chỉ tiêu bắt buộc: {}",
            c.label_vi(),
            cchc_format::int(c.missing_required.len() as i64),
            named.join("; ")
        ),
        values: c.missing_required.iter().map(|code| (code.clone(), None)).collect(),
    })
}
