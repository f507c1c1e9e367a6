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

/// Why an expression does not parse; the message is Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Biểu thức \"{text}\" sai ở vị trí {pos}: {what}")]
pub struct ExprError {
    pub text: String,
    pub pos: usize,
    pub what: String,
}

/// Parses an expression.
pub fn parse_expr(text: &str) -> Result<Expr, ExprError> {
    let mut p = Parser { s: text.as_bytes(), pos: 0, text };
    let e = p.alternatives()?;
    p.skip_ws();
    if p.pos != p.s.len() {
        return Err(p.error("thừa ký tự ở cuối"));
    }
    Ok(e)
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> ExprError {
        ExprError { text: self.text.to_string(), pos: self.pos, what: what.to_string() }
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

    fn alternatives(&mut self) -> Result<Expr, ExprError> {
        let first = self.expr()?;
        if self.peek() != Some(b'|') {
            return Ok(first);
        }
        self.pos += 1;
        // Right-associative: `a | b | c` is `a | (b | c)`, tried in order.
        Ok(Expr::Else(Box::new(first), Box::new(self.alternatives()?)))
    }

    fn expr(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.term()?;
        while let Some(c @ (b'+' | b'-')) = self.peek() {
            self.pos += 1;
            let op = if c == b'+' { BinOp::Add } else { BinOp::Sub };
            left = Expr::Binary(Box::new(left), op, Box::new(self.term()?));
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.factor()?;
        while let Some(c @ (b'*' | b'/')) = self.peek() {
            self.pos += 1;
            let op = if c == b'*' { BinOp::Mul } else { BinOp::Div };
            left = Expr::Binary(Box::new(left), op, Box::new(self.factor()?));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, ExprError> {
        match self.peek() {
            Some(b'-') => {
                self.pos += 1;
                Ok(Expr::Neg(Box::new(self.factor()?)))
            }
            Some(b'(') => {
                self.pos += 1;
                let e = self.alternatives()?;
                if self.peek() != Some(b')') {
                    return Err(self.error("thiếu dấu ')'"));
                }
                self.pos += 1;
                Ok(e)
            }
            Some(b'#') => self.reference().map(Expr::Ref),
            Some(c) if c.is_ascii_digit() => self.number(),
            _ => Err(self.error("cần một số, một chỉ tiêu #{…} hoặc '('")),
        }
    }

    fn number(&mut self) -> Result<Expr, ExprError> {
        let start = self.pos;
        while self.pos < self.s.len() && (self.s[self.pos].is_ascii_digit() || self.s[self.pos] == b'.') {
            self.pos += 1;
        }
        self.text[start..self.pos].parse().map(Expr::Number).map_err(|_| self.error("số không hợp lệ"))
    }

    fn reference(&mut self) -> Result<Reference, ExprError> {
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
}
