//! The working-day calendar in force: the shipped schedule of days off
//! (`data/calendar/vn.toml`) overridden year by year by what administrators record in the store,
//! and the changes an administrator makes to a year.
//!
//! Every calculation that counts working days (dossier due dates and the statistics facts
//! derived from them, report due dates) takes its calendar from [`work_calendar`], so a change
//! recorded in the browser reaches all of them. Because the facts of stored dossiers hold their
//! due dates, saving a year re-derives the facts of the dossiers whose clock runs across a day
//! it changes, and only those ([`save_year`], [`rederivation`]).

use anyhow::Result;
use cchc_calendar::{DEFAULT_SCHEDULE_TOML, Schedule, WorkCalendar, YearSchedule};
use cchc_dossiers::Dossier;
use cchc_dossiers::facts::Facts;
use cchc_periods::DateRange;
use cchc_storage::{Derive, Rederivation, Store};

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

/// Checks and stores one year's schedule (audited) with the statistics facts of the dossiers
/// whose due dates it moves, derived again (see [`save_years`]).
pub async fn save_year(store: &dyn Store, year: &YearSchedule, by: &str) -> Result<SavedYear> {
    save_years(store, std::slice::from_ref(year), by).await
}

/// [`save_year`] for several years (a schedule file): every year is checked before any is
/// stored; then the years are stored with the facts of the dossiers whose clock runs across a
/// day whose working status changed, derived again ([`rederivation`]), in one transaction
/// (`Store::put_calendar_years`), so readers see the old figures or the new, never a mix.
pub async fn save_years(store: &dyn Store, years: &[YearSchedule], by: &str) -> Result<SavedYear> {
    let old = work_calendar(store).await?;
    let problems: Vec<String> = years.iter().flat_map(|y| y.problems(&old.weekend)).collect();
    if !problems.is_empty() {
        return Ok(SavedYear::Refused(problems));
    }
    let (Some(first), Some(last)) = (years.iter().map(|y| y.year).min(), years.iter().map(|y| y.year).max()) else {
        return Ok(SavedYear::Saved { rederived: 0 });
    };
    let new = WorkCalendar::vietnam_with(schedule(store).await?.overridden_by(years.iter().cloned()));
    let changed = new.changed_days(&old, (first, last));
    let (procs, units) = (crate::dossiers::procedures(store).await?, all_unit_codes(store).await?);
    let derive = |dossiers: &[Dossier]| crate::dossiers::derive_facts(dossiers, &procs, &new);
    let re = match (changed.first(), changed.last()) {
        (Some(from), Some(to)) => Some(rederivation(&units, DateRange { from: *from, to: *to }, &|_| true, &derive)),
        _ => None,
    };
    let rederived = store.put_calendar_years(years, by, re.as_ref()).await?;
    Ok(SavedYear::Saved { rederived })
}

/// What a change re-derives: of the stored dossiers whose clock runs on a day of `days`
/// (`Facts::clock_runs_within`: only their due dates can move when whether a day of that span
/// is a working day changes, or when their procedure's processing time does), those that `pick`
/// picks, their facts derived again by `derive`. The store runs it in the transaction that
/// stores the change, finding them in the facts a window over `days` reads (what follows that
/// span, not the stored years). A dossier that ended before the span keeps its appointments,
/// which nothing reads once it ended (the figures are the same: `tests/facts.rs`).
pub fn rederivation<'a>(
    units: &'a [String],
    days: DateRange,
    pick: &'a (dyn Fn(&Facts) -> bool + Send + Sync),
    derive: &'a Derive<'a>,
) -> Rederivation<'a> {
    Rederivation { units, span: cchc_dossiers::facts::window_secs(days), pick, derive }
}

/// The codes of every unit of the tree, as a re-derivation looks at them all (the units that
/// receive dossiers are among them; `crate::dossiers::receiving_units` picks those of a subtree).
pub async fn all_unit_codes(store: &dyn Store) -> Result<Vec<String>> {
    Ok(store.unit_tree().await?.units().map(|u| u.code.clone()).collect())
}
