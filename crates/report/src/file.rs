//! The unit-report JSON file format (`cchc-unit-report/1`, see `docs/report-format.md`).
//!
//! Reading checks every entry against the catalogue and collects all problems, each naming the
//! row (1-based position in `values`), the field and the rule broken, in Vietnamese. Nothing is
//! returned unless the whole file is valid, so callers can store all-or-nothing.

use std::collections::BTreeMap;
use std::fmt;

use cchc_catalogue::{Catalogue, Indicator, Kind};
use cchc_periods::{DateRange, Period};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::{DocumentMeta, Entry, Key, Qualifier, UnitRef, UnitReport, Value};

/// The format tag every file carries.
pub const FORMAT: &str = "cchc-unit-report/1";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportFile {
    format: String,
    catalogue: String,
    unit: UnitRef,
    period: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    window: Option<DateRange>,
    #[serde(default)]
    document: DocumentMeta,
    #[serde(default)]
    values: Vec<EntryFile>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    narrative: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    code: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    split: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<Json>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    qualifier: Option<Qualifier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

/// One problem in an input file or form: where it is and which rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    /// 1-based row (position in `values`, or a spreadsheet row); `None` for the file as a whole.
    pub row: Option<usize>,
    /// The indicator key of the row, when known.
    pub key: Option<String>,
    /// The field: "value", "split", "code", "period", …
    pub field: String,
    /// Vietnamese description of the rule broken.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(r) = self.row {
            write!(f, "Dòng {r}")?;
            if let Some(k) = &self.key {
                write!(f, " (chỉ tiêu {k})")?;
            }
            write!(f, ", ")?;
        }
        write!(f, "trường \"{}\": {}", self.field, self.message)
    }
}

impl std::error::Error for InputError {}

impl InputError {
    pub fn file(field: &str, message: impl Into<String>) -> InputError {
        InputError { row: None, key: None, field: field.into(), message: message.into() }
    }
}

/// Reads a report file and checks it against the catalogue.
pub fn read(text: &str, catalogue: &Catalogue) -> Result<UnitReport, Vec<InputError>> {
    let file: ReportFile = serde_json::from_str(text)
        .map_err(|e| vec![InputError::file("(tệp)", format!("JSON không hợp lệ: {}", cchc_format::serde_message(&e.to_string())))])?;
    let mut errors = Vec::new();
    if file.format != FORMAT {
        errors.push(InputError::file("format", format!("phải là \"{FORMAT}\", nhận được \"{}\"", file.format)));
    }
    let period = file.period.parse::<Period>().map_err(|e| errors.push(InputError::file("period", e.to_string()))).ok();
    for key in crate::invalid_keys(file.narrative.keys()) {
        errors.push(InputError::file("narrative", format!("\"{key}\": {}", crate::PLACE_RULE)));
    }
    let mut entries = Vec::with_capacity(file.values.len());
    for (i, ef) in file.values.into_iter().enumerate() {
        match entry_from_file(ef, catalogue) {
            Ok(e) => entries.push(e),
            Err((key, field, message)) => errors.push(InputError { row: Some(i + 1), key, field, message }),
        }
    }
    match (errors.is_empty(), period) {
        (true, Some(period)) => Ok(UnitReport {
            catalogue: file.catalogue,
            unit: file.unit,
            period,
            window: file.window,
            document: file.document,
            entries,
            narrative: file.narrative,
            compilation: None,
        }),
        _ => Err(errors),
    }
}

type RowError = (Option<String>, String, String);

