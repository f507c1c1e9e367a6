//! The dossier ledger as the shells need it: procedures with the shipped default list, the units of
//! a subtree that receive dossiers, storing and importing dossiers (with their statistics facts),
//! generating a synthetic ledger, the Biểu 06 table of a unit for a period (from the stored facts,
//! never by replaying events), and the pre-filling of a unit's report from that table.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, anyhow};
use cchc_calendar::WorkCalendar;
use cchc_catalogue::Catalogue;
use cchc_dossiers::facts::{Facts, accumulate_unit};
use cchc_dossiers::generate::{Config, generate};
use cchc_dossiers::import::{CsvStream, RowError, default_procedures, dossier_line, read_dossiers_csv, stream_dossiers_csv};
use cchc_dossiers::tally::{Fit, Tally};
use cchc_dossiers::{Counts, Dossier, Procedure, Table};
use cchc_periods::{Period, WindowRule};
use cchc_report::{UnitRef, UnitReport};
use cchc_storage::{DossierRow, FactsPiece, ImportBatch, Store};
use cchc_units::{Level, UnitTree};
use chrono::{NaiveDate, NaiveDateTime};

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
    receivers(tree, root).filter(|(u, _)| u.is_valid_on(day)).map(|(u, level)| (u.code.clone(), level)).collect()
}

/// Every unit of `root`'s subtree that receives dossiers at some time (district and commune
/// level), with its level.
fn receivers<'a>(tree: &'a UnitTree, root: &str) -> impl Iterator<Item = (&'a cchc_units::Unit, Level)> {
    tree.subtree(root)
        .into_iter()
        .filter(|u| matches!(u.kind.territorial_level(), Some(Level::Huyen | Level::Xa)))
        .filter_map(|u| Some((u, tree.level_of(&u.code)?)))
}

/// The receivers of `root`'s subtree and of the units its units absorbed at any time (a commune
/// of 2025 and the communes merged into it): a table keeps those that existed within its window,
/// so a window that straddles a merger counts the old units' dossiers for their successor.
fn receivers_with_lineage(tree: &UnitTree, root: &str) -> HashMap<String, (Level, cchc_units::Unit)> {
    let (first, last) = (NaiveDate::MIN, NaiveDate::MAX);
    let mut out: HashMap<String, (Level, cchc_units::Unit)> = HashMap::new();
    for (u, _) in receivers(tree, root).collect::<Vec<_>>() {
        for absorbed in tree.absorbed_between(&u.code, first, last) {
            out.extend(receivers(tree, &absorbed.code).map(|(a, level)| (a.code.clone(), (level, a.clone()))));
        }
        if let Some(level) = tree.level_of(&u.code) {
            out.insert(u.code.clone(), (level, u.clone()));
        }
    }
    out
}

/// The Biểu 06 table (by level and field) of `root`'s subtree for `period`'s data window under
/// `rule`, from the stored facts of its receiving units: what `cchc dossiers stats` prints and the
/// web's Biểu 06 page shows. Identical to replaying every dossier's events
/// (`cchc_dossiers::compute`), at a few tens of nanoseconds per dossier.
pub async fn table(store: &dyn Store, tree: &UnitTree, root: &str, period: Period, rule: &WindowRule) -> Result<Table> {
    let window = rule.window(period);
    subtree_facts(store, tree, root, &[window]).await?.table(window, |_| true)
}

/// The stored facts of a subtree's receiving units that given windows can count, read once for
/// several tables (the dashboard's year, quarters and units below): one read instead of one per
/// table, and only of what the windows need (`Store::dossier_pieces`: the cost follows the
/// windows' dossiers, not the stored years, and an ended part the windows hold whole is read as
/// its tally, a few figures per procedure, instead of its dossiers' records).
pub struct SubtreeFacts {
    /// The windows read for: every table's window must be one of them.
    windows: Vec<cchc_periods::DateRange>,
    /// Every unit of the subtree that receives dossiers at district or commune level (and every
    /// unit merged into one of them), with its level; each table keeps those that existed within
    /// its window.
    units: HashMap<String, (Level, cchc_units::Unit)>,
    procs: HashMap<String, Procedure>,
    pieces: Vec<(String, Piece)>,
    /// The satisfaction survey's ratings by unit and receipt code, laid over the ledger's
    /// ([`crate::survey::rate`]): a dossier answered in the survey counts with its answer (so
    /// those units' parts are read as records, never as tallies).
    ratings: HashMap<String, HashMap<String, u8>>,
}

