//! The leaders' dashboard of a subtree for a period (issue 17 item 2): the headline figures of the
//! period's window, the trend over the year's four quarters and the ranking of the units below,
//! from Biểu 06 tables kept across requests ([`Tables`]), so that many leaders at once cost one
//! computation, and a write recomputes only the tables of the units it changed.
//!
//! How the kept tables never go stale: a table is kept per receiving unit and window, with the
//! unit's generation and the generation of what all units read (`cchc_storage::generations`:
//! counters the database bumps, by triggers, in the transaction of every write of a unit's facts
//! or survey answers, and of the procedures, the calendar and the unit tree). A request reads the
//! generations of the subtree's units first, in one query, then uses a kept table only where both
//! generations are the ones it was computed at, and reads and computes the others' facts again.
//! A write committed after the generations were read bumps them, so its table is computed again
//! by the next request: a result is at worst computed once more, never older than the request.
//! A subtree's table is the sum of its units' (each dossier counts in the unit that received
//! it, so [`cchc_dossiers::Table::add`] of the units' tables is the subtree's table).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use cchc_dossiers::rates::Rate;
use cchc_dossiers::{Counts, Table};
use cchc_periods::{DateRange, Period};
use cchc_storage::User;
use cchc_units::UnitTree;

use crate::{App, Error, access};

/// How many (unit, window) tables are kept at most; past it, the least recently used go. A unit's
/// table has at most one row per field of its level, a few kilobytes: 20.000 of them (a
/// province's units over tens of windows) stay within some tens of megabytes.
pub const KEPT_TABLES: usize = 20_000;

/// Some units' tables (by index) for each window, or why they could not be computed.
type UnitTables = anyhow::Result<Vec<(usize, Vec<Table>)>>;

/// One unit's table for one window, with the generations it was computed at.
struct Kept {
    unit_generation: i64,
    all_generation: i64,
    table: Arc<Table>,
    used: u64,
}

/// The Biểu 06 tables kept across requests, per receiving unit and window (see the module's
/// documentation); [`App`] holds one.
#[derive(Default)]
pub struct Tables {
    kept: Mutex<HashMap<(String, DateRange), Kept>>,
    /// One computation at a time per subtree root: concurrent requests for the same subtree wait
    /// for the first and then find its tables (single flight).
    flights: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    clock: AtomicU64,
    computations: AtomicU64,
    unit_tables: AtomicU64,
}

impl Tables {
    /// How many times facts were read and tables computed (the tests' window on the cache).
    pub fn computations(&self) -> u64 {
        self.computations.load(Ordering::Relaxed)
    }

    /// How many (unit, window) tables were computed in all (a write in one unit computes that
    /// unit's again, not the others').
    pub fn unit_tables_computed(&self) -> u64 {
        self.unit_tables.load(Ordering::Relaxed)
    }

