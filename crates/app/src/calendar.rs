//! The working-day calendar in force: the shipped schedule of days off
//! (`data/calendar/vn.toml`) overridden year by year by what administrators record in the store,
//! and the changes an administrator makes to a year.
//!
//! Every calculation that counts working days (dossier due dates and the statistics facts
//! derived from them, report due dates) takes its calendar from [`work_calendar`], so a change
//! recorded in the browser reaches all of them. Because the facts of stored dossiers hold their
//! due dates, saving a year re-derives the facts of the dossiers received up to the end of that
//! year ([`save_year`]).

use anyhow::{Result, anyhow};
use cchc_calendar::{DEFAULT_SCHEDULE_TOML, Schedule, WorkCalendar, YearSchedule};
use cchc_dossiers::Dossier;
use cchc_storage::Store;
use chrono::NaiveDate;

/// The schedule in force: the shipped one with the stored years in place of its own.
pub async fn schedule(store: &dyn Store) -> Result<Schedule> {
    let shipped = Schedule::parse(DEFAULT_SCHEDULE_TOML)?;
    Ok(shipped.overridden_by(store.calendar_years().await?))
}

/// The working-day calendar in force (see the module documentation).
pub async fn work_calendar(store: &dyn Store) -> Result<WorkCalendar> {
    Ok(WorkCalendar::vietnam_with(schedule(store).await?))
}

/// What saving a year did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SavedYear {
    /// Stored; the facts of this many dossiers were derived again with the new calendar.
    Saved { rederived: usize },
    /// Nothing stored: every problem of the year's schedule, in Vietnamese.
    Refused(Vec<String>),
}

/// Checks and stores one year's schedule (audited), then re-derives the statistics facts of the
/// dossiers received up to the end of that year, whose due dates may have moved. Dossiers
/// received later cannot depend on the year.
pub async fn save_year(store: &dyn Store, year: &YearSchedule, by: &str) -> Result<SavedYear> {
    save_years(store, std::slice::from_ref(year), by).await
}

/// [`save_year`] for several years (a schedule file): every year is checked before any is
/// stored, and the facts are re-derived once, up to the end of the last year.
pub async fn save_years(store: &dyn Store, years: &[YearSchedule], by: &str) -> Result<SavedYear> {
    let weekend = work_calendar(store).await?.weekend;
    let problems: Vec<String> = years.iter().flat_map(|y| y.problems(&weekend)).collect();
    if !problems.is_empty() {
        return Ok(SavedYear::Refused(problems));
    }
    let Some(last) = years.iter().map(|y| y.year).max() else { return Ok(SavedYear::Saved { rederived: 0 }) };
    for year in years {
        store.put_calendar_year(year, by).await?;
    }
    let calendar = work_calendar(store).await?;
    let until = NaiveDate::from_ymd_opt(last, 12, 31).ok_or_else(|| anyhow!("năm {last} không hợp lệ"))?;
    let rederived = rederive_facts(store, &calendar, until, |_| true).await?;
    Ok(SavedYear::Saved { rederived })
}

/// Derives again, with `calendar` and the stored procedures, the statistics facts of the stored
/// dossiers received up to `until` that `select` picks, unit by unit (one transaction per
/// receiving unit, so memory stays bounded); only the facts are written, the events stay as
/// they are. Returns how many were re-derived.
///
/// Needed whenever what a due date is computed from changes: the calendar, or a procedure's
/// processing time.
pub async fn rederive_facts(
    store: &dyn Store,
    calendar: &WorkCalendar,
    until: NaiveDate,
    select: impl Fn(&Dossier) -> bool,
) -> Result<usize> {
    let procs = crate::dossiers::procedures(store).await?;
    let until = until.and_hms_opt(23, 59, 59).expect("valid time");
    let units: Vec<String> = store.unit_tree().await?.units().map(|u| u.code.clone()).collect();
    let mut done = 0;
    for unit in units {
        let dossiers: Vec<Dossier> = store.dossiers(std::slice::from_ref(&unit), until).await?.into_iter().filter(|d| select(d)).collect();
        if dossiers.is_empty() {
            continue;
        }
        let facts = crate::dossiers::derive_facts(&dossiers, &procs, calendar).map_err(|errors| anyhow!(errors.join("; ")))?;
        done += store.replace_facts(&facts).await?;
    }
    Ok(done)
}
