//! The appendix as an XLSX workbook, which is also the data-entry template for units that work
//! in Excel, and its reader.
//!
//! Layout (docs/documents.md): a sheet "Thông tin" naming the unit, period and catalogue, then
//! one sheet "Biểu N" per form: the title merged over the columns (row 1), the unit and period
//! (row 2), the headings STT · Chỉ tiêu · Đơn vị tính · Số liệu · Ghi chú · Mã (row 4, frozen and
//! repeated on every printed page), then one row per indicator and split from row 5. Column F
//! holds the figure's key (`3.6.6[level=xa]`), which is how a filled-in workbook is read back.
//! A ratio whose parts are on the sheet is a formula over them (computed, never typed), with its
//! value cached so that a print or a preview shows it; a ratio without its parts is an input.
//!
//! The template guards itself: each input cell carries Excel data validation (whole numbers ≥ 0,
//! 1/0 for Có/Không, the choice list), the label, unit and code columns are locked (sheet
//! protection without a password), rows are as high as their wrapped labels, and every sheet
//! prints on A4. The reader ([`read`]) refuses a workbook whose sheets or headings were changed,
//! so that a figure is never deleted by omission.

pub mod form;
mod read;
pub mod table;

use std::str::FromStr;

use cchc_catalogue::{Catalogue, Indicator, Kind};
use cchc_report::{Key, UnitReport, Value};
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, FormatBorder, Formula, ProtectionOptions, Workbook, Worksheet,
};

pub use read::{
    EXTRA_COLS, EXTRA_ROWS, MAX_CELLS, MAX_PARTS, MAX_SHARED_STRINGS, MAX_UNCOMPRESSED, Workbook as ReadWorkbook, catalogue_reference,
    cell_name, read, read_workbook,
};
pub use read::{PlainCell, PlainCells, sheet_cells};

use crate::{DocumentError, appendix};

/// The sheet that names the unit, period and catalogue.
pub const INFO_SHEET: &str = "Thông tin";
/// The first row of the unit's ancestors on the information sheet.
const ANCESTORS_ROW: u32 = 8;
/// The 0-based row of the column headings and the first data row.
const HEAD_ROW: u32 = 3;
const FIRST_ROW: u32 = 4;
/// Column letters: D holds the figure, E the note, F the key.
const VALUE_COL: u16 = 3;
const NOTE_COL: u16 = 4;
const KEY_COL: u16 = 5;
/// Number formats: Excel writes them with ',' for thousands and '.' for decimals and shows
/// them by the reader's locale (8.803 and 99,43% under Vietnamese settings); `[$-42A]` tags the
/// format as Vietnamese.
const COUNT_FMT: &str = "[$-42A]#,##0";
const MONEY_FMT: &str = "[$-42A]#,##0.00";
const PERCENT_FMT: &str = "[$-42A]0.00\"%\"";
/// The headings of row 4 of a form's sheet, which the reader checks.
pub const HEADINGS: [&str; 6] = ["STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú", "Mã"];
/// Column widths (in characters of the default font) of a form's sheet, A to F.
const WIDTHS: [f64; 6] = [7.0, 48.0, 13.0, 13.0, 22.0, 14.0];
/// The height of one line of Times New Roman 12, in points, and the padding of a cell.
const LINE_HEIGHT: f64 = 15.6;
const ROW_PADDING: f64 = 4.0;

/// The sheet name of a form.
pub fn sheet_name(form: u8) -> String {
    format!("Biểu {form}")
}

struct Formats {
    title: Format,
    subtitle: Format,
    head: Format,
    text: Format,
    info: Format,
    label: Format,
    group: Format,
    centre: Format,
    count: Format,
    money: Format,
    percent: Format,
    key: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name("Times New Roman").set_font_size(12);
        let cell = base.clone().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
        Formats {
            title: base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center).set_text_wrap(),
            subtitle: base.clone().set_italic().set_align(FormatAlign::Center),
            head: cell.clone().set_bold().set_align(FormatAlign::Center).set_background_color(0xD9E1F2),
            text: cell.clone().set_unlocked(),
            info: cell.clone().set_align(FormatAlign::Left),
            label: cell.clone().set_align(FormatAlign::Left),
            group: cell.clone().set_bold(),
            centre: cell.clone().set_align(FormatAlign::Center),
            count: cell.clone().set_num_format(COUNT_FMT).set_unlocked(),
            money: cell.clone().set_num_format(MONEY_FMT).set_unlocked(),
            percent: cell.clone().set_num_format(PERCENT_FMT).set_unlocked(),
            key: cell.set_font_size(9).set_font_color(0x808080),
        }
    }
}

