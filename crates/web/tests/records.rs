//! The records' pages and API (issue 14 item 7): `/plans` and `/documents` on the demo province,
//! per role, with dates typed dd/mm/yyyy, and the same under `/api`.

mod common;

use axum::http::StatusCode;
use common::{Client, demo, element};

#[tokio::test]
async fn a_unit_officer_keeps_plans_tasks_and_documents_of_their_unit() {
    let app = demo().await;
    let mut c = Client::logged_in(&app, "sonha").await;
    let page = c.get("/plans").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Kế hoạch số 05/KH-UBND ngày 12/01/2026 của UBND xã về thực hiện công tác cải cách hành chính năm 2026"));
    // The province's plan assigns the commune a task: it is in the commune's list.
    assert!(page.body.contains("Kế hoạch số 25/KH-UBND ngày 10/01/2026") && page.body.contains("(cấp trên giao)"), "assigned plan");
    assert!(page.body.contains("placeholder=\"dd/mm/yyyy\""));
    let overdue = c.get("/plans?list=overdue").await;
    assert!(element(&overdue.body, "tasks").contains("Số hóa kết quả giải quyết TTHC lĩnh vực hộ tịch"), "{}", overdue.body);
    assert!(!element(&overdue.body, "tasks").contains("Ban hành Kế hoạch tuyên truyền CCHC năm 2026"));

    // A plan, a task, its finish: dd/mm/yyyy, a wrong date refused naming the field.
    let made = c
        .submit(
            "/plans",
            &[
                ("unit", "99101N"),
                ("kind", "chuyen-doi-so"),
                ("number", "31/KH-UBND"),
                ("date", "02/03/2026"),
                ("issuer", "UBND xã"),
                ("signer", ""),
                ("summary", "chuyển đổi số năm 2026"),
                ("valid_from", ""),
                ("valid_to", ""),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let page = c.get("/plans").await;
    assert!(page.body.contains("Đã thêm Kế hoạch số 31/KH-UBND ngày 02/03/2026."), "flash");
    let id = page.body.split("id=\"task-form-").nth(1).map(|s| s[..s.find('"').unwrap()].to_string());
    let id = id.expect("a plan the officer keeps has a task form");
    let bad = c
        .submit(
            &format!("/plans/{id}/tasks"),
            &[("content", "Số hóa"), ("responsible", "99101N"), ("cooperating", ""), ("deadline", "31/02/2026"), ("output", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Thời hạn hoàn thành") && bad.body.contains("31/02/2026"), "{}", bad.body);
    let added = c
        .submit(
            &format!("/plans/{id}/tasks"),
            &[
                ("content", "Lập danh mục dữ liệu số"),
                ("responsible", "99101N"),
                ("cooperating", ""),
                ("deadline", "30/04/2026"),
                ("output", ""),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let task = added.location.unwrap().rsplit("#task-").next().unwrap().to_string();
    let done = c
        .submit(
            &format!("/plans/tasks/{task}"),
            &[
                ("version", "1"),
                ("unit", "99101N"),
                ("started_on", "01/04/2026"),
                ("done_on", "29/04/2026"),
                ("note", "Đã ban hành danh mục"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let stale = c
        .submit(&format!("/plans/tasks/{task}"), &[("version", "1"), ("unit", "99101N"), ("started_on", ""), ("done_on", ""), ("note", "")])
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let page = c.get("/plans").await;
    let row = page.body.split(&format!("id=\"task-{task}\"")).nth(1).unwrap();
    assert!(row.starts_with(" data-state=\"done\""), "{}", &row[..200]);

    // Its evidence: a document of the register, by its number there; an unknown one refused.
    let docs = c.get("/documents").await;
    let row = docs.body.split("id=\"doc-").find(|r| r.contains("88/UBND-VP")).unwrap();
    let doc = &row[..row.find('"').unwrap()];
    let none = c
        .submit(&format!("/plans/tasks/{task}"), &[("version", "2"), ("unit", "99101N"), ("done_on", "29/04/2026"), ("evidence", "999999")])
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", none.body);
    assert!(none.body.contains("Minh chứng"), "{}", none.body);
    let linked = c
        .submit(&format!("/plans/tasks/{task}"), &[("version", "2"), ("unit", "99101N"), ("done_on", "29/04/2026"), ("evidence", doc)])
        .await;
    assert_eq!(linked.status, StatusCode::SEE_OTHER, "{}", linked.body);
    let page = c.get("/plans").await;
    assert!(page.body.contains("Minh chứng: Công văn số 88/UBND-VP ngày 10/04/2026"), "evidence shown");

    // The register: searched, and a document added.
    let docs = c.get("/documents?q=k%E1%BB%B7+lu%E1%BA%ADt").await;
    assert_eq!(docs.status, StatusCode::OK);
    assert!(
        element(&docs.body, "documents").contains("88/UBND-VP") && !element(&docs.body, "documents").contains("15/UBND-VP"),
        "{}",
        docs.body
    );
    let added = c
        .submit(
            "/documents",
            &[
                ("unit", "99101N"),
                ("kind", "cong-van"),
                ("direction", "issued"),
                ("number", "120/UBND-VP"),
                ("date", "05/05/2026"),
                ("issuer", "UBND xã"),
                ("summary", "về việc đôn đốc số hóa hồ sơ"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let api = c.get("/api/documents?direction=issued&from=01/05/2026").await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    let cited: Vec<&str> = json["documents"].as_array().unwrap().iter().map(|d| d["citation"].as_str().unwrap()).collect();
    assert_eq!(cited, vec!["Công văn số 120/UBND-VP ngày 05/05/2026 của UBND xã về việc đôn đốc số hóa hồ sơ"]);
    // The report's form shows the task figures from the records, read-only, linked to them.
    let form = c.get("/reports/99101N/2026-H1/form/1").await;
    assert_eq!(form.status, StatusCode::OK);
    let cell = form.body.split("id=\"k-1-2-1\"").nth(1).unwrap();
    assert!(cell.starts_with(" value=\"6\""), "{}", &cell[..120]);
    assert!(form.body.contains("<span class=\"ledger records\">") && form.body.contains("href=\"/plans?unit=99101N\""));
    let plans: serde_json::Value = serde_json::from_str(&c.get("/api/plans?list=overdue").await.body).unwrap();
    assert!(plans["tasks"].as_array().unwrap().iter().all(|t| t["state"] == "overdue"), "{plans}");
}

#[tokio::test]
async fn leaders_read_and_other_units_do_not() {
    let app = demo().await;
    let mut leader = Client::logged_in(&app, "lanhdao").await;
    let page = leader.get("/plans?unit=99101N").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("id=\"plan-form\""), "no form for a leader");
    let refused = leader
        .submit(
            "/documents",
            &[
                ("unit", "99101N"),
                ("kind", "cong-van"),
                ("direction", "issued"),
                ("number", "1/UBND-VP"),
                ("date", "05/05/2026"),
                ("issuer", ""),
                ("summary", "thử"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let mut other = Client::logged_in(&app, "lacgiang").await;
    assert_eq!(other.get("/plans?unit=99101N").await.status, StatusCode::FORBIDDEN);
    assert_eq!(other.get("/api/documents?unit=99101N").await.status, StatusCode::FORBIDDEN);
    let mut anonymous = Client::new(&app);
    assert_eq!(anonymous.get("/api/plans").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_api_adds_a_plan_with_its_tasks_records_progress_and_refuses_a_stale_version() {
    let app = demo().await;
    let mut c = Client::logged_in(&app, "lacgiang").await;
    let body = serde_json::json!({
        "unit": "99201N", "kind": "kiem-soat-tthc", "number": "12/KH-UBND", "date": "20/01/2026",
        "issuer": "UBND xã", "signer": "Hoàng Văn Lạc", "summary": "kiểm soát thủ tục hành chính năm 2026",
        "tasks": [
            { "content": "Rà soát TTHC lĩnh vực hộ tịch", "responsible": "99201N", "deadline": "31/03/2026" },
            { "content": "Công khai kết quả rà soát", "responsible": "99201N", "cooperating": "", "deadline": "30/04/2026", "output": "Thông báo" }
        ]
    });
    let r = c.json("POST", "/api/plans", &body.to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let made: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(made["citation"], "Kế hoạch số 12/KH-UBND ngày 20/01/2026 của UBND xã về kiểm soát thủ tục hành chính năm 2026");
    let task = made["tasks"][0]["task"]["id"].as_i64().unwrap();
    let done = serde_json::json!({ "version": 1, "done_on": "30/03/2026", "note": "Đã rà soát 12 thủ tục" });
    let r = c.json("POST", &format!("/api/plans/tasks/{task}"), &done.to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = c.json("POST", &format!("/api/plans/tasks/{task}"), &done.to_string()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let e: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(e["message"].as_str().unwrap().starts_with("Nhiệm vụ đã được người khác sửa"), "{e}");
    // A date that does not exist, named; a body without a field, named.
    let bad = serde_json::json!({ "content": "X", "responsible": "99201N", "deadline": "30/02/2026" });
    let r = c.json("POST", &format!("/api/plans/{}/tasks", made["plan"]["id"]), &bad.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Thời hạn hoàn thành") && r.body.contains("30/02/2026"), "{}", r.body);
    let r =
        c.json("POST", "/api/documents", r#"{"unit": "99201N", "kind": "cong-van", "direction": "issued", "number": "5/UBND-VP"}"#).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("date") || r.body.contains("summary"), "{}", r.body);
    let r = c.json("POST", "/api/documents", r#"{"unit": "99201N", "kind": "cong-van", "direction": "issued", "number": "5/UBND-VP", "date": "21/01/2026", "summary": "về việc công khai TTHC"}"#).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Another unit's plan cannot be made through the API either.
    let r = c
        .json(
            "POST",
            "/api/plans",
            &serde_json::json!({ "unit": "99101N", "kind": "cchc", "number": "1/KH-UBND", "date": "02/01/2026", "summary": "x" })
                .to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}
