//! A record with its table as a workbook (a plan and its tasks): the title in row 1, the
//! record's fields as label and value in columns A and B, a blank row, then the table's
//! headings (bold, frozen) and one row per item. Everything is written as text, never as a
//! formula, so the file reads back exactly (`read::sheet_cells`) and a value beginning with `=`
//! cannot run in the reader's spreadsheet.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

use crate::DocumentError;

/// What to write.
#[derive(Debug, Clone)]
pub struct Form<'a> {
    pub sheet: &'a str,
    pub title: &'a str,
    pub fields: &'a [(&'a str, String)],
    pub headings: &'a [&'a str],
    /// Column widths in characters, by column.
    pub widths: &'a [f64],
    pub rows: &'a [Vec<String>],
}

/// The most characters Excel keeps in one cell.
const MAX_CELL_CHARS: usize = 32_767;

fn cut(s: &str) -> String {
    if s.chars().count() <= MAX_CELL_CHARS { s.to_string() } else { s.chars().take(MAX_CELL_CHARS - 1).chain(['…']).collect() }
}

/// The workbook of a form.
pub fn form(f: &Form<'_>) -> Result<Vec<u8>, DocumentError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(f.sheet)?;
    let base = Format::new().set_font_name("Times New Roman").set_font_size(12);
    let title = base.clone().set_bold().set_font_size(14);
    let label = base.clone().set_bold();
    let cell = base.clone().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::Top);
    let head = cell.clone().set_bold().set_align(FormatAlign::Center);
    ws.write_string_with_format(0, 0, f.title, &title)?;
    for (i, (l, v)) in f.fields.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, *l, &label)?;
        if !v.is_empty() {
            ws.write_string_with_format(row, 1, cut(v), &base)?;
        }
    }
    let head_row = f.fields.len() as u32 + 2;
    for (c, h) in f.headings.iter().enumerate() {
        ws.write_string_with_format(head_row, c as u16, *h, &head)?;
    }
    for (c, w) in f.widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for (r, row) in f.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string_with_format(head_row + 1 + r as u32, c as u16, cut(v), &cell)?;
        }
    }
    ws.set_freeze_panes(head_row + 1, 0)?;
    Ok(wb.save_to_buffer()?)
}
