//! Units administration without files: add, rename, merge, close — each a success, a refusal
//! naming the field in Vietnamese, a refusal for anyone but an administrator, and a conflict when
//! the unit changed since the form was shown. Nothing is half-saved.

mod common;

use cchc_app::units_admin::{Close, Merge, NewUnit, Rename, add_unit, close_unit, merge_units, rename_unit, version};
use cchc_app::{App, Error};
use cchc_storage::{AuditFilter, Role};
use cchc_units::{LineageKind, UnitKind};
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn app() -> App {
    let unit = common::unit;
    let store = common::store_with(&[
        unit("T", UnitKind::Tinh, None),
        unit("H", UnitKind::Huyen, Some("T")),
        unit("X1", UnitKind::Xa, Some("H")),
        unit("X2", UnitKind::Xa, Some("H")),
        unit("X3", UnitKind::Xa, Some("H")),
    ])
    .await;
    App::with(store, cchc_catalogue::default_catalogue(), cchc_calendar::WorkCalendar::vietnam())
}

fn admin() -> cchc_storage::User {
    common::named("quantri", Role::Admin, "")
}

async fn v(app: &App, code: &str) -> String {
    version(app.store.unit_tree().await.unwrap().get(code).unwrap())
}

fn new_unit(code: &str, parent: &str) -> NewUnit {
    NewUnit {
        code: code.into(),
        name: format!("Xã {code}"),
        kind: UnitKind::Xa,
        parent: Some(parent.into()),
        valid_from: day(2025, 7, 1),
        issuer: None,
    }
}

fn invalid_at(r: Result<impl std::fmt::Debug, Error>, field: &str) -> String {
    match r {
        Err(Error::Invalid { summary, problems }) => {
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].place.as_deref(), Some(field), "{problems:?}");
            assert!(summary.contains(field), "{summary}");
            summary
        }
        other => panic!("expected a refusal naming {field}: {other:?}"),
    }
}

async fn audit_actions(app: &App) -> Vec<String> {
    app.store.audit(&AuditFilter::default()).await.unwrap().into_iter().map(|e| e.action).collect()
}

#[tokio::test]
async fn add_stores_the_unit_and_audits_it() {
    let app = app().await;
    let u = add_unit(&app, &admin(), &NewUnit { issuer: Some("ỦY BAN NHÂN DÂN\nXÃ MỚI".into()), ..new_unit("X9", "H") }).await.unwrap();
    assert_eq!(u.code, "X9");
    let tree = app.store.unit_tree().await.unwrap();
    let stored = tree.get("X9").unwrap();
    assert_eq!((stored.parent.as_deref(), stored.valid_from), (Some("H"), Some(day(2025, 7, 1))));
    assert_eq!(stored.issuer.as_deref(), Some("ỦY BAN NHÂN DÂN\nXÃ MỚI"));
    assert_eq!(audit_actions(&app).await, ["thêm đơn vị"]);
}

#[tokio::test]
async fn add_refuses_with_the_field_named_in_vietnamese() {
    let app = app().await;
    let s = invalid_at(add_unit(&app, &admin(), &new_unit("X1", "H")).await, "trường \"Mã đơn vị\"");
    assert!(s.contains("đã có"), "{s}");
    let s = invalid_at(add_unit(&app, &admin(), &new_unit("X9", "KHONGCO")).await, "trường \"Đơn vị cấp trên\"");
    assert!(s.contains("KHONGCO"), "{s}");
    invalid_at(add_unit(&app, &admin(), &NewUnit { name: "  ".into(), ..new_unit("X9", "H") }).await, "trường \"Tên đơn vị\"");
    invalid_at(add_unit(&app, &admin(), &new_unit("X 9<", "H")).await, "trường \"Mã đơn vị\"");
    assert!(app.store.unit_tree().await.unwrap().get("X9").is_none());
    assert!(audit_actions(&app).await.is_empty(), "nothing is written when refused");
}

