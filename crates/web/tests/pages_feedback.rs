//! Pages that say what happened (issue 16 item 2), through the router on the demo province:
//! a confirmation after each action that redirects (shown once, then gone), the Vietnamese page
//! for a wrong method (405, with the way back), titles that say what the page is, and people's
//! full names in histories.

use axum::Router;
use axum::http::StatusCode;

mod common;
use common::{Client, field_value};

/// A commune whose 2026-H1 report is a draft, and its officer (Phạm Thị Hà).
const OWN_UNIT: &str = "99101N";
const OFFICER: &str = "sonha";
/// The commune whose 2026-H1 report the demo has sent, and its officer.
const SENT_UNIT: &str = "99201N";
const H1: &str = "2026-H1";

async fn app() -> Router {
    common::demo().await
}

/// The confirmations a page shows: the text of each `role="status"` flash box.
fn flashes(html: &str) -> Vec<String> {
    html.match_indices("<p class=\"flash\" role=\"status\" id=\"flash\">")
        .map(|(i, open)| {
            let rest = &html[i + open.len()..];
            rest[..rest.find("</p>").expect("the flash box closes")].to_string()
        })
        .collect()
}

/// The text between `open` and the next `close`.
fn between<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html.find(open).unwrap_or_else(|| panic!("no {open} in page")) + open.len();
    &html[start..start + html[start..].find(close).unwrap_or_else(|| panic!("no {close} after {open}"))]
}

/// Follows a redirect: the page the browser lands on.
async fn follow(c: &mut Client, reply: &common::Reply) -> common::Reply {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    c.get(reply.location.as_deref().expect("a redirect names its page")).await
}

/// The page after an action shows its confirmation once; the same page opened again does not.
async fn confirmed_once(c: &mut Client, reply: &common::Reply, expected: &str) -> String {
    let page = follow(c, reply).await;
    assert_eq!(page.status, StatusCode::OK);
    let shown = flashes(&page.body);
    assert_eq!(shown.len(), 1, "one confirmation expected, got {shown:?}");
    assert!(shown[0].contains(expected), "the confirmation {:?} does not say {expected:?}", shown[0]);
    let again = c.get(reply.location.as_deref().unwrap()).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(flashes(&again.body).is_empty(), "the confirmation is shown a second time");
    assert!(!again.body.contains(expected), "the confirmation's text is still on the page");
    shown[0].clone()
}

#[tokio::test]
async fn every_workflow_step_is_confirmed_once_on_the_next_page() {
    let app = app().await;
    let overview = format!("/reports/{SENT_UNIT}/{H1}");
    let action = format!("{overview}/action");

    let mut office = Client::logged_in(&app, "tonghop").await;
    let version = field_value(&office.get(&overview).await.body, "version").expect("version");
    let returned = office.submit(&action, &[("action", "return"), ("version", &version), ("reason", "Thiếu số liệu Biểu 2")]).await;
    let text = confirmed_once(&mut office, &returned, "Đã trả lại báo cáo Xã Lạc Giang").await;
    assert!(text.contains("lý do: Thiếu số liệu Biểu 2"), "{text}");

    let mut officer = Client::logged_in(&app, "lacgiang").await;
    let version = field_value(&officer.get(&overview).await.body, "version").unwrap();
    let sent = officer.submit(&action, &[("action", "submit"), ("version", &version), ("comment", "Số liệu đã đối chiếu với sổ.")]).await;
    confirmed_once(&mut officer, &sent, "Đã nộp báo cáo Xã Lạc Giang – 6 tháng đầu năm 2026").await;

    let version = field_value(&office.get(&overview).await.body, "version").unwrap();
    let approved = office.submit(&action, &[("action", "approve"), ("version", &version)]).await;
    confirmed_once(&mut office, &approved, "Đã duyệt báo cáo Xã Lạc Giang").await;

    // A refused step shows its refusal, and no confirmation.
    let refused = office.submit(&action, &[("action", "approve"), ("version", &version)]).await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER);
    assert!(flashes(&refused.body).is_empty(), "a refused step is confirmed");
    assert!(flashes(&office.get(&overview).await.body).is_empty());
}

