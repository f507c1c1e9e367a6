//! The demo province's unit file is a valid hierarchy whose 2025 mergers can be followed back.

use cchc_units::{Level, Lineage, LineageEdge, Unit, UnitTree};
use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Deserialize)]
struct UnitsFile {
    units: Vec<Unit>,
    lineage: Vec<LineageEdge>,
}

fn demo() -> UnitTree {
    let file: UnitsFile = serde_json::from_str(include_str!("../../../data/demo/units.json")).unwrap();
    UnitTree::new(file.units, Lineage { edges: file.lineage }).unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn three_levels_before_july_2025_and_two_after() {
    let t = demo();
    let before: Vec<String> = t.children_in("99", d(2023, 12, 15), d(2024, 12, 14)).iter().map(|u| u.code.clone()).collect();
    assert!(before.contains(&"991".to_string()) && !before.contains(&"99101N".to_string()));
    let after: Vec<String> = t.children_in("99", d(2025, 12, 15), d(2026, 6, 14)).iter().map(|u| u.code.clone()).collect();
    assert!(after.contains(&"99103N".to_string()) && !after.contains(&"991".to_string()));
    assert_eq!(t.level_of("991-NV"), Some(Level::Huyen));
    assert_eq!(t.level_of("99103N"), Some(Level::Xa));
}

#[test]
fn a_merged_commune_is_compared_with_the_communes_it_came_from() {
    let t = demo();
    let pre: Vec<String> = t.predecessors_on("99103N", d(2024, 6, 14)).into_iter().collect();
    assert_eq!(pre, vec!["99103", "99104", "99105"]);
}
