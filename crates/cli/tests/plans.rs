//! `cchc plans import | list | export` against a real SQLite file (issue 14): the example
//! workbook imported, listed and exported back; a workbook with a bad row refused naming its row
//! and column, nothing stored, exit status 1.

mod common;

use common::cchc;

#[test]
fn a_plan_is_imported_listed_exported_and_a_bad_row_stores_nothing() {
    let dir = common::temp("plans", "import");
    let db = dir.join("cchc.db");
    let r = cchc(&db, &["units", "import", "examples/units.json"]);
    assert_eq!(r.code, 0, "{}", r.out);

    let r = cchc(&db, &["plans", "import", "examples/plans/ke-hoach-cchc.xlsx", "--unit", "42-CAMXUYEN"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.out.contains("Đã nhập Kế hoạch số 158/KH-UBND ngày 17/01/2022 (5 nhiệm vụ) của đơn vị 42-CAMXUYEN"), "{}", r.out);
    let r = cchc(&db, &["plans", "list", "--unit", "42-CAMXUYEN", "--overdue"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.out.contains("Rà soát, đánh giá thành phần hồ sơ, quy trình nội bộ giải quyết TTHC | chủ trì: 42-CAMXUYEN | hạn 30/09/2022 | Quá hạn chưa hoàn thành"), "{}", r.out);
    assert!(!r.out.contains("Hoàn thành đúng hạn"), "{}", r.out);

    // Exported, then imported into the province (the district is within it): the same plan.
    let out = dir.join("ke-hoach.xlsx");
    let r = cchc(&db, &["plans", "export", "--id", "1", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.out);
    let r = cchc(&db, &["plans", "import", out.to_str().unwrap(), "--unit", "42"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.out.contains("(5 nhiệm vụ) của đơn vị 42"), "{}", r.out);

    // The same workbook again for the district: refused, exit 1, in Vietnamese.
    let r = cchc(&db, &["plans", "import", "examples/plans/ke-hoach-cchc.xlsx", "--unit", "42-CAMXUYEN"]);
    assert_eq!(r.code, 1);
    assert!(r.out.contains("Lỗi: đơn vị 42-CAMXUYEN đã có kế hoạch 158/KH-UBND ngày 17/01/2022"), "{}", r.out);
    // A unit that does not exist in the sheet: every bad row named, nothing stored.
    let r = cchc(&db, &["plans", "import", "examples/plans/ke-hoach-cchc.xlsx", "--unit", "30-THANHMIEN"]);
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(r.out.contains("chưa nhập gì"), "{}", r.out);
    assert!(r.out.contains("hàng 12, cột C (Đơn vị chủ trì): đơn vị 42-CAMXUYEN không trực thuộc đơn vị ban hành kế hoạch"), "{}", r.out);
    assert!(r.out.contains("hàng 16, cột C (Đơn vị chủ trì)"), "{}", r.out);
    let r = cchc(&db, &["plans", "list", "--unit", "30-THANHMIEN"]);
    assert!(r.out.contains("Nhiệm vụ ngày") && r.out.contains("(0):"), "{}", r.out);
}
