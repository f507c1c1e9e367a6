//! Alters a workbook our writer made the way a clerk's spreadsheet program might: a sheet
//! deleted, renamed or added, a formula saved without its value, a cell given a percent or date
//! format. Shared by the reader's tests and the app's import tests (`#[path]`), editing the zip's
//! XML directly.

#![allow(dead_code)]

use std::io::{Cursor, Read, Write};

/// Rewrites the parts of a workbook: `edit` gets each part's name and text and returns the new
/// text, or `None` to leave the part out.
pub fn edit(bytes: &[u8], edit: impl Fn(&str, String) -> Option<String>) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut body = String::new();
        f.read_to_string(&mut body).unwrap();
        if let Some(body) = edit(&name, body) {
            out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            out.write_all(body.as_bytes()).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}

/// The `<sheet …/>` element of `name` in xl/workbook.xml.
fn sheet_element(workbook: &str, name: &str) -> (usize, usize) {
    let start = workbook.find(&format!("<sheet name=\"{name}\"")).unwrap_or_else(|| panic!("no sheet {name}"));
    (start, start + workbook[start..].find("/>").unwrap() + 2)
}

/// The part holding sheet `name` (our writer numbers them in order).
pub fn sheet_part(bytes: &[u8], name: &str) -> String {
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut workbook = String::new();
    zin.by_name("xl/workbook.xml").unwrap().read_to_string(&mut workbook).unwrap();
    let at = sheet_element(&workbook, name).0;
    let index = workbook[..at].matches("<sheet name=").count();
    format!("xl/worksheets/sheet{}.xml", index + 1)
}

pub fn delete_sheet(bytes: &[u8], name: &str) -> Vec<u8> {
    edit(bytes, |part, mut body| {
        if part == "xl/workbook.xml" {
            let (s, e) = sheet_element(&body, name);
            body.replace_range(s..e, "");
        }
        Some(body)
    })
}

pub fn rename_sheet(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    edit(bytes, |part, body| {
        Some(if part == "xl/workbook.xml" {
            body.replace(&format!("<sheet name=\"{from}\""), &format!("<sheet name=\"{to}\""))
        } else {
            body
        })
    })
}

/// Adds a sheet `name` showing the same cells as sheet `like` (a copied sheet).
pub fn add_sheet(bytes: &[u8], like: &str, name: &str) -> Vec<u8> {
    edit(bytes, |part, mut body| {
        if part == "xl/workbook.xml" {
            let (s, e) = sheet_element(&body, like);
            let rel = body[s..e].split("r:id=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
            let copy = format!("<sheet name=\"{name}\" sheetId=\"99\" r:id=\"{rel}\"/>");
            body.insert_str(e, &copy);
        }
        Some(body)
    })
}

/// Replaces cell `cell` of part `sheet` by `content` (the XML inside `<c …>`), with style `style`
/// (or the cell's own).
fn set_cell(body: &mut String, cell: &str, style: Option<usize>, attrs: &str, content: &str) {
    let start = body.find(&format!("<c r=\"{cell}\"")).unwrap_or_else(|| panic!("no cell {cell}"));
    let open_end = start + body[start..].find('>').unwrap();
    let end = if body[..=open_end].ends_with("/>") { open_end + 1 } else { open_end + body[open_end..].find("</c>").unwrap() + 4 };
    let own = body[start..end].split("s=\"").nth(1).map(|s| s.split('"').next().unwrap().to_string()).unwrap_or("0".into());
    let style = style.map_or(own, |s| s.to_string());
    body.replace_range(start..end, &format!("<c r=\"{cell}\" s=\"{style}\"{attrs}>{content}</c>"));
}

/// Cell `cell` of sheet `name` holds `formula` with the cached value `value`, or none (as a
/// program that does not compute formulas saves it).
pub fn formula(bytes: &[u8], name: &str, cell: &str, formula: &str, value: Option<&str>) -> Vec<u8> {
    let part = sheet_part(bytes, name);
    let content = format!("<f>{formula}</f>{}", value.map_or(String::new(), |v| format!("<v>{v}</v>")));
    edit(bytes, |p, mut body| {
        if p == part {
            set_cell(&mut body, cell, None, "", &content);
        }
        Some(body)
    })
}

/// Cell `cell` of sheet `name` holds the text `text`.
pub fn text(bytes: &[u8], name: &str, cell: &str, text: &str) -> Vec<u8> {
    let part = sheet_part(bytes, name);
    edit(bytes, |p, mut body| {
        if p == part {
            set_cell(&mut body, cell, None, " t=\"inlineStr\"", &format!("<is><t>{text}</t></is>"));
        }
        Some(body)
    })
}

/// Row `row` (1-based) of sheet `name` deleted (the rows below keep their numbers).
pub fn delete_row(bytes: &[u8], name: &str, row: u32) -> Vec<u8> {
    let part = sheet_part(bytes, name);
    edit(bytes, |p, mut body| {
        if p == part {
            let start = body.find(&format!("<row r=\"{row}\"")).unwrap_or_else(|| panic!("no row {row}"));
            let end = start + body[start..].find("</row>").unwrap() + 6;
            body.replace_range(start..end, "");
        }
        Some(body)
    })
}

/// Cell `cell` of sheet `name` holds the number `value` under Excel's built-in number format
/// `format` (9: "0%", 14: a date).
pub fn formatted_number(bytes: &[u8], name: &str, cell: &str, value: &str, format: u32) -> Vec<u8> {
    let part = sheet_part(bytes, name);
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut styles = String::new();
    zin.by_name("xl/styles.xml").unwrap().read_to_string(&mut styles).unwrap();
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let new_style = xfs.matches("<xf ").count();
    edit(bytes, |p, mut body| {
        if p == "xl/styles.xml" {
            let at = body.find("</cellXfs>").unwrap();
            body.insert_str(
                at,
                &format!("<xf numFmtId=\"{format}\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"),
            );
        }
        if p == part {
            set_cell(&mut body, cell, Some(new_style), "", &format!("<v>{value}</v>"));
        }
        Some(body)
    })
}

/// A zip that holds no workbook.
pub fn not_a_workbook() -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    out.start_file("readme.txt", zip::write::SimpleFileOptions::default()).unwrap();
    out.write_all(b"not a workbook").unwrap();
    out.finish().unwrap().into_inner()
}
