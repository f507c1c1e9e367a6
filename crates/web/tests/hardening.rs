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
