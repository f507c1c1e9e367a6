//! The data window a report states is carried through its workbook: written on the "Thông tin"
//! sheet and read back; a window that cannot be read is named by its cell.

#[path = "common/workbook.rs"]
mod workbook;

use cchc_catalogue::default_catalogue;
use cchc_documents::xlsx;
use cchc_periods::DateRange;

fn example(name: &str) -> cchc_report::UnitReport {
    let text = std::fs::read_to_string(format!("{}/../../examples/reports/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    cchc_report::file::read(&text, &default_catalogue()).unwrap()
}

#[test]
fn the_stated_window_goes_through_the_workbook() {
    let cat = default_catalogue();
    // Lê Hồng states 10/12/2021 → 09/6/2022, not the default 15th → 14th.
    let r = example("le-hong-2022-h1.json");
    let stated = r.window.expect("the report states its window");
    assert_eq!(
        stated,
        DateRange {
            from: chrono::NaiveDate::from_ymd_opt(2021, 12, 10).unwrap(),
            to: chrono::NaiveDate::from_ymd_opt(2022, 6, 9).unwrap()
        }
    );
    let bytes = xlsx::render(&r, &cat).unwrap();
    assert_eq!(xlsx::read(&bytes, &cat).unwrap().window, Some(stated));
    let mut none = r.clone();
    none.window = None;
    assert_eq!(xlsx::read(&xlsx::render(&none, &cat).unwrap(), &cat).unwrap().window, None);
}

#[test]
fn a_window_that_cannot_be_read_is_named_by_its_cell() {
    let cat = default_catalogue();
    let bytes = xlsx::render(&example("le-hong-2022-h1.json"), &cat).unwrap();
    let bad = workbook::text(&bytes, xlsx::INFO_SHEET, "B8", "6 tháng đầu năm");
    let errors = xlsx::read(&bad, &cat).expect_err("refused");
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(text.iter().any(|t| t.contains("B8") && t.contains("kỳ số liệu")), "{text:?}");
}
