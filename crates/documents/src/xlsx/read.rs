//! Reading a filled-in workbook back into a report.
//!
//! Nothing is guessed. The sheets must be exactly the template's (a deleted, renamed or added
//! sheet is refused: reading on would store the report without that form's figures, deleting
//! them), each form sheet keeps its heading row and every row of the blank template, so that only
//! an empty cell of an intact sheet means "not reported". A formula is read from the value the
//! spreadsheet cached for it, or refused; a cell formatted as a percentage (Excel stores 15% as
//! 0,15) is read as 15. Every message is Vietnamese and names its sheet and cell.
//!
//! A workbook is untrusted input, and small files can describe huge ones: the reader checks the
//! zip's directory (at most [`MAX_PARTS`] parts of [`MAX_UNCOMPRESSED`] bytes in all, so
//! nothing is decompressed beyond it) and the shared-string count calamine reserves room for,
//! before calamine opens the file; and it reads each sheet cell by cell, keeping only the cells
//! that hold something, so that neither a sheet's declared dimension nor a cell at XFD1048576
//! sizes an allocation. A cell holding something more than [`EXTRA_ROWS`] rows below or
//! [`EXTRA_COLS`] columns right of the template's sheet, or a sheet of more than [`MAX_CELLS`]
//! such cells, refuses the workbook naming the cell.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Cursor, Read};
use std::str::FromStr;

use calamine::{Data, DataRef, Reader, Xlsx, XlsxError, XlsxFormulaMetadata};
use cchc_catalogue::{Catalogue, Indicator, Kind};
use cchc_periods::Period;
use cchc_report::{Entry, Key, UnitRef, UnitReport, Value};
use cchc_units::UnitKind;
use chrono::{Days, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::{ANCESTORS_ROW, FIRST_ROW, HEAD_ROW, HEADINGS, INFO_SHEET, KEY_COL, NOTE_COL, VALUE_COL, sheet_name};
use crate::{DocumentError, appendix};

/// The most parts (files) a workbook's zip may hold; the template has about 20.
pub const MAX_PARTS: usize = 1_000;
/// The most bytes a workbook's parts may hold uncompressed, in all (the template's are well
/// under 1 MB).
pub const MAX_UNCOMPRESSED: u64 = 50 << 20;
/// The most strings a workbook's shared-string table may declare (calamine reserves room for
/// as many as it declares).
pub const MAX_SHARED_STRINGS: u64 = 1_000_000;
/// How far below the template's last row and right of its last column a cell may hold
/// something (a clerk's note under a form is fine; a cell at XFD1048576 is not).
pub const EXTRA_ROWS: u32 = 1_000;
pub const EXTRA_COLS: u32 = 30;
/// The most cells holding something a sheet may have.
pub const MAX_CELLS: usize = 100_000;

/// A workbook read back: the report, and the key of every row its form sheets hold (filled or
/// not), so that a caller can tell a figure left empty from a row that is not in the workbook.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub report: UnitReport,
    pub rows: BTreeSet<Key>,
}

/// Reads a filled-in workbook back into a report. Every wrong cell or sheet is reported (sheet,
/// cell, rule, in Vietnamese) and nothing is returned unless all are right; the caller then runs
/// the validation rules before saving.
pub fn read(bytes: &[u8], catalogue: &Catalogue) -> Result<UnitReport, Vec<DocumentError>> {
    read_workbook(bytes, catalogue).map(|w| w.report)
}

/// [`read`], with the keys of the rows the workbook holds.
pub fn read_workbook(bytes: &[u8], catalogue: &Catalogue) -> Result<Workbook, Vec<DocumentError>> {
    unbroken(|| read_unguarded(bytes, catalogue)).unwrap_or_else(|e| Err(vec![e]))
}

/// Runs the spreadsheet reader so that a panic inside it (calamine overflows on a cell address
/// of many digits in a debug build) refuses the file instead of ending the caller's thread: every
/// caller of this module's readers is covered, not only the import use case.
fn unbroken<T>(read: impl FnOnce() -> T) -> Result<T, DocumentError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .map_err(|_| DocumentError::XlsxRead("tệp bị hỏng (một ô có địa chỉ không hợp lệ); hãy mở và lưu lại bằng Excel".into()))
}

