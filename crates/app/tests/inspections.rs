//! Inspections (issue 14 item 3) through the use cases: the plan's units and those inspected,
//! findings and the follow-up of recommendations, access per role (another unit's officer
//! refused), stale versions refused in Vietnamese, the report's 1.3.x pre-filled from the
//! records and section I's lines; the demo province's plan.

use std::sync::Arc;

use cchc_app::inspections::{Done, Filter, FollowUp, Stage};
use cchc_app::{App, Error};
use cchc_periods::Period;
use cchc_records::inspections::{Finding, Inspection};
use cchc_records::{Plan, PlanKind};
use cchc_report::{Key, Value};
use cchc_storage::{Role, Store, User};
use cchc_units::{Unit, UnitKind};
use chrono::NaiveDate;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, m, day).unwrap()
}

fn user(name: &str, role: Role, unit: &str) -> User {
    User { username: name.into(), full_name: name.into(), role, unit_code: unit.into(), password_hash: String::new(), active: true }
}

/// A district with two offices, a public service unit and three communes.
async fn app() -> (App, Arc<dyn Store>) {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let u = |code: &str, name: &str, kind, parent: Option<&str>| Unit {
        code: code.into(),
        name: name.into(),
        kind,
        parent: parent.map(Into::into),
        valid_from: None,
        valid_to: None,
        issuer: None,
    };
    store
        .upsert_units(
            &[
                u("P", "Tỉnh Sóc Trăng", UnitKind::Tinh, None),
                u("H", "UBND huyện Mỹ Tú", UnitKind::Huyen, Some("P")),
                u("H-NV", "Phòng Nội vụ", UnitKind::CoQuanChuyenMon, Some("H")),
                u("H-TP", "Phòng Tư pháp", UnitKind::CoQuanChuyenMon, Some("H")),
                u("H-TT", "Trung tâm Văn hóa - Thể thao", UnitKind::DonViSuNghiep, Some("H")),
                u("X1", "UBND xã Mỹ Hương", UnitKind::Xa, Some("H")),
                u("X2", "UBND xã Thuận Hưng", UnitKind::Xa, Some("H")),
                u("X3", "UBND thị trấn Huỳnh Hữu Nghĩa", UnitKind::ThiTran, Some("H")),
            ],
            &[],
        )
        .await
        .unwrap();
    let app = App::with(store.clone(), cchc_catalogue::default_catalogue(), cchc_calendar::WorkCalendar::vietnam());
    (app, store)
}

fn plan() -> Plan {
    Plan {
        id: 0,
        unit: "H".into(),
        kind: PlanKind::KiemTra,
        number: "33/KH-UBND".into(),
        date: d(3, 16),
        issuer: "UBND huyện".into(),
        signer: "Nguyễn Văn A".into(),
        summary: "kiểm tra cải cách hành chính năm 2024".into(),
        valid_from: None,
        valid_to: None,
    }
}

fn planned(target: &str, plan: i64, on: NaiveDate) -> Inspection {
    Inspection {
        id: 0,
        unit: "H".into(),
        plan: Some(plan),
        target: target.into(),
        team: "Đoàn kiểm tra CCHC huyện".into(),
        scheduled_on: Some(on),
        done_on: None,
        conclusion: String::new(),
    }
}

fn finding(issue: &str, deadline: NaiveDate) -> Finding {
    Finding {
        id: 0,
        inspection: 0,
        issue: issue.into(),
        recommendation: String::new(),
        deadline: Some(deadline),
        resolved_on: None,
        notes: vec![],
    }
}

