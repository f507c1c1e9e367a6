//! Comparison figures across a merger: the units that became today's unit each reported on their
//! own; their reports are added up (counts and money) so that "so với cùng kỳ" compares like
//! with like. Ratios are not added: the text and appendix recompute them from the summed parts.

use std::collections::BTreeMap;

use cchc_catalogue::{Catalogue, Kind};
use cchc_report::{Entry, Key, UnitRef, UnitReport, Value};
use rust_decimal::Decimal;

/// The predecessors' reports summed into one report of `unit` (`None` when there are none).
pub fn sum_reports(unit: &UnitRef, reports: &[UnitReport], catalogue: &Catalogue) -> Option<UnitReport> {
    let first = reports.first()?;
    if reports.len() == 1 {
        let mut r = first.clone();
        r.unit = unit.clone();
        return Some(r);
    }
    let mut sums: BTreeMap<Key, (Decimal, bool)> = BTreeMap::new();
    for r in reports {
        for (key, v) in r.values() {
            let Some(ind) = catalogue.indicator(&key.code) else { continue };
            let int = match (&ind.kind, v) {
                (Kind::Count, Value::Int(_)) => true,
                (Kind::Money, Value::Int(_) | Value::Dec(_)) => false,
                _ => continue,
            };
            let slot = sums.entry(key.clone()).or_insert((Decimal::ZERO, int));
            slot.0 += v.number().unwrap_or_default();
        }
    }
    let mut out = UnitReport::new(&first.catalogue, unit.clone(), first.period);
    out.entries = sums
        .into_iter()
        .map(|(key, (n, int))| {
            let value = if int { Value::Int(i64::try_from(n).unwrap_or_default()) } else { Value::Dec(n) };
            Entry::new(key, value)
        })
        .collect();
    Some(out)
}
