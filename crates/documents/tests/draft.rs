//! The draft of "III. Đánh giá chung": its watch-list and weaknesses are the catalogue's.

use cchc_catalogue::{Catalogue, CatalogueSource, DEFAULT_CATALOGUE_TOML, default_catalogue, parse, resolve};
use cchc_documents::{ReportDocument, draft};
use cchc_report::file::read;
use cchc_report::{Key, UnitReport, Value};

fn example(name: &str) -> UnitReport {
    let text = std::fs::read_to_string(format!("{}/../../examples/reports/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    read(&text, &default_catalogue()).unwrap()
}

fn variant(body: &str) -> Catalogue {
    let text = format!("[catalogue]\nid = \"ht\"\nversion = \"2024.1\"\nname = \"Hà Tĩnh\"\nextends = \"vn-default@2022.1\"\n{body}");
    resolve(parse(&text).unwrap(), &CatalogueSource(vec![parse(DEFAULT_CATALOGUE_TOML).unwrap()])).unwrap()
}

#[test]
fn weaknesses_are_phrased_by_the_catalogue() {
    let r = example("cam-xuyen-2022-h1.json");
    let own = draft::assessment(&ReportDocument::new(r.clone(), default_catalogue()));
    // 3.6.5 is given per level only (cấp huyện 09): the total is the sum of the levels.
    assert!(own.contains(&"- Vẫn còn 09 hồ sơ giải quyết quá hạn.".to_string()), "{own:#?}");
    let below = draft::below(&default_catalogue(), &r);
    assert_eq!(below, vec![format!("{} còn 09 hồ sơ giải quyết quá hạn.", r.unit.name)]);

    let cat = variant(
        "\n[[documents.weaknesses]]\nid = \"han-che-giai-quyet-qua-han\"\nvalue = \"#{3.6.5}\"\ntext = \"Có {value}/{3.6.1} hồ sơ trễ hạn.\"\n",
    );
    let own = draft::assessment(&ReportDocument::new(r.clone(), cat.clone()));
    assert!(own.contains(&"- Có 09/4.146 hồ sơ trễ hạn.".to_string()), "{own:#?}");
    assert!(!own.iter().any(|l| l.contains("Vẫn còn")), "{own:#?}");
    assert!(draft::below(&cat, &r).is_empty(), "the variant's weakness has no `below`");
}

#[test]
fn the_watch_list_is_the_catalogues() {
    let r = example("cam-xuyen-2022-h1.json");
    let mut last = r.clone();
    last.period = "2021-H1".parse().unwrap();
    // Last year every dossier was resolved in time: the rate (3.6.6) fell.
    for e in last.entries.iter_mut().filter(|e| e.key.code == "3.6.4") {
        e.value = None;
    }
    let resolved: Vec<Key> = last.entries.iter().filter(|e| e.key.code == "3.6.1").map(|e| e.key.clone()).collect();
    for k in resolved {
        let v = last.value(&k).cloned();
        last.set(k.with_code("3.6.4"), v);
    }
    last.set(Key::total("3.6.4"), Some(Value::Int(4146)));
    last.set(Key::total("3.6.1"), Some(Value::Int(4146)));
    let mut now = r.clone();
    now.set(Key::total("3.6.4"), Some(Value::Int(4137)));
    now.set(Key::total("3.6.1"), Some(Value::Int(4146)));
    let with = |cat: Catalogue| {
        let mut d = ReportDocument::new(now.clone(), cat);
        d.last_year = Some(last.clone());
        draft::assessment(&d)
    };
    let default = with(default_catalogue());
    assert!(
        default.iter().any(|l| l.starts_with("- Tỷ lệ hồ sơ giải quyết") && l.contains("giảm từ 100,00% xuống 99,78%")),
        "{default:#?}"
    );
    let unwatched = with(variant("\n[documents]\nwatch = [\"1.2\"]\n"));
    assert!(!unwatched.iter().any(|l| l.contains("giảm từ 100,00% xuống 99,78%")), "{unwatched:#?}");
}
