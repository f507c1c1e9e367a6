//! The dossier list as officers work with it (issue 15 item 3): a search without diacritics on
//! the procedure's name and field ("khai sinh" finds "Đăng ký khai sinh", "ho tich" the field
//! "Hộ tịch"), `%` a character, real paging past 200 with the total, the work lists with their
//! counts and colours, the Excel export of the same rows; only valid events offered and
//! accepted; the demo's ledger ending today.

mod common;

use axum::http::StatusCode;
use common::{Client, demo_with_store};

/// The rows of the list page: (receipt code, procedure name, field, row class).
fn rows(html: &str) -> Vec<(String, String, String, String)> {
    let body = &html[html.find("<tbody>").expect("table body")..html.find("</tbody>").expect("table end")];
    body.split("<tr")
        .skip(1)
        .map(|tr| {
            let class = tr.split("class=\"").nth(1).filter(|_| tr.starts_with(" class")).and_then(|c| c.split('"').next()).unwrap_or("");
            let cell = |label: &str| {
                let at = tr.find(&format!("data-label=\"{label}\">")).unwrap_or_else(|| panic!("no {label}")) + label.len() + 14;
                let text = &tr[at..];
                let text = text.strip_prefix("<a href=\"").map_or(text, |t| &t[t.find('>').unwrap() + 1..]);
                text[..text.find('<').unwrap()].to_string()
            };
            (cell("Mã hồ sơ"), cell("Thủ tục"), cell("Lĩnh vực"), class.to_string())
        })
        .collect()
}

/// The summary "Trang p/n · N hồ sơ": (page, pages, total).
fn summary(html: &str) -> (i64, i64, i64) {
    let at = html.find("id=\"list-summary\">Trang ").expect("summary") + 24;
    let text = &html[at..];
    let (pages, rest) = text.split_once(" · ").unwrap();
    let (p, n) = pages.split_once('/').unwrap();
    let total = rest.split(' ').next().unwrap().replace('.', "");
    (p.parse().unwrap(), n.replace('.', "").parse().unwrap(), total.parse().unwrap())
}

#[tokio::test]
async fn searching_khai_sinh_finds_the_birth_registrations_and_pages_go_past_200() {
    let (app, store) = demo_with_store(2400).await;
    let mut c = Client::logged_in(&app, "tonghop").await;
    let since = "/dossiers?from=01/01/2025";
    let first = c.get(&format!("{since}&q=khai+sinh")).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let (page, pages, total) = summary(&first.body);
    assert!(total > 200, "{total} birth registrations: {}", &first.body[first.body.find("<main").unwrap_or(0)..]);
    assert_eq!((page, pages), (1, (total + 49) / 50));
    let found = rows(&first.body);
    assert_eq!(found.len(), 50);
    assert!(found.iter().all(|(_, p, f, _)| p == "Đăng ký khai sinh" && f == "Hộ tịch"), "{found:?}");
    // Page 5 holds dossiers 201–250 of the same search, none of the first page's.
    let fifth = c.get(&format!("{since}&q=khai+sinh&page=5")).await;
    assert_eq!(summary(&fifth.body), (5, pages, total));
    let later = rows(&fifth.body);
    assert!(!later.is_empty() && later.iter().all(|(id, p, _, _)| p == "Đăng ký khai sinh" && !found.iter().any(|f| &f.0 == id)));
    assert!(fifth.body.contains("Trang 5/"));
    // With diacritics, in capitals, or the field's name: the same dossiers or more.
    assert_eq!(summary(&c.get(&format!("{since}&q=%C4%90%C4%82NG+K%C3%9D+KHAI+SINH")).await.body).2, total);
    let field = c.get(&format!("{since}&q=ho+tich")).await;
    assert!(summary(&field.body).2 > total);
    assert!(!field.body.contains(">ho-tich<"), "fields by their names, never slugs");
    // `%` is a character: no dossier has it.
    assert_eq!(summary(&c.get(&format!("{since}&q=%25")).await.body).2, 0);
    // The field filter and the Excel export of the same rows.
    let by_field = c.get(&format!("{since}&field=ho-tich")).await;
    assert_eq!(summary(&by_field.body).2, summary(&field.body).2);
    let xlsx = c.get("/dossiers.xlsx?from=01/01/2025&q=khai+sinh").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.content_type.contains("spreadsheetml"));
    assert!(xlsx.bytes.starts_with(b"PK"));
    // A date typed wrong is said in Vietnamese, naming the field.
    let wrong = c.get("/dossiers?from=31/02/2025").await;
    assert!(wrong.body.contains("không phải ngày dạng dd/mm/yyyy"), "{}", wrong.body);

    // The work lists: counted on tabs, the overdue list red, ordered by appointment.
    let list = c.get("/dossiers").await;
    for name in ["Quá hạn", "Sắp đến hạn", "Chờ bổ sung", "Chờ trả kết quả"] {
        assert!(list.body.contains(&format!("data-list=\"{name}\"")), "tab {name}");
    }
    let overdue = c.get("/dossiers?list=qua-han").await;
    let late = rows(&overdue.body);
    assert!(late.iter().all(|(_, _, _, class)| class == "urgent-red"), "{late:?}");
    let supplement = c.get("/dossiers?list=cho-bo-sung").await;
    assert!(summary(&supplement.body).2 > 0, "the demo has dossiers awaiting a supplement");
    assert!(rows(&supplement.body).iter().all(|(_, _, _, class)| class.is_empty()));

    // The demo's ledger ends today: nothing received after now, no event in the future.
    let now = cchc_storage::now();
    let units: Vec<String> = store.unit_tree().await.unwrap().subtree("99").into_iter().map(|u| u.code.clone()).collect();
    let far = chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap().and_hms_opt(0, 0, 0).unwrap();
    let all = store.dossiers(&units, far).await.unwrap();
    assert!(all.len() > 1000);
    assert!(all.iter().all(|d| d.events.iter().all(|e| e.at <= now)), "an event after {now}");
}

