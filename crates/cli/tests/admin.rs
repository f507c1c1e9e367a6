//! `cchc calendar import` / `calendar holidays`, `cchc procedures import` and `cchc catalogue
//! add` / `use` against a real SQLite file: checked as a whole, nothing stored on a mistake.

use std::path::{Path, PathBuf};
use std::process::Command;

fn cchc(db: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cchc"))
        .arg("--db")
        .arg(format!("sqlite://{}", db.display()))
        .args(args)
        .output()
        .expect("cchc runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cchc-admin-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_years_announcement_is_imported_and_listed() {
    let dir = temp("calendar");
    let db = dir.join("cchc.db");
    // Before any database exists, the shipped schedule; listing creates nothing.
    let (_, shipped) = cchc(&db, &["calendar", "holidays", "2027"]);
    assert!(shipped.contains("01/09/2027 Quốc khánh (ngày liền kề)") && !db.exists(), "{shipped}");

    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "[[year]]\nyear = 2027\nnot_off = [\"2027-09-01\"]\nworking_days = [{ date = \"2027-09-08\", name = \"Làm bù\" }]\n",
    )
    .unwrap();
    let (code, out) = cchc(&db, &["calendar", "import", bad.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("LỖI Ngày 08/09/2027 không phải ngày nghỉ hằng tuần"), "{out}");

    let good = dir.join("2027.toml");
    std::fs::write(
        &good,
        "[[year]]\nyear = 2027\nnot_off = [\"2027-09-01\"]\ndays_off = [{ date = \"2027-09-03\", name = \"Quốc khánh (ngày liền kề)\" }]\n",
    )
    .unwrap();
    let (code, out) = cchc(&db, &["calendar", "import", good.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Đã lưu lịch nghỉ năm 2027"), "{out}");
    let (_, listed) = cchc(&db, &["calendar", "holidays", "2027"]);
    assert!(listed.contains("03/09/2027 Quốc khánh (ngày liền kề)") && !listed.contains("01/09/2027"), "{listed}");
}

#[test]
fn procedures_and_catalogue_versions_are_imported_whole_or_not_at_all() {
    let dir = temp("catalogue");
    let db = dir.join("cchc.db");
    let procs = dir.join("tthc.csv");
    std::fs::write(&procs, "code,name,field,level,time_unit,time,online,fee\n1.001,Đăng ký khai sinh,ho-tich,xa,working-days,1,full,\n1.002,Cấp giấy phép xây dựng,xay-dung,huyen,ngay,15,partial,\n").unwrap();
    let (code, out) = cchc(&db, &["procedures", "import", procs.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Dòng 2, cột \"time_unit\": đơn vị thời gian \"ngay\" không hợp lệ"), "{out}");
    std::fs::write(&procs, "code,name,field,level,time_unit,time,online,fee\n1.001,Đăng ký khai sinh,ho-tich,xa,working-days,1,full,\n")
        .unwrap();
    let (code, out) = cchc(&db, &["procedures", "import", procs.to_str().unwrap()]);
    assert_eq!((code, out.trim()), (0, "Đã nhập 1 thủ tục hành chính."));

    let variant = dir.join("hl.toml");
    std::fs::write(&variant, "remove = [\"3.5.7\"]\n[catalogue]\nid = \"hl\"\nversion = \"2027.1\"\nname = \"Bộ chỉ tiêu tỉnh Hồng Lam\"\nextends = \"vn-default@2022.1\"\n").unwrap();
    let (code, out) = cchc(&db, &["catalogue", "add", variant.to_str().unwrap(), "--in-force"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Đã lưu bộ chỉ tiêu hl@2027.1.")
            && out.contains("Bỏ 1 chỉ tiêu: 3.5.7")
            && out.contains("Báo cáo lập mới dùng bộ chỉ tiêu hl@2027.1."),
        "{out}"
    );
    std::fs::write(&variant, "remove = [\"3.5.8\"]\n[catalogue]\nid = \"hl\"\nversion = \"2027.1\"\nname = \"Bộ chỉ tiêu tỉnh Hồng Lam\"\nextends = \"vn-default@2022.1\"\n").unwrap();
    let (code, out) = cchc(&db, &["catalogue", "add", variant.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("hl@2027.1 đã có với nội dung khác"), "{out}");
    let (code, out) = cchc(&db, &["catalogue", "use", "vn-default@2022.1"]);
    assert_eq!(code, 0, "{out}");
}
