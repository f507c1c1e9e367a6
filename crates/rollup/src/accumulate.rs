//! The running sums of a compilation, keyed by figure.

use std::collections::{BTreeMap, HashMap, HashSet};

use cchc_catalogue::{Catalogue, Indicator, Rollup};
use cchc_report::{Entry, Key, UnitReport, Value};
use cchc_units::Level;
use rust_decimal::Decimal;

/// One compiled figure in progress.
#[derive(Debug, Clone, PartialEq)]
enum Acc {
    Int(i64),
    Dec(Decimal),
    Tally { yes: u32, of: u32 },
    Options(BTreeMap<u8, u32>),
    /// Texts with the name of the unit they came from (`None`: the compiled unit's own).
    Texts(Vec<(Option<String>, String)>),
}

/// Sums of figures for one unit's compilation.
pub struct Accumulator<'c> {
    catalogue: &'c Catalogue,
    figures: HashMap<Key, Acc>,
}

/// Whether a figure comes from the compiled unit itself or from below it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin<'a> {
    Own,
    Child(&'a str),
}

impl<'c> Accumulator<'c> {
    pub fn new(catalogue: &'c Catalogue) -> Self {
        Accumulator { catalogue, figures: HashMap::new() }
    }

    /// Adds the compiled unit's own report.
    pub fn add_own(&mut self, report: &UnitReport, level: Option<Level>) {
        self.add_report(report, level, Origin::Own);
    }

    /// Adds a child's own report (a leaf of the subtree).
    pub fn add_child(&mut self, report: &UnitReport, child_name: &str, level: Option<Level>) {
        self.add_report(report, level, Origin::Child(child_name));
    }

    fn add_report(&mut self, report: &UnitReport, level: Option<Level>, origin: Origin<'_>) {
        let values = report.values();
        // Indicators the report already splits by level itself: no automatic level split.
        let split_by_level: HashSet<&str> =
            values.keys().filter(|k| k.split.contains_key("level")).map(|k| k.code.as_str()).collect();
        for (key, value) in values {
            let Some(ind) = self.catalogue.indicator(&key.code) else { continue };
            let rule = ind.rollup_rule();
            if rule == Rollup::Own && origin != Origin::Own {
                continue;
            }
            let Some(acc) = to_acc(value, rule, origin) else { continue };
            let auto_level = level.filter(|_| wants_level(ind, key) && !split_by_level.contains(key.code.as_str()));
            if let Some(l) = auto_level {
                let mut k = key.clone();
                k.split.insert("level".into(), l.slug().into());
                self.add(k, acc.clone(), rule);
            }
            self.add(key.clone(), acc, rule);
        }
    }

    /// Merges the compilation of a child that has children of its own.
    pub fn merge_child(&mut self, child: Accumulator<'_>, child_name: &str, _level: Option<Level>) {
        for (key, acc) in child.figures {
            let Some(ind) = self.catalogue.indicator(&key.code) else { continue };
            let rule = ind.rollup_rule();
            if rule == Rollup::Own {
                continue;
            }
            let acc = match acc {
                Acc::Texts(t) => Acc::Texts(t.into_iter().map(|(u, s)| (u.or_else(|| Some(child_name.to_string())), s)).collect()),
                other => other,
            };
            self.add(key, acc, rule);
        }
    }

    fn add(&mut self, key: Key, acc: Acc, rule: Rollup) {
        match self.figures.get_mut(&key) {
            Some(existing) => combine(existing, acc, rule),
            None => {
                self.figures.insert(key, acc);
            }
        }
    }

    /// The compiled figures as report entries, in catalogue order, totals before splits.
    pub fn into_entries(self, catalogue: &Catalogue) -> Vec<Entry> {
        let order: HashMap<&str, usize> = catalogue.indicators.iter().enumerate().map(|(i, ind)| (ind.code.as_str(), i)).collect();
        let mut figures: Vec<(Key, Acc)> = self.figures.into_iter().collect();
        figures.sort_by(|(a, _), (b, _)| {
            (order.get(a.code.as_str()), a.split.len(), &a.split).cmp(&(order.get(b.code.as_str()), b.split.len(), &b.split))
        });
        figures.into_iter().map(|(key, acc)| Entry::new(key, to_value(acc))).collect()
    }
}

/// A figure also lands in its unit's level split when the indicator is split by level and the
/// figure is not already at a level.
fn wants_level(ind: &Indicator, key: &Key) -> bool {
    ind.splits.iter().any(|s| s == "level") && !key.split.contains_key("level")
}

fn to_acc(value: &Value, rule: Rollup, origin: Origin<'_>) -> Option<Acc> {
    Some(match (rule, value) {
        (Rollup::Sum | Rollup::Own | Rollup::Max, Value::Int(n)) => Acc::Int(*n),
        (Rollup::Sum | Rollup::Own | Rollup::Max, Value::Dec(d)) => Acc::Dec(*d),
        (Rollup::CountYes, Value::Bool(b)) => Acc::Tally { yes: *b as u32, of: 1 },
        (Rollup::CountYes, Value::Tally { yes, of }) => Acc::Tally { yes: *yes, of: *of },
        (Rollup::CountOptions, Value::Choice(c)) => Acc::Options(BTreeMap::from([(*c, 1)])),
        (Rollup::CountOptions, Value::OptionCounts(m)) => Acc::Options(m.clone()),
        (Rollup::Concat, Value::Text(t)) => {
            let from = match origin {
                Origin::Own => None,
                Origin::Child(name) => Some(name.to_string()),
            };
            Acc::Texts(vec![(from, t.clone())])
        }
        // Ratios are recomputed where shown; typed percentages cannot be compiled.
        _ => return None,
    })
}

fn combine(existing: &mut Acc, new: Acc, rule: Rollup) {
    match (existing, new) {
        (Acc::Int(a), Acc::Int(b)) if rule == Rollup::Max => *a = (*a).max(b),
        (Acc::Int(a), Acc::Int(b)) => *a += b,
        (Acc::Dec(a), Acc::Dec(b)) if rule == Rollup::Max => *a = (*a).max(b),
        (Acc::Dec(a), Acc::Dec(b)) => *a += b,
        (Acc::Tally { yes, of }, Acc::Tally { yes: y, of: o }) => {
            *yes += y;
            *of += o;
        }
        (Acc::Options(a), Acc::Options(b)) => {
            for (k, n) in b {
                *a.entry(k).or_default() += n;
            }
        }
        (Acc::Texts(a), Acc::Texts(b)) => a.extend(b),
        // Mixed kinds only arise from inconsistent input (an integer and a decimal for one
        // money figure): keep the sum exact in decimals.
        (slot, other) => {
            let sum = acc_number(slot) + acc_number(&other);
            *slot = Acc::Dec(sum);
        }
    }
}

fn acc_number(a: &Acc) -> Decimal {
    match a {
        Acc::Int(n) => Decimal::from(*n),
        Acc::Dec(d) => *d,
        _ => Decimal::ZERO,
    }
}

fn to_value(acc: Acc) -> Value {
    match acc {
        Acc::Int(n) => Value::Int(n),
        Acc::Dec(d) => Value::Dec(d),
        Acc::Tally { yes, of } => Value::Tally { yes, of },
        Acc::Options(m) => Value::OptionCounts(m),
        Acc::Texts(t) => Value::Text(
            t.into_iter().map(|(u, s)| u.map_or(s.clone(), |u| format!("{u}: {s}"))).collect::<Vec<_>>().join("\n"),
        ),
    }
}
