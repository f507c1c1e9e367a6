//! Generated sentences from the reference reports' figures.

use cchc_catalogue::{Catalogue, CatalogueSource, DEFAULT_CATALOGUE_TOML, default_catalogue, parse, resolve};
use cchc_documents::text::{Inputs, section_sentences};
use cchc_report::file::read;
use cchc_report::{Key, UnitReport, Value};

fn example(name: &str) -> UnitReport {
    let text = std::fs::read_to_string(format!("{}/../../examples/reports/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    read(&text, &default_catalogue()).unwrap()
}

fn sentences(report: &UnitReport, section: &str, last_year: Option<&UnitReport>) -> Vec<String> {
    sentences_with(&default_catalogue(), report, section, last_year)
}

fn sentences_with(cat: &Catalogue, report: &UnitReport, section: &str, last_year: Option<&UnitReport>) -> Vec<String> {
    section_sentences(section, &Inputs { report, catalogue: cat, last_year, previous_period: None })
}

#[test]
fn cam_xuyen_dossier_sentences_reproduce_the_original_numbers() {
    let r = example("cam-xuyen-2022-h1.json");
    let s = sentences(&r, "II.2", None);
    assert_eq!(
        s,
        vec![
            // Every part of the received total, the one not reported as 0 (the original leaves
            // the postal part out).
            "Tổng số hồ sơ tiếp nhận 6.893 hồ sơ (cấp huyện), trong đó: tiếp nhận trực tuyến 1.179 hồ sơ; tiếp nhận trực tiếp 4.224 hồ sơ; qua dịch vụ bưu chính công ích 0 hồ sơ; số hồ sơ kỳ trước chuyển qua 1.490 hồ sơ.",
            "Số hồ sơ đã giải quyết 4.146 hồ sơ (giải quyết trước hạn và đúng hạn 4.137 hồ sơ; quá hạn 09 hồ sơ); tỷ lệ giải quyết trước hạn và đúng hạn đạt 99,78%.",
            "Số hồ sơ đang giải quyết 208 hồ sơ (trong hạn 206 hồ sơ; quá hạn 02 hồ sơ). Số hồ sơ chờ bổ sung 2.447 hồ sơ. Số hồ sơ trả lại 92 hồ sơ.",
        ]
    );
    assert_eq!(
        sentences(&r, "II.6", None),
        vec!["Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến mức độ 3 và 4 đạt 35,38% (1.179/3.332 hồ sơ)."]
    );
    insta::assert_yaml_snapshot!("cam_xuyen_I", sentences(&r, "I", None));
}

#[test]
fn my_tu_sentences_per_level_and_a_comparison_with_last_year() {
    let r = example("my-tu-2021.json");
    insta::assert_yaml_snapshot!("my_tu_II_2", sentences(&r, "II.2", None));
    let mut last = r.clone();
    last.period = "2020-Y".parse().unwrap();
    last.set(Key::total("3.6.4"), Some(Value::Int(40000)));
    last.set(Key::total("3.6.1"), Some(Value::Int(41000)));
    let s = sentences(&r, "II.2", Some(&last));
    // 53.850/54.647 = 98,54%; 40.000/41.000 = 97,56%: +0,98 points.
    assert!(s.iter().any(|x| x.contains("đạt 98,54%, tăng 0,98 điểm phần trăm so với cùng kỳ năm 2020")), "{s:#?}");
}

#[test]
fn le_hong_sentences() {
    insta::assert_yaml_snapshot!("le_hong_II_2", sentences(&example("le-hong-2022-h1.json"), "II.2", None));
    insta::assert_yaml_snapshot!("le_hong_I", sentences(&example("le-hong-2022-h1.json"), "I", None));
}

#[test]
fn a_single_level_next_to_its_total_is_not_said_twice() {
    // A commune: its total and its cấp xã split are the same figures.
    let mut r = example("cam-xuyen-2022-h1.json");
    let level_entries: Vec<_> = r.entries.iter().filter(|e| e.key.split.get("level").is_some_and(|l| l == "huyen")).cloned().collect();
    for mut e in level_entries {
        e.key.split.clear();
        r.set(e.key.clone(), e.value.clone());
        r.set(cchc_report::Key { code: e.key.code.clone(), split: [("level".to_string(), "xa".to_string())].into() }, e.value);
    }
    r.entries.retain(|e| e.key.split.get("level").is_none_or(|l| l != "huyen"));
    let s = sentences(&r, "II.2", None);
    assert_eq!(s.len(), 3, "{s:#?}");
    assert!(s[0].starts_with("Tổng số hồ sơ tiếp nhận 6.893 hồ sơ, trong đó"), "{}", s[0]);
    assert!(s.iter().all(|line| !line.contains("(cấp xã)")), "{s:#?}");
}

/// A province's variant of the default catalogue.
fn variant(text: &str) -> Catalogue {
    resolve(parse(text).unwrap(), &CatalogueSource(vec![parse(DEFAULT_CATALOGUE_TOML).unwrap()])).unwrap()
}

#[test]
fn a_variant_that_replaces_one_sentence_template_changes_the_text_and_keeps_the_others() {
    let cat = variant(
        r#"
[catalogue]
id = "ht"
version = "2024.1"
name = "Bộ chỉ tiêu tỉnh Hà Tĩnh"
extends = "vn-default@2022.1"

[[documents.sentences]]
id = "cau-ho-so-da-giai-quyet"
section = "II.2"
per_level = true
text = "Đã giải quyết {3.6.1} hồ sơ, đúng hạn đạt {3.6.6}."
"#,
    );
    let r = example("cam-xuyen-2022-h1.json");
    let before = sentences(&r, "II.2", None);
    let after = sentences_with(&cat, &r, "II.2", None);
    assert_eq!(after.len(), 3, "{after:#?}");
    assert_eq!(after[1], "Đã giải quyết 4.146 hồ sơ, đúng hạn đạt 99,78%.");
    assert_ne!(after[1], before[1]);
    assert_eq!((&after[0], &after[2]), (&before[0], &before[2]), "the other templates are inherited");
    // Removing a template drops its sentence.
    let cat = variant(
        "remove = [\"cau-truc-tuyen-cap-huyen\"]\n[catalogue]\nid = \"ht\"\nversion = \"2024.2\"\nname = \"Hà Tĩnh\"\nextends = \"vn-default@2022.1\"\n",
    );
    assert!(sentences_with(&cat, &r, "II.6", None).is_empty());
    assert!(!sentences(&r, "II.6", None).is_empty());
}
