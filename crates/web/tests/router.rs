//! The web application through its router, without a network: `tower::ServiceExt::oneshot` on
//! the demo province in an in-memory SQLite store. A small client keeps the session cookie and the
//! page's CSRF token like a browser does.
//!
//! Covered: logging in (each role, wrong password, rate limit), role and unit scoping (a commune
//! officer can neither read nor change another commune's report, a leader never writes), CSRF
//! refusal, the conflict of a stale save, a wrong figure's Vietnamese message beside its field,
//! and the submit / return / resubmit / approve workflow.

use axum::Router;
use axum::http::StatusCode;

/// A commune of the demo whose 2026-H1 report is a draft, and its officer.
const OWN_UNIT: &str = "99101N";
const OFFICER: &str = "sonha";
/// Another commune (lacgiang's), whose reports sonha must never see nor touch.
const OTHER_UNIT: &str = "99201N";
const H1: &str = "2026-H1";
const Q1: &str = "2026-Q1";

async fn app() -> Router {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 300).await.expect("demo seed");
    cchc_web::router(cchc_web::AppState::new(store, catalogue))
}

mod common;
use common::{Client, element, field_value, form_url};

#[tokio::test]
async fn every_demo_role_logs_in_and_sees_the_reports_page() {
    let app = app().await;
    for account in &cchc_app::demo::ACCOUNTS {
        let mut c = Client::logged_in(&app, account.username).await;
        let home = c.get("/").await;
        assert_eq!(home.status, StatusCode::OK, "{}", account.username);
        assert!(home.body.contains(account.full_name), "{} not named on the home page", account.username);
        assert!(home.body.contains(account.role.name_vi()));
    }
}

#[tokio::test]
async fn pages_need_a_login_and_assets_are_served_from_the_binary() {
    let app = app().await;
    let mut c = Client::new(&app);
    let home = c.get("/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.location.as_deref(), Some("/login"));
    let login = c.get("/login").await;
    assert!(login.body.contains("Đăng nhập") && login.body.contains("Mật khẩu"));
    let htmx = c.get("/static/htmx.min.js").await;
    assert_eq!(htmx.status, StatusCode::OK);
    assert!(htmx.body.len() > 10_000);
    assert!(!login.body.contains("http://") && !login.body.contains("https://"), "a page refers to an outside address");
    let missing = c.get("/khong-co-trang-nay").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Không tìm thấy trang /khong-co-trang-nay"), "{}", missing.body);
    let api = c.get("/api/khong-co").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.content_type.starts_with("application/json"));
}