fn read_unguarded(bytes: &[u8], catalogue: &Catalogue) -> Result<Workbook, Vec<DocumentError>> {
    let mut wb = open(bytes).map_err(|e| vec![e])?;
    let mut report = read_info(&mut wb)?;
    // The sheets the template of this unit has: the forms with an indicator for its kind.
    let forms: Vec<(u8, Vec<Key>)> = appendix::forms(catalogue, &report)
        .into_iter()
        .filter(|(_, rows)| !rows.is_empty())
        .map(|(form, rows)| (form.number, rows.into_iter().map(|r| r.key).collect()))
        .collect();
    let expected: Vec<String> = std::iter::once(INFO_SHEET.to_string()).chain(forms.iter().map(|(n, _)| sheet_name(*n))).collect();
    check_sheets(&wb.sheet_names(), &expected)?;
    let (mut errors, mut rows) = (Vec::new(), BTreeSet::new());
    for (form, template_rows) in &forms {
        let extent = Extent { rows: FIRST_ROW + template_rows.len() as u32, cols: HEADINGS.len() as u32 };
        let sheet = Sheet::load(&mut wb, &sheet_name(*form), extent).map_err(|e| vec![e])?;
        if let Err(e) = sheet.check_headings() {
            errors.push(e);
            continue;
        }
        let seen = sheet.read_rows(*form, catalogue, &mut report.entries, &mut errors);
        for key in template_rows.iter().filter(|k| !seen.contains(*k)) {
            errors.push(sheet.missing_row(key, catalogue));
        }
        rows.extend(seen);
    }
    if errors.is_empty() { Ok(Workbook { report, rows }) } else { Err(errors) }
}

/// The catalogue reference (`id@version`) named on the information sheet.
pub fn catalogue_reference(bytes: &[u8]) -> Result<String, DocumentError> {
    unbroken(|| {
        let mut wb = open(bytes)?;
        let cells = info_cells(&mut wb)?;
        Ok(text_at(&cells, 6, 1))
    })?
}

/// "D7" for 0-based row 6, column 3.
pub fn cell_name(row: u32, col: u16) -> String {
    cell_at(row, u32::from(col))
}

/// "XFD1048576" for 0-based row 1048575, column 16383.
fn cell_at(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), u64::from(row) + 1)
}

/// "A" for column 0, "AD" for 29, "XFD" for 16383.
fn column_name(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        n -= 1;
        letters.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    letters.iter().rev().map(|&b| b as char).collect()
}

/// Opens the workbook, saying in Vietnamese why a file is not one.
fn open(bytes: &[u8]) -> Result<Xlsx<Cursor<&[u8]>>, DocumentError> {
    check_package(bytes)?;
    Xlsx::new(Cursor::new(bytes)).map_err(|e| DocumentError::XlsxRead(open_error(&e)))
}

/// The zip's directory before anything is decompressed: at most [`MAX_PARTS`] parts and
/// [`MAX_UNCOMPRESSED`] bytes in all (the decompressor stops at a part's declared size, so the
/// directory bounds what is read); and a shared-string table declaring at most
/// [`MAX_SHARED_STRINGS`] strings. A file that is not a zip is left to calamine, which names it.
fn check_package(bytes: &[u8]) -> Result<(), DocumentError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    let refuse = |what: String| Err(DocumentError::XlsxRead(format!("{what}; hãy dùng tệp mẫu xuất từ hệ thống")));
    if zip.len() > MAX_PARTS {
        return refuse(format!(
            "tệp nén gồm {} phần, vượt giới hạn {} phần của một bảng tính nhập số liệu",
            cchc_format::int(zip.len() as i64),
            cchc_format::int(MAX_PARTS as i64)
        ));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else { return Ok(()) };
        total = total.saturating_add(part.size());
    }
    if total > MAX_UNCOMPRESSED {
        return refuse(format!(
            "nội dung của tệp khi giải nén là {} MB, vượt giới hạn {} MB của một bảng tính nhập số liệu",
            cchc_format::int(i64::try_from(total.div_ceil(1 << 20)).unwrap_or(i64::MAX)),
            MAX_UNCOMPRESSED >> 20
        ));
    }
    for i in 0..zip.len() {
        let shared_strings =
            zip.by_index_raw(i).is_ok_and(|p| p.name().replace('\\', "/").to_ascii_lowercase().ends_with("sharedstrings.xml"));
        if !shared_strings {
            continue;
        }
        // A table that cannot be decompressed here is not one calamine could read either.
        let declared = zip.by_index(i).map_or(Some(u64::MAX), shared_strings_declared);
        if declared.is_some_and(|n| n > MAX_SHARED_STRINGS) {
            return refuse(format!(
                "bảng chuỗi dùng chung của tệp khai báo hơn {} chuỗi (tệp bị hỏng hoặc không phải do Excel ghi)",
                cchc_format::int(MAX_SHARED_STRINGS as i64)
            ));
        }
    }
    Ok(())
}

