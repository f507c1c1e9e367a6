//! Form 07 of Circular 03/2025/TT-VPCP, Sổ theo dõi hồ sơ, read back into dossiers: the Excel
//! export of a one-stop system (or cchc's own, `cchc_documents::counter_forms::ledger`), one
//! row a dossier. The columns are found by their heading, compared without case, diacritics or
//! spacing (and without a parenthesised remark such as "(ngày, giờ)"), so a province's sheet with
//! more columns or another order reads too; the headings known are [`COLUMNS`]. The mapping, and
//! what the form cannot express (supplements, fees, extensions, the channel unless a column
//! states it, digitisation, ratings, who did each step), is docs/dvcqg.md, "Form 07".
//!
//! Pure: the caller reads the workbook into a [`Grid`] and stores the dossiers. All or nothing:
//! every bad row is named by its row number in the sheet and the column's heading, in Vietnamese.

use std::collections::{BTreeMap, HashMap};

use cchc_calendar::WorkCalendar;
use chrono::{NaiveDate, NaiveDateTime};

use crate::import::RowError;
use crate::lifecycle::replay;
use crate::model::{Applicant, ApplicantKind, Channel, Dossier, Event, EventKind, Procedure};
use crate::search::normalise;

/// A cell of the sheet that holds something.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// A date cell without a time of day.
    Date(NaiveDate),
    /// A date cell with a time of day.
    DateTime(NaiveDateTime),
}

/// The cells of the sheet that hold something, by 0-based (row, column).
pub type Grid = BTreeMap<(u32, u32), Cell>;

/// What a column of the form holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Code,
    Procedure,
    ProcedureCode,
    Applicant,
    Address,
    Phone,
    UnitInCharge,
    Received,
    Appointment,
    Handover,
    ResultReceived,
    Returned,
    Notes,
    Channel,
}

/// The headings read, by field (normalised as [`normalise`] does, a parenthesised remark
/// dropped): the circular's own first, then what one-stop systems write. Any other column
/// (STT, Ký nhận, Số lượng hồ sơ, …) is ignored.
pub const COLUMNS: [(Field, &[&str]); 14] = [
    (Field::Code, &["ma ho so", "ma so ho so", "so ho so", "ma bien nhan", "so bien nhan"]),
    (Field::Procedure, &["ten thu tuc hanh chinh", "thu tuc hanh chinh", "ten thu tuc", "ten tthc", "thu tuc"]),
    (Field::ProcedureCode, &["ma thu tuc hanh chinh", "ma thu tuc", "ma tthc"]),
    (
        Field::Applicant,
        &["ten ca nhan, to chuc va dia chi", "ten ca nhan, to chuc", "ten ca nhan to chuc", "chu ho so", "nguoi nop", "nguoi nop ho so"],
    ),
    (Field::Address, &["dia chi"]),
    (Field::Phone, &["so dien thoai", "dien thoai"]),
    (Field::UnitInCharge, &["co quan chu tri giai quyet", "co quan chu tri", "co quan giai quyet", "don vi xu ly"]),
    (Field::Received, &["nhan ho so", "ngay nhan ho so", "ngay tiep nhan", "thoi gian tiep nhan", "tiep nhan"]),
    (Field::Appointment, &["hen tra ket qua", "ngay hen tra", "ngay hen tra ket qua", "hen tra"]),
    (Field::Handover, &["chuyen ho so den co quan giai quyet", "chuyen ho so"]),
    (Field::ResultReceived, &["nhan ket qua tu co quan giai quyet", "nhan ket qua", "ngay co ket qua", "ngay xu ly xong"]),
    (Field::Returned, &["tra ket qua", "ngay tra ket qua", "ngay tra"]),
    (Field::Notes, &["ghi chu"]),
    (Field::Channel, &["kenh", "kenh tiep nhan", "kenh nop", "hinh thuc nop", "hinh thuc nop ho so", "hinh thuc tiep nhan"]),
];

