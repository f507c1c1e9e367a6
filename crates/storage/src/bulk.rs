//! Bulk writes of the dossier ledger, shared by [`crate::Store::put_dossiers`] and the
//! streaming [`crate::Store::import_dossiers`]: batches are written as they arrive in one
//! transaction, as rows of `dossiers` (multi-row inserts), the facts are appended to one
//! [`UnitBlob`] per part (receiving unit and month of receipt, migration 0028), and each part is
//! merged with the stored one whenever [`FLUSH_DOSSIERS`] are held ([`flush`]) and at the end.
//!
//! The common case — a ledger that was empty, no id repeated — takes the fast path: no lookup,
//! plain inserts (arrays unnested in one statement on PostgreSQL) and the built blobs written as
//! they are. Otherwise the semantics are those of a sequence of upserts: the last occurrence of
//! an id wins (its row is replaced in place, its version bumped), and a dossier that moves to
//! another unit or month leaves its old part. Repeated ids are found through the 64-bit hashes of
//! the ids met, kept in a structure of fixed size ([`Seen`]: a false positive only costs a lookup).
//!
//! A part is read with the deltas the counter wrote in it (`dossier_fact_rows`, see
//! [`crate::counter`]) laid over it and taken out, and written back whole, so the deltas of every
//! part it rewrites are folded into it in the same transaction.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};

use async_trait::async_trait;
use cchc_dossiers::facts::{Facts, MonthPart, UnitBlob, decode_unit, merge_part, part_month};
use chrono::{Datelike, NaiveDateTime, Timelike};
use sqlx::{AssertSqlSafe, Row};

use crate::sql::Backend;
use crate::text_index::Searched;
use crate::{DossierRow, ImportBatch, StoreError};

/// A stored dossier's unit and the part its facts are in.
pub(crate) struct StoredAt {
    pub id: String,
    pub unit: String,
    pub month: u32,
}

/// A part of the facts: a receiving unit and a month of receipt ([`part_month`]).
pub(crate) type PartKey = (String, u32);

/// The part of a stored row's `received_at` text (`2024-03-…` → 202403).
fn month_of_text(received_at: &str) -> Result<u32, StoreError> {
    let year: u32 =
        received_at.get(0..4).and_then(|y| y.parse().ok()).ok_or_else(|| StoreError::Invalid(format!("ngày tiếp nhận {received_at}")))?;
    let month: u32 =
        received_at.get(5..7).and_then(|m| m.parse().ok()).ok_or_else(|| StoreError::Invalid(format!("ngày tiếp nhận {received_at}")))?;
    Ok(year * 100 + month)
}

/// A row of `SELECT id, unit_code, received_at FROM dossiers`.
fn stored_row<R: Row>(r: &R) -> Result<StoredAt, StoreError>
where
    for<'c> &'c str: sqlx::ColumnIndex<R>,
    for<'q> String: sqlx::Decode<'q, R::Database> + sqlx::Type<R::Database>,
{
    let received: String = r.try_get("received_at")?;
    Ok(StoredAt { id: r.try_get("id")?, unit: r.try_get("unit_code")?, month: month_of_text(&received)? })
}

