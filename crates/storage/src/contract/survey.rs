//! The contract of [`crate::SurveyStore`]: the satisfaction survey at the counter (khảo sát sự hài lòng): one answer per receipt code (issue 14, item 5).

use cchc_records::survey::{Answer, Questionnaire, Scores};
use chrono::NaiveDate;

use crate::{AuditFilter, Store};

fn answer(receipt: &str, unit: &str, day: u32, score: u8) -> Answer {
    let q = Questionnaire::sipas();
    Answer {
        receipt: receipt.into(),
        unit: unit.into(),
        procedure: "1.001".into(),
        received_on: NaiveDate::from_ymd_opt(2024, 3, day).unwrap(),
        answered_at: NaiveDate::from_ymd_opt(2024, 3, day).unwrap().and_hms_opt(9, 30, 0).unwrap(),
        scores: Scores { scores: q.questions.iter().map(|q| (q.key.clone(), score)).collect(), comment: "Cán bộ nhiệt tình".into() },
    }
}

/// Every check of [`crate::SurveyStore`] (one entry of the suite, so its checks are added here).
pub async fn survey_contract(s: &dyn Store) {
    super::known_units(s).await;
    one_answer_per_receipt_code(s).await;
    two_answers_at_once_store_one(s).await;
    answers_are_listed_by_unit_and_day_of_receipt(s).await;
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
