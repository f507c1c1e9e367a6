//! The people of a dossier on its page: the applicant (chủ hồ sơ) in full or masked, as
//! `cchc_app::ledger::dossier` gave it (personal data, Decree 13/2023/NĐ-CP: the full view is
//! audited there), the handler and the assignments with full names, the form that assigns a
//! handler (`POST /dossiers/{id}/handler`, `cchc_app::counter::assign_handler`), and each event's
//! actor for the timeline; and the applicant's fields of the counter's receiving form.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use cchc_app::ledger::{People, Person};
use cchc_dossiers::{Applicant, ApplicantKind, Dossier, Event};
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::flash::Flash;
use crate::state::AppState;

/// What the page shows of the people (the include `dossier_people.html`).
pub struct PeopleView {
    /// The applicant's fields, (label, value), when it has one.
    pub applicant: Vec<(&'static str, String)>,
    /// Whether the applicant is shown masked.
    pub masked: bool,
    pub handler: Option<Person>,
    /// (moment, by, handler) of each assignment.
    pub assignments: Vec<(String, Person, Person)>,
    /// Whom the officer may assign it to.
    pub assignable: Vec<Person>,
    people: People,
}

fn moment(t: chrono::NaiveDateTime) -> String {
    format!("{} {}", cchc_format::date(t.date()), t.format("%H:%M"))
}

impl PeopleView {
    /// The people of `d` as `current` sees them.
    pub async fn of(state: &AppState, current: &CurrentUser, d: &Dossier) -> AppResult<PeopleView> {
        let people = cchc_app::ledger::people(&state.app, &current.user, d).await?;
        let masked = !cchc_app::access::sees_personal_data(&current.user, d);
        let applicant = d.applicant.as_ref().map(rows).unwrap_or_default();
        let assignments = d.assignments.iter().map(|a| (moment(a.at), people.person(&a.by), people.person(&a.handler))).collect();
        Ok(PeopleView { applicant, masked, handler: people.handler.clone(), assignments, assignable: people.assignable.clone(), people })
    }

    /// Who recorded an event, when known.
    pub fn actor(&self, e: &Event) -> Option<Person> {
        e.by.as_deref().map(|u| self.people.person(u))
    }
}

/// The applicant's fields as the page labels them.
fn rows(a: &Applicant) -> Vec<(&'static str, String)> {
    let person = a.kind == ApplicantKind::Person;
    let mut out = vec![("Loại", a.kind.name_vi().to_string()), (if person { "Họ và tên" } else { "Tên tổ chức" }, a.name.clone())];
    let id_label = if person { "Số định danh cá nhân (CCCD)" } else { "Mã số thuế" };
    for (label, value) in [(id_label, &a.id_number), ("Số điện thoại", &a.phone), ("Địa chỉ", &a.address), ("Thư điện tử", &a.email)]
    {
        if let Some(v) = value {
            out.push((label, v.clone()));
        }
    }
    out
}

/// The applicant's fields of the counter's receiving form (all optional but the name when any
/// is given).
#[derive(Deserialize, Default)]
pub struct ApplicantFields {
    /// `ca-nhan` or `to-chuc`.
    #[serde(default)]
    pub applicant_kind: String,
    #[serde(default)]
    pub applicant_name: String,
    #[serde(default)]
    pub applicant_id: String,
    #[serde(default)]
    pub applicant_phone: String,
    #[serde(default)]
    pub applicant_address: String,
    #[serde(default)]
    pub applicant_email: String,
}

impl ApplicantFields {
    /// The applicant typed, or none when every field is blank (checked by the use case).
    pub fn applicant(&self) -> Option<Applicant> {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let any = [&self.applicant_name, &self.applicant_id, &self.applicant_phone, &self.applicant_address, &self.applicant_email]
            .iter()
            .any(|s| !s.trim().is_empty());
        any.then(|| Applicant {
            kind: if self.applicant_kind == "to-chuc" { ApplicantKind::Organisation } else { ApplicantKind::Person },
            name: self.applicant_name.clone(),
            id_number: some(&self.applicant_id),
            phone: some(&self.applicant_phone),
            address: some(&self.applicant_address),
            email: some(&self.applicant_email),
        })
    }
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    handler: String,
    #[serde(default)]
    version: String,
}

/// Assigns the dossier to a handler, or to another one.
pub async fn assign(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(form): Form<AssignForm>,
) -> AppResult<Response> {
    let version = form.version.trim().parse::<i64>().unwrap_or(-1);
    let stored = cchc_app::counter::assign_handler(&state.app, &current.user, &id, version, form.handler.trim()).await?;
    let name = stored.dossier.assignments.last().map(|a| a.handler.clone()).unwrap_or_default();
    let names = cchc_app::users::full_names(state.store.as_ref(), &[name.as_str()]).await?;
    let done = format!("Đã giao hồ sơ {id} cho {}.", names.get(&name).unwrap_or(&name));
    crate::flash::set(&session, Flash::done(done)).await?;
    Ok(Redirect::to(&format!("/dossiers/{}", crate::view::segment(&id))).into_response())
}
