//! Data entry cell by cell: the entry form saves each figure (or note) as it is typed, so a
//! closed tab, a lost connection or an expired session never costs more than the cell being
//! typed. One cell is saved through [`crate::reports::save_figures`] with the version the page
//! holds: a concurrent writer's change is a conflict, never silently overwritten.

use cchc_periods::Period;
use cchc_report::{Key, Value};
use cchc_storage::User;

use crate::app::App;
use crate::error::{Error, Result};

/// One saved cell: the report's new version and the value as stored (`1.234` typed as `1234`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedCell {
    pub version: i64,
    pub value: String,
}

/// Saves one field of the entry form (`3.5.1`, `3.5.1[level=xa]` or `note:3.5.1`) into `unit`'s
/// draft of `period`, starting from `version` (`None`: the report is not stored yet). A stale
/// version is [`Error::Conflict`]; a value that cannot be taken is [`Error::Invalid`] whose
/// message names the indicator and its split; a user who may not edit the unit's report is
/// [`Error::Forbidden`].
pub async fn save_cell(
    app: &App,
    actor: &User,
    unit: &str,
    period: Period,
    version: Option<i64>,
    name: &str,
    text: &str,
) -> Result<SavedCell> {
    let note = name.strip_prefix("note:");
    let key = match note {
        Some(code) => Key::parse(code),
        None => Key::parse(name),
    };
    let Some(key) = key.filter(|k| app.catalogue().indicator(&k.code).is_some() || note.is_some()) else {
        return Err(Error::invalid(format!("Ô nhập \"{name}\" không có trong biểu mẫu.")));
    };
    let fields = [(name.to_string(), text.to_string())];
    let record = match crate::reports::save_figures(app, actor, unit, period, version, &fields).await {
        Ok(r) => r,
        // One cell: its own message (it names the indicator and the split) is the whole refusal.
        Err(Error::Invalid { problems, .. }) if problems.len() == 1 => return Err(Error::invalid(problems[0].message.clone())),
        Err(e) => return Err(e),
    };
    let value = match note {
        Some(_) => record.report.entries.iter().find(|e| e.key == key).and_then(|e| e.note.clone()).unwrap_or_default(),
        None => record.report.value(&key).map(Value::display).unwrap_or_default(),
    };
    Ok(SavedCell { version: record.version, value })
}
