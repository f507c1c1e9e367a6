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

/// A page of the dossiers received by the units of `query` in its window (newest first, with a
/// search on the receipt or procedure code) and how many match; `actor` must be able to read
/// every unit asked for.
pub async fn search(app: &App, actor: &User, query: &cchc_storage::DossierQuery) -> Result<(i64, Vec<cchc_dossiers::Dossier>)> {
    let tree = app.tree().await?;
    if let Some(u) = query.units.iter().find(|u| !crate::access::can_read(actor, &tree, u)) {
        return Err(Error::Forbidden(format!("Bạn không có quyền xem hồ sơ của đơn vị {u}.")));
    }
    Ok(app.store.search_dossiers(query).await?)
}

/// One dossier by its receipt code with the version the next event must name; `actor` must be
/// able to read its unit.
pub async fn dossier(app: &App, actor: &User, id: &str) -> Result<(cchc_dossiers::Dossier, i64)> {
    let (d, version) = app.store.dossier_with_version(id).await?.ok_or_else(|| Error::NotFound(format!("hồ sơ {id}")))?;
    let tree = app.tree().await?;
    // Another unit's dossier is answered as a missing one: a refusal would say it exists.
    if !crate::access::can_read(actor, &tree, &d.unit) {
        return Err(Error::NotFound(format!("hồ sơ {id}")));
    }
    Ok((d, version))
}

/// Imports a dossier export (CSV or JSON lines, crates/dossiers/README.md): every row checked,
/// all stored in one transaction or nothing ([`Import::Refused`] names every bad row).
pub async fn import_export(app: &App, actor: &User, path: &Path) -> Result<Import> {
    if actor.role != Role::Admin {
        return Err(Error::Forbidden("Chỉ quản trị được nhập tệp hồ sơ từ phần mềm một cửa.".into()));
    }
    Ok(crate::dossiers::import_file(app.store.as_ref(), path).await?)
}
