//! Roll-up (tổng hợp báo cáo): a parent's report compiled from its own report and its children's.
//!
//! The semantics come from each indicator's [`Rollup`] rule in the catalogue:
//! - counts and money sum;
//! - ratios are not compiled at all: they are recomputed from the summed numerator and
//!   denominator wherever they are shown, so they can never be averaged;
//! - yes/no becomes a tally, "n/m đơn vị"; choices are counted per option;
//! - `own` figures keep only the parent's own value, `max` the largest, texts are collected.
//!
//! A child's figure also lands in the parent's `level` split (cấp huyện, cấp xã) when the
//! indicator is split by level and the child did not split it itself: that is how a district's
//! "cấp xã" column is made from its communes. Children are compiled recursively, so any depth
//! works (province → district → commune before 1/7/2025, province → commune after).
//!
//! Completeness is part of the result: which units submitted, on time or late, and which are
//! missing.

mod accumulate;

use std::collections::HashMap;

use cchc_catalogue::Catalogue;
use cchc_periods::{DateRange, Period};
use cchc_report::{UnitRef, UnitReport};
use cchc_units::{Unit, UnitTree};
use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;

use accumulate::{Accumulator, Slots};

/// What a compilation needs.
pub struct Input<'a> {
    pub tree: &'a UnitTree,
    pub catalogue: &'a Catalogue,
    pub period: Period,
    /// The period's data window: only units that exist within it are expected to report.
    pub window: DateRange,
    /// Each unit's own report, for the units whose reports count (e.g. submitted or approved).
    pub reports: &'a HashMap<String, UnitReport>,
    /// When each report was submitted, for timeliness.
    pub submitted_on: &'a HashMap<String, NaiveDate>,
    /// The due date of the period's reports.
    pub due: NaiveDate,
}

/// Whether a unit's report arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Arrival {
    /// Đúng hạn.
    OnTime,
    /// Muộn.
    Late,
    /// Submitted with no date known.
    Undated,
    /// Chưa gửi.
    Missing,
}

impl Arrival {
    pub fn name_vi(self) -> &'static str {
        match self {
            Arrival::OnTime => "đúng hạn",
            Arrival::Late => "muộn",
            Arrival::Undated => "đã gửi",
            Arrival::Missing => "chưa gửi",
        }
    }
}

/// One expected report and whether it came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expected {
    pub code: String,
    pub name: String,
    /// The unit directly above, to group the list.
    pub parent: Option<String>,
    pub arrival: Arrival,
    pub submitted_on: Option<NaiveDate>,
}

/// Which reports of the subtree were counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Completeness {
    /// Every unit below the compiled one that should report, depth first.
    pub expected: Vec<Expected>,
}

impl Completeness {
    pub fn count(&self, arrival: Arrival) -> usize {
        self.expected.iter().filter(|e| e.arrival == arrival).count()
    }
    pub fn submitted(&self) -> usize {
        self.expected.len() - self.count(Arrival::Missing)
    }
    pub fn missing(&self) -> impl Iterator<Item = &Expected> {
        self.expected.iter().filter(|e| e.arrival == Arrival::Missing)
    }
}

/// A compiled report and its completeness.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    pub report: UnitReport,
    pub completeness: Completeness,
    /// The figures that units below contributed to: compiled, not the unit's own.
    pub from_below: Vec<cchc_report::Key>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RollupError {
    #[error("Không tìm thấy đơn vị {0}")]
    UnknownUnit(String),
    /// A sum that does not fit in a figure (an `i64` count, a decimal of 28 digits): named with
    /// the unit being compiled, never wrapped to a negative number nor a panic.
    #[error(
        "Không tổng hợp được báo cáo của {unit}: tổng của chỉ tiêu {code} \"{name}\" vượt quá giới hạn của một số liệu; kiểm tra số liệu chỉ tiêu này của các đơn vị báo cáo."
    )]
    Overflow { unit: String, code: String, name: String },
}