/// Builds the workbook of a report (an empty report gives the blank template).
pub fn render(report: &UnitReport, catalogue: &Catalogue) -> Result<Vec<u8>, DocumentError> {
    let mut wb = Workbook::new();
    let f = Formats::new();
    info_sheet(wb.add_worksheet(), report, &f)?;
    for (form, rows) in appendix::forms(catalogue, report) {
        if rows.is_empty() {
            continue;
        }
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(form.number))?;
        // A formula without a value (a ratio whose denominator is missing) caches a blank, as
        // the DOCX shows it, not the writer's default 0.
        ws.set_formula_result_default("");
        page_setup(ws)?;
        let title = format!("{}: {}", form.title(), form.name.to_uppercase());
        ws.merge_range(0, 0, 0, KEY_COL, &title, &f.title)?;
        ws.set_row_height(0, row_height(&[(&title, 131.0)]).max(36.0))?;
        let sub = format!("{} — {}", report.unit.name, report.period.title_vi());
        ws.merge_range(1, 0, 1, KEY_COL, &sub, &f.subtitle)?;
        for (c, h) in HEADINGS.iter().enumerate() {
            ws.write_string_with_format(HEAD_ROW, c as u16, *h, &f.head)?;
        }
        let place: Vec<Key> = rows.iter().map(|r| r.key.clone()).collect();
        for (i, r) in rows.iter().enumerate() {
            let row = FIRST_ROW + i as u32;
            let group = !r.indicator.holds_value();
            ws.write_string_with_format(row, 0, &r.indicator.code, &f.centre)?;
            ws.write_string_with_format(row, 1, &r.label, if group { &f.group } else { &f.label })?;
            ws.write_string_with_format(row, 2, &r.unit, &f.centre)?;
            if write_value(ws, row, r.indicator, &r.key, report, &place, &f)? {
                validate(ws, row, r.indicator)?;
            }
            ws.write_string_with_format(row, NOTE_COL, &r.note, &f.text)?;
            ws.write_string_with_format(row, KEY_COL, r.key.to_string(), &f.key)?;
            ws.set_row_height(row, row_height(&[(&r.label, WIDTHS[1]), (&r.unit, WIDTHS[2]), (&r.note, WIDTHS[4])]))?;
        }
        protect(ws);
    }
    Ok(wb.save_to_buffer()?)
}

/// Locks everything but the figure and note cells (their formats are unlocked), without a
/// password: the protection guards against slips, not against the unit. Rows and columns may
/// still be resized.
fn protect(ws: &mut Worksheet) {
    let options = ProtectionOptions { format_columns: true, format_rows: true, ..ProtectionOptions::default() };
    ws.protect_with_options(&options);
}

/// The height that shows every line of the wrapped texts, each in a column of the given width
/// (in characters of the default font): Times New Roman 12 fits about 1,1 of its characters per
/// width unit (LibreOffice's print of the Cẩm Xuyên workbook), so words are wrapped greedily at
/// that many characters.
fn row_height(texts: &[(&str, f64)]) -> f64 {
    let lines = texts.iter().map(|(text, width)| wrapped_lines(text, (*width * 1.1).floor() as usize)).max().unwrap_or(1);
    lines.max(1) as f64 * LINE_HEIGHT + ROW_PADDING
}

/// How many lines a text takes wrapped at `width` characters, breaking between words (a word
/// longer than a line is broken inside, as Excel does).
fn wrapped_lines(text: &str, width: usize) -> usize {
    let width = width.max(1);
    text.split('\n')
        .map(|para| {
            let (mut lines, mut used) = (1, 0);
            for len in para.split_whitespace().map(|w| w.chars().count()) {
                if used == 0 {
                    used = len;
                } else if used + 1 + len <= width {
                    used += 1 + len;
                } else {
                    lines += 1;
                    used = len;
                }
                while used > width {
                    lines += 1;
                    used -= width;
                }
            }
            lines
        })
        .sum()
}

