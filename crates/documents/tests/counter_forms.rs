//! The forms of Circular 03/2025/TT-VPCP printed from a dossier: each form's text (snapshots),
//! the appointment on the working-day calendar, a form refused when its event has not happened,
//! the DOCX a well-formed package with the QR code as an image, and form 07 read back.

use std::io::Read;

use cchc_calendar::WorkCalendar;
use cchc_documents::counter_forms::{self, Context, Form, FormError, Party, Timing};
use cchc_dossiers::{Dossier, OnlineClass, Procedure, ProcessingTime};
use cchc_units::Level;

fn procedure() -> Procedure {
    Procedure {
        code: "1.001193".into(),
        name: "Đăng ký khai sinh".into(),
        field: "ho-tich".into(),
        level: Level::Xa,
        time: ProcessingTime::WorkingDays(3),
        online: OnlineClass::Partial,
        fee: None,
    }
}

/// A dossier from its JSON (so that fields added to the model later keep their defaults).
fn dossier(events: serde_json::Value) -> Dossier {
    serde_json::from_value(serde_json::json!({
        "id": "LH-241022-0001",
        "unit": "LH",
        "procedure": "1.001193",
        "events": events,
    }))
    .unwrap()
}

/// Received on Tuesday 22/10/2024 09:16, asked for a supplement on 23/10 10:00 and given it on
/// 28/10 08:30, transferred, extended with an apology to 05/11 16:00, resolved late on 06/11.
fn the_dossier() -> Dossier {
    dossier(serde_json::json!([
        {"at": "2024-10-22T09:16:00", "kind": "received", "channel": "direct"},
        {"at": "2024-10-23T10:00:00", "kind": "supplement-requested"},
        {"at": "2024-10-28T08:30:00", "kind": "supplement-provided"},
        {"at": "2024-10-28T09:00:00", "kind": "transferred", "to_unit": "TP"},
        {"at": "2024-10-30T15:00:00", "kind": "extended", "new_due": "2024-11-05T16:00:00", "apology": true},
        {"at": "2024-11-06T10:00:00", "kind": "resolved"},
        {"at": "2024-11-07T14:00:00", "kind": "result-returned", "channel": "direct"},
    ]))
}

fn context() -> Context {
    Context {
        issuer: "ỦY BAN NHÂN DÂN XÃ LÊ HỒNG".into(),
        unit_name: "Ủy ban nhân dân xã Lê Hồng".into(),
        place: "Lê Hồng".into(),
        unit_names: [("TP".to_string(), "Phòng Tư pháp huyện Thanh Miện".to_string())].into(),
        applicant: Some(Party {
            name: "Nguyễn Văn An".into(),
            id_number: Some("030085001234".into()),
            address: Some("Thôn Đông, xã Lê Hồng".into()),
            phone: Some("0912345678".into()),
            email: None,
        }),
        actors: vec![Some("Trần Thị Bình".into()), Some("Trần Thị Bình".into()), None, Some("Lê Văn Cường".into())],
        documents: vec!["Tờ khai đăng ký khai sinh (bản chính)".into(), "Giấy chứng sinh (bản chính)".into()],
        items: Vec::new(),
        reason: None,
        lookup_url: "https://cchc.example.vn/tra-cuu?ma=LH-241022-0001".into(),
        survey_url: "https://cchc.example.vn/survey/LH-241022-0001".into(),
    }
}

fn sheet(form: Form, d: &Dossier) -> counter_forms::Sheet {
    counter_forms::sheet(form, d, &procedure(), &WorkCalendar::vietnam(), context()).unwrap()
}

