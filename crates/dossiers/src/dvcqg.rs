//! The national public-service portal's synchronisation format (đồng bộ hồ sơ một cửa lên Cổng
//! Dịch vụ công quốc gia, DVCQG), as the provincial one-stop systems send it: a body
//! `{"service": "DongBoHoSoMC", "isUpdating": …, "data": [dossier, …]}`, each dossier with its
//! receipt code (MaHoSo), national procedure code (MaTTHC), the moments as `yyyyMMddHHmmss` in
//! Vietnam time, the national status code (TrangThaiHoSo 1–10) and its supplements
//! (DanhSachHoSoBoSung). The mapping to cchc's events, and what the format cannot express, is
//! docs/dvcqg.md; in short:
//!
//! | national | cchc |
//! |---|---|
//! | NgayTiepNhan, KenhThucHien (1 trực tiếp, 2 trực tuyến, 3 BCCI; absent: trực tiếp) | received |
//! | each DanhSachHoSoBoSung: NgayBoSung, NgayTiepNhanBoSung | supplement requested, provided |
//! | TrangThaiHoSo 3 (at NgayKetThucXuLy, else at receipt) | not accepted |
//! | 7, 8, 9 at NgayKetThucXuLy | withdrawn, stopped, resolved |
//! | 10: NgayKetThucXuLy, NgayTra | resolved, result returned (by the receiving channel) |
//! | 1 (registered online, not yet received) | not imported (counted as skipped) |
//! | 2, 4, 5, 6 | still open (5 needs an open supplement request) |
//!
//! Transfers (liên thông), extensions with an apology, fee requests and payments, and a refusal
//! during processing have no moment in this body: an export writes a refused dossier as 9 with
//! GhiChu "Từ chối giải quyết", a transfer as the last DonViXuLy, and the due date (NgayHenTra)
//! as cchc computes it; the import recomputes the due date from the procedure and the calendar.
//!
//! Pure: the caller reads the file and stores the dossiers.

use chrono::NaiveDateTime;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::import::RowError;
use crate::lifecycle::Status;
use crate::model::{Applicant, ApplicantKind, Channel, Dossier, Event, EventKind};

/// The service name of a dossier synchronisation body.
pub const SERVICE: &str = "DongBoHoSoMC";

/// What a body came to: the dossiers to store and how many registrations were not yet received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Read {
    pub dossiers: Vec<Dossier>,
    /// Status 1 (mới đăng ký): registered online, not yet received at the counter.
    pub skipped: usize,
}

/// One dossier of the body, as the portal names its fields. Codes and moments are read as text
/// or as numbers, because one-stop systems send either.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct National {
    ma_ho_so: Option<Value>,
    #[serde(rename = "MaTTHC")]
    ma_tthc: Option<Value>,
    ngay_tiep_nhan: Option<Value>,
    trang_thai_ho_so: Option<Value>,
    ngay_tra: Option<Value>,
    ngay_ket_thuc_xu_ly: Option<Value>,
    don_vi_xu_ly: Option<Value>,
    kenh_thuc_hien: Option<Value>,
    chu_ho_so: Option<Value>,
    loai_doi_tuong: Option<Value>,
    ma_doi_tuong: Option<Value>,
    so_dien_thoai: Option<Value>,
    email: Option<Value>,
    #[serde(default)]
    danh_sach_ho_so_bo_sung: Option<Vec<NationalSupplement>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct NationalSupplement {
    ngay_bo_sung: Option<Value>,
    ngay_tiep_nhan_bo_sung: Option<Value>,
}