/// Excel's own check of an input cell: whole numbers ≥ 0 for counts, numbers ≥ 0 for money,
/// 0 to 100 for a percentage, 1/0 for Có/Không, the options' numbers for a choice. The message
/// says the rule in Vietnamese; the reader checks the same rules again.
fn validate(ws: &mut Worksheet, row: u32, ind: &Indicator) -> Result<(), DocumentError> {
    let rule = match &ind.kind {
        Kind::Count => DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_message("Nhập số nguyên không âm.")?,
        Kind::Money => DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_message("Nhập một số không âm.")?,
        Kind::Ratio { .. } | Kind::Percent => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
            .set_error_message("Nhập tỷ lệ phần trăm từ 0 đến 100 (ví dụ 92,85).")?,
        Kind::Score => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
            .set_error_message("Nhập điểm từ 0 đến 100 (ví dụ 85,52).")?,
        Kind::YesNo { .. } => DataValidation::new()
            .allow_list_strings(&["1", "0"])?
            .set_input_message("1 = Có, 0 = Không")?
            .set_error_message("Chỉ nhận 1 (Có) hoặc 0 (Không).")?,
        Kind::Choice { options } => {
            let values: Vec<String> = options.iter().map(|o| o.value.to_string()).collect();
            DataValidation::new()
                .allow_list_strings(&values)?
                .set_input_message(ind.unit_label())?
                .set_error_message(format!("Chỉ nhận một trong các giá trị: {}", ind.unit_label()))?
        }
        Kind::Text | Kind::Group => return Ok(()),
    };
    ws.add_data_validation(row, VALUE_COL, row, VALUE_COL, &rule.set_error_title("Số liệu không hợp lệ")?)?;
    Ok(())
}

/// A4 portrait, fit to one page wide, headings repeated, frozen under the headings.
fn page_setup(ws: &mut Worksheet) -> Result<(), DocumentError> {
    print_setup(ws);
    ws.set_repeat_rows(HEAD_ROW, HEAD_ROW)?;
    ws.set_freeze_panes(FIRST_ROW, 0)?;
    for (c, w) in WIDTHS.into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    Ok(())
}

/// Every sheet prints on A4 portrait, one page wide, centred, with the page number at the foot.
fn print_setup(ws: &mut Worksheet) {
    ws.set_paper_size(9)
        .set_portrait()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.6, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&C&\"Times New Roman\"&10Trang &P/&N");
}

/// The data window the report states, as the "Thông tin" sheet writes it and reads it back:
/// "từ 15/12/2021 đến 14/06/2022".
pub(crate) fn window_text(w: cchc_periods::DateRange) -> String {
    format!("từ {} đến {}", cchc_format::date(w.from), cchc_format::date(w.to))
}

fn info_sheet(ws: &mut Worksheet, report: &UnitReport, f: &Formats) -> Result<(), DocumentError> {
    ws.set_name(INFO_SHEET)?;
    print_setup(ws);
    ws.set_column_width(0, 22)?;
    ws.set_column_width(1, 50)?;
    ws.merge_range(0, 0, 0, 1, "BIỂU MẪU SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH", &f.title)?;
    let lines = [
        ("Mã đơn vị", report.unit.code.clone()),
        ("Tên đơn vị", report.unit.name.clone()),
        ("Loại đơn vị", report.unit.kind.slug().to_string()),
        ("Kỳ báo cáo", report.period.to_string()),
        ("Danh mục chỉ tiêu", report.catalogue.clone()),
        ("Kỳ số liệu", report.window.map(window_text).unwrap_or_default()),
    ];
    for (i, (label, value)) in lines.iter().enumerate() {
        ws.write_string_with_format(2 + i as u32, 0, *label, &f.group)?;
        ws.write_string_with_format(2 + i as u32, 1, value, &f.info)?;
    }
    // The unit's ancestors, nearest first: code, name, kind.
    let mut parent = report.unit.parent.as_deref();
    let mut row = ANCESTORS_ROW;
    while let Some(p) = parent {
        ws.write_string_with_format(row, 0, "Đơn vị cấp trên", &f.group)?;
        ws.write_string_with_format(row, 1, &p.code, &f.info)?;
        ws.write_string_with_format(row, 2, &p.name, &f.info)?;
        ws.write_string_with_format(row, 3, p.kind.slug(), &f.info)?;
        parent = p.parent.as_deref();
        row += 1;
    }
    ws.set_column_width(2, 30)?;
    ws.set_column_width(3, 10)?;
    let hint = "Điền số liệu vào cột D (Số liệu) và ghi chú vào cột E của các biểu. Không xóa, đổi tên hay thêm trang, không sửa hàng tiêu đề và cột F (Mã): tệp như vậy sẽ không được nhập.";
    ws.merge_range(ANCESTORS_ROW + 4, 0, ANCESTORS_ROW + 4, 3, hint, &f.label)?;
    ws.set_row_height(ANCESTORS_ROW + 4, row_height(&[(hint, 110.0)]))?;
    // The sheet is read back as it is: it is locked, not edited.
    ws.protect_with_options(&ProtectionOptions { format_columns: true, format_rows: true, ..ProtectionOptions::default() });
    Ok(())
}

