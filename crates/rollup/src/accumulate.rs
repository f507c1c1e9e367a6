//! The running sums of a compilation.
//!
//! Figures are interned into slots once per compilation (one hash lookup per figure, with a fast
//! hasher), and the sums live in plain vectors indexed by slot: a province of 3.321 communes has
//! millions of figures, so the per-figure work must stay tiny.

use std::collections::BTreeMap;

use cchc_catalogue::{Catalogue, Rollup};
use cchc_report::{Entry, Key, UnitReport, Value};
use cchc_units::Level;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

const NONE: u32 = u32::MAX;

/// One compiled figure in progress.
#[derive(Debug, Clone, PartialEq)]
enum Acc {
    Int(i64),
    Dec(Decimal),
    Tally {
        yes: u32,
        of: u32,
    },
    Options(BTreeMap<u8, u32>),
    /// Texts with the name of the unit they came from (`None`: the compiled unit's own).
    Texts(Vec<(Option<String>, String)>),
}

struct SlotMeta {
    rule: Rollup,
    indicator: usize,
    /// The indicator is split by level and this key is not at a level yet.
    wants_level: bool,
    /// Slots of the same key at cấp tỉnh, huyện, xã, made on first use.
    at_level: [u32; 3],
}

/// The interned keys of one compilation, shared by every unit's accumulator.
pub struct Slots<'c> {
    catalogue: &'c Catalogue,
    index: FxHashMap<Key, u32>,
    keys: Vec<Key>,
    meta: Vec<SlotMeta>,
    /// Per slot, the number of the last report that set it: the first statement of a figure wins.
    seen: Vec<u32>,
    /// Per indicator, the number of the last report that split it by level itself.
    level_split: Vec<u32>,
    report_no: u32,
    /// The slot found for each entry position of the previous report. Reports made from the same
    /// form list their figures in the same order, so checking the hint first avoids most hashing.
    hints: Vec<u32>,
}

/// Whether a figure comes from the compiled unit itself or from below it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin<'a> {
    Own,
    Child(&'a str),
}

/// Sums of figures for one unit's compilation, indexed by slot.
#[derive(Default)]
pub struct Accumulator {
    figures: Vec<Option<Acc>>,
}

impl<'c> Slots<'c> {
    pub fn new(catalogue: &'c Catalogue) -> Self {
        Slots {
            catalogue,
            index: FxHashMap::default(),
            keys: Vec::new(),
            meta: Vec::new(),
            seen: Vec::new(),
            level_split: vec![0; catalogue.indicators.len()],
            report_no: 0,
            hints: Vec::new(),
        }
    }

    /// The slot of the key at entry position `pos`, trying the previous report's slot first.
    fn slot_at(&mut self, pos: usize, key: &Key) -> Option<u32> {
        if let Some(&h) = self.hints.get(pos)
            && h != NONE
            && self.keys[h as usize] == *key
        {
            return Some(h);
        }
        let s = self.slot(key);
        if self.hints.len() <= pos {
            self.hints.resize(pos + 1, NONE);
        }
        self.hints[pos] = s.unwrap_or(NONE);
        s
    }

    /// The slot of a key, or `None` when the catalogue has no such indicator.
    fn slot(&mut self, key: &Key) -> Option<u32> {
        if let Some(&s) = self.index.get(key) {
            return Some(s);
        }
        let indicator = self.catalogue.indicators.iter().position(|i| i.code == key.code)?;
        let ind = &self.catalogue.indicators[indicator];
        let s = self.keys.len() as u32;
        self.meta.push(SlotMeta {
            rule: ind.rollup_rule(),
            indicator,
            wants_level: ind.splits.iter().any(|d| d == "level") && !key.split.contains_key("level"),
            at_level: [NONE; 3],
        });
        self.keys.push(key.clone());
        self.seen.push(0);
        self.index.insert(key.clone(), s);
        Some(s)
    }

