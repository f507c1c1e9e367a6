//! The report's header per Decree 30/2020 (appendix I): a borderless table of two columns. Left,
//! the parent body if any (13 pt capitals), the issuing body (13 pt bold capitals) broken as the
//! Decree's sample breaks it ([`crate::issuer::lines`]), a short line under it (between 1/3 and
//! 1/2 of the text's width), "Số: …/BC-UBND". Right, the Quốc hiệu (12 pt bold capitals), the
//! tiêu ngữ (14 pt bold) with a line as long as it, then place and date in italics.
//!
//! Each line sits right under its text: it is the top border of a one-cell table that follows the
//! text's paragraph after a 2 pt gap, the table's exact height (6 pt) being the room between the
//! line and the next text. A border is drawn where both Word and LibreOffice put it, whereas a
//! paragraph's own border spans its whole cell, and a bottom border (the earlier layout) was
//! drawn at the foot of the table, on the next line of text.

use cchc_report::UnitRef;
use docx_rs::{
    AlignmentType, BorderType, BreakType, HeightRule, LineSpacing, LineSpacingType, Paragraph, Run, Table, TableAlignmentType, TableCell,
    TableCellBorder, TableCellBorderPosition, TableCellMargins, TableLayoutType, TableRow, WidthType,
};

use crate::ReportDocument;
use crate::docx::{number_line, place_date, run};
use crate::issuer;

/// The columns' widths in twips: the issuing body's (6,5 cm, where "THÀNH PHỐ HỒ CHÍ MINH" fits
/// at 13 pt bold) and the Quốc hiệu's; the table starts 600 twips into the left margin.
const LEFT: usize = 3700;
const RIGHT: usize = 6200;
/// The cells' left and right margins, stated so that Word and LibreOffice agree on the room.
const CELL_MARGIN: usize = 108;
/// Sizes in half-points.
const BODY_SIZE: usize = 26;
const NATIONAL_SIZE: usize = 24;
const MOTTO_SIZE: usize = 28;
const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
/// From the text to its line (2 pt), and from the line to the next text (6 pt), in twips.
const GAP_ABOVE: u32 = 60;
const GAP_BELOW: usize = 140;
/// The short line's share of the issuing body's width (Decree 30: 1/3 to 1/2).
const SHORT_SHARE: f64 = 0.4;

/// The header table of the report.
pub(crate) fn header_table(doc: &ReportDocument) -> Table {
    let meta = &doc.report.document;
    let issuer_text = meta.issuer.clone().unwrap_or_else(|| default_issuer(&doc.report.unit));
    let place = meta.place.clone().unwrap_or_default();
    let number = number_line(meta.number.as_deref(), None);
    let date = place_date(&place, meta.date, doc.report.period.year);
    table(meta.parent_body.as_deref(), &issuer_text, &[number], &date)
}

/// The header table of any document in the Decree 30 layout: the parent body if any and the
/// issuing body on the left, the number's lines under them ("Số: …", and on the one-stop forms
/// "Mã hồ sơ: …"); the Quốc hiệu and tiêu ngữ on the right, place and date under them.
pub(crate) fn table(parent_body: Option<&str>, issuer_text: &str, number_lines: &[String], place_date: &str) -> Table {
    let column = (LEFT - 2 * CELL_MARGIN) as f64;
    let mut left = TableCell::new().width(LEFT, WidthType::Dxa);
    if let Some(parent) = parent_body {
        left = left.add_paragraph(lines_paragraph(&issuer::lines(parent, column), false, 0));
    }
    let issuer_lines = issuer::lines(issuer_text, column);
    let widest = issuer_lines.iter().map(|l| issuer::bold_width(l, BODY_SIZE as f64 / 2.0)).fold(0.0, f64::max);
    left = left
        .add_paragraph(lines_paragraph(&issuer_lines, true, GAP_ABOVE))
        .add_table(line_under((widest * SHORT_SHARE).round() as usize))
        .add_paragraph(cell_end());
    let motto_width = issuer::bold_width(MOTTO, MOTTO_SIZE as f64 / 2.0).round() as usize;
    let right = TableCell::new()
        .width(RIGHT, WidthType::Dxa)
        .add_paragraph(centred(run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", NATIONAL_SIZE).bold()))
        .add_paragraph(centred(run(MOTTO, MOTTO_SIZE).bold()).line_spacing(spacing(GAP_ABOVE)))
        .add_table(line_under(motto_width))
        .add_paragraph(cell_end());
    // The number and the place and date on a row of their own, side by side as in the sample,
    // however many lines the issuing body takes.
    let mut number = TableCell::new().width(LEFT, WidthType::Dxa);
    for line in number_lines {
        number = number.add_paragraph(centred(run(line, BODY_SIZE)));
    }
    let date = TableCell::new().width(RIGHT, WidthType::Dxa).add_paragraph(centred(run(place_date, MOTTO_SIZE).italic()));
    Table::without_borders(vec![TableRow::new(vec![left, right]), TableRow::new(vec![number, date])])
        .set_grid(vec![LEFT, RIGHT])
        .margins(TableCellMargins::new().margin(0, CELL_MARGIN, 0, CELL_MARGIN))
        .layout(TableLayoutType::Fixed)
        .indent(-600)
}

/// "ỦY BAN NHÂN DÂN HUYỆN CẨM XUYÊN" from the unit when neither the report nor the unit's
/// settings state the issuing body: a territorial unit issues through its People's Committee,
/// any other unit (a sở, a centre) in its own name.
pub(crate) fn default_issuer(unit: &UnitRef) -> String {
    let name = unit.name.trim().to_uppercase();
    let committee = ["ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN"].iter().any(|p| name.starts_with(p));
    match name.strip_prefix("UBND ") {
        Some(rest) => format!("ỦY BAN NHÂN DÂN {rest}"),
        None if committee || unit.kind.territorial_level().is_none() => name,
        None => format!("ỦY BAN NHÂN DÂN {name}"),
    }
}

fn spacing(after: u32) -> LineSpacing {
    LineSpacing::new().before(0).after(after)
}

fn centred(r: Run) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).line_spacing(spacing(0)).add_run(r)
}

