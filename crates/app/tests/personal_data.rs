//! The applicant as personal data (issue 15 item 1, Decree 13/2023/NĐ-CP): given at the counter,
//! shown in full only to the handling unit's officers (every such view audited), masked for the
//! units above and for the unit that transferred the dossier away; handlers assigned and
//! reassigned; every event names its actor; and the public lookup (item 4) that answers an
//! unknown code and wrong digits alike.

use cchc_app::counter::{Receipt, assign_handler, receive_dossier, record_event};
use cchc_app::lookup::{LookupError, lookup};
use cchc_dossiers::{Applicant, ApplicantKind, Channel, Event, EventKind};
use cchc_storage::{AuditFilter, Store};

fn applicant() -> Applicant {
    Applicant {
        kind: ApplicantKind::Person,
        name: "  Nguyễn   Văn An ".into(),
        id_number: Some("001203004567".into()),
        phone: Some("0912 345 678".into()),
        address: Some("Số 12 ngõ 3, xã Sơn Hà, tỉnh Mẫu".into()),
        email: Some("an.nguyen@example.vn".into()),
    }
}

async fn personal_views(store: &dyn Store, id: &str) -> Vec<String> {
    let all = store.audit(&AuditFilter::default()).await.unwrap();
    all.into_iter().filter(|e| e.action == cchc_app::ledger::PERSONAL_VIEW && e.item.as_deref() == Some(id)).map(|e| e.by).collect()
}

