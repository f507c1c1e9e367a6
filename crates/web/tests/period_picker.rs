//! One unit and period picker on every page that depends on a unit and a period (issue 16 item 2):
//! the pages include `period_picker.html`, and the pages whose unit and period are in their path
//! (compile, report, entry form, a figure of a report) send the picker's choice to that unit and period's page
//! (the figure page to the same figure).

use axum::Router;
use axum::http::StatusCode;

mod common;
use common::Client;

async fn app() -> Router {
    common::demo().await
}

/// The picker's form: its period select, with the selected period.
fn picked_period(html: &str) -> Option<String> {
    let start = html.find("<select name=\"period\" data-autosubmit>")?;
    let select = &html[start..start + html[start..].find("</select>")?];
    let at = select.find("\" selected>")?;
    Some(select[..at].rsplit('"').next()?.to_string())
}

fn has_unit_picker(html: &str) -> bool {
    html.contains("<select name=\"unit\" data-autosubmit>")
}

#[tokio::test]
async fn the_pages_of_a_unit_and_a_period_share_the_picker() {
    let app = app().await;
    let mut office = Client::logged_in(&app, "tonghop").await;
    for (url, period, units) in [
        ("/?period=2026-H1", "2026-H1", false),
        ("/dashboard?period=2026-H1", "2026-H1", true),
        ("/dossiers?period=2026-9M", "2026-9M", true),
        ("/dossiers/stats?period=2026-9M", "2026-9M", true),
        ("/compile/991/2025-H1", "2025-H1", true),
    ] {
        let page = office.get(url).await;
        assert_eq!(page.status, StatusCode::OK, "{url}");
        assert_eq!(picked_period(&page.body).as_deref(), Some(period), "{url}: the picker shows its period");
        assert_eq!(has_unit_picker(&page.body), units, "{url}: a unit picker");
    }
    // The compile page offers the units that have units below them, the page's own selected.
    let compile = office.get("/compile/991/2025-H1").await;
    assert!(compile.body.contains("<option value=\"991\" selected>"), "the page's unit is picked");
    assert!(compile.body.contains("<option value=\"99\">"), "the province is offered");
    assert!(!compile.body.contains("<option value=\"99101\">"), "a commune, with no unit below, is not offered");
}

#[tokio::test]
async fn the_compile_page_sends_the_picked_unit_and_period_to_their_page() {
    let app = app().await;
    let mut office = Client::logged_in(&app, "tonghop").await;
    let moved = office.get("/compile/991/2025-H1?period=2026-H1&unit=99").await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    assert_eq!(moved.location.as_deref(), Some("/compile/99/2026-H1"));
    let period_only = office.get("/compile/991/2025-H1?period=2025-Y").await;
    assert_eq!(period_only.location.as_deref(), Some("/compile/991/2025-Y"));
    let wrong = office.get("/compile/991/2025-H1?period=2025-X").await;
    assert!(wrong.status.is_client_error(), "{}", wrong.status);
}

#[tokio::test]
async fn the_report_page_has_the_picker_and_sends_the_choice_to_that_report() {
    let app = app().await;
    let mut office = Client::logged_in(&app, "tonghop").await;
    let page = office.get("/reports/991/2025-H1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(picked_period(&page.body).as_deref(), Some("2025-H1"));
    assert!(page.body.contains("<option value=\"991\" selected>"), "the page's unit is picked");
    let moved = office.get("/reports/991/2025-H1?period=2026-H1&unit=99").await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    assert_eq!(moved.location.as_deref(), Some("/reports/99/2026-H1"));
    // A commune officer reads one unit: only the period is offered.
    let mut officer = Client::logged_in(&app, "sonha").await;
    let own = officer.get("/").await.body;
    let link =
        own.find("/reports/99101N/").map(|at| own[at..at + own[at..].find('"').unwrap()].to_string()).expect("a link to the own report");
    let report = officer.get(&link).await;
    assert_eq!(report.status, StatusCode::OK, "{link}");
    assert!(picked_period(&report.body).is_some(), "{link}: the period picker");
    assert!(!has_unit_picker(&report.body), "{link}: no unit picker for one unit");
}

#[tokio::test]
async fn the_figure_page_keeps_its_figure_when_another_period_is_picked() {
    let app = app().await;
    let mut office = Client::logged_in(&app, "tonghop").await;
    let link = "/reports/99201N/2026-H1/figure?key=4.2.1";
    let figure = office.get(link).await;
    assert_eq!(figure.status, StatusCode::OK, "{link}");
    assert_eq!(picked_period(&figure.body).as_deref(), Some("2026-H1"), "{link}");
    assert!(figure.body.contains("<input type=\"hidden\" name=\"key\" value=\"4.2.1\">"), "the picker sends the figure's key");
    let moved = office.get(&format!("{link}&period=2026-Q1&unit=99101N")).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    assert_eq!(moved.location.as_deref(), Some("/reports/99101N/2026-Q1/figure?key=4.2.1"));
}

#[tokio::test]
async fn the_entry_form_has_the_picker_and_keeps_its_form_number() {
    let app = app().await;
    let mut office = Client::logged_in(&app, "tonghop").await;
    let page = office.get("/reports/99201N/2026-H1/form/1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(picked_period(&page.body).as_deref(), Some("2026-H1"));
    assert!(has_unit_picker(&page.body), "the office reads the units below");
    let moved = office.get("/reports/99201N/2026-H1/form/1?period=2026-Q1&unit=99101N").await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    assert_eq!(moved.location.as_deref(), Some("/reports/99101N/2026-Q1/form/1"));
}
