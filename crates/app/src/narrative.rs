//! The narrative editor's use cases (docs/narrative-format.md): the live preview of a section's
//! Markdown as the report page shows it while it is typed. Saving is
//! [`crate::reports::save_narrative`].

use cchc_periods::Period;
use cchc_storage::User;

use crate::App;
use crate::error::Result;

/// The HTML of a section's Markdown `text` (typed HTML escaped, never interpreted), for the
/// editor of `unit`'s report of `period`: `actor` must be able to read that report, and it must
/// exist (the editor is only offered for a stored report).
pub async fn preview(app: &App, actor: &User, unit: &str, period: Period, text: &str) -> Result<String> {
    crate::reports::record(app, actor, unit, period).await?;
    Ok(cchc_documents::narrative::preview_html(text))
}
