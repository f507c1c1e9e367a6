//! The unit hierarchy with its history, checked on construction.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use thiserror::Error;

use crate::{Level, Lineage, Unit, UnitCode};

/// Why a set of units does not form a valid hierarchy. Messages are Vietnamese: they reach users.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UnitTreeError {
    #[error("Mã đơn vị {0} bị trùng")]
    DuplicateCode(UnitCode),
    #[error("Đơn vị {child}: đơn vị cấp trên {parent} không tồn tại")]
    UnknownParent { child: UnitCode, parent: UnitCode },
    #[error("Đơn vị {0} nằm trong một vòng lặp cấp trên – cấp dưới")]
    Cycle(UnitCode),
    #[error("Đơn vị {0}: ngày bắt đầu hiệu lực sau ngày hết hiệu lực")]
    BadValidity(UnitCode),
    #[error("Lịch sử đơn vị nhắc tới mã {0} không có trong danh sách đơn vị")]
    UnknownInLineage(UnitCode),
}

/// All units of an installation (usually one province, possibly several) and their lineage.
///
/// Invariants checked by [`UnitTree::new`]: codes are unique, every parent exists, there is no
/// cycle, validity ranges are ordered and the lineage names only known units.
#[derive(Debug, Clone, Default)]
pub struct UnitTree {
    units: BTreeMap<UnitCode, Unit>,
    children: BTreeMap<UnitCode, Vec<UnitCode>>,
    lineage: Lineage,
}

impl UnitTree {
    pub fn new(units: Vec<Unit>, lineage: Lineage) -> Result<Self, UnitTreeError> {
        let mut map = BTreeMap::new();
        for u in units {
            if matches!((u.valid_from, u.valid_to), (Some(f), Some(t)) if f > t) {
                return Err(UnitTreeError::BadValidity(u.code));
            }
            if map.contains_key(&u.code) {
                return Err(UnitTreeError::DuplicateCode(u.code));
            }
            map.insert(u.code.clone(), u);
        }
        let mut children: BTreeMap<UnitCode, Vec<UnitCode>> = BTreeMap::new();
        for u in map.values() {
            if let Some(p) = &u.parent {
                if !map.contains_key(p) {
                    return Err(UnitTreeError::UnknownParent { child: u.code.clone(), parent: p.clone() });
                }
                children.entry(p.clone()).or_default().push(u.code.clone());
            }
        }
        for code in map.keys() {
            check_no_cycle(&map, code)?;
        }
        if let Some(unknown) = lineage.codes().keys().find(|c| !map.contains_key(**c)) {
            return Err(UnitTreeError::UnknownInLineage(unknown.to_string()));
        }
        Ok(UnitTree { units: map, children, lineage })
    }

