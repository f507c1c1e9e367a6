//! The DOCX package Word opens cleanly: every part deflated, the text in Unicode NFC, the
//! default run properties in schema order with the Vietnamese language, and core properties that
//! name the issuing body and the report's date.

use std::io::Read;

use cchc_catalogue::default_catalogue;
use cchc_documents::{ReportDocument, docx};

fn document(name: &str) -> ReportDocument {
    let text = std::fs::read_to_string(format!("{}/../../examples/reports/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let cat = default_catalogue();
    ReportDocument::new(cchc_report::file::read(&text, &cat).unwrap(), cat)
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn every_part_is_deflated_and_the_text_is_nfc() {
    for name in ["cam-xuyen-2022-h1.json", "le-hong-2022-h1.json", "my-tu-2021.json"] {
        let doc = document(name);
        let bytes = docx::render(&doc).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        for i in 0..zip.len() {
            let f = zip.by_index(i).unwrap();
            assert!(!f.is_dir(), "{name}: a directory entry {}", f.name());
            assert_eq!(f.compression(), zip::CompressionMethod::Deflated, "{name}: {} stored", f.name());
        }
        let xml = part(&bytes, "word/document.xml");
        assert!(unicode_normalization::is_nfc(&xml), "{name}: the text is not in NFC");
        assert!(bytes.len() < 120_000, "{name}: {} bytes", bytes.len());
    }
    // Cẩm Xuyên's narrative was transcribed with decomposed accents ("quy tri\u{300}nh").
    let text = std::fs::read_to_string(format!("{}/../../examples/reports/cam-xuyen-2022-h1.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    assert!(!unicode_normalization::is_nfc(&text), "the fixture still has what NFC mends");
}

#[test]
fn the_language_and_the_core_properties_are_set() {
    let mut doc = document("le-hong-2022-h1.json");
    doc.report.document.date = chrono::NaiveDate::from_ymd_opt(2022, 6, 16);
    let bytes = docx::render(&doc).unwrap();
    let styles = part(&bytes, "word/styles.xml");
    let defaults = &styles[styles.find("<w:rPrDefault>").unwrap()..styles.find("</w:rPrDefault>").unwrap()];
    let (fonts, size, lang) = (defaults.find("<w:rFonts").unwrap(), defaults.find("<w:sz ").unwrap(), defaults.find("<w:lang").unwrap());
    assert!(fonts < size && size < lang, "ECMA-376 order: rFonts, sz, lang: {defaults}");
    assert!(defaults.contains(r#"<w:lang w:val="vi-VN""#), "{defaults}");
    let core = part(&bytes, "docProps/core.xml");
    let issuer = doc.report.document.issuer.clone().unwrap();
    assert!(core.contains(&format!("<dc:creator>{issuer}</dc:creator>")), "{core}");
    assert!(core.contains(">2022-06-16T00:00:00Z</dcterms:created>"), "{core}");
    assert!(!core.contains("unknown") && !core.contains("1970"), "{core}");
}

#[test]
fn the_signature_row_does_not_split_and_run_properties_are_in_schema_order() {
    for name in ["cam-xuyen-2022-h1.json", "le-hong-2022-h1.json", "my-tu-2021.json"] {
        let xml = part(&docx::render(&document(name)).unwrap(), "word/document.xml");
        let at = xml.find(">Nơi nhận:<").unwrap();
        let row = &xml[xml[..at].rfind("<w:tr>").unwrap()..at];
        assert!(row.starts_with("<w:tr><w:trPr><w:cantSplit /></w:trPr>"), "{name}: {}", &row[..row.len().min(80)]);
        // In every run's properties the fonts come before the bold and the size, as ECMA-376 says.
        for rpr in xml.split("<w:rPr>").skip(1).map(|r| &r[..r.find("</w:rPr>").unwrap()]) {
            let pos = |t: &str| rpr.find(t);
            if let (Some(f), Some(s)) = (pos("<w:rFonts"), pos("<w:sz ")) {
                assert!(f < s, "{name}: {rpr}");
            }
            if let (Some(b), Some(s)) = (pos("<w:b />"), pos("<w:sz ")) {
                assert!(b < s, "{name}: {rpr}");
            }
        }
    }
}

#[test]
fn the_appendix_is_a_section_numbered_from_1_with_the_rows_that_have_a_figure() {
    let doc = document("cam-xuyen-2022-h1.json");
    let xml = part(&docx::render(&doc).unwrap(), "word/document.xml");
    assert_eq!(xml.matches("<w:sectPr>").count(), 2, "the body's section, then the appendix's");
    let body = &xml[xml.find("<w:sectPr>").unwrap()..];
    assert!(body.starts_with("<w:sectPr><w:headerReference"), "schema order: header references first");
    assert!(xml[xml.rfind("<w:sectPr>").unwrap()..].contains(r#"<w:pgNumType w:start="1" />"#));
    assert!(xml.contains("Kèm theo Báo cáo số"));
    let rows = |x: &str| x.matches("<w:tr>").count();
    let mut full = document("cam-xuyen-2022-h1.json");
    full.full_appendix = true;
    let all = part(&docx::render(&full).unwrap(), "word/document.xml");
    assert!(rows(&xml) * 2 < rows(&all), "{} rows printed of {}", rows(&xml), rows(&all));
    // Every row printed by default has a figure or a note, or heads a group that has.
    assert!(xml.contains("82,61%") && xml.contains("3.308"));
}
