//! Compiling makes the parent's report: a district's own report (Cẩm Xuyên's, whose figures are
//! split by level as real reports state them) compiled with its communes' reports is stored,
//! versioned, passes validation, can be compiled again, and says when it is out of date.

mod common;

use std::sync::Arc;

use cchc_app::{App, Error, compile};
use cchc_periods::Period;
use cchc_report::workflow::Action;
use cchc_report::{Key, UnitRef, UnitReport, Value};
use cchc_storage::{Role, Store};
use cchc_units::UnitKind;
use common::user;

const DISTRICT: &str = "42-CAMXUYEN";

fn commune(code: &str, figures: &[(&str, i64)]) -> UnitReport {
    let u = UnitRef { code: code.into(), name: format!("Xã {code}"), kind: UnitKind::Xa, parent: None };
    let mut r = UnitReport::new("vn-default@2022.1", u, "2022-H1".parse().unwrap());
    for (key, n) in figures {
        r.set(Key::parse(key).unwrap(), Some(Value::Int(*n)));
    }
    r
}

fn int(r: &UnitReport, key: &str) -> Option<i64> {
    match r.value(&Key::parse(key).unwrap()) {
        Some(Value::Int(n)) => Some(*n),
        other => panic!("{key}: {other:?}"),
    }
}

/// Cẩm Xuyên with two communes that sent their reports and one that did not.
async fn district() -> (App, Arc<dyn Store>) {
    let u = common::unit;
    let store = common::store_with(&[
        u("42", UnitKind::Tinh, None),
        u(DISTRICT, UnitKind::Huyen, Some("42")),
        u("42-CX-A", UnitKind::Xa, Some(DISTRICT)),
        u("42-CX-B", UnitKind::Xa, Some(DISTRICT)),
        u("42-CX-C", UnitKind::Xa, Some(DISTRICT)),
    ])
    .await;
    let app = App::load(store.clone()).await.unwrap();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/reports/cam-xuyen-2022-h1.json")).unwrap();
    let own = cchc_report::file::read(&text, &app.catalogue()).unwrap();
    store.save_report(&own, None, "vanphong").await.unwrap();
    for r in [
        commune("42-CX-A", &[("3.6.1", 40), ("3.6.4", 39), ("3.6.5", 1), ("1.6.2", 100), ("2.4.5", 20)]),
        commune("42-CX-B", &[("3.6.1", 60), ("3.6.4", 60), ("3.6.5", 0)]),
    ] {
        let rec = store.save_report(&r, None, "xa").await.unwrap();
        store.transition(&r.unit.code, r.period, Action::Submit, None, "xa", rec.version).await.unwrap();
    }
    (app, store)
}

fn period() -> Period {
    "2022-H1".parse().unwrap()
}

#[tokio::test]
async fn a_district_split_by_level_compiles_to_totals_that_pass_validation() {
    let (app, _) = district().await;
    let compiler = user(Role::Compiler, DISTRICT);
    let out = compile::compile_report(&app, &compiler, DISTRICT, period()).await.unwrap();
    let r = &out.record.report;
    // Cẩm Xuyên states its own one-stop figures at cấp huyện only (4.146 resolved).
    assert_eq!((int(r, "3.6.1"), int(r, "3.6.1[level=huyen]"), int(r, "3.6.1[level=xa]")), (Some(4246), Some(4146), Some(100)));
    assert_eq!(int(r, "3.6.4"), Some(4137 + 99));
    assert_eq!(int(r, "2.4.5"), Some(480 + 20), "a figure not split by level: the district's own and its communes'");
    // It states 3.308 surveys, 150 of its own and 3.158 of its communes: the communes' reports
    // (100) replace the 3.158.
    assert_eq!((int(r, "1.6.2"), int(r, "1.6.2[level=huyen]"), int(r, "1.6.2[level=xa]")), (Some(250), Some(150), Some(100)));
    assert!(
        r.entries
            .iter()
            .filter(|e| e.key.code == "3.6.1")
            .all(|e| e.key.split.get("level").map(String::as_str) == Some("huyen") || e.is_compiled())
    );
    let c = r.compilation.as_ref().expect("what it was compiled from");
    assert_eq!(c.sources.iter().map(|s| s.unit.as_str()).collect::<Vec<_>>(), vec!["42-CX-A", "42-CX-B"]);
    assert_eq!(c.missing, vec!["42-CX-C"]);
    let findings = cchc_app::reports::findings(&app, &compiler, DISTRICT, period()).await.unwrap();
    assert!(findings.is_empty(), "{:#?}", findings.iter().map(|f| &f.message).collect::<Vec<_>>());
    assert_eq!(out.completeness.missing().count(), 1);
}

