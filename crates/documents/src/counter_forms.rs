//! The forms of Circular 03/2025/TT-VPCP (one-stop mechanism) printed from a dossier: 01 Giấy
//! tiếp nhận hồ sơ và hẹn trả kết quả, 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ, 03 Phiếu từ
//! chối tiếp nhận, giải quyết hồ sơ, 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả, 05 Thông báo
//! dừng giải quyết hồ sơ, 06 Phiếu kiểm soát quá trình giải quyết hồ sơ, as DOCX in the Decree
//! 30/2020 layout (the report's header table, title, body, signature block), each with a QR code
//! to the public status lookup; and 07 Sổ theo dõi hồ sơ as a workbook.
//!
//! [`sheet`] reads what a form says from the dossier's events (the appointment is the due
//! moment the ledger's lifecycle computes on the working-day calendar); [`blocks`] lays the form
//! out once, and both [`render`] (the DOCX) and [`text`] (what the snapshots hold) print those
//! blocks, so the text a test reads is the text the document holds. The documents received and
//! the reasons come from the note the officer wrote with the form's event (`Event::note`:
//! [`apply_note`]); what nobody wrote is left as dotted lines to fill by hand, as the printed
//! forms are.
//!
//! Pure: the caller (cchc-app) loads the dossier, names the people and units, masks personal
//! data where the reader may not see it, and converts to PDF.

use std::collections::BTreeMap;

use cchc_calendar::WorkCalendar;
use cchc_dossiers::{Channel, Dossier, DossierError, EventKind, Procedure, ProcessingTime, replay};
use chrono::{Datelike, NaiveDateTime};
use docx_rs::{AlignmentType, LineSpacing, Paragraph, Pic, Run, Table, TableCell, TableLayoutType, TableRow, WidthType};

use crate::DocumentError;
use crate::docx::{BODY, place_date, run};

/// The six forms printed from one dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Form {
    /// Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả.
    Receipt,
    /// Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
    Supplement,
    /// Mẫu 03: Phiếu từ chối tiếp nhận, giải quyết hồ sơ.
    Refusal,
    /// Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả.
    Apology,
    /// Mẫu 05: Thông báo dừng giải quyết hồ sơ.
    Stop,
    /// Mẫu 06: Phiếu kiểm soát quá trình giải quyết hồ sơ.
    Control,
}

impl Form {
    pub const ALL: [Form; 6] = [Form::Receipt, Form::Supplement, Form::Refusal, Form::Apology, Form::Stop, Form::Control];

    /// The form's number in the circular: "01" … "06".
    pub const fn number(self) -> &'static str {
        match self {
            Form::Receipt => "01",
            Form::Supplement => "02",
            Form::Refusal => "03",
            Form::Apology => "04",
            Form::Stop => "05",
            Form::Control => "06",
        }
    }

    /// The form of a number ("01", or "1").
    pub fn parse(text: &str) -> Option<Form> {
        let n: u8 = text.trim().parse().ok()?;
        Form::ALL.into_iter().find(|f| f.number().parse::<u8>().ok() == Some(n))
    }

    /// Its name, as a sentence names it.
    pub const fn name_vi(self) -> &'static str {
        match self {
            Form::Receipt => "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            Form::Supplement => "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            Form::Refusal => "Phiếu từ chối tiếp nhận, giải quyết hồ sơ",
            Form::Apology => "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
            Form::Stop => "Thông báo dừng giải quyết hồ sơ",
            Form::Control => "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        }
    }

    /// The event the form is about, as the refusal to print it names it (None: any dossier).
    const fn needs(self) -> Option<&'static str> {
        match self {
            Form::Receipt | Form::Control => None,
            Form::Supplement => Some("Yêu cầu bổ sung"),
            Form::Refusal => Some("Không tiếp nhận hoặc Từ chối giải quyết"),
            Form::Apology => Some("Gia hạn"),
            Form::Stop => Some("Dừng xử lý hoặc Công dân rút hồ sơ"),
        }
    }

    /// Whether the form is about event `kind` (the last such event is the one printed).
    fn about(self, kind: &EventKind) -> bool {
        match self {
            Form::Receipt | Form::Control => matches!(kind, EventKind::Received { .. }),
            Form::Supplement => matches!(kind, EventKind::SupplementRequested),
            Form::Refusal => matches!(kind, EventKind::NotAccepted | EventKind::Refused),
            Form::Apology => matches!(kind, EventKind::Extended { .. }),
            Form::Stop => matches!(kind, EventKind::Stopped | EventKind::Withdrawn),
        }
    }
}

/// Why a form cannot be printed from a dossier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("Hồ sơ {id} chưa có sự kiện \"{event}\" nên chưa lập được {form}.")]
    MissingEvent { id: String, form: &'static str, event: &'static str },
    #[error("{0}")]
    Dossier(#[from] DossierError),
}

/// The applicant as the form prints it (already masked where the reader may not see it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    pub name: String,
    /// Số định danh cá nhân or mã số thuế.
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Whether a step was taken before, on or after its due moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// Before the due moment's day.
    Early,
    /// On the due day, by the due time.
    OnTime,
    Late,
}

impl Timing {
    fn of(at: NaiveDateTime, due: NaiveDateTime) -> Timing {
        if at.date() < due.date() {
            Timing::Early
        } else if at <= due {
            Timing::OnTime
        } else {
            Timing::Late
        }
    }

    pub const fn name_vi(self) -> &'static str {
        match self {
            Timing::Early => "Trước hạn",
            Timing::OnTime => "Đúng hạn",
            Timing::Late => "Quá hạn",
        }
    }
}

/// One step of the dossier's handling (form 06): a hand-over between officers and units, a
/// request, the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub at: NaiveDateTime,
    pub what: String,
    /// The due moment when the step was taken, for the steps that an officer must take in time.
    pub due: Option<NaiveDateTime>,
    pub timing: Option<Timing>,
    /// The officer who recorded it (full name), when known.
    pub by: Option<String>,
}