/// The largest `uniqueCount="…"` a shared-string part holds anywhere (calamine reads the
/// first `<sst>`'s, wherever it is; any one larger than the limit refuses the file).
fn shared_strings_declared(part: impl Read) -> Option<u64> {
    let mut text = Vec::new();
    // What was read before an error (a wrong checksum is found at the end) is checked too.
    let _ = part.take(MAX_UNCOMPRESSED + 1).read_to_end(&mut text);
    const NAME: &[u8] = b"uniqueCount";
    let mut largest = None;
    let mut at = 0;
    while let Some(found) = text[at..].windows(NAME.len()).position(|w| w == NAME) {
        at += found + NAME.len();
        let rest = &text[at..];
        let rest = rest.trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"=") else { continue };
        let rest = rest.trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")) else { continue };
        let digits = &rest[..rest.iter().position(|b| !b.is_ascii_digit()).unwrap_or(rest.len())];
        if digits.is_empty() {
            continue;
        }
        let n = std::str::from_utf8(digits).ok().and_then(|d| d.parse::<u64>().ok()).unwrap_or(u64::MAX);
        largest = largest.max(Some(n));
    }
    largest
}

fn open_error(e: &XlsxError) -> String {
    match e {
        XlsxError::Zip(_) | XlsxError::Io(_) => "tệp không phải là bảng tính Excel (.xlsx) hoặc đã bị hỏng (không mở được nội dung nén của tệp); hãy lưu tệp bằng Excel dưới dạng \"Excel Workbook (*.xlsx)\" rồi nhập lại".into(),
        XlsxError::Password => "tệp được đặt mật khẩu; hãy bỏ mật khẩu rồi nhập lại".into(),
        XlsxError::FileNotFound(part) => format!("tệp nén không phải là bảng tính Excel (.xlsx): thiếu phần {part}"),
        _ => "tệp Excel bị hỏng: nội dung không đúng định dạng .xlsx; hãy mở bằng Excel, lưu lại rồi nhập lại".into(),
    }
}

/// The sheets must be the template's, no more and no fewer: a missing form sheet would store the
/// report without its figures, and figures on an added sheet would be ignored.
fn check_sheets(actual: &[String], expected: &[String]) -> Result<(), Vec<DocumentError>> {
    let missing: Vec<&String> = expected.iter().filter(|s| !actual.contains(s)).collect();
    let extra: Vec<&String> = actual.iter().filter(|s| !expected.contains(s)).collect();
    let error = |text: String| DocumentError::XlsxRead(text);
    let errors: Vec<DocumentError> = match (missing.as_slice(), extra.as_slice()) {
        ([], []) => return Ok(()),
        ([gone], [new]) => vec![error(format!(
            "trang \"{gone}\" đã bị đổi tên thành \"{new}\"; hãy đặt lại tên \"{gone}\" rồi nhập lại (không nhập gì để không mất số liệu của trang này)"
        ))],
        _ => missing
            .iter()
            .map(|m| error(format!("thiếu trang \"{m}\" (đã bị xóa hoặc đổi tên); không nhập gì, vì nhập tệp này sẽ xóa số liệu của trang đó — hãy dùng tệp mẫu đầy đủ")))
            .chain(extra.iter().map(|e| error(format!("trang \"{e}\" không có trong tệp mẫu; hãy xóa trang này hoặc chép số liệu của nó vào đúng biểu rồi nhập lại"))))
            .collect(),
    };
    Err(errors)
}

fn info_cells(wb: &mut Xlsx<Cursor<&[u8]>>) -> Result<Cells, DocumentError> {
    if !wb.sheet_names().iter().any(|s| s == INFO_SHEET) {
        return Err(DocumentError::XlsxRead(format!(
            "thiếu trang \"{INFO_SHEET}\" (mã đơn vị, kỳ báo cáo, bộ chỉ tiêu); hãy dùng tệp mẫu xuất từ hệ thống"
        )));
    }
    // Its labels in columns A and B, the ancestors in A to D from row 9, a hint below them.
    Cells::load(wb, INFO_SHEET, Extent { rows: ANCESTORS_ROW + 5, cols: 4 })
}

fn broken_sheet(name: &str) -> DocumentError {
    DocumentError::XlsxRead(format!("trang \"{name}\" bị hỏng, không đọc được nội dung"))
}

fn text_at(cells: &Cells, row: u32, col: u16) -> String {
    match cells.get(row, col) {
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(Data::Float(x)) => x.to_string(),
        Some(Data::Int(n)) => n.to_string(),
        Some(_) => String::from("?"),
    }
}

