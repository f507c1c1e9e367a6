//! The Decision 766 page (`/dossiers/scores`, issue 15 item 6): the groups part by part with
//! "không tính được" where nothing says, the office's entries kept and shown, the portal's total
//! beside the computed one; a bad entry is refused in Vietnamese and nothing is kept; another
//! unit's officer sees nothing.

use axum::http::StatusCode;

mod common;
use common::Client;

const UNIT: &str = "99101N";
const PERIOD: &str = "2026-Q1";

fn page() -> String {
    format!("/dossiers/scores?unit={UNIT}&period={PERIOD}")
}

#[tokio::test]
async fn the_page_scores_part_by_part_and_keeps_what_the_office_enters() {
    let app = common::demo().await;
    let mut officer = Client::logged_in(&app, "sonha").await;
    let before = officer.get(&page()).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    let body = &before.body;
    assert!(
        body.contains("<th>Công khai, minh bạch</th><td class=\"num\">18</td><td class=\"num\"><strong>không tính được</strong>"),
        "{body}"
    );
    assert!(body.contains("Hồ sơ giải quyết trước hạn, đúng hạn và đang trong hạn"), "{body}");
    assert!(body.contains("name=\"part:published_on_time\""), "an unknown part can be entered");
    assert!(!body.contains("name=\"part:in_time\""), "a part computed from the ledger is not typed over");

    let saved = officer
        .submit("/dossiers/scores", &[("unit", UNIT), ("period", PERIOD), ("part:published_on_time", "5,5"), ("national", "81,25")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = officer.get(saved.location.as_deref().unwrap()).await.body;
    assert!(after.contains("Đã lưu điểm nhập theo Quyết định 766"), "the confirmation");
    assert!(after.contains("name=\"part:published_on_time\" value=\"5,5\""), "{after}");
    assert!(after.contains("<td class=\"num\">5,5</td><td>đơn vị nhập</td>"), "{after}");
    assert!(after.contains("<strong id=\"scores-national\">81,25</strong>"), "{after}");
    // The audit log names what was changed in Vietnamese.
    let mut admin = Client::logged_in(&app, "quantri").await;
    let log = admin.get("/audit").await.body;
    assert!(log.contains("điểm theo Quyết định 766 của đơn vị 99101N, kỳ 2026-Q1"), "{log}");
    // … and what it was changed to, not the stored JSON.
    assert!(
        log.contains("Điểm trên Cổng Dịch vụ công quốc gia: 81,25; tiêu chí &quot;Công bố TTHC đúng hạn&quot;: 5,5 điểm")
            || log.contains("Điểm trên Cổng Dịch vụ công quốc gia: 81,25; tiêu chí &#34;Công bố TTHC đúng hạn&#34;: 5,5 điểm"),
        "{log}"
    );
    assert!(!log.contains("published_on_time") && !log.contains("&quot;national&quot;") && !log.contains("&#34;national&#34;"), "{log}");

    // Out of range: refused in Vietnamese, the kept value unchanged.
    let refused = officer.submit("/dossiers/scores", &[("unit", UNIT), ("period", PERIOD), ("part:published_on_time", "9")]).await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    assert!(refused.body.contains("Công bố TTHC đúng hạn: điểm phải từ 0 đến 6"), "{}", refused.body);
    assert!(officer.get(&page()).await.body.contains("value=\"5,5\""));
}

#[tokio::test]
async fn a_leader_reads_without_a_form_and_another_units_officer_reads_nothing() {
    let app = common::demo().await;
    let mut leader = Client::logged_in(&app, "lanhdao").await;
    let r = leader.get(&page()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"scores\""), "the scores are shown");
    assert!(!r.body.contains("name=\"part:") && !r.body.contains("id=\"scores-save\""), "no entry for a leader");
    let posted = leader.submit("/dossiers/scores", &[("unit", UNIT), ("period", PERIOD), ("part:published_on_time", "6")]).await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN, "{}", posted.body);
    // The compiling office above enters the portal's total of a unit below.
    let mut office = Client::logged_in(&app, "tonghop").await;
    assert!(office.get(&page()).await.body.contains("id=\"scores-save\""));
    let r = office.submit("/dossiers/scores", &[("unit", UNIT), ("period", PERIOD), ("national", "77")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut other = Client::logged_in(&app, "lacgiang").await;
    let r = other.get(&page()).await;
    assert!(r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND, "{}", r.status);
    assert!(!r.body.contains("Hồ sơ trễ hạn"), "nothing of the unit shown");
}
