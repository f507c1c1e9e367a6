//! The one-stop counter (bộ phận một cửa): receiving a dossier and recording what happens to it,
//! by many officers at once, without losing an acknowledged write.
//!
//! Both use cases check who acts ([`crate::access::can_edit`], on a unit of the tree), replay the
//! dossier's whole history through the ledger's rules (an illegal step is refused with its
//! Vietnamese message and nothing is written), derive its statistics facts on the calendar in
//! force, and store it in one transaction with its audit row:
//!
//! - [`receive_dossier`]: the receipt code (`{unit}-{yymmdd}-{nnnn}`, mã hồ sơ) comes from the
//!   store's counter for the unit and day, advanced in the transaction that inserts the dossier,
//!   so officers receiving at the same moment get different codes; an insert never replaces.
//! - [`record_event`]: names the version of the dossier the officer's page showed; if somebody
//!   wrote it since, the event is refused as a [`Error::Conflict`] (nothing written) so the
//!   officer can look at the dossier again and record it again.
//! - [`assign_handler`]: gives the dossier a handler (cán bộ xử lý) among the active officers
//!   of its handling unit, or another one (giao lại), recorded in its assignments.
//!
//! Every event is recorded with its actor ([`Event::by`], the officer's user name, whatever the
//! form sent). A transfer (chuyển liên thông) to another unit of the tree moves the
//! responsibility: the dossier's handling unit becomes the receiving one
//! ([`Dossier::handling_unit`]), its handler is cleared until that unit assigns one, and its
//! applicant is shown in full there and masked at the unit that transferred it
//! ([`access::sees_personal_data`]). The applicant given at the counter is checked
//! ([`check_applicant`]); nothing personal is written to the log.

use cchc_dossiers::facts::Facts;
use cchc_dossiers::{Applicant, ApplicantKind, Assignment, Channel, Dossier, Event, EventKind};
use cchc_storage::{StoreError, User};
use chrono::{Datelike, NaiveDateTime};

use crate::{App, Error, access};

/// A dossier as stored, with the version the next write must name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub dossier: Dossier,
    pub version: i64,
}

/// What the counter's receipt form says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The receiving unit.
    pub unit: String,
    /// The procedure's code.
    pub procedure: String,
    pub channel: Channel,
    pub at: NaiveDateTime,
    /// The applicant (chủ hồ sơ), checked by [`check_applicant`].
    pub applicant: Option<Applicant>,
    /// The documents received (thành phần hồ sơ), one a line: printed on form 01.
    pub documents: Option<String>,
}

/// Trims the applicant's fields (blank ones dropped) and refuses what cannot be right, naming
/// the field as the form labels it: no name, an ID number (CCCD) of a person that is not 12
/// digits, a tax code not of 10 or 13 digits (a dash allowed before the branch number), a
/// phone without 9 to 11 digits, an e-mail without `@`.
pub fn check_applicant(a: Applicant) -> Result<Applicant, Error> {
    let clean = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let a = Applicant {
        kind: a.kind,
        name: a.name.split_whitespace().collect::<Vec<_>>().join(" "),
        id_number: clean(a.id_number),
        phone: clean(a.phone),
        address: clean(a.address),
        email: clean(a.email),
    };
    let mut problems = Vec::new();
    if a.name.is_empty() {
        problems.push(crate::Problem::at("Họ tên / tên tổ chức", "chưa nhập."));
    }
    if a.name.chars().count() > 200 || a.address.as_ref().is_some_and(|s| s.chars().count() > 300) {
        problems.push(crate::Problem::at("Chủ hồ sơ", "họ tên quá 200 hoặc địa chỉ quá 300 ký tự."));
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).count();
    if let Some(id) = &a.id_number {
        let ok = match a.kind {
            ApplicantKind::Person => id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()),
            ApplicantKind::Organisation => {
                id.bytes().all(|b| b.is_ascii_digit() || b == b'-') && [10, 13].contains(&digits(id)) && id.len() <= 14
            }
        };
        if !ok {
            problems.push(match a.kind {
                ApplicantKind::Person => crate::Problem::at("Số định danh cá nhân (CCCD)", "phải gồm đúng 12 chữ số."),
                ApplicantKind::Organisation => crate::Problem::at("Mã số thuế", "phải gồm 10 hoặc 13 chữ số."),
            });
        }
    }
    if let Some(p) = &a.phone {
        let ok = p.chars().all(|c| c.is_ascii_digit() || " +.-()".contains(c)) && (9..=11).contains(&digits(p.trim_start_matches("+84")));
        if !ok {
            problems.push(crate::Problem::at("Số điện thoại", "phải gồm 9 đến 11 chữ số, ví dụ 0912 345 678."));
        }
    }
    if a.email.as_ref().is_some_and(|e| e.len() > 254 || !e.contains('@') || e.contains(char::is_whitespace)) {
        problems.push(crate::Problem::at("Thư điện tử", "không đúng dạng, ví dụ ten@example.vn."));
    }
    if problems.is_empty() {
        Ok(a)
    } else {
        Err(Error::Invalid { summary: "Thông tin chủ hồ sơ chưa đúng; chưa ghi gì.".into(), problems })
    }
}

