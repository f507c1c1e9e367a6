//! The report as a DOCX laid out per Decree 30/2020/NĐ-CP (appendix I): A4 portrait, margins
//! 20/20/30/20 mm, Times New Roman, the header table (issuing body with the short line, Quốc hiệu
//! and tiêu ngữ with the long line, number, place and date), "BÁO CÁO" and the title, sections
//! I–V with the officials' narrative and the generated sentences, Nơi nhận and the signature
//! block, page numbers centred at the top from page 2, then the appendix tables.

use chrono::Datelike;
use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, Footnote, Header, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph, Run,
    RunFonts, Table, TableAlignmentType, TableCell, TableCellBorder, TableCellBorderPosition, TableLayoutType, TableRow, WidthType,
};

use crate::narrative::{Block, Inline};
use crate::{DocumentError, ReportDocument, appendix};

/// Body size in half-points (14 pt).
pub(crate) const BODY: usize = 28;
/// Footnote size in half-points (10 pt).
const FOOTNOTE: usize = 20;
/// Size of the narrative's tables in half-points (13 pt).
const TABLE: usize = 26;
/// Twips per millimetre (1 mm = 56,7 twips).
pub(crate) fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

/// The width of the text between the margins (A4, 30 and 20 mm), in twips.
const TEXT_WIDTH: usize = 9071;

/// A document on the page Decree 30/2020 sets (A4 upright; margins 20 mm top and bottom, 30 mm
/// left, 20 mm right) in Times New Roman at the body size: the report's and the counter's forms'.
pub(crate) fn decree_30_page() -> Docx {
    Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin {
            top: mm(20.0),
            bottom: mm(20.0),
            left: mm(30.0),
            right: mm(20.0),
            header: mm(10.0),
            footer: mm(10.0),
            gutter: 0,
        })
        .default_fonts(tnr())
        .default_size(BODY)
}

/// Builds the DOCX bytes of the report.
pub fn render(doc: &ReportDocument) -> Result<Vec<u8>, DocumentError> {
    let mut d = decree_30_page()
        .header(Header::new().add_paragraph(Paragraph::new().align(AlignmentType::Center).add_page_num(PageNum::new())))
        .first_header(Header::new().add_paragraph(Paragraph::new()))
        .title_pg();
    d = styles(d);
    d = d.add_table(crate::header::header_table(doc));
    d = title(d, doc);
    d = body(d, doc);
    d = d.add_table(signature_table(doc));
    d = appendix_part(d, doc);
    pack(d, doc)
}

/// The styles the body names: headings (so that Word's navigation pane lists them; their look
/// is set on the paragraphs) and the footnote reference, raised.
fn styles(mut d: Docx) -> Docx {
    use docx_rs::{RunProperty, Style, StyleType, VertAlignType};
    for level in 1..=7 {
        let style = Style::new(format!("Heading{level}"), StyleType::Paragraph)
            .name(format!("heading {level}"))
            .based_on("Normal")
            .outline_lvl(level - 1);
        d = d.add_style(style);
    }
    let mut reference = Style::new("FootnoteReference", StyleType::Character).name("footnote reference");
    reference.run_property = RunProperty::new().vert_align(VertAlignType::SuperScript);
    d.add_style(reference)
}

