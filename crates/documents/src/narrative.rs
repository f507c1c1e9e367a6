//! The officials' narrative, read from its Markdown (docs/narrative-format.md) into the blocks a
//! document prints: headings with the report's own numbering, paragraphs that keep their dash,
//! plus or number, tables, footnotes and the figure blocks (`{{số liệu}}`) where the generated
//! sentences go. `pulldown-cmark` reads the Markdown; this module only keeps what a report uses.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A piece of text with its emphasis; a footnote reference carries its label and no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inline {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// `[^1]`: the label of the footnote referred to here.
    pub footnote: Option<String>,
}

/// One block of a section, in print order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading: 0 a part ("II. KẾT QUẢ …"), 1 a section ("1. Cải cách thể chế"), 2 and below
    /// the section's own sub-headings (`##` → 2, `###` → 3, …).
    Heading { level: u8, text: Vec<Inline> },
    /// A paragraph; `marker` is the list item's sign as typed ("-", "+", "1.", "a)").
    Paragraph { marker: Option<String>, depth: u8, text: Vec<Inline> },
    /// A table; its first row is the header row.
    Table { rows: Vec<Vec<Vec<Inline>>> },
    /// Where the generated sentences go.
    Figures(FigureBlock),
}

/// A figure block as placed in the text: `{{số liệu}}`, `{{số liệu: II.2, cấp xã}}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FigureBlock {
    /// A catalogue section ("II.2") or sentence template id; `None`: this section's templates.
    pub name: Option<String>,
    /// The level whose sentences are written (a level's name, or "tổng"); `None`: all.
    pub level: Option<String>,
}

/// A section's text, read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Narrative {
    /// The section's own title: its first line, when that is a level-1 heading.
    pub title: Option<String>,
    pub blocks: Vec<Block>,
    /// The footnotes' texts by label.
    pub footnotes: BTreeMap<String, Vec<Inline>>,
}

/// The word that opens a figure block.
const FIGURES_WORD: &str = "số liệu";

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Reads a figure block from a paragraph's whole text: `{{số liệu}}`, `{{số liệu: II.2}}`,
/// `{{số liệu: II.2, cấp xã}}`, `{{số liệu cấp huyện}}`.
pub fn figure_block(text: &str) -> Option<FigureBlock> {
    let inner = text.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let rest = inner.strip_prefix(FIGURES_WORD).or_else(|| inner.strip_prefix("Số liệu"))?.trim();
    let nonempty = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let block = match rest.strip_prefix(':') {
        Some(named) => match named.split_once(',') {
            Some((name, level)) => FigureBlock { name: nonempty(name), level: nonempty(level) },
            None => FigureBlock { name: nonempty(named), level: None },
        },
        None => FigureBlock { name: None, level: nonempty(rest) },
    };
    Some(block)
}

/// Reads a section's Markdown.
pub fn parse(markdown: &str) -> Narrative {
    let markdown = &tables_apart(markdown);
    let mut reader = Reader::default();
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        reader.event(event, &markdown[range]);
    }
    reader.flush();
    let mut out = Narrative { title: None, blocks: reader.blocks, footnotes: reader.footnotes };
    if let Some(Block::Heading { level: 1, text }) = out.blocks.first() {
        out.title = Some(plain(text));
        out.blocks.remove(0);
    }
    out
}

