//! The DOCX opened as a zip of XML: Decree 30/2020 layout parts, and every number of the
//! generated text equal to its number in the appendix.

use std::io::Read;

use cchc_catalogue::default_catalogue;
use cchc_documents::narrative::{Block, plain};
use cchc_documents::{ReportDocument, docx};
use cchc_report::file::read;

fn document(name: &str) -> ReportDocument {
    let text = std::fs::read_to_string(format!("{}/../../examples/reports/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let cat = default_catalogue();
    ReportDocument::new(read(&text, &cat).unwrap(), cat)
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The visible text of each paragraph of a WordprocessingML part.
fn paragraphs(xml: &str) -> Vec<String> {
    xml.split("</w:p>")
        .map(|p| {
            let mut out = String::new();
            let mut rest = p;
            while let Some(i) = rest.find("<w:t") {
                rest = &rest[i..];
                let Some(open_end) = rest.find('>') else { break };
                let tag = &rest[..open_end];
                if !(tag == "<w:t" || tag.starts_with("<w:t ")) {
                    rest = &rest[open_end..];
                    continue;
                }
                let body = &rest[open_end + 1..];
                let end = body.find("</w:t>").unwrap_or(0);
                out.push_str(&body[..end]);
                rest = &body[end..];
            }
            out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
        })
        .collect()
}

#[test]
fn page_fonts_and_margins_follow_decree_30() {
    let bytes = docx::render(&document("cam-xuyen-2022-h1.json")).unwrap();
    if let Ok(dir) = std::env::var("CCHC_DOCX_OUT") {
        std::fs::write(format!("{dir}/cam-xuyen.docx"), &bytes).unwrap();
    }
    let doc = part(&bytes, "word/document.xml");
    // A4 and margins: top/bottom 20 mm (1134), left 30 mm (1701), right 20 mm (1134).
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
    for m in [r#"w:top="1134""#, r#"w:bottom="1134""#, r#"w:left="1701""#, r#"w:right="1134""#] {
        assert!(doc.contains(m), "margin {m}");
    }
    let styles = part(&bytes, "word/styles.xml");
    assert!(styles.contains(r#"w:ascii="Times New Roman""#), "default font");
    assert!(styles.contains(r#"<w:sz w:val="28" />"#), "14 pt body");
    // Body paragraphs: justified with a 1,27 cm first-line indent.
    assert!(doc.contains(r#"<w:jc w:val="both" />"#));
    assert!(doc.contains(r#"w:firstLine="720""#));
}

#[test]
fn header_table_title_and_signature_block() {
    let mut d = document("le-hong-2022-h1.json");
    d.report.document.number = Some("5/BC-UBND".into());
    d.report.document.addressee = Some("Ủy ban nhân dân huyện Cẩm Giàng".into());
    let bytes = docx::render(&d).unwrap();
    let doc = part(&bytes, "word/document.xml");
    let paras = paragraphs(&doc);
    let has = |t: &str| paras.iter().any(|p| p == t);
    // The header table comes first: issuer and Quốc hiệu side by side, bold.
    assert!(doc.find("<w:tbl>").unwrap() < doc.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").unwrap());
    assert!(has("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && has("Độc lập - Tự do - Hạnh phúc"));
    assert!(has("Số: 05/BC-UBND"), "number under 10 zero-padded");
    assert!(has("Lê Hồng, ngày 13 tháng 6 năm 2022"), "place and date: {:?}", &paras[..12]);
    let date_run = &doc[..doc.find("Lê Hồng, ngày 13").unwrap()];
    assert!(date_run[date_run.rfind("<w:r>").unwrap()..].contains("<w:i />"), "date in italics");
    assert!(has("BÁO CÁO"));
    assert!(has("Kính gửi: Ủy ban nhân dân huyện Cẩm Giàng"), "Kính gửi");
    // Nơi nhận: 12 pt bold italic, list in 11 pt ending with Lưu.
    let nn = &doc[..doc.find("Nơi nhận:").unwrap()];
    let nn_run = &nn[nn.rfind("<w:r>").unwrap()..];
    assert!(nn_run.contains("<w:b />") && nn_run.contains("<w:i />") && nn_run.contains(r#"<w:sz w:val="24" />"#));
    let last_recipient = paras.iter().filter(|p| p.starts_with("- ")).rfind(|p| p.contains("Lưu")).unwrap();
    assert_eq!(last_recipient, "- Lưu: VP.");
    // Signature block: TM., title, name in bold.
    let m = &d.report.document;
    for t in [m.sign_for.as_deref(), m.signer_title.as_deref(), m.signer.as_deref()].into_iter().flatten() {
        assert!(has(t), "signature line {t}");
        let before = &doc[..doc.find(&format!(">{t}<")).unwrap()];
        assert!(before[before.rfind("<w:r>").unwrap()..].contains("<w:b />"), "{t} bold");
    }
}

#[test]
fn page_numbers_from_page_two_centred_at_the_top() {
    let bytes = docx::render(&document("my-tu-2021.json")).unwrap();
    let doc = part(&bytes, "word/document.xml");
    assert!(doc.contains("<w:titlePg />"), "title page different");
    assert!(doc.contains(r#"<w:headerReference w:type="first""#) && doc.contains(r#"<w:headerReference w:type="default""#));
    let default_header = part(&bytes, "word/header1.xml");
    assert!(default_header.contains("PAGE"), "PAGE field in the default header");
    assert!(default_header.contains(r#"<w:jc w:val="center" />"#));
    let first = part(&bytes, "word/header2.xml");
    assert!(!first.contains("PAGE"), "no number on the first page");
}

#[test]
fn appendix_tables_repeat_their_header_row() {
    let bytes = docx::render(&document("my-tu-2021.json")).unwrap();
    let doc = part(&bytes, "word/document.xml");
    let paras = paragraphs(&doc);
    for n in 1..=7 {
        assert!(paras.iter().any(|p| p.starts_with(&format!("Biểu mẫu {n}: "))), "form {n}");
    }
    // One header row per form table and per table of the narrative (Mỹ Tú's officials in
    // charge), marked to repeat.
    assert_eq!(doc.matches("<w:tblHeader />").count(), 7 + 1);
    for h in ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"] {
        assert_eq!(paras.iter().filter(|p| *p == h).count(), 7, "{h}");
    }
}

/// Numbers written the Vietnamese way in a text: "8.803", "99,78", "09".
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_digit() || (!cur.is_empty() && (c == '.' || c == ',')) {
            cur.push(c);
        } else if !cur.is_empty() {
            let n = cur.trim_end_matches(['.', ',']).replace('.', "").replace(',', ".");
            out.push(n.trim_start_matches('0').to_string());
            cur.clear();
        }
    }
    out
}

#[test]
fn every_number_of_the_generated_text_is_in_the_appendix() {
    for name in ["cam-xuyen-2022-h1.json", "le-hong-2022-h1.json", "my-tu-2021.json"] {
        // Without text of their own the sections print every generated sentence.
        let mut d = document(name);
        d.report.narrative.clear();
        let bytes = docx::render(&d).unwrap();
        let paras = paragraphs(&part(&bytes, "word/document.xml"));
        let start = paras.iter().position(|p| p == "PHỤ LỤC").unwrap();
        let appendix: Vec<String> = paras[start..].iter().flat_map(|p| numbers(p)).collect();
        let body = &paras[..start];
        let mut checked = 0;
        for section in ["I", "II.2", "II.6"] {
            for s in d.sentences(section) {
                assert!(body.iter().any(|p| p.ends_with(&s)), "{name}: sentence in the body: {s}");
                for n in numbers(&s) {
                    assert!(appendix.contains(&n), "{name}: {n} of «{s}» not in the appendix");
                    checked += 1;
                }
            }
        }
        assert!(checked > 5, "{name}: only {checked} numbers checked");
    }
}

#[test]
fn generated_text_of_the_three_reports() {
    for (name, snap) in [("cam-xuyen-2022-h1.json", "cam_xuyen"), ("le-hong-2022-h1.json", "le_hong"), ("my-tu-2021.json", "my_tu")] {
        let d = document(name);
        let mut text = String::new();
        for cchc_report::Section { id: section, heading: head, .. } in cchc_report::SECTIONS {
            let sentences = d.sentences(section);
            if !sentences.is_empty() {
                text.push_str(&format!("## {head}\n"));
                for s in sentences {
                    text.push_str(&format!("- {s}\n"));
                }
            }
        }
        text.push_str("## Dự thảo III. Đánh giá chung\n");
        for l in cchc_documents::draft::assessment(&d) {
            text.push_str(&format!("{l}\n"));
        }
        insta::assert_snapshot!(format!("generated_{snap}"), text);
    }
}

#[test]
fn each_line_is_a_paragraph_and_items_keep_their_sign() {
    let text =
        "Trên đây là báo cáo kết quả 6 tháng năm 2022 của UBND huyện./.\n- Mục một;\n+ Ý a\n1. Ưu điểm:\na) Thứ nhất\n2022\\. Đến nay";
    let lines: Vec<String> = cchc_documents::narrative::parse(text)
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { marker, text, .. } => {
                format!("{}{}", marker.as_deref().map(|m| format!("{m} ")).unwrap_or_default(), plain(text))
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        lines,
        [
            "Trên đây là báo cáo kết quả 6 tháng năm 2022 của UBND huyện./.",
            "- Mục một;",
            "+ Ý a",
            "1. Ưu điểm:",
            "a) Thứ nhất",
            "2022. Đến nay"
        ]
    );
}