#[tokio::test]
async fn a_confirmation_waits_for_a_page_and_is_not_taken_by_assets_htmx_or_other_sessions() {
    let app = app().await;
    let page_url = format!("/reports/{OWN_UNIT}/{H1}");
    let mut c = Client::logged_in(&app, OFFICER).await;
    let mut other = Client::logged_in(&app, OFFICER).await;
    let version = field_value(&c.get(&page_url).await.body, "version").expect("version");
    let saved = c.submit(&format!("{page_url}/narrative"), &[("version", &version), ("s:opening", "Thực hiện Văn bản số 12/UBND.")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // Neither an asset, nor a live preview (htmx), nor the same account in another browser takes it.
    assert_eq!(c.get("/static/app.css").await.status, StatusCode::OK);
    let preview = c.htmx(&format!("{page_url}/narrative/preview"), &[("text", "**đậm**")]).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(flashes(&preview.body).is_empty());
    assert!(flashes(&other.get(&page_url).await.body).is_empty(), "another session shows this one's confirmation");

    let text = confirmed_once(&mut c, &saved, "Đã lưu phần thuyết minh").await;
    assert!(text.contains("phiên bản"), "{text}");
}

#[tokio::test]
async fn dossier_events_and_comments_are_confirmed() {
    let app = app().await;
    let mut officer = Client::logged_in(&app, OFFICER).await;
    let list = officer.get("/dossiers").await;
    let procedure = between(&list.body, "<select name=\"procedure\"><option value=\"", "\"").to_string();
    let received = officer
        .submit("/dossiers/new", &[("unit", OWN_UNIT), ("procedure", &procedure), ("channel", "truc-tiep"), ("at", "2026-09-07T08:30")])
        .await;
    let id = received.location.clone().expect("redirected to the dossier").trim_start_matches("/dossiers/").to_string();
    confirmed_once(&mut officer, &received, &format!("Đã tiếp nhận hồ sơ mới, mã hồ sơ {id}")).await;

    let version = field_value(&officer.get(&format!("/dossiers/{id}")).await.body, "version").expect("version");
    let recorded = officer
        .submit(&format!("/dossiers/{id}/events"), &[("kind", "yeu-cau-bo-sung"), ("at", "2026-09-08T10:15"), ("version", &version)])
        .await;
    confirmed_once(&mut officer, &recorded, &format!("Đã ghi nhận sự kiện «Yêu cầu bổ sung hồ sơ» lúc 08/09/2026 10:15 của hồ sơ {id}"))
        .await;

    // The compiling office comments on a figure of the district's report.
    let mut office = Client::logged_in(&app, "tonghop").await;
    let figure = format!("/reports/{SENT_UNIT}/{H1}/figure");
    let commented = office.submit(&figure, &[("key", "4.2.1"), ("text", "Đề nghị kiểm tra lại số liệu.")]).await;
    confirmed_once(&mut office, &commented, "Đã gửi ý kiến về chỉ tiêu 4.2.1").await;
}

#[tokio::test]
async fn account_changes_are_confirmed_and_a_password_reset_says_so() {
    let app = app().await;
    let mut admin = Client::logged_in(&app, "quantri").await;
    admin.get("/admin/users").await;
    let created = admin
        .submit(
            "/admin/users",
            &[
                ("username", "buivan"),
                ("full_name", "Bùi Văn An"),
                ("role", "unit-officer"),
                ("unit_code", "99103N"),
                ("password", "an-khang-2026"),
            ],
        )
        .await;
    confirmed_once(&mut admin, &created, "Đã tạo tài khoản «buivan» (Bùi Văn An, cán bộ đơn vị)").await;

    let changed = admin
        .submit("/admin/users/buivan", &[("full_name", "Bùi Văn An"), ("role", "unit-officer"), ("unit_code", "99103N"), ("active", "1")])
        .await;
    let text = confirmed_once(&mut admin, &changed, "Đã lưu tài khoản «buivan»").await;
    assert!(!text.contains("mật khẩu"), "{text}");
    let reset = admin
        .submit(
            "/admin/users/buivan",
            &[
                ("full_name", "Bùi Văn An"),
                ("role", "unit-officer"),
                ("unit_code", "99103N"),
                ("active", "1"),
                ("password", "mat-khau-moi-2026"),
            ],
        )
        .await;
    confirmed_once(&mut admin, &reset, "Đã đặt lại mật khẩu").await;
}

#[tokio::test]
async fn an_anonymous_visit_still_stores_no_session() {
    let app = app().await;
    let mut c = Client::new(&app);
    for path in ["/login", "/", "/reports/99101N/2026-H1/action"] {
        let r = c.get(path).await;
        let sets: Vec<_> = r.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
        assert!(!sets.iter().any(|s| s.starts_with("cchc_session=")), "{path} stored a session: {sets:?}");
    }
}

#[tokio::test]
async fn a_get_of_a_form_address_is_a_vietnamese_405_with_the_way_back() {
    let app = app().await;
    let mut c = Client::logged_in(&app, OFFICER).await;
    let cases = [
        (format!("/reports/{OWN_UNIT}/{H1}/action"), format!("/reports/{OWN_UNIT}/{H1}")),
        (format!("/reports/{OWN_UNIT}/{H1}/narrative"), format!("/reports/{OWN_UNIT}/{H1}")),
        (format!("/reports/{OWN_UNIT}/{H1}/form/1/check"), format!("/reports/{OWN_UNIT}/{H1}/form/1")),
        ("/dossiers/new".to_string(), "/dossiers".to_string()),
        ("/dossiers/99101N-2026-0000001/events".to_string(), "/dossiers/99101N-2026-0000001".to_string()),
        ("/admin/units/merge".to_string(), "/admin/units".to_string()),
        ("/admin/users/sonha".to_string(), "/admin/users".to_string()),
        ("/logout".to_string(), "/".to_string()),
    ];
    for (address, back) in cases {
        let r = c.get(&address).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{address}");
        assert_eq!(r.headers.get("allow").and_then(|v| v.to_str().ok()), Some("POST"), "{address}");
        assert!(r.content_type.starts_with("text/html"), "{address}: {}", r.content_type);
        assert!(r.body.contains("<title>Không mở được địa chỉ này – Báo cáo cải cách hành chính</title>"), "{}", r.body);
        assert!(r.body.contains("<h1>Không mở được địa chỉ này</h1>"));
        assert!(r.body.contains("chỉ dùng để gửi biểu mẫu") && r.body.contains("Chưa có gì thay đổi"), "{}", r.body);
        assert!(r.body.contains(&format!("<a href=\"{back}\" id=\"back\">Về ")), "{address}: no link to {back}: {}", r.body);
        assert!(r.body.contains("/static/app.css"), "the page is not styled");
    }
    // Logged out, the same page (nothing there needs an account); the API answers JSON.
    let r = Client::new(&app).get("/dossiers/new").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.body.contains("Về sổ theo dõi hồ sơ"));
    let api = c.get(&format!("/api/reports/{OWN_UNIT}/{H1}/workflow")).await;
    assert_eq!(api.status, StatusCode::METHOD_NOT_ALLOWED);
    let json: serde_json::Value = serde_json::from_str(&api.body).expect("JSON");
    assert_eq!(json["error"], "method_not_allowed");
    assert!(json["message"].as_str().unwrap().contains("không nhận yêu cầu GET"));
    // A form still posts to its address.
    let version = field_value(&c.get(&format!("/reports/{OWN_UNIT}/{H1}")).await.body, "version").unwrap();
    let saved = c.submit(&format!("/reports/{OWN_UNIT}/{H1}/narrative"), &[("version", &version), ("s:closing", "Trân trọng.")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

/// The page's title without the site's name, and its first heading's text.
fn title_and_heading(html: &str) -> (String, String) {
    let title = between(html, "<title>", "</title>").trim_end_matches(" – Báo cáo cải cách hành chính").to_string();
    let h1 = between(html, "<h1", "</h1>");
    (title, h1[h1.find('>').unwrap() + 1..].to_string())
}

#[tokio::test]
async fn every_page_is_titled_as_its_heading_and_titles_hold_no_markup() {
    let app = app().await;
    let mut officer = Client::logged_in(&app, OFFICER).await;
    let list = officer.get("/dossiers?period=2026-H1").await;
    let table = &list.body[list.body.find("id=\"dossiers\"").expect("the dossier list")..];
    let dossier = between(table, "<a href=\"/dossiers/", "\"").to_string();
    let mut admin = Client::logged_in(&app, "quantri").await;
    let pages: [(bool, String, &str); 11] = [
        (false, "/".into(), "Báo cáo cải cách hành chính "),
        (true, format!("/reports/{OWN_UNIT}/{H1}"), "Báo cáo Xã Sơn Hà – 6 tháng đầu năm 2026"),
        (true, format!("/compile/99/{H1}"), "Tổng hợp báo cáo Tỉnh Hồng Lam"),
        (true, "/dossiers".into(), "Sổ theo dõi hồ sơ"),
        (true, "/dossiers/stats?unit=99101N&period=2026-H1".into(), "Tình hình, kết quả giải quyết TTHC (Biểu 06/VPCP/KSTT)"),
        (true, format!("/dossiers/{dossier}"), "Hồ sơ 99101N-"),
        (true, "/reports/import".into(), "Nhập báo cáo từ tệp"),
        (true, "/admin/users".into(), "Tài khoản người dùng"),
        (true, "/admin/units".into(), "Đơn vị hành chính"),
        (true, "/admin/catalogue".into(), "Bộ chỉ tiêu thống kê CCHC"),
        (true, "/admin/calendar".into(), "Ngày nghỉ năm "),
    ];
    for (as_admin, path, expected) in pages {
        let page = if as_admin { admin.get(&path).await } else { officer.get(&path).await };
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let (title, heading) = title_and_heading(&page.body);
        assert!(!title.contains('<') && !title.contains('>'), "{path}: markup in the title {title:?}");
        assert!(heading.starts_with(expected), "{path}: heading {heading:?}");
        assert!(title.starts_with(&heading), "{path}: the title {title:?} does not say what the heading says ({heading:?})");
    }
    // The preview's heading is the document's own; its title names the report.
    let preview = admin.get(&format!("/reports/{OWN_UNIT}/{H1}/preview")).await;
    let (title, _) = title_and_heading(&preview.body);
    assert_eq!(title, "Xem trước báo cáo Xã Sơn Hà: Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2026");
    // An error page says what went wrong in its title too.
    let missing = admin.get("/dossiers/KHONG-CO").await;
    assert_eq!(title_and_heading(&missing.body), ("Không tìm thấy".to_string(), "Không tìm thấy".to_string()));
}

#[tokio::test]
async fn histories_name_people_not_accounts() {
    let app = app().await;
    let overview = format!("/reports/{SENT_UNIT}/{H1}");
    let mut office = Client::logged_in(&app, "tonghop").await;
    let version = field_value(&office.get(&overview).await.body, "version").expect("version");
    let returned =
        office.submit(&format!("{overview}/action"), &[("action", "return"), ("version", &version), ("reason", "Thiếu số liệu")]).await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER);
    let commented = office.submit(&format!("{overview}/figure"), &[("key", "4.2.1"), ("text", "Đề nghị kiểm tra lại số liệu.")]).await;
    assert_eq!(commented.status, StatusCode::SEE_OTHER);

    let mut officer = Client::logged_in(&app, "lacgiang").await;
    let version = field_value(&officer.get(&overview).await.body, "version").unwrap();
    let sent =
        officer.submit(&format!("{overview}/action"), &[("action", "submit"), ("version", &version), ("comment", "Đã bổ sung.")]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let page = officer.get(&overview).await.body;
    let history = between(&page, "id=\"history\"", "</table>");
    assert!(history.contains("<td title=\"tonghop\">Trần Thị Hợp</td>"), "{history}");
    assert!(history.contains("<td title=\"lacgiang\">Hoàng Văn Giang</td>"), "{history}");
    assert!(!history.contains(">tonghop<") && !history.contains(">lacgiang<"), "{history}");

    let figure = officer.get(&format!("{overview}/figure?key=4.2.1")).await.body;
    let notes = between(&figure, "id=\"notes\"", "</ul>");
    assert!(notes.contains("· Trần Thị Hợp ·"), "{notes}");
    assert!(!notes.contains("tonghop"), "{notes}");
}
