//! Checks that follow from the catalogue's structure; no rule needs to be written for them.

use std::collections::BTreeMap;

use cchc_catalogue::{AutoCheck, Catalogue, Indicator, Kind};
use cchc_report::{Entry, Key, Qualifier, UnitReport, Value};
use rust_decimal::Decimal;

use crate::eval::Figures;
use crate::{Context, Finding, render};

/// All structural checks.
pub fn check(report: &UnitReport, cat: &Catalogue, ctx: Context<'_>) -> Vec<Finding> {
    let figs = Figures { values: report.values(), catalogue: cat };
    let mut out = conflicting_statements(report, cat);
    out.extend(split_sums(cat, &figs));
    out.extend(ratio_bounds(cat, &figs));
    out.extend(stated_ratios(report, cat, &figs));
    out.extend(percent_bounds(report, cat));
    out.extend(cumulative_falls(report, cat, ctx));
    with_catalogue_severity(out, cat)
}

/// Each finding at the severity the catalogue sets for its check; a check turned off drops its
/// findings.
pub(crate) fn with_catalogue_severity(findings: Vec<Finding>, cat: &Catalogue) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut f| {
            if let Some(check) = AutoCheck::from_id(&f.rule) {
                f.severity = cat.severity_of(check)?;
            }
            Some(f)
        })
        .collect()
}

fn name_of<'a>(cat: &'a Catalogue, code: &'a str) -> &'a str {
    cat.indicator(code).map_or(code, |i| i.name.as_str())
}

/// A ratio named once: its name when the name says "Tỷ lệ …" (as the forms' names do), else
/// `Tỷ lệ "name"`.
pub(crate) fn ratio_label(name: &str) -> String {
    if name.to_lowercase().starts_with("tỷ lệ") { name.to_string() } else { format!("Tỷ lệ \"{name}\"") }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// The same figure stated twice with different values (text and appendix disagree).
fn conflicting_statements(report: &UnitReport, cat: &Catalogue) -> Vec<Finding> {
    let mut by_key: BTreeMap<&Key, Vec<&Entry>> = BTreeMap::new();
    for e in report.entries.iter().filter(|e| e.value.is_some() && e.qualifier.is_none()) {
        by_key.entry(&e.key).or_default().push(e);
    }
    let mut out = Vec::new();
    for (key, entries) in by_key {
        let first = entries[0];
        for other in entries.iter().skip(1).filter(|o| !same_value(o.value.as_ref(), first.value.as_ref())) {
            let shown = |e: &Entry| {
                let v = e.value.as_ref().map(Value::display).unwrap_or_default();
                e.source.as_ref().map_or(v.clone(), |s| format!("{v} ({s})"))
            };
            out.push(Finding {
                rule: AutoCheck::Conflict.id().into(),
                severity: AutoCheck::Conflict.default_severity(),
                message: format!(
                    "{}Chỉ tiêu {} \"{}\" được ghi hai số liệu khác nhau: {} và {}",
                    render::place(&key.split, cat),
                    key.code,
                    name_of(cat, &key.code),
                    shown(first),
                    shown(other)
                ),
                values: [first, other].iter().map(|e| (key.to_string(), e.value.as_ref().and_then(Value::number))).collect(),
            });
        }
    }
    out
}

/// Two statements agree when equal, or for decimals when the more precise one rounds (half-up)
/// to the less precise one: "92,86" and "92,9" state the same percentage.
fn same_value(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a.and_then(Value::number), b.and_then(Value::number)) {
        (Some(x), Some(y)) => {
            let scale = x.scale().min(y.scale());
            cchc_format::round_half_up(x, scale) == cchc_format::round_half_up(y, scale)
        }
        _ => a == b,
    }
}