#[tokio::test]
async fn the_plans_units_inspected_findings_and_open_recommendations_reach_the_report_and_section_one() {
    let (app, store) = app().await;
    let officer = user("canbo", Role::UnitOfficer, "H");
    let plan = cchc_app::plans::create(&app, &officer, plan(), vec![]).await.unwrap().plan;
    // The plan schedules four of the district's six units.
    let mut ids = Vec::new();
    for (t, on) in [("H-NV", d(5, 6)), ("H-TT", d(5, 13)), ("X1", d(5, 20)), ("X2", d(9, 9))] {
        ids.push(cchc_app::inspections::create(&app, &officer, planned(t, plan.id, on), vec![]).await.unwrap());
    }
    // Three are done with their findings; one recorded twice from the same page is refused the second time.
    let done = |on, findings| Done { done_on: Some(on), team: String::new(), conclusion: "Thực hiện khá tốt".into(), findings };
    let nv = cchc_app::inspections::record_done(
        &app,
        &officer,
        ids[0].inspection.id,
        1,
        done(d(5, 7), vec![finding("Quy trình nội bộ chưa cập nhật", d(6, 30))]),
    )
    .await
    .unwrap();
    let e = cchc_app::inspections::record_done(&app, &officer, ids[0].inspection.id, 1, done(d(5, 7), vec![])).await.unwrap_err();
    assert!(
        matches!(&e, Error::Conflict(m) if m.starts_with("Cuộc kiểm tra đã được người khác sửa") && m.contains("chưa lưu gì")),
        "{e:?}"
    );
    cchc_app::inspections::record_done(&app, &officer, ids[1].inspection.id, 1, done(d(5, 14), vec![])).await.unwrap();
    let x1 = cchc_app::inspections::record_done(
        &app,
        &officer,
        ids[2].inspection.id,
        1,
        done(
            d(5, 21),
            vec![
                finding("Tình trạng hồ sơ trễ hạn trên phần mềm một cửa điện tử", d(6, 28)),
                Finding {
                    recommendation: "công khai tiến độ trên phần mềm một cửa điện tử".into(),
                    ..finding("Chưa công khai tiến độ giải quyết hồ sơ", d(6, 28))
                },
            ],
        ),
    )
    .await
    .unwrap();
    assert_eq!((x1.version, x1.findings.len()), (2, 2));
    // A finding dated before the inspection, or on one not done, is refused naming the field.
    let e = cchc_app::inspections::add_finding(&app, &officer, Finding { inspection: x1.inspection.id, ..finding("Sớm", d(5, 1)) })
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Invalid { problems, .. } if problems[0].place.as_deref() == Some("Thời hạn khắc phục")), "{e:?}");
    let e = cchc_app::inspections::add_finding(
        &app,
        &officer,
        Finding { inspection: ids[3].inspection.id, ..finding("Chưa kiểm tra", d(9, 30)) },
    )
    .await
    .unwrap_err();
    assert!(matches!(&e, Error::Invalid { .. }), "{e:?}");

    // The commune inspected records the remedy of one of its recommendations; a stale one is refused.
    let commune = user("xa1", Role::UnitOfficer, "X1");
    let list = cchc_app::inspections::list(&app, &commune, "X1", &Filter::default(), d(6, 1)).await.unwrap();
    assert_eq!(list.rows.len(), 1);
    assert!(!list.rows[0].keep && list.rows[0].follow_up);
    let f = &x1.findings[0];
    let closed = cchc_app::inspections::follow_up(
        &app,
        &commune,
        f.value.id,
        f.version,
        FollowUp { resolved_on: Some(d(6, 3)), note: Some("Đã xin lỗi người dân".into()) },
    )
    .await
    .unwrap();
    assert_eq!(closed.version, 2);
    assert_eq!(closed.value.notes.len(), 1);
    let e = cchc_app::inspections::follow_up(&app, &commune, f.value.id, f.version, FollowUp::default()).await.unwrap_err();
    assert!(matches!(&e, Error::Conflict(m) if m.starts_with("Kiến nghị đã được người khác sửa")), "{e:?}");
    // The commune neither records inspections nor adds findings.
    assert!(matches!(
        cchc_app::inspections::add_finding(&app, &commune, Finding { inspection: x1.inspection.id, ..finding("Tự thêm", d(6, 30)) }).await,
        Err(Error::Forbidden(_))
    ));

    // Another unit's officer reads nothing of it and changes nothing.
    let other = user("xa2", Role::UnitOfficer, "X3");
    assert!(matches!(cchc_app::inspections::list(&app, &other, "H", &Filter::default(), d(6, 1)).await, Err(Error::Forbidden(_))));
    assert!(matches!(cchc_app::inspections::list(&app, &other, "X1", &Filter::default(), d(6, 1)).await, Err(Error::Forbidden(_))));
    assert!(matches!(cchc_app::inspections::get(&app, &other, x1.inspection.id).await, Err(Error::NotFound(_))));
    let f2 = &x1.findings[1];
    assert!(matches!(
        cchc_app::inspections::follow_up(&app, &other, f2.value.id, f2.version, FollowUp { resolved_on: Some(d(6, 3)), note: None }).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        cchc_app::inspections::create(&app, &other, Inspection { unit: "X3".into(), plan: None, ..planned("X1", 0, d(7, 1)) }, vec![])
            .await,
        Err(Error::Invalid { .. } | Error::Forbidden(_))
    ));
    assert!(matches!(cchc_app::inspections::create(&app, &other, planned("X3", plan.id, d(7, 1)), vec![]).await, Err(Error::Forbidden(_))));
    // A leader of the province reads, never writes.
    let leader = user("lanhdao", Role::Leader, "P");
    assert_eq!(cchc_app::inspections::list(&app, &leader, "H", &Filter::default(), d(6, 1)).await.unwrap().rows.len(), 4);
    assert!(matches!(
        cchc_app::inspections::create(&app, &leader, planned("X3", plan.id, d(7, 1)), vec![]).await,
        Err(Error::Forbidden(_))
    ));
    // Units outside the district, plans that are not the district's inspection plans: refused by field.
    let e = cchc_app::inspections::create(&app, &officer, planned("P", plan.id, d(7, 1)), vec![]).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid { problems, .. } if problems[0].place.as_deref() == Some("Đơn vị được kiểm tra")), "{e:?}");
    let cchc = cchc_app::plans::create(&app, &officer, Plan { kind: PlanKind::Cchc, number: "5/KH-UBND".into(), ..plan.clone() }, vec![])
        .await
        .unwrap();
    let e = cchc_app::inspections::create(&app, &officer, planned("X3", cchc.plan.id, d(7, 1)), vec![]).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid { problems, .. } if problems[0].place.as_deref() == Some("Kế hoạch kiểm tra")), "{e:?}");

    // The list's filters: planned, open recommendations, text.
    let filter = |stage, text: &str| Filter { stage, text: text.into(), ..Filter::default() };
    let on = d(6, 1);
    let (by_app, by_officer) = (&app, &officer);
    let rows = |f| async move { cchc_app::inspections::list(by_app, by_officer, "H", &f, on).await.unwrap().rows };
    assert_eq!(rows(filter(Stage::Planned, "")).await.len(), 1);
    assert_eq!(rows(filter(Stage::Open, "")).await.len(), 2);
    assert_eq!(rows(filter(Stage::All, "TRỄ HẠN")).await.len(), 1);
    assert_eq!(rows(filter(Stage::All, "thuận hưng")).await.len(), 1);

    // The district's report of the first half of 2024 (window to 14/06): 3 units inspected (1
    // office, 1 public service unit, 1 commune), 3 issues of which 1 remedied by 14/06; the plan 3/4.
    let admin = cchc_app::access::system_user("cli");
    let opened = cchc_app::reports::open(&app, &admin, "H", Period::half(2024, 1)).await.unwrap();
    let value = |code: &str| opened.report.entries.iter().find(|e| e.key == Key::total(code)).map(|e| (e.value.clone(), e.source.clone()));
    let source = Some(cchc_records::inspections::SOURCE.to_string());
    for (code, n) in [("1.3.1", 1), ("1.3.2", 1), ("1.3.3", 1), ("1.3.4", 3), ("1.3.7", 3), ("1.3.8", 1), ("1.3.10", 4), ("1.3.11", 3)] {
        assert_eq!(value(code), Some((Some(Value::Int(n)), source.clone())), "{code}");
    }
    // The commune keeps no inspection of its own: its report states what it states.
    let theirs = cchc_app::reports::open(&app, &admin, "X1", Period::half(2024, 1)).await.unwrap();
    assert!(theirs.report.entries.iter().all(|e| !e.key.code.starts_with("1.3.")), "{:?}", theirs.report.entries);

    // Section I: the plan with 4/6 units, 3/4 done; the inspections of the window; what is open.
    let tree = app.tree().await.unwrap();
    let md = cchc_app::inspections::section_one(store.as_ref(), &tree, "H", app.rule.window(Period::half(2024, 1))).await.unwrap();
    assert!(md.contains("UBND huyện Mỹ Tú ban hành Kế hoạch số 33/KH-UBND ngày 16/03/2024 của UBND huyện về kiểm tra cải cách hành chính năm 2024, kiểm tra 4/6 cơ quan, đơn vị trực thuộc (1 phòng, ban chuyên môn; 1 đơn vị sự nghiệp; 2 UBND cấp xã), tỷ lệ 66,67% tổng số đơn vị trực thuộc; đến cuối kỳ báo cáo đã kiểm tra 3/4 đơn vị, đạt 75,00% kế hoạch."), "{md}");
    assert!(md.contains("+ UBND xã Mỹ Hương, ngày 21/05/2024 (Đoàn kiểm tra CCHC huyện): phát hiện 2 vấn đề, đã khắc phục 1"), "{md}");
    assert!(md.contains("Các kiến nghị sau kiểm tra chưa khắc phục xong (2):"), "{md}");
    assert!(md.contains("+ UBND xã Mỹ Hương: Chưa công khai tiến độ giải quyết hồ sơ; kiến nghị: công khai tiến độ trên phần mềm một cửa điện tử (thời hạn 28/06/2024; đang khắc phục)"), "{md}");
    assert!(md.contains("+ Phòng Nội vụ: Quy trình nội bộ chưa cập nhật (thời hạn 30/06/2024; đang khắc phục)"), "{md}");
    // Every change audited under the district.
    let audit = store.audit(&cchc_storage::AuditFilter { unit_code: Some("H".into()), ..Default::default() }).await.unwrap();
    for a in ["thêm cuộc kiểm tra theo kế hoạch", "ghi kết quả kiểm tra", "đóng kiến nghị"] {
        assert!(audit.iter().any(|e| e.action == a), "{a}");
    }
    assert_eq!(nv.findings.len(), 1);
}

