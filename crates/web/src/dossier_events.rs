//! Forms that record what happens to a dossier at the one-stop counter: receiving a new dossier,
//! and every later event (liên thông, yêu cầu bổ sung, bổ sung, gia hạn, đã xử lý, trả kết quả…).
//! The handlers read the form and call the counter's use cases (`cchc_app::counter`), which check
//! access, replay the history, take the receipt code from the store's counter and refuse an event
//! based on a version somebody else has since changed. A refused event shows the dossier as it is
//! now, with the message and what the officer typed kept in the form.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use cchc_app::Error;
use cchc_app::counter::{self, Receipt};
use cchc_dossiers::Event;
use cchc_dossiers::import::{EventFields, event_from_fields, parse_channel, parse_moment};
use cchc_dossiers::vocabulary::{EventTag, Field};
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::CurrentUser;
use crate::dossiers::Typed;
use crate::error::{AppError, AppResult};
use crate::flash::Flash;
use crate::state::AppState;

/// The event form's fields; which are needed depends on `kind` (the vocabulary's
/// [`EventTag::fields`]). Every field may be missing, so that what is wrong is said in
/// Vietnamese by the ledger's reader, not by the form decoder.
#[derive(Deserialize)]
pub struct EventForm {
    #[serde(default)]
    kind: String,
    /// `2026-06-01T09:30` (a datetime-local input).
    #[serde(default)]
    at: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    new_due: String,
    #[serde(default)]
    apology: Option<String>,
    #[serde(default)]
    to_unit: String,
    /// What the officer writes with it, printed on the event's form (reason, what is missing).
    #[serde(default)]
    note: String,
    /// The version of the dossier the page showed.
    #[serde(default)]
    version: String,
}

/// The labels of the event form's fields, each naming the kinds that use it.
pub struct FieldLabels {
    pub channel: String,
    pub new_due: String,
    pub apology: String,
    pub to_unit: String,
}

/// The labels of the event form's fields.
pub fn field_labels() -> FieldLabels {
    FieldLabels { channel: label("channel"), new_due: label("new_due"), apology: label("apology"), to_unit: label("to_unit") }
}

