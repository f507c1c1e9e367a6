//! The signed report as LibreOffice prints it, read back from the PDF's text page by page
//! (`pdftotext`, installed with LibreOffice by scripts/test-env.sh): for each example, the
//! signer's name is on the page of TM./KT., and the appendix's first page is numbered 1; and from
//! the first page's text positions (`pdftotext -bbox`) and drawn lines (`pdftocairo -svg`), the
//! issuing body breaks between names and each header line lies between the right lines of text.

use std::process::Command;

use cchc_catalogue::default_catalogue;
use cchc_documents::ReportDocument;

/// The pages of a PDF as text, in layout order.
fn pages(pdf: &[u8], name: &str) -> Vec<String> {
    let path = std::env::temp_dir().join(format!("cchc-pdf-layout-{}-{name}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().expect("pdftotext (poppler-utils) is installed");
    let _ = std::fs::remove_file(&path);
    String::from_utf8_lossy(&out.stdout).split('\u{c}').map(str::to_string).collect()
}

/// An example report and its DOCX as LibreOffice prints it.
fn printed(name: &str) -> (cchc_report::UnitReport, Vec<u8>) {
    let text = std::fs::read_to_string(format!("{}/../../examples/reports/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let cat = default_catalogue();
    let report = cchc_report::file::read(&text, &cat).unwrap();
    let docx = cchc_documents::docx::render(&ReportDocument::new(report.clone(), cat)).unwrap();
    (report, cchc_app::report_docs::convert_to_pdf(&docx).expect("LibreOffice is installed by scripts/test-env.sh"))
}

#[test]
fn the_signature_block_stays_together_and_the_appendix_is_numbered_from_1() {
    for name in ["cam-xuyen-2022-h1.json", "le-hong-2022-h1.json", "my-tu-2021.json"] {
        let (report, pdf) = printed(name);
        let signer = report.document.signer.clone().expect("the example names its signer");
        let pages = pages(&pdf, name);
        let sign = pages.iter().position(|p| p.contains("TM.") || p.contains("KT.")).expect("a signature block");
        assert!(pages[sign].contains(&signer), "{name}: {signer} is not on the page of TM./KT. (page {})", sign + 1);
        let appendix = pages.iter().position(|p| p.contains("PHỤ LỤC")).expect("an appendix");
        assert!(appendix > sign, "{name}: the appendix follows the signature");
        assert_eq!(pages[appendix].split_whitespace().next(), Some("1"), "{name}: the appendix's first page is numbered 1");
        assert!(pages[appendix].contains("Kèm theo Báo cáo số"), "{name}");
    }
}

/// A line of text on a page: its words joined, and its top and bottom (points from the top).
#[derive(Debug)]
struct TextLine {
    text: String,
    x: (f64, f64),
    y: (f64, f64),
}

/// The first page's text lines, from `pdftotext -bbox` (its words, split at composed
/// characters, joined again when they touch).
fn first_page_lines(pdf_path: &std::path::Path) -> Vec<TextLine> {
    let out = Command::new("pdftotext").args(["-bbox", "-f", "1", "-l", "1"]).arg(pdf_path).arg("-").output().expect("pdftotext");
    let html = String::from_utf8_lossy(&out.stdout);
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
    };
    let mut lines: Vec<TextLine> = Vec::new();
    for piece in html.split("<word ").skip(1) {
        let (tag, rest) = piece.split_once('>').unwrap();
        let word = rest.split("</word>").next().unwrap().replace("&amp;", "&");
        let (x0, y0, x1, y1) = (attr(tag, "xMin"), attr(tag, "yMin"), attr(tag, "xMax"), attr(tag, "yMax"));
        match lines.last_mut() {
            Some(l) if (l.y.0 - y0).abs() < 1.0 && x0 >= l.x.1 - 1.0 && x0 - l.x.1 < 40.0 => {
                if x0 - l.x.1 > 1.0 {
                    l.text.push(' ');
                }
                l.text.push_str(&word);
                l.x.1 = x1;
            }
            _ => lines.push(TextLine { text: word, x: (x0, x1), y: (y0, y1) }),
        }
    }
    lines
}

/// The horizontal lines drawn on the first page (`pdftocairo -svg`): (x from, x to, y).
fn first_page_rules(pdf_path: &std::path::Path) -> Vec<(f64, f64, f64)> {
    let svg_path = pdf_path.with_extension("svg");
    Command::new("pdftocairo").args(["-svg", "-f", "1", "-l", "1"]).arg(pdf_path).arg(&svg_path).status().expect("pdftocairo");
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let _ = std::fs::remove_file(&svg_path);
    let mut out = Vec::new();
    for path in svg.split("<path ").skip(1).map(|p| p.split('>').next().unwrap()) {
        if !path.contains("stroke-width") {
            continue;
        }
        let d = path.split("d=\"").nth(1).unwrap().split('"').next().unwrap();
        let n: Vec<f64> = d.split_whitespace().filter_map(|t| t.parse().ok()).collect();
        let (a, ty) = match path.split("matrix(").nth(1) {
            Some(m) => {
                let m: Vec<f64> = m.split(')').next().unwrap().split(',').map(|v| v.trim().parse().unwrap()).collect();
                (m[3], m[5])
            }
            None => (1.0, 0.0),
        };
        if n.len() == 4 && (n[1] - n[3]).abs() < 0.01 {
            out.push((n[0] * a.abs(), n[2] * a.abs(), n[1] * a + ty));
        }
    }
    out
}

#[test]
fn the_header_breaks_between_names_and_its_lines_sit_under_their_text() {
    for name in ["cam-xuyen-2022-h1.json", "le-hong-2022-h1.json", "my-tu-2021.json"] {
        let (report, pdf) = printed(name);
        let issuer = report.document.issuer.clone().expect("the example names its issuer");
        let path = std::env::temp_dir().join(format!("cchc-header-{}-{name}.pdf", std::process::id()));
        std::fs::write(&path, pdf).unwrap();
        let lines = first_page_lines(&path);
        let rules = first_page_rules(&path);
        let _ = std::fs::remove_file(&path);
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        let find = |t: &str| {
            lines.iter().find(|l| squeeze(&l.text) == squeeze(t)).unwrap_or_else(|| panic!("{name}: no line «{t}» in {lines:#?}"))
        };
        // Each line of the issuing body is a line of the page, whole.
        let expected = cchc_documents::issuer::lines(&issuer, 22);
        assert!(expected.len() >= 2 || issuer.chars().count() <= 22, "{name}: {expected:?}");
        let issuer_lines: Vec<&TextLine> = expected.iter().map(|l| find(l)).collect();
        let last = issuer_lines.last().unwrap();
        let number = lines.iter().find(|l| l.text.starts_with("Số:")).expect("the number line");
        let short = rules.iter().find(|r| r.1 < 300.0 && r.2 > last.y.1 - 1.0 && r.2 < number.y.0 + 1.0);
        assert!(short.is_some(), "{name}: no line between «{}» and «{}»: {rules:?}", last.text, number.text);
        // The short line is centred under the issuing body.
        let (from, to, _) = short.unwrap();
        let centre = (last.x.0 + last.x.1) / 2.0;
        assert!(((from + to) / 2.0 - centre).abs() < 15.0, "{name}: the short line is not under «{}»", last.text);
        let motto = find("Độc lập - Tự do - Hạnh phúc");
        let date = lines.iter().find(|l| l.text.contains(", ngày")).expect("the place and date");
        let long = rules.iter().find(|r| r.0 > 250.0 && r.2 > motto.y.1 - 1.0 && r.2 < date.y.0 + 1.0);
        assert!(long.is_some(), "{name}: no line between the motto and the date: {rules:?}");
        let (from, to, _) = long.unwrap();
        assert!((to - from) > (motto.x.1 - motto.x.0) * 0.8, "{name}: the line under the motto is shorter than it");
    }
}
