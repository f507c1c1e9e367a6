//! Inspections' pages and API (issue 14 items 3, 7) on the demo province: the compiling office
//! plans and records inspections of its units, the commune inspected records the remedy of its
//! recommendations, other units and leaders are refused, stale versions refused in Vietnamese;
//! a planned inspection is rescheduled on its row and through the API; the list is of the year of
//! the period being viewed unless another is chosen; the report's form shows 1.3.x read-only with
//! a link to the records of its period's year.

mod common;

use axum::http::StatusCode;
use common::{Client, demo, element};

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn the_compiling_office_records_an_inspection_done_and_a_stale_version_is_refused() {
    let app = demo().await;
    let mut c = Client::logged_in(&app, "tonghop").await;
    let page = c.get("/inspections?year=2026").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let summary = element(&page.body, "summary");
    assert!(summary.contains("Kế hoạch kiểm tra năm 2026: 6/8 cơ quan, đơn vị trực thuộc"), "{summary}");
    assert!(summary.contains("đã kiểm tra 4/6 đơn vị, đạt 66,67% kế hoạch"), "{summary}");
    assert!(page.body.contains("Kế hoạch số 48/KH-UBND ngày 20/02/2026 của UBND tỉnh về kiểm tra công tác cải cách hành chính năm 2026"));
    assert!(page.body.contains("id=\"inspection-form\"") && page.body.contains("placeholder=\"dd/mm/yyyy\""));
    assert!(element(&page.body, "open").contains("Chưa công khai đầy đủ tiến độ giải quyết hồ sơ tại Bộ phận Một cửa"));

    // The service centre's inspection, planned for 20/10/2026, recorded done with two findings.
    let planned = json(&c.get("/api/inspections?year=2026&stage=planned&target=99-TTHCC").await.body);
    let rows = planned["inspections"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{planned}");
    let id = rows[0]["inspection"]["id"].as_i64().unwrap();
    let bad = c
        .submit(&format!("/inspections/{id}/done"), &[("version", "1"), ("unit", "99"), ("done_on", "31/02/2026"), ("findings", "x")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(element(&bad.body, "message").contains("Ngày kiểm tra: &#34;31/02/2026&#34; không phải ngày có trong lịch"), "{}", bad.body);
    let fields = [
        ("version", "1"),
        ("unit", "99"),
        ("done_on", "22/10/2026"),
        ("team", ""),
        ("conclusion", "Thực hiện tốt quy chế hoạt động"),
        ("findings", "Chưa niêm yết đủ TTHC | niêm yết đầy đủ TTHC\nMàn hình tra cứu hỏng"),
        ("deadline", "30/11/2026"),
    ];
    let done = c.submit(&format!("/inspections/{id}/done"), &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some(format!("/inspections?unit=99&year=2026#inspection-{id}").as_str()));
    let page = c.get("/inspections?year=2026").await;
    assert!(element(&page.body, "summary").contains("đã kiểm tra 5/6 đơn vị"), "{}", element(&page.body, "summary"));
    assert!(page.body.contains("Chưa niêm yết đủ TTHC") && page.body.contains("Kiến nghị: niêm yết đầy đủ TTHC"));
    // The same form again, from a page loaded before: refused, nothing written.
    let stale = c.submit(&format!("/inspections/{id}/done"), &fields).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(element(&stale.body, "message").contains("Cuộc kiểm tra đã được người khác sửa"), "{}", stale.body);
    let after = json(&c.get("/api/inspections?year=2026&target=99-TTHCC").await.body);
    assert_eq!(after["inspections"][0]["findings"].as_array().unwrap().len(), 2, "{after}");

    // An unscheduled inspection through the API, all or nothing: a bad finding stores nothing.
    let body = serde_json::json!({
        "unit": "99", "target": "99303N", "team": "Sở Nội vụ", "done_on": "02/11/2026",
        "findings": [{ "issue": "Hồ sơ trễ hạn chưa xin lỗi", "deadline": "30/11/2026" }, { "issue": "", "deadline": "31/11/2026" }]
    });
    let r = c.json("POST", "/api/inspections", &body.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Thời hạn khắc phục") && r.body.contains("31/11/2026"), "{}", r.body);
    let mut body = body;
    body["findings"][1] =
        serde_json::json!({ "issue": "Chưa công khai số điện thoại đường dây nóng", "recommendation": "công khai tại Bộ phận Một cửa" });
    let r = c.json("POST", "/api/inspections", &body.to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let made = json(&r.body);
    assert_eq!(made["findings"].as_array().unwrap().len(), 2);
    let r =
        c.json("POST", &format!("/api/inspections/{}/done", made["inspection"]["id"]), r#"{"version": 7, "done_on": "02/11/2026"}"#).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(json(&r.body)["message"].as_str().unwrap().starts_with("Cuộc kiểm tra đã được người khác sửa"), "{}", r.body);

    // The province's 6-month report shows the figures from the records, read-only, linked to them.
    let form = c.get("/reports/99/2026-H1/form/1").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let cell = form.body.split("id=\"k-1-3-4\"").nth(1).unwrap();
    assert!(cell.starts_with(" value=\"4\""), "{}", &cell[..120]);
    assert!(form.body.contains("href=\"/inspections?unit=99&amp;period=2026-H1\""));
    // Described in the OpenAPI document.
    let doc = json(&c.get("/api/openapi.json").await.body);
    for path in ["/api/inspections", "/api/inspections/{id}/done", "/api/inspections/{id}/findings", "/api/inspections/findings/{id}"] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}

#[tokio::test]
async fn the_commune_inspected_records_the_remedy_and_other_units_are_refused() {
    let app = demo().await;
    let mut c = Client::logged_in(&app, "sonha").await;
    let page = c.get("/inspections?year=2026").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Đơn vị kiểm tra: Tỉnh Hồng Lam"), "{}", page.body);
    assert!(
        !page.body.contains("id=\"inspection-form\"") && !page.body.contains("id=\"finding-form-"),
        "the commune does not record inspections"
    );
    let list = json(&c.get("/api/inspections?year=2026").await.body);
    let findings = list["inspections"][0]["findings"].as_array().unwrap().clone();
    assert_eq!(findings.len(), 3, "{list}");
    let open = findings.iter().find(|f| f["finding"]["resolved_on"].is_null()).unwrap();
    let fid = open["finding"]["id"].as_i64().unwrap();
    assert!(page.body.contains(&format!("id=\"follow-{fid}\"")));
    let closed = c
        .submit(
            &format!("/inspections/findings/{fid}"),
            &[("version", "1"), ("unit", "99101N"), ("resolved_on", "20/11/2026"), ("note", "Đã lắp màn hình công khai")],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    let again =
        c.submit(&format!("/inspections/findings/{fid}"), &[("version", "1"), ("unit", "99101N"), ("resolved_on", ""), ("note", "")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(element(&again.body, "message").contains("Kiến nghị đã được người khác sửa"), "{}", again.body);
    let after = json(&c.get("/api/inspections?year=2026").await.body);
    let f = after["inspections"][0]["findings"].as_array().unwrap().iter().find(|f| f["finding"]["id"] == fid).unwrap().clone();
    assert_eq!((f["state"].as_str(), f["version"].as_i64()), (Some("resolved"), Some(2)), "{f}");
    // The commune may not add findings to the province's inspection.
    let iid = list["inspections"][0]["inspection"]["id"].as_i64().unwrap();
    let r = c
        .submit(
            &format!("/inspections/{iid}/findings"),
            &[("unit", "99101N"), ("issue", "Tự ghi"), ("recommendation", ""), ("deadline", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // Another commune's officer: nothing of Sơn Hà's, no follow-up of its recommendations.
    let mut other = Client::logged_in(&app, "lacgiang").await;
    assert_eq!(other.get("/inspections?unit=99101N").await.status, StatusCode::FORBIDDEN);
    assert_eq!(other.get("/api/inspections?unit=99101N").await.status, StatusCode::FORBIDDEN);
    let r = other
        .submit(&format!("/inspections/findings/{fid}"), &[("version", "2"), ("unit", "99201N"), ("resolved_on", ""), ("note", "x")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r =
        other.json("POST", "/api/inspections", r#"{"unit": "99", "target": "99201N", "team": "x", "scheduled_on": "01/12/2026"}"#).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // A leader reads, never writes.
    let mut leader = Client::logged_in(&app, "lanhdao").await;
    let page = leader.get("/inspections?unit=99").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("id=\"inspection-form\"") && !page.body.contains("id=\"follow-"), "no form for a leader");
    let r = leader
        .submit("/inspections", &[("unit", "99"), ("plan", ""), ("target", "99201N"), ("team", "x"), ("scheduled_on", "01/12/2026")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let mut anonymous = Client::new(&app);
    assert_eq!(anonymous.get("/api/inspections").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_planned_inspection_is_rescheduled_on_its_row_and_through_the_api_and_the_list_is_of_one_year() {
    let app = demo().await;
    let mut c = Client::logged_in(&app, "tonghop").await;
    // The year of the period being viewed, else chosen; every year on demand.
    let page = c.get("/inspections?unit=99&period=2025-Y").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("<option value=\"2025\" selected>2025</option>"), "{}", element(&page.body, "inspections-year"));
    assert!(page.body.contains("id=\"no-inspections\""), "the demo inspects in 2026 only");
    let page = c.get("/inspections?unit=99&period=2026-H1").await;
    assert!(page.body.contains("<option value=\"2026\" selected>2026</option>"));
    assert!(page.body.contains("<option value=\"all\">Tất cả các năm</option>"));
    assert!(page.body.contains("href=\"/inspections?unit=99&amp;year=2026&amp;stage=planned\""));
    let all = json(&c.get("/api/inspections?unit=99&year=all").await.body);
    let in_2026 = json(&c.get("/api/inspections?unit=99&year=2026").await.body);
    assert_eq!(all["all_years"], true);
    assert_eq!(all["inspections"].as_array().unwrap().len(), in_2026["inspections"].as_array().unwrap().len());
    assert_eq!(c.get("/api/inspections?unit=99&year=20x6").await.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The service centre's inspection, planned for 20/10/2026, moved to 03/11/2026 on its row.
    let planned = json(&c.get("/api/inspections?year=2026&stage=planned&target=99-TTHCC").await.body);
    let id = planned["inspections"][0]["inspection"]["id"].as_i64().unwrap();
    let plan = planned["inspections"][0]["inspection"]["plan"].as_i64().unwrap();
    let page = c.get("/inspections?unit=99&year=2026").await;
    assert!(page.body.contains(&format!("id=\"edit-{id}\"")), "an edit form on the planned row");
    let edit = |day: &'static str, version: &'static str| {
        vec![
            ("version", version),
            ("unit", "99"),
            ("year", "2026"),
            ("scheduled_on", day),
            ("team", "Đoàn kiểm tra CCHC tỉnh (Sở Nội vụ chủ trì)"),
            ("target", "99-TTHCC"),
            ("plan", ""),
        ]
    };
    let mut fields = edit("31/11/2026", "1");
    let plan_text: &'static str = Box::leak(plan.to_string().into_boxed_str());
    fields[6].1 = plan_text;
    let bad = c.submit(&format!("/inspections/{id}/edit"), &fields).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(element(&bad.body, "message").contains("Ngày dự kiến: &#34;31/11/2026&#34; không phải ngày có trong lịch"), "{}", bad.body);
    fields[3].1 = "03/11/2026";
    let moved = c.submit(&format!("/inspections/{id}/edit"), &fields).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(moved.location.as_deref(), Some(format!("/inspections?unit=99&year=2026#inspection-{id}").as_str()));
    let page = c.get("/inspections?unit=99&year=2026").await;
    assert!(page.body.contains("Đã lưu cuộc kiểm tra Trung tâm Phục vụ hành chính công tỉnh, dự kiến ngày 03/11/2026."), "flash");
    let row = page.body.split(&format!("id=\"inspection-{id}\"")).nth(1).unwrap();
    assert!(row.contains("Dự kiến 03/11/2026"), "{}", &row[..600]);
    // The same form again, from the page loaded before: 409, nothing overwritten.
    fields[3].1 = "05/11/2026";
    let stale = c.submit(&format!("/inspections/{id}/edit"), &fields).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(
        element(&stale.body, "message")
            .contains("Cuộc kiểm tra đã được người khác sửa (phiên bản hiện tại 2, bạn đang sửa phiên bản 1); chưa lưu gì"),
        "{}",
        stale.body
    );

    // Through the API, only the day: moved into next year, the plan and the team kept.
    let r = c.json("POST", &format!("/api/inspections/{id}"), r#"{"version": 2, "scheduled_on": "15/01/2027"}"#).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let moved = json(&r.body);
    assert_eq!((moved["version"].as_i64(), moved["inspection"]["scheduled_on"].as_str()), (Some(3), Some("2027-01-15")));
    assert_eq!(moved["inspection"]["plan"].as_i64(), Some(plan));
    assert_eq!(json(&c.get("/api/inspections?unit=99&year=2027").await.body)["inspections"].as_array().unwrap().len(), 1);
    let r = c.json("POST", &format!("/api/inspections/{id}"), r#"{"version": 2, "scheduled_on": "20/01/2027"}"#).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = c.json("POST", &format!("/api/inspections/{id}"), r#"{"version": 3, "plan": null, "target": "99"}"#).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Đơn vị được kiểm tra"), "{}", r.body);
    // Audited under the province.
    let audit = Client::logged_in(&app, "quantri").await.get("/audit?unit=99").await;
    assert!(audit.body.contains("dời lịch kiểm tra"), "the reschedule is in the audit log");

    // Other units and leaders change nothing.
    let mut other = Client::logged_in(&app, "lacgiang").await;
    let r = other.submit(&format!("/inspections/{id}/edit"), &edit("04/11/2026", "3")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let mut leader = Client::logged_in(&app, "lanhdao").await;
    assert!(!leader.get("/inspections?unit=99&year=2027").await.body.contains(&format!("id=\"edit-{id}\"")), "no form for a leader");
    let r = leader.json("POST", &format!("/api/inspections/{id}"), r#"{"version": 3, "scheduled_on": "04/11/2026"}"#).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let doc = json(&c.get("/api/openapi.json").await.body);
    assert!(doc["paths"]["/api/inspections/{id}"]["post"].is_object());
}
