//! A transferred dossier (chuyển liên thông) on the dossier list: both the receiving unit and the
//! unit it went to list it, and its row says where it went ("Xã Sơn Hà → Xã Lạc Giang"), on the
//! page and in the Excel export; a dossier not transferred names its unit only.

mod common;

use std::io::Read;

use axum::http::StatusCode;
use cchc_app::counter::{Receipt, receive_dossier, record_event};
use cchc_dossiers::{Channel, Event, EventKind};
use common::{Client, demo_with_store};

/// The "Đơn vị" cell of the row of `id` on a list page.
fn unit_cell(html: &str, id: &str) -> String {
    let row = html.split("<tr").find(|tr| tr.contains(&format!(">{id}</a>"))).unwrap_or_else(|| panic!("no row {id}: {html}"));
    let at = row.find("data-label=\"Đơn vị\">").expect("unit cell") + "data-label=\"Đơn vị\">".len();
    row[at..row[at..].find("</td>").unwrap() + at].to_string()
}

#[tokio::test]
async fn a_transferred_dossiers_row_names_the_receiving_unit_and_the_unit_it_went_to() {
    let (router, store) = demo_with_store(0).await;
    let app = cchc_app::App::with(store.clone(), cchc_catalogue::default_catalogue(), cchc_calendar::WorkCalendar::vietnam());
    let sonha = store.user("sonha").await.unwrap().unwrap();
    let procedures = cchc_app::dossiers::procedures(store.as_ref()).await.unwrap();
    let birth = procedures.values().find(|p| p.name == "Đăng ký khai sinh").unwrap().code.clone();
    // The last working day before today, 09:00.
    let mut day = cchc_storage::now().date().pred_opt().unwrap();
    while !app.calendar().is_working_day(day) {
        day = day.pred_opt().unwrap();
    }
    let at = day.and_hms_opt(9, 0, 0).unwrap();
    let receipt = |channel| Receipt { unit: "99101N".into(), procedure: birth.clone(), channel, at, applicant: None, documents: None };
    let moved = receive_dossier(&app, &sonha, &receipt(Channel::Direct)).await.unwrap();
    let kept = receive_dossier(&app, &sonha, &receipt(Channel::Online)).await.unwrap();
    let transfer =
        Event { at: at + chrono::Duration::minutes(10), kind: EventKind::Transferred { to_unit: "99201N".into() }, by: None, note: None };
    record_event(&app, &sonha, &moved.dossier.id, moved.version, transfer).await.unwrap();

    let shown =
        "<span class=\"transferred\" title=\"Tiếp nhận tại Xã Sơn Hà, chuyển liên thông đến Xã Lạc Giang\">Xã Sơn Hà → Xã Lạc Giang</span>";
    for user in ["sonha", "lacgiang"] {
        let mut c = Client::logged_in(&router, user).await;
        let page = c.get("/dossiers").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(unit_cell(&page.body, &moved.dossier.id), shown, "{user}");
    }
    let mut c = Client::logged_in(&router, "sonha").await;
    let page = c.get("/dossiers").await.body;
    assert_eq!(unit_cell(&page, &kept.dossier.id), "Xã Sơn Hà", "not transferred: its unit only");

    // The Excel export of the same list says it too.
    let xlsx = c.get("/dossiers.xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx.bytes.to_vec())).unwrap();
    let mut text = String::new();
    for i in 0..zip.len() {
        zip.by_index(i).unwrap().read_to_string(&mut text).unwrap();
    }
    assert!(text.contains("Xã Sơn Hà → Xã Lạc Giang"), "the export names where it went");
}
