//! Reading procedure lists and dossier exports: streaming, one Vietnamese error per bad row,
//! all or nothing.

use std::collections::HashMap;
use std::io::Read;

use cchc_units::Level;
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::model::{Channel, Dossier, Event, EventKind, OnlineClass, Procedure, ProcessingTime};

/// One bad row of an import: row number (1-based, header excluded), column and rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Dòng {row}, cột \"{column}\": {message}")]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

fn err(row: usize, column: &str, message: impl Into<String>) -> RowError {
    RowError { row, column: column.into(), message: message.into() }
}

#[derive(Deserialize)]
struct ProcedureRow {
    code: String,
    name: String,
    field: String,
    level: String,
    time_unit: String,
    time: u32,
    online: String,
    fee: Option<i64>,
}

/// Reads a procedure list (CSV: code,name,field,level,time_unit,time,online,fee).
pub fn read_procedures(input: impl Read) -> Result<Vec<Procedure>, Vec<RowError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, rec) in csv::Reader::from_reader(input).deserialize::<ProcedureRow>().enumerate() {
        let row = i + 1;
        match rec.map_err(|e| err(row, "(dòng)", format!("không đọc được: {e}"))).and_then(|r| procedure(row, r)) {
            Ok(p) => out.push(p),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

fn procedure(row: usize, r: ProcedureRow) -> Result<Procedure, RowError> {
    let level = Level::from_slug(&r.level).ok_or_else(|| err(row, "level", format!("cấp \"{}\" không hợp lệ (tinh, huyen, xa)", r.level)))?;
    let time = match r.time_unit.as_str() {
        "working-days" => ProcessingTime::WorkingDays(r.time),
        "working-hours" => ProcessingTime::WorkingHours(r.time),
        "calendar-days" => ProcessingTime::CalendarDays(r.time),
        other => return Err(err(row, "time_unit", format!("đơn vị thời gian \"{other}\" không hợp lệ (working-days, working-hours, calendar-days)"))),
    };
    let online = match r.online.as_str() {
        "none" | "" => OnlineClass::None,
        "partial" => OnlineClass::Partial,
        "full" => OnlineClass::Full,
        "muc-do-3" => OnlineClass::Level3,
        "muc-do-4" => OnlineClass::Level4,
        other => return Err(err(row, "online", format!("mức cung cấp trực tuyến \"{other}\" không hợp lệ"))),
    };
    if r.code.trim().is_empty() {
        return Err(err(row, "code", "thiếu mã thủ tục"));
    }
    if r.fee.is_some_and(|f| f < 0) {
        return Err(err(row, "fee", "phí, lệ phí không được âm"));
    }
    Ok(Procedure { code: r.code, name: r.name, field: r.field, level, time, online, fee: r.fee })
}

/// The procedures shipped with cchc for the demo and tests (synthetic codes `DEMO.*`).
pub fn default_procedures() -> Vec<Procedure> {
    read_procedures(include_str!("../data/procedures.csv").as_bytes()).expect("the shipped list is valid")
}

#[derive(Deserialize)]
struct EventRow {
    id: String,
    unit: String,
    procedure: String,
    at: String,
    event: String,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    new_due: Option<String>,
    #[serde(default)]
    apology: Option<u8>,
    #[serde(default)]
    to_unit: Option<String>,
    #[serde(default)]
    digitised: Option<u8>,
    #[serde(default)]
    rating: Option<u8>,
}

/// Reads a dossier export in CSV, one row per event:
/// `id,unit,procedure,at,event,channel,new_due,apology,to_unit,digitised,rating`.
/// Rows of a dossier are grouped by `id` in file order.
pub fn read_dossiers_csv(input: impl Read) -> Result<Vec<Dossier>, Vec<RowError>> {
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Dossier> = Vec::new();
    let mut errors = Vec::new();
    for (i, rec) in csv::Reader::from_reader(input).deserialize::<EventRow>().enumerate() {
        let row = i + 1;
        let parsed = rec.map_err(|e| err(row, "(dòng)", format!("không đọc được: {e}"))).and_then(|r| event(row, &r).map(|ev| (r, ev)));
        match parsed {
            Err(e) => errors.push(e),
            Ok((r, ev)) => {
                let idx = *by_id.entry(r.id.clone()).or_insert_with(|| {
                    out.push(Dossier { id: r.id.clone(), unit: r.unit.clone(), procedure: r.procedure.clone(), events: Vec::new(), digitised: false, rating: None });
                    out.len() - 1
                });
                let d = &mut out[idx];
                d.digitised |= r.digitised == Some(1);
                d.rating = r.rating.or(d.rating);
                d.events.push(ev);
            }
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// A moment as exports and forms write it: `yyyy-mm-dd HH:MM`, `yyyy-mm-ddTHH:MM[:SS]` (an HTML
/// date-time input) or `dd/mm/yyyy HH:MM`.
pub fn parse_moment(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
}

/// A channel by its slug: `truc-tiep`, `truc-tuyen`, `bcci` (or the English names).
pub fn parse_channel(s: &str) -> Option<Channel> {
    match s {
        "truc-tiep" | "direct" => Some(Channel::Direct),
        "truc-tuyen" | "online" => Some(Channel::Online),
        "bcci" | "postal" => Some(Channel::Postal),
        _ => None,
    }
}

/// An event as an export row or a counter's form states it, before it is typed.
#[derive(Debug, Clone, Default)]
pub struct EventFields<'a> {
    /// The event's slug: `tiep-nhan`, `lien-thong`, `yeu-cau-bo-sung`, … (see the README).
    pub event: &'a str,
    pub at: &'a str,
    pub channel: Option<&'a str>,
    pub new_due: Option<&'a str>,
    pub apology: bool,
    pub to_unit: Option<&'a str>,
}

/// Types an event, or names the field that is wrong and why (Vietnamese).
pub fn event_from_fields(f: &EventFields<'_>) -> Result<Event, (&'static str, String)> {
    let moment = |column: &'static str, s: &str| {
        parse_moment(s).ok_or_else(|| (column, format!("thời điểm \"{s}\" không hợp lệ (dd/mm/yyyy HH:MM hoặc yyyy-mm-dd HH:MM)")))
    };
    let channel = || {
        let s = f.channel.unwrap_or("");
        parse_channel(s).ok_or_else(|| ("channel", format!("kênh \"{s}\" không hợp lệ (truc-tiep, truc-tuyen, bcci)")))
    };
    let at = moment("at", f.at)?;
    let kind = match f.event {
        "tiep-nhan" => EventKind::Received { channel: channel()? },
        "khong-tiep-nhan" => EventKind::NotAccepted,
        "lien-thong" => EventKind::Transferred {
            to_unit: f.to_unit.map(str::trim).filter(|u| !u.is_empty()).ok_or(("to_unit", "chuyển liên thông phải có đơn vị nhận".to_string()))?.into(),
        },
        "yeu-cau-bo-sung" => EventKind::SupplementRequested,
        "bo-sung" => EventKind::SupplementProvided,
        "yeu-cau-nghia-vu-tai-chinh" => EventKind::FeeRequested,
        "nop-phi" => EventKind::FeePaid { online: f.channel == Some("truc-tuyen") },
        "gia-han" => EventKind::Extended {
            new_due: moment("new_due", f.new_due.filter(|d| !d.trim().is_empty()).ok_or(("new_due", "gia hạn phải có ngày hẹn mới".to_string()))?)?,
            apology: f.apology,
        },
        "da-xu-ly" => EventKind::Resolved,
        "tu-choi" => EventKind::Refused,
        "rut-ho-so" => EventKind::Withdrawn,
        "dung-xu-ly" => EventKind::Stopped,
        "tra-ket-qua" => EventKind::ResultReturned { channel: channel()? },
        other => return Err(("event", format!("sự kiện \"{other}\" không hợp lệ"))),
    };
    Ok(Event { at, kind })
}

fn event(row: usize, r: &EventRow) -> Result<Event, RowError> {
    let fields = EventFields {
        event: &r.event,
        at: &r.at,
        channel: r.channel.as_deref(),
        new_due: r.new_due.as_deref(),
        apology: r.apology == Some(1),
        to_unit: r.to_unit.as_deref(),
    };
    event_from_fields(&fields).map_err(|(column, message)| err(row, column, message))
}

/// Reads dossiers as JSON lines (one `Dossier` per line).
pub fn read_dossiers_jsonl(input: impl std::io::BufRead) -> Result<Vec<Dossier>, Vec<RowError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in input.split(b'\n').enumerate() {
        let line = line.map_err(|e| vec![err(i + 1, "(dòng)", format!("không đọc được: {e}"))])?;
        match dossier_line(i + 1, &line) {
            Ok((_, d)) => out.push(d),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// One line of a JSON-lines export (row `row`, without its `\n`; a trailing `\r` is dropped):
/// the dossier, and the line's text as read.
pub fn dossier_line(row: usize, line: &[u8]) -> Result<(&str, Dossier), RowError> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = std::str::from_utf8(line).map_err(|_| err(row, "(dòng)", "dòng không phải văn bản UTF-8"))?;
    let dossier = serde_json::from_str::<Dossier>(text).map_err(|e| err(row, "(dòng)", format!("JSON không hợp lệ: {}", cchc_format::serde_message(&e.to_string()))))?;
    Ok((text, dossier))
}
