//! The report page's narrative editor (docs/narrative-format.md) through the router: sections
//! at any place of the report are saved and listed in report order, a key that is not a place is
//! refused in Vietnamese with nothing stored, and the live preview renders Markdown (HTML escaped)
//! for those who may read the report only.

use axum::Router;
use axum::http::StatusCode;

mod common;
use common::{Client, field_value};

/// A commune of the demo whose 2026-H1 report is a draft, and its officer.
const OWN_UNIT: &str = "99101N";
const OFFICER: &str = "sonha";
/// Another commune, whose officer must not read sonha's report.
const OTHER_OFFICER: &str = "lacgiang";
const H1: &str = "2026-H1";

async fn app() -> Router {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 300).await.expect("demo seed");
    cchc_web::router(cchc_web::AppState::new(store, catalogue))
}

fn page_url() -> String {
    format!("/reports/{OWN_UNIT}/{H1}")
}

const TABLE: &str = "# 7. Về mức độ thu hút đầu tư\n\n| Chức danh | Số lượng |\n|---|---|\n| Cán bộ | 11 |\n";

/// Where the editor's textarea of `key` starts in the page.
fn section_at(html: &str, key: &str) -> Option<usize> {
    html.find(&format!("name=\"s:{key}\""))
}

#[tokio::test]
async fn a_section_at_a_new_place_is_saved_and_listed_in_report_order() {
    let app = app().await;
    let mut c = Client::logged_in(&app, OFFICER).await;
    let page = c.get(&page_url()).await;
    assert_eq!(page.status, StatusCode::OK);
    // The standard places, the opening and the closing are offered, labelled.
    for label in ["Mở đầu (căn cứ)</label>", "Kết thúc</label>", "II.1 · 1. Cải cách thể chế</label>", ">III. ĐÁNH GIÁ CHUNG</label>"]
    {
        assert!(page.body.contains(label), "the editor lacks {label}");
    }
    assert!(page.body.contains("<code>{{số liệu}}</code> chỗ đặt số liệu tự động"), "no help text");
    assert!(section_at(&page.body, "II.7").is_none(), "II.7 listed before it was written");
    let version = field_value(&page.body, "version").expect("version field");

    let saved = c
        .submit(
            &format!("/reports/{OWN_UNIT}/{H1}/narrative"),
            &[
                ("version", &version),
                ("s:opening", "Thực hiện Văn bản số 12/UBND."),
                ("s:III", "Dòng một\r\nDòng hai"),
                ("new_key", "II.7"),
                ("new_text", TABLE),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let page = c.get(&page_url()).await.body;
    let at = |key: &str| section_at(&page, key).unwrap_or_else(|| panic!("no section {key} in the editor"));
    assert!(at("opening") < at("I") && at("II.6") < at("II.7") && at("II.7") < at("III") && at("V") < at("closing"));
    // Labelled with its own title, its text kept, its table in the preview.
    assert!(page.contains("II.7 · 7. Về mức độ thu hút đầu tư"), "the new section's title is not its label");
    assert!(page.contains("| Cán bộ | 11 |"));
    assert!(page.contains("<td>Cán bộ</td>"), "the saved table is not previewed");
    assert!(page.contains("Thực hiện Văn bản số 12/UBND."));
    // A browser's CRLF line breaks are stored as plain newlines.
    assert!(page.contains(">Dòng một\nDòng hai</textarea>"), "the line break was not kept as a newline");
    // The new-section inputs are empty again.
    assert!(page.contains("name=\"new_key\" value=\"\""));
}

#[tokio::test]
async fn a_key_that_is_not_a_place_is_refused_in_vietnamese_and_nothing_is_stored() {
    let app = app().await;
    let mut c = Client::logged_in(&app, OFFICER).await;
    let version = field_value(&c.get(&page_url()).await.body, "version").expect("version field");

    let refused = c
        .submit(
            &format!("/reports/{OWN_UNIT}/{H1}/narrative"),
            &[("version", &version), ("s:I", "Đoạn sửa cùng lúc"), ("new_key", "II.x"), ("new_text", "# x. Mục sai")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("chưa lưu gì"), "{}", refused.body);
    assert!(
        refused.body.contains("chưa lưu gì. phần &#34;II.x&#34;: khóa phần lời phải là"),
        "the wrong key is not named: {}",
        refused.body
    );
    // What was typed is still in the editor, to be corrected.
    assert!(refused.body.contains("name=\"new_key\" value=\"II.x\""), "the typed key is lost");
    assert!(refused.body.contains("# x. Mục sai</textarea>") && refused.body.contains("Đoạn sửa cùng lúc</textarea>"));

    // Nothing was stored: neither the wrong section nor the other one sent with it.
    let page = c.get(&page_url()).await.body;
    assert!(!page.contains("Mục sai") && !page.contains("Đoạn sửa cùng lúc"), "a refused save stored something");
    assert_eq!(field_value(&page, "version").as_deref(), Some(version.as_str()), "the version moved");
}

#[tokio::test]
async fn the_preview_renders_markdown_escapes_html_and_is_only_for_readers_of_the_report() {
    let app = app().await;
    let url = format!("/reports/{OWN_UNIT}/{H1}/narrative/preview");
    let mut c = Client::logged_in(&app, OFFICER).await;
    c.get(&page_url()).await;

    let table = c.htmx(&url, &[("text", "## 1.1. Tổ chức\n\n| Chức danh | Số lượng |\n|---|---|\n| Cán bộ | 11 |\n")]).await;
    assert_eq!(table.status, StatusCode::OK, "{}", table.body);
    assert!(table.body.contains("<h4>1.1. Tổ chức</h4>"), "{}", table.body);
    assert!(table.body.contains("<table") && table.body.contains("<td>Cán bộ</td>"), "{}", table.body);
    assert!(!table.body.contains("<html"), "the preview is a fragment, not a page");

    let script = c.htmx(&url, &[("text", "Đoạn <script>alert(1)</script> văn")]).await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(!script.body.contains("<script>"), "{}", script.body);
    assert!(script.body.contains("&lt;script&gt;"), "{}", script.body);

    // Without the CSRF header the preview is refused like any other post.
    let forged = c.post_form(&url, &[("text", "x")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Another commune's officer reads nothing of this report, not even its preview.
    let mut other = Client::logged_in(&app, OTHER_OFFICER).await;
    let refused = other.htmx(&url, &[("text", "## x")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("không có quyền xem báo cáo"), "{}", refused.body);
    assert!(!refused.body.contains("<h4>x</h4>"));

    // Logged out: to the login page.
    let mut anonymous = Client::new(&app);
    anonymous.get("/login").await;
    let r = anonymous.htmx(&url, &[("text", "## x")]).await;
    assert_ne!(r.status, StatusCode::OK);
    assert!(!r.body.contains("<h4>x</h4>"));
}
