//! Dossier statistics for a window (Biểu 06/VPCP/KSTT), by level and field.
//!
//! Every dossier in scope is put in exactly one "received" column (carried over, or new by
//! channel) and exactly one "result" column (resolved early / on due / late, in progress within
//! time / overdue, awaiting a supplement, returned), so the relations the reports so often break —
//! received = online + direct + postal + carried over = resolved + in progress + awaiting +
//! returned — hold by construction.

use std::collections::{BTreeMap, HashMap};

use cchc_calendar::WorkCalendar;
use cchc_periods::DateRange;
use cchc_units::Level;
use chrono::{NaiveDateTime, NaiveTime};

use crate::lifecycle::{DossierError, Outcome, Status, replay};
use crate::model::{Channel, Dossier, Procedure};

/// The columns of the Biểu 06/VPCP/KSTT table, in the form's order: the figure name
/// ([`Counts::figure`]) and its Vietnamese heading. The CLI and the web app print these.
pub const BIEU06_COLUMNS: [(&str, &str); 14] = [
    ("received_total", "Tổng số tiếp nhận"),
    ("received_online", "Trực tuyến"),
    ("received_direct", "Trực tiếp"),
    ("received_postal", "BCCI"),
    ("carried_over", "Kỳ trước chuyển qua"),
    ("resolved_total", "Đã giải quyết"),
    ("resolved_early", "Trước hạn"),
    ("resolved_on_due", "Đúng hạn"),
    ("resolved_late", "Quá hạn"),
    ("in_progress_total", "Đang giải quyết"),
    ("in_progress_within", "Trong hạn"),
    ("in_progress_overdue", "Quá hạn"),
    ("awaiting_supplement", "Chờ bổ sung"),
    ("returned", "Trả lại, rút hồ sơ"),
];

/// The figures of one row of the table (or of the whole table).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub received_online: u64,
    pub received_direct: u64,
    pub received_postal: u64,
    pub carried_over: u64,
    pub resolved_early: u64,
    pub resolved_on_due: u64,
    pub resolved_late: u64,
    pub in_progress_within: u64,
    pub in_progress_overdue: u64,
    pub awaiting_supplement: u64,
    pub returned: u64,
    pub apology_letters: u64,
    pub returned_by_postal: u64,
    pub digitised: u64,
    pub paid_online: u64,
    /// New dossiers whose fee or charge was paid (online or not) by the end of the window.
    pub fee_paid: u64,
    pub satisfaction_surveyed: u64,
    pub satisfaction_satisfied: u64,
}

impl Counts {
    pub fn received_new(&self) -> u64 {
        self.received_online + self.received_direct + self.received_postal
    }
    pub fn received_total(&self) -> u64 {
        self.received_new() + self.carried_over
    }
    pub fn resolved_in_time(&self) -> u64 {
        self.resolved_early + self.resolved_on_due
    }
    pub fn resolved_total(&self) -> u64 {
        self.resolved_in_time() + self.resolved_late
    }
    pub fn in_progress_total(&self) -> u64 {
        self.in_progress_within + self.in_progress_overdue
    }

    /// The figure a catalogue indicator names by its `source`, if the ledger knows it.
    pub fn figure(&self, source: &str) -> Option<u64> {
        Some(match source {
            "received_total" => self.received_total(),
            "received_online" => self.received_online,
            "received_direct" => self.received_direct,
            "received_postal" => self.received_postal,
            "carried_over" => self.carried_over,
            "received_new" => self.received_new(),
            "resolved_total" => self.resolved_total(),
            "resolved_early" => self.resolved_early,
            "resolved_on_due" => self.resolved_on_due,
            "resolved_in_time" => self.resolved_in_time(),
            "resolved_late" => self.resolved_late,
            "in_progress_total" => self.in_progress_total(),
            "in_progress_within" => self.in_progress_within,
            "in_progress_overdue" => self.in_progress_overdue,
            "awaiting_supplement" => self.awaiting_supplement,
            "returned" => self.returned,
            "apology_letters" => self.apology_letters,
            "returned_by_postal" => self.returned_by_postal,
            "digitised" => self.digitised,
            "paid_online" => self.paid_online,
            "fee_paid" => self.fee_paid,
            "satisfaction_surveyed" => self.satisfaction_surveyed,
            "satisfaction_satisfied" => self.satisfaction_satisfied,
            _ => return None,
        })
    }

    /// Adds another row's figures.
    pub fn add(&mut self, o: &Counts) {
        let mut a = self.to_array();
        for (x, y) in a.iter_mut().zip(o.to_array()) {
            *x += y;
        }
        *self = Counts::from_array(a);
    }
}

