//! The tally of a part of a unit's facts: what its dossiers add to a window that sees their
//! lives whole, kept beside the part so that such a window reads a few figures per procedure
//! instead of every dossier's record.
//!
//! A part ([`crate::facts::MonthPart`]) holds a unit's dossiers received in one month, those that
//! ended apart from those still open. [`Tally::until`] is the last moment any of its records
//! tells (receipt, end, apology letter, postal return, payment, clock change).
//! - **Ended part.** A window that ends after `until` sees every moment of its dossiers, so what
//!   it counts of them depends on its start alone, and changes only on a day one of them tells
//!   of: a window starting on a later day sees one received before it (carried over, not new),
//!   or not at all once it ended before it. So the tally keeps, per procedure, how the figures
//!   change from one day to the next (computed with [`crate::facts::Facts::count`] itself at
//!   each such day's first moment), and a window starting at a day's first moment (every
//!   window's start, [`crate::facts::window_secs`]) adds the changes of the days from its start
//!   on: a month before it as well as one within it. The dossiers Decision 766 names (resolved
//!   late, rated dissatisfied) are kept with the last day a window may start on and still name
//!   them (a later start only drops a dossier, never adds one).
//! - **Open part.** A window that starts after `until` (its dossiers lay still before it: most
//!   often awaiting a supplement never brought) counts each as carried over, and its result
//!   depends only on the last clock change: stopped (awaiting), or running towards a due moment
//!   that the window's end passed or not. So a count of the stopped ones and the running ones'
//!   due moments per procedure are kept, and each window counts them against its end.
//!
//! A window that sees only part of those lives reads the records instead ([`Fit::Partly`]); one
//! that counts none of the part's dossiers skips it ([`Fit::Outside`]).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, NaiveTime};

use crate::facts::{Facts, FactsError, Reader, bytes, ivar, last_part, secs, uvar, visit_unit};
use crate::stats::Counts;

/// Seconds in a day: moments are seconds of the local wall time, so a day is a whole number of them.
const DAY: i64 = 86_400;

/// What a part adds to a window that sees its dossiers' lives whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// The last moment (seconds) any of its records tells.
    pub until: i64,
    /// An ended part's changes by day, in their stored form (see [`ByDay`]; [`Tally::rows`]
    /// reads them for a window's start); empty for an open part. Kept encoded: a year's read
    /// holds thousands of tallies, and the windows it serves read each once or a few times.
    by_day: Vec<u8>,
    /// An open part's dossiers per procedure code; `None` for an ended part.
    pub waiting: Option<Vec<(String, Waiting)>>,
}

/// An open part's dossiers of one procedure, as a window starting after all they tell sees them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Waiting {
    /// Those whose clock is stopped (awaiting a supplement or a fee).
    pub stopped: u64,
    /// Those whose clock runs: the due moment (seconds) and the receipt code.
    pub running: Vec<(i64, String)>,
}

/// What a window that sees a part whole counts of it ([`Tally::rows`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rows<'a> {
    /// The figures per procedure code (those with a figure), in the order first met.
    pub rows: Vec<(&'a str, Counts)>,
    /// The dossiers Decision 766 names as late: resolved late, or still running past the end.
    pub late: Vec<&'a str>,
    /// The dossiers rated 1 to 3 of 5 among those received in the window.
    pub dissatisfied: Vec<&'a str>,
}

/// How a window uses a part's tally ([`Tally::fits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The window sees the part's dossiers' lives whole: the tally gives its figures.
    Whole,
    /// The window counts none of the part's dossiers (received after it, or ended before it).
    Outside,
    /// The window sees part of their lives: it must read the records.
    Partly,
}

/// The formats of a stored tally (its first byte). 1 was an ended part's figures for windows
/// starting by the month's first moment only (migration 0032), replaced by [`BY_DAY`]
/// (migration 0036 clears them and they are computed again).
const BY_DAY: u8 = 3;
const OPEN: u8 = 2;