/// A centred paragraph of 13 pt capitals holding `lines` with a line break between them (the
/// break a clerk types with Shift+Enter), so that the text breaks there and nowhere else.
fn lines_paragraph(lines: &[String], bold: bool, after: u32) -> Paragraph {
    let mut p = Paragraph::new().align(AlignmentType::Center).line_spacing(spacing(after));
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            p = p.add_run(Run::new().add_break(BreakType::TextWrapping));
        }
        let r = run(line, BODY_SIZE);
        p = p.add_run(if bold { r.bold() } else { r });
    }
    p
}

/// The paragraph a cell must end with after the line's table: 1 pt high, empty.
fn cell_end() -> Paragraph {
    Paragraph::new().line_spacing(LineSpacing::new().before(0).after(0).line(20).line_rule(LineSpacingType::Exact)).add_run(run("", 2))
}

/// A centred horizontal line `length` twips long: the top border of a one-cell table of exact
/// height [`GAP_BELOW`], so that the line lies where the previous paragraph ends and the next
/// text begins that much lower.
fn line_under(length: usize) -> Table {
    let empty =
        Paragraph::new().line_spacing(LineSpacing::new().before(0).after(0).line(20).line_rule(LineSpacingType::Exact)).add_run(run("", 2));
    let cell = TableCell::new()
        .width(length, WidthType::Dxa)
        .clear_all_border()
        .set_border(TableCellBorder::new(TableCellBorderPosition::Top).size(6).border_type(BorderType::Single))
        .add_paragraph(empty);
    Table::without_borders(vec![TableRow::new(vec![cell]).row_height(GAP_BELOW as f32).height_rule(HeightRule::Exact)])
        .set_grid(vec![length])
        .width(length, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(0, 0, 0, 0))
        .layout(TableLayoutType::Fixed)
        .align(TableAlignmentType::Center)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cchc_units::UnitKind;

    fn unit(name: &str, kind: UnitKind) -> UnitRef {
        UnitRef { code: "X".into(), name: name.into(), kind, parent: None }
    }

    #[test]
    fn the_default_issuer_is_the_committee_of_a_territorial_unit() {
        assert_eq!(default_issuer(&unit("Xã Lê Hồng", UnitKind::Xa)), "ỦY BAN NHÂN DÂN XÃ LÊ HỒNG");
        assert_eq!(default_issuer(&unit("Huyện Cẩm Xuyên", UnitKind::Huyen)), "ỦY BAN NHÂN DÂN HUYỆN CẨM XUYÊN");
        assert_eq!(default_issuer(&unit("UBND huyện Hồng", UnitKind::Huyen)), "ỦY BAN NHÂN DÂN HUYỆN HỒNG");
        assert_eq!(default_issuer(&unit("Ủy ban nhân dân xã Lam", UnitKind::Xa)), "ỦY BAN NHÂN DÂN XÃ LAM");
        assert_eq!(default_issuer(&unit("Sở Nội vụ", UnitKind::CoQuanChuyenMon)), "SỞ NỘI VỤ");
    }
}
