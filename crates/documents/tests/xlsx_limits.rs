//! A small workbook cannot make the reader allocate a large one (issue 16 item 4): a cell at
//! XFD1048576, a shared formula numbered a billion, a shared-string table declaring ten billion
//! strings, too many zip parts or too many bytes uncompressed are refused in Vietnamese naming
//! the sheet and cell or the limit, and the reader's peak memory stays small (this test binary
//! counts every allocation and refuses any above 1 GB, which aborts it).

#[path = "common/workbook.rs"]
mod workbook;

use std::io::{Cursor, Write};

use cchc_catalogue::{Catalogue, default_catalogue};
use cchc_documents::{DocumentError, xlsx};
use cchc_report::UnitReport;

#[path = "common/alloc.rs"]
mod alloc;
use alloc::measured;

#[global_allocator]
static ALLOCATOR: alloc::Capped<{ 1 << 30 }> = alloc::Capped;

/// Reading a workbook of this test holds at most this much (the template's reader needs about
/// 1 MB; the 550 GB of a materialised XFD1048576 range would abort the test).
const PEAK_CAP: usize = 16 << 20;

fn cam_xuyen() -> (UnitReport, Catalogue, Vec<u8>) {
    let cat = default_catalogue();
    let text = std::fs::read_to_string(format!("{}/../../examples/reports/cam-xuyen-2022-h1.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let r = cchc_report::file::read(&text, &cat).unwrap();
    let bytes = xlsx::render(&r, &cat).unwrap();
    (r, cat, bytes)
}

/// The workbook's messages, read with its peak memory checked.
fn refused(bytes: &[u8], cat: &Catalogue) -> Vec<String> {
    let (read, peak) = measured(|| xlsx::read(bytes, cat));
    assert!(peak < PEAK_CAP, "the reader held {peak} bytes");
    read.expect_err("the workbook must be refused").iter().map(DocumentError::to_string).collect()
}

/// Sheet `name` with `cells` (the XML of whole `<c>` elements) added in a row of their own at
/// the end of its data.
fn with_cells(bytes: &[u8], name: &str, row: u32, cells: &str) -> Vec<u8> {
    let part = workbook::sheet_part(bytes, name);
    workbook::edit(bytes, |p, body| {
        Some(if p == part { body.replacen("</sheetData>", &format!("<row r=\"{row}\">{cells}</row></sheetData>"), 1) } else { body })
    })
}

/// The workbook with further parts: (name, bytes), compressed.
fn with_parts(bytes: &[u8], parts: impl IntoIterator<Item = (String, Vec<u8>)>) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        out.raw_copy_file(zin.by_index_raw(i).unwrap()).unwrap();
    }
    for (name, body) in parts {
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&body).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_value_at_xfd1048576_is_refused_naming_the_sheet_and_cell_without_allocating_the_range() {
    let (_, cat, bytes) = cam_xuyen();
    let hostile = with_cells(&bytes, "Biểu 2", 1_048_576, "<c r=\"XFD1048576\"><v>1</v></c>");
    assert!(hostile.len() < 40_000, "a small file: {} bytes", hostile.len());
    let text = refused(&hostile, &cat);
    // Biểu 2 of a district has 25 rows under its 4 rows of title and headings.
    assert_eq!(
        text,
        [
            "Biểu 2!XFD1048576: ô XFD1048576 nằm ngoài vùng của biểu mẫu (biểu mẫu có 29 hàng, 6 cột; chỉ đọc đến hàng 1.029, cột AJ); hãy xóa nội dung ô này rồi nhập lại"
        ]
    );
    // A formula alone, or text, far away is refused too; so is a far cell of the information sheet.
    for cell in ["<c r=\"AK30\"><f>1+1</f></c>", "<c r=\"B2000\" t=\"inlineStr\"><is><t>x</t></is></c>"] {
        let at = cell.split('"').nth(1).unwrap();
        let row: u32 = at.trim_start_matches(char::is_alphabetic).parse().unwrap();
        let text = refused(&with_cells(&bytes, "Biểu 3", row, cell), &cat);
        assert!(text[0].starts_with(&format!("Biểu 3!{at}: ô {at} nằm ngoài vùng của biểu mẫu")), "{text:?}");
    }
    let far_info = with_cells(&bytes, xlsx::INFO_SHEET, 1_048_576, "<c r=\"XFD1048576\"><v>1</v></c>");
    let (reference, peak) = measured(|| xlsx::catalogue_reference(&far_info));
    assert!(peak < PEAK_CAP, "{peak}");
    assert!(reference.unwrap_err().to_string().starts_with("Thông tin!XFD1048576: ô XFD1048576 nằm ngoài vùng"));
}

#[test]
fn a_far_cell_that_holds_nothing_or_a_note_near_the_form_is_read_as_before() {
    let (r, cat, bytes) = cam_xuyen();
    // A formatted but empty cell at XFD1048576 (a whole sheet formatted) holds no figure.
    let styled = with_cells(&bytes, "Biểu 2", 1_048_576, "<c r=\"XFD1048576\" s=\"1\"/>");
    let (read, peak) = measured(|| xlsx::read(&styled, &cat));
    assert!(peak < PEAK_CAP, "{peak}");
    let plain = xlsx::read(&bytes, &cat).unwrap();
    assert_eq!(read.unwrap().entries, plain.entries);
    // A clerk's note a few rows under the form and a few columns right of it is kept out of the
    // figures, as before.
    let noted = with_cells(&bytes, "Biểu 2", 300, "<c r=\"H300\" t=\"inlineStr\"><is><t>Người lập biểu</t></is></c>");
    assert_eq!(xlsx::read(&noted, &cat).unwrap().entries, plain.entries);
    assert_eq!(plain.unit, r.unit);
}

#[test]
fn a_shared_formula_numbered_a_billion_does_not_size_an_allocation() {
    let (_, cat, bytes) = cam_xuyen();
    // calamine's formula reader makes room for every shared formula up to the index.
    let hostile = with_cells(&bytes, "Biểu 2", 40, "<c r=\"H40\"><f t=\"shared\" si=\"1000000000\" ref=\"H40:H41\">1+1</f><v>2</v></c>");
    let (read, peak) = measured(|| xlsx::read(&hostile, &cat));
    assert!(peak < PEAK_CAP, "{peak}");
    assert_eq!(read.unwrap().entries, xlsx::read(&bytes, &cat).unwrap().entries);
}

#[test]
fn a_shared_string_table_declaring_ten_billion_strings_is_refused_before_calamine_reserves_them() {
    let (_, cat, bytes) = cam_xuyen();
    let hostile = workbook::edit(&bytes, |p, mut body| {
        if p == "xl/sharedStrings.xml" {
            let at = body.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
            let end = at + body[at..].find('"').unwrap();
            body.replace_range(at..end, "10000000000");
        }
        Some(body)
    });
    assert_ne!(hostile, bytes);
    let text = refused(&hostile, &cat);
    assert_eq!(
        text,
        [
            "không đọc được tệp XLSX: bảng chuỗi dùng chung của tệp khai báo hơn 1.000.000 chuỗi (tệp bị hỏng hoặc không phải do Excel ghi); hãy dùng tệp mẫu xuất từ hệ thống"
        ]
    );
}

#[test]
fn too_many_parts_or_too_many_bytes_uncompressed_are_refused_from_the_zip_directory() {
    let (_, cat, bytes) = cam_xuyen();
    let many = with_parts(&bytes, (0..1_000).map(|i| (format!("customXml/item{i}.xml"), b"<a/>".to_vec())));
    let text = refused(&many, &cat);
    assert_eq!(text.len(), 1, "{text:?}");
    assert!(text[0].starts_with("không đọc được tệp XLSX: tệp nén gồm 1.0"), "{text:?}");
    assert!(text[0].contains("phần, vượt giới hạn 1.000 phần của một bảng tính nhập số liệu"), "{text:?}");
    // 60 MB of zeros compress to some 60 KB.
    let big = with_parts(&bytes, [("xl/media/padding.bin".to_string(), vec![0u8; 60 << 20])]);
    assert!(big.len() < 200_000, "{}", big.len());
    let text = refused(&big, &cat);
    assert_eq!(text.len(), 1, "{text:?}");
    assert!(text[0].starts_with("không đọc được tệp XLSX: nội dung của tệp khi giải nén là 61 MB, vượt giới hạn 50 MB"), "{text:?}");
}

#[test]
fn the_template_reads_back_within_the_limits() {
    let (r, cat, bytes) = cam_xuyen();
    let (read, peak) = measured(|| xlsx::read(&bytes, &cat));
    assert!(peak < PEAK_CAP, "{peak}");
    assert_eq!(read.unwrap().unit, r.unit);
}

#[test]
fn a_cell_address_of_many_digits_refuses_the_workbook_instead_of_panicking() {
    let (_, cat, bytes) = cam_xuyen();
    let hostile = with_cells(&bytes, "Biểu 2", 30, "<c r=\"A99999999999999999999\"><v>1</v></c>");
    // Not `refused`: its cap on memory would measure the panic's backtrace (RUST_BACKTRACE=1 in
    // a debug build resolves the debug information), not the reader; a release build wraps
    // instead of panicking and then finds the cell outside the form.
    let text: Vec<String> = xlsx::read(&hostile, &cat).expect_err("refused").iter().map(DocumentError::to_string).collect();
    assert_eq!(text.len(), 1, "{text:?}");
    assert!(text[0].starts_with("không đọc được tệp XLSX: "), "{text:?}");
    let far_info = with_cells(&bytes, xlsx::INFO_SHEET, 30, "<c r=\"A99999999999999999999\"><v>1</v></c>");
    assert!(xlsx::catalogue_reference(&far_info).is_err());
}

#[test]
fn the_measure_counts_what_the_call_holds_and_not_what_other_threads_do() {
    // Another thread holding 64 MB meanwhile does not count…
    let (started, stop) = (std::sync::mpsc::channel::<()>(), std::sync::mpsc::channel::<()>());
    let other = std::thread::spawn(move || {
        let held = vec![1u8; 64 << 20];
        started.0.send(()).unwrap();
        stop.1.recv().unwrap();
        held.len()
    });
    started.1.recv().unwrap();
    // … while 10 MB held by the call itself does.
    let (len, peak) = measured(|| std::hint::black_box(vec![1u8; 10 << 20]).len());
    stop.0.send(()).unwrap();
    assert_eq!(other.join().unwrap(), 64 << 20);
    assert_eq!(len, 10 << 20);
    assert!((10 << 20..20 << 20).contains(&peak), "{peak}");
}