fn read_info(wb: &mut Xlsx<Cursor<&[u8]>>) -> Result<UnitReport, Vec<DocumentError>> {
    let err = |cell: &str, rule: &str| vec![DocumentError::Cell { sheet: INFO_SHEET.into(), cell: cell.into(), rule: rule.into() }];
    let cells = info_cells(wb).map_err(|e| vec![e])?;
    let at = |row: u32| text_at(&cells, row, 1);
    let kind = |row: u32, cell: &str| UnitKind::from_slug(&at(row)).ok_or_else(|| err(cell, "loại đơn vị không hợp lệ"));
    let period = Period::from_str(&at(5)).map_err(|_| err("B6", "kỳ báo cáo không hợp lệ (ví dụ 2022-H1, 2024-Q3, 2021-Y)"))?;
    if at(2).is_empty() {
        return Err(err("B3", "thiếu mã đơn vị"));
    }
    let mut chain = Vec::new();
    let mut row = ANCESTORS_ROW;
    while !text_at(&cells, row, 1).is_empty() {
        let kind =
            UnitKind::from_slug(&text_at(&cells, row, 3)).ok_or_else(|| err(&cell_name(row, 3), "loại đơn vị cấp trên không hợp lệ"))?;
        chain.push((text_at(&cells, row, 1), text_at(&cells, row, 2), kind));
        row += 1;
    }
    let parent =
        chain.into_iter().rev().fold(None, |above, (code, name, kind)| Some(Box::new(UnitRef { code, name, kind, parent: above })));
    let unit = UnitRef { code: at(2), name: at(3), kind: kind(4, "B5")?, parent };
    let mut report = UnitReport::new(&at(6), unit, period);
    report.window =
        read_window(&at(7)).ok_or_else(|| err("B8", "kỳ số liệu phải viết \"từ dd/mm/yyyy đến dd/mm/yyyy\" (hoặc để trống)"))?;
    Ok(report)
}

/// The data window of the "Thông tin" sheet (see `window_text`): `Some(None)` when empty, `None`
/// when it cannot be read.
fn read_window(text: &str) -> Option<Option<cchc_periods::DateRange>> {
    let text = text.trim();
    if text.is_empty() {
        return Some(None);
    }
    let rest = text.strip_prefix("từ ")?;
    let (from, to) = rest.split_once(" đến ")?;
    let day = |t: &str| NaiveDate::parse_from_str(t.trim(), "%d/%m/%Y").ok();
    let (from, to) = (day(from)?, day(to)?);
    (from <= to).then_some(Some(cchc_periods::DateRange { from, to }))
}

/// The rows and columns of a sheet of the template.
#[derive(Debug, Clone, Copy)]
struct Extent {
    rows: u32,
    cols: u32,
}

/// The cells of a sheet that hold something (a value, a formula's cached value, a formula),
/// read one by one and kept sparse, and which of them are formatted as percentages.
#[derive(Default)]
struct Cells {
    values: BTreeMap<(u32, u32), Data>,
    formulas: HashMap<(u32, u32), String>,
    percent: BTreeSet<(u32, u32)>,
}

impl Cells {
    /// Reads sheet `name` of a template sheet `extent`, refusing a cell holding something
    /// beyond it by more than [`EXTRA_ROWS`] rows or [`EXTRA_COLS`] columns, or more than
    /// [`MAX_CELLS`] cells holding something.
    fn load(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str, extent: Extent) -> Result<Cells, DocumentError> {
        let (last_row, last_col) = (extent.rows - 1 + EXTRA_ROWS, extent.cols - 1 + EXTRA_COLS);
        let broken = |_| broken_sheet(name);
        let mut cells = Cells::default();
        // Shared formulas: the anchor's text and cell, by index, to write out the cells sharing it.
        let mut shared: HashMap<usize, (String, (u32, u32))> = HashMap::new();
        let mut reader = wb.worksheet_cells_reader(name).map_err(broken)?;
        while let Some(cell) = reader.next_cell_with_formula_metadata().map_err(broken)? {
            let pos @ (row, col) = cell.pos;
            if matches!(cell.value, DataRef::Empty) && cell.formula.is_none() {
                continue;
            }
            if row > last_row || col > last_col {
                let at = cell_at(row, col);
                return Err(DocumentError::Cell {
                    sheet: name.into(),
                    cell: at.clone(),
                    rule: format!(
                        "ô {at} nằm ngoài vùng của biểu mẫu (biểu mẫu có {} hàng, {} cột; chỉ đọc đến hàng {}, cột {}); hãy xóa nội dung ô này rồi nhập lại",
                        cchc_format::int(i64::from(extent.rows)),
                        extent.cols,
                        cchc_format::int(i64::from(last_row) + 1),
                        column_name(last_col)
                    ),
                });
            }
            if cells.values.len() + cells.formulas.len() >= MAX_CELLS {
                return Err(DocumentError::XlsxRead(format!(
                    "trang \"{name}\" có hơn {} ô có nội dung, vượt giới hạn của một biểu mẫu; hãy dùng tệp mẫu xuất từ hệ thống",
                    cchc_format::int(MAX_CELLS as i64)
                )));
            }
            let formula = match cell.formula {
                Some(XlsxFormulaMetadata::Normal { formula }) => Some(formula),
                Some(XlsxFormulaMetadata::Shared { shared_index, range, formula }) => {
                    shared.insert(shared_index, (formula.clone(), range.map_or(pos, |r| r.start)));
                    Some(formula)
                }
                Some(XlsxFormulaMetadata::SharedDerived { shared_index }) => {
                    shared.get(&shared_index).and_then(|(f, anchor)| calamine::expand_shared_formula(f, *anchor, pos).ok())
                }
                Some(_) | None => None,
            };
            if let Some(f) = formula.filter(|f| !f.is_empty()) {
                cells.formulas.insert(pos, f);
            }
            if !matches!(cell.value, DataRef::Empty) {
                cells.values.insert(pos, cell.value.into());
            }
        }
        drop(reader);
        // A second pass for the number formats, of the cells within reach only.
        let mut reader = wb.worksheet_cells_reader(name).map_err(broken)?;
        while let Some((row, col, style)) = reader.next_style_id().map_err(broken)? {
            if row <= last_row && col <= last_col && reader.styles().get(style).is_some_and(shows_percent) {
                cells.percent.insert((row, col));
            }
        }
        Ok(cells)
    }