#[tokio::test]
async fn only_an_administrator_edits_units() {
    let app = app().await;
    for role in [Role::Compiler, Role::Leader, Role::UnitOfficer] {
        let user = common::user(role, "H");
        assert!(matches!(add_unit(&app, &user, &new_unit("X9", "H")).await, Err(Error::Forbidden(_))));
        let r = Rename {
            code: "X1".into(),
            expected: v(&app, "X1").await,
            new_code: "X1B".into(),
            new_name: "Xã Mới".into(),
            date: day(2025, 7, 1),
            basis: None,
        };
        assert!(matches!(rename_unit(&app, &user, &r).await, Err(Error::Forbidden(_))));
        let m = Merge {
            merged: vec![("X2".into(), v(&app, "X2").await)],
            into: "X1".into(),
            into_expected: v(&app, "X1").await,
            date: day(2025, 7, 1),
            basis: None,
        };
        assert!(matches!(merge_units(&app, &user, &m).await, Err(Error::Forbidden(_))));
        let c = Close { code: "X3".into(), expected: v(&app, "X3").await, until: day(2025, 6, 30) };
        assert!(matches!(close_unit(&app, &user, &c).await, Err(Error::Forbidden(_))));
    }
    assert!(audit_actions(&app).await.is_empty());
}

#[tokio::test]
async fn rename_keeps_the_old_record_with_a_renaming_edge() {
    let app = app().await;
    let r = Rename {
        code: "H".into(),
        expected: v(&app, "H").await,
        new_code: "H2".into(),
        new_name: "Thị xã Mới".into(),
        date: day(2025, 7, 1),
        basis: Some("NQ 1/2025".into()),
    };
    rename_unit(&app, &admin(), &r).await.unwrap();
    let tree = app.store.unit_tree().await.unwrap();
    assert_eq!(tree.get("H").unwrap().valid_to, Some(day(2025, 6, 30)));
    let h2 = tree.get("H2").unwrap();
    assert_eq!((h2.name.as_str(), h2.valid_from, h2.parent.as_deref()), ("Thị xã Mới", Some(day(2025, 7, 1)), Some("T")));
    assert_eq!(tree.get("X1").unwrap().parent.as_deref(), Some("H2"), "open units move under the new record");
    let e = &tree.lineage().edges[0];
    assert_eq!((e.from.as_str(), e.to.as_str(), e.kind), ("H", "H2", LineageKind::Renamed));
    assert_eq!(tree.predecessors_on("H2", day(2025, 1, 1)).into_iter().collect::<Vec<_>>(), ["H"]);
    assert_eq!(audit_actions(&app).await, ["đổi tên đơn vị"]);
}

#[tokio::test]
async fn rename_refusals_and_conflict() {
    let app = app().await;
    let base = Rename {
        code: "X1".into(),
        expected: v(&app, "X1").await,
        new_code: "X2".into(),
        new_name: "Xã Mới".into(),
        date: day(2025, 7, 1),
        basis: None,
    };
    invalid_at(rename_unit(&app, &admin(), &base).await, "trường \"Mã mới\"");
    invalid_at(
        rename_unit(&app, &admin(), &Rename { new_code: "X1B".into(), new_name: "".into(), ..base.clone() }).await,
        "trường \"Tên đơn vị\"",
    );
    // Somebody else renamed X1 in between: the version the form showed is stale.
    add_unit(&app, &admin(), &new_unit("X9", "H")).await.unwrap();
    let c = Close { code: "X1".into(), expected: v(&app, "X1").await, until: day(2025, 12, 31) };
    close_unit(&app, &admin(), &c).await.unwrap();
    let r = rename_unit(&app, &admin(), &Rename { new_code: "X1B".into(), ..base }).await;
    let Err(Error::Conflict(m)) = r else { panic!("a stale form must be a conflict: {r:?}") };
    assert!(m.contains("X1") && m.contains("tải lại"), "{m}");
    assert!(app.store.unit_tree().await.unwrap().get("X1B").is_none());
}

