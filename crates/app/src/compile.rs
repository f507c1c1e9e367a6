//! Compiling a parent's report from the reports stored for a period (the roll-up use case).

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Result, anyhow};
use cchc_calendar::WorkCalendar;
use cchc_catalogue::Catalogue;
use cchc_periods::{Period, WindowRule};
use cchc_rollup::{Compiled, Input, compile};
use cchc_storage::Store;
use cchc_units::UnitTree;

/// Compiles `unit`'s report for `period` from its own stored report and its subtree's submitted
/// ones (sent, approved or locked), with completeness (on time, late, missing) against the due
/// date `rule` sets on `calendar`'s working days.
pub async fn compile_unit(
    store: &dyn Store,
    tree: &UnitTree,
    catalogue: &Catalogue,
    unit: &str,
    period: Period,
    rule: &WindowRule,
    calendar: &WorkCalendar,
) -> Result<Compiled> {
    let records = store.reports_in_period(period).await?;
    let mut reports = HashMap::new();
    let mut submitted_on = HashMap::new();
    for r in records.into_iter().filter(|r| r.status.is_submitted() || r.report.unit.code == unit) {
        if let Some(at) = r.submitted_at {
            submitted_on.insert(r.report.unit.code.clone(), at.date());
        }
        reports.insert(r.report.unit.code.clone(), r.report);
    }
    let input = Input {
        tree,
        catalogue,
        period,
        window: rule.window(period),
        reports: &reports,
        submitted_on: &submitted_on,
        due: rule.due_date(period, |d| calendar.is_working_day(d)),
    };
    compile(unit, &input).map_err(|e| anyhow!(e))
}

/// The catalogue the stored reports of a period follow (the first one's), else the default.
pub async fn catalogue_reference(store: &dyn Store, period: Period) -> Result<Option<String>> {
    Ok(store.reports_in_period(period).await?.into_iter().next().map(|r| r.report.catalogue))
}

/// The compiled report of `unit` for `period` as `actor` may see it (their own unit or one below
/// it): the catalogue the period's stored reports follow (else the one in force), the window
/// rule and the calendar in force. What the compile page, the home page and `cchc rollup` show.
pub async fn compiled(
    app: &crate::App,
    actor: &cchc_storage::User,
    unit: &str,
    period: Period,
) -> Result<(Compiled, Arc<Catalogue>), crate::Error> {
    let tree = app.tree().await?;
    if tree.get(unit).is_none() {
        return Err(crate::Error::NotFound(format!("đơn vị {unit}")));
    }
    if !crate::access::can_read(actor, &tree, unit) {
        return Err(crate::Error::Forbidden("Bạn không có quyền xem số liệu tổng hợp của đơn vị này.".into()));
    }
    let catalogue = match catalogue_reference(app.store.as_ref(), period).await? {
        Some(reference) => app.catalogue_of(&reference).await?,
        None => app.catalogue(),
    };
    let compiled = compile_unit(app.store.as_ref(), &tree, &catalogue, unit, period, &app.rule, &app.calendar()).await?;
    Ok((compiled, catalogue))
}