    fn get(&self, row: u32, col: u16) -> Option<&Data> {
        self.values.get(&(row, u32::from(col)))
    }

    /// The last row holding a value.
    fn last_row(&self) -> Option<u32> {
        self.values.keys().next_back().map(|(r, _)| *r)
    }
}

/// Whether a number format shows a value as a percentage: a '%' outside quotes (our
/// template's `0.00"%"` shows a value already in percent).
fn shows_percent(style: &calamine::Style) -> bool {
    let Some(code) = style.number_format.as_ref().map(|n| &n.format_code) else { return false };
    let mut quoted = false;
    code.chars().any(|c| {
        if c == '"' {
            quoted = !quoted;
        }
        c == '%' && !quoted
    })
}

/// One form sheet: its cells (a formula's cached value), formulas and percent formats.
struct Sheet {
    name: String,
    cells: Cells,
}

impl Sheet {
    fn load(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str, extent: Extent) -> Result<Sheet, DocumentError> {
        Ok(Sheet { name: name.into(), cells: Cells::load(wb, name, extent)? })
    }

    fn error(&self, row: u32, col: u16, rule: String) -> DocumentError {
        DocumentError::Cell { sheet: self.name.clone(), cell: cell_name(row, col), rule }
    }

    /// Row 4 must be the template's headings: a column added, deleted or moved would put figures
    /// under the wrong heading.
    fn check_headings(&self) -> Result<(), DocumentError> {
        for (c, heading) in HEADINGS.iter().enumerate() {
            let got = text_at(&self.cells, HEAD_ROW, c as u16);
            if got != *heading {
                let rule = format!(
                    "hàng tiêu đề đã bị sửa: ô này phải là \"{heading}\" (đang là \"{got}\"); không thêm, xóa hay chuyển cột của biểu"
                );
                return Err(self.error(HEAD_ROW, c as u16, rule));
            }
        }
        Ok(())
    }

    /// Reads every data row into `entries` (errors into `errors`) and returns the keys of the
    /// rows the sheet holds.
    fn read_rows(&self, form: u8, catalogue: &Catalogue, entries: &mut Vec<Entry>, errors: &mut Vec<DocumentError>) -> BTreeSet<Key> {
        let mut seen: BTreeMap<Key, u32> = BTreeMap::new();
        let last = self.cells.last_row().unwrap_or(0);
        for row in FIRST_ROW..=last {
            match self.read_row(row, form, catalogue, &seen) {
                Ok(None) => {}
                Ok(Some((key, entry))) => {
                    seen.insert(key, row);
                    entries.extend(entry);
                }
                Err((col, rule)) => {
                    // The row is there, only wrong: it is not also reported as missing.
                    if let Some(key) = Key::parse(&text_at(&self.cells, row, KEY_COL)) {
                        seen.entry(key).or_insert(row);
                    }
                    errors.push(self.error(row, col, rule));
                }
            }
        }
        seen.into_keys().collect()
    }

