//! The signed report as LibreOffice prints it, read back from the PDF's text page by page
//! (`pdftotext`, installed with LibreOffice by scripts/test-env.sh): for each example, the
//! signer's name is on the page of TM./KT., and the appendix's first page is numbered 1.

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

#[test]
fn the_signature_block_stays_together_and_the_appendix_is_numbered_from_1() {
    for name in ["cam-xuyen-2022-h1.json", "le-hong-2022-h1.json", "my-tu-2021.json"] {
        let text = std::fs::read_to_string(format!("{}/../../examples/reports/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let cat = default_catalogue();
        let report = cchc_report::file::read(&text, &cat).unwrap();
        let signer = report.document.signer.clone().expect("the example names its signer");
        let docx = cchc_documents::docx::render(&ReportDocument::new(report, cat)).unwrap();
        let pdf = cchc_app::report_docs::convert_to_pdf(&docx).expect("LibreOffice is installed by scripts/test-env.sh");
        let pages = pages(&pdf, name);
        let sign = pages.iter().position(|p| p.contains("TM.") || p.contains("KT.")).expect("a signature block");
        assert!(pages[sign].contains(&signer), "{name}: {signer} is not on the page of TM./KT. (page {})", sign + 1);
        let appendix = pages.iter().position(|p| p.contains("PHỤ LỤC")).expect("an appendix");
        assert!(appendix > sign, "{name}: the appendix follows the signature");
        assert_eq!(pages[appendix].split_whitespace().next(), Some("1"), "{name}: the appendix's first page is numbered 1");
        assert!(pages[appendix].contains("Kèm theo Báo cáo số"), "{name}");
    }
}