    fn level_slot(&mut self, slot: u32, level: Level) -> u32 {
        let i = level as usize;
        let cached = self.meta[slot as usize].at_level[i];
        if cached != NONE {
            return cached;
        }
        let mut key = self.keys[slot as usize].clone();
        key.split.insert("level".into(), level.slug().into());
        let s = self.slot(&key).expect("same indicator");
        self.meta[slot as usize].at_level[i] = s;
        s
    }

    /// Adds the compiled unit's own report.
    pub fn add_own(&mut self, acc: &mut Accumulator, report: &UnitReport, level: Option<Level>) {
        self.add_report(acc, report, level, Origin::Own);
    }

    /// Adds a child's own report (a leaf of the subtree).
    pub fn add_child(&mut self, acc: &mut Accumulator, report: &UnitReport, child_name: &str, level: Option<Level>) {
        self.add_report(acc, report, level, Origin::Child(child_name));
    }

    fn add_report(&mut self, acc: &mut Accumulator, report: &UnitReport, level: Option<Level>, origin: Origin<'_>) {
        self.report_no += 1;
        let no = self.report_no;
        let figures: Vec<(u32, &Value)> = report
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.qualifier.is_none())
            .filter_map(|(i, e)| Some((self.slot_at(i, &e.key)?, e.value.as_ref()?)))
            .collect();
        for &(s, _) in &figures {
            if self.keys[s as usize].split.contains_key("level") {
                let ind = self.meta[s as usize].indicator;
                self.level_split[ind] = no;
            }
        }
        for (s, value) in figures {
            let m = &self.meta[s as usize];
            if self.seen[s as usize] == no || (m.rule == Rollup::Own && origin != Origin::Own) {
                continue;
            }
            self.seen[s as usize] = no;
            let (rule, wants_level, ind) = (m.rule, m.wants_level, m.indicator);
            let Some(a) = to_acc(value, rule, origin) else { continue };
            if let Some(l) = level.filter(|_| wants_level && self.level_split[ind] != no) {
                let ls = self.level_slot(s, l);
                acc.add(ls, a.clone(), rule);
            }
            acc.add(s, a, rule);
        }
    }

    /// Merges the compilation of a child that has children of its own.
    pub fn merge_child(&self, acc: &mut Accumulator, child: Accumulator, child_name: &str) {
        for (s, a) in child.figures.into_iter().enumerate() {
            let Some(a) = a else { continue };
            let rule = self.meta[s].rule;
            if rule == Rollup::Own {
                continue;
            }
            let a = match a {
                Acc::Texts(t) => Acc::Texts(t.into_iter().map(|(u, x)| (u.or_else(|| Some(child_name.to_string())), x)).collect()),
                other => other,
            };
            acc.add(s as u32, a, rule);
        }
    }

    /// The compiled figures as report entries, in catalogue order, totals before splits.
    pub fn entries(&self, acc: Accumulator) -> Vec<Entry> {
        let mut figures: Vec<(usize, Acc)> = acc.figures.into_iter().enumerate().filter_map(|(s, a)| Some((s, a?))).collect();
        figures.sort_by(|(a, _), (b, _)| {
            let (ka, kb) = (&self.keys[*a], &self.keys[*b]);
            (self.meta[*a].indicator, ka.split.len(), &ka.split).cmp(&(self.meta[*b].indicator, kb.split.len(), &kb.split))
        });
        figures.into_iter().map(|(s, a)| Entry::new(self.keys[s].clone(), to_value(a))).collect()
    }
}

impl Accumulator {
    fn add(&mut self, slot: u32, new: Acc, rule: Rollup) {
        let i = slot as usize;
        if self.figures.len() <= i {
            self.figures.resize(i + 1, None);
        }
        match &mut self.figures[i] {
            Some(existing) => combine(existing, new, rule),
            empty => *empty = Some(new),
        }
    }
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
        Acc::Texts(t) => {
            Value::Text(t.into_iter().map(|(u, s)| u.map_or(s.clone(), |u| format!("{u}: {s}"))).collect::<Vec<_>>().join("\n"))
        }
    }
}