impl Tally {
    /// The tally of a part's blob ([`crate::facts::encode_unit`]) of ended dossiers (`open`
    /// false) or of open ones; `None` when a dossier is not of that kind, the blob is empty, or a
    /// record tells of a moment before its dossier's receipt (a history the ledger refuses; kept
    /// out of tallies rather than trusted).
    pub fn of(blob: &[u8], open: bool) -> Result<Option<Tally>, FactsError> {
        let mut t = Tally { until: i64::MIN, waiting: open.then(Vec::new), ..Tally::default() };
        let mut ended = ByDay::default();
        let mut untallied = false;
        let mut n = 0u64;
        visit_unit(blob, true, |f, procedure| {
            n += 1;
            if f.finished.is_some() == open {
                untallied = true;
                return;
            }
            for at in moments(f) {
                untallied |= at < f.received;
                t.until = t.until.max(at);
            }
            match &mut t.waiting {
                Some(waiting) => add_waiting(waiting, f, procedure),
                None => ended.add(f, procedure),
            }
        })?;
        if !open {
            t.by_day = ended.encode(day_of(t.until));
        }
        Ok((!untallied && n > 0).then_some(t))
    }

    /// How the window `[start, end]` (seconds) uses the tally of the part of `month`
    /// ([`crate::facts::part_matters`]'s month).
    pub fn fits(&self, month: u32, start: i64, end: i64) -> Fit {
        fit(month, self.waiting.is_some(), self.until, start, end)
    }

    /// The figures per procedure code of the window `[start, end]`, which sees the part whole
    /// ([`Fit::Whole`]), and the dossiers Decision 766 names.
    pub fn rows(&self, start: i64, end: i64) -> Result<Rows<'_>, FactsError> {
        let Some(waiting) = &self.waiting else {
            return ByDay::rows(&self.by_day, day_of(self.until), first_day(start));
        };
        let mut late = Vec::new();
        let rows = waiting
            .iter()
            .map(|(p, w)| {
                let overdue: Vec<&str> = w.running.iter().filter(|(due, _)| *due < end).map(|(_, id)| id.as_str()).collect();
                let c = Counts {
                    carried_over: w.stopped + w.running.len() as u64,
                    awaiting_supplement: w.stopped,
                    in_progress_within: (w.running.len() - overdue.len()) as u64,
                    in_progress_overdue: overdue.len() as u64,
                    ..Counts::default()
                };
                late.extend(overdue);
                (p.as_str(), c)
            })
            .collect();
        Ok(Rows { rows, late, dissatisfied: Vec::new() })
    }

    /// The stored form.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = vec![if self.waiting.is_some() { OPEN } else { BY_DAY }];
        ivar(&mut w, self.until);
        match &self.waiting {
            None => w.extend_from_slice(&self.by_day),
            Some(waiting) => {
                uvar(&mut w, waiting.len() as u64);
                for (p, wt) in waiting {
                    bytes(&mut w, p.as_bytes());
                    uvar(&mut w, wt.stopped);
                    uvar(&mut w, wt.running.len() as u64);
                    for (due, id) in &wt.running {
                        ivar(&mut w, due - self.until);
                        bytes(&mut w, id.as_bytes());
                    }
                }
            }
        }
        w
    }

    /// Reads a stored tally back (an ended part's whole, checked once here).
    pub fn decode(b: &[u8]) -> Result<Tally, FactsError> {
        let mut r = Reader { b, pos: 1 };
        let format = *b.first().ok_or(FactsError)?;
        let until = r.ivar()?;
        let mut t = Tally { until, ..Tally::default() };
        match format {
            BY_DAY => {
                t.by_day = b[r.pos..].to_vec();
                ByDay::rows(&t.by_day, day_of(until), i64::MIN)?;
                return Ok(t);
            }
            OPEN => {
                let mut waiting = Vec::new();
                for _ in 0..r.uvar()? {
                    let p = r.str()?.to_string();
                    let mut wt = Waiting { stopped: r.uvar()?, running: Vec::new() };
                    for _ in 0..r.uvar()? {
                        let due = until.checked_add(r.ivar()?).ok_or(FactsError)?;
                        wt.running.push((due, r.str()?.to_string()));
                    }
                    waiting.push((p, wt));
                }
                t.waiting = Some(waiting);
            }
            _ => return Err(FactsError),
        }
        if r.pos != b.len() {
            return Err(FactsError);
        }
        Ok(t)
    }
}

/// An ended part's figures by day while a tally is made: per day and procedure, what a window
/// starting at that day's first moment counts more than one starting the next day (a change of
/// [`Facts::count`], signed: a dossier received that day is new for the one and carried over
/// for the other), and the dossiers Decision 766 names with the last day a window may start on
/// and still name them.
#[derive(Default)]
struct ByDay {
    procedures: Vec<String>,
    index: HashMap<String, usize>,
    changes: BTreeMap<(i64, usize), [i64; Counts::FIELDS]>,
    late: Vec<(i64, String)>,
    dissatisfied: Vec<(i64, String)>,
}

