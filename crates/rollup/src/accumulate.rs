//! The running sums of a compilation.
//!
//! Figures are interned into slots once per compilation (one hash lookup per figure, with a fast
//! hasher), and the sums live in plain vectors indexed by slot: a province of 3.321 communes has
//! millions of figures, so the per-figure work must stay tiny.

use std::collections::BTreeMap;

use cchc_catalogue::{Catalogue, Kind, Rollup};
use cchc_report::{Entry, Key, UnitReport, Value};
use cchc_units::Level;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

const NONE: u32 = u32::MAX;

/// The split dimension of levels of government (cấp tỉnh, huyện, xã).
const LEVEL: &str = "level";

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
    /// A percentage some units stated without the counts it is made of: how many units did. It
    /// cannot be compiled, and is shown as "n/m đơn vị báo cáo" rather than dropped.
    StatedOnly(u32),
}

struct SlotMeta {
    rule: Rollup,
    indicator: usize,
    /// The indicator is split by level (cấp).
    by_level: bool,
    /// A percentage (a ratio of counts, or typed): what a unit states of it is only counted.
    percentage: bool,
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

/// Sums of figures for one unit's compilation, indexed by slot.
#[derive(Default)]
pub struct Accumulator {
    figures: Vec<Option<Acc>>,
    /// Per slot, whether a unit below the compiled one contributed to it.
    below: Vec<bool>,
    /// How many reports were added (the m of "n/m đơn vị báo cáo").
    pub reports: u32,
    /// The first slot whose sum overflowed.
    overflow: Option<u32>,
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
        let by_level = ind.splits.iter().any(|d| d == LEVEL);
        self.meta.push(SlotMeta {
            rule: ind.rollup_rule(),
            indicator,
            by_level,
            percentage: matches!(ind.kind, Kind::Ratio { .. } | Kind::Percent),
            wants_level: by_level && !key.split.contains_key(LEVEL),
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
        key.split.insert(LEVEL.into(), level.slug().into());
        let s = self.slot(&key).expect("same indicator");
        self.meta[slot as usize].at_level[i] = s;
        s
    }

    /// The figures of a report as slots, the first statement of each key only; claims with a
    /// qualifier ("trên 80%") are not figures.
    fn figures_of<'r>(&mut self, report: &'r UnitReport) -> Vec<(u32, &'r Value)> {
        self.report_no += 1;
        let no = self.report_no;
        let mut out = Vec::new();
        for (i, e) in report.entries.iter().enumerate() {
            let Some(value) = e.value.as_ref().filter(|_| e.qualifier.is_none()) else { continue };
            let Some(s) = self.slot_at(i, &e.key) else { continue };
            if self.seen[s as usize] == no {
                continue;
            }
            self.seen[s as usize] = no;
            if self.keys[s as usize].split.contains_key(LEVEL) {
                let ind = self.meta[s as usize].indicator;
                self.level_split[ind] = no;
            }
            out.push((s, value));
        }
        out
    }

    /// Adds a child's own report (a leaf of the subtree, or a unit it absorbed).
    pub fn add_child(&mut self, acc: &mut Accumulator, report: &UnitReport, child_name: &str, level: Option<Level>) {
        acc.reports += 1;
        let figures = self.figures_of(report);
        let stated = StatedKeys::of(report);
        let no = self.report_no;
        for (s, value) in figures {
            let m = &self.meta[s as usize];
            if m.rule == Rollup::Own {
                continue;
            }
            let (rule, wants_level, ind) = (m.rule, m.wants_level, m.indicator);
            let Some(a) = self.to_acc(s, value, Some(child_name), &stated) else { continue };
            if let Some(l) = level.filter(|_| wants_level && self.level_split[ind] != no) {
                let ls = self.level_slot(s, l);
                acc.add(ls, a.clone(), rule, true);
            }
            acc.add(s, a, rule, true);
        }
    }

