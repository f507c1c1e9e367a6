//! Decision 766/QĐ-TTg as published (issue 15 item 6): one test per group on a hand-built ledger
//! of a commune's first quarter of 2024, with every figure worked out by hand in the comments.
//! What the ledger cannot know is "không tính được" (`None`), never 0.

use std::collections::HashMap;

use cchc_calendar::WorkCalendar;
use cchc_dossiers::facts::{Facts, window_secs};
use cchc_dossiers::scores::{Basis, Entered, Evidence, Group, Part, Scope, Scores, score};
use cchc_dossiers::{OnlineClass, Procedure, ProcessingTime};
use cchc_periods::DateRange;
use cchc_units::Level;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::json;

fn procedures() -> Vec<Procedure> {
    let p = |code: &str, online, fee| Procedure {
        code: code.into(),
        name: format!("Thủ tục {code}"),
        field: "ho-tich".into(),
        level: Level::Xa,
        time: ProcessingTime::WorkingDays(3),
        online,
        fee,
    };
    vec![
        p("P1", OnlineClass::Full, Some(10_000)),
        p("P2", OnlineClass::None, None),
        p("P3", OnlineClass::Partial, Some(5_000)),
        // Offered online, no dossier this quarter.
        p("P4", OnlineClass::Partial, None),
    ]
}

/// Five dossiers of the commune X, 1/1–31/3/2024 (due in 3 working days).
fn ledger() -> Vec<cchc_dossiers::Dossier> {
    let d = |id: &str, procedure: &str, events: serde_json::Value, digitised: bool, rating: Option<u8>| {
        serde_json::from_value(json!({
            "id": id, "unit": "X", "procedure": procedure, "events": events, "digitised": digitised, "rating": rating
        }))
        .expect("a dossier")
    };
    vec![
        // Online, resolved the next day (early), fee paid online, digitised, rated 5.
        d(
            "HS1",
            "P1",
            json!([
                {"at": "2024-01-02T08:00:00", "kind": "received", "channel": "online"},
                {"at": "2024-01-02T08:30:00", "kind": "fee-requested"},
                {"at": "2024-01-02T09:00:00", "kind": "fee-paid", "online": true},
                {"at": "2024-01-03T10:00:00", "kind": "resolved"}
            ]),
            true,
            Some(5),
        ),
        // At the counter, resolved on 20/01 (due 05/01): late. Digitised.
        d(
            "HS2",
            "P2",
            json!([
                {"at": "2024-01-02T08:00:00", "kind": "received", "channel": "direct"},
                {"at": "2024-01-20T10:00:00", "kind": "resolved"}
            ]),
            true,
            None,
        ),
        // At the counter on 08/01, never resolved: overdue at the quarter's end. Rated 2.
        d("HS3", "P1", json!([{"at": "2024-01-08T08:00:00", "kind": "received", "channel": "direct"}]), false, Some(2)),
        // At the counter, fee paid in cash, resolved the next day. Rated 4.
        d(
            "HS4",
            "P3",
            json!([
                {"at": "2024-01-10T08:00:00", "kind": "received", "channel": "direct"},
                {"at": "2024-01-10T08:30:00", "kind": "fee-requested"},
                {"at": "2024-01-10T09:00:00", "kind": "fee-paid", "online": false},
                {"at": "2024-01-11T10:00:00", "kind": "resolved"}
            ]),
            false,
            Some(4),
        ),
        // Online on Friday 29/03, still within time on 31/03. Digitised, rated 5.
        d("HS5", "P1", json!([{"at": "2024-03-29T08:00:00", "kind": "received", "channel": "online"}]), true, Some(5)),
    ]
}

fn quarter() -> DateRange {
    DateRange { from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), to: NaiveDate::from_ymd_opt(2024, 3, 31).unwrap() }
}

