//! Rule expressions: `#{3.5.1} + #{3.5.2[field=ho-tich]} - 2 * (#{a} / #{b})`.
//!
//! A reference `#{CODE}` names the total of an indicator; `#{CODE[dim=value,…]}` names one split.
//! Alternatives `a | b` (lowest precedence) read "a, else b": the resolved total, else its parts,
//! `#{3.6.1} | #{3.6.4} + #{3.6.5}` (see the validation crate for which one is taken).
//! The parser lives here (not in the validation crate) so that a catalogue can be checked for
//! references to unknown indicators when it is loaded.

use std::collections::BTreeMap;
use std::fmt;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64),
    Ref(Reference),
    Neg(Box<Expr>),
    Binary(Box<Expr>, BinOp, Box<Expr>),
    /// `a | b`: `a` when it is reported, else `b`.
    Else(Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// A reference to an indicator, optionally at a fixed split.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reference {
    pub code: String,
    pub split: BTreeMap<String, String>,
}

impl Expr {
    /// Every reference in the expression, left to right.
    pub fn references(&self) -> Vec<&Reference> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a Reference>) {
        match self {
            Expr::Number(_) => {}
            Expr::Ref(r) => out.push(r),
            Expr::Neg(e) => e.collect(out),
            Expr::Binary(a, _, b) | Expr::Else(a, b) => {
                a.collect(out);
                b.collect(out);
            }
        }
    }

    /// Whether the expression is a sum of references (`a + b + c`), a term possibly being
    /// alternatives of such sums (`(a | b + c) + d`), which is what the `lower-bound` and
    /// `parts-as-zero` missing strategies need: every figure in it is a part of a total.
    pub fn is_sum_of_refs(&self) -> bool {
        match self {
            Expr::Ref(_) => true,
            Expr::Binary(a, BinOp::Add, b) | Expr::Else(a, b) => a.is_sum_of_refs() && b.is_sum_of_refs(),
            _ => false,
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{{{}", self.code)?;
        if !self.split.is_empty() {
            let parts: Vec<String> = self.split.iter().map(|(k, v)| format!("{k}={v}")).collect();
            write!(f, "[{}]", parts.join(","))?;
        }
        write!(f, "}}")
    }
}

/// The deepest an expression may nest: each parenthesis, leading minus sign, alternative `|` and
/// operator adds a level (`(#{a} + #{b}) * 2` is three deep), so a sum has at most 64 terms.
/// Parsing refuses a deeper expression before recursing further, and every function over a
/// parsed expression (evaluation, rendering, the references) recurses at most this deep.
pub const MAX_EXPR_DEPTH: usize = 64;

/// The longest expression, in characters.
pub const MAX_EXPR_LEN: usize = 4_000;

/// How much of an expression a message quotes: a long one is cut with "…".
const QUOTED_CHARS: usize = 80;

/// Why an expression does not parse; the message is Vietnamese. `text` is the expression as the
/// message quotes it (its first 80 characters and "…" when it is longer).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Biểu thức \"{text}\" sai ở vị trí {pos}: {what}")]
pub struct ExprError {
    pub text: String,
    pub pos: usize,
    pub what: String,
}

/// Parses an expression of at most [`MAX_EXPR_LEN`] characters nesting at most
/// [`MAX_EXPR_DEPTH`] levels.
pub fn parse_expr(text: &str) -> Result<Expr, ExprError> {
    if text.len() > MAX_EXPR_LEN {
        let chars = text.chars().count();
        if chars > MAX_EXPR_LEN {
            let pos = text.char_indices().nth(MAX_EXPR_LEN).map_or(text.len(), |(i, _)| i);
            return Err(ExprError {
                text: quoted(text),
                pos,
                what: format!(
                    "biểu thức dài {} ký tự, vượt giới hạn {} ký tự",
                    cchc_format::int(chars as i64),
                    cchc_format::int(MAX_EXPR_LEN as i64)
                ),
            });
        }
    }
    let mut p = Parser { s: text.as_bytes(), pos: 0, text, nesting: 0 };
    let (e, _) = p.alternatives().map_err(|e| *e)?;
    p.skip_ws();
    if p.pos != p.s.len() {
        return Err(*p.error("thừa ký tự ở cuối"));
    }
    Ok(e)
}

/// The expression as a message quotes it.
fn quoted(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    text: &'a str,
    /// How many parentheses, leading minus signs and alternatives enclose the position: the
    /// parser's own recursion, refused beyond [`MAX_EXPR_DEPTH`].
    nesting: usize,
}

/// A parsed part and its depth (a number or reference is 1).
type Parsed = Result<(Expr, usize), Box<ExprError>>;

impl Parser<'_> {
    #[cold]
    #[inline(never)]
    fn error(&self, what: &str) -> Box<ExprError> {
        Box::new(ExprError { text: quoted(self.text), pos: self.pos, what: what.to_string() })
    }

    #[cold]
    #[inline(never)]
    fn too_deep(&self) -> Box<ExprError> {
        self.error(&format!(
            "biểu thức lồng sâu quá {MAX_EXPR_DEPTH} tầng (mỗi dấu ngoặc, dấu trừ đứng trước, lựa chọn '|' hay phép tính thêm một tầng)"
        ))
    }

    /// Enters one more level of the parser's recursion, or refuses it.
    fn enter(&mut self) -> Result<(), Box<ExprError>> {
        self.nesting += 1;
        if self.nesting > MAX_EXPR_DEPTH { Err(self.too_deep()) } else { Ok(()) }
    }

    /// The depth of a node over parts of depth `a` and `b`, or the refusal.
    fn node(&self, a: usize, b: usize) -> Result<usize, Box<ExprError>> {
        let depth = 1 + a.max(b);
        if depth > MAX_EXPR_DEPTH { Err(self.too_deep()) } else { Ok(depth) }
    }

    fn skip_ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.pos).copied()
    }

    fn alternatives(&mut self) -> Parsed {
        let (first, d1) = self.expr()?;
        if self.peek() != Some(b'|') {
            return Ok((first, d1));
        }
        self.enter()?;
        self.pos += 1;
        // Right-associative: `a | b | c` is `a | (b | c)`, tried in order.
        let (rest, d2) = self.alternatives()?;
        self.nesting -= 1;
        Ok((Expr::Else(Box::new(first), Box::new(rest)), self.node(d1, d2)?))
    }

    fn expr(&mut self) -> Parsed {
        let (mut left, mut depth) = self.term()?;
        while let Some(c @ (b'+' | b'-')) = self.peek() {
            self.pos += 1;
            let op = if c == b'+' { BinOp::Add } else { BinOp::Sub };
            let (right, d) = self.term()?;
            depth = self.node(depth, d)?;
            left = Expr::Binary(Box::new(left), op, Box::new(right));
        }
        Ok((left, depth))
    }

    fn term(&mut self) -> Parsed {
        let (mut left, mut depth) = self.factor()?;
        while let Some(c @ (b'*' | b'/')) = self.peek() {
            self.pos += 1;
            let op = if c == b'*' { BinOp::Mul } else { BinOp::Div };
            let (right, d) = self.factor()?;
            depth = self.node(depth, d)?;
            left = Expr::Binary(Box::new(left), op, Box::new(right));
        }
        Ok((left, depth))
    }

    fn factor(&mut self) -> Parsed {
        match self.peek() {
            Some(b'-') => {
                self.enter()?;
                self.pos += 1;
                let (e, d) = self.factor()?;
                self.nesting -= 1;
                Ok((Expr::Neg(Box::new(e)), self.node(d, 0)?))
            }
            Some(b'(') => {
                self.enter()?;
                self.pos += 1;
                let (e, d) = self.alternatives()?;
                self.nesting -= 1;
                if self.peek() != Some(b')') {
                    return Err(self.error("thiếu dấu ')'"));
                }
                self.pos += 1;
                Ok((e, d))
            }
            Some(b'#') => Ok((Expr::Ref(self.reference()?), 1)),
            Some(c) if c.is_ascii_digit() => Ok((self.number()?, 1)),
            _ => Err(self.error("cần một số, một chỉ tiêu #{…} hoặc '('")),
        }
    }

    fn number(&mut self) -> Result<Expr, Box<ExprError>> {
        let start = self.pos;
        while self.pos < self.s.len() && (self.s[self.pos].is_ascii_digit() || self.s[self.pos] == b'.') {
            self.pos += 1;
        }
        self.text[start..self.pos].parse().map(Expr::Number).map_err(|_| self.error("số không hợp lệ"))
    }

    fn reference(&mut self) -> Result<Reference, Box<ExprError>> {
        if !self.text[self.pos..].starts_with("#{") {
            return Err(self.error("cần '#{'"));
        }
        self.pos += 2;
        let close = self.text[self.pos..].find('}').ok_or_else(|| self.error("thiếu '}'"))?;
        let inner = &self.text[self.pos..self.pos + close];
        let r = parse_reference_body(inner).ok_or_else(|| self.error("tham chiếu chỉ tiêu không hợp lệ"))?;
        self.pos += close + 1;
        Ok(r)
    }
}

