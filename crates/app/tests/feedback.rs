//! Feedback (PAKN, issue 14 item 4) through the use cases: access per role, the sender masked
//! for other units, assignment within the subtree, answers with versions, and the figures a
//! report and Decision 766 take from the records — an answer one working day late across
//! Quốc khánh counts as late, one on the due day in time.

use std::sync::Arc;

use cchc_app::feedback::{Intake, ListQuery};
use cchc_app::{App, Error};
use cchc_dossiers::scores::{Entered, Part};
use cchc_periods::Period;
use cchc_records::feedback::{Channel, Sender, Status};
use cchc_report::{Key, Value};
use cchc_storage::{Role, Store, User};
use cchc_units::{Unit, UnitKind};
use chrono::NaiveDate;
use rust_decimal::Decimal;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn user(name: &str, role: Role, unit: &str) -> User {
    User { username: name.into(), full_name: name.into(), role, unit_code: unit.into(), password_hash: "x".into(), active: true }
}

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
                u("P", "Tỉnh Hà Tĩnh", UnitKind::Tinh, None),
                u("H", "UBND huyện Cẩm Xuyên", UnitKind::Huyen, Some("P")),
                u("X1", "UBND xã Cẩm Quang", UnitKind::Xa, Some("H")),
                u("X2", "UBND xã Cẩm Hà", UnitKind::Xa, Some("H")),
            ],
            &[],
        )
        .await
        .unwrap();
    store.upsert_user(&user("xa1", Role::UnitOfficer, "X1")).await.unwrap();
    let app = App::with(store.clone(), cchc_catalogue::default_catalogue(), cchc_calendar::WorkCalendar::vietnam());
    (app, store)
}

fn intake(unit: &str, received: NaiveDate, time_limit: u32, content: &str) -> Intake {
    Intake {
        unit: unit.into(),
        channel: Channel::Hotline,
        received_on: received,
        sender: Sender { name: "Nguyễn Văn An".into(), phone: Some("0912345678".into()), email: None, address: None },
        content: content.into(),
        procedure: None,
        dossier: None,
        time_limit: Some(time_limit),
    }
}

