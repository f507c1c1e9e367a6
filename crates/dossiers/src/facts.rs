//! Dossier facts: what a dossier's full history says about its state at ANY moment, derived once
//! (at import) so that the Biểu 06 table of any window is computed without replaying events.
//!
//! A dossier's state at the end of a window depends only on a few moments: its receipt, its end
//! (outcome and moment, fixed once it ends because the due date it is judged against is fixed by
//! the events before), and, while it is open, the sequence of clock changes (a supplement or fee
//! request stops the clock; the citizen's answer or an extension sets a new due date). Apology
//! letters, a result returned by post and fee payments are dated marks. [`Facts::derive`] gets
//! all of them from one full [`replay`]; [`compute_facts`] then classifies each dossier for a
//! window exactly as [`crate::stats::compute`] does (tested: identical tables on generated and
//! random histories, `tests/facts.rs`).
//!
//! [`encode_unit`] / [`decode_unit`] give the compact binary form the store keeps, one blob per
//! receiving unit (a procedure dictionary, then one record per dossier), which a statistics query
//! reads and classifies at some tens of nanoseconds per dossier.

use std::collections::{BTreeMap, HashMap};

use cchc_calendar::WorkCalendar;
use cchc_periods::DateRange;
use cchc_units::Level;
use chrono::{DateTime, Datelike, NaiveDateTime, NaiveTime};

use crate::lifecycle::{DossierError, Outcome, apply_event, start_state};
use crate::model::{Channel, Dossier, EventKind, Procedure};
use crate::stats::{Counts, Table};

/// A clock change while a dossier is open: from `at`, the clock is stopped (`due == None`,
/// awaiting a supplement or a fee) or runs towards `due`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockChange {
    pub at: i64,
    pub due: Option<i64>,
}

/// Everything the statistics need from one dossier. Moments are seconds since 1970 of the local
/// (UTC+7) wall time, as in the events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub id: String,
    pub unit: String,
    pub procedure: String,
    pub channel: Channel,
    pub digitised: bool,
    /// Satisfaction rating 1–5, 0 when not rated.
    pub rating: u8,
    pub received: i64,
    /// The due date at receipt.
    pub initial_due: i64,
    /// Clock changes before the end, in time order.
    pub changes: Vec<ClockChange>,
    /// How and when it ended (resolved, refused, withdrawn, stopped, not accepted).
    pub finished: Option<(Outcome, i64)>,
    /// Moments of the apology letters (phiếu xin lỗi).
    pub apologies: Vec<i64>,
    /// When the result was returned through the public postal service (BCCI), if it was.
    pub returned_by_postal: Option<i64>,
    /// Fee payments: moment and whether online (the last one up to a moment decides).
    pub payments: Vec<(i64, bool)>,
}

