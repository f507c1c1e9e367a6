//! A draft of "III. Đánh giá chung" read from the data, offered to the officials alongside their
//! own text (and used in the DOCX when section III has no narrative yet): figures that fell
//! against the same period of last year, the findings of the validation rules, and the weaknesses
//! the caller read elsewhere (units with late dossiers, unfinished plan tasks, late reports).
//!
//! Which figures are watched and how a weakness is phrased is catalogue data
//! (`[documents]`: `watch` and `[[documents.weaknesses]]`, docs/catalogue-format.md).

use cchc_catalogue::expr::{BinOp, Expr, Reference, parse_expr};
use cchc_catalogue::template::placeholders;
use cchc_catalogue::{Catalogue, Kind, Weakness};
use cchc_report::{Key, UnitReport};
use rust_decimal::Decimal;

use crate::{ReportDocument, appendix};

/// The draft, as paragraphs in the officials' register.
pub fn assessment(doc: &ReportDocument) -> Vec<String> {
    let mut out = vec!["1. Ưu điểm:".to_string()];
    out.push(format!(
        "- Các cơ quan, đơn vị đã triển khai các nhiệm vụ cải cách hành chính {} theo kế hoạch; số liệu thống kê được tổng hợp đầy đủ tại Phụ lục kèm theo.",
        doc.report.period.title_vi()
    ));
    out.push("2. Tồn tại, hạn chế:".to_string());
    let mut weak: Vec<String> = doc.weaknesses.iter().map(|w| format!("- {w}")).collect();
    weak.extend(own_weaknesses(doc).into_iter().map(|w| format!("- {w}")));
    if let Some(last) = &doc.last_year {
        weak.extend(fallen(doc, last).into_iter().map(|w| format!("- {w}")));
    }
    weak.extend(doc.findings.iter().map(|f| format!("- Số liệu báo cáo cần rà soát lại: {f}")));
    if weak.is_empty() {
        weak.push("- Chưa phát hiện tồn tại, hạn chế nào từ số liệu thống kê; đề nghị các cơ quan, đơn vị bổ sung đánh giá.".into());
    }
    out.extend(weak);
    out.push("3. Nguyên nhân của tồn tại, hạn chế:".to_string());
    out.push("- (Cơ quan, đơn vị bổ sung nguyên nhân chủ quan, khách quan.)".to_string());
    out
}

/// Weaknesses the report's own figures show (the catalogue's `text` of each weakness whose
/// value is above zero): unfinished plan tasks, late dossiers, …
fn own_weaknesses(doc: &ReportDocument) -> Vec<String> {
    doc.catalogue.documents.weaknesses.iter().filter_map(|w| weakness(&doc.catalogue, w, &doc.report, &w.text)).collect()
}

/// What the catalogue's weaknesses say of a subordinate unit's report (their `below` text,
/// `{unit}` its name): "UBND Xã Lê Hồng còn 05 hồ sơ giải quyết quá hạn."
pub fn below(catalogue: &Catalogue, report: &UnitReport) -> Vec<String> {
    catalogue
        .documents
        .weaknesses
        .iter()
        .filter_map(|w| weakness(catalogue, w, report, w.below.as_deref()?))
        .map(|s| s.replace("{unit}", &report.unit.name))
        .collect()
}

/// The weakness's sentence when its value is above zero; `{unit}` is left for the caller. A
/// weakness whose figures are too large to add up (beyond a decimal's 28 digits) is not written.
fn weakness(catalogue: &Catalogue, w: &Weakness, report: &UnitReport, text: &str) -> Option<String> {
    let expr = parse_expr(&w.value).ok()?;
    let value = eval(&expr, &|r| count(catalogue, report, &Key { code: r.code.clone(), split: r.split.clone() }))?;
    if value <= Decimal::ZERO {
        return None;
    }
    let mut out = text.replace("{value}", &crate::text::count_text(value));
    for p in placeholders(text, false).ok()? {
        if let Some(key) = Key::parse(p).filter(|_| p != "value" && p != "unit") {
            out = out.replace(&format!("{{{p}}}"), &crate::text::count_text(count(catalogue, report, &key)?));
        }
    }
    Some(out)
}

/// A figure for a weakness: the key's (a ratio computed from its parts), or for a total not
/// stated the sum of its levels (cấp huyện, cấp xã); 0 when not reported; `None` when the
/// levels add up beyond a decimal.
fn count(catalogue: &Catalogue, report: &UnitReport, key: &Key) -> Option<Decimal> {
    let Some(ind) = catalogue.indicator(&key.code) else { return Some(Decimal::ZERO) };
    if let Some(stated) = appendix::figure(report, ind, key).and_then(|v| v.number()) {
        return Some(stated);
    }
    if !key.split.is_empty() {
        return Some(Decimal::ZERO);
    }
    report
        .values()
        .into_iter()
        .filter(|(k, _)| k.code == key.code && k.split.len() == 1 && k.split.contains_key("level"))
        .filter_map(|(_, v)| v.number())
        .try_fold(Decimal::ZERO, |sum, n| sum.checked_add(n))
}

/// The value of a weakness's expression; `None` on a division by zero or a step beyond a
/// decimal.
fn eval(e: &Expr, figure: &dyn Fn(&Reference) -> Option<Decimal>) -> Option<Decimal> {
    Some(match e {
        Expr::Number(n) => Decimal::try_from(*n).ok()?,
        Expr::Ref(r) => figure(r)?,
        Expr::Neg(a) => -eval(a, figure)?,
        // A figure not reported reads 0 here, so "a, else b" takes b when a is 0.
        Expr::Else(a, b) => match eval(a, figure)? {
            v if v.is_zero() => eval(b, figure)?,
            v => v,
        },
        Expr::Binary(a, op, b) => {
            let (a, b) = (eval(a, figure)?, eval(b, figure)?);
            match op {
                BinOp::Add => a.checked_add(b)?,
                BinOp::Sub => a.checked_sub(b)?,
                BinOp::Mul => a.checked_mul(b)?,
                BinOp::Div => a.checked_div(b)?,
            }
        }
    })
}

/// "Tỷ lệ hồ sơ giải quyết đúng hạn giảm từ 99,10% xuống 98,02% so với cùng kỳ năm 2021."
fn fallen(doc: &ReportDocument, last: &UnitReport) -> Vec<String> {
    let mut out = Vec::new();
    for code in doc.catalogue.documents.watched() {
        let Some(ind) = doc.catalogue.indicator(code) else { continue };
        let key = Key::total(code);
        let now = appendix::figure(&doc.report, ind, &key).and_then(|v| v.number());
        let before = appendix::figure(last, ind, &key).and_then(|v| v.number());
        let (Some(now), Some(before)) = (now, before) else { continue };
        if now >= before {
            continue;
        }
        let show = |d: Decimal| match ind.kind {
            Kind::Ratio { .. } | Kind::Percent => cchc_format::percent(d),
            _ => cchc_format::decimal(d),
        };
        out.push(format!("{} giảm từ {} xuống {} so với cùng kỳ năm {}.", ind.name, show(before), show(now), last.period.year));
    }
    out
}
