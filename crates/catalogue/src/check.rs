//! Structural checks of a catalogue: everything an indicator or rule names must exist.

use std::collections::BTreeSet;

use thiserror::Error;

use crate::expr::parse_expr;
use crate::model::{Catalogue, Kind, Operator, Rule};

/// A catalogue that cannot be used. Messages are Vietnamese and name the indicator or rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CatalogueError {
    #[error("Tệp bộ chỉ tiêu sai cú pháp: {0}")]
    Syntax(String),
    #[error("Không tìm thấy bộ chỉ tiêu cha {0}")]
    UnknownParent(String),
    #[error("Bộ chỉ tiêu kế thừa vòng tròn qua {0}")]
    CyclicExtends(String),
    #[error("{0}")]
    Invalid(String),
}

/// Checks a resolved catalogue and returns every problem found (empty when it is usable).
pub fn check(c: &Catalogue) -> Vec<String> {
    let mut problems = Vec::new();
    check_forms_and_dimensions(c, &mut problems);
    let mut seen = BTreeSet::new();
    for ind in &c.indicators {
        if !seen.insert(ind.code.as_str()) {
            problems.push(format!("Chỉ tiêu {}: mã bị trùng", ind.code));
        }
        check_indicator(c, ind, &mut problems);
    }
    let mut rule_ids = BTreeSet::new();
    for rule in &c.rules {
        if !rule_ids.insert(rule.id.as_str()) {
            problems.push(format!("Quy tắc {}: mã bị trùng", rule.id));
        }
        check_rule(c, rule, &mut problems);
    }
    problems
}

fn check_forms_and_dimensions(c: &Catalogue, problems: &mut Vec<String>) {
    let mut numbers = BTreeSet::new();
    for f in &c.forms {
        if !numbers.insert(f.number) {
            problems.push(format!("Biểu mẫu {}: số bị trùng", f.number));
        }
    }
    for d in &c.dimensions {
        let mut ids = BTreeSet::new();
        for v in &d.values {
            if !ids.insert(v.id.as_str()) {
                problems.push(format!("Chiều phân tổ {}: giá trị {} bị trùng", d.id, v.id));
            }
        }
    }
}

fn check_indicator(c: &Catalogue, ind: &crate::Indicator, problems: &mut Vec<String>) {
    let at = format!("Chỉ tiêu {}", ind.code);
    if !c.forms.iter().any(|f| f.number == ind.form()) {
        problems.push(format!("{at}: không có biểu mẫu số {}", ind.form()));
    }
    if ind.name.trim().is_empty() {
        problems.push(format!("{at}: thiếu tên chỉ tiêu"));
    }
    for s in &ind.splits {
        if c.dimension(s).is_none() {
            problems.push(format!("{at}: chiều phân tổ \"{s}\" không có trong bộ chỉ tiêu"));
        }
    }
    for k in &ind.applies_to {
        if cchc_units::UnitKind::from_slug(k).is_none() {
            problems.push(format!("{at}: loại đơn vị \"{k}\" không hợp lệ"));
        }
    }
    match &ind.kind {
        Kind::Ratio { numerator, denominator } => {
            for (role, code) in [("tử số", numerator), ("mẫu số", denominator)] {
                match c.indicator(code) {
                    None => problems.push(format!("{at}: {role} {code} không có trong bộ chỉ tiêu")),
                    Some(p) if !matches!(p.kind, Kind::Count | Kind::Money) => {
                        problems.push(format!("{at}: {role} {code} phải là chỉ tiêu đếm hoặc tiền"))
                    }
                    Some(p) if !ind.splits.iter().all(|s| p.splits.contains(s)) => {
                        problems.push(format!("{at}: {role} {code} phải có đủ các chiều phân tổ của tỷ lệ"))
                    }
                    _ => {}
                }
            }
        }
        Kind::Choice { options } if options.is_empty() => problems.push(format!("{at}: chỉ tiêu lựa chọn phải có ít nhất một phương án")),
        _ => {}
    }
}

fn check_rule(c: &Catalogue, rule: &Rule, problems: &mut Vec<String>) {
    let at = format!("Quy tắc {}", rule.id);
    for (side, text) in [("vế trái", &rule.left), ("vế phải", &rule.right)] {
        match parse_expr(text) {
            Err(e) => problems.push(format!("{at}, {side}: {e}")),
            Ok(expr) => {
                for r in expr.references() {
                    match c.indicator(&r.code) {
                        None => problems.push(format!("{at}, {side}: chỉ tiêu {} không có", r.code)),
                        Some(ind) if !ind.holds_value() => {
                            problems.push(format!("{at}, {side}: {} là dòng tiêu đề, không có số liệu", r.code))
                        }
                        Some(ind) => {
                            for d in r.split.keys().filter(|d| !ind.splits.contains(d)) {
                                problems.push(format!("{at}, {side}: chỉ tiêu {} không phân tổ theo {d}", r.code));
                            }
                        }
                    }
                }
            }
        }
    }
    let pair = matches!(rule.operator, Operator::CompulsoryPair | Operator::ExclusivePair);
    if rule.missing == crate::MissingStrategy::LowerBound
        && (rule.operator != Operator::Eq || !parse_expr(&rule.right).is_ok_and(|e| e.is_sum_of_refs()))
    {
        problems.push(format!("{at}: chiến lược lower-bound chỉ dùng cho \"tổng == a + b + …\""));
    }
    if rule.message.trim().is_empty() && !pair {
        problems.push(format!("{at}: thiếu thông báo"));
    }
}
