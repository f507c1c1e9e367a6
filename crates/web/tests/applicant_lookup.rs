//! Issue 15 items 1 and 4 on the web: the counter's form takes the applicant; the dossier page
//! shows it in full to the receiving commune's officer (audited) and masked to the province's
//! compiler and leader, with the handler and each event's actor by full name; a handler is
//! assigned; and the public status lookup `/tra-cuu` (no login) answers the right code and
//! digits, gives an unknown code and wrong digits the same answer, and limits failures per
//! address with a Vietnamese 429 while the server keeps answering.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::StatusCode;
use common::{Client, field_value};

const OWN_UNIT: &str = "99101N";

fn applicant_fields(id_number: &str) -> Vec<(&str, &str)> {
    vec![
        ("applicant_kind", "ca-nhan"),
        ("applicant_name", "Nguyễn Văn An"),
        ("applicant_id", id_number),
        ("applicant_phone", "0912345678"),
        ("applicant_address", "Số 12 ngõ 3, xã Sơn Hà, tỉnh Mẫu"),
        ("applicant_email", "an.nguyen@example.vn"),
    ]
}

/// The lookup from a client address (as the server started with connection info sees it).
async fn lookup_from(c: &mut Client, uri: &str, from: [u8; 4]) -> common::Reply {
    let peer = SocketAddr::from((from, 40000));
    let request = c.request("GET", uri).extension(ConnectInfo(peer)).body(Body::empty()).unwrap();
    c.send(request).await
}