    /// Adds the compiled unit's own report, given what the units below it contributed (`below`).
    ///
    /// The own report of a district states its own level's figures (cấp huyện) and often, for the
    /// same figure, its communes' (cấp xã) and the total, as real reports do; or only some of
    /// these. For a sum split by level, the own part of each total is worked out from what the
    /// report states: its own level, and the other levels that no unit below contributes to
    /// (where units below contribute, their compiled figures replace the report's statement of
    /// them); a total stated alone counts at the unit's own level. So the compiled total is always
    /// the compiled levels' sum, however the report was split.
    pub fn add_own(&mut self, acc: &mut Accumulator, report: &UnitReport, level: Option<Level>, below: &Accumulator) {
        acc.reports += 1;
        let figures = self.figures_of(report);
        let stated = StatedKeys::of(report);
        let no = self.report_no;
        // Per key without its level: the stated total and the stated levels.
        let mut groups: Vec<(u32, OwnGroup)> = Vec::new();
        for (s, value) in figures {
            let m = &self.meta[s as usize];
            let (rule, by_level, wants_level, ind) = (m.rule, m.by_level, m.wants_level, m.indicator);
            let Some(a) = self.to_acc(s, value, None, &stated) else { continue };
            if rule != Rollup::Sum || !by_level || level.is_none() {
                if let Some(l) = level.filter(|_| wants_level && self.level_split[ind] != no) {
                    let ls = self.level_slot(s, l);
                    acc.add(ls, a.clone(), rule, false);
                }
                acc.add(s, a, rule, false);
                continue;
            }
            let key = self.keys[s as usize].clone();
            let at = key.split.get(LEVEL).and_then(|l| Level::from_slug(l));
            let base = if key.split.contains_key(LEVEL) {
                let mut k = key.clone();
                k.split.remove(LEVEL);
                self.slot(&k).expect("same indicator")
            } else {
                s
            };
            let i = match groups.iter().position(|(b, _)| *b == base) {
                Some(i) => i,
                None => {
                    groups.push((base, OwnGroup::default()));
                    groups.len() - 1
                }
            };
            match at {
                None if key.split.contains_key(LEVEL) => {} // an unknown level: the catalogue check refuses it
                None => groups[i].1.total = Some(a),
                Some(l) => groups[i].1.levels.push((l, s, a)),
            }
        }
        // Figures are grouped only for a unit with a level; a unit without one has no groups.
        let Some(own_level) = level else { return };
        for (base, g) in groups {
            self.add_own_group(acc, base, g, own_level, below);
        }
    }

    fn add_own_group(&mut self, acc: &mut Accumulator, base: u32, g: OwnGroup, own_level: Level, below: &Accumulator) {
        if g.levels.is_empty() {
            if let Some(t) = g.total {
                let ls = self.level_slot(base, own_level);
                acc.add(ls, t.clone(), Rollup::Sum, false);
                acc.add(base, t, Rollup::Sum, false);
            }
            return;
        }
        let own_level_stated = g.levels.iter().any(|(l, _, _)| *l == own_level);
        let (mut kept, mut replaced): (Option<Acc>, Option<Acc>) = (None, None);
        for (l, s, a) in g.levels {
            let into = if l != own_level && below.contributed(s) {
                &mut replaced
            } else {
                acc.add(s, a.clone(), Rollup::Sum, false);
                &mut kept
            };
            *into = add_to(into.take(), &a, acc, base);
        }
        let Some(total) = g.total else {
            if let Some(k) = kept {
                acc.add(base, k, Rollup::Sum, false);
            }
            return;
        };
        // A total stated with only some of its levels: the rest is the unit's own level.
        if !own_level_stated {
            let stated = add_to(kept.clone(), replaced.as_ref().unwrap_or(&Acc::Int(0)), acc, base);
            if let Some(rest) = stated.and_then(|st| minus(&total, &st)).filter(|r| !is_zero(r)) {
                let ls = self.level_slot(base, own_level);
                kept = add_to(kept, &rest, acc, base);
                acc.add(ls, rest, Rollup::Sum, false);
            }
        }
        // The stated total less what the units below now stand for; the kept levels' sum when the
        // total falls short of its own parts.
        let own_part = match &replaced {
            Some(r) => minus(&total, r),
            None => Some(total),
        };
        if let Some(t) = own_part.or(kept) {
            acc.add(base, t, Rollup::Sum, false);
        }
    }

    /// Merges the compilation of a child that has children of its own.
    pub fn merge_child(&self, acc: &mut Accumulator, child: Accumulator, child_name: &str) {
        acc.reports += child.reports;
        acc.overflow = acc.overflow.or(child.overflow);
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
            acc.add(s as u32, a, rule, true);
        }
    }