/// What the caller knows beyond the dossier: names, the issuing body, the lookup address.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The receiving unit's issuing body in capitals ("ỦY BAN NHÂN DÂN XÃ LÊ HỒNG").
    pub issuer: String,
    /// The receiving unit's name as running text names it ("Ủy ban nhân dân xã Lê Hồng").
    pub unit_name: String,
    /// The place in the place and date line ("Lê Hồng").
    pub place: String,
    /// Units' names by code (for transfers).
    pub unit_names: BTreeMap<String, String>,
    pub applicant: Option<Party>,
    /// The full name of the officer who recorded each event, by the event's index.
    pub actors: Vec<Option<String>>,
    /// The documents received (thành phần hồ sơ), when recorded.
    pub documents: Vec<String>,
    /// What is missing (form 02), when recorded.
    pub items: Vec<String>,
    /// The reason (forms 02–05), when recorded.
    pub reason: Option<String>,
    /// The public status lookup of this dossier (`…/tra-cuu?ma=<receipt code>`).
    pub lookup_url: String,
    /// The public satisfaction survey of this dossier (`…/survey/<receipt code>`), printed on
    /// the receipt (form 01) beside the lookup's QR code; empty: none printed.
    pub survey_url: String,
}

/// Everything a form prints.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub form: Form,
    pub context: Context,
    pub receipt_code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub processing_time: String,
    pub received_at: NaiveDateTime,
    pub channel: Channel,
    /// The appointment (ngày hẹn trả) the form states: at receipt for 01, before the event
    /// for 02–05, as it stands now for 06.
    pub appointment: NaiveDateTime,
    /// The moment of the event the form is about, and the date it is dated.
    pub at: NaiveDateTime,
    /// Who recorded that event.
    pub officer: Option<String>,
    /// Form 04: the new appointment.
    pub new_appointment: Option<NaiveDateTime>,
    /// Form 05: the citizen withdrew (rather than the unit stopping).
    pub withdrawn: bool,
    /// Form 03: refused during processing (rather than not accepted at the counter).
    pub refused_in_processing: bool,
    /// The unit in charge now and the units it worked with (liên thông).
    pub unit_in_charge: String,
    pub partners: Vec<String>,
    pub steps: Vec<Step>,
}

/// "22/10/2024 09:16", as the dossier page shows a moment.
pub fn moment(t: NaiveDateTime) -> String {
    format!("{} {}", cchc_format::date(t.date()), t.format("%H:%M"))
}

/// "15 ngày làm việc".
pub fn processing_time_vi(t: ProcessingTime) -> String {
    match t {
        ProcessingTime::WorkingDays(n) => format!("{n} ngày làm việc"),
        ProcessingTime::WorkingHours(n) => format!("{n} giờ làm việc"),
        ProcessingTime::CalendarDays(n) => format!("{n} ngày"),
    }
}

/// "trực tiếp", "trực tuyến", "qua dịch vụ bưu chính công ích".
pub const fn channel_vi(c: Channel) -> &'static str {
    match c {
        Channel::Direct => "trực tiếp",
        Channel::Online => "trực tuyến",
        Channel::Postal => "qua dịch vụ bưu chính công ích",
    }
}

/// The due moment after the first `n` events (the state an event at index `n` found).
fn due_after(d: &Dossier, p: &Procedure, cal: &WorkCalendar, n: usize) -> Result<NaiveDateTime, DossierError> {
    let mut first = d.clone();
    first.events.truncate(n.max(1));
    Ok(replay(&first, p, cal, None)?.due)
}

fn unit_name(ctx: &Context, code: &str) -> String {
    ctx.unit_names.get(code).cloned().unwrap_or_else(|| code.to_string())
}

/// The steps of a dossier's handling, each officer's step with its due moment and timing.
pub fn steps(d: &Dossier, p: &Procedure, cal: &WorkCalendar, ctx: &Context) -> Result<Vec<Step>, DossierError> {
    let mut out = Vec::with_capacity(d.events.len());
    for (i, e) in d.events.iter().enumerate() {
        let (what, timed) = match &e.kind {
            EventKind::Received { channel } => (format!("Bộ phận Một cửa tiếp nhận hồ sơ ({})", channel_vi(*channel)), false),
            EventKind::NotAccepted => ("Không tiếp nhận hồ sơ".to_string(), false),
            EventKind::Transferred { to_unit } => (format!("Chuyển hồ sơ đến {}", unit_name(ctx, to_unit)), true),
            EventKind::SupplementRequested => ("Yêu cầu bổ sung, hoàn thiện hồ sơ (dừng tính thời gian)".to_string(), true),
            EventKind::SupplementProvided => ("Nhận hồ sơ bổ sung (tính tiếp thời gian)".to_string(), false),
            EventKind::FeeRequested => ("Yêu cầu thực hiện nghĩa vụ tài chính".to_string(), true),
            EventKind::FeePaid { .. } => ("Đã thực hiện nghĩa vụ tài chính".to_string(), false),
            EventKind::Extended { new_due, .. } => (format!("Gia hạn, hẹn lại ngày trả kết quả {}", moment(*new_due)), true),
            EventKind::Resolved => ("Giải quyết xong, chuyển kết quả về Bộ phận Một cửa".to_string(), true),
            EventKind::Refused => ("Từ chối giải quyết, trả lại hồ sơ".to_string(), true),
            EventKind::Withdrawn => ("Công dân rút hồ sơ".to_string(), false),
            EventKind::Stopped => ("Dừng giải quyết hồ sơ".to_string(), true),
            EventKind::ResultReturned { channel } => (format!("Trả kết quả cho người nộp ({})", channel_vi(*channel)), false),
        };
        let due = if timed && i > 0 { Some(due_after(d, p, cal, i)?) } else { None };
        out.push(Step { at: e.at, what, due, timing: due.map(|due| Timing::of(e.at, due)), by: ctx.actors.get(i).cloned().flatten() });
    }
    Ok(out)
}

