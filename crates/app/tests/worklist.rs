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