    /// The compiled figures as report entries, in catalogue order, totals before splits. A
    /// percentage units stated without its counts is an entry with no value and a note
    /// "n/m đơn vị báo cáo …", `m` being the reports compiled.
    pub fn entries(&self, acc: Accumulator) -> Vec<Entry> {
        let m = acc.reports;
        let mut figures: Vec<(usize, Acc)> = acc.figures.into_iter().enumerate().filter_map(|(s, a)| Some((s, a?))).collect();
        figures.sort_by(|(a, _), (b, _)| {
            let (ka, kb) = (&self.keys[*a], &self.keys[*b]);
            (self.meta[*a].indicator, ka.split.len(), &ka.split).cmp(&(self.meta[*b].indicator, kb.split.len(), &kb.split))
        });
        figures
            .into_iter()
            .map(|(s, a)| match a {
                Acc::StatedOnly(n) => Entry {
                    key: self.keys[s].clone(),
                    value: None,
                    qualifier: None,
                    note: Some(format!("{n}/{m} đơn vị báo cáo tỷ lệ này nhưng không kèm số liệu để tính")),
                    source: None,
                },
                other => Entry::new(self.keys[s].clone(), to_value(other)),
            })
            .collect()
    }

    /// The keys of slots.
    pub fn keys_of(&self, slots: impl Iterator<Item = u32>) -> Vec<Key> {
        slots.map(|s| self.keys[s as usize].clone()).collect()
    }

    /// The indicator code and name of a slot, for messages.
    pub fn indicator_of(&self, slot: u32) -> (&str, &str) {
        let ind = &self.catalogue.indicators[self.meta[slot as usize].indicator];
        (&ind.code, &ind.name)
    }

    /// What a unit's statement of a figure adds: `None` when it is not compiled.
    fn to_acc(&self, slot: u32, value: &Value, from: Option<&str>, stated: &StatedKeys<'_>) -> Option<Acc> {
        let m = &self.meta[slot as usize];
        if m.percentage {
            let ind = &self.catalogue.indicators[m.indicator];
            let split = &self.keys[slot as usize].split;
            let has_counts = match &ind.kind {
                Kind::Ratio { numerator, denominator } => stated.has(numerator, split) && stated.has(denominator, split),
                _ => false,
            };
            return (!has_counts && value.number().is_some()).then_some(Acc::StatedOnly(1));
        }
        to_acc(value, m.rule, from)
    }
}

/// A key without its level, in a compiled unit's own report.
#[derive(Default)]
struct OwnGroup {
    total: Option<Acc>,
    levels: Vec<(Level, u32, Acc)>,
}

/// The keys a report states a value for, to see whether a stated percentage comes with its
/// counts; made on first use (most reports state few percentages, some none).
struct StatedKeys<'r> {
    report: &'r UnitReport,
    keys: std::cell::OnceCell<rustc_hash::FxHashSet<(&'r str, &'r cchc_report::Split)>>,
}

impl<'r> StatedKeys<'r> {
    fn of(report: &'r UnitReport) -> Self {
        StatedKeys { report, keys: std::cell::OnceCell::new() }
    }
    fn has(&self, code: &str, split: &cchc_report::Split) -> bool {
        let keys = self.keys.get_or_init(|| {
            self.report
                .entries
                .iter()
                .filter(|e| e.value.is_some() && e.qualifier.is_none())
                .map(|e| (e.key.code.as_str(), &e.key.split))
                .collect()
        });
        keys.contains(&(code, split))
    }
}

impl Accumulator {
    fn add(&mut self, slot: u32, new: Acc, rule: Rollup, from_below: bool) {
        let i = slot as usize;
        if self.figures.len() <= i {
            self.figures.resize(i + 1, None);
            self.below.resize(i + 1, false);
        }
        self.below[i] |= from_below;
        match &mut self.figures[i] {
            Some(existing) => {
                if combine(existing, new, rule).is_none() {
                    self.overflow = self.overflow.or(Some(slot));
                }
            }
            empty => *empty = Some(new),
        }
    }

    /// Whether a unit below contributed to the slot.
    fn contributed(&self, slot: u32) -> bool {
        self.below.get(slot as usize).copied().unwrap_or(false)
    }

