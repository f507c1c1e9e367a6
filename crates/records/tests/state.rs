//! The task state on the working-day calendar: examples on the 2022 and 2024 calendars, and
//! properties over any deadline, start, finish and day.

use cchc_calendar::WorkCalendar;
use cchc_records::state::{Tally, TaskState, due_soon, effective_deadline, state_on, working_days_left};
use cchc_records::{Plan, PlanKind, Task};
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn task(deadline: NaiveDate, started: Option<NaiveDate>, done: Option<NaiveDate>) -> Task {
    Task {
        id: 1,
        plan: 1,
        content: "Rà soát quy trình nội bộ".into(),
        responsible: "H".into(),
        cooperating: vec![],
        deadline,
        output: String::new(),
        started_on: started,
        done_on: done,
        notes: vec![],
        evidence: None,
        evidence_file: None,
    }
}

#[test]
fn a_deadline_on_a_holiday_moves_to_the_next_working_day() {
    let cal = WorkCalendar::vietnam();
    let w = |x| cal.is_working_day(x);
    // 30/04/2022 Saturday, 02–03/05 off for 30/04 and 01/05: the first working day is 04/05.
    assert_eq!(effective_deadline(d(2022, 4, 30), &w), d(2022, 5, 4));
    let t = task(d(2022, 4, 30), Some(d(2022, 4, 1)), Some(d(2022, 5, 4)));
    assert_eq!(state_on(&t, d(2022, 6, 14), &w), TaskState::Done);
    let late = task(d(2022, 4, 30), None, Some(d(2022, 5, 5)));
    assert_eq!(state_on(&late, d(2022, 6, 14), &w), TaskState::DoneLate);
    // On 03/05 (a day off) the task due 30/04 is not overdue yet; on 05/05 it is.
    let open = task(d(2022, 4, 30), None, None);
    assert_eq!(state_on(&open, d(2022, 5, 3), &w), TaskState::NotStarted);
    assert_eq!(state_on(&open, d(2022, 5, 5), &w), TaskState::Overdue);
}

#[test]
fn a_window_counts_a_task_as_it_stood_on_its_last_day() {
    let cal = WorkCalendar::vietnam();
    let w = |x| cal.is_working_day(x);
    let t = task(d(2022, 9, 30), Some(d(2022, 3, 1)), Some(d(2022, 7, 1)));
    assert_eq!(state_on(&t, d(2022, 6, 14), &w), TaskState::InProgress);
    assert_eq!(state_on(&t, d(2022, 12, 14), &w), TaskState::Done);
    assert_eq!(state_on(&t, d(2022, 2, 1), &w), TaskState::NotStarted);
}

#[test]
fn three_tasks_two_done_in_time_one_past_its_deadline() {
    let cal = WorkCalendar::vietnam();
    let w = |x| cal.is_working_day(x);
    let tasks = [
        task(d(2024, 3, 29), None, Some(d(2024, 3, 20))),
        task(d(2024, 4, 26), None, Some(d(2024, 4, 26))),
        task(d(2024, 5, 31), Some(d(2024, 5, 2)), None),
    ];
    let tally = Tally::of(&tasks, d(2024, 6, 14), &w);
    assert_eq!((tally.total, tally.finished(), tally.overdue), (3, 2, 1));
    assert_eq!(
        cchc_format::ratio_percent(tally.finished() as i64, tally.total as i64).map(cchc_format::percent).as_deref(),
        Some("66,67%")
    );
}

#[test]
fn due_soon_counts_working_days() {
    let cal = WorkCalendar::vietnam();
    let w = |x| cal.is_working_day(x);
    // Friday 26/04/2024; due Friday 03/05: 29/04, 30/04, 01/05 off, 04/05 a Saturday worked.
    let t = task(d(2024, 5, 3), None, None);
    assert_eq!(working_days_left(&t, d(2024, 4, 26), &w), Some(2));
    assert!(due_soon(&t, d(2024, 4, 26), 3, &w));
    assert!(!due_soon(&t, d(2024, 4, 26), 1, &w));
    assert_eq!(working_days_left(&t, d(2024, 5, 6), &w), None);
}

#[test]
fn plan_in_force_within_a_window() {
    let p = Plan {
        id: 1,
        unit: "H".into(),
        kind: PlanKind::Cchc,
        number: "158/KH-UBND".into(),
        date: d(2022, 1, 17),
        issuer: "UBND huyện".into(),
        signer: "Nguyễn Văn A".into(),
        summary: "ban hành Kế hoạch CCHC năm 2022".into(),
        valid_from: None,
        valid_to: None,
    };
    assert!(p.in_force_within(d(2021, 12, 15), d(2022, 6, 14)));
    assert!(!p.in_force_within(d(2023, 1, 1), d(2023, 6, 14)));
}

fn day() -> impl Strategy<Value = NaiveDate> {
    (0u64..900).prop_map(|n| d(2023, 11, 1) + Days::new(n))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// Finished by the day is exactly done or done late; done late is exactly finished after
    /// the moved deadline.
    #[test]
    fn finished_states_follow_the_finish_day(deadline in day(), started in proptest::option::of(day()), done in proptest::option::of(day()), at in day()) {
        let cal = WorkCalendar::vietnam();
        let w = |x| cal.is_working_day(x);
        let t = task(deadline, started, done);
        let s = state_on(&t, at, &w);
        prop_assert_eq!(s.is_done(), done.is_some_and(|f| f <= at));
        if s.is_done() {
            prop_assert_eq!(s == TaskState::DoneLate, done.unwrap() > effective_deadline(deadline, &w));
        }
        // Overdue only once the moved deadline is past, and never for a finished task.
        if s == TaskState::Overdue {
            prop_assert!(effective_deadline(deadline, &w) < at);
        }
        // The moved deadline is a working day, on or after the stated one.
        let due = effective_deadline(deadline, &w);
        prop_assert!(due >= deadline && cal.is_working_day(due));
    }

    /// As days pass, a task only moves forward: a finished task stays as it finished, an
    /// overdue task is overdue or done late later.
    #[test]
    fn states_only_move_forward(deadline in day(), started in proptest::option::of(day()), done in proptest::option::of(day()), a in day(), later in 0u64..400) {
        let cal = WorkCalendar::vietnam();
        let w = |x| cal.is_working_day(x);
        let t = task(deadline, started, done);
        let b = a + Days::new(later);
        let (sa, sb) = (state_on(&t, a, &w), state_on(&t, b, &w));
        match sa {
            TaskState::Done | TaskState::DoneLate => prop_assert_eq!(sa, sb),
            TaskState::Overdue => prop_assert!(matches!(sb, TaskState::Overdue | TaskState::DoneLate)),
            TaskState::InProgress => prop_assert!(sb != TaskState::NotStarted),
            TaskState::NotStarted => {}
        }
    }

    /// A tally counts every task once, in exactly one state.
    #[test]
    fn a_tally_adds_up(tasks in prop::collection::vec((day(), proptest::option::of(day()), proptest::option::of(day())), 0..30), at in day()) {
        let cal = WorkCalendar::vietnam();
        let w = |x| cal.is_working_day(x);
        let tasks: Vec<Task> = tasks.into_iter().map(|(dl, s, f)| task(dl, s, f)).collect();
        let t = Tally::of(&tasks, at, &w);
        prop_assert_eq!(t.total, tasks.len() as u64);
        prop_assert_eq!(t.done + t.done_late + t.in_progress + t.overdue + t.not_started, t.total);
        prop_assert_eq!(t.finished() + t.unfinished(), t.total);
    }
}
