//! Structural checks of a catalogue: everything an indicator or rule names must exist.

use std::collections::BTreeSet;

use thiserror::Error;

use crate::checks::AutoCheck;
use crate::expr::{Reference, parse_expr, parse_reference_body};
use crate::model::{Catalogue, Kind, Operator, RULE_MESSAGE_PLACEHOLDERS, Rule};
use crate::template::placeholders;

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
    check_documents(c, &mut problems);
    check_severities(c, &mut problems);
    let mut ids = BTreeSet::new();
    check_required(c, &mut ids, &mut problems);
    check_limits(c, &mut ids, &mut problems);
    problems
}

/// `[severity]` names automatic checks only.
fn check_severities(c: &Catalogue, problems: &mut Vec<String>) {
    for id in c.severity.keys().filter(|id| AutoCheck::from_id(id).is_none()) {
        let known: Vec<&str> = AutoCheck::ALL.iter().map(|a| a.id()).collect();
        problems.push(format!("Mức độ (severity): \"{id}\" không phải là kiểm tra tự động; các kiểm tra có: {}", known.join(", ")));
    }
}

/// Unit kinds as `applies_to` writes them.
fn check_unit_kinds(at: &str, kinds: &[String], problems: &mut Vec<String>) {
    for k in kinds.iter().filter(|k| cchc_units::UnitKind::from_slug(k).is_none()) {
        problems.push(format!("{at}: loại đơn vị \"{k}\" không hợp lệ"));
    }
}

/// An indicator named by `[[required]]` or `[[limits]]`: it exists and holds a figure.
fn check_figure(c: &Catalogue, at: &str, code: &str, problems: &mut Vec<String>) -> Option<Kind> {
    match c.indicator(code) {
        None => problems.push(format!("{at}: chỉ tiêu {code} không có")),
        Some(ind) if !ind.holds_value() => problems.push(format!("{at}: {code} là dòng tiêu đề, không có số liệu")),
        Some(ind) => return Some(ind.kind.clone()),
    }
    None
}

/// An id of `[[required]]` or `[[limits]]` is unique among both and differs from indicator
/// codes and rule ids, since `remove` names them all.
fn check_id<'a>(c: &Catalogue, at: &str, id: &'a str, ids: &mut BTreeSet<&'a str>, problems: &mut Vec<String>) {
    if !ids.insert(id) {
        problems.push(format!("{at}: mã bị trùng"));
    } else if c.indicator(id).is_some() || c.rules.iter().any(|r| r.id == id) {
        problems.push(format!("{at}: mã trùng với một chỉ tiêu hoặc quy tắc (remove sẽ bỏ cả hai)"));
    }
}

fn check_required<'a>(c: &'a Catalogue, ids: &mut BTreeSet<&'a str>, problems: &mut Vec<String>) {
    for r in &c.required {
        let at = format!("Chỉ tiêu bắt buộc {}", r.id);
        check_id(c, &at, &r.id, ids, problems);
        if r.indicators.is_empty() {
            problems.push(format!("{at}: danh sách chỉ tiêu (indicators) trống"));
        }
        for code in &r.indicators {
            check_figure(c, &at, code, problems);
        }
        check_unit_kinds(&at, &r.unit_kinds, problems);
    }
}