/// A field's text: a string as it is, a number in its digits; absent, null or blank is `None`.
fn text(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// A moment `yyyyMMddHHmmss` (Vietnam time, as the portal writes every moment).
pub fn parse_moment(s: &str) -> Option<NaiveDateTime> {
    (s.len() == 14 && s.bytes().all(|b| b.is_ascii_digit())).then_some(())?;
    NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M%S").ok()
}

/// A moment as the portal writes it.
pub fn write_moment(t: NaiveDateTime) -> String {
    t.format("%Y%m%d%H%M%S").to_string()
}

/// Reads a body, all or nothing: every bad dossier is named by its place in `data` (1-based)
/// and its receipt code, with the field and the rule, in Vietnamese.
pub fn read(bytes: &[u8]) -> Result<Read, Vec<RowError>> {
    let whole = |message: String| vec![RowError { row: 0, column: "(tệp)".into(), message }];
    let body: Value =
        serde_json::from_slice(bytes).map_err(|e| whole(format!("JSON không hợp lệ: {}", cchc_format::serde_message(&e.to_string()))))?;
    let service = body.get("service").and_then(Value::as_str);
    if service.is_some_and(|s| s != SERVICE) {
        return Err(whole(format!("dịch vụ \"{}\" không phải đồng bộ hồ sơ ({SERVICE})", service.unwrap_or_default())));
    }
    let Some(data) = body.get("data").and_then(Value::as_array) else {
        return Err(whole("thiếu danh sách hồ sơ \"data\"".into()));
    };
    let mut out = Read::default();
    let mut errors = Vec::new();
    for (i, item) in data.iter().enumerate() {
        match dossier(i + 1, item) {
            Ok(Some(d)) => out.dossiers.push(d),
            Ok(None) => out.skipped += 1,
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// One dossier of `data`, or `None` for a registration not yet received.
fn dossier(row: usize, item: &Value) -> Result<Option<Dossier>, RowError> {
    let fail = |column: &str, message: String| RowError { row, column: column.into(), message };
    let n = National::deserialize(item).map_err(|e| fail("(hồ sơ)", cchc_format::serde_message(&e.to_string())))?;
    let required = |v: &Option<Value>, column: &str| text(v).ok_or_else(|| fail(column, "thiếu giá trị".into()));
    let id = required(&n.ma_ho_so, "MaHoSo")?;
    let fail = |column: &str, message: String| RowError { row, column: column.into(), message: format!("hồ sơ {id}: {message}") };
    let status = text(&n.trang_thai_ho_so)
        .and_then(|s| s.parse::<u8>().ok())
        .filter(|c| (1..=10).contains(c))
        .ok_or_else(|| fail("TrangThaiHoSo", "trạng thái phải là một số từ 1 đến 10".into()))?;
    if status == 1 {
        return Ok(None);
    }
    let moment = |v: &Option<Value>, column: &str| -> Result<Option<NaiveDateTime>, RowError> {
        match text(v) {
            None => Ok(None),
            Some(s) => parse_moment(&s).map(Some).ok_or_else(|| fail(column, format!("thời điểm \"{s}\" không đúng dạng yyyyMMddHHmmss"))),
        }
    };
    let must = |t: Option<NaiveDateTime>, column: &str| t.ok_or_else(|| fail(column, format!("trạng thái {status} cần thời điểm này")));
    let procedure = text(&n.ma_tthc).ok_or_else(|| fail("MaTTHC", "thiếu mã thủ tục".into()))?;
    let unit = text(&n.don_vi_xu_ly).ok_or_else(|| fail("DonViXuLy", "thiếu đơn vị xử lý".into()))?;
    let received = must(moment(&n.ngay_tiep_nhan, "NgayTiepNhan")?, "NgayTiepNhan")?;
    let channel = match text(&n.kenh_thuc_hien).as_deref() {
        None | Some("1") => Channel::Direct,
        Some("2") => Channel::Online,
        Some("3") => Channel::Postal,
        Some(other) => {
            return Err(fail("KenhThucHien", format!("kênh \"{other}\" không hợp lệ (1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích)")));
        }
    };
    let ended = moment(&n.ngay_ket_thuc_xu_ly, "NgayKetThucXuLy")?;
    let mut events = vec![Event { at: received, kind: EventKind::Received { channel }, by: None, note: None }];
    let mut open_supplement = false;
    for s in n.danh_sach_ho_so_bo_sung.iter().flatten() {
        let asked = must(moment(&s.ngay_bo_sung, "NgayBoSung")?, "NgayBoSung")?;
        events.push(Event { at: asked, kind: EventKind::SupplementRequested, by: None, note: None });
        match moment(&s.ngay_tiep_nhan_bo_sung, "NgayTiepNhanBoSung")? {
            Some(t) => events.push(Event { at: t, kind: EventKind::SupplementProvided, by: None, note: None }),
            None => open_supplement = true,
        }
    }
    match status {
        3 => events.push(Event { at: ended.unwrap_or(received), kind: EventKind::NotAccepted, by: None, note: None }),
        5 if !open_supplement => {
            return Err(fail("DanhSachHoSoBoSung", "trạng thái 5 (yêu cầu bổ sung) nhưng không có yêu cầu bổ sung nào đang chờ".into()));
        }
        7 => events.push(Event { at: must(ended, "NgayKetThucXuLy")?, kind: EventKind::Withdrawn, by: None, note: None }),
        8 => events.push(Event { at: must(ended, "NgayKetThucXuLy")?, kind: EventKind::Stopped, by: None, note: None }),
        9 | 10 => {
            events.push(Event { at: must(ended, "NgayKetThucXuLy")?, kind: EventKind::Resolved, by: None, note: None });
            if status == 10 {
                let returned = must(moment(&n.ngay_tra, "NgayTra")?, "NgayTra")?;
                events.push(Event { at: returned, kind: EventKind::ResultReturned { channel }, by: None, note: None });
            }
        }
        _ => {}
    }
    events.sort_by_key(|e| e.at);
    Ok(Some(Dossier {
        id,
        unit,
        procedure,
        events,
        digitised: false,
        rating: None,
        applicant: applicant(&n),
        handler: None,
        assignments: Vec::new(),
    }))
}

/// The applicant of a national dossier: ChuHoSo (its name), LoaiDoiTuong (2 an organisation,
/// else a citizen), MaDoiTuong (ID number or tax code), SoDienThoai, Email; none without a name.
fn applicant(n: &National) -> Option<Applicant> {
    Some(Applicant {
        kind: if text(&n.loai_doi_tuong).as_deref() == Some("2") { ApplicantKind::Organisation } else { ApplicantKind::Person },
        name: text(&n.chu_ho_so)?,
        id_number: text(&n.ma_doi_tuong),
        phone: text(&n.so_dien_thoai),
        address: None,
        email: text(&n.email),
    })
}

/// The step updates (CapNhatTienDoHoSoMC) of a dossier: one per event whose actor is known, with
/// the actor as NguoiXuLy, its moment as ThoiDiemXuLy, the event's Vietnamese name as
/// NoiDungXuLy and the handling unit as PhongBanXuLy.
pub fn write_steps(d: &Dossier) -> Vec<Value> {
    d.events
        .iter()
        .filter_map(|e| {
            let by = e.by.as_deref()?;
            Some(json!({
                "MaHoSo": d.id,
                "NguoiXuLy": by,
                "ThoiDiemXuLy": write_moment(e.at),
                "NoiDungXuLy": e.kind.tag().name_vi(),
                "PhongBanXuLy": d.handling_unit(),
            }))
        })
        .collect()
}

/// Sets the actor of each event of `dossiers` named by a step update (CapNhatTienDoHoSoMC:
/// MaHoSo, NguoiXuLy, ThoiDiemXuLy) at the event's moment; updates of other dossiers or
/// moments are ignored. Returns how many events got their actor.
pub fn read_steps(dossiers: &mut [Dossier], steps: &[Value]) -> usize {
    let mut set = 0;
    for step in steps {
        let field = |k: &str| text(&step.get(k).cloned());
        let (Some(id), Some(by), Some(at)) = (field("MaHoSo"), field("NguoiXuLy"), field("ThoiDiemXuLy").and_then(|t| parse_moment(&t)))
        else {
            continue;
        };
        if let Some(e) = dossiers.iter_mut().filter(|d| d.id == id).flat_map(|d| d.events.iter_mut()).find(|e| e.at == at && e.by.is_none())
        {
            e.by = Some(by);
            set += 1;
        }
    }
    set
}

/// Reads a body of step updates ([`STEPS_SERVICE`], as [`write_steps_body`] writes it), all or
/// nothing: each update needs MaHoSo, NguoiXuLy and ThoiDiemXuLy (yyyyMMddHHmmss), and a bad one
/// is named by its place in `data` (1-based) and its field, in Vietnamese.
pub fn read_steps_body(bytes: &[u8]) -> Result<Vec<Value>, Vec<RowError>> {
    let whole = |message: String| vec![RowError { row: 0, column: "(tệp)".into(), message }];
    let body: Value =
        serde_json::from_slice(bytes).map_err(|e| whole(format!("JSON không hợp lệ: {}", cchc_format::serde_message(&e.to_string()))))?;
    let service = body.get("service").and_then(Value::as_str);
    if service != Some(STEPS_SERVICE) {
        return Err(whole(format!("dịch vụ \"{}\" không phải cập nhật tiến độ ({STEPS_SERVICE})", service.unwrap_or_default())));
    }
    let Some(data) = body.get("data").and_then(Value::as_array) else {
        return Err(whole("thiếu danh sách cập nhật \"data\"".into()));
    };
    let mut errors = Vec::new();
    for (i, step) in data.iter().enumerate() {
        let field = |k: &str| text(&step.get(k).cloned());
        for column in ["MaHoSo", "NguoiXuLy", "ThoiDiemXuLy"] {
            if field(column).is_none() {
                errors.push(RowError { row: i + 1, column: column.into(), message: "thiếu giá trị".into() });
            }
        }
        if let Some(t) = field("ThoiDiemXuLy").filter(|t| parse_moment(t).is_none()) {
            errors.push(RowError {
                row: i + 1,
                column: "ThoiDiemXuLy".into(),
                message: format!("thời điểm \"{t}\" không đúng dạng yyyyMMddHHmmss"),
            });
        }
    }
    if errors.is_empty() { Ok(data.clone()) } else { Err(errors) }
}

/// What an export knows of a dossier beyond its events.
#[derive(Debug, Clone, Default)]
pub struct Described {
    pub procedure_name: String,
    pub field_code: String,
    pub field_name: String,
    /// The due date (ngày hẹn trả) as cchc computes it.
    pub due: Option<NaiveDateTime>,
    /// Its status code (1–10) and whether it ended refused.
    pub status: Option<Status>,
}

/// One dossier in the portal's form (see the module's table for what is lost).
pub fn write_dossier(d: &Dossier, about: &Described) -> Value {
    let channel = match d.events.first().map(|e| &e.kind) {
        Some(EventKind::Received { channel: Channel::Online }) => 2,
        Some(EventKind::Received { channel: Channel::Postal }) => 3,
        _ => 1,
    };
    let at = |want: fn(&EventKind) -> bool| d.events.iter().rev().find(|e| want(&e.kind)).map(|e| write_moment(e.at));
    let ended =
        at(|k| matches!(k, EventKind::Resolved | EventKind::Refused | EventKind::Withdrawn | EventKind::Stopped | EventKind::NotAccepted));
    let returned = at(|k| matches!(k, EventKind::ResultReturned { .. }));
    let status = about.status.map_or(4, Status::code);
    let refused = about.status == Some(Status::Refused);
    let mut supplements = Vec::new();
    for e in &d.events {
        match e.kind {
            EventKind::SupplementRequested => supplements.push(json!({"NgayBoSung": write_moment(e.at), "NgayTiepNhanBoSung": null})),
            EventKind::SupplementProvided => {
                if let Some(last) = supplements.last_mut() {
                    last["NgayTiepNhanBoSung"] = json!(write_moment(e.at));
                }
            }
            _ => {}
        }
    }
    let mut out = json!({
        "MaHoSo": d.id,
        "MaTTHC": d.procedure,
        "TenTTHC": about.procedure_name,
        "MaLinhVuc": about.field_code,
        "TenLinhVuc": about.field_name,
        "NgayTiepNhan": d.events.first().map(|e| write_moment(e.at)),
        "NgayHenTra": about.due.map(write_moment),
        // A refusal during processing has no code of its own: 9, with a note.
        "TrangThaiHoSo": if refused { "9".to_string() } else { status.to_string() },
        "NgayKetThucXuLy": ended,
        "NgayTra": returned,
        "DonViXuLy": last_unit(d),
        "KenhThucHien": channel.to_string(),
        "GhiChu": if refused { "Từ chối giải quyết" } else { "" },
        "DanhSachHoSoBoSung": supplements,
    });
    if let Some(a) = &d.applicant {
        out["ChuHoSo"] = json!(a.name);
        out["LoaiDoiTuong"] = json!(if a.kind == ApplicantKind::Organisation { "2" } else { "1" });
        out["MaDoiTuong"] = json!(a.id_number);
        out["SoDienThoai"] = json!(a.phone);
        out["Email"] = json!(a.email);
    }
    out
}

/// The unit handling a dossier now: the last unit it was transferred to, else the receiving one.
fn last_unit(d: &Dossier) -> &str {
    d.events
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            EventKind::Transferred { to_unit } => Some(to_unit.as_str()),
            _ => None,
        })
        .unwrap_or(&d.unit)
}

/// The service name of the step updates.
pub const STEPS_SERVICE: &str = "CapNhatTienDoHoSoMC";

/// The whole body of the step updates ([`write_steps`]).
pub fn write_steps_body(steps: Vec<Value>) -> Value {
    json!({"service": STEPS_SERVICE, "data": steps})
}

/// The whole body of an export.
pub fn write_body(dossiers: Vec<Value>) -> Value {
    json!({"service": SERVICE, "isUpdating": false, "data": dossiers})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        parse_moment(s).unwrap()
    }

    #[test]
    fn moments_are_fourteen_digits_of_a_real_moment() {
        assert_eq!(write_moment(t("20240208093000")), "20240208093000");
        for bad in ["2024020809300", "2024-02-08 09:30", "20240230093000", "20241308093000", "+0240208093000"] {
            assert_eq!(parse_moment(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_returned_dossier_with_a_supplement_reads_as_its_events() {
        let body = r#"{"service":"DongBoHoSoMC","isUpdating":true,"data":[
            {"MaHoSo":"H42.01-240208-0001","MaTTHC":"1.001193","TrangThaiHoSo":10,"KenhThucHien":"2",
             "NgayTiepNhan":"20240201080000","NgayKetThucXuLy":"20240215160000","NgayTra":20240216090000,
             "DonViXuLy":"99101N","ChuHoSo":"Nguyễn Văn A",
             "DanhSachHoSoBoSung":[{"NgayBoSung":"20240202100000","NgayTiepNhanBoSung":"20240205080000"}]},
            {"MaHoSo":"H42.01-240208-0002","MaTTHC":"1.001193","TrangThaiHoSo":"1","DonViXuLy":"99101N"}]}"#;
        let read = read(body.as_bytes()).unwrap();
        assert_eq!(read.skipped, 1);
        let d = &read.dossiers[0];
        let kinds: Vec<_> = d.events.iter().map(|e| e.kind.tag().csv()).collect();
        assert_eq!(kinds, ["tiep-nhan", "yeu-cau-bo-sung", "bo-sung", "da-xu-ly", "tra-ket-qua"]);
        assert_eq!(d.events[0].kind, EventKind::Received { channel: Channel::Online });
        assert_eq!(d.events[4].at, t("20240216090000"));
        let a = d.applicant.as_ref().expect("ChuHoSo read as the applicant");
        assert_eq!((a.kind, a.name.as_str(), a.phone.as_deref()), (ApplicantKind::Person, "Nguyễn Văn A", None));
    }

    #[test]
    fn the_applicant_and_the_actors_are_written_and_read_back() {
        let mut d = Dossier {
            id: "X-1".into(),
            unit: "99101N".into(),
            procedure: "1.001193".into(),
            events: vec![
                Event {
                    at: t("20240201080000"),
                    kind: EventKind::Received { channel: Channel::Direct },
                    by: Some("sonha".into()),
                    note: None,
                },
                Event::new(t("20240203080000"), EventKind::Resolved),
            ],
            digitised: false,
            rating: None,
            applicant: Some(Applicant {
                kind: ApplicantKind::Organisation,
                name: "Công ty TNHH Hoa Sen".into(),
                id_number: Some("0101234567".into()),
                phone: Some("0241234567".into()),
                address: Some("Hà Nội".into()),
                email: Some("hoasen@example.vn".into()),
            }),
            handler: None,
            assignments: Vec::new(),
        };
        let written = write_dossier(&d, &Described::default());
        assert_eq!((written["ChuHoSo"].as_str(), written["LoaiDoiTuong"].as_str()), (Some("Công ty TNHH Hoa Sen"), Some("2")));
        let body = serde_json::to_vec(&write_body(vec![written])).unwrap();
        let back = read(&body).unwrap().dossiers.remove(0);
        let a = back.applicant.clone().unwrap();
        assert_eq!(
            Applicant { address: Some("Hà Nội".into()), ..a },
            d.applicant.clone().unwrap(),
            "all but the address, which the format lacks"
        );
        let steps = write_steps(&d);
        assert_eq!(steps.len(), 1);
        assert_eq!((steps[0]["NguoiXuLy"].as_str(), steps[0]["ThoiDiemXuLy"].as_str()), (Some("sonha"), Some("20240201080000")));
        d.events[0].by = None;
        let mut ds = vec![d];
        assert_eq!(read_steps(&mut ds, &steps), 1);
        assert_eq!(ds[0].events[0].by.as_deref(), Some("sonha"));
        let body = serde_json::to_vec(&write_steps_body(steps.clone())).unwrap();
        assert_eq!(read_steps_body(&body).unwrap(), steps, "the step body reads back");
    }

    #[test]
    fn bad_step_updates_are_named_with_their_place_and_field() {
        let body = r#"{"service":"CapNhatTienDoHoSoMC","data":[
            {"MaHoSo":"A","NguoiXuLy":"sonha","ThoiDiemXuLy":"20240201080000"},
            {"MaHoSo":"B","ThoiDiemXuLy":"01/02/2024"}]}"#;
        let errors: Vec<String> = read_steps_body(body.as_bytes()).unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "Dòng 2, cột \"NguoiXuLy\": thiếu giá trị",
                "Dòng 2, cột \"ThoiDiemXuLy\": thời điểm \"01/02/2024\" không đúng dạng yyyyMMddHHmmss",
            ]
        );
        let other = read_steps_body(br#"{"service":"DongBoHoSoMC","data":[]}"#).unwrap_err();
        assert_eq!(
            other[0].to_string(),
            "Dòng 0, cột \"(tệp)\": dịch vụ \"DongBoHoSoMC\" không phải cập nhật tiến độ (CapNhatTienDoHoSoMC)"
        );
    }

    #[test]
    fn bad_dossiers_are_named_with_their_place_field_and_rule() {
        let body = r#"{"data":[
            {"MaHoSo":"A","MaTTHC":"1","TrangThaiHoSo":"11","DonViXuLy":"X","NgayTiepNhan":"20240201080000"},
            {"MaHoSo":"B","MaTTHC":"1","TrangThaiHoSo":"9","DonViXuLy":"X","NgayTiepNhan":"20240201080000"},
            {"MaHoSo":"C","MaTTHC":"1","TrangThaiHoSo":"4","DonViXuLy":"X","NgayTiepNhan":"01/02/2024"},
            {"MaTTHC":"1"},
            {"MaHoSo":"E","MaTTHC":"1","TrangThaiHoSo":"5","DonViXuLy":"X","NgayTiepNhan":"20240201080000"},
            "không phải hồ sơ"]}"#;
        let errors: Vec<String> = read(body.as_bytes()).unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "Dòng 1, cột \"TrangThaiHoSo\": hồ sơ A: trạng thái phải là một số từ 1 đến 10",
                "Dòng 2, cột \"NgayKetThucXuLy\": hồ sơ B: trạng thái 9 cần thời điểm này",
                "Dòng 3, cột \"NgayTiepNhan\": hồ sơ C: thời điểm \"01/02/2024\" không đúng dạng yyyyMMddHHmmss",
                "Dòng 4, cột \"MaHoSo\": thiếu giá trị",
                "Dòng 5, cột \"DanhSachHoSoBoSung\": hồ sơ E: trạng thái 5 (yêu cầu bổ sung) nhưng không có yêu cầu bổ sung nào đang chờ",
                "Dòng 6, cột \"(hồ sơ)\": sai kiểu giá trị: gặp chuỗi \"không phải hồ sơ\", cần một đối tượng { … }",
            ]
        );
        let whole = read(b"{\"service\":\"CapNhatTienDoHoSoMC\",\"data\":[]}").unwrap_err();
        assert_eq!(whole[0].to_string(), "Dòng 0, cột \"(tệp)\": dịch vụ \"CapNhatTienDoHoSoMC\" không phải đồng bộ hồ sơ (DongBoHoSoMC)");
    }
}