/// How far down the heading row is looked for.
const HEAD_SEARCH_ROWS: u32 = 30;

/// A heading as compared: without case, diacritics, spacing, a parenthesised remark or a
/// trailing colon.
fn heading_key(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    normalise(&out).trim_end_matches([':', '.', ' ', '*']).to_string()
}

fn field_of(heading: &str) -> Option<Field> {
    let key = heading_key(heading);
    COLUMNS.iter().find(|(_, names)| names.contains(&key.as_str())).map(|(f, _)| *f)
}

fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.trim().to_string(),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Cell::Number(n) => n.to_string(),
        Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
        Cell::DateTime(t) => t.format("%d/%m/%Y %H:%M").to_string(),
    }
}

/// The units a sheet may name, by code or by name.
#[derive(Debug, Clone, Default)]
pub struct Units {
    by_key: HashMap<String, Option<String>>,
    /// The units that receive dossiers, when stated ([`Units::receiving`]); else all do.
    receivers: Option<std::collections::HashSet<String>>,
}

impl Units {
    /// From (code, name) pairs. A name two units share names neither.
    pub fn new<'a>(units: impl IntoIterator<Item = (&'a str, &'a str)>) -> Units {
        let mut by_key: HashMap<String, Option<String>> = HashMap::new();
        let mut codes = Vec::new();
        for (code, name) in units {
            codes.push((normalise(code), code.to_string()));
            by_key
                .entry(normalise(name))
                .and_modify(|c| {
                    if c.as_deref() != Some(code) {
                        *c = None
                    }
                })
                .or_insert_with(|| Some(code.to_string()));
        }
        // A code wins over a name that happens to read the same.
        for (key, code) in codes {
            by_key.insert(key, Some(code));
        }
        Units { by_key, receivers: None }
    }

    /// States which units receive dossiers (district and commune level): a row is never filed
    /// under another.
    pub fn receiving<'a>(mut self, codes: impl IntoIterator<Item = &'a str>) -> Units {
        self.receivers = Some(codes.into_iter().map(str::to_string).collect());
        self
    }

    /// Whether `code` receives dossiers.
    pub fn receives(&self, code: &str) -> bool {
        self.receivers.as_ref().is_none_or(|r| r.contains(code))
    }

    /// The code of the unit `text` names (its code or its name, without case or diacritics;
    /// "UBND " before a name is allowed).
    pub fn find(&self, text: &str) -> Option<&str> {
        let key = normalise(text);
        let bare = key.strip_prefix("ubnd ").or_else(|| key.strip_prefix("uy ban nhan dan ")).unwrap_or(&key);
        self.by_key.get(&key).or_else(|| self.by_key.get(bare)).and_then(|c| c.as_deref())
    }
}

