//! Forms that record what happens to a dossier at the one-stop counter: receiving a new dossier,
//! and every later event (liên thông, yêu cầu bổ sung, bổ sung, gia hạn, đã xử lý, trả kết quả…).
//! The ledger replays the whole history before anything is stored, so an illegal transition is
//! refused with its Vietnamese message and nothing is written.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use cchc_app::access;
use cchc_app::dossiers::Import;
use cchc_dossiers::import::{EventFields, event_from_fields, parse_channel, parse_moment};
use cchc_dossiers::{Dossier, Event, EventKind};
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::view::ensure;

/// The event form's fields; which are needed depends on `kind`.
#[derive(Deserialize)]
pub struct EventForm {
    kind: String,
    /// `2026-06-01T09:30` (a datetime-local input).
    at: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    new_due: String,
    #[serde(default)]
    apology: Option<String>,
    #[serde(default)]
    to_unit: String,
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
}

/// Appends an event to a dossier; the whole history is replayed before it is stored.
pub async fn record(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<EventForm>,
) -> AppResult<Response> {
    let mut dossier = state.store.dossier(&id).await?.ok_or_else(|| AppError::NotFound(format!("hồ sơ {id}")))?;
    ensure(access::can_edit(&current.user, &dossier.unit), "Bạn không có quyền cập nhật hồ sơ của đơn vị này.")?;
    let event = match form.event() {
        Ok(e) => e,
        Err(message) => return crate::dossiers::detail_with(&state, &current, &id, Some(message)).await.map(IntoResponse::into_response),
    };
    dossier.events.push(event);
    store(&state, &current, dossier).await
}

/// Stores a dossier after the ledger has accepted its history, or shows the ledger's refusal.
async fn store(state: &AppState, current: &CurrentUser, dossier: Dossier) -> AppResult<Response> {
    let procedures = cchc_app::dossiers::procedures(state.store.as_ref()).await?;
    match cchc_app::dossiers::store_dossiers(state.store.as_ref(), std::slice::from_ref(&dossier), &procedures, &state.calendar()).await? {
        Import::Stored(_) => {
            crate::auth::audit(state, &current.user.username, "cập nhật hồ sơ", Some(&dossier.unit), None, Some(&dossier.id)).await?;
            Ok(Redirect::to(&format!("/dossiers/{}", dossier.id)).into_response())
        }
        Import::Refused(errors) => {
            if state.store.dossier(&dossier.id).await?.is_none() {
                return Err(AppError::BadRequest(errors.join("; ")));
            }
            crate::dossiers::detail_with(state, current, &dossier.id, Some(errors.join("; "))).await.map(IntoResponse::into_response)
        }
    }
}

#[derive(Deserialize)]
pub struct ReceiveForm {
    unit: String,
    procedure: String,
    channel: String,
    at: String,
}

/// Receives a new dossier at a unit's counter; its receipt code is made from the unit, the day
/// and a running number.
pub async fn receive(State(state): State<Arc<AppState>>, current: CurrentUser, Form(form): Form<ReceiveForm>) -> AppResult<Response> {
    ensure(access::can_edit(&current.user, &form.unit), "Bạn không có quyền tiếp nhận hồ sơ cho đơn vị này.")?;
    let at = parse_moment(&form.at).ok_or_else(|| AppError::BadRequest(format!("thời điểm tiếp nhận \"{}\" không hợp lệ", form.at)))?;
    let channel = parse_channel(&form.channel).ok_or_else(|| AppError::BadRequest(format!("kênh \"{}\" không hợp lệ", form.channel)))?;
    let id = next_id(&state, &form.unit, at).await?;
    let dossier = Dossier {
        id,
        unit: form.unit.clone(),
        procedure: form.procedure.clone(),
        events: vec![Event { at, kind: EventKind::Received { channel } }],
        digitised: false,
        rating: None,
    };
    store(&state, &current, dossier).await
}

async fn next_id(state: &AppState, unit: &str, at: NaiveDateTime) -> AppResult<String> {
    for n in 1..10_000 {
        let id = format!("{unit}-{}-{n:04}", at.format("%y%m%d"));
        if state.store.dossier(&id).await?.is_none() {
            return Ok(id);
        }
    }
    Err(AppError::BadRequest("đã hết số tiếp nhận trong ngày".into()))
}
