//! Units edited in forms on /admin/units: add, rename, merge, close through the router, each
//! success shown on the page, a refusal naming the field in Vietnamese, a stale form a conflict,
//! anyone but an administrator refused; and the same use cases under /api.

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::Client;

async fn demo() -> (Router, std::sync::Arc<dyn cchc_storage::Store>) {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 300).await.expect("demo seed");
    (cchc_web::router(cchc_web::AppState::new(store.clone(), catalogue)), store)
}

/// The option value (`CODE|VERSION`) the page offers for `code`.
fn choice(page: &str, code: &str) -> String {
    let start = page.find(&format!("value=\"{code}|")).unwrap_or_else(|| panic!("no choice for {code}")) + 7;
    page[start..start + page[start..].find('"').unwrap()].to_string()
}

/// The page's message, quotes unescaped.
fn message(page: &str) -> String {
    common::element(page, "message").replace("&#34;", "\"")
}

#[tokio::test]
async fn add_rename_merge_close_through_the_forms() {
    let (app, store) = demo().await;
    let mut admin = Client::logged_in(&app, "quantri").await;
    let page = admin.get("/admin/units").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"add-unit\"") && page.body.contains("Nhập hàng loạt"), "{}", page.body);
    assert!(!page.body.contains("docs/units-format.md"), "the label no longer sends people to a file");
    let parent = "99".to_string();

    let r = admin
        .submit(
            "/admin/units/add",
            &[
                ("code", "T9001"),
                ("name", "Xã Thử Nghiệm"),
                ("kind", "xa"),
                ("parent", &parent),
                ("valid_from", "01/01/2024"),
                ("issuer", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(message(&r.body).contains("Đã thêm đơn vị Xã Thử Nghiệm (T9001)"), "{}", message(&r.body));

    // The same code again: refused, the field named.
    let again = admin
        .submit(
            "/admin/units/add",
            &[("code", "T9001"), ("name", "Xã Khác"), ("kind", "xa"), ("parent", &parent), ("valid_from", "01/01/2024")],
        )
        .await;
    assert!(message(&again.body).contains("trường \"Mã đơn vị\"") && message(&again.body).contains("đã có"), "{}", message(&again.body));
    let bad_date = admin
        .submit(
            "/admin/units/add",
            &[("code", "T9002"), ("name", "Xã Khác"), ("kind", "xa"), ("parent", &parent), ("valid_from", "2024/13/45")],
        )
        .await;
    assert!(
        message(&bad_date.body).contains("trường \"Hiệu lực từ ngày\"") && message(&bad_date.body).contains("dd/mm/yyyy"),
        "{}",
        message(&bad_date.body)
    );

    let page = admin.get("/admin/units").await;
    let shown = choice(&page.body, "T9001");
    let r = admin
        .submit(
            "/admin/units/rename",
            &[("unit", &shown), ("new_code", "T9001B"), ("new_name", "Xã Thử Nghiệm Mới"), ("date", "01/07/2025"), ("basis", "")],
        )
        .await;
    assert!(
        message(&r.body).contains("Đã đổi tên đơn vị T9001 thành Xã Thử Nghiệm Mới (T9001B) từ ngày 01/07/2025."),
        "{}",
        message(&r.body)
    );
    // The same (now stale) form again: a conflict, nothing stored.
    let r = admin
        .submit("/admin/units/rename", &[("unit", &shown), ("new_code", "T9001C"), ("new_name", "Xã C"), ("date", "01/08/2025")])
        .await;
    assert!(message(&r.body).contains("vừa được người khác sửa"), "{}", message(&r.body));
    assert!(store.unit_tree().await.unwrap().get("T9001C").is_none());

    let r = admin
        .submit(
            "/admin/units/add",
            &[("code", "T9003"), ("name", "Xã Ba"), ("kind", "xa"), ("parent", &parent), ("valid_from", "01/01/2024")],
        )
        .await;
    assert!(message(&r.body).contains("Đã thêm"), "{}", message(&r.body));
    let merged = choice(&r.body, "T9003");
    let into = choice(&r.body, "T9001B");
    let r = admin.submit("/admin/units/merge", &[("merged", &merged), ("into", &into), ("date", "01/09/2025")]).await;
    assert!(message(&r.body).contains("Đã sáp nhập T9003 vào Xã Thử Nghiệm Mới (T9001B) từ ngày 01/09/2025."), "{}", message(&r.body));

    let into = choice(&r.body, "T9001B");
    let r = admin.submit("/admin/units/close", &[("unit", &into), ("until", "31/12/2025")]).await;
    assert!(message(&r.body).contains("hiệu lực đến hết ngày 31/12/2025"), "{}", message(&r.body));
    let tree = store.unit_tree().await.unwrap();
    assert_eq!(tree.get("T9001B").unwrap().valid_to, chrono::NaiveDate::from_ymd_opt(2025, 12, 31));
    let before: Vec<String> = tree.predecessors_on("T9001B", chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()).into_iter().collect();
    assert_eq!(before, ["T9001", "T9003"], "the renamed-from and the merged unit are its predecessors");

    let audit = store.audit(&cchc_storage::AuditFilter::default()).await.unwrap();
    for action in ["thêm đơn vị", "đổi tên đơn vị", "sáp nhập đơn vị", "đóng đơn vị"] {
        assert!(audit.iter().any(|e| e.action == action && e.by == "quantri"), "{action} not audited");
    }
}

#[tokio::test]
async fn a_non_administrator_is_refused() {
    let (app, store) = demo().await;
    let mut leader = Client::logged_in(&app, "lanhdao").await;
    leader.get("/").await;
    let r = leader
        .submit("/admin/units/add", &[("code", "T9001"), ("name", "Xã"), ("kind", "xa"), ("parent", ""), ("valid_from", "01/01/2024")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(store.unit_tree().await.unwrap().get("T9001").is_none());
}

#[tokio::test]
async fn the_same_use_cases_under_the_api() {
    let (app, store) = demo().await;
    let mut admin = Client::logged_in(&app, "quantri").await;
    let r = admin
        .json("POST", "/api/units", r#"{"code": "T9001", "name": "Xã Thử", "kind": "xa", "parent": "99", "valid_from": "01/01/2024"}"#)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let added: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let version = added["version"].as_str().unwrap().to_string();
    let listed = admin.get("/api/units").await;
    assert!(listed.body.contains(&version), "GET /api/units gives each unit's version");
    // A refusal names the field in Vietnamese.
    let r = admin
        .json("POST", "/api/units", r#"{"code": "T9001", "name": "Xã Thử", "kind": "xa", "parent": "99", "valid_from": "01/01/2024"}"#)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Mã đơn vị") && r.body.contains("đã có"), "{}", r.body);
    let body = format!(r#"{{"version": "{version}", "new_code": "T9001B", "new_name": "Xã Thử Mới", "date": "2025-07-01"}}"#);
    let r = admin.json("POST", "/api/units/T9001/rename", &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The same request again: the version is stale.
    let r = admin.json("POST", "/api/units/T9001/rename", &body.replace("T9001B", "T9001C")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let v = cchc_app::units_admin::version(store.unit_tree().await.unwrap().get("T9001B").unwrap());
    let r = admin.json("POST", "/api/units/T9001B/close", &format!(r#"{{"version": "{v}", "until": "31/12/2025"}}"#)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = admin.json("POST", "/api/units/merge", r#"{"merged": [], "into": "99", "into_version": "x", "date": "01/01/2026"}"#).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Các đơn vị sáp nhập"), "{}", r.body);
    let mut leader = Client::logged_in(&app, "lanhdao").await;
    let r = leader.json("POST", "/api/units", r#"{"code": "T9002", "name": "Xã", "kind": "xa", "valid_from": "01/01/2024"}"#).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}
