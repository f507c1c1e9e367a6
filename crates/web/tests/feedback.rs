//! The feedback (PAKN) pages and API (issue 14 items 4, 7) on the demo province: a unit officer
//! receives, answers (a stale version refused), lists the overdue; leaders read with the sender
//! masked; another commune is refused; the report's form shows the figures read-only; an intake
//! is corrected on its row and through the API until answered.

mod common;

use axum::http::StatusCode;
use common::{Client, demo, element};

#[tokio::test]
async fn a_unit_officer_receives_and_answers_feedback_and_the_form_shows_the_figures() {
    let app = demo().await;
    let mut c = Client::logged_in(&app, "sonha").await;
    let page = c.get("/feedback").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let table = element(&page.body, "feedback");
    // The demo's feedback answered one working day late across Quốc khánh, its sender in full.
    let late = table.split("<tr id=\"feedback-").find(|r| r.contains("Đề nghị bố trí thêm ghế chờ")).expect("demo feedback");
    assert!(late.contains("data-status=\"answered-late\"") && late.contains("Phạm Thị Em") && late.contains("10/09/2026"), "{late}");
    let overdue = c.get("/feedback?list=overdue").await;
    let t = element(&overdue.body, "feedback");
    assert!(t.contains("sai sót thông tin trên trích lục khai sinh") && !t.contains("ghế chờ"), "{t}");

    // A date that does not exist is refused naming the field; nothing stored.
    let fields = |date: &'static str| {
        vec![
            ("unit", "99101N"),
            ("channel", "duong-day-nong"),
            ("received_on", date),
            ("name", "Trần Văn Khải"),
            ("phone", "0912 000 111"),
            ("email", ""),
            ("address", ""),
            ("content", "Đề nghị công khai số điện thoại đường dây nóng"),
            ("procedure", ""),
            ("dossier", ""),
            ("time_limit", "5"),
        ]
    };
    let bad = c.submit("/feedback", &fields("31/02/2026")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("Ngày tiếp nhận") && bad.body.contains("31/02/2026"), "{}", bad.body);
    let made = c.submit("/feedback", &fields("02/11/2026")).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let id = made.location.unwrap().rsplit("#feedback-").next().unwrap().to_string();
    let page = c.get("/feedback").await;
    assert!(page.body.contains(&format!("Đã tiếp nhận phản ánh, kiến nghị số {id} ngày 02/11/2026.")), "flash");
    // Answered, then the same version again: 409, nothing written.
    let answer = [("version", "1"), ("unit", "99101N"), ("answered_on", "06/11/2026"), ("text", "Đã công khai tại Bộ phận Một cửa.")];
    let done = c.submit(&format!("/feedback/{id}/answer"), &answer).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let stale = c.submit(&format!("/feedback/{id}/answer"), &answer).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("đã được người khác sửa"), "{}", stale.body);
    let page = c.get("/feedback").await;
    let row = page.body.split(&format!("id=\"feedback-{id}\"")).nth(1).unwrap();
    assert!(row.starts_with(" data-status=\"answered\""), "{}", &row[..200]);

    // The report's form: 3.4.2 and 3.4.3 from the records, read-only, linked to them (the first
    // half of 2026: 3 received, 3 answered).
    let form = c.get("/reports/99101N/2026-H1/form/3").await;
    assert_eq!(form.status, StatusCode::OK);
    for code in ["k-3-4-2", "k-3-4-3"] {
        let cell = form.body.split(&format!("id=\"{code}\"")).nth(1).unwrap();
        assert!(cell.starts_with(" value=\"3\" ") && cell.contains("readonly"), "{code}: {}", &cell[..160]);
    }
    assert!(form.body.contains("href=\"/feedback?unit=99101N\""));
}