    pub fn get(&self, code: &str) -> Option<&Unit> {
        self.units.get(code)
    }

    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.units.values()
    }

    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    pub fn lineage(&self) -> &Lineage {
        &self.lineage
    }

    /// Direct children of `code` that exist at some time within `from..=to`.
    pub fn children_in(&self, code: &str, from: NaiveDate, to: NaiveDate) -> Vec<&Unit> {
        self.all_children(code).filter(|u| u.overlaps(from, to)).collect()
    }

    /// Direct children of `code`, whatever their validity.
    pub fn all_children<'a>(&'a self, code: &str) -> impl Iterator<Item = &'a Unit> + 'a {
        self.children.get(code).into_iter().flatten().filter_map(|c| self.units.get(c))
    }

    /// `code` and every unit below it, depth first, parents before children.
    pub fn subtree(&self, code: &str) -> Vec<&Unit> {
        let mut out = Vec::new();
        let mut stack: Vec<&str> = vec![code];
        while let Some(c) = stack.pop() {
            if let Some(u) = self.units.get(c) {
                out.push(u);
                if let Some(kids) = self.children.get(c) {
                    stack.extend(kids.iter().rev().map(String::as_str));
                }
            }
        }
        out
    }

    /// The chain of ancestors of `code`, nearest first.
    pub fn ancestors(&self, code: &str) -> Vec<&Unit> {
        let mut out = Vec::new();
        let mut cur = self.units.get(code).and_then(|u| u.parent.as_deref());
        while let Some(p) = cur {
            match self.units.get(p) {
                Some(u) => {
                    out.push(u);
                    cur = u.parent.as_deref();
                }
                None => break,
            }
        }
        out
    }

    /// Whether `code` is `ancestor` or lies below it.
    pub fn is_within(&self, code: &str, ancestor: &str) -> bool {
        code == ancestor || self.ancestors(code).iter().any(|u| u.code == ancestor)
    }

    /// The level of government of a unit: its own for territorial units, otherwise that of the
    /// nearest territorial ancestor (a district's phòng counts at cấp huyện).
    pub fn level_of(&self, code: &str) -> Option<Level> {
        let unit = self.units.get(code)?;
        unit.kind.territorial_level().or_else(|| self.ancestors(code).iter().find_map(|u| u.kind.territorial_level()))
    }

    /// The units whose figures on `day` make up what `code` is now. A unit that existed on `day`
    /// stands for itself; one created later (by merger or split) stands for the units it came
    /// from, followed back through the lineage.
    pub fn predecessors_on(&self, code: &str, day: NaiveDate) -> BTreeSet<UnitCode> {
        let mut out = BTreeSet::new();
        let mut seen = BTreeSet::new();
        let mut stack = vec![code.to_string()];
        while let Some(c) = stack.pop() {
            if !seen.insert(c.clone()) {
                continue;
            }
            if self.units.get(&c).is_some_and(|u| u.is_valid_on(day)) {
                out.insert(c.clone());
            }
            stack.extend(self.lineage.into_after(&c, day).map(|e| e.from.clone()));
        }
        out
    }

    /// The units merged into (or renamed as) `code` by a change of units on a day within
    /// `after..=until` (the day the new unit begins), followed back through the lineage: whose
    /// figures of that time `code` carries on. A split is not followed: an old unit split in two
    /// is carried on by neither as a whole.
    pub fn absorbed_between(&self, code: &str, after: NaiveDate, until: NaiveDate) -> Vec<&Unit> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        let mut stack = vec![code.to_string()];
        while let Some(c) = stack.pop() {
            let edges = self.lineage.edges.iter().filter(|e| e.to == c && e.date > after && e.date <= until && e.kind.carries_on_whole());
            for e in edges {
                if !seen.insert(e.from.clone()) {
                    continue;
                }
                if let Some(u) = self.units.get(&e.from) {
                    out.push(u);
                }
                stack.push(e.from.clone());
            }
        }
        out
    }

    /// The units that `code` (as it was on `day`) has become since: the inverse of
    /// [`Self::predecessors_on`].
    pub fn successors_after(&self, code: &str, day: NaiveDate) -> BTreeSet<UnitCode> {
        let mut out = BTreeSet::new();
        let mut seen = BTreeSet::new();
        let mut stack = vec![code.to_string()];
        while let Some(c) = stack.pop() {
            if !seen.insert(c.clone()) {
                continue;
            }
            let later: Vec<String> = self.lineage.out_of_after(&c, day).map(|e| e.to.clone()).collect();
            let still_exists = self.units.get(&c).is_some_and(|u| u.valid_to.is_none());
            if later.is_empty() || still_exists {
                out.insert(c.clone());
            }
            stack.extend(later);
        }
        out
    }
}

