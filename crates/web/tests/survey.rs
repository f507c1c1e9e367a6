//! The satisfaction survey on the web (issue 14 item 5): the public page `/survey/{code}`
//! without login answers once per receipt code and refuses the second in Vietnamese; its form's
//! CSRF token is its own double-submit cookie (a post without it is refused, and that token
//! opens no other route); unknown codes get one sentence and are limited per address; officers
//! read the results on `/survey` and `/api/survey`.

mod common;

use axum::http::StatusCode;
use common::{Client, field_value};

/// A dossier of Sơn Hà that nobody has answered the survey of yet.
async fn unanswered(store: &dyn cchc_storage::Store) -> String {
    let answered: Vec<String> = store.survey_answers(&["99101N".into()], None).await.unwrap().into_iter().map(|a| a.receipt).collect();
    let facts = store.dossier_facts(&["99101N".into()]).await.unwrap();
    let all = cchc_dossiers::facts::decode_unit(&facts[0].0, &facts[0].1).unwrap();
    all.into_iter().map(|f| f.id).find(|id| !answered.contains(id)).expect("an unanswered dossier")
}

fn answer_fields<'a>(csrf: &'a str, score: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf", csrf),
        ("tiep_can", score),
        ("thu_tuc", score),
        ("cong_chuc", score),
        ("ket_qua", score),
        ("phan_anh", score),
        ("comment", "Cán bộ hướng dẫn tận tình."),
    ]
}

#[tokio::test]
async fn a_citizen_answers_once_without_login_and_the_second_answer_is_refused_in_vietnamese() {
    let (app, store) = common::demo_with_store(300).await;
    let code = unanswered(store.as_ref()).await;
    let url = format!("/survey/{code}");

    let mut phone = Client::new(&app);
    let page = phone.get(&url).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.body.matches("<fieldset class=\"card question\"").count(), 5);
    assert!(page.body.contains("Rất không hài lòng") && page.body.contains("Rất hài lòng"));
    assert!(page.body.contains("Tiếp cận dịch vụ") && page.body.contains("Công chức giải quyết"));
    assert!(page.body.contains("name=\"viewport\""), "a phone page");
    assert!(!page.body.contains("http://") && !page.body.contains("https://"), "no external asset");
    let cookie = phone.cookie.clone().unwrap_or_default();
    assert!(cookie.contains("cchc_survey="), "the form's token cookie: {cookie}");
    let set = page.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>().join("\n");
    assert!(set.contains("Path=/survey") && set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
    let csrf = field_value(&page.body, "_csrf").expect("the form's token");

    // Without the cookie's token: refused, nothing stored.
    let mut stranger = Client::new(&app);
    let forged = stranger.post_form(&url, &answer_fields("0123456789abcdef0123456789abcdef", "5")).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    let wrong = phone.post_form(&url, &answer_fields("0123456789abcdef0123456789abcdef", "5")).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(store.survey_answer(&code).await.unwrap(), None);

    // A score outside 1–5: the page again, naming the question, the other choices kept.
    let csrf = field_value(&phone.get(&url).await.body, "_csrf").unwrap_or(csrf);
    let mut bad = answer_fields(&csrf, "4");
    bad[4] = ("ket_qua", "6");
    let refused = phone.post_form(&url, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("Kết quả giải quyết") && refused.body.contains("“6”"), "{}", refused.body);
    assert!(refused.body.contains("name=\"tiep_can\" value=\"4\" checked"), "the choices are kept");
    assert_eq!(store.survey_answer(&code).await.unwrap(), None);

    // The answer.
    let csrf = field_value(&refused.body, "_csrf").unwrap();
    assert_eq!(Some(csrf.as_str()), phone.cookie.as_deref().and_then(|c| c.split("cchc_survey=").nth(1)).map(|t| &t[..32]));
    let thanks = phone.post_form(&url, &answer_fields(&csrf, "5")).await;
    assert_eq!(thanks.status, StatusCode::OK, "{}", thanks.body);
    assert!(thanks.body.contains("Cảm ơn ông/bà đã đánh giá"));
    let stored = store.survey_answer(&code).await.unwrap().expect("stored");
    assert_eq!(stored.scores.comment, "Cán bộ hướng dẫn tận tình.");

    // The second: the page says so without a form, and a post is refused in Vietnamese.
    let again = phone.get(&url).await;
    assert!(again.body.contains("Phiếu khảo sát của hồ sơ này đã được gửi") && !again.body.contains("id=\"survey-form\""));
    // (A form left open in another tab: the browser's token is the same on every page.)
    let second = phone.post_form(&url, &answer_fields(&csrf, "1")).await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.body);
    assert!(second.body.contains("Phiếu khảo sát của hồ sơ này đã được gửi trước đó"), "{}", second.body);
    assert_eq!(store.survey_answer(&code).await.unwrap(), Some(stored));

    // The survey's token opens no other route: a logged-in officer's post to the documents
    // register with it (instead of the session's token) is refused.
    let mut officer = Client::logged_in(&app, "sonha").await;
    let survey_token = field_value(&officer.get(&url).await.body, "_csrf").unwrap_or_default();
    let session_token = officer.csrf.clone();
    assert_ne!(survey_token, session_token);
    let misuse = officer
        .post_form(
            "/documents",
            &[
                ("_csrf", survey_token.as_str()),
                ("unit", "99101N"),
                ("kind", "cong-van"),
                ("direction", "di"),
                ("number", "1/UBND"),
                ("date", "01/02/2026"),
                ("summary", "x"),
            ],
        )
        .await;
    assert_eq!(misuse.status, StatusCode::FORBIDDEN, "{}", misuse.body);
}