/// Parses `CODE` or `CODE[dim=value,…]` (the inside of `#{…}`; also the key syntax of reports).
pub fn parse_reference_body(inner: &str) -> Option<Reference> {
    let inner = inner.trim();
    let (code, split_text) = match inner.split_once('[') {
        Some((c, rest)) => (c.trim(), Some(rest.strip_suffix(']')?)),
        None => (inner, None),
    };
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) {
        return None;
    }
    let mut split = BTreeMap::new();
    for pair in split_text.into_iter().flat_map(|t| t.split(',')) {
        let (k, v) = pair.split_once('=')?;
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() || v.is_empty() || split.insert(k.to_string(), v.to_string()).is_some() {
            return None;
        }
    }
    Some(Reference { code: code.to_string(), split })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sums_and_splits() {
        let e = parse_expr("#{3.5.2} + #{3.5.3[field=ho-tich]} + 2*(#{1.2.2} / #{1.2.1})").unwrap();
        let refs: Vec<String> = e.references().iter().map(|r| r.to_string()).collect();
        assert_eq!(refs, vec!["#{3.5.2}", "#{3.5.3[field=ho-tich]}", "#{1.2.2}", "#{1.2.1}"]);
        assert!(!e.is_sum_of_refs());
        assert!(parse_expr("#{a} + #{b[level=xa]}").unwrap().is_sum_of_refs());
    }

    #[test]
    fn alternatives_bind_loosest_and_nest_in_parentheses() {
        let e = parse_expr("#{3.6.1} | #{3.6.4} + #{3.6.5}").unwrap();
        let Expr::Else(a, b) = &e else { panic!("{e:?}") };
        assert!(matches!(**a, Expr::Ref(_)));
        assert!(matches!(**b, Expr::Binary(_, BinOp::Add, _)));
        assert!(e.is_sum_of_refs());
        let nested = parse_expr("(#{3.6.1} | (#{3.6.4} | #{3.6.2} + #{3.6.3}) + #{3.6.5}) + #{3.6.7}").unwrap();
        assert!(nested.is_sum_of_refs());
        assert_eq!(nested.references().len(), 6);
        assert!(!parse_expr("#{a} | 2 * #{b}").unwrap().is_sum_of_refs());
        assert!(parse_expr("#{a} |").is_err());
        assert!(parse_expr("| #{a}").is_err());
    }

    #[test]
    fn errors_name_the_position() {
        let e = parse_expr("#{3.5.2} + ").unwrap_err();
        assert!(e.to_string().contains("vị trí 11"), "{e}");
        assert!(parse_expr("#{3.5.2").is_err());
        assert!(parse_expr("#{3.5[field]}").is_err());
        assert!(parse_expr("(1 + 2").is_err());
        assert!(parse_expr("1 2").is_err());
    }

    /// Runs `f` on a thread with a 384 KB stack (a sixth of a server thread's): recursion as deep
    /// as the text nests would overflow it and abort, a parse of 64 levels fits in a debug build.
    fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new().stack_size(384 * 1024).spawn(f).unwrap().join().unwrap()
    }

    #[test]
    fn deeply_nested_parentheses_are_refused_without_deep_recursion() {
        // Within the length limit, the depth limit refuses them at the 65th parenthesis.
        let text = format!("{}#{{a}}{}", "(".repeat(1_990), ")".repeat(1_990));
        let e = on_small_stack(move || parse_expr(&text)).unwrap_err();
        assert_eq!(e.pos, 64, "{e}");
        assert!(e.what.starts_with("biểu thức lồng sâu quá 64 tầng"), "{e}");
        // Beyond it, the length limit refuses them before reading.
        for (n, length) in [(3_000, "6.004"), (100_000, "200.004")] {
            let text = format!("{}#{{a}}{}", "(".repeat(n), ")".repeat(n));
            let e = on_small_stack(move || parse_expr(&text)).unwrap_err();
            let message = e.to_string();
            assert!(message.ends_with(&format!("biểu thức dài {length} ký tự, vượt giới hạn 4.000 ký tự")), "{message}");
            assert!(message.chars().count() < 200, "a message quotes an excerpt, not the whole text: {message}");
            assert!(message.starts_with(&format!("Biểu thức \"{}…\"", "(".repeat(80))), "{message}");
        }
    }

    #[test]
    fn every_way_of_nesting_counts_towards_the_depth() {
        let minus = format!("{}1", "-".repeat(3_000));
        let chain = format!("1{}", "+1".repeat(1_999));
        let alternatives = format!("#{{a}}{}", " | #{a}".repeat(500));
        let mixed = format!("{}1{}", "(1 - ".repeat(600), ")".repeat(600));
        for text in [minus, chain, alternatives, mixed] {
            let e = on_small_stack(move || parse_expr(&text)).unwrap_err();
            assert!(e.to_string().contains("lồng sâu quá 64 tầng"), "{e}");
        }
    }

    #[test]
    fn expressions_at_the_limits_still_parse() {
        let depth = |e: &Expr| -> usize {
            fn d(e: &Expr) -> usize {
                match e {
                    Expr::Number(_) | Expr::Ref(_) => 1,
                    Expr::Neg(a) => 1 + d(a),
                    Expr::Binary(a, _, b) | Expr::Else(a, b) => 1 + d(a).max(d(b)),
                }
            }
            d(e)
        };
        let parens = |n: usize| format!("{}#{{a}}{}", "(".repeat(n), ")".repeat(n));
        assert!(parse_expr(&parens(MAX_EXPR_DEPTH)).is_ok());
        assert!(parse_expr(&parens(MAX_EXPR_DEPTH + 1)).is_err());
        // A sum of 64 terms is 64 deep.
        let sum = |n: usize| vec!["#{a}"; n].join(" + ");
        assert_eq!(depth(&parse_expr(&sum(MAX_EXPR_DEPTH)).unwrap()), MAX_EXPR_DEPTH);
        assert!(parse_expr(&sum(MAX_EXPR_DEPTH + 1)).is_err());
        let minus = |n: usize| format!("{}1", "-".repeat(n));
        assert_eq!(depth(&parse_expr(&minus(MAX_EXPR_DEPTH - 1)).unwrap()), MAX_EXPR_DEPTH);
        assert!(parse_expr(&minus(MAX_EXPR_DEPTH)).is_err());
        let long = format!("{}1", " ".repeat(MAX_EXPR_LEN - 1));
        assert_eq!(parse_expr(&long), Ok(Expr::Number(1.0)));
        let e = parse_expr(&format!(" {long}")).unwrap_err();
        assert!(e.to_string().ends_with("biểu thức dài 4.001 ký tự, vượt giới hạn 4.000 ký tự"), "{e}");
    }

    /// Writes an expression back as text, every part in parentheses.
    fn write(e: &Expr) -> String {
        match e {
            Expr::Number(n) => n.to_string(),
            Expr::Ref(r) => r.to_string(),
            Expr::Neg(a) => format!("-({})", write(a)),
            Expr::Binary(a, op, b) => {
                let op = match op {
                    BinOp::Add => "+",
                    BinOp::Sub => "-",
                    BinOp::Mul => "*",
                    BinOp::Div => "/",
                };
                format!("({}) {op} ({})", write(a), write(b))
            }
            Expr::Else(a, b) => format!("({}) | ({})", write(a), write(b)),
        }
    }

    fn any_expr() -> impl proptest::strategy::Strategy<Value = Expr> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            (0u32..100_000).prop_map(|n| Expr::Number(f64::from(n))),
            ("[0-9]\\.[0-9]{1,2}", proptest::option::of(prop_oneof![Just("huyen"), Just("xa")])).prop_map(|(code, level)| {
                Expr::Ref(Reference {
                    code,
                    split: level.map(|l| BTreeMap::from([("level".to_string(), l.to_string())])).unwrap_or_default(),
                })
            }),
        ];
        leaf.prop_recursive(12, 64, 2, |inner| {
            let op = prop_oneof![Just(BinOp::Add), Just(BinOp::Sub), Just(BinOp::Mul), Just(BinOp::Div)];
            prop_oneof![
                inner.clone().prop_map(|e| Expr::Neg(Box::new(e))),
                (inner.clone(), op, inner.clone()).prop_map(|(a, op, b)| Expr::Binary(Box::new(a), op, Box::new(b))),
                (inner.clone(), inner).prop_map(|(a, b)| Expr::Else(Box::new(a), Box::new(b))),
            ]
        })
    }

    proptest::proptest! {
        /// Any expression within the limits reads as it did before them: its written text parses
        /// back to the same tree.
        #[test]
        fn expressions_within_the_limits_parse_as_before(e in any_expr()) {
            let text = write(&e);
            proptest::prop_assume!(text.len() <= MAX_EXPR_LEN);
            proptest::prop_assert_eq!(parse_expr(&text), Ok(e));
        }
    }
}
