//! What the body of a report prints, in order (docs/narrative-format.md): the opening, each part
//! and its sections with their own or standard titles, the officials' text with the generated
//! sentences at its figure blocks, and the closing. A section with no text and no sentence
//! prints nothing, not even its heading. Pure data: the DOCX and the page preview lay it out.

use std::collections::{BTreeMap, BTreeSet};

use cchc_report::Place;

use crate::ReportDocument;
use crate::narrative::{self, Block, Inline, Narrative};
use crate::text::{self, Inputs};

/// The body: its blocks (no figure block left: they are sentences now) and the footnotes the
/// blocks refer to, by label (labels are made unique across sections: "II.1:1").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub blocks: Vec<Block>,
    pub footnotes: BTreeMap<String, Vec<Inline>>,
}

/// The section whose draft is printed when it has no text ("Đánh giá chung").
const ASSESSMENT: Place = Place::Part(3);

/// The body of a report document.
pub fn body(doc: &ReportDocument) -> Body {
    let texts = texts(doc);
    let inputs = inputs(doc);
    let placed = placed_templates(&texts, doc);
    let mut out = Body::default();
    let content = |place: Place, out: &mut Body| content(place, texts.get(&place), &placed, doc, &inputs, out);

    let mut opening = Body::default();
    content(Place::Opening, &mut opening);
    out.append(opening);
    for part in parts(&texts, doc) {
        let mut printed = Body::default();
        content(Place::Part(part), &mut printed);
        for place in sections(&texts, doc, part) {
            let mut section = Body::default();
            content(place, &mut section);
            if !section.blocks.is_empty() {
                printed.blocks.push(heading(1, title(place, texts.get(&place))));
                printed.append(section);
            }
        }
        if !printed.blocks.is_empty() {
            out.blocks.push(heading(0, title(Place::Part(part), texts.get(&Place::Part(part)))));
            out.append(printed);
        }
    }
    let mut closing = Body::default();
    content(Place::Closing, &mut closing);
    out.append(closing);
    out
}

impl Body {
    fn append(&mut self, other: Body) {
        self.blocks.extend(other.blocks);
        self.footnotes.extend(other.footnotes);
    }
}

fn inputs(doc: &ReportDocument) -> Inputs<'_> {
    Inputs {
        report: &doc.report,
        catalogue: &doc.catalogue,
        last_year: doc.last_year.as_ref(),
        previous_period: doc.previous_period.as_ref(),
    }
}

/// The report's texts by place (keys that are not places were refused when the report was read).
fn texts(doc: &ReportDocument) -> BTreeMap<Place, Narrative> {
    doc.report.narrative.iter().filter_map(|(k, v)| Some((Place::parse(k)?, narrative::parse(v)))).collect()
}

/// The places that may print something: the texts', the standard sections' and the catalogue
/// templates' sections.
fn places(texts: &BTreeMap<Place, Narrative>, doc: &ReportDocument) -> BTreeSet<Place> {
    let standard = cchc_report::SECTIONS.iter().filter_map(|s| Place::parse(s.id));
    let templated = doc.catalogue.documents.sentences.iter().filter_map(|t| Place::parse(&t.section));
    texts.keys().copied().chain(standard).chain(templated).collect()
}

fn parts(texts: &BTreeMap<Place, Narrative>, doc: &ReportDocument) -> BTreeSet<u16> {
    places(texts, doc).into_iter().filter_map(Place::part).collect()
}

fn sections(texts: &BTreeMap<Place, Narrative>, doc: &ReportDocument, part: u16) -> Vec<Place> {
    places(texts, doc).into_iter().filter(|p| matches!(p, Place::Section(q, _) if *q == part)).collect()
}

/// The ids of the templates some figure block places, so that a section without text does not
/// print them a second time.
fn placed_templates(texts: &BTreeMap<Place, Narrative>, doc: &ReportDocument) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (place, n) in texts {
        for block in n.blocks.iter().filter_map(|b| if let Block::Figures(f) = b { Some(f) } else { None }) {
            out.extend(text::block_templates(block, &place.to_string(), &doc.catalogue).into_iter().map(|t| t.id.clone()));
        }
    }
    out
}

/// The blocks a place prints under its heading: its text with the figure blocks written out;
/// without text, the sentences of its templates that no block placed (and for "Đánh giá chung"
/// the draft read from the data).
fn content(place: Place, text: Option<&Narrative>, placed: &BTreeSet<String>, doc: &ReportDocument, inputs: &Inputs<'_>, out: &mut Body) {
    let here = place.to_string();
    match text.filter(|n| !n.blocks.is_empty()) {
        Some(n) => {
            for block in &n.blocks {
                match block {
                    Block::Figures(f) => out.blocks.extend(text::block_sentences(f, &here, inputs).into_iter().map(sentence)),
                    other => out.blocks.push(relabelled(other, &here)),
                }
            }
            out.footnotes.extend(n.footnotes.iter().map(|(label, note)| (format!("{here}:{label}"), note.clone())));
        }
        None if place == ASSESSMENT => out.blocks.extend(crate::draft::assessment(doc).into_iter().map(|l| line_block(&l))),
        None => {
            let templates: Vec<_> =
                doc.catalogue.documents.sentences.iter().filter(|t| t.section == here && !placed.contains(&t.id)).collect();
            out.blocks.extend(text::write(&templates, None, inputs).into_iter().map(sentence));
        }
    }
}

