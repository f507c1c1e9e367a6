//! The dossier list's use case (issue 15 item 3): the applicant's name and ID number are searched
//! only by the unit's own officers (a search by anyone else cannot tell whose dossier it is); a
//! receipt lands on the work lists as its appointment says; dates in the wrong order are refused.

use cchc_app::counter::{Receipt, receive_dossier, record_event};
use cchc_app::worklist::{ListRequest, WorkList, list};
use cchc_dossiers::{Applicant, ApplicantKind, Channel, Event, EventKind};

fn request(unit: &str, text: &str) -> ListRequest {
    ListRequest {
        unit: unit.into(),
        period: format!("{}-Y", cchc_storage::now().format("%Y")).parse().unwrap(),
        text: text.into(),
        status: None,
        channel: None,
        field: None,
        from: None,
        to: None,
        list: None,
        page: 1,
    }
}

#[tokio::test]
async fn the_applicant_is_searched_by_the_units_officers_only_and_a_receipt_is_on_the_work_lists() {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 0).await.expect("demo seed");
    let app = cchc_app::App::with(store.clone(), catalogue, cchc_calendar::WorkCalendar::vietnam());
    let sonha = store.user("sonha").await.unwrap().unwrap();
    let province = store.user("tonghop").await.unwrap().unwrap();
    let procedures = cchc_app::dossiers::procedures(store.as_ref()).await.unwrap();
    let birth = procedures.values().find(|p| p.name == "Đăng ký khai sinh").unwrap().code.clone();
    let applicant = Applicant {
        kind: ApplicantKind::Person,
        name: "Trần Thị Đào".into(),
        id_number: Some("001203004567".into()),
        phone: Some("0912345678".into()),
        address: None,
        email: None,
    };
    // Received three working days ago for a one-day procedure: overdue now.
    let cal = app.calendar();
    let mut day = cchc_storage::now().date();
    for _ in 0..4 {
        day = day.pred_opt().unwrap();
        while !cal.is_working_day(day) {
            day = day.pred_opt().unwrap();
        }
    }
    let at = day.and_hms_opt(9, 0, 0).unwrap();
    let receipt =
        Receipt { unit: "99101N".into(), procedure: birth, channel: Channel::Online, at, applicant: Some(applicant), documents: None };
    let stored = receive_dossier(&app, &sonha, &receipt).await.unwrap();
    let id = stored.dossier.id.clone();

    let found = |v: &cchc_app::worklist::ListView| v.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    let own = list(&app, &sonha, &request("99101N", "tran thi dao")).await.unwrap();
    assert_eq!(found(&own), std::slice::from_ref(&id), "the unit's officer finds it by the applicant's name");
    assert_eq!(found(&list(&app, &sonha, &request("99101N", "4567")).await.unwrap()), std::slice::from_ref(&id));
    let above = list(&app, &province, &request("99", "tran thi dao")).await.unwrap();
    assert_eq!(above.total, 0, "the province does not search personal data");
    // Everyone finds it by the procedure's name or field, without diacritics.
    for text in ["khai sinh", "HỘ TỊCH"] {
        assert!(found(&list(&app, &province, &request("99", text)).await.unwrap()).contains(&id), "{text}");
    }
    let row = own.rows.iter().find(|r| r.id == id).unwrap();
    assert_eq!((row.field.as_str(), row.channel, row.urgency), ("Hộ tịch", "Trực tuyến", Some(WorkList::Overdue)));
    let count = |v: &cchc_app::worklist::ListView, l: WorkList| v.counts.iter().find(|(x, _)| *x == l).unwrap().1;
    assert_eq!(count(&own, WorkList::Overdue), 1);
    let overdue = list(&app, &sonha, &ListRequest { list: Some(WorkList::Overdue), ..request("99101N", "") }).await.unwrap();
    assert_eq!(found(&overdue), std::slice::from_ref(&id));

    // Asked for a supplement: off the overdue list, on "chờ bổ sung".
    let event =
        Event { at: cchc_storage::now() - chrono::Duration::minutes(1), kind: EventKind::SupplementRequested, by: None, note: None };
    record_event(&app, &sonha, &id, stored.version, event).await.unwrap();
    let after = list(&app, &sonha, &request("99101N", "")).await.unwrap();
    assert_eq!((count(&after, WorkList::Overdue), count(&after, WorkList::AwaitingSupplement)), (0, 1));

    // Dates in the wrong order are refused in Vietnamese.
    let wrong = ListRequest {
        from: chrono::NaiveDate::from_ymd_opt(2026, 5, 2),
        to: chrono::NaiveDate::from_ymd_opt(2026, 5, 1),
        ..request("99101N", "")
    };
    let e = list(&app, &sonha, &wrong).await.unwrap_err();
    assert!(e.to_string().contains("02/05/2026 sau 01/05/2026"), "{e}");
}

