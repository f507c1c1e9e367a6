//! The contract of the unit handling a dossier now (migration 0025, issue 15 item 1): a transfer
//! (chuyển liên thông) puts the dossier on the list and the work lists of the unit it went to,
//! keeps it on the receiving unit's, and on no other unit's, whichever write stored it.

use cchc_dossiers::facts::Facts;
use cchc_dossiers::generate::{Config, generate};
use cchc_dossiers::lifecycle::Status;
use cchc_dossiers::{Dossier, Event, EventKind};
use chrono::NaiveDate;

use crate::{DossierQuery, DossierRow, ImportBatch, Store};

/// Every check of the handling unit on the list (one entry of the suite).
pub async fn a_transfer_moves_the_dossier_onto_the_handling_units_list(s: &dyn Store) {
    super::known_units(s).await;
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let procedures = cchc_dossiers::import::default_procedures();
    s.put_procedures(&procedures).await.unwrap();
    let by_code: std::collections::HashMap<_, _> = procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
    let facts = |d: &Dossier| Facts::derive(d, &by_code[&d.procedure], &cal).unwrap();
    let config =
        Config { units: vec![("X1".into(), cchc_units::Level::Xa)], procedures: procedures.clone(), year: 2026, dossiers: 8, seed: 25 };
    // All open at the receipt, their clock running (on the work lists).
    let mut ds: Vec<Dossier> = generate(&config, &cal).collect();
    for d in &mut ds {
        d.events.truncate(1);
    }
    let transfer = |d: &Dossier, to: &str| {
        let mut t = d.clone();
        let at = t.events.last().unwrap().at + chrono::Duration::hours(1);
        t.events.push(Event::new(at, EventKind::Transferred { to_unit: to.into() }));
        t.handler = None;
        t
    };
    let (start, end) = (
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
        NaiveDate::from_ymd_opt(2100, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
    );
    let list = |unit: &str| DossierQuery::new(vec![unit.to_string()], start, end, 100);
    // A work list: open dossiers by appointment, whatever the receipt moment.
    let work = |unit: &str| DossierQuery {
        states: vec![Status::InProgress.slug().to_string()],
        due_before: Some(end),
        by_due: true,
        ..list(unit)
    };
    let ids = |q: DossierQuery| async move {
        let (n, page) = s.search_dossiers(&q).await.unwrap();
        let mut ids: Vec<String> = page.into_iter().map(|d| d.id).collect();
        ids.sort();
        assert_eq!(n as usize, ids.len(), "the count agrees with the page");
        ids
    };

    // Bulk write (put_dossiers): ds[0] transferred to X2.
    let mut stored = ds.clone();
    stored[0] = transfer(&ds[0], "X2");
    stored[0].applicant = Some(cchc_dossiers::Applicant {
        kind: Default::default(),
        name: "Lê Văn Liên".into(),
        id_number: Some("001203009876".into()),
        phone: None,
        address: None,
        email: None,
    });
    let fs: Vec<Facts> = stored.iter().map(facts).collect();
    s.put_dossiers(&stored, &fs).await.unwrap();
    let mut all_x1: Vec<String> = ds.iter().map(|d| d.id.clone()).collect();
    all_x1.sort();
    assert_eq!(ids(list("X2")).await, vec![ds[0].id.clone()], "the unit it went to lists it");
    assert_eq!(ids(work("X2")).await, vec![ds[0].id.clone()], "and has it on its work list");
    assert_eq!(ids(list("X1")).await, all_x1, "the receiving unit still lists it");
    assert_eq!(ids(work("X1")).await, all_x1);
    assert!(ids(list("X3")).await.is_empty() && ids(work("X3")).await.is_empty(), "no other unit sees it");
    // Both units at once: once each.
    assert_eq!(ids(DossierQuery { units: vec!["X1".into(), "X2".into()], ..list("X1") }).await, all_x1);
    // The text search finds it for the unit it went to.
    assert_eq!(ids(DossierQuery { text: ds[0].id.to_lowercase(), ..list("X2") }).await, vec![ds[0].id.clone()]);
    // The applicant's words are searched (`personal`) only where the dossier is handled now: the
    // receiving unit, which sees the applicant masked once it transferred the dossier, finds it
    // by its code and not by whose it is.
    let personal = |unit: &str, text: &str| DossierQuery { text: text.into(), personal: true, ..list(unit) };
    assert_eq!(ids(personal("X2", "le van lien")).await, vec![ds[0].id.clone()]);
    assert_eq!(ids(personal("X2", "9876")).await, vec![ds[0].id.clone()]);
    assert!(ids(personal("X1", "le van lien")).await.is_empty(), "not by the applicant's name");
    assert!(ids(personal("X1", "9876")).await.is_empty(), "nor ID number");
    assert_eq!(ids(personal("X1", &ds[0].id.to_uppercase())).await, vec![ds[0].id.clone()], "by its code");
    // Codes and matched procedures together (the placeholders in the text's order on SQLite).
    let by_procedure = DossierQuery { text_procedures: vec![ds[0].procedure.clone()], ..personal("X2", "khong co dau") };
    assert_eq!(ids(by_procedure.clone()).await, vec![ds[0].id.clone()]);
    assert_eq!(ids(DossierQuery { personal: false, ..by_procedure }).await, vec![ds[0].id.clone()]);

    // The counter: an update that adds a transfer moves it, version checked as ever.
    let (d1, v1) = s.dossier_with_version(&ds[1].id).await.unwrap().unwrap();
    let moved = transfer(&d1, "X2");
    let v2 = s.update_dossier(&moved, &facts(&moved), v1, "canbo").await.unwrap();
    let mut x2 = vec![ds[0].id.clone(), ds[1].id.clone()];
    x2.sort();
    assert_eq!(ids(list("X2")).await, x2);
    assert_eq!(ids(work("X2")).await, x2);
    // Transferred on again, X2 to X3: X2 no longer has it, X3 has, X1 still lists it.
    let again = transfer(&moved, "X3");
    s.update_dossier(&again, &facts(&again), v2, "canbo").await.unwrap();
    assert_eq!(ids(list("X2")).await, vec![ds[0].id.clone()]);
    assert_eq!(ids(list("X3")).await, vec![ds[1].id.clone()]);
    assert_eq!(ids(work("X3")).await, vec![ds[1].id.clone()]);
    assert_eq!(ids(list("X1")).await, all_x1);

    // A dossier received at the counter and inserted, then transferred.
    let mut fresh = ds[2].clone();
    fresh.id = "X1-261231-9001".into();
    s.insert_dossier(&transfer(&fresh, "X3"), &facts(&transfer(&fresh, "X3")), "canbo").await.unwrap();
    assert_eq!(ids(list("X3")).await, vec![ds[1].id.clone(), fresh.id.clone()]);

    // A streamed import: the rows carry their handling unit; a re-import without the transfer
    // gives the dossier back to its receiving unit alone.
    let imported = transfer(&ds[3], "X2");
    let import = |rows: Vec<DossierRow>| async move {
        let (send, receive) = tokio::sync::mpsc::channel(2);
        send.try_send(ImportBatch::Rows(rows)).unwrap();
        send.try_send(ImportBatch::Commit).unwrap();
        drop(send);
        s.import_dossiers(receive).await.unwrap()
    };
    import(vec![DossierRow::new(&imported, facts(&imported)).unwrap()]).await;
    assert!(ids(list("X2")).await.contains(&ds[3].id));
    import(vec![DossierRow::new(&ds[3], facts(&ds[3])).unwrap()]).await;
    assert!(!ids(list("X2")).await.contains(&ds[3].id));
    assert!(ids(list("X1")).await.contains(&ds[3].id));
}
