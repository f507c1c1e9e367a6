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
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RollupError {
    #[error("Không tìm thấy đơn vị {0}")]
    UnknownUnit(String),
}

/// Compiles the report of `unit` for the period from its own report and its subtree's.
pub fn compile(unit: &str, input: &Input<'_>) -> Result<Compiled, RollupError> {
    let target = input.tree.get(unit).ok_or_else(|| RollupError::UnknownUnit(unit.to_string()))?;
    let mut completeness = Completeness::default();
    let mut slots = Slots::new(input.catalogue);
    let acc = compile_unit(target, input, &mut slots, &mut completeness);
    let mut report = UnitReport::new(&input.catalogue.meta.reference(), unit_ref(target, input.tree), input.period);
    report.window = Some(input.window);
    report.entries = slots.entries(acc);
    if let Some(own) = input.reports.get(unit) {
        report.document = own.document.clone();
        report.narrative = own.narrative.clone();
    }
    Ok(Compiled { report, completeness })
}

fn compile_unit(unit: &Unit, input: &Input<'_>, slots: &mut Slots<'_>, completeness: &mut Completeness) -> Accumulator {
    let mut acc = Accumulator::default();
    let level = input.tree.level_of(&unit.code);
    if let Some(own) = input.reports.get(&unit.code) {
        slots.add_own(&mut acc, own, level);
    }
    for child in input.tree.children_in(&unit.code, input.window.from, input.window.to) {
        completeness.expected.push(expected(child, input));
        if input.tree.all_children(&child.code).next().is_some() {
            let sub = compile_unit(child, input, slots, completeness);
            slots.merge_child(&mut acc, sub, &child.name);
        } else if let Some(r) = input.reports.get(&child.code) {
            slots.add_child(&mut acc, r, &child.name, input.tree.level_of(&child.code));
        }
    }
    acc
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