/// Compiles the report of `unit` for the period from its own report and its subtree's.
///
/// Around a reorganisation (the 2025 mergers), a unit is expected to report for a period when it
/// still exists at the end of the period's window; a unit that ended within the window by
/// merging into another (or being renamed) is reported for by its successor, whose compiled
/// figures include the reports of the units it absorbed during the window.
pub fn compile(unit: &str, input: &Input<'_>) -> Result<Compiled, RollupError> {
    let target = input.tree.get(unit).ok_or_else(|| RollupError::UnknownUnit(unit.to_string()))?;
    let mut completeness = Completeness::default();
    let mut slots = Slots::new(input.catalogue);
    let acc = compile_unit(target, input, &mut slots, &mut completeness);
    if let Some(slot) = acc.overflow() {
        let (code, name) = slots.indicator_of(slot);
        return Err(RollupError::Overflow { unit: target.name.clone(), code: code.to_string(), name: name.to_string() });
    }
    let from_below: Vec<cchc_report::Key> = slots.keys_of(acc.slots_from_below());
    let mut report = UnitReport::new(&input.catalogue.meta.reference(), unit_ref(target, input.tree), input.period);
    report.window = Some(input.window);
    report.entries = slots.entries(acc);
    if let Some(own) = input.reports.get(unit) {
        report.document = own.document.clone();
        report.narrative = own.narrative.clone();
    }
    Ok(Compiled { report, completeness, from_below })
}

fn compile_unit(unit: &Unit, input: &Input<'_>, slots: &mut Slots<'_>, completeness: &mut Completeness) -> Accumulator {
    let mut below = Accumulator::default();
    for child in input.tree.children_in(&unit.code, input.window.from, input.window.to) {
        if reported_by_successor(child, input) {
            continue;
        }
        // A unit that ended within the window without a successor reporting for it is not
        // expected to report; what it did report is compiled all the same.
        if child.is_valid_on(input.window.to) || input.reports.contains_key(&child.code) {
            completeness.expected.push(expected(child, input));
        }
        if input.tree.all_children(&child.code).next().is_some() {
            let sub = compile_unit(child, input, slots, completeness);
            slots.merge_child(&mut below, sub, &child.name);
        } else {
            add_leaf(child, input, slots, &mut below);
        }
    }
    for absorbed in absorbed_in_window(&unit.code, input) {
        if let Some(r) = input.reports.get(&absorbed.code) {
            slots.add_child(&mut below, r, &absorbed.name, input.tree.level_of(&absorbed.code));
        }
    }
    let mut acc = Accumulator::default();
    if let Some(own) = input.reports.get(&unit.code) {
        slots.add_own(&mut acc, own, input.tree.level_of(&unit.code), &below);
    }
    acc.absorb(below, slots);
    acc
}

/// Adds a leaf unit's report and those of the units it absorbed during the window.
fn add_leaf(child: &Unit, input: &Input<'_>, slots: &mut Slots<'_>, acc: &mut Accumulator) {
    if let Some(r) = input.reports.get(&child.code) {
        slots.add_child(acc, r, &child.name, input.tree.level_of(&child.code));
    }
    for absorbed in absorbed_in_window(&child.code, input) {
        if let Some(r) = input.reports.get(&absorbed.code) {
            slots.add_child(acc, r, &absorbed.name, input.tree.level_of(&absorbed.code));
        }
    }
}

/// Whether `unit` ended within the window by merging into (or becoming) a unit that exists at
/// its end: that successor reports for it.
fn reported_by_successor(unit: &Unit, input: &Input<'_>) -> bool {
    unit.valid_to.is_some_and(|end| end < input.window.to)
        && input.tree.lineage().edges.iter().any(|e| e.from == unit.code && e.kind.carries_on_whole() && in_window(e.date, input))
}

/// The units merged into (or renamed as) `code` during the window that existed within it.
fn absorbed_in_window<'a>(code: &str, input: &Input<'a>) -> Vec<&'a Unit> {
    let (from, to) = (input.window.from, input.window.to);
    input.tree.absorbed_between(code, from, to).into_iter().filter(|u| u.overlaps(from, to)).collect()
}

/// Whether a change of units on `day` (the first day of the new unit) falls within the window.
fn in_window(day: NaiveDate, input: &Input<'_>) -> bool {
    input.window.from < day && day <= input.window.to
}

fn expected(unit: &Unit, input: &Input<'_>) -> Expected {
    let submitted_on = input.submitted_on.get(&unit.code).copied();
    let arrival = match (input.reports.contains_key(&unit.code), submitted_on) {
        (false, _) => Arrival::Missing,
        (true, None) => Arrival::Undated,
        (true, Some(d)) if d <= input.due => Arrival::OnTime,
        (true, Some(_)) => Arrival::Late,
    };
    Expected { code: unit.code.clone(), name: unit.name.clone(), parent: unit.parent.clone(), arrival, submitted_on }
}

fn unit_ref(unit: &Unit, tree: &UnitTree) -> UnitRef {
    UnitRef {
        code: unit.code.clone(),
        name: unit.name.clone(),
        kind: unit.kind,
        parent: unit.parent.as_deref().and_then(|p| tree.get(p)).map(|p| Box::new(unit_ref(p, tree))),
    }
}

#[cfg(test)]
mod tests;
