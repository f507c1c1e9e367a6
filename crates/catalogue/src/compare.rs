//! What a new catalogue version changes compared with another: the summary an administrator
//! reads before putting a version in force.

use std::collections::BTreeMap;

use crate::model::Catalogue;

/// Codes of indicators and ids of rules added, removed or changed, each sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub indicators_added: Vec<String>,
    pub indicators_removed: Vec<String>,
    pub indicators_changed: Vec<String>,
    pub rules_added: Vec<String>,
    pub rules_removed: Vec<String>,
    pub rules_changed: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self == &Changes::default()
    }

    /// One Vietnamese line per kind of change, e.g. "Thêm 2 chỉ tiêu: 3.9.1, 3.9.2".
    pub fn lines_vi(&self) -> Vec<String> {
        let line = |verb: &str, what: &str, items: &[String]| {
            (!items.is_empty()).then(|| format!("{verb} {} {what}: {}", cchc_format::int(items.len() as i64), items.join(", ")))
        };
        [
            line("Thêm", "chỉ tiêu", &self.indicators_added),
            line("Bỏ", "chỉ tiêu", &self.indicators_removed),
            line("Sửa", "chỉ tiêu", &self.indicators_changed),
            line("Thêm", "quy tắc kiểm tra", &self.rules_added),
            line("Bỏ", "quy tắc kiểm tra", &self.rules_removed),
            line("Sửa", "quy tắc kiểm tra", &self.rules_changed),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// What `new` changes compared with `old`.
pub fn compare(old: &Catalogue, new: &Catalogue) -> Changes {
    let (ia, ir, ic) = diff(old.indicators.iter().map(|i| (i.code.clone(), i)), new.indicators.iter().map(|i| (i.code.clone(), i)));
    let (ra, rr, rc) = diff(old.rules.iter().map(|r| (r.id.clone(), r)), new.rules.iter().map(|r| (r.id.clone(), r)));
    Changes { indicators_added: ia, indicators_removed: ir, indicators_changed: ic, rules_added: ra, rules_removed: rr, rules_changed: rc }
}

fn diff<'a, T: PartialEq + 'a>(
    old: impl Iterator<Item = (String, &'a T)>,
    new: impl Iterator<Item = (String, &'a T)>,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let old: BTreeMap<String, &T> = old.collect();
    let new: BTreeMap<String, &T> = new.collect();
    let added = new.keys().filter(|k| !old.contains_key(*k)).cloned().collect();
    let removed = old.keys().filter(|k| !new.contains_key(*k)).cloned().collect();
    let changed = new.iter().filter(|(k, v)| old.get(*k).is_some_and(|o| o != *v)).map(|(k, _)| k.clone()).collect();
    (added, removed, changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CatalogueSource, DEFAULT_CATALOGUE_TOML, default_catalogue, parse, resolve};

    #[test]
    fn a_variant_is_summarised_against_its_parent() {
        let base = default_catalogue();
        let variant = r#"
remove = ["3.5.7"]
[catalogue]
id = "hl"
version = "2026.1"
name = "Bộ chỉ tiêu tỉnh Hồng Lam"
extends = "vn-default@2022.1"

[[indicators]]
code = "3.9.1"
name = "Số thủ tục hành chính được cắt giảm thời gian giải quyết"
unit = "TTHC"
kind = "count"
"#;
        let sources = CatalogueSource(vec![parse(DEFAULT_CATALOGUE_TOML).unwrap()]);
        let new = resolve(parse(variant).unwrap(), &sources).unwrap();
        let changes = compare(&base, &new);
        assert_eq!(changes.indicators_added, vec!["3.9.1"]);
        assert_eq!(changes.indicators_removed, vec!["3.5.7"]);
        assert!(changes.indicators_changed.is_empty() && changes.rules_added.is_empty());
        assert_eq!(changes.lines_vi(), vec!["Thêm 1 chỉ tiêu: 3.9.1", "Bỏ 1 chỉ tiêu: 3.5.7"]);
        assert!(compare(&base, &base).is_empty());
    }
}