#[tokio::test]
async fn merge_closes_the_merged_units_with_edges_into_the_one_that_carries_on() {
    let app = app().await;
    let m = Merge {
        merged: vec![("X2".into(), v(&app, "X2").await), ("X3".into(), v(&app, "X3").await)],
        into: "X1".into(),
        into_expected: v(&app, "X1").await,
        date: day(2025, 7, 1),
        basis: None,
    };
    merge_units(&app, &admin(), &m).await.unwrap();
    let tree = app.store.unit_tree().await.unwrap();
    assert_eq!(tree.get("X2").unwrap().valid_to, Some(day(2025, 6, 30)));
    assert_eq!(tree.get("X3").unwrap().valid_to, Some(day(2025, 6, 30)));
    assert_eq!(tree.predecessors_on("X1", day(2025, 1, 1)).len(), 3, "X1 and what merged into it");
    assert!(tree.lineage().edges.iter().all(|e| e.kind == LineageKind::MergedInto && e.to == "X1"));
    assert_eq!(audit_actions(&app).await, ["sáp nhập đơn vị"]);
}

#[tokio::test]
async fn merge_refusals_and_conflict() {
    let app = app().await;
    let base = Merge { merged: vec![], into: "X1".into(), into_expected: v(&app, "X1").await, date: day(2025, 7, 1), basis: None };
    invalid_at(merge_units(&app, &admin(), &base).await, "trường \"Các đơn vị sáp nhập\"");
    let itself = Merge { merged: vec![("X1".into(), v(&app, "X1").await)], ..base.clone() };
    invalid_at(merge_units(&app, &admin(), &itself).await, "trường \"Các đơn vị sáp nhập\"");
    let upward = Merge { merged: vec![("H".into(), v(&app, "H").await)], ..base.clone() };
    invalid_at(merge_units(&app, &admin(), &upward).await, "trường \"Sáp nhập vào\"");
    let stale = Merge { merged: vec![("X2".into(), "0000000000000000".into())], ..base.clone() };
    assert!(matches!(merge_units(&app, &admin(), &stale).await, Err(Error::Conflict(_))));
    // A refusal on the second merged unit stores nothing for the first.
    let half = Merge { merged: vec![("X2".into(), v(&app, "X2").await), ("X3".into(), "stale".into())], ..base };
    assert!(matches!(merge_units(&app, &admin(), &half).await, Err(Error::Conflict(_))));
    assert_eq!(app.store.unit_tree().await.unwrap().get("X2").unwrap().valid_to, None);
    assert!(audit_actions(&app).await.is_empty());
}

#[tokio::test]
async fn close_sets_the_last_day_and_refuses_with_open_units_below_or_bad_dates() {
    let app = app().await;
    let c = Close { code: "X3".into(), expected: v(&app, "X3").await, until: day(2025, 6, 30) };
    close_unit(&app, &admin(), &c).await.unwrap();
    assert_eq!(app.store.unit_tree().await.unwrap().get("X3").unwrap().valid_to, Some(day(2025, 6, 30)));
    // The same form again: X3 changed since (the closing itself), so a conflict.
    assert!(matches!(close_unit(&app, &admin(), &c).await, Err(Error::Conflict(_))));
    let h = Close { code: "H".into(), expected: v(&app, "H").await, until: day(2025, 6, 30) };
    let s = invalid_at(close_unit(&app, &admin(), &h).await, "trường \"Hiệu lực đến ngày\"");
    assert!(s.contains("X1"), "{s}");
    add_unit(&app, &admin(), &new_unit("X9", "H")).await.unwrap();
    let early = Close { code: "X9".into(), expected: v(&app, "X9").await, until: day(2025, 1, 1) };
    invalid_at(close_unit(&app, &admin(), &early).await, "trường \"Hiệu lực đến ngày\"");
    assert_eq!(audit_actions(&app).await.len(), 2);
}