#[tokio::test]
async fn the_applicant_is_full_for_the_handling_unit_audited_and_masked_for_everyone_else() {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 0).await.expect("demo seed");
    let app = cchc_app::App::with(store.clone(), catalogue, cchc_calendar::WorkCalendar::vietnam());
    let user = |name: &'static str| {
        let store = store.clone();
        async move { store.user(name).await.unwrap().expect(name) }
    };
    // The province's compiler and leader are the units above the communes (the demo's district
    // was dissolved in 2025).
    let (sonha, lacgiang, province, leader, admin) =
        (user("sonha").await, user("lacgiang").await, user("tonghop").await, user("lanhdao").await, user("quantri").await);
    let procedures = cchc_app::dossiers::procedures(store.as_ref()).await.unwrap();
    let mut codes: Vec<&String> = procedures.iter().filter(|(_, p)| p.level == cchc_units::Level::Xa).map(|(c, _)| c).collect();
    codes.sort();
    let at = cchc_storage::now() - chrono::Duration::hours(2);
    let receipt = Receipt {
        unit: "99101N".into(),
        procedure: codes[0].clone(),
        channel: Channel::Direct,
        at,
        applicant: Some(applicant()),
        documents: None,
    };

    // A wrong ID number is refused by the field's name, nothing written.
    let bad = Receipt { applicant: Some(Applicant { id_number: Some("00120300456".into()), ..applicant() }), ..receipt.clone() };
    let refused = receive_dossier(&app, &sonha, &bad).await.unwrap_err();
    assert!(format!("{refused:?}").contains("Số định danh cá nhân (CCCD)"), "{refused:?}");

    let stored = receive_dossier(&app, &sonha, &receipt).await.unwrap();
    let id = stored.dossier.id.clone();
    assert_eq!(stored.dossier.applicant.as_ref().map(|a| a.name.as_str()), Some("Nguyễn Văn An"), "names are trimmed");
    assert_eq!(stored.dossier.events[0].by.as_deref(), Some("sonha"), "the receipt names its actor");

    // The handling unit's officer sees it in full, and that view is audited.
    let (full, version) = cchc_app::ledger::dossier(&app, &sonha, &id).await.unwrap();
    assert_eq!(full.applicant.as_ref().unwrap().phone.as_deref(), Some("0912 345 678"));
    assert_eq!(personal_views(store.as_ref(), &id).await, ["sonha"]);

    // The units above (compilers, the leader) and the administrator see it masked, unaudited.
    for reader in [&province, &leader, &admin] {
        let (d, _) = cchc_app::ledger::dossier(&app, reader, &id).await.unwrap_or_else(|e| panic!("{}: {e}", reader.username));
        let a = d.applicant.unwrap();
        assert_eq!(a.name, "Nguyễn V*** A***", "{}", reader.username);
        assert_eq!(a.id_number.as_deref(), Some("********4567"));
        assert_eq!(a.phone.as_deref(), Some("*********678"));
        assert_eq!(a.address.as_deref(), Some("***, tỉnh Mẫu"));
    }
    // Exports too.
    let listed = cchc_app::ledger::subtree_dossiers(&app, &province, "99101N").await.unwrap();
    assert_eq!(listed.iter().find(|d| d.id == id).and_then(|d| d.applicant.clone()).unwrap().name, "Nguyễn V*** A***");
    assert_eq!(personal_views(store.as_ref(), &id).await, ["sonha"], "masked views are not audited");
    // Another commune's officer does not even know it exists.
    assert!(matches!(cchc_app::ledger::dossier(&app, &lacgiang, &id).await, Err(cchc_app::Error::NotFound(_))));

    // Assigned to an officer of the handling unit only; reassigning names the new handler.
    let wrong = assign_handler(&app, &sonha, &id, version, "lacgiang").await.unwrap_err();
    assert!(wrong.to_string().contains("không phải cán bộ"), "{wrong}");
    let assigned = assign_handler(&app, &sonha, &id, version, "sonha").await.unwrap();
    assert_eq!(assigned.dossier.handler.as_deref(), Some("sonha"));
    assert_eq!(assigned.dossier.assignments.last().map(|a| (a.by.as_str(), a.handler.as_str())), Some(("sonha", "sonha")));
    assert!(matches!(assign_handler(&app, &leader, &id, assigned.version, "sonha").await, Err(cchc_app::Error::Forbidden(_))));
    let audit = store.audit(&AuditFilter::default()).await.unwrap();
    let row = audit.iter().find(|e| e.action == cchc_app::counter::ASSIGNED).expect("the assignment audited");
    assert_eq!((row.item.as_deref(), row.old_value.as_deref(), row.new_value.as_deref()), (Some(id.as_str()), None, Some("sonha")));

    // A transfer (liên thông) to Lạc Giang moves the responsibility: its officer sees the
    // applicant in full (audited), Sơn Hà sees it masked now, and the handler is cleared.
    let transfer = Event::new(at + chrono::Duration::minutes(30), EventKind::Transferred { to_unit: "99201N".into() });
    let to_nowhere = Event::new(transfer.at, EventKind::Transferred { to_unit: "KHONG-CO".into() });
    assert!(record_event(&app, &sonha, &id, assigned.version, to_nowhere).await.is_err());
    let moved = record_event(&app, &sonha, &id, assigned.version, transfer).await.unwrap();
    assert_eq!((moved.dossier.handling_unit(), moved.dossier.handler.as_deref()), ("99201N", None));
    assert_eq!(moved.dossier.events.last().unwrap().by.as_deref(), Some("sonha"), "each event names its actor");
    let (theirs, version) = cchc_app::ledger::dossier(&app, &lacgiang, &id).await.unwrap();
    assert_eq!(theirs.applicant.unwrap().name, "Nguyễn Văn An");
    let (ours, _) = cchc_app::ledger::dossier(&app, &sonha, &id).await.unwrap();
    assert_eq!(ours.applicant.unwrap().name, "Nguyễn V*** A***");
    assert_eq!(personal_views(store.as_ref(), &id).await.len(), 2);
    let taken = assign_handler(&app, &lacgiang, &id, version, "lacgiang").await.unwrap();
    assert_eq!(taken.dossier.handler.as_deref(), Some("lacgiang"));

    // The public lookup: the last 4 digits of the phone or the ID number; anything else, and an
    // unknown code, get the same answer.
    let found = lookup(&app, &id, "5678").await.unwrap();
    assert_eq!((found.status.as_str(), found.returned), ("Đang xử lý", None));
    assert!(found.unit.contains("Sơn Hà"), "{}", found.unit);
    assert_eq!(lookup(&app, &format!(" {id} "), "4567").await.unwrap(), found);
    let wrong = lookup(&app, &id, "1234").await.unwrap_err();
    let unknown = lookup(&app, "99101N-000000-0001", "5678").await.unwrap_err();
    assert_eq!((&wrong, wrong.message()), (&LookupError::NotFound, unknown.message()));
    assert!(matches!(lookup(&app, &id, "56a8").await, Err(LookupError::Invalid(_))));
}
