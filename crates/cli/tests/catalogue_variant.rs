//! A province's variant that relabels its forms ("Biểu số 02/CCHC") and rewords a meaning without
//! renaming any indicator code is accepted by `cchc catalogue check`; a score out of range in a
//! report is refused naming its row.

mod common;
use common::cchc;

#[test]
fn a_variant_relabels_its_forms_and_keeps_the_codes() {
    let dir = common::temp("variant", "relabel");
    let db = dir.join("cchc.db");
    let r = cchc(&db, &["catalogue", "check", "catalogues/example-relabelled.toml"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.out.contains("vi-du-tinh@2025.1 hợp lệ"), "{}", r.out);
    // The default catalogue has the families reports state since 2022: the PAR index as a score.
    let report = dir.join("par.json");
    std::fs::write(
        &report,
        r#"{"format": "cchc-unit-report/1", "catalogue": "vn-default@2022.1",
            "unit": {"code": "X", "name": "Xã X", "kind": "xa"}, "period": "2024-Y",
            "values": [{"code": "1.12.1", "value": "85,52"}, {"code": "7.11.2", "value": 20}, {"code": "7.11.3", "value": 25}]}"#,
    )
    .unwrap();
    let r = cchc(&db, &["validate", report.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(r.out.contains("Số chứng thư chữ ký số đang sử dụng 25 lớn hơn số đã cấp 20"), "{}", r.out);
    std::fs::write(&report, std::fs::read_to_string(&report).unwrap().replace("\"85,52\"", "\"185\"")).unwrap();
    let r = cchc(&db, &["validate", report.to_str().unwrap()]);
    assert!(r.out.contains("điểm phải là số từ 0 đến 100"), "{}", r.out);
}
