//! Form 07 read back from a workbook (`counter_forms::read_ledger`): Excel date cells keep their
//! time of day, text moments read as clerks write them, and a hostile workbook is refused within
//! the XLSX reader's limits, naming the file, never panicking.

use std::collections::HashMap;

use cchc_calendar::WorkCalendar;
use cchc_documents::counter_forms::read_ledger;
use cchc_dossiers::mau07::Units;
use cchc_dossiers::{EventKind, Procedure};
use chrono::{NaiveDate, NaiveDateTime};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn procedures() -> HashMap<String, Procedure> {
    cchc_dossiers::import::default_procedures().into_iter().map(|p| (p.code.clone(), p)).collect()
}

fn units() -> Units {
    Units::new([("X1", "Xã Lê Hồng"), ("X2", "Xã Tân An")])
}

fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 3, d).unwrap().and_hms_opt(h, m, 0).unwrap()
}

/// A sheet whose moments are Excel date cells (number formats with and without a time).
fn with_date_cells() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let moment = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let day = Format::new().set_num_format("dd/mm/yyyy");
    ws.write_string(0, 0, "Đơn vị: Xã Lê Hồng; Quý I năm 2024").unwrap();
    for (c, h) in ["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Nhận hồ sơ (ngày, giờ)", "Hẹn trả kết quả", "Trả kết quả", "Ghi chú"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let dt = |d: u8, h: u16, m: u8| ExcelDateTime::from_ymd(2024, 3, d).unwrap().and_hms(h, m, 0).unwrap();
    ws.write_number(3, 0, 1).unwrap();
    ws.write_string(3, 1, "A-1").unwrap();
    ws.write_string(3, 2, "Đăng ký khai sinh").unwrap();
    ws.write_datetime_with_format(3, 3, dt(12, 8, 30), &moment).unwrap();
    ws.write_datetime_with_format(3, 4, ExcelDateTime::from_ymd(2024, 3, 13).unwrap(), &day).unwrap();
    ws.write_datetime_with_format(3, 5, dt(13, 14, 45), &moment).unwrap();
    ws.write_string(3, 6, "Đã trả kết quả").unwrap();
    ws.write_number(4, 0, 2).unwrap();
    ws.write_string(4, 1, "A-2").unwrap();
    ws.write_string(4, 2, "DEMO.HT.01").unwrap();
    ws.write_datetime_with_format(4, 3, ExcelDateTime::from_ymd(2024, 3, 14).unwrap(), &day).unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn excel_date_cells_keep_their_time_of_day() {
    let dossiers = read_ledger(&with_date_cells(), &procedures(), &units(), &WorkCalendar::vietnam()).unwrap();
    assert_eq!(dossiers.len(), 2);
    let a = &dossiers[0];
    assert_eq!((a.id.as_str(), a.unit.as_str(), a.procedure.as_str()), ("A-1", "X1", "DEMO.HT.01"));
    assert_eq!(a.events.iter().map(|e| e.at).collect::<Vec<_>>(), vec![at(12, 8, 30), at(13, 14, 45), at(13, 14, 45)]);
    assert!(matches!(a.events[2].kind, EventKind::ResultReturned { .. }));
    // A date cell without a time: the day at 00:00.
    assert_eq!(dossiers[1].events[0].at, at(14, 0, 0));
}

#[test]
fn the_plain_sheet_reader_gives_date_cells_with_and_without_a_time() {
    use cchc_documents::xlsx::{PlainCell, sheet_cells};
    let (_, cells) = sheet_cells(&with_date_cells(), 10, 10).unwrap();
    assert_eq!(cells[&(3, 3)], PlainCell::DateTime(at(12, 8, 30)));
    assert_eq!(cells[&(3, 4)], PlainCell::Date(NaiveDate::from_ymd_opt(2024, 3, 13).unwrap()));
}

#[test]
fn a_garbage_or_far_reaching_workbook_is_refused_whole() {
    let (procs, units, cal) = (procedures(), units(), WorkCalendar::vietnam());
    for garbage in [&b""[..], b"garbage", b"PK\x03\x04\x14\x00\x00\x00"] {
        let errors = read_ledger(garbage, &procs, &units, &cal).unwrap_err();
        assert!(errors.len() == 1 && errors[0].column == "(tệp)", "{errors:?}");
    }
    // A value far below the sheet's rows: refused naming the cell, without sizing anything by it.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Mã hồ sơ").unwrap();
    ws.write_string(1_000_000, 0, "X").unwrap();
    let errors = read_ledger(&wb.save_to_buffer().unwrap(), &procs, &units, &cal).unwrap_err();
    assert!(errors.len() == 1 && errors[0].to_string().contains("A1000001"), "{errors:?}");
}
