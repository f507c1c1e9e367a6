//! What the body prints (docs/narrative-format.md): the report's own sections in order with
//! their titles, nothing empty, the generated sentences only at the figure blocks of a section
//! with text, each sentence once, and footnotes and tables reaching the DOCX.

use std::collections::BTreeMap;
use std::io::Read;

use cchc_catalogue::default_catalogue;
use cchc_documents::narrative::{Block, plain};
use cchc_documents::{ReportDocument, docx, outline};

fn le_hong(narrative: &[(&str, &str)]) -> ReportDocument {
    let text = std::fs::read_to_string(format!("{}/../../examples/reports/le-hong-2022-h1.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let cat = default_catalogue();
    let mut report = cchc_report::file::read(&text, &cat).unwrap();
    report.narrative = narrative.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>();
    ReportDocument::new(report, cat)
}

fn lines(doc: &ReportDocument) -> Vec<String> {
    outline::body(doc)
        .blocks
        .iter()
        .map(|b| match b {
            Block::Heading { level, text } => format!("h{level} {}", plain(text)),
            Block::Paragraph { marker, text, .. } => format!("{} {}", marker.as_deref().unwrap_or("·"), plain(text)),
            Block::Table { rows } => format!("table {}", rows.len()),
            Block::Figures(_) => "figures".into(),
        })
        .collect()
}

const RECEIVED: &str = "Tổng số hồ sơ tiếp nhận 1.224 hồ sơ, trong đó: tiếp nhận trực tuyến 539 hồ sơ; tiếp nhận trực tiếp 676 hồ sơ; qua dịch vụ bưu chính công ích 0 hồ sơ; số hồ sơ kỳ trước chuyển qua 09 hồ sơ.";

#[test]
fn the_reports_own_sections_print_in_order_and_nothing_empty_prints() {
    let doc = le_hong(&[
        ("opening", "Thực hiện Công văn số 508/UBND-VP ngày 01/3/2022 của UBND tỉnh, UBND xã báo cáo như sau:"),
        ("I", "Nội dung phần I."),
        ("II.1", "Nội dung cải cách thể chế."),
        ("II.7", "# 7. Về thực hiện thu ngân sách\nThu ngân sách đạt 60%."),
        ("II.3", ""),
        ("III", "Đánh giá."),
        ("closing", "Trên đây là báo cáo …/."),
    ]);
    let l = lines(&doc);
    let at = |s: &str| l.iter().position(|x| x == s).unwrap_or_else(|| panic!("{s} not in {l:#?}"));
    assert_eq!(at("· Thực hiện Công văn số 508/UBND-VP ngày 01/3/2022 của UBND tỉnh, UBND xã báo cáo như sau:"), 0);
    assert!(at("h0 I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH") < at("h0 II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"));
    assert!(at("h1 2. Cải cách thủ tục hành chính") < at("h1 7. Về thực hiện thu ngân sách"));
    assert!(at("h1 7. Về thực hiện thu ngân sách") < at("h0 III. ĐÁNH GIÁ CHUNG"));
    assert_eq!(l.last().map(String::as_str), Some("· Trên đây là báo cáo …/."));
    // Sections with neither text nor sentences print no heading; neither do parts IV and V.
    for empty in ["h1 3. Cải cách tổ chức bộ máy hành chính nhà nước", "h0 IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "h0 V. KIẾN NGHỊ, ĐỀ XUẤT"]
    {
        assert!(!l.iter().any(|x| x == empty), "{empty} printed empty: {l:#?}");
    }
    assert_eq!(l.iter().filter(|x| x.starts_with("h0 II.")).count(), 1, "one part II heading");
}

#[test]
fn sentences_go_only_where_the_text_places_a_figure_block_and_only_once() {
    // II.2 has text and no block: none of its sentences. II.6 places II.2's receipt sentence.
    let doc = le_hong(&[("II.2", "Tiếp tục thực hiện tốt cơ chế một cửa."), ("II.6", "## 6.1. Một cửa\n{{số liệu: cau-ho-so-tiep-nhan}}")]);
    let l = lines(&doc);
    assert_eq!(l.iter().filter(|x| x.contains("Tổng số hồ sơ tiếp nhận")).count(), 1, "{l:#?}");
    let received = l.iter().position(|x| x == &format!("- {RECEIVED}")).expect("the complete receipt sentence");
    assert!(received > l.iter().position(|x| x == "h2 6.1. Một cửa").unwrap());
    assert!(!l.iter().any(|x| x.contains("Số hồ sơ đã giải quyết")), "II.2 has text of its own: {l:#?}");

    // A section without text prints its sentences, except those a block placed elsewhere.
    let doc = le_hong(&[("II.6", "{{số liệu: cau-ho-so-tiep-nhan}}")]);
    let l = lines(&doc);
    assert_eq!(l.iter().filter(|x| x.contains("Tổng số hồ sơ tiếp nhận")).count(), 1, "{l:#?}");
    assert!(l.iter().any(|x| x.contains("Số hồ sơ đã giải quyết")), "{l:#?}");
}

#[test]
fn a_block_names_its_level() {
    let text = std::fs::read_to_string(format!("{}/../../examples/reports/cam-xuyen-2022-h1.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let cat = default_catalogue();
    let mut report = cchc_report::file::read(&text, &cat).unwrap();
    report.narrative = BTreeMap::from([("II.2".to_string(), "- Cấp huyện:\n{{số liệu: II.2, cấp huyện}}".to_string())]);
    let l = lines(&ReportDocument::new(report, cat));
    let received: Vec<&String> = l.iter().filter(|x| x.contains("Tổng số hồ sơ tiếp nhận")).collect();
    assert_eq!(received.len(), 1, "{l:#?}");
    assert!(received[0].contains("(cấp huyện)"), "{received:?}");
}

#[test]
fn tables_footnotes_and_headings_reach_the_docx() {
    let doc = le_hong(&[(
        "II.4",
        "## 4.1. Số lượng cán bộ, công chức\nTổng số 20 người[^1].\n\n| Chức danh | Số lượng |\n|---|---|\n| Cán bộ | 11 |\n| Công chức | 9 |\n\n[^1]: Theo Quyết định số 12/QĐ-UBND.",
    )]);
    let bytes = docx::render(&doc).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap_or_else(|_| panic!("{name} missing")).read_to_string(&mut s).unwrap();
        s
    };
    let document = part("word/document.xml");
    let notes = part("word/footnotes.xml");
    assert!(notes.contains("Theo Quyết định số 12/QĐ-UBND."), "{notes}");
    assert!(notes.contains("<w:footnoteRef />"), "the note prints its number: {notes}");
    assert!(document.contains("<w:footnoteReference"), "no footnote reference");
    let heading = document.find(">4.1. Số lượng cán bộ, công chức<").expect("the heading");
    let style = document[..heading].rfind("<w:pStyle").unwrap();
    assert!(document[style..heading].starts_with(r#"<w:pStyle w:val="Heading3""#), "{}", &document[style..heading]);
    let table = document.find(">Chức danh<").expect("the table's header");
    let (tbl, p) = (document[..table].rfind("<w:tbl>").unwrap(), document[..table].rfind("<w:p ").unwrap());
    assert!(tbl > document[..heading].len() && p > tbl, "the header cell is in a table after the heading");
    assert!(document.contains(">Công chức<"));
}

#[test]
fn one_figure_has_one_value_in_the_text_and_the_appendix() {
    use cchc_report::{Key, Value};
    use rust_decimal::Decimal;
    let mut doc = le_hong(&[]);
    doc.report.set(Key::total("1.2.1"), Some(Value::Int(28)));
    doc.report.set(Key::total("1.2.2"), Some(Value::Int(26)));
    doc.report.set(Key::total("1.2"), Some(Value::Dec(Decimal::new(9285, 2))));
    let shown = |doc: &ReportDocument| {
        let text = lines(doc).into_iter().find(|l| l.contains("Kế hoạch CCHC năm")).expect("the plan sentence");
        let row = cchc_documents::appendix::forms(&doc.catalogue, &doc.report)
            .into_iter()
            .flat_map(|(_, rows)| rows)
            .find(|r| r.key == Key::total("1.2"))
            .map(|r| r.shown)
            .unwrap();
        (text, row)
    };
    let (text, row) = shown(&doc);
    assert!(text.contains("92,86%") && row == "92,86%", "{text} / {row}");
    doc.report.document.keep_stated = vec!["1.2".into()];
    let (text, row) = shown(&doc);
    assert!(text.contains("92,85%") && row == "92,85%", "{text} / {row}");
}

#[test]
fn a_typed_break_of_the_issuer_is_a_space_where_text_names_it() {
    let mut doc = le_hong(&[]);
    doc.report.document.issuer = Some("ỦY BAN NHÂN DÂN|XÃ LÊ HỒNG".into());
    let bytes = docx::render(&doc).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let document = part("word/document.xml");
    assert!(document.contains("của ỦY BAN NHÂN DÂN XÃ LÊ HỒNG)"), "the appendix names the issuer on one line");
    assert!(!document.contains('|'));
    assert!(part("docProps/core.xml").contains("<dc:creator>ỦY BAN NHÂN DÂN XÃ LÊ HỒNG</dc:creator>"));
}