#[tokio::test]
async fn feedback_answered_one_working_day_late_across_a_holiday_counts_as_late_in_the_report_and_decision_766() {
    let (app, store) = app().await;
    let district = user("huyen", Role::UnitOfficer, "H");
    let commune = user("xa1", Role::UnitOfficer, "X1");
    // Received Tuesday 25/08/2026, 5 working days: due Friday 04/09 (31/08–02/09 off).
    let late = cchc_app::feedback::receive(&app, &district, intake("H", d(2026, 8, 25), 5, "Trả kết quả chứng thực chậm")).await.unwrap();
    let on_due = cchc_app::feedback::receive(&app, &district, intake("H", d(2026, 8, 25), 5, "Niêm yết lệ phí chưa rõ")).await.unwrap();
    // The district assigns one to the commune and its officer; the commune answers it on Monday 07/09.
    let v = cchc_app::feedback::assign(&app, &district, late.value.id, late.version, "X1", Some("xa1".into())).await.unwrap();
    let got = cchc_app::feedback::get(&app, &commune, late.value.id).await.unwrap();
    assert_eq!(got.due_on, d(2026, 9, 4));
    assert!(got.full && got.can_answer && !got.can_assign);
    assert_eq!(got.feedback.sender.name, "Nguyễn Văn An");
    let v2 = cchc_app::feedback::answer(&app, &commune, late.value.id, v, d(2026, 9, 7), "Đã chấn chỉnh, xin lỗi công dân.").await.unwrap();
    assert_eq!(v2, v + 1);
    // A stale version is refused in Vietnamese and writes nothing.
    let e = cchc_app::feedback::answer(&app, &commune, late.value.id, v, d(2026, 9, 7), "Sửa đè").await.unwrap_err();
    assert!(matches!(&e, Error::Conflict(m) if m.starts_with("Phản ánh, kiến nghị đã được người khác sửa")), "{e:?}");
    cchc_app::feedback::answer(&app, &district, on_due.value.id, on_due.version, d(2026, 9, 4), "Đã niêm yết bổ sung.").await.unwrap();

    let list = cchc_app::feedback::list(&app, &district, "H", &ListQuery::default(), d(2026, 9, 30)).await.unwrap();
    let status = |id: i64| list.rows.iter().find(|r| r.feedback.id == id).map(|r| r.status);
    assert_eq!(status(late.value.id), Some(Status::AnsweredLate));
    assert_eq!(status(on_due.value.id), Some(Status::AnsweredOnTime));
    let q = ListQuery { status: Some(Status::AnsweredLate), ..ListQuery::default() };
    let only_late = cchc_app::feedback::list(&app, &district, "H", &q, d(2026, 9, 30)).await.unwrap();
    assert_eq!(only_late.rows.iter().map(|r| r.feedback.id).collect::<Vec<_>>(), vec![late.value.id]);

    // The district's report of the third quarter (15/06–14/09): 2 received, 2 resolved.
    let admin = cchc_app::access::system_user("cli");
    let opened = cchc_app::reports::open(&app, &admin, "H", Period::quarter(2026, 3)).await.unwrap();
    let value = |code: &str| opened.report.entries.iter().find(|e| e.key == Key::total(code)).map(|e| (e.value.clone(), e.source.clone()));
    let source = Some(cchc_records::feedback::SOURCE.to_string());
    assert_eq!(value("3.4.2"), Some((Some(Value::Int(2)), source.clone())));
    assert_eq!(value("3.4.3"), Some((Some(Value::Int(2)), source)));
    // Decision 766: 1 of 2 answered in time, 3 of 6 points.
    let scored = cchc_app::scores::decision_766(&app, &admin, "H", Period::quarter(2026, 3), &Entered::default()).await.unwrap();
    let part = scored.scores.part(Part::FeedbackOnTime).unwrap();
    assert_eq!(part.points, Some(Decimal::from(3)), "{part:?}");
    // Satisfaction with the feedback's handling: the survey's answers on that factor. Feedback
    // handled but no answer yet: unknown; three answers of the window, two 4 or 5 on the factor
    // though not satisfied overall, one satisfied overall but 3 on it: 6 × 2/3 = 4 (the
    // answers satisfied overall would give 2); a commune without feedback: full.
    let satisfaction = |unit: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            let s = cchc_app::scores::decision_766(app, admin, unit, Period::quarter(2026, 3), &Entered::default()).await.unwrap();
            s.scores.part(Part::FeedbackSatisfaction).unwrap().points
        }
    };
    assert_eq!(satisfaction("H").await, None);
    let answer = |receipt: &str, unit: &str, scores: [u8; 5]| cchc_records::survey::Answer {
        receipt: receipt.into(),
        unit: unit.into(),
        procedure: "P1".into(),
        received_on: d(2026, 8, 3),
        answered_at: d(2026, 8, 6).and_hms_opt(9, 0, 0).unwrap(),
        visit: false,
        scores: cchc_records::survey::Scores {
            scores: ["tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "phan_anh"].map(String::from).into_iter().zip(scores).collect(),
            comment: String::new(),
            scale: 5,
            feedback: Some("phan_anh".into()),
        },
    };
    store.insert_survey_answer(&answer("HS-1", "X1", [2, 2, 2, 3, 4]), "test").await.unwrap();
    store.insert_survey_answer(&answer("HS-2", "X1", [2, 2, 2, 2, 5]), "test").await.unwrap();
    store.insert_survey_answer(&answer("HS-3", "H", [5, 5, 5, 5, 3]), "test").await.unwrap();
    assert_eq!(satisfaction("H").await, Some(Decimal::from(4)));
    assert_eq!(satisfaction("X2").await, Some(Decimal::from(6)));
    // The draft of "III. Đánh giá chung" names the feedback answered late (3.4.5).
    assert_eq!(value("3.4.5").map(|v| v.0), Some(Some(Value::Int(1))));
    store.save_report(&opened.report, opened.version, "huyen").await.unwrap();
    let doc = cchc_app::report_docs::load_document(store.as_ref(), "H", Period::quarter(2026, 3)).await.unwrap();
    let draft = cchc_documents::draft::assessment(&doc).join("\n");
    assert!(draft.contains("Còn 01 phản ánh, kiến nghị của cá nhân, tổ chức được trả lời quá hạn."), "{draft}");
    // Section I says it.
    let tree = app.tree().await.unwrap();
    let md = cchc_app::feedback::section_one(app.store.as_ref(), &tree, "H", app.rule.window(Period::quarter(2026, 3))).await.unwrap();
    assert!(md.contains("đã trả lời 2 (đúng hạn 1, quá hạn 1)"), "{md}");
}