/// What `form` prints for dossier `d`, or why it cannot be printed (the event it is about has
/// not happened).
pub fn sheet(form: Form, d: &Dossier, p: &Procedure, cal: &WorkCalendar, mut ctx: Context) -> Result<Sheet, FormError> {
    let state = replay(d, p, cal, None)?;
    let index = d.events.iter().rposition(|e| form.about(&e.kind)).ok_or_else(|| FormError::MissingEvent {
        id: d.id.clone(),
        form: form.name_vi(),
        event: form.needs().unwrap_or("Tiếp nhận"),
    })?;
    let event = &d.events[index];
    if let Some(note) = event.note.as_deref() {
        apply_note(form, note, &mut ctx);
    }
    let appointment = match form {
        Form::Receipt => due_after(d, p, cal, 1)?,
        Form::Control => state.due,
        _ => due_after(d, p, cal, index)?,
    };
    let new_appointment = match &event.kind {
        EventKind::Extended { new_due, .. } => Some(*new_due),
        _ => None,
    };
    // The unit in charge is the last transfer's; the others that took part (the receiving unit,
    // earlier transfers) worked with it.
    let mut involved = vec![ctx.unit_name.clone()];
    for e in &d.events {
        if let EventKind::Transferred { to_unit } = &e.kind {
            involved.push(unit_name(&ctx, to_unit));
        }
    }
    let in_charge = involved.pop().unwrap_or_default();
    let mut partners: Vec<String> = Vec::new();
    for u in involved {
        if u != in_charge && !partners.contains(&u) {
            partners.push(u);
        }
    }
    Ok(Sheet {
        form,
        receipt_code: d.id.clone(),
        procedure_code: p.code.clone(),
        procedure_name: p.name.clone(),
        processing_time: processing_time_vi(p.time),
        received_at: state.received_at,
        channel: state.channel,
        appointment,
        at: event.at,
        officer: ctx.actors.get(index).cloned().flatten(),
        new_appointment,
        withdrawn: matches!(event.kind, EventKind::Withdrawn),
        refused_in_processing: matches!(event.kind, EventKind::Refused),
        unit_in_charge: in_charge,
        partners,
        steps: steps(d, p, cal, &ctx)?,
        context: ctx,
    })
}

/// What the officer wrote with the form's event, in the form's places (unless the caller filled
/// them): the documents received on form 01; on form 02 each line a thing to supplement and a
/// line "Lý do: …" the reason; the reason on forms 03 to 05.
fn apply_note(form: Form, note: &str, ctx: &mut Context) {
    let lines = note.lines().map(str::trim).filter(|l| !l.is_empty());
    match form {
        Form::Receipt if ctx.documents.is_empty() => ctx.documents = lines.map(str::to_string).collect(),
        Form::Receipt | Form::Control => {}
        Form::Supplement => {
            for line in lines {
                let reason = ["Lý do:", "lý do:", "Ly do:", "ly do:"].iter().find_map(|p| line.strip_prefix(p));
                match reason {
                    Some(r) if ctx.reason.is_none() => ctx.reason = Some(r.trim().to_string()),
                    Some(_) => {}
                    None if ctx.items.is_empty() || !ctx.items.contains(&line.to_string()) => ctx.items.push(line.to_string()),
                    None => {}
                }
            }
        }
        Form::Refusal | Form::Apology | Form::Stop if ctx.reason.is_none() => {
            ctx.reason = Some(lines.collect::<Vec<_>>().join(" "));
        }
        Form::Refusal | Form::Apology | Form::Stop => {}
    }
}

/// A signer under the body: the title ("NGƯỜI TIẾP NHẬN HỒ SƠ"), how to sign, the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub title: String,
    pub hint: String,
    pub name: Option<String>,
}

/// A block of a form, in the order printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The form's name, bold capitals, centred.
    Title(String),
    /// A centred line under the title (the receipt code, "Về việc …", "Kính gửi: …").
    Centred(String),
    /// A line of the body, flush left ("Địa chỉ: …").
    Line(String),
    /// A paragraph of running text, justified with a first-line indent.
    Paragraph(String),
    /// A table with borders: the headings, then the rows; widths in twips.
    Table { widths: Vec<usize>, head: Vec<String>, rows: Vec<Vec<String>> },
    /// The QR code of the address, with the address beside it.
    Qr(String),
    /// The receipt's two QR codes, one above the other: the status lookup's and the satisfaction
    /// survey's, each with its address.
    QrPair { lookup: String, survey: String },
    /// The signature block: an optional signer on the left, one on the right.
    Signatures(Option<Signer>, Option<Signer>),
}

/// A dotted line for what the clerk writes by hand.
const BLANK: &str = "…………………………………………";

fn or_blank(v: Option<&str>) -> String {
    v.map(str::trim).filter(|v| !v.is_empty()).map_or_else(|| BLANK.to_string(), str::to_string)
}

fn signer(title: &str, hint: &str, name: Option<&String>) -> Option<Signer> {
    Some(Signer { title: title.into(), hint: hint.into(), name: name.cloned() })
}

const SIGN_NAME: &str = "(Ký và ghi rõ họ tên)";
const SIGN_HEAD: &str = "(Ký, ghi rõ họ tên và đóng dấu)";

/// The header's left column: the parent body and the issuing body. The counter's forms are
/// issued by its Bộ phận Một cửa under the unit; the apology and the notice by the unit itself.
pub fn issuing_bodies(s: &Sheet) -> (Option<String>, String) {
    match s.form {
        Form::Apology | Form::Stop => (None, s.context.issuer.clone()),
        Form::Refusal if s.refused_in_processing => (None, s.context.issuer.clone()),
        Form::Receipt | Form::Supplement | Form::Refusal | Form::Control => (Some(s.context.issuer.clone()), "BỘ PHẬN MỘT CỬA".to_string()),
    }
}