fn entry_from_file(ef: EntryFile, cat: &Catalogue) -> Result<Entry, RowError> {
    let key = Key { code: ef.code.clone(), split: ef.split };
    let key_text = Some(key.to_string());
    let err = |field: &str, msg: String| (key_text.clone(), field.to_string(), msg);
    let ind = cat
        .indicator(&key.code)
        .ok_or_else(|| err("code", format!("mã chỉ tiêu \"{}\" không có trong bộ chỉ tiêu {}", key.code, cat.meta.reference())))?;
    check_split(&key, ind, cat).map_err(|m| err("split", m))?;
    let value = match ef.value {
        None | Some(Json::Null) => None,
        Some(json) => Some(parse_value(&json, ind).map_err(|m| err("value", m))?),
    };
    if ef.qualifier.is_some() && !matches!(ind.kind, Kind::Ratio { .. } | Kind::Percent | Kind::Score | Kind::Count | Kind::Money) {
        return Err(err("qualifier", "chỉ dùng cho số liệu dạng số".into()));
    }
    Ok(Entry { key, value, qualifier: ef.qualifier, note: ef.note, source: ef.source })
}

/// Checks that a split uses only the indicator's dimensions and known values of closed ones.
pub fn check_split(key: &Key, ind: &Indicator, cat: &Catalogue) -> Result<(), String> {
    for (dim, val) in &key.split {
        if !ind.splits.contains(dim) {
            return Err(format!("chỉ tiêu {} không phân tổ theo \"{dim}\"", ind.code));
        }
        if let Some(d) = cat.dimension(dim)
            && !d.open
            && !d.values.iter().any(|v| &v.id == val)
        {
            let allowed: Vec<&str> = d.values.iter().map(|v| v.id.as_str()).collect();
            return Err(format!("giá trị \"{val}\" của {} không hợp lệ (chọn: {})", d.name, allowed.join(", ")));
        }
    }
    Ok(())
}

/// Turns a JSON value into a typed value for the indicator, or says in Vietnamese why not.
pub fn parse_value(json: &Json, ind: &Indicator) -> Result<Value, String> {
    if let Some(compiled) = compiled_value(json, ind) {
        return Ok(compiled);
    }
    match &ind.kind {
        Kind::Group => Err("dòng tiêu đề không có số liệu".into()),
        Kind::Count => parse_count(json, ind),
        Kind::Money => parse_decimal(json)
            .filter(|d| !d.is_sign_negative())
            .map(Value::Dec)
            .ok_or_else(|| format!("{} phải là số tiền không âm, nhận được {json}", ind.unit)),
        Kind::Ratio { .. } | Kind::Percent => parse_decimal(json)
            .filter(|d| !d.is_sign_negative())
            .map(Value::Dec)
            .ok_or_else(|| format!("tỷ lệ phải là số phần trăm không âm (ví dụ \"92,86\"), nhận được {json}")),
        Kind::Score => parse_decimal(json)
            .filter(|d| !d.is_sign_negative() && *d <= rust_decimal::Decimal::from(100) && d.normalize().scale() <= 2)
            .map(Value::Dec)
            .ok_or_else(|| format!("điểm phải là số từ 0 đến 100, tối đa hai chữ số thập phân (ví dụ \"85,52\"), nhận được {json}")),
        Kind::YesNo { yes, no } => {
            parse_yes_no(json).map(Value::Bool).ok_or_else(|| format!("phải là 1 ({yes}) hoặc 0 ({no}), nhận được {json}"))
        }
        Kind::Choice { options } => json
            .as_u64()
            .and_then(|n| u8::try_from(n).ok())
            .filter(|n| options.iter().any(|o| o.value == *n))
            .map(Value::Choice)
            .ok_or_else(|| format!("phải là một trong: {}, nhận được {json}", ind.unit_label())),
        Kind::Text => json.as_str().map(|s| Value::Text(s.to_string())).ok_or_else(|| format!("phải là văn bản, nhận được {json}")),
    }
}

/// A compiled report (roll-up) writes "n/m đơn vị" and option counts as objects; accept them
/// back for the kinds they belong to.
fn compiled_value(json: &Json, ind: &Indicator) -> Option<Value> {
    if !json.is_object() {
        return None;
    }
    let v: Value = serde_json::from_value(json.clone()).ok()?;
    let fits = match (&v, &ind.kind) {
        (Value::Tally { yes, of }, Kind::YesNo { .. }) => yes <= of,
        (Value::OptionCounts(_), Kind::Choice { .. }) => true,
        _ => false,
    };
    fits.then_some(v)
}