/// The stored figures of [`Counts`] in one order, the one list of them: what [`Counts::add`] sums
/// and what a stored tally keeps (`crate::tally`). A field added to `Counts` must be added to
/// both functions (the struct literal of `from_array` does not compile without it).
macro_rules! counts_fields {
    ($($f:ident),* $(,)?) => {
        impl Counts {
            /// How many figures a row keeps.
            pub const FIELDS: usize = [$(stringify!($f)),*].len();

            /// The figures in the order of [`Counts::FIELDS`].
            pub fn to_array(&self) -> [u64; Self::FIELDS] {
                [$(self.$f),*]
            }

            /// The row of figures given in the order of [`Counts::to_array`].
            pub fn from_array(a: [u64; Self::FIELDS]) -> Counts {
                let mut i = 0;
                $( let $f = a[i]; i += 1; )*
                let _ = i;
                Counts { $($f),* }
            }
        }
    };
}
counts_fields!(
    received_online,
    received_direct,
    received_postal,
    carried_over,
    resolved_early,
    resolved_on_due,
    resolved_late,
    in_progress_within,
    in_progress_overdue,
    awaiting_supplement,
    returned,
    apology_letters,
    returned_by_postal,
    digitised,
    paid_online,
    fee_paid,
    satisfaction_surveyed,
    satisfaction_satisfied,
);

/// Biểu 06: counts per (level, field), with totals by level, by field and overall.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub rows: BTreeMap<(Level, String), Counts>,
}

impl Table {
    /// Adds another table's rows (e.g. the partial tables of separate units).
    pub fn add(&mut self, other: &Table) {
        for (k, c) in &other.rows {
            self.rows.entry(k.clone()).or_default().add(c);
        }
    }
    pub fn total(&self) -> Counts {
        self.sum(|_, _| true)
    }
    pub fn level(&self, level: Level) -> Counts {
        self.sum(|l, _| l == level)
    }
    pub fn field(&self, field: &str) -> Counts {
        self.sum(|_, f| f == field)
    }
    fn sum(&self, keep: impl Fn(Level, &str) -> bool) -> Counts {
        let mut c = Counts::default();
        for ((l, f), row) in &self.rows {
            if keep(*l, f) {
                c.add(row);
            }
        }
        c
    }
}

/// Computes the table for `window` over the dossiers of `units` (unit code → level).
/// A dossier is in scope when it was received within the window, or before it and still open at
/// its start (carried over). Its result is its state at the end of the window's last day.
pub fn compute(
    dossiers: &[Dossier],
    procedures: &HashMap<String, Procedure>,
    units: &HashMap<String, Level>,
    window: DateRange,
    cal: &WorkCalendar,
) -> Result<Table, DossierError> {
    let start = window.from.and_time(NaiveTime::MIN);
    let end = window.to.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid"));
    let mut table = Table::default();
    for d in dossiers {
        let (Some(level), Some(p)) = (units.get(&d.unit), procedures.get(&d.procedure)) else { continue };
        let Some(received) = d.events.first().map(|e| e.at) else { continue };
        if received > end {
            continue;
        }
        let state = replay(d, p, cal, Some(end))?;
        let new = received >= start;
        if !new && state.outcome.is_some_and(|(_, at)| at < start) {
            continue; // finished before the window: not part of it
        }
        let row = table.rows.entry((*level, p.field.clone())).or_default();
        count(row, d, &state, new, start, end);
    }
    Ok(table)
}

fn count(row: &mut Counts, d: &Dossier, s: &crate::lifecycle::DossierState, new: bool, start: NaiveDateTime, end: NaiveDateTime) {
    match (new, s.channel) {
        (false, _) => row.carried_over += 1,
        (true, Channel::Online) => row.received_online += 1,
        (true, Channel::Direct) => row.received_direct += 1,
        (true, Channel::Postal) => row.received_postal += 1,
    }
    match (s.outcome, s.status) {
        (Some((Outcome::Early, _)), _) => row.resolved_early += 1,
        (Some((Outcome::OnDue, _)), _) => row.resolved_on_due += 1,
        (Some((Outcome::Late, _)), _) => row.resolved_late += 1,
        (Some((Outcome::Returned, _)), _) => row.returned += 1,
        (None, Status::AwaitingSupplement | Status::AwaitingFee) => row.awaiting_supplement += 1,
        (None, _) if s.due >= end => row.in_progress_within += 1,
        (None, _) => row.in_progress_overdue += 1,
    }
    row.apology_letters += s.apology_letters.iter().filter(|t| **t >= start).count() as u64;
    if matches!(s.result_returned, Some((Channel::Postal, t)) if t >= start) {
        row.returned_by_postal += 1;
    }
    if new {
        row.digitised += d.digitised as u64;
        row.paid_online += s.paid_online as u64;
        row.fee_paid += s.fee_paid as u64;
        if let Some(r) = d.rating {
            row.satisfaction_surveyed += 1;
            row.satisfaction_satisfied += (r >= 4) as u64;
        }
    }
}