/// What the bulk writer needs from an open transaction.
#[async_trait]
pub(crate) trait BulkTx: Send {
    /// Whether the statement (without parameters) returns a row.
    async fn returns_a_row(&mut self, sql: &'static str) -> Result<bool, StoreError>;
    /// Whether the ledger has no dossier.
    async fn ledger_is_empty(&mut self) -> Result<bool, StoreError> {
        Ok(!self.returns_a_row(ANY_ROW).await?)
    }
    /// The unit of each of `ids` that is stored.
    async fn stored_at(&mut self, ids: &[&str]) -> Result<Vec<StoredAt>, StoreError>;
    /// Writes the rows into `dossiers` (their `json` is taken), replacing a stored one of the
    /// same id in place and bumping its version. `fresh`: none of their ids is stored, and they
    /// are distinct.
    async fn insert_rows(&mut self, rows: &mut [&mut DossierRow], fresh: bool) -> Result<(), StoreError>;
    /// A part of the facts (its ended and open dossiers) as one blob, its deltas (the rows of
    /// `dossier_fact_rows` written at the counter) laid over it and taken out: the caller writes
    /// the part back with [`BulkTx::put_facts_part`] in the same transaction. `None` when the
    /// part has neither.
    async fn facts_part(&mut self, unit: &str, month: u32) -> Result<Option<Vec<u8>>, StoreError>;
    /// Writes a part's blob of ended (`open` false) or open dossiers with what a window's query
    /// reads beside it ([`UnitBlob::settled`]); an empty one is deleted.
    async fn put_facts_blob(&mut self, unit: &str, month: u32, open: bool, blob: UnitBlob) -> Result<(), StoreError>;
    /// Writes both blobs of a part.
    async fn put_facts_part(&mut self, unit: &str, month: u32, part: MonthPart) -> Result<(), StoreError> {
        self.put_facts_blob(unit, month, false, part.settled).await?;
        self.put_facts_blob(unit, month, true, part.open).await
    }
    /// Called before the first batch of an import into an empty ledger: the writer may drop the
    /// indexes of `dossiers` that the import does not read (all but the primary key), to build
    /// them again, sorted, in [`BulkTx::rebuild_indexes`] — in the same transaction.
    async fn set_indexes_aside(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Builds again what [`BulkTx::set_indexes_aside`] dropped, before the commit.
    async fn rebuild_indexes(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Dossiers whose facts an import holds in memory before it merges them into the stored parts
/// ([`flush`]): about 37 bytes each once encoded, up to twice that in the growing vectors, so
/// some 40–70 MB whatever the file's size (issue 17 item 4). Each flush rewrites the parts it
/// touches, merged with what is stored: the more often, the slower (3.000.000 dossiers 11 %
/// slower when flushing every 500.000; ARCHITECTURE.md, "Import memory").
pub(crate) const FLUSH_DOSSIERS: usize = 1_000_000;

/// Ids an import remembers exactly (their 64-bit hashes in a hash table, at most 2^20 buckets of
/// 9 bytes: its last size before it would double) before it turns to a Bloom filter ([`Seen`]).
const SEEN_EXACT: usize = 900_000;

/// The Bloom filter's size: 2^27 bits, 16 MB, and the bits set per id. About 0,2 % false
/// positives at 10.000.000 ids, a millionth at 3.000.000.
const BLOOM_LOG2_BITS: u32 = 27;
const BLOOM_PROBES: u32 = 7;

#[cfg(test)]
thread_local! {
    /// A test's limits in place of ([`FLUSH_DOSSIERS`], [`SEEN_EXACT`]), for the imports driven on
    /// its thread (a `#[tokio::test]` runs the store's futures on it).
    pub(crate) static TEST_LIMITS: std::cell::Cell<Option<(usize, usize)>> = const { std::cell::Cell::new(None) };
}

/// ([`FLUSH_DOSSIERS`], [`SEEN_EXACT`]), or a test's.
fn limits() -> (usize, usize) {
    #[cfg(test)]
    if let Some(l) = TEST_LIMITS.with(std::cell::Cell::get) {
        return l;
    }
    (FLUSH_DOSSIERS, SEEN_EXACT)
}

/// What an import holds between two flushes.
#[derive(Default)]
struct Pending {
    /// The new facts by part, in import order.
    blobs: HashMap<PartKey, MonthPart>,
    /// The dossiers that left each part (stored in it, met again in another).
    moved: HashMap<PartKey, HashSet<String>>,
    /// Hashes of the ids met since the last flush that may have been met before in this import:
    /// their facts held may not be the last (see [`last_written`]).
    again: HashSet<u64, IdHasher>,
    /// Facts held.
    dossiers: usize,
}

/// Writes every batch received until [`ImportBatch::Commit`], then the facts blobs, and returns
/// how many dossiers were stored; `None` when the channel closed before `Commit` (the caller
/// then rolls the transaction back). A dossier already stored, anywhere, is replaced.
///
/// The memory is bounded whatever the number of dossiers: the facts are merged into the stored
/// parts whenever [`FLUSH_DOSSIERS`] are held (in the same transaction), and the ids met are
/// remembered in a structure of fixed size ([`Seen`]) whose false positives only send a batch
/// down the path of possibly repeated ids (looked up in the table, upserted), never change what
/// is stored.
pub(crate) async fn write(t: &mut dyn BulkTx, rx: &mut tokio::sync::mpsc::Receiver<ImportBatch>) -> Result<Option<usize>, StoreError> {
    let fresh_ledger = t.ledger_is_empty().await?;
    if fresh_ledger {
        t.set_indexes_aside().await?;
    }
    let (budget, exact) = limits();
    let mut seen = Seen::new(exact);
    let mut pending = Pending::default();
    let mut stored = 0;
    while let Some(item) = rx.recv().await {
        let mut rows = match item {
            ImportBatch::Rows(rows) => rows,
            ImportBatch::Commit => {
                t.rebuild_indexes().await?;
                flush(t, pending).await?;
                return Ok(Some(stored));
            }
        };
        let mut repeats = false;
        for r in &rows {
            let h = id_hash(&r.facts.id);
            if seen.met(h) {
                pending.again.insert(h);
                repeats = true;
            }
        }
        let mut kept: Vec<&mut DossierRow> = if repeats { last_of_each_id(&mut rows) } else { rows.iter_mut().collect() };
        // Only ids that may be stored already are looked up: all of them in a ledger that had
        // dossiers, else those that may have been met before in this import.
        let suspects: Vec<&str> = kept
            .iter()
            .map(|r| r.facts.id.as_str())
            .filter(|id| !fresh_ledger || (repeats && pending.again.contains(&id_hash(id))))
            .collect();
        let met_before = moving(t, &kept, &suspects, &mut pending.moved, &pending.again).await?;
        t.insert_rows(&mut kept, fresh_ledger && !repeats).await?;
        stored += kept.len() - met_before;
        pending.dossiers += kept.len();
        for r in &kept {
            pending.blobs.entry((r.facts.unit.clone(), part_month(r.facts.received))).or_default().push(&r.facts);
        }
        if pending.dossiers >= budget {
            flush(t, std::mem::take(&mut pending)).await?;
        }
    }
    Ok(None)
}

/// Records in `moved` those of `suspects` (ids of `kept`) that are stored in another part than
/// the batch gives them (another unit or month of receipt; their row is replaced by its upsert),
/// and returns how many of the suspects are stored and may have been met before in this import
/// (their hash in `again`): written by an earlier batch, so not counted again. Exact in a ledger
/// that was empty (a stored row was written by this import); in one that had dossiers, an id
/// the [`Seen`] filter mistakes for one met before is not counted (figures in ARCHITECTURE.md).
async fn moving(
    t: &mut dyn BulkTx,
    kept: &[&mut DossierRow],
    suspects: &[&str],
    moved: &mut HashMap<PartKey, HashSet<String>>,
    again: &HashSet<u64, IdHasher>,
) -> Result<usize, StoreError> {
    let old = stored_at(t, suspects).await?;
    if old.is_empty() {
        return Ok(0);
    }
    let met_before = old.iter().filter(|s| again.contains(&id_hash(&s.id))).count();
    let new_part: HashMap<&str, (&str, u32)> =
        kept.iter().map(|r| (r.facts.id.as_str(), (r.facts.unit.as_str(), part_month(r.facts.received)))).collect();
    for s in old {
        if new_part.get(s.id.as_str()).is_some_and(|(u, m)| *u != s.unit || *m != s.month) {
            moved.entry((s.unit, s.month)).or_default().insert(s.id);
        }
    }
    Ok(met_before)
}

async fn stored_at(t: &mut dyn BulkTx, ids: &[&str]) -> Result<Vec<StoredAt>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        out.extend(t.stored_at(chunk).await?);
    }
    Ok(out)
}

/// Merges each touched part's held facts into the stored part, and removes from each part the
/// dossiers that left it. A part neither stored nor touched by a possibly repeated id or a move
/// is written as built; otherwise its held facts are reduced to those the table now holds
/// ([`last_written`]) and merged with the stored ones.
async fn flush(t: &mut dyn BulkTx, pending: Pending) -> Result<(), StoreError> {
    let Pending { mut blobs, moved, again, .. } = pending;
    let parts: BTreeSet<PartKey> = blobs.keys().chain(moved.keys()).cloned().collect();
    let nobody = HashSet::new();
    for key in parts {
        let (unit, month) = (key.0.as_str(), key.1);
        let built = blobs.remove(&key).unwrap_or_default();
        let old = t.facts_part(unit, month).await?;
        if old.is_none() && again.is_empty() && !moved.contains_key(&key) {
            t.put_facts_part(unit, month, built).await?;
            continue;
        }
        let mut new = decode_unit(unit, &built.settled.finish()).map_err(|e| StoreError::Invalid(e.to_string()))?;
        new.extend(decode_unit(unit, &built.open.finish()).map_err(|e| StoreError::Invalid(e.to_string()))?);
        if !again.is_empty() {
            new = last_written(t, &key, new, &again).await?;
        }
        let remove: HashSet<&str> = moved.get(&key).map_or_else(|| nobody.clone(), |ids| ids.iter().map(String::as_str).collect());
        let refs: Vec<&Facts> = new.iter().collect();
        let part = merge_part(unit, old.as_deref(), &refs, &remove).map_err(|e| StoreError::Invalid(e.to_string()))?;
        t.put_facts_part(unit, month, part).await?;
    }
    Ok(())
}

/// The ids an import has met, as their 64-bit hashes ([`id_hash`]): exactly, in a hash set, up to
/// a limit ([`SEEN_EXACT`]), then in a Bloom filter of fixed size ([`BLOOM_LOG2_BITS`]) built from
/// them. [`Seen::met`] never says no for an id met before; it may say yes for one that was not (a
/// 64-bit collision, or the filter's false positive), which only costs the batch a lookup of that
/// id in the table and an upsert instead of an insert.
enum Seen {
    Exact { set: HashSet<u64, IdHasher>, limit: usize },
    Bloom(Vec<u64>),
}

impl Seen {
    fn new(limit: usize) -> Seen {
        Seen::Exact { set: HashSet::default(), limit }
    }

    /// Whether `h` may have been met before; remembers it.
    fn met(&mut self, h: u64) -> bool {
        match self {
            Seen::Exact { set, limit } => {
                let before = !set.insert(h);
                if set.len() >= *limit {
                    let mut bits = vec![0u64; 1 << (BLOOM_LOG2_BITS - 6)];
                    for &h in set.iter() {
                        bloom_set(&mut bits, h);
                    }
                    *self = Seen::Bloom(bits);
                }
                before
            }
            Seen::Bloom(bits) => bloom_set(bits, h),
        }
    }
}

/// Sets `h`'s bits in the filter and returns whether all were set already (double hashing of
/// two mixed 64-bit values, the position taken from the top bits).
fn bloom_set(bits: &mut [u64], h: u64) -> bool {
    let mut at = mix(h);
    let step = mix(h ^ 0x9e37_79b9_7f4a_7c15) | 1;
    let mut all = true;
    for _ in 0..BLOOM_PROBES {
        let bit = (at >> (64 - BLOOM_LOG2_BITS)) as usize;
        let (word, mask) = (bit / 64, 1u64 << (bit % 64));
        all &= bits[word] & mask != 0;
        bits[word] |= mask;
        at = at.wrapping_add(step);
    }
    all
}

/// SplitMix64's finaliser: every bit of the result depends on every bit of `x`.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Replaces the facts of stored dossiers in their parts (see `Store::replace_facts`); refuses
/// facts of a dossier its part does not have (its events, and so its unit and receipt, are kept).
pub(crate) async fn replace_facts(t: &mut dyn BulkTx, facts: &[Facts]) -> Result<usize, StoreError> {
    let mut by_part: BTreeMap<(&str, u32), Vec<&Facts>> = BTreeMap::new();
    for f in facts {
        by_part.entry((f.unit.as_str(), part_month(f.received))).or_default().push(f);
    }
    let invalid = |e: cchc_dossiers::facts::FactsError| StoreError::Invalid(e.to_string());
    for ((unit, month), new) in by_part {
        let old = t.facts_part(unit, month).await?;
        let stored: HashSet<String> = match &old {
            Some(b) => decode_unit(unit, b).map_err(invalid)?.into_iter().map(|f| f.id).collect(),
            None => HashSet::new(),
        };
        if let Some(f) = new.iter().find(|f| !stored.contains(&f.id)) {
            return Err(StoreError::NotFound(format!("hồ sơ {} của đơn vị {unit}", f.id)));
        }
        let part = merge_part(unit, old.as_deref(), &new, &HashSet::new()).map_err(invalid)?;
        t.put_facts_part(unit, month, part).await?;
    }
    Ok(facts.len())
}

/// Of a part's new facts, in import order, those the table now holds: a possibly repeated id
/// keeps its last occurrence, and only if its last write was to this part.
async fn last_written(
    t: &mut dyn BulkTx,
    part: &PartKey,
    new: Vec<Facts>,
    again: &HashSet<u64, IdHasher>,
) -> Result<Vec<Facts>, StoreError> {
    let suspects: Vec<&str> =
        new.iter().map(|f| f.id.as_str()).filter(|id| again.contains(&id_hash(id))).collect::<BTreeSet<_>>().into_iter().collect();
    let mut now_in: HashMap<String, PartKey> = HashMap::new();
    for chunk in suspects.chunks(IDS_PER_QUERY) {
        now_in.extend(t.stored_at(chunk).await?.into_iter().map(|s| (s.id, (s.unit, s.month))));
    }
    let mut last: HashMap<String, usize> = HashMap::new();
    for (i, f) in new.iter().enumerate() {
        if now_in.contains_key(&f.id) {
            last.insert(f.id.clone(), i);
        }
    }
    Ok(new
        .into_iter()
        .enumerate()
        .filter(|(i, f)| match now_in.get(&f.id) {
            Some(p) => p == part && last[&f.id] == *i,
            None => true,
        })
        .map(|(_, f)| f)
        .collect())
}

/// The rows of a batch, the last occurrence of each id only.
fn last_of_each_id(rows: &mut [DossierRow]) -> Vec<&mut DossierRow> {
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        last.insert(r.facts.id.as_str(), i);
    }
    let keep: Vec<bool> = rows.iter().enumerate().map(|(i, r)| last[r.facts.id.as_str()] == i).collect();
    rows.iter_mut().zip(keep).filter(|(_, k)| *k).map(|(r, _)| r).collect()
}

/// Ids per `IN (…)` lookup.
const IDS_PER_QUERY: usize = 1000;

/// Fx rather than SipHash: no attacker chooses these ids against us, and a collision only costs
/// a lookup.
fn id_hash(id: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    id.hash(&mut h);
    h.finish()
}

/// The hasher of a set of hashes: the value itself.
type IdHasher = BuildHasherDefault<Identity>;

#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// A timestamp in the stored text form, `%Y-%m-%dT%H:%M:%S%.6f`, without chrono's format
/// interpreter (a third of the rows' preparation when measured).
pub(crate) fn ts(t: NaiveDateTime) -> String {
    let mut out = String::with_capacity(26);
    ts_into(t, &mut out);
    out
}

/// [`ts`] written into `out` (emptied first), so that a writer reuses one buffer.
fn ts_into(t: NaiveDateTime, out: &mut String) {
    out.clear();
    let (year, nanos) = (t.year(), t.nanosecond());
    if !(0..=9999).contains(&year) || nanos >= 1_000_000_000 {
        use std::fmt::Write;
        let _ = write!(out, "{}", t.format(crate::sql::TS));
        return;
    }
    let mut b = [0u8; 26];
    let mut put = |at: usize, width: usize, mut v: u32| {
        for i in (at..at + width).rev() {
            b[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, year as u32);
    put(5, 2, t.month());
    put(8, 2, t.day());
    put(11, 2, t.hour());
    put(14, 2, t.minute());
    put(17, 2, t.second());
    put(20, 6, nanos / 1000);
    b[4] = b'-';
    b[7] = b'-';
    b[10] = b'T';
    b[13] = b':';
    b[16] = b':';
    b[19] = b'.';
    out.push_str(std::str::from_utf8(&b).expect("ASCII"));
}

// The statements the same on both backends.
const ANY_ROW: &str = "SELECT 1 AS one FROM dossiers LIMIT 1";
const SELECT_FACTS_PART: &str = "SELECT data FROM dossier_fact_parts WHERE unit_code = $1 AND month = $2 ORDER BY is_open";
/// The deltas taken in one statement: exactly those deleted are folded, even when the counter
/// adds one meanwhile (PostgreSQL).
const TAKE_PART_DELTAS: &str = "DELETE FROM dossier_fact_rows WHERE unit_code = $1 AND month = $2 RETURNING data";
const PUT_FACTS_BLOB: &str = "INSERT INTO dossier_fact_parts (unit_code, month, is_open, settled_at, data, tally, tally_until) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (unit_code, month, is_open) DO UPDATE SET settled_at = excluded.settled_at, data = excluded.data, tally = excluded.tally, tally_until = excluded.tally_until";
const DELETE_FACTS_BLOB: &str = "DELETE FROM dossier_fact_parts WHERE unit_code = $1 AND month = $2 AND is_open = $3";

/// A part's blobs (ended, then open dossiers) with its taken deltas laid over them (see
/// [`BulkTx::facts_part`]): the open blob's records are laid over the ended one's as the deltas
/// are (no dossier is in both), so one pass over each.
fn overlaid(blobs: Vec<Vec<u8>>, deltas: Vec<Vec<u8>>) -> Result<Option<Vec<u8>>, StoreError> {
    let mut all = blobs.into_iter().chain(deltas);
    let Some(first) = all.next() else { return Ok(None) };
    let rest: Vec<Vec<u8>> = all.collect();
    if rest.is_empty() {
        return Ok(Some(first));
    }
    let refs: Vec<&[u8]> = rest.iter().map(Vec::as_slice).collect();
    cchc_dossiers::facts::overlay_unit(Some(&first), &refs).map(Some).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// [`BulkTx::facts_part`] on a transaction of any of the three writers' databases.
async fn facts_part_in<DB: sqlx::Database>(
    tx: &mut sqlx::Transaction<'static, DB>,
    unit: &str,
    month: u32,
) -> Result<Option<Vec<u8>>, StoreError>
where
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments: sqlx::IntoArguments<DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> i32: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'c> &'c str: sqlx::ColumnIndex<DB::Row>,
    for<'q> Vec<u8>: sqlx::Decode<'q, DB> + sqlx::Type<DB>,
{
    let blobs = sqlx::query(SELECT_FACTS_PART).bind(unit.to_string()).bind(month as i32).fetch_all(&mut **tx).await?;
    let deltas = sqlx::query(TAKE_PART_DELTAS).bind(unit.to_string()).bind(month as i32).fetch_all(&mut **tx).await?;
    overlaid(data_of(&blobs)?, data_of(&deltas)?)
}

/// [`BulkTx::put_facts_blob`] on a transaction of any of the three writers' databases.
async fn put_facts_blob_in<DB: sqlx::Database>(
    tx: &mut sqlx::Transaction<'static, DB>,
    unit: &str,
    month: u32,
    open: bool,
    blob: UnitBlob,
) -> Result<(), StoreError>
where
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments: sqlx::IntoArguments<DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> i32: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> Vec<u8>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> Option<Vec<u8>>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let q = if blob.is_empty() { sqlx::query(DELETE_FACTS_BLOB) } else { sqlx::query(PUT_FACTS_BLOB) };
    let q = q.bind(unit.to_string()).bind(month as i32).bind(open as i32);
    let q = if blob.is_empty() {
        q
    } else {
        let settled = blob.settled();
        let data = blob.finish();
        let (tally, until) = tally_of(open, &data)?;
        q.bind(settled).bind(data).bind(tally).bind(until)
    };
    q.execute(&mut **tx).await?;
    Ok(())
}

/// The tally stored beside a part's blob, and its last moment (`cchc_dossiers::tally`, migrations
/// 0032 and 0034).
pub(crate) fn tally_of(open: bool, data: &[u8]) -> Result<(Option<Vec<u8>>, Option<i64>), StoreError> {
    let tally = cchc_dossiers::tally::Tally::of(data, open).map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok(tally.map_or((None, None), |t| (Some(t.encode()), Some(t.until))))
}

/// The `data` column of rows.
fn data_of<R: Row>(rows: &[R]) -> Result<Vec<Vec<u8>>, StoreError>
where
    for<'c> &'c str: sqlx::ColumnIndex<R>,
    for<'q> Vec<u8>: sqlx::Decode<'q, R::Database> + sqlx::Type<R::Database>,
{
    Ok(rows.iter().map(|r| r.try_get("data")).collect::<Result<_, _>>()?)
}

/// Rows per multi-row insert through the `Any` driver: 10 parameters each ([`COLUMNS`]), under
/// SQLite's 32.766 and PostgreSQL's 65.535 parameter limits (measured on SQLite with 5
/// parameters: 6.000 rows 10 % faster than 500).
const ROWS_PER_INSERT: usize = 3000;

/// The columns a dossier row writes (the multi-row insert's parameters per row).
const COLUMNS: usize = 10;
const _: () = assert!(ROWS_PER_INSERT * COLUMNS <= 32_766, "SQLite's parameter limit per statement");

/// The multi-row insert of `rows` dossiers; an upsert (replacing in place, version bumped) unless
/// `fresh`.
fn insert_sql(backend: Backend, rows: usize, fresh: bool) -> String {
    let values = crate::sql::value_rows(backend, COLUMNS, rows);
    let upsert = if fresh { "" } else { UPSERT };
    format!(
        "INSERT INTO dossiers (id, unit_code, procedure_code, received_at, json, search_text, state, channel, due_at, handling_unit) VALUES {values}{upsert}"
    )
}

const UPSERT: &str = " ON CONFLICT (id) DO UPDATE SET unit_code = excluded.unit_code, procedure_code = excluded.procedure_code, received_at = excluded.received_at, json = excluded.json, search_text = excluded.search_text, state = excluded.state, channel = excluded.channel, due_at = excluded.due_at, handling_unit = excluded.handling_unit, version = dossiers.version + 1";

/// The page cache while the indexes set aside are built again ([`SqliteBulk::rebuild_indexes`]).
const SQLITE_REBUILD_CACHE: &str = "PRAGMA cache_size = -32768";

/// The typed SQLite writer's statements: one row each, prepared once per batch and stepped once
/// per dossier (see [`raw::insert`]).
const SQLITE_INSERT_ONE: &str = "INSERT INTO dossiers (id, unit_code, procedure_code, received_at, json, search_text, state, channel, due_at, handling_unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const SQLITE_UPSERT_ONE: &str = "INSERT INTO dossiers (id, unit_code, procedure_code, received_at, json, search_text, state, channel, due_at, handling_unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET unit_code = excluded.unit_code, procedure_code = excluded.procedure_code, received_at = excluded.received_at, json = excluded.json, search_text = excluded.search_text, state = excluded.state, channel = excluded.channel, due_at = excluded.due_at, handling_unit = excluded.handling_unit, version = dossiers.version + 1";

/// The bulk writer over an `Any` transaction (SQLite; PostgreSQL without its typed pool).
pub(crate) struct AnyBulk {
    pub tx: sqlx::Transaction<'static, sqlx::Any>,
    pub backend: Backend,
    /// The multi-row insert's text by row count (the full chunks share one).
    statements: HashMap<usize, String>,
}

impl AnyBulk {
    pub fn new(tx: sqlx::Transaction<'static, sqlx::Any>, backend: Backend) -> AnyBulk {
        AnyBulk { tx, backend, statements: HashMap::new() }
    }
}

#[async_trait]
impl BulkTx for AnyBulk {
    async fn returns_a_row(&mut self, sql: &'static str) -> Result<bool, StoreError> {
        Ok(sqlx::query(sql).fetch_optional(&mut *self.tx).await?.is_some())
    }

    async fn stored_at(&mut self, ids: &[&str]) -> Result<Vec<StoredAt>, StoreError> {
        let list = crate::sql::parameters(self.backend, 1, ids.len()).join(", ");
        let mut q = sqlx::query(AssertSqlSafe(format!("SELECT id, unit_code, received_at FROM dossiers WHERE id IN ({list})")));
        for id in ids {
            q = q.bind(id.to_string());
        }
        q.fetch_all(&mut *self.tx).await?.iter().map(stored_row).collect()
    }

    async fn insert_rows(&mut self, rows: &mut [&mut DossierRow], fresh: bool) -> Result<(), StoreError> {
        for chunk in rows.chunks_mut(ROWS_PER_INSERT) {
            let backend = self.backend;
            let sql = self.statements.entry(chunk.len() * 2 + fresh as usize).or_insert_with(|| insert_sql(backend, chunk.len(), fresh));
            let mut q = sqlx::query(AssertSqlSafe(sql.clone()));
            for r in chunk.iter_mut() {
                q = q
                    .bind(r.facts.id.clone())
                    .bind(r.facts.unit.clone())
                    .bind(r.facts.procedure.clone())
                    .bind(ts(r.received_at))
                    .bind(std::mem::take(&mut r.json))
                    .bind(std::mem::take(&mut r.search))
                    .bind(r.state)
                    .bind(r.channel())
                    .bind(r.due_at.map(ts))
                    .bind(r.handling.clone());
            }
            q.execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    async fn facts_part(&mut self, unit: &str, month: u32) -> Result<Option<Vec<u8>>, StoreError> {
        facts_part_in(&mut self.tx, unit, month).await
    }

    async fn put_facts_blob(&mut self, unit: &str, month: u32, open: bool, blob: UnitBlob) -> Result<(), StoreError> {
        put_facts_blob_in(&mut self.tx, unit, month, open, blob).await
    }
}

/// The bulk writer over a typed SQLite transaction, on the store's own connection for imports
/// (see `SqlStore::open_in_schema`). The rows go in through SQLite's C interface on the
/// connection sqlx locks for us ([`raw::insert`]): one prepared single-row insert stepped per
/// dossier, its texts bound where they lie. Through sqlx, each text was copied into its
/// arguments and again by SQLite (`SQLITE_TRANSIENT`), and SQLite's allocator with its mutex
/// took a third of the writer's time (measured with `perf`). The steps run on the importing
/// task's thread, a batch of a few thousand rows at a time, as sqlx's worker
/// thread would have run them while the task waited. A batch is written in the order of its
/// ids, so that the primary key's B-tree is walked page after page rather than at random.
///
/// Into an empty ledger, the secondary indexes of `dossiers` are dropped before the rows go in
/// and created again from their stored definitions at the end, in the same transaction (a
/// rollback restores them; readers keep seeing the state before the import): SQLite builds an
/// index from sorted keys far faster than it inserts the same keys one by one at random places.
/// So with the text index (migration 0040): its triggers are dropped and the index is built
/// once from the rows at the end (10.000.000 dossiers: 729 s through the triggers, 275–302 s so,
/// against 154 s without the index; `scripts/bench-scale.sh`, ARCHITECTURE.md).
pub(crate) struct SqliteBulk {
    pub tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    /// The definitions (`CREATE INDEX …`, `CREATE TRIGGER …`) of the indexes and the text
    /// index's triggers set aside.
    aside: Vec<String>,
}

impl SqliteBulk {
    pub fn new(tx: sqlx::Transaction<'static, sqlx::Sqlite>) -> SqliteBulk {
        SqliteBulk { tx, aside: Vec::new() }
    }
}

/// What [`SqliteBulk`] sets aside: the declared indexes of `dossiers` (not the primary key's, in
/// which the import looks ids up: it has no `sql`) and the text indexes' triggers.
const SQLITE_ASIDE: &str = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'dossiers' AND sql IS NOT NULL \
     AND (type = 'index' OR (type = 'trigger' AND (name LIKE 'dossier_words_%' OR name LIKE 'dossier_codes_%'))) ORDER BY type, name";

#[async_trait]
impl BulkTx for SqliteBulk {
    async fn returns_a_row(&mut self, sql: &'static str) -> Result<bool, StoreError> {
        Ok(sqlx::query(sql).fetch_optional(&mut *self.tx).await?.is_some())
    }

    async fn stored_at(&mut self, ids: &[&str]) -> Result<Vec<StoredAt>, StoreError> {
        let list = crate::sql::parameters(Backend::Sqlite, 1, ids.len()).join(", ");
        let mut q = sqlx::query(AssertSqlSafe(format!("SELECT id, unit_code, received_at FROM dossiers WHERE id IN ({list})")));
        for id in ids {
            q = q.bind(id.to_string());
        }
        q.fetch_all(&mut *self.tx).await?.iter().map(stored_row).collect()
    }

    async fn insert_rows(&mut self, rows: &mut [&mut DossierRow], fresh: bool) -> Result<(), StoreError> {
        // The ids of a batch are distinct (`write` keeps the last of each), so their order is free.
        let mut sorted: Vec<&DossierRow> = rows.iter().map(|r| &**r).collect();
        sorted.sort_unstable_by(|a, b| a.facts.id.cmp(&b.facts.id));
        let sql = if fresh { SQLITE_INSERT_ONE } else { SQLITE_UPSERT_ONE };
        let failed = {
            let mut handle = self.tx.lock_handle().await?;
            raw::insert(handle.as_raw_handle(), sql, &sorted)
        };
        let Err(failed) = failed else { return Ok(()) };
        // SQLite refused a row (a foreign key, …): when the transaction is still open, the row
        // is written again through sqlx, which fails the same way and reports it as the same
        // `sqlx::Error` as every other statement (a foreign-key violation is judged by its kind).
        if failed.in_transaction
            && let Some(row) = sorted.get(failed.at)
        {
            sqlx::query(sql)
                .bind(row.facts.id.as_str())
                .bind(row.facts.unit.as_str())
                .bind(row.facts.procedure.as_str())
                .bind(ts(row.received_at))
                .bind(row.json.as_str())
                .bind(row.search.as_str())
                .bind(row.state)
                .bind(row.channel())
                .bind(row.due_at.map(ts))
                .bind(row.handling.as_str())
                .execute(&mut *self.tx)
                .await?;
        }
        Err(StoreError::Database(sqlx::Error::Protocol(format!("SQLite refused dossier row {}: {}", failed.at, failed.message))))
    }

    async fn facts_part(&mut self, unit: &str, month: u32) -> Result<Option<Vec<u8>>, StoreError> {
        facts_part_in(&mut self.tx, unit, month).await
    }

    async fn put_facts_blob(&mut self, unit: &str, month: u32, open: bool, blob: UnitBlob) -> Result<(), StoreError> {
        put_facts_blob_in(&mut self.tx, unit, month, open, blob).await
    }

    async fn set_indexes_aside(&mut self) -> Result<(), StoreError> {
        for r in sqlx::query(SQLITE_ASIDE).fetch_all(&mut *self.tx).await? {
            let (kind, name, sql): (String, String, String) = (r.try_get("type")?, r.try_get("name")?, r.try_get("sql")?);
            let kind = if kind == "trigger" { "TRIGGER" } else { "INDEX" };
            sqlx::query(AssertSqlSafe(format!("DROP {kind} \"{}\"", name.replace('"', "\"\"")))).execute(&mut *self.tx).await?;
            self.aside.push(sql);
        }
        Ok(())
    }

    /// With a 32 MB page cache (given back after the import, `SqlStore::write_dossiers`): SQLite's
    /// sorter makes its sorted runs as large as the page cache (`vdbesort.c`), and they came on top
    /// of the cache full of the import's pages, the peak of the whole import (a rise of 250 MB
    /// at 3.000.000 dossiers with a 256 MB cache; ARCHITECTURE.md, "Import memory").
    async fn rebuild_indexes(&mut self) -> Result<(), StoreError> {
        if !self.aside.is_empty() {
            sqlx::query(SQLITE_REBUILD_CACHE).execute(&mut *self.tx).await?;
        }
        let aside = std::mem::take(&mut self.aside);
        // The ledger was empty, and so the text indexes: each is built from every row at once.
        if aside.iter().any(|sql| sql.starts_with("CREATE TRIGGER")) {
            for searched in Searched::ALL {
                sqlx::query(AssertSqlSafe(searched.sqlite_rebuild())).execute(&mut *self.tx).await?;
            }
        }
        for sql in aside {
            sqlx::query(AssertSqlSafe(sql)).execute(&mut *self.tx).await?;
        }
        Ok(())
    }
}

/// The bulk writer over a typed PostgreSQL transaction: many rows go in as arrays unnested in
/// one statement (`UNNEST($1::TEXT[], …)`), which `Any` cannot bind.
///
/// Into an empty ledger, the text index's GIN (migration 0040) is dropped before the rows go in
/// and built once at the end, in the same transaction, as SQLite's indexes are
/// ([`SqliteBulk`]): kept up row by row, it made the import of 10.000.000 dossiers 858 s, so
/// 722–731 s, against some 585 s before it. Dropping it locks `dossiers` until the commit: readers of the ledger,
/// still empty, wait for its first import.
pub(crate) struct PgBulk {
    pub tx: sqlx::Transaction<'static, sqlx::Postgres>,
    /// Whether the text index was dropped, to be built again before the commit.
    trigrams_aside: bool,
}

impl PgBulk {
    pub fn new(tx: sqlx::Transaction<'static, sqlx::Postgres>) -> PgBulk {
        PgBulk { tx, trigrams_aside: false }
    }

    /// Moves the stored rows of `ids` whose receipt moment is not the one given (`received`, in
    /// the same order) to it, by an UPDATE of `received_at`: PostgreSQL moves a row whose year
    /// changes to that year's partition, and `dossier_ids` follows (migration 0033). The upsert
    /// that follows then finds each row under its new key. Read in `dossier_ids`, one key per id.
    async fn move_receipts(&mut self, ids: &[String], received: &[String]) -> Result<(), StoreError> {
        let stored = sqlx::query("SELECT id, received_at FROM dossier_ids WHERE id = ANY($1)").bind(ids).fetch_all(&mut *self.tx).await?;
        if stored.is_empty() {
            return Ok(());
        }
        let given: HashMap<&str, &str> = ids.iter().map(String::as_str).zip(received.iter().map(String::as_str)).collect();
        let (mut moved, mut from, mut to) = (Vec::new(), Vec::new(), Vec::new());
        for r in &stored {
            let (id, at): (String, String) = (r.try_get("id")?, r.try_get("received_at")?);
            if let Some(new) = given.get(id.as_str()).filter(|new| **new != at) {
                to.push(new.to_string());
                moved.push(id);
                from.push(at);
            }
        }
        if !moved.is_empty() {
            sqlx::query(PG_MOVE_RECEIPTS)
                .bind(moved)
                .bind(from)
                .bind(to)
                .execute(&mut *self.tx)
                .await
                .map_err(crate::partitions::refused)?;
        }
        Ok(())
    }
}

/// The stored dossiers of ids (`$1`), through `dossier_ids` (migration 0033): one probe of its
/// key, then one of the partition of the year the row is in (pruned at run time), rather than
/// one probe of every year's partition.
const PG_STORED_AT: &str = "SELECT d.id, d.unit_code, d.received_at FROM dossier_ids i JOIN dossiers d ON d.id = i.id AND d.received_at = i.received_at WHERE i.id = ANY($1)";

/// See [`PgBulk::move_receipts`]: ids, stored receipt moments, new ones.
const PG_MOVE_RECEIPTS: &str = "UPDATE dossiers d SET received_at = m.received_at FROM UNNEST($1::TEXT[], $2::TEXT[], $3::TEXT[]) AS m(id, stored_at, received_at) WHERE d.id = m.id AND d.received_at = m.stored_at";

#[async_trait]
impl BulkTx for PgBulk {
    async fn returns_a_row(&mut self, sql: &'static str) -> Result<bool, StoreError> {
        Ok(sqlx::query(sql).fetch_optional(&mut *self.tx).await?.is_some())
    }

    async fn set_indexes_aside(&mut self) -> Result<(), StoreError> {
        for searched in Searched::ALL {
            sqlx::query(AssertSqlSafe(searched.pg_drop())).execute(&mut *self.tx).await?;
        }
        self.trigrams_aside = true;
        Ok(())
    }

    async fn rebuild_indexes(&mut self) -> Result<(), StoreError> {
        if std::mem::take(&mut self.trigrams_aside) {
            for searched in Searched::ALL {
                sqlx::query(AssertSqlSafe(searched.pg_create())).execute(&mut *self.tx).await?;
            }
        }
        Ok(())
    }

    async fn stored_at(&mut self, ids: &[&str]) -> Result<Vec<StoredAt>, StoreError> {
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        let rows = sqlx::query(PG_STORED_AT).bind(&ids).fetch_all(&mut *self.tx).await?;
        rows.iter().map(stored_row).collect()
    }

    /// The columns as arrays unnested in one statement. Not `COPY`: each `COPY` cost about 45 ms
    /// of waiting when measured. Unless `fresh`, an upsert on `(id, received_at)`, the primary
    /// key of the partitioned `dossiers` (migration 0033), after the stored rows whose receipt
    /// moment the batch changes are moved to it ([`PgBulk::move_receipts`]).
    async fn insert_rows(&mut self, rows: &mut [&mut DossierRow], fresh: bool) -> Result<(), StoreError> {
        let upsert = if fresh {
            ""
        } else {
            " ON CONFLICT (id, received_at) DO UPDATE SET unit_code = excluded.unit_code, procedure_code = excluded.procedure_code, json = excluded.json, search_text = excluded.search_text, state = excluded.state, channel = excluded.channel, due_at = excluded.due_at, handling_unit = excluded.handling_unit, version = dossiers.version + 1"
        };
        for chunk in rows.chunks_mut(ROWS_PER_INSERT) {
            let mut columns: [Vec<String>; 9] = Default::default();
            let mut due: Vec<Option<String>> = Vec::with_capacity(chunk.len());
            for r in chunk.iter_mut() {
                columns[0].push(r.facts.id.clone());
                columns[1].push(r.facts.unit.clone());
                columns[2].push(r.facts.procedure.clone());
                columns[3].push(ts(r.received_at));
                columns[4].push(std::mem::take(&mut r.json));
                columns[5].push(std::mem::take(&mut r.search));
                columns[6].push(r.state.to_string());
                columns[7].push(r.channel().to_string());
                due.push(r.due_at.map(ts));
                columns[8].push(r.handling.clone());
            }
            let sql = format!(
                "INSERT INTO dossiers (id, unit_code, procedure_code, received_at, json, search_text, state, channel, due_at, handling_unit) SELECT * FROM UNNEST($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[], $9::TEXT[], $10::TEXT[]){upsert}"
            );
            if !fresh {
                self.move_receipts(&columns[0], &columns[3]).await?;
            }
            let [a, b, c, d, e, f, g, h, handling] = columns;
            sqlx::query(AssertSqlSafe(sql))
                .bind(a)
                .bind(b)
                .bind(c)
                .bind(d)
                .bind(e)
                .bind(f)
                .bind(g)
                .bind(h)
                .bind(due)
                .bind(handling)
                .execute(&mut *self.tx)
                .await
                .map_err(crate::partitions::refused)?;
        }
        Ok(())
    }

    async fn facts_part(&mut self, unit: &str, month: u32) -> Result<Option<Vec<u8>>, StoreError> {
        facts_part_in(&mut self.tx, unit, month).await
    }

    async fn put_facts_blob(&mut self, unit: &str, month: u32, open: bool, blob: UnitBlob) -> Result<(), StoreError> {
        put_facts_blob_in(&mut self.tx, unit, month, open, blob).await
    }
}

/// SQLite's C interface, for the typed writer's rows only: sqlx hands the connection over
/// (`lock_handle`) while its worker thread makes no call on it.
mod raw {
    use std::ffi::{CStr, c_int};
    use std::ptr::{NonNull, null_mut};

    use libsqlite3_sys as ffi;

    use crate::DossierRow;

    /// A row SQLite refused.
    pub struct Failed {
        /// Its place in the rows given.
        pub at: usize,
        /// SQLite's message, for the log.
        pub message: String,
        /// Whether the transaction is still open (SQLite rolls it back itself on some errors).
        pub in_transaction: bool,
    }

    /// A prepared statement, finalised when dropped.
    struct Statement(*mut ffi::sqlite3_stmt);

    impl Drop for Statement {
        fn drop(&mut self) {
            // SAFETY: made by `sqlite3_prepare_v2` on a connection that outlives it, finalised once.
            unsafe { ffi::sqlite3_finalize(self.0) };
        }
    }

    /// Steps `sql` (ten parameters: id, unit, procedure, receipt moment, JSON, search text,
    /// state, channel, appointment or NULL, handling unit) once per
    /// row, in order; stops at the first row SQLite refuses.
    pub fn insert(db: NonNull<ffi::sqlite3>, sql: &str, rows: &[&DossierRow]) -> Result<(), Failed> {
        let db = db.as_ptr();
        // The receipt moment's text, rewritten for each row; declared before the statement so
        // that it outlives it (SQLite keeps the pointer bound until the next row rebinds it).
        let mut at = String::with_capacity(32);
        let mut due = String::with_capacity(32);
        let mut stmt = null_mut();
        let len = c_int::try_from(sql.len()).expect("a statement of this module");
        // SAFETY: `db` is the open connection sqlx locked for us for the length of this call; the
        // text and its length are valid.
        let rc = unsafe { ffi::sqlite3_prepare_v2(db, sql.as_ptr().cast(), len, &mut stmt, null_mut()) };
        if rc != ffi::SQLITE_OK {
            return Err(failed(db, 0));
        }
        let stmt = Statement(stmt);
        for (i, r) in rows.iter().enumerate() {
            super::ts_into(r.received_at, &mut at);
            if let Some(t) = r.due_at {
                super::ts_into(t, &mut due);
            }
            let texts = [
                r.facts.id.as_str(),
                r.facts.unit.as_str(),
                r.facts.procedure.as_str(),
                at.as_str(),
                r.json.as_str(),
                r.search.as_str(),
                r.state,
                r.channel(),
            ];
            let handling = r.handling.as_str();
            // SAFETY: the statement is live; parameter 9 (the appointment) is NULL or the text
            // of `due`, untouched until the next row, as for the texts below.
            let rc = match r.due_at {
                None => unsafe { ffi::sqlite3_bind_null(stmt.0, 9) },
                Some(_) => unsafe { ffi::sqlite3_bind_text(stmt.0, 9, due.as_ptr().cast(), due.len() as c_int, ffi::SQLITE_STATIC()) },
            };
            if rc != ffi::SQLITE_OK {
                return Err(failed(db, i));
            }
            // Parameter 9 is the appointment (above); the handling unit is parameter 10.
            for (n, text) in (1..9).zip(texts).chain([(10, handling)]) {
                let Ok(len) = c_int::try_from(text.len()) else {
                    return Err(Failed { at: i, message: format!("parameter {n} longer than SQLite takes"), in_transaction: true });
                };
                // SAFETY: the statement is live; `SQLITE_STATIC`: the text (borrowed from `rows`,
                // or `at`, untouched until the next row) stays valid and unchanged until the
                // parameter is bound again or the statement finalised, both after this step.
                let rc = unsafe { ffi::sqlite3_bind_text(stmt.0, n, text.as_ptr().cast(), len, ffi::SQLITE_STATIC()) };
                if rc != ffi::SQLITE_OK {
                    return Err(failed(db, i));
                }
            }
            // SAFETY: the statement is live and every parameter bound.
            let rc = unsafe { ffi::sqlite3_step(stmt.0) };
            let refused = (rc != ffi::SQLITE_DONE).then(|| failed(db, i));
            // SAFETY: the statement is live; resetting makes it ready for the next row.
            unsafe { ffi::sqlite3_reset(stmt.0) };
            if let Some(f) = refused {
                return Err(f);
            }
        }
        Ok(())
    }

    fn failed(db: *mut ffi::sqlite3, at: usize) -> Failed {
        // SAFETY: `db` is open; SQLite's message is a NUL-terminated text it owns, copied at once.
        let message = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) }.to_string_lossy().into_owned();
        // SAFETY: `db` is open. Autocommit is back on when SQLite rolled the transaction back.
        let in_transaction = unsafe { ffi::sqlite3_get_autocommit(db) } == 0;
        Failed { at, message, in_transaction }
    }
}

/// An import that flushes its facts into the stored parts along the way ([`flush`], here after
/// every batch, the ids met in the Bloom filter after the first two) stores exactly what one that
/// holds them to the end does: the same rows, parts and Biểu 06, with an id repeated across a
/// flush, a dossier moved to another unit and back, one moved to another month, into an empty
/// ledger and into a filled one; and a flushed import that fails stores nothing.
#[cfg(test)]
mod flushing {
    use std::collections::HashMap;

    use cchc_dossiers::facts::{Facts, accumulate_unit, decode_unit, window_secs};
    use cchc_dossiers::generate::{Config, generate};
    use cchc_dossiers::{Dossier, Procedure};
    use cchc_periods::{Period, WindowRule};
    use sqlx::Row;

    use crate::prelude::*;
    use crate::sql::SqlStore;
    use crate::{DossierRow, ImportBatch, StoreError};

    /// Runs `f` with the import limits (flush budget, ids remembered exactly) of the tests' thread.
    async fn with_limits<T>(limits: Option<(usize, usize)>, f: impl std::future::Future<Output = T>) -> T {
        super::TEST_LIMITS.with(|l| l.set(limits));
        let out = f.await;
        super::TEST_LIMITS.with(|l| l.set(None));
        out
    }

    async fn import(s: &SqlStore, batches: Vec<ImportBatch>) -> Result<Option<usize>, StoreError> {
        let (send, receive) = tokio::sync::mpsc::channel(batches.len().max(1));
        for b in batches {
            send.try_send(b).unwrap();
        }
        drop(send);
        s.import_dossiers(receive).await
    }

    /// Everything an import writes: the rows, and each part's blobs decoded (sorted by id) with
    /// their settled moment.
    async fn state(s: &SqlStore) -> (Vec<Dossier>, Vec<(String, i64, i64, Option<i64>, Vec<Facts>)>) {
        let end = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        let mut rows = s.dossiers(&units(), end).await.unwrap();
        rows.sort_by(|a, b| a.id.cmp(&b.id));
        let parts = sqlx::query("SELECT unit_code, CAST(month AS BIGINT) AS month, CAST(is_open AS BIGINT) AS is_open, CAST(settled_at AS BIGINT) AS settled_at, data FROM dossier_fact_parts ORDER BY unit_code, month, is_open")
            .fetch_all(&s.pool)
            .await
            .unwrap();
        let parts = parts
            .iter()
            .map(|r| {
                let unit: String = r.try_get("unit_code").unwrap();
                let mut facts = decode_unit(&unit, &r.try_get::<Vec<u8>, _>("data").unwrap()).unwrap();
                facts.sort_by(|a, b| a.id.cmp(&b.id));
                let month: i64 = r.try_get::<i64, _>("month").unwrap();
                let open = r.try_get::<i64, _>("is_open").unwrap();
                (unit, month, open, r.try_get::<Option<i64>, _>("settled_at").unwrap(), facts)
            })
            .collect();
        (rows, parts)
    }

    fn units() -> Vec<String> {
        ["X1", "X2", "X3"].map(String::from).to_vec()
    }

    /// Biểu 06 of some windows from the stored facts, each checked against the replay of the
    /// stored dossiers.
    async fn tables(s: &SqlStore, procs: &HashMap<String, Procedure>) -> Vec<cchc_dossiers::Table> {
        let cal = cchc_calendar::WorkCalendar::vietnam();
        let levels: HashMap<String, cchc_units::Level> = units().into_iter().map(|u| (u, cchc_units::Level::Xa)).collect();
        let (stored, _) = state(s).await;
        let mut out = Vec::new();
        for period in ["2026-Y", "2026-Q1", "2026-M07"] {
            let window = WindowRule::default().window(period.parse::<Period>().unwrap());
            let (start, end) = window_secs(window);
            let mut table = cchc_dossiers::Table::default();
            for (unit, blob) in s.dossier_facts_window(&units(), start, end).await.unwrap() {
                accumulate_unit(&mut table, &blob, levels[&unit], procs, window).unwrap();
            }
            assert_eq!(table, cchc_dossiers::compute(&stored, procs, &levels, window, &cal).unwrap(), "{period}");
            out.push(table);
        }
        out
    }

    async fn case(unflushed: SqlStore, flushed: SqlStore) {
        let cal = cchc_calendar::WorkCalendar::vietnam();
        let mut procedures = Vec::new();
        for s in [&unflushed, &flushed] {
            procedures = crate::test_ledger::with_communes(s, &["X1", "X2", "X3"]).await;
        }
        let procs: HashMap<String, Procedure> = procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
        let units = vec![("X1".to_string(), cchc_units::Level::Xa), ("X2".to_string(), cchc_units::Level::Xa)];
        let ds: Vec<Dossier> =
            generate(&Config { units, procedures: procedures.clone(), year: 2026, dossiers: 400, seed: 23 }, &cal).collect();
        let row = |d: &Dossier| DossierRow::new(d, Facts::derive(d, &procs[&d.procedure], &cal).unwrap()).unwrap();
        let rows = |ds: &[Dossier]| ds.iter().map(row).collect::<Vec<_>>();
        // Another unit, and the part of another dossier (unit and month of receipt) under one's id.
        let to_x3 = |d: &Dossier| Dossier { unit: "X3".into(), ..d.clone() };
        let month = |d: &Dossier| cchc_dossiers::facts::part_month(cchc_dossiers::facts::secs(d.events[0].at));
        let (a, b) = (&ds[3], ds[200..].iter().find(|d| d.unit == ds[3].unit && month(d) != month(&ds[3])).unwrap());
        let a_as_b = Dossier { id: a.id.clone(), ..b.clone() };
        let batches = || {
            let mut b2 = rows(&ds[100..200]);
            b2.extend([row(&ds[5]), row(&to_x3(&ds[7]))]);
            let mut b3 = rows(&ds[200..300]);
            b3.extend([row(&ds[5]), row(&a_as_b), row(&ds[150])]);
            let mut b4 = rows(&ds[300..]);
            // Back to its unit; within one batch twice.
            b4.extend([row(&ds[7]), row(&ds[10]), row(&ds[10])]);
            vec![
                ImportBatch::Rows(rows(&ds[..100])),
                ImportBatch::Rows(b2),
                ImportBatch::Rows(b3),
                ImportBatch::Rows(b4),
                ImportBatch::Commit,
            ]
        };
        let n1 = with_limits(None, import(&unflushed, batches())).await.unwrap();
        let n2 = with_limits(Some((1, 2)), import(&flushed, batches())).await.unwrap();
        assert_eq!((n1, n2), (Some(400), Some(400)));
        let first = state(&flushed).await;
        assert_eq!(state(&unflushed).await, first);
        assert_eq!(first.0.len(), 400);
        assert_eq!(first.1.iter().map(|p| p.4.len()).sum::<usize>(), 400);
        assert_eq!(first.0.iter().find(|d| d.id == a.id), Some(&a_as_b));
        assert_eq!(tables(&unflushed, &procs).await, tables(&flushed, &procs).await);

        // Into the filled ledgers: dossiers moved again (one across a flush, one back), some new.
        let mut extra = generate(
            &Config {
                units: vec![("X2".to_string(), cchc_units::Level::Xa)],
                procedures: procedures.clone(),
                year: 2026,
                dossiers: 50,
                seed: 24,
            },
            &cal,
        )
        .map(|mut d| {
            d.id = format!("N-{}", d.id);
            d
        })
        .collect::<Vec<_>>();
        extra.push(to_x3(&ds[20]));
        let again = || {
            let mut c1 = rows(&ds[50..120]);
            c1.push(row(&to_x3(&ds[7])));
            let mut c2 = rows(&extra);
            c2.extend([row(&ds[7]), row(a), row(&ds[60])]);
            vec![ImportBatch::Rows(c1), ImportBatch::Rows(c2), ImportBatch::Commit]
        };
        let n1 = with_limits(None, import(&unflushed, again())).await.unwrap();
        let n2 = with_limits(Some((1, 2)), import(&flushed, again())).await.unwrap();
        assert_eq!((n1, n2), (Some(70 + 51 + 2), Some(70 + 51 + 2)));
        let second = state(&flushed).await;
        assert_eq!(state(&unflushed).await, second);
        assert_eq!(second.0.len(), 450);
        assert_eq!(second.1.iter().map(|p| p.4.len()).sum::<usize>(), 450);
        assert_eq!(tables(&unflushed, &procs).await, tables(&flushed, &procs).await);

        // Failing after flushes: the channel closed before `Commit`, or a refused row (a unit
        // that does not exist) in a later batch. Nothing changes.
        let failing = |last: Vec<DossierRow>| {
            let mut c1 = rows(&ds[0..30]);
            c1.push(row(&to_x3(&ds[1])));
            vec![ImportBatch::Rows(c1), ImportBatch::Rows(rows(&ds[30..60])), ImportBatch::Rows(last)]
        };
        assert_eq!(with_limits(Some((1, 2)), import(&flushed, failing(rows(&ds[60..70])))).await.unwrap(), None);
        assert_eq!(state(&flushed).await, second);
        let mut bad = failing(vec![row(&ds[70]), row(&Dossier { unit: "KHONG-CO".into(), ..ds[71].clone() })]);
        bad.push(ImportBatch::Commit);
        assert!(with_limits(Some((1, 2)), import(&flushed, bad)).await.is_err());
        assert_eq!(state(&flushed).await, second);
    }

    fn sqlite_file(name: &str) -> String {
        let dir = std::env::temp_dir().join(format!("cchc-storage-flushing-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.db"));
        for end in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{end}", path.display()));
        }
        format!("sqlite://{}", path.display())
    }

    /// Through the typed SQLite writer (a database in a file).
    #[tokio::test]
    async fn a_flushed_import_stores_what_an_unflushed_one_does_on_sqlite() {
        let (unflushed, flushed) = (sqlite_file("unflushed"), sqlite_file("flushed"));
        case(SqlStore::open(&unflushed).await.unwrap(), SqlStore::open(&flushed).await.unwrap()).await;
        let _ = std::fs::remove_dir_all(std::env::temp_dir().join(format!("cchc-storage-flushing-{}", std::process::id())));
    }

    /// Through the `Any` writer (SQLite in memory).
    #[tokio::test]
    async fn a_flushed_import_stores_what_an_unflushed_one_does_in_memory() {
        case(SqlStore::open("sqlite::memory:").await.unwrap(), SqlStore::open("sqlite::memory:").await.unwrap()).await;
    }

    #[tokio::test]
    async fn a_flushed_import_stores_what_an_unflushed_one_does_on_postgresql() {
        let Ok(url) = std::env::var("CCHC_TEST_POSTGRES") else {
            eprintln!("CCHC_TEST_POSTGRES is not set: a_flushed_import_stores_what_an_unflushed_one_does_on_postgresql skipped");
            return;
        };
        let unflushed = SqlStore::open_fresh_schema(&url, "t_bulk_unflushed").await.unwrap();
        let flushed = SqlStore::open_fresh_schema(&url, "t_bulk_flushed").await.unwrap();
        case(unflushed, flushed).await;
    }

    /// The ids met are never forgotten: exactly up to the limit, then in the Bloom filter, whose
    /// false positives stay rare.
    #[test]
    fn seen_ids_are_never_missed() {
        let mut seen = super::Seen::new(1000);
        let h = |i: u64| super::id_hash(&format!("D-{i}"));
        assert!((0..5000).all(|i| !seen.met(h(i))), "a first meeting said met before");
        assert!(matches!(seen, super::Seen::Bloom(_)));
        assert!((0..5000).all(|i| seen.met(h(i))));
        let false_positives = (5000..105_000).filter(|&i| seen.met(h(i))).count();
        assert!(false_positives < 10, "{false_positives}");
    }
}

/// The contract suite on an SQLite database in a file as well: only there do imports go through
/// the typed writer ([`SqliteBulk`]); `tests/contract.rs` runs SQLite in memory.
#[cfg(all(test, feature = "contract"))]
mod sqlite_file {
    pub async fn open(test: &str) -> Option<Box<dyn crate::Store>> {
        Some(Box::new(store(test).await))
    }

    async fn store(test: &str) -> crate::sql::SqlStore {
        let dir = std::env::temp_dir().join(format!("cchc-storage-bulk-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        let path = dir.join(format!("{test}.db"));
        for end in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{end}", path.display()));
        }
        crate::sql::SqlStore::open(&format!("sqlite://{}", path.display())).await.expect("SQLite in a file")
    }
    crate::contract_suite!(open);

    /// A big import empties the WAL it grew once committed (`SqlStore::write_dossiers`), so that
    /// no later opener reads it again; the dossiers are in the database itself.
    #[tokio::test]
    async fn a_big_import_leaves_an_empty_wal() {
        use cchc_dossiers::facts::Facts;
        use cchc_dossiers::{Channel, Dossier, Event, EventKind};

        use crate::prelude::*;
        use crate::{DossierRow, ImportBatch};
        let s = store("a_big_import_leaves_an_empty_wal").await;
        let procedures = crate::test_ledger::with_communes(&s, &["X1"]).await;
        let cal = cchc_calendar::WorkCalendar::vietnam();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap().and_hms_opt(8, 0, 0).unwrap();
        let first = Dossier {
            id: String::new(),
            unit: "X1".into(),
            procedure: procedures[0].code.clone(),
            events: vec![Event { at, kind: EventKind::Received { channel: Channel::Direct }, by: None, note: None }],
            digitised: false,
            rating: None,
            applicant: None,
            handler: None,
            assignments: Vec::new(),
        };
        let facts = Facts::derive(&first, &procedures[0], &cal).unwrap();
        let n = crate::sql::SQLITE_BIG_IMPORT;
        let (send, receive) = tokio::sync::mpsc::channel(2);
        let produce = async move {
            for chunk in (0..n).collect::<Vec<_>>().chunks(10_000) {
                let rows = chunk
                    .iter()
                    .map(|i| {
                        let id = format!("D-{i:06}");
                        let d = Dossier { id: id.clone(), ..first.clone() };
                        DossierRow::new(&d, Facts { id, ..facts.clone() }).unwrap()
                    })
                    .collect();
                send.send(ImportBatch::Rows(rows)).await.unwrap();
            }
            send.send(ImportBatch::Commit).await.unwrap();
        };
        let (stored, ()) = tokio::join!(s.import_dossiers(receive), produce);
        assert_eq!(stored.unwrap(), Some(n));
        let wal = std::env::temp_dir().join(format!("cchc-storage-bulk-{}/a_big_import_leaves_an_empty_wal.db-wal", std::process::id()));
        assert_eq!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0), 0, "{}", wal.display());
        let until = at + chrono::Duration::days(1);
        assert_eq!(s.dossiers(&["X1".to_string()], until).await.unwrap().len(), n);
        // Its database is some 50 MB: not left behind in the temporary directory.
        drop(s);
        for end in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{end}", wal.display().to_string().trim_end_matches("-wal")));
        }
    }

    /// The raw writer ([`super::raw`]) stops at a row SQLite refuses amid a batch, reports it as
    /// the same foreign-key violation as sqlx would, and the import stores nothing: neither the
    /// rows before it in the batch nor, after a rollback, anything else; the indexes set aside
    /// for an import into an empty ledger are back. The same in a ledger that has dossiers (the
    /// upsert statement), where the stored ones are left as they were.
    #[tokio::test]
    async fn a_row_refused_amid_a_batch_stores_nothing() {
        use cchc_dossiers::facts::Facts;
        use cchc_dossiers::{Channel, Dossier, Event, EventKind};

        use crate::prelude::*;
        use crate::{DossierRow, ImportBatch, StoreError};
        let s = store("a_row_refused_amid_a_batch").await;
        let procedures = crate::test_ledger::with_communes(&s, &["X1"]).await;
        let cal = cchc_calendar::WorkCalendar::vietnam();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap().and_hms_opt(8, 0, 0).unwrap();
        let row = |id: String, unit: &str| {
            let d = Dossier {
                id,
                unit: unit.into(),
                procedure: procedures[0].code.clone(),
                events: vec![Event { at, kind: EventKind::Received { channel: Channel::Direct }, by: None, note: None }],
                digitised: false,
                rating: None,
                applicant: None,
                handler: None,
                assignments: Vec::new(),
            };
            let f = Facts::derive(&d, &procedures[0], &cal).unwrap();
            DossierRow::new(&d, f).unwrap()
        };
        let import = |rows: Vec<DossierRow>| {
            let (send, receive) = tokio::sync::mpsc::channel(2);
            send.try_send(ImportBatch::Rows(rows)).unwrap();
            send.try_send(ImportBatch::Commit).unwrap();
            s.import_dossiers(receive)
        };
        let batch = |prefix: &str| {
            // The refused row sorts in the middle of the batch: rows are written in id order.
            (0..1000).map(|i| row(format!("{prefix}-{i:04}"), if i == 500 { "KHONG-CO" } else { "X1" })).collect::<Vec<_>>()
        };
        let units = ["X1".to_string(), "KHONG-CO".into()];
        let until = at + chrono::Duration::days(1);
        let indexes = || async {
            let names: Vec<(String,)> = sqlx::query_as(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dossiers' AND sql IS NOT NULL ORDER BY name",
            )
            .fetch_all(&s.pool)
            .await
            .unwrap();
            names
        };
        let before = indexes().await;
        assert!(before.iter().any(|(n,)| n == "dossiers_by_unit"), "{before:?}");
        for stored_before in [0, 3] {
            let e = import(batch(&format!("B{stored_before}"))).await.unwrap_err();
            assert!(
                matches!(&e, StoreError::Database(sqlx::Error::Database(db)) if db.kind() == sqlx::error::ErrorKind::ForeignKeyViolation),
                "{e:?}"
            );
            assert_eq!(s.dossiers(&units, until).await.unwrap().len(), stored_before);
            // The indexes an import sets aside are all back after the refusal.
            assert_eq!(indexes().await, before);
            if stored_before == 0 {
                assert_eq!(import((0..3).map(|i| row(format!("A-{i}"), "X1")).collect()).await.unwrap(), Some(3));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    #[test]
    fn timestamps_are_written_as_chrono_writes_them() {
        let day = NaiveDate::from_ymd_opt(2024, 3, 9).unwrap();
        for t in [
            day.and_hms_opt(0, 0, 0).unwrap(),
            day.and_hms_opt(23, 59, 59).unwrap(),
            day.and_hms_micro_opt(7, 5, 3, 123_456).unwrap(),
            day.and_hms_nano_opt(7, 5, 3, 999_999_999).unwrap(),
            day.and_hms_nano_opt(23, 59, 59, 1_500_000_000).unwrap(),
            NaiveDate::from_ymd_opt(12, 1, 1).unwrap().and_hms_opt(1, 2, 3).unwrap(),
            NaiveDate::from_ymd_opt(-5, 1, 1).unwrap().and_hms_opt(1, 2, 3).unwrap(),
            NaiveDate::from_ymd_opt(12345, 1, 1).unwrap().and_hms_opt(1, 2, 3).unwrap(),
        ] {
            assert_eq!(super::ts(t), t.format(crate::sql::TS).to_string());
        }
    }
}