fn check_limits<'a>(c: &'a Catalogue, ids: &mut BTreeSet<&'a str>, problems: &mut Vec<String>) {
    for l in &c.limits {
        let at = format!("Giới hạn {}", l.id);
        check_id(c, &at, &l.id, ids, problems);
        match check_figure(c, &at, &l.indicator, problems) {
            Some(Kind::Count | Kind::Money | Kind::Percent | Kind::Score | Kind::Ratio { .. }) | None => {}
            Some(_) => problems.push(format!("{at}: chỉ tiêu {} không phải là số (đếm, tiền, tỷ lệ, điểm)", l.indicator)),
        }
        check_unit_kinds(&at, &l.unit_kinds, problems);
        let finite = |v: Option<f64>| v.is_none_or(|x| x.is_finite() && x >= 0.0);
        if !finite(l.min) || !finite(l.max) || !finite(l.change_floor) || !finite(l.peers) {
            problems.push(format!("{at}: min, max, change_floor và peers phải là số không âm"));
        }
        if let (Some(min), Some(max)) = (l.min, l.max)
            && min > max
        {
            problems.push(format!("{at}: min lớn hơn max"));
        }
        if l.change.is_some_and(|f| !(f.is_finite() && f > 1.0)) {
            problems.push(format!("{at}: change là hệ số lớn hơn 1 (2 = tăng gấp đôi hoặc giảm một nửa)"));
        }
        if l.change_floor.is_some() && l.change.is_none() {
            problems.push(format!("{at}: change_floor chỉ dùng cùng change"));
        }
        if l.per_month && l.min.is_none() && l.max.is_none() {
            problems.push(format!("{at}: per_month chỉ dùng cùng min hoặc max"));
        }
        if [l.min, l.max, l.change, l.peers].iter().all(Option::is_none) {
            problems.push(format!("{at}: cần ít nhất một trong min, max, change, peers"));
        }
    }
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
    if rule.id.starts_with("auto:") {
        problems.push(format!("{at}: mã bắt đầu bằng \"auto:\" dành cho các kiểm tra tự động"));
    }
    for (side, text) in [("vế trái", &rule.left), ("vế phải", &rule.right)] {
        check_expression(c, &format!("{at}, {side}"), text, problems);
    }
    let pair = matches!(rule.operator, Operator::CompulsoryPair | Operator::ExclusivePair);
    let parts_strategy = match rule.missing {
        crate::MissingStrategy::LowerBound => Some("lower-bound"),
        crate::MissingStrategy::PartsAsZero => Some("parts-as-zero"),
        _ => None,
    };
    if let Some(name) = parts_strategy
        && (rule.operator != Operator::Eq || !parse_expr(&rule.right).is_ok_and(|e| e.is_sum_of_refs()))
    {
        problems.push(format!("{at}: chiến lược {name} chỉ dùng cho \"tổng == a + b + …\""));
    }
    if rule.message.trim().is_empty() && !pair {
        problems.push(format!("{at}: thiếu thông báo"));
    }
    match placeholders(&rule.message, false) {
        Err(e) => problems.push(format!("{at}, thông báo: {e}")),
        Ok(names) => {
            for name in names.into_iter().filter(|n| !RULE_MESSAGE_PLACEHOLDERS.contains(n)) {
                problems.push(format!(
                    "{at}, thông báo: chỗ trống {{{name}}} không điền được; chỉ dùng {}",
                    RULE_MESSAGE_PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
                ));
            }
        }
    }
}

/// An expression over indicators (a rule's side, a weakness's value): it parses and every
/// reference is a figure of the catalogue.
fn check_expression(c: &Catalogue, at: &str, text: &str, problems: &mut Vec<String>) {
    match parse_expr(text) {
        Err(e) => problems.push(format!("{at}: {e}")),
        Ok(expr) => {
            for r in expr.references() {
                check_reference(c, at, r, problems);
            }
        }
    }
}

/// A reference names an indicator holding a figure, splits it only by dimensions it declares,
/// and by values a closed dimension lists.
fn check_reference(c: &Catalogue, at: &str, r: &Reference, problems: &mut Vec<String>) {
    match c.indicator(&r.code) {
        None => problems.push(format!("{at}: chỉ tiêu {} không có", r.code)),
        Some(ind) if !ind.holds_value() => problems.push(format!("{at}: {} là dòng tiêu đề, không có số liệu", r.code)),
        Some(ind) => {
            for (d, v) in &r.split {
                if !ind.splits.contains(d) {
                    problems.push(format!("{at}: chỉ tiêu {} không phân tổ theo {d}", r.code));
                    continue;
                }
                if let Some(dim) = c.dimension(d)
                    && !dim.open
                    && !dim.values.iter().any(|x| &x.id == v)
                {
                    let known: Vec<&str> = dim.values.iter().map(|x| x.id.as_str()).collect();
                    problems.push(format!("{at}: chiều phân tổ {d} không có giá trị \"{v}\"; các giá trị có: {}", known.join(", ")));
                }
            }
        }
    }
}

