//! A catalogue as the application loads it: the ledger's source names are checked, and a
//! province's variant brings its own phrasing of the report documents.

use cchc_app::catalogues::{Checked, add_version, resolve_checked, set_in_force};
use cchc_app::report_docs;
use cchc_catalogue::{DEFAULT_CATALOGUE_TOML, parse};
use cchc_report::{Key, UnitRef, UnitReport, Value};
use cchc_units::{Unit, UnitKind};

const HEAD: &str =
    "[catalogue]\nid = \"hong-lam\"\nversion = \"2027.1\"\nname = \"Bộ chỉ tiêu tỉnh Hồng Lam\"\nextends = \"vn-default@2022.1\"\n";

#[test]
fn the_shipped_catalogue_names_only_sources_the_ledger_provides() {
    let files = [parse(DEFAULT_CATALOGUE_TOML).unwrap()];
    resolve_checked(files[0].clone(), &files).unwrap();
    let typo = DEFAULT_CATALOGUE_TOML.replacen("source = \"resolved_late\"", "source = \"resolved_lately\"", 1);
    let e = resolve_checked(parse(&typo).unwrap(), &files).unwrap_err().to_string();
    assert!(e.starts_with("Chỉ tiêu 3.6.5: nguồn số liệu \"resolved_lately\" không có; các nguồn có: received_total, "), "{e}");
}

#[tokio::test]
async fn an_unknown_source_is_refused_and_nothing_is_stored() {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let text = format!(
        "{HEAD}\n[[indicators]]\ncode = \"3.9.1\"\nname = \"Số hồ sơ nộp qua Zalo\"\nunit = \"Hồ sơ\"\nkind = \"count\"\nsource = \"received_zalo\"\n"
    );
    let Checked::Invalid(problems) = add_version(store.as_ref(), &text, "quantri").await.unwrap() else { panic!("accepted") };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("Chỉ tiêu 3.9.1: nguồn số liệu \"received_zalo\" không có; các nguồn có: "), "{problems:?}");
    assert!(problems[0].contains("received_online") && problems[0].contains("satisfaction_satisfied"), "{problems:?}");
    // A typo'd key is refused with its line, in the administrators' words.
    let typo = text.replace("source = \"received_zalo\"", "sourse = \"received_online\"");
    let Checked::Invalid(problems) = add_version(store.as_ref(), &typo, "quantri").await.unwrap() else { panic!("accepted") };
    assert_eq!(problems, vec!["Tệp bộ chỉ tiêu sai cú pháp: dòng 12: trường \"sourse\" không có trong định dạng"]);
    assert!(store.catalogue_files().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_stored_variants_sentences_and_weaknesses_reach_the_report_document() {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let unit = |code: &str, name: &str, kind, parent: Option<&str>| Unit {
        code: code.into(),
        name: name.into(),
        kind,
        parent: parent.map(Into::into),
        valid_from: None,
        valid_to: None,
        issuer: None,
    };
    store
        .upsert_units(&[unit("H", "UBND huyện Hồng", UnitKind::Huyen, None), unit("X", "UBND xã Lam", UnitKind::Xa, Some("H"))], &[])
        .await
        .unwrap();
    let text = format!(
        "{HEAD}\n[[documents.sentences]]\nid = \"cau-ho-so-da-giai-quyet\"\nsection = \"II.2\"\ntext = \"Giải quyết {{3.6.1}} hồ sơ, đúng hạn {{3.6.6}}.\"\n\n[[documents.weaknesses]]\nid = \"han-che-giai-quyet-qua-han\"\nvalue = \"#{{3.6.5}}\"\ntext = \"Trễ hạn {{value}} hồ sơ.\"\nbelow = \"{{unit}}: trễ hạn {{value}} hồ sơ.\"\n"
    );
    let Checked::Valid { .. } = add_version(store.as_ref(), &text, "quantri").await.unwrap() else { panic!("refused") };
    set_in_force(store.as_ref(), "hong-lam@2027.1", "quantri").await.unwrap();
    let report = |code: &str, name: &str, kind| {
        let mut r = UnitReport::new(
            "hong-lam@2027.1",
            UnitRef { code: code.into(), name: name.into(), kind, parent: None },
            "2027-H1".parse().unwrap(),
        );
        r.set(Key::total("3.6.1"), Some(Value::Int(100)));
        r.set(Key::total("3.6.4"), Some(Value::Int(97)));
        r.set(Key::total("3.6.5"), Some(Value::Int(3)));
        r
    };
    store.save_report(&report("H", "UBND huyện Hồng", UnitKind::Huyen), None, "test").await.unwrap();
    store.save_report(&report("X", "UBND xã Lam", UnitKind::Xa), None, "test").await.unwrap();
    let doc = report_docs::load_document(store.as_ref(), "H", "2027-H1".parse().unwrap()).await.unwrap();
    assert!(doc.sentences("II.2").contains(&"Giải quyết 100 hồ sơ, đúng hạn 97,00%.".to_string()), "{:?}", doc.sentences("II.2"));
    assert_eq!(doc.weaknesses, vec!["UBND xã Lam: trễ hạn 03 hồ sơ."]);
    let draft = cchc_documents::draft::assessment(&doc);
    assert!(draft.contains(&"- Trễ hạn 03 hồ sơ.".to_string()), "{draft:#?}");
}
