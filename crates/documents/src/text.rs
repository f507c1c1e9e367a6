//! Sentences generated from a report's figures, driven by the sentence templates of the
//! report's catalogue version (`[[documents.sentences]]`, docs/catalogue-format.md), so a
//! province's variant brings its own phrasing without a rebuild.

use cchc_catalogue::{Catalogue, Kind, SentenceTemplate};
use cchc_report::{Key, Split, UnitReport};
use rust_decimal::Decimal;

use crate::narrative::FigureBlock;

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
    let templates: Vec<&SentenceTemplate> = inputs.catalogue.documents.sentences.iter().filter(|t| t.section == section).collect();
    write(&templates, None, inputs)
}

/// The templates a figure block placed in section `here` names: its own section's, another
/// section's (`II.2`) or one template by id.
pub fn block_templates<'a>(block: &FigureBlock, here: &str, catalogue: &'a Catalogue) -> Vec<&'a SentenceTemplate> {
    let name = block.name.as_deref().unwrap_or(here);
    catalogue.documents.sentences.iter().filter(|t| t.section == name || t.id == name).collect()
}

/// The sentences of a figure block placed in section `here` (docs/narrative-format.md).
pub fn block_sentences(block: &FigureBlock, here: &str, inputs: &Inputs<'_>) -> Vec<String> {
    write(&block_templates(block, here, inputs.catalogue), block.level.as_deref(), inputs)
}

/// The sentences of templates, each for the total and the levels it is written for, or only
/// for the level named ("cấp xã", or "tổng" for the unit as a whole).
pub fn write(templates: &[&SentenceTemplate], level: Option<&str>, inputs: &Inputs<'_>) -> Vec<String> {
    let figures = Figures { report: inputs.report, catalogue: inputs.catalogue };
    let mut out = Vec::new();
    for t in templates {
        let splits = match level {
            None => places(t, inputs.report),
            Some(name) => named_level(name, inputs.catalogue).into_iter().collect(),
        };
        for split in splits {
            if let Some(s) = render(&t.text, &split, &figures, inputs) {
                out.push(s);
            }
        }
    }
    out
}

/// The split of a level named in a figure block: "tổng" the total, else the level whose
/// catalogue name or id it is (case aside); `None` when no level has that name.
fn named_level(name: &str, catalogue: &Catalogue) -> Option<Split> {
    let name = name.trim().to_lowercase();
    if name == "tổng" || name == "tổng số" {
        return Some(Split::new());
    }
    let level = catalogue.dimension("level")?.values.iter().find(|v| v.id.to_lowercase() == name || v.name.to_lowercase() == name)?;
    Some(Split::from([("level".to_string(), level.id.clone())]))
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
    report: &'a UnitReport,
    catalogue: &'a Catalogue,
}

impl Figures<'_> {
    /// The number of a key as the appendix prints it (one figure, one value in the document): a
    /// ratio computed from its parts, else the stated figure; and whether it is a percentage.
    fn number(&self, key: &Key) -> Option<(Decimal, bool)> {
        let ind = self.catalogue.indicator(&key.code)?;
        let percent = matches!(ind.kind, Kind::Ratio { .. } | Kind::Percent);
        crate::appendix::figure(self.report, ind, key).and_then(|v| v.number()).map(|v| (v, percent))
    }
}

