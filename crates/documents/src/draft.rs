//! A draft of "III. Đánh giá chung" read from the data, offered to the officials alongside their
//! own text (and used in the DOCX when section III has no narrative yet): figures that fell
//! against the same period of last year, the findings of the validation rules, and the weaknesses
//! the caller read elsewhere (units with late dossiers, unfinished plan tasks, late reports).

use cchc_catalogue::Kind;
use cchc_report::{Key, UnitReport};
use rust_decimal::Decimal;

use crate::{ReportDocument, appendix};

/// Indicators whose fall is a weakness worth naming: the in-time and online rates, and the
/// counts of dossiers resolved and received online.
const WATCHED: [&str; 5] = ["1.2", "1.5.5", "3.6.6", "3.5.7", "3.6.17"];

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

/// Weaknesses the report's own figures show: unfinished plan tasks, late dossiers.
fn own_weaknesses(doc: &ReportDocument) -> Vec<String> {
    // The total, or when only levels are given (cấp huyện, cấp xã) their sum.
    let count = |code: &str| {
        doc.report.value(&Key::total(code)).and_then(|v| v.number()).unwrap_or_else(|| {
            doc.report
                .values()
                .into_iter()
                .filter(|(k, _)| k.code == code && k.split.len() == 1 && k.split.contains_key("level"))
                .filter_map(|(_, v)| v.number())
                .sum()
        })
    };
    let mut out = Vec::new();
    let (planned, done) = (count("1.2.1"), count("1.2.2"));
    if planned > done {
        out.push(format!(
            "Còn {} nhiệm vụ trong Kế hoạch CCHC năm chưa hoàn thành (đã hoàn thành {}/{} nhiệm vụ).",
            crate::text::count_text(planned - done),
            crate::text::count_text(done),
            crate::text::count_text(planned)
        ));
    }
    let late = count("3.6.5");
    if late > Decimal::ZERO {
        out.push(format!("Vẫn còn {} hồ sơ giải quyết quá hạn.", crate::text::count_text(late)));
    }
    let overdue = count("3.6.9");
    if overdue > Decimal::ZERO {
        out.push(format!("Còn {} hồ sơ đang giải quyết đã quá hạn.", crate::text::count_text(overdue)));
    }
    out
}

/// "Tỷ lệ hồ sơ giải quyết đúng hạn giảm từ 99,10% xuống 98,02% so với cùng kỳ năm 2021."
fn fallen(doc: &ReportDocument, last: &UnitReport) -> Vec<String> {
    let mut out = Vec::new();
    for code in WATCHED {
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
