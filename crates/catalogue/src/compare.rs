//! What a new catalogue version changes compared with another: the summary an administrator
//! reads before putting a version in force.

use std::collections::BTreeMap;

use crate::model::Catalogue;

/// Codes of indicators and ids of rules and sentence templates added, removed or changed, each
/// sorted, and whether the draft's watch-list or weaknesses changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub indicators_added: Vec<String>,
    pub indicators_removed: Vec<String>,
    pub indicators_changed: Vec<String>,
    pub rules_added: Vec<String>,
    pub rules_removed: Vec<String>,
    pub rules_changed: Vec<String>,
    pub sentences_added: Vec<String>,
    pub sentences_removed: Vec<String>,
    pub sentences_changed: Vec<String>,
    /// Ids of the draft's weaknesses added, removed or changed, and "watch" when the watch-list
    /// changed.
    pub draft_changed: Vec<String>,
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
            line("Thêm", "mẫu câu", &self.sentences_added),
            line("Bỏ", "mẫu câu", &self.sentences_removed),
            line("Sửa", "mẫu câu", &self.sentences_changed),
            line("Sửa", "mục của dự thảo đánh giá", &self.draft_changed),
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
    let (sa, sr, sc) =
        diff(old.documents.sentences.iter().map(|t| (t.id.clone(), t)), new.documents.sentences.iter().map(|t| (t.id.clone(), t)));
    let (wa, wr, wc) =
        diff(old.documents.weaknesses.iter().map(|w| (w.id.clone(), w)), new.documents.weaknesses.iter().map(|w| (w.id.clone(), w)));
    let mut draft_changed: Vec<String> = wa.into_iter().chain(wr).chain(wc).collect();
    draft_changed.sort();
    // An indicator removed leaves the watch-list with it; that is said by "Bỏ … chỉ tiêu".
    let kept: Vec<&String> = old.documents.watched().iter().filter(|c| new.indicator(c).is_some()).collect();
    if kept != new.documents.watched().iter().collect::<Vec<_>>() {
        draft_changed.insert(0, "watch".into());
    }
    Changes {
        indicators_added: ia,
        indicators_removed: ir,
        indicators_changed: ic,
        rules_added: ra,
        rules_removed: rr,
        rules_changed: rc,
        sentences_added: sa,
        sentences_removed: sr,
        sentences_changed: sc,
        draft_changed,
    }
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

    #[test]
    fn a_variant_that_only_rephrases_says_so() {
        let variant = r##"
remove = ["cau-truc-tuyen-cap-huyen"]
[catalogue]
id = "hl"
version = "2026.2"
name = "Bộ chỉ tiêu tỉnh Hồng Lam"
extends = "vn-default@2022.1"

[documents]
watch = ["3.6.6"]

[[documents.sentences]]
id = "cau-ke-hoach-cchc"
section = "I"
text = "Hoàn thành {1.2.2}/{1.2.1} nhiệm vụ."

[[documents.weaknesses]]
id = "han-che-moi"
value = "#{3.6.11}"
text = "Còn {value} hồ sơ trả lại."
"##;
        let sources = CatalogueSource(vec![parse(DEFAULT_CATALOGUE_TOML).unwrap()]);
        let new = resolve(parse(variant).unwrap(), &sources).unwrap();
        assert_eq!(
            compare(&default_catalogue(), &new).lines_vi(),
            vec![
                "Bỏ 1 mẫu câu: cau-truc-tuyen-cap-huyen",
                "Sửa 1 mẫu câu: cau-ke-hoach-cchc",
                "Sửa 2 mục của dự thảo đánh giá: watch, han-che-moi"
            ]
        );
    }
}
