//! `/dossiers/stats.xlsx`: Biểu 06 as a workbook, with the same figures as the statistics the
//! page shows, field names rather than slugs, and the same access rule.

mod common;

use axum::http::StatusCode;
use common::Client;

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    std::io::read_to_string(zip.by_name(name).unwrap()).unwrap()
}

#[tokio::test]
async fn bieu_06_downloads_as_a_workbook_with_the_pages_figures() {
    let (app, store) = common::demo_with_store(600).await;
    let catalogue = cchc_catalogue::default_catalogue();
    let leader = store.user("lanhdao").await.unwrap().expect("lanhdao");
    let mut c = Client::logged_in(&app, "lanhdao").await;
    let page = c.get(&format!("/dossiers/stats?unit={}&period=2026-Y", leader.unit_code)).await;
    assert!(page.body.contains("<td>Hộ tịch</td>") && !page.body.contains("<td>ho-tich</td>"), "{}", page.body);
    assert!(page.body.contains(&format!("href=\"/dossiers/stats.xlsx?unit={}&period=2026-Y\"", leader.unit_code)), "{}", page.body);
    let r = c.get(&format!("/dossiers/stats.xlsx?unit={}&period=2026-Y", leader.unit_code)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.content_type.contains("spreadsheetml"));
    let strings = part(&r.bytes, "xl/sharedStrings.xml");
    assert!(strings.contains("Tổng số tiếp nhận") && strings.contains("Tổng cộng") && strings.contains("Hộ tịch"), "{strings}");
    assert!(!strings.contains("ho-tich"), "field slugs are named");
    // The total row holds the use case's totals, in the columns' order.
    let app_ = cchc_app::App::with(store.clone(), catalogue, cchc_calendar::WorkCalendar::vietnam());
    let table = cchc_app::ledger::statistics(&app_, &leader, &leader.unit_code, "2026-Y".parse().unwrap()).await.unwrap();
    let received = table.total().figure("received_total").unwrap();
    assert!(received > 0);
    let sheet = part(&r.bytes, "xl/worksheets/sheet1.xml");
    let last_row = sheet.rsplit("<row ").next().unwrap();
    assert!(last_row.contains(&format!("<v>{received}</v>")), "{last_row}");
    // An officer may not download a unit outside their own.
    let officer = store.users().await.unwrap().into_iter().find(|u| u.role == cchc_storage::Role::UnitOfficer).unwrap();
    let mut o = Client::logged_in(&app, &officer.username).await;
    let r = o.get(&format!("/dossiers/stats.xlsx?unit={}&period=2026-Y", leader.unit_code)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
