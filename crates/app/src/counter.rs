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

use cchc_dossiers::facts::Facts;
use cchc_dossiers::{Channel, Dossier, Event, EventKind};
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
        events: vec![Event { at: receipt.at, kind: EventKind::Received { channel: receipt.channel }, by: None }],
        digitised: false,
        rating: None,
        applicant: None,
        handler: None,
        assignments: Vec::new(),
    };
    let facts = Facts::derive(&dossier, procedure, &app.calendar()).map_err(|e| Error::invalid(e.to_string()))?;
    let stored = store.receive_dossier(&prefix, &dossier, &facts, &actor.username).await.map_err(|e| refused(e, &dossier.id))?;
    Ok(Stored { dossier: stored, version: 1 })
}

/// Records `event` on dossier `id` as `actor`, based on the version `expected_version` the
/// officer's page showed; the whole history with the event is replayed first, and facts are
/// derived on the calendar in force (see [`receive_dossier`]).
pub async fn record_event(app: &App, actor: &User, id: &str, expected_version: i64, event: Event) -> Result<Stored, Error> {
    let store = app.store.as_ref();
    let (mut dossier, version) = store.dossier_with_version(id).await?.ok_or_else(|| Error::NotFound(format!("hồ sơ {id}")))?;
    let tree = app.tree().await?;
    if tree.get(&dossier.unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {}", dossier.unit)));
    }
    // A dossier the actor may not even read is answered as a missing one (no existence oracle).
    if !access::can_read(actor, &tree, &dossier.unit) {
        return Err(Error::NotFound(format!("hồ sơ {id}")));
    }
    if !access::can_edit(actor, &dossier.unit) {
        return Err(Error::Forbidden("Bạn không có quyền cập nhật hồ sơ của đơn vị này.".into()));
    }
    if version != expected_version {
        return Err(Error::Conflict(stale_message(id, expected_version, version)));
    }
    check_moment(app, &dossier.unit, event.at, dossier.events.first().map(|e| e.at)).await?;
    let procedures = crate::dossiers::procedures(store).await?;
    let procedure = procedures
        .get(&dossier.procedure)
        .ok_or_else(|| Error::invalid(format!("Thủ tục {} chưa có trong danh mục thủ tục hành chính.", dossier.procedure)))?;
    dossier.events.push(event);
    let facts = Facts::derive(&dossier, procedure, &app.calendar()).map_err(|e| Error::invalid(e.to_string()))?;
    let version = store.update_dossier(&dossier, &facts, expected_version, &actor.username).await.map_err(|e| refused(e, id))?;
    Ok(Stored { dossier, version })
}