/// Issue 15 item 1: a transfer (chuyển liên thông) moves the responsibility. The unit it went to
/// has the dossier on its list and its work lists (it handles it now, applicant in full); the
/// receiving unit keeps it on its own (it received it and returns the result at its counter; the
/// applicant masked once transferred); a third commune never sees it, and the province counts it
/// once.
#[tokio::test]
async fn a_transferred_dossier_is_on_the_lists_of_the_unit_it_went_to_and_of_the_receiving_unit_only() {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 0).await.expect("demo seed");
    let app = cchc_app::App::with(store.clone(), catalogue, cchc_calendar::WorkCalendar::vietnam());
    let sonha = store.user("sonha").await.unwrap().unwrap();
    let lacgiang = store.user("lacgiang").await.unwrap().unwrap();
    let province = store.user("tonghop").await.unwrap().unwrap();
    let third = cchc_storage::User {
        username: "xa3".into(),
        full_name: "Cán bộ xã thứ ba".into(),
        role: cchc_storage::Role::UnitOfficer,
        unit_code: "99103N".into(),
        password_hash: "x".into(),
        active: true,
    };
    store.upsert_user(&third).await.unwrap();
    let procedures = cchc_app::dossiers::procedures(store.as_ref()).await.unwrap();
    let birth = procedures.values().find(|p| p.name == "Đăng ký khai sinh").unwrap().code.clone();
    let applicant = Applicant {
        kind: ApplicantKind::Person,
        name: "Lê Văn Liên".into(),
        id_number: Some("001203009876".into()),
        phone: None,
        address: None,
        email: None,
    };
    // Received four working days ago for a one-day procedure: overdue now.
    let cal = app.calendar();
    let mut day = cchc_storage::now().date();
    for _ in 0..4 {
        day = day.pred_opt().unwrap();
        while !cal.is_working_day(day) {
            day = day.pred_opt().unwrap();
        }
    }
    let receipt = Receipt {
        unit: "99101N".into(),
        procedure: birth,
        channel: Channel::Direct,
        at: day.and_hms_opt(9, 0, 0).unwrap(),
        applicant: Some(applicant),
        documents: None,
    };
    let stored = receive_dossier(&app, &sonha, &receipt).await.unwrap();
    let id = stored.dossier.id.clone();
    let transfer =
        Event { at: day.and_hms_opt(10, 0, 0).unwrap(), kind: EventKind::Transferred { to_unit: "99201N".into() }, by: None, note: None };
    record_event(&app, &sonha, &id, stored.version, transfer).await.unwrap();

    let found = |v: &cchc_app::worklist::ListView| v.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    let count = |v: &cchc_app::worklist::ListView, l: WorkList| v.counts.iter().find(|(x, _)| *x == l).unwrap().1;
    let overdue = |unit: &str| ListRequest { list: Some(WorkList::Overdue), ..request(unit, "") };
    // The unit it went to: on its list, its overdue list and its count, the applicant in full.
    let theirs = list(&app, &lacgiang, &request("99201N", "")).await.unwrap();
    assert!(found(&theirs).contains(&id), "the unit handling it lists it");
    let row = theirs.rows.iter().find(|r| r.id == id).unwrap();
    assert_eq!(row.applicant, "Lê Văn Liên", "its handler's unit sees the applicant");
    assert_eq!((row.handled_by.as_deref(), row.unit_shown().as_str()), (Some("Xã Lạc Giang"), "Xã Sơn Hà → Xã Lạc Giang"));
    assert!(found(&list(&app, &lacgiang, &overdue("99201N")).await.unwrap()).contains(&id));
    assert!(count(&theirs, WorkList::Overdue) >= 1);
    assert_eq!(found(&list(&app, &lacgiang, &request("99201N", &id)).await.unwrap()), std::slice::from_ref(&id), "found by its code");
    // The receiving unit: still on its list and work list, the applicant masked.
    let ours = list(&app, &sonha, &request("99101N", "")).await.unwrap();
    let row = ours.rows.iter().find(|r| r.id == id).expect("the receiving unit still lists it");
    assert_ne!(row.applicant, "Lê Văn Liên", "masked for the unit that transferred it");
    assert_eq!(row.unit_shown(), "Xã Sơn Hà → Xã Lạc Giang", "where it went");
    assert!(ours.rows.iter().filter(|r| r.id != id).all(|r| r.handled_by.is_none()), "a dossier not transferred names its unit only");
    assert!(found(&list(&app, &sonha, &overdue("99101N")).await.unwrap()).contains(&id));
    // Whose it is: searched by the unit handling it, not by the one that transferred it.
    assert_eq!(found(&list(&app, &lacgiang, &request("99201N", "le van lien")).await.unwrap()), std::slice::from_ref(&id));
    assert!(!found(&list(&app, &sonha, &request("99101N", "le van lien")).await.unwrap()).contains(&id));
    assert!(found(&list(&app, &sonha, &request("99101N", &id)).await.unwrap()).contains(&id), "but by its code");
    // A third commune: not on its list, and it may not list the others'.
    let other = list(&app, &third, &request("99103N", "")).await.unwrap();
    assert!(!found(&other).contains(&id));
    assert!(list(&app, &third, &request("99103N", &id)).await.unwrap().rows.is_empty());
    assert!(list(&app, &third, &request("99201N", "")).await.is_err());
    // The province: once, though two of its units list it.
    let all = list(&app, &province, &request("99", &id)).await.unwrap();
    assert_eq!((all.total, found(&all)), (1, vec![id.clone()]));
}