#[tokio::test]
async fn an_unknown_code_reveals_nothing_and_failures_are_limited() {
    let (app, _store) = common::demo_with_store(0).await;
    let mut phone = Client::new(&app);
    let first = phone.get("/survey/99101N-000000-0001").await;
    assert_eq!(first.status, StatusCode::NOT_FOUND);
    assert!(first.body.contains(cchc_app::survey::NOT_FOUND), "{}", first.body);
    assert!(!first.body.contains("id=\"survey-form\""));
    let api = phone.get("/api/survey/99101N-000000-0002").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.body.contains("Không tìm thấy hồ sơ"), "{}", api.body);
    let mut limited = None;
    // 20 failures within 15 minutes are allowed (the first two above count).
    for i in 0..21 {
        let r = phone.get(&format!("/survey/99101N-000000-{i:04}")).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(r);
            break;
        }
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let limited = limited.expect("limited after the allowed failures");
    assert!(limited.body.contains("Vui lòng thử lại sau"), "{}", limited.body);
}

#[tokio::test]
async fn officers_read_the_results_by_unit_and_field_and_the_public_cannot() {
    let (app, store) = common::demo_with_store(300).await;
    let mut officer = Client::logged_in(&app, "tonghop").await;
    let page = officer.get("/survey?period=2026-Y&unit=99&by=unit").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"survey-results\"") && page.body.contains("Tỷ lệ hài lòng"));
    let answers = store.survey_answers(&["99101N".into()], None).await.unwrap();
    assert!(!answers.is_empty());
    let by_field = officer.get("/survey?period=2026-Y&unit=99&by=field").await;
    assert_eq!(by_field.status, StatusCode::OK);
    assert!(by_field.body.contains("Lĩnh vực"));
    let bad = officer.get("/survey?period=2026-Y&unit=99&by=nothing").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let json = officer.get("/api/survey?period=2026-Y&unit=99101N").await;
    assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    let in_window = answers.iter().filter(|a| a.received_on.format("%Y").to_string() == "2026").count() as u64;
    assert!(v["tong"]["so_phieu"].as_u64().unwrap() > 0 && v["tong"]["so_phieu"].as_u64().unwrap() <= in_window, "{v}");
    assert!(v["tong"]["ty_le"].as_str().unwrap().ends_with('%'));
    // A commune's officer cannot read another commune's results; the public is sent to log in.
    let mut lacgiang = Client::logged_in(&app, "lacgiang").await;
    assert_eq!(lacgiang.get("/survey?period=2026-Y&unit=99101N").await.status, StatusCode::FORBIDDEN);
    let public = Client::new(&app).get("/survey").await;
    assert!(public.status.is_redirection() || public.status == StatusCode::UNAUTHORIZED, "{}", public.status);
    assert_eq!(Client::new(&app).get("/api/survey").await.status, StatusCode::UNAUTHORIZED);
    // The report's form shows the satisfaction figures read-only with links to the ledger and
    // to these results.
    let mut sonha = Client::logged_in(&app, "sonha").await;
    let form = sonha.get(&common::form_url("99101N", "2026-H1", 1)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.body.matches("<a href=\"/survey?unit=99101N\"").count(), 2, "1.6.2 and 1.6.3");
    // Both API routes are described.
    let doc: serde_json::Value = serde_json::from_str(&Client::new(&app).get("/api/openapi.json").await.body).unwrap();
    assert!(doc["paths"]["/api/survey"]["get"].is_object() && doc["paths"]["/api/survey/{code}"]["get"].is_object());
}
