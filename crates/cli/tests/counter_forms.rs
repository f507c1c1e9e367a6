//! `cchc dossiers form`: a form of Circular 03/2025/TT-VPCP of a stored dossier written as DOCX,
//! a form the dossier has no event for and an unknown form number refused in Vietnamese.

mod common;

use std::io::Read;

use common::{cchc, temp};

#[test]
fn a_dossiers_receipt_is_written_as_docx() {
    let dir = temp("forms", "receipt");
    let db = dir.join("cchc.db");
    assert_eq!(cchc(&db, &["units", "import", "examples/units.json"]).code, 0);
    let (code, text) = cchc(&db, &["dossiers", "generate", "--unit", "42", "--dossiers", "20", "--year", "2024"]).pair();
    assert_eq!(code, 0, "{text}");
    let (_, lines) = cchc(&db, &["dossiers", "export", "--unit", "42", "--format", "jsonl"]).pair();
    let first: serde_json::Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    let id = first["id"].as_str().unwrap().to_string();

    let out = dir.join("giay-tiep-nhan.docx");
    let args = ["dossiers", "form", "--id", &id, "--form", "01", "--out", out.to_str().unwrap(), "--base-url", "https://motcua.test"];
    let (code, text) = cchc(&db, &args).pair();
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("Đã ghi Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu số 01"), "{text}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut document = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut document).unwrap();
    assert!(document.contains(&id) && document.contains(&format!("https://motcua.test/tra-cuu?ma={id}")), "{document}");

    let (code, text) = cchc(&db, &["dossiers", "form", "--id", &id, "--form", "09"]).pair();
    assert_ne!(code, 0);
    assert!(text.contains("không có mẫu số \"09\": chỉ có 01 đến 06"), "{text}");
}