/// A piece of a unit's facts as read: records, or a part's tally (see
/// [`cchc_storage::FactsPiece`]).
enum Piece {
    Records(Vec<u8>),
    Tally { month: u32, tally: Tally },
}

/// Reads the facts of `root`'s subtree that `windows` can count (see [`SubtreeFacts`]).
pub async fn subtree_facts(store: &dyn Store, tree: &UnitTree, root: &str, windows: &[cchc_periods::DateRange]) -> Result<SubtreeFacts> {
    subtree_facts_of(store, tree, root, windows, |_| true).await
}

/// The codes of the units whose facts [`subtree_facts`] reads for `root`, sorted: what every
/// table of the subtree depends on (with the procedures, the calendar and the tree).
pub fn subtree_fact_units(tree: &UnitTree, root: &str) -> Vec<String> {
    let mut codes: Vec<String> = receivers_with_lineage(tree, root).into_keys().collect();
    codes.sort();
    codes
}

/// [`subtree_facts`] of only those of the units that `keep` picks (a cache holding the others'
/// tables reads only the changed units' facts: `crate::dashboard`).
pub async fn subtree_facts_of(
    store: &dyn Store,
    tree: &UnitTree,
    root: &str,
    windows: &[cchc_periods::DateRange],
    keep: impl Fn(&str) -> bool,
) -> Result<SubtreeFacts> {
    let mut units = receivers_with_lineage(tree, root);
    units.retain(|code, _| keep(code));
    let codes: Vec<String> = units.keys().cloned().collect();
    let procs = procedures(store).await?;
    let ratings = crate::survey::ratings(store, &codes).await?;
    let rated: Vec<String> = ratings.keys().cloned().collect();
    let secs: Vec<(i64, i64)> = windows.iter().map(|w| cchc_dossiers::facts::window_secs(*w)).collect();
    let mut pieces = Vec::new();
    for (unit, piece) in store.dossier_pieces(&codes, &secs, &rated).await? {
        pieces.push((
            unit,
            match piece {
                FactsPiece::Records(blob) => Piece::Records(blob),
                FactsPiece::Tally { month, tally } => Piece::Tally { month, tally: Tally::decode(&tally)? },
            },
        ));
    }
    Ok(SubtreeFacts { windows: windows.to_vec(), units, procs, pieces, ratings })
}

impl SubtreeFacts {
    /// A window not among those read for would miss dossiers or misread a tally: refused (a bug
    /// of the caller's).
    fn read_for(&self, window: cchc_periods::DateRange) -> Result<()> {
        if !self.windows.contains(&window) {
            anyhow::bail!("window {window:?} not among the windows read for, {:?}", self.windows);
        }
        Ok(())
    }

    /// The pieces of the receiving units that existed within `window` and that `keep` picks.
    fn picked(&self, window: cchc_periods::DateRange, keep: impl Fn(&str) -> bool) -> Vec<&(String, Piece)> {
        self.pieces.iter().filter(|(code, _)| keep(code) && self.units[code].1.overlaps(window.from, window.to)).collect()
    }

