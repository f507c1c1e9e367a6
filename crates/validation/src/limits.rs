//! Plausibility of figures (`[[limits]]` of the catalogue): a figure outside its range, or one
//! that changed by more than a factor against the same period of last year or the previous
//! period (kỳ trước). Both are warnings by default: an unusual figure may be true, and the clerk
//! explains it (giải trình) when sending the report.

use cchc_catalogue::{AutoCheck, Catalogue, Limit};
use cchc_report::{Key, UnitReport};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use crate::eval::Figures;
use crate::{Context, Finding, render};

/// The limits that apply to the report's unit kind.
fn limited<'a>(report: &'a UnitReport, cat: &'a Catalogue) -> impl Iterator<Item = &'a Limit> + 'a {
    cat.limits.iter().filter(|l| l.applies_to_kind(report.unit.kind.slug()))
}

/// "Chỉ tiêu 1.1 "Số văn bản chỉ đạo CCHC đã ban hành""
fn named(cat: &Catalogue, code: &str) -> String {
    format!("Chỉ tiêu {code} \"{}\"", cat.indicator(code).map_or(code, |i| i.name.as_str()))
}

fn decimal(x: f64) -> Decimal {
    Decimal::from_f64(x).unwrap_or_default()
}

/// Figures outside the `min`/`max` of their limit (scaled by the months of the period when the
/// limit is `per_month`).
pub fn ranges(report: &UnitReport, cat: &Catalogue) -> Vec<Finding> {
    let figs = Figures { values: report.values(), catalogue: cat };
    let (first, last) = report.period.month_range();
    let months = Decimal::from(last - first + 1);
    let mut out = Vec::new();
    for limit in limited(report, cat) {
        let key = Key::total(&limit.indicator);
        let Some(value) = figs.number(&key) else { continue };
        let scale = |x: f64| if limit.per_month { decimal(x).saturating_mul(months) } else { decimal(x) };
        let (min, max) = (limit.min.map(scale), limit.max.map(scale));
        let message = match (min, max) {
            (Some(min), _) if value < min => format!("thấp hơn mức tối thiểu hợp lý {}", render::number(min)),
            (_, Some(max)) if value > max => format!("vượt mức tối đa hợp lý {}", render::number(max)),
            _ => continue,
        };
        out.push(Finding {
            rule: AutoCheck::Range.id().into(),
            severity: AutoCheck::Range.default_severity(),
            message: format!(
                "{} ghi {} trong {}, {message}; hãy kiểm tra lại số liệu",
                named(cat, &limit.indicator),
                render::number(value),
                report.period.title_vi()
            ),
            values: vec![(key.to_string(), Some(value))],
        });
    }
    out
}

/// Figures that changed by more than their limit's `change` factor against the same period of
/// last year or the previous period, when the context holds those reports.
pub fn changes(report: &UnitReport, cat: &Catalogue, ctx: Context<'_>) -> Vec<Finding> {
    let now = Figures { values: report.values(), catalogue: cat };
    let last_year = report.period.same_period_last_year();
    let mut bases = vec![(last_year, "cùng kỳ năm trước")];
    if report.period.previous() != last_year {
        bases.push((report.period.previous(), "kỳ trước"));
    }
    let mut out = Vec::new();
    for (period, label) in bases {
        let Some(before) = ctx.earlier.iter().find(|r| r.period == period) else { continue };
        let then = Figures { values: before.values(), catalogue: cat };
        for limit in limited(report, cat) {
            let Some(factor) = limit.change else { continue };
            let key = Key::total(&limit.indicator);
            let (Some(a), Some(b)) = (then.number(&key), now.number(&key)) else { continue };
            if changed_too_much(a, b, factor, limit.change_floor.unwrap_or(0.0)) {
                let when = format!("{label}, {}", period.title_vi());
                out.push(change_finding(cat, &key, (a, &when, &period.to_string()), b));
            }
        }
    }
    out
}

/// Whether `b` is more than `factor` times `a` or less than `a / factor`, the larger of the two
/// being at least `floor` (a change from nothing to something counts when above the floor).
pub fn changed_too_much(a: Decimal, b: Decimal, factor: f64, floor: f64) -> bool {
    let (small, large) = if a <= b { (a, b) } else { (b, a) };
    if large.is_zero() || large < decimal(floor) {
        return false;
    }
    small.is_zero() || small.checked_mul(decimal(factor)).is_some_and(|bound| large > bound)
}

fn change_finding(cat: &Catalogue, key: &Key, (a, when, period): (Decimal, &str, &str), b: Decimal) -> Finding {
    let how = if b > a { "tăng" } else { "giảm" };
    Finding {
        rule: AutoCheck::Change.id().into(),
        severity: AutoCheck::Change.default_severity(),
        message: format!(
            "{} {how} bất thường: {} so với {} ({when}); hãy kiểm tra lại hoặc giải trình",
            named(cat, &key.code),
            render::number(b),
            render::number(a)
        ),
        values: vec![(format!("{key}@{period}"), Some(a)), (key.to_string(), Some(b))],
    }
}