#[tokio::test]
async fn a_wrong_password_is_refused_in_vietnamese_and_attempts_are_rate_limited() {
    let app = app().await;
    let mut c = Client::new(&app);
    let wrong = c.login(OFFICER, "sai-mat-khau").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."));
    for _ in 1..5 {
        c.login(OFFICER, "sai-mat-khau").await;
    }
    // Five failures: even the right password is now refused for this username and address.
    let blocked = c.login(OFFICER, cchc_app::demo::PASSWORD).await;
    assert_eq!(blocked.status, StatusCode::UNAUTHORIZED);
    assert!(blocked.body.contains("Đăng nhập sai quá 5 lần. Vui lòng thử lại sau"), "{}", blocked.body);
    // Another username from the same address is not blocked.
    let other = c.login("lacgiang", cchc_app::demo::PASSWORD).await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_commune_officer_can_neither_read_nor_change_another_communes_report() {
    let app = app().await;
    let mut c = Client::logged_in(&app, OFFICER).await;
    assert_eq!(c.get(&format!("/reports/{OWN_UNIT}/{H1}")).await.status, StatusCode::OK);
    assert_eq!(c.get(&form_url(OWN_UNIT, H1, 2)).await.status, StatusCode::OK);

    for uri in [format!("/reports/{OTHER_UNIT}/{Q1}"), form_url(OTHER_UNIT, H1, 2), format!("/api/reports/{OTHER_UNIT}/{Q1}")] {
        let r = c.get(&uri).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(r.body.contains("không có quyền"), "{uri}: {}", r.body);
    }
    let save = c.submit(&form_url(OTHER_UNIT, H1, 2), &[("version", "1"), ("2.1.1", "7")]).await;
    assert_eq!(save.status, StatusCode::FORBIDDEN);
    let act = c.submit(&format!("/reports/{OTHER_UNIT}/{H1}/action"), &[("action", "approve"), ("version", "2")]).await;
    assert_eq!(act.status, StatusCode::FORBIDDEN);
    let text = c.submit(&format!("/reports/{OTHER_UNIT}/{H1}/narrative"), &[("version", "2"), ("s:I", "Sửa trộm")]).await;
    assert_eq!(text.status, StatusCode::FORBIDDEN);

    // Nothing of the other commune changed: lacgiang still sees it submitted, at its version.
    let mut owner = Client::logged_in(&app, "lacgiang").await;
    let page = owner.get(&format!("/reports/{OTHER_UNIT}/{H1}")).await;
    assert!(page.body.contains("id=\"status\">đã gửi<"), "{}", page.body);
    assert!(!page.body.contains("Sửa trộm"));
}

#[tokio::test]
async fn a_leader_reads_every_unit_below_but_never_writes() {
    let app = app().await;
    let mut c = Client::logged_in(&app, "lanhdao").await;
    let page = c.get(&format!("/reports/{OWN_UNIT}/{H1}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let form = c.get(&form_url(OWN_UNIT, H1, 2)).await;
    assert!(form.body.contains("Chỉ xem"), "the leader's form page is not read-only");
    assert!(!form.body.contains("id=\"save\""));

    let save = c.submit(&form_url(OWN_UNIT, H1, 2), &[("version", "1"), ("2.1.1", "7")]).await;
    assert_eq!(save.status, StatusCode::FORBIDDEN);
    for action in ["approve", "return", "lock", "submit"] {
        let r = c.submit(&format!("/reports/{OTHER_UNIT}/{H1}/action"), &[("action", action), ("version", "2"), ("reason", "x")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{action}");
    }
    let text = c.submit(&format!("/reports/{OWN_UNIT}/{H1}/narrative"), &[("version", "1"), ("s:I", "Lãnh đạo sửa")]).await;
    assert_eq!(text.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn state_changing_requests_without_the_sessions_csrf_token_are_refused() {
    let app = app().await;
    let mut c = Client::logged_in(&app, OFFICER).await;
    let url = form_url(OWN_UNIT, H1, 2);
    let version = field_value(&c.get(&url).await.body, "version").expect("version field");

    let missing = c.post_form(&url, &[("version", &version), ("2.1.1", "7")]).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.body.contains("CSRF"), "{}", missing.body);
    let forged = c.post_form(&url, &[("_csrf", "0123456789abcdef0123456789abcdef"), ("version", &version), ("2.1.1", "7")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // A token from another session is no better.
    let other = Client::logged_in(&app, "lacgiang").await;
    let stolen = c.post_form(&url, &[("_csrf", &other.csrf), ("version", &version), ("2.1.1", "7")]).await;
    assert_eq!(stolen.status, StatusCode::FORBIDDEN);
    // Logging out is a change too.
    assert_eq!(c.post_form("/logout", &[]).await.status, StatusCode::FORBIDDEN);

    // Nothing was saved: the version is unchanged; with the token the same save goes through.
    assert_eq!(field_value(&c.get(&url).await.body, "version"), Some(version.clone()));
    let ok = c.submit(&url, &[("version", &version), ("2.1.1", "7")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
}

#[tokio::test]
async fn a_stale_save_is_refused_with_the_conflict_message_and_keeps_what_was_typed() {
    let app = app().await;
    let url = form_url(OWN_UNIT, H1, 2);
    let mut first = Client::logged_in(&app, OFFICER).await;
    let mut second = Client::logged_in(&app, OFFICER).await;
    let v_first = field_value(&first.get(&url).await.body, "version").unwrap();
    let v_second = field_value(&second.get(&url).await.body, "version").unwrap();
    assert_eq!(v_first, v_second);

    let saved = first.submit(&url, &[("version", &v_first), ("2.1.1", "4")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stale = second.submit(&url, &[("version", &v_second), ("2.1.1", "9")]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Báo cáo đã được người khác sửa"), "{}", stale.body);
    assert!(element(&stale.body, "k-2-1-1").contains("value=\"9\""), "the typed value was lost");

    // The first save stands.
    let now = first.get(&url).await;
    assert!(element(&now.body, "k-2-1-1").contains("value=\"4\""));
}

#[tokio::test]
async fn a_wrong_figure_gets_its_vietnamese_message_beside_the_field_as_the_user_types() {
    let app = app().await;
    // The province's own report: a commune's form has no level split (its figures are all cấp
    // xã), a province's has one cell per level.
    let mut c = Client::logged_in(&app, "tonghop").await;
    let check = format!("{}/check", form_url(cchc_app::demo::PROVINCE, H1, 2));
    // The communal split says 8 documents, the total says 5.
    let r = c.htmx(&check, &[("2.1.1", "5"), ("2.1.1[level=xa]", "8")]).await;
    assert_eq!(r.status, StatusCode::OK);
    let beside_total = element(&r.body, "fb-k-2-1-1");
    assert!(beside_total.contains("hx-swap-oob"), "{beside_total}");
    assert!(beside_total.contains("Lỗi") && beside_total.contains("khác tổng số 5"), "{beside_total}");
    let beside_split = element(&r.body, "fb-k-2-1-1-level-xa");
    assert!(beside_split.contains("khác tổng số 5"), "{beside_split}");

    // Corrected, the message goes away (the fragment for the field comes back empty).
    let fixed = c.htmx(&check, &[("2.1.1", "8"), ("2.1.1[level=xa]", "8")]).await;
    assert!(!element(&fixed.body, "fb-k-2-1-1").contains("khác tổng số"));

    // Text where a number belongs: named beside its field, and a save writes nothing.
    let typo = c.htmx(&check, &[("2.1.1", "năm")]).await;
    assert!(element(&typo.body, "fb-k-2-1-1").contains("Lỗi nhập liệu (chỉ tiêu 2.1.1)"), "{}", typo.body);
    let url = form_url(cchc_app::demo::PROVINCE, H1, 2);
    let version = field_value(&c.get(&url).await.body, "version").unwrap();
    let refused = c.submit(&url, &[("version", &version), ("2.1.1", "năm"), ("2.1.2", "3")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Chưa lưu: có 1 ô nhập sai."));
    let after = c.get(&url).await;
    assert_eq!(field_value(&after.body, "version"), Some(version));
    assert!(!element(&after.body, "k-2-1-2").contains("value=\"3\""), "half of a bad form was saved");
}

#[tokio::test]
async fn officials_type_numbers_with_dot_thousands() {
    let app = app().await;
    let mut c = Client::logged_in(&app, OFFICER).await;
    let url = form_url(OWN_UNIT, H1, 4);
    let version = field_value(&c.get(&url).await.body, "version").unwrap();
    let saved = c.submit(&url, &[("version", &version), ("4.2.1", "1.205")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = c.get(&url).await;
    assert!(element(&page.body, "k-4-2-1").contains("value=\"1.205\""), "{}", element(&page.body, "k-4-2-1"));
}

#[tokio::test]
async fn a_report_is_returned_with_a_reason_corrected_resubmitted_and_approved() {
    let app = app().await;
    let overview = format!("/reports/{OTHER_UNIT}/{H1}");
    let action = format!("{overview}/action");
    // 99201N's 2026-H1 report was sent in the demo; the compiling office returns it.
    let mut office = Client::logged_in(&app, "tonghop").await;
    let page = office.get(&overview).await;
    let version = field_value(&page.body, "version").expect("version on the overview");
    let returned = office.submit(&action, &[("action", "return"), ("version", &version), ("reason", "Thiếu số liệu Biểu 2")]).await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.body);

    let mut officer = Client::logged_in(&app, "lacgiang").await;
    let page = officer.get(&overview).await;
    assert!(page.body.contains("Thiếu số liệu Biểu 2"), "the reason is not shown to the unit");
    let url = form_url(OTHER_UNIT, H1, 2);
    let version = field_value(&officer.get(&url).await.body, "version").unwrap();
    assert_eq!(officer.submit(&url, &[("version", &version), ("2.1.1", "2")]).await.status, StatusCode::SEE_OTHER);
    let version = field_value(&officer.get(&overview).await.body, "version").unwrap();
    let sent = officer.submit(&action, &[("action", "submit"), ("version", &version), ("comment", "Số liệu đã đối chiếu với sổ.")]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

    let version = field_value(&office.get(&overview).await.body, "version").unwrap();
    let approved = office.submit(&action, &[("action", "approve"), ("version", &version)]).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let history = officer.get(&overview).await.body;
    assert!(history.contains("id=\"status\">đã duyệt<"));
    for step in ["<td>trả lại</td>", "<td>gửi</td>", "<td>duyệt</td>", "<td>Thiếu số liệu Biểu 2</td>"] {
        assert!(history.contains(step), "history lacks {step}");
    }
}

#[tokio::test]
async fn only_an_administrator_manages_accounts_and_every_change_is_in_the_audit_log() {
    let app = app().await;
    for username in ["tonghop", "lanhdao", OFFICER] {
        let mut c = Client::logged_in(&app, username).await;
        assert_eq!(c.get("/admin/users").await.status, StatusCode::FORBIDDEN, "{username}");
        let r = c
            .submit(
                "/admin/users",
                &[("username", "ke.gian"), ("full_name", "Kẻ Gian"), ("role", "admin"), ("unit_code", "99"), ("password", "12345678")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{username}");
    }

    let mut admin = Client::logged_in(&app, "quantri").await;
    let page = admin.get("/admin/users").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Phạm Thị Hà") && page.body.contains("cán bộ tổng hợp"));
    let bad = admin
        .submit(
            "/admin/users",
            &[
                ("username", "Bùi Văn"),
                ("full_name", "Bùi Văn An"),
                ("role", "unit-officer"),
                ("unit_code", "99103N"),
                ("password", "an-khang-2026"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("Tên đăng nhập &#34;Bùi Văn&#34; không hợp lệ")
            || bad.body.contains("Tên đăng nhập &quot;Bùi Văn&quot; không hợp lệ"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("value=\"Bùi Văn An\""), "what was typed is lost");
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
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);

    let mut newcomer = Client::new(&app);
    assert_eq!(newcomer.login("buivan", "an-khang-2026").await.status, StatusCode::SEE_OTHER);
    assert_eq!(newcomer.get("/reports/99103N/2026-H1").await.status, StatusCode::OK);
    assert_eq!(newcomer.get(&format!("/reports/{OWN_UNIT}/{H1}")).await.status, StatusCode::FORBIDDEN);

    // Deactivated: the open session stops working and a new login is refused.
    admin.get("/admin/users").await;
    let off = admin.submit("/admin/users/buivan", &[("full_name", "Bùi Văn An"), ("role", "unit-officer"), ("unit_code", "99103N")]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER, "{}", off.body);
    assert_eq!(newcomer.get("/reports/99103N/2026-H1").await.location.as_deref(), Some("/login?next=%2Freports%2F99103N%2F2026-H1"));
    assert_eq!(Client::new(&app).login("buivan", "an-khang-2026").await.status, StatusCode::UNAUTHORIZED);

    let log = admin.get("/audit").await.body;
    assert!(log.contains("<td>tạo tài khoản</td>"), "{log}");
    assert!(log.contains("<td>sửa tài khoản</td><td>tài khoản buivan</td><td>Bùi Văn An; cán bộ đơn vị; đơn vị 99103N; đang hoạt động</td><td>Bùi Văn An; cán bộ đơn vị; đơn vị 99103N; đã khóa</td>"), "{log}");
}

#[tokio::test]
async fn the_report_is_previewed_and_downloaded_as_docx_and_xlsx_by_those_who_may_read_it() {
    let app = app().await;
    let mut leader = Client::logged_in(&app, "lanhdao").await;
    let page = leader.get(&format!("/reports/{OTHER_UNIT}/{Q1}")).await;
    assert!(page.body.contains(&format!("/reports/{OTHER_UNIT}/{Q1}/download/docx")), "no DOCX button on the report page");

    let preview = leader.get(&format!("/reports/{OTHER_UNIT}/{Q1}/preview")).await;
    assert_eq!(preview.status, StatusCode::OK);
    // Headings of parts with something to print (an empty part prints no heading).
    for heading in ["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", "III. ĐÁNH GIÁ CHUNG"] {
        assert!(preview.body.contains(heading), "preview lacks {heading}");
    }
    assert!(
        preview.body.contains("Ủy ban nhân dân xã đã ban hành Kế hoạch cải cách hành chính năm 2026"),
        "the narrative is not in the preview"
    );

    let docx = leader.get(&format!("/reports/{OTHER_UNIT}/{Q1}/download/docx")).await;
    assert_eq!(docx.status, StatusCode::OK, "{}", docx.body);
    assert_eq!(docx.content_type, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert!(docx.bytes.starts_with(b"PK"), "not a zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx.bytes)).expect("a DOCX is a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").expect("document.xml"), &mut xml).unwrap();
    assert!(xml.contains("BÁO CÁO") && xml.contains("Kế hoạch cải cách hành chính năm 2026"));

    let xlsx = leader.get(&format!("/reports/{OTHER_UNIT}/{Q1}/download/xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.bytes.starts_with(b"PK"));
    let unknown = leader.get(&format!("/reports/{OTHER_UNIT}/{Q1}/download/odt")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // Another commune's officer gets neither the preview nor the file.
    let mut officer = Client::logged_in(&app, OFFICER).await;
    for uri in [format!("/reports/{OTHER_UNIT}/{Q1}/preview"), format!("/reports/{OTHER_UNIT}/{Q1}/download/docx")] {
        let r = officer.get(&uri).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(!r.bytes.starts_with(b"PK"));
    }
}

#[tokio::test]
async fn an_administrator_records_the_years_days_off_and_report_due_dates_follow() {
    let app = app().await;
    let mut compiler = Client::logged_in(&app, "tonghop").await;
    assert_eq!(compiler.get("/admin/calendar?year=2026").await.status, StatusCode::FORBIDDEN);
    let r = compiler.submit("/admin/calendar", &[("year", "2026"), ("op", "add-off"), ("date", "15/06/2026"), ("name", "Nghỉ thêm")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let mut admin = Client::logged_in(&app, "quantri").await;
    let overview = format!("/reports/{OWN_UNIT}/{H1}");
    assert!(admin.get(&overview).await.body.contains("hạn gửi 16/06/2026"));
    admin.get("/admin/calendar?year=2026").await;
    // A weekday cannot be a swapped working day: refused, nothing stored.
    let refused =
        admin.submit("/admin/calendar", &[("year", "2026"), ("op", "add-working"), ("date", "17/06/2026"), ("name", "Làm bù")]).await;
    assert!(
        refused.body.contains("Chưa lưu: lịch nghỉ không hợp lệ.")
            && refused.body.contains("Ngày 17/06/2026 không phải ngày nghỉ hằng tuần, không thể là ngày làm bù"),
        "{}",
        refused.body
    );
    // The shipped 2026 schedule has its own worked Saturday (22/08/2026); the refused day is not added.
    assert!(!element(&refused.body, "working-days").contains("17/06/2026"), "{}", refused.body);

    let saved =
        admin.submit("/admin/calendar", &[("year", "2026"), ("op", "add-off"), ("date", "15/06/2026"), ("name", "Nghỉ thêm")]).await;
    assert!(saved.body.contains("Đã lưu lịch nghỉ năm 2026; đã tính lại hạn giải quyết của"), "{}", saved.body);
    assert!(saved.body.contains("<td>15/06/2026</td><td>Thứ Hai</td>"), "{}", saved.body);
    assert!(admin.get(&overview).await.body.contains("hạn gửi 17/06/2026"), "the report's due date did not follow the calendar");

    // Taken back: the computed default applies again.
    admin.submit("/admin/calendar", &[("year", "2026"), ("op", "remove"), ("date", "2026-06-15")]).await;
    assert!(admin.get(&overview).await.body.contains("hạn gửi 16/06/2026"));
    let log = admin.get("/audit").await.body;
    assert!(log.contains("<td>sửa lịch nghỉ</td><td>năm 2026</td>"), "{log}");
}

const PROVINCE_VARIANT: &str = "[catalogue]\nid = \"hong-lam\"\nversion = \"2026.1\"\nname = \"Bộ chỉ tiêu tỉnh Hồng Lam\"\nextends = \"vn-default@2022.1\"\n\n[[indicators]]\ncode = \"3.9.1\"\nname = \"Số TTHC được cắt giảm thời gian giải quyết\"\nunit = \"TTHC\"\nkind = \"count\"\n";

#[tokio::test]
async fn an_administrator_adds_a_catalogue_version_and_new_reports_follow_it() {
    let app = app().await;
    let mut officer = Client::logged_in(&app, OFFICER).await;
    assert_eq!(officer.submit("/admin/catalogue", &[("toml", PROVINCE_VARIANT)]).await.status, StatusCode::FORBIDDEN);

    let mut admin = Client::logged_in(&app, "quantri").await;
    admin.get("/admin/catalogue").await;
    // Checked as typed: a rule naming an unknown indicator is shown, nothing stored.
    let wrong = format!(
        "{PROVINCE_VARIANT}\n[[rules]]\nid = \"cat-giam\"\nname = \"Cắt giảm\"\nleft = \"#{{3.9.1}}\"\noperator = \"<=\"\nright = \"#{{3.9.9}}\"\nseverity = \"error\"\nmessage = \"{{left}} > {{right}}\"\n"
    );
    let live = admin.htmx("/admin/catalogue/check", &[("toml", wrong.as_str())]).await;
    assert!(live.body.contains("Bộ chỉ tiêu chưa dùng được") && live.body.contains("3.9.9"), "{}", live.body);
    let refused = admin.submit("/admin/catalogue", &[("toml", wrong.as_str())]).await;
    assert!(refused.body.contains("Chưa lưu: bộ chỉ tiêu có"), "{}", refused.body);
    assert!(!element(&refused.body, "versions").contains("hong-lam@2026.1"));

    let live = admin.htmx("/admin/catalogue/check", &[("toml", PROVINCE_VARIANT)]).await;
    assert!(live.body.contains("Bộ chỉ tiêu hong-lam@2026.1 hợp lệ") && live.body.contains("Thêm 1 chỉ tiêu: 3.9.1"), "{}", live.body);
    let saved = admin.submit("/admin/catalogue", &[("toml", PROVINCE_VARIANT)]).await;
    assert!(saved.body.contains("Đã lưu bộ chỉ tiêu hong-lam@2026.1"), "{}", saved.body);
    let applied = admin.submit("/admin/catalogue/in-force", &[("reference", "hong-lam@2026.1")]).await;
    assert!(applied.body.contains("Đã áp dụng bộ chỉ tiêu hong-lam@2026.1"), "{}", applied.body);
    assert!(applied.body.contains("id=\"in-force\">hong-lam@2026.1<"));
    let file = admin.get("/admin/catalogue/file/hong-lam@2026.1.toml").await;
    assert!(file.body.contains("extends = \"vn-default@2022.1\"") && file.body.contains("3.9.1"));

    // A new report follows the catalogue in force; a report made before keeps its own.
    let new_report = officer.get(&form_url(OWN_UNIT, "2027-H1", 3)).await;
    assert!(new_report.body.contains("Số TTHC được cắt giảm thời gian giải quyết"), "{}", new_report.body);
    let old_report = officer.get(&form_url(OWN_UNIT, H1, 3)).await;
    assert_eq!(old_report.status, StatusCode::OK);
    assert!(!old_report.body.contains("Số TTHC được cắt giảm thời gian giải quyết"));
    let log = admin.get("/audit").await.body;
    assert!(log.contains("<td>thêm bộ chỉ tiêu</td><td>hong-lam@2026.1</td>"), "{log}");
    assert!(log.contains("<td>đổi thiết lập</td><td>bộ chỉ tiêu đang dùng</td><td></td><td>hong-lam@2026.1</td>"), "{log}");
}

#[tokio::test]
async fn a_login_survives_a_restart_of_the_server_and_a_logout_ends_it() {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 50).await.expect("demo seed");
    let first = cchc_web::router(cchc_web::AppState::new(store.clone(), catalogue.clone()));
    let mut c = Client::logged_in(&first, OFFICER).await;
    // A new process on the same database: its session cache is empty, the database has the session.
    c.app = cchc_web::router(cchc_web::AppState::new(store.clone(), catalogue));
    let page = c.get(&format!("/reports/{OWN_UNIT}/{H1}")).await;
    assert_eq!(page.status, StatusCode::OK, "logged out by the restart: {:?}", page.location);
    let out = c.submit("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    // The login page it leads to confirms the logout (the session that would carry a flash is gone).
    let target = out.location.expect("a redirect");
    let login = c.get(&target).await;
    assert!(login.body.contains(r#"<p class="flash" role="status">Bạn đã đăng xuất. Hẹn gặp lại!</p>"#), "{target}: {}", login.body);
    assert!(!c.get("/login").await.body.contains("đã đăng xuất"), "the plain login page says nothing of a logout");
    assert!(c.get(&format!("/reports/{OWN_UNIT}/{H1}")).await.location.is_some_and(|l| l.starts_with("/login?next=")));
}

#[tokio::test]
async fn the_dashboard_shows_the_same_figures_as_the_ledger_for_every_quarter_and_unit_below() {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 600).await.expect("demo seed");
    let app = cchc_web::router(cchc_web::AppState::new(store.clone(), catalogue));
    let mut leader = Client::logged_in(&app, "lanhdao").await;
    let page = leader.get("/dashboard?period=2026-Y").await;
    assert_eq!(page.status, StatusCode::OK);
    let tree = store.unit_tree().await.unwrap();
    let rule = cchc_periods::WindowRule::default();
    let row = |label: &str, c: &cchc_dossiers::Counts| {
        let pct = |n: u64, d: u64| cchc_format::ratio_percent(n as i64, d as i64).map_or("–".into(), cchc_format::percent);
        format!(
            "<td>{label}</td><td>{}</td><td>{}</td>",
            cchc_format::int(c.received_total() as i64),
            pct(c.resolved_in_time(), c.resolved_total())
        )
    };
    let mut received = 0;
    for q in 1..=4 {
        let p = cchc_periods::Period::quarter(2026, q);
        let t = cchc_app::dossiers::table(store.as_ref(), &tree, "99", p, &rule).await.unwrap().total();
        received += t.received_new();
        assert!(page.body.contains(&row(&p.title_vi(), &t)), "{} missing: {}", p, page.body);
    }
    assert!(received > 0);
    let year = cchc_periods::Period::year(2026);
    let window = rule.window(year);
    // The units below that receive dossiers (not the province's departments).
    for child in tree.children_in("99", window.from, window.to).into_iter().filter(|c| c.kind.territorial_level().is_some()) {
        let t = cchc_app::dossiers::table(store.as_ref(), &tree, &child.code, year, &rule).await.unwrap().total();
        assert!(page.body.contains(&row(&child.name, &t)), "{} missing", child.name);
    }
}

#[tokio::test]
async fn a_report_upload_that_is_not_a_file_upload_is_refused_in_vietnamese() {
    let app = app().await;
    let mut c = Client::logged_in(&app, "quantri").await;
    // A plain form post where the upload form sends a file: axum's own refusal never shows.
    let r = c.submit("/reports/import", &[("file", "không phải tệp")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Yêu cầu không phải một tệp gửi lên"), "{}", r.body);
    assert!(!r.body.contains("multipart") && !r.body.contains("boundary"), "{}", r.body);
    // A multipart post without its CSRF token in the action is refused.
    let request = c
        .request("POST", "/reports/import")
        .header(axum::http::header::CONTENT_TYPE, "multipart/form-data; boundary=X")
        .body(axum::body::Body::from("--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.json\"\r\n\r\n{}\r\n--X--\r\n"))
        .unwrap();
    let r = c.send(request).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}