/// Splits of an additive indicator must not add up to more than their total; when a closed
/// dimension is given in full, they must add up to exactly the total. A report may list only
/// some lĩnh vực ("trong đó: đất đai 2.688"), which is why fewer parts are not an error.
fn split_sums(cat: &Catalogue, figs: &Figures) -> Vec<Finding> {
    let mut groups: BTreeMap<(Key, &str), Vec<(&str, Decimal)>> = BTreeMap::new();
    for (key, value) in &figs.values {
        let Some(ind) = cat.indicator(&key.code).filter(|i| matches!(i.kind, Kind::Count | Kind::Money)) else { continue };
        let Some(n) = value.number() else { continue };
        for (dim, val) in &key.split {
            let mut total = (*key).clone();
            total.split.remove(dim);
            if ind.splits.contains(dim) {
                groups.entry((total, dim.as_str())).or_default().push((val.as_str(), n));
            }
        }
    }
    let mut out = Vec::new();
    for ((total_key, dim), mut parts) in groups {
        let Some(total) = figs.values.get(&total_key).and_then(|v| v.number()) else { continue };
        // Show the parts in the dimension's own order (cấp tỉnh, cấp huyện, cấp xã).
        let order = |v: &str| cat.dimension(dim).and_then(|d| d.values.iter().position(|x| x.id == v)).unwrap_or(usize::MAX);
        parts.sort_by(|a, b| (order(a.0), a.0).cmp(&(order(b.0), b.0)));
        // `None`: the parts add up beyond what a decimal holds, so beyond any total.
        let sum = parts.iter().try_fold(Decimal::ZERO, |s, (_, n)| s.checked_add(*n));
        let complete = cat.dimension(dim).is_some_and(|d| !d.open && d.values.iter().all(|v| parts.iter().any(|(p, _)| *p == v.id)));
        if sum.is_none_or(|sum| sum > total || (complete && sum != total)) {
            out.push(split_sum_finding(cat, &total_key, dim, &parts, sum, total));
        }
    }
    out
}

fn split_sum_finding(
    cat: &Catalogue,
    total_key: &Key,
    dim: &str,
    parts: &[(&str, Decimal)],
    sum: Option<Decimal>,
    total: Decimal,
) -> Finding {
    let terms: Vec<String> = parts.iter().map(|(_, n)| render::number(*n)).collect();
    let dim_name = cat.dimension(dim).map_or(dim, |d| d.name.as_str()).to_lowercase();
    let mut values: Vec<(String, Option<Decimal>)> = parts
        .iter()
        .map(|(v, n)| {
            let mut k = total_key.clone();
            k.split.insert(dim.to_string(), v.to_string());
            (k.to_string(), Some(*n))
        })
        .collect();
    values.push((total_key.to_string(), Some(total)));
    Finding {
        rule: AutoCheck::SplitSum.id().into(),
        severity: AutoCheck::SplitSum.default_severity(),
        message: format!(
            "{}Chỉ tiêu {} \"{}\": cộng theo {dim_name} {} = {}, khác tổng số {}",
            render::place(&total_key.split, cat),
            total_key.code,
            name_of(cat, &total_key.code),
            terms.join(" + "),
            sum.map_or_else(|| "một số vượt quá giới hạn của một số liệu".into(), render::number),
            render::number(total)
        ),
        values,
    }
}

/// Keys at which a ratio could be computed: every split where its denominator is reported.
fn ratio_keys<'a>(ind: &'a Indicator, figs: &'a Figures) -> impl Iterator<Item = (Key, &'a str, &'a str)> + 'a {
    let Kind::Ratio { numerator, denominator } = &ind.kind else { unreachable!("ratios only") };
    figs.values
        .keys()
        .filter(move |k| &k.code == denominator)
        .map(move |k| (k.with_code(&ind.code), numerator.as_str(), denominator.as_str()))
}

