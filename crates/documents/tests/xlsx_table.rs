//! A list exported as a workbook reads back with its headings, texts and counts, a text that
//! looks like a formula stays a text, and an over-long text is cut rather than refused.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use cchc_documents::xlsx::table::{Cell, Column, Table, table};

fn read_back(bytes: Vec<u8>) -> (Vec<String>, calamine::Range<Data>) {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names().to_vec();
    let range = wb.worksheet_range(&names[0]).unwrap();
    (names, range)
}

#[test]
fn a_list_reads_back_with_headings_texts_and_counts() {
    let columns = [
        Column { heading: "Thời gian", width: 17.0 },
        Column { heading: "Thao tác", width: 20.0 },
        Column { heading: "Số dòng", width: 10.0 },
    ];
    let rows = vec![
        vec![Cell::Text("05/12/2026 09:15".into()), Cell::Text("sửa số liệu".into()), Cell::Count(8_803)],
        vec![Cell::Text("05/12/2026 09:16".into()), Cell::Text("=HYPERLINK(\"http://x\")".into()), Cell::Count(0)],
    ];
    let t = Table { sheet: "Nhật ký", title: "NHẬT KÝ THAY ĐỔI", subtitle: "Đơn vị: 30337", columns: &columns, rows: &rows };
    let (names, range) = read_back(table(&t).unwrap());
    assert_eq!(names, ["Nhật ký"]);
    assert_eq!(range.get_value((0, 0)), Some(&Data::String("NHẬT KÝ THAY ĐỔI".into())));
    assert_eq!(range.get_value((1, 0)), Some(&Data::String("Đơn vị: 30337".into())));
    assert_eq!(range.get_value((3, 2)), Some(&Data::String("Số dòng".into())));
    assert_eq!(range.get_value((4, 1)), Some(&Data::String("sửa số liệu".into())));
    assert_eq!(range.get_value((4, 2)), Some(&Data::Float(8_803.0)));
    // Written as a text: no formula reaches the reader's spreadsheet.
    assert_eq!(range.get_value((5, 1)), Some(&Data::String("=HYPERLINK(\"http://x\")".into())));
}

#[test]
fn an_over_long_text_is_cut_and_the_export_still_written() {
    let columns = [Column { heading: "Giá trị", width: 60.0 }];
    let rows = vec![vec![Cell::Text("a".repeat(100_000))]];
    let t = Table { sheet: "Danh sách", title: "X", subtitle: "", columns: &columns, rows: &rows };
    let (_, range) = read_back(table(&t).unwrap());
    let Some(Data::String(s)) = range.get_value((4, 0)) else { panic!("{:?}", range.get_value((4, 0))) };
    assert_eq!(s.chars().count(), 32_767);
    assert!(s.ends_with('…'));
}
