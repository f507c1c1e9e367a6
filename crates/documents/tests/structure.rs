//! The structure of the three real reports survives into the DOCX (issue 13): every heading of
//! each transcription (tests/fixtures/structure/*.txt, written from ../shared/reference-reports)
//! is a heading paragraph of the document, in order, and every table of its text is a table.
//! The document's whole outline is also kept as a snapshot.

use std::io::Read;

use cchc_catalogue::default_catalogue;
use cchc_documents::{ReportDocument, docx};

const EXAMPLES: [&str; 3] = ["cam-xuyen-2022-h1", "le-hong-2022-h1", "my-tu-2021"];

fn docx_of(name: &str) -> String {
    let text = std::fs::read_to_string(format!("{}/../../examples/reports/{name}.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let cat = default_catalogue();
    let bytes = docx::render(&ReportDocument::new(cchc_report::file::read(&text, &cat).unwrap(), cat)).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// The visible text of a piece of WordprocessingML.
fn text_of(xml: &str) -> String {
    let mut out = String::new();
    for piece in xml.split("<w:t").skip(1) {
        if !(piece.starts_with('>') || piece.starts_with(' ')) {
            continue;
        }
        let Some(open) = piece.find('>') else { continue };
        let body = &piece[open + 1..];
        out.push_str(&body[..body.find("</w:t>").unwrap_or(0)]);
    }
    out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
}

/// The body's outline before the signature block: `heading: …` for each heading paragraph and
/// `table: …` (its first cell) for each table of the narrative.
fn outline(xml: &str) -> Vec<String> {
    let body = &xml[..xml.find(">Nơi nhận:<").unwrap_or(xml.len())];
    // The header table, the title's line and the signature block are layout, not narrative.
    let start = body.find(">BÁO CÁO<").unwrap_or(0);
    let mut out = Vec::new();
    let mut rest = &body[start..];
    loop {
        let p = [rest.find("<w:p>"), rest.find("<w:p ")].into_iter().flatten().min();
        let t = rest.find("<w:tbl>");
        match (p, t) {
            (Some(p), t) if t.is_none_or(|t| p < t) => {
                let end = rest[p..].find("</w:p>").map_or(rest.len(), |e| p + e);
                let para = &rest[p..end];
                if para.contains(r#"<w:pStyle w:val="Heading"#) {
                    out.push(format!("heading: {}", text_of(para)));
                }
                rest = &rest[end..];
            }
            (_, Some(t)) => {
                let end = rest[t..].find("</w:tbl>").map_or(rest.len(), |e| t + e);
                let table = &rest[t..end];
                let first = table.find("</w:tc>").map_or(table, |e| &table[..e]);
                let text = text_of(first);
                // The lines under the title are one-cell tables with no text.
                if !text.trim().is_empty() {
                    out.push(format!("table: {text}"));
                }
                rest = &rest[end..];
            }
            _ => break,
        }
    }
    out
}

#[test]
fn every_heading_and_table_of_the_transcriptions_is_one_in_the_docx() {
    for name in EXAMPLES {
        let path = format!("{}/tests/fixtures/structure/{name}.txt", env!("CARGO_MANIFEST_DIR"));
        let expected: Vec<String> =
            std::fs::read_to_string(&path).unwrap().lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
        assert!(expected.len() > 10, "{name}: the fixture lists only {} items", expected.len());
        let got = outline(&docx_of(name));
        // In order: each expected item is found after the previous one.
        let mut at = 0;
        for item in &expected {
            match got[at..].iter().position(|g| g.trim() == item) {
                Some(i) => at += i + 1,
                None => {
                    panic!("{name}: «{item}» is not a {} in the DOCX after item {at}:\n{}", item.split(':').next().unwrap(), got.join("\n"))
                }
            }
        }
        insta::assert_snapshot!(format!("structure_{name}"), got.join("\n"));
    }
}
