//! The units file (danh sách đơn vị, docs/units-format.md): `{ "units": [...], "lineage": [...] }`.
//! The one reader of it, for `cchc units import`, the administrators' page and the demo.

use serde::{Deserialize, Serialize};

use crate::{Lineage, LineageEdge, Unit, UnitTree, UnitTreeError};

/// Units and the lineage edges between them, as a file gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitsFile {
    pub units: Vec<Unit>,
    #[serde(default)]
    pub lineage: Vec<LineageEdge>,
}

impl UnitsFile {
    /// Reads the JSON text; a malformed one gets a Vietnamese message naming the line and column.
    pub fn parse(text: &str) -> Result<UnitsFile, String> {
        serde_json::from_str(text).map_err(|e| {
            let what = match e.classify() {
                serde_json::error::Category::Data => "một đơn vị hoặc quan hệ lịch sử thiếu trường, sai tên trường hoặc sai giá trị",
                serde_json::error::Category::Eof => "tệp bị cắt cụt",
                serde_json::error::Category::Syntax | serde_json::error::Category::Io => "không phải JSON hợp lệ",
            };
            format!("Tệp đơn vị không đúng định dạng (dòng {}, cột {}): {what}", e.line(), e.column())
        })
    }

    /// The hierarchy once this file is merged into `stored`: its units replace the stored units
    /// of the same code and its edges are added. Checked as a whole, as a store would hold it.
    pub fn merged_into(&self, stored: &UnitTree) -> Result<UnitTree, UnitTreeError> {
        let mut units: Vec<Unit> = stored.units().filter(|u| !self.units.iter().any(|n| n.code == u.code)).cloned().collect();
        units.extend(self.units.iter().cloned());
        let mut edges = stored.lineage().edges.clone();
        edges.extend(self.lineage.iter().filter(|e| !stored.lineage().edges.contains(e)).cloned());
        UnitTree::new(units, Lineage { edges })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_file_names_its_place_in_vietnamese() {
        let err = UnitsFile::parse("{\"units\": [{\"code\": 1}]}").unwrap_err();
        assert!(err.contains("dòng 1, cột"), "{err}");
        assert!(!err.contains("invalid type"), "{err}");
        assert!(UnitsFile::parse("{\"units\": [], \"lineage\": [], \"unitz\": 1}").is_err());
    }

    #[test]
    fn a_unit_may_state_its_issuer_with_its_break() {
        let text = r#"{"units": [{"code": "94-MYTU-HHN", "name": "Thị trấn Huỳnh Hữu Nghĩa", "kind": "thi-tran",
            "issuer": "ỦY BAN NHÂN DÂN\nTHỊ TRẤN HUỲNH HỮU NGHĨA"}]}"#;
        let file = UnitsFile::parse(text).unwrap();
        assert_eq!(file.units[0].issuer.as_deref(), Some("ỦY BAN NHÂN DÂN\nTHỊ TRẤN HUỲNH HỮU NGHĨA"));
        // Written back only when stated.
        let plain = UnitsFile::parse(r#"{"units": [{"code": "X1", "name": "Xã X", "kind": "xa"}]}"#).unwrap();
        assert!(!serde_json::to_string(&plain).unwrap().contains("issuer"));
    }

    #[test]
    fn merging_checks_the_whole_tree() {
        let stored = UnitTree::new(Vec::new(), Lineage::default()).unwrap();
        let file = UnitsFile::parse(include_str!("../../../data/demo/units.json")).unwrap();
        let merged = file.merged_into(&stored).unwrap();
        assert_eq!(merged.units().count(), file.units.len());
        // A unit whose parent is neither stored nor in the file is refused.
        let orphan = UnitsFile::parse(r#"{"units": [{"code": "X1", "name": "Xã X", "kind": "xa", "parent": "NOPE"}]}"#).unwrap();
        assert!(orphan.merged_into(&merged).is_err());
    }
}