pub fn secs(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

fn moment(s: i64) -> NaiveDateTime {
    DateTime::from_timestamp(s, 0).map_or(NaiveDateTime::MIN, |t| t.naive_utc())
}

impl Facts {
    /// The appointment (ngày hẹn trả) as it stands after the last clock change, in seconds, while
    /// the dossier is open and its clock runs; `None` once it ended or while the clock is stopped
    /// (awaiting a supplement or a fee). What the work lists "quá hạn" and "sắp đến hạn" read.
    pub fn due_now(&self) -> Option<i64> {
        if self.finished.is_some() {
            return None;
        }
        self.changes.last().map_or(Some(self.initial_due), |c| c.due)
    }

    /// Whether the dossier's clock ran on some day from `start` to `end` (seconds): received by
    /// `end`, and then due (at receipt or after a clock change) or ended or changed from `start`
    /// on. Only such a dossier has facts that a change of whether a day of that span is a working
    /// day can move: the others' due dates were all reached before it, or it came after them
    /// (tested: re-deriving the others under the changed calendar gives the same facts,
    /// `tests/facts.rs`). What a calendar change re-derives, and no more.
    pub fn clock_runs_within(&self, start: i64, end: i64) -> bool {
        self.received <= end
            && (self.initial_due >= start
                || self.finished.is_some_and(|(_, at)| at >= start)
                || self.changes.iter().any(|c| c.at >= start || c.due.is_some_and(|due| due >= start)))
    }

    /// Replays the whole history once; an illegal history is refused as [`crate::replay`] refuses it.
    pub fn derive(d: &Dossier, p: &Procedure, cal: &WorkCalendar) -> Result<Facts, DossierError> {
        let mut s = start_state(d, p, cal)?;
        let mut f = Facts {
            id: d.id.clone(),
            unit: d.unit.clone(),
            procedure: d.procedure.clone(),
            channel: s.channel,
            digitised: d.digitised,
            rating: d.rating.unwrap_or(0),
            received: secs(s.received_at),
            initial_due: secs(s.due),
            changes: Vec::new(),
            finished: None,
            apologies: Vec::new(),
            returned_by_postal: None,
            payments: Vec::new(),
        };
        let mut last = s.received_at;
        for e in d.events.iter().skip(1) {
            let (paused_before, due_before) = (s.is_paused(), s.due);
            apply_event(&mut s, d, e, &mut last, cal)?;
            let t = secs(e.at);
            match &e.kind {
                EventKind::Extended { apology: true, .. } => f.apologies.push(t),
                EventKind::FeePaid { online } => f.payments.push((t, *online)),
                EventKind::ResultReturned { channel: Channel::Postal } => f.returned_by_postal = Some(t),
                _ => {}
            }
            if f.finished.is_none() {
                if let Some((o, at)) = s.outcome {
                    f.finished = Some((o, secs(at)));
                } else if s.is_paused() != paused_before || s.due != due_before {
                    f.changes.push(ClockChange { at: t, due: (!s.is_paused()).then(|| secs(s.due)) });
                }
            }
        }
        Ok(f)
    }

    /// Adds this dossier to `row` for the window `[start, end]` (seconds), if it is in scope:
    /// the same rules as [`crate::stats::compute`].
    #[inline]
    pub fn count(&self, row: &mut Counts, start: i64, end: i64) {
        if self.received > end {
            return;
        }
        let new = self.received >= start;
        let ended = self.finished.filter(|(_, at)| *at <= end);
        if !new && ended.is_some_and(|(_, at)| at < start) {
            return;
        }
        match (new, self.channel) {
            (false, _) => row.carried_over += 1,
            (true, Channel::Online) => row.received_online += 1,
            (true, Channel::Direct) => row.received_direct += 1,
            (true, Channel::Postal) => row.received_postal += 1,
        }
        match ended {
            Some((Outcome::Early, _)) => row.resolved_early += 1,
            Some((Outcome::OnDue, _)) => row.resolved_on_due += 1,
            Some((Outcome::Late, _)) => row.resolved_late += 1,
            Some((Outcome::Returned, _)) => row.returned += 1,
            None => match self.changes.iter().rev().find(|c| c.at <= end).map_or(Some(self.initial_due), |c| c.due) {
                None => row.awaiting_supplement += 1,
                Some(due) if due >= end => row.in_progress_within += 1,
                Some(_) => row.in_progress_overdue += 1,
            },
        }
        row.apology_letters += self.apologies.iter().filter(|t| **t >= start && **t <= end).count() as u64;
        if self.returned_by_postal.is_some_and(|t| t >= start && t <= end) {
            row.returned_by_postal += 1;
        }
        if new {
            row.digitised += self.digitised as u64;
            let last_payment = self.payments.iter().rev().find(|(t, _)| *t <= end);
            row.paid_online += last_payment.is_some_and(|(_, online)| *online) as u64;
            row.fee_paid += last_payment.is_some() as u64;
            if self.rating > 0 {
                row.satisfaction_surveyed += 1;
                row.satisfaction_satisfied += (self.rating >= 4) as u64;
            }
        }
    }
}

/// The part of a unit's facts a dossier's record is stored in: the month of its receipt, as
/// `yyyymm` (202403 for March 2024). The store keeps a unit's dossiers of one month as two blobs
/// ([`MonthPart`]): those that ended, with the moment the last of them settled, and those still
/// open, so that a window reads only what can matter to it ([`part_matters`]): the open dossiers
/// of earlier months, which it counts as carried over, and not the ended ones, which five earlier
/// years of a ledger are mostly made of.
pub fn part_month(received: i64) -> u32 {
    match DateTime::from_timestamp(received, 0) {
        Some(t) => (t.year().clamp(0, 9999) as u32) * 100 + t.month(),
        // Beyond chrono's range: before or after every part.
        None if received < 0 => 0,
        None => 999_912,
    }
}

/// The part holding the windows that end at `end` (seconds): the last part such a window may
/// read ([`part_month`] of the end).
pub fn last_part(end: i64) -> u32 {
    part_month(end)
}

/// The moment from which no window starting later counts this dossier: its end (or its receipt,
/// were it later); `None` while it is open, as it then counts in every later window.
pub fn settled(f: &Facts) -> Option<i64> {
    f.finished.map(|(_, at)| at.max(f.received))
}

/// Whether the window `[start, end]` (seconds) must read a part: the part of `month`, whose
/// dossiers settled by `settled` (`None`: one is still open). A window counts a dossier received
/// before its end and not ended before its start ([`Facts::count`]), so a later part, or one whose
/// dossiers all ended before the window, is skipped. The store's query says the same in SQL
/// (`month <= last_part(end) AND (settled_at IS NULL OR settled_at >= start)`); tested against
/// the full replay on random histories (`tests/facts.rs`).
pub fn part_matters(month: u32, settled: Option<i64>, start: i64, end: i64) -> bool {
    month <= last_part(end) && settled.is_none_or(|s| s >= start)
}

/// The window's bounds in seconds: from the first day's 00:00 to the last day's 23:59:59.
pub fn window_secs(window: DateRange) -> (i64, i64) {
    (secs(window.from.and_time(NaiveTime::MIN)), secs(window.to.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid"))))
}

/// The Biểu 06 table from facts; identical to [`crate::stats::compute`] on the same dossiers.
pub fn compute_facts<'a>(
    facts: impl IntoIterator<Item = &'a Facts>,
    procedures: &HashMap<String, Procedure>,
    units: &HashMap<String, Level>,
    window: DateRange,
) -> Table {
    let (start, end) = window_secs(window);
    let mut rows: BTreeMap<(Level, String), Counts> = BTreeMap::new();
    for f in facts {
        let (Some(level), Some(p)) = (units.get(&f.unit), procedures.get(&f.procedure)) else { continue };
        let mut c = Counts::default();
        f.count(&mut c, start, end);
        if c != Counts::default() {
            rows.entry((*level, p.field.clone())).or_default().add(&c);
        }
    }
    Table { rows }
}

/// Adds one unit's encoded facts (see [`encode_unit`]) to `table`: the fast path of the
/// statistics, which never allocates per dossier.
pub fn accumulate_unit(
    table: &mut Table,
    blob: &[u8],
    level: Level,
    procedures: &HashMap<String, Procedure>,
    window: DateRange,
) -> Result<(), FactsError> {
    let (start, end) = window_secs(window);
    let mut r = Reader { b: blob, pos: 0 };
    let n_procs = r.uvar()? as usize;
    let mut fields = Vec::with_capacity(n_procs);
    for _ in 0..n_procs {
        let code = r.str()?;
        fields.push(procedures.get(code).map(|p| p.field.clone()));
    }
    let mut counts = vec![Counts::default(); n_procs];
    let mut f = empty_facts();
    let n = r.uvar()?;
    for _ in 0..n {
        let idx = r.record(&mut f, false)?;
        let c = counts.get_mut(idx).ok_or(FactsError)?;
        f.count(c, start, end);
    }
    for (field, c) in fields.into_iter().zip(counts) {
        if let Some(field) = field
            && c != Counts::default()
        {
            table.rows.entry((level, field)).or_default().add(&c);
        }
    }
    Ok(())
}

/// Visits every record of one unit's encoded facts (see [`encode_unit`]) with its procedure code,
/// reusing one `Facts` (its `unit` left empty, its `id` read only when `with_id`): a pass over a
/// blob that allocates nothing per dossier, for the statistics that need more than
/// [`accumulate_unit`]'s counts (Decision 766's evidence, a survey's ratings laid over).
pub fn visit_unit<'a>(blob: &'a [u8], with_id: bool, mut each: impl FnMut(&mut Facts, &'a str)) -> Result<(), FactsError> {
    let mut r = Reader { b: blob, pos: 0 };
    let n_procs = r.uvar()? as usize;
    let procs: Vec<&str> = (0..n_procs).map(|_| r.str()).collect::<Result<_, _>>()?;
    let mut f = empty_facts();
    for _ in 0..r.uvar()? {
        let idx = r.record(&mut f, with_id)?;
        each(&mut f, procs.get(idx).ok_or(FactsError)?);
    }
    Ok(())
}

/// A stored facts blob could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("dữ liệu tổng hợp hồ sơ bị hỏng")]
pub struct FactsError;

fn empty_facts() -> Facts {
    Facts {
        id: String::new(),
        unit: String::new(),
        procedure: String::new(),
        channel: Channel::Direct,
        digitised: false,
        rating: 0,
        received: 0,
        initial_due: 0,
        changes: Vec::new(),
        finished: None,
        apologies: Vec::new(),
        returned_by_postal: None,
        payments: Vec::new(),
    }
}

/// Encodes the facts of one unit's dossiers (the `unit` field is not stored: the blob is the
/// unit's). Layout: procedure dictionary, count, then per dossier: id, procedure index, flags,
/// rating, moments as zig-zag varints relative to the receipt.
pub fn encode_unit<'a>(facts: impl IntoIterator<Item = &'a Facts>) -> Vec<u8> {
    let facts: Vec<&Facts> = facts.into_iter().collect();
    let mut procs: Vec<&str> = facts.iter().map(|f| f.procedure.as_str()).collect();
    procs.sort_unstable();
    procs.dedup();
    let mut w = Vec::with_capacity(facts.len() * 48);
    uvar(&mut w, procs.len() as u64);
    for p in &procs {
        bytes(&mut w, p.as_bytes());
    }
    uvar(&mut w, facts.len() as u64);
    for f in facts {
        record(&mut w, f, procs.binary_search(&f.procedure.as_str()).expect("listed"));
    }
    w
}

/// Builds one unit's blob record by record, in the order given (what a streaming import does:
/// the facts of each batch are appended as it is stored, and nothing but the encoded records is
/// kept). The result reads exactly as [`encode_unit`]'s of the same facts; its procedure
/// dictionary is in order of first appearance instead of sorted.
#[derive(Debug, Default, Clone)]
pub struct UnitBlob {
    procs: Vec<String>,
    records: Vec<u8>,
    count: u64,
    /// Whether a record is of an open dossier, and the latest [`settled`] moment of the others.
    open: bool,
    latest: i64,
}

impl UnitBlob {
    /// Appends one dossier's facts (the `unit` field is not looked at).
    pub fn push(&mut self, f: &Facts) {
        let idx = match self.procs.iter().position(|p| *p == f.procedure) {
            Some(i) => i,
            None => {
                self.procs.push(f.procedure.clone());
                self.procs.len() - 1
            }
        };
        record(&mut self.records, f, idx);
        self.count += 1;
        match settled(f) {
            Some(at) => self.latest = self.latest.max(at),
            None => self.open = true,
        }
    }

    /// The part's [`settled`] moment: `None` while one of its dossiers is open (or it is empty).
    pub fn settled(&self) -> Option<i64> {
        (!self.open && self.count > 0).then_some(self.latest)
    }

    /// How many records were appended.
    pub fn len(&self) -> u64 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The blob, in the stored form.
    pub fn finish(self) -> Vec<u8> {
        let mut w = Vec::with_capacity(self.records.len() + 16 + self.procs.iter().map(|p| p.len() + 2).sum::<usize>());
        uvar(&mut w, self.procs.len() as u64);
        for p in &self.procs {
            bytes(&mut w, p.as_bytes());
        }
        uvar(&mut w, self.count);
        w.extend_from_slice(&self.records);
        w
    }
}

/// Decodes a unit's blob back into facts (with `unit` set).
pub fn decode_unit(unit: &str, blob: &[u8]) -> Result<Vec<Facts>, FactsError> {
    let mut r = Reader { b: blob, pos: 0 };
    let n_procs = r.uvar()? as usize;
    let procs: Vec<String> = (0..n_procs).map(|_| r.str().map(str::to_string)).collect::<Result<_, _>>()?;
    let n = r.uvar()? as usize;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let mut f = empty_facts();
        let idx = r.record(&mut f, true)?;
        f.procedure = procs.get(idx).ok_or(FactsError)?.clone();
        f.unit = unit.to_string();
        out.push(f);
    }
    Ok(out)
}