#[tokio::test]
async fn each_role_reads_and_keeps_what_it_may_and_others_see_the_sender_masked() {
    let (app, store) = app().await;
    let commune = user("xa1", Role::UnitOfficer, "X1");
    let other = user("xa2", Role::UnitOfficer, "X2");
    let compiler = user("tonghop", Role::Compiler, "H");
    let leader = user("lanhdao", Role::Leader, "P");
    let f = cchc_app::feedback::receive(&app, &commune, intake("X1", d(2026, 3, 2), 10, "Thái độ cán bộ")).await.unwrap();
    // Another commune neither reads nor receives for X1; the feedback is not shown as existing.
    assert!(matches!(cchc_app::feedback::list(&app, &other, "X1", &ListQuery::default(), d(2026, 3, 3)).await, Err(Error::Forbidden(_))));
    assert!(matches!(cchc_app::feedback::get(&app, &other, f.value.id).await, Err(Error::NotFound(_))));
    assert!(matches!(cchc_app::feedback::receive(&app, &other, intake("X1", d(2026, 3, 2), 10, "x")).await, Err(Error::Forbidden(_))));
    // The leader reads, masked, and never writes.
    let seen = cchc_app::feedback::get(&app, &leader, f.value.id).await.unwrap();
    assert_eq!(seen.feedback.sender.name, "Nguyễn V*** A***");
    assert_eq!(seen.feedback.sender.phone.as_deref(), Some("*******678"));
    assert!(!seen.full && !seen.can_answer && !seen.can_assign);
    assert!(matches!(
        cchc_app::feedback::answer(&app, &leader, f.value.id, f.version, d(2026, 3, 5), "Đã trả lời").await,
        Err(Error::Forbidden(_))
    ));
    // The compiling office above keeps the subtree's feedback, the sender masked for it.
    let by_compiler = cchc_app::feedback::get(&app, &compiler, f.value.id).await.unwrap();
    assert!(by_compiler.can_assign && !by_compiler.full);
    let list = cchc_app::feedback::list(&app, &compiler, "X1", &ListQuery::default(), d(2026, 3, 3)).await.unwrap();
    assert_eq!(list.rows.len(), 1);
    assert!(list.can_receive);
    // Assignment outside the receiving unit's subtree, to an unknown officer: refused by field.
    let e = cchc_app::feedback::assign(&app, &commune, f.value.id, f.version, "X2", Some("khong-co".into())).await.unwrap_err();
    let fields: Vec<String> = e.problems().iter().filter_map(|p| p.place.clone()).collect();
    assert!(fields.contains(&"Đơn vị xử lý".to_string()) && fields.contains(&"Cán bộ xử lý".to_string()), "{e:?}");
    // Bad intake: every problem named by its field, nothing stored.
    let mut bad = intake("X1", d(2099, 1, 1), 0, " ");
    bad.procedure = Some("9.999999".into());
    bad.dossier = Some("KHONG-CO".into());
    let e = cchc_app::feedback::receive(&app, &commune, bad).await.unwrap_err();
    let fields: Vec<String> = e.problems().iter().filter_map(|p| p.place.clone()).collect();
    for field in ["Ngày tiếp nhận", "Nội dung", "Thời hạn xử lý", "Mã TTHC", "Mã hồ sơ"] {
        assert!(fields.iter().any(|f| f == field), "{field}: {fields:?}");
    }
    let all = cchc_storage::feedback::FeedbackQuery { units: vec!["X1".into()], limit: 100, ..Default::default() };
    assert_eq!(store.feedback_list(&all).await.unwrap().len(), 1);
    // Overdue and due-soon lists on the calendar.
    let overdue = ListQuery { status: Some(Status::Overdue), ..ListQuery::default() };
    assert_eq!(cchc_app::feedback::list(&app, &commune, "X1", &overdue, d(2026, 3, 17)).await.unwrap().rows.len(), 1);
    assert_eq!(cchc_app::feedback::list(&app, &commune, "X1", &overdue, d(2026, 3, 16)).await.unwrap().rows.len(), 0);
    let soon = ListQuery { due_within: Some(3), ..ListQuery::default() };
    assert_eq!(cchc_app::feedback::list(&app, &commune, "X1", &soon, d(2026, 3, 11)).await.unwrap().rows.len(), 1);
    assert_eq!(cchc_app::feedback::list(&app, &commune, "X1", &soon, d(2026, 3, 10)).await.unwrap().rows.len(), 0);
}