#[tokio::test]
async fn leaders_read_masked_other_units_are_refused_and_the_api_answers_the_same() {
    let app = demo().await;
    let mut leader = Client::logged_in(&app, "lanhdao").await;
    let page = leader.get("/feedback?unit=99101N").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Phạm T*** E***") && !page.body.contains("Phạm Thị Em"), "masked for the leader");
    assert!(!page.body.contains("id=\"feedback-form\"") && !page.body.contains("id=\"answer-"), "no form for a leader");
    let mut other = Client::logged_in(&app, "lacgiang").await;
    assert_eq!(other.get("/feedback?unit=99101N").await.status, StatusCode::FORBIDDEN);
    assert_eq!(other.get("/api/feedback?unit=99101N").await.status, StatusCode::FORBIDDEN);
    let mut anonymous = Client::new(&app);
    assert_eq!(anonymous.get("/api/feedback").await.status, StatusCode::UNAUTHORIZED);

    // The API: received, listed by status, answered once (then 409).
    let mut c = Client::logged_in(&app, "lacgiang").await;
    let body = serde_json::json!({
        "unit": "99201N", "channel": "cong-dich-vu-cong", "received_on": "03/11/2026", "name": "Bùi Thị Mai",
        "content": "Hỏi về lệ phí chứng thực", "time_limit": "3"
    });
    let r = c.json("POST", "/api/feedback", &body.to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let made: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let id = made["feedback"]["id"].as_i64().unwrap();
    let got: serde_json::Value = serde_json::from_str(&c.get(&format!("/api/feedback/{id}")).await.body).unwrap();
    assert_eq!(got["due_on"], "06/11/2026");
    let answer = serde_json::json!({ "version": 1, "answered_on": "09/11/2026", "text": "Đã hướng dẫn." });
    let r = c.json("POST", &format!("/api/feedback/{id}/answer"), &answer.to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c.json("POST", &format!("/api/feedback/{id}/answer"), &answer.to_string()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let late: serde_json::Value = serde_json::from_str(&c.get("/api/feedback?status=answered-late").await.body).unwrap();
    let ids: Vec<i64> = late["feedback"].as_array().unwrap().iter().map(|f| f["feedback"]["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&id), "{late}");
    assert!(late["feedback"].as_array().unwrap().iter().all(|f| f["status"] == "answered-late"), "{late}");
    // Described in the OpenAPI document.
    let doc: serde_json::Value = serde_json::from_str(&c.get("/api/openapi.json").await.body).unwrap();
    for path in ["/api/feedback", "/api/feedback/{id}", "/api/feedback/{id}/assign", "/api/feedback/{id}/answer"] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}

#[tokio::test]
async fn an_intake_is_corrected_on_its_row_and_through_the_api_until_answered() {
    let app = demo().await;
    let mut c = Client::logged_in(&app, "sonha").await;
    // The demo's open feedback, received by post on 05/10/2026.
    let list = serde_json::from_str::<serde_json::Value>(&c.get("/api/feedback?q=tr%C3%ADch%20l%E1%BB%A5c").await.body).unwrap();
    let item = &list["feedback"][0];
    let id = item["feedback"]["id"].as_i64().unwrap();
    assert_eq!(item["feedback"]["channel"], "mail", "{item}");
    let version = item["version"].as_i64().unwrap().to_string();
    let page = c.get("/feedback").await;
    let row = page.body.split(&format!("<tr id=\"feedback-{id}\"")).nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains(&format!("id=\"edit-{id}\"")) && row.contains("<option value=\"buu-chinh\" selected>"), "{row}");
    let answered = page.body.split("<tr id=\"feedback-").find(|r| r.contains("Đề nghị bố trí thêm ghế chờ")).unwrap();
    assert!(!answered.split("</tr>").next().unwrap().contains("id=\"edit-"), "an answered feedback is not corrected");

    let fields = |day: &str| {
        vec![
            ("version", version.clone()),
            ("unit", "99101N".to_string()),
            ("channel", "thu-dien-tu".to_string()),
            ("received_on", day.to_string()),
            ("content", "Phản ánh sai sót họ tên trên trích lục khai sinh".to_string()),
            ("procedure", String::new()),
            ("dossier", String::new()),
        ]
    };
    let r = c.submit(&format!("/feedback/{id}/edit"), &refs(&fields("32/10/2026"))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(element(&r.body, "message").contains("Ngày tiếp nhận: &#34;32/10/2026&#34;"), "{}", r.body);
    let good = fields("06/10/2026");
    let good = refs(&good);
    let r = c.submit(&format!("/feedback/{id}/edit"), &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some(format!("/feedback?unit=99101N#feedback-{id}").as_str()));
    let page = c.get("/feedback").await;
    assert!(page.body.contains(&format!("Đã sửa thông tin tiếp nhận phản ánh, kiến nghị số {id}.")), "flash");
    let now = serde_json::from_str::<serde_json::Value>(&c.get(&format!("/api/feedback/{id}")).await.body).unwrap();
    assert_eq!((now["feedback"]["channel"].as_str(), now["feedback"]["received_on"].as_str()), (Some("email"), Some("2026-10-06")));
    assert_eq!(now["feedback"]["content"], "Phản ánh sai sót họ tên trên trích lục khai sinh");
    // The same form again from the page loaded before: 409, nothing overwritten.
    let r = c.submit(&format!("/feedback/{id}/edit"), &good).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(element(&r.body, "message").contains("Phản ánh, kiến nghị đã được người khác sửa"), "{}", r.body);

    // Through the API, from the new version; a leader and another commune are refused.
    let v = now["version"].as_i64().unwrap();
    let body = serde_json::json!({ "version": v, "channel": "thu-dien-tu", "received_on": "06/10/2026", "content": "Sai sót họ tên trên trích lục khai sinh", "procedure": "", "dossier": "" });
    let mut leader = Client::logged_in(&app, "lanhdao").await;
    assert_eq!(leader.json("POST", &format!("/api/feedback/{id}"), &body.to_string()).await.status, StatusCode::FORBIDDEN);
    let mut other = Client::logged_in(&app, "lacgiang").await;
    assert_eq!(other.json("POST", &format!("/api/feedback/{id}"), &body.to_string()).await.status, StatusCode::NOT_FOUND);
    let r = c.json("POST", &format!("/api/feedback/{id}"), &body.to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Answered: no more corrections (422), the form gone.
    let answer = [("version", "3"), ("unit", "99101N"), ("answered_on", "20/10/2026"), ("text", "Đã cấp lại trích lục.")];
    assert_eq!(c.submit(&format!("/feedback/{id}/answer"), &answer).await.status, StatusCode::SEE_OTHER);
    let mut late = body.clone();
    late["version"] = serde_json::json!(4);
    let r = c.json("POST", &format!("/api/feedback/{id}"), &late.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("đã được trả lời"), "{}", r.body);
    assert!(!c.get("/feedback").await.body.contains(&format!("id=\"edit-{id}\"")));
    let doc = serde_json::from_str::<serde_json::Value>(&c.get("/api/openapi.json").await.body).unwrap();
    assert!(doc["paths"]["/api/feedback/{id}"]["post"].is_object());
}

/// A form's fields as `Client::submit` takes them.
fn refs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
