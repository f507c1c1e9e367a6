//! The appendix as an XLSX workbook, which is also the data-entry template for units that work
//! in Excel, and its reader.
//!
//! Layout (docs/documents.md): a sheet "Thông tin" naming the unit, period and catalogue, then
//! one sheet "Biểu N" per form: the title merged over the columns (row 1), the unit and period
//! (row 2), the headings STT · Chỉ tiêu · Đơn vị tính · Số liệu · Ghi chú · Mã (row 4, frozen and
//! repeated on every printed page), then one row per indicator and split from row 5. Column F
//! holds the figure's key (`3.6.6[level=xa]`), which is how a filled-in workbook is read back.
//! Ratios are formulas over their parts (computed, never typed) unless the report states one.

use std::io::Cursor;
use std::str::FromStr;

use calamine::{Data, Reader, Xlsx};
use cchc_catalogue::{Catalogue, Indicator, Kind};
use cchc_periods::Period;
use cchc_report::{Entry, Key, UnitRef, UnitReport, Value};
use cchc_units::UnitKind;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet};

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

/// The sheet name of a form.
pub fn sheet_name(form: u8) -> String {
    format!("Biểu {form}")
}

struct Formats {
    title: Format,
    subtitle: Format,
    head: Format,
    text: Format,
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
        page_setup(ws)?;
        let title = format!("Biểu mẫu {}: {}", form.number, form.name.to_uppercase());
        ws.merge_range(0, 0, 0, KEY_COL, &title, &f.title)?;
        ws.set_row_height(0, 36)?;
        let sub = format!("{} — {}", report.unit.name, report.period.title_vi());
        ws.merge_range(1, 0, 1, KEY_COL, &sub, &f.subtitle)?;
        for (c, h) in appendix::HEADINGS.iter().chain(["Mã"].iter()).enumerate() {
            ws.write_string_with_format(HEAD_ROW, c as u16, *h, &f.head)?;
        }
        let place: Vec<Key> = rows.iter().map(|r| r.key.clone()).collect();
        for (i, r) in rows.iter().enumerate() {
            let row = FIRST_ROW + i as u32;
            let group = !r.indicator.holds_value();
            ws.write_string_with_format(row, 0, &r.indicator.code, &f.centre)?;
            ws.write_string_with_format(row, 1, &r.label, if group { &f.group } else { &f.label })?;
            ws.write_string_with_format(row, 2, &r.unit, &f.centre)?;
            write_value(ws, row, r.indicator, &r.key, report, &place, &f)?;
            ws.write_string_with_format(row, NOTE_COL, &r.note, &f.text)?;
            ws.write_string_with_format(row, KEY_COL, r.key.to_string(), &f.key)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// A4 portrait, fit to one page wide, headings repeated, frozen under the headings.
fn page_setup(ws: &mut Worksheet) -> Result<(), DocumentError> {
    ws.set_paper_size(9).set_portrait().set_print_fit_to_pages(1, 0).set_margins(0.6, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_repeat_rows(HEAD_ROW, HEAD_ROW)?;
    ws.set_freeze_panes(FIRST_ROW, 0)?;
    for (c, w) in [7.0, 48.0, 13.0, 13.0, 22.0, 14.0].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    Ok(())
}

fn info_sheet(ws: &mut Worksheet, report: &UnitReport, f: &Formats) -> Result<(), DocumentError> {
    ws.set_name(INFO_SHEET)?;
    ws.set_column_width(0, 22)?;
    ws.set_column_width(1, 50)?;
    ws.merge_range(0, 0, 0, 1, "BIỂU MẪU SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH", &f.title)?;
    let lines = [
        ("Mã đơn vị", report.unit.code.clone()),
        ("Tên đơn vị", report.unit.name.clone()),
        ("Loại đơn vị", report.unit.kind.slug().to_string()),
        ("Kỳ báo cáo", report.period.to_string()),
        ("Danh mục chỉ tiêu", report.catalogue.clone()),
    ];
    for (i, (label, value)) in lines.iter().enumerate() {
        ws.write_string_with_format(2 + i as u32, 0, *label, &f.group)?;
        ws.write_string_with_format(2 + i as u32, 1, value, &f.text)?;
    }
    // The unit's ancestors, nearest first: code, name, kind.
    let mut parent = report.unit.parent.as_deref();
    let mut row = ANCESTORS_ROW;
    while let Some(p) = parent {
        ws.write_string_with_format(row, 0, "Đơn vị cấp trên", &f.group)?;
        ws.write_string_with_format(row, 1, &p.code, &f.text)?;
        ws.write_string_with_format(row, 2, &p.name, &f.text)?;
        ws.write_string_with_format(row, 3, p.kind.slug(), &f.text)?;
        parent = p.parent.as_deref();
        row += 1;
    }
    ws.set_column_width(2, 30)?;
    ws.write_string(ANCESTORS_ROW + 4, 0, "Điền số liệu vào cột D (Số liệu) của các biểu; không sửa cột F (Mã).")?;
    Ok(())
}

/// Writes the figure cell: the stored value, or for a ratio without one a formula over its parts.
fn write_value(
    ws: &mut Worksheet,
    row: u32,
    ind: &Indicator,
    key: &Key,
    report: &UnitReport,
    place: &[Key],
    f: &Formats,
) -> Result<(), DocumentError> {
    let stored = report.value(key);
    match (&ind.kind, stored) {
        (Kind::Group, _) => {
            ws.write_blank(row, VALUE_COL, &f.group)?;
        }
        (Kind::Ratio { numerator, denominator }, None) => {
            let at = |code: &str| place.iter().position(|k| *k == key.with_code(code)).map(|i| FIRST_ROW + i as u32 + 1);
            match (at(numerator), at(denominator)) {
                (Some(n), Some(d)) => {
                    let mut formula = Formula::new(format!("=IF(N(D{d})=0,\"\",ROUND(D{n}*100/D{d},2))"));
                    if let Some(v) = report.computed_ratio(ind, &key.split) {
                        formula = formula.set_result(v.to_string());
                    }
                    ws.write_formula_with_format(row, VALUE_COL, formula, &f.percent.clone().set_locked())?;
                }
                _ => {
                    ws.write_blank(row, VALUE_COL, &f.percent)?;
                }
            }
        }
        (_, None) => {
            ws.write_blank(row, VALUE_COL, format_for(ind, f))?;
        }
        (_, Some(v)) => match v {
            Value::Int(n) => {
                ws.write_number_with_format(row, VALUE_COL, *n as f64, format_for(ind, f))?;
            }
            // A stated figure with trailing zeros ("42,30") keeps them as Vietnamese text: a
            // number cell would give back 42,3, and the stated precision is what the check of a
            // stated ratio works at.
            Value::Dec(d) if d.scale() > d.normalize().scale() => {
                ws.write_string_with_format(row, VALUE_COL, cchc_format::decimal(*d), format_for(ind, f))?;
            }
            Value::Dec(d) => {
                let x = f64::from_str(&d.to_string()).unwrap_or_default();
                ws.write_number_with_format(row, VALUE_COL, x, format_for(ind, f))?;
            }
            Value::Bool(b) => {
                ws.write_number_with_format(row, VALUE_COL, *b as u8 as f64, &f.count)?;
            }
            Value::Choice(c) => {
                ws.write_number_with_format(row, VALUE_COL, *c as f64, &f.count)?;
            }
            other => {
                ws.write_string_with_format(row, VALUE_COL, other.display(), &f.text)?;
            }
        },
    }
    Ok(())
}

fn format_for<'a>(ind: &Indicator, f: &'a Formats) -> &'a Format {
    match ind.kind {
        Kind::Money => &f.money,
        Kind::Ratio { .. } | Kind::Percent => &f.percent,
        Kind::Text => &f.text,
        _ => &f.count,
    }
}

/// Reads a filled-in workbook back into a report. Every wrong cell is reported (sheet, cell,
/// rule, in Vietnamese) and nothing is returned unless all cells are right; the caller then runs
/// the validation rules before saving.
pub fn read(bytes: &[u8], catalogue: &Catalogue) -> Result<UnitReport, Vec<DocumentError>> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| vec![DocumentError::XlsxRead(e.to_string())])?;
    let mut report = read_info(&mut wb)?;
    let mut errors = Vec::new();
    for form in &catalogue.forms {
        let name = sheet_name(form.number);
        if !wb.sheet_names().contains(&name) {
            continue;
        }
        let cells = wb.worksheet_range(&name).map_err(|e| vec![DocumentError::XlsxRead(e.to_string())])?;
        let formulas = wb.worksheet_formula(&name).map_err(|e| vec![DocumentError::XlsxRead(e.to_string())])?;
        let last = cells.end().map_or(0, |(r, _)| r);
        for row in FIRST_ROW..=last {
            match read_row(&cells, &formulas, row, catalogue) {
                Ok(Some(entry)) => report.entries.push(entry),
                Ok(None) => {}
                Err(rule) => errors.push(DocumentError::Cell { sheet: name.clone(), cell: cell_name(row, rule.0), rule: rule.1 }),
            }
        }
    }
    if errors.is_empty() { Ok(report) } else { Err(errors) }
}