/// The prefix of the receipt codes of `unit` on the day of `at`: `{unit}-{yymmdd}`; the store
/// appends the day's running number (`-0001`).
pub fn receipt_prefix(unit: &str, at: NaiveDateTime) -> String {
    format!("{unit}-{}", at.format("%y%m%d"))
}

/// The message of an event refused because the dossier changed since the officer's page showed it.
pub fn stale_message(id: &str, expected: i64, found: i64) -> String {
    format!(
        "Hồ sơ {id} đã được người khác cập nhật (trang của bạn là phiên bản {expected}, hiện là phiên bản {found}); \
         sự kiện chưa được ghi, hãy xem lại rồi ghi lại."
    )
}

/// A store error of a counter write, with the dossier's own words for a conflict.
fn refused(e: StoreError, id: &str) -> Error {
    match e {
        StoreError::Conflict { expected, found } => Error::Conflict(stale_message(id, expected, found)),
        StoreError::AlreadyExists(_) => Error::Conflict(format!("Hồ sơ {id} đã có trong sổ theo dõi; chưa ghi gì.")),
        other => other.into(),
    }
}

/// How far ahead of the server's clock a moment may be (a counter PC's clock a little fast).
const CLOCK_SKEW_MINUTES: i64 = 5;
/// The counter records what happens now; a year before this is a typing mistake (historical
/// dossiers come in through the imports).
const EARLIEST_YEAR: i32 = 2000;

/// Refuses a moment the ledger cannot take: after now, before the dossier's receipt, or inside
/// the data window of a locked report (khóa) of the dossier's unit or of a unit above it, whose
/// figures would change under a report that is closed.
async fn check_moment(app: &App, unit: &str, at: NaiveDateTime, received: Option<NaiveDateTime>) -> Result<(), Error> {
    let shown = |t: NaiveDateTime| format!("{} {}", cchc_format::date(t.date()), t.format("%H:%M"));
    let now = cchc_storage::now();
    if at > now + chrono::Duration::minutes(CLOCK_SKEW_MINUTES) {
        return Err(Error::invalid(format!("Thời điểm {} ở tương lai (bây giờ là {}); chưa ghi gì.", shown(at), shown(now))));
    }
    if at.year() < EARLIEST_YEAR {
        return Err(Error::invalid(format!("Thời điểm {} trước năm {EARLIEST_YEAR}: hãy kiểm tra lại năm; chưa ghi gì.", shown(at))));
    }
    if let Some(r) = received.filter(|r| at < *r) {
        return Err(Error::invalid(format!("Thời điểm {} trước khi tiếp nhận hồ sơ ({}); chưa ghi gì.", shown(at), shown(r))));
    }
    let tree = app.tree().await?;
    let mut units: Vec<String> = tree.ancestors(unit).into_iter().map(|u| u.code.clone()).collect();
    units.push(unit.to_string());
    for code in &units {
        for record in app.store.reports_of_unit(code).await? {
            let window = app.rule.window(record.report.period);
            if record.status == cchc_report::workflow::Status::Locked && window.from <= at.date() && at.date() <= window.to {
                let name = tree.get(code).map_or(code.as_str(), |u| u.name.as_str());
                return Err(Error::invalid(format!(
                    "Thời điểm {} thuộc {} ({} – {}), báo cáo của {name} đã khóa; chưa ghi gì.",
                    shown(at),
                    record.report.period.title_vi(),
                    cchc_format::date(window.from),
                    cchc_format::date(window.to)
                )));
            }
        }
    }
    Ok(())
}