/// The demo province: its inspection plan of 2026 and the inspections done give its 6-month
/// report 1.3.x, and section I of its document names them and the open recommendations.
#[tokio::test]
async fn the_demo_provinces_inspections_fill_its_report() {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 20).await.unwrap();
    let app = App::with(store.clone(), catalogue, cchc_calendar::WorkCalendar::vietnam());
    let compiler = store.user("tonghop").await.unwrap().unwrap();
    let opened = cchc_app::reports::open(&app, &compiler, "99", Period::half(2026, 1)).await.unwrap();
    let value = |code: &str| opened.report.entries.iter().find(|e| e.key == Key::total(code)).and_then(|e| e.value.clone());
    let got: Vec<Option<Value>> =
        ["1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.7", "1.3.8", "1.3.10", "1.3.11"].iter().map(|c| value(c)).collect();
    let want: Vec<Option<Value>> = [1, 0, 3, 4, 7, 2, 6, 3].iter().map(|n| Some(Value::Int(*n))).collect();
    assert_eq!(got, want);
    let tree = app.tree().await.unwrap();
    let md = cchc_app::inspections::section_one(store.as_ref(), &tree, "99", app.rule.window(Period::half(2026, 1))).await.unwrap();
    assert!(md.contains("Kế hoạch số 48/KH-UBND ngày 20/02/2026 của UBND tỉnh về kiểm tra công tác cải cách hành chính năm 2026, kiểm tra 6/8 cơ quan, đơn vị trực thuộc"), "{md}");
    assert!(md.contains("đã kiểm tra 3/6 đơn vị, đạt 50,00% kế hoạch"), "{md}");
    assert!(md.contains("+ Xã Sơn Hà: Chưa công khai đầy đủ tiến độ giải quyết hồ sơ tại Bộ phận Một cửa"), "{md}");
    // The same lines in section I of the province's document, after the plans and documents.
    store.save_report(&opened.report, opened.version, "tonghop").await.unwrap();
    let doc = cchc_app::report_docs::load_document(store.as_ref(), "99", Period::half(2026, 1)).await.unwrap();
    let section = doc.report.narrative.get("I").cloned().unwrap_or_default();
    assert!(section.contains("Kế hoạch số 25/KH-UBND ngày 10/01/2026"), "{section}");
    assert!(
        section.contains("kiểm tra 6/8 cơ quan, đơn vị trực thuộc")
            && section.contains("Các kiến nghị sau kiểm tra chưa khắc phục xong (5):"),
        "{section}"
    );
    // The commune inspected: its section I says when, by whom, and what it still has to remedy.
    let md = cchc_app::inspections::section_one(store.as_ref(), &tree, "99101N", app.rule.window(Period::half(2026, 1))).await.unwrap();
    assert!(md.contains("- Ngày 21/05/2026, Đoàn kiểm tra CCHC tỉnh (Sở Nội vụ chủ trì) của Tỉnh Hồng Lam (dữ liệu mẫu) đã kiểm tra công tác cải cách hành chính tại Xã Sơn Hà: phát hiện 3 vấn đề, đơn vị đã khắc phục 0."), "{md}");
    assert!(md.contains("Các kiến nghị của đoàn kiểm tra Xã Sơn Hà còn phải khắc phục (3):"), "{md}");
    // The draft of "III. Đánh giá chung" names the issues not yet handled.
    let draft = cchc_documents::draft::assessment(&doc).join("\n");
    assert!(draft.contains("Còn 05 vấn đề phát hiện qua kiểm tra công tác CCHC chưa được xử lý xong"), "{draft}");
    // The commune's officer sees the inspection of their commune and may record its remedy.
    let sonha = store.user("sonha").await.unwrap().unwrap();
    let list = cchc_app::inspections::list(&app, &sonha, "99101N", &Filter::default(), cchc_app::plans::today()).await.unwrap();
    assert_eq!(list.rows.len(), 1);
    assert!(list.rows[0].follow_up && !list.rows[0].keep);
    assert_eq!(list.rows[0].plan.as_ref().map(|p| p.number.as_str()), Some("48/KH-UBND"));
}

