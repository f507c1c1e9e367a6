//! The audit log page: filters (unit, user, action, dd/mm/yyyy range), paging in the store,
//! full names, the CSV export with the same filters, and who sees what.

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::Client;

async fn demo() -> (Router, std::sync::Arc<dyn cchc_storage::Store>) {
    common::demo_with_store(300).await
}

#[tokio::test]
async fn filtered_paged_readable_and_exported() {
    let (app, store) = demo().await;
    let mut admin = Client::logged_in(&app, "quantri").await;
    for i in 0..120 {
        let e = cchc_storage::AuditEntry {
            unit_code: Some("99101N".into()),
            new_value: Some(format!("giá trị {i}")),
            ..cchc_storage::AuditEntry::now("quantri", "thử nghiệm")
        };
        store.append_audit(&e).await.unwrap();
    }
    let r = admin.get("/audit?action=th%E1%BB%AD+nghi%E1%BB%87m&unit=99101N").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("120 mục · trang 1/3"), "{}", common::element(&r.body, "audit-count"));
    assert_eq!(r.body.matches("<td>thử nghiệm</td>").count(), 50);
    assert!(r.body.contains("giá trị 119") && !r.body.contains("giá trị 69<"), "newest first, 50 per page");
    let user = store.user("quantri").await.unwrap().unwrap();
    assert!(r.body.contains(&format!("{} <small>(quantri)</small>", user.full_name)), "full name beside the user name");
    assert!(r.body.contains("rel=\"next\""));
    let last = admin.get("/audit?action=th%E1%BB%AD+nghi%E1%BB%87m&unit=99101N&page=3").await;
    assert_eq!(last.body.matches("<td>thử nghiệm</td>").count(), 20);
    assert!(last.body.contains("giá trị 0<") && !last.body.contains("rel=\"next\""));
    // A date range with nothing in it, and a date the page cannot read.
    let none = admin.get("/audit?from=01/01/2020&until=31/12/2020").await;
    assert!(none.body.contains("0 mục"), "{}", common::element(&none.body, "audit-count"));
    let bad = admin.get("/audit?from=2020-13-45").await;
    assert!(bad.body.contains("Từ ngày") && bad.body.contains("dd/mm/yyyy"), "{}", bad.body);
    // The export: the same filters, every entry.
    let csv = admin.get("/audit.csv?action=th%E1%BB%AD+nghi%E1%BB%87m&unit=99101N").await;
    assert!(csv.content_type.starts_with("text/csv"));
    assert_eq!(csv.body.lines().count(), 121, "a header and 120 rows");
    assert!(csv.body.contains("Họ và tên") && csv.body.contains("\"giá trị 7\""));
    // The same as a workbook: a title, the filters, the headings and the 120 rows.
    let xlsx = admin.get("/audit.xlsx?action=th%E1%BB%AD+nghi%E1%BB%87m&unit=99101N").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.content_type.contains("spreadsheetml"), "{}", xlsx.content_type);
    let part = |name: &str| {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
        std::io::read_to_string(zip.by_name(name).unwrap()).unwrap()
    };
    let strings = part("xl/sharedStrings.xml");
    assert!(strings.contains("Họ và tên") && strings.contains("giá trị 7") && strings.contains("Đơn vị: 99101N"), "{strings}");
    assert_eq!(part("xl/worksheets/sheet1.xml").matches("<row ").count(), 3 + 120, "title, filters, headings and 120 rows");
}

#[tokio::test]
async fn a_leader_sees_only_their_subtree_and_an_officer_nothing() {
    let (app, store) = demo().await;
    for unit in ["99101N", "99201N"] {
        let e = cchc_storage::AuditEntry { unit_code: Some(unit.into()), ..cchc_storage::AuditEntry::now("quantri", "thử nghiệm") };
        store.append_audit(&e).await.unwrap();
    }
    store.append_audit(&cchc_storage::AuditEntry::now("quantri", "không đơn vị")).await.unwrap();
    let leader = store.users().await.unwrap().into_iter().find(|u| u.role == cchc_storage::Role::Leader).unwrap();
    let mut c = Client::logged_in(&app, &leader.username).await;
    let r = c.get("/audit?action=th%E1%BB%AD+nghi%E1%BB%87m").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let tree = store.unit_tree().await.unwrap();
    let expected = ["99101N", "99201N"].iter().filter(|u| tree.is_within(u, &leader.unit_code)).count();
    assert_eq!(r.body.matches("<td>thử nghiệm</td>").count(), expected);
    assert!(!c.get("/audit").await.body.contains("<td>không đơn vị</td>"), "entries of no unit are the administrators'");
    let officer = store.users().await.unwrap().into_iter().find(|u| u.role == cchc_storage::Role::UnitOfficer).unwrap();
    let mut o = Client::logged_in(&app, &officer.username).await;
    assert_eq!(o.get("/audit").await.status, StatusCode::FORBIDDEN);
    assert_eq!(o.get("/audit.csv").await.status, StatusCode::FORBIDDEN);
    assert_eq!(o.get("/audit.xlsx").await.status, StatusCode::FORBIDDEN);
}
