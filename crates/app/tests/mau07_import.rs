//! Form 07 of Circular 03/2025/TT-VPCP (sổ theo dõi hồ sơ) as the one-stop systems export it to
//! Excel imports (issue 15 item 5): cchc's own form 07 reads back to the same dossiers and the
//! same Biểu 06, as far as the form can state them; a province's sheet with its columns in
//! another order and columns of its own reads too; a bad row stores nothing and is named by row
//! and column; an oversized or broken file is refused whole.

mod common;

use std::path::PathBuf;

use cchc_app::App;
use cchc_app::dossiers::Import;
use cchc_calendar::WorkCalendar;
use cchc_documents::xlsx::table::{Cell, Column, Table};
use cchc_dossiers::generate::{Config, generate};
use cchc_dossiers::{Applicant, ApplicantKind, Channel, Dossier, EventKind};
use cchc_periods::Period;
use cchc_storage::Role;
use cchc_units::UnitKind;
use chrono::{NaiveDateTime, Timelike};

async fn app() -> App {
    let units = [
        common::unit("P", UnitKind::Tinh, None),
        common::unit("H1", UnitKind::Huyen, Some("P")),
        common::unit("X1", UnitKind::Xa, Some("H1")),
        common::unit("X2", UnitKind::Xa, Some("H1")),
    ];
    App::with(common::store_with(&units).await, cchc_catalogue::default_catalogue(), WorkCalendar::vietnam())
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("cchc-mau07-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn minute(t: NaiveDateTime) -> NaiveDateTime {
    t.with_second(0).unwrap().with_nanosecond(0).unwrap()
}

/// The generator's dossiers of two communes as form 07 can state them: received at the counter
/// (the form has no channel), no supplements, fees or extensions (the form has no moment for
/// them), moments in whole minutes (the form writes HH:mm), an applicant with a name, address
/// and phone (no ID number or e-mail in the form), received within 2024's data window.
fn fixture(window: cchc_periods::DateRange) -> Vec<Dossier> {
    let units = vec![("X1".to_string(), cchc_units::Level::Xa), ("X2".into(), cchc_units::Level::Xa)];
    let config = Config { units, procedures: cchc_dossiers::import::default_procedures(), year: 2024, dossiers: 400, seed: 7 };
    generate(&config, &WorkCalendar::vietnam())
        .filter(|d| (window.from..=window.to).contains(&d.events[0].at.date()))
        .enumerate()
        .map(|(i, mut d)| {
            d.events.retain(|e| {
                !matches!(
                    e.kind,
                    EventKind::Extended { .. }
                        | EventKind::FeeRequested
                        | EventKind::FeePaid { .. }
                        | EventKind::SupplementRequested
                        | EventKind::SupplementProvided
                )
            });
            for e in &mut d.events {
                e.at = minute(e.at);
                match &mut e.kind {
                    EventKind::Received { channel } | EventKind::ResultReturned { channel } => *channel = Channel::Direct,
                    _ => {}
                }
            }
            // Some are transferred (liên thông) to the other commune midway.
            if i % 7 == 3 {
                let next = d.events.get(1).map_or(d.events[0].at + chrono::TimeDelta::days(2), |e| e.at);
                let at = minute(d.events[0].at + (next - d.events[0].at) / 2);
                if at > d.events[0].at {
                    let to_unit = if d.unit == "X1" { "X2" } else { "X1" }.to_string();
                    d.events.insert(1, cchc_dossiers::Event::new(at, EventKind::Transferred { to_unit }));
                }
            }
            d.digitised = false;
            d.rating = None;
            d.applicant = Some(if i % 5 == 0 {
                Applicant {
                    kind: ApplicantKind::Organisation,
                    name: format!("Công ty TNHH Hoa Sen {i}"),
                    address: Some(format!("Số {i}, đường Trần Phú, phường Bắc Hà, Hà Tĩnh")),
                    ..Applicant::default()
                }
            } else {
                Applicant {
                    name: format!("Nguyễn Văn An {i}"),
                    phone: (i % 3 != 0).then(|| format!("09123{i:05}")),
                    address: (i % 4 != 0).then(|| format!("Thôn {i}, xã Lê Hồng")),
                    ..Applicant::default()
                }
            });
            d
        })
        .collect()
}

/// What form 07 states of a dossier.
fn stated(d: &Dossier) -> (String, String, String, Vec<(NaiveDateTime, EventKind)>, Option<Applicant>) {
    (d.id.clone(), d.unit.clone(), d.procedure.clone(), d.events.iter().map(|e| (e.at, e.kind.clone())).collect(), d.applicant.clone())
}

async fn tables(app: &App) -> Vec<Vec<(String, Vec<u64>)>> {
    let admin = common::user(Role::Admin, "P");
    let mut out = Vec::new();
    for p in ["2024-Y", "2024-Q1", "2024-H1", "2024-9M"] {
        let t = cchc_app::ledger::statistics(app, &admin, "P", p.parse::<Period>().unwrap()).await.unwrap();
        let row = |c: &cchc_dossiers::Counts| cchc_dossiers::BIEU06_COLUMNS.iter().map(|(k, _)| c.figure(k).unwrap()).collect();
        out.push(t.rows.iter().map(|((level, field), c)| (format!("{level:?} {field}"), row(c))).collect());
    }
    out
}

async fn stored(app: &App) -> Vec<Dossier> {
    let sync = cchc_app::access::system_user("cli");
    let mut all = cchc_app::ledger::subtree_dossiers(app, &sync, "P").await.unwrap();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    all
}

#[tokio::test]
async fn cchcs_own_form_07_reads_back_to_the_same_dossiers_and_bieu_06() {
    let admin = common::user(Role::Admin, "P");
    let year: Period = "2024-Y".parse().unwrap();
    let original = app().await;
    let dossiers = fixture(original.rule.window(year));
    assert!(dossiers.len() > 300, "{}", dossiers.len());
    let kinds = |want: fn(&EventKind) -> bool| dossiers.iter().filter(|d| d.events.iter().any(|e| want(&e.kind))).count();
    assert!(kinds(|k| matches!(k, EventKind::Transferred { .. })) > 0, "the fixture transfers some dossiers");
    assert!(kinds(|k| matches!(k, EventKind::ResultReturned { .. })) > 0 && kinds(|k| matches!(k, EventKind::Refused)) > 0);
    let procs = cchc_app::dossiers::procedures(original.store.as_ref()).await.unwrap();
    let stored_now = cchc_app::dossiers::store_dossiers(original.store.as_ref(), &dossiers, &procs, &original.calendar()).await.unwrap();
    assert_eq!(stored_now, Import::Stored(dossiers.len()));

    // Each commune's form 07, as the command line writes it (applicants in full), into a fresh store.
    let sync = cchc_app::access::system_user("cli");
    let again = app().await;
    let mut imported = 0;
    for unit in ["X1", "X2"] {
        let xlsx = cchc_app::counter_forms::ledger(&original, &sync, unit, year).await.unwrap();
        match cchc_app::ledger::import_ledger_form(&again, &admin, &write(&format!("{unit}.xlsx"), &xlsx)).await.unwrap() {
            Import::Stored(n) => imported += n,
            Import::Refused(e) => panic!("{unit}: {e:#?}"),
        }
    }
    assert_eq!(imported, dossiers.len());
    let (before, after) = (stored(&original).await, stored(&again).await);
    assert_eq!(after.iter().map(stated).collect::<Vec<_>>(), before.iter().map(stated).collect::<Vec<_>>());
    let expected = tables(&original).await;
    assert_eq!(tables(&again).await, expected);
    assert!(expected[0].iter().any(|(_, c)| c.iter().any(|n| *n > 0)), "not a table of zeros");

    // The province's form 07 does not say which commune received a transferred dossier: those
    // rows are refused (the province receives none), never filed where no list would show them.
    let xlsx = cchc_app::counter_forms::ledger(&original, &sync, "P", year).await.unwrap();
    let fresh = app().await;
    let Import::Refused(errors) = cchc_app::ledger::import_ledger_form(&fresh, &admin, &write("P.xlsx", &xlsx)).await.unwrap() else {
        panic!("a province's ledger with transfers was imported")
    };
    assert_eq!(errors.len(), kinds(|k| matches!(k, EventKind::Transferred { .. })), "{errors:#?}");
    assert!(
        errors[0].contains("cột \"Cơ quan chủ trì giải quyết\"") && errors[0].contains("\"Đơn vị P\" không tiếp nhận hồ sơ"),
        "{errors:?}"
    );
}

fn sheet(columns: &[&str], rows: &[Vec<&str>]) -> Vec<u8> {
    let columns: Vec<Column<'_>> = columns.iter().map(|heading| Column { heading, width: 20.0 }).collect();
    let rows: Vec<Vec<Cell>> = rows.iter().map(|r| r.iter().map(|t| Cell::Text((*t).to_string())).collect()).collect();
    cchc_documents::xlsx::table::table(&Table {
        sheet: "So theo doi",
        title: "SỔ THEO DÕI HỒ SƠ",
        subtitle: "Đơn vị: Đơn vị X1; Quý I năm 2024",
        columns: &columns,
        rows: &rows,
    })
    .unwrap()
}

#[tokio::test]
async fn a_provinces_sheet_with_other_columns_in_another_order_imports() {
    let admin = common::user(Role::Admin, "P");
    let app = app().await;
    let bytes = sheet(
        &[
            "Ghi chú",
            "Ký nhận",
            "MÃ HỒ SƠ",
            "Ngày tiếp nhận",
            "Mã TTHC",
            "Tên thủ tục",
            "Kênh tiếp nhận",
            "Chủ hồ sơ",
            "Địa chỉ",
            "Điện thoại",
            "Ngày trả kết quả",
            "Cơ quan chủ trì giải quyết",
            "Nhận kết quả từ cơ quan giải quyết",
            "Ngày hẹn trả",
        ],
        &[
            vec![
                "Đã trả kết quả",
                "An",
                "H42-1",
                "01/02/2024 08:00",
                "DEMO.HT.01",
                "Đăng ký khai sinh",
                "Trực tuyến",
                "Trần Thị Bình",
                "Thôn 1, xã Lê Hồng",
                "0912000111",
                "05/02/2024 09:15",
                "Đơn vị X2",
                "02/02/2024 16:00",
                "06/02/2024",
            ],
            vec!["", "", "H42-2", "2/2/2024 8:30", "", "", "", "Lê Văn C", "", "", "", "", "", ""],
        ],
    );
    // The second row names its procedure by code only in a column of its own: here empty, so it
    // is refused; given, it imports.
    let Import::Refused(errors) = cchc_app::ledger::import_ledger_form(&app, &admin, &write("tinh.xlsx", &bytes)).await.unwrap() else {
        panic!("a row without a procedure was imported")
    };
    assert_eq!(errors, vec!["Dòng 6, cột \"Tên thủ tục\": hồ sơ H42-2: thiếu tên thủ tục hành chính".to_string()]);
    let bytes = sheet(
        &[
            "Ghi chú",
            "Ký nhận",
            "MÃ HỒ SƠ",
            "Ngày tiếp nhận",
            "Mã TTHC",
            "Tên thủ tục",
            "Kênh tiếp nhận",
            "Chủ hồ sơ",
            "Địa chỉ",
            "Điện thoại",
            "Ngày trả kết quả",
            "Cơ quan chủ trì giải quyết",
            "Nhận kết quả từ cơ quan giải quyết",
            "Ngày hẹn trả",
        ],
        &[
            vec![
                "Đã trả kết quả",
                "An",
                "H42-1",
                "01/02/2024 08:00",
                "DEMO.HT.01",
                "Đăng ký khai sinh",
                "Trực tuyến",
                "Trần Thị Bình",
                "Thôn 1, xã Lê Hồng",
                "0912000111",
                "05/02/2024 09:15",
                "Đơn vị X2",
                "02/02/2024 16:00",
                "06/02/2024",
            ],
            vec!["", "", "H42-2", "2/2/2024 8:30", "", "Đăng ký khai sinh", "", "Lê Văn C", "", "", "", "", "", ""],
        ],
    );
    assert_eq!(cchc_app::ledger::import_ledger_form(&app, &admin, &write("tinh2.xlsx", &bytes)).await.unwrap(), Import::Stored(2));
    let one = app.store.dossier("H42-1").await.unwrap().unwrap();
    assert_eq!(one.unit, "X2", "the unit in charge, found by its name");
    assert_eq!(one.procedure, "DEMO.HT.01");
    let at = |d: u32, h: u32, m: u32| chrono::NaiveDate::from_ymd_opt(2024, 2, d).unwrap().and_hms_opt(h, m, 0).unwrap();
    assert_eq!(
        one.events.iter().map(|e| (e.at, e.kind.clone())).collect::<Vec<_>>(),
        vec![
            (at(1, 8, 0), EventKind::Received { channel: Channel::Online }),
            (at(2, 16, 0), EventKind::Resolved),
            (at(5, 9, 15), EventKind::ResultReturned { channel: Channel::Online }),
        ]
    );
    let a = one.applicant.unwrap();
    assert_eq!(
        (a.name.as_str(), a.address.as_deref(), a.phone.as_deref()),
        ("Trần Thị Bình", Some("Thôn 1, xã Lê Hồng"), Some("0912000111"))
    );
    // No unit in charge: the unit the title names.
    let two = app.store.dossier("H42-2").await.unwrap().unwrap();
    assert_eq!((two.unit.as_str(), two.procedure.as_str(), two.events.len()), ("X1", "DEMO.HT.01", 1));
}

const FORM: [&str; 12] = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Tên cá nhân, tổ chức và địa chỉ",
    "Số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Chuyển hồ sơ đến cơ quan giải quyết",
    "Nhận kết quả từ cơ quan giải quyết",
    "Trả kết quả",
    "Ghi chú",
];

