//! The catalogue's validation rules, evaluated for the total and for every shared split.

use std::collections::BTreeSet;

use cchc_catalogue::expr::{Expr, parse_expr};
use cchc_catalogue::{Catalogue, MissingStrategy, Operator, Rule, Severity};
use cchc_report::{Split, UnitReport};
use rust_decimal::Decimal;

use crate::eval::{Figures, Side, evaluate};
use crate::{Finding, render};

/// Evaluates every rule of the catalogue on the report.
pub fn check(report: &UnitReport, catalogue: &Catalogue) -> Vec<Finding> {
    let figs = Figures { values: report.values(), catalogue };
    let mut out = Vec::new();
    for rule in &catalogue.rules {
        // The catalogue was checked when loaded, so its expressions parse.
        let (Ok(left), Ok(right)) = (parse_expr(&rule.left), parse_expr(&rule.right)) else { continue };
        for at in splits_to_check(rule, &left, &right, report, catalogue) {
            if let Some(f) = check_at(rule, &left, &right, &at, &figs) {
                out.push(f);
            }
        }
    }
    out
}

/// The total, plus (for `per_split` rules) every split present in the report for an indicator
/// the rule names, provided every indicator named without a fixed split has those dimensions.
fn splits_to_check(rule: &Rule, left: &Expr, right: &Expr, report: &UnitReport, cat: &Catalogue) -> Vec<Split> {
    let mut out = vec![Split::new()];
    if !rule.per_split {
        return out;
    }
    let refs: Vec<_> = left.references().into_iter().chain(right.references()).collect();
    let free: BTreeSet<&str> = refs.iter().filter(|r| r.split.is_empty()).map(|r| r.code.as_str()).collect();
    let fixed_dims: BTreeSet<&str> = refs.iter().flat_map(|r| r.split.keys().map(String::as_str)).collect();
    let shared_by_all = |split: &Split| {
        split
            .keys()
            .all(|d| !fixed_dims.contains(d.as_str()) && free.iter().all(|c| cat.indicator(c).is_some_and(|i| i.splits.contains(d))))
    };
    let mut seen = BTreeSet::new();
    for e in &report.entries {
        if free.contains(e.key.code.as_str()) && !e.key.split.is_empty() && shared_by_all(&e.key.split) && seen.insert(e.key.split.clone())
        {
            out.push(e.key.split.clone());
        }
    }
    out
}

fn check_at(rule: &Rule, left: &Expr, right: &Expr, at: &Split, figs: &Figures) -> Option<Finding> {
    let l = evaluate(left, at, figs);
    let r = evaluate(right, at, figs);
    if l.overflow || r.overflow {
        return Some(overflow_finding(rule, at, &l, &r, figs));
    }
    let strategy = strategy_at(rule.missing, at, figs);
    let operator = effective_operator(strategy, rule.operator, &l, &r)?;
    let holds = match operator {
        Operator::CompulsoryPair => (l.missing < l.refs) == (r.missing < r.refs),
        Operator::ExclusivePair => l.missing == l.refs || r.missing == r.refs,
        op => compare(op, l.value?, r.value?),
    };
    (!holds).then(|| {
        let mut f = finding(rule, at, &l, &r, figs);
        // A part counted as 0 was only presumed: the shortfall may be a part the report left
        // out, so it asks an explanation (cảnh báo) rather than blocking the report.
        if strategy == MissingStrategy::PartsAsZero && r.missing > 0 {
            f.severity = f.severity.min(Severity::Warning);
            f.message.push_str(" (các phần không báo cáo được tính là 0)");
        }
        f
    })
}

/// The strategy at a split: at a split by an open dimension (lĩnh vực), whose lists are often
/// partial ("trong đó: đất đai 2.688"), `parts-as-zero` only checks the lower bound, as the
/// structural split-sum check does.
fn strategy_at(missing: MissingStrategy, at: &Split, figs: &Figures) -> MissingStrategy {
    let open = at.keys().any(|d| figs.catalogue.dimension(d).is_some_and(|dim| dim.open));
    if missing == MissingStrategy::PartsAsZero && open { MissingStrategy::LowerBound } else { missing }
}

/// Applies the missing-value strategy: `None` to skip the rule, else the operator to test with.
fn effective_operator(missing: MissingStrategy, operator: Operator, l: &Side, r: &Side) -> Option<Operator> {
    if matches!(operator, Operator::CompulsoryPair | Operator::ExclusivePair) {
        return Some(operator);
    }
    let any_missing = l.missing + r.missing > 0;
    let all_missing = l.missing == l.refs && r.missing == r.refs;
    match missing {
        MissingStrategy::SkipIfAnyMissing if any_missing => None,
        MissingStrategy::SkipIfAllMissing if all_missing => None,
        MissingStrategy::LowerBound if l.missing > 0 || r.missing == r.refs => None,
        // Parts may be unreported; counts are never negative, so the total can only be checked
        // against the parts that are given.
        MissingStrategy::LowerBound if r.missing > 0 => Some(Operator::Ge),
        // The total and some parts are stated: a part left out is a zero the report did not
        // write, so the sum must hold exactly (a total above its stated parts is a mistake).
        MissingStrategy::PartsAsZero if l.missing > 0 || r.missing == r.refs => None,
        _ => Some(operator),
    }
}

fn compare(op: Operator, l: Decimal, r: Decimal) -> bool {
    match op {
        Operator::Eq => l == r,
        Operator::Ne => l != r,
        Operator::Lt => l < r,
        Operator::Le => l <= r,
        Operator::Gt => l > r,
        Operator::Ge => l >= r,
        Operator::CompulsoryPair | Operator::ExclusivePair => true,
    }
}

/// A rule that cannot be checked because a sum or product of its figures goes beyond what a
/// decimal holds (28 digits): an error naming the rule and its figures, never a panic nor a rule
/// silently passed.
fn overflow_finding(rule: &Rule, at: &Split, l: &Side, r: &Side, figs: &Figures) -> Finding {
    let side = if l.overflow { l } else { r };
    Finding {
        rule: rule.id.clone(),
        severity: Severity::Error,
        message: format!(
            "{}Không kiểm tra được quy tắc \"{}\": phép tính {} vượt quá giới hạn của một số liệu; hãy kiểm tra lại các số liệu này",
            render::place(at, figs.catalogue),
            rule.name,
            side.terms
        ),
        values: l.figures.iter().chain(&r.figures).cloned().collect(),
    }
}

fn finding(rule: &Rule, at: &Split, l: &Side, r: &Side, figs: &Figures) -> Finding {
    let show = |s: &Side| s.value.map(render::number).unwrap_or_else(|| "(chưa báo cáo)".into());
    let place = render::place(at, figs.catalogue);
    let message = render::fill(
        &rule.message,
        &[("where", &place), ("left", &show(l)), ("right", &show(r)), ("left_terms", &l.terms), ("right_terms", &r.terms)],
    );
    Finding { rule: rule.id.clone(), severity: rule.severity, message, values: l.figures.iter().chain(&r.figures).cloned().collect() }
}