/// An intake put right while the feedback is not answered (a wrong channel, day, content,
/// procedure, dossier): a new version, the due date following the day received, a concurrent
/// correction from the same version refused in Vietnamese with nothing overwritten, audited with
/// the sender masked; other units, leaders and an answered feedback are refused.
#[tokio::test]
async fn an_intake_is_corrected_until_answered_and_a_concurrent_correction_overwrites_nothing() {
    use cchc_app::feedback::Correction;
    let (app, store) = app().await;
    let commune = user("xa1", Role::UnitOfficer, "X1");
    let compiler = user("tonghop", Role::Compiler, "H");
    let f = cchc_app::feedback::receive(&app, &commune, intake("X1", d(2026, 3, 2), 10, "Thái độ cán bộ")).await.unwrap();
    let id = f.value.id;
    assert_eq!(cchc_app::feedback::get(&app, &commune, id).await.unwrap().due_on, d(2026, 3, 16));
    let fix = |content: &str| Correction {
        channel: Channel::Portal,
        received_on: d(2026, 3, 3),
        content: content.into(),
        procedure: None,
        dossier: None,
    };
    // The commune puts its intake right: received a day later through the portal.
    let v = cchc_app::feedback::correct(&app, &commune, id, f.version, fix(" Thái độ cán bộ tiếp nhận hồ sơ ")).await.unwrap();
    assert_eq!(v, 2);
    let now = cchc_app::feedback::get(&app, &commune, id).await.unwrap();
    assert_eq!(
        (now.feedback.channel, now.feedback.received_on, now.feedback.content.as_str()),
        (Channel::Portal, d(2026, 3, 3), "Thái độ cán bộ tiếp nhận hồ sơ")
    );
    assert_eq!(now.feedback.sender, f.value.sender, "the sender stays as received");
    assert_eq!(now.due_on, d(2026, 3, 17));
    // The district's office corrects from the page it loaded before: refused, nothing overwritten.
    let e = cchc_app::feedback::correct(&app, &compiler, id, f.version, fix("Nội dung khác")).await.unwrap_err();
    assert!(
        matches!(&e, Error::Conflict(m) if m.starts_with("Phản ánh, kiến nghị đã được người khác sửa (phiên bản hiện tại 2, bạn đang sửa phiên bản 1); chưa lưu gì")),
        "{e:?}"
    );
    assert_eq!(store.feedback(id).await.unwrap().unwrap().value.content, "Thái độ cán bộ tiếp nhận hồ sơ");
    // What intake refuses is refused here too, by field: a day to come, an unknown procedure, no content.
    let mut bad = fix(" ");
    bad.received_on = d(2099, 1, 1);
    bad.procedure = Some("9.999999".into());
    let e = cchc_app::feedback::correct(&app, &commune, id, 2, bad).await.unwrap_err();
    let fields: Vec<String> = e.problems().iter().filter_map(|p| p.place.clone()).collect();
    for field in ["Ngày tiếp nhận", "Nội dung", "Mã TTHC"] {
        assert!(fields.iter().any(|f| f == field), "{field}: {fields:?}");
    }
    // Another commune does not see it; a leader reads, never corrects; the office above may.
    let other = user("xa2", Role::UnitOfficer, "X2");
    assert!(matches!(cchc_app::feedback::correct(&app, &other, id, 2, fix("x")).await, Err(Error::NotFound(_))));
    let leader = user("lanhdao", Role::Leader, "P");
    assert!(matches!(cchc_app::feedback::correct(&app, &leader, id, 2, fix("x")).await, Err(Error::Forbidden(_))));
    assert_eq!(cchc_app::feedback::correct(&app, &compiler, id, 2, fix("Thái độ cán bộ Bộ phận Một cửa")).await.unwrap(), 3);
    // Once answered, the intake is what was answered: no more corrections.
    cchc_app::feedback::answer(&app, &commune, id, 3, d(2026, 3, 10), "Đã chấn chỉnh").await.unwrap();
    let e = cchc_app::feedback::correct(&app, &commune, id, 4, fix("Sau khi trả lời")).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid { summary, .. } if summary.contains("đã được trả lời")), "{e:?}");
    // Audited under the receiving unit, the sender masked there.
    let audit = store.audit(&cchc_storage::AuditFilter { unit_code: Some("X1".into()), ..Default::default() }).await.unwrap();
    let fixes: Vec<_> = audit.iter().filter(|e| e.action == "sửa thông tin tiếp nhận phản ánh, kiến nghị").collect();
    assert_eq!(fixes.len(), 2, "{audit:?}");
    for e in fixes {
        let (old, new) = (e.old_value.as_deref().unwrap(), e.new_value.as_deref().unwrap());
        assert!(!old.contains("Nguyễn Văn An") && !new.contains("0912345678"), "{e:?}");
    }
    assert!(audit.iter().any(|e| e.by == "xa1" && e.new_value.as_deref().is_some_and(|v| v.contains("2026-03-03"))));
}
