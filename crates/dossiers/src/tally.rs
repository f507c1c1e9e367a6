//! The tally of an ended part of a unit's facts: what its dossiers add to a window that holds
//! the whole of their lives, kept beside the part so that such a window reads a few figures per
//! procedure instead of every dossier's record.
//!
//! A part ([`crate::facts::MonthPart`]) holds a unit's dossiers received in one month. When all of
//! them ended, and a window starts by the first moment of that month and ends after the last
//! moment any of their records tells (receipt, end, apology letter, postal return, payment,
//! clock change: [`Tally::until`]), each of them counts in that window as received in it and
//! ended in it, whatever the window's exact bounds: [`crate::facts::Facts::count`] then gives
//! the same figures as it gives for the widest window. So the figures per procedure, and the
//! dossiers Decision 766 names (late, rated dissatisfied), can be computed once when the part is
//! written and laid into every such window ([`Tally::fits`]). A window that sees only some of
//! the part's life reads its records instead; one that sees none of it skips it.

use chrono::{Datelike, NaiveDate, NaiveTime};

use crate::facts::{FactsError, Reader, bytes, ivar, last_part, secs, uvar, visit_unit};
use crate::stats::Counts;

/// What an ended part adds to a window holding the whole of its dossiers' lives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// The last moment (seconds) any of its records tells: a window ending before it sees part
    /// of the dossiers' lives only.
    pub until: i64,
    /// The figures per procedure code, in the order first met.
    pub procedures: Vec<(String, Counts)>,
    /// The dossiers resolved late (Decision 766's evidence), in the part's order.
    pub late: Vec<String>,
    /// The dossiers rated 1 to 3 of 5.
    pub dissatisfied: Vec<String>,
}

/// How a window uses a part's tally ([`Tally::fits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The window holds the whole of the part's dossiers' lives: the tally's figures are its.
    Whole,
    /// The window counts none of the part's dossiers (received after it, or ended before it).
    Outside,
    /// The window sees part of their lives: it must read the records.
    Partly,
}

/// The format of a stored tally (its first byte), so that a later one can be told apart.
const FORMAT: u8 = 1;

impl Tally {
    /// The tally of an ended part's blob ([`crate::facts::encode_unit`]); `None` when one of its
    /// dossiers is still open (an open part has no tally), the blob is empty or a record tells of
    /// a moment before its dossier's receipt.
    pub fn of(blob: &[u8]) -> Result<Option<Tally>, FactsError> {
        let mut t = Tally { until: i64::MIN, ..Tally::default() };
        // A dossier still open, or a record telling of a moment before its receipt (a history the
        // ledger refuses; kept out of tallies rather than trusted): no tally.
        let mut untallied = false;
        let mut n = 0u64;
        visit_unit(blob, true, |f, procedure| {
            n += 1;
            if f.finished.is_none() {
                untallied = true;
                return;
            }
            let mut c = Counts::default();
            // The widest window: every dossier new, ended, every letter and payment within it.
            f.count(&mut c, i64::MIN, i64::MAX);
            let moments = [Some(f.received), f.finished.map(|(_, at)| at), f.returned_by_postal]
                .into_iter()
                .flatten()
                .chain(f.apologies.iter().copied())
                .chain(f.payments.iter().map(|(at, _)| *at))
                .chain(f.changes.iter().map(|c| c.at));
            for at in moments {
                untallied |= at < f.received;
                t.until = t.until.max(at);
            }
            if c.resolved_late > 0 {
                t.late.push(f.id.clone());
            }
            if c.satisfaction_surveyed > c.satisfaction_satisfied {
                t.dissatisfied.push(f.id.clone());
            }
            match t.procedures.iter_mut().find(|(p, _)| p == procedure) {
                Some((_, row)) => row.add(&c),
                None => t.procedures.push((procedure.to_string(), c)),
            }
        })?;
        Ok((!untallied && n > 0).then_some(t))
    }

    /// How the window `[start, end]` (seconds) uses the tally of the part of `month`
    /// ([`crate::facts::part_month`]).
    pub fn fits(&self, month: u32, start: i64, end: i64) -> Fit {
        fit(month, self.until, start, end)
    }

    /// The stored form.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = vec![FORMAT];
        ivar(&mut w, self.until);
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
        w
    }

    /// Reads a stored tally back.
    pub fn decode(b: &[u8]) -> Result<Tally, FactsError> {
        let mut r = Reader { b, pos: 0 };
        if b.first() != Some(&FORMAT) {
            return Err(FactsError);
        }
        r.pos = 1;
        let until = r.ivar()?;
        let n = r.uvar()?;
        let mut procedures = Vec::with_capacity(n.min(4096) as usize);
        for _ in 0..n {
            let p = r.str()?.to_string();
            let mut a = [0u64; Counts::FIELDS];
            for v in &mut a {
                *v = r.uvar()?;
            }
            procedures.push((p, Counts::from_array(a)));
        }
        let mut ids = || -> Result<Vec<String>, FactsError> {
            let n = r.uvar()?;
            let mut out = Vec::with_capacity(n.min(1 << 16) as usize);
            for _ in 0..n {
                out.push(r.str()?.to_string());
            }
            Ok(out)
        };
        let late = ids()?;
        let dissatisfied = ids()?;
        if r.pos != b.len() {
            return Err(FactsError);
        }
        Ok(Tally { until, procedures, late, dissatisfied })
    }
}

/// [`Tally::fits`] from the part's month and the tally's `until` alone: what the store's query
/// says in SQL to choose between a part's tally and its records before reading either.
pub fn fit(month: u32, until: i64, start: i64, end: i64) -> Fit {
    if month > last_part(end) || until < start {
        Fit::Outside
    } else if month_start(month).is_some_and(|m| m >= start) && until <= end {
        Fit::Whole
    } else {
        Fit::Partly
    }
}

/// The first part (month, `yyyymm`) that begins at or after `start` (seconds): a part of it or
/// later fits a window starting at `start` whole when its tally ends by the window's end.
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
