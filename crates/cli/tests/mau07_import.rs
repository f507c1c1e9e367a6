//! `cchc dossiers import --format mau07 FILE.xlsx`: form 07 (sổ theo dõi hồ sơ) as a one-stop
//! system exports it imports; a bad row is named by row and column and nothing is stored.

mod common;

use cchc_documents::xlsx::table::{Cell, Column, Table};
use common::{cchc, temp};

fn sheet(rows: &[[&str; 8]]) -> Vec<u8> {
    let headings = [
        "STT",
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Tên cá nhân, tổ chức và địa chỉ",
        "Nhận hồ sơ",
        "Hẹn trả kết quả",
        "Trả kết quả",
        "Ghi chú",
    ];
    let columns: Vec<Column<'_>> = headings.iter().map(|heading| Column { heading, width: 20.0 }).collect();
    let rows: Vec<Vec<Cell>> = rows.iter().map(|r| r.iter().map(|t| Cell::Text((*t).to_string())).collect()).collect();
    let table =
        Table {
            sheet: "Mẫu 07", title: "SỔ THEO DÕI HỒ SƠ", subtitle: "Đơn vị: Xã Lê Hồng; năm 2024", columns: &columns, rows: &rows
        };
    cchc_documents::xlsx::table::table(&table).unwrap()
}

#[test]
fn a_one_stop_systems_form_07_imports_and_a_bad_row_is_named() {
    let dir = temp("mau07", "import");
    let db = dir.join("cchc.db");
    assert_eq!(cchc(&db, &["units", "import", "examples/units.json"]).code, 0);
    let good = [
        [
            "1",
            "LH-0001",
            "DEMO.HT.01 – Đăng ký khai sinh",
            "Nguyễn Văn An, Thôn 1",
            "04/03/2024 08:15",
            "05/03/2024 08:15",
            "05/03/2024 10:00",
            "Đã trả kết quả",
        ],
        ["2", "LH-0002", "Đăng ký khai sinh", "Trần Thị Bình", "04/03/2024 09:00", "", "", ""],
    ];
    let mut bad = good;
    bad[1][4] = "31/04/2024 09:00";
    let file = dir.join("bad.xlsx");
    std::fs::write(&file, sheet(&bad)).unwrap();
    let (code, text) = cchc(&db, &["dossiers", "import", "--format", "mau07", file.to_str().unwrap()]).pair();
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("LỖI Dòng 6, cột \"Nhận hồ sơ\": hồ sơ LH-0002: ngày 31/04/2024 không có thật"), "{text}");
    let (_, lines) = cchc(&db, &["dossiers", "export", "--unit", "30", "--format", "jsonl"]).pair();
    assert_eq!(lines.trim(), "", "nothing stored");

    let file = dir.join("so-theo-doi.xlsx");
    std::fs::write(&file, sheet(&good)).unwrap();
    let (code, text) = cchc(&db, &["dossiers", "import", "--format", "mau07", file.to_str().unwrap()]).pair();
    assert_eq!((code, text.trim()), (0, "Đã nhập 2 hồ sơ."));
    let (_, lines) = cchc(&db, &["dossiers", "export", "--unit", "30", "--format", "jsonl"]).pair();
    assert!(lines.contains("\"id\":\"LH-0001\"") && lines.contains("\"unit\":\"30-THANHMIEN-LEHONG\""), "{lines}");
    assert!(lines.contains("\"kind\":\"result-returned\""), "{lines}");
}