#[tokio::test]
async fn bad_rows_store_nothing_and_are_named_by_row_and_column() {
    let admin = common::user(Role::Admin, "P");
    let app = app().await;
    let good = |code: &'static str| {
        vec![
            "1",
            code,
            "1.001193 – Đăng ký khai sinh",
            "Nguyễn Văn An, Thôn 1",
            "0912",
            "Đơn vị X1",
            "01/02/2024 08:00",
            "06/02/2024 08:00",
            "",
            "",
            "",
            "đang xử lý",
        ]
    };
    let mut bad_day = good("B-2");
    bad_day[7] = "30/02/2024 08:00";
    let mut unknown = good("B-3");
    unknown[2] = "9.999999 – Thủ tục không có";
    let mut masked = good("B-4");
    masked[3] = "Ng*** V** A*";
    let mut far = good("B-5");
    far[8] = "02/02/2024 09:00: chuyển Xã Không Có";
    let bytes = sheet(&FORM, &[good("B-1"), bad_day, unknown, far, good("B-1")]);
    let Import::Refused(errors) = cchc_app::ledger::import_ledger_form(&app, &admin, &write("bad.xlsx", &bytes)).await.unwrap() else {
        panic!("accepted")
    };
    assert_eq!(
        errors,
        vec![
            "Dòng 6, cột \"Hẹn trả kết quả\": hồ sơ B-2: ngày 30/02/2024 không có thật".to_string(),
            "Dòng 7, cột \"Tên thủ tục hành chính\": hồ sơ B-3: thủ tục \"9.999999 – Thủ tục không có\" chưa có trong danh mục thủ tục".into(),
            "Dòng 8, cột \"Chuyển hồ sơ đến cơ quan giải quyết\": hồ sơ B-5: đơn vị nhận liên thông \"Xã Không Có\" không có trong danh sách đơn vị".into(),
            "Dòng 9, cột \"Mã hồ sơ\": mã hồ sơ B-1 trùng với dòng 5".into(),
        ]
    );
    assert!(app.store.dossier("B-1").await.unwrap().is_none(), "nothing stored");
    // A masked applicant (an export made for someone who may not see it) is refused by dossier.
    let bytes = sheet(&FORM, &[good("B-1"), masked]);
    let Import::Refused(errors) = cchc_app::ledger::import_ledger_form(&app, &admin, &write("masked.xlsx", &bytes)).await.unwrap() else {
        panic!("a masked applicant was imported")
    };
    assert!(errors.len() == 1 && errors[0].starts_with("Hồ sơ B-4: họ và tên của chủ hồ sơ đã bị che"), "{errors:?}");
    assert!(app.store.dossier("B-1").await.unwrap().is_none(), "nothing stored");
    // Only an administrator imports.
    let officer = common::user(Role::UnitOfficer, "X1");
    assert!(matches!(
        cchc_app::ledger::import_ledger_form(&app, &officer, &write("x.xlsx", &bytes)).await,
        Err(cchc_app::Error::Forbidden(_))
    ));
}