/// Replaces or adds `new` facts in a unit's blob (by dossier id) and removes the ids in `remove`.
pub fn merge_unit(unit: &str, old: Option<&[u8]>, new: &[&Facts], remove: &std::collections::HashSet<&str>) -> Result<Vec<u8>, FactsError> {
    Ok(encode_unit(&merged(unit, old, new, remove)?))
}

/// [`merge_unit`] for one month of a unit's facts, split as the store keeps it.
pub fn merge_part(
    unit: &str,
    old: Option<&[u8]>,
    new: &[&Facts],
    remove: &std::collections::HashSet<&str>,
) -> Result<MonthPart, FactsError> {
    let mut part = MonthPart::default();
    merged(unit, old, new, remove)?.iter().for_each(|f| part.push(f));
    Ok(part)
}

fn merged(unit: &str, old: Option<&[u8]>, new: &[&Facts], remove: &std::collections::HashSet<&str>) -> Result<Vec<Facts>, FactsError> {
    let mut old = match old {
        Some(b) => decode_unit(unit, b)?,
        None => Vec::new(),
    };
    let replaced: std::collections::HashSet<&str> = new.iter().map(|f| f.id.as_str()).collect();
    old.retain(|f| !replaced.contains(f.id.as_str()) && !remove.contains(f.id.as_str()));
    old.extend(new.iter().map(|f| (*f).clone()));
    Ok(old)
}

