//! The entry form's cell saves (entry.js posts one field with the `x-cchc-cell` header) and the
//! way back after a login: `/login?next=…` follows only a path of this site, a logged-out read
//! goes to the login page with `next=`, an expired session is a Vietnamese 401 for a script and
//! the login page (not a CSRF error) for a form.

mod common;

use axum::body::Body;
use axum::http::{StatusCode, header};
use common::{Client, Reply, form_url};

const UNIT: &str = "99201N";
const PERIOD: &str = "2026-9M";

async fn demo() -> axum::Router {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 300).await.expect("demo seed");
    cchc_web::router(cchc_web::AppState::new(store, catalogue))
}

async fn cell(c: &mut Client, form: u8, name: &str, value: &str, version: &str) -> Reply {
    let body = serde_urlencoded::to_string([("cell", name), ("value", value), ("version", version)]).unwrap();
    let request = c
        .request("POST", &form_url(UNIT, PERIOD, form))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-cchc-cell", "1")
        .header("x-csrf-token", c.csrf.clone())
        .body(Body::from(body))
        .unwrap();
    c.send(request).await
}

fn json(r: &Reply) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or_else(|_| panic!("not JSON: {}", r.body))
}

#[tokio::test]
async fn cells_are_saved_one_by_one_with_the_version_and_conflicts_are_refused() {
    let app = demo().await;
    let mut c = Client::logged_in(&app, "lacgiang").await;
    let page = c.get(&form_url(UNIT, PERIOD, 1)).await;
    assert_eq!(page.status, StatusCode::OK);
    let version = common::field_value(&page.body, "version").unwrap_or_default();
    // Labels name the indicator and the split.
    assert!(page.body.contains("aria-label=\"Số"), "labelled inputs");
    assert!(!page.body.contains("aria-label=\"Tổng số\""));
    let first = cell(&mut c, 1, "1.9.1", "1234", &version).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let first = json(&first);
    assert_eq!(first["value"], "1.234");
    let v1 = first["version"].as_i64().unwrap().to_string();
    let second = cell(&mut c, 1, "1.9.2", "1000", &v1).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    // The page's old version: somebody saved since.
    let stale = cell(&mut c, 1, "1.9.2", "999", &v1).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(json(&stale)["error"], "conflict");
    let bad = cell(&mut c, 1, "1.9.1", "hai mươi", &json(&second)["version"].to_string()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(&bad)["message"].as_str().unwrap().contains("chỉ tiêu 1.9.1"), "{}", bad.body);
    // Another unit's report.
    let mut other = Client::logged_in(&app, "sonha").await;
    let refused = cell(&mut other, 1, "1.9.1", "5", "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
}

#[tokio::test]
async fn an_expired_session_is_a_vietnamese_401_for_a_script_and_the_login_page_for_a_form() {
    let app = demo().await;
    let mut c = Client::logged_in(&app, "lacgiang").await;
    let csrf = c.csrf.clone();
    c.cookie = None;
    c.csrf = csrf;
    let r = cell(&mut c, 1, "1.9.1", "5", "").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(json(&r)["message"].as_str().unwrap().contains("Phiên làm việc đã hết hạn"));
    let check = c.htmx(&format!("{}/check", form_url(UNIT, PERIOD, 1)), &[("1.9.1", "5")]).await;
    assert_eq!(check.status, StatusCode::UNAUTHORIZED);

    let body = serde_urlencoded::to_string([("_csrf", "x"), ("1.9.1", "5")]).unwrap();
    let request = c
        .request("POST", &form_url(UNIT, PERIOD, 1))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "cchc.example")
        .header(header::REFERER, format!("http://cchc.example{}", form_url(UNIT, PERIOD, 1)))
        .body(Body::from(body))
        .unwrap();
    let page = c.send(request).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.body.contains("Phiên làm việc đã hết hạn") && !page.body.contains("CSRF"), "{}", page.body);
    assert!(page.body.contains(&format!("name=\"next\" value=\"{}\"", form_url(UNIT, PERIOD, 1))), "{}", page.body);
}

async fn login_with_next(app: &axum::Router, next: &str) -> Reply {
    let mut c = Client::new(app);
    let page = c.get(&format!("/login?next={}", urlencoding(next))).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = c.csrf.clone();
    c.post_form("/login", &[("_csrf", csrf.as_str()), ("username", "lacgiang"), ("password", cchc_app::demo::PASSWORD), ("next", next)])
        .await
}

fn urlencoding(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).unwrap()[2..].to_string()
}

#[tokio::test]
async fn the_login_returns_to_a_page_of_this_site_only() {
    let app = demo().await;
    let ok = login_with_next(&app, "/reports/99201N/2026-9M/form/2?x=1").await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location.as_deref(), Some("/reports/99201N/2026-9M/form/2?x=1"));
    for evil in ["//evil.com", "https://evil.com", "/\\evil.com", "http://evil.com/x", "evil.com", "/\t/evil.com"] {
        let r = login_with_next(&app, evil).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{evil}");
        assert_eq!(r.location.as_deref(), Some("/"), "{evil}");
    }
    // A logged-out read goes to the login page with the page to come back to.
    let mut anon = Client::new(&app);
    let r = anon.get("/reports/99201N/2026-9M/form/2").await;
    assert_eq!(r.location.as_deref(), Some("/login?next=%2Freports%2F99201N%2F2026-9M%2Fform%2F2"));
    let login = anon.get(r.location.as_deref().unwrap()).await;
    assert!(login.body.contains("name=\"next\" value=\"/reports/99201N/2026-9M/form/2\""), "{}", login.body);
}
