//! The satisfaction survey at the counter (issue 14 item 5): one answer per receipt code, the
//! second refused in Vietnamese with nothing written (the Done-when), two answers at once storing
//! one, an unknown code answered with one sentence that reveals nothing, scores refused naming
//! their question, the results per role, and the answers standing for the ledger's ratings in
//! the report's figures and Decision 766 without a dossier counted twice; a link without its
//! token refused; the questions as data edited by the province's administrator (validated,
//! audited, answers given before read as given); visits without a dossier answered once and
//! counted in the unit's results, never in a dossier's facts.

use std::collections::BTreeMap;
use std::sync::Arc;

use cchc_app::counter::{Receipt, receive_dossier};
use cchc_app::survey::{ALREADY_ANSWERED, BAD_LINK, NOT_FOUND};
use cchc_app::{App, Error};
use cchc_dossiers::Channel;
use cchc_periods::{Period, WindowRule};
use cchc_records::survey::{Grouping, Question, Questionnaire};
use cchc_storage::{AuditFilter, Role, Store, User};

/// The token of `code`'s printed link.
async fn token(app: &App, code: &str) -> String {
    cchc_app::survey::token(app.store.as_ref(), code).await.unwrap()
}

/// The survey page of `code` opened from its printed link.
async fn form(app: &App, code: &str) -> Result<cchc_app::survey::SurveyForm, Error> {
    cchc_app::survey::form(app, code, &token(app, code).await).await
}

/// An answer sent from `code`'s printed link.
async fn submit(app: &App, code: &str, typed: &BTreeMap<String, String>, comment: &str, now: chrono::NaiveDateTime) -> Result<(), Error> {
    cchc_app::survey::submit(app, code, &token(app, code).await, typed, comment, now).await
}

fn scores(all: &str) -> BTreeMap<String, String> {
    ["tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "phan_anh"].iter().map(|k| (k.to_string(), all.to_string())).collect()
}

async fn demo(store: Arc<dyn Store>, dossiers: usize) -> App {
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, dossiers).await.expect("demo seed");
    App::with(store, catalogue, cchc_calendar::WorkCalendar::vietnam())
}

/// A dossier received at Sơn Hà's counter two hours ago.
async fn received(app: &App) -> String {
    let sonha = app.store.user("sonha").await.unwrap().unwrap();
    let procedures = cchc_app::dossiers::procedures(app.store.as_ref()).await.unwrap();
    let mut codes: Vec<&String> = procedures.iter().filter(|(_, p)| p.level == cchc_units::Level::Xa).map(|(c, _)| c).collect();
    codes.sort();
    let receipt = Receipt {
        unit: "99101N".into(),
        procedure: codes[0].clone(),
        channel: Channel::Direct,
        at: cchc_storage::now() - chrono::Duration::hours(2),
        applicant: None,
        documents: None,
    };
    receive_dossier(app, &sonha, &receipt).await.unwrap().dossier.id
}

async fn audited_answers(store: &dyn Store) -> usize {
    let log = store.audit(&AuditFilter::default()).await.unwrap();
    log.iter().filter(|e| e.action == cchc_storage::survey::AUDIT_ACTION).count()
}