/// Packs the document as Word expects it, mending what docx-rs 0.4 writes:
/// - header rows (marked `cantSplit`, which docx-rs can write) also get `tblHeader`, so they repeat
///   on every page (it has no setter for it);
/// - run and paragraph properties in ECMA-376 order ([`crate::ooxml`]);
/// - the row of the signature block and Nơi nhận cannot split across pages;
/// - the text is in Unicode NFC: accents copied from other documents often come decomposed
///   ("trì" as "tri" + U+0300), which breaks searching the PDF and Word's spelling;
/// - the default run properties in schema order (fonts before sizes) with the language, vi-VN,
///   so that Word checks the spelling as Vietnamese;
/// - the core properties name the issuing body as creator and the report's date as created
///   (docx-rs writes "unknown" and 1970);
/// - every part deflated (docx-rs stores them: 819 KB instead of about 43 KB).
fn pack(d: Docx, doc: &ReportDocument) -> Result<Vec<u8>, DocumentError> {
    let mend = |text: &str| appendix_section(&keep_signature_together(&text.replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />")));
    pack_parts(d, &mend, core_properties(doc))
}

/// Packs any document of this crate: `mend` rewrites the document part (in NFC, its grid columns
/// mended) before its properties are put in schema order; the rest as [`pack`] says.
pub(crate) fn pack_parts(d: Docx, mend: &dyn Fn(&str) -> String, core: String) -> Result<Vec<u8>, DocumentError> {
    use unicode_normalization::UnicodeNormalization;
    let fault = |e: std::string::FromUtf8Error| DocumentError::Docx(e.to_string());
    let mut xml = d.build();
    let text = String::from_utf8(std::mem::take(&mut xml.document)).map_err(fault)?;
    let text = grid_columns_without_type(&text.nfc().collect::<String>());
    xml.document = crate::ooxml::in_schema_order(&mend(&text)).into_bytes();
    if !xml.footnotes.is_empty() {
        let notes = String::from_utf8(std::mem::take(&mut xml.footnotes)).map_err(fault)?;
        xml.footnotes = crate::ooxml::in_schema_order(&numbered_footnotes(&notes.nfc().collect::<String>())).into_bytes();
    }
    for header in &mut xml.headers {
        *header = crate::ooxml::in_schema_order(&String::from_utf8(std::mem::take(header)).map_err(fault)?).into_bytes();
    }
    let styles = String::from_utf8(std::mem::take(&mut xml.styles)).map_err(fault)?;
    xml.styles = crate::ooxml::styles_in_schema_order(&default_run_properties(&styles)).into_bytes();
    let numberings = String::from_utf8(std::mem::take(&mut xml.numberings)).map_err(fault)?;
    xml.numberings = crate::ooxml::styles_in_schema_order(&numberings).into_bytes();
    // CT_Settings puts the zoom before the default tab stop.
    let settings = String::from_utf8(std::mem::take(&mut xml.settings)).map_err(fault)?;
    xml.settings = zoom_first(&settings).into_bytes();
    xml.doc_props.core = core.into_bytes();
    let mut buf = std::io::Cursor::new(Vec::new());
    xml.pack(&mut buf).map_err(|e| DocumentError::Docx(e.to_string()))?;
    deflated(&buf.into_inner())
}

/// The document with the row that holds Nơi nhận and the signature block marked `cantSplit`, so
/// that TM./KT., the title and the signer's name stay on one page (docx-rs marks a row only as a
/// repeated header, which this row is not).
fn keep_signature_together(document: &str) -> String {
    let Some(at) = document.find(">Nơi nhận:<") else { return document.to_string() };
    let Some(row) = document[..at].rfind("<w:tr>") else { return document.to_string() };
    let properties = document[row..].find("<w:trPr />").filter(|p| *p < at - row);
    match properties {
        Some(p) => format!("{}<w:trPr><w:cantSplit /></w:trPr>{}", &document[..row + p], &document[row + p + "<w:trPr />".len()..]),
        None => format!("{}<w:tr><w:trPr><w:cantSplit /></w:trPr>{}", &document[..row], &document[row + "<w:tr>".len()..]),
    }
}

/// The document with the appendix in a section of its own, numbered from 1 (Decree 30/2020): the
/// page break before it becomes the end of the body's section, and both sections' properties are
/// written in schema order (docx-rs puts the header references last).
fn appendix_section(document: &str) -> String {
    let (Some(start), Some(end)) = (document.rfind("<w:sectPr>"), document.rfind("</w:sectPr>")) else { return document.to_string() };
    let body = &document[start + "<w:sectPr>".len()..end];
    let children = |name: &str| -> String {
        body.split("<w:").filter(|c| c.starts_with(name)).map(|c| format!("<w:{c}")).collect::<Vec<_>>().concat()
    };
    let (refs, size, margins, cols) = (children("headerReference"), children("pgSz"), children("pgMar"), children("cols"));
    let Some(heading) = document.find(">PHỤ LỤC<") else { return document.to_string() };
    let Some(brk) = document[..heading].rfind(r#"<w:br w:type="page" />"#) else { return document.to_string() };
    let (Some(p_start), Some(p_end)) = (document[..brk].rfind("<w:p "), document[brk..].find("</w:p>").map(|e| brk + e + "</w:p>".len()))
    else {
        return document.to_string();
    };
    let body_section = format!("<w:p><w:pPr><w:sectPr>{refs}{size}{margins}{cols}<w:titlePg /></w:sectPr></w:pPr></w:p>");
    let appendix = format!(r#"<w:sectPr>{refs}{size}{margins}<w:pgNumType w:start="1" />{cols}</w:sectPr>"#);
    format!("{}{body_section}{}{appendix}{}", &document[..p_start], &document[p_end..start], &document[end + "</w:sectPr>".len()..])
}

/// The document with its grid columns' widths only: docx-rs adds a `w:type` that CT_TblGridCol
/// does not declare.
fn grid_columns_without_type(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find("<w:gridCol ") {
        let end = rest[at..].find("/>").map_or(rest.len(), |e| at + e + 2);
        out.push_str(&rest[..at]);
        out.push_str(&rest[at..end].replace(r#" w:type="dxa""#, ""));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The settings with `w:zoom` before `w:defaultTabStop`, as CT_Settings orders them.
fn zoom_first(settings: &str) -> String {
    let zoom = r#"<w:zoom w:percent="100" />"#;
    match (settings.find("<w:defaultTabStop"), settings.find(zoom)) {
        (Some(tab), Some(z)) if tab < z => {
            let without = settings.replacen(zoom, "", 1);
            format!("{}{zoom}{}", &without[..tab], &without[tab..])
        }
        _ => settings.to_string(),
    }
}

/// The styles with their default run properties (`w:rPrDefault`) rewritten in ECMA-376 order and
/// with the Vietnamese language.
fn default_run_properties(styles: &str) -> String {
    let (open, close) = ("<w:rPrDefault><w:rPr>", "</w:rPr></w:rPrDefault>");
    let (Some(from), Some(to)) = (styles.find(open), styles.find(close)) else { return styles.to_string() };
    let fonts = r#"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman" />"#;
    let size = BODY;
    let props =
        format!(r#"{fonts}<w:sz w:val="{size}" /><w:szCs w:val="{size}" /><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA" />"#);
    format!("{}{open}{props}{}", &styles[..from], &styles[to..])
}

/// The issuing body on one line, where running text names it (the appendix's "Kèm theo … của
/// …", the document's creator): as the header prints it, a typed break a space.
fn issuer_in_text(doc: &ReportDocument) -> String {
    let issuer = doc.report.document.issuer.clone().unwrap_or_else(|| crate::header::default_issuer(&doc.report.unit));
    crate::issuer::single_line(&issuer)
}

/// `docProps/core.xml`: the issuing body as creator, the report's date (else none) as created.
fn core_properties(doc: &ReportDocument) -> String {
    let meta = &doc.report.document;
    core_xml(&format!("Báo cáo {}", meta.title.as_deref().unwrap_or_default()), &issuer_in_text(doc), meta.date)
}

/// `docProps/core.xml` with a title, a creator (the issuing body) and the date created, if any.
pub(crate) fn core_xml(title: &str, creator: &str, date: Option<chrono::NaiveDate>) -> String {
    use unicode_normalization::UnicodeNormalization;
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let (title, creator) = (escape(title), escape(creator));
    let dates = date.map_or_else(String::new, |d| {
        let at = format!("{}T00:00:00Z", d.format("%Y-%m-%d"));
        format!(r#"<dcterms:created xsi:type="dcterms:W3CDTF">{at}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{at}</dcterms:modified>"#)
    });
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator><dc:language>vi-VN</dc:language>{dates}</cp:coreProperties>"#
    )
    .nfc()
    .collect()
}

/// The same zip with every part deflated.
fn deflated(stored: &[u8]) -> Result<Vec<u8>, DocumentError> {
    use std::io::{Read, Write};
    let fault = |e: &dyn std::fmt::Display| DocumentError::Docx(e.to_string());
    let mut input = zip::ZipArchive::new(std::io::Cursor::new(stored)).map_err(|e| fault(&e))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..input.len() {
        let mut part = input.by_index(i).map_err(|e| fault(&e))?;
        let name = part.name().to_string();
        if part.is_dir() {
            continue;
        }
        let mut bytes = Vec::with_capacity(part.size() as usize);
        part.read_to_end(&mut bytes).map_err(|e| fault(&e))?;
        out.start_file(name, options).map_err(|e| fault(&e))?;
        out.write_all(&bytes).map_err(|e| fault(&e))?;
    }
    Ok(out.finish().map_err(|e| fault(&e))?.into_inner())
}

pub(crate) fn tnr() -> RunFonts {
    RunFonts::new().ascii("Times New Roman").hi_ansi("Times New Roman").cs("Times New Roman").east_asia("Times New Roman")
}

pub(crate) fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size).fonts(tnr())
}

/// A centred paragraph followed by a small gap, for the text a line is drawn under.
fn centred_above_line(r: Run) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).line_spacing(LineSpacing::new().before(0).after(80)).add_run(r)
}

fn centred(r: Run) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).line_spacing(LineSpacing::new().before(0).after(0)).add_run(r)
}

/// A horizontal line of the given length (twips), centred: a one-cell table with only a bottom
/// border, which every word processor draws where it should (paragraph borders on an empty
/// paragraph are drawn over the text above by LibreOffice).
fn line(length: usize) -> Table {
    let c = TableCell::new()
        .width(length, WidthType::Dxa)
        .clear_all_border()
        .set_border(TableCellBorder::new(TableCellBorderPosition::Bottom).size(6).border_type(BorderType::Single))
        .add_paragraph(
            Paragraph::new()
                .line_spacing(LineSpacing::new().before(0).after(0).line(110).line_rule(LineSpacingType::Exact))
                .add_run(run("", 4)),
        );
    Table::without_borders(vec![TableRow::new(vec![c]).row_height(130.0).height_rule(docx_rs::HeightRule::Exact)])
        .set_grid(vec![length])
        .width(length, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .align(TableAlignmentType::Center)
}

/// "Số: 05/BC-UBND": the number part under 10 gets a leading zero; blank when not yet numbered.
pub fn number_line(number: Option<&str>, symbol: Option<&str>) -> String {
    match number {
        Some(n) => {
            let (num, rest) = n.split_once('/').unwrap_or((n, ""));
            let num = match num.trim().parse::<u32>() {
                Ok(v) => format!("{v:02}"),
                // Not numbered yet: room for the clerk to write the number by hand.
                Err(_) if num.trim().is_empty() => "       ".to_string(),
                Err(_) => num.trim().to_string(),
            };
            if rest.is_empty() { format!("Số: {num}") } else { format!("Số: {num}/{rest}") }
        }
        None => format!("Số:        /{}", symbol.unwrap_or("BC-UBND")),
    }
}

/// "Cẩm Xuyên, ngày 05 tháng 02 năm 2024": days under 10 and months 1–2 with a leading zero.
/// Without a date, the day and month are left blank for the signer, as drafts are.
pub fn place_date(place: &str, date: Option<chrono::NaiveDate>, year: i32) -> String {
    match date {
        Some(d) => {
            let month = if d.month() <= 2 { format!("{:02}", d.month()) } else { d.month().to_string() };
            format!("{place}, ngày {:02} tháng {month} năm {}", d.day(), d.year())
        }
        None => format!("{place}, ngày      tháng      năm {year}"),
    }
}

/// The report's title: the stated one, or one naming the period.
pub fn title_text(doc: &ReportDocument) -> String {
    doc.report
        .document
        .title
        .clone()
        .unwrap_or_else(|| format!("Kết quả thực hiện công tác cải cách hành chính {}", doc.report.period.title_vi()))
}

fn title(mut d: Docx, doc: &ReportDocument) -> Docx {
    d = d
        .add_paragraph(
            Paragraph::new()
                .line_spacing(LineSpacing::new().before(360).after(0))
                .align(AlignmentType::Center)
                .add_run(run("BÁO CÁO", BODY).bold()),
        )
        .add_paragraph(centred_above_line(run(&title_text(doc), BODY).bold()));
    if let Some(w) = window_line(doc) {
        d = d.add_paragraph(centred_above_line(run(&w, BODY).italic()));
    }
    d = d.add_table(line(1800));
    if let Some(to) = &doc.report.document.addressee {
        d = d.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().before(120).after(120))
                .add_run(run(&format!("Kính gửi: {to}"), BODY)),
        );
    }
    d
}

/// "(Số liệu tính từ ngày 10/12/2021 đến ngày 09/06/2022)", when the report states its window.
pub fn window_line(doc: &ReportDocument) -> Option<String> {
    let w = doc.report.window.as_ref()?;
    Some(format!("(Số liệu tính từ ngày {} đến ngày {})", cchc_format::date(w.from), cchc_format::date(w.to)))
}

/// A body paragraph: justified, first-line indent 1,27 cm, 6 pt apart, single-and-a-bit spacing.
fn body_paragraph(text: &str) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Both)
        .indent(None, Some(docx_rs::SpecialIndentType::FirstLine(720)), None, None)
        .line_spacing(LineSpacing::new().before(60).after(60).line(288).line_rule(docx_rs::LineSpacingType::Auto))
        .add_run(run(text, BODY))
}