fn parse_count(json: &Json, ind: &Indicator) -> Result<Value, String> {
    parse_decimal(json)
        .filter(|d| d.fract().is_zero() && !d.is_sign_negative())
        .and_then(|d| i64::try_from(d).ok())
        .map(Value::Int)
        .ok_or_else(|| format!("số {} phải là số nguyên không âm, nhận được {json}", ind.unit.to_lowercase()))
}

fn parse_decimal(json: &Json) -> Option<Decimal> {
    match json {
        Json::Number(n) => n.to_string().parse::<Decimal>().ok().or_else(|| n.as_f64().and_then(|f| Decimal::try_from(f).ok())),
        Json::String(s) => cchc_format::parse_number(s),
        _ => None,
    }
}

fn parse_yes_no(json: &Json) -> Option<bool> {
    match json {
        Json::Bool(b) => Some(*b),
        Json::Number(n) => match n.as_u64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Json::String(s) => match s.trim() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Writes a report in the file format. Reading the output back gives the same report.
pub fn write(report: &UnitReport) -> String {
    let file = ReportFile {
        format: FORMAT.into(),
        catalogue: report.catalogue.clone(),
        unit: report.unit.clone(),
        period: report.period.to_string(),
        window: report.window,
        document: report.document.clone(),
        values: report.entries.iter().map(entry_to_file).collect(),
        narrative: report.narrative.clone(),
    };
    serde_json::to_string_pretty(&file).expect("a report always serialises")
}

fn entry_to_file(e: &Entry) -> EntryFile {
    EntryFile {
        code: e.key.code.clone(),
        split: e.key.split.clone(),
        value: e.value.as_ref().map(value_to_json),
        qualifier: e.qualifier,
        note: e.note.clone(),
        source: e.source.clone(),
    }
}

fn value_to_json(v: &Value) -> Json {
    match v {
        Value::Int(n) => Json::from(*n),
        // Decimals are written as Vietnamese text so that "92,80" keeps its two decimals.
        Value::Dec(d) => Json::from(cchc_format::decimal(*d)),
        Value::Bool(b) => Json::from(*b as u8),
        Value::Choice(c) => Json::from(*c),
        Value::Text(t) => Json::from(t.clone()),
        other => serde_json::to_value(other).expect("compiled values serialise"),
    }
}

/// The `catalogue` reference of a report file, read before the file is checked (the catalogue is
/// needed to check it).
pub fn catalogue_ref(text: &str) -> Option<String> {
    let v: Json = serde_json::from_str(text).ok()?;
    v.get("catalogue")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod score_tests {
    use super::*;

    fn score() -> Indicator {
        let text = r#"
[catalogue]
id = "t"
version = "1"
name = "Thử"

[[forms]]
number = 1
name = "Biểu 1"

[[indicators]]
code = "1.1"
name = "Điểm Chỉ số CCHC được công bố"
unit = "Điểm"
kind = "score"
"#;
        let cat = cchc_catalogue::resolve(cchc_catalogue::parse(text).unwrap(), &cchc_catalogue::CatalogueSource(vec![])).unwrap();
        cat.indicator("1.1").unwrap().clone()
    }

    #[test]
    fn a_score_is_points_from_0_to_100_with_two_decimals_at_most() {
        let ind = score();
        assert_eq!(parse_value(&Json::String("85,52".into()), &ind), Ok(Value::Dec("85.52".parse().unwrap())));
        assert_eq!(parse_value(&serde_json::json!(100), &ind), Ok(Value::Dec(100.into())));
        for bad in [serde_json::json!("abc"), serde_json::json!(100.5), serde_json::json!(-1), serde_json::json!("85,525")] {
            let err = parse_value(&bad, &ind).unwrap_err();
            assert!(err.contains("điểm phải là số từ 0 đến 100"), "{bad}: {err}");
        }
        assert_eq!(ind.rollup_rule(), cchc_catalogue::Rollup::Own, "a score is never summed");
    }
}