#[tokio::test]
async fn compiling_again_starts_from_the_units_own_statements() {
    let (app, _) = district().await;
    let compiler = user(Role::Compiler, DISTRICT);
    let first = compile::compile_report(&app, &compiler, DISTRICT, period()).await.unwrap().record;
    let second = compile::compile_report(&app, &compiler, DISTRICT, period()).await.unwrap().record;
    assert_eq!(second.version, first.version + 1);
    let figures = |r: &UnitReport| {
        let mut v: Vec<(String, Option<Value>)> = r.entries.iter().map(|e| (e.key.to_string(), e.value.clone())).collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    assert_eq!(figures(&second.report), figures(&first.report));
    assert_eq!(second.report.own_part().value(&Key::parse("1.6.2[level=xa]").unwrap()), Some(&Value::Int(3158)));
    // The compile page's preview of a report compiled before counts the units once.
    let (preview, _) = compile::compiled(&app, &compiler, DISTRICT, period()).await.unwrap();
    assert_eq!(int(&preview.report, "1.6.2[level=xa]"), Some(100));
    assert_eq!(int(&preview.report, "2.4.5"), Some(500));
}

#[tokio::test]
async fn compiled_figures_cannot_be_typed_over_and_a_changed_unit_makes_it_stale() {
    let (app, store) = district().await;
    let compiler = user(Role::Compiler, DISTRICT);
    let rec = compile::compile_report(&app, &compiler, DISTRICT, period()).await.unwrap().record;
    assert_eq!(compile::staleness(&app, &rec).await.unwrap(), Some(compile::Staleness::default()));
    let err = cchc_app::reports::save_figures(&app, &compiler, DISTRICT, period(), Some(rec.version), &[("2.4.5".into(), "5".into())])
        .await
        .unwrap_err();
    let Error::Invalid { problems, .. } = err else { panic!("{err:?}") };
    assert!(problems[0].message.contains("số liệu tổng hợp"), "{problems:?}");
    // Its own level stays its own to type.
    cchc_app::reports::save_figures(
        &app,
        &compiler,
        DISTRICT,
        period(),
        Some(rec.version),
        &[("3.6.1[level=huyen]".into(), "4146".into())],
    )
    .await
    .unwrap();
    // Commune A's report is returned, corrected and sent again: the compiled report is out of date.
    let a = store.report("42-CX-A", period()).await.unwrap().unwrap();
    let a = store.transition("42-CX-A", period(), Action::Return, Some("Sai số"), "tonghop", a.version).await.unwrap();
    let mut fixed = a.report.clone();
    fixed.set(Key::total("3.6.1"), Some(Value::Int(41)));
    let a = store.save_report(&fixed, Some(a.version), "xa").await.unwrap();
    store.transition("42-CX-A", period(), Action::Submit, None, "xa", a.version).await.unwrap();
    let rec = store.report(DISTRICT, period()).await.unwrap().unwrap();
    let stale = compile::staleness(&app, &rec).await.unwrap().unwrap();
    assert_eq!(stale.changed, vec!["Đơn vị 42-CX-A"]);
    assert!(stale.message_vi().contains("Đơn vị 42-CX-A đã sửa báo cáo"), "{}", stale.message_vi());
    let again = compile::compile_report(&app, &compiler, DISTRICT, period()).await.unwrap().record;
    assert_eq!(int(&again.report, "3.6.1[level=xa]"), Some(101));
    assert!(!compile::staleness(&app, &again).await.unwrap().unwrap().is_stale());
}

#[tokio::test]
async fn the_drill_down_names_each_units_part_and_the_missing_ones() {
    let (app, _) = district().await;
    let compiler = user(Role::Compiler, DISTRICT);
    compile::compile_report(&app, &compiler, DISTRICT, period()).await.unwrap();
    let (_, parts) = compile::contributions(&app, &compiler, DISTRICT, period(), &Key::parse("3.6.1[level=xa]").unwrap()).await.unwrap();
    let seen: Vec<(&str, Option<&Value>, bool)> = parts.iter().map(|p| (p.code.as_str(), p.value.as_ref(), p.missing)).collect();
    assert_eq!(seen, vec![("42-CX-A", Some(&Value::Int(40)), false), ("42-CX-B", Some(&Value::Int(60)), false), ("42-CX-C", None, true)]);
    let (_, parts) = compile::contributions(&app, &compiler, DISTRICT, period(), &Key::parse("1.6.2[level=xa]").unwrap()).await.unwrap();
    assert!(parts[0].own && parts[0].value == Some(Value::Int(3158)), "the district's own statement, replaced: {parts:?}");
}

#[tokio::test]
async fn only_the_districts_compiling_office_compiles_and_only_a_draft() {
    let (app, store) = district().await;
    let officer = user(Role::UnitOfficer, DISTRICT);
    assert!(matches!(compile::compile_report(&app, &officer, DISTRICT, period()).await, Err(Error::Forbidden(_))));
    let province = user(Role::Compiler, "42");
    assert!(matches!(compile::compile_report(&app, &province, DISTRICT, period()).await, Err(Error::Forbidden(_))));
    let compiler = user(Role::Compiler, DISTRICT);
    let rec = compile::compile_report(&app, &compiler, DISTRICT, period()).await.unwrap().record;
    store.transition(DISTRICT, period(), Action::Submit, None, "tonghop", rec.version).await.unwrap();
    let err = compile::compile_report(&app, &compiler, DISTRICT, period()).await.unwrap_err();
    assert!(matches!(&err, Error::Conflict(m) if m.contains("đã gửi")), "{err:?}");
}
