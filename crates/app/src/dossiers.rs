//! The dossier ledger as the shells need it: procedures with the shipped default list, the units of
//! a subtree that receive dossiers, the Biểu 06 table of a unit for a period, and the pre-filling of
//! a unit's report from that table.

use std::collections::{HashMap, HashSet};

use anyhow::{Result, anyhow};
use cchc_calendar::WorkCalendar;
use cchc_catalogue::Catalogue;
use cchc_dossiers::import::default_procedures;
use cchc_dossiers::{Procedure, Table, compute};
use cchc_periods::{Period, WindowRule};
use cchc_report::{UnitRef, UnitReport};
use cchc_storage::Store;
use cchc_units::{Level, UnitTree};
use chrono::{NaiveDate, NaiveTime};

/// Procedures from the store; the shipped list is stored first when the store has none.
pub async fn procedures(store: &dyn Store) -> Result<HashMap<String, Procedure>> {
    let mut list = store.procedures().await?;
    if list.is_empty() {
        list = default_procedures();
        store.put_procedures(&list).await?;
    }
    Ok(list.into_iter().map(|p| (p.code.clone(), p)).collect())
}

/// Units of the subtree of `root` that receive dossiers on `day` (district and commune level),
/// with their level.
pub fn receiving_units(tree: &UnitTree, root: &str, day: NaiveDate) -> Vec<(String, Level)> {
    tree.subtree(root)
        .into_iter()
        .filter(|u| u.is_valid_on(day) && matches!(u.kind.territorial_level(), Some(Level::Huyen | Level::Xa)))
        .filter_map(|u| Some((u.code.clone(), tree.level_of(&u.code)?)))
        .collect()
}

/// The Biểu 06 table of `root`'s subtree for a period's data window, from the stored ledger.
pub async fn table(store: &dyn Store, tree: &UnitTree, root: &str, period: Period, rule: &WindowRule) -> Result<Table> {
    let window = rule.window(period);
    let units: HashMap<String, Level> = receiving_units(tree, root, window.to).into_iter().collect();
    let codes: Vec<String> = units.keys().cloned().collect();
    let end = window.to.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"));
    let dossiers = store.dossiers(&codes, end).await?;
    let procs = procedures(store).await?;
    Ok(compute(&dossiers, &procs, &units, window, &WorkCalendar::vietnam())?)
}

/// A unit's report for the period with every ledger figure filled in: the stored report (its
/// ledger figures replaced) or a new draft. Returns the report and the version it was based on
/// (`None` when new); nothing is saved.
pub async fn prefilled_report(
    store: &dyn Store,
    tree: &UnitTree,
    catalogue: &Catalogue,
    root: &str,
    period: Period,
    rule: &WindowRule,
) -> Result<(UnitReport, Option<i64>)> {
    let unit = tree.get(root).ok_or_else(|| anyhow!("không tìm thấy đơn vị {root}"))?;
    let table = table(store, tree, root, period, rule).await?;
    let existing = store.report(root, period).await?;
    let version = existing.as_ref().map(|r| r.version);
    let mut report = match existing {
        Some(r) => r.report,
        None => UnitReport::new(
            &catalogue.meta.reference(),
            UnitRef { code: unit.code.clone(), name: unit.name.clone(), kind: unit.kind, parent: None },
            period,
        ),
    };
    let filled = cchc_dossiers::prefill::prefill(&table, catalogue);
    let codes: HashSet<&str> = filled.iter().map(|e| e.key.code.as_str()).collect();
    report.entries.retain(|e| !codes.contains(e.key.code.as_str()));
    report.entries.extend(filled);
    Ok((report, version))
}
