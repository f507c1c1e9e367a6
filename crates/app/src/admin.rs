//! What administrators change, as use cases taking the acting user: catalogue versions and the
//! one in force, the yearly schedule of days off, the procedure list (TTHC). Each is refused to
//! anyone but an administrator, keeps [`App`]'s copy of what it changed current, and returns the
//! check's verdict (stored, or every problem with nothing stored) for the shell to show.

use std::io::Read;
use std::sync::Arc;

use cchc_calendar::{ScheduleChange, YearSchedule};
use cchc_catalogue::Catalogue;
use cchc_storage::{Role, User};

use crate::app::App;
use crate::calendar::SavedYear;
use crate::catalogues::Checked;
use crate::error::{Error, Result};
use crate::procedures::ProceduresImport;

fn admin_only(actor: &User, what: &str) -> Result<()> {
    if actor.role == Role::Admin { Ok(()) } else { Err(Error::Forbidden(format!("Chỉ quản trị được {what}."))) }
}

/// Checks a catalogue version written as TOML without storing it (the editor's live check).
pub async fn check_catalogue(app: &App, actor: &User, text: &str) -> Result<Checked> {
    admin_only(actor, "sửa bộ chỉ tiêu")?;
    Ok(crate::catalogues::check_text(app.store.as_ref(), text).await?)
}

/// Stores a catalogue version when it is usable as a whole ([`Checked::Valid`]); a stored
/// version never changes. Nothing is stored otherwise ([`Checked::Invalid`] lists why).
pub async fn add_catalogue(app: &App, actor: &User, text: &str) -> Result<Checked> {
    admin_only(actor, "thêm bộ chỉ tiêu")?;
    Ok(crate::catalogues::add_version(app.store.as_ref(), text, &actor.username).await?)
}

/// Puts a stored version in force for new reports (reports already made keep theirs).
pub async fn put_catalogue_in_force(app: &App, actor: &User, reference: &str) -> Result<Arc<Catalogue>> {
    admin_only(actor, "chọn bộ chỉ tiêu áp dụng")?;
    let catalogue = crate::catalogues::set_in_force(app.store.as_ref(), reference, &actor.username).await?;
    app.set_catalogue(catalogue);
    Ok(app.catalogue())
}

/// Stores the schedules of days off of whole years (every year checked before any is stored);
/// the stored dossiers' due dates follow, and so does the calendar in force.
pub async fn save_calendar_years(app: &App, actor: &User, years: &[YearSchedule]) -> Result<SavedYear> {
    admin_only(actor, "sửa lịch làm việc")?;
    let saved = crate::calendar::save_years(app.store.as_ref(), years, &actor.username).await?;
    if matches!(saved, SavedYear::Saved { .. }) {
        app.set_calendar(crate::calendar::work_calendar(app.store.as_ref()).await?);
    }
    Ok(saved)
}

/// One change of a year's announcement (a day off added, a holiday worked, a weekend working
/// day, one taken back), checked with the whole year.
pub async fn change_calendar_year(app: &App, actor: &User, year: i32, change: ScheduleChange) -> Result<SavedYear> {
    let changed = app.calendar().schedule().year_or_empty(year).with_change(change);
    save_calendar_years(app, actor, std::slice::from_ref(&changed)).await
}

/// Imports the procedure list (CSV), all or nothing; the facts of the dossiers whose processing
/// time changed are derived again.
pub async fn import_procedures(app: &App, actor: &User, input: impl Read) -> Result<ProceduresImport> {
    admin_only(actor, "nhập danh mục thủ tục")?;
    Ok(crate::procedures::import_procedures(app.store.as_ref(), input, &actor.username).await?)
}

/// The audit log (who changed what, when, old and new value), administrators only.
pub async fn audit(app: &App, actor: &User, filter: &cchc_storage::AuditFilter) -> Result<Vec<cchc_storage::AuditEntry>> {
    admin_only(actor, "xem nhật ký thay đổi")?;
    Ok(app.store.audit(filter).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_an_administrator_changes_what_administrators_change() {
        let store = cchc_storage::open("sqlite::memory:").await.unwrap();
        let app = App::with(store, cchc_catalogue::default_catalogue(), cchc_calendar::WorkCalendar::vietnam());
        let officer = User { role: Role::UnitOfficer, unit_code: "99101N".into(), ..crate::access::system_user("sonha") };
        let refused = |r: Result<()>| matches!(r, Err(Error::Forbidden(_)));
        assert!(refused(add_catalogue(&app, &officer, "").await.map(|_| ())));
        assert!(refused(put_catalogue_in_force(&app, &officer, "x@1").await.map(|_| ())));
        assert!(refused(save_calendar_years(&app, &officer, &[]).await.map(|_| ())));
        assert!(refused(import_procedures(&app, &officer, &b""[..]).await.map(|_| ())));
        let admin = crate::access::system_user("cli");
        let result = put_catalogue_in_force(&app, &admin, "khong-co@1").await.map(|_| ());
        let Err(Error::Invalid { summary, .. }) = result else { panic!("an unknown version must be refused as invalid: {result:?}") };
        assert!(summary.starts_with("Không áp dụng được"), "{summary}");
    }
}