/// Reads form 07 from a sheet's cells: one dossier a row that holds something under the known
/// headings, every bad row reported (row number as the sheet shows it, the column's heading as
/// the sheet writes it) and nothing returned unless all are right.
///
/// The receiving unit of a row is the unit in charge ("Cơ quan chủ trì giải quyết") when the
/// row has no transfer and names a unit of `units`; else the unit the title area names ("Đơn
/// vị: …", as cchc writes it). Each line "dd/mm/yyyy HH:mm: chuyển <unit>" of the hand-over
/// column is a transfer (liên thông) to that unit; a line with only a moment is a hand-over
/// inside the unit and is not kept.
pub fn read(
    grid: &Grid,
    procedures: &HashMap<String, Procedure>,
    units: &Units,
    cal: &WorkCalendar,
) -> Result<Vec<Dossier>, Vec<RowError>> {
    let whole = |message: String| vec![RowError { row: 0, column: "(tệp)".into(), message }];
    let Some((head_row, columns)) = heading_row(grid) else {
        return Err(whole(
            "không tìm thấy hàng tiêu đề của Mẫu số 07 (cần ít nhất các cột \"Mã hồ sơ\", \"Tên thủ tục hành chính\" và \"Nhận hồ sơ\")"
                .into(),
        ));
    };
    let sheet_unit = title_unit(grid, head_row).map(|t| (units.find(&t).map(str::to_string), t));
    let by_name = procedure_names(procedures);
    let context = Context { columns: &columns, procedures, by_name: &by_name, units, sheet_unit: sheet_unit.as_ref(), cal };
    let mut rows: BTreeMap<u32, BTreeMap<Field, &Cell>> = BTreeMap::new();
    for (&(r, c), cell) in grid.range((head_row + 1, 0)..) {
        if let Some((field, _)) = columns.get(&c)
            && !cell_text(cell).is_empty()
        {
            rows.entry(r).or_default().entry(*field).or_insert(cell);
        }
    }
    let mut dossiers = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for (r, cells) in rows {
        match context.row(r + 1, &cells) {
            Ok(d) => match seen.get(&d.id) {
                Some(first) => errors.push(context.fail(r + 1, Field::Code, format!("mã hồ sơ {} trùng với dòng {first}", d.id))),
                None => {
                    seen.insert(d.id.clone(), r + 1);
                    dossiers.push(d);
                }
            },
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(dossiers) } else { Err(errors) }
}

/// The first row (of the first [`HEAD_SEARCH_ROWS`]) whose headings name the receipt code, the
/// procedure and the receipt, with the field and heading of each column it names (a field named
/// twice: its first column).
fn heading_row(grid: &Grid) -> Option<(u32, Columns)> {
    let mut by_row: BTreeMap<u32, Vec<(u32, &Cell)>> = BTreeMap::new();
    for (&(r, c), cell) in grid.range(..(HEAD_SEARCH_ROWS, 0)) {
        by_row.entry(r).or_default().push((c, cell));
    }
    by_row.into_iter().find_map(|(r, cells)| {
        let mut columns = HashMap::new();
        let mut taken = Vec::new();
        for (c, cell) in cells {
            let Cell::Text(t) = cell else { continue };
            if let Some(f) = field_of(t)
                && !taken.contains(&f)
            {
                taken.push(f);
                columns.insert(c, (f, t.split_whitespace().collect::<Vec<_>>().join(" ")));
            }
        }
        let has = |f: Field| taken.contains(&f);
        (has(Field::Code) && (has(Field::Procedure) || has(Field::ProcedureCode)) && has(Field::Received)).then_some((r, columns))
    })
}

/// The unit the title area names: a text "Đơn vị: X; …" above the headings.
fn title_unit(grid: &Grid, head_row: u32) -> Option<String> {
    grid.range(..(head_row, 0)).find_map(|(_, cell)| {
        let Cell::Text(t) = cell else { return None };
        let t = t.trim();
        let (label, rest) = t.split_once(':')?;
        (normalise(label) == "don vi").then(|| rest.split(';').next().unwrap_or(rest).trim().to_string()).filter(|u| !u.is_empty())
    })
}

/// The procedures by normalised name: the codes of every procedure of that name.
fn procedure_names(procedures: &HashMap<String, Procedure>) -> HashMap<String, Vec<String>> {
    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
    for p in procedures.values() {
        by_name.entry(normalise(&p.name)).or_default().push(p.code.clone());
    }
    for codes in by_name.values_mut() {
        codes.sort();
    }
    by_name
}

/// The columns the heading row names: by 0-based column, the field and the heading as written.
type Columns = HashMap<u32, (Field, String)>;

struct Context<'a> {
    columns: &'a Columns,
    procedures: &'a HashMap<String, Procedure>,
    by_name: &'a HashMap<String, Vec<String>>,
    units: &'a Units,
    sheet_unit: Option<&'a (Option<String>, String)>,
    cal: &'a WorkCalendar,
}