/// A form field's label: the name of the first field the column states, then for each field of
/// that column the kinds whose events need it ("Kênh (trả kết quả; đã thực hiện nghĩa vụ tài
/// chính: trực tuyến = thanh toán trực tuyến)").
fn label(column: &str) -> String {
    let fields: Vec<Field> = Field::ALL.into_iter().filter(|f| f.column() == column).collect();
    let parts: Vec<String> = fields
        .iter()
        .filter_map(|f| {
            let kinds: Vec<String> =
                EventTag::on_event_form().filter(|t| t.fields().contains(f)).map(|t| lower_first(t.name_vi())).collect();
            let kinds = (!kinds.is_empty()).then(|| kinds.join(", "))?;
            Some(match f {
                Field::Channel | Field::NewDue | Field::Apology | Field::ToUnit => kinds,
                Field::PaidOnline => format!("{kinds}: trực tuyến = {}", lower_first(f.name_vi())),
            })
        })
        .collect();
    let name = fields.first().map_or(column, |f| f.name_vi());
    if parts.is_empty() { name.to_string() } else { format!("{name} ({})", parts.join("; ")) }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

impl EventForm {
    /// The event typed by the ledger's own reader of event fields (the same as the CSV import).
    fn event(&self) -> Result<Event, String> {
        let fields = EventFields {
            event: &self.kind,
            at: &self.at,
            channel: Some(self.channel.as_str()),
            new_due: Some(self.new_due.as_str()),
            apology: self.apology.is_some(),
            to_unit: Some(self.to_unit.as_str()),
        };
        let event = event_from_fields(&fields).map_err(|(column, message)| {
            // The field named as the form labels it, with the form's way of writing a moment.
            let name = match column {
                "at" => "Thời điểm".to_string(),
                "event" => "Sự kiện".to_string(),
                column => label(column),
            };
            format!(
                "{name}: {}",
                message.replace(" (dd/mm/yyyy HH:MM hoặc yyyy-mm-dd HH:MM)", ", nhập theo dạng dd/mm/yyyy HH:MM (ví dụ 07/09/2026 08:30)")
            )
        })?;
        Ok(Event { note: Some(self.note.clone()), ..event })
    }

    /// What the officer typed, to put back in the form.
    fn typed(&self) -> Typed {
        Typed {
            kind: self.kind.clone(),
            at: self.at.clone(),
            channel: self.channel.clone(),
            new_due: self.new_due.clone(),
            apology: self.apology.is_some(),
            to_unit: self.to_unit.clone(),
            note: self.note.clone(),
        }
    }
}

/// The message of a form without the version its page showed.
const NO_VERSION: &str = "Trang không cho biết phiên bản của hồ sơ; chưa ghi gì. Hãy tải lại trang rồi ghi lại.";

/// Records an event on a dossier (`cchc_app::counter::record_event`).
pub async fn record(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(form): Form<EventForm>,
) -> AppResult<Response> {
    let mut done = String::new();
    let outcome = match (form.event(), form.version.trim().parse::<i64>()) {
        (Err(message), _) => Err(Error::invalid(message)),
        (Ok(_), Err(_)) => Err(Error::invalid(NO_VERSION)),
        (Ok(event), Ok(version)) => {
            done = format!(
                "Đã ghi nhận sự kiện «{}» lúc {} {} của hồ sơ {id}.",
                event.kind.tag().name_vi(),
                cchc_format::date(event.at.date()),
                event.at.format("%H:%M")
            );
            counter::record_event(&state.app, &current.user, &id, version, event).await
        }
    };
    match outcome {
        Ok(_) => {
            crate::flash::set(&session, Flash::done(done)).await?;
            Ok(Redirect::to(&format!("/dossiers/{}", crate::view::segment(&id))).into_response())
        }
        // Refused (a stale version, an illegal step, a field typed wrong): the dossier as it is
        // now, the reason, and the officer's entry in the form to look at and record again.
        Err(e @ (Error::Conflict(_) | Error::Invalid { .. })) => {
            let page = crate::dossiers::detail_page(&state, &current, &id, Some(e.to_string()), Some(form.typed())).await?;
            Ok((crate::error::status(&e), page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ReceiveForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    procedure: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    at: String,
    /// The documents received (thành phần hồ sơ), one a line, for form 01.
    #[serde(default)]
    documents: String,
    #[serde(flatten)]
    applicant: crate::dossier_people::ApplicantFields,
}

/// Receives a new dossier at a unit's counter (`cchc_app::counter::receive_dossier`); its receipt
/// code is the unit, the day and the day's next number.
pub async fn receive(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: Session,
    Form(form): Form<ReceiveForm>,
) -> AppResult<Response> {
    let at = parse_moment(&form.at).ok_or_else(|| {
        AppError::BadRequest(format!(
            "Thời điểm tiếp nhận: \"{}\" không hợp lệ, nhập theo dạng dd/mm/yyyy HH:MM (ví dụ 07/09/2026 08:30).",
            form.at
        ))
    })?;
    let channel =
        parse_channel(&form.channel).ok_or_else(|| AppError::BadRequest(format!("Kênh tiếp nhận \"{}\" không hợp lệ.", form.channel)))?;
    let receipt = Receipt {
        unit: form.unit,
        procedure: form.procedure,
        channel,
        at,
        applicant: form.applicant.applicant(),
        documents: Some(form.documents),
    };
    let stored = counter::receive_dossier(&state.app, &current.user, &receipt).await?;
    let done = format!("Đã tiếp nhận hồ sơ mới, mã hồ sơ {}.", stored.dossier.id);
    crate::flash::set(&session, Flash::done(done)).await?;
    Ok(Redirect::to(&format!("/dossiers/{}", crate::view::segment(&stored.dossier.id))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_offers_every_kind_but_a_receipt_with_labels_from_the_vocabulary() {
        // What a state offers of these is cchc_dossiers::lifecycle::offered_events.
        let kinds: Vec<(&str, &str)> = EventTag::on_event_form().map(|t| (t.csv(), t.name_vi())).collect();
        assert_eq!(kinds.len(), EventTag::ALL.len() - 1);
        assert!(!kinds.iter().any(|(word, _)| *word == EventTag::Received.csv()));
        assert_eq!(kinds[0], ("lien-thong", "Chuyển liên thông"), "the default choice is a harmless one");
        let labels = field_labels();
        assert_eq!(labels.channel, "Kênh (trả kết quả; đã thực hiện nghĩa vụ tài chính: trực tuyến = thanh toán trực tuyến)");
        assert_eq!(labels.new_due, "Ngày hẹn mới (gia hạn)");
        assert_eq!(labels.apology, "Có phiếu xin lỗi (gia hạn)");
        assert_eq!(labels.to_unit, "Đơn vị nhận (chuyển liên thông)");
    }
}
