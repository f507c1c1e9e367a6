//! `cchc import --issued`: a signed report of an earlier period with its own mistakes (Mỹ Tú, year
//! 2021: six errors) is stored as issued, its findings printed and kept; the next year's report
//! compares with it (crates/app/tests/issued_reports.rs).

mod common;
use common::cchc;

#[test]
fn a_signed_report_with_its_mistakes_is_stored_as_issued_and_next_year_compares_with_it() {
    let dir = common::temp("issued", "my-tu");
    let db = dir.join("cchc.db");
    assert_eq!(cchc(&db, &["units", "import", "examples/units.json"]).code, 0);
    let plain = cchc(&db, &["import", "examples/reports/my-tu-2021.json"]);
    assert_eq!(plain.code, 1, "{}", plain.out);
    assert!(plain.out.contains("Không nhập: báo cáo còn lỗi"), "{}", plain.out);

    let r = cchc(&db, &["import", "examples/reports/my-tu-2021.json", "--issued"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.out.contains("Đã lưu báo cáo đã ban hành của Huyện Mỹ Tú kỳ 2021-Y"), "{}", r.out);
    assert!(r.out.contains("53.858") && r.out.contains("53.850"), "the report's own mistakes are shown: {}", r.out);
    let again = cchc(&db, &["import", "examples/reports/my-tu-2021.json", "--issued"]);
    assert_eq!(again.code, 1, "{}", again.out);
    assert!(again.out.contains("đã được lưu và không thay đổi"), "{}", again.out);

    // The comparison of the next year's report with it: crates/app/tests/issued_reports.rs.
}
