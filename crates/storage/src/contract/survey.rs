//! The contract of [`crate::SurveyStore`]: the satisfaction survey at the counter (khảo sát sự hài lòng): one answer per receipt code (issue 14, item 5).

use cchc_records::survey::{Answer, Questionnaire, Scores, Visit};
use chrono::NaiveDate;

use crate::{AuditEntry, AuditFilter, Store};

fn answer(receipt: &str, unit: &str, day: u32, score: u8) -> Answer {
    let q = Questionnaire::sipas();
    Answer {
        receipt: receipt.into(),
        unit: unit.into(),
        procedure: "1.001".into(),
        received_on: NaiveDate::from_ymd_opt(2024, 3, day).unwrap(),
        answered_at: NaiveDate::from_ymd_opt(2024, 3, day).unwrap().and_hms_opt(9, 30, 0).unwrap(),
        visit: false,
        scores: Scores {
            scores: q.questions.iter().map(|q| (q.key.clone(), score)).collect(),
            comment: "Cán bộ nhiệt tình".into(),
            scale: q.scale,
            feedback: q.feedback_key().map(str::to_string),
        },
    }
}

/// Every check of [`crate::SurveyStore`] (one entry of the suite, so its checks are added here).
pub async fn survey_contract(s: &dyn Store) {
    super::known_units(s).await;
    one_answer_per_receipt_code(s).await;
    two_answers_at_once_store_one(s).await;
    answers_are_listed_by_unit_and_day_of_receipt(s).await;
    visits_are_numbered_and_their_answers_are_no_dossiers_rating(s).await;
    the_link_secret_is_made_once_and_never_logged(s).await;
    the_question_set_is_a_setting_written_with_its_audit_row(s).await;
}

async fn one_answer_per_receipt_code(s: &dyn Store) {
    let first = answer("X1-240305-0001", "X1", 5, 5);
    assert!(s.insert_survey_answer(&first, "").await.unwrap());
    assert_eq!(s.survey_answer("X1-240305-0001").await.unwrap(), Some(first.clone()));
    assert_eq!(s.survey_answer("X1-240305-0009").await.unwrap(), None);
    // The second answer for the same code writes nothing: neither the answer nor an audit row.
    assert_eq!(audited(s).await, 1);
    assert!(!s.insert_survey_answer(&answer("X1-240305-0001", "X1", 5, 1), "").await.unwrap());
    assert_eq!(s.survey_answer("X1-240305-0001").await.unwrap(), Some(first));
    assert_eq!(audited(s).await, 1);
}

async fn audited(s: &dyn Store) -> usize {
    let log = s.audit(&AuditFilter { unit_code: Some("X1".into()), ..AuditFilter::default() }).await.unwrap();
    log.into_iter().filter(|a| a.action == crate::survey::AUDIT_ACTION).count()
}

async fn two_answers_at_once_store_one(s: &dyn Store) {
    let (a, b) = (answer("X2-240310-0007", "X2", 10, 5), answer("X2-240310-0007", "X2", 10, 2));
    let (x, y) = tokio::join!(s.insert_survey_answer(&a, ""), s.insert_survey_answer(&b, ""));
    let stored = [x.unwrap(), y.unwrap()];
    assert_eq!(stored.iter().filter(|ok| **ok).count(), 1, "{stored:?}");
    let kept = s.survey_answer("X2-240310-0007").await.unwrap().unwrap();
    assert_eq!(kept, if stored[0] { a } else { b });
}

async fn answers_are_listed_by_unit_and_day_of_receipt(s: &dyn Store) {
    s.insert_survey_answer(&answer("X1-240320-0002", "X1", 20, 4), "").await.unwrap();
    s.insert_survey_answer(&answer("X3-240302-0001", "X3", 2, 3), "").await.unwrap();
    let d = |day| NaiveDate::from_ymd_opt(2024, 3, day).unwrap();
    let codes = |v: Vec<Answer>| v.into_iter().map(|a| a.receipt).collect::<Vec<_>>();
    assert_eq!(codes(s.survey_answers(&["X1".into()], None).await.unwrap()), ["X1-240305-0001", "X1-240320-0002"]);
    assert_eq!(
        codes(s.survey_answers(&["X1".into(), "X3".into()], Some((d(1), d(10)))).await.unwrap()),
        ["X3-240302-0001", "X1-240305-0001"]
    );
    assert_eq!(codes(s.survey_answers(&["X1".into()], Some((d(20), d(20)))).await.unwrap()), ["X1-240320-0002"]);
    assert!(s.survey_answers(&[], None).await.unwrap().is_empty());
    // An answer's JSON keeps the comment and every score.
    let read = s.survey_answer("X3-240302-0001").await.unwrap().unwrap();
    assert_eq!(read.scores.comment, "Cán bộ nhiệt tình");
    assert_eq!(read.scores.scores.len(), 5);
    assert_eq!(read.rating(), 3);
    // The ratings alone, from the columns.
    let mut ratings = s.survey_ratings(&["X1".into(), "X3".into()]).await.unwrap();
    ratings.sort();
    let expected = [("X1", "X1-240305-0001", 5), ("X1", "X1-240320-0002", 4), ("X3", "X3-240302-0001", 3)];
    assert_eq!(ratings, expected.map(|(u, r, n)| (u.to_string(), r.to_string(), n)));
    assert!(s.survey_ratings(&[]).await.unwrap().is_empty());
}