#[tokio::test]
async fn only_the_events_of_the_dossiers_state_are_offered_and_accepted() {
    let (app, store) = demo_with_store(300).await;
    let mut c = Client::logged_in(&app, "sonha").await;
    // A dossier of Sơn Hà whose result was returned: nothing more can be recorded.
    let units = vec!["99101N".to_string()];
    let far = chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap().and_hms_opt(0, 0, 0).unwrap();
    let all = store.dossiers(&units, far).await.unwrap();
    let done = all
        .iter()
        .rev()
        .find(|d| matches!(d.events.last().map(|e| &e.kind), Some(cchc_dossiers::EventKind::ResultReturned { .. })))
        .expect("a returned dossier");
    let page = c.get(&format!("/dossiers/{}", done.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    let select = &page.body[page.body.find("name=\"kind\"").unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    assert!(select.contains("không còn sự kiện nào ghi được"), "{select}");
    assert!(!select.contains("value=\"da-xu-ly\""));
    // Posted anyway: refused in Vietnamese, nothing written.
    let version = common::field_value(&page.body, "version").unwrap_or_else(|| "1".into());
    let at = cchc_storage::now().format("%d/%m/%Y %H:%M").to_string();
    let r = c.submit(&format!("/dossiers/{}/events", done.id), &[("kind", "da-xu-ly"), ("at", &at), ("version", &version)]).await;
    let shown = if r.status == StatusCode::SEE_OTHER { c.get(r.location.as_deref().unwrap()).await.body } else { r.body };
    assert!(shown.contains("không ghi được"), "{shown}");
    assert_eq!(store.dossier(&done.id).await.unwrap().unwrap().events.len(), done.events.len());
    // An open dossier offers "Đã xử lý xong" and not "Trả kết quả".
    if let Some(open) = all.iter().find(|d| d.events.len() == 1) {
        let page = c.get(&format!("/dossiers/{}", open.id)).await;
        let select = &page.body[page.body.find("name=\"kind\"").unwrap()..];
        let select = &select[..select.find("</select>").unwrap()];
        assert!(select.contains("Đã xử lý xong") && !select.contains("value=\"tra-ket-qua\""), "{select}");
    }
}

#[tokio::test]
async fn administrators_set_the_hours_of_due_soon() {
    let (app, store) = demo_with_store(300).await;
    let mut officer = Client::logged_in(&app, "sonha").await;
    let list = officer.get("/dossiers").await;
    assert!(list.body.contains("hẹn trả trong 8 giờ làm việc tới"), "the default");
    assert!(!list.body.contains("id=\"due-soon\""), "only administrators change it");
    let r = officer.submit("/dossiers/due-soon-hours", &[("hours", "16")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut admin = Client::logged_in(&app, "quantri").await;
    let r = admin.submit("/dossiers/due-soon-hours", &[("hours", "0")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("phải từ 1 đến 240"));
    let r = admin.submit("/dossiers/due-soon-hours", &[("hours", "16")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(admin.get("/dossiers").await.body.contains("hẹn trả trong 16 giờ làm việc tới"));
    assert_eq!(store.setting(cchc_storage::setting::DUE_SOON_HOURS).await.unwrap().as_deref(), Some("16"));
}
