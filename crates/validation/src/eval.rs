//! Evaluation of rule expressions against a report's figures.

use std::collections::HashMap;

use cchc_catalogue::expr::{BinOp, Expr, Reference};
use cchc_catalogue::{Catalogue, Kind};
use cchc_report::{Key, Split, Value};
use rust_decimal::Decimal;

use crate::render;

/// The figures of one report, looked up by key, with ratios computed from their counts.
pub struct Figures<'a> {
    pub values: HashMap<&'a Key, &'a Value>,
    pub catalogue: &'a Catalogue,
}

impl Figures<'_> {
    /// The number for a key: the reported figure, or for a ratio indicator the percentage
    /// computed from its numerator and denominator (a ratio is never typed; `None` when it
    /// cannot be computed: a zero denominator, or parts too large to compute with).
    pub fn number(&self, key: &Key) -> Option<Decimal> {
        match self.catalogue.indicator(&key.code).map(|i| &i.kind) {
            Some(Kind::Ratio { numerator, denominator }) => {
                let n = self.number(&key.with_code(numerator))?;
                let d = self.number(&key.with_code(denominator))?;
                percent_of(n, d)
            }
            _ => self.values.get(key).and_then(|v| v.number()),
        }
    }
}

/// `n / d × 100`; `None` when `d` is 0 or the result does not fit in a decimal.
pub fn percent_of(n: Decimal, d: Decimal) -> Option<Decimal> {
    if d.is_zero() {
        return None;
    }
    n.checked_mul(Decimal::ONE_HUNDRED).and_then(|x| x.checked_div(d)).or_else(|| n.checked_div(d)?.checked_mul(Decimal::ONE_HUNDRED))
}

/// The key a reference names when evaluated at split `at`.
pub fn key_at(r: &Reference, at: &Split) -> Key {
    let mut split = at.clone();
    split.extend(r.split.iter().map(|(k, v)| (k.clone(), v.clone())));
    Key { code: r.code.clone(), split }
}

/// Result of evaluating one side of a rule.
pub struct Side {
    /// The value with missing figures counted as 0; `None` on division by zero or when a step
    /// does not fit in a decimal (`overflow`).
    pub value: Option<Decimal>,
    /// A step of the evaluation gave a number beyond a decimal's 28 digits.
    pub overflow: bool,
    /// How many references had no figure.
    pub missing: usize,
    pub refs: usize,
    /// The expression with its figures, e.g. "4.738 + 49.120"; missing terms of a sum left out.
    pub terms: String,
    /// Every figure named, for the finding.
    pub figures: Vec<(String, Option<Decimal>)>,
}

pub fn evaluate(e: &Expr, at: &Split, figs: &Figures) -> Side {
    let mut side = Side { value: None, overflow: false, missing: 0, refs: 0, terms: String::new(), figures: Vec::new() };
    side.value = eval(e, at, figs, &mut side);
    side.terms = terms(e, at, figs).unwrap_or_else(|| "(chưa báo cáo)".into());
    side
}

fn eval(e: &Expr, at: &Split, figs: &Figures, side: &mut Side) -> Option<Decimal> {
    match e {
        Expr::Number(n) => Decimal::try_from(*n).ok(),
        Expr::Ref(r) => {
            let key = key_at(r, at);
            let v = figs.number(&key);
            side.refs += 1;
            side.missing += v.is_none() as usize;
            side.figures.push((key.to_string(), v));
            Some(v.unwrap_or_default())
        }
        Expr::Neg(inner) => eval(inner, at, figs, side).map(|v| -v),
        Expr::Else(a, b) => eval(choose(a, b, at, figs), at, figs, side),
        Expr::Binary(a, op, b) => {
            let (x, y) = (eval(a, at, figs, side), eval(b, at, figs, side));
            let (x, y) = (x?, y?);
            let result = match op {
                BinOp::Add => x.checked_add(y),
                BinOp::Sub => x.checked_sub(y),
                BinOp::Mul => x.checked_mul(y),
                BinOp::Div if y.is_zero() => return None,
                BinOp::Div => x.checked_div(y),
            };
            side.overflow |= result.is_none();
            result
        }
    }
}

/// The alternative of `a | b` a report's figures speak for: `a` when all its figures are
/// reported, else `b` when any of its figures is, else `a` (whose figures are then missing).
/// So "the resolved total, else on time + late" uses the parts exactly when the total is not
/// stated.
fn choose<'e>(a: &'e Expr, b: &'e Expr, at: &Split, figs: &Figures) -> &'e Expr {
    choose_counting(a, b, at, figs).0
}

/// [`choose`], with the chosen alternative's (missing, references) counts, so that nested
/// alternatives are each looked at once: deciding by evaluating both sides again at every level
/// took time exponential in the nesting.
fn choose_counting<'e>(a: &'e Expr, b: &'e Expr, at: &Split, figs: &Figures) -> (&'e Expr, (usize, usize)) {
    let counts_a = counts(a, at, figs);
    if counts_a.0 == 0 {
        return (a, counts_a);
    }
    let counts_b = counts(b, at, figs);
    if counts_b.0 < counts_b.1 { (b, counts_b) } else { (a, counts_a) }
}

/// How many of the references [`eval`] reads are missing, and how many it reads.
fn counts(e: &Expr, at: &Split, figs: &Figures) -> (usize, usize) {
    match e {
        Expr::Number(_) => (0, 0),
        Expr::Ref(r) => (figs.number(&key_at(r, at)).is_none() as usize, 1),
        Expr::Neg(inner) => counts(inner, at, figs),
        Expr::Else(a, b) => choose_counting(a, b, at, figs).1,
        Expr::Binary(a, _, b) => {
            let (x, y) = (counts(a, at, figs), counts(b, at, figs));
            (x.0 + y.0, x.1 + y.1)
        }
    }
}

/// Renders the expression with figures in place of references; a missing figure inside a sum is
/// left out, anywhere else the whole rendering is `None`.
fn terms(e: &Expr, at: &Split, figs: &Figures) -> Option<String> {
    match e {
        Expr::Number(n) => Some(Decimal::try_from(*n).map(render::number).unwrap_or_else(|_| n.to_string())),
        Expr::Ref(r) => figs.number(&key_at(r, at)).map(render::number),
        Expr::Neg(inner) => terms(inner, at, figs).map(|t| format!("-{t}")),
        Expr::Else(a, b) => terms(choose(a, b, at, figs), at, figs),
        Expr::Binary(a, BinOp::Add, b) => match (terms(a, at, figs), terms(b, at, figs)) {
            (Some(x), Some(y)) => Some(format!("{x} + {y}")),
            (x, y) => x.or(y),
        },
        Expr::Binary(a, op, b) => {
            let sym = match op {
                BinOp::Sub => "-",
                BinOp::Mul => "×",
                _ => ":",
            };
            Some(format!("{} {sym} {}", terms(a, at, figs)?, terms(b, at, figs)?))
        }
    }
}