/// "Số: …/…", a number the clerk writes (the forms have no numbering of their own in cchc).
pub const NUMBER_LINE: &str = "Số: ……/……";

/// The place and date line: the date of the event the form is about.
pub fn dated(s: &Sheet) -> String {
    place_date(&s.context.place, Some(s.at.date()), s.at.year())
}

/// The applicant's lines: name (with the words the form gives), ID number, address, phone.
fn applicant_lines(s: &Sheet, name_label: &str) -> Vec<Block> {
    let a = s.context.applicant.as_ref();
    let mut out = vec![Block::Line(format!("{name_label} {}", or_blank(a.map(|a| a.name.as_str()))))];
    if let Some(id) = a.and_then(|a| a.id_number.as_deref()).filter(|v| !v.trim().is_empty()) {
        out.push(Block::Line(format!("Số định danh cá nhân/Mã số thuế: {id}")));
    }
    out.push(Block::Line(format!("Địa chỉ: {}", or_blank(a.and_then(|a| a.address.as_deref())))));
    let phone = or_blank(a.and_then(|a| a.phone.as_deref()));
    match a.and_then(|a| a.email.as_deref()).filter(|v| !v.trim().is_empty()) {
        Some(email) => out.push(Block::Line(format!("Số điện thoại: {phone}; Thư điện tử: {email}"))),
        None => out.push(Block::Line(format!("Số điện thoại: {phone}"))),
    }
    out
}

fn request_line(s: &Sheet) -> Block {
    Block::Line(format!("Nội dung yêu cầu giải quyết: {} (mã thủ tục {})", s.procedure_name, s.procedure_code))
}

/// Numbered lines ("1.1. …"), or two dotted ones when nothing is recorded.
fn numbered(prefix: &str, items: &[String]) -> Vec<Block> {
    if items.is_empty() {
        return (1..=2).map(|i| Block::Line(format!("{prefix}{i}. {BLANK}"))).collect();
    }
    items.iter().enumerate().map(|(i, t)| Block::Line(format!("{prefix}{}. {t}", i + 1))).collect()
}

