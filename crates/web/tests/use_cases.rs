//! The same use case through every shell of the web: a report with an error-level finding is
//! refused for submission by the report page and by the JSON API with the same Vietnamese
//! message (the CLI's half is `crates/cli/tests/use_cases.rs`); the API answers JSON errors with
//! their status, never a redirect nor database text.

mod common;
use axum::http::StatusCode;
use common::{Client, field_value, form_url};

const PROVINCE: &str = cchc_app::demo::PROVINCE;
const H1: &str = "2026-H1";

async fn app() -> axum::Router {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 300).await.expect("demo seed");
    cchc_web::router(cchc_web::AppState::new(store, catalogue))
}

/// The demo in a SQLite file of its own (another connection can then lock it or change its
/// schema), and the file's URL.
async fn demo_in_file(name: &str) -> (axum::Router, String) {
    let dir = std::env::temp_dir().join(format!("cchc-web-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("demo.db").display());
    let store = cchc_storage::open(&url).await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 100).await.expect("demo seed");
    (cchc_web::router(cchc_web::AppState::new(store, catalogue)), url)
}

/// The province's H1 report saved with a split above its total (an error-level finding); its
/// version.
async fn save_broken_report(c: &mut Client) -> String {
    let url = form_url(PROVINCE, H1, 2);
    let page = c.get(&url).await;
    let version = field_value(&page.body, "version").unwrap_or_default();
    let saved = c.submit(&url, &[("version", &version), ("2.1.1", "5"), ("2.1.1[level=xa]", "8")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let overview = c.get(&format!("/reports/{PROVINCE}/{H1}")).await;
    field_value(&overview.body, "version").expect("a version on the report page")
}

#[tokio::test]
async fn submitting_a_report_with_an_error_is_refused_by_the_page_and_the_api_with_one_message() {
    let app = app().await;
    let mut c = Client::logged_in(&app, "tonghop").await;
    let version = save_broken_report(&mut c).await;

    let api = c
        .json("POST", &format!("/api/reports/{PROVINCE}/{H1}/workflow"), &format!(r#"{{"action": "submit", "version": {version}}}"#))
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    let body: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(body["error"], "invalid");
    let message = body["message"].as_str().unwrap().to_string();
    assert!(message.starts_with("Không thể gửi: báo cáo còn "), "{message}");
    assert!(body["problems"].as_array().is_some_and(|p| !p.is_empty()), "{}", api.body);

    let page = c.submit(&format!("/reports/{PROVINCE}/{H1}/action"), &[("action", "submit"), ("version", &version)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains(&message), "the page does not say «{message}»: {}", page.body);

    // Nothing moved: the report is still a draft at the same version.
    let report = c.get(&format!("/api/reports/{PROVINCE}/{H1}")).await;
    let report: serde_json::Value = serde_json::from_str(&report.body).unwrap();
    assert_eq!(report["status"], "draft");
    assert_eq!(report["version"].to_string(), version);
}

#[tokio::test]
async fn the_api_answers_json_errors_with_their_status_never_a_redirect() {
    let app = app().await;
    let mut anonymous = Client::new(&app);
    let units = anonymous.get("/api/units").await;
    assert_eq!(units.status, StatusCode::UNAUTHORIZED);
    assert!(units.content_type.starts_with("application/json"), "{}", units.content_type);
    let body: serde_json::Value = serde_json::from_str(&units.body).unwrap();
    assert_eq!(body["error"], "unauthenticated");
    assert_eq!(body["message"], "Vui lòng đăng nhập.");
    // A write without a session is refused the same way, before its CSRF token is looked at.
    let put = anonymous.json("PUT", &format!("/api/reports/99101N/{H1}"), "{}").await;
    assert_eq!(put.status, StatusCode::UNAUTHORIZED, "{}", put.body);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&put.body).unwrap()["error"], "unauthenticated");

    let mut c = Client::logged_in(&app, "sonha").await;
    // Another commune's report: 403 in JSON.
    let other = c.get(&format!("/api/reports/99201N/{H1}")).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&other.body).unwrap()["error"], "forbidden");
    // A malformed body: 422 naming the field in Vietnamese, no parser English.
    let put = format!("/api/reports/99101N/{H1}");
    let bad = c.json("PUT", &put, r#"{"version": "hai", "values": {}}"#).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("trường \\\"version\\\"") && bad.body.contains("sai kiểu giá trị"), "{}", bad.body);
    assert!(!bad.body.contains("invalid type") && !bad.body.contains("expected"), "{}", bad.body);
    let missing = c.json("PUT", &put, r#"{"version": null}"#).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("trường \\\"values\\\"") && missing.body.contains("thiếu trường này"), "{}", missing.body);
    let broken = c.json("PUT", &put, "{\"version\": ").await;
    assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(broken.body.contains("bị cắt cụt"), "{}", broken.body);
}

#[tokio::test]
async fn creating_one_report_twice_at_once_is_a_conflict_not_a_500() {
    let app = app().await;
    let mut first = Client::logged_in(&app, "tonghop").await;
    let mut second = Client::logged_in(&app, "tonghop").await;
    // The province has no Q3 report yet: both create it from nothing at the same time.
    let url = format!("/api/reports/{PROVINCE}/2026-Q3");
    let body = r#"{"version": null, "values": {"2.1.1": "4"}}"#;
    let (a, b) = tokio::join!(first.json("PUT", &url, body), second.json("PUT", &url, body));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{} / {}", a.body, b.body);
    for r in [&a, &b] {
        assert!(!r.body.contains("UNIQUE") && !r.body.contains("constraint") && !r.body.contains("database"), "{}", r.body);
    }
}

#[tokio::test]
async fn a_busy_database_is_a_vietnamese_refusal_on_the_page_and_in_the_api_never_driver_text() {
    let (app, url) = demo_in_file("busy").await;
    let mut c = Client::logged_in(&app, "sonha").await;
    let form = form_url("99101N", H1, 2);
    let version = field_value(&c.get(&form).await.body, "version").unwrap_or_default();

    // Another program holds SQLite's write lock for longer than cchc waits for it.
    use sqlx::Connection;
    let mut holder = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut holder).await.unwrap();
    let page = c.submit(&form, &[("version", &version), ("2.1.1", "7")]).await;
    let api = c.json("PUT", &format!("/api/reports/99101N/{H1}"), r#"{"version": null, "values": {"2.1.1": "7"}}"#).await;
    sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();

    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{}", page.body);
    assert!(page.body.contains("Hệ thống đang bận"), "{}", page.body);
    assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE, "{}", api.body);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&api.body).unwrap()["error"], "unavailable");
    for body in [&page.body, &api.body] {
        for text in ["database is locked", "sqlx", "SQLITE", "error returned from database"] {
            assert!(!body.contains(text), "{text} in {body}");
        }
    }
    // Once the lock is gone the same save goes through.
    let again = c.submit(&form, &[("version", &version), ("2.1.1", "7")]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
}

#[tokio::test]
async fn the_openapi_document_describes_the_workflow_step_and_the_error_body() {
    let app = app().await;
    let doc = Client::new(&app).get("/api/openapi.json").await;
    let doc: serde_json::Value = serde_json::from_str(&doc.body).expect("the OpenAPI document is JSON");
    let step = &doc["paths"]["/api/reports/{unit}/{period}/workflow"]["post"];
    assert!(step["responses"]["422"].is_object(), "{step}");
    let error = &doc["components"]["responses"]["Error"]["content"]["application/json"]["schema"];
    let codes: Vec<&str> = error["properties"]["error"]["enum"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    for e in [
        cchc_app::Error::NotFound(String::new()),
        cchc_app::Error::Forbidden(String::new()),
        cchc_app::Error::invalid(""),
        cchc_app::Error::Conflict(String::new()),
        cchc_app::Error::Unavailable(String::new()),
        cchc_app::Error::Internal { reference: String::new() },
    ] {
        assert!(codes.contains(&e.code()), "{} is not in the document's error codes {codes:?}", e.code());
    }
}

#[tokio::test]
async fn a_constraint_failure_shows_a_reference_on_the_page_and_in_the_api_never_database_text() {
    let (app, url) = demo_in_file("constraint").await;
    // The database refuses every figure written from now on, in its own words.
    use sqlx::Connection;
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("CREATE TRIGGER refuse BEFORE INSERT ON report_entries BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: report_entries.entry_key'); END")
        .execute(&mut db)
        .await
        .unwrap();
    let mut c = Client::logged_in(&app, "sonha").await;
    let form = form_url("99101N", H1, 2);
    let version = field_value(&c.get(&form).await.body, "version").unwrap_or_default();
    let page = c.submit(&form, &[("version", &version), ("2.1.1", "7")]).await;
    let api =
        c.json("PUT", &format!("/api/reports/99101N/{H1}"), &format!(r#"{{"version": {version}, "values": {{"2.1.1": "7"}}}}"#)).await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", page.body);
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", api.body);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&api.body).unwrap()["error"], "internal");
    for body in [&page.body, &api.body] {
        assert!(body.contains("mã tham chiếu E"), "{body}");
        for text in ["UNIQUE", "constraint", "report_entries", "sqlx", "error returned from database"] {
            assert!(!body.contains(text), "{text} in {body}");
        }
    }
}