    /// How many (unit, window) tables are kept.
    pub fn len(&self) -> usize {
        self.kept.lock().expect("tables lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn flight(&self, root: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut flights = self.flights.lock().expect("flights lock");
        // Roots are units a user may read: as many as the tree has, each an empty lock.
        flights.entry(root.to_string()).or_default().clone()
    }

    /// The table of each of `units` for each of `windows` (`out[u][w]`), kept ones where their
    /// generations are still `generations`', the others computed from the facts read now.
    async fn tables(
        &self,
        app: &App,
        tree: &UnitTree,
        root: &str,
        units: &[String],
        windows: &[DateRange],
    ) -> Result<Vec<Vec<Arc<Table>>>, Error> {
        let flight = self.flight(root);
        let _one_at_a_time = flight.lock().await;
        // The generations first: a write committed from here on bumps them after this reading.
        let generations = app.store.generations(units).await?;
        let mut out: Vec<Vec<Option<Arc<Table>>>> = vec![vec![None; windows.len()]; units.len()];
        let mut stale: HashSet<&str> = HashSet::new();
        {
            let mut kept = self.kept.lock().expect("tables lock");
            for (i, unit) in units.iter().enumerate() {
                for (w, window) in windows.iter().enumerate() {
                    match kept.get_mut(&(unit.clone(), *window)) {
                        Some(k) if k.unit_generation == generations.units[i] && k.all_generation == generations.all => {
                            k.used = self.clock.fetch_add(1, Ordering::Relaxed);
                            out[i][w] = Some(k.table.clone());
                        }
                        _ => {
                            stale.insert(unit.as_str());
                        }
                    }
                }
            }
        }
        if !stale.is_empty() {
            self.computations.fetch_add(1, Ordering::Relaxed);
            let facts = crate::dossiers::subtree_facts_of(app.store.as_ref(), tree, root, windows, |code| stale.contains(code)).await?;
            let todo: Vec<usize> = (0..units.len()).filter(|i| stale.contains(units[*i].as_str())).collect();
            // The units are independent: split them over the cores.
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(todo.len()).max(1);
            let per = todo.len().div_ceil(threads).max(1);
            let computed: Vec<UnitTables> = std::thread::scope(|s| {
                let facts = &facts;
                let handles: Vec<_> = todo
                    .chunks(per)
                    .map(|chunk| {
                        s.spawn(move || {
                            chunk
                                .iter()
                                .map(|&i| {
                                    let unit = units[i].as_str();
                                    let tables =
                                        windows.iter().map(|w| facts.table(*w, |code| code == unit)).collect::<anyhow::Result<_>>()?;
                                    Ok((i, tables))
                                })
                                .collect::<UnitTables>()
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().expect("dashboard thread")).collect()
            });
            let mut kept = self.kept.lock().expect("tables lock");
            for part in computed {
                for (i, tables) in part? {
                    for (w, table) in tables.into_iter().enumerate() {
                        self.unit_tables.fetch_add(1, Ordering::Relaxed);
                        let table = Arc::new(table);
                        out[i][w] = Some(table.clone());
                        let used = self.clock.fetch_add(1, Ordering::Relaxed);
                        let entry = Kept { unit_generation: generations.units[i], all_generation: generations.all, table, used };
                        kept.insert((units[i].clone(), windows[w]), entry);
                    }
                }
            }
            evict(&mut kept);
        }
        Ok(out.into_iter().map(|row| row.into_iter().map(|t| t.expect("every table kept or computed")).collect()).collect())
    }
}

/// Drops the least recently used tables beyond [`KEPT_TABLES`] (down to three quarters of it, so
/// that eviction is not paid at every insertion).
fn evict(kept: &mut HashMap<(String, DateRange), Kept>) {
    if kept.len() <= KEPT_TABLES {
        return;
    }
    let mut used: Vec<u64> = kept.values().map(|k| k.used).collect();
    let drop = kept.len() - KEPT_TABLES * 3 / 4;
    let (_, cut, _) = used.select_nth_unstable(drop - 1);
    let cut = *cut;
    kept.retain(|_, k| k.used > cut);
}

/// The sum of the tables of the units `keep` picks.
fn sum(units: &[String], tables: &[Vec<Arc<Table>>], w: usize, keep: impl Fn(&str) -> bool) -> Table {
    let mut t = Table::default();
    for (unit, row) in units.iter().zip(tables) {
        if keep(unit) {
            t.add(&row[w]);
        }
    }
    t
}

/// The Biểu 06 table of `root`'s subtree for `window` from the kept tables (what
/// [`crate::dossiers::table`] computes from the facts each time), for a caller that checked access.
pub async fn subtree_table(app: &App, tree: &UnitTree, root: &str, window: DateRange) -> Result<Table, Error> {
    let units = crate::dossiers::subtree_fact_units(tree, root);
    let tables = app.tables.tables(app, tree, root, &units, &[window]).await?;
    Ok(sum(&units, &tables, 0, |_| true))
}

/// One unit below in the ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub code: String,
    pub name: String,
    pub counts: Counts,
}

/// The dashboard of a subtree for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    /// The period's data window (the province's rule).
    pub window: DateRange,
    /// The subtree's Biểu 06 table for the window (its totals are the headline).
    pub table: Table,
    /// The year's four quarters, each with the subtree's totals of its window.
    pub trend: Vec<(Period, Counts)>,
    /// The territorial units directly below that existed within the window, each with its
    /// subtree's totals, best on-time rate first (units without resolved dossiers last, then by
    /// name).
    pub ranking: Vec<Ranked>,
}

/// The dashboard of `unit`'s subtree for `period`; `actor` must be able to read `unit`.
pub async fn dashboard(app: &App, actor: &User, unit: &str, period: Period) -> Result<Dashboard, Error> {
    let tree = app.tree().await?;
    if tree.get(unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {unit}")));
    }
    if !access::can_read(actor, &tree, unit) {
        return Err(Error::Forbidden("Bạn không có quyền xem hồ sơ của đơn vị này.".into()));
    }
    let window = app.rule.window(period);
    let quarters: Vec<Period> = (1..=4).map(|q| Period::quarter(period.year, q)).collect();
    let mut windows = vec![window];
    windows.extend(quarters.iter().map(|q| app.rule.window(*q)));
    let units = crate::dossiers::subtree_fact_units(&tree, unit);
    let tables = app.tables.tables(app, &tree, unit, &units, &windows).await?;
    let table = sum(&units, &tables, 0, |_| true);
    let trend = quarters.iter().enumerate().map(|(q, p)| (*p, sum(&units, &tables, q + 1, |_| true).total())).collect();
    let mut ranking: Vec<Ranked> = tree
        .children_in(unit, window.from, window.to)
        .into_iter()
        .filter(|child| child.kind.territorial_level().is_some())
        .map(|child| {
            let below: HashSet<&str> = tree.subtree(&child.code).into_iter().map(|u| u.code.as_str()).collect();
            Ranked { code: child.code.clone(), name: child.name.clone(), counts: sum(&units, &tables, 0, |c| below.contains(c)).total() }
        })
        .collect();
    ranking.sort_by(|a, b| Rate::OnTime.percent(&b.counts).cmp(&Rate::OnTime.percent(&a.counts)).then(a.name.cmp(&b.name)));
    Ok(Dashboard { window, table, trend, ranking })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_the_cap_the_least_recently_used_tables_go() {
        let window = DateRange { from: chrono::NaiveDate::MIN, to: chrono::NaiveDate::MAX };
        let kept_at = |used: u64| Kept { unit_generation: 1, all_generation: 1, table: Arc::new(Table::default()), used };
        let mut kept: HashMap<(String, DateRange), Kept> =
            (0..KEPT_TABLES as u64).map(|i| ((format!("U{i}"), window), kept_at(i))).collect();
        evict(&mut kept);
        assert_eq!(kept.len(), KEPT_TABLES, "at the cap nothing goes");
        kept.insert(("NEW".into(), window), kept_at(KEPT_TABLES as u64));
        evict(&mut kept);
        assert_eq!(kept.len(), KEPT_TABLES * 3 / 4);
        assert!(kept.contains_key(&("NEW".to_string(), window)), "the newest stays");
        assert!(!kept.contains_key(&("U0".to_string(), window)), "the oldest goes");
        let oldest_kept = kept.values().map(|k| k.used).min().unwrap();
        assert_eq!(oldest_kept, (KEPT_TABLES + 1 - KEPT_TABLES * 3 / 4) as u64);
    }
}
