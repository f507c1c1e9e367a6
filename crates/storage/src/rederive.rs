//! Statistics facts derived again inside the transaction that stores what moves them: a year of
//! the working calendar ([`crate::AdminStore::put_calendar_years`]) or procedures' processing
//! times ([`crate::LedgerStore::change_procedures`]).
//!
//! Why inside: facts derived from dossiers read before the write transaction would overwrite
//! what the counter wrote meanwhile (an event recorded on one of those dossiers, its newer facts
//! replaced by facts of its older events: an acknowledged write lost). So the dossiers are read,
//! derived and written while the writers are held off: SQLite's write transaction begins with
//! `BEGIN IMMEDIATE` (the database's one write lock), and on PostgreSQL the transaction first
//! takes `LOCK TABLE dossiers IN SHARE ROW EXCLUSIVE MODE`, which every writer of a dossier
//! (counter, import) waits for and readers do not. A counter write waits for the change (1–2 s
//! at 3.000.000 dossiers: ARCHITECTURE.md, "Changes that re-derive only what moves") instead of
//! being lost.

use std::collections::HashMap;

use cchc_dossiers::Dossier;
use cchc_dossiers::facts::{Facts, visit_unit};

use crate::bulk::AnyBulk;
use crate::sql::{Backend, dossiers_by_id_in, update_due};
use crate::{FactsPiece, StoreError};

/// Derives dossiers' facts again from their stored events; `Err`: one Vietnamese message per
/// dossier that cannot be derived.
pub type Derive<'a> = dyn Fn(&[Dossier]) -> Result<Vec<Facts>, Vec<String>> + Send + Sync + 'a;

/// What a change re-derives, for the store to run in its write transaction.
pub struct Rederivation<'a> {
    /// The receiving units whose dossiers may move (the whole unit tree's).
    pub units: &'a [String],
    /// The span of days the change concerns, in seconds (`cchc_dossiers::facts::window_secs`):
    /// only the dossiers whose clock runs within it are looked at
    /// (`Facts::clock_runs_within`); all time for a processing time.
    pub span: (i64, i64),
    /// Which of those are derived again, given their stored facts (with `unit` and `procedure`
    /// filled in).
    pub pick: &'a (dyn Fn(&Facts) -> bool + Send + Sync),
    /// Their facts derived again from their stored events, under the new calendar or times
    /// (nothing is written when one cannot be).
    pub derive: &'a Derive<'a>,
}

/// Holds off every other writer of dossiers until `t` ends (see the module's documentation).
pub(crate) async fn hold_writers_off(t: &mut AnyBulk, backend: Backend) -> Result<(), StoreError> {
    if backend == Backend::Postgres {
        sqlx::query("LOCK TABLE dossiers IN SHARE ROW EXCLUSIVE MODE").execute(&mut *t.tx).await?;
    }
    Ok(())
}

/// Runs `re` in `t` (whose writers [`hold_writers_off`] held off): reads the facts of the
/// dossiers whose clock runs within its span, derives again those it picks and replaces their
/// facts. Returns how many.
pub(crate) async fn rederive_in(t: &mut AnyBulk, backend: Backend, re: &Rederivation<'_>) -> Result<usize, StoreError> {
    let (start, end) = re.span;
    // The picked dossiers with their appointment as stored, to write only those that move.
    let mut picked: HashMap<String, Option<i64>> = HashMap::new();
    for (unit, piece) in crate::tallies::pieces_in(&mut t.tx, re.units, &[re.span], re.units).await? {
        let FactsPiece::Records(blob) = piece else { continue };
        // One pass without a Facts per dossier: most of what the span reads does not move.
        visit_unit(&blob, true, |f, procedure| {
            if f.clock_runs_within(start, end) {
                f.unit.clone_from(&unit);
                f.procedure.clear();
                f.procedure.push_str(procedure);
                if (re.pick)(f) {
                    picked.insert(f.id.clone(), f.due_now());
                }
            }
        })
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    }
    // In the order of their ids, the order of the table's rows (imports write them so).
    let mut ids: Vec<String> = picked.keys().cloned().collect();
    ids.sort_unstable();
    let dossiers = dossiers_by_id_in(&mut t.tx, backend, &ids).await?;
    let facts = (re.derive)(&dossiers).map_err(|errors| StoreError::Invalid(errors.join("; ")))?;
    let replaced = crate::bulk::replace_facts(t, &facts).await?;
    // Most re-derived dossiers ended: no appointment, before and after.
    let moved: Vec<&Facts> = facts.iter().filter(|f| picked.get(&f.id).is_none_or(|due| *due != f.due_now())).collect();
    update_due(t, &moved).await?;
    Ok(replaced)
}
