//! The satisfaction survey on the web (issue 14 item 5): the public page `/survey/{code}`
//! without login answers once per receipt code and refuses the second in Vietnamese; its form's
//! CSRF token is its own double-submit cookie (a post without it is refused, and that token
//! opens no other route); unknown codes get one sentence and are limited per address; officers
//! read the results on `/survey` and `/api/survey`. The printed link carries its token
//! (`?t=…`): without it the page refuses in Vietnamese. The administrator edits the questions on
//! `/survey/questions` and `/api/survey/questions`; the counter officer issues a visit's code on
//! `/survey/visits` and prints its slip (the QR code of the signed link).

mod common;

use axum::http::StatusCode;
use common::{Client, field_value};

/// A dossier of Sơn Hà that nobody has answered the survey of yet.
async fn unanswered(store: &dyn cchc_storage::Store) -> String {
    let answered: Vec<String> = store.survey_answers(&["99101N".into()], None).await.unwrap().into_iter().map(|a| a.receipt).collect();
    let facts = store.dossier_facts(&["99101N".into()]).await.unwrap();
    let all = facts.iter().flat_map(|(unit, blob)| cchc_dossiers::facts::decode_unit(unit, blob).unwrap());
    all.map(|f| f.id).find(|id| !answered.contains(id)).expect("an unanswered dossier")
}

/// The survey's address printed for `code`: with its token.
async fn signed(store: &dyn cchc_storage::Store, code: &str) -> String {
    format!("/survey/{code}?t={}", cchc_app::survey::token(store, code).await.unwrap())
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
    let url = signed(store.as_ref(), &code).await;

    // The code alone (typed or guessed) opens nothing.
    let mut guesser = Client::new(&app);
    let bare = guesser.get(&format!("/survey/{code}")).await;
    assert_eq!(bare.status, StatusCode::FORBIDDEN, "{}", bare.body);
    assert!(bare.body.contains(cchc_app::survey::BAD_LINK) && !bare.body.contains("id=\"survey-form\""), "{}", bare.body);

    let mut phone = Client::new(&app);
    let page = phone.get(&url).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(&format!("action=\"{url}\"")), "the form posts to the signed link");
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
    // The form's token without the link's: refused too.
    let unsigned = phone.post_form(&format!("/survey/{code}"), &answer_fields(&csrf, "5")).await;
    assert_eq!(unsigned.status, StatusCode::FORBIDDEN);
    assert!(unsigned.body.contains(cchc_app::survey::BAD_LINK));
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
    let (app, store) = common::demo_with_store(0).await;
    let mut phone = Client::new(&app);
    // Signed, but no dossier has it: one sentence.
    let first = phone.get(&signed(store.as_ref(), "99101N-000000-0001").await).await;
    assert_eq!(first.status, StatusCode::NOT_FOUND);
    assert!(first.body.contains(cchc_app::survey::NOT_FOUND), "{}", first.body);
    assert!(!first.body.contains("id=\"survey-form\""));
    let api = phone.get(&format!("/api{}", signed(store.as_ref(), "99101N-000000-0002").await)).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.body.contains("Không tìm thấy hồ sơ"), "{}", api.body);
    let mut limited = None;
    // 20 failures within 15 minutes are allowed (the first two above count); codes without
    // their token are refused in Vietnamese and count too.
    for i in 0..21 {
        let r = phone.get(&format!("/survey/99101N-000000-{i:04}")).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(r);
            break;
        }
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.body.contains(cchc_app::survey::BAD_LINK));
    }
    let limited = limited.expect("limited after the allowed failures");
    assert!(limited.body.contains("Vui lòng thử lại sau"), "{}", limited.body);
}

