//! Numbers and places in Vietnamese for finding messages.

use cchc_catalogue::Catalogue;
use cchc_report::Split;
use rust_decimal::Decimal;

/// `53850` → "53.850", `92.85` → "92,85".
pub fn number(d: Decimal) -> String {
    if d.fract().is_zero() {
        i64::try_from(d).map(cchc_format::int).unwrap_or_else(|_| cchc_format::decimal(d))
    } else {
        cchc_format::decimal(d.normalize())
    }
}

/// A percentage with two decimals, "92,86%".
pub fn percent(d: Decimal) -> String {
    cchc_format::percent(d)
}

/// The place of a split as a message prefix: "Cấp xã, lĩnh vực Hộ tịch: "; empty for totals.
pub fn place(split: &Split, cat: &Catalogue) -> String {
    if split.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = split
        .iter()
        .map(|(dim, val)| {
            let value = cat.dimension_value_name(dim, val);
            match dim.as_str() {
                // "cấp xã" already names the dimension.
                "level" => value.to_string(),
                _ => format!("{} {}", cat.dimension(dim).map_or(dim.as_str(), |d| d.name.as_str()).to_lowercase(), value),
            }
        })
        .collect();
    let mut text = parts.join(", ");
    if let Some(first) = text.chars().next() {
        text.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    }
    format!("{text}: ")
}

/// Fills a message template: `{where}`, `{left}`, `{right}`, `{left_terms}`, `{right_terms}`.
pub fn fill(template: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in pairs {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}