/// The facts split into the parts the store keeps them in, by [`part_month`].
pub fn split_parts<'a>(facts: impl IntoIterator<Item = &'a Facts>) -> BTreeMap<u32, MonthPart> {
    let mut parts: BTreeMap<u32, MonthPart> = BTreeMap::new();
    for f in facts {
        parts.entry(part_month(f.received)).or_default().push(f);
    }
    parts
}

/// A unit's dossiers received in one month, as the store keeps them: the blob of those that
/// ended ([`UnitBlob::settled`] says when the last of them did) and the blob of those still open.
#[derive(Debug, Default, Clone)]
pub struct MonthPart {
    pub settled: UnitBlob,
    pub open: UnitBlob,
}

impl MonthPart {
    pub fn push(&mut self, f: &Facts) {
        match settled(f) {
            Some(_) => self.settled.push(f),
            None => self.open.push(f),
        }
    }

    pub fn len(&self) -> u64 {
        self.settled.len() + self.open.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A unit's blob with deltas laid over it: every record of `blob` whose dossier id is not in one
/// of `deltas`, then the records of `deltas` (each an [`encode_unit`] blob, usually of one
/// dossier; for an id in several, the last wins). What the store returns for a unit whose
/// dossiers were also written at the counter (one facts row per dossier besides the unit's
/// blob). The blob's records are copied as they are (its procedure dictionary is kept, the
/// deltas' new procedures appended), so the cost is one pass over the blob.
pub fn overlay_unit(blob: Option<&[u8]>, deltas: &[&[u8]]) -> Result<Vec<u8>, FactsError> {
    let mut fresh: Vec<Facts> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    for d in deltas {
        for f in decode_unit("", d)? {
            match position.get(&f.id) {
                Some(&i) => fresh[i] = f,
                None => {
                    position.insert(f.id.clone(), fresh.len());
                    fresh.push(f);
                }
            }
        }
    }
    let mut procs: Vec<String> = Vec::new();
    let mut kept: Vec<u8> = Vec::with_capacity(blob.map_or(0, <[u8]>::len) + fresh.len() * 64);
    let mut count = 0u64;
    if let Some(b) = blob {
        let mut r = Reader { b, pos: 0 };
        for _ in 0..r.uvar()? {
            procs.push(r.str()?.to_string());
        }
        let n = r.uvar()?;
        let mut scratch = empty_facts();
        for _ in 0..n {
            let start = r.pos;
            let id = r.str()?;
            let replaced = position.contains_key(id);
            r.pos = start;
            let idx = r.record(&mut scratch, false)?;
            if idx >= procs.len() {
                return Err(FactsError);
            }
            if !replaced {
                kept.extend_from_slice(&b[start..r.pos]);
                count += 1;
            }
        }
    }
    for f in &fresh {
        let idx = match procs.iter().position(|p| *p == f.procedure) {
            Some(i) => i,
            None => {
                procs.push(f.procedure.clone());
                procs.len() - 1
            }
        };
        record(&mut kept, f, idx);
        count += 1;
    }
    let mut w = Vec::with_capacity(kept.len() + 16 + procs.iter().map(|p| p.len() + 2).sum::<usize>());
    uvar(&mut w, procs.len() as u64);
    for p in &procs {
        bytes(&mut w, p.as_bytes());
    }
    uvar(&mut w, count);
    w.extend_from_slice(&kept);
    Ok(w)
}

pub(crate) fn uvar(w: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        w.push((v as u8) | 0x80);
        v >>= 7;
    }
    w.push(v as u8);
}

pub(crate) fn ivar(w: &mut Vec<u8>, v: i64) {
    uvar(w, ((v << 1) ^ (v >> 63)) as u64);
}

pub(crate) fn bytes(w: &mut Vec<u8>, b: &[u8]) {
    uvar(w, b.len() as u64);
    w.extend_from_slice(b);
}

fn record(w: &mut Vec<u8>, f: &Facts, proc_idx: usize) {
    bytes(w, f.id.as_bytes());
    uvar(w, proc_idx as u64);
    let channel = match f.channel {
        Channel::Direct => 0,
        Channel::Online => 1,
        Channel::Postal => 2,
    };
    let outcome = match f.finished {
        None => 0,
        Some((Outcome::Early, _)) => 1,
        Some((Outcome::OnDue, _)) => 2,
        Some((Outcome::Late, _)) => 3,
        Some((Outcome::Returned, _)) => 4,
    };
    w.push(channel | (f.digitised as u8) << 2 | (f.returned_by_postal.is_some() as u8) << 3 | outcome << 4);
    w.push(f.rating);
    ivar(w, f.received);
    let rel = |w: &mut Vec<u8>, t: i64| ivar(w, t - f.received);
    rel(w, f.initial_due);
    if let Some((_, at)) = f.finished {
        rel(w, at);
    }
    if let Some(t) = f.returned_by_postal {
        rel(w, t);
    }
    uvar(w, f.changes.len() as u64);
    for c in &f.changes {
        rel(w, c.at);
        match c.due {
            None => w.push(0),
            Some(d) => {
                w.push(1);
                rel(w, d);
            }
        }
    }
    uvar(w, f.apologies.len() as u64);
    for t in &f.apologies {
        rel(w, *t);
    }
    uvar(w, f.payments.len() as u64);
    for (t, online) in &f.payments {
        rel(w, *t);
        w.push(*online as u8);
    }
}

pub(crate) struct Reader<'a> {
    pub(crate) b: &'a [u8],
    pub(crate) pos: usize,
}

