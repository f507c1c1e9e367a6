//! Hardening against hostile input and hostile clients (issue 16 item 4): values escaped for the
//! place they are written in, security headers on every response, no existence oracle, sessions
//! and logins, and limits.

use axum::Router;
use axum::http::StatusCode;

mod common;
use common::Client;

/// A unit name that runs script wherever it is written unescaped into HTML or a script element.
const HOSTILE: &str = "</script><img src=x onerror=alert(1)>";

async fn demo() -> (Router, std::sync::Arc<dyn cchc_storage::Store>) {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 300).await.expect("demo seed");
    (cchc_web::router(cchc_web::AppState::new(store.clone(), catalogue)), store)
}

/// Renames a unit directly in the store, as a units import could.
async fn rename(store: &dyn cchc_storage::Store, code: &str, name: &str) {
    let tree = store.unit_tree().await.unwrap();
    let mut unit = tree.get(code).expect("unit").clone();
    unit.name = name.into();
    store.upsert_units(&[unit], &[]).await.unwrap();
}

#[tokio::test]
async fn a_hostile_unit_name_is_never_written_as_markup_on_the_dashboard() {
    let (_, store) = demo().await;
    // A district below the province, so it is in the dashboard's ranking chart and table.
    let tree = store.unit_tree().await.unwrap();
    let child = tree
        .children_in("99", chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap())
        .into_iter()
        .find(|c| c.kind.territorial_level().is_some())
        .expect("a district")
        .code
        .clone();
    rename(store.as_ref(), &child, HOSTILE).await;
    // The router reads the unit tree at start: build it after the rename.
    let app = cchc_web::router(cchc_web::AppState::new(store.clone(), cchc_catalogue::default_catalogue()));
    let mut admin = Client::logged_in(&app, "quantri").await;
    let pages = [
        "/dashboard?period=2026-Y",
        "/dossiers/stats?period=2026-Y",
        "/dossiers?period=2026-Y",
        "/?period=2026-H1",
        "/compile/99/2026-H1",
        "/admin/units",
    ];
    for page in pages {
        let r = admin.get(page).await;
        assert_eq!(r.status, StatusCode::OK, "{page}: {}", r.body);
        assert!(!r.body.contains("</script><img"), "{page} writes the name raw: {}", r.body);
        assert!(!r.body.contains("<img src=x"), "{page} writes the name as markup");
    }
    let mut leader = Client::logged_in(&app, "lanhdao").await;
    let dashboard = leader.get("/dashboard?period=2026-Y").await;
    // The chart's data still names the unit, escaped for a script element.
    assert!(dashboard.body.contains(r"\u003c/script\u003e\u003cimg src=x onerror=alert(1)\u003e"), "{}", dashboard.body);
    // No inline script: every script element is external or JSON data.
    for (i, _) in dashboard.body.match_indices("<script") {
        let tag = &dashboard.body[i..i + dashboard.body[i..].find('>').unwrap()];
        assert!(tag.contains(" src=\"/static/") || tag.contains("type=\"application/json\""), "inline script: {tag}");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let (app, _) = demo().await;
    let mut c = Client::new(&app);
    let login = c.get("/login").await;
    let asset = c.get("/static/app.js").await;
    let missing = c.get("/khong-co").await;
    let api = c.get("/api/units").await;
    let mut officer = Client::logged_in(&app, "sonha").await;
    let page = officer.get("/").await;
    let api_ok = officer.get("/api/units").await;
    let refused = officer.post_form("/logout", &[("_csrf", "sai")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    for (what, r) in [
        ("login", &login),
        ("asset", &asset),
        ("404", &missing),
        ("api 401", &api),
        ("page", &page),
        ("api", &api_ok),
        ("csrf 403", &refused),
    ] {
        let h = |name: &str| r.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        assert_eq!(
            h("content-security-policy"),
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
            "{what}"
        );
        assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
        assert_eq!(h("referrer-policy"), "same-origin", "{what}");
        assert_eq!(h("x-frame-options"), "DENY", "{what}");
    }
}

/// No page writes inline script or style, which the policy would refuse.
#[tokio::test]
async fn pages_have_no_inline_script_or_style() {
    let (app, _) = demo().await;
    let mut admin = Client::logged_in(&app, "quantri").await;
    let mut officer = Client::logged_in(&app, "sonha").await;
    let mut pages = Vec::new();
    for p in [
        "/",
        "/dashboard?period=2026-Y",
        "/dossiers/stats?period=2026-Y",
        "/dossiers?period=2026-Y",
        "/compile/99/2026-H1",
        "/admin/units",
        "/admin/users",
        "/admin/catalogue",
        "/admin/calendar",
        "/audit",
        "/reports/import",
    ] {
        pages.push((p.to_string(), admin.get(p).await));
    }
    for p in ["/reports/99101N/2026-H1", "/reports/99101N/2026-H1/form/1", "/reports/99101N/2026-H1/preview"] {
        pages.push((p.to_string(), officer.get(p).await));
    }
    pages.push(("/login".into(), Client::new(&app).get("/login").await));
    for (p, r) in &pages {
        assert_eq!(r.status, StatusCode::OK, "{p}");
        let body = &r.body;
        for (i, _) in body.match_indices("<script") {
            let tag = &body[i..i + body[i..].find('>').unwrap()];
            assert!(tag.contains(" src=\"/static/") || tag.contains("type=\"application/json\""), "{p}: inline script {tag}");
        }
        for bad in ["<style", " style=", " onclick=", " onchange=", " onsubmit=", " oninput=", "javascript:", "hx-vals='js:", "hx-on"] {
            assert!(!body.contains(bad), "{p}: {bad}");
        }
    }
}

/// Another unit's dossier answers as a missing one does, on the page, the API and the event
/// form: a refusal would tell that the receipt code exists.
#[tokio::test]
async fn another_units_dossier_is_answered_as_a_missing_one() {
    let (app, store) = demo().await;
    let until = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    let other = store.dossiers(&["99201N".to_string()], until).await.unwrap();
    let id = &other.first().expect("a dossier of lacgiang's commune").id;
    let mut officer = Client::logged_in(&app, "sonha").await;
    let mut replies = Vec::new();
    for path in [format!("/dossiers/{id}"), "/dossiers/KHONG-CO-HO-SO".to_string()] {
        let page = officer.get(&path).await;
        let api = officer.get(&format!("/api{path}")).await;
        let event = officer.submit(&format!("{path}/events"), &[("version", "1"), ("kind", "huy"), ("at", "2026-03-02T09:00")]).await;
        replies.push((page, api, event));
    }
    let (theirs, missing) = (&replies[0], &replies[1]);
    for (what, a, b) in [("page", &theirs.0, &missing.0), ("api", &theirs.1, &missing.1), ("event", &theirs.2, &missing.2)] {
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{what}: {}", a.body);
        assert_eq!(a.status, b.status, "{what}");
        assert_eq!(a.body.replace(id.as_str(), "X"), b.body.replace("KHONG-CO-HO-SO", "X"), "{what}: the two answers differ");
    }
}

/// A copy of a logged-in client: the same session, as a second tab.
fn tab(c: &Client) -> Client {
    Client { app: c.app.clone(), cookie: c.cookie.clone(), csrf: c.csrf.clone() }
}

#[tokio::test]
async fn anonymous_visits_of_the_login_page_store_no_session() {
    let dir = std::env::temp_dir().join(format!("cchc-sessions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("demo.db");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    let store = cchc_storage::open(&url).await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 50).await.expect("demo seed");
    let app = cchc_web::router(cchc_web::AppState::new(store.clone(), catalogue));
    let rows = || async {
        use sqlx::Connection;
        let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions").fetch_one(&mut db).await.unwrap()
    };
    for _ in 0..5 {
        let mut visitor = Client::new(&app);
        let page = visitor.get("/login").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!visitor.cookie.as_deref().unwrap_or_default().contains("cchc_session"), "{:?}", visitor.cookie);
        // A failed login stores nothing either.
        let wrong = visitor.login("khongco", "sai-mat-khau").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(rows().await, 0, "anonymous visits stored sessions");
    let mut officer = Client::logged_in(&app, "sonha").await;
    assert_eq!(officer.get("/").await.status, StatusCode::OK);
    assert_eq!(rows().await, 1);
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_login_form_needs_its_cookie_and_the_csrf_token_changes_at_login() {
    let (app, _) = demo().await;
    let mut c = Client::new(&app);
    c.get("/login").await;
    let before = c.csrf.clone();
    assert_eq!(before.len(), 32);
    // The form's token without the cookie it was given with (a forged login form) is refused.
    let mut forger = Client { app: app.clone(), cookie: None, csrf: before.clone() };
    let forged = forger.submit("/login", &[("username", "sonha"), ("password", cchc_app::demo::PASSWORD)]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    let ok = c.login("sonha", cchc_app::demo::PASSWORD).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let home = c.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_ne!(c.csrf, before, "the CSRF token is the same before and after login");
    assert_ne!(c.csrf, "");
}

#[tokio::test]
async fn a_password_reset_ends_the_accounts_other_sessions() {
    let (app, _) = demo().await;
    let officer = Client::logged_in(&app, "sonha").await;
    let mut phone = tab(&officer);
    let mut desk = Client::logged_in(&app, "sonha").await;
    assert_eq!(phone.get("/").await.status, StatusCode::OK);
    let mut admin = Client::logged_in(&app, "quantri").await;
    let mut admin_other = Client::logged_in(&app, "quantri").await;
    let change = |name: &'static str, role: &'static str, unit: &'static str, password: &'static str| {
        vec![("full_name", name), ("role", role), ("unit_code", unit), ("active", "1"), ("password", password)]
    };
    let r = admin.submit("/admin/users/sonha", &change("Phạm Thị Hà", "unit-officer", "99101N", "mat-khau-moi-2026")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for (what, c) in [("phone", &mut phone), ("desk", &mut desk)] {
        let r = c.get("/").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{what}: still logged in after the reset");
        assert_eq!(r.location.as_deref(), Some("/login"));
    }
    let api = desk.get("/api/units").await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    // The new password opens a session; a change without a password ends nothing.
    let mut again = Client::new(&app);
    assert_eq!(again.login("sonha", "mat-khau-moi-2026").await.status, StatusCode::SEE_OTHER);
    let r = admin.submit("/admin/users/sonha", &change("Phạm Thị Hà", "unit-officer", "99101N", "")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(again.get("/").await.status, StatusCode::OK);
    // An administrator who changes their own password keeps this session, not the others.
    let r = admin.submit("/admin/users/quantri", &change("Nguyễn Văn Quản", "admin", "99", "mat-khau-quan-tri-moi")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(admin.get("/admin/users").await.status, StatusCode::OK);
    assert_eq!(admin_other.get("/admin/users").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn failures_from_one_address_across_user_names_are_limited() {
    let (app, _) = demo().await;
    let mut c = Client::new(&app);
    for i in 0..20 {
        let r = c.login(&format!("nguoi-dung-{i}"), "mat-khau-chung").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."), "{}", r.body);
    }
    // The twenty-first attempt from the address is refused, even with a right password.
    let blocked = c.login("sonha", cchc_app::demo::PASSWORD).await;
    assert_eq!(blocked.status, StatusCode::UNAUTHORIZED);
    assert!(blocked.body.contains("Có quá nhiều lần đăng nhập sai từ địa chỉ này. Vui lòng thử lại sau 15 phút."), "{}", blocked.body);
    let api = c.json("POST", "/api/login", r#"{"username": "lacgiang", "password": "demo@2026"}"#).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert!(api.body.contains("quá nhiều lần đăng nhập sai"), "{}", api.body);
}

#[tokio::test]
async fn a_body_above_the_limit_is_refused_in_vietnamese_and_the_server_still_answers() {
    let (app, _) = demo().await;
    let mut admin = Client::logged_in(&app, "quantri").await;
    let big = "x".repeat(cchc_web::MAX_BODY + 1);
    // A form (the test client declares no length: the body is cut at the limit as it is read).
    let r = admin.submit("/admin/units", &[("json", big.as_str())]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", &r.body[..r.body.len().min(300)]);
    assert!(r.body.contains("Dữ liệu gửi lên quá lớn: tối đa 1 MB cho mỗi lần gửi."), "{}", r.body);
    // The API: JSON.
    let r = admin.json("PUT", "/api/reports/99101N/2026-H1", &format!("{{\"x\": \"{big}\"}}")).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.content_type.starts_with("application/json"));
    assert!(r.body.contains("Dữ liệu gửi lên quá lớn"), "{}", r.body);
    // A declared length above the limit is refused before the body is read.
    let request = admin
        .request("POST", "/admin/units")
        .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(axum::http::header::CONTENT_LENGTH, big.len().to_string())
        .body(axum::body::Body::from(big.clone()))
        .unwrap();
    let r = admin.send(request).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("Dữ liệu gửi lên quá lớn"));
    // An upload takes more than a form, and the server answers afterwards.
    let file = "x".repeat(2 * cchc_web::MAX_BODY);
    let multipart = format!("--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.json\"\r\n\r\n{file}\r\n--X--\r\n");
    let csrf = admin.csrf.clone();
    let request = admin
        .request("POST", &format!("/reports/import?_csrf={csrf}"))
        .header(axum::http::header::CONTENT_TYPE, "multipart/form-data; boundary=X")
        .body(axum::body::Body::from(multipart))
        .unwrap();
    let r = admin.send(request).await;
    assert_ne!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(admin.get("/admin/units").await.status, StatusCode::OK);
}

/// A receipt code from other software with characters that mean something in a URL: its links
/// and the redirect after an event lead back to it (no bare 500 for a `Location` header).
#[tokio::test]
async fn a_dossier_with_a_hostile_receipt_code_is_linked_and_redirected_to() {
    let (app, store) = demo().await;
    let code = "HS 1/2?x#ố\"<b>";
    let encoded = "HS%201%2F2%3Fx%23%E1%BB%91%22%3Cb%3E";
    let until = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    let model = store.dossiers(&["99101N".to_string()], until).await.unwrap().into_iter().next().expect("a dossier of 99101N");
    // In the third quarter: the demo has locked Sơn Hà's first quarter, where the counter
    // records nothing any more.
    let at = chrono::NaiveDate::from_ymd_opt(2026, 7, 2).unwrap().and_hms_opt(9, 0, 0).unwrap();
    let dossier = cchc_dossiers::Dossier {
        id: code.into(),
        events: vec![cchc_dossiers::Event {
            at,
            kind: cchc_dossiers::EventKind::Received { channel: cchc_dossiers::Channel::Direct },
            by: None,
            note: None,
        }],
        ..model
    };
    let procedures = cchc_app::dossiers::procedures(store.as_ref()).await.unwrap();
    let stored =
        cchc_app::dossiers::store_dossiers(store.as_ref(), &[dossier], &procedures, &cchc_calendar::WorkCalendar::vietnam()).await.unwrap();
    assert!(matches!(stored, cchc_app::dossiers::Import::Stored(_)));
    let mut officer = Client::logged_in(&app, "sonha").await;
    let list = officer.get("/dossiers?period=2026-Q3&q=HS%201").await;
    assert!(list.body.contains(&format!("href=\"/dossiers/{encoded}\"")), "{}", list.body);
    let page = officer.get(&format!("/dossiers/{encoded}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("HS 1/2?x#ố&#34;&#60;b&#62;") || page.body.contains("HS 1/2?x#ố&quot;&lt;b&gt;"), "{}", page.body);
    let version = common::field_value(&page.body, "version").expect("the page's version");
    let r = officer
        .submit(&format!("/dossiers/{encoded}/events"), &[("version", version.as_str()), ("kind", "da-xu-ly"), ("at", "2026-07-03T10:00")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some(format!("/dossiers/{encoded}").as_str()));
}