#[tokio::test]
async fn the_administrator_edits_the_questions_and_the_page_asks_them() {
    let (app, store) = common::demo_with_store(0).await;
    let mut sonha = Client::logged_in(&app, "sonha").await;
    assert_eq!(sonha.get("/survey/questions").await.status, StatusCode::FORBIDDEN);
    let mut admin = Client::logged_in(&app, "quantri").await;
    let page = admin.get("/survey/questions").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("value=\"phan_anh\"") && page.body.contains("Tiếp cận dịch vụ"), "{}", page.body);
    // Refused naming the fields, what was typed kept.
    let bad = admin
        .submit("/survey/questions", &[("scale", "1"), ("key", "chung"), ("text", "Đánh giá chung"), ("key", "chung"), ("text", "")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("Thang điểm") && bad.body.contains("Câu 2, mã câu hỏi “chung”: trùng"), "{}", bad.body);
    assert!(bad.body.contains("value=\"Đánh giá chung\""));
    // Saved.
    let saved = admin
        .submit(
            "/survey/questions",
            &[("scale", "3"), ("key", "chung"), ("text", "Đánh giá chung"), ("key", "pakn"), ("text", "Xử lý phản ánh"), ("feedback", "2")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let q = cchc_app::survey::questions(store.as_ref()).await.unwrap();
    assert_eq!((q.scale, q.questions.len(), q.feedback_key()), (3, 2, Some("pakn")));
    assert!(admin.get("/survey/questions").await.body.contains("name=\"feedback\" value=\"2\" checked"));
    // The API twin.
    let json = admin.get("/api/survey/questions").await;
    let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(v["thang_diem"], 3);
    assert_eq!(v["cau_hoi"][1]["phan_anh"], true);
    // No question marked: the page says so.
    let none = admin.submit("/survey/questions", &[("scale", "3"), ("key", "chung"), ("text", "Đánh giá chung"), ("feedback", "0")]).await;
    assert_eq!(none.status, StatusCode::SEE_OTHER, "{}", none.body);
    assert_eq!(cchc_app::survey::questions(store.as_ref()).await.unwrap().feedback_key(), None);
    assert!(admin.get("/survey/questions").await.body.contains("name=\"feedback\" value=\"0\" checked"));
    let refused = admin.json("PUT", "/api/survey/questions", r#"{"thang_diem": 5, "cau_hoi": [{"ma": "", "noi_dung": "x"}]}"#).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("Câu 1, mã câu hỏi: chưa nhập"), "{}", refused.body);
    let sipas = r#"{"thang_diem": 5, "cau_hoi": [{"ma": "tiep_can", "noi_dung": "Tiếp cận dịch vụ"}, {"ma": "phan_anh", "noi_dung": "Phản ánh", "phan_anh": true}]}"#;
    let put = admin.json("PUT", "/api/survey/questions", sipas).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    assert_eq!(sonha.json("PUT", "/api/survey/questions", sipas).await.status, StatusCode::FORBIDDEN);
    // The public page asks them (a visit's, the demo having no dossier here).
    let issued = sonha.submit("/survey/visits", &[("procedure", "")]).await;
    let code = issued.location.unwrap().trim_start_matches("/survey/slip?code=").to_string();
    let page = Client::new(&app).get(&signed(store.as_ref(), &code).await).await;
    assert_eq!(page.body.matches("<fieldset class=\"card question\"").count(), 2, "{}", page.body);
}

#[tokio::test]
async fn the_counter_issues_a_visit_code_whose_slip_leads_to_one_answer() {
    let (app, store) = common::demo_with_store(0).await;
    let mut sonha = Client::logged_in(&app, "sonha").await;
    let page = sonha.get("/survey/visits").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let issued = sonha.submit("/survey/visits", &[("procedure", "")]).await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.body);
    let slip_url = issued.location.clone().unwrap();
    assert!(slip_url.starts_with("/survey/slip?code=KS-99101N-"), "{slip_url}");
    let slip = sonha.get(&slip_url).await;
    assert_eq!(slip.status, StatusCode::OK, "{}", slip.body);
    assert!(slip.body.contains("src=\"data:image/png;base64,") && slip.body.contains("Đánh giá mức độ hài lòng"), "{}", slip.body);
    let code = slip_url.trim_start_matches("/survey/slip?code=").to_string();
    let link = signed(store.as_ref(), &code).await;
    assert!(slip.body.contains(&format!("{link}\"")), "the slip's link is signed: {}", slip.body);
    // Another commune's officer may not print it.
    let mut lacgiang = Client::logged_in(&app, "lacgiang").await;
    assert_eq!(lacgiang.get(&slip_url).await.status, StatusCode::FORBIDDEN);
    // The citizen answers once; the second is refused in Vietnamese.
    let mut phone = Client::new(&app);
    let form = phone.get(&link).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("Lượt giao dịch tại Bộ phận Một cửa"), "{}", form.body);
    let csrf = field_value(&form.body, "_csrf").unwrap();
    assert_eq!(phone.post_form(&link, &answer_fields(&csrf, "5")).await.status, StatusCode::OK);
    let second = phone.post_form(&link, &answer_fields(&csrf, "1")).await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(store.survey_answer(&code).await.unwrap().unwrap().visit);
    // The API issues one about a procedure, with its signed link.
    let procedure = cchc_app::dossiers::procedures(store.as_ref()).await.unwrap().into_keys().min().unwrap();
    let api = sonha.json("POST", "/api/survey/visits", &format!(r#"{{"thu_tuc": "{procedure}"}}"#)).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let v: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert!(v["duong_dan"].as_str().unwrap().ends_with(&signed(store.as_ref(), v["ma"].as_str().unwrap()).await), "{v}");
    // The new API routes are described.
    let doc: serde_json::Value = serde_json::from_str(&Client::new(&app).get("/api/openapi.json").await.body).unwrap();
    assert!(doc["paths"]["/api/survey/visits"]["post"].is_object() && doc["paths"]["/api/survey/questions"]["put"].is_object());
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
