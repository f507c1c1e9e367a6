//! The counter's forms as downloads: links on the dossier page, forms 01–06 as DOCX with the QR
//! code's address taken from the request's host, a form whose event has not happened refused in
//! Vietnamese, unknown forms not found, a leader refused, form 07 as a workbook.

mod common;

use axum::body::Body;
use axum::http::StatusCode;
use common::Client;

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    std::io::read_to_string(zip.by_name(name).unwrap()).unwrap()
}

#[tokio::test]
async fn the_forms_download_from_the_dossier_page() {
    let (app, store) = common::demo_with_store(200).await;
    let until = chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    let dossiers = store.dossiers(&["99101N".to_string()], until).await.unwrap();
    let plain = dossiers
        .iter()
        .find(|d| d.events.len() == 1 || !d.events.iter().any(|e| e.kind == cchc_dossiers::EventKind::SupplementRequested))
        .expect("a dossier without a supplement request");
    let mut c = Client::logged_in(&app, "sonha").await;
    let page = c.get(&format!("/dossiers/{}", plain.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    for n in ["01", "02", "03", "04", "05", "06"] {
        assert!(page.body.contains(&format!("href=\"/dossiers/{}/forms/{n}.pdf\"", plain.id)), "{n}: {}", page.body);
        assert!(page.body.contains(&format!("href=\"/dossiers/{}/forms/{n}.docx\"", plain.id)), "{n}");
    }

    let request =
        c.request("GET", &format!("/dossiers/{}/forms/01.docx", plain.id)).header("host", "motcua.test").body(Body::empty()).unwrap();
    let r = c.send(request).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.content_type.contains("wordprocessingml"), "{}", r.content_type);
    let disposition = r.headers.get("content-disposition").unwrap().to_str().unwrap();
    assert_eq!(disposition, format!("attachment; filename=\"mau-01-{}.docx\"", plain.id));
    let document = part(&r.bytes, "word/document.xml");
    assert!(document.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"));
    assert!(document.contains(&format!("http://motcua.test/tra-cuu?ma={}", plain.id)), "the lookup address");

    let r = c.get(&format!("/dossiers/{}/forms/02.docx", plain.id)).await;
    assert_ne!(r.status, StatusCode::OK);
    assert!(r.body.contains("chưa có sự kiện") && r.body.contains("Yêu cầu bổ sung"), "{}", r.body);
    for wrong in ["07.docx", "01.odt", "1.docx", "abc"] {
        let r = c.get(&format!("/dossiers/{}/forms/{wrong}", plain.id)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{wrong}");
    }

    let stats = c.get("/dossiers/stats?unit=99101N&period=2026-Y").await;
    assert!(stats.body.contains(r#"href="/dossiers/forms/07.xlsx?unit=99101N&period=2026-Y" id="ledger-xlsx""#), "{}", stats.body);
    let r = c.get("/dossiers/forms/07.xlsx?unit=99101N&period=2026-Y").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.content_type.contains("spreadsheetml"));
    let strings = part(&r.bytes, "xl/sharedStrings.xml");
    assert!(strings.contains("SỔ THEO DÕI HỒ SƠ") && strings.contains("Hẹn trả kết quả"), "{strings}");

    // The province's leader reads the dossier but prints none of its forms.
    let mut leader = Client::logged_in(&app, "lanhdao").await;
    let r = leader.get(&format!("/dossiers/{}/forms/01.docx", plain.id)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