fn evidence() -> Evidence {
    let cal = WorkCalendar::vietnam();
    let procs: HashMap<String, Procedure> = procedures().into_iter().map(|p| (p.code.clone(), p)).collect();
    let (start, end) = window_secs(quarter());
    let mut e = Evidence::default();
    for d in ledger() {
        let f = Facts::derive(&d, &procs[&d.procedure], &cal).expect("facts");
        e.add(&f, &f.procedure, start, end);
    }
    e
}

fn scored(entered: &Entered) -> Scores {
    let procs = procedures();
    let refs: Vec<&Procedure> = procs.iter().collect();
    score(&evidence(), &refs, Scope::Local, entered)
}

fn points(s: &Scores, part: Part) -> Option<Decimal> {
    s.part(part).and_then(|p| p.points)
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn transparency_is_not_in_the_ledger_and_takes_what_the_office_enters() {
    let s = scored(&Entered::default());
    for part in Group::Transparency.parts() {
        assert_eq!(points(&s, part), None, "{}", part.name_vi());
        assert_eq!(s.part(part).unwrap().basis, Basis::Unknown);
    }
    assert_eq!(s.group(Group::Transparency), None, "không tính được, never 0");
    // Two parts entered: the group stays unknown, its known part is counted out of its maximum.
    let entered = Entered {
        parts: [("published_on_time".to_string(), dec("6")), ("synchronised".to_string(), dec("4.5"))].into(),
        ..Entered::default()
    };
    let s = scored(&entered);
    assert_eq!(s.group(Group::Transparency), None);
    assert_eq!(s.group_known(Group::Transparency), (dec("10.5"), 12));
    // The group entered as a whole (`--transparency`).
    let whole = Entered { groups: [("transparency".to_string(), dec("16"))].into(), ..Entered::default() };
    assert_eq!(scored(&whole).group(Group::Transparency), Some(dec("16")));
}

#[test]
fn progress_counts_early_on_time_and_within_time_of_the_dossiers_handled() {
    let s = scored(&Entered::default());
    // Handled: HS1 early, HS2 late, HS3 overdue, HS4 early, HS5 within time: 3 of 5.
    assert_eq!(s.part(Part::InTime).unwrap().basis, Basis::Share { num: 3, den: 5 });
    // 20 × 3 / 5 = 12.
    assert_eq!(s.group(Group::Progress), Some(dec("12")));
    let e = evidence();
    assert_eq!(e.late, vec!["HS2".to_string(), "HS3".to_string()], "the dossiers that cost points");
}

#[test]
fn online_service_scores_the_procedures_offered_those_used_and_the_dossiers_online() {
    let s = scored(&Entered::default());
    // P1, P3, P4 of the 4 procedures are online: 4 × 3/4 = 3.
    assert_eq!(points(&s, Part::ProceduresOnline), Some(dec("3")));
    // Of those three, only P1 received a dossier online: 4 × 1/3 = 1,333… → 1,33.
    assert_eq!(points(&s, Part::OnlineServicesUsed), Some(dec("1.33")));
    // HS1 and HS5 of 5 new dossiers: 4 × 2/5 = 1,6.
    assert_eq!(points(&s, Part::DossiersOnline), Some(dec("1.6")));
    assert_eq!(s.group(Group::OnlineService), Some(dec("5.93")));
}

#[test]
fn online_payment_scores_the_payable_procedures_and_the_payments_online() {
    let s = scored(&Entered::default());
    // Paid for: P1 (online) and P3 (cash): 5 × 1/2 = 2,5; payments: 1 of 2 online: 2,5.
    assert_eq!(points(&s, Part::ProceduresPaidOnline), Some(dec("2.5")));
    assert_eq!(points(&s, Part::PaymentsOnline), Some(dec("2.5")));
    assert_eq!(s.group(Group::OnlinePayment), Some(dec("5")));
}

#[test]
fn digitisation_knows_only_the_digitised_dossiers_and_gives_communes_the_province_parts() {
    let s = scored(&Entered::default());
    // HS1, HS2, HS5 of 5: 4 × 3/5 = 2,4.
    assert_eq!(points(&s, Part::DocumentsDigitised), Some(dec("2.4")));
    assert_eq!(points(&s, Part::CitizenDataProvided), Some(dec("2")), "a commune gets the province-only parts in full");
    assert_eq!(s.part(Part::CitizenDataUsed).unwrap().basis, Basis::NotApplicable);
    assert_eq!(points(&s, Part::ResultsElectronic), None);
    assert_eq!(s.group(Group::Digitisation), None);
    assert_eq!(s.group_known(Group::Digitisation), (dec("6.4"), 8));
    // A province does not get them for free.
    let procs = procedures();
    let refs: Vec<&Procedure> = procs.iter().collect();
    let province = score(&evidence(), &refs, Scope::Province, &Entered::default());
    assert_eq!(points(&province, Part::CitizenDataProvided), None);
}

#[test]
fn satisfaction_is_full_at_90_percent_and_feedback_needs_its_records() {
    let s = scored(&Entered::default());
    // Rated: HS1 5, HS3 2, HS4 4, HS5 5: 3 of 4 satisfied = 75%, full at 90%: 6 × 75/90 = 5.
    assert_eq!(s.part(Part::DossierSatisfaction).unwrap().basis, Basis::Share { num: 3, den: 4 });
    assert_eq!(points(&s, Part::DossierSatisfaction), Some(dec("5")));
    assert_eq!(evidence().dissatisfied, vec!["HS3".to_string()]);
    // Feedback (PAKN) is not in the ledger: unknown until entered.
    assert_eq!(points(&s, Part::FeedbackOnTime), None);
    let entered = Entered {
        parts: [("feedback_on_time".to_string(), dec("6")), ("feedback_satisfaction".to_string(), dec("5.5"))].into(),
        ..Entered::default()
    };
    assert_eq!(scored(&entered).group(Group::Satisfaction), Some(dec("16.5")));
}

#[test]
fn satisfaction_with_feedback_is_the_survey_answers_on_its_factor_and_full_without_feedback() {
    let procs = procedures();
    let refs: Vec<&Procedure> = procs.iter().collect();
    let with = |handled: Option<u64>, answers: Option<(u64, u64)>, entered: &Entered| {
        let e = Evidence { feedback_handled: handled, feedback_satisfaction: answers, ..evidence() };
        score(&e, &refs, Scope::Local, entered)
    };
    let none = Entered::default();
    // Feedback handled, two answers scored the factor, one 4 or 5: 6 × 1/2 = 3.
    let half = with(Some(3), Some((1, 2)), &none);
    assert_eq!(half.part(Part::FeedbackSatisfaction).unwrap().basis, Basis::Share { num: 1, den: 2 });
    assert_eq!(points(&half, Part::FeedbackSatisfaction), Some(dec("3")));
    // No feedback in the window: full, as published, whatever the answers.
    assert_eq!(points(&with(Some(0), Some((0, 0)), &none), Part::FeedbackSatisfaction), Some(dec("6")));
    assert_eq!(points(&with(Some(0), Some((0, 2)), &none), Part::FeedbackSatisfaction), Some(dec("6")));
    // Feedback but no answer on the factor, or nothing read: unknown, never 0.
    assert_eq!(points(&with(Some(3), Some((0, 0)), &none), Part::FeedbackSatisfaction), None);
    assert_eq!(points(&with(None, None, &none), Part::FeedbackSatisfaction), None);
    // Points entered by the office take precedence.
    let entered = Entered { parts: [("feedback_satisfaction".to_string(), dec("5.5"))].into(), ..Entered::default() };
    assert_eq!(points(&with(Some(3), Some((1, 2)), &entered), Part::FeedbackSatisfaction), Some(dec("5.5")));
}

#[test]
fn the_total_counts_what_is_known_out_of_its_maximum() {
    let s = scored(&Entered::default());
    // Known: progress 12/20, online service 5,93/12, payment 5/10, digitisation 6,4/8,
    // satisfaction 5/6; transparency nothing.
    assert_eq!(s.total(), (dec("34.33"), 56));
    assert_eq!(s.complete_total(), None);
}
