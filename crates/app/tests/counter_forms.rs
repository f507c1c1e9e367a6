//! The counter's forms printed from a stored dossier: by the officers of its unit only, audited,
//! refused in Vietnamese when the dossier has not had the form's event; the PDF holds the receipt
//! code and the appointment; form 07 masks the applicant for readers outside the unit.

use std::io::Cursor;
use std::process::Command;

use cchc_app::counter::{Receipt, receive_dossier};
use cchc_app::counter_forms;
use cchc_documents::counter_forms::Form;
use cchc_dossiers::Channel;

async fn demo() -> (std::sync::Arc<dyn cchc_storage::Store>, cchc_app::App) {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 20).await.expect("demo seed");
    let app = cchc_app::App::with(store.clone(), catalogue, cchc_calendar::WorkCalendar::vietnam());
    (store, app)
}

/// A dossier received at Sơn Hà's counter an hour ago, as officer `sonha`.
async fn received(app: &cchc_app::App, store: &dyn cchc_storage::Store) -> cchc_dossiers::Dossier {
    let officer = store.user("sonha").await.unwrap().unwrap();
    let procedures = cchc_app::dossiers::procedures(store).await.unwrap();
    let procedure = procedures.keys().min().expect("a procedure").clone();
    let at = cchc_storage::now() - chrono::Duration::hours(1);
    let at = at.date().and_hms_opt(chrono::Timelike::hour(&at), chrono::Timelike::minute(&at), 0).unwrap();
    let applicant = cchc_dossiers::Applicant {
        name: "Nguyễn Văn An".into(),
        phone: Some("0912345678".into()),
        address: Some("Thôn Đông, xã Sơn Hà, Hà Tĩnh".into()),
        ..cchc_dossiers::Applicant::default()
    };
    let receipt = Receipt { unit: "99101N".into(), procedure, channel: Channel::Direct, at, applicant: Some(applicant), documents: None };
    receive_dossier(app, &officer, &receipt).await.expect("received").dossier
}

#[tokio::test]
async fn the_officer_prints_the_receipt_and_the_print_is_audited() {
    let (store, app) = demo().await;
    let d = received(&app, store.as_ref()).await;
    let officer = store.user("sonha").await.unwrap().unwrap();
    let printed = counter_forms::form(&app, &officer, &d.id, Form::Receipt, "http://cchc.test/").await.unwrap();
    assert_eq!(printed.file_stem, format!("mau-01-{}", d.id));
    assert_eq!(printed.sheet.context.lookup_url, format!("http://cchc.test/tra-cuu?ma={}", d.id));
    // The survey's link is signed: without its token it opens nothing (cchc_app::survey::BAD_LINK).
    let token = cchc_app::survey::token(store.as_ref(), &d.id).await.unwrap();
    assert_eq!(printed.sheet.context.survey_url, format!("http://cchc.test/survey/{}?t={token}", d.id));
    let text = cchc_documents::counter_forms::text(&printed.sheet);
    assert!(text.starts_with("ỦY BAN NHÂN DÂN XÃ SƠN HÀ\nBỘ PHẬN MỘT CỬA\n"), "{text}");
    assert!(
        text.contains(&format!("Đánh giá mức độ hài lòng: quét mã QR hoặc vào http://cchc.test/survey/{}?t={token}\n", d.id)),
        "{text}"
    );
    assert!(text.contains("tiếp nhận hồ sơ của: Nguyễn Văn An\n") && text.contains("Số điện thoại: 0912345678"), "{text}");
    let audit = store.audit(&cchc_storage::AuditFilter::default()).await.unwrap();
    assert!(
        audit.iter().any(|a| a.action == "in phiếu một cửa"
            && a.by == "sonha"
            && a.item.as_deref() == Some(&format!("Mẫu số 01 – hồ sơ {}", d.id)[..])),
        "{audit:?}"
    );

    // A leader reads the dossier but does not print its forms.
    let leader = store.user("lanhdao").await.unwrap().unwrap();
    let err = counter_forms::form(&app, &leader, &d.id, Form::Receipt, "http://cchc.test").await.unwrap_err();
    assert!(matches!(err, cchc_app::Error::Forbidden(_)), "{err:?}");
    // Another unit's officer is told it does not exist.
    let other = store.user("lacgiang").await.unwrap().unwrap();
    let err = counter_forms::form(&app, &other, &d.id, Form::Receipt, "http://cchc.test").await.unwrap_err();
    assert!(matches!(err, cchc_app::Error::NotFound(_)), "{err:?}");
    // No supplement asked yet: form 02 is refused, saying why.
    let err = counter_forms::form(&app, &officer, &d.id, Form::Supplement, "http://cchc.test").await.unwrap_err();
    assert!(err.to_string().contains("chưa có sự kiện \"Yêu cầu bổ sung\""), "{err}");
    // Once asked, form 02 names the officer who asked by full name.
    let at = d.events[0].at + chrono::Duration::minutes(30);
    let event = cchc_dossiers::Event { at, kind: cchc_dossiers::EventKind::SupplementRequested, by: Some("sonha".into()), note: None };
    cchc_app::counter::record_event(&app, &officer, &d.id, 1, event).await.unwrap();
    let printed = counter_forms::form(&app, &officer, &d.id, Form::Supplement, "http://cchc.test").await.unwrap();
    let text = cchc_documents::counter_forms::text(&printed.sheet);
    assert!(text.contains("NGƯỜI HƯỚNG DẪN\n(Ký và ghi rõ họ tên)\nPhạm Thị Hà"), "{text}");
}