/// The body's blocks ([`crate::outline`]) as paragraphs and tables.
fn body(mut d: Docx, doc: &ReportDocument) -> Docx {
    let body = crate::outline::body(doc);
    for block in &body.blocks {
        match block {
            Block::Heading { level, text } => d = d.add_paragraph(heading(*level, text, &body.footnotes)),
            Block::Paragraph { marker, depth, text } => {
                let mut p = body_paragraph("");
                if *depth > 0 {
                    p = p.indent(Some(360 * i32::from(*depth)), Some(docx_rs::SpecialIndentType::FirstLine(720)), None, None);
                }
                if let Some(m) = marker {
                    p = p.add_run(run(&format!("{m} "), BODY));
                }
                d = d.add_paragraph(inlines(p, text, (false, false, BODY), &body.footnotes));
            }
            Block::Table { rows } => d = d.add_table(narrative_table(rows, &body.footnotes)).add_paragraph(gap()),
            // The outline writes every figure block out as sentences.
            Block::Figures(_) => {}
        }
    }
    d
}

/// A heading: a part's and a section's bold, a sub-heading bold (`##`), bold italic (`###`) or
/// italic (below); kept with the paragraph after it, and styled so that Word's navigation pane
/// lists it.
fn heading(level: u8, text: &[Inline], notes: &Footnotes) -> Paragraph {
    let (bold, italic) = match level {
        0..=2 => (true, false),
        3 => (true, true),
        _ => (false, true),
    };
    let p = body_paragraph("").keep_next(true).style(&format!("Heading{}", level + 1)).outline_lvl(usize::from(level));
    inlines(p, text, (bold, italic, BODY), notes)
}