    fn missing_row(&self, key: &Key, catalogue: &Catalogue) -> DocumentError {
        let name = catalogue.indicator(&key.code).map_or_else(String::new, |i| format!(" ({})", i.name));
        DocumentError::XlsxRead(format!(
            "trang \"{}\" thiếu hàng của chỉ tiêu {}{name}, mã {key} (hàng đã bị xóa hoặc cột Mã đã bị sửa); không xóa hàng của biểu",
            self.name, key.code
        ))
    }

    /// One data row: `Ok(None)` for a row without a key; the key with the entry, if the row holds
    /// a figure or a note; `Err((column, rule))`.
    #[allow(clippy::type_complexity)]
    fn read_row(
        &self,
        row: u32,
        form: u8,
        catalogue: &Catalogue,
        seen: &BTreeMap<Key, u32>,
    ) -> Result<Option<(Key, Option<Entry>)>, (u16, String)> {
        let key_text = text_at(&self.cells, row, KEY_COL);
        if key_text.is_empty() {
            return Ok(None);
        }
        let key = Key::parse(&key_text).ok_or((KEY_COL, format!("mã \"{key_text}\" không hợp lệ; không sửa cột Mã")))?;
        let ind = catalogue.indicator(&key.code).ok_or((KEY_COL, format!("chỉ tiêu {} không có trong danh mục", key.code)))?;
        if ind.form() != form {
            return Err((
                KEY_COL,
                format!("chỉ tiêu {} thuộc {}, không thuộc trang này; không chép hàng sang biểu khác", key.code, sheet_name(ind.form())),
            ));
        }
        if let Some(first) = seen.get(&key) {
            return Err((KEY_COL, format!("mã {key} đã có ở hàng {}; mỗi chỉ tiêu chỉ có một hàng", first + 1)));
        }
        // Headings hold no figure, and a ratio left as its formula is computed, never stored; both
        // may still carry a note.
        let computed = matches!(ind.kind, Kind::Ratio { .. }) && self.formula(row, VALUE_COL).is_some();
        let value = if !ind.holds_value() || computed {
            None
        } else {
            let named = |rule: String| (VALUE_COL, format!("chỉ tiêu {} ({}): {rule}", ind.code, ind.name));
            let cell = self.value(row, VALUE_COL).map_err(|(_, rule)| named(rule))?;
            parse_cell(&cell, ind, self.is_percent(row, VALUE_COL)).map_err(named)?
        };
        let note = match self.value(row, NOTE_COL)? {
            Data::String(s) => Some(s.trim().to_string()),
            Data::Empty => None,
            _ => Some(text_at(&self.cells, row, NOTE_COL)),
        }
        .filter(|n| !n.is_empty());
        if value.is_none() && note.is_none() {
            return Ok(Some((key, None)));
        }
        let entry = Entry { key: key.clone(), value, qualifier: None, note, source: Some(format!("Biểu mẫu {}", ind.form())) };
        Ok(Some((key, Some(entry))))
    }

    fn formula(&self, row: u32, col: u16) -> Option<&String> {
        self.cells.formulas.get(&(row, u32::from(col)))
    }

    /// The cell's value; a formula whose value the file does not hold (a program that does not
    /// compute formulas wrote it) is refused, since reading it as empty would delete a figure.
    fn value(&self, row: u32, col: u16) -> Result<Data, (u16, String)> {
        let cell = self.cells.get(row, col).cloned().unwrap_or(Data::Empty);
        match (self.formula(row, col), &cell) {
            (Some(f), Data::Empty) => Err((
                col,
                format!(
                    "ô {} chứa công thức ={f} nhưng tệp không lưu giá trị đã tính của nó; hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi nhập lại, hoặc gõ số thay cho công thức",
                    cell_name(row, col)
                ),
            )),
            (_, Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) | Data::Error(_) | Data::Bool(_)) => {
                Err((col, format!("ô {} chứa {}, cần một số", cell_name(row, col), not_a_number(&cell))))
            }
            _ => Ok(cell),
        }
    }

    /// Whether the cell's number format shows it as a percentage.
    fn is_percent(&self, row: u32, col: u16) -> bool {
        self.cells.percent.contains(&(row, u32::from(col)))
    }
}

/// What a cell that is not a number holds, as a clerk would say it.
fn not_a_number(cell: &Data) -> String {
    match cell {
        Data::DateTime(d) if d.is_datetime() => {
            let day = NaiveDate::from_ymd_opt(1899, 12, 30).and_then(|e| e.checked_add_days(Days::new(d.as_f64().max(0.0) as u64)));
            day.map_or_else(|| "một ngày".into(), |day| format!("ngày {}", cchc_format::date(day)))
        }
        Data::DateTime(_) | Data::DurationIso(_) => "một khoảng thời gian".into(),
        Data::DateTimeIso(s) => format!("ngày {s}"),
        Data::Error(e) => format!("lỗi {e} của công thức"),
        Data::Bool(b) => format!("giá trị logic {}", if *b { "ĐÚNG" } else { "SAI" }),
        _ => "một giá trị không phải số".into(),
    }
}