/// The catalogue reference (`id@version`) named on the information sheet.
pub fn catalogue_reference(bytes: &[u8]) -> Result<String, DocumentError> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| DocumentError::XlsxRead(e.to_string()))?;
    let cells = wb.worksheet_range(INFO_SHEET).map_err(|e| DocumentError::XlsxRead(e.to_string()))?;
    Ok(text_at(&cells, 6, 1))
}

/// "D7" for 0-based row 6, column 3.
pub fn cell_name(row: u32, col: u16) -> String {
    format!("{}{}", (b'A' + col as u8) as char, row + 1)
}

fn text_at(cells: &calamine::Range<Data>, row: u32, col: u16) -> String {
    match cells.get_value((row, col as u32)) {
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(d) => d.to_string(),
    }
}

fn read_info(wb: &mut Xlsx<Cursor<&[u8]>>) -> Result<UnitReport, Vec<DocumentError>> {
    let err = |cell: &str, rule: &str| vec![DocumentError::Cell { sheet: INFO_SHEET.into(), cell: cell.into(), rule: rule.into() }];
    let cells = wb.worksheet_range(INFO_SHEET).map_err(|_| err("A1", "thiếu trang \"Thông tin\" (mã đơn vị, kỳ báo cáo)"))?;
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
    Ok(UnitReport::new(&at(6), unit, period))
}

