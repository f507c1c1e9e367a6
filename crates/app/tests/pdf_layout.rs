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

/// The first page of a report as LibreOffice prints it: its text lines and its drawn lines.
fn first_page(report: cchc_report::UnitReport, name: &str) -> (Vec<TextLine>, Vec<(f64, f64, f64)>) {
    let docx = cchc_documents::docx::render(&ReportDocument::new(report, default_catalogue())).unwrap();
    let pdf = cchc_app::report_docs::convert_to_pdf(&docx).expect("LibreOffice is installed by scripts/test-env.sh");
    let path = std::env::temp_dir().join(format!("cchc-header-{}-{name}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    let page = (first_page_lines(&path), first_page_rules(&path));
    let _ = std::fs::remove_file(&path);
    page
}

/// The line drawn between two lines of text, right under the first: its gap to the text above
/// at most 4 pt and smaller than its gap to the text below (the earlier layout drew it at the
/// foot of its table, on the next line of text: 9,5 pt under the text and 0,2 pt into the next).
fn line_between<'a>(rules: &'a [(f64, f64, f64)], above: &TextLine, below: &TextLine, name: &str) -> &'a (f64, f64, f64) {
    let centre = (above.x.0 + above.x.1) / 2.0;
    let rule = rules
        .iter()
        .filter(|r| ((r.0 + r.1) / 2.0 - centre).abs() < 60.0)
        .find(|r| r.2 > above.y.0 && r.2 < below.y.1)
        .unwrap_or_else(|| panic!("{name}: no line between «{}» and «{}»: {rules:?}", above.text, below.text));
    let (over, under) = (rule.2 - above.y.1, below.y.0 - rule.2);
    assert!(
        (-0.5..=4.0).contains(&over) && over < under,
        "{name}: the line under «{}» is {over:.1} pt under it and {under:.1} pt above «{}»",
        above.text,
        below.text
    );
    assert!(((rule.0 + rule.1) / 2.0 - centre).abs() < 3.0, "{name}: the line is not centred under «{}»", above.text);
    rule
}

#[test]
fn the_header_breaks_between_names_and_its_lines_sit_under_their_text() {
    let cat = default_catalogue();
    let read = |name: &str| {
        let text = std::fs::read_to_string(format!("{}/../../examples/reports/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        cchc_report::file::read(&text, &cat).unwrap()
    };
    // A name too long for the column (thị trấn Huỳnh Hữu Nghĩa, Mỹ Tú): broken between words,
    // the kind with the first word of the name.
    let mut town = read("my-tu-2021.json");
    town.document.issuer = Some("Ủy ban nhân dân thị trấn Huỳnh Hữu Nghĩa".into());
    // (name, report, the parent body's lines, the issuing body's lines)
    let cases: [(&str, cchc_report::UnitReport, &[&str], &[&str]); 4] = [
        ("cam-xuyen-2022-h1.json", read("cam-xuyen-2022-h1.json"), &[], &["ỦY BAN NHÂN DÂN", "HUYỆN CẨM XUYÊN"]),
        // The parent body, then the issuing body, each broken before its place.
        (
            "le-hong-2022-h1.json",
            read("le-hong-2022-h1.json"),
            &["ỦY BAN NHÂN DÂN", "HUYỆN THANH MIỆN"],
            &["ỦY BAN NHÂN DÂN", "XÃ LÊ HỒNG"],
        ),
        ("my-tu-2021.json", read("my-tu-2021.json"), &[], &["ỦY BAN NHÂN DÂN", "HUYỆN MỸ TÚ"]),
        ("huynh-huu-nghia", town, &[], &["ỦY BAN NHÂN DÂN", "THỊ TRẤN HUỲNH", "HỮU NGHĨA"]),
    ];
    for (name, report, parent, issuer) in cases {
        let (lines, rules) = first_page(report, name);
        let number = lines.iter().find(|l| l.text.starts_with("Số:")).unwrap_or_else(|| panic!("{name}: no number line in {lines:#?}"));
        // The left column down to "Số:" holds the expected lines, each whole: LibreOffice broke
        // none of them further ("ỦY BAN NHÂN DÂN XÃ LÊ" / "HỒNG" was the bug).
        let left: Vec<&TextLine> = lines.iter().filter(|l| l.x.1 < 250.0 && l.y.1 <= number.y.0).collect();
        let texts: Vec<&str> = left.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, [parent, issuer].concat(), "{name}: the lines of the parent body and the issuing body");
        // The short line: under the issuing body, above "Số:", 1/3 to 1/2 of the body's width.
        let (from, to, _) = line_between(&rules, left.last().unwrap(), number, name);
        let widest = left[parent.len()..].iter().map(|l| l.x.1 - l.x.0).fold(0.0, f64::max);
        let share = (to - from) / widest;
        assert!((0.32..=0.51).contains(&share), "{name}: the short line is {share:.2} of the issuing body's width");
        // The long line: under the motto, above the place and date, as long as the motto.
        let motto = lines.iter().find(|l| l.text == "Độc lập - Tự do - Hạnh phúc").unwrap_or_else(|| panic!("{name}: no motto"));
        let date = lines.iter().find(|l| l.text.contains(", ngày")).expect("the place and date");
        let (from, to, _) = line_between(&rules, motto, date, name);
        let motto_width = motto.x.1 - motto.x.0;
        assert!(
            ((to - from) - motto_width).abs() < motto_width * 0.03,
            "{name}: the line under the motto is {:.1} pt, the motto {motto_width:.1} pt",
            to - from
        );
        // "Số:" and the place and date side by side, as in the Decree's sample.
        assert!((number.y.1 - date.y.1).abs() < 3.0, "{name}: «{}» and «{}» are not on one line", number.text, date.text);
    }
}