/// The form laid out: title, body, QR code, signatures.
pub fn blocks(s: &Sheet) -> Vec<Block> {
    let ctx = &s.context;
    let counter = format!("Bộ phận Một cửa {}", ctx.unit_name);
    let code = Block::Centred(format!("Mã hồ sơ: {}", s.receipt_code));
    let applicant_name = ctx.applicant.as_ref().map(|a| &a.name).filter(|n| !n.trim().is_empty());
    let reason = or_blank(ctx.reason.as_deref());
    let mut b = Vec::new();
    match s.form {
        Form::Receipt => {
            b.push(Block::Title("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ".into()));
            b.push(code);
            b.extend(applicant_lines(s, &format!("{counter} tiếp nhận hồ sơ của:")));
            b.push(request_line(s));
            b.push(Block::Line("1. Thành phần hồ sơ nộp gồm:".into()));
            b.extend(numbered("1.", &ctx.documents));
            b.push(Block::Line("2. Số lượng hồ sơ: 01 (bộ).".into()));
            b.push(Block::Line(format!("3. Thời gian giải quyết hồ sơ theo quy định: {}.", s.processing_time)));
            b.push(Block::Line(format!("4. Thời gian nhận hồ sơ: {} (nộp {}).", moment(s.received_at), channel_vi(s.channel))));
            b.push(Block::Line(format!("5. Thời gian trả kết quả giải quyết hồ sơ: {}.", moment(s.appointment))));
            b.push(Block::Line(format!("6. Nơi trả kết quả: {counter}.")));
            b.push(Block::Line("Vào Sổ theo dõi hồ sơ, Quyển số: ……, Số thứ tự: ……".into()));
            b.push(if ctx.survey_url.is_empty() {
                Block::Qr(ctx.lookup_url.clone())
            } else {
                Block::QrPair { lookup: ctx.lookup_url.clone(), survey: ctx.survey_url.clone() }
            });
            b.push(Block::Signatures(
                signer("NGƯỜI NỘP HỒ SƠ", SIGN_NAME, applicant_name),
                signer("NGƯỜI TIẾP NHẬN HỒ SƠ", SIGN_NAME, s.officer.as_ref()),
            ));
        }
        Form::Supplement => {
            b.push(Block::Title("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ".into()));
            b.push(code);
            b.extend(applicant_lines(s, "Hồ sơ của:"));
            b.push(request_line(s));
            b.push(Block::Line(format!("Thời gian nhận hồ sơ: {}; hẹn trả kết quả: {}.", moment(s.received_at), moment(s.appointment))));
            b.push(Block::Paragraph(format!(
                "Sau khi xem xét hồ sơ, {counter} đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"
            )));
            b.extend(numbered("", &ctx.items));
            b.push(Block::Line(format!("Lý do: {reason}")));
            b.push(Block::Paragraph(format!(
                "Thời gian giải quyết hồ sơ tạm dừng từ {} và được tính tiếp khi Ông/Bà nộp đủ hồ sơ bổ sung. Trong quá trình \
                 hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ {counter} để được hướng dẫn./.",
                moment(s.at)
            )));
            b.push(Block::Qr(ctx.lookup_url.clone()));
            b.push(Block::Signatures(None, signer("NGƯỜI HƯỚNG DẪN", SIGN_NAME, s.officer.as_ref())));
        }
        Form::Refusal => {
            b.push(Block::Title("PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ".into()));
            b.push(code);
            b.extend(applicant_lines(s, &format!("{counter} tiếp nhận hồ sơ của:")));
            b.push(request_line(s));
            b.push(Block::Line(format!("Thời gian nhận hồ sơ: {}.", moment(s.received_at))));
            let what = if s.refused_in_processing { "không giải quyết" } else { "không tiếp nhận" };
            b.push(Block::Paragraph(format!(
                "Sau khi xem xét hồ sơ, đối chiếu với các quy định hiện hành, {} thông báo {what} hồ sơ này (từ {}) với lý do \
                 cụ thể như sau:",
                if s.refused_in_processing { &ctx.unit_name } else { &counter },
                moment(s.at)
            )));
            b.push(Block::Line(reason));
            b.push(Block::Paragraph("Xin thông báo để Ông/Bà được biết và thực hiện./.".into()));
            b.push(Block::Qr(ctx.lookup_url.clone()));
            let right = if s.refused_in_processing {
                signer("THỦ TRƯỞNG CƠ QUAN", SIGN_HEAD, None)
            } else {
                signer("NGƯỜI TIẾP NHẬN HỒ SƠ", SIGN_NAME, s.officer.as_ref())
            };
            b.push(Block::Signatures(None, right));
        }
        Form::Apology => {
            b.push(Block::Title("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ".into()));
            b.push(Block::Centred(format!("Kính gửi: {}", or_blank(applicant_name.map(String::as_str)))));
            b.push(Block::Paragraph(format!(
                "Ngày {}, {counter} tiếp nhận hồ sơ của Ông/Bà, mã hồ sơ {}, đề nghị giải quyết thủ tục {}.",
                cchc_format::date(s.received_at.date()),
                s.receipt_code,
                s.procedure_name
            )));
            b.push(Block::Paragraph(format!("Thời gian hẹn trả kết quả giải quyết hồ sơ: {}.", moment(s.appointment))));
            b.push(Block::Paragraph(format!(
                "Tuy nhiên đến nay, {} chưa trả kết quả giải quyết hồ sơ của Ông/Bà. Lý do: {reason}",
                ctx.unit_name
            )));
            let new = s.new_appointment.map_or_else(|| BLANK.to_string(), moment);
            b.push(Block::Paragraph(format!(
                "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {} xin lỗi Ông/Bà và hẹn trả kết quả giải quyết hồ sơ vào {new}.",
                ctx.unit_name
            )));
            b.push(Block::Paragraph("Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.".into()));
            b.push(Block::Qr(ctx.lookup_url.clone()));
            b.push(Block::Signatures(None, signer("THỦ TRƯỞNG CƠ QUAN", SIGN_HEAD, None)));
        }
        Form::Stop => {
            b.push(Block::Title("THÔNG BÁO".into()));
            b.push(Block::Centred("Về việc dừng giải quyết hồ sơ".into()));
            b.push(Block::Centred(format!("Kính gửi: {}", or_blank(applicant_name.map(String::as_str)))));
            b.push(Block::Paragraph(format!(
                "Ngày {}, {counter} tiếp nhận hồ sơ của Ông/Bà, mã hồ sơ {}, đề nghị giải quyết thủ tục {}.",
                cchc_format::date(s.received_at.date()),
                s.receipt_code,
                s.procedure_name
            )));
            let why = match (&ctx.reason, s.withdrawn) {
                (Some(r), _) if !r.trim().is_empty() => r.trim().to_string(),
                (_, true) => "Ông/Bà đề nghị rút hồ sơ.".to_string(),
                _ => BLANK.to_string(),
            };
            b.push(Block::Paragraph(format!("{} thông báo dừng giải quyết hồ sơ này từ {}. Lý do: {why}", ctx.unit_name, moment(s.at))));
            b.push(Block::Paragraph(format!(
                "Hồ sơ và giấy tờ kèm theo được trả lại Ông/Bà tại {counter}. Xin thông báo để Ông/Bà được biết./."
            )));
            b.push(Block::Qr(ctx.lookup_url.clone()));
            b.push(Block::Signatures(None, signer("THỦ TRƯỞNG CƠ QUAN", SIGN_HEAD, None)));
        }
        Form::Control => {
            b.push(Block::Title("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ".into()));
            b.push(code);
            b.push(Block::Centred(format!("(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả, mã hồ sơ {})", s.receipt_code)));
            b.push(Block::Line(format!("Người nộp hồ sơ: {}", or_blank(applicant_name.map(String::as_str)))));
            b.push(request_line(s));
            b.push(Block::Line(format!("Cơ quan (bộ phận) giải quyết hồ sơ: {}", s.unit_in_charge)));
            let partners = if s.partners.is_empty() { "không".to_string() } else { s.partners.join("; ") };
            b.push(Block::Line(format!("Cơ quan phối hợp giải quyết hồ sơ: {partners}")));
            b.push(Block::Line(format!("Thời gian nhận hồ sơ: {}; hẹn trả kết quả: {}.", moment(s.received_at), moment(s.appointment))));
            let rows = s
                .steps
                .iter()
                .enumerate()
                .map(|(i, st)| {
                    vec![
                        (i + 1).to_string(),
                        st.what.clone(),
                        moment(st.at),
                        st.due.map_or_else(String::new, moment),
                        st.timing.map_or("", Timing::name_vi).to_string(),
                        st.by.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            b.push(Block::Table {
                widths: vec![640, 2931, 1400, 1400, 1200, 1500],
                head: ["TT", "Giao, nhận hồ sơ và xử lý", "Thời gian", "Hạn giải quyết", "Kết quả", "Người thực hiện"]
                    .map(String::from)
                    .to_vec(),
                rows,
            });
            b.push(Block::Qr(ctx.lookup_url.clone()));
        }
    }
    b
}

/// The form's text as printed, line by line: the header, then the blocks (a table row by row,
/// cells separated by " | ", the QR code as "[Mã QR: <address>]").
pub fn text(s: &Sheet) -> String {
    let (parent, issuer) = issuing_bodies(s);
    let mut out = Vec::new();
    if let Some(p) = parent {
        out.push(p);
    }
    out.push(issuer);
    out.push("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into());
    out.push("Độc lập - Tự do - Hạnh phúc".into());
    out.push(NUMBER_LINE.into());
    out.push(dated(s));
    for block in blocks(s) {
        match block {
            Block::Title(t) | Block::Centred(t) | Block::Line(t) | Block::Paragraph(t) => out.push(t),
            Block::Table { head, rows, .. } => {
                out.push(head.join(" | "));
                out.extend(rows.iter().map(|r| r.join(" | ")));
            }
            Block::Qr(url) => out.push(format!("[Mã QR: {url}] Tra cứu tình trạng hồ sơ: {url}")),
            Block::QrPair { lookup, survey } => {
                out.push(format!("[Mã QR: {lookup}] Tra cứu tình trạng hồ sơ: {lookup}"));
                out.push(format!("[Mã QR: {survey}] {SURVEY_CAPTION} {survey}"));
            }
            Block::Signatures(left, right) => {
                for signer in [left, right].into_iter().flatten() {
                    out.push(signer.title);
                    out.push(signer.hint);
                    out.extend(signer.name);
                }
            }
        }
    }
    out.join("\n") + "\n"
}

/// The small size of hints and the size of tables, in half-points (12 pt); the body is the
/// report's ([`crate::docx`], 14 pt).
const SMALL: usize = 24;
const TABLE: usize = 24;
/// The QR code's printed side: 2,5 cm in EMU.
const QR_SIDE_EMU: u32 = 900_000;

fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new().before(before).after(after)
}

fn centred(r: Run) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).line_spacing(spacing(0, 0)).add_run(r)
}

/// The DOCX of a form.
pub fn render(s: &Sheet) -> Result<Vec<u8>, DocumentError> {
    let mut d = crate::docx::decree_30_page();
    let (parent, issuer) = issuing_bodies(s);
    d = d.add_table(crate::header::table(parent.as_deref(), &issuer, &[NUMBER_LINE.to_string()], &dated(s)));
    let mut first_title = true;
    for block in blocks(s) {
        d = match block {
            Block::Title(t) => {
                let before = if first_title { 360 } else { 0 };
                first_title = false;
                d.add_paragraph(
                    Paragraph::new().align(AlignmentType::Center).line_spacing(spacing(before, 0)).add_run(run(&t, BODY).bold()),
                )
            }
            Block::Centred(t) => {
                let p = centred(run(&t, BODY));
                d.add_paragraph(p.line_spacing(spacing(60, 60)))
            }
            Block::Line(t) => {
                d.add_paragraph(Paragraph::new().align(AlignmentType::Both).line_spacing(spacing(60, 0)).add_run(run(&t, BODY)))
            }
            Block::Paragraph(t) => d.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Both)
                    .indent(None, Some(docx_rs::SpecialIndentType::FirstLine(720)), None, None)
                    .line_spacing(spacing(60, 0))
                    .add_run(run(&t, BODY)),
            ),
            Block::Table { widths, head, rows } => d.add_table(bordered(&widths, &head, &rows)).add_paragraph(Paragraph::new()),
            Block::Qr(url) => d.add_table(qr_table(&url)?),
            Block::QrPair { lookup, survey } => d.add_table(qr_pair_table(&lookup, &survey)?),
            Block::Signatures(left, right) => d.add_table(signatures(left.as_ref(), right.as_ref())),
        };
    }
    let core = crate::docx::core_xml(s.form.name_vi(), &crate::issuer::single_line(&s.context.issuer), Some(s.at.date()));
    crate::docx::pack_parts(d, &|text: &str| text.to_string(), core)
}

