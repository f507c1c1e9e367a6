//! The dossier ledger's use cases outside the counter (which is [`crate::counter`]): the Biểu 06
//! statistics of a subtree for a period, as the acting user may read them, and the import of a
//! one-stop software's export (administrators only: an export holds many units' dossiers).

use std::path::Path;

use cchc_dossiers::Table;
use cchc_periods::Period;
use cchc_storage::{Role, User};

use crate::app::App;
use crate::dossiers::Import;
use crate::error::{Error, Result};

/// The Biểu 06 table of `unit`'s subtree for `period` (the data window of the province's rule),
/// from the stored facts; `actor` must be able to read `unit`.
pub async fn statistics(app: &App, actor: &User, unit: &str, period: Period) -> Result<Table> {
    let tree = app.tree().await?;
    if tree.get(unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {unit}")));
    }
    if !crate::access::can_read(actor, &tree, unit) {
        return Err(Error::Forbidden("Bạn không có quyền xem hồ sơ của đơn vị này.".into()));
    }
    Ok(crate::dossiers::table(app.store.as_ref(), &tree, unit, period, &app.rule).await?)
}

/// Imports a dossier export (CSV or JSON lines, crates/dossiers/README.md): every row checked,
/// all stored in one transaction or nothing ([`Import::Refused`] names every bad row).
pub async fn import_export(app: &App, actor: &User, path: &Path) -> Result<Import> {
    if actor.role != Role::Admin {
        return Err(Error::Forbidden("Chỉ quản trị được nhập tệp hồ sơ từ phần mềm một cửa.".into()));
    }
    Ok(crate::dossiers::import_file(app.store.as_ref(), path).await?)
}