type Footnotes = std::collections::BTreeMap<String, Vec<Inline>>;

/// Adds the runs of some inlines to a paragraph, each with its emphasis (or the block's), a
/// footnote reference as a footnote at the foot of the page.
fn inlines(mut p: Paragraph, text: &[Inline], (bold, italic, size): (bool, bool, usize), notes: &Footnotes) -> Paragraph {
    for i in text {
        if let Some(label) = &i.footnote {
            let mut note = Footnote::new();
            note.add_content(footnote_paragraph(notes.get(label).map_or(&[], Vec::as_slice)));
            p = p.add_run(Run::new().add_footnote_reference(note));
            continue;
        }
        let mut r = run(&i.text, size);
        if bold || i.bold {
            r = r.bold();
        }
        if italic || i.italic {
            r = r.italic();
        }
        p = p.add_run(r);
    }
    p
}

/// The text of a footnote, 10 pt; its number is added when the package is written
/// ([`numbered_footnotes`]).
fn footnote_paragraph(text: &[Inline]) -> Paragraph {
    let mut p = Paragraph::new().align(AlignmentType::Both).line_spacing(LineSpacing::new().before(0).after(0));
    for i in text.iter().filter(|i| i.footnote.is_none()) {
        let mut r = run(&i.text, FOOTNOTE);
        if i.bold {
            r = r.bold();
        }
        if i.italic {
            r = r.italic();
        }
        p = p.add_run(r);
    }
    p
}

