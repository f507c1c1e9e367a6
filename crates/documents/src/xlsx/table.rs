//! A list as a workbook: the exports of the pages that show a table (the audit log, …).
//!
//! One sheet: the title merged over the columns (row 1), what the list was filtered by (row 2),
//! the headings (row 4, bold, frozen, filterable and repeated on every printed page), then one
//! row per item. Texts are written as texts, never as formulas, so a value that begins with `=`
//! cannot run in the reader's spreadsheet; a count is a number shown as 8.803 under Vietnamese
//! settings. A text longer than a cell holds (32.767 characters) is cut with "…" rather than
//! refusing the whole export.

use std::borrow::Cow;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

use crate::DocumentError;

/// One cell of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Count(i64),
}

/// One column: its heading and its width in characters of the default font.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    pub heading: &'a str,
    pub width: f64,
}

/// A list to export.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    /// The sheet's name (at most 31 characters, no `[]:*?/\`; cut and cleaned if not).
    pub sheet: &'a str,
    pub title: &'a str,
    /// What the list holds, e.g. the filters ("Đơn vị: 30337; từ 01/10/2024").
    pub subtitle: &'a str,
    pub columns: &'a [Column<'a>],
    pub rows: &'a [Vec<Cell>],
}

/// The most characters Excel keeps in one cell.
const MAX_CELL_CHARS: usize = 32_767;
const HEAD_ROW: u32 = 3;
const COUNT_FMT: &str = "[$-42A]#,##0";

/// The workbook of a list.
pub fn table(t: &Table<'_>) -> Result<Vec<u8>, DocumentError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(t.sheet))?;
    let base = Format::new().set_font_name("Times New Roman").set_font_size(12);
    let text = base.clone().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::Top);
    let count = text.clone().set_num_format(COUNT_FMT);
    let head = text.clone().set_bold().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    let title = base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center);
    let last = t.columns.len().max(1) as u16 - 1;
    if last == 0 {
        ws.write_string_with_format(0, 0, t.title, &title)?;
        ws.write_string_with_format(1, 0, t.subtitle, &base)?;
    } else {
        ws.merge_range(0, 0, 0, last, t.title, &title)?;
        ws.merge_range(1, 0, 1, last, t.subtitle, &base.clone().set_align(FormatAlign::Center))?;
    }
    for (c, col) in t.columns.iter().enumerate() {
        ws.set_column_width(c as u16, col.width)?;
        ws.write_string_with_format(HEAD_ROW, c as u16, col.heading, &head)?;
    }
    for (i, row) in t.rows.iter().enumerate() {
        let r = HEAD_ROW + 1 + i as u32;
        for (c, cell) in row.iter().enumerate().take(t.columns.len()) {
            match cell {
                Cell::Text(s) => ws.write_string_with_format(r, c as u16, fitted(s).as_ref(), &text)?,
                Cell::Count(n) => ws.write_number_with_format(r, c as u16, *n as f64, &count)?,
            };
        }
    }
    if !t.columns.is_empty() {
        ws.autofilter(HEAD_ROW, 0, HEAD_ROW + t.rows.len() as u32, last)?;
    }
    ws.set_freeze_panes(HEAD_ROW + 1, 0)?;
    ws.set_repeat_rows(HEAD_ROW, HEAD_ROW)?;
    ws.set_paper_size(9).set_landscape().set_margins(0.6, 0.6, 0.8, 0.8, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    Ok(wb.save_to_buffer()?)
}

/// A text a cell can hold.
fn fitted(s: &str) -> Cow<'_, str> {
    match s.char_indices().nth(MAX_CELL_CHARS - 1) {
        Some((at, _)) => Cow::Owned(format!("{}…", &s[..at])),
        None => Cow::Borrowed(s),
    }
}

/// A name Excel accepts for a sheet.
fn sheet_name(name: &str) -> String {
    let clean: String = name.chars().map(|c| if "[]:*?/\\".contains(c) { '-' } else { c }).take(31).collect();
    let clean = clean.trim_matches('\'').trim().to_string();
    if clean.is_empty() { "Danh sách".to_string() } else { clean }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_cleaned_and_cut() {
        assert_eq!(sheet_name("Nhật ký: 01/10/2024"), "Nhật ký- 01-10-2024");
        assert_eq!(sheet_name(&"x".repeat(40)).chars().count(), 31);
        assert_eq!(sheet_name("''"), "Danh sách");
    }

    #[test]
    fn a_text_too_long_for_a_cell_is_cut() {
        let long = "ệ".repeat(40_000);
        let cut = fitted(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with("ệ…"));
        assert_eq!(fitted("ngắn"), "ngắn");
    }
}
