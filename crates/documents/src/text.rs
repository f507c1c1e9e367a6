//! Sentences generated from a report's figures, driven by the sentence templates of the
//! report's catalogue version (`[[documents.sentences]]`, docs/catalogue-format.md), so a
//! province's variant brings its own phrasing without a rebuild.

use std::collections::HashMap;

use cchc_catalogue::{Catalogue, Kind, SentenceTemplate};
use cchc_report::{Key, Split, UnitReport, Value};
use rust_decimal::Decimal;

/// What the sentences are written from: the report, and when available the same period of the
/// previous year and the previous period, for comparisons. For a unit created by a merger the
/// caller passes the predecessors' reports already compiled into one (see `cchc-rollup`).
pub struct Inputs<'a> {
    pub report: &'a UnitReport,
    pub catalogue: &'a Catalogue,
    pub last_year: Option<&'a UnitReport>,
    pub previous_period: Option<&'a UnitReport>,
}

/// The generated sentences of a section, in the order of the catalogue's templates.
pub fn section_sentences(section: &str, inputs: &Inputs<'_>) -> Vec<String> {
    let figures = Figures::of(inputs.report, inputs.catalogue);
    let mut out = Vec::new();
    for t in inputs.catalogue.documents.sentences.iter().filter(|t| t.section == section) {
        for split in places(t, inputs.report) {
            if let Some(s) = render(&t.text, &split, &figures, inputs) {
                out.push(s);
            }
        }
    }
    out
}

/// The total, then each level the report splits the sentence's first figure by, unless that
/// would only repeat the total.
fn places(t: &SentenceTemplate, report: &UnitReport) -> Vec<Split> {
    let mut out = vec![Split::new()];
    if !t.per_level {
        return out;
    }
    let first = t.text.split('{').nth(1).and_then(|s| s.split('}').next()).unwrap_or("");
    let code = first.split(['[', ':']).next().unwrap_or("");
    let mut levels: Vec<&String> =
        report.entries.iter().filter(|e| e.key.code == code && e.key.split.len() == 1).filter_map(|e| e.key.split.get("level")).collect();
    levels.sort();
    levels.dedup();
    // One level alone, next to a stated total, is the total again (a commune's figures are all
    // cấp xã); without a total it is the only statement (a district reporting cấp huyện only).
    if levels.len() > 1 || report.value(&Key::total(code)).is_none() {
        out.extend(levels.into_iter().map(|l| Split::from([("level".to_string(), l.clone())])));
    }
    out
}

struct Figures<'a> {
    values: HashMap<&'a Key, &'a Value>,
    catalogue: &'a Catalogue,
}

impl<'a> Figures<'a> {
    fn of(r: &'a UnitReport, catalogue: &'a Catalogue) -> Self {
        Figures { values: r.values(), catalogue }
    }

    /// The number of a key: a count, or a ratio computed from its parts (its stated value only
    /// when the parts are not reported).
    fn number(&self, key: &Key) -> Option<(Decimal, bool)> {
        if let Some(Kind::Ratio { numerator, denominator }) = self.catalogue.indicator(&key.code).map(|i| &i.kind) {
            let n = self.values.get(&key.with_code(numerator)).and_then(|v| v.number());
            let d = self.values.get(&key.with_code(denominator)).and_then(|v| v.number());
            if let (Some(n), Some(d)) = (n, d)
                && !d.is_zero()
            {
                return Some((cchc_format::round_half_up(n * Decimal::from(100) / d, 2), true));
            }
            return self.values.get(key).and_then(|v| v.number()).map(|v| (v, true));
        }
        let percent = matches!(self.catalogue.indicator(&key.code).map(|i| &i.kind), Some(Kind::Percent));
        self.values.get(key).and_then(|v| v.number()).map(|v| (v, percent))
    }
}

