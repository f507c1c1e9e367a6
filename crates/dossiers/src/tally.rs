//! The tally of a part of a unit's facts: what its dossiers add to a window that sees their
//! lives whole, kept beside the part so that such a window reads a few figures per procedure
//! instead of every dossier's record.
//!
//! A part ([`crate::facts::MonthPart`]) holds a unit's dossiers received in one month, those that
//! ended apart from those still open. [`Tally::until`] is the last moment any of its records
//! tells (receipt, end, apology letter, postal return, payment, clock change).
//! - **Ended part.** A window that starts by the first moment of the month and ends after
//!   `until` counts each of them as received in it and ended in it, whatever its exact bounds:
//!   [`crate::facts::Facts::count`] gives the same figures as for the widest window. So the
//!   figures per procedure, and the dossiers Decision 766 names (resolved late, rated
//!   dissatisfied), are computed once when the part is written.
//! - **Open part.** A window that starts after `until` (its dossiers lay still before it: most
//!   often awaiting a supplement never brought) counts each as carried over, and its result
//!   depends only on the last clock change: stopped (awaiting), or running towards a due moment
//!   that the window's end passed or not. So a count of the stopped ones and the running ones'
//!   due moments per procedure are kept, and each window counts them against its end.
//!
//! A window that sees only part of those lives reads the records instead ([`Fit::Partly`]); one
//! that counts none of the part's dossiers skips it ([`Fit::Outside`]).

use chrono::{Datelike, NaiveDate, NaiveTime};

use crate::facts::{Facts, FactsError, Reader, bytes, ivar, last_part, secs, uvar, visit_unit};
use crate::stats::Counts;

/// What a part adds to a window that sees its dossiers' lives whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// The last moment (seconds) any of its records tells.
    pub until: i64,
    /// An ended part's figures per procedure code (in the order first met); none for an open one.
    pub procedures: Vec<(String, Counts)>,
    /// An ended part's dossiers resolved late (Decision 766's evidence), in the part's order.
    pub late: Vec<String>,
    /// An ended part's dossiers rated 1 to 3 of 5.
    pub dissatisfied: Vec<String>,
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

/// The formats of a stored tally (its first byte).
const ENDED: u8 = 1;
const OPEN: u8 = 2;

impl Tally {
    /// The tally of a part's blob ([`crate::facts::encode_unit`]) of ended dossiers (`open`
    /// false) or of open ones; `None` when a dossier is not of that kind, the blob is empty, or a
    /// record tells of a moment before its dossier's receipt (a history the ledger refuses; kept
    /// out of tallies rather than trusted).
    pub fn of(blob: &[u8], open: bool) -> Result<Option<Tally>, FactsError> {
        let mut t = Tally { until: i64::MIN, waiting: open.then(Vec::new), ..Tally::default() };
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
                None => t.add_ended(f, procedure),
            }
        })?;
        Ok((!untallied && n > 0).then_some(t))
    }

    fn add_ended(&mut self, f: &Facts, procedure: &str) {
        let mut c = Counts::default();
        // The widest window: every dossier new, ended, every letter and payment within it.
        f.count(&mut c, i64::MIN, i64::MAX);
        if c.resolved_late > 0 {
            self.late.push(f.id.clone());
        }
        if c.satisfaction_surveyed > c.satisfaction_satisfied {
            self.dissatisfied.push(f.id.clone());
        }
        match self.procedures.iter_mut().find(|(p, _)| p == procedure) {
            Some((_, row)) => row.add(&c),
            None => self.procedures.push((procedure.to_string(), c)),
        }
    }

    /// How the window `[start, end]` (seconds) uses the tally of the part of `month`
    /// ([`crate::facts::part_matters`]'s month).
    pub fn fits(&self, month: u32, start: i64, end: i64) -> Fit {
        fit(month, self.waiting.is_some(), self.until, start, end)
    }

    /// The figures per procedure code of a window ending at `end` that sees the part whole, and
    /// the dossiers Decision 766 names: those resolved late or overdue at `end`.
    pub fn rows(&self, end: i64) -> (Vec<(&str, Counts)>, Vec<&str>) {
        let Some(waiting) = &self.waiting else {
            return (self.procedures.iter().map(|(p, c)| (p.as_str(), *c)).collect(), self.late.iter().map(String::as_str).collect());
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
        (rows, late)
    }

    /// The stored form.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = vec![if self.waiting.is_some() { OPEN } else { ENDED }];
        ivar(&mut w, self.until);
        match &self.waiting {
            None => {
                uvar(&mut w, self.procedures.len() as u64);
                for (p, c) in &self.procedures {
                    bytes(&mut w, p.as_bytes());
                    for v in c.to_array() {
                        uvar(&mut w, v);
                    }
                }
                for ids in [&self.late, &self.dissatisfied] {
                    uvar(&mut w, ids.len() as u64);
                    for id in ids {
                        bytes(&mut w, id.as_bytes());
                    }
                }
            }
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

    /// Reads a stored tally back.
    pub fn decode(b: &[u8]) -> Result<Tally, FactsError> {
        let mut r = Reader { b, pos: 1 };
        let format = *b.first().ok_or(FactsError)?;
        let until = r.ivar()?;
        let mut t = Tally { until, ..Tally::default() };
        match format {
            ENDED => {
                for _ in 0..r.uvar()? {
                    let p = r.str()?.to_string();
                    let mut a = [0u64; Counts::FIELDS];
                    for v in &mut a {
                        *v = r.uvar()?;
                    }
                    t.procedures.push((p, Counts::from_array(a)));
                }
                t.late = ids(&mut r)?;
                t.dissatisfied = ids(&mut r)?;
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

fn ids(r: &mut Reader) -> Result<Vec<String>, FactsError> {
    let n = r.uvar()?;
    let mut out = Vec::with_capacity(n.min(1 << 16) as usize);
    for _ in 0..n {
        out.push(r.str()?.to_string());
    }
    Ok(out)
}

/// [`Tally::fits`] from the part's month, kind and `until` alone: what the store's query says in
/// SQL to choose between a part's tally and its records before reading either.
pub fn fit(month: u32, open: bool, until: i64, start: i64, end: i64) -> Fit {
    let lay_still = open && until < start;
    let held_whole = !open && month_start(month).is_some_and(|m| m >= start) && until <= end;
    if month > last_part(end) || (!open && until < start) {
        Fit::Outside
    } else if lay_still || held_whole {
        Fit::Whole
    } else {
        Fit::Partly
    }
}

/// The first part (month, `yyyymm`) that begins at or after `start` (seconds): an ended part of it
/// or later fits a window starting at `start` whole when its tally ends by the window's end.
pub fn first_whole_month(start: i64) -> u32 {
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