#[tokio::test]
async fn the_applicant_is_taken_shown_masked_per_role_assigned_and_looked_up() {
    let (app, store) = common::demo_with_store(0).await;
    let mut officer = Client::logged_in(&app, "sonha").await;
    let list = officer.get("/dossiers").await;
    assert!(list.body.contains("name=\"applicant_name\""), "the receiving form asks for the applicant");
    let procedure = {
        let open = "<select name=\"procedure\"><option value=\"";
        let start = list.body.find(open).expect("procedures") + open.len();
        list.body[start..].split('"').next().unwrap().to_string()
    };
    let receipt = |id: &'static str| {
        let mut f = vec![("unit", OWN_UNIT), ("channel", "truc-tiep"), ("at", "07/09/2026 08:30")];
        f.extend(applicant_fields(id));
        f
    };
    let mut bad = receipt("12345");
    bad.push(("procedure", &procedure));
    let refused = officer.submit("/dossiers/new", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("Số định danh cá nhân (CCCD)") && refused.body.contains("12 chữ số"), "{}", refused.body);

    let mut good = receipt("001203004567");
    good.push(("procedure", &procedure));
    let received = officer.submit("/dossiers/new", &good).await;
    assert_eq!(received.status, StatusCode::SEE_OTHER, "{}", received.body);
    let url = received.location.clone().expect("the dossier's page");
    let id = url.trim_start_matches("/dossiers/").to_string();

    // The handling commune's officer: in full, with the actor of the receipt; the view audited.
    let page = officer.get(&url).await;
    for full in ["Nguyễn Văn An", "001203004567", "0912345678", "Số 12 ngõ 3, xã Sơn Hà, tỉnh Mẫu", "an.nguyen@example.vn"] {
        assert!(page.body.contains(full), "{full} in full for the officer");
    }
    assert!(!page.body.contains("id=\"masked\""));
    assert!(page.body.contains("<span class=\"actor\" title=\"sonha\">Phạm Thị Hà</span>"), "the receipt's actor by full name");
    assert!(page.body.contains("chưa giao"), "no handler yet");
    let audited = store.audit(&cchc_storage::AuditFilter::default()).await.unwrap();
    assert!(
        audited.iter().any(|e| e.action == cchc_app::ledger::PERSONAL_VIEW && e.by == "sonha" && e.item.as_deref() == Some(id.as_str()))
    );

    // The list: the officer reads the applicant's name, the province masked (not audited).
    let list = |body: &str| body.split("id=\"dossiers\"").nth(1).unwrap_or_default().to_string();
    let own = list(&officer.get("/dossiers?q=001203004567&from=07/09/2026&to=07/09/2026").await.body);
    assert!(own.contains(&format!(">{id}</a></td><td data-label=\"Chủ hồ sơ\">Nguyễn Văn An</td>")), "{own}");
    let mut province = Client::logged_in(&app, "tonghop").await;
    let theirs = list(&province.get(&format!("/dossiers?unit={OWN_UNIT}&from=07/09/2026&to=07/09/2026")).await.body);
    assert!(theirs.contains(&format!(">{id}</a></td><td data-label=\"Chủ hồ sơ\">Nguyễn V*** A***</td>")), "{theirs}");
    assert!(!theirs.contains("Nguyễn Văn An"));

    // The province's compiler and leader: masked, and told why.
    for who in ["tonghop", "lanhdao"] {
        let mut c = Client::logged_in(&app, who).await;
        let page = c.get(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{who}");
        assert!(page.body.contains("Nguyễn V*** A***") && page.body.contains("********4567") && page.body.contains("*******678"), "{who}");
        for full in ["Nguyễn Văn An", "001203004567", "0912345678", "ngõ 3", "an.nguyen@"] {
            assert!(!page.body.contains(full), "{who} must not see {full}");
        }
        assert!(page.body.contains("id=\"masked\"") && page.body.contains("Nghị định 13/2023/NĐ-CP"), "{who}");
        assert!(!page.body.contains("id=\"assign\""), "{who} cannot assign");
    }
    let views = store.audit(&cchc_storage::AuditFilter::default()).await.unwrap();
    assert_eq!(views.iter().filter(|e| e.action == cchc_app::ledger::PERSONAL_VIEW).count(), 1, "masked views are not audited");

    // Assigning the handler.
    let version = field_value(&page.body, "version").unwrap_or_else(|| "1".into());
    let page = officer.get(&url).await;
    assert!(page.body.contains("id=\"assign\""));
    let version = field_value(&page.body, "version").unwrap_or(version);
    let assigned = officer.submit(&format!("{url}/handler"), &[("handler", "sonha"), ("version", &version)]).await;
    assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{}", assigned.body);
    let page = officer.get(&url).await;
    assert!(page.body.contains("Đã giao hồ sơ") && page.body.contains("<dd id=\"handler\"><span title=\"sonha\">Phạm Thị Hà</span></dd>"));

    // The public lookup, without login.
    let mut citizen = Client::new(&app);
    let form = citizen.get("/tra-cuu").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"ma\"") && form.body.contains("name=\"so\"") && form.body.contains("width=device-width"));
    let found = citizen.get(&format!("/tra-cuu?ma={id}&so=5678")).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert!(found.body.contains("Đang xử lý") && found.body.contains("Ngày hẹn trả kết quả"), "{}", found.body);
    for private in ["Nguyễn", "0912345678", "001203004567", "Phạm Thị Hà", "sonha", "ngõ 3"] {
        assert!(!found.body.contains(private), "the lookup reveals {private}");
    }
    let by_id = citizen.get(&format!("/tra-cuu?ma={id}&so=4567")).await;
    assert_eq!(by_id.status, StatusCode::OK);
    let message = |body: &str| body.split("role=\"alert\">").nth(1).and_then(|s| s.split('<').next()).unwrap_or_default().to_string();
    let wrong = citizen.get(&format!("/tra-cuu?ma={id}&so=1234")).await;
    let unknown = citizen.get("/tra-cuu?ma=99101N-260907-9999&so=5678").await;
    assert_eq!((wrong.status, unknown.status), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(message(&wrong.body), message(&unknown.body));
    assert_eq!(message(&wrong.body), cchc_app::lookup::NOT_FOUND);
    let api = citizen.get(&format!("/api/tra-cuu?ma={id}&so=5678")).await;
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["trang_thai"], "Đang xử lý");
    assert!(json["ngay_hen_tra"].as_str().is_some_and(|d| d.contains("/2026")), "{json}");
    let api_wrong = citizen.get(&format!("/api/tra-cuu?ma={id}&so=0000")).await;
    let api_unknown = citizen.get("/api/tra-cuu?ma=KHONG-CO&so=0000").await;
    assert_eq!(api_wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(api_wrong.body, api_unknown.body);
}

#[tokio::test]
async fn failed_lookups_are_limited_per_address_in_vietnamese_and_the_server_still_answers() {
    let app = common::demo().await;
    let mut citizen = Client::new(&app);
    let guesser = [203, 0, 113, 7];
    for n in 0..cchc_web::LOOKUP_MAX_FAILURES {
        let r = lookup_from(&mut citizen, &format!("/tra-cuu?ma=99101N-260907-0001&so={n:04}"), guesser).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "attempt {n}");
    }
    let blocked = lookup_from(&mut citizen, "/tra-cuu?ma=99101N-260907-0001&so=9999", guesser).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.body.contains("Vui lòng thử lại sau") && blocked.body.contains("phút"), "{}", blocked.body);
    let api = lookup_from(&mut citizen, "/api/tra-cuu?ma=X&so=1111", guesser).await;
    assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(api.body.contains("Vui lòng thử lại sau"));
    // Another address is not blocked, and the server answers everyone else.
    let other = lookup_from(&mut citizen, "/tra-cuu?ma=99101N-260907-0001&so=9999", [198, 51, 100, 2]).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(citizen.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(citizen.get("/tra-cuu").await.status, StatusCode::OK);
}