fn check_documents(c: &Catalogue, problems: &mut Vec<String>) {
    let docs = &c.documents;
    for code in docs.watched() {
        match c.indicator(code) {
            None => problems.push(format!("Danh sách theo dõi (documents.watch): chỉ tiêu {code} không có")),
            Some(ind) if !ind.holds_value() => {
                problems.push(format!("Danh sách theo dõi (documents.watch): {code} là dòng tiêu đề, không có số liệu"))
            }
            _ => {}
        }
    }
    let taken = |id: &str| c.indicator(id).is_some() || c.rules.iter().any(|r| r.id == id);
    let mut ids = BTreeSet::new();
    for t in &docs.sentences {
        let at = format!("Mẫu câu {}", t.id);
        if !ids.insert(t.id.as_str()) {
            problems.push(format!("{at}: mã bị trùng"));
        } else if taken(&t.id) {
            problems.push(format!("{at}: mã trùng với một chỉ tiêu hoặc quy tắc (remove sẽ bỏ cả hai)"));
        }
        match placeholders(&t.text, true) {
            Err(e) => problems.push(format!("{at}: {e}")),
            Ok(names) => {
                for p in names.into_iter().filter(|p| *p != "where") {
                    let key = match p.split_once(':') {
                        Some((key, "cmp" | "0")) => key,
                        Some((_, other)) => {
                            problems.push(format!(
                                "{at}: chỗ trống {{{p}}}: \":{other}\" không có; chỉ dùng \":cmp\" (so sánh) hoặc \":0\" (0 khi không báo cáo)"
                            ));
                            continue;
                        }
                        None => p,
                    };
                    check_placeholder_key(c, &at, p, key, problems);
                }
            }
        }
    }
    for w in &docs.weaknesses {
        let at = format!("Hạn chế {}", w.id);
        if !ids.insert(w.id.as_str()) {
            problems.push(format!("{at}: mã bị trùng"));
        } else if taken(&w.id) {
            problems.push(format!("{at}: mã trùng với một chỉ tiêu hoặc quy tắc (remove sẽ bỏ cả hai)"));
        }
        check_expression(c, &format!("{at}, value"), &w.value, problems);
        for (field, text, unit) in [("text", Some(&w.text), false), ("below", w.below.as_ref(), true)] {
            let Some(text) = text else { continue };
            match placeholders(text, false) {
                Err(e) => problems.push(format!("{at}, {field}: {e}")),
                Ok(names) => {
                    for p in names.into_iter().filter(|p| *p != "value" && !(unit && *p == "unit")) {
                        if p == "unit" {
                            problems.push(format!("{at}, {field}: chỗ trống {{unit}} chỉ dùng trong below (tên đơn vị cấp dưới)"));
                            continue;
                        }
                        check_placeholder_key(c, &format!("{at}, {field}"), p, p, problems);
                    }
                }
            }
        }
    }
}

/// A placeholder naming a figure: `CODE` or `CODE[dim=value]` of the catalogue.
fn check_placeholder_key(c: &Catalogue, at: &str, placeholder: &str, key: &str, problems: &mut Vec<String>) {
    match parse_reference_body(key) {
        None => problems.push(format!("{at}: chỗ trống {{{placeholder}}} không phải là mã chỉ tiêu")),
        Some(r) => check_reference(c, &format!("{at}, chỗ trống {{{placeholder}}}"), &r, problems),
    }
}