fn cell(text: &str, width: usize, bold: bool) -> TableCell {
    let r = if bold { run(text, TABLE).bold() } else { run(text, TABLE) };
    let align = if bold { AlignmentType::Center } else { AlignmentType::Left };
    TableCell::new().width(width, WidthType::Dxa).add_paragraph(Paragraph::new().align(align).line_spacing(spacing(20, 20)).add_run(r))
}

fn bordered(widths: &[usize], head: &[String], rows: &[Vec<String>]) -> Table {
    let mut out = vec![TableRow::new(head.iter().zip(widths).map(|(h, w)| cell(h, *w, true)).collect()).cant_split()];
    for r in rows {
        out.push(TableRow::new(r.iter().zip(widths).map(|(t, w)| cell(t, *w, false)).collect()));
    }
    Table::new(out).set_grid(widths.to_vec()).layout(TableLayoutType::Fixed)
}

/// The QR code of `url` beside the address it holds.
fn qr_table(url: &str) -> Result<Table, DocumentError> {
    let (png, side) = qr_png(url)?;
    let image = Pic::new_with_dimensions(png, side, side).size(QR_SIDE_EMU, QR_SIDE_EMU);
    let left = TableCell::new()
        .width(1700, WidthType::Dxa)
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(Run::new().add_image(image)));
    let right = TableCell::new()
        .width(7371, WidthType::Dxa)
        .add_paragraph(
            Paragraph::new().line_spacing(spacing(240, 0)).add_run(run("Tra cứu tình trạng hồ sơ: quét mã QR hoặc vào", SMALL).italic()),
        )
        .add_paragraph(Paragraph::new().add_run(run(url, SMALL)));
    Ok(Table::without_borders(vec![TableRow::new(vec![left, right])]).set_grid(vec![1700, 7371]).layout(TableLayoutType::Fixed))
}

/// What the receipt says beside the survey's QR code.
pub const SURVEY_CAPTION: &str = "Đánh giá mức độ hài lòng: quét mã QR hoặc vào";

