//! The XLSX appendix as a data-entry template: the round trip loses nothing, and a wrong cell
//! is named with its sheet, cell and rule.

use std::collections::BTreeMap;

use cchc_catalogue::{Catalogue, Kind, default_catalogue};
use cchc_documents::{DocumentError, xlsx};
use cchc_report::file::read;
use cchc_report::{Key, UnitReport, Value};

fn example(name: &str, cat: &Catalogue) -> UnitReport {
    let text = std::fs::read_to_string(format!("{}/../../examples/reports/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    read(&text, cat).unwrap()
}

/// The figures in force and their notes, which is what the workbook carries.
fn figures(r: &UnitReport) -> BTreeMap<Key, (Option<Value>, Option<String>)> {
    let mut out = BTreeMap::new();
    for e in r.entries.iter().filter(|e| e.qualifier.is_none()) {
        let slot = out.entry(e.key.clone()).or_insert((None, None));
        if slot.0.is_none() {
            slot.0 = e.value.clone();
        }
        if slot.1.is_none() {
            slot.1 = e.note.clone();
        }
    }
    out.retain(|_, v| v.0.is_some() || v.1.is_some());
    out
}

/// What the workbook gives back: every figure and note, except a ratio whose parts are there,
/// which is a formula of them (computed, not stored: the parts carry it).
fn carried(r: &UnitReport, cat: &Catalogue) -> BTreeMap<Key, (Option<Value>, Option<String>)> {
    let mut out = figures(r);
    for (key, slot) in out.iter_mut() {
        let ind = cat.indicator(&key.code).unwrap();
        let rows = cchc_documents::appendix::rows(cat, r, ind.form());
        let on_sheet = |code: &str| rows.iter().any(|row| row.key == key.with_code(code));
        if let Kind::Ratio { numerator, denominator } = &ind.kind
            && on_sheet(numerator)
            && on_sheet(denominator)
            && r.computed_ratio(ind, &key.split).is_some()
        {
            slot.0 = None;
        }
    }
    out.retain(|_, v| v.0.is_some() || v.1.is_some());
    out
}

#[test]
fn the_three_reports_round_trip_through_the_workbook() {
    let cat = default_catalogue();
    for name in ["cam-xuyen-2022-h1.json", "le-hong-2022-h1.json", "my-tu-2021.json"] {
        let r = example(name, &cat);
        let bytes = xlsx::render(&r, &cat).unwrap();
        let back = xlsx::read(&bytes, &cat).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(back.unit, r.unit, "{name}");
        assert_eq!(back.period, r.period);
        assert_eq!(back.catalogue, r.catalogue);
        assert_eq!(figures(&back), carried(&r, &cat), "{name}");
    }
}

/// Fills a blank template the way a unit would: by editing the cells of the workbook XML.
/// Values compared with their written decimals: rust_decimal's `==` says 42,3 == 42,30.
fn written(r: &UnitReport) -> BTreeMap<Key, String> {
    figures(r).into_iter().filter_map(|(k, (v, _))| Some((k, format!("{:?}", v?)))).collect()
}

#[test]
fn stated_percentages_keep_their_decimals() {
    let cat = default_catalogue();
    // Mỹ Tú states 42,30% (1.3.6). Without its parts the stated figure is an input, and it comes
    // back with its decimals: the check works at the stated precision.
    let mut r = example("my-tu-2021.json", &cat);
    assert!(written(&r).values().any(|v| v.contains("42.30")), "the example states 42,30");
    let Kind::Ratio { numerator, denominator } = &cat.indicator("1.3.6").unwrap().kind else { panic!("1.3.6 is a ratio") };
    r.entries.retain(|e| e.key.code != *numerator && e.key.code != *denominator);
    let back = xlsx::read(&xlsx::render(&r, &cat).unwrap(), &cat).unwrap();
    assert_eq!(format!("{:?}", back.value(&Key::total("1.3.6")).unwrap()), "Dec(42.30)");
}

fn fill(template: &[u8], sheet_xml: &str, cells: &[(&str, &str)]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(template)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut body = String::new();
        f.read_to_string(&mut body).unwrap();
        if name == sheet_xml {
            for (cell, content) in cells {
                // Replace the blank cell `<c r="D7" s="N"/>` by one holding the content.
                let start = body.find(&format!("<c r=\"{cell}\"")).unwrap_or_else(|| panic!("{cell}"));
                let end = start + body[start..].find("/>").unwrap() + 2;
                let style = body[start..end].split("s=\"").nth(1).map(|s| s.split('"').next().unwrap()).unwrap_or("0");
                let new = if content.trim_start_matches('-').chars().all(|c| c.is_ascii_digit()) {
                    format!("<c r=\"{cell}\" s=\"{style}\"><v>{content}</v></c>")
                } else {
                    format!("<c r=\"{cell}\" s=\"{style}\" t=\"inlineStr\"><is><t>{content}</t></is></c>")
                };
                body.replace_range(start..end, &new);
            }
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(body.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Row (1-based) of a key on its form's sheet in the blank template.
fn row_of(r: &UnitReport, cat: &Catalogue, key: &Key) -> u32 {
    let form: u8 = key.code.split('.').next().unwrap().parse().unwrap();
    let rows = cchc_documents::appendix::rows(cat, r, form);
    5 + rows.iter().position(|row| row.key == *key).unwrap() as u32
}

fn blank() -> (UnitReport, Catalogue) {
    let cat = default_catalogue();
    let mut r = example("cam-xuyen-2022-h1.json", &cat);
    r.entries.clear();
    (r, cat)
}

#[test]
fn a_filled_in_template_imports_with_the_same_values() {
    let (r, cat) = blank();
    let template = xlsx::render(&r, &cat).unwrap();
    let d = |code: &str| format!("D{}", row_of(&r, &cat, &Key::total(code)));
    let (received, resolved, money) = (d("3.5.1"), d("3.6.1"), d("1.1"));
    // Biểu 3 is the fourth sheet (after Thông tin, Biểu 1, Biểu 2).
    let filled = fill(&template, "xl/worksheets/sheet4.xml", &[(&received, "8803"), (&resolved, "8.700")]);
    let filled = fill(&filled, "xl/worksheets/sheet2.xml", &[(&money, "32")]);
    let back = xlsx::read(&filled, &cat).unwrap();
    assert_eq!(back.value(&Key::total("3.5.1")), Some(&Value::Int(8803)));
    assert_eq!(back.value(&Key::total("3.6.1")), Some(&Value::Int(8700)), "text written the Vietnamese way");
    assert_eq!(back.value(&Key::total("1.1")), Some(&Value::Int(32)));
    assert_eq!(back.entries.len(), 3, "nothing else: ratios are formulas, not figures");
}

#[test]
fn wrong_cells_are_named_with_sheet_cell_and_rule_and_nothing_is_imported() {
    let (r, cat) = blank();
    let template = xlsx::render(&r, &cat).unwrap();
    let received = row_of(&r, &cat, &Key::total("3.5.1"));
    let resolved = row_of(&r, &cat, &Key::total("3.6.1"));
    let good = row_of(&r, &cat, &Key::total("3.6.7"));
    let filled = fill(
        &template,
        "xl/worksheets/sheet4.xml",
        &[(&format!("D{received}"), "nhiều"), (&format!("D{resolved}"), "-5"), (&format!("D{good}"), "12")],
    );
    let errors = xlsx::read(&filled, &cat).unwrap_err();
    let text: Vec<String> = errors.iter().map(DocumentError::to_string).collect();
    assert_eq!(text.len(), 2, "{text:?}");
    assert_eq!(
        text[0],
        format!("Biểu 3!D{received}: chỉ tiêu 3.5.1 (Tổng số hồ sơ TTHC tiếp nhận (gồm kỳ trước chuyển sang)): \"nhiều\" không phải là số")
    );
    assert!(text[1].starts_with(&format!("Biểu 3!D{resolved}: chỉ tiêu 3.6.1 ")), "{}", text[1]);
    assert!(text[1].ends_with("số liệu -5 là số âm; số liệu không được âm"), "{}", text[1]);
}