#[tokio::test]
async fn the_pdf_holds_the_receipt_code_and_the_appointment() {
    let (store, app) = demo().await;
    let d = received(&app, store.as_ref()).await;
    let officer = store.user("sonha").await.unwrap().unwrap();
    let printed = counter_forms::form(&app, &officer, &d.id, Form::Receipt, "http://cchc.test").await.unwrap();
    let pdf = counter_forms::pdf(&printed.docx).expect("LibreOffice is installed by scripts/test-env.sh");
    let path = std::env::temp_dir().join(format!("cchc-form01-{}.pdf", std::process::id()));
    std::fs::write(&path, &pdf).unwrap();
    let out = Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils) is installed");
    let _ = std::fs::remove_file(&path);
    let text = String::from_utf8(out.stdout).unwrap();
    let appointment = cchc_documents::counter_forms::moment(printed.sheet.appointment);
    assert!(text.contains(&d.id), "{text}");
    assert!(text.contains(&appointment), "{appointment} in {text}");
    assert!(text.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"), "{text}");
}

#[tokio::test]
async fn form_07_lists_the_units_dossiers_of_the_period() {
    use calamine::{Data, Reader, Xlsx};
    let (store, app) = demo().await;
    let d = received(&app, store.as_ref()).await;
    let officer = store.user("sonha").await.unwrap().unwrap();
    let period = app.rule.current_report(d.events[0].at.date());
    let bytes = counter_forms::ledger(&app, &officer, "99101N", period).await.unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("Sổ theo dõi hồ sơ").unwrap();
    let codes: Vec<String> = (4..range.height() as u32)
        .filter_map(|r| match range.get_value((r, 1)) {
            Some(Data::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(codes.contains(&d.id), "{codes:?}");
    assert!(codes.iter().all(|c| c.starts_with("99101N")), "{codes:?}");
    let row = (4..range.height() as u32).find(|r| range.get_value((*r, 1)) == Some(&Data::String(d.id.clone()))).unwrap();
    assert_eq!(range.get_value((row, 3)), Some(&Data::String("Nguyễn Văn An, Thôn Đông, xã Sơn Hà, Hà Tĩnh".into())));
    // The province's leader reads it with the applicant masked.
    let leader = store.user("lanhdao").await.unwrap().unwrap();
    let bytes = counter_forms::ledger(&app, &leader, "99101N", period).await.unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("Sổ theo dõi hồ sơ").unwrap();
    let row = (4..range.height() as u32).find(|r| range.get_value((*r, 1)) == Some(&Data::String(d.id.clone()))).unwrap();
    let Some(Data::String(name)) = range.get_value((row, 3)) else { panic!() };
    assert!(name.starts_with("Nguyễn V") && !name.contains("Văn") && !name.contains("Thôn Đông"), "{name}");
    assert_eq!(range.get_value((row, 4)), Some(&Data::String("*******678".into())));
    // Another unit's officer may not read Sơn Hà's ledger.
    let other = store.user("lacgiang").await.unwrap().unwrap();
    let err = counter_forms::ledger(&app, &other, "99101N", period).await.unwrap_err();
    assert!(matches!(err, cchc_app::Error::Forbidden(_)), "{err:?}");
}
