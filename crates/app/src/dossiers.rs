//! The dossier ledger as the shells need it: procedures with the shipped default list, the units of
//! a subtree that receive dossiers, storing and importing dossiers (with their statistics facts),
//! generating a synthetic ledger, the Biểu 06 table of a unit for a period (from the stored facts,
//! never by replaying events), and the pre-filling of a unit's report from that table.

use std::collections::{HashMap, HashSet};

use std::io::BufReader;
use std::path::Path;

use anyhow::{Context, Result, anyhow};
use cchc_calendar::WorkCalendar;
use cchc_catalogue::Catalogue;
use cchc_dossiers::facts::{Facts, FactsError, accumulate_unit};
use cchc_dossiers::generate::{Config, generate};
use cchc_dossiers::import::{default_procedures, read_dossiers_csv, read_dossiers_jsonl};
use cchc_dossiers::{Dossier, Procedure, Table};
use cchc_periods::{Period, WindowRule};
use cchc_report::{UnitRef, UnitReport};
use cchc_storage::Store;
use cchc_units::{Level, UnitTree};
use chrono::NaiveDate;

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

/// The Biểu 06 table (by level and field) of `root`'s subtree for `period`'s data window under
/// `rule`, from the stored facts of its receiving units: what `cchc dossiers stats` prints and the
/// web's Biểu 06 page shows. Identical to replaying every dossier's events
/// (`cchc_dossiers::compute`), at a few tens of nanoseconds per dossier.
pub async fn table(store: &dyn Store, tree: &UnitTree, root: &str, period: Period, rule: &WindowRule) -> Result<Table> {
    let window = rule.window(period);
    let units: HashMap<String, Level> = receiving_units(tree, root, window.to).into_iter().collect();
    let codes: Vec<String> = units.keys().cloned().collect();
    let procs = procedures(store).await?;
    let blobs = store.dossier_facts(&codes).await?;
    // The blobs are independent: split them over the cores and add the partial tables.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(blobs.len().max(1));
    let per = blobs.len().div_ceil(threads).max(1);
    let partial: Vec<Result<Table, FactsError>> = std::thread::scope(|s| {
        let handles: Vec<_> = blobs
            .chunks(per)
            .map(|chunk| {
                let (units, procs) = (&units, &procs);
                s.spawn(move || {
                    let mut t = Table::default();
                    for (unit, blob) in chunk {
                        accumulate_unit(&mut t, blob, units[unit], procs, window)?;
                    }
                    Ok(t)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("statistics thread")).collect()
    });
    let mut table = Table::default();
    for t in partial {
        table.add(&t?);
    }
    Ok(table)
}

/// The result of storing or importing dossiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Import {
    /// All stored, in one transaction: how many dossiers.
    Stored(usize),
    /// Nothing stored: one Vietnamese message per bad row or dossier.
    Refused(Vec<String>),
}

/// Derives the statistics facts of `dossiers` (on every core), or names every dossier whose
/// procedure is unknown or whose history the ledger refuses.
pub fn derive_facts(dossiers: &[Dossier], procs: &HashMap<String, Procedure>) -> Result<Vec<Facts>, Vec<String>> {
    let cal = WorkCalendar::vietnam();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = dossiers.len().div_ceil(threads).max(1);
    let parts: Vec<Vec<Result<Facts, String>>> = std::thread::scope(|s| {
        let handles: Vec<_> = dossiers.chunks(per).map(|chunk| s.spawn(|| chunk.iter().map(|d| one_facts(d, procs, &cal)).collect())).collect();
        handles.into_iter().map(|h| h.join().expect("facts thread")).collect()
    });
    let mut facts = Vec::with_capacity(dossiers.len());
    let mut errors = Vec::new();
    for r in parts.into_iter().flatten() {
        match r {
            Ok(f) => facts.push(f),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(facts) } else { Err(errors) }
}

fn one_facts(d: &Dossier, procs: &HashMap<String, Procedure>, cal: &WorkCalendar) -> Result<Facts, String> {
    let p = procs.get(&d.procedure).ok_or_else(|| format!("Hồ sơ {}: thủ tục {} chưa có trong danh mục", d.id, d.procedure))?;
    Facts::derive(d, p, cal).map_err(|e| e.to_string())
}

/// Stores dossiers with their facts, all or nothing (the facts are derived here).
pub async fn store_dossiers(store: &dyn Store, dossiers: &[Dossier], procs: &HashMap<String, Procedure>) -> Result<Import> {
    match derive_facts(dossiers, procs) {
        Ok(facts) => Ok(Import::Stored(store.put_dossiers(dossiers, &facts).await?)),
        Err(errors) => Ok(Import::Refused(errors)),
    }
}

/// Imports a dossier export: `.csv` (one row per event) or JSON lines (one dossier per line).
/// The file is read as a stream; every bad row or dossier is reported and then nothing is stored.
pub async fn import_file(store: &dyn Store, path: &Path) -> Result<Import> {
    let file = std::fs::File::open(path).with_context(|| format!("không mở được {}", path.display()))?;
    let parsed = if path.extension().is_some_and(|e| e == "csv") { read_dossiers_csv(file) } else { read_dossiers_jsonl(BufReader::with_capacity(1 << 20, file)) };
    let dossiers = match parsed {
        Ok(d) => d,
        Err(errors) => return Ok(Import::Refused(errors.iter().map(|e| e.to_string()).collect())),
    };
    let procs = procedures(store).await?;
    store_dossiers(store, &dossiers, &procs).await
}

/// Generates `n` realistic dossiers received in `year` by the receiving units of `root`'s
/// subtree (deterministic from `seed`) and stores them, in batches so memory stays bounded.
pub async fn generate_into_store(store: &dyn Store, tree: &UnitTree, root: &str, n: usize, year: i32, seed: u64) -> Result<usize> {
    let config = generator_config(store, tree, root, n, year, seed).await?;
    let procs: HashMap<String, Procedure> = config.procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
    let cal = WorkCalendar::vietnam();
    let mut all = generate(&config, &cal);
    let mut stored = 0;
    loop {
        let batch: Vec<Dossier> = all.by_ref().take(GENERATE_BATCH).collect();
        if batch.is_empty() {
            return Ok(stored);
        }
        match store_dossiers(store, &batch, &procs).await? {
            Import::Stored(k) => stored += k,
            Import::Refused(errors) => return Err(anyhow!("hồ sơ mẫu không hợp lệ: {}", errors.join("; "))),
        }
    }
}

const GENERATE_BATCH: usize = 500_000;

/// The generator's configuration for `root`'s receiving units (valid at mid-year) and the stored
/// procedures; refuses a unit without any receiving unit.
pub async fn generator_config(store: &dyn Store, tree: &UnitTree, root: &str, n: usize, year: i32, seed: u64) -> Result<Config> {
    let units = receiving_units(tree, root, NaiveDate::from_ymd_opt(year, 6, 30).ok_or_else(|| anyhow!("năm {year} không hợp lệ"))?);
    if units.is_empty() {
        return Err(anyhow!("đơn vị {root} không có đơn vị cấp huyện, cấp xã nào để tiếp nhận hồ sơ năm {year}"));
    }
    let procedures: Vec<Procedure> = procedures(store).await?.into_values().collect();
    Ok(Config { units, procedures, year, dossiers: n, seed })
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