impl<'a> Reader<'a> {
    #[inline]
    fn byte(&mut self) -> Result<u8, FactsError> {
        let v = *self.b.get(self.pos).ok_or(FactsError)?;
        self.pos += 1;
        Ok(v)
    }
    #[inline]
    pub(crate) fn uvar(&mut self) -> Result<u64, FactsError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(FactsError)
    }
    #[inline]
    pub(crate) fn ivar(&mut self) -> Result<i64, FactsError> {
        let u = self.uvar()?;
        Ok((u >> 1) as i64 ^ -((u & 1) as i64))
    }
    pub(crate) fn raw(&mut self) -> Result<&'a [u8], FactsError> {
        let n = self.uvar()? as usize;
        let s = self.b.get(self.pos..self.pos + n).ok_or(FactsError)?;
        self.pos += n;
        Ok(s)
    }
    pub(crate) fn str(&mut self) -> Result<&'a str, FactsError> {
        std::str::from_utf8(self.raw()?).map_err(|_| FactsError)
    }

    /// Reads one record into `f` (reusing its vectors), returning its procedure index.
    fn record(&mut self, f: &mut Facts, with_id: bool) -> Result<usize, FactsError> {
        // The id is checked as text only when it is read: the counts never look at it.
        if with_id {
            let id = self.str()?;
            f.id.clear();
            f.id.push_str(id);
        } else {
            self.raw()?;
        }
        let idx = self.uvar()? as usize;
        let flags = self.byte()?;
        f.channel = match flags & 3 {
            0 => Channel::Direct,
            1 => Channel::Online,
            2 => Channel::Postal,
            _ => return Err(FactsError),
        };
        f.digitised = flags & 4 != 0;
        f.rating = self.byte()?;
        f.received = self.ivar()?;
        let base = f.received;
        f.initial_due = base + self.ivar()?;
        let outcome = match flags >> 4 {
            0 => None,
            1 => Some(Outcome::Early),
            2 => Some(Outcome::OnDue),
            3 => Some(Outcome::Late),
            4 => Some(Outcome::Returned),
            _ => return Err(FactsError),
        };
        f.finished = match outcome {
            Some(o) => Some((o, base + self.ivar()?)),
            None => None,
        };
        f.returned_by_postal = if flags & 8 != 0 { Some(base + self.ivar()?) } else { None };
        f.changes.clear();
        for _ in 0..self.uvar()? {
            let at = base + self.ivar()?;
            let due = if self.byte()? == 0 { None } else { Some(base + self.ivar()?) };
            f.changes.push(ClockChange { at, due });
        }
        f.apologies.clear();
        for _ in 0..self.uvar()? {
            f.apologies.push(base + self.ivar()?);
        }
        f.payments.clear();
        for _ in 0..self.uvar()? {
            let t = base + self.ivar()?;
            f.payments.push((t, self.byte()? != 0));
        }
        Ok(idx)
    }
}

/// The moment of a facts timestamp, for messages and tests.
pub fn to_moment(s: i64) -> NaiveDateTime {
    moment(s)
}