/// Receives a new dossier at `receipt.unit`'s counter as `actor`, with facts derived on the
/// calendar in force ([`App::calendar`]).
pub async fn receive_dossier(app: &App, actor: &User, receipt: &Receipt) -> Result<Stored, Error> {
    let store = app.store.as_ref();
    let tree = app.tree().await?;
    if tree.get(&receipt.unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {}", receipt.unit)));
    }
    if !access::can_edit(actor, &receipt.unit) {
        return Err(Error::Forbidden("Bạn không có quyền tiếp nhận hồ sơ cho đơn vị này.".into()));
    }
    check_moment(app, &receipt.unit, receipt.at, None).await?;
    let applicant = receipt.applicant.clone().map(check_applicant).transpose()?;
    let procedures = crate::dossiers::procedures(store).await?;
    let procedure = procedures
        .get(&receipt.procedure)
        .ok_or_else(|| Error::invalid(format!("Thủ tục {} chưa có trong danh mục thủ tục hành chính.", receipt.procedure)))?;
    let prefix = receipt_prefix(&receipt.unit, receipt.at);
    // The code is given by the store; the facts do not depend on it.
    let dossier = Dossier {
        id: format!("{prefix}-…"),
        unit: receipt.unit.clone(),
        procedure: receipt.procedure.clone(),
        events: vec![Event {
            at: receipt.at,
            kind: EventKind::Received { channel: receipt.channel },
            by: Some(actor.username.clone()),
            note: clean_note(receipt.documents.as_deref()),
        }],
        digitised: false,
        rating: None,
        applicant,
        handler: None,
        assignments: Vec::new(),
    };
    let facts = Facts::derive(&dossier, procedure, &app.calendar()).map_err(|e| Error::invalid(e.to_string()))?;
    let stored = store.receive_dossier(&prefix, &dossier, &facts, &actor.username).await.map_err(|e| refused(e, &dossier.id))?;
    Ok(Stored { dossier: stored, version: 1 })
}

/// Records `event` on dossier `id` as `actor` (its [`Event::by`]), based on the version
/// `expected_version` the officer's page showed; the whole history with the event is replayed
/// first, and facts are derived on the calendar in force (see [`receive_dossier`]). A transfer
/// must name another unit of the tree, and clears the handler.
pub async fn record_event(app: &App, actor: &User, id: &str, expected_version: i64, mut event: Event) -> Result<Stored, Error> {
    let store = app.store.as_ref();
    let (mut dossier, version) = store.dossier_with_version(id).await?.ok_or_else(|| Error::NotFound(format!("hồ sơ {id}")))?;
    let tree = app.tree().await?;
    if tree.get(&dossier.unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {}", dossier.unit)));
    }
    // A dossier the actor may not even read is answered as a missing one (no existence oracle).
    if !access::can_read_dossier(actor, &tree, &dossier) {
        return Err(Error::NotFound(format!("hồ sơ {id}")));
    }
    if !access::can_edit_dossier(actor, &dossier) {
        return Err(Error::Forbidden("Bạn không có quyền cập nhật hồ sơ của đơn vị này.".into()));
    }
    if let EventKind::Transferred { to_unit } = &event.kind {
        if tree.get(to_unit).is_none() {
            return Err(Error::invalid(format!("Đơn vị nhận \"{to_unit}\" không có trong danh sách đơn vị; chưa ghi gì.")));
        }
        if to_unit == dossier.handling_unit() {
            return Err(Error::invalid(format!("Hồ sơ đang do đơn vị {to_unit} xử lý; hãy chọn đơn vị nhận khác.")));
        }
    }
    if version != expected_version {
        return Err(Error::Conflict(stale_message(id, expected_version, version)));
    }
    check_moment(app, &dossier.unit, event.at, dossier.events.first().map(|e| e.at)).await?;
    let procedures = crate::dossiers::procedures(store).await?;
    let procedure = procedures
        .get(&dossier.procedure)
        .ok_or_else(|| Error::invalid(format!("Thủ tục {} chưa có trong danh mục thủ tục hành chính.", dossier.procedure)))?;
    check_offered(&dossier, procedure, &app.calendar(), &event)?;
    event.by = Some(actor.username.clone());
    event.note = clean_note(event.note.as_deref());
    if matches!(event.kind, EventKind::Transferred { .. }) {
        dossier.handler = None;
    }
    dossier.events.push(event);
    let facts = Facts::derive(&dossier, procedure, &app.calendar()).map_err(|e| Error::invalid(e.to_string()))?;
    let version = store.update_dossier(&dossier, &facts, expected_version, &actor.username).await.map_err(|e| refused(e, id))?;
    Ok(Stored { dossier, version })
}

