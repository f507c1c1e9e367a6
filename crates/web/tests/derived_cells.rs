//! An indicator whose figure cchc derives from a unit's records is read-only only where the unit
//! keeps those records: the province, which keeps its inspections in cchc, reads 1.3.10 from them
//! (read-only, a typed value not taken); a commune that keeps none types 1.3.10 like any figure.

mod common;

use axum::body::Body;
use axum::http::{StatusCode, header};
use common::{Client, Reply, demo, element, form_url};

const PERIOD: &str = "2026-9M";

async fn cell(c: &mut Client, unit: &str, name: &str, value: &str, version: &str) -> Reply {
    let body = serde_urlencoded::to_string([("cell", name), ("value", value), ("version", version)]).unwrap();
    let request = c
        .request("POST", &form_url(unit, PERIOD, 1))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-cchc-cell", "1")
        .header("x-csrf-token", c.csrf.clone())
        .body(Body::from(body))
        .unwrap();
    c.send(request).await
}

/// The `<input …>` of the cell `id` on the page.
fn input<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no {id}"));
    let start = html[..at].rfind('<').unwrap();
    &html[start..start + html[start..].find('>').unwrap()]
}

#[tokio::test]
async fn a_figure_is_read_only_where_the_unit_keeps_its_records_and_typed_elsewhere() {
    let app = demo().await;
    let mut province = Client::logged_in(&app, "tonghop").await;
    let page = province.get(&form_url("99", PERIOD, 1)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(input(&page.body, "k-1-3-10").contains("readonly"), "{}", input(&page.body, "k-1-3-10"));

    let mut commune = Client::logged_in(&app, "lacgiang").await;
    let page = commune.get(&form_url("99201N", PERIOD, 1)).await;
    let field = input(&page.body, "k-1-3-10");
    assert!(!field.contains("readonly"), "{field}");
    let version = common::field_value(&page.body, "version").unwrap_or_default();
    let saved = cell(&mut commune, "99201N", "1.3.10", "3", &version).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(saved.body.contains("\"value\":\"3\""), "{}", saved.body);
    let again = commune.get(&form_url("99201N", PERIOD, 1)).await;
    assert!(input(&again.body, "k-1-3-10").contains("value=\"3\""), "kept: {}", element(&again.body, "k-1-3-10"));
}
