//! `cchc dossiers export --format dvcqg` and `cchc dossiers import --format dvcqg`: a province's
//! dossiers go out in the national portal's synchronisation format and come back; what the
//! format holds survives a second round unchanged; a bad file stores nothing.

mod common;

use common::{cchc, temp};
use serde_json::Value;

fn export(db: &std::path::Path, out: &std::path::Path) -> Value {
    let (code, text) = cchc(db, &["dossiers", "export", "--unit", "42", "--format", "dvcqg", "--out", out.to_str().unwrap()]).pair();
    assert_eq!(code, 0, "{text}");
    serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap()
}

#[test]
fn dossiers_go_out_and_come_back_in_the_national_format() {
    let dir = temp("dvcqg", "round");
    let dbs: Vec<_> = (1..=3).map(|i| dir.join(format!("{i}.db"))).collect();
    for db in &dbs {
        assert_eq!(cchc(db, &["units", "import", "examples/units.json"]).code, 0);
    }
    let (code, text) = cchc(&dbs[0], &["dossiers", "generate", "--unit", "42", "--dossiers", "300", "--year", "2024"]).pair();
    assert_eq!(code, 0, "{text}");
    let first = export(&dbs[0], &dir.join("1.json"));
    assert_eq!(first["service"], "DongBoHoSoMC");
    assert_eq!(first["data"].as_array().unwrap().len(), 300);
    let (code, text) = cchc(&dbs[1], &["dossiers", "import", "--format", "dvcqg", dir.join("1.json").to_str().unwrap()]).pair();
    assert_eq!((code, text.trim()), (0, "Đã nhập 300 hồ sơ."));
    // What the format holds is a fixed point: exported again, imported, exported, the same.
    let second = export(&dbs[1], &dir.join("2.json"));
    assert_eq!(cchc(&dbs[2], &["dossiers", "import", "--format", "dvcqg", dir.join("2.json").to_str().unwrap()]).code, 0);
    assert_eq!(export(&dbs[2], &dir.join("3.json")), second);
    // The step updates: generated dossiers name no officer, so there are none, in their body.
    let (code, steps) = cchc(&dbs[1], &["dossiers", "export", "--unit", "42", "--format", "dvcqg-tien-do"]).pair();
    assert_eq!(code, 0, "{steps}");
    let steps: Value = serde_json::from_str(steps.trim()).unwrap();
    assert_eq!((steps["service"].as_str(), steps["data"].as_array().map(Vec::len)), (Some("CapNhatTienDoHoSoMC"), Some(0)));
    // cchc's own formats export too.
    let (code, csv) = cchc(&dbs[1], &["dossiers", "export", "--unit", "42", "--format", "csv"]).pair();
    assert_eq!(code, 0);
    assert!(csv.starts_with("id,") && csv.contains(",tiep-nhan,"), "{}", &csv[..200.min(csv.len())]);
}

#[test]
fn a_bad_national_file_is_refused_row_by_row_in_vietnamese() {
    let dir = temp("dvcqg", "bad");
    let db = dir.join("cchc.db");
    assert_eq!(cchc(&db, &["units", "import", "examples/units.json"]).code, 0);
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"service":"DongBoHoSoMC","data":[{"MaHoSo":"A-1","MaTTHC":"1.001193","TrangThaiHoSo":"12","DonViXuLy":"42","NgayTiepNhan":"20240201080000"}]}"#).unwrap();
    let (code, text) = cchc(&db, &["dossiers", "import", "--format", "dvcqg", bad.to_str().unwrap()]).pair();
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("LỖI Dòng 1, cột \"TrangThaiHoSo\": hồ sơ A-1: trạng thái phải là một số từ 1 đến 10"), "{text}");
    let (_, csv) = cchc(&db, &["dossiers", "export", "--unit", "42", "--format", "jsonl"]).pair();
    assert_eq!(csv.trim(), "", "nothing stored");
}

#[test]
fn step_updates_name_the_officers_of_imported_dossiers() {
    let dir = temp("dvcqg", "steps");
    let (source, target, refused) = (dir.join("source.db"), dir.join("target.db"), dir.join("refused.db"));
    for db in [&source, &target, &refused] {
        assert_eq!(cchc(db, &["units", "import", "examples/units.json"]).code, 0);
    }
    assert_eq!(cchc(&source, &["dossiers", "generate", "--unit", "42", "--dossiers", "20", "--year", "2024"]).code, 0);
    let body = export(&source, &dir.join("body.json"));
    let first = &body["data"][0];
    let (id, received) = (first["MaHoSo"].as_str().unwrap(), first["NgayTiepNhan"].as_str().unwrap());
    let steps = dir.join("steps.json");
    let updates = serde_json::json!({"service": "CapNhatTienDoHoSoMC", "data": [
        {"MaHoSo": id, "NguoiXuLy": "sonha", "ThoiDiemXuLy": received, "NoiDungXuLy": "Tiếp nhận"},
        {"MaHoSo": "KHONG-CO", "NguoiXuLy": "sonha", "ThoiDiemXuLy": received},
    ]});
    std::fs::write(&steps, updates.to_string()).unwrap();
    let body_path = dir.join("body.json");
    let (code, text) =
        cchc(&target, &["dossiers", "import", "--format", "dvcqg", "--steps", steps.to_str().unwrap(), body_path.to_str().unwrap()]).pair();
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("Đã nhập 20 hồ sơ.") && text.contains("Bỏ qua 1 cập nhật tiến độ không khớp"), "{text}");
    // The officer is the receipt's actor now, and goes out again in the step updates.
    let (code, out) = cchc(&target, &["dossiers", "export", "--unit", "42", "--format", "dvcqg-tien-do"]).pair();
    assert_eq!(code, 0, "{out}");
    let out: Value = serde_json::from_str(out.trim()).unwrap();
    let data = out["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{out}");
    assert_eq!((data[0]["MaHoSo"].as_str(), data[0]["NguoiXuLy"].as_str()), (Some(id), Some("sonha")));

    // A bad update is named and nothing is stored; --steps belongs to the national format.
    std::fs::write(&steps, r#"{"service":"CapNhatTienDoHoSoMC","data":[{"MaHoSo":"A","NguoiXuLy":"x","ThoiDiemXuLy":"hôm qua"}]}"#)
        .unwrap();
    let (code, text) =
        cchc(&refused, &["dossiers", "import", "--format", "dvcqg", "--steps", steps.to_str().unwrap(), body_path.to_str().unwrap()])
            .pair();
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("LỖI Tệp cập nhật tiến độ: Dòng 1, cột \"ThoiDiemXuLy\": thời điểm \"hôm qua\" không đúng dạng yyyyMMddHHmmss"),
        "{text}"
    );
    let (_, stored) = cchc(&refused, &["dossiers", "export", "--unit", "42", "--format", "jsonl"]).pair();
    assert_eq!(stored.trim(), "", "nothing stored");
    let (code, text) = cchc(&refused, &["dossiers", "import", "--format", "mau07", "--steps", "x.json", "y.xlsx"]).pair();
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("--steps chỉ dùng với --format dvcqg"), "{text}");
}
