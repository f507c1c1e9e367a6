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
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::dossiers::Typed;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The event form's fields; which are needed depends on `kind`. Every field may be missing, so
/// that what is wrong is said in Vietnamese by the ledger's reader, not by the form decoder.
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
    /// The version of the dossier the page showed.
    #[serde(default)]
    version: String,
}

/// The event kinds offered by the form, with their Vietnamese names.
pub const KINDS: [(&str, &str); 12] = [
    ("lien-thong", "Chuyển liên thông"),
    ("yeu-cau-bo-sung", "Yêu cầu bổ sung hồ sơ"),
    ("bo-sung", "Công dân đã bổ sung"),
    ("yeu-cau-nghia-vu-tai-chinh", "Yêu cầu thực hiện nghĩa vụ tài chính"),
    ("nop-phi", "Đã thực hiện nghĩa vụ tài chính"),
    ("gia-han", "Gia hạn (hẹn lại)"),
    ("da-xu-ly", "Đã xử lý xong"),
    ("tu-choi", "Từ chối giải quyết"),
    ("rut-ho-so", "Công dân rút hồ sơ"),
    ("dung-xu-ly", "Dừng xử lý"),
    ("tra-ket-qua", "Trả kết quả"),
    ("khong-tiep-nhan", "Không tiếp nhận"),
];

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
        event_from_fields(&fields).map_err(|(_, message)| message)
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
        }
    }
}

/// The message of a form without the version its page showed.
const NO_VERSION: &str = "Trang không cho biết phiên bản của hồ sơ; chưa ghi gì. Hãy tải lại trang rồi ghi lại.";

/// Records an event on a dossier (`cchc_app::counter::record_event`).
pub async fn record(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<EventForm>,
) -> AppResult<Response> {
    let outcome = match (form.event(), form.version.trim().parse::<i64>()) {
        (Err(message), _) => Err(Error::invalid(message)),
        (Ok(_), Err(_)) => Err(Error::invalid(NO_VERSION)),
        (Ok(event), Ok(version)) => counter::record_event(&state.app, &current.user, &id, version, event).await,
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/dossiers/{id}")).into_response()),
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
}

/// Receives a new dossier at a unit's counter (`cchc_app::counter::receive_dossier`); its receipt
/// code is the unit, the day and the day's next number.
pub async fn receive(State(state): State<Arc<AppState>>, current: CurrentUser, Form(form): Form<ReceiveForm>) -> AppResult<Response> {
    let at = parse_moment(&form.at).ok_or_else(|| AppError::BadRequest(format!("Thời điểm tiếp nhận \"{}\" không hợp lệ.", form.at)))?;
    let channel =
        parse_channel(&form.channel).ok_or_else(|| AppError::BadRequest(format!("Kênh tiếp nhận \"{}\" không hợp lệ.", form.channel)))?;
    let receipt = Receipt { unit: form.unit, procedure: form.procedure, channel, at };
    let stored = counter::receive_dossier(&state.app, &current.user, &receipt).await?;
    Ok(Redirect::to(&format!("/dossiers/{}", stored.dossier.id)).into_response())
}