/// The lookup's and the survey's QR codes one above the other, each beside its caption and its
/// address on one line (an address wrapped across lines is mistyped), as [`qr_table`] lays one.
fn qr_pair_table(lookup: &str, survey: &str) -> Result<Table, DocumentError> {
    let mut rows = Vec::new();
    for (caption, url) in [("Tra cứu tình trạng hồ sơ: quét mã QR hoặc vào", lookup), (SURVEY_CAPTION, survey)] {
        let (png, side) = qr_png(url)?;
        let image = Pic::new_with_dimensions(png, side, side).size(QR_SIDE_EMU, QR_SIDE_EMU);
        let left = TableCell::new()
            .width(1700, WidthType::Dxa)
            .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(Run::new().add_image(image)));
        let right = TableCell::new()
            .width(7371, WidthType::Dxa)
            .add_paragraph(Paragraph::new().line_spacing(spacing(240, 0)).add_run(run(caption, SMALL).italic()))
            .add_paragraph(Paragraph::new().add_run(run(url, SMALL)));
        rows.push(TableRow::new(vec![left, right]).cant_split());
    }
    Ok(Table::without_borders(rows).set_grid(vec![1700, 7371]).layout(TableLayoutType::Fixed))
}

/// Pixels per module of the QR code and the quiet zone around it, in modules.
const QR_SCALE: u32 = 6;
const QR_QUIET: u32 = 4;

/// The QR code of `text` as a grey-scale PNG and its side in pixels.
pub fn qr_png(text: &str) -> Result<(Vec<u8>, u32), DocumentError> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| DocumentError::Docx(format!("mã QR: {e}")))?;
    let modules = code.width() as u32;
    let colors = code.to_colors();
    let side = (modules + 2 * QR_QUIET) * QR_SCALE;
    let mut pixels = vec![255u8; (side * side) as usize];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / QR_SCALE).checked_sub(QR_QUIET), (y / QR_SCALE).checked_sub(QR_QUIET));
            if let (Some(mx), Some(my)) = (mx, my)
                && mx < modules
                && my < modules
                && colors[(my * modules + mx) as usize] == qrcode::Color::Dark
            {
                pixels[(y * side + x) as usize] = 0;
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let fault = |e: png::EncodingError| DocumentError::Docx(format!("mã QR: {e}"));
        let mut writer = encoder.write_header().map_err(fault)?;
        writer.write_image_data(&pixels).map_err(fault)?;
        writer.finish().map_err(fault)?;
    }
    Ok((out, side))
}

fn signatures(left: Option<&Signer>, right: Option<&Signer>) -> Table {
    let column = |s: Option<&Signer>| {
        let mut c = TableCell::new().width(4535, WidthType::Dxa);
        match s {
            None => c.add_paragraph(Paragraph::new()),
            Some(s) => {
                c = c
                    .add_paragraph(centred(run(&s.title, BODY).bold()).line_spacing(spacing(240, 0)))
                    .add_paragraph(centred(run(&s.hint, SMALL).italic()));
                for _ in 0..4 {
                    c = c.add_paragraph(centred(run("", BODY)));
                }
                if let Some(name) = &s.name {
                    c = c.add_paragraph(centred(run(name, BODY).bold()));
                }
                c
            }
        }
    };
    Table::without_borders(vec![TableRow::new(vec![column(left), column(right)]).cant_split()])
        .set_grid(vec![4535, 4536])
        .layout(TableLayoutType::Fixed)
}

/// One row of form 07, Sổ theo dõi hồ sơ (the applicant already masked where the reader may
/// not see it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    pub code: String,
    pub procedure: String,
    /// Name and address.
    pub applicant: String,
    pub phone: String,
    pub unit_in_charge: String,
    pub received_at: NaiveDateTime,
    pub appointment: NaiveDateTime,
    /// Each transfer: when, to whom.
    pub handovers: Vec<String>,
    /// When the result came back from the unit in charge (resolved or refused).
    pub result_received: Option<NaiveDateTime>,
    pub returned_at: Option<NaiveDateTime>,
    pub notes: String,
}

/// The row of a dossier in form 07: `applicant` and `phone` as the reader may see them.
pub fn ledger_row(d: &Dossier, p: &Procedure, cal: &WorkCalendar, ctx: &Context) -> Result<LedgerRow, DossierError> {
    let state = replay(d, p, cal, None)?;
    let mut handovers = Vec::new();
    let mut in_charge = ctx.unit_name.clone();
    for e in &d.events {
        if let EventKind::Transferred { to_unit } = &e.kind {
            in_charge = unit_name(ctx, to_unit);
            handovers.push(format!("{}: chuyển {in_charge}", moment(e.at)));
        }
    }
    let a = ctx.applicant.as_ref();
    let applicant = [a.map(|a| a.name.trim()), a.and_then(|a| a.address.as_deref()).map(str::trim)]
        .into_iter()
        .flatten()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let mut notes = vec![state.status.name_vi().to_string()];
    if let Some((o, _)) = state.outcome {
        notes.push(o.name_vi().to_string());
    }
    if !state.apology_letters.is_empty() {
        notes.push("có phiếu xin lỗi".to_string());
    }
    Ok(LedgerRow {
        code: d.id.clone(),
        procedure: format!("{} – {}", p.code, p.name),
        applicant,
        phone: a.and_then(|a| a.phone.clone()).unwrap_or_default(),
        unit_in_charge: in_charge,
        received_at: state.received_at,
        appointment: state.due,
        handovers,
        result_received: state.outcome.map(|(_, at)| at),
        returned_at: state.result_returned.map(|(_, at)| at),
        notes: notes.join("; "),
    })
}