/// A planned inspection rescheduled and corrected through `edit` (what `/inspections` and `POST
/// /api/inspections/{id}` call): the fields not given stay, a concurrent edit from the same version
/// is refused in Vietnamese with nothing overwritten, every change is audited with the values
/// before and after, and only the inspecting unit's keepers edit.
#[tokio::test]
async fn a_planned_inspection_is_rescheduled_and_a_concurrent_edit_overwrites_nothing() {
    use cchc_app::inspections::Changes;
    let (app, store) = app().await;
    let officer = user("canbo", Role::UnitOfficer, "H");
    let plan = cchc_app::plans::create(&app, &officer, plan(), vec![]).await.unwrap().plan;
    let made = cchc_app::inspections::create(&app, &officer, planned("X1", plan.id, d(5, 20)), vec![]).await.unwrap();
    let id = made.inspection.id;
    // Two offices open the page at version 1: the district's officer moves it to 10/06 …
    let moved = cchc_app::inspections::edit(&app, &officer, id, 1, Changes { scheduled_on: Some(Some(d(6, 10))), ..Changes::default() })
        .await
        .unwrap();
    assert_eq!(moved.version, 2);
    assert_eq!(moved.inspection, Inspection { id, scheduled_on: Some(d(6, 10)), ..planned("X1", plan.id, d(5, 20)) });
    // … the province's compiling office, from the same version, is refused: nothing overwritten.
    let province = user("tonghop", Role::Compiler, "P");
    let e = cchc_app::inspections::edit(&app, &province, id, 1, Changes { team: Some("Sở Nội vụ".into()), ..Changes::default() })
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Conflict(m) if m.starts_with("Cuộc kiểm tra đã được người khác sửa (phiên bản hiện tại 2, bạn đang sửa phiên bản 1); chưa lưu gì")),
        "{e:?}"
    );
    let stored = store.inspection(id).await.unwrap().unwrap();
    assert_eq!(
        (stored.version, stored.inspection.team.as_str(), stored.inspection.scheduled_on),
        (2, "Đoàn kiểm tra CCHC huyện", Some(d(6, 10)))
    );
    // From the version it saw last, the unit inspected, the team and the plan change together.
    let changed = cchc_app::inspections::edit(
        &app,
        &province,
        id,
        2,
        Changes { target: Some("X2".into()), team: Some(" Sở Nội vụ ".into()), plan: Some(None), ..Changes::default() },
    )
    .await
    .unwrap();
    assert_eq!((changed.version, changed.inspection.target.as_str(), changed.inspection.team.as_str()), (3, "X2", "Sở Nội vụ"));
    assert_eq!((changed.inspection.plan, changed.inspection.scheduled_on), (None, Some(d(6, 10))));
    // Refused by field, nothing stored: a unit outside the district, no day at all, a blank team.
    let e =
        cchc_app::inspections::edit(&app, &officer, id, 3, Changes { target: Some("P".into()), ..Changes::default() }).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid { problems, .. } if problems[0].place.as_deref() == Some("Đơn vị được kiểm tra")), "{e:?}");
    let e = cchc_app::inspections::edit(
        &app,
        &officer,
        id,
        3,
        Changes { scheduled_on: Some(None), team: Some(" ".into()), ..Changes::default() },
    )
    .await
    .unwrap_err();
    let places: Vec<_> = e.problems().iter().filter_map(|p| p.place.clone()).collect();
    assert_eq!(places, ["Đoàn kiểm tra", "Ngày dự kiến"], "{e:?}");
    assert_eq!(store.inspection(id).await.unwrap().unwrap().version, 3);

    // Access as the other inspection use cases: the unit inspected reads it but may not edit it,
    // another commune does not see it, a leader reads only.
    let inspected = user("xa2", Role::UnitOfficer, "X2");
    let later = Changes { scheduled_on: Some(Some(d(7, 1))), ..Changes::default() };
    assert!(matches!(cchc_app::inspections::edit(&app, &inspected, id, 3, later.clone()).await, Err(Error::Forbidden(_))));
    let other = user("xa3", Role::UnitOfficer, "X3");
    assert!(matches!(cchc_app::inspections::edit(&app, &other, id, 3, later.clone()).await, Err(Error::NotFound(_))));
    let leader = user("lanhdao", Role::Leader, "P");
    assert!(matches!(cchc_app::inspections::edit(&app, &leader, id, 3, later).await, Err(Error::Forbidden(_))));
    assert_eq!(store.inspection(id).await.unwrap().unwrap().version, 3);

    // Audited under the district: the reschedule with the days before and after, then the edit.
    let audit = store.audit(&cchc_storage::AuditFilter { unit_code: Some("H".into()), ..Default::default() }).await.unwrap();
    let moved = audit.iter().find(|e| e.action == "dời lịch kiểm tra").expect("the reschedule is audited");
    assert_eq!(moved.by, "canbo");
    assert!(moved.old_value.as_deref().unwrap().contains("2024-05-20"), "{moved:?}");
    assert!(moved.new_value.as_deref().unwrap().contains("2024-06-10"), "{moved:?}");
    let edited = audit.iter().find(|e| e.action == "sửa cuộc kiểm tra").expect("the edit is audited");
    assert_eq!(edited.by, "tonghop");
    assert!(edited.new_value.as_deref().unwrap().contains("\"X2\""), "{edited:?}");
    assert_eq!(audit.iter().filter(|e| e.action == "dời lịch kiểm tra" || e.action == "sửa cuộc kiểm tra").count(), 2);

    // What a year selector offers: the years the unit's inspections fall in, and today's.
    let list = cchc_app::inspections::list(&app, &officer, "H", &Filter::default(), d(6, 1)).await.unwrap();
    assert_eq!(list.years, [2024]);
    let next = cchc_app::inspections::list(&app, &officer, "H", &Filter { year: Some(2025), ..Filter::default() }, d(6, 1)).await.unwrap();
    assert!(next.rows.is_empty());
}