async fn visits_are_numbered_and_their_answers_are_no_dossiers_rating(s: &dyn Store) {
    let at = NaiveDate::from_ymd_opt(2024, 3, 12).unwrap().and_hms_opt(8, 0, 0).unwrap();
    let visit = Visit { code: String::new(), unit: "X1".into(), procedure: String::new(), issued_at: at, issued_by: "quay".into() };
    let first = s.issue_survey_visit("KS-X1-240312", &visit).await.unwrap();
    assert_eq!(first.code, "KS-X1-240312-0001");
    let second = s.issue_survey_visit("KS-X1-240312", &Visit { procedure: "1.001".into(), ..visit.clone() }).await.unwrap();
    assert_eq!((second.code.as_str(), second.procedure.as_str()), ("KS-X1-240312-0002", "1.001"));
    assert_eq!(s.survey_visit("KS-X1-240312-0002").await.unwrap(), Some(second.clone()));
    assert_eq!(s.survey_visit("KS-X1-240312-0003").await.unwrap(), None);
    // Two at once get two codes.
    let other = Visit { unit: "X2".into(), ..visit.clone() };
    let (a, b) = tokio::join!(s.issue_survey_visit("KS-X2-240312", &other), s.issue_survey_visit("KS-X2-240312", &other));
    let mut codes = [a.unwrap().code, b.unwrap().code];
    codes.sort();
    assert_eq!(codes, ["KS-X2-240312-0001", "KS-X2-240312-0002"]);
    let log = s.audit(&AuditFilter { unit_code: Some("X1".into()), ..AuditFilter::default() }).await.unwrap();
    let issued: Vec<_> = log.iter().filter(|e| e.action == crate::survey::VISIT_ACTION && e.unit_code.as_deref() == Some("X1")).collect();
    assert_eq!(issued.len(), 2);
    assert!(issued.iter().all(|e| e.by == "quay") && issued.iter().any(|e| e.item.as_deref() == Some("KS-X1-240312-0001")));
    // A visit of an unknown unit is refused, nothing stored.
    assert!(s.issue_survey_visit("KS-X9-240312", &Visit { unit: "KHONG-CO".into(), ..visit }).await.is_err());
    // Its answer: one per code, listed with the unit's, never a dossier's rating.
    let answer = Answer { receipt: first.code.clone(), procedure: String::new(), visit: true, ..self::answer("", "X1", 12, 5) };
    assert!(s.insert_survey_answer(&answer, "").await.unwrap());
    assert!(!s.insert_survey_answer(&answer, "").await.unwrap());
    assert_eq!(s.survey_answer(&first.code).await.unwrap(), Some(answer.clone()));
    assert!(s.survey_answers(&["X1".into()], None).await.unwrap().contains(&answer));
    assert!(!s.survey_ratings(&["X1".into()]).await.unwrap().iter().any(|(_, code, _)| code == &first.code));
}

async fn the_link_secret_is_made_once_and_never_logged(s: &dyn Store) {
    let (a, b) = tokio::join!(s.survey_secret("bi-mat-a", "khach"), s.survey_secret("bi-mat-b", "khach"));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a, b);
    assert!(a == "bi-mat-a" || a == "bi-mat-b");
    assert_eq!(s.survey_secret("bi-mat-c", "khach").await.unwrap(), a);
    let log = s.audit(&AuditFilter::default()).await.unwrap();
    let made: Vec<_> = log.iter().filter(|e| e.action == crate::survey::SECRET_ACTION).collect();
    assert_eq!(made.len(), 1);
    assert!(!log.iter().any(|e| [&e.item, &e.old_value, &e.new_value].iter().any(|v| v.as_deref().is_some_and(|v| v.contains("bi-mat")))));
}

async fn the_question_set_is_a_setting_written_with_its_audit_row(s: &dyn Store) {
    assert_eq!(s.setting(crate::survey::QUESTIONS_KEY).await.unwrap(), None);
    let json = serde_json::to_string(&Questionnaire::sipas()).unwrap();
    let entry =
        AuditEntry {
            item: Some("bộ câu hỏi".into()), new_value: Some("5 câu".into()), ..AuditEntry::now("quantri", "đổi câu hỏi")
        };
    s.put_survey_questions(&json, &entry).await.unwrap();
    s.put_survey_questions(&json, &entry).await.unwrap();
    assert_eq!(s.setting(crate::survey::QUESTIONS_KEY).await.unwrap(), Some(json));
    let log = s.audit(&AuditFilter::default()).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "đổi câu hỏi" && e.by == "quantri").count(), 2);
}
