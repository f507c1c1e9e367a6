//! Mends the WordprocessingML docx-rs 0.4 writes into what ECMA-376 requires: the children of run
//! properties (`w:rPr`) and paragraph properties (`w:pPr`) in the order of the schema (docx-rs
//! writes the size before the fonts, the bold after the size…), which Word's strict readers and
//! schema validators refuse. Pure text work on the part: every element is kept, only reordered.

/// `w:rPr` children in schema order (CT_RPr).
const RUN: &[&str] = &[
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
];

/// `w:pPr` children in schema order (CT_PPr).
const PARAGRAPH: &[&str] = &[
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
];

/// `w:tblPr` children in schema order (CT_TblPr).
const TABLE: &[&str] = &[
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
];

/// `w:style` children in schema order (CT_Style).
const STYLE: &[&str] = &[
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
];

/// The part with the children of every `w:rPr`, `w:pPr`, `w:tblPr` and `w:style` in schema order.
pub fn in_schema_order(xml: &str) -> String {
    sorted(xml, &[("rPr", RUN), ("pPr", PARAGRAPH), ("tblPr", TABLE), ("style", STYLE)])
}

/// The styles part in schema order, without the run properties docx-rs puts in the paragraph
/// properties of styles (CT_PPrGeneral has none; they are empty).
pub fn styles_in_schema_order(xml: &str) -> String {
    in_schema_order(xml).replace("<w:rPr /></w:pPr>", "</w:pPr>").replace("<w:pPr><w:rPr />", "<w:pPr>")
}

/// `xml` with the children of each element named in `orders` sorted by its order (children it
/// does not name keep their place at the end); nested elements are sorted too.
fn sorted(xml: &str, orders: &[(&str, &[&str])]) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some((at, name, order)) = next_element(rest, orders) {
        let open_end = at + rest[at..].find('>').map_or(0, |e| e + 1);
        if rest[at..open_end].ends_with("/>") {
            out.push_str(&rest[..open_end]);
            rest = &rest[open_end..];
            continue;
        }
        let close = format!("</w:{name}>");
        let Some(len) = closing_any(&rest[open_end..], name) else { break };
        out.push_str(&rest[..open_end]);
        let mut children = split_children(&rest[open_end..open_end + len]);
        children.sort_by_key(|c| order.iter().position(|o| *o == local_name(c)).unwrap_or(order.len()));
        for c in children {
            out.push_str(&sorted(c, orders));
        }
        out.push_str(&close);
        rest = &rest[open_end + len + close.len()..];
    }
    out.push_str(rest);
    out
}

/// Where the next element named in `orders` opens (`<w:name>` or `<w:name …`), with its order.
fn next_element<'o>(s: &str, orders: &[(&'o str, &'o [&'o str])]) -> Option<(usize, &'o str, &'o [&'o str])> {
    let mut best: Option<(usize, &str, &[&str])> = None;
    for (name, order) in orders {
        for tag in [format!("<w:{name}>"), format!("<w:{name} ")] {
            if let Some(i) = s.find(&tag)
                && best.is_none_or(|(b, _, _)| i < b)
            {
                best = Some((i, name, order));
            }
        }
    }
    best
}

/// The child elements of a body, each whole (self-closing, or with its content).
fn split_children(body: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(start) = body[i..].find('<').map(|s| s + i) {
        let Some(end) = body[start..].find('>').map(|e| start + e + 1) else { break };
        let tag = &body[start..end];
        if tag.ends_with("/>") {
            out.push(tag);
            i = end;
            continue;
        }
        let name = local_name(tag);
        match closing_any(&body[end..], name) {
            Some(len) => {
                let stop = end + len + format!("</w:{name}>").len();
                out.push(&body[start..stop]);
                i = stop;
            }
            None => {
                out.push(&body[start..]);
                break;
            }
        }
    }
    out
}

/// Like [`closing`] for an element opened with attributes.
fn closing_any(s: &str, name: &str) -> Option<usize> {
    let close = format!("</w:{name}>");
    let opens = |t: &str| t.starts_with(&format!("<w:{name}>")) || t.starts_with(&format!("<w:{name} "));
    let mut depth = 1;
    let mut i = 0;
    while let Some(next) = s[i..].find('<').map(|n| n + i) {
        let t = &s[next..];
        let end = t.find('>').map_or(t.len(), |e| e + 1);
        if t.starts_with(&close) {
            depth -= 1;
            if depth == 0 {
                return Some(next);
            }
        } else if opens(t) && !t[..end].ends_with("/>") {
            depth += 1;
        }
        i = next + end;
    }
    None
}

/// `rFonts` of `<w:rFonts w:ascii="…" />`.
fn local_name(tag: &str) -> &str {
    let t = tag.trim_start_matches('<').trim_start_matches("w:");
    let end = t.find([' ', '/', '>']).unwrap_or(t.len());
    &t[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_and_paragraph_properties_are_put_in_schema_order() {
        let xml = r#"<w:p><w:pPr><w:rPr /><w:spacing w:before="0" /><w:jc w:val="center" /><w:keepNext /></w:pPr><w:r><w:rPr><w:sz w:val="24" /><w:b /><w:rFonts w:ascii="X" /></w:rPr><w:t>Nơi nhận</w:t></w:r></w:p>"#;
        assert_eq!(
            in_schema_order(xml),
            r#"<w:p><w:pPr><w:keepNext /><w:spacing w:before="0" /><w:jc w:val="center" /><w:rPr /></w:pPr><w:r><w:rPr><w:rFonts w:ascii="X" /><w:b /><w:sz w:val="24" /></w:rPr><w:t>Nơi nhận</w:t></w:r></w:p>"#
        );
        let nested =
            r#"<w:pPr><w:rPr><w:sz w:val="2" /><w:b /></w:rPr><w:numPr><w:ilvl w:val="0" /><w:numId w:val="1" /></w:numPr></w:pPr>"#;
        assert_eq!(
            in_schema_order(nested),
            r#"<w:pPr><w:numPr><w:ilvl w:val="0" /><w:numId w:val="1" /></w:numPr><w:rPr><w:b /><w:sz w:val="2" /></w:rPr></w:pPr>"#
        );
        let plain = "<w:t>không có thuộc tính</w:t>";
        assert_eq!(in_schema_order(plain), plain);
    }
}