impl ByDay {
    fn add(&mut self, f: &Facts, procedure: &str) {
        let p = match self.index.get(procedure) {
            Some(p) => *p,
            None => {
                self.procedures.push(procedure.to_string());
                self.index.insert(procedure.to_string(), self.procedures.len() - 1);
                self.procedures.len() - 1
            }
        };
        let mut days: Vec<i64> = moments(f).map(day_of).collect();
        days.sort_unstable();
        days.dedup();
        let counted = |day: i64| {
            let mut c = Counts::default();
            f.count(&mut c, day.saturating_mul(DAY), i64::MAX);
            c.to_array()
        };
        // From the day after the last one it tells of, a window counts the dossier as then
        // (nothing, for one that ended: it ended before); between the days it tells of, the same
        // as on the next of them.
        let mut later = days.last().map_or([0; Counts::FIELDS], |d| counted(d + 1));
        if later != [0; Counts::FIELDS] {
            self.change(days[days.len() - 1] + 1, p, later.map(|v| v as i64));
        }
        let (mut late, mut dissatisfied) = (None, None);
        for &day in days.iter().rev() {
            let here = counted(day);
            let c = Counts::from_array(here);
            if c.resolved_late > 0 {
                late.get_or_insert(day);
            }
            if c.satisfaction_surveyed > c.satisfaction_satisfied {
                dissatisfied.get_or_insert(day);
            }
            let mut change = [0i64; Counts::FIELDS];
            for (d, (h, l)) in change.iter_mut().zip(here.iter().zip(&later)) {
                *d = *h as i64 - *l as i64;
            }
            self.change(day, p, change);
            later = here;
        }
        self.late.extend(late.map(|d| (d, f.id.clone())));
        self.dissatisfied.extend(dissatisfied.map(|d| (d, f.id.clone())));
    }

    fn change(&mut self, day: i64, procedure: usize, change: [i64; Counts::FIELDS]) {
        if change == [0; Counts::FIELDS] {
            return;
        }
        let sum = self.changes.entry((day, procedure)).or_insert([0; Counts::FIELDS]);
        for (s, c) in sum.iter_mut().zip(change) {
            *s += c;
        }
    }

    /// The stored form (after the format byte and `until`): the procedures; the changes in day
    /// order, each day relative to the one before (the first to `base`, the day of `until`),
    /// its procedure's index, a mask of the figures it changes and those; then the dossiers
    /// named, each with its day relative to `base`.
    fn encode(&self, base: i64) -> Vec<u8> {
        let mut w = Vec::new();
        uvar(&mut w, self.procedures.len() as u64);
        for p in &self.procedures {
            bytes(&mut w, p.as_bytes());
        }
        uvar(&mut w, self.changes.len() as u64);
        let mut prev = base;
        for ((day, p), change) in &self.changes {
            ivar(&mut w, day - prev);
            prev = *day;
            uvar(&mut w, *p as u64);
            let mask = change.iter().enumerate().filter(|(_, v)| **v != 0).fold(0u64, |m, (i, _)| m | 1 << i);
            uvar(&mut w, mask);
            for v in change.iter().filter(|v| **v != 0) {
                ivar(&mut w, *v);
            }
        }
        for ids in [&self.late, &self.dissatisfied] {
            uvar(&mut w, ids.len() as u64);
            for (day, id) in ids {
                ivar(&mut w, day - base);
                bytes(&mut w, id.as_bytes());
            }
        }
        w
    }