/// The footnotes part with each note's number at its start (a `w:footnoteRef` run, which
/// docx-rs does not write: without it the note prints without its number).
fn numbered_footnotes(xml: &str) -> String {
    let reference = r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference" /><w:sz w:val="20" /><w:szCs w:val="20" /></w:rPr><w:footnoteRef /></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>"#;
    let mut out = String::with_capacity(xml.len() + 256);
    let mut rest = xml;
    while let Some(at) = rest.find("<w:footnote ") {
        let Some(end) = rest[at..].find("</w:pPr>").map(|e| at + e + "</w:pPr>".len()) else { break };
        out.push_str(&rest[..end]);
        out.push_str(reference);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A table of the narrative: borders, the first row bold and repeated on each page, the columns
/// sharing the text width.
fn narrative_table(rows: &[Vec<Vec<Inline>>], notes: &Footnotes) -> Table {
    let widths = column_widths(rows);
    let table_rows = rows.iter().enumerate().map(|(r, cells)| {
        let cells = widths.iter().enumerate().map(|(c, width)| {
            let text = cells.get(c).map(Vec::as_slice).unwrap_or_default();
            let p = Paragraph::new().line_spacing(LineSpacing::new().before(20).after(20));
            let numeric = {
                let t = crate::narrative::plain(text);
                !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | ' '))
            };
            let p = match (r, numeric) {
                (0, _) => p.align(AlignmentType::Center),
                (_, true) => p.align(AlignmentType::Right),
                _ => p,
            };
            TableCell::new().width(*width, WidthType::Dxa).add_paragraph(inlines(p, text, (r == 0, false, TABLE), notes))
        });
        let row = TableRow::new(cells.collect());
        if r == 0 { row.cant_split() } else { row }
    });
    Table::new(table_rows.collect()).set_grid(widths).layout(TableLayoutType::Fixed)
}