/// The number in a cell: a number (times 100 in a percent-formatted cell), or text written the
/// Vietnamese way ("8.803", "92,85", "15%").
fn number(cell: &Data, percent: bool) -> Result<Option<Decimal>, String> {
    let scaled = |d: Decimal| if percent { d * Decimal::from(100) } else { d };
    match cell {
        Data::Empty => Ok(None),
        Data::Int(n) => Ok(Some(scaled(Decimal::from(*n)))),
        Data::Float(x) => {
            Decimal::from_str(&x.to_string()).map(|d| Some(scaled(d).normalize())).map_err(|_| format!("\"{x}\" không phải là số"))
        }
        Data::String(s) if s.trim().is_empty() => Ok(None),
        Data::String(s) => {
            vietnamese_number(s.trim().trim_end_matches('%').trim()).map(Some).ok_or_else(|| format!("\"{s}\" không phải là số"))
        }
        _ => Err(format!("{}, cần một số", not_a_number(cell))),
    }
}

/// "8.803" → 8803, "92,85" → 92.85, "-5" → -5: dots group thousands, the comma is the decimal mark.
fn vietnamese_number(s: &str) -> Option<Decimal> {
    let (int, frac) = s.split_once(',').unwrap_or((s, ""));
    let digits = int.trim_start_matches('-');
    let grouped = digits.split('.').enumerate().all(|(i, g)| (i == 0 && (1..=3).contains(&g.len())) || g.len() == 3);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') || (digits.contains('.') && !grouped) {
        return None;
    }
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let text = format!("{}{}{}", int.replace('.', ""), if frac.is_empty() { "" } else { "." }, frac);
    Decimal::from_str(&text).ok()
}

fn parse_cell(cell: &Data, ind: &Indicator, percent: bool) -> Result<Option<Value>, String> {
    if let (Kind::Text, Data::String(s)) = (&ind.kind, cell) {
        return Ok(Some(Value::Text(s.clone())));
    }
    if let Data::String(s) = cell
        && let Some(v) = compiled(s)
    {
        return Ok(Some(v));
    }
    let Some(n) = number(cell, percent)? else { return Ok(None) };
    if n.is_sign_negative() && !n.is_zero() {
        return Err(format!("số liệu {} là số âm; số liệu không được âm", cchc_format::decimal(n)));
    }
    let whole = || i64::try_from(n).ok().filter(|_| n.fract().is_zero());
    match &ind.kind {
        Kind::Count => whole().map(|v| Some(Value::Int(v))).ok_or_else(|| format!("{} phải là số nguyên", cchc_format::decimal(n))),
        Kind::Money | Kind::Ratio { .. } | Kind::Percent => {
            if !matches!(ind.kind, Kind::Money) && n > Decimal::from(100) {
                return Err(format!("tỷ lệ {} vượt quá 100%", cchc_format::decimal(n)));
            }
            // Text keeps the decimals it was written with ("42,30"); a number cell has none.
            Ok(Some(Value::Dec(if matches!(cell, Data::String(_)) { n } else { n.normalize() })))
        }
        Kind::Score if n > Decimal::from(100) || n.normalize().scale() > 2 => {
            Err(format!("điểm {} phải từ 0 đến 100, tối đa hai chữ số thập phân", cchc_format::decimal(n)))
        }
        Kind::Score => Ok(Some(Value::Dec(n.normalize()))),
        Kind::YesNo { .. } => match whole() {
            Some(0) => Ok(Some(Value::Bool(false))),
            Some(1) => Ok(Some(Value::Bool(true))),
            _ => Err("chỉ nhận 1 (Có) hoặc 0 (Không)".into()),
        },
        Kind::Choice { options } => whole()
            .and_then(|v| u8::try_from(v).ok())
            .filter(|v| options.iter().any(|o| o.value == *v))
            .map(|v| Some(Value::Choice(v)))
            .ok_or_else(|| format!("chỉ nhận một trong các giá trị: {}", ind.unit_label())),
        Kind::Text => Ok(Some(Value::Text(cchc_format::decimal(n)))),
        Kind::Group => Ok(None),
    }
}

