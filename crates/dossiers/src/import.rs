//! Reading procedure lists and dossier exports: streaming, one Vietnamese error per bad row,
//! all or nothing.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::Read;

use cchc_units::Level;
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::model::{Applicant, ApplicantKind, Channel, Dossier, Event, EventKind, OnlineClass, Procedure, ProcessingTime};
use crate::vocabulary::EventTag;

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

/// What a CSV reader's error means to the person who exported the file, in Vietnamese (never
/// the csv crate's English).
fn csv_message(e: &csv::Error) -> String {
    use csv::{DeserializeErrorKind, ErrorKind};
    let column = |field: Option<u64>| field.map_or_else(String::new, |f| format!("cột thứ {}: ", f + 1));
    match e.kind() {
        ErrorKind::Utf8 { err, .. } => {
            format!("{}không phải văn bản UTF-8 (hãy lưu tệp CSV với bảng mã UTF-8)", column(Some(err.field() as u64)))
        }
        ErrorKind::UnequalLengths { expected_len, len, .. } => format!("dòng có {len} cột, dòng tiêu đề có {expected_len} cột"),
        ErrorKind::Deserialize { err, .. } => {
            let what = match err.kind() {
                DeserializeErrorKind::Message(m) => cchc_format::serde_message(m),
                DeserializeErrorKind::ParseInt(_) => "không phải số nguyên".to_string(),
                DeserializeErrorKind::ParseFloat(_) => "không phải số".to_string(),
                DeserializeErrorKind::ParseBool(_) => "không phải true/false".to_string(),
                DeserializeErrorKind::UnexpectedEndOfRow => "dòng thiếu cột".to_string(),
                DeserializeErrorKind::InvalidUtf8(_) => "không phải văn bản UTF-8".to_string(),
                DeserializeErrorKind::Unsupported(_) => "giá trị không đọc được".to_string(),
            };
            format!("{}{what}", column(err.field()))
        }
        ErrorKind::Io(_) => "không đọc được tệp".to_string(),
        _ => "dòng không đọc được".to_string(),
    }
}