fn check_no_cycle(map: &BTreeMap<UnitCode, Unit>, start: &str) -> Result<(), UnitTreeError> {
    let mut seen = BTreeSet::new();
    let mut cur = Some(start);
    while let Some(c) = cur {
        if !seen.insert(c) {
            return Err(UnitTreeError::Cycle(start.to_string()));
        }
        cur = map.get(c).and_then(|u| u.parent.as_deref());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LineageEdge, LineageKind, UnitKind};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn unit(code: &str, kind: UnitKind, parent: Option<&str>) -> Unit {
        Unit { code: code.into(), name: code.into(), kind, parent: parent.map(Into::into), valid_from: None, valid_to: None, issuer: None }
    }

    /// A province with a district of three communes, two of which merged on 1/7/2025 into a
    /// new commune directly under the province (the district was abolished that day).
    fn merged_tree() -> UnitTree {
        let mut units = vec![
            unit("P", UnitKind::Tinh, None),
            unit("D", UnitKind::Huyen, Some("P")),
            unit("A", UnitKind::Xa, Some("D")),
            unit("B", UnitKind::Xa, Some("D")),
            unit("C", UnitKind::ThiTran, Some("D")),
            unit("D-NV", UnitKind::CoQuanChuyenMon, Some("D")),
            unit("N", UnitKind::Xa, Some("P")),
        ];
        for u in units.iter_mut().filter(|u| ["D", "A", "B", "D-NV"].contains(&u.code.as_str())) {
            u.valid_to = Some(d(2025, 6, 30));
        }
        units.iter_mut().find(|u| u.code == "N").unwrap().valid_from = Some(d(2025, 7, 1));
        let edge =
            |from: &str| LineageEdge { from: from.into(), to: "N".into(), kind: LineageKind::MergedInto, date: d(2025, 7, 1), basis: None };
        UnitTree::new(units, Lineage { edges: vec![edge("A"), edge("B")] }).unwrap()
    }

    #[test]
    fn levels_follow_the_territorial_ancestor() {
        let t = merged_tree();
        assert_eq!(t.level_of("P"), Some(Level::Tinh));
        assert_eq!(t.level_of("C"), Some(Level::Xa));
        assert_eq!(t.level_of("D-NV"), Some(Level::Huyen));
    }

    #[test]
    fn children_respect_validity() {
        let t = merged_tree();
        let before: Vec<_> = t.children_in("P", d(2024, 1, 1), d(2024, 12, 31)).iter().map(|u| u.code.clone()).collect();
        assert_eq!(before, vec!["D"]);
        let after: Vec<_> = t.children_in("P", d(2025, 12, 15), d(2026, 6, 14)).iter().map(|u| u.code.clone()).collect();
        assert_eq!(after, vec!["N"]);
        assert_eq!(t.subtree("D").len(), 5);
        assert!(t.is_within("A", "P"));
        assert!(!t.is_within("N", "D"));
    }

    #[test]
    fn a_successor_absorbs_the_merged_units_only_for_a_change_within_the_window() {
        let t = merged_tree();
        let codes = |v: Vec<&Unit>| v.into_iter().map(|u| u.code.clone()).collect::<Vec<_>>();
        let mut year = codes(t.absorbed_between("N", d(2024, 12, 14), d(2025, 12, 14)));
        year.sort();
        assert_eq!(year, vec!["A", "B"]);
        assert!(t.absorbed_between("N", d(2025, 12, 14), d(2026, 12, 14)).is_empty(), "the merger is before the window");
        assert!(t.absorbed_between("N", d(2023, 12, 14), d(2024, 12, 14)).is_empty(), "the merger is after the window");
        let mut split = merged_tree();
        split.lineage.edges.iter_mut().for_each(|e| e.kind = LineageKind::SplitFrom);
        assert!(split.absorbed_between("N", d(2024, 12, 14), d(2025, 12, 14)).is_empty(), "a split is not carried on whole");
    }

    #[test]
    fn lineage_finds_predecessors_across_a_merger() {
        let t = merged_tree();
        let pre: Vec<_> = t.predecessors_on("N", d(2024, 6, 14)).into_iter().collect();
        assert_eq!(pre, vec!["A", "B"]);
        // A unit that did not change is its own predecessor.
        let same: Vec<_> = t.predecessors_on("C", d(2024, 6, 14)).into_iter().collect();
        assert_eq!(same, vec!["C"]);
        let succ: Vec<_> = t.successors_after("A", d(2024, 6, 14)).into_iter().collect();
        assert_eq!(succ, vec!["N"]);
    }

    #[test]
    fn bad_trees_are_refused_in_vietnamese() {
        let err = UnitTree::new(vec![unit("X", UnitKind::Xa, Some("Z"))], Lineage::default()).unwrap_err();
        assert_eq!(err.to_string(), "Đơn vị X: đơn vị cấp trên Z không tồn tại");
        let dup = UnitTree::new(vec![unit("X", UnitKind::Xa, None), unit("X", UnitKind::Xa, None)], Lineage::default());
        assert!(matches!(dup, Err(UnitTreeError::DuplicateCode(_))));
        let mut a = unit("A", UnitKind::Xa, Some("B"));
        let b = unit("B", UnitKind::Xa, Some("A"));
        a.name = "A".into();
        assert!(matches!(UnitTree::new(vec![a, b], Lineage::default()), Err(UnitTreeError::Cycle(_))));
    }
}