/// The text with an empty line before and after each table: in Markdown a table cannot start
/// inside a paragraph, and a line after it would be read as one more row, but officials type a
/// table right under the sentence that announces it.
fn tables_apart(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 16);
    let mut in_table = false;
    let mut previous_blank = true;
    for line in markdown.lines() {
        let row = line.trim_start().starts_with('|');
        let blank = line.trim().is_empty();
        if row != in_table && !blank && !previous_blank {
            out.push('\n');
        }
        if !blank {
            in_table = row;
        }
        previous_blank = blank;
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The text of inlines without emphasis or footnote marks.
pub fn plain(text: &[Inline]) -> String {
    text.iter().map(|i| i.text.as_str()).collect()
}

/// A list being read: its next number (ordered lists) and the sign its items were typed with.
struct List {
    next: Option<u64>,
}

#[derive(Default)]
struct Reader {
    blocks: Vec<Block>,
    footnotes: BTreeMap<String, Vec<Inline>>,
    inline: Vec<Inline>,
    bold: u8,
    italic: u8,
    lists: Vec<List>,
    /// The sign of the item whose first paragraph is being read.
    marker: Option<String>,
    heading: Option<u8>,
    footnote: Option<String>,
    table: Option<Vec<Vec<Vec<Inline>>>>,
    row: Vec<Vec<Inline>>,
}

impl Reader {
    fn event(&mut self, event: Event<'_>, source: &str) {
        match event {
            Event::Start(tag) => self.start(tag, source),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.push(&t)
            }
            // A line is a paragraph, as officials type them (Enter in Word); inside a heading, a
            // table cell or a footnote it is a space.
            Event::SoftBreak | Event::HardBreak if self.table.is_some() || self.heading.is_some() || self.footnote.is_some() => {
                self.push(" ")
            }
            Event::SoftBreak | Event::HardBreak => self.flush(),
            Event::FootnoteReference(label) => {
                self.inline.push(Inline { text: String::new(), bold: false, italic: false, footnote: Some(label.to_string()) })
            }
            Event::TaskListMarker(done) => self.push(if done { "[x] " } else { "[ ] " }),
            Event::Rule => self.flush(),
        }
    }

    fn start(&mut self, tag: Tag<'_>, source: &str) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(heading_level(level));
            }
            Tag::Strong => self.bold += 1,
            Tag::Emphasis => self.italic += 1,
            Tag::List(start) => {
                self.flush();
                self.lists.push(List { next: start });
            }
            Tag::Item => {
                self.flush();
                self.marker = Some(self.item_marker(source));
            }
            Tag::FootnoteDefinition(label) => {
                self.flush();
                self.footnote = Some(label.to_string());
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some(Vec::new());
            }
            Tag::TableHead | Tag::TableRow => self.row = Vec::new(),
            Tag::TableCell => self.inline.clear(),
            Tag::Paragraph | Tag::BlockQuote(_) | Tag::CodeBlock(_) | Tag::HtmlBlock => {}
            Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                let text = std::mem::take(&mut self.inline);
                if let Some(level) = self.heading.take()
                    && !plain(&text).trim().is_empty()
                {
                    self.blocks.push(Block::Heading { level, text: trimmed(text) });
                }
            }
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Item => {
                self.flush();
                self.marker = None;
            }
            TagEnd::FootnoteDefinition => {
                self.flush();
                self.footnote = None;
            }
            TagEnd::TableCell => {
                let cell = trimmed(std::mem::take(&mut self.inline));
                self.row.push(cell);
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                let row = std::mem::take(&mut self.row);
                if let Some(t) = &mut self.table {
                    t.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(rows) = self.table.take() {
                    self.blocks.push(Block::Table { rows });
                }
            }
            TagEnd::Paragraph | TagEnd::BlockQuote(_) | TagEnd::CodeBlock | TagEnd::HtmlBlock => self.flush(),
            _ => {}
        }
    }

    /// The sign an item was typed with: "-", "+" (a "*" prints as "-"), or its number with the
    /// delimiter typed ("1.", "2)").
    fn item_marker(&mut self, source: &str) -> String {
        let typed = source.trim_start();
        let Some(list) = self.lists.last_mut() else { return "-".into() };
        match &mut list.next {
            Some(n) => {
                let delimiter = typed.trim_start_matches(|c: char| c.is_ascii_digit()).chars().next().unwrap_or('.');
                let marker = format!("{n}{delimiter}");
                *n += 1;
                marker
            }
            None if typed.starts_with('+') => "+".into(),
            None => "-".into(),
        }
    }

    fn push(&mut self, text: &str) {
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        match self.inline.last_mut() {
            Some(last) if last.bold == bold && last.italic == italic && last.footnote.is_none() => last.text.push_str(text),
            _ => self.inline.push(Inline { text: text.to_string(), bold, italic, footnote: None }),
        }
    }

    /// Ends the paragraph being read (in a table cell the text waits for the cell's end).
    fn flush(&mut self) {
        if self.table.is_some() || self.heading.is_some() {
            return;
        }
        let text = trimmed(std::mem::take(&mut self.inline));
        if text.is_empty() {
            return;
        }
        if let Some(label) = &self.footnote {
            let note = self.footnotes.entry(label.clone()).or_default();
            if !note.is_empty() {
                note.push(Inline { text: " ".into(), bold: false, italic: false, footnote: None });
            }
            note.extend(text);
            return;
        }
        let marker = self.marker.take();
        if marker.is_none()
            && let Some(block) = figure_block(&plain(&text))
        {
            self.blocks.push(Block::Figures(block));
            return;
        }
        let depth = u8::try_from(self.lists.len().saturating_sub(1)).unwrap_or(u8::MAX);
        self.blocks.push(Block::Paragraph { marker, depth, text });
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The inlines without leading and trailing spaces, and without the empty ones.
fn trimmed(mut text: Vec<Inline>) -> Vec<Inline> {
    text.retain(|i| !i.text.is_empty() || i.footnote.is_some());
    if let Some(first) = text.first_mut() {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = text.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    text.retain(|i| !i.text.is_empty() || i.footnote.is_some());
    text
}

/// The editor's preview: the section read as the document reads it (a line is a paragraph, the
/// figure blocks shown where their sentences will go), as HTML with every typed text escaped.
pub fn preview_html(markdown: &str) -> String {
    let n = parse(markdown);
    let mut body = crate::outline::Body { blocks: Vec::new(), footnotes: n.footnotes };
    if let Some(title) = n.title {
        body.blocks.push(Block::Heading { level: 1, text: vec![Inline { text: title, bold: false, italic: false, footnote: None }] });
    }
    body.blocks.extend(n.blocks);
    crate::outline::to_html(&body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(n: &Narrative) -> Vec<String> {
        n.blocks
            .iter()
            .map(|b| match b {
                Block::Heading { level, text } => format!("h{level} {}", plain(text)),
                Block::Paragraph { marker, depth, text } => format!("p{depth} {} {}", marker.as_deref().unwrap_or("·"), plain(text)),
                Block::Table { rows } => format!("table {}x{}", rows.len(), rows.first().map_or(0, Vec::len)),
                Block::Figures(f) => format!("figures {:?} {:?}", f.name, f.level),
            })
            .collect()
    }

    #[test]
    fn a_section_reads_to_its_title_headings_items_tables_and_figure_blocks() {
        let md = "# 7. Về mức độ thu hút đầu tư\n\nĐoạn mở đầu\nnối dòng.\n\n## 1.1. Tổ chức thực hiện:\n\n- Tỷ lệ giải ngân: 15%;\n  + cấp huyện;\n+ cộng\n\n1. Một\n2. Hai\nBảng dưới đây:\n| Chức danh | Số lượng |\n|---|---|\n| Cán bộ | 11 |\n{{số liệu: II.2, cấp xã}}\n\n2022\\. Đến nay\n";
        let n = parse(md);
        assert_eq!(n.title.as_deref(), Some("7. Về mức độ thu hút đầu tư"));
        assert_eq!(
            texts(&n),
            [
                "p0 · Đoạn mở đầu",
                "p0 · nối dòng.",
                "h2 1.1. Tổ chức thực hiện:",
                "p0 - Tỷ lệ giải ngân: 15%;",
                "p1 + cấp huyện;",
                "p0 + cộng",
                "p0 1. Một",
                "p0 2. Hai",
                "p0 · Bảng dưới đây:",
                "table 2x2",
                "figures Some(\"II.2\") Some(\"cấp xã\")",
                "p0 · 2022. Đến nay",
            ]
        );
    }

    #[test]
    fn emphasis_and_footnotes_are_kept() {
        let n = parse("Theo **Kế hoạch** *số 158*[^1].\n\n[^1]: Ngày 17/01/2022.\n");
        let Block::Paragraph { text, .. } = &n.blocks[0] else { panic!("{n:?}") };
        assert!(text.iter().any(|i| i.bold && i.text == "Kế hoạch"));
        assert!(text.iter().any(|i| i.italic && i.text == "số 158"));
        assert!(text.iter().any(|i| i.footnote.as_deref() == Some("1")));
        assert_eq!(plain(&n.footnotes["1"]), "Ngày 17/01/2022.");
    }

    #[test]
    fn empty_headings_and_html_print_nothing_of_their_own() {
        let n = parse("## \n\n<b>đậm</b>\n");
        assert_eq!(texts(&n), ["p0 · <b>đậm</b>"]);
        assert!(preview_html("<script>x</script>").contains("&lt;script&gt;"));
        // The preview reads the text as the document does: a line is a paragraph, and the
        // figure block shows where the sentences go.
        let html = preview_html("# 7. Thu ngân sách\nMột dòng\n{{số liệu: II.2, cấp xã}}");
        assert_eq!(
            html,
            r#"<h3>7. Thu ngân sách</h3><p class="prose depth-0">Một dòng</p><p class="figures">[Số liệu tự động II.2, cấp xã]</p>"#
        );
    }

    #[test]
    fn figure_blocks_name_their_section_and_level() {
        assert_eq!(figure_block("{{số liệu}}"), Some(FigureBlock::default()));
        assert_eq!(figure_block("{{số liệu cấp huyện}}"), Some(FigureBlock { name: None, level: Some("cấp huyện".into()) }));
        assert_eq!(
            figure_block("{{ số liệu: cau-ke-hoach-cchc }}"),
            Some(FigureBlock { name: Some("cau-ke-hoach-cchc".into()), level: None })
        );
        assert_eq!(figure_block("{{tên}}"), None);
        assert_eq!(figure_block("số liệu"), None);
    }
}