    /// The slots a unit below contributed to.
    pub fn slots_from_below(&self) -> impl Iterator<Item = u32> + '_ {
        self.below.iter().enumerate().filter(|(_, b)| **b).map(|(s, _)| s as u32)
    }

    /// The first slot whose sum does not fit.
    pub fn overflow(&self) -> Option<u32> {
        self.overflow
    }

    /// Adds what the units below contributed (`below`) to this, the unit's own figures.
    pub fn absorb(&mut self, below: Accumulator, slots: &Slots<'_>) {
        self.reports += below.reports;
        self.overflow = self.overflow.or(below.overflow);
        for (s, a) in below.figures.into_iter().enumerate() {
            if let Some(a) = a {
                self.add(s as u32, a, slots.meta[s].rule, below.below.get(s).copied().unwrap_or(false));
            }
        }
    }
}

fn to_acc(value: &Value, rule: Rollup, from: Option<&str>) -> Option<Acc> {
    Some(match (rule, value) {
        (Rollup::Sum | Rollup::Own | Rollup::Max, Value::Int(n)) => Acc::Int(*n),
        (Rollup::Sum | Rollup::Own | Rollup::Max, Value::Dec(d)) => Acc::Dec(*d),
        (Rollup::CountYes, Value::Bool(b)) => Acc::Tally { yes: *b as u32, of: 1 },
        (Rollup::CountYes, Value::Tally { yes, of }) => Acc::Tally { yes: *yes, of: *of },
        (Rollup::CountOptions, Value::Choice(c)) => Acc::Options(BTreeMap::from([(*c, 1)])),
        (Rollup::CountOptions, Value::OptionCounts(m)) => Acc::Options(m.clone()),
        (Rollup::Concat, Value::Text(t)) => Acc::Texts(vec![(from.map(str::to_string), t.clone())]),
        // Ratios are recomputed where shown; typed percentages cannot be compiled.
        _ => return None,
    })
}

/// Adds `new` into `existing`; `None` when the sum does not fit (the caller reports it).
fn combine(existing: &mut Acc, new: Acc, rule: Rollup) -> Option<()> {
    match (existing, new) {
        (Acc::Int(a), Acc::Int(b)) if rule == Rollup::Max => *a = (*a).max(b),
        (Acc::Int(a), Acc::Int(b)) => *a = a.checked_add(b)?,
        (Acc::Dec(a), Acc::Dec(b)) if rule == Rollup::Max => *a = (*a).max(b),
        (Acc::Dec(a), Acc::Dec(b)) => *a = a.checked_add(b)?,
        (Acc::Tally { yes, of }, Acc::Tally { yes: y, of: o }) => {
            *yes = yes.checked_add(y)?;
            *of = of.checked_add(o)?;
        }
        (Acc::Options(a), Acc::Options(b)) => {
            for (k, n) in b {
                let c = a.entry(k).or_default();
                *c = c.checked_add(n)?;
            }
        }
        (Acc::Texts(a), Acc::Texts(b)) => a.extend(b),
        (Acc::StatedOnly(a), Acc::StatedOnly(b)) => *a = a.checked_add(b)?,
        // Mixed kinds only arise from inconsistent input (an integer and a decimal for one
        // money figure): keep the sum exact in decimals.
        (slot, other) => {
            let sum = acc_number(slot).checked_add(acc_number(&other))?;
            *slot = Acc::Dec(sum);
        }
    }
    Some(())
}

/// `a + b` of two sums; `None` when it does not fit.
fn plus(a: &Acc, b: &Acc) -> Option<Acc> {
    let mut out = a.clone();
    combine(&mut out, b.clone(), Rollup::Sum)?;
    Some(out)
}

/// `sum + a`, recording an overflow at `slot`.
fn add_to(sum: Option<Acc>, a: &Acc, acc: &mut Accumulator, slot: u32) -> Option<Acc> {
    match sum {
        None => Some(a.clone()),
        Some(x) => plus(&x, a).or_else(|| {
            acc.overflow = acc.overflow.or(Some(slot));
            None
        }),
    }
}

fn is_zero(a: &Acc) -> bool {
    acc_number(a).is_zero()
}

/// `a − b` of two sums, when it is not negative.
fn minus(a: &Acc, b: &Acc) -> Option<Acc> {
    match (a, b) {
        (Acc::Int(x), Acc::Int(y)) => x.checked_sub(*y).filter(|d| *d >= 0).map(Acc::Int),
        _ => acc_number(a).checked_sub(acc_number(b)).filter(|d| !d.is_sign_negative()).map(Acc::Dec),
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
        Acc::StatedOnly(n) => Value::Int(i64::from(n)),
    }
}