/// A ratio above 100%: its numerator exceeds its denominator.
fn ratio_bounds(cat: &Catalogue, figs: &Figures) -> Vec<Finding> {
    let mut out = Vec::new();
    for ind in cat.indicators.iter().filter(|i| matches!(i.kind, Kind::Ratio { .. })) {
        let mut keys: Vec<_> = ratio_keys(ind, figs).collect();
        keys.sort();
        for (key, num, den) in keys {
            let (Some(n), Some(d)) = (figs.number(&key.with_code(num)), figs.number(&key.with_code(den))) else { continue };
            if n > d {
                out.push(Finding {
                    rule: AutoCheck::RatioBound.id().into(),
                    severity: AutoCheck::RatioBound.default_severity(),
                    message: format!(
                        "{}{} vượt 100%: {} {} lớn hơn {} {}",
                        render::place(&key.split, cat),
                        ratio_label(&ind.name),
                        lower_first(name_of(cat, num)),
                        render::number(n),
                        lower_first(name_of(cat, den)),
                        render::number(d)
                    ),
                    values: vec![(key.with_code(num).to_string(), Some(n)), (key.with_code(den).to_string(), Some(d))],
                });
            }
        }
    }
    out
}

/// What the document prints for a stated ratio that differs from its parts: the computed value,
/// unless the office chose the stated one (a claim like "trên 80%" is printed as a claim).
fn printed(report: &UnitReport, e: &cchc_report::Entry) -> &'static str {
    match (e.qualifier, report.document.keeps_stated(&e.key)) {
        (Some(_), _) => "",
        (None, true) => "; văn bản in số đã ghi theo lựa chọn của đơn vị",
        (None, false) => "; văn bản in số tính được",
    }
}

/// A ratio stated in the report (or a claim like "trên 80%") that is not what its counts give.
/// The computed ratio is rounded half-up to as many decimals as the statement has.
fn stated_ratios(report: &UnitReport, cat: &Catalogue, figs: &Figures) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in &report.entries {
        let Some(ind) = cat.indicator(&e.key.code) else { continue };
        let Kind::Ratio { numerator, denominator } = &ind.kind else { continue };
        let Some(Value::Dec(stated)) = &e.value else { continue };
        let (Some(n), Some(d)) = (figs.number(&e.key.with_code(numerator)), figs.number(&e.key.with_code(denominator))) else {
            out.push(ratio_without_counts(e, ind, cat, figs, *stated));
            continue;
        };
        // A zero denominator, or counts too large to compute with.
        let Some(exact) = crate::eval::percent_of(n, d) else { continue };
        if claim_holds(*stated, exact, e.qualifier) {
            continue;
        }
        let claim = e.qualifier.map(|q| format!("{} ", q.name_vi())).unwrap_or_default();
        let src = e.source.as_ref().map(|s| format!(" ({s})")).unwrap_or_default();
        out.push(Finding {
            rule: AutoCheck::StatedRatio.id().into(),
            severity: AutoCheck::StatedRatio.default_severity(),
            message: format!(
                "{}{} ghi {claim}{}%{src} nhưng tính từ {}/{} là {}{}",
                render::place(&e.key.split, cat),
                ratio_label(&ind.name),
                // As stated, keeping its decimals: "42,30".
                cchc_format::decimal(*stated),
                render::number(n),
                render::number(d),
                render::percent(exact),
                printed(report, e)
            ),
            values: vec![
                (e.key.to_string(), Some(*stated)),
                (e.key.with_code(numerator).to_string(), Some(n)),
                (e.key.with_code(denominator).to_string(), Some(d)),
            ],
        });
    }
    out
}