/// The columns' widths: each wide enough for its longest word (no word broken: "Nguyễn" stays
/// whole, "TT" on one line), the rest of the text width shared by the length of the columns'
/// longest cells (at most 40 characters, so that a long text does not starve the others).
fn column_widths(rows: &[Vec<Vec<Inline>>]) -> Vec<usize> {
    // About 13 pt a character at 13 pt, and the cell's left and right margins.
    const CHAR: usize = 130;
    const MARGINS: usize = 230;
    let columns = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let texts = |c: usize| rows.iter().filter_map(move |r| r.get(c)).map(|t| crate::narrative::plain(t));
    let word = |c: usize| texts(c).flat_map(|t| t.split_whitespace().map(|w| w.chars().count()).collect::<Vec<_>>()).max().unwrap_or(1);
    let base: Vec<usize> = (0..columns).map(|c| word(c).min(16) * CHAR + MARGINS).collect();
    let weight: Vec<usize> = (0..columns).map(|c| texts(c).map(|t| t.chars().count()).max().unwrap_or(0).min(40) + 1).collect();
    let (base_sum, weight_sum) = (base.iter().sum::<usize>(), weight.iter().sum::<usize>());
    if base_sum >= TEXT_WIDTH {
        return base.iter().map(|b| TEXT_WIDTH * b / base_sum).collect();
    }
    let rest = TEXT_WIDTH - base_sum;
    base.iter().zip(&weight).map(|(b, w)| b + rest * w / weight_sum).collect()
}

/// An empty paragraph after a table, so two tables never merge and the text does not touch it.
fn gap() -> Paragraph {
    Paragraph::new().line_spacing(LineSpacing::new().before(0).after(0))
}

fn signature_table(doc: &ReportDocument) -> Table {
    let meta = &doc.report.document;
    let small = |t: &str, size: usize| Paragraph::new().line_spacing(LineSpacing::new().before(0).after(0)).add_run(run(t, size));
    let mut left = TableCell::new().width(4300, WidthType::Dxa).add_paragraph(
        Paragraph::new().line_spacing(LineSpacing::new().before(240).after(0)).add_run(run("Nơi nhận:", 24).bold().italic()),
    );
    let mut recipients = meta.recipients.clone();
    if !recipients.iter().any(|r| r.trim_start_matches(['-', ' ']).starts_with("Lưu")) {
        recipients.push("Lưu: VT.".into());
    }
    for r in &recipients {
        let r = r.trim_start_matches(['-', ' ']);
        left = left.add_paragraph(small(&format!("- {r}"), 22));
    }
    let mut right = TableCell::new().width(4771, WidthType::Dxa);
    let mut first = true;
    for t in [&meta.sign_for, &meta.deputy, &meta.signer_title].into_iter().flatten() {
        let before = if first { 240 } else { 0 };
        first = false;
        right = right.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().before(before).after(0))
                .add_run(run(t, BODY).bold()),
        );
    }
    for _ in 0..4 {
        right = right.add_paragraph(small("", BODY));
    }
    if let Some(name) = &meta.signer {
        right = right.add_paragraph(centred(run(name, BODY).bold()));
    }
    Table::without_borders(vec![TableRow::new(vec![left, right])]).set_grid(vec![4300, 4771]).layout(TableLayoutType::Fixed)
}