    /// The Biểu 06 table of `window` over the receiving units that existed within it and that
    /// `keep` picks: each dossier is counted in the unit that received it, so units before and
    /// after a merger are counted together without a dossier counted twice.
    pub fn table(&self, window: cchc_periods::DateRange, keep: impl Fn(&str) -> bool + Sync) -> Result<Table> {
        self.read_for(window)?;
        let picked = self.picked(window, keep);
        let (start, end) = cchc_dossiers::facts::window_secs(window);
        // The pieces are independent: split them over the cores and add the partial tables.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(picked.len().max(1));
        let per = picked.len().div_ceil(threads).max(1);
        let partial: Vec<Result<Table>> = std::thread::scope(|s| {
            let handles: Vec<_> = picked
                .chunks(per)
                .map(|chunk| {
                    s.spawn(move || {
                        let mut t = Table::default();
                        for (unit, piece) in chunk {
                            let level = self.units[unit].0;
                            match (piece, self.ratings.get(unit)) {
                                (Piece::Tally { month, tally }, _) => {
                                    if whole(tally, *month, start, end)? {
                                        add_rows(&mut t, level, &self.procs, tally.rows(start, end)?.rows.iter().map(|(p, c)| (*p, c)));
                                    }
                                }
                                // A unit with survey answers: its facts read, the answers laid over.
                                (Piece::Records(blob), Some(ratings)) => {
                                    let mut rows: HashMap<&str, Counts> = HashMap::new();
                                    cchc_dossiers::facts::visit_unit(blob, true, |f, procedure| {
                                        crate::survey::rate(f, Some(ratings));
                                        f.count(rows.entry(procedure).or_default(), start, end);
                                    })?;
                                    add_rows(&mut t, level, &self.procs, rows.iter().map(|(p, c)| (*p, c)));
                                }
                                (Piece::Records(blob), None) => accumulate_unit(&mut t, blob, level, &self.procs, window)?,
                            }
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

    /// What Decision 766's scores need of `window` (see [`cchc_dossiers::scores::Evidence`]), over
    /// the receiving units that existed within it, with the procedures of their levels.
    pub fn evidence(&self, window: cchc_periods::DateRange) -> Result<(cchc_dossiers::scores::Evidence, Vec<&Procedure>)> {
        self.read_for(window)?;
        let (start, end) = cchc_dossiers::facts::window_secs(window);
        let mut evidence = cchc_dossiers::scores::Evidence::default();
        let mut levels = std::collections::HashSet::new();
        for (unit, piece) in self.picked(window, |_| true) {
            levels.insert(self.units[unit].0);
            match piece {
                Piece::Tally { month, tally } => {
                    if whole(tally, *month, start, end)? {
                        evidence.add_tally(tally, start, end).map_err(crate::Error::internal)?;
                    }
                }
                Piece::Records(blob) => {
                    let ratings = self.ratings.get(unit);
                    cchc_dossiers::facts::visit_unit(blob, true, |f, procedure| {
                        crate::survey::rate(f, ratings);
                        evidence.add(f, procedure, start, end);
                    })
                    .map_err(crate::Error::internal)?;
                }
            }
        }
        let mut procedures: Vec<&Procedure> = self.procs.values().filter(|p| levels.contains(&p.level)).collect();
        procedures.sort_by(|a, b| a.code.cmp(&b.code));
        Ok((evidence, procedures))
    }
}

/// Whether a window counts a tallied part (whole) or not at all; a part it would see only some
/// of was read as records by the store's promise, so a tally here is a bug of the read.
fn whole(tally: &Tally, month: u32, start: i64, end: i64) -> Result<bool> {
    match tally.fits(month, start, end) {
        Fit::Whole => Ok(true),
        Fit::Outside => Ok(false),
        Fit::Partly => anyhow::bail!("the tally of part {month} read for a window that sees only some of it"),
    }
}

/// Adds per-procedure counts of one unit (of `level`) to `table`, by the procedures' fields.
fn add_rows<'a>(table: &mut Table, level: Level, procs: &HashMap<String, Procedure>, rows: impl Iterator<Item = (&'a str, &'a Counts)>) {
    for (procedure, c) in rows {
        if let Some(p) = procs.get(procedure)
            && *c != Counts::default()
        {
            table.rows.entry((level, p.field.clone())).or_default().add(c);
        }
    }
}

/// The result of storing or importing dossiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Import {
    /// All stored, in one transaction: how many dossiers.
    Stored(usize),
    /// Nothing stored: one Vietnamese message per bad row or dossier.
    Refused(Vec<String>),
}

/// Derives the statistics facts of `dossiers` (on every core) on the working-day calendar `cal`
/// (the one in force: [`crate::calendar::work_calendar`]), or names every dossier whose
/// procedure is unknown or whose history the ledger refuses.
pub fn derive_facts(dossiers: &[Dossier], procs: &HashMap<String, Procedure>, cal: &WorkCalendar) -> Result<Vec<Facts>, Vec<String>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = dossiers.len().div_ceil(threads).max(1);
    let parts: Vec<Vec<Result<Facts, String>>> = std::thread::scope(|s| {
        let handles: Vec<_> =
            dossiers.chunks(per).map(|chunk| s.spawn(|| chunk.iter().map(|d| one_facts(d, procs, cal)).collect())).collect();
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

/// Refuses a dossier brought in whose applicant was masked by the export it came from
/// ([`cchc_dossiers::mask::masked_field`]): stored, the stars would pass for the applicant.
fn not_masked(d: &Dossier) -> Result<(), String> {
    match d.applicant.as_ref().and_then(cchc_dossiers::mask::masked_field) {
        Some(field) => Err(format!(
            "Hồ sơ {}: {field} của chủ hồ sơ đã bị che (có dấu *), vì tệp được xuất cho người không được xem đầy đủ dữ liệu cá \
             nhân; hãy xuất lại bằng tài khoản của đơn vị đang giải quyết hồ sơ",
            d.id
        )),
        None => Ok(()),
    }
}

fn one_facts(d: &Dossier, procs: &HashMap<String, Procedure>, cal: &WorkCalendar) -> Result<Facts, String> {
    let p = procs.get(&d.procedure).ok_or_else(|| format!("Hồ sơ {}: thủ tục {} chưa có trong danh mục", d.id, d.procedure))?;
    Facts::derive(d, p, cal).map_err(|e| e.to_string())
}

/// Stores dossiers with their facts, all or nothing (the facts are derived here, on `cal`),
/// replacing any stored under the same ids: for bringing dossiers in, not for the counter, whose
/// writes go through [`crate::counter`] (a receipt never replaces, an event names its version).
pub async fn store_dossiers(
    store: &dyn Store,
    dossiers: &[Dossier],
    procs: &HashMap<String, Procedure>,
    cal: &WorkCalendar,
) -> Result<Import> {
    let masked: Vec<String> = dossiers.iter().filter_map(|d| not_masked(d).err()).collect();
    if !masked.is_empty() {
        return Ok(Import::Refused(masked));
    }
    match derive_facts(dossiers, procs, cal) {
        Ok(facts) => Ok(Import::Stored(store.put_dossiers(dossiers, &facts).await?)),
        Err(errors) => Ok(Import::Refused(errors)),
    }
}

/// Imports a dossier export: `.csv` (one row per event) or JSON lines (one dossier per line),
/// all or nothing: every bad row or dossier is reported and then nothing is stored.
///
/// A pipeline in one transaction: a reader thread cuts the file into blocks, workers (one per
/// core) parse them and derive the facts, and each checked block is written while the next ones
/// are prepared (bounded channels, so memory stays bounded). A JSON line is stored as it was
/// read, once it has parsed. A CSV export streams too when the rows of each dossier are
/// together, as one-stop software writes them; one that goes back to a dossier after others is
/// imported again from the start, read whole. When a bad row turns up, nothing more is written,
/// the rest of the file is still checked so that every error is reported, and the transaction
/// is rolled back.
pub async fn import_file(store: &dyn Store, path: &Path) -> Result<Import> {
    let format = if path.extension().is_some_and(|e| e == "csv") { Format::Csv { whole: false } } else { Format::JsonLines };
    match import_as(store, path, format).await? {
        Reading::Done(import) => Ok(import),
        Reading::Ungrouped => match import_as(store, path, Format::Csv { whole: true }).await? {
            Reading::Done(import) => Ok(import),
            Reading::Ungrouped => Err(anyhow!("tệp CSV đọc cả tệp vẫn bị coi là chưa nhóm theo hồ sơ")),
        },
    }
}

/// How an export is read.
#[derive(Debug, Clone, Copy)]
enum Format {
    JsonLines,
    /// `whole`: read the whole file before checking (rows of a dossier anywhere in it).
    Csv {
        whole: bool,
    },
}

/// What one pass over an export came to.
enum Reading {
    Done(Import),
    /// A streamed CSV export is not grouped by dossier: nothing was stored.
    Ungrouped,
}

async fn import_as(store: &dyn Store, path: &Path, format: Format) -> Result<Reading> {
    let file = std::fs::File::open(path).with_context(|| format!("không mở được {}", path.display()))?;
    let procs = procedures(store).await?;
    let cal = crate::calendar::work_calendar(store).await?;
    let units: HashSet<String> = store.unit_tree().await?.units().map(|u| u.code.clone()).collect();
    let (send, batches) = tokio::sync::mpsc::channel(2);
    let checker = std::thread::spawn(move || check_file(file, format, &Known { procs: &procs, units: &units, cal: &cal }, send));
    let stored = store.import_dossiers(batches).await;
    let problems = match checker.join().map_err(|_| anyhow!("luồng đọc tệp hồ sơ bị lỗi"))?? {
        Some(problems) => problems,
        None => return Ok(Reading::Ungrouped),
    };
    if !problems.is_empty() {
        return Ok(Reading::Done(Import::Refused(problems)));
    }
    match stored? {
        Some(n) => Ok(Reading::Done(Import::Stored(n))),
        None => Err(anyhow!("việc nhập hồ sơ bị dừng giữa chừng")),
    }
}

/// Bytes of JSON lines per block (a batch of a few thousand dossiers).
const BLOCK: usize = 2 << 20;
/// Dossiers per block of a CSV export.
const CSV_BLOCK: usize = 5000;

enum Work {
    /// Whole lines of a JSON-lines file, the first being row `first_row`.
    Lines {
        seq: usize,
        first_row: usize,
        text: Vec<u8>,
    },
    Dossiers {
        seq: usize,
        dossiers: Vec<Dossier>,
    },
}

/// A checked block: its rows ready to store, or what is wrong with it.
struct Checked {
    seq: usize,
    rows: Vec<DossierRow>,
    row_errors: Vec<RowError>,
    history_errors: Vec<String>,
}

/// Reads, parses and checks the file and sends the valid batches in order, then `Commit` if no
/// row was bad. Returns the problems: the unreadable rows if any (as the readers report them),
/// else the dossiers whose procedure or history is refused; `None` (and no `Commit`) for a
/// streamed CSV export that is not grouped by dossier.
fn check_file(
    input: std::fs::File,
    format: Format,
    known: &Known<'_>,
    send: tokio::sync::mpsc::Sender<ImportBatch>,
) -> Result<Option<Vec<String>>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let stop = AtomicBool::new(false);
    let (work_send, work) = std::sync::mpsc::sync_channel::<Work>(threads * 2);
    let work = Mutex::new(work);
    let (done_send, done) = std::sync::mpsc::sync_channel::<Checked>(threads * 2);
    std::thread::scope(|s| {
        let stop = &stop;
        let reader = s.spawn(move || match format {
            Format::Csv { whole: true } => send_whole_csv_blocks(input, &work_send, stop).map(Some),
            Format::Csv { whole: false } => send_csv_blocks(input, &work_send, stop),
            Format::JsonLines => send_line_blocks(input, &work_send, stop).map(Some),
        });
        for _ in 0..threads {
            let (work, done_send) = (&work, done_send.clone());
            s.spawn(move || {
                loop {
                    let next = work.lock().expect("work queue").recv();
                    let Ok(w) = next else { break };
                    if done_send.send(check_block(w, known)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_send);
        // Forward the checked blocks in file order; after the first problem, only collect.
        let (mut row_errors, mut history_errors) = (Vec::new(), Vec::new());
        let mut waiting: BTreeMap<usize, Checked> = BTreeMap::new();
        let mut next = 0;
        let mut sending = true;
        for c in done.iter() {
            waiting.insert(c.seq, c);
            while let Some(c) = waiting.remove(&next) {
                next += 1;
                row_errors.extend(c.row_errors);
                history_errors.extend(c.history_errors);
                sending &= row_errors.is_empty() && history_errors.is_empty();
                if sending && !c.rows.is_empty() && send.blocking_send(ImportBatch::Rows(c.rows)).is_err() {
                    // The store gave up (its error is reported by the caller): stop reading.
                    sending = false;
                    stop.store(true, Ordering::Relaxed);
                }
            }
        }
        let Some(unreadable) = reader.join().map_err(|_| anyhow!("luồng đọc tệp hồ sơ bị lỗi"))?? else {
            return Ok(None);
        };
        row_errors.extend(unreadable);
        if !row_errors.is_empty() {
            return Ok(Some(row_errors.iter().map(|e| e.to_string()).collect()));
        }
        if !history_errors.is_empty() {
            return Ok(Some(history_errors));
        }
        if sending {
            let _ = send.blocking_send(ImportBatch::Commit);
        }
        Ok(Some(Vec::new()))
    })
}

/// Sends whole dossiers to the workers in numbered blocks of [`CSV_BLOCK`].
struct DossierBlocks<'a> {
    work: &'a std::sync::mpsc::SyncSender<Work>,
    stop: &'a AtomicBool,
    seq: usize,
    block: Vec<Dossier>,
}

impl<'a> DossierBlocks<'a> {
    fn new(work: &'a std::sync::mpsc::SyncSender<Work>, stop: &'a AtomicBool) -> Self {
        DossierBlocks { work, stop, seq: 0, block: Vec::with_capacity(CSV_BLOCK) }
    }

    /// Adds a dossier; `false` when the import has stopped.
    fn push(&mut self, d: Dossier) -> bool {
        self.block.push(d);
        self.block.len() < CSV_BLOCK || self.send()
    }

    /// Sends what is gathered; `false` when the import has stopped.
    fn send(&mut self) -> bool {
        if self.block.is_empty() {
            return true;
        }
        let dossiers = std::mem::replace(&mut self.block, Vec::with_capacity(CSV_BLOCK));
        let sent = !self.stop.load(Ordering::Relaxed) && self.work.send(Work::Dossiers { seq: self.seq, dossiers }).is_ok();
        self.seq += 1;
        sent
    }
}

/// Streams a CSV export grouped by dossier as blocks of whole dossiers; returns its unreadable
/// rows, or `None` when it goes back to a dossier after others (then it must be read whole).
fn send_csv_blocks(input: std::fs::File, work: &std::sync::mpsc::SyncSender<Work>, stop: &AtomicBool) -> Result<Option<Vec<RowError>>> {
    let mut blocks = DossierBlocks::new(work, stop);
    match stream_dossiers_csv(std::io::BufReader::with_capacity(1 << 20, input), |d| blocks.push(d)) {
        CsvStream::Ungrouped { .. } => Ok(None),
        CsvStream::Read(errors) => {
            if errors.is_empty() {
                blocks.send();
            }
            Ok(Some(errors))
        }
    }
}

/// Sends a CSV export read whole as blocks of whole dossiers; returns its unreadable rows (then
/// sends none).
fn send_whole_csv_blocks(input: std::fs::File, work: &std::sync::mpsc::SyncSender<Work>, stop: &AtomicBool) -> Result<Vec<RowError>> {
    let dossiers = match read_dossiers_csv(std::io::BufReader::with_capacity(1 << 20, input)) {
        Ok(d) => d,
        Err(errors) => return Ok(errors),
    };
    let mut blocks = DossierBlocks::new(work, stop);
    if dossiers.into_iter().all(|d| blocks.push(d)) {
        blocks.send();
    }
    Ok(Vec::new())
}

/// Sends a JSON-lines file as blocks of about [`BLOCK`] bytes of whole lines, numbered in order.
fn send_line_blocks(mut input: std::fs::File, work: &std::sync::mpsc::SyncSender<Work>, stop: &AtomicBool) -> Result<Vec<RowError>> {
    let (mut seq, mut first_row) = (0, 1);
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let eof = fill_block(&mut input, &mut pending)?;
        let cut = if eof { pending.len() } else { pending.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1) };
        if cut > 0 {
            let rest = pending.split_off(cut);
            let text = std::mem::replace(&mut pending, rest);
            let lines = text.iter().filter(|b| **b == b'\n').count();
            if stop.load(Ordering::Relaxed) || work.send(Work::Lines { seq, first_row, text }).is_err() {
                break;
            }
            seq += 1;
            first_row += lines;
        }
        if eof {
            break;
        }
    }
    Ok(Vec::new())
}

/// Appends up to [`BLOCK`] bytes of `input` to `pending`; `true` at the end of the file.
fn fill_block(input: &mut std::fs::File, pending: &mut Vec<u8>) -> Result<bool> {
    let len = pending.len();
    pending.resize(len + BLOCK, 0);
    let mut got = 0;
    while got < BLOCK {
        match input.read(&mut pending[len + got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(anyhow!("không đọc được tệp hồ sơ: {e}")),
        }
    }
    pending.truncate(len + got);
    Ok(got < BLOCK)
}

/// Parses a block and derives the facts of each dossier in it.
/// What an import checks each dossier against: the procedures, the units, the calendar in force.
struct Known<'a> {
    procs: &'a HashMap<String, Procedure>,
    units: &'a HashSet<String>,
    cal: &'a WorkCalendar,
}

fn check_block(w: Work, known: &Known<'_>) -> Checked {
    let mut c = Checked { seq: 0, rows: Vec::new(), row_errors: Vec::new(), history_errors: Vec::new() };
    let facts = |d: &Dossier| {
        if !known.units.contains(&d.unit) {
            // Named here, with the dossier, rather than left to the database's foreign key.
            return Err(format!("Hồ sơ {}: đơn vị {} không có trong danh sách đơn vị", d.id, d.unit));
        }
        not_masked(d)?;
        one_facts(d, known.procs, known.cal)
    };
    let add = |c: &mut Checked, d: &Dossier, json: Option<&str>| match facts(d) {
        Ok(f) => match match json {
            Some(json) => DossierRow::with_json(d, f, json.to_string()),
            None => DossierRow::new(d, f),
        } {
            Ok(row) => c.rows.push(row),
            Err(e) => c.history_errors.push(e.to_string()),
        },
        Err(e) => c.history_errors.push(e),
    };
    match w {
        Work::Dossiers { seq, dossiers } => {
            c.seq = seq;
            for d in &dossiers {
                add(&mut c, d, None);
            }
        }
        Work::Lines { seq, first_row, text } => {
            c.seq = seq;
            let text = text.strip_suffix(b"\n").unwrap_or(&text);
            for (i, line) in text.split(|b| *b == b'\n').enumerate() {
                match dossier_line(first_row + i, line) {
                    Ok((l, d)) => add(&mut c, &d, Some(l)),
                    Err(e) => c.row_errors.push(e),
                }
            }
        }
    }
    c
}

/// Generates `n` realistic dossiers received in `year` by the receiving units of `root`'s
/// subtree (deterministic from `seed`) and stores them, in batches so memory stays bounded.
pub async fn generate_into_store(store: &dyn Store, tree: &UnitTree, root: &str, n: usize, year: i32, seed: u64) -> Result<usize> {
    generate_into_store_until(store, tree, root, n, year, seed, None).await
}

/// [`generate_into_store`] with the ledger as it stands at `until` when given (the demo passes
/// `cchc_storage::now()`): nothing received after it, no event after it
/// ([`cchc_dossiers::generate::as_of`]). Returns how many dossiers were stored.
pub async fn generate_into_store_until(
    store: &dyn Store,
    tree: &UnitTree,
    root: &str,
    n: usize,
    year: i32,
    seed: u64,
    until: Option<NaiveDateTime>,
) -> Result<usize> {
    let mut generated = generated(store, tree, root, n, year, seed).await?;
    generated.until = until;
    let procs: HashMap<String, Procedure> = generated.configs[0].procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
    let cal = generated.calendar.clone();
    // Stored as an import is (rows written in bulk, one transaction), so the demo's ledger is what a
    // province's imported history looks like to the counter and the lists.
    let (send, batches) = tokio::sync::mpsc::channel(2);
    let produce = async move {
        let mut all = generated.dossiers();
        loop {
            let batch: Vec<Dossier> = all.by_ref().take(GENERATE_BATCH).collect();
            if batch.is_empty() {
                let _ = send.send(ImportBatch::Commit).await;
                return Ok(());
            }
            let facts = derive_facts(&batch, &procs, &cal).map_err(|errors| anyhow!("hồ sơ mẫu không hợp lệ: {}", errors.join("; ")))?;
            let rows = batch.iter().zip(facts).map(|(d, f)| DossierRow::new(d, f)).collect::<Result<Vec<_>, _>>()?;
            if send.send(ImportBatch::Rows(rows)).await.is_err() {
                return Ok(());
            }
        }
    };
    let (stored, produced): (Result<Option<usize>, _>, Result<()>) = tokio::join!(store.import_dossiers(batches), produce);
    produced?;
    stored?.ok_or_else(|| anyhow!("việc lưu hồ sơ mẫu bị dừng giữa chừng"))
}

const GENERATE_BATCH: usize = 500_000;

/// What the generator makes for a subtree and a year: one configuration per stretch of the year
/// in which the same units receive dossiers (two in 2025: the communes before the merger of
/// 1/7/2025 and those after), each dossier received by a unit that existed that day.
pub struct Generated {
    pub configs: Vec<Config>,
    /// When each receiving unit existed.
    units: HashMap<String, cchc_units::Unit>,
    pub calendar: std::sync::Arc<cchc_calendar::WorkCalendar>,
    /// The ledger as it stands at this moment, when set ([`cchc_dossiers::generate::as_of`]).
    pub until: Option<NaiveDateTime>,
}

impl Generated {
    /// The dossiers, deterministic from the seed; about the `n` asked for when the units changed
    /// during the year (those drawn for a day their unit did not exist are left out).
    pub fn dossiers(&self) -> impl Iterator<Item = Dossier> + '_ {
        self.configs.iter().enumerate().flat_map(move |(k, config)| {
            generate(config, &self.calendar)
                .filter(|d| d.events.first().is_some_and(|e| self.units.get(&d.unit).is_some_and(|u| u.is_valid_on(e.at.date()))))
                .filter_map(|d| match self.until {
                    Some(now) => cchc_dossiers::generate::as_of(d, now),
                    None => Some(d),
                })
                .map(move |mut d| {
                    crate::demo::people(&mut d);
                    // The generator numbers the dossiers of each configuration from 0: a unit that
                    // receives in two stretches would repeat its ids.
                    if k > 0 {
                        d.id = format!("{}-{k}", d.id);
                    }
                    d
                })
        })
    }
}

/// The generator's configurations for `root`'s receiving units in `year` (see [`Generated`]) and
/// the stored procedures; refuses a subtree without any receiving unit.
pub async fn generated(store: &dyn Store, tree: &UnitTree, root: &str, n: usize, year: i32, seed: u64) -> Result<Generated> {
    // The units receiving on the 15th of each month, in stretches of months with the same units.
    let mut stretches: Vec<(Vec<(String, Level)>, usize)> = Vec::new();
    for month in 1..=12 {
        let day = NaiveDate::from_ymd_opt(year, month, 15).ok_or_else(|| anyhow!("năm {year} không hợp lệ"))?;
        let units = receiving_units(tree, root, day);
        match stretches.last_mut() {
            Some((last, months)) if *last == units => *months += 1,
            _ => stretches.push((units, 1)),
        }
    }
    stretches.retain(|(units, _)| !units.is_empty());
    if stretches.is_empty() {
        return Err(anyhow!("đơn vị {root} không có đơn vị cấp huyện, cấp xã nào để tiếp nhận hồ sơ năm {year}"));
    }
    // In code order: the generator draws procedures by position, so the same seed must see the
    // same list whatever order the map iterates in.
    let mut procedures: Vec<Procedure> = procedures(store).await?.into_values().collect();
    procedures.sort_by(|a, b| a.code.cmp(&b.code));
    let months: usize = stretches.iter().map(|(_, m)| m).sum();
    let mut left = n;
    let last = stretches.len() - 1;
    let mut configs = Vec::new();
    for (k, (units, m)) in stretches.into_iter().enumerate() {
        let dossiers = if k == last { left } else { n * m / months };
        left -= dossiers;
        configs.push(Config { units, procedures: procedures.clone(), year, dossiers, seed: seed + k as u64 });
    }
    let units = receivers(tree, root).map(|(u, _)| (u.code.clone(), u.clone())).collect();
    Ok(Generated { configs, units, calendar: std::sync::Arc::new(crate::calendar::work_calendar(store).await?), until: None })
}

/// A unit's report for the period with every ledger figure filled in: the stored report (its
/// ledger figures replaced, when the ledger holds dossiers of the unit's subtree in the window)
/// or a new draft. Returns the report and the version it was based on
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
    // A ledger without a dossier of the unit's subtree in the window has nothing to say: the
    // figures the report states (an imported report, a district's own) stand.
    if table.rows.is_empty() {
        prefill_records(store, catalogue, root, period, rule, &mut report).await?;
        return Ok((report, version));
    }
    let filled = cchc_dossiers::prefill::prefill(&table, catalogue);
    report.replace_indicators(filled);
    prefill_records(store, catalogue, root, period, rule, &mut report).await?;
    Ok((report, version))
}

/// The work records' figures (plans' tasks, the documents register, inspections, feedback, the
/// satisfaction survey), as the ledger's: each kind replaces the entries its sources give.
async fn prefill_records(
    store: &dyn Store,
    catalogue: &Catalogue,
    unit: &str,
    period: Period,
    rule: &WindowRule,
    report: &mut UnitReport,
) -> anyhow::Result<()> {
    crate::plans::prefill(store, catalogue, unit, period, rule, report).await?;
    crate::inspections::prefill(store, catalogue, unit, period, rule, report).await?;
    crate::feedback::prefill(store, catalogue, unit, period, rule, report).await?;
    crate::survey::prefill(store, catalogue, unit, period, rule, report).await
}
