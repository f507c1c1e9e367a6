//! The national portal's synchronisation format (issue 15 item 5): a fixture of 1.000 dossiers
//! in that format gives the same Biểu 06 as the same dossiers in cchc's CSV, in every window;
//! cchc's export in that format reads back to the same table; a bad file stores nothing.
//!
//! The fixture is built here from the generator's dossiers, restricted to what the national body
//! can state (no transfers, extensions or fees, a refusal during processing written as 9), and
//! written by a writer of this test, not the crate's: codes as strings or numbers, applicant and
//! fee fields the import ignores, registrations not yet received (status 1).

mod common;

use std::path::PathBuf;

use cchc_app::App;
use cchc_app::dossiers::Import;
use cchc_calendar::WorkCalendar;
use cchc_dossiers::generate::{Config, generate};
use cchc_dossiers::{Channel, Dossier, EventKind, Table};
use cchc_periods::Period;
use cchc_storage::Role;
use cchc_units::UnitKind;
use serde_json::{Value, json};

const N: usize = 1_000;

async fn app() -> App {
    let units = [
        common::unit("P", UnitKind::Tinh, None),
        common::unit("H1", UnitKind::Huyen, Some("P")),
        common::unit("X1", UnitKind::Xa, Some("H1")),
        common::unit("X2", UnitKind::Xa, Some("H1")),
    ];
    App::with(common::store_with(&units).await, cchc_catalogue::default_catalogue(), WorkCalendar::vietnam())
}

/// The generator's dossiers as the national body can state them.
fn fixture() -> Vec<Dossier> {
    let units =
        vec![("X1".to_string(), cchc_units::Level::Xa), ("X2".into(), cchc_units::Level::Xa), ("H1".into(), cchc_units::Level::Huyen)];
    let config = Config { units, procedures: cchc_dossiers::import::default_procedures(), year: 2024, dossiers: N, seed: 766 };
    generate(&config, &WorkCalendar::vietnam())
        .map(|mut d| {
            d.events.retain(|e| {
                !matches!(
                    e.kind,
                    EventKind::Transferred { .. } | EventKind::Extended { .. } | EventKind::FeeRequested | EventKind::FeePaid { .. }
                )
            });
            for e in &mut d.events {
                if e.kind == EventKind::Refused {
                    e.kind = EventKind::Resolved;
                }
            }
            d
        })
        .collect()
}

fn moment(t: chrono::NaiveDateTime) -> String {
    t.format("%Y%m%d%H%M%S").to_string()
}

/// One dossier as a one-stop system would send it.
fn national(d: &Dossier, i: usize) -> Value {
    let find = |want: fn(&EventKind) -> bool| d.events.iter().find(|e| want(&e.kind)).map(|e| moment(e.at));
    let ended = find(|k| matches!(k, EventKind::Resolved | EventKind::Withdrawn | EventKind::Stopped | EventKind::NotAccepted));
    let returned = find(|k| matches!(k, EventKind::ResultReturned { .. }));
    let status = if returned.is_some() {
        10
    } else {
        match d.events.iter().rev().map(|e| &e.kind).find(|k| !matches!(k, EventKind::SupplementProvided)) {
            Some(EventKind::Resolved) => 9,
            Some(EventKind::Withdrawn) => 7,
            Some(EventKind::Stopped) => 8,
            Some(EventKind::NotAccepted) => 3,
            Some(EventKind::SupplementRequested) => 5,
            _ => 4,
        }
    };
    let channel = match d.events[0].kind {
        EventKind::Received { channel: Channel::Online } => "2",
        EventKind::Received { channel: Channel::Postal } => "3",
        _ => "1",
    };
    let mut supplements: Vec<Value> = Vec::new();
    for e in &d.events {
        match e.kind {
            EventKind::SupplementRequested => supplements
                .push(json!({"NguoiYeuCauBoSung": "Cán bộ một cửa", "NoiDungBoSung": "Bổ sung bản sao", "NgayBoSung": moment(e.at)})),
            EventKind::SupplementProvided => supplements.last_mut().unwrap()["NgayTiepNhanBoSung"] = json!(moment(e.at)),
            _ => {}
        }
    }
    // Half the systems send the status as a number, half as text.
    let status = if i.is_multiple_of(2) { json!(status) } else { json!(status.to_string()) };
    json!({
        "MaHoSo": d.id, "MaTTHC": d.procedure, "TenTTHC": "Thủ tục", "MaLinhVuc": "", "TenLinhVuc": "",
        "ChuHoSo": "Nguyễn Văn An", "LoaiDoiTuong": "1", "MaDoiTuong": "", "SoDienThoai": "0912345678", "Email": null,
        "TrichYeuHoSo": "", "NgayTiepNhan": moment(d.events[0].at), "NgayHenTra": "", "TrangThaiHoSo": status,
        "NgayTra": returned, "NgayKetThucXuLy": ended, "DonViXuLy": d.unit, "KenhThucHien": channel, "GhiChu": "",
        "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí", "MaPhiLePhi": "", "HinhThucThu": "1", "Gia": 10000}],
        "DanhSachHoSoBoSung": supplements, "DanhSachGiayToKetQua": []
    })
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("cchc-dvcqg-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn national_body(dossiers: &[Dossier]) -> Vec<u8> {
    let mut data: Vec<Value> = dossiers.iter().enumerate().map(|(i, d)| national(d, i)).collect();
    // Two online registrations not yet received: not dossiers of the ledger.
    for i in 0..2 {
        data.push(
            json!({"MaHoSo": format!("DK-{i}"), "MaTTHC": "1.001193", "TrangThaiHoSo": "1", "DonViXuLy": "X1", "NgayTiepNhan": null}),
        );
    }
    serde_json::to_vec(&json!({"service": "DongBoHoSoMC", "isUpdating": false, "data": data})).unwrap()
}

