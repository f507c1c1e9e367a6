//! Feedback (PAKN) on the working-day calendar: the due date counts working days of the calendar
//! in force (weekends and public holidays skipped), so an answer one working day late across a
//! holiday is late and one on the due date is in time (issue 14, "Done when").

use cchc_calendar::WorkCalendar;
use cchc_records::feedback::{Answer, Channel, Feedback, Sender, Status, Tally, add_working_days, sentence};
use chrono::NaiveDate;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn feedback(received: NaiveDate, time_limit: u32, answered: Option<NaiveDate>) -> Feedback {
    Feedback {
        id: 1,
        unit: "99101N".into(),
        channel: Channel::Hotline,
        received_on: received,
        sender: Sender { name: "Nguyễn Văn An".into(), phone: Some("0912345678".into()), email: None, address: None },
        content: "Phản ánh việc niêm yết thủ tục đăng ký khai sinh chưa đầy đủ".into(),
        procedure: Some("1.001193".into()),
        dossier: None,
        handler_unit: "99101N".into(),
        handler: Some("xa1".into()),
        time_limit,
        answer: answered.map(|on| Answer { on, text: "Đã bổ sung niêm yết.".into(), by: "xa1".into() }),
    }
}

#[test]
fn an_answer_one_working_day_late_across_national_day_is_late_and_one_on_the_due_day_in_time() {
    let cal = WorkCalendar::vietnam();
    let w = |x| cal.is_working_day(x);
    // 2026: 31/08, 01/09 and 02/09 are days off (Quốc khánh), Saturday 22/08 worked instead.
    assert!(!w(d(2026, 8, 31)) && !w(d(2026, 9, 1)) && !w(d(2026, 9, 2)));
    // Received on Tuesday 25/08, 5 working days: 26, 27, 28/08, then 03 and 04/09.
    let due = feedback(d(2026, 8, 25), 5, None).due_on(&w);
    assert_eq!(due, d(2026, 9, 4));
    let on_due = feedback(d(2026, 8, 25), 5, Some(d(2026, 9, 4)));
    assert_eq!(on_due.status_on(d(2026, 9, 30), &w), Status::AnsweredOnTime);
    // The next working day is Monday 07/09: one working day late.
    let late = feedback(d(2026, 8, 25), 5, Some(d(2026, 9, 7)));
    assert_eq!(late.status_on(d(2026, 9, 30), &w), Status::AnsweredLate);

    // Due on Friday 28/08 (3 working days from Tuesday 25/08); answered on Thursday 03/09, the
    // first working day after the holiday and the weekend: one working day late, though only the
    // next working day.
    let across = feedback(d(2026, 8, 25), 3, Some(d(2026, 9, 3)));
    assert_eq!(across.due_on(&w), d(2026, 8, 28));
    assert_eq!(across.status_on(d(2026, 9, 30), &w), Status::AnsweredLate);
    // Not answered by the holiday's end: overdue on 03/09, not before the due date has passed.
    let open = feedback(d(2026, 8, 25), 3, None);
    assert_eq!(open.status_on(d(2026, 8, 28), &w), Status::InProgress);
    assert_eq!(open.status_on(d(2026, 9, 3), &w), Status::Overdue);
    assert_eq!(open.working_days_left(d(2026, 8, 26), &w), Some(2));
}

#[test]
fn tet_is_skipped_and_a_receipt_on_a_day_off_counts_from_the_next_working_day() {
    let cal = WorkCalendar::vietnam();
    let w = |x| cal.is_working_day(x);
    // Tết 2026: 16/02–20/02 off. Received Friday 13/02, 2 working days: 23/02, 24/02.
    assert_eq!(feedback(d(2026, 2, 13), 2, None).due_on(&w), d(2026, 2, 24));
    // Received on Saturday 14/02: counted from Monday 23/02, so due 25/02.
    assert_eq!(feedback(d(2026, 2, 14), 2, None).due_on(&w), d(2026, 2, 25));
    assert_eq!(feedback(d(2026, 2, 13), 2, Some(d(2026, 2, 24))).status_on(d(2026, 3, 1), &w), Status::AnsweredOnTime);
    assert_eq!(feedback(d(2026, 2, 13), 2, Some(d(2026, 2, 25))).status_on(d(2026, 3, 1), &w), Status::AnsweredLate);
}

#[test]
fn a_window_counts_what_it_received_carried_and_answered() {
    let cal = WorkCalendar::vietnam();
    let w = |x| cal.is_working_day(x);
    let items = [
        // Answered before the window: not in it.
        feedback(d(2026, 5, 4), 10, Some(d(2026, 5, 20))),
        // Carried over, answered late within it.
        feedback(d(2026, 6, 1), 5, Some(d(2026, 6, 22))),
        // Received and answered in time.
        feedback(d(2026, 7, 1), 10, Some(d(2026, 7, 10))),
        // Received, open and overdue at the end.
        feedback(d(2026, 8, 3), 5, None),
        // Received, open, not due yet.
        feedback(d(2026, 9, 10), 10, None),
        // Received after the window.
        feedback(d(2026, 9, 20), 10, None),
    ];
    let t = Tally::of(&items, d(2026, 6, 15), d(2026, 9, 14), &w);
    assert_eq!(t, Tally { received_new: 3, carried_over: 1, answered_on_time: 1, answered_late: 1, open: 2, overdue: 1 }, "{t:?}");
    assert_eq!(
        sentence(&t),
        "- Tiếp nhận 4 phản ánh, kiến nghị của cá nhân, tổ chức (trong đó 1 kỳ trước chuyển sang); đã trả lời 2 (đúng hạn 1, quá hạn 1); đang xử lý 2, trong đó 1 quá hạn."
    );
    assert_eq!(sentence(&Tally::default()), "");
}

#[test]
fn problems_are_named_by_field() {
    let today = d(2026, 9, 1);
    let mut f = feedback(d(2026, 9, 2), 0, Some(d(2026, 8, 1)));
    f.sender = Sender { name: " ".into(), phone: Some("09x".into()), email: Some("khong-co".into()), address: None };
    f.content = String::new();
    f.procedure = Some("1 001".into());
    let fields: Vec<&str> = f.problems(today).into_iter().map(|(field, _)| field).collect();
    for field in
        ["Ngày tiếp nhận", "Họ tên người phản ánh", "Số điện thoại", "Thư điện tử", "Nội dung", "Mã TTHC", "Thời hạn xử lý", "Ngày trả lời"]
    {
        assert!(fields.contains(&field), "{field}: {fields:?}");
    }
    assert!(feedback(d(2026, 8, 25), 5, Some(d(2026, 8, 28))).problems(today).is_empty());
}

proptest! {
    /// On any calendar day and any processing time, the due date is a working day, at least that
    /// many working days after the receipt, and an answer on it is in time, the next working day late.
    #[test]
    fn the_due_date_is_a_working_day_and_the_boundary_holds(offset in 0u64..1500, n in 1u32..30) {
        let cal = WorkCalendar::vietnam();
        let w = |x| cal.is_working_day(x);
        let received = d(2022, 1, 1) + chrono::Days::new(offset);
        let due = add_working_days(received, n, &w);
        prop_assert!(w(due));
        prop_assert_eq!(due, cal.add_working_days(received, n));
        let on = feedback(received, n, Some(due));
        prop_assert_eq!(on.status_on(due, &w), Status::AnsweredOnTime);
        let next = cal.next_working_day(due);
        prop_assert_eq!(feedback(received, n, Some(next)).status_on(next, &w), Status::AnsweredLate);
    }
}