/// One data row: `Ok(None)` for a heading, a computed ratio or an empty row; `Err((column, rule))`.
fn read_row(
    cells: &calamine::Range<Data>,
    formulas: &calamine::Range<String>,
    row: u32,
    catalogue: &Catalogue,
) -> Result<Option<Entry>, (u16, String)> {
    let key_text = text_at(cells, row, KEY_COL);
    if key_text.is_empty() {
        return Ok(None);
    }
    let key = Key::parse(&key_text).ok_or((KEY_COL, format!("mã \"{key_text}\" không hợp lệ; không sửa cột Mã")))?;
    let ind = catalogue.indicator(&key.code).ok_or((KEY_COL, format!("chỉ tiêu {} không có trong danh mục", key.code)))?;
    // Headings hold no figure, and a ratio left as its formula is computed, never stored; both
    // may still carry a note.
    let computed = matches!(ind.kind, Kind::Ratio { .. }) && formulas.get_value((row, VALUE_COL as u32)).is_some_and(|f| !f.is_empty());
    let value = if !ind.holds_value() || computed {
        None
    } else {
        let cell = cells.get_value((row, VALUE_COL as u32)).cloned().unwrap_or(Data::Empty);
        parse_cell(&cell, ind).map_err(|rule| (VALUE_COL, format!("chỉ tiêu {} ({}): {rule}", ind.code, ind.name)))?
    };
    let note = Some(text_at(cells, row, NOTE_COL)).filter(|n| !n.is_empty());
    if value.is_none() && note.is_none() {
        return Ok(None);
    }
    Ok(Some(Entry { key, value, qualifier: None, note, source: Some(format!("Biểu mẫu {}", ind.form())) }))
}

/// The number in a cell: a number, or text written the Vietnamese way ("8.803", "92,85").
fn number(cell: &Data) -> Result<Option<Decimal>, String> {
    match cell {
        Data::Empty => Ok(None),
        Data::Int(n) => Ok(Some(Decimal::from(*n))),
        Data::Float(x) => Decimal::from_str(&x.to_string()).map(Some).map_err(|_| format!("\"{x}\" không phải là số")),
        Data::String(s) if s.trim().is_empty() => Ok(None),
        Data::String(s) => {
            vietnamese_number(s.trim().trim_end_matches('%').trim()).map(Some).ok_or_else(|| format!("\"{s}\" không phải là số"))
        }
        other => Err(format!("\"{other}\" không phải là số")),
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

fn parse_cell(cell: &Data, ind: &Indicator) -> Result<Option<Value>, String> {
    if let (Kind::Text, Data::String(s)) = (&ind.kind, cell) {
        return Ok(Some(Value::Text(s.clone())));
    }
    if let Data::String(s) = cell
        && let Some(v) = compiled(s)
    {
        return Ok(Some(v));
    }
    let Some(n) = number(cell)? else { return Ok(None) };
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
