//! The units use case: importing a units file (docs/units-format.md) merged with the stored
//! units, for the administrators' page and `cchc units import` alike.

use cchc_storage::{AuditEntry, Role, User};
use cchc_units::file::UnitsFile;

use crate::app::App;
use crate::error::{Error, Result};

/// What an import stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitsImported {
    pub units: usize,
    pub lineage: usize,
}

impl UnitsImported {
    /// "Đã nhập 12 đơn vị và 3 quan hệ lịch sử."
    pub fn message_vi(&self) -> String {
        format!("Đã nhập {} đơn vị và {} quan hệ lịch sử.", cchc_format::int(self.units as i64), cchc_format::int(self.lineage as i64))
    }
}

/// Imports a units file (administrators only): the hierarchy the store would hold afterwards
/// (the stored units with the file's merged in) is checked as a whole first, and nothing is
/// written when it does not hold. Audited; the cached tree is dropped.
pub async fn import(app: &App, actor: &User, text: &str) -> Result<UnitsImported> {
    if actor.role != Role::Admin {
        return Err(Error::Forbidden("Chỉ quản trị được nhập danh sách đơn vị.".into()));
    }
    let file = UnitsFile::parse(text).map_err(Error::invalid)?;
    let stored = app.store.unit_tree().await?;
    file.merged_into(&stored).map_err(|e| Error::invalid(format!("Không nhập: {e}")))?;
    app.store.upsert_units(&file.units, &file.lineage).await?;
    app.forget_tree();
    let done = UnitsImported { units: file.units.len(), lineage: file.lineage.len() };
    let entry = AuditEntry {
        new_value: Some(format!("{} đơn vị, {} quan hệ lịch sử", done.units, done.lineage)),
        ..AuditEntry::now(&actor.username, "nhập đơn vị")
    };
    app.store.append_audit(&entry).await?;
    Ok(done)
}