/// Column widths of the form tables (STT, Chỉ tiêu, Đơn vị tính, Số liệu, Ghi chú), filling the
/// text width; Ghi chú is the widest after the label, for notes such as "Kế hoạch số 05/KH-UBND
/// ngày 21/01/2021" (12 pt, a few words a line, never a word cut).
const COLUMNS: [usize; 5] = [800, 3571, 1300, 1200, 2200];

fn cell(text: &str, width: usize, bold: bool, align: AlignmentType) -> TableCell {
    let mut r = run(text, 24);
    if bold {
        r = r.bold();
    }
    TableCell::new()
        .width(width, WidthType::Dxa)
        .add_paragraph(Paragraph::new().align(align).line_spacing(LineSpacing::new().before(20).after(20)).add_run(r))
}

/// "(Kèm theo Báo cáo số 165/BC-UBND ngày 16/6/2022 của ỦY BAN NHÂN DÂN XÃ LÊ HỒNG)", with dots
/// where the number or the date is not given yet (Decree 30/2020: an appendix names its document).
fn attached_to(doc: &ReportDocument) -> String {
    let meta = &doc.report.document;
    let number = meta.number.clone().unwrap_or_else(|| "     /BC-UBND".into());
    let date = meta.date.map_or_else(|| "…/…/…".into(), cchc_format::date);
    let issuer = issuer_in_text(doc);
    format!("(Kèm theo Báo cáo số {number} ngày {date} của {issuer})")
}

/// The rows that have a figure or a note, with the group headings above them: the appendix does
/// not print pages of empty rows (Cẩm Xuyên: 315 rows, 77 with a figure).
fn with_figures(rows: Vec<appendix::Row<'_>>) -> Vec<appendix::Row<'_>> {
    let filled = |r: &appendix::Row<'_>| !r.shown.is_empty() || !r.note.is_empty();
    let mut out = Vec::new();
    let mut heading: Option<appendix::Row<'_>> = None;
    for r in rows {
        if !r.indicator.holds_value() {
            heading = Some(r);
        } else if filled(&r) {
            out.extend(heading.take());
            out.push(r);
        }
    }
    out
}

fn appendix_part(mut d: Docx, doc: &ReportDocument) -> Docx {
    d = d
        .add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
        .add_paragraph(centred(run("PHỤ LỤC", BODY).bold()))
        .add_paragraph(centred(run("SỐ LIỆU THỐNG KÊ CẢI CÁCH HÀNH CHÍNH", BODY).bold()))
        .add_paragraph(centred(run(&attached_to(doc), BODY).italic()));
    for (form, rows) in appendix::forms(&doc.catalogue, &doc.report) {
        let rows = if doc.full_appendix { rows } else { with_figures(rows) };
        if rows.is_empty() {
            continue;
        }
        d = d.add_paragraph(
            Paragraph::new()
                .keep_next(true)
                .line_spacing(LineSpacing::new().before(240).after(120))
                .add_run(run(&format!("{}: {}", form.title(), form.name), BODY).bold()),
        );
        let head = TableRow::new(appendix::HEADINGS.iter().zip(COLUMNS).map(|(h, w)| cell(h, w, true, AlignmentType::Center)).collect())
            .cant_split();
        let mut table_rows = vec![head];
        for r in rows {
            let group = !r.indicator.holds_value();
            table_rows.push(TableRow::new(vec![
                cell(&r.number, COLUMNS[0], group, AlignmentType::Center),
                cell(&r.label, COLUMNS[1], group, AlignmentType::Left),
                cell(&r.unit, COLUMNS[2], false, AlignmentType::Center),
                cell(&r.shown, COLUMNS[3], false, AlignmentType::Right),
                cell(&r.note, COLUMNS[4], false, AlignmentType::Left),
            ]));
        }
        d = d.add_table(Table::new(table_rows).set_grid(COLUMNS.to_vec()).layout(TableLayoutType::Fixed));
    }
    d
}
