//! Comparison figures across a merger: the units that became today's unit each reported on their
//! own; their reports are added up (counts and money) so that "so với cùng kỳ" compares like
//! with like. Ratios are not added: the text and appendix recompute them from the summed parts.

use std::collections::BTreeMap;

use cchc_catalogue::{Catalogue, Kind};
use cchc_report::{Entry, Key, UnitRef, UnitReport, Value};
use rust_decimal::Decimal;

/// The predecessors' reports summed into one report of `unit` (`None` when there are none). A
/// sum that does not fit in a figure (an `i64` count, a decimal of 28 digits) is an entry
/// without a value whose note says so, so nothing is compared with it: never a panic, a wrapped
/// number or a 0.
pub fn sum_reports(unit: &UnitRef, reports: &[UnitReport], catalogue: &Catalogue) -> Option<UnitReport> {
    let first = reports.first()?;
    if reports.len() == 1 {
        let mut r = first.clone();
        r.unit = unit.clone();
        return Some(r);
    }
    // `None`: the sum went beyond a decimal.
    let mut sums: BTreeMap<Key, (Option<Decimal>, bool)> = BTreeMap::new();
    for r in reports {
        for (key, v) in r.values() {
            let Some(ind) = catalogue.indicator(&key.code) else { continue };
            let int = match (&ind.kind, v) {
                (Kind::Count, Value::Int(_)) => true,
                (Kind::Money, Value::Int(_) | Value::Dec(_)) => false,
                _ => continue,
            };
            let slot = sums.entry(key.clone()).or_insert((Some(Decimal::ZERO), int));
            slot.0 = slot.0.and_then(|sum| sum.checked_add(v.number().unwrap_or_default()));
        }
    }
    let mut out = UnitReport::new(&first.catalogue, unit.clone(), first.period);
    out.entries = sums
        .into_iter()
        .map(|(key, (n, int))| {
            let value = match n {
                Some(n) if int => i64::try_from(n).ok().map(Value::Int),
                n => n.map(Value::Dec),
            };
            match value {
                Some(v) => Entry::new(key, v),
                None => Entry {
                    key,
                    value: None,
                    qualifier: None,
                    note: Some(
                        "Tổng số liệu của các đơn vị trước khi sắp xếp vượt quá giới hạn của một số liệu; không so sánh chỉ tiêu này"
                            .into(),
                    ),
                    source: None,
                },
            }
        })
        .collect();
    Some(out)
}
