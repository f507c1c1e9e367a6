//! The contract of [`crate::GenerationStore`] (migration 0027, issue 17 item 2): every write that
//! can change a unit's statistics bumps that unit's generation in its own transaction, every
//! write of what all units' statistics read bumps [`crate::generations::ALL`], and nothing else
//! moves them.

use cchc_dossiers::facts::Facts;
use cchc_dossiers::{Channel, Dossier, Event, EventKind, OnlineClass, Procedure, ProcessingTime};
use chrono::NaiveDate;

use crate::{DossierRow, Generations, ImportBatch, Store};

fn at(day: u32, h: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, day).unwrap().and_hms_opt(h, 0, 0).unwrap()
}

/// Procedure "P" of the communes' civil status, resolved in `days` working days.
pub(super) fn procedure(days: u32) -> Procedure {
    Procedure {
        code: "P".into(),
        name: "Thủ tục".into(),
        field: "ho-tich".into(),
        level: cchc_units::Level::Xa,
        time: ProcessingTime::WorkingDays(days),
        online: OnlineClass::None,
        fee: None,
    }
}

/// Dossier `id` of `unit` for procedure "P", received on `day` March 2026 at 9:00, open.
pub(super) fn dossier(id: &str, unit: &str, day: u32) -> Dossier {
    Dossier {
        id: id.into(),
        unit: unit.into(),
        procedure: "P".into(),
        events: vec![Event { at: at(day, 9), kind: EventKind::Received { channel: Channel::Direct }, by: None, note: None }],
        digitised: false,
        rating: None,
        applicant: None,
        handler: None,
        assignments: Vec::new(),
    }
}

fn facts(d: &Dossier, p: &Procedure) -> Facts {
    Facts::derive(d, p, &cchc_calendar::WorkCalendar::vietnam()).unwrap()
}

/// What moved between two readings: `[X1, X2, X3, *]`, each true when it grew.
fn moved(before: &Generations, after: &Generations) -> [bool; 4] {
    assert!(after.all >= before.all && after.units.iter().zip(&before.units).all(|(a, b)| a >= b), "generations only grow");
    [after.units[0] > before.units[0], after.units[1] > before.units[1], after.units[2] > before.units[2], after.all > before.all]
}

/// Every check of [`crate::GenerationStore`] (one entry of the suite).
pub async fn generations_contract(s: &dyn Store) {
    let units: Vec<String> = ["X1", "X2", "X3"].map(String::from).to_vec();
    let now = || async { s.generations(&units).await.unwrap() };
    // A unit never written is at 0; asking for no unit still reads '*'.
    assert_eq!(s.generations(&["KHONG-CO".into()]).await.unwrap().units, vec![0]);
    assert_eq!(s.generations(&[]).await.unwrap().units, Vec::<i64>::new());

    // The unit tree: '*'.
    let before = now().await;
    super::known_units(s).await;
    assert_eq!(moved(&before, &now().await), [false, false, false, true], "units");

    // The procedures: '*'.
    let p = procedure(3);
    let before = now().await;
    s.put_procedures(std::slice::from_ref(&p)).await.unwrap();
    assert_eq!(moved(&before, &now().await), [false, false, false, true], "procedures");

    // The calendar's years: '*'.
    let before = now().await;
    let year = cchc_calendar::YearSchedule { year: 2026, ..Default::default() };
    s.put_calendar_year(&year, "quantri").await.unwrap();
    assert_eq!(moved(&before, &now().await), [false, false, false, true], "calendar");

    // An import into X1: X1 only.
    let imported = dossier("D1", "X1", 2);
    let before = now().await;
    let (send, batches) = tokio::sync::mpsc::channel(2);
    send.try_send(ImportBatch::Rows(vec![DossierRow::new(&imported, facts(&imported, &p)).unwrap()])).unwrap();
    send.try_send(ImportBatch::Commit).unwrap();
    assert_eq!(s.import_dossiers(batches).await.unwrap(), Some(1));
    assert_eq!(moved(&before, &now().await), [true, false, false, false], "import");

    // The generator's and the tests' put: X2 only.
    let put = dossier("D2", "X2", 2);
    let before = now().await;
    s.put_dossiers(std::slice::from_ref(&put), &[facts(&put, &p)]).await.unwrap();
    assert_eq!(moved(&before, &now().await), [false, true, false, false], "put_dossiers");

    // A receipt at the counter in X3: X3 only.
    let before = now().await;
    let new = dossier("", "X3", 3);
    let stored = s.receive_dossier("X3-260303", &new, &facts(&new, &p), "quay").await.unwrap();
    assert_eq!(moved(&before, &now().await), [false, false, true, false], "receipt");

    // An event at the counter: its unit only.
    let before = now().await;
    let mut resolved = stored.clone();
    resolved.events.push(Event { at: at(4, 10), kind: EventKind::Resolved, by: None, note: None });
    assert_eq!(s.update_dossier(&resolved, &facts(&resolved, &p), 1, "quay").await.unwrap(), 2);
    assert_eq!(moved(&before, &now().await), [false, false, true, false], "event");

    // A refused write moves nothing.
    let before = now().await;
    assert!(s.update_dossier(&resolved, &facts(&resolved, &p), 1, "quay").await.is_err());
    assert_eq!(moved(&before, &now().await), [false, false, false, false], "refused event");

    // A re-derivation (a procedure's new processing time): the units of the facts replaced.
    let quicker = procedure(1);
    let before = now().await;
    assert_eq!(s.replace_facts(&[facts(&imported, &quicker), facts(&resolved, &quicker)]).await.unwrap(), 2);
    assert_eq!(moved(&before, &now().await), [true, false, true, false], "replace_facts");

    // A survey answer about a dossier of X2: X2 only.
    // Read from its JSON, which every version of the answer reads (later fields have defaults).
    let q = cchc_records::survey::Questionnaire::sipas();
    let scores: serde_json::Map<String, serde_json::Value> = q.questions.iter().map(|q| (q.key.clone(), 2.into())).collect();
    let answer: cchc_records::survey::Answer = serde_json::from_value(serde_json::json!({
        "receipt": "D2", "unit": "X2", "procedure": "P", "received_on": "2026-03-02",
        "answered_at": "2026-03-05T09:00:00", "scores": scores, "comment": "",
    }))
    .unwrap();
    let before = now().await;
    assert!(s.insert_survey_answer(&answer, "").await.unwrap());
    assert_eq!(moved(&before, &now().await), [false, true, false, false], "survey answer");
    // The same receipt answered again stores nothing and moves nothing.
    let before = now().await;
    assert!(!s.insert_survey_answer(&answer, "").await.unwrap());
    assert_eq!(moved(&before, &now().await), [false, false, false, false], "second answer");

    // What the statistics do not read moves nothing: a setting.
    let before = now().await;
    s.put_setting(crate::setting::DUE_SOON_HOURS, "16", "quantri").await.unwrap();
    assert_eq!(moved(&before, &now().await), [false, false, false, false], "setting");
}