#[tokio::test]
async fn a_garbage_or_oversized_file_is_refused_whole() {
    let admin = common::user(Role::Admin, "P");
    let app = app().await;
    let Import::Refused(errors) =
        cchc_app::ledger::import_ledger_form(&app, &admin, &write("rac.xlsx", b"PK\x03\x04 not a zip")).await.unwrap()
    else {
        panic!("garbage imported")
    };
    assert!(errors.len() == 1 && errors[0].contains("không đọc được tệp XLSX"), "{errors:?}");
    // A sheet without the form's headings.
    let Import::Refused(errors) =
        cchc_app::ledger::import_ledger_form(&app, &admin, &write("khac.xlsx", &sheet(&["A", "B"], &[vec!["1", "2"]]))).await.unwrap()
    else {
        panic!("a sheet without headings imported")
    };
    assert!(errors[0].contains("không tìm thấy hàng tiêu đề của Mẫu số 07"), "{errors:?}");
    // Over the size limit: refused before it is read.
    let big = std::env::temp_dir().join(format!("cchc-mau07-{}-big.xlsx", std::process::id()));
    std::fs::File::create(&big).unwrap().set_len(cchc_app::ledger::MAX_LEDGER_FORM_BYTES + 1).unwrap();
    let Import::Refused(errors) = cchc_app::ledger::import_ledger_form(&app, &admin, &big).await.unwrap() else { panic!("read") };
    assert!(errors[0].contains("vượt giới hạn 50 MB"), "{errors:?}");
    let _ = std::fs::remove_file(&big);
}
