//! A task's state on a day, counted on the working-day calendar.
//!
//! A deadline that falls on a day off (a weekend, a holiday of the calendar in force) moves to
//! the next working day, as the time limits of administrative work do: a task due on Sunday and
//! finished on Monday is on time. On a day `at` (the end of a report's window):
//! - finished on or before `at`: **done** if finished by its (moved) deadline, else **done late**;
//! - else, its deadline before `at`: **overdue**;
//! - else started on or before `at`: **in progress**; else **not started**.
//!
//! So a window's figures are those of its last day, and a task finished after the window ends is
//! counted as it stood then.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::Task;

/// The state of a task on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskState {
    Done,
    DoneLate,
    InProgress,
    Overdue,
    NotStarted,
}

impl TaskState {
    pub const ALL: [TaskState; 5] =
        [TaskState::Done, TaskState::DoneLate, TaskState::InProgress, TaskState::Overdue, TaskState::NotStarted];

    pub fn slug(self) -> &'static str {
        match self {
            TaskState::Done => "done",
            TaskState::DoneLate => "done-late",
            TaskState::InProgress => "in-progress",
            TaskState::Overdue => "overdue",
            TaskState::NotStarted => "not-started",
        }
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            TaskState::Done => "Hoàn thành đúng hạn",
            TaskState::DoneLate => "Hoàn thành quá hạn",
            TaskState::InProgress => "Đang thực hiện",
            TaskState::Overdue => "Quá hạn chưa hoàn thành",
            TaskState::NotStarted => "Chưa thực hiện",
        }
    }

    pub fn from_slug(s: &str) -> Option<TaskState> {
        TaskState::ALL.into_iter().find(|k| k.slug() == s)
    }

    pub fn is_done(self) -> bool {
        match self {
            TaskState::Done | TaskState::DoneLate => true,
            TaskState::InProgress | TaskState::Overdue | TaskState::NotStarted => false,
        }
    }
}

/// How far a deadline on a day off is moved at most (Tết and a weekend are about ten days).
const MAX_DAYS_OFF: u32 = 60;

/// The deadline as it counts: the first working day on or after the stated one.
pub fn effective_deadline(deadline: NaiveDate, is_working_day: &dyn Fn(NaiveDate) -> bool) -> NaiveDate {
    let mut d = deadline;
    for _ in 0..MAX_DAYS_OFF {
        if is_working_day(d) {
            return d;
        }
        match d.succ_opt() {
            Some(next) => d = next,
            None => return deadline,
        }
    }
    deadline
}

/// The working days after `today` up to `due` (0: due today), `None` once `due` has passed.
pub fn working_days_until(today: NaiveDate, due: NaiveDate, is_working_day: &dyn Fn(NaiveDate) -> bool) -> Option<u32> {
    if due < today {
        return None;
    }
    let mut n = 0u32;
    let mut d = today;
    while d < due {
        d = d.succ_opt()?;
        if is_working_day(d) {
            n += 1;
        }
    }
    Some(n)
}

/// The state of `task` on day `at`.
pub fn state_on(task: &Task, at: NaiveDate, is_working_day: &dyn Fn(NaiveDate) -> bool) -> TaskState {
    let due = effective_deadline(task.deadline, is_working_day);
    match task.done_on {
        Some(done) if done <= at => {
            if done <= due {
                TaskState::Done
            } else {
                TaskState::DoneLate
            }
        }
        _ if due < at => TaskState::Overdue,
        _ if task.started_on.is_some_and(|s| s <= at) => TaskState::InProgress,
        _ => TaskState::NotStarted,
    }
}

/// How many tasks are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub total: u64,
    pub done: u64,
    pub done_late: u64,
    pub in_progress: u64,
    pub overdue: u64,
    pub not_started: u64,
}

impl Tally {
    pub fn of<'a>(tasks: impl IntoIterator<Item = &'a Task>, at: NaiveDate, is_working_day: &dyn Fn(NaiveDate) -> bool) -> Tally {
        let mut t = Tally::default();
        for task in tasks {
            t.add(state_on(task, at, is_working_day));
        }
        t
    }

    pub fn add(&mut self, s: TaskState) {
        self.total += 1;
        *match s {
            TaskState::Done => &mut self.done,
            TaskState::DoneLate => &mut self.done_late,
            TaskState::InProgress => &mut self.in_progress,
            TaskState::Overdue => &mut self.overdue,
            TaskState::NotStarted => &mut self.not_started,
        } += 1;
    }

    /// Finished, on time or late.
    pub fn finished(&self) -> u64 {
        self.done + self.done_late
    }

    /// Not finished yet (in progress, overdue, not started).
    pub fn unfinished(&self) -> u64 {
        self.total - self.finished()
    }
}

/// The working days left before a task's deadline on `today` (0: due today), or `None` when it
/// is finished or already overdue.
pub fn working_days_left(task: &Task, today: NaiveDate, is_working_day: &dyn Fn(NaiveDate) -> bool) -> Option<u32> {
    if task.done_on.is_some_and(|d| d <= today) {
        return None;
    }
    working_days_until(today, effective_deadline(task.deadline, is_working_day), is_working_day)
}

/// Whether `task` is due within `days` working days of `today` and not finished (sắp đến hạn).
pub fn due_soon(task: &Task, today: NaiveDate, days: u32, is_working_day: &dyn Fn(NaiveDate) -> bool) -> bool {
    working_days_left(task, today, is_working_day).is_some_and(|n| n <= days)
}