/// Counts as reports write them in sentences: 8.803, and "09" under ten.
pub fn count_text(d: Decimal) -> String {
    match i64::try_from(d) {
        Ok(n) if d.fract().is_zero() && (0..10).contains(&n) => format!("{n:02}"),
        Ok(n) if d.fract().is_zero() => cchc_format::int(n),
        _ => cchc_format::decimal(d),
    }
}

fn show((v, percent): (Decimal, bool)) -> String {
    if percent { cchc_format::percent(v) } else { count_text(v) }
}

/// Renders a template at a split; `None` when a figure outside the optional parts is missing.
fn render(text: &str, at: &Split, figs: &Figures, inputs: &Inputs<'_>) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = optional_start(rest) {
        out.push_str(&fill(&rest[..open], at, figs, inputs)?);
        let close = optional_end(rest, open)?;
        if let Some(part) = fill(&rest[open + 1..close], at, figs, inputs) {
            out.push_str(&part);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(&fill(rest, at, figs, inputs)?);
    Some(out)
}

/// The next `[` that opens an optional part (not one inside a `{…[dim=value]}` placeholder).
fn optional_start(text: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            '[' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// The `]` closing the optional part opened at `open`.
fn optional_end(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in text[open + 1..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ']' if depth == 0 => return Some(open + 1 + i),
            _ => {}
        }
    }
    None
}

/// Fills the placeholders of a piece of text; `None` if one has no figure.
fn fill(text: &str, at: &Split, figs: &Figures, inputs: &Inputs<'_>) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map(|c| open + c)?;
        out.push_str(&placeholder(&rest[open + 1..close], at, figs, inputs)?);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

fn placeholder(p: &str, at: &Split, figs: &Figures, inputs: &Inputs<'_>) -> Option<String> {
    if p == "where" {
        let level = at.get("level")?;
        return Some(figs.catalogue.dimension_value_name("level", level).to_string());
    }
    let (key_text, cmp) = match p.split_once(':') {
        Some((k, "cmp")) => (k, true),
        _ => (p, false),
    };
    let mut key = Key::parse(key_text)?;
    key.split.extend(at.iter().map(|(k, v)| (k.clone(), v.clone())));
    if cmp {
        return Some(comparison(&key, figs, inputs));
    }
    figs.number(&key).map(show)
}

/// ", tăng 1,20 điểm phần trăm so với cùng kỳ năm 2021; tăng 0,50 điểm phần trăm so với kỳ trước
/// (6 tháng cuối năm 2021)": each comparison whose data is given, or nothing.
fn comparison(key: &Key, figs: &Figures, inputs: &Inputs<'_>) -> String {
    let Some((now, percent)) = figs.number(key) else { return String::new() };
    let earlier = [(inputs.last_year, true), (inputs.previous_period, false)];
    let mut parts = Vec::new();
    for (report, same_period) in earlier {
        let Some(r) = report else { continue };
        let Some((then, _)) = Figures::of(r, figs.catalogue).number(key) else { continue };
        let against =
            if same_period { format!("cùng kỳ năm {}", r.period.year) } else { format!("kỳ trước ({})", r.period.title_vi()) };
        let diff = now - then;
        let verb = if diff.is_sign_negative() { "giảm" } else { "tăng" };
        let amount = if percent {
            let mut points = cchc_format::round_half_up(diff.abs(), 2);
            points.rescale(2);
            format!("{} điểm phần trăm", cchc_format::decimal(points))
        } else {
            let unit = figs.catalogue.indicator(&key.code).map_or(String::new(), |i| format!(" {}", i.unit.to_lowercase()));
            let rel = if !then.is_zero() {
                format!(" ({})", cchc_format::percent(diff.abs() * Decimal::from(100) / then))
            } else {
                Default::default()
            };
            format!("{}{unit}{rel}", count_text(diff.abs()))
        };
        parts.push(if diff.is_zero() { format!("bằng {against}") } else { format!("{verb} {amount} so với {against}") });
    }
    if parts.is_empty() { String::new() } else { format!(", {}", parts.join("; ")) }
}