/// The Biểu 06 columns of each row (the table also counts what the national body does not
/// carry: digitisation, ratings, the channel of a returned result).
fn bieu06(tables: &[Table]) -> Vec<Vec<(String, Vec<u64>)>> {
    let row = |c: &cchc_dossiers::Counts| cchc_dossiers::BIEU06_COLUMNS.iter().map(|(k, _)| c.figure(k).unwrap()).collect();
    tables.iter().map(|t| t.rows.iter().map(|((level, field), c)| (format!("{level:?} {field}"), row(c))).collect()).collect()
}

async fn tables(app: &App) -> Vec<Table> {
    let admin = common::user(Role::Admin, "P");
    let mut out = Vec::new();
    for p in ["2024-Y", "2024-Q1", "2024-H1", "2024-9M"] {
        out.push(cchc_app::ledger::statistics(app, &admin, "P", p.parse::<Period>().unwrap()).await.unwrap());
    }
    out
}

#[tokio::test]
async fn a_thousand_dossiers_in_the_national_format_give_the_same_bieu_06_as_in_csv() {
    let admin = common::user(Role::Admin, "P");
    let dossiers = fixture();
    let mut csv = Vec::new();
    cchc_dossiers::import::write_dossiers_csv(dossiers.iter(), &mut csv).unwrap();
    let (by_csv, by_national) = (app().await, app().await);
    let stored = cchc_app::ledger::import_export(&by_csv, &admin, &write("fixture.csv", &csv)).await.unwrap();
    assert_eq!(stored, Import::Stored(N));
    let read = cchc_app::ledger::import_national(&by_national, &admin, &write("fixture.json", &national_body(&dossiers))).await.unwrap();
    assert_eq!(read.import, Import::Stored(N));
    assert_eq!(read.skipped, 2);
    let expected = tables(&by_csv).await;
    let national_tables = tables(&by_national).await;
    assert_eq!(bieu06(&national_tables), bieu06(&expected));
    // Not a table of zeros: every kind of row the fixture holds is counted.
    let year = &expected[0];
    let total = year.total();
    let received = total.received_online + total.received_direct + total.received_postal;
    assert!(received > 900 && total.received_online > 0 && total.awaiting_supplement + total.returned > 0, "{total:?}");
    assert!(total.resolved_late > 0 && total.resolved_early > 0 && total.in_progress_within + total.in_progress_overdue > 0, "{total:?}");

    // cchc's own export in the national format, as the command line makes it for a sync (with the
    // applicants in full: an administrator's page export is masked and refused back), reads back
    // to the same tables.
    let sync = cchc_app::access::system_user("cli");
    let exported = cchc_app::ledger::export_national(&by_national, &sync, "P").await.unwrap();
    assert_eq!(exported["data"].as_array().unwrap().len(), N);
    let again = app().await;
    let path = write("export.json", &serde_json::to_vec(&exported).unwrap());
    assert_eq!(cchc_app::ledger::import_national(&again, &admin, &path).await.unwrap().import, Import::Stored(N));
    assert_eq!(tables(&again).await, national_tables);
}

#[tokio::test]
async fn a_bad_national_file_stores_nothing_and_says_why_in_vietnamese() {
    let admin = common::user(Role::Admin, "P");
    let dossiers = fixture();
    let mut body: Value = serde_json::from_slice(&national_body(&dossiers[..20])).unwrap();
    body["data"][3]["DonViXuLy"] = json!("KHONG-CO");
    body["data"][7]["NgayTiepNhan"] = json!("2024-02-30 08:00");
    let app = app().await;
    let read = cchc_app::ledger::import_national(&app, &admin, &write("bad.json", &serde_json::to_vec(&body).unwrap())).await.unwrap();
    let Import::Refused(errors) = read.import else { panic!("accepted") };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("Dòng 8, cột \"NgayTiepNhan\": hồ sơ "), "{errors:?}");
    // The unit is checked once the file reads.
    body["data"][7]["NgayTiepNhan"] = json!("20240201080000");
    let read = cchc_app::ledger::import_national(&app, &admin, &write("bad-unit.json", &serde_json::to_vec(&body).unwrap())).await.unwrap();
    assert_eq!(
        read.import,
        Import::Refused(vec![format!("Hồ sơ {}: đơn vị xử lý \"KHONG-CO\" không có trong danh sách đơn vị", dossiers[3].id)])
    );
    assert_eq!(tables(&app).await[0].total(), cchc_dossiers::Counts::default());
    // Only an administrator imports.
    let officer = common::user(Role::UnitOfficer, "X1");
    assert!(matches!(cchc_app::ledger::import_national(&app, &officer, &write("x.json", b"{}")).await, Err(cchc_app::Error::Forbidden(_))));
}