/// Compiled figures written as text: "3/5 đơn vị" (yes/no) and "0: 2 đơn vị; 1: 3 đơn vị" (choices).
fn compiled(s: &str) -> Option<Value> {
    let s = s.trim();
    if let Some(body) = s.strip_suffix(" đơn vị")
        && let Some((yes, of)) = body.split_once('/')
    {
        return Some(Value::Tally { yes: yes.trim().parse().ok()?, of: of.trim().parse().ok()? });
    }
    if s.contains(": ") && s.ends_with(" đơn vị") {
        let mut counts = std::collections::BTreeMap::new();
        for part in s.split("; ") {
            let (k, n) = part.split_once(": ")?;
            counts.insert(k.trim().parse().ok()?, n.strip_suffix(" đơn vị")?.trim().parse().ok()?);
        }
        return Some(Value::OptionCounts(counts));
    }
    None
}

/// A cell of a plain sheet read by [`sheet_cells`].
#[derive(Debug, Clone, PartialEq)]
pub enum PlainCell {
    Text(String),
    Number(f64),
    /// A date cell without a time of day, as the day of its Excel serial number.
    Date(NaiveDate),
    /// A date cell with a time of day (a serial with a fraction, or an ISO moment with a time),
    /// to the nearest second.
    DateTime(NaiveDateTime),
}

/// The cells of a plain sheet that hold something, by 0-based (row, column).
pub type PlainCells = BTreeMap<(u32, u32), PlainCell>;

/// The cells holding something of a workbook's first sheet, and its name: a table of records
/// an office keeps (a plan's tasks), read with the guards of the report workbook — the zip
/// checked before calamine opens it, the sheet read cell by cell within `rows` × `cols` plus
/// [`EXTRA_ROWS`] × [`EXTRA_COLS`] and at most [`MAX_CELLS`] cells, a panic inside calamine
/// refusing the file. A formula is read from the value the spreadsheet cached for it.
pub fn sheet_cells(bytes: &[u8], rows: u32, cols: u32) -> Result<(String, PlainCells), DocumentError> {
    unbroken(|| {
        let mut wb = open(bytes)?;
        let Some(name) = wb.sheet_names().first().cloned() else {
            return Err(DocumentError::XlsxRead("tệp không có trang tính nào".into()));
        };
        let cells = Cells::load(&mut wb, &name, Extent { rows: rows.max(1), cols: cols.max(1) })?;
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
        let plain = cells
            .values
            .into_iter()
            .filter_map(|(pos, v)| {
                let cell = match v {
                    Data::Empty => return None,
                    Data::String(s) => PlainCell::Text(s),
                    Data::Float(x) => PlainCell::Number(x),
                    Data::Int(n) => PlainCell::Number(n as f64),
                    Data::Bool(b) => PlainCell::Text(if b { "Có" } else { "Không" }.into()),
                    Data::DateTime(x) => {
                        let serial = x.as_f64();
                        let day = serial.floor();
                        // Seconds of the day, rounded: Excel stores 08:30 as 0.354166…
                        let seconds = ((serial - day) * 86_400.0).round() as u64;
                        let at = (0.0..3_000_000.0)
                            .contains(&day)
                            .then(|| epoch.checked_add_days(Days::new(day as u64)))
                            .flatten()
                            .and_then(|d| d.and_hms_opt(0, 0, 0))
                            .and_then(|t| t.checked_add_signed(chrono::TimeDelta::seconds(seconds as i64)));
                        match at {
                            Some(t) if t.time() == chrono::NaiveTime::MIN => PlainCell::Date(t.date()),
                            Some(t) => PlainCell::DateTime(t),
                            None => PlainCell::Number(serial),
                        }
                    }
                    Data::DateTimeIso(s) => match iso_moment(&s) {
                        Some(t) if t.time() != chrono::NaiveTime::MIN => PlainCell::DateTime(t),
                        Some(t) => PlainCell::Date(t.date()),
                        None => PlainCell::Text(s),
                    },
                    Data::DurationIso(s) => PlainCell::Text(s),
                    Data::Error(_) => PlainCell::Text("#LỖI".into()),
                };
                Some((pos, cell))
            })
            .collect();
        Ok((name, plain))
    })?
}

/// An ISO date or moment as calamine gives a date cell stored as text ("2024-03-12",
/// "2024-03-12T08:30:00", with fractions of seconds dropped).
fn iso_moment(s: &str) -> Option<NaiveDateTime> {
    let day = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    match s.get(10..).map(|t| t.trim_start_matches(['T', ' '])) {
        None | Some("") => day.and_hms_opt(0, 0, 0),
        Some(time) => {
            let time = time.split(['.', 'Z', '+']).next().unwrap_or(time);
            chrono::NaiveTime::parse_from_str(time, "%H:%M:%S")
                .or_else(|_| chrono::NaiveTime::parse_from_str(time, "%H:%M"))
                .ok()
                .map(|t| day.and_time(t))
        }
    }
}
