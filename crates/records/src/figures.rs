//! The figures the records give a report, by the names a catalogue's indicators give in their
//! `source` (docs/catalogue-format.md), as the dossier ledger's figures are: which indicator is
//! which figure is catalogue data, never code here.

use cchc_catalogue::Catalogue;
use cchc_periods::DateRange;
use cchc_report::{Entry, Key, Value};

use crate::kinds::PlanKind;
use crate::model::{Document, Plan, Task};
use crate::state::{Tally, TaskState, state_on};

/// What the pre-filled entries say about where they come from.
pub const SOURCE: &str = "Sổ theo dõi kế hoạch, nhiệm vụ và văn bản CCHC";

/// Every name [`Figures::figure`] answers.
pub const SOURCES: [&str; 13] = [
    "plan_tasks_total",
    "plan_tasks_done",
    "assigned_tasks_total",
    "assigned_tasks_done_on_time",
    "assigned_tasks_done_late",
    "assigned_tasks_overdue",
    "directive_documents",
    // Citizens' feedback (crate::feedback::figure).
    "feedback_received",
    "feedback_received_new",
    "feedback_answered",
    "feedback_answered_on_time",
    "feedback_answered_late",
    "feedback_overdue",
];

/// A unit's records: its plans, the tasks of those plans and the tasks other units' plans
/// assign to it, and its register.
#[derive(Debug, Clone, Copy)]
pub struct Records<'a> {
    pub plans: &'a [Plan],
    pub tasks: &'a [Task],
    pub documents: &'a [Document],
}

/// The figures of one unit for one window. A group the unit keeps no record of is `None`, so
/// the report keeps what it states (zero and "not kept" differ).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// The tasks of the unit's own CCHC plans in force within the window, as they stood on its
    /// last day, whoever is responsible for them (tasks it assigned roll up to it).
    pub plan: Option<Tally>,
    /// The tasks other units' plans in force within the window assign to the unit, those due or
    /// finished by its last day (so total = done + done late + overdue).
    pub assigned: Option<Tally>,
    /// The directive documents the unit issued within the window.
    pub directive_documents: Option<u64>,
}

impl Figures {
    pub fn of(unit: &str, window: DateRange, records: Records<'_>, is_working_day: &dyn Fn(chrono::NaiveDate) -> bool) -> Figures {
        let in_force = |p: &&Plan| p.in_force_within(window.from, window.to);
        let own: Vec<i64> =
            records.plans.iter().filter(in_force).filter(|p| p.unit == unit && p.kind == PlanKind::Cchc).map(|p| p.id).collect();
        let others: Vec<i64> = records.plans.iter().filter(in_force).filter(|p| p.unit != unit).map(|p| p.id).collect();
        let plan = (!own.is_empty()).then(|| Tally::of(records.tasks.iter().filter(|t| own.contains(&t.plan)), window.to, is_working_day));
        let assigned: Vec<&Task> = records.tasks.iter().filter(|t| t.responsible == unit && others.contains(&t.plan)).collect();
        // Assigned tasks count once due or finished by the window's end: total = on time + late +
        // overdue, as reports state them (a task not yet due is not reported yet).
        let assigned = (!assigned.is_empty()).then(|| {
            let mut t = Tally::default();
            for s in assigned.iter().map(|task| state_on(task, window.to, is_working_day)) {
                if matches!(s, TaskState::Done | TaskState::DoneLate | TaskState::Overdue) {
                    t.add(s);
                }
            }
            t
        });
        let mine = records.documents.iter().filter(|d| d.unit == unit);
        let directive_documents = (records.documents.iter().any(|d| d.unit == unit)).then(|| {
            mine.filter(|d| d.direction == crate::Direction::Issued && d.kind.is_directive() && window.contains(d.date)).count() as u64
        });
        Figures { plan, assigned, directive_documents }
    }

    /// The figure a catalogue's `source` names, when the unit keeps that record.
    pub fn figure(&self, source: &str) -> Option<u64> {
        match source {
            "plan_tasks_total" => self.plan.map(|t| t.total),
            "plan_tasks_done" => self.plan.map(|t| t.finished()),
            "assigned_tasks_total" => self.assigned.map(|t| t.done + t.done_late + t.overdue),
            "assigned_tasks_done_on_time" => self.assigned.map(|t| t.done),
            "assigned_tasks_done_late" => self.assigned.map(|t| t.done_late),
            "assigned_tasks_overdue" => self.assigned.map(|t| t.overdue),
            "directive_documents" => self.directive_documents,
            _ => None,
        }
    }
}

/// Entries (totals) for every indicator of the catalogue whose `source` is one of these
/// records' figures and which the unit keeps.
pub fn prefill(figures: &Figures, catalogue: &Catalogue) -> Vec<Entry> {
    catalogue
        .value_indicators()
        .filter_map(|ind| {
            let n = figures.figure(ind.source.as_deref()?)?;
            Some(Entry {
                source: Some(SOURCE.into()),
                ..Entry::new(Key::total(&ind.code), Value::Int(i64::try_from(n).unwrap_or(i64::MAX)))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Plan;

    #[test]
    fn assigned_tasks_count_once_due_or_finished_so_the_total_is_their_sum() {
        use chrono::NaiveDate;
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let plan = Plan {
            id: 1,
            unit: "P".into(),
            kind: PlanKind::Cchc,
            number: "25/KH-UBND".into(),
            date: d(1, 10),
            issuer: String::new(),
            signer: String::new(),
            summary: "CCHC".into(),
            valid_from: None,
            valid_to: None,
        };
        let task = |deadline, done| Task {
            id: 0,
            plan: 1,
            content: "x".into(),
            responsible: "X".into(),
            cooperating: vec![],
            deadline,
            output: String::new(),
            started_on: Some(d(1, 12)),
            done_on: done,
            notes: vec![],
            evidence: None,
            evidence_file: None,
        };
        // Done early (not due yet), overdue, in progress and not due: two count.
        let tasks = [task(d(9, 30), Some(d(3, 2))), task(d(5, 29), None), task(d(6, 30), None)];
        let window = DateRange { from: d(1, 1), to: d(6, 14) };
        let f = Figures::of("X", window, Records { plans: &[plan], tasks: &tasks, documents: &[] }, &|_| true);
        let got: Vec<Option<u64>> = SOURCES[2..6].iter().map(|s| f.figure(s)).collect();
        assert_eq!(got, vec![Some(2), Some(1), Some(0), Some(1)]);
    }

    #[test]
    fn every_source_is_a_figure() {
        let t = Tally::default();
        let f = Figures { plan: Some(t), assigned: Some(t), directive_documents: Some(0) };
        for s in SOURCES.iter().filter(|s| !crate::feedback::SOURCES.contains(s)) {
            assert!(f.figure(s).is_some(), "{s}");
        }
        assert_eq!(f.figure("received_total"), None);
        assert_eq!(Figures::default().figure("plan_tasks_total"), None);
    }
}