/// The heading the form gives a field, for a message about a column the sheet does not have.
fn default_heading(f: Field) -> &'static str {
    match f {
        Field::Code => "Mã hồ sơ",
        Field::Procedure => "Tên thủ tục hành chính",
        Field::ProcedureCode => "Mã thủ tục",
        Field::Applicant => "Tên cá nhân, tổ chức và địa chỉ",
        Field::Address => "Địa chỉ",
        Field::Phone => "Số điện thoại",
        Field::UnitInCharge => "Cơ quan chủ trì giải quyết",
        Field::Received => "Nhận hồ sơ",
        Field::Appointment => "Hẹn trả kết quả",
        Field::Handover => "Chuyển hồ sơ đến cơ quan giải quyết",
        Field::ResultReceived => "Nhận kết quả từ cơ quan giải quyết",
        Field::Returned => "Trả kết quả",
        Field::Notes => "Ghi chú",
        Field::Channel => "Kênh tiếp nhận",
    }
}

impl Context<'_> {
    fn heading(&self, f: Field) -> String {
        self.columns.values().find(|(g, _)| *g == f).map_or_else(|| default_heading(f).to_string(), |(_, h)| h.clone())
    }

    fn fail(&self, row: u32, f: Field, message: String) -> RowError {
        RowError { row: row as usize, column: self.heading(f), message }
    }

    fn row(&self, row: u32, cells: &BTreeMap<Field, &Cell>) -> Result<Dossier, RowError> {
        let text = |f: Field| cells.get(&f).map(|c| cell_text(c)).filter(|t| !t.is_empty());
        let id = text(Field::Code).ok_or_else(|| self.fail(row, Field::Code, "thiếu mã hồ sơ".into()))?;
        let fail = |f: Field, message: String| self.fail(row, f, format!("hồ sơ {id}: {message}"));
        let moment = |f: Field| -> Result<Option<NaiveDateTime>, RowError> {
            match cells.get(&f) {
                None => Ok(None),
                Some(c) => cell_moment(c).map_err(|m| fail(f, m)),
            }
        };
        let procedure = self.procedure(text(Field::ProcedureCode), text(Field::Procedure)).map_err(|(f, m)| fail(f, m))?;
        let received = moment(Field::Received)?.ok_or_else(|| fail(Field::Received, "thiếu thời điểm nhận hồ sơ".into()))?;
        // Checked for a clerk's sake, not kept: the due date is recomputed from the procedure.
        moment(Field::Appointment)?;
        let channel = match text(Field::Channel) {
            None => Channel::Direct,
            Some(t) => parse_channel(&t).ok_or_else(|| {
                fail(Field::Channel, format!("kênh \"{t}\" không hợp lệ (trực tiếp, trực tuyến hoặc bưu chính công ích)"))
            })?,
        };
        let transfers = match cells.get(&Field::Handover) {
            Some(c) => self.transfers(c).map_err(|m| fail(Field::Handover, m))?,
            None => Vec::new(),
        };
        let in_charge = text(Field::UnitInCharge);
        let unit = match (&in_charge, transfers.is_empty()) {
            (Some(t), true) => self.units.find(t).filter(|u| self.units.receives(u)).map(str::to_string),
            _ => None,
        }
        .or_else(|| self.sheet_unit.and_then(|(code, _)| code.clone()))
        .ok_or_else(|| {
            let named = in_charge.clone().or_else(|| self.sheet_unit.map(|(_, t)| t.clone()));
            match named {
                Some(t) => fail(Field::UnitInCharge, format!("đơn vị \"{t}\" không có trong danh sách đơn vị")),
                None => fail(Field::UnitInCharge, "không xác định được đơn vị tiếp nhận hồ sơ".into()),
            }
        })?;
        // Filed under a unit that receives no dossiers (a province exporting its subtree's
        // ledger, a transferred row of it), the dossier would be in no list and no table.
        if !self.units.receives(&unit) {
            let name = self.sheet_unit.map_or(unit.as_str(), |(_, t)| t.as_str());
            return Err(fail(
                Field::UnitInCharge,
                format!(
                    "không xác định được đơn vị tiếp nhận: \"{name}\" không tiếp nhận hồ sơ (chỉ đơn vị cấp huyện, cấp xã); hãy nhập sổ \
                     theo dõi hồ sơ của từng đơn vị tiếp nhận"
                ),
            ));
        }
        let notes = text(Field::Notes).map(|n| normalise(&n)).unwrap_or_default();
        let ended = moment(Field::ResultReceived)?;
        let returned = moment(Field::Returned)?;
        let mut events = vec![Event::new(received, EventKind::Received { channel })];
        for (at, to_unit) in transfers {
            events.push(Event::new(at, EventKind::Transferred { to_unit }));
        }
        if notes.contains("khong duoc tiep nhan") || notes.contains("khong tiep nhan") {
            events.push(Event::new(ended.unwrap_or(received), EventKind::NotAccepted));
        } else if let Some(at) = ended.or(returned) {
            let kind = if notes.contains("tu choi") {
                EventKind::Refused
            } else if notes.contains("rut ho so") {
                EventKind::Withdrawn
            } else if notes.contains("dung xu ly") {
                EventKind::Stopped
            } else {
                EventKind::Resolved
            };
            events.push(Event::new(at, kind));
            if let Some(t) = returned {
                events.push(Event::new(t, EventKind::ResultReturned { channel }));
            }
        }
        events.sort_by_key(|e| e.at);
        let d = Dossier {
            id: id.clone(),
            unit,
            procedure,
            events,
            digitised: false,
            rating: None,
            applicant: self.applicant(text(Field::Applicant), text(Field::Address), text(Field::Phone)),
            handler: None,
            assignments: Vec::new(),
        };
        let p = &self.procedures[&d.procedure];
        replay(&d, p, self.cal, None).map_err(|e| {
            let column = if returned.is_some() || ended.is_some() { Field::ResultReceived } else { Field::Received };
            self.fail(row, column, e.to_string())
        })?;
        Ok(d)
    }

    /// The procedure of a row: a code column, else the procedure's text as cchc writes it
    /// ("1.001193 – Đăng ký khai sinh"), its code alone, or its name if only one procedure has it.
    fn procedure(&self, code: Option<String>, text: Option<String>) -> Result<String, (Field, String)> {
        if let Some(code) = code {
            return if self.procedures.contains_key(&code) {
                Ok(code)
            } else {
                Err((Field::ProcedureCode, format!("thủ tục mã \"{code}\" chưa có trong danh mục thủ tục")))
            };
        }
        let text = text.ok_or_else(|| (Field::Procedure, "thiếu tên thủ tục hành chính".into()))?;
        if self.procedures.contains_key(&text) {
            return Ok(text);
        }
        let (head, rest) = text.split_once(" – ").or_else(|| text.split_once(" - ")).unwrap_or((&text, ""));
        if !rest.is_empty() && self.procedures.contains_key(head.trim()) {
            return Ok(head.trim().to_string());
        }
        for name in [text.as_str(), rest] {
            match self.by_name.get(&normalise(name)).map(Vec::as_slice) {
                Some([one]) => return Ok(one.clone()),
                Some(many) if many.len() > 1 => {
                    return Err((
                        Field::Procedure,
                        format!("tên thủ tục \"{text}\" trùng với nhiều thủ tục ({}); hãy ghi kèm mã thủ tục", many.join(", ")),
                    ));
                }
                _ => {}
            }
        }
        Err((Field::Procedure, format!("thủ tục \"{text}\" chưa có trong danh mục thủ tục")))
    }

    /// The transfers of the hand-over column: one a line, "moment: chuyển unit".
    fn transfers(&self, cell: &Cell) -> Result<Vec<(NaiveDateTime, String)>, String> {
        let Cell::Text(text) = cell else { return cell_moment(cell).map(|_| Vec::new()) };
        let mut out = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (at, rest) = match line.split_once(": ") {
                Some((at, rest)) => (at, rest.trim()),
                None => (line, ""),
            };
            let at = parse_moment(at)?;
            // "chuyển Xã Tân An": the word before the unit is not part of its name.
            let named = if normalise(rest).starts_with("chuyen ") {
                rest.split_once(char::is_whitespace).map_or("", |(_, r)| r).trim()
            } else {
                rest
            };
            if named.is_empty() {
                continue;
            }
            let code =
                self.units.find(named).ok_or_else(|| format!("đơn vị nhận liên thông \"{named}\" không có trong danh sách đơn vị"))?;
            out.push((at, code.to_string()));
        }
        Ok(out)
    }

    /// The applicant: the name column holds "name, address" as cchc writes it (split at the first
    /// comma) unless the sheet has an address column of its own.
    fn applicant(&self, name: Option<String>, address: Option<String>, phone: Option<String>) -> Option<Applicant> {
        let name = name?;
        let (name, address) = match address {
            Some(a) => (name, Some(a)),
            None => match name.split_once(", ") {
                Some((n, a)) => (n.trim().to_string(), Some(a.trim().to_string()).filter(|a| !a.is_empty())),
                None => (name, None),
            },
        };
        let key = normalise(&name);
        let organisation =
            ["cong ty", "doanh nghiep", "hop tac xa", "chi nhanh", "to chuc", "ngan hang", "truong "].iter().any(|p| key.starts_with(p));
        Some(Applicant {
            kind: if organisation { ApplicantKind::Organisation } else { ApplicantKind::Person },
            name,
            id_number: None,
            phone,
            address,
            email: None,
        })
    }
}

