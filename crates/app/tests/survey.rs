//! The satisfaction survey at the counter (issue 14 item 5): one answer per receipt code, the
//! second refused in Vietnamese with nothing written (the Done-when), two answers at once storing
//! one, an unknown code answered with one sentence that reveals nothing, scores refused naming
//! their question, the results per role, and the answers standing for the ledger's ratings in
//! the report's figures and Decision 766 without a dossier counted twice.

use std::collections::BTreeMap;
use std::sync::Arc;

use cchc_app::counter::{Receipt, receive_dossier};
use cchc_app::survey::{ALREADY_ANSWERED, NOT_FOUND, form, submit};
use cchc_app::{App, Error};
use cchc_dossiers::Channel;
use cchc_periods::{Period, WindowRule};
use cchc_records::survey::Grouping;
use cchc_storage::{AuditFilter, Store};

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
    let (unit, blob) = &facts[0];
    let answered: Vec<String> =
        store.survey_answers(std::slice::from_ref(unit), None).await.unwrap().into_iter().map(|a| a.receipt).collect();
    assert!(!answered.is_empty(), "the demo has survey answers");
    let window = rule.window(period);
    let rated = cchc_dossiers::facts::decode_unit(unit, blob)
        .unwrap()
        .into_iter()
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