#[test]
fn each_form_prints_the_circulars_text() {
    let d = the_dossier();
    for form in [Form::Receipt, Form::Supplement, Form::Apology, Form::Control] {
        insta::assert_snapshot!(format!("form_{}", form.number()), counter_forms::text(&sheet(form, &d)));
    }
    let refused = dossier(serde_json::json!([
        {"at": "2024-10-22T09:16:00", "kind": "received", "channel": "online"},
        {"at": "2024-10-24T09:00:00", "kind": "refused"},
    ]));
    let mut ctx = context();
    ctx.reason = Some("Người yêu cầu không thuộc trường hợp được đăng ký khai sinh tại xã.".into());
    let s = counter_forms::sheet(Form::Refusal, &refused, &procedure(), &WorkCalendar::vietnam(), ctx).unwrap();
    insta::assert_snapshot!("form_03", counter_forms::text(&s));
    let stopped = dossier(serde_json::json!([
        {"at": "2024-10-22T09:16:00", "kind": "received", "channel": "postal"},
        {"at": "2024-10-23T09:00:00", "kind": "withdrawn"},
    ]));
    insta::assert_snapshot!("form_05", counter_forms::text(&sheet(Form::Stop, &stopped)));
}

#[test]
fn the_appointment_is_on_the_working_day_calendar() {
    let d = the_dossier();
    // Three working days from Tuesday 22/10/2024 09:16: Friday 25/10/2024 09:16.
    let receipt = counter_forms::text(&sheet(Form::Receipt, &d));
    assert!(receipt.contains("5. Thời gian trả kết quả giải quyết hồ sơ: 25/10/2024 09:16."), "{receipt}");
    // Form 04: the appointment as it stood before the extension (pushed by the 5 days paused
    // for the supplement), and the new one.
    let s = sheet(Form::Apology, &d);
    assert_eq!(s.new_appointment.map(counter_forms::moment).as_deref(), Some("05/11/2024 16:00"));
    assert!(s.appointment > chrono::NaiveDate::from_ymd_opt(2024, 10, 25).unwrap().and_hms_opt(9, 16, 0).unwrap());
    // Form 06: each officer's step with its timing; the resolution came after the new appointment.
    let steps = counter_forms::steps(&d, &procedure(), &WorkCalendar::vietnam(), &context()).unwrap();
    assert_eq!(steps.len(), 7);
    assert_eq!(steps[0].timing, None);
    assert_eq!(steps[1].timing, Some(Timing::Early));
    assert_eq!(steps[3].by.as_deref(), Some("Lê Văn Cường"));
    assert_eq!(steps[5].timing, Some(Timing::Late), "{steps:?}");
}

#[test]
fn what_the_officer_wrote_with_the_event_is_printed_in_its_place() {
    let d = dossier(serde_json::json!([
        {"at": "2024-10-22T09:16:00", "kind": "received", "channel": "direct", "note": "Tờ khai đăng ký khai sinh\nGiấy chứng sinh (bản chính)"},
        {"at": "2024-10-23T10:00:00", "kind": "supplement-requested", "note": "Bản sao giấy chứng nhận kết hôn của cha mẹ\nLý do: tờ khai ghi cha mẹ đã đăng ký kết hôn"},
        {"at": "2024-10-28T08:30:00", "kind": "supplement-provided"},
        {"at": "2024-10-30T15:00:00", "kind": "extended", "new_due": "2024-11-05T16:00:00", "apology": true, "note": "Phải xác minh nơi cư trú của người mẹ."},
    ]));
    let blank = Context { documents: Vec::new(), ..context() };
    let text = |form| counter_forms::text(&counter_forms::sheet(form, &d, &procedure(), &WorkCalendar::vietnam(), blank.clone()).unwrap());
    let receipt = text(Form::Receipt);
    assert!(receipt.contains("Tờ khai đăng ký khai sinh") && receipt.contains("Giấy chứng sinh (bản chính)"), "{receipt}");
    let supplement = text(Form::Supplement);
    assert!(supplement.contains("Bản sao giấy chứng nhận kết hôn của cha mẹ"), "{supplement}");
    assert!(supplement.contains("Lý do: tờ khai ghi cha mẹ đã đăng ký kết hôn"), "{supplement}");
    assert!(!supplement.contains("Lý do: …"), "the reason is not left blank: {supplement}");
    let apology = text(Form::Apology);
    assert!(apology.contains("Lý do: Phải xác minh nơi cư trú của người mẹ."), "{apology}");
}

