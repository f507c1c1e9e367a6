//! The JSON file format: type checks against the catalogue and a lossless round trip.

use cchc_catalogue::default_catalogue;
use cchc_report::file::{read, write};
use cchc_report::{Key, Value};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn doc(values: &str) -> String {
    format!(
        r#"{{"format": "cchc-unit-report/1", "catalogue": "vn-default@2022.1",
            "unit": {{"code": "X1", "name": "Xã Một", "kind": "xa"}},
            "period": "2022-H1", "values": [{values}]}}"#
    )
}

#[test]
fn typed_values_are_read() {
    let cat = default_catalogue();
    let r = read(
        &doc(r#"{"code": "3.5.1", "value": 1224},
               {"code": "3.5.1", "split": {"field": "ho-tich"}, "value": 224, "source": "II.2.c"},
               {"code": "1.2", "value": "92,85"},
               {"code": "3.5.7", "value": "80", "qualifier": "above"},
               {"code": "1.2.1", "note": "Kế hoạch số 05/KH-UBND"}"#),
        &cat,
    )
    .unwrap();
    assert_eq!(r.value(&Key::total("3.5.1")), Some(&Value::Int(1224)));
    assert_eq!(r.value(&Key::split("3.5.1", &[("field", "ho-tich")])), Some(&Value::Int(224)));
    assert_eq!(r.value(&Key::total("1.2")), Some(&Value::Dec("92.85".parse().unwrap())));
    assert_eq!(r.entries[4].value, None);
    assert_eq!(r.entries[4].note.as_deref(), Some("Kế hoạch số 05/KH-UBND"));
}

#[test]
fn every_bad_row_is_named_and_nothing_is_returned() {
    let cat = default_catalogue();
    let errs = read(
        &doc(r#"{"code": "3.5.1", "value": -3},
               {"code": "3.5.1", "value": "mười"},
               {"code": "9.9.9", "value": 1},
               {"code": "3.5.1", "split": {"level": "thon"}, "value": 1},
               {"code": "1.2.1", "split": {"field": "ho-tich"}, "value": 1},
               {"code": "3.5", "value": 1}"#),
        &cat,
    )
    .unwrap_err();
    let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(msgs.len(), 6, "{msgs:#?}");
    assert_eq!(msgs[0], "Dòng 1 (chỉ tiêu 3.5.1), trường \"value\": số hồ sơ phải là số nguyên không âm, nhận được -3");
    assert!(msgs[1].starts_with("Dòng 2 (chỉ tiêu 3.5.1), trường \"value\""));
    assert!(msgs[2].contains("mã chỉ tiêu \"9.9.9\" không có"));
    assert!(msgs[3].contains("giá trị \"thon\" của Cấp không hợp lệ"));
    assert!(msgs[4].contains("không phân tổ theo \"field\""));
    assert!(msgs[5].contains("dòng tiêu đề không có số liệu"));
    let bad_period = read(&doc("").replace("2022-H1", "2022-H3"), &cat).unwrap_err();
    assert!(bad_period[0].to_string().contains("không hợp lệ"));
}

proptest! {
    #[test]
    fn write_then_read_loses_nothing(
        counts in prop::collection::vec((0i64..1_000_000, prop::option::of(prop_oneof![Just("ho-tich"), Just("dat-dai")])), 0..8),
        ratio in prop::option::of((0u32..10000, 0u32..3)),
        note in prop::option::of("[a-zA-Zà-ỹ0-9 /.,-]{0,30}"),
    ) {
        let cat = default_catalogue();
        let mut report = read(&doc(""), &cat).unwrap();
        for (n, field) in counts {
            let key = match field { Some(f) => Key::split("3.5.1", &[("field", f)]), None => Key::total("3.5.1") };
            report.entries.push(cchc_report::Entry::new(key, Value::Int(n)));
        }
        if let Some((m, scale)) = ratio {
            report.entries.push(cchc_report::Entry::new(Key::total("3.6.6"), Value::Dec(Decimal::new(m as i64, scale))));
        }
        report.entries.push(cchc_report::Entry { note, ..cchc_report::Entry::new(Key::total("1.2.1"), Value::Int(28)) });
        let back = read(&write(&report), &cat).unwrap();
        prop_assert_eq!(back, report);
    }
}

#[test]
fn derived_figures_replace_every_statement_of_their_indicators_and_nothing_else() {
    let unit = cchc_report::UnitRef { code: "X".into(), name: "Xã X".into(), kind: cchc_units::UnitKind::Xa, parent: None };
    let mut r = cchc_report::UnitReport::new("vn-default@2022.1", unit, "2026-H1".parse().unwrap());
    r.set(cchc_report::Key::total("1.3.10"), Some(cchc_report::Value::Int(5)));
    r.set(cchc_report::Key::split("1.3.10", &[("level", "xa")]), Some(cchc_report::Value::Int(5)));
    r.set(cchc_report::Key::total("1.9.1"), Some(cchc_report::Value::Int(2)));
    r.replace_indicators(vec![cchc_report::Entry::new(cchc_report::Key::total("1.3.10"), cchc_report::Value::Int(7))]);
    let keys: Vec<String> = r.entries.iter().map(|e| e.key.to_string()).collect();
    assert_eq!(keys, ["1.9.1", "1.3.10"]);
    assert_eq!(r.value(&cchc_report::Key::total("1.3.10")), Some(&cchc_report::Value::Int(7)));
}