/// Writes the figure cell and says whether it is an input: the stored value, or for a ratio
/// whose parts are on the sheet a formula over them, cached with its value (blank when the
/// denominator is 0 or missing, as the DOCX shows it). A ratio the report states while its parts
/// give a value is written as the formula too: the workbook carries the parts, and the ratio is
/// what they give (docs/documents.md).
fn write_value(
    ws: &mut Worksheet,
    row: u32,
    ind: &Indicator,
    key: &Key,
    report: &UnitReport,
    place: &[Key],
    f: &Formats,
) -> Result<bool, DocumentError> {
    let stored = report.value(key);
    if let Kind::Ratio { numerator, denominator } = &ind.kind {
        let at = |code: &str| place.iter().position(|k| *k == key.with_code(code)).map(|i| FIRST_ROW + i as u32 + 1);
        let computed = report.computed_ratio(ind, &key.split);
        if let (Some(n), Some(d), true) = (at(numerator), at(denominator), stored.is_none() || computed.is_some()) {
            let cached = computed.map_or_else(String::new, |v| v.to_string());
            let formula = Formula::new(format!("=IF(N(D{d})=0,\"\",ROUND(D{n}*100/D{d},2))")).set_result(cached);
            ws.write_formula_with_format(row, VALUE_COL, formula, &f.percent.clone().set_locked())?;
            return Ok(false);
        }
    }
    match stored {
        _ if !ind.holds_value() => {
            ws.write_blank(row, VALUE_COL, &f.group)?;
            return Ok(false);
        }
        None => {
            ws.write_blank(row, VALUE_COL, format_for(ind, f))?;
        }
        Some(Value::Int(n)) => {
            ws.write_number_with_format(row, VALUE_COL, *n as f64, format_for(ind, f))?;
        }
        // A stated figure with trailing zeros ("42,30") keeps them as Vietnamese text: a
        // number cell would give back 42,3, and the stated precision is what the check of a
        // stated ratio works at.
        Some(Value::Dec(d)) if d.scale() > d.normalize().scale() => {
            ws.write_string_with_format(row, VALUE_COL, cchc_format::decimal(*d), format_for(ind, f))?;
        }
        Some(Value::Dec(d)) => {
            let x = f64::from_str(&d.to_string()).unwrap_or_default();
            ws.write_number_with_format(row, VALUE_COL, x, format_for(ind, f))?;
        }
        Some(Value::Bool(b)) => {
            ws.write_number_with_format(row, VALUE_COL, *b as u8 as f64, &f.count)?;
        }
        Some(Value::Choice(c)) => {
            ws.write_number_with_format(row, VALUE_COL, *c as f64, &f.count)?;
        }
        Some(other) => {
            ws.write_string_with_format(row, VALUE_COL, other.display(), &f.text)?;
            return Ok(false);
        }
    }
    Ok(true)
}

fn format_for<'a>(ind: &Indicator, f: &'a Formats) -> &'a Format {
    match ind.kind {
        Kind::Money | Kind::Score => &f.money,
        Kind::Ratio { .. } | Kind::Percent => &f.percent,
        Kind::Text => &f.text,
        _ => &f.count,
    }
}
