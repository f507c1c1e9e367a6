//! The workbook cannot lose data: a deleted, renamed or added sheet, a changed heading, a deleted
//! row, a formula without its value, a date or a broken file are refused with a Vietnamese
//! message naming the place; a percent-formatted cell is read as a percentage; ratios are
//! formulas caching their value; the template guards and prints itself; and writing then reading
//! gives back the same figures (a property).

#[path = "common/workbook.rs"]
mod workbook;

use std::collections::BTreeMap;

use calamine::{Data, Reader, Xlsx};
use cchc_catalogue::{Catalogue, Kind, default_catalogue};
use cchc_documents::{DocumentError, appendix, xlsx};
use cchc_report::{Key, UnitReport, Value};
use proptest::prelude::*;

fn example(name: &str, cat: &Catalogue) -> UnitReport {
    let text = std::fs::read_to_string(format!("{}/../../examples/reports/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    cchc_report::file::read(&text, cat).unwrap()
}

fn cam_xuyen() -> (UnitReport, Catalogue, Vec<u8>) {
    let cat = default_catalogue();
    let r = example("cam-xuyen-2022-h1.json", &cat);
    let bytes = xlsx::render(&r, &cat).unwrap();
    (r, cat, bytes)
}

/// The messages of a refused workbook; every one Vietnamese, none a library's.
fn refused(bytes: &[u8], cat: &Catalogue) -> Vec<String> {
    let errors = xlsx::read(bytes, cat).expect_err("the workbook must be refused");
    let text: Vec<String> = errors.iter().map(DocumentError::to_string).collect();
    for t in &text {
        for english in ["Zip", "EOCD", "not found", "Worksheet", "error", "invalid", "Cannot"] {
            assert!(!t.contains(english), "library text reached the user: {t}");
        }
    }
    text
}

/// The 1-based row of `key` on its sheet.
fn row_of(r: &UnitReport, cat: &Catalogue, key: &Key) -> u32 {
    let form = cat.indicator(&key.code).unwrap().form();
    5 + appendix::rows(cat, r, form).iter().position(|row| row.key == *key).unwrap() as u32
}

#[test]
fn a_deleted_sheet_is_named_and_nothing_is_read() {
    let (_, cat, bytes) = cam_xuyen();
    let text = refused(&workbook::delete_sheet(&bytes, "Biểu 3"), &cat);
    assert_eq!(text.len(), 1, "{text:?}");
    assert!(text[0].contains("thiếu trang \"Biểu 3\" (đã bị xóa hoặc đổi tên)"), "{text:?}");
    let text = refused(&workbook::delete_sheet(&bytes, xlsx::INFO_SHEET), &cat);
    assert!(text[0].contains("thiếu trang \"Thông tin\""), "{text:?}");
}

#[test]
fn a_renamed_sheet_is_named_with_its_new_name() {
    let (_, cat, bytes) = cam_xuyen();
    let text = refused(&workbook::rename_sheet(&bytes, "Biểu 4", "Biểu 4 (sửa)"), &cat);
    assert_eq!(
        text,
        [
            "không đọc được tệp XLSX: trang \"Biểu 4\" đã bị đổi tên thành \"Biểu 4 (sửa)\"; hãy đặt lại tên \"Biểu 4\" rồi nhập lại (không nhập gì để không mất số liệu của trang này)"
        ]
    );
}

#[test]
fn an_extra_sheet_is_named() {
    let (_, cat, bytes) = cam_xuyen();
    let text = refused(&workbook::add_sheet(&bytes, "Biểu 2", "Bản sao"), &cat);
    assert_eq!(text.len(), 1, "{text:?}");
    assert!(text[0].contains("trang \"Bản sao\" không có trong tệp mẫu"), "{text:?}");
}

#[test]
fn a_changed_heading_or_a_deleted_row_is_named() {
    let (r, cat, bytes) = cam_xuyen();
    let text = refused(&workbook::text(&bytes, "Biểu 3", "D4", "Năm 2022"), &cat);
    assert!(text[0].starts_with("Biểu 3!D4: hàng tiêu đề đã bị sửa: ô này phải là \"Số liệu\" (đang là \"Năm 2022\")"), "{text:?}");
    let row = row_of(&r, &cat, &Key::total("3.6.1"));
    let text = refused(&workbook::delete_row(&bytes, "Biểu 3", row), &cat);
    assert!(text.iter().any(|t| t.contains("trang \"Biểu 3\" thiếu hàng của chỉ tiêu 3.6.1")), "{text:?}");
}

#[test]
fn a_formula_is_read_from_its_cached_value_or_refused_with_its_cell() {
    let (r, cat, bytes) = cam_xuyen();
    let key = Key::total("3.2.4");
    let cell = format!("D{}", row_of(&r, &cat, &key));
    let with = workbook::formula(&bytes, "Biểu 3", &cell, "400+34", Some("434"));
    assert_eq!(xlsx::read(&with, &cat).unwrap().value(&key), Some(&Value::Int(434)));
    let text = refused(&workbook::formula(&bytes, "Biểu 3", &cell, "400+34", None), &cat);
    assert_eq!(text.len(), 1, "{text:?}");
    assert!(text[0].starts_with(&format!("Biểu 3!{cell}: chỉ tiêu 3.2.4 ")), "{text:?}");
    assert!(text[0].contains(&format!("ô {cell} chứa công thức =400+34 nhưng tệp không lưu giá trị đã tính")), "{text:?}");
}

#[test]
fn a_percent_formatted_cell_is_read_as_a_percentage() {
    let (r, cat, bytes) = cam_xuyen();
    // 4.1.7 is a percentage typed as such; Excel stores 15% as 0.15.
    let key = Key::total("4.1.7");
    assert!(matches!(cat.indicator("4.1.7").unwrap().kind, Kind::Percent));
    let cell = format!("D{}", row_of(&r, &cat, &key));
    let read = xlsx::read(&workbook::formatted_number(&bytes, "Biểu 4", &cell, "0.15", 9), &cat).unwrap();
    assert_eq!(read.value(&key), Some(&Value::Dec(15.into())));
    let text = refused(&workbook::formatted_number(&bytes, "Biểu 4", &cell, "1.5", 9), &cat);
    assert_eq!(text, [format!("Biểu 4!{cell}: chỉ tiêu 4.1.7 ({}): tỷ lệ 150 vượt quá 100%", cat.indicator("4.1.7").unwrap().name)]);
}

#[test]
fn a_date_in_a_number_cell_is_named_as_a_date() {
    let (r, cat, bytes) = cam_xuyen();
    let cell = format!("D{}", row_of(&r, &cat, &Key::total("3.2.4")));
    let text = refused(&workbook::formatted_number(&bytes, "Biểu 3", &cell, "44632", 14), &cat);
    assert_eq!(text.len(), 1, "{text:?}");
    assert!(text[0].ends_with(&format!("ô {cell} chứa ngày 12/03/2022, cần một số")), "{text:?}");
}

#[test]
fn a_broken_file_or_one_that_is_not_a_workbook_is_said_in_vietnamese() {
    let (_, cat, bytes) = cam_xuyen();
    let text = refused(&bytes[..bytes.len() / 2], &cat);
    assert_eq!(
        text,
        [
            "không đọc được tệp XLSX: tệp không phải là bảng tính Excel (.xlsx) hoặc đã bị hỏng (không mở được nội dung nén của tệp); hãy lưu tệp bằng Excel dưới dạng \"Excel Workbook (*.xlsx)\" rồi nhập lại"
        ]
    );
    let text = refused(b"STT;Chi tieu\n1;2\n", &cat);
    assert!(text[0].contains("không phải là bảng tính Excel"), "{text:?}");
    let text = refused(&workbook::not_a_workbook(), &cat);
    assert!(text[0].starts_with("không đọc được tệp XLSX: tệp "), "{text:?}");
    let err = xlsx::catalogue_reference(&bytes[..100]).unwrap_err().to_string();
    assert!(err.contains("không phải là bảng tính Excel"), "{err}");
}

/// Every formula caches the value it computes: the ratio of its parts, blank when the
/// denominator is 0 or missing — never a 0 that is not the ratio.
#[test]
fn ratio_formulas_cache_their_values() {
    let cat = default_catalogue();
    for name in ["cam-xuyen-2022-h1.json", "le-hong-2022-h1.json", "my-tu-2021.json"] {
        let r = example(name, &cat);
        let bytes = xlsx::render(&r, &cat).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(&bytes)).unwrap();
        let (mut formulas, mut with_value, mut with_blank) = (0, 0, 0);
        for sheet in wb.sheet_names().into_iter().filter(|s| s != xlsx::INFO_SHEET) {
            let cells = wb.worksheet_range(&sheet).unwrap();
            let f = wb.worksheet_formula(&sheet).unwrap();
            for row in 4..=cells.end().unwrap().0 {
                if f.get_value((row, 3)).is_none_or(|f| f.is_empty()) {
                    continue;
                }
                formulas += 1;
                let Some(Data::String(key)) = cells.get_value((row, 5)) else { panic!("{sheet} row {row}") };
                let key = Key::parse(key).unwrap();
                let expected = r.computed_ratio(cat.indicator(&key.code).unwrap(), &key.split);
                let cached = cells.get_value((row, 3)).cloned().unwrap_or(Data::Empty);
                match (expected, &cached) {
                    (Some(v), Data::Float(x)) => {
                        assert_eq!(v.to_string().parse::<f64>().unwrap(), *x, "{name} {sheet} {key}");
                        with_value += 1;
                    }
                    (None, Data::String(s)) if s.is_empty() => with_blank += 1,
                    (None, Data::Empty) => with_blank += 1,
                    _ => panic!("{name} {sheet} {key}: cached {cached:?}, computed {expected:?}"),
                }
            }
        }
        assert!(formulas > 0 && with_value > 0, "{name}: {formulas} formulas, {with_value} with a value");
        println!("{name}: {formulas} formulas, {with_value} with a value, {with_blank} blank");
    }
}

/// The parts of a sheet's XML the template's guards and print setup are written in.
fn sheet_xml(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let part = workbook::sheet_part(bytes, name);
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut body = String::new();
    zin.by_name(&part).unwrap().read_to_string(&mut body).unwrap();
    body
}

#[test]
fn the_template_guards_its_cells_and_prints_on_a4() {
    let (r, cat, bytes) = cam_xuyen();
    for name in [xlsx::INFO_SHEET, "Biểu 1", "Biểu 3", "Biểu 7"] {
        let xml = sheet_xml(&bytes, name);
        assert!(xml.contains("<pageSetup paperSize=\"9\""), "{name}: A4");
        assert!(xml.contains("orientation=\"portrait\"") && xml.contains("fitToHeight=\"0\""), "{name}: one page wide");
        assert!(xml.contains("<pageMargins "), "{name}: margins");
        assert!(xml.contains("<sheetProtection ") && !xml.contains("password"), "{name}: locked without a password");
    }
    let xml = sheet_xml(&bytes, "Biểu 3");
    let count = format!("D{}", row_of(&r, &cat, &Key::total("3.2.4")));
    let validation = xml.split("<dataValidation ").find(|v| v.contains(&format!("sqref=\"{count}\""))).expect("a count is validated");
    assert!(validation.contains("type=\"whole\"") && validation.contains("operator=\"greaterThanOrEqual\""), "{validation}");
    // A long label gets the height of its lines.
    let rows = appendix::rows(&cat, &r, 3);
    let (i, long) = rows.iter().enumerate().max_by_key(|(_, row)| row.label.chars().count()).unwrap();
    let row_xml = xml.split(&format!("<row r=\"{}\"", 5 + i)).nth(1).unwrap().split('>').next().unwrap().to_string();
    let height: f64 = row_xml.split("ht=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    assert!(long.label.chars().count() > 48 && height >= 2.0 * 15.6, "{} chars, {height} pt", long.label.chars().count());
}

/// The values a report can carry for an indicator of each kind, from one number.
fn value_of(kind: &Kind, n: u32) -> Option<Value> {
    match kind {
        Kind::Count => Some(Value::Int(n.into())),
        Kind::Money => Some(Value::Dec(rust_decimal::Decimal::new(n.into(), 2))),
        Kind::Percent | Kind::Score => Some(Value::Dec(rust_decimal::Decimal::new((n % 10_001).into(), 2))),
        Kind::YesNo { .. } => Some(Value::Bool(n % 2 == 1)),
        Kind::Choice { options } => Some(Value::Choice(options[n as usize % options.len()].value)),
        Kind::Text => Some(Value::Text(format!("ghi {n}"))),
        Kind::Group | Kind::Ratio { .. } => None,
    }
}

fn figures(r: &UnitReport) -> BTreeMap<Key, (Option<Value>, Option<String>)> {
    r.entries.iter().map(|e| (e.key.clone(), (e.value.clone(), e.note.clone()))).filter(|(_, v)| v.0.is_some() || v.1.is_some()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Whatever figures and notes a commune's report holds, its workbook gives them back.
    #[test]
    fn writing_then_reading_gives_back_the_same_figures(
        picks in proptest::collection::vec((any::<bool>(), 0u32..2_000_000, proptest::option::of("[a-zA-Zàáạãảâấầậơớờợư ]{1,30}")), 400)
    ) {
        let cat = default_catalogue();
        let mut r = example("le-hong-2022-h1.json", &cat);
        r.entries.clear();
        let inputs: Vec<_> = cat.forms.iter().flat_map(|f| appendix::rows(&cat, &r, f.number)).collect();
        let mut expected = UnitReport::new(&r.catalogue, r.unit.clone(), r.period);
        for (row, (fill, n, note)) in inputs.iter().zip(&picks) {
            let value = if *fill { value_of(&row.indicator.kind, *n) } else { None };
            let note = note.as_ref().map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
            if value.is_some() || note.is_some() {
                expected.entries.push(cchc_report::Entry { key: row.key.clone(), value, qualifier: None, note, source: None });
            }
        }
        let back = xlsx::read(&xlsx::render(&expected, &cat).unwrap(), &cat).unwrap();
        prop_assert_eq!(figures(&back), figures(&expected));
    }
}
