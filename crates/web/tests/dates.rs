//! Dates and times at the counter typed and shown as dd/mm/yyyy HH:MM whatever the browser's
//! language (issue 16 item 1): text inputs with a pattern and a Vietnamese placeholder instead of
//! the browser's own date-time picker, read on the server by the ledger's own reader
//! (`cchc_dossiers::import::parse_moment`), and a moment written wrong refused with a Vietnamese
//! message naming the field.

use axum::Router;
use axum::http::StatusCode;

mod common;
use common::{Client, field_value};

const OWN_UNIT: &str = "99101N";
const OFFICER: &str = "sonha";

async fn app() -> Router {
    common::demo().await
}

/// Whether `s` is `dd/mm/yyyy HH:MM`.
fn is_vietnamese_moment(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 16
        && b.iter().enumerate().all(|(i, c)| match i {
            2 | 5 => *c == b'/',
            10 => *c == b' ',
            13 => *c == b':',
            _ => c.is_ascii_digit(),
        })
}

fn no_browser_date_inputs(html: &str) {
    for kind in ["type=\"date\"", "type=\"datetime-local\"", "type=\"time\"", "type=\"month\""] {
        assert!(!html.contains(kind), "the page still has an input {kind}");
    }
}

/// A text input named `name` with the dd/mm/yyyy HH:MM pattern and placeholder.
fn moment_input(html: &str, name: &str) {
    let start = html.find(&format!("<input name=\"{name}\"")).unwrap_or_else(|| panic!("no input {name}"));
    let tag = &html[start..start + html[start..].find('>').unwrap()];
    assert!(tag.contains("placeholder=\"dd/mm/yyyy HH:MM\""), "{tag}");
    assert!(tag.contains("pattern=\"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4} [0-9]{1,2}:[0-9]{2}\""), "{tag}");
}

#[tokio::test]
async fn the_counter_types_and_reads_moments_as_dd_mm_yyyy_hh_mm() {
    let app = app().await;
    let mut officer = Client::logged_in(&app, OFFICER).await;
    let list = officer.get("/dossiers").await;
    assert_eq!(list.status, StatusCode::OK);
    no_browser_date_inputs(&list.body);
    moment_input(&list.body, "at");
    let now = field_value(&list.body, "at").expect("the receipt's moment");
    assert!(is_vietnamese_moment(&now), "now is shown as {now:?}");

    let procedure = {
        let open = "<select name=\"procedure\"><option value=\"";
        let start = list.body.find(open).expect("procedures") + open.len();
        list.body[start..].split('"').next().unwrap().to_string()
    };
    let received = officer
        .submit("/dossiers/new", &[("unit", OWN_UNIT), ("procedure", &procedure), ("channel", "truc-tiep"), ("at", "07/09/2026 08:30")])
        .await;
    assert_eq!(received.status, StatusCode::SEE_OTHER, "{}", received.body);
    let url = received.location.clone().expect("the dossier's page");
    let page = officer.get(&url).await;
    no_browser_date_inputs(&page.body);
    moment_input(&page.body, "at");
    moment_input(&page.body, "new_due");
    assert!(page.body.contains("<time>07/09/2026 08:30</time>"), "the receipt at the moment typed");
    assert_eq!(field_value(&page.body, "at").as_deref(), Some("07/09/2026 08:30"), "the event form starts from the last moment");

    // An event typed the same way is recorded at that moment.
    let version = field_value(&page.body, "version").expect("version");
    let recorded =
        officer.submit(&format!("{url}/events"), &[("kind", "yeu-cau-bo-sung"), ("at", "08/09/2026 10:15"), ("version", &version)]).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    assert!(officer.get(&url).await.body.contains("<time>08/09/2026 10:15</time>"));
}

#[tokio::test]
async fn a_moment_written_wrong_is_refused_naming_the_field() {
    let app = app().await;
    let mut officer = Client::logged_in(&app, OFFICER).await;
    let list = officer.get("/dossiers").await;
    let procedure = {
        let open = "<select name=\"procedure\"><option value=\"";
        let start = list.body.find(open).expect("procedures") + open.len();
        list.body[start..].split('"').next().unwrap().to_string()
    };
    let refused = officer
        .submit("/dossiers/new", &[("unit", OWN_UNIT), ("procedure", &procedure), ("channel", "truc-tiep"), ("at", "31/02/2026 08:30")])
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    assert!(refused.body.contains("Thời điểm tiếp nhận"), "{}", refused.body);
    assert!(refused.body.contains("nhập theo dạng dd/mm/yyyy HH:MM"), "{}", refused.body);

    let received = officer
        .submit("/dossiers/new", &[("unit", OWN_UNIT), ("procedure", &procedure), ("channel", "truc-tiep"), ("at", "07/09/2026 08:30")])
        .await;
    let url = received.location.clone().expect("the dossier's page");
    let version = field_value(&officer.get(&url).await.body, "version").expect("version");

    let wrong_at =
        officer.submit(&format!("{url}/events"), &[("kind", "yeu-cau-bo-sung"), ("at", "10:00 AM"), ("version", &version)]).await;
    assert!(wrong_at.status.is_client_error(), "{}", wrong_at.status);
    let message = common::element(&wrong_at.body, "message");
    assert!(message.contains("Thời điểm: thời điểm") && message.contains("10:00 AM"), "{message}");
    assert!(message.contains("không hợp lệ, nhập theo dạng dd/mm/yyyy HH:MM"), "{message}");
    assert_eq!(field_value(&wrong_at.body, "at").as_deref(), Some("10:00 AM"), "what was typed is kept");

    let wrong_due = officer
        .submit(
            &format!("{url}/events"),
            &[("kind", "gia-han"), ("at", "08/09/2026 10:00"), ("new_due", "2026-13-01 08:00"), ("version", &version)],
        )
        .await;
    assert!(wrong_due.status.is_client_error(), "{}", wrong_due.status);
    assert!(wrong_due.body.contains("Ngày hẹn mới"), "{}", wrong_due.body);
    assert!(wrong_due.body.contains("nhập theo dạng dd/mm/yyyy HH:MM"), "{}", wrong_due.body);
    assert!(!wrong_due.body.contains("new_due:"), "the field is named as the form labels it");
}