/// Refuses an event its dossier's state does not offer ([`cchc_dossiers::lifecycle::offered_events`],
/// what the event form lists), naming the state and what may be recorded instead.
fn check_offered(
    dossier: &Dossier,
    procedure: &cchc_dossiers::Procedure,
    cal: &cchc_calendar::WorkCalendar,
    event: &Event,
) -> Result<(), Error> {
    let state = cchc_dossiers::replay(dossier, procedure, cal, None).map_err(|e| Error::invalid(e.to_string()))?;
    let offered = cchc_dossiers::lifecycle::offered_events(&state, event.at);
    let tag = event.kind.tag();
    if offered.contains(&tag) {
        return Ok(());
    }
    let instead = if offered.is_empty() {
        "hồ sơ không còn việc nào để ghi".to_string()
    } else {
        format!("chỉ ghi được: {}", offered.iter().map(|t| t.name_vi()).collect::<Vec<_>>().join(", "))
    };
    Err(Error::invalid(format!(
        "Hồ sơ {} đang ở trạng thái \"{}\": không ghi được \"{}\" ({instead}); chưa ghi gì.",
        dossier.id,
        state.status.name_vi(),
        tag.name_vi()
    )))
}

/// What the audit log calls an assignment (the receipt code as the item, the handlers before and
/// after as the values).
pub const ASSIGNED: &str = "giao xử lý hồ sơ";

/// Assigns dossier `id` to `handler` (a user name) as `actor`, or to another handler (giao lại
/// xử lý), based on the version `expected_version` the officer's page showed. The actor must be
/// able to change the dossier ([`access::can_edit_dossier`]); the handler must be an active
/// officer of its handling unit ([`access::can_handle`]). Recorded in the dossier's assignments
/// at the server's moment, and in the audit log like every counter write.
pub async fn assign_handler(app: &App, actor: &User, id: &str, expected_version: i64, handler: &str) -> Result<Stored, Error> {
    let store = app.store.as_ref();
    let (mut dossier, version) = store.dossier_with_version(id).await?.ok_or_else(|| Error::NotFound(format!("hồ sơ {id}")))?;
    let tree = app.tree().await?;
    if !access::can_read_dossier(actor, &tree, &dossier) {
        return Err(Error::NotFound(format!("hồ sơ {id}")));
    }
    if !access::can_edit_dossier(actor, &dossier) {
        return Err(Error::Forbidden("Bạn không có quyền giao xử lý hồ sơ của đơn vị này.".into()));
    }
    if version != expected_version {
        return Err(Error::Conflict(stale_message(id, expected_version, version)));
    }
    let unit = dossier.handling_unit().to_string();
    let chosen = store.user(handler).await?.filter(|u| access::can_handle(u, &unit));
    let Some(chosen) = chosen else {
        return Err(Error::invalid(format!("\"{handler}\" không phải cán bộ đang làm việc của đơn vị {unit}; chưa giao.")));
    };
    if dossier.handler.as_deref() == Some(chosen.username.as_str()) {
        return Err(Error::invalid(format!("Hồ sơ {id} đã giao cho {}; chưa ghi gì.", chosen.full_name)));
    }
    let procedures = crate::dossiers::procedures(store).await?;
    let procedure = procedures
        .get(&dossier.procedure)
        .ok_or_else(|| Error::invalid(format!("Thủ tục {} chưa có trong danh mục thủ tục hành chính.", dossier.procedure)))?;
    let before = dossier.handler.replace(chosen.username.clone());
    dossier.assignments.push(Assignment { at: cchc_storage::now(), by: actor.username.clone(), handler: chosen.username.clone() });
    let facts = Facts::derive(&dossier, procedure, &app.calendar()).map_err(|e| Error::invalid(e.to_string()))?;
    let version = store.update_dossier(&dossier, &facts, expected_version, &actor.username).await.map_err(|e| refused(e, id))?;
    // Who handles which dossier, in the audit log by account (no personal data).
    let entry = cchc_storage::AuditEntry {
        unit_code: Some(unit),
        item: Some(id.to_string()),
        old_value: before,
        new_value: Some(chosen.username),
        ..cchc_storage::AuditEntry::now(&actor.username, ASSIGNED)
    };
    store.append_audit(&entry).await?;
    Ok(Stored { dossier, version })
}

/// The most characters a note of an event may hold (a form prints it on one page).
pub const MAX_NOTE: usize = 2_000;

/// An event's note as it is kept: trimmed, blank lines dropped, cut at [`MAX_NOTE`] characters;
/// `None` when nothing is left.
pub fn clean_note(note: Option<&str>) -> Option<String> {
    let lines: Vec<&str> = note?.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let text: String = lines.join("\n").chars().take(MAX_NOTE).collect();
    (!text.is_empty()).then_some(text)
}