/// Reads a procedure list (CSV: code,name,field,level,time_unit,time,online,fee).
pub fn read_procedures(input: impl Read) -> Result<Vec<Procedure>, Vec<RowError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, rec) in csv::Reader::from_reader(input).deserialize::<ProcedureRow>().enumerate() {
        let row = i + 1;
        match rec.map_err(|e| err(row, "(dòng)", csv_message(&e))).and_then(|r| procedure(row, r)) {
            Ok(p) => out.push(p),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

fn procedure(row: usize, r: ProcedureRow) -> Result<Procedure, RowError> {
    let level =
        Level::from_slug(&r.level).ok_or_else(|| err(row, "level", format!("cấp \"{}\" không hợp lệ (tinh, huyen, xa)", r.level)))?;
    let time = match r.time_unit.as_str() {
        "working-days" => ProcessingTime::WorkingDays(r.time),
        "working-hours" => ProcessingTime::WorkingHours(r.time),
        "calendar-days" => ProcessingTime::CalendarDays(r.time),
        other => {
            return Err(err(
                row,
                "time_unit",
                format!("đơn vị thời gian \"{other}\" không hợp lệ (working-days, working-hours, calendar-days)"),
            ));
        }
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

/// A row of a CSV export, borrowed from the reader's record (no allocation per row).
struct EventRow<'a> {
    id: &'a str,
    unit: &'a str,
    procedure: &'a str,
    at: &'a str,
    event: &'a str,
    channel: Option<&'a str>,
    new_due: Option<&'a str>,
    apology: Option<u8>,
    to_unit: Option<&'a str>,
    digitised: Option<u8>,
    rating: Option<u8>,
    /// The event's actor, the dossier's handler, and the applicant's columns (optional).
    by: Option<&'a str>,
    handler: Option<&'a str>,
    applicant: [Option<&'a str>; 6],
    /// What the officer wrote with the event (optional column `note`).
    note: Option<&'a str>,
}

/// Where each column of a CSV export is, found once from its header (in any order; the
/// optional ones may be missing). Read by position rather than through serde, which matched
/// every field of every row by name (a fifth of the reader thread's time when measured).
struct Columns {
    required: [usize; 5],
    optional: [Option<usize>; 15],
}

const REQUIRED: [&str; 5] = ["id", "unit", "procedure", "at", "event"];
const OPTIONAL: [&str; 15] = [
    "channel",
    "new_due",
    "apology",
    "to_unit",
    "digitised",
    "rating",
    "by",
    "handler",
    "applicant_kind",
    "applicant_name",
    "applicant_id",
    "applicant_phone",
    "applicant_address",
    "applicant_email",
    "note",
];

impl Columns {
    fn of(headers: &csv::StringRecord) -> Result<Columns, RowError> {
        let find = |name: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}').trim() == name);
        let mut required = [0; 5];
        for (slot, name) in required.iter_mut().zip(REQUIRED) {
            *slot =
                find(name).ok_or_else(|| err(1, name, format!("tệp không có cột này (dòng tiêu đề phải có {})", REQUIRED.join(","))))?;
        }
        Ok(Columns { required, optional: OPTIONAL.map(find) })
    }

    fn row<'r>(&self, row: usize, r: &'r csv::StringRecord) -> Result<EventRow<'r>, RowError> {
        let text = |i: usize| r.get(self.required[i]).unwrap_or("");
        let optional = |i: usize| self.optional[i].and_then(|c| r.get(c)).filter(|s| !s.is_empty());
        let number = |i: usize| {
            optional(i)
                .map(|s| s.trim().parse::<u8>().map_err(|_| err(row, OPTIONAL[i], format!("\"{s}\" không phải số nguyên từ 0 đến 255"))))
                .transpose()
        };
        Ok(EventRow {
            id: text(0),
            unit: text(1),
            procedure: text(2),
            at: text(3),
            event: text(4),
            channel: optional(0),
            new_due: optional(1),
            apology: number(2)?,
            to_unit: optional(3),
            digitised: number(4)?,
            rating: number(5)?,
            by: optional(6),
            handler: optional(7),
            applicant: [optional(8), optional(9), optional(10), optional(11), optional(12), optional(13)],
            note: optional(14),
        })
    }
}

/// Reads a dossier export in CSV, one row per event:
/// `id,unit,procedure,at,event,channel,new_due,apology,to_unit,digitised,rating`, and optionally
/// `by` (the event's actor), `handler` and the applicant's `applicant_kind` (`ca-nhan`,
/// `to-chuc`), `applicant_name`, `applicant_id`, `applicant_phone`, `applicant_address`,
/// `applicant_email` (on any row of the dossier; a row with a name gives the applicant).
/// Rows of a dossier are grouped by `id` in file order, wherever they are in the file.
pub fn read_dossiers_csv(input: impl Read) -> Result<Vec<Dossier>, Vec<RowError>> {
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Dossier> = Vec::new();
    let mut errors = Vec::new();
    for_each_row(input, |_, parsed| {
        match parsed {
            Err(e) => errors.push(e),
            Ok((r, ev)) => {
                let idx = match by_id.get(r.id) {
                    Some(i) => *i,
                    None => {
                        out.push(new_dossier(&r));
                        by_id.insert(r.id.to_string(), out.len() - 1);
                        out.len() - 1
                    }
                };
                add_row(&mut out[idx], &r, ev);
            }
        }
        true
    });
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// How [`stream_dossiers_csv`] ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvStream {
    /// The file was read (or the reader was told to stop): its bad rows, if any — then the
    /// dossiers passed on must not be kept, as with [`read_dossiers_csv`]'s errors.
    Read(Vec<RowError>),
    /// Row `row` goes back to dossier `id` after rows of other dossiers: the export is not
    /// grouped by dossier. The dossiers passed on must not be kept; read it with
    /// [`read_dossiers_csv`].
    Ungrouped { row: usize, id: String },
}

/// Reads a CSV export whose rows of each dossier are together — one-stop software writes them
/// so — passing on each dossier to `take` as soon as its rows are read (`take` returns `false`
/// to stop). Memory holds one dossier and 8 bytes per dossier seen, not the file. For a grouped
/// export it gives [`read_dossiers_csv`]'s dossiers in the same order.
pub fn stream_dossiers_csv(input: impl Read, mut take: impl FnMut(Dossier) -> bool) -> CsvStream {
    let mut done: HashSet<u64> = HashSet::new();
    let mut current: Option<Dossier> = None;
    let mut errors = Vec::new();
    let mut ungrouped = None;
    let mut stopped = false;
    for_each_row(input, |row, parsed| {
        let (r, ev) = match parsed {
            Ok(ok) => ok,
            Err(e) => {
                errors.push(e);
                return true;
            }
        };
        if current.as_ref().is_some_and(|d| d.id != r.id) {
            let d = current.take().expect("checked");
            done.insert(id_hash(&d.id));
            if !take(d) {
                stopped = true;
                return false;
            }
        }
        if current.is_none() && done.contains(&id_hash(r.id)) {
            // A hash collision only sends the file to the whole-file reader: still correct.
            ungrouped = Some(CsvStream::Ungrouped { row, id: r.id.to_string() });
            return false;
        }
        add_row(current.get_or_insert_with(|| new_dossier(&r)), &r, ev);
        true
    });
    if let Some(u) = ungrouped {
        return u;
    }
    if let Some(d) = current.filter(|_| !stopped) {
        take(d);
    }
    CsvStream::Read(errors)
}

/// Calls `f` on each row of a CSV export, numbered from 1 (the header excluded), parsed and
/// typed, until it returns `false`.
fn for_each_row(input: impl Read, mut f: impl FnMut(usize, Result<(EventRow<'_>, Event), RowError>) -> bool) {
    let unreadable = |row: usize, e: csv::Error| err(row, "(dòng)", csv_message(&e));
    let mut reader = csv::Reader::from_reader(input);
    let columns = match reader.headers().map_err(|e| unreadable(1, e)).and_then(Columns::of) {
        Ok(c) => c,
        Err(e) => {
            f(1, Err(e));
            return;
        }
    };
    let mut record = csv::StringRecord::new();
    for row in 1.. {
        let go_on = match reader.read_record(&mut record) {
            Ok(false) => return,
            Ok(true) => f(row, columns.row(row, &record).and_then(|r| event(row, &r).map(|ev| (r, ev)))),
            // A broken read of the file itself cannot go on to the next row.
            Err(e) if e.is_io_error() => {
                f(row, Err(unreadable(row, e)));
                return;
            }
            Err(e) => f(row, Err(unreadable(row, e))),
        };
        if !go_on {
            return;
        }
    }
}

fn new_dossier(r: &EventRow) -> Dossier {
    Dossier {
        id: r.id.to_string(),
        unit: r.unit.to_string(),
        procedure: r.procedure.to_string(),
        events: Vec::new(),
        digitised: false,
        rating: None,
        applicant: None,
        handler: None,
        assignments: Vec::new(),
    }
}

/// Adds a row's event and flags to its dossier: digitised if any row says so, the last rating
/// given.
fn add_row(d: &mut Dossier, r: &EventRow, ev: Event) {
    d.digitised |= r.digitised == Some(1);
    d.rating = r.rating.or(d.rating);
    if let Some(h) = r.handler {
        d.handler = Some(h.to_string());
    }
    let [kind, name, id, phone, address, email] = r.applicant;
    if let Some(name) = name {
        let own = |v: Option<&str>| v.map(str::to_string);
        d.applicant = Some(Applicant {
            kind: if matches!(kind, Some("to-chuc" | "organisation" | "2")) { ApplicantKind::Organisation } else { ApplicantKind::Person },
            name: name.to_string(),
            id_number: own(id),
            phone: own(phone),
            address: own(address),
            email: own(email),
        });
    }
    d.events.push(Event { by: r.by.map(str::to_string), note: r.note.map(str::to_string), ..ev });
}

fn id_hash(id: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// Writes dossiers as a CSV export that [`read_dossiers_csv`] reads back (moments to the second):
/// one row per event, the rows of a dossier together; `digitised`, the handler and the applicant
/// on its first row, the rating on its last, each event's actor on its row.
pub fn write_dossiers_csv<D: std::borrow::Borrow<Dossier>>(
    dossiers: impl IntoIterator<Item = D>,
    out: impl std::io::Write,
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(REQUIRED.iter().chain(&OPTIONAL))?;
    let moment = |t: &NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S").to_string();
    for d in dossiers {
        let d = d.borrow();
        for (i, e) in d.events.iter().enumerate() {
            let (event, channel, new_due, apology, to_unit) = event_slug(&e.kind);
            let digitised = if i == 0 && d.digitised { "1" } else { "" };
            let rating = if i + 1 == d.events.len() { d.rating.map(|r| r.to_string()).unwrap_or_default() } else { String::new() };
            let new_due = new_due.as_ref().map(moment).unwrap_or_default();
            let first = |v: Option<&str>| if i == 0 { v.unwrap_or_default().to_string() } else { String::new() };
            let a = d.applicant.as_ref();
            let kind = a.map(|a| if a.kind == ApplicantKind::Organisation { "to-chuc" } else { "ca-nhan" });
            w.write_record([
                d.id.as_str(),
                &d.unit,
                &d.procedure,
                &moment(&e.at),
                event,
                channel,
                &new_due,
                apology,
                to_unit,
                digitised,
                &rating,
                e.by.as_deref().unwrap_or_default(),
                &first(d.handler.as_deref()),
                &first(kind),
                &first(a.map(|a| a.name.as_str())),
                &first(a.and_then(|a| a.id_number.as_deref())),
                &first(a.and_then(|a| a.phone.as_deref())),
                &first(a.and_then(|a| a.address.as_deref())),
                &first(a.and_then(|a| a.email.as_deref())),
                e.note.as_deref().unwrap_or_default(),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// An event's columns: (event, channel, new_due, apology, to_unit), as [`event_from_fields`]
/// reads them; the event word is the vocabulary's ([`EventTag::csv`]).
fn event_slug(kind: &EventKind) -> (&'static str, &'static str, Option<NaiveDateTime>, &'static str, &str) {
    let slug = |c: &Channel| match c {
        Channel::Direct => "truc-tiep",
        Channel::Online => "truc-tuyen",
        Channel::Postal => "bcci",
    };
    let (channel, new_due, apology, to_unit) = match kind {
        EventKind::Received { channel } | EventKind::ResultReturned { channel } => (slug(channel), None, "", ""),
        EventKind::Transferred { to_unit } => ("", None, "", to_unit.as_str()),
        EventKind::FeePaid { online } => (if *online { "truc-tuyen" } else { "" }, None, "", ""),
        EventKind::Extended { new_due, apology } => ("", Some(*new_due), if *apology { "1" } else { "" }, ""),
        EventKind::NotAccepted
        | EventKind::SupplementRequested
        | EventKind::SupplementProvided
        | EventKind::FeeRequested
        | EventKind::Resolved
        | EventKind::Refused
        | EventKind::Withdrawn
        | EventKind::Stopped => ("", None, "", ""),
    };
    (kind.tag().csv(), channel, new_due, apology, to_unit)
}

/// A moment as exports and forms write it: `yyyy-mm-dd HH:MM`, `yyyy-mm-ddTHH:MM[:SS]` (an HTML
/// date-time input) or `dd/mm/yyyy HH:MM`.
pub fn parse_moment(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    // The exports' own form first, without chrono's format interpreter (most of a CSV import's
    // reading time when measured).
    if let Some(t) = crate::model::fast_moment(s.as_bytes()) {
        return Some(t);
    }
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
    /// The event's word: `tiep-nhan`, `lien-thong`, `yeu-cau-bo-sung`, … ([`EventTag::csv`]).
    pub event: &'a str,
    pub at: &'a str,
    pub channel: Option<&'a str>,
    pub new_due: Option<&'a str>,
    pub apology: bool,
    pub to_unit: Option<&'a str>,
}

/// Types an event, or names the field that is wrong and why (Vietnamese). The fields read are
/// the kind's [`EventTag::fields`]; the others are ignored.
pub fn event_from_fields(f: &EventFields<'_>) -> Result<Event, (&'static str, String)> {
    let moment = |column: &'static str, s: &str| {
        parse_moment(s).ok_or_else(|| (column, format!("thời điểm \"{s}\" không hợp lệ (dd/mm/yyyy HH:MM hoặc yyyy-mm-dd HH:MM)")))
    };
    let channel = || {
        let s = f.channel.unwrap_or("");
        parse_channel(s).ok_or_else(|| ("channel", format!("kênh \"{s}\" không hợp lệ (truc-tiep, truc-tuyen, bcci)")))
    };
    let at = moment("at", f.at)?;
    let tag = EventTag::from_csv(f.event).ok_or_else(|| ("event", format!("sự kiện \"{}\" không hợp lệ", f.event)))?;
    let kind = match tag {
        EventTag::Received => EventKind::Received { channel: channel()? },
        EventTag::NotAccepted => EventKind::NotAccepted,
        EventTag::Transferred => EventKind::Transferred {
            to_unit: f
                .to_unit
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .ok_or(("to_unit", "chuyển liên thông phải có đơn vị nhận".to_string()))?
                .into(),
        },
        EventTag::SupplementRequested => EventKind::SupplementRequested,
        EventTag::SupplementProvided => EventKind::SupplementProvided,
        EventTag::FeeRequested => EventKind::FeeRequested,
        EventTag::FeePaid => EventKind::FeePaid { online: f.channel == Some("truc-tuyen") },
        EventTag::Extended => EventKind::Extended {
            new_due: moment(
                "new_due",
                f.new_due.filter(|d| !d.trim().is_empty()).ok_or(("new_due", "gia hạn phải có ngày hẹn mới".to_string()))?,
            )?,
            apology: f.apology,
        },
        EventTag::Resolved => EventKind::Resolved,
        EventTag::Refused => EventKind::Refused,
        EventTag::Withdrawn => EventKind::Withdrawn,
        EventTag::Stopped => EventKind::Stopped,
        EventTag::ResultReturned => EventKind::ResultReturned { channel: channel()? },
    };
    Ok(Event::new(at, kind))
}

fn event(row: usize, r: &EventRow) -> Result<Event, RowError> {
    let fields =
        EventFields { event: r.event, at: r.at, channel: r.channel, new_due: r.new_due, apology: r.apology == Some(1), to_unit: r.to_unit };
    event_from_fields(&fields).map_err(|(column, message)| err(row, column, message))
}

/// Reads dossiers as JSON lines (one `Dossier` per line).
pub fn read_dossiers_jsonl(input: impl std::io::BufRead) -> Result<Vec<Dossier>, Vec<RowError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in input.split(b'\n').enumerate() {
        let line = line.map_err(|_| vec![err(i + 1, "(dòng)", "không đọc được tệp".to_string())])?;
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
    let dossier = serde_json::from_str::<Dossier>(text)
        .map_err(|e| err(row, "(dòng)", format!("JSON không hợp lệ: {}", cchc_format::serde_message(&e.to_string()))))?;
    Ok((text, dossier))
}
