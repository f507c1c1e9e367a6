//! Figures as large as a report may hold (an `i64` count, a decimal of 28 digits) never make
//! the documents panic or print a wrong number (issue 16 item 4): a comparison that cannot be
//! computed is left out, a weakness whose figures do not add up is not written, and the sum of
//! predecessors' reports across a merger names a figure that does not fit instead of wrapping
//! it or writing 0.

use cchc_catalogue::{Catalogue, CatalogueSource, DEFAULT_CATALOGUE_TOML, default_catalogue, parse, resolve};
use cchc_documents::text::{Inputs, section_sentences};
use cchc_documents::{ReportDocument, combine, draft};
use cchc_report::{Entry, Key, UnitRef, UnitReport, Value};
use cchc_units::UnitKind;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn report(period: &str, figures: &[(&str, Value)]) -> UnitReport {
    let unit = UnitRef { code: "X".into(), name: "Xã X".into(), kind: UnitKind::Xa, parent: None };
    let mut r = UnitReport::new("vn-default@2022.1", unit, period.parse().unwrap());
    r.entries = figures.iter().map(|(k, v)| Entry::new(Key::parse(k).unwrap(), v.clone())).collect();
    r
}

fn variant(body: &str) -> Catalogue {
    let text = format!("[catalogue]\nid = \"ht\"\nversion = \"2024.1\"\nname = \"Hà Tĩnh\"\nextends = \"vn-default@2022.1\"\n{body}");
    resolve(parse(&text).unwrap(), &CatalogueSource(vec![parse(DEFAULT_CATALOGUE_TOML).unwrap()])).unwrap()
}

#[test]
fn a_comparison_of_maximal_money_figures_is_left_out_not_a_panic() {
    let cat = variant(
        "\n[[documents.sentences]]\nid = \"cau-thu-ngan-sach\"\nsection = \"II.6\"\ntext = \"Thu ngân sách {6.7} triệu đồng{6.7:cmp}.\"\n",
    );
    let sentences = |now: Decimal, then: Decimal| {
        let (r, last) = (report("2022-H1", &[("6.7", Value::Dec(now))]), report("2021-H1", &[("6.7", Value::Dec(then))]));
        section_sentences("II.6", &Inputs { report: &r, catalogue: &cat, last_year: Some(&last), previous_period: None })
    };
    // The change in percent (a 79-octillion-fold rise) does not fit: the rise is said without it.
    assert_eq!(
        sentences(Decimal::MAX, Decimal::ONE),
        [
            "Thu ngân sách 79.228.162.514.264.337.593.543.950.335 triệu đồng, tăng 79.228.162.514.264.337.593.543.950.334 triệu đồng so với cùng kỳ năm 2021."
        ]
    );
    assert_eq!(
        sentences(Decimal::ONE, Decimal::MAX),
        ["Thu ngân sách 01 triệu đồng, giảm 79.228.162.514.264.337.593.543.950.334 triệu đồng (100,00%) so với cùng kỳ năm 2021."]
    );
    assert_eq!(
        sentences(Decimal::from(150), Decimal::from(100)),
        ["Thu ngân sách 150 triệu đồng, tăng 50 triệu đồng (50,00%) so với cùng kỳ năm 2021."]
    );
}

#[test]
fn a_weakness_whose_figures_do_not_add_up_is_not_written() {
    // 3.6.5 stated per level only: the weakness adds the levels.
    let huge = report("2022-H1", &[("3.6.5[level=huyen]", Value::Dec(Decimal::MAX)), ("3.6.5[level=xa]", Value::Dec(Decimal::MAX))]);
    let lines = draft::assessment(&ReportDocument::new(huge, default_catalogue()));
    assert!(!lines.iter().any(|l| l.contains("quá hạn")), "{lines:#?}");
    let cat = variant("\n[[documents.weaknesses]]\nid = \"von\"\nvalue = \"#{6.7} + #{6.1.1}\"\ntext = \"Vốn {value} triệu đồng.\"\n");
    let huge = report("2022-H1", &[("6.7", Value::Dec(Decimal::MAX)), ("6.1.1", Value::Dec(Decimal::MAX))]);
    let lines = draft::assessment(&ReportDocument::new(huge, cat.clone()));
    assert!(!lines.iter().any(|l| l.starts_with("- Vốn")), "{lines:#?}");
    let fits = report("2022-H1", &[("6.7", Value::Dec(Decimal::from(20))), ("6.1.1", Value::Dec(Decimal::from(22)))]);
    let lines = draft::assessment(&ReportDocument::new(fits, cat));
    assert!(lines.contains(&"- Vốn 42 triệu đồng.".to_string()), "{lines:#?}");
}

#[test]
fn predecessors_whose_sum_does_not_fit_give_a_figure_without_a_value_and_a_note() {
    let cat = default_catalogue();
    let unit = UnitRef { code: "N".into(), name: "Xã N".into(), kind: UnitKind::Xa, parent: None };
    let old = report("2024-H1", &[("3.6.1", Value::Int(i64::MAX)), ("6.7", Value::Dec(Decimal::MAX)), ("3.6.4", Value::Int(5))]);
    let summed = combine::sum_reports(&unit, &[old.clone(), old], &cat).unwrap();
    for code in ["3.6.1", "6.7"] {
        let e = summed.entries.iter().find(|e| e.key == Key::total(code)).unwrap();
        assert_eq!(e.value, None, "{code}: never a wrapped number nor 0");
        assert_eq!(
            e.note.as_deref(),
            Some("Tổng số liệu của các đơn vị trước khi sắp xếp vượt quá giới hạn của một số liệu; không so sánh chỉ tiêu này")
        );
    }
    assert_eq!(summed.value(&Key::total("3.6.4")), Some(&Value::Int(10)));
}

proptest! {
    /// Sums that fit are the plain sums.
    #[test]
    fn predecessors_small_figures_add_up_as_before(a in 0i64..1_000_000_000_000, b in 0i64..1_000_000_000_000) {
        let cat = default_catalogue();
        let unit = UnitRef { code: "N".into(), name: "Xã N".into(), kind: UnitKind::Xa, parent: None };
        let one = |n: i64| report("2024-H1", &[("3.6.1", Value::Int(n)), ("6.7", Value::Dec(Decimal::new(n, 2)))]);
        let summed = combine::sum_reports(&unit, &[one(a), one(b)], &cat).unwrap();
        prop_assert_eq!(summed.value(&Key::total("3.6.1")), Some(&Value::Int(a + b)));
        prop_assert_eq!(summed.value(&Key::total("6.7")), Some(&Value::Dec(Decimal::new(a + b, 2))));
    }
}
