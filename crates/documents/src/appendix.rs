//! The rows of the statistical appendix: one table per form (biểu mẫu) of the catalogue, one row
//! per indicator (and per split the report gives), with the value displayed as the text shows it.
//! The DOCX tables and the XLSX sheets are both drawn from these rows, and ratios are computed
//! from the same counts as the generated sentences, so text and appendix cannot disagree.

use cchc_catalogue::{Catalogue, Form, Indicator, Kind};
use cchc_report::{Key, Split, UnitReport, Value};

/// The column headings of every form table.
pub const HEADINGS: [&str; 5] = ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"];

/// One row of a form table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    pub indicator: &'a Indicator,
    pub key: Key,
    /// The indicator's code: "3.6.6" (a split's name goes in the label).
    pub number: String,
    pub label: String,
    pub unit: String,
    /// The figure in force for the key (computed for a ratio when its parts are reported).
    pub value: Option<Value>,
    /// The value as printed: 8.803, 99,78%, Có.
    pub shown: String,
    pub note: String,
}

/// The forms of the catalogue with the rows that apply to the report's unit kind.
pub fn forms<'a>(catalogue: &'a Catalogue, report: &UnitReport) -> Vec<(&'a Form, Vec<Row<'a>>)> {
    catalogue.forms.iter().map(|f| (f, rows(catalogue, report, f.number))).collect()
}

/// The rows of one form: each applicable indicator's total, then the splits the report gives.
pub fn rows<'a>(catalogue: &'a Catalogue, report: &UnitReport, form: u8) -> Vec<Row<'a>> {
    let kind = report.unit.kind.slug();
    let mut out = Vec::new();
    for ind in catalogue.form_indicators(form).filter(|i| i.applies_to_kind(kind)) {
        out.push(row(catalogue, report, ind, Key::total(&ind.code)));
        for split in splits_given(report, &ind.code) {
            out.push(row(catalogue, report, ind, Key { code: ind.code.clone(), split }));
        }
    }
    out
}

/// The splits (other than the total) the report gives for a code, in first-statement order.
fn splits_given(report: &UnitReport, code: &str) -> Vec<Split> {
    let mut out: Vec<Split> = Vec::new();
    for e in report.entries.iter().filter(|e| e.key.code == code && !e.key.split.is_empty()) {
        if !out.contains(&e.key.split) {
            out.push(e.key.split.clone());
        }
    }
    out
}

fn row<'a>(catalogue: &'a Catalogue, report: &UnitReport, ind: &'a Indicator, key: Key) -> Row<'a> {
    let split_name = split_label(catalogue, &key.split);
    let number = ind.code.clone();
    let label = if split_name.is_empty() { ind.name.clone() } else { format!("{} — {split_name}", ind.name) };
    let value = figure(report, ind, &key);
    let shown = value.as_ref().map(|v| show(ind, v)).unwrap_or_default();
    let note = report.entries.iter().filter(|e| e.key == key && e.qualifier.is_none()).find_map(|e| e.note.clone()).unwrap_or_default();
    Row { indicator: ind, key, number, label, unit: ind.unit_label(), value, shown, note }
}

/// "Cấp huyện", "Lĩnh vực Hộ tịch": the Vietnamese names of a split's values.
pub fn split_label(catalogue: &Catalogue, split: &Split) -> String {
    split.iter().map(|(dim, v)| catalogue.dimension_value_name(dim, v).to_string()).collect::<Vec<_>>().join(", ")
}

/// The figure of a key, the one value the whole document prints: a ratio computed from its parts
/// when they are reported (unless the office chose its stated value, `document.keep_stated`),
/// otherwise the stated figure.
pub fn figure(report: &UnitReport, ind: &Indicator, key: &Key) -> Option<Value> {
    if matches!(ind.kind, Kind::Ratio { .. })
        && !(report.document.keeps_stated(key) && report.value(key).is_some())
        && let Some(r) = report.computed_ratio(ind, &key.split)
    {
        return Some(Value::Dec(r));
    }
    report.value(key).cloned()
}

/// A value as printed in the appendix.
pub fn show(ind: &Indicator, v: &Value) -> String {
    match (&ind.kind, v) {
        (Kind::Ratio { .. } | Kind::Percent, _) => v.number().map(cchc_format::percent).unwrap_or_else(|| v.display()),
        (Kind::YesNo { yes, no }, Value::Bool(b)) => {
            if *b {
                yes.clone()
            } else {
                no.clone()
            }
        }
        (Kind::Choice { options }, Value::Choice(c)) => {
            options.iter().find(|o| o.value == *c).map_or_else(|| c.to_string(), |o| o.name.clone())
        }
        _ => v.display(),
    }
}