fn parse_channel(text: &str) -> Option<Channel> {
    let key = normalise(text);
    if key.contains("truc tuyen") || key.contains("online") || key.contains("dich vu cong") || key == "2" {
        Some(Channel::Online)
    } else if key.contains("buu chinh") || key.contains("bcci") || key == "3" {
        Some(Channel::Postal)
    } else if key.contains("truc tiep") || key == "1" {
        Some(Channel::Direct)
    } else {
        None
    }
}

/// A moment of a cell: a date cell, or text "dd/mm/yyyy HH:mm", "dd/mm/yyyy HH:mm:ss",
/// "HH:mm dd/mm/yyyy" or "dd/mm/yyyy" (the day at 00:00); `None` for an empty cell.
fn cell_moment(cell: &Cell) -> Result<Option<NaiveDateTime>, String> {
    match cell {
        Cell::DateTime(t) => Ok(Some(*t)),
        Cell::Date(d) => Ok(d.and_hms_opt(0, 0, 0)),
        Cell::Text(t) if t.trim().is_empty() => Ok(None),
        Cell::Text(t) => parse_moment(t).map(Some),
        Cell::Number(n) => Err(format!("ô chứa số {n}, cần ngày giờ dạng dd/mm/yyyy HH:mm")),
    }
}

/// A moment written as text: "dd/mm/yyyy HH:mm[:ss]", "HH:mm[:ss] dd/mm/yyyy", "dd/mm/yyyy"
/// (also with '-' or '.' between the parts of the day, and "ngày" or a comma between the
/// parts). A day or time that does not exist is named as such.
pub fn parse_moment(text: &str) -> Result<NaiveDateTime, String> {
    let shape = || format!("\"{}\" không đúng dạng ngày giờ dd/mm/yyyy HH:mm", text.trim());
    let mut day = None;
    let mut time = None;
    for token in text.split([' ', ',', '\t']).map(str::trim).filter(|t| !t.is_empty()) {
        if normalise(token) == "ngay" || normalise(token) == "luc" {
            continue;
        }
        if token.contains(':') && time.is_none() {
            time = Some(token);
        } else if token.contains(['/', '-', '.']) && day.is_none() {
            day = Some(token);
        } else {
            return Err(shape());
        }
    }
    let day = day.ok_or_else(shape)?;
    let number = |s: &str, max_len: usize| {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten()
    };
    let parts: Vec<&str> = day.split(['/', '-', '.']).collect();
    let [d, m, y] = parts.as_slice() else { return Err(shape()) };
    let (Some(d), Some(m), Some(y)) = (number(d, 2), number(m, 2), number(y, 4)) else { return Err(shape()) };
    if y < 1000 {
        return Err(shape());
    }
    let date = NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| format!("ngày {d:02}/{m:02}/{y} không có thật"))?;
    if !(1900..=2100).contains(&y) {
        return Err(format!("năm {y} nằm ngoài khoảng 1900–2100"));
    }
    let Some(time) = time else { return Ok(date.and_hms_opt(0, 0, 0).expect("midnight")) };
    let parts: Vec<&str> = time.split(':').collect();
    let (h, mi, s) = match parts.as_slice() {
        [h, mi] => (number(h, 2), number(mi, 2), Some(0)),
        [h, mi, s] => (number(h, 2), number(mi, 2), number(s, 2)),
        _ => return Err(shape()),
    };
    let (Some(h), Some(mi), Some(s)) = (h, mi, s) else { return Err(shape()) };
    date.and_hms_opt(h, mi, s).ok_or_else(|| format!("giờ {h:02}:{mi:02} không có thật"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(y: i32, m: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, mi, 0).unwrap()
    }

    #[test]
    fn moments_are_read_in_the_forms_clerks_write_and_impossible_ones_named() {
        assert_eq!(parse_moment("12/03/2024 08:30"), Ok(t(2024, 3, 12, 8, 30)));
        assert_eq!(parse_moment("08:30 12/03/2024"), Ok(t(2024, 3, 12, 8, 30)));
        assert_eq!(parse_moment("08:30, ngày 12/03/2024"), Ok(t(2024, 3, 12, 8, 30)));
        assert_eq!(parse_moment("2/3/2024"), Ok(t(2024, 3, 2, 0, 0)));
        assert_eq!(parse_moment("12-03-2024 08:30:15"), Ok(t(2024, 3, 12, 8, 30) + chrono::TimeDelta::seconds(15)));
        assert_eq!(parse_moment("30/02/2024 08:00"), Err("ngày 30/02/2024 không có thật".into()));
        assert_eq!(parse_moment("12/03/2024 25:00"), Err("giờ 25:00 không có thật".into()));
        assert!(parse_moment("2024-03-12").unwrap_err().contains("không đúng dạng"));
        assert!(parse_moment("hôm qua").unwrap_err().contains("không đúng dạng"));
        assert!(parse_moment("12/03/1600").unwrap_err().contains("1900–2100"));
    }

    #[test]
    fn headings_are_compared_without_case_diacritics_spacing_or_remarks() {
        assert_eq!(field_of("  MÃ   HỒ SƠ "), Some(Field::Code));
        assert_eq!(field_of("Nhận hồ sơ (ngày, giờ)"), Some(Field::Received));
        assert_eq!(field_of("Ngày hẹn trả"), Some(Field::Appointment));
        assert_eq!(field_of("Trả kết quả"), Some(Field::Returned));
        assert_eq!(field_of("Nhận kết quả từ cơ quan giải quyết"), Some(Field::ResultReceived));
        assert_eq!(field_of("STT"), None);
        assert_eq!(field_of("Ký nhận"), None);
    }

    #[test]
    fn units_are_found_by_code_or_name_and_a_shared_name_finds_none() {
        let units = Units::new([("X1", "Xã Lê Hồng"), ("X2", "Xã Tân An"), ("X3", "Xã Tân An")]);
        assert_eq!(units.find("x1"), Some("X1"));
        assert_eq!(units.find("xa le hong"), Some("X1"));
        assert_eq!(units.find("UBND Xã Lê Hồng"), Some("X1"));
        assert_eq!(units.find("Xã Tân An"), None);
    }
}
