//! `cchc validate` on the three reference reports: it reports their real mistakes, with the
//! numbers, and no false alarm. The full outputs are insta snapshots.

use std::process::Command;

fn validate(file: &str, json: bool) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cchc"));
    cmd.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).args(["validate", file]);
    if json {
        cmd.args(["--format", "json"]);
    }
    let out = cmd.output().expect("cchc runs");
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn cam_xuyen_holds_together() {
    let (code, text) = validate("examples/reports/cam-xuyen-2022-h1.json", false);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("Không phát hiện lỗi hay cảnh báo nào."), "{text}");
}

#[test]
fn my_tu_mistakes_are_reported_with_their_numbers() {
    let (code, text) = validate("examples/reports/my-tu-2021.json", false);
    assert_eq!(code, 1);
    assert!(text.contains("4.738 + 49.120 = 53.858, khác tổng số 53.850"), "{text}");
    assert!(text.contains("54.647 khác số giải quyết trước hạn và đúng hạn cộng quá hạn 53.850 + 789 = 54.639"), "{text}");
    assert!(text.contains("ghi 92,85% (II.1.1) nhưng tính từ 26/28 là 92,86%"), "{text}");
    assert!(text.contains("49.120 (II.5) và 26.600"), "{text}");
    assert!(text.contains("49.900 (II.5; Phụ lục 2) và 27.266"), "{text}");
    assert!(text.contains("ghi 42,30% (II.2) nhưng tính từ 11/26 là 42,31%"), "{text}");
    assert!(text.contains("Tổng cộng: 6 lỗi, 0 cảnh báo."), "{text}");
}

#[test]
fn le_hong_mistakes_are_reported_with_their_numbers() {
    let (code, text) = validate("examples/reports/le-hong-2022-h1.json", false);
    assert_eq!(code, 1);
    assert!(
        text.contains(
            "Lĩnh vực Hộ tịch: Tổng số hồ sơ tiếp nhận 224 khác tổng trực tuyến, trực tiếp, BCCI và kỳ trước chuyển sang 94 + 150 = 244"
        ),
        "{text}"
    );
    assert!(
        text.contains("Số hồ sơ đã giải quyết 1.221 khác số giải quyết trước hạn và đúng hạn cộng quá hạn 1.221 + 1 = 1.222"),
        "{text}"
    );
    assert!(text.contains("ghi trên 80% (III.1) nhưng tính từ 539/1.215 là 44,36%"), "{text}");
    assert!(text.contains("ghi 85% (I.1; Biểu mẫu 1, 2) nhưng tính từ 24/28 là 85,71%"), "{text}");
    assert!(text.contains("ghi 99,9% (Biểu mẫu 3, 3.3) nhưng tính từ 1.221/1.221 là 100,00%"), "{text}");
    assert!(text.contains("Tổng cộng: 5 lỗi, 0 cảnh báo."), "{text}");
}

#[test]
fn json_outputs_are_stable() {
    for (name, file) in [
        ("cam_xuyen", "examples/reports/cam-xuyen-2022-h1.json"),
        ("my_tu", "examples/reports/my-tu-2021.json"),
        ("le_hong", "examples/reports/le-hong-2022-h1.json"),
    ] {
        let (_, json) = validate(file, true);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        insta::assert_json_snapshot!(name, value);
    }
}

#[test]
fn unreadable_input_names_row_field_and_rule() {
    let dir = std::env::temp_dir().join(format!("cchc-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.json");
    std::fs::write(
        &file,
        r#"{"format": "cchc-unit-report/1", "catalogue": "vn-default@2022.1",
        "unit": {"code": "X", "name": "Xã X", "kind": "xa"}, "period": "2022-H1",
        "values": [{"code": "3.5.1", "value": -3}, {"code": "1.6.5", "value": 7}]}"#,
    )
    .unwrap();
    let (code, text) = validate(file.to_str().unwrap(), false);
    assert_eq!(code, 1);
    assert!(text.contains("Dòng 1 (chỉ tiêu 3.5.1), trường \"value\": số hồ sơ phải là số nguyên không âm, nhận được -3"), "{text}");
    assert!(
        text.contains(
            "Dòng 2 (chỉ tiêu 1.6.5), trường \"value\": phải là một trong: Trực tuyến = 0; Phát phiếu = 1; Kết hợp = 2, nhận được 7"
        ),
        "{text}"
    );
}

fn cchc(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_cchc")).args(args).output().expect("cchc runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn calendar_commands() {
    assert_eq!(cchc(&["calendar", "lunar", "2023-03-22"]), "1/2/2023 (nhuận)\n");
    assert_eq!(cchc(&["calendar", "lunar", "17/02/2007"]), "1/1/2007\n");
    let days = cchc(&["calendar", "holidays", "2026"]);
    assert!(days.contains("17/02/2026 Tết Nguyên đán"), "{days}");
    assert!(days.contains("27/04/2026 Nghỉ bù Giỗ Tổ Hùng Vương"), "{days}");
    assert!(days.contains("24/11/2026 Ngày Văn hóa Việt Nam"), "{days}");
}