#[test]
fn a_form_whose_event_has_not_happened_is_refused() {
    let d = dossier(serde_json::json!([{"at": "2024-10-22T09:16:00", "kind": "received", "channel": "direct"}]));
    for form in [Form::Supplement, Form::Refusal, Form::Apology, Form::Stop] {
        let err = counter_forms::sheet(form, &d, &procedure(), &WorkCalendar::vietnam(), context()).unwrap_err();
        assert!(matches!(err, FormError::MissingEvent { .. }), "{err:?}");
        assert!(err.to_string().starts_with("Hồ sơ LH-241022-0001 chưa có sự kiện"), "{err}");
    }
    assert!(counter_forms::sheet(Form::Receipt, &d, &procedure(), &WorkCalendar::vietnam(), context()).is_ok());
    assert_eq!(Form::parse("04"), Some(Form::Apology));
    assert_eq!(Form::parse("6"), Some(Form::Control));
    assert_eq!(Form::parse("07"), None);
    assert_eq!(Form::parse("x"), None);
}

#[test]
fn missing_data_is_left_to_fill_by_hand() {
    let d = the_dossier();
    let mut ctx = context();
    ctx.applicant = None;
    ctx.documents.clear();
    let s = counter_forms::sheet(Form::Receipt, &d, &procedure(), &WorkCalendar::vietnam(), ctx).unwrap();
    let text = counter_forms::text(&s);
    assert!(text.contains("tiếp nhận hồ sơ của: ………"), "{text}");
    assert!(text.contains("1.1. ………") && text.contains("1.2. ………"), "{text}");
    assert!(!text.contains("Số định danh"), "{text}");
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap_or_else(|_| panic!("no part {name}")).read_to_string(&mut s).unwrap();
    s
}

fn well_formed(xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0i64;
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("not well-formed: {e}")) {
            quick_xml::events::Event::Start(_) => depth += 1,
            quick_xml::events::Event::End(_) => depth -= 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
}

