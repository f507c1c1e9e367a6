//! A workbook imported over a stored report: a deleted, renamed or extra sheet, a deleted row, a
//! formula without its value, a percent-formatted cell out of range or a broken file is refused
//! with a Vietnamese message naming the place, and the stored figures are unchanged (counted
//! before and after). An intact workbook is stored as the next version.

mod common;

#[path = "../../documents/tests/common/workbook.rs"]
mod workbook;

use std::sync::Arc;

use cchc_app::{App, Error, reports};
use cchc_documents::xlsx;
use cchc_report::{Key, UnitReport};
use cchc_storage::{Role, Store, User};
use cchc_units::UnitKind;

const UNIT: &str = "42-CAMXUYEN";

fn officer() -> User {
    User {
        username: "vanphong".into(),
        full_name: "Văn phòng".into(),
        role: Role::UnitOfficer,
        unit_code: UNIT.into(),
        password_hash: String::new(),
        active: true,
    }
}

/// Cẩm Xuyên's report of 2022-H1 stored, and its workbook as the system exports it.
async fn stored() -> (App, Arc<dyn Store>, UnitReport, Vec<u8>) {
    let store = common::store_with(&[common::unit("42", UnitKind::Tinh, None), common::unit(UNIT, UnitKind::Huyen, Some("42"))]).await;
    let app = App::load(store.clone()).await.unwrap();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/reports/cam-xuyen-2022-h1.json")).unwrap();
    let report = cchc_report::file::read(&text, &app.catalogue()).unwrap();
    store.save_report(&report, None, "vanphong").await.unwrap();
    let bytes = xlsx::render(&report, &app.catalogue()).unwrap();
    (app, store, report, bytes)
}

/// The stored figures (with a value) and the stored version.
async fn figures(store: &Arc<dyn Store>) -> (usize, i64) {
    let r = store.report(UNIT, "2022-H1".parse().unwrap()).await.unwrap().unwrap();
    (r.report.entries.iter().filter(|e| e.value.is_some()).count(), r.version)
}

/// Imports `bytes`, which must be refused; returns every line of the refusal.
async fn refused(app: &App, store: &Arc<dyn Store>, bytes: &[u8]) -> Vec<String> {
    let before = figures(store).await;
    let err = reports::import_workbook(app, &officer(), bytes).await.expect_err("the workbook must be refused");
    assert_eq!(figures(store).await, before, "nothing stored");
    assert!(before.0 > 50, "the stored report has its figures: {before:?}");
    let Error::Invalid { summary, problems } = err else { panic!("{err:?}") };
    let lines: Vec<String> = std::iter::once(summary).chain(problems.iter().map(ToString::to_string)).collect();
    for line in &lines {
        for english in ["Zip", "EOCD", "not found", "Worksheet", "error"] {
            assert!(!line.contains(english), "library text reached the user: {line}");
        }
    }
    lines
}

fn row_of(r: &UnitReport, app: &App, key: &str) -> u32 {
    let cat = app.catalogue();
    let key = Key::parse(key).unwrap();
    let form = cat.indicator(&key.code).unwrap().form();
    5 + cchc_documents::appendix::rows(&cat, r, form).iter().position(|row| row.key == key).unwrap() as u32
}

#[tokio::test]
async fn a_deleted_renamed_or_extra_sheet_stores_nothing() {
    let (app, store, _, bytes) = stored().await;
    let lines = refused(&app, &store, &workbook::delete_sheet(&bytes, "Biểu 3")).await;
    assert!(lines[1].contains("thiếu trang \"Biểu 3\""), "{lines:?}");
    let lines = refused(&app, &store, &workbook::rename_sheet(&bytes, "Biểu 3", "Sheet1")).await;
    assert!(lines[1].contains("trang \"Biểu 3\" đã bị đổi tên thành \"Sheet1\""), "{lines:?}");
    let lines = refused(&app, &store, &workbook::add_sheet(&bytes, "Biểu 3", "Biểu 3 (2)")).await;
    assert!(lines[1].contains("trang \"Biểu 3 (2)\" không có trong tệp mẫu"), "{lines:?}");
}

#[tokio::test]
async fn a_formula_without_value_or_a_percent_cell_out_of_range_stores_nothing() {
    let (app, store, report, bytes) = stored().await;
    let cell = format!("D{}", row_of(&report, &app, "3.2.4"));
    let lines = refused(&app, &store, &workbook::formula(&bytes, "Biểu 3", &cell, "400+34", None)).await;
    assert!(lines[1].starts_with(&format!("Biểu 3!{cell}: chỉ tiêu 3.2.4 ")), "{lines:?}");
    assert!(lines[1].contains("chứa công thức =400+34 nhưng tệp không lưu giá trị đã tính"), "{lines:?}");
    let cell = format!("D{}", row_of(&report, &app, "4.1.7"));
    let lines = refused(&app, &store, &workbook::formatted_number(&bytes, "Biểu 4", &cell, "1.5", 9)).await;
    assert!(lines[1].starts_with(&format!("Biểu 4!{cell}: chỉ tiêu 4.1.7 ")) && lines[1].ends_with("tỷ lệ 150 vượt quá 100%"), "{lines:?}");
}

#[tokio::test]
async fn a_broken_file_stores_nothing() {
    let (app, store, _, bytes) = stored().await;
    let lines = refused(&app, &store, &bytes[..bytes.len() / 3]).await;
    assert!(lines[0].contains("tệp không phải là bảng tính Excel (.xlsx) hoặc đã bị hỏng"), "{lines:?}");
    let lines = refused(&app, &store, &workbook::not_a_workbook()).await;
    assert!(lines[0].starts_with("Không nhập tệp Excel: không đọc được tệp XLSX: tệp "), "{lines:?}");
}

/// A split row of a stored figure deleted: the blank template has no such row, so only the
/// stored report tells that importing would delete the figure.
#[tokio::test]
async fn a_deleted_row_of_a_stored_figure_stores_nothing() {
    let (app, store, report, bytes) = stored().await;
    let row = row_of(&report, &app, "3.2.4[level=huyen]");
    let lines = refused(&app, &store, &workbook::delete_row(&bytes, "Biểu 3", row)).await;
    assert!(lines[0].contains("tệp thiếu hàng của số liệu đã lưu"), "{lines:?}");
    assert!(lines[1].starts_with("3.2.4[level=huyen]: không có hàng của chỉ tiêu 3.2.4"), "{lines:?}");
}

#[tokio::test]
async fn an_intact_workbook_is_stored_as_the_next_version() {
    let (app, store, _, bytes) = stored().await;
    let (_, version) = figures(&store).await;
    let done = reports::import_workbook(&app, &officer(), &bytes).await.unwrap();
    assert_eq!(done.record.version, version + 1);
    let stored = store.report(UNIT, "2022-H1".parse().unwrap()).await.unwrap().unwrap();
    assert!(!stored.report.narrative.is_empty(), "the narrative is kept");
}