/// A block with its footnote references made unique to its section.
fn relabelled(block: &Block, here: &str) -> Block {
    let fix = |text: &Vec<Inline>| -> Vec<Inline> {
        text.iter()
            .cloned()
            .map(|mut i| {
                i.footnote = i.footnote.map(|l| format!("{here}:{l}"));
                i
            })
            .collect()
    };
    match block {
        Block::Paragraph { marker, depth, text } => Block::Paragraph { marker: marker.clone(), depth: *depth, text: fix(text) },
        Block::Heading { level, text } => Block::Heading { level: *level, text: fix(text) },
        Block::Table { rows } => Block::Table { rows: rows.iter().map(|r| r.iter().map(fix).collect()).collect() },
        Block::Figures(f) => Block::Figures(f.clone()),
    }
}

/// A title as printed: the text's own, the standard one, or the bare numbering.
fn title(place: Place, text: Option<&Narrative>) -> String {
    text.and_then(|n| n.title.clone()).or_else(|| cchc_report::standard_title(place).map(str::to_string)).unwrap_or_else(|| match place {
        Place::Section(_, n) => format!("{n}."),
        other => format!("{other}."),
    })
}

fn plain(text: &str) -> Vec<Inline> {
    vec![Inline { text: text.to_string(), bold: false, italic: false, footnote: None }]
}

fn heading(level: u8, text: String) -> Block {
    Block::Heading { level, text: plain(&text) }
}

/// A generated sentence, printed as an item the way officials write them.
fn sentence(s: String) -> Block {
    Block::Paragraph { marker: Some("-".into()), depth: 0, text: plain(&s) }
}

/// A line of the draft assessment: "1. Ưu điểm:" a sub-heading, "- …" an item.
fn line_block(line: &str) -> Block {
    match line.strip_prefix("- ") {
        Some(rest) => sentence(rest.to_string()),
        None if line.ends_with(':') => Block::Heading { level: 2, text: plain(line) },
        None => Block::Paragraph { marker: None, depth: 0, text: plain(line) },
    }
}

/// The body as HTML for the page that previews the document: the same blocks as the DOCX,
/// every text escaped.
pub fn to_html(body: &Body) -> String {
    let mut out = String::new();
    for block in &body.blocks {
        match block {
            Block::Heading { level, text } => {
                let tag = format!("h{}", (level + 2).min(6));
                out.push_str(&format!("<{tag}>{}</{tag}>", inline_html(text, body)));
            }
            Block::Paragraph { marker, depth, text } => {
                let marker = marker.as_deref().map(|m| format!("{} ", escape(m))).unwrap_or_default();
                out.push_str(&format!(r#"<p class="prose depth-{depth}">{marker}{}</p>"#, inline_html(text, body)));
            }
            Block::Table { rows } => {
                out.push_str(r#"<div class="table-scroll"><table class="narrative">"#);
                for (r, cells) in rows.iter().enumerate() {
                    let tag = if r == 0 { "th" } else { "td" };
                    out.push_str("<tr>");
                    for c in cells {
                        out.push_str(&format!("<{tag}>{}</{tag}>", inline_html(c, body)));
                    }
                    out.push_str("</tr>");
                }
                out.push_str("</table></div>");
            }
            Block::Figures(f) => {
                let what = match (&f.name, &f.level) {
                    (None, None) => "của mục này".to_string(),
                    (Some(n), None) => escape(n),
                    (None, Some(l)) => format!("của mục này, {}", escape(l)),
                    (Some(n), Some(l)) => format!("{}, {}", escape(n), escape(l)),
                };
                out.push_str(&format!(r#"<p class="figures">[Số liệu tự động {what}]</p>"#));
            }
        }
    }
    out
}

fn inline_html(text: &[Inline], body: &Body) -> String {
    let mut out = String::new();
    for i in text {
        if let Some(label) = &i.footnote {
            let note = body.footnotes.get(label).map(|n| n.iter().map(|i| i.text.as_str()).collect::<String>()).unwrap_or_default();
            out.push_str(&format!(r#"<sup class="footnote" title="{}">[*]</sup>"#, escape(&note)));
            continue;
        }
        let mut t = escape(&i.text);
        if i.italic {
            t = format!("<em>{t}</em>");
        }
        if i.bold {
            t = format!("<strong>{t}</strong>");
        }
        out.push_str(&t);
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
