//! `cchc report` from a file, and the workbook it writes imported back with `cchc import FILE.xlsx`.

mod common;
use std::path::{Path, PathBuf};

/// Exit status and everything printed.
fn cchc(db: &Path, args: &[&str]) -> (i32, String) {
    common::cchc(db, args).pair()
}

fn temp(name: &str) -> PathBuf {
    common::temp("report", name)
}

#[test]
fn report_from_a_file_then_its_workbook_imported_back() {
    let dir = temp("round-trip");
    let db = dir.join("t.db");
    let (docx, xlsx) = (dir.join("bc.docx"), dir.join("pl.xlsx"));
    let (code, out) = cchc(
        &db,
        &["report", "--from", "examples/reports/cam-xuyen-2022-h1.json", "--out", docx.to_str().unwrap(), "--xlsx", xlsx.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));
    // A report is stored only for a known unit.
    let (code, out) = cchc(&db, &["import", xlsx.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Không có đơn vị mã 42-CAMXUYEN"), "{out}");
    let (code, out) = cchc(&db, &["units", "import", "examples/units.json"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = cchc(&db, &["import", xlsx.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("từ tệp Excel"), "{out}");
    // The stored report now writes the same document from the store.
    let again = dir.join("again.docx");
    let (code, out) = cchc(&db, &["report", "--unit", "42-CAMXUYEN", "--period", "2022-H1", "--out", again.to_str().unwrap(), "--draft"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Vẫn còn 09 hồ sơ giải quyết quá hạn."), "{out}");
}

#[test]
fn nothing_to_write_is_an_error() {
    let dir = temp("none");
    let (code, out) = cchc(&dir.join("t.db"), &["report", "--from", "examples/reports/cam-xuyen-2022-h1.json"]);
    assert_eq!(code, 2);
    assert!(out.contains("hãy chỉ ra tệp cần ghi"), "{out}");
}