/// A ratio stated without the counts it is computed from: accepted (it cannot be checked), with
/// a finding naming each count missing so that the clerk can add them.
fn ratio_without_counts(e: &Entry, ind: &Indicator, cat: &Catalogue, figs: &Figures, stated: Decimal) -> Finding {
    let Kind::Ratio { numerator, denominator } = &ind.kind else { unreachable!("ratios only") };
    let missing: Vec<String> = [numerator, denominator]
        .into_iter()
        .filter(|code| figs.number(&e.key.with_code(code)).is_none())
        .map(|code| format!("{code} \"{}\"", name_of(cat, code)))
        .collect();
    let claim = e.qualifier.map(|q| format!("{} ", q.name_vi())).unwrap_or_default();
    Finding {
        rule: AutoCheck::RatioWithoutCounts.id().into(),
        severity: AutoCheck::RatioWithoutCounts.default_severity(),
        message: format!(
            "{}{} ghi {claim}{}% nhưng thiếu số liệu để tính lại: {}",
            render::place(&e.key.split, cat),
            ratio_label(&ind.name),
            cchc_format::decimal(stated),
            missing.join(" và ")
        ),
        values: std::iter::once((e.key.to_string(), Some(stated)))
            .chain([numerator, denominator].into_iter().map(|c| (e.key.with_code(c).to_string(), figs.number(&e.key.with_code(c)))))
            .collect(),
    }
}

fn claim_holds(stated: Decimal, exact: Decimal, q: Option<Qualifier>) -> bool {
    match q {
        None => cchc_format::round_half_up(exact, stated.scale()) == stated,
        Some(Qualifier::Above) => exact > stated,
        Some(Qualifier::AtLeast) => exact >= stated,
        Some(Qualifier::Below) => exact < stated,
        Some(Qualifier::AtMost) => exact <= stated,
        Some(Qualifier::About) => exact.checked_sub(stated).is_some_and(|d| d.abs() <= Decimal::ONE),
    }
}

/// A percentage (stated ratio or typed percent) above 100.
fn percent_bounds(report: &UnitReport, cat: &Catalogue) -> Vec<Finding> {
    report
        .entries
        .iter()
        .filter(|e| cat.indicator(&e.key.code).is_some_and(|i| matches!(i.kind, Kind::Ratio { .. } | Kind::Percent)))
        .filter_map(|e| match &e.value {
            Some(Value::Dec(p)) if *p > Decimal::from(100) && e.qualifier.is_none() => Some(Finding {
                rule: AutoCheck::PercentBound.id().into(),
                severity: AutoCheck::PercentBound.default_severity(),
                message: format!(
                    "{}{} ghi {}%, vượt quá 100%",
                    render::place(&e.key.split, cat),
                    ratio_label(name_of(cat, &e.key.code)),
                    render::number(*p)
                ),
                values: vec![(e.key.to_string(), Some(*p))],
            }),
            _ => None,
        })
        .collect()
}

/// A cumulative (lũy kế) figure cannot fall between two periods of the same year.
fn cumulative_falls(report: &UnitReport, cat: &Catalogue, ctx: Context<'_>) -> Vec<Finding> {
    let now = report.values();
    let mut out = Vec::new();
    let earlier = ctx.earlier.iter().filter(|e| {
        e.unit.code == report.unit.code && e.period.year == report.period.year && e.period.month_range().1 < report.period.month_range().1
    });
    for before in earlier {
        let then = before.values();
        let mut keys: Vec<&&Key> = now.keys().collect();
        keys.sort();
        for key in keys {
            if !cat.indicator(&key.code).is_some_and(|i| i.cumulative && matches!(i.kind, Kind::Count | Kind::Money)) {
                continue;
            }
            let (Some(a), Some(b)) = (then.get(*key).and_then(|v| v.number()), now[*key].number()) else { continue };
            if b < a {
                out.push(cumulative_finding(cat, key, &before.period.to_string(), a, b));
            }
        }
    }
    out
}

fn cumulative_finding(cat: &Catalogue, key: &Key, earlier: &str, a: Decimal, b: Decimal) -> Finding {
    Finding {
        rule: AutoCheck::Cumulative.id().into(),
        severity: AutoCheck::Cumulative.default_severity(),
        message: format!(
            "{}Chỉ tiêu lũy kế {} \"{}\" giảm từ {} (kỳ {earlier}) xuống {} trong cùng năm",
            render::place(&key.split, cat),
            key.code,
            name_of(cat, &key.code),
            render::number(a),
            render::number(b)
        ),
        values: vec![(format!("{key}@{earlier}"), Some(a)), (key.to_string(), Some(b))],
    }
}