#[tokio::test]
async fn a_survey_link_accepts_one_answer_per_receipt_code_and_refuses_the_second_in_vietnamese() {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let app = demo(store.clone(), 0).await;
    let code = received(&app).await;

    let page = form(&app, &code).await.unwrap();
    assert!(!page.answered);
    assert_eq!(page.questions.questions.len(), 5);
    assert!(!page.procedure.is_empty());
    // The code typed with spaces around it is the same dossier.
    assert_eq!(form(&app, &format!(" {code} ")).await.unwrap().code, code);

    let mut first = scores("5");
    first.insert("cong_chuc".into(), "4".into());
    submit(&app, &code, &first, "Cán bộ hướng dẫn tận tình.", cchc_storage::now()).await.unwrap();
    assert!(form(&app, &code).await.unwrap().answered);
    let stored = store.survey_answer(&code).await.unwrap().unwrap();
    assert_eq!(stored.scores.scores["cong_chuc"], 4);
    assert_eq!(stored.unit, "99101N");
    assert_eq!(audited_answers(store.as_ref()).await, 1);

    // The second answer: refused in Vietnamese, nothing written (the first answer stands).
    let second = submit(&app, &code, &scores("1"), "Không hài lòng", cchc_storage::now()).await.unwrap_err();
    assert!(matches!(&second, Error::Conflict(m) if m == ALREADY_ANSWERED), "{second:?}");
    assert!(second.to_string().starts_with("Phiếu khảo sát của hồ sơ này đã được gửi"));
    assert_eq!(store.survey_answer(&code).await.unwrap().unwrap(), stored);
    assert_eq!(audited_answers(store.as_ref()).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_answers_sent_at_once_store_one() {
    let path = std::env::temp_dir().join(format!("cchc-survey-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = cchc_storage::open(&format!("sqlite://{}", path.display())).await.unwrap();
    let app = Arc::new(demo(store.clone(), 0).await);
    let code = received(&app).await;
    let tasks: Vec<_> = ["5", "1", "4", "2"]
        .into_iter()
        .map(|s| {
            let (app, code) = (app.clone(), code.clone());
            tokio::spawn(async move { submit(&app, &code, &scores(s), "", cchc_storage::now()).await })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => ok += 1,
            Err(Error::Conflict(m)) => assert_eq!(m, ALREADY_ANSWERED),
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(audited_answers(store.as_ref()).await, 1);
    assert_eq!(store.survey_answers(&["99101N".into()], None).await.unwrap().len(), 1);
    drop(app);
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn an_unknown_code_gets_one_sentence_and_bad_scores_are_refused_naming_the_question() {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let app = demo(store.clone(), 0).await;
    let code = received(&app).await;
    for unknown in ["99101N-000000-0001", "", "   ", "x' OR '1'='1", &"9".repeat(200)] {
        let e = form(&app, unknown).await.unwrap_err();
        assert!(matches!(e, Error::NotFound(_)), "{unknown}: {e:?}");
        assert_eq!(e.to_string(), NOT_FOUND, "{unknown}");
        let e = submit(&app, unknown, &scores("5"), "", cchc_storage::now()).await.unwrap_err();
        assert_eq!(e.to_string(), NOT_FOUND);
    }

    for (bad, what) in [("0", "“0”"), ("6", "“6”"), ("", "chưa chọn")] {
        let mut typed = scores("5");
        typed.insert("ket_qua".into(), bad.into());
        let Error::Invalid { problems, .. } = submit(&app, &code, &typed, "", cchc_storage::now()).await.unwrap_err() else {
            panic!("{bad}: not refused as invalid")
        };
        assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
        assert!(problems[0].message.contains("Kết quả giải quyết") && problems[0].message.contains(what), "{:?}", problems[0]);
    }
    let mut missing = scores("4");
    missing.remove("thu_tuc");
    let Error::Invalid { problems, .. } = submit(&app, &code, &missing, "", cchc_storage::now()).await.unwrap_err() else { panic!() };
    assert!(problems[0].message.contains("Thủ tục hành chính"), "{problems:?}");
    assert_eq!(store.survey_answer(&code).await.unwrap(), None, "nothing written");
    assert_eq!(audited_answers(store.as_ref()).await, 0);
}

#[tokio::test]
async fn answers_stand_for_the_ledgers_ratings_in_the_figures_and_decision_766() {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let app = demo(store.clone(), 300).await;
    let tree = app.tree().await.unwrap();
    let rule = WindowRule::default();
    let period = Period::year(cchc_app::demo::YEAR);
    let tonghop = store.user("tonghop").await.unwrap().unwrap();

    // A dossier of the demo year that the ledger rates satisfied and the survey has not heard of.
    let facts = store.dossier_facts(&["99101N".into()]).await.unwrap();
    let answered: Vec<String> = store.survey_answers(&["99101N".into()], None).await.unwrap().into_iter().map(|a| a.receipt).collect();
    assert!(!answered.is_empty(), "the demo has survey answers");
    let window = rule.window(period);
    let rated = facts
        .iter()
        .flat_map(|(unit, blob)| cchc_dossiers::facts::decode_unit(unit, blob).unwrap())
        .find(|f| {
            let day = cchc_dossiers::facts::to_moment(f.received).date();
            f.rating >= 4 && !answered.contains(&f.id) && window.contains(day)
        })
        .expect("a rated dossier without an answer");

    let before = cchc_app::dossiers::table(store.as_ref(), &tree, "99101N", period, &rule).await.unwrap().total();
    let scored = cchc_app::scores::decision_766(&app, &tonghop, "99101N", period, &Default::default()).await.unwrap();
    assert!(!scored.dissatisfied.contains(&rated.id));

    // Its citizen answers the survey unsatisfied: the dossier stays counted once (surveyed
    // unchanged), no longer satisfied, and Decision 766 lists it among the dissatisfied.
    submit(&app, &rated.id, &scores("2"), "", cchc_storage::now()).await.unwrap();
    let after = cchc_app::dossiers::table(store.as_ref(), &tree, "99101N", period, &rule).await.unwrap().total();
    assert_eq!(after.satisfaction_surveyed, before.satisfaction_surveyed);
    assert_eq!(after.satisfaction_satisfied, before.satisfaction_satisfied - 1);
    let scored = cchc_app::scores::decision_766(&app, &tonghop, "99101N", period, &Default::default()).await.unwrap();
    assert!(scored.dissatisfied.contains(&rated.id));

    // A dossier the ledger never rated: the answer adds one surveyed and one satisfied.
    let code = received(&app).await;
    let period_now = Period::year(cchc_storage::now().date().format("%Y").to_string().parse().unwrap());
    let t0 = cchc_app::dossiers::table(store.as_ref(), &tree, "99101N", period_now, &rule).await.unwrap().total();
    submit(&app, &code, &scores("4"), "", cchc_storage::now()).await.unwrap();
    let t1 = cchc_app::dossiers::table(store.as_ref(), &tree, "99101N", period_now, &rule).await.unwrap().total();
    assert_eq!((t1.satisfaction_surveyed, t1.satisfaction_satisfied), (t0.satisfaction_surveyed + 1, t0.satisfaction_satisfied + 1));

    // The pre-filled report states the same figures (sources satisfaction_surveyed/satisfied).
    let now = cchc_app::dossiers::table(store.as_ref(), &tree, "99101N", period, &rule).await.unwrap().total();
    let catalogue = cchc_catalogue::default_catalogue();
    let (report, _) = cchc_app::dossiers::prefilled_report(store.as_ref(), &tree, &catalogue, "99101N", period, &rule).await.unwrap();
    let surveyed = catalogue.value_indicators().find(|i| i.source.as_deref() == Some("satisfaction_surveyed")).unwrap();
    let satisfied = catalogue.value_indicators().find(|i| i.source.as_deref() == Some("satisfaction_satisfied")).unwrap();
    let value = |code: &str| {
        report.entries.iter().filter(|e| e.key.code == code).find_map(|e| if e.key.is_total() { e.value.clone() } else { None })
    };
    assert_eq!(value(&surveyed.code), Some(cchc_report::Value::Int(now.satisfaction_surveyed as i64)));
    assert_eq!(value(&satisfied.code), Some(cchc_report::Value::Int(now.satisfaction_satisfied as i64)));
    assert!(now.satisfaction_surveyed >= after.satisfaction_surveyed);
}

#[tokio::test]
async fn results_by_unit_procedure_and_field_per_role() {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let app = demo(store.clone(), 300).await;
    let period = Period::year(cchc_app::demo::YEAR);
    let user = |name: &'static str| {
        let store = store.clone();
        async move { store.user(name).await.unwrap().expect(name) }
    };
    let (sonha, lacgiang, tonghop) = (user("sonha").await, user("lacgiang").await, user("tonghop").await);
    let own = cchc_app::survey::results(&app, &sonha, "99101N", period, Grouping::Unit).await.unwrap();
    assert!(own.total.answers > 0);
    assert_eq!(own.rows.len(), 1);
    assert_eq!(own.rows[0].key, "99101N");
    let stored = store.survey_answers(&["99101N".into()], Some((own.window.from, own.window.to))).await.unwrap();
    assert_eq!(own.total.answers, stored.len() as u64);
    assert_eq!(own.total.satisfied, stored.iter().filter(|a| a.satisfied()).count() as u64);
    assert!(matches!(cchc_app::survey::results(&app, &lacgiang, "99101N", period, Grouping::Unit).await, Err(Error::Forbidden(_))));
    // The province's compiling office sees every unit below, by field too.
    let province = cchc_app::survey::results(&app, &tonghop, cchc_app::demo::PROVINCE, period, Grouping::Unit).await.unwrap();
    assert!(province.rows.len() > 1);
    assert!(province.total.answers > own.total.answers);
    let by_field = cchc_app::survey::results(&app, &tonghop, cchc_app::demo::PROVINCE, period, Grouping::Field).await.unwrap();
    assert_eq!(by_field.total, province.total);
    assert!(by_field.rows.iter().all(|r| !r.label.is_empty()));
    // Comments without receipt codes.
    assert!(province.comments.iter().all(|(_, c)| !c.contains("99")));
    // Section I's sentence states the same count and share.
    let tree = app.tree().await.unwrap();
    let text = cchc_app::survey::section_one(store.as_ref(), &tree, "99101N", own.window).await.unwrap();
    assert!(text.contains(&format!("{} phiếu", own.total.answers)) && text.contains(&own.total.share().unwrap()), "{text}");
}

#[tokio::test]
async fn a_link_without_its_token_opens_nothing() {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let app = demo(store.clone(), 0).await;
    let code = received(&app).await;
    let good = token(&app, &code).await;
    assert_eq!(good.len(), 16);
    assert_eq!(token(&app, &code).await, good, "the secret is kept");
    let other = received(&app).await;
    for bad in [String::new(), "0".repeat(16), token(&app, &other).await, good[..15].to_string()] {
        let e = cchc_app::survey::form(&app, &code, &bad).await.unwrap_err();
        assert!(matches!(&e, Error::Forbidden(m) if m == BAD_LINK), "{bad}: {e:?}");
        let e = cchc_app::survey::submit(&app, &code, &bad, &scores("5"), "", cchc_storage::now()).await.unwrap_err();
        assert_eq!(e.to_string(), BAD_LINK);
    }
    assert_eq!(store.survey_answer(&code).await.unwrap(), None);
    assert!(cchc_app::survey::form(&app, &code, &good.to_uppercase()).await.is_ok());
    // The printed link carries it.
    let url = cchc_app::survey::link(store.as_ref(), "http://cchc.test/", &code).await.unwrap();
    assert_eq!(url, format!("http://cchc.test/survey/{code}?t={good}"));
    // The secret is made once, audited without its value.
    let log = store.audit(&AuditFilter::default()).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.action == cchc_storage::survey::SECRET_ACTION).count(), 1);
}

fn admin() -> User {
    User {
        username: "quantri".into(),
        full_name: "Quản trị".into(),
        role: Role::Admin,
        unit_code: "99".into(),
        password_hash: "x".into(),
        active: true,
    }
}

#[tokio::test]
async fn the_questions_are_data_the_administrator_edits_and_answers_keep_their_keys() {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let app = demo(store.clone(), 0).await;
    let sonha = store.user("sonha").await.unwrap().unwrap();
    let code = received(&app).await;
    submit(&app, &code, &scores("2"), "", cchc_storage::now()).await.unwrap();
    assert_eq!(cchc_app::survey::questions_for(&app, &admin()).await.unwrap(), Questionnaire::sipas());
    assert!(matches!(cchc_app::survey::questions_for(&app, &sonha).await, Err(Error::Forbidden(_))));

    // Refused naming each field, nothing written.
    let q = |key: &str, text: &str, feedback: bool| Question { key: key.into(), text: text.into(), feedback };
    let bad = Questionnaire { questions: vec![q("chung", "", false), q("chung", "Lặp", false)], scale: 12 };
    let Error::Invalid { problems, .. } = cchc_app::survey::save_questions(&app, &admin(), bad).await.unwrap_err() else { panic!() };
    let said: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
    assert!(said.iter().any(|m| m.contains("Câu 1, nội dung câu hỏi: chưa nhập")), "{said:?}");
    assert!(said.iter().any(|m| m.contains("Câu 2, mã câu hỏi “chung”: trùng")), "{said:?}");
    assert!(said.iter().any(|m| m.starts_with("Thang điểm")), "{said:?}");
    assert_eq!(cchc_app::survey::questions(store.as_ref()).await.unwrap(), Questionnaire::sipas());
    let mine = Questionnaire {
        questions: vec![q(" chung ", " Mức độ hài lòng chung ", false), q("pakn", "Giải quyết phản ánh", true)],
        scale: 3,
    };
    assert!(matches!(cchc_app::survey::save_questions(&app, &sonha, mine.clone()).await, Err(Error::Forbidden(_))));

    // Saved (trimmed) by the administrator, audited with both sets in Vietnamese.
    let saved = cchc_app::survey::save_questions(&app, &admin(), mine).await.unwrap();
    assert_eq!(saved.questions[0].key, "chung");
    assert_eq!(cchc_app::survey::questions(store.as_ref()).await.unwrap(), saved);
    let log = store.audit(&AuditFilter::default()).await.unwrap();
    let entry = log.iter().find(|e| e.action == cchc_app::survey::QUESTIONS_ACTION).expect("audited");
    assert_eq!(entry.by, "quantri");
    assert!(entry.old_value.as_deref().unwrap().contains("Tiếp cận dịch vụ"), "{entry:?}");
    assert!(entry.new_value.as_deref().unwrap().contains("Thang điểm 1–3; 1. Mức độ hài lòng chung [chung]"), "{entry:?}");

    // The page asks the new set; an answer is checked against it and keeps its keys and scale.
    let other = received(&app).await;
    let page = form(&app, &other).await.unwrap();
    assert_eq!(page.questions, saved);
    let typed: BTreeMap<String, String> = [("chung", "3"), ("pakn", "2")].map(|(k, v)| (k.to_string(), v.to_string())).into();
    let e = submit(&app, &other, &scores("3"), "", cchc_storage::now()).await.unwrap_err();
    assert!(matches!(e, Error::Invalid { .. }), "{e:?}");
    submit(&app, &other, &typed, "", cchc_storage::now()).await.unwrap();
    let given = store.survey_answer(&other).await.unwrap().unwrap();
    assert_eq!((given.scores.scale, given.scores.feedback.as_deref()), (3, Some("pakn")));
    assert_eq!(given.rating(), 4); // (100% + 50%) / 2 = 75% of the way: 4 on 1–5.

    // The answer given before the change reads as it was given, its keys among the results'.
    let before = store.survey_answer(&code).await.unwrap().unwrap();
    assert_eq!((before.scores.scale, before.scores.feedback.as_deref(), before.scores.scores.len()), (5, Some("phan_anh"), 5));
    let year = Period::year(cchc_storage::now().date().format("%Y").to_string().parse().unwrap());
    let r = cchc_app::survey::results(&app, &sonha, "99101N", year, Grouping::Unit).await.unwrap();
    assert_eq!(r.total.answers, 2);
    assert_eq!(r.other_keys, ["cong_chuc", "ket_qua", "phan_anh", "thu_tuc", "tiep_can"]);
    assert_eq!(r.total.average("chung", 3).as_deref(), Some("3,00"));
}

#[tokio::test]
async fn answers_stored_before_the_questions_were_data_read_as_sipas() {
    let old = r#"{"receipt":"A-1","unit":"X","procedure":"P","received_on":"2024-03-01","answered_at":"2024-03-02T10:00:00",
        "scores":{"tiep_can":5,"thu_tuc":4,"cong_chuc":4,"ket_qua":4,"phan_anh":2},"comment":""}"#;
    let a: cchc_records::survey::Answer = serde_json::from_str(old).unwrap();
    assert_eq!((a.scores.scale, a.scores.feedback.as_deref(), a.visit), (5, Some("phan_anh"), false));
    assert!(!a.satisfied());
    let day = |d| chrono::NaiveDate::from_ymd_opt(2024, 3, d).unwrap();
    assert_eq!(cchc_records::survey::satisfied_on([&a], day(1), day(31)), (0, 1));
    let json = serde_json::to_string(&a).unwrap();
    assert!(!json.contains("visit"));
    assert_eq!(serde_json::from_str::<cchc_records::survey::Answer>(&json).unwrap(), a);
}

#[tokio::test]
async fn a_visit_without_a_dossier_is_answered_once_and_counts_in_the_results_not_in_the_facts() {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let app = demo(store.clone(), 0).await;
    let tree = app.tree().await.unwrap();
    let sonha = store.user("sonha").await.unwrap().unwrap();
    let lacgiang = store.user("lacgiang").await.unwrap().unwrap();
    let now = cchc_storage::now();
    let procedure = cchc_app::dossiers::procedures(store.as_ref()).await.unwrap().into_keys().min().unwrap();
    // Only the unit's own counter officers issue its codes; a procedure must be known.
    assert!(matches!(cchc_app::survey::issue_visit(&app, &lacgiang, "99101N", "", now).await, Err(Error::Forbidden(_))));
    let e = cchc_app::survey::issue_visit(&app, &sonha, "99101N", "khong-co", now).await.unwrap_err();
    assert!(e.problems()[0].to_string().contains("khong-co"), "{e:?}");
    let visit = cchc_app::survey::issue_visit(&app, &sonha, "99101N", &procedure, now).await.unwrap();
    assert_eq!(visit.code, format!("KS-99101N-{}-0001", now.format("%y%m%d")));
    let bare = cchc_app::survey::issue_visit(&app, &sonha, "99101N", "", now).await.unwrap();
    assert!(bare.code.ends_with("-0002"));

    // Its slip: the signed link; another unit's officer may not print it.
    let slip = cchc_app::survey::slip(&app, &sonha, &visit.code, "http://cchc.test").await.unwrap();
    assert!(slip.visit && slip.url == format!("http://cchc.test/survey/{}?t={}", visit.code, token(&app, &visit.code).await));
    assert!(!slip.procedure.is_empty());
    assert!(matches!(cchc_app::survey::slip(&app, &lacgiang, &visit.code, "http://cchc.test").await, Err(Error::Forbidden(_))));
    let dossier = received(&app).await;
    assert!(!cchc_app::survey::slip(&app, &sonha, &dossier, "http://cchc.test").await.unwrap().visit);

    // Answered once; the second refused in Vietnamese.
    let year = Period::year(now.date().format("%Y").to_string().parse().unwrap());
    let rule = WindowRule::default();
    let facts_before = cchc_app::dossiers::table(store.as_ref(), &tree, "99101N", year, &rule).await.unwrap().total();
    assert!(form(&app, &visit.code).await.unwrap().visit);
    submit(&app, &visit.code, &scores("5"), "Hỏi thủ tục được hướng dẫn rõ.", now).await.unwrap();
    let again = submit(&app, &visit.code, &scores("1"), "", now).await.unwrap_err();
    assert!(matches!(&again, Error::Conflict(m) if m == ALREADY_ANSWERED));
    submit(&app, &bare.code, &scores("2"), "", now).await.unwrap();
    assert!(store.survey_answer(&visit.code).await.unwrap().unwrap().visit);

    // In the unit's results, by procedure too; not in any dossier's facts.
    let r = cchc_app::survey::results(&app, &sonha, "99101N", year, Grouping::Procedure).await.unwrap();
    assert_eq!((r.total.answers, r.total.satisfied), (2, 1));
    assert!(r.rows.iter().any(|row| row.label == cchc_app::survey::NO_PROCEDURE));
    assert!(r.rows.iter().any(|row| row.key == procedure));
    let facts_after = cchc_app::dossiers::table(store.as_ref(), &tree, "99101N", year, &rule).await.unwrap().total();
    assert_eq!(facts_after.satisfaction_surveyed, facts_before.satisfaction_surveyed);
    assert!(cchc_app::survey::ratings(store.as_ref(), &["99101N".into()]).await.unwrap().values().all(|r| !r.contains_key(&visit.code)));
    // An unknown visit code, even signed: one sentence.
    let unknown = format!("KS-99101N-{}-0099", now.format("%y%m%d"));
    assert_eq!(form(&app, &unknown).await.unwrap_err().to_string(), NOT_FOUND);
}