    /// What a window starting on day `first` (or earlier: `i64::MIN` for every day) counts of
    /// the part stored as `b` ([`ByDay::encode`] with `base`).
    fn rows(b: &[u8], base: i64, first: i64) -> Result<Rows<'_>, FactsError> {
        let mut r = Reader { b, pos: 0 };
        let n = r.uvar()?;
        let mut procedures = Vec::with_capacity(n.min(1 << 12) as usize);
        for _ in 0..n {
            procedures.push(r.str()?);
        }
        let mut sums: Vec<Option<[i64; Counts::FIELDS]>> = vec![None; procedures.len()];
        let mut day = base;
        for _ in 0..r.uvar()? {
            day = day.checked_add(r.ivar()?).ok_or(FactsError)?;
            let sum = sums.get_mut(usize::try_from(r.uvar()?).map_err(|_| FactsError)?).ok_or(FactsError)?;
            let mask = r.uvar()?;
            if mask >> Counts::FIELDS != 0 {
                return Err(FactsError);
            }
            let counted = day >= first;
            let sum = sum.get_or_insert([0; Counts::FIELDS]);
            for s in sum.iter_mut().enumerate().filter(|(i, _)| mask & 1 << i != 0).map(|(_, s)| s) {
                let v = r.ivar()?;
                if counted {
                    *s = s.checked_add(v).ok_or(FactsError)?;
                }
            }
        }
        let mut rows = Vec::new();
        for (p, sum) in procedures.iter().zip(&sums) {
            let Some(sum) = sum else { continue };
            let mut a = [0u64; Counts::FIELDS];
            for (x, s) in a.iter_mut().zip(sum) {
                *x = u64::try_from(*s).map_err(|_| FactsError)?;
            }
            let c = Counts::from_array(a);
            if c != Counts::default() {
                rows.push((*p, c));
            }
        }
        let mut named = || -> Result<Vec<&str>, FactsError> {
            let mut out = Vec::new();
            for _ in 0..r.uvar()? {
                let day = base.checked_add(r.ivar()?).ok_or(FactsError)?;
                let id = r.str()?;
                if day >= first {
                    out.push(id);
                }
            }
            Ok(out)
        };
        let (late, dissatisfied) = (named()?, named()?);
        if r.pos != b.len() {
            return Err(FactsError);
        }
        Ok(Rows { rows, late, dissatisfied })
    }
}

/// The day (since 1970) of a moment in seconds.
fn day_of(at: i64) -> i64 {
    at.div_euclid(DAY)
}

/// The first day that begins at or after `start` (seconds).
fn first_day(start: i64) -> i64 {
    day_of(start) + i64::from(start.rem_euclid(DAY) != 0)
}

/// Every moment a record tells but its due dates.
fn moments(f: &Facts) -> impl Iterator<Item = i64> + '_ {
    [Some(f.received), f.finished.map(|(_, at)| at), f.returned_by_postal]
        .into_iter()
        .flatten()
        .chain(f.apologies.iter().copied())
        .chain(f.payments.iter().map(|(at, _)| *at))
        .chain(f.changes.iter().map(|c| c.at))
}

/// Adds an open dossier as a window starting after all it tells sees it: its clock as the last
/// change left it.
fn add_waiting(waiting: &mut Vec<(String, Waiting)>, f: &Facts, procedure: &str) {
    let i = match waiting.iter().position(|(p, _)| p == procedure) {
        Some(i) => i,
        None => {
            waiting.push((procedure.to_string(), Waiting::default()));
            waiting.len() - 1
        }
    };
    match f.changes.last().map_or(Some(f.initial_due), |c| c.due) {
        None => waiting[i].1.stopped += 1,
        Some(due) => waiting[i].1.running.push((due, f.id.clone())),
    }
}

/// [`Tally::fits`] from the part's month, kind and `until` alone: what the store's query says in
/// SQL to choose between a part's tally and its records before reading either.
pub fn fit(month: u32, open: bool, until: i64, start: i64, end: i64) -> Fit {
    let lay_still = open && until < start;
    let held_whole = !open && month >= first_tallied_month(start) && until <= end;
    if month > last_part(end) || (!open && until < start) {
        Fit::Outside
    } else if lay_still || held_whole {
        Fit::Whole
    } else {
        Fit::Partly
    }
}

/// The first part (month, `yyyymm`) whose ended tally a window starting at `start` (seconds) can
/// read, when the tally ends by the window's end: any (0) when the window starts at a day's first
/// moment, as every window does, the tally being kept by day; else the first month that begins
/// at or after `start`, all of whose days the window sees.
pub fn first_tallied_month(start: i64) -> u32 {
    if start.rem_euclid(DAY) == 0 {
        return 0;
    }
    let m = crate::facts::part_month(start);
    match month_start(m) {
        Some(s) if s >= start => m,
        _ => next_month(m),
    }
}

/// The first moment (seconds) of the part of `month`, if it is a month.
pub fn month_start(month: u32) -> Option<i64> {
    let d = NaiveDate::from_ymd_opt((month / 100) as i32, month % 100, 1)?;
    Some(secs(d.and_time(NaiveTime::MIN)))
}

fn next_month(month: u32) -> u32 {
    match NaiveDate::from_ymd_opt((month / 100) as i32, month % 100, 1) {
        Some(d) if d.month() == 12 => (d.year() as u32 + 1) * 100 + 1,
        Some(_) => month + 1,
        None => u32::MAX,
    }
}