/// The headings of form 07 with their widths.
pub const LEDGER_COLUMNS: [(&str, f64); 12] = [
    ("STT", 6.0),
    ("Mã hồ sơ", 26.0),
    ("Tên thủ tục hành chính", 36.0),
    ("Tên cá nhân, tổ chức và địa chỉ", 32.0),
    ("Số điện thoại", 14.0),
    ("Cơ quan chủ trì giải quyết", 24.0),
    ("Nhận hồ sơ", 17.0),
    ("Hẹn trả kết quả", 17.0),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 30.0),
    ("Nhận kết quả từ cơ quan giải quyết", 17.0),
    ("Trả kết quả", 17.0),
    ("Ghi chú", 30.0),
];

/// Form 07 as a workbook: the title, the unit and period, one row a dossier.
pub fn ledger(unit: &str, period: &str, rows: &[LedgerRow]) -> Result<Vec<u8>, DocumentError> {
    use crate::xlsx::table::{Cell, Column, Table};
    let columns: Vec<Column<'_>> = LEDGER_COLUMNS.iter().map(|(heading, width)| Column { heading, width: *width }).collect();
    let at = |t: Option<NaiveDateTime>| Cell::Text(t.map_or_else(String::new, moment));
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                Cell::Count(i as i64 + 1),
                Cell::Text(r.code.clone()),
                Cell::Text(r.procedure.clone()),
                Cell::Text(r.applicant.clone()),
                Cell::Text(r.phone.clone()),
                Cell::Text(r.unit_in_charge.clone()),
                at(Some(r.received_at)),
                at(Some(r.appointment)),
                Cell::Text(r.handovers.join("\n")),
                at(r.result_received),
                at(r.returned_at),
                Cell::Text(r.notes.clone()),
            ]
        })
        .collect();
    let subtitle = format!("Đơn vị: {unit}; {period}");
    crate::xlsx::table::table(&Table {
        sheet: "Sổ theo dõi hồ sơ",
        title: "SỔ THEO DÕI HỒ SƠ",
        subtitle: &subtitle,
        columns: &columns,
        rows: &cells,
    })
}

/// The rows and columns within which a form 07 workbook is read (plus the reader's margins,
/// [`crate::xlsx::EXTRA_ROWS`] and [`crate::xlsx::EXTRA_COLS`]); at most
/// [`crate::xlsx::MAX_CELLS`] filled cells in all, about 8.000 dossiers of 12 columns.
pub const LEDGER_READ_ROWS: u32 = 20_000;
pub const LEDGER_READ_COLS: u32 = 40;

/// Reads form 07 back from a workbook's first sheet, cchc's own ([`ledger`]) or a one-stop
/// system's export (columns found by heading, [`cchc_dossiers::mau07`]): the dossiers, or every
/// bad row named; a workbook that cannot be read, or is larger than the limits of the XLSX
/// reader, is one error of the file.
pub fn read_ledger(
    bytes: &[u8],
    procedures: &std::collections::HashMap<String, Procedure>,
    units: &cchc_dossiers::mau07::Units,
    cal: &WorkCalendar,
) -> Result<Vec<Dossier>, Vec<cchc_dossiers::import::RowError>> {
    use cchc_dossiers::mau07::Cell;
    let (_, cells) = crate::xlsx::sheet_cells(bytes, LEDGER_READ_ROWS, LEDGER_READ_COLS)
        .map_err(|e| vec![cchc_dossiers::import::RowError { row: 0, column: "(tệp)".into(), message: e.to_string() }])?;
    let grid = cells
        .into_iter()
        .map(|(pos, c)| {
            let c = match c {
                crate::xlsx::PlainCell::Text(s) => Cell::Text(s),
                crate::xlsx::PlainCell::Number(n) => Cell::Number(n),
                crate::xlsx::PlainCell::Date(d) => Cell::Date(d),
                crate::xlsx::PlainCell::DateTime(t) => Cell::DateTime(t),
            };
            (pos, c)
        })
        .collect();
    cchc_dossiers::mau07::read(&grid, procedures, units, cal)
}

/// The issuing body of a unit in capitals, as the report's header names it ("ỦY BAN NHÂN DÂN XÃ
/// LÊ HỒNG"), when the unit's settings do not state one.
pub fn default_issuer(unit: &cchc_report::UnitRef) -> String {
    crate::header::default_issuer(unit)
}

/// The words that open a place's name, as units are named ("Xã Lê Hồng", "Thành phố Hà Tĩnh").
const KINDS: [&str; 9] = ["Thành phố ", "Thị trấn ", "Thị xã ", "Đặc khu ", "Phường ", "Huyện ", "Quận ", "Tỉnh ", "Xã "];

/// The unit's name without its kind or "UBND", for the place and date line: "Xã Lê Hồng" →
/// "Lê Hồng"; a unit that is not a place ("Sở Nội vụ") keeps its name.
pub fn place_of(name: &str) -> String {
    let name = name.trim();
    let name = strip_prefix_ci(name, "UBND ").or_else(|| strip_prefix_ci(name, "Ủy ban nhân dân ")).unwrap_or(name);
    KINDS.iter().find_map(|k| strip_prefix_ci(name, k)).unwrap_or(name).trim().to_string()
}

/// The unit as running text names it: a territorial unit by its People's Committee ("Ủy ban
/// nhân dân xã Lê Hồng"), any other by its name.
pub fn unit_in_text(name: &str, territorial: bool) -> String {
    let name = name.trim();
    if let Some(rest) = strip_prefix_ci(name, "UBND ").or_else(|| strip_prefix_ci(name, "Ủy ban nhân dân ")) {
        return format!("Ủy ban nhân dân {}", lower_first(rest.trim()));
    }
    if territorial && KINDS.iter().any(|k| strip_prefix_ci(name, k).is_some()) {
        return format!("Ủy ban nhân dân {}", lower_first(name));
    }
    name.to_string()
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let n = prefix.chars().count();
    let head: String = text.chars().take(n).collect();
    (head.to_lowercase() == prefix.to_lowercase()).then(|| &text[head.len()..])
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}