#[test]
fn every_form_is_a_docx_with_its_text_and_the_qr_code() {
    let d = the_dossier();
    for form in [Form::Receipt, Form::Supplement, Form::Apology, Form::Control] {
        let s = sheet(form, &d);
        let bytes = counter_forms::render(&s).unwrap();
        let document = part(&bytes, "word/document.xml");
        well_formed(&document);
        well_formed(&part(&bytes, "word/styles.xml"));
        assert!(document.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "{form:?}");
        assert!(document.contains("LH-241022-0001"), "{form:?}");
        assert!(document.contains("Lê Hồng, ngày"), "{form:?}");
        // The QR code is a picture in the package, referenced from the text.
        assert!(document.contains("<w:drawing>"), "{form:?}");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let media: Vec<String> =
            (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().to_string()).filter(|n| n.starts_with("word/media/")).collect();
        // The receipt has two: the status lookup's and the satisfaction survey's.
        let codes = if form == Form::Receipt { 2 } else { 1 };
        assert_eq!(media.len(), codes, "{form:?}: {media:?}");
        let core = part(&bytes, "docProps/core.xml");
        assert!(core.contains(&format!("<dc:title>{}</dc:title>", form.name_vi())), "{core}");
    }
    let receipt = part(&counter_forms::render(&sheet(Form::Receipt, &d)).unwrap(), "word/document.xml");
    assert!(receipt.contains("25/10/2024 09:16"), "the appointment");
    assert!(receipt.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"));
    assert!(
        receipt.contains("Đánh giá mức độ hài lòng: quét mã QR hoặc vào")
            && receipt.contains("https://cchc.example.vn/survey/LH-241022-0001")
    );
    // Without a survey address the receipt prints the lookup's QR code alone.
    let mut alone = sheet(Form::Receipt, &d);
    alone.context.survey_url.clear();
    let text = counter_forms::text(&alone);
    assert!(!text.contains("hài lòng") && text.contains("Tra cứu tình trạng hồ sơ"), "{text}");
}

#[test]
fn the_qr_code_is_a_png_of_the_lookup_address() {
    let (png, side) = counter_forms::qr_png("https://cchc.example.vn/tra-cuu?ma=LH-241022-0001").unwrap();
    assert!(png.starts_with(&[0x89, b'P', b'N', b'G']));
    // Version 4 (33 modules) with a quiet zone of 4, six pixels a module.
    assert_eq!(side, (33 + 8) * 6);
    // The finder pattern's corner is dark, the quiet zone light.
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    reader.next_frame(&mut pixels).unwrap();
    assert_eq!(pixels[0], 255);
    assert_eq!(pixels[(24 * side + 24) as usize], 0);
}

#[test]
fn form_07_reads_back_one_row_a_dossier() {
    use calamine::{Data, Reader, Xlsx};
    let d = the_dossier();
    let row = counter_forms::ledger_row(&d, &procedure(), &WorkCalendar::vietnam(), &context()).unwrap();
    let mut masked_ctx = context();
    masked_ctx.applicant = Some(Party { name: "N*** V** A*".into(), phone: Some("******5678".into()), ..Party::default() });
    let other = dossier(serde_json::json!([{"at": "2024-10-24T14:00:00", "kind": "received", "channel": "online"}]));
    let masked = counter_forms::ledger_row(&other, &procedure(), &WorkCalendar::vietnam(), &masked_ctx).unwrap();
    let bytes = counter_forms::ledger("Ủy ban nhân dân xã Lê Hồng", "quý IV năm 2024", &[row, masked]).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("Sổ theo dõi hồ sơ").unwrap();
    let text = |r: u32, c: u32| match range.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Empty) | None => String::new(),
        other => format!("{other:?}"),
    };
    assert_eq!(text(0, 0), "SỔ THEO DÕI HỒ SƠ");
    assert_eq!(text(1, 0), "Đơn vị: Ủy ban nhân dân xã Lê Hồng; quý IV năm 2024");
    let headings: Vec<String> = (0..12).map(|c| text(3, c)).collect();
    assert_eq!(headings[1], "Mã hồ sơ");
    assert_eq!(headings[11], "Ghi chú");
    assert_eq!(text(4, 0), "1");
    assert_eq!(text(4, 1), "LH-241022-0001");
    assert_eq!(text(4, 2), "1.001193 – Đăng ký khai sinh");
    assert_eq!(text(4, 3), "Nguyễn Văn An, Thôn Đông, xã Lê Hồng");
    assert_eq!(text(4, 4), "0912345678");
    assert_eq!(text(4, 5), "Phòng Tư pháp huyện Thanh Miện");
    assert_eq!(text(4, 6), "22/10/2024 09:16");
    assert_eq!(text(4, 7), "05/11/2024 16:00");
    assert_eq!(text(4, 8), "28/10/2024 09:00: chuyển Phòng Tư pháp huyện Thanh Miện");
    assert_eq!(text(4, 9), "06/11/2024 10:00");
    assert_eq!(text(4, 10), "07/11/2024 14:00");
    assert_eq!(text(4, 11), "đã trả kết quả; giải quyết quá hạn; có phiếu xin lỗi");
    assert_eq!(text(5, 3), "N*** V** A*");
    assert_eq!(text(5, 4), "******5678");
    assert_eq!(text(5, 9), "");
}

#[test]
fn units_are_named_as_the_forms_name_them() {
    assert_eq!(counter_forms::place_of("Xã Lê Hồng"), "Lê Hồng");
    assert_eq!(counter_forms::place_of("UBND huyện Thanh Miện"), "Thanh Miện");
    assert_eq!(counter_forms::place_of("Thành phố Hà Tĩnh"), "Hà Tĩnh");
    assert_eq!(counter_forms::place_of("Sở Nội vụ"), "Sở Nội vụ");
    assert_eq!(counter_forms::unit_in_text("Xã Lê Hồng", true), "Ủy ban nhân dân xã Lê Hồng");
    assert_eq!(counter_forms::unit_in_text("UBND Huyện Cẩm Xuyên", true), "Ủy ban nhân dân huyện Cẩm Xuyên");
    assert_eq!(counter_forms::unit_in_text("Sở Nội vụ", false), "Sở Nội vụ");
}