/// Counts as reports write them in sentences: 8.803, "09" from one to nine, and 0 (never "00").
pub fn count_text(d: Decimal) -> String {
    match i64::try_from(d) {
        Ok(n) if d.fract().is_zero() && (1..10).contains(&n) => format!("{n:02}"),
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
        out.push_str(&fill(&rest[..open], at, figs, inputs)?.0);
        let close = optional_end(rest, open)?;
        // An optional part prints when its figures are given; one whose figures all read 0 for
        // "not reported" (`{3.5.4:0}`) prints only if at least one of them is reported.
        if let Some((part, reported)) = fill(&rest[open + 1..close], at, figs, inputs)
            && reported
        {
            out.push_str(&part);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(&fill(rest, at, figs, inputs)?.0);
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
/// Fills the placeholders of a piece of text; `None` if one has no figure. The flag tells
/// whether the text has no figure placeholder or at least one reported figure.
fn fill(text: &str, at: &Split, figs: &Figures, inputs: &Inputs<'_>) -> Option<(String, bool)> {
    let mut out = String::new();
    let mut rest = text;
    let (mut figures, mut reported) = (0, 0);
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map(|c| open + c)?;
        let (filled, given) = placeholder(&rest[open + 1..close], at, figs, inputs)?;
        figures += 1;
        reported += usize::from(given);
        out.push_str(&filled);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some((out, figures == 0 || reported > 0))
}

/// A placeholder's text, and whether it is a reported figure (`{3.5.4:0}` reads 0 when not).
fn placeholder(p: &str, at: &Split, figs: &Figures, inputs: &Inputs<'_>) -> Option<(String, bool)> {
    if p == "where" {
        let level = at.get("level")?;
        return Some((figs.catalogue.dimension_value_name("level", level).to_string(), true));
    }
    let (key_text, modifier) = match p.split_once(':') {
        Some((k, m)) => (k, Some(m)),
        None => (p, None),
    };
    let mut key = Key::parse(key_text)?;
    key.split.extend(at.iter().map(|(k, v)| (k.clone(), v.clone())));
    match (modifier, figs.number(&key)) {
        (Some("cmp"), _) => Some((comparison(&key, figs, inputs), true)),
        (_, Some(n)) => Some((show(n), true)),
        (Some("0"), None) => Some(("0".to_string(), false)),
        (_, None) => None,
    }
}

/// ", tăng 1,20 điểm phần trăm so với cùng kỳ năm 2021; tăng 0,50 điểm phần trăm so với kỳ trước
/// (6 tháng cuối năm 2021)": each comparison whose data is given, or nothing.
fn comparison(key: &Key, figs: &Figures, inputs: &Inputs<'_>) -> String {
    let Some((now, percent)) = figs.number(key) else { return String::new() };
    let earlier = [(inputs.last_year, true), (inputs.previous_period, false)];
    let mut parts = Vec::new();
    for (report, same_period) in earlier {
        let Some(r) = report else { continue };
        let Some((then, _)) = (Figures { report: r, catalogue: figs.catalogue }).number(key) else { continue };
        let against =
            if same_period { format!("cùng kỳ năm {}", r.period.year) } else { format!("kỳ trước ({})", r.period.title_vi()) };
        // Figures too large to subtract are not compared.
        let Some(diff) = now.checked_sub(then) else { continue };
        let verb = if diff.is_sign_negative() { "giảm" } else { "tăng" };
        let amount = if percent {
            let mut points = cchc_format::round_half_up(diff.abs(), 2);
            points.rescale(2);
            format!("{} điểm phần trăm", cchc_format::decimal(points))
        } else {
            let unit = figs.catalogue.indicator(&key.code).map_or(String::new(), |i| format!(" {}", i.unit.to_lowercase()));
            // The change in percent, when it can be computed.
            let (change, hundred) = (diff.abs(), Decimal::ONE_HUNDRED);
            let rel = (!then.is_zero())
                .then(|| {
                    change.checked_mul(hundred).and_then(|x| x.checked_div(then)).or_else(|| change.checked_div(then)?.checked_mul(hundred))
                })
                .flatten()
                .map_or_else(String::new, |p| format!(" ({})", cchc_format::percent(p)));
            format!("{}{unit}{rel}", count_text(diff.abs()))
        };
        parts.push(if diff.is_zero() { format!("bằng {against}") } else { format!("{verb} {amount} so với {against}") });
    }
    if parts.is_empty() { String::new() } else { format!(", {}", parts.join("; ")) }
}
