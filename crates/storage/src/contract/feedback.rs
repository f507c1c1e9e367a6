//! The contract of [`crate::FeedbackStore`]: citizens' feedback and petitions (phản ánh, kiến nghị: PAKN): intake, assignment, answer and due date (issue 14, item 4).

use cchc_records::feedback::{Answer, Channel, Feedback, Sender};
use chrono::NaiveDate;

use crate::feedback::FeedbackQuery;
use crate::{AuditFilter, Store, StoreError, Versioned};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn feedback(unit: &str, channel: Channel, received: NaiveDate, content: &str) -> Feedback {
    Feedback {
        id: 0,
        unit: unit.into(),
        channel,
        received_on: received,
        sender: Sender {
            name: "Nguyễn Văn An".into(),
            phone: Some("0912345678".into()),
            email: None,
            address: Some("Thôn 3, xã X1, Hà Nội".into()),
        },
        content: content.into(),
        procedure: Some("1.001193".into()),
        dossier: None,
        handler_unit: unit.into(),
        handler: None,
        time_limit: 10,
        answer: None,
    }
}

/// Every check of [`crate::FeedbackStore`] (one entry of the suite, so its checks are added here).
pub async fn feedback_contract(s: &dyn Store) {
    // One store for the three, in this order (the search sees only its own rows).
    feedback_is_searched_and_filtered(s).await;
    feedback_of_an_unknown_unit_stores_nothing(s).await;
    feedback_round_trips_with_versions(s).await;
}

async fn feedback_round_trips_with_versions(s: &dyn Store) {
    super::known_units(s).await;
    let new = feedback("X1", Channel::Hotline, d(2026, 8, 25), "Niêm yết thủ tục khai sinh chưa đầy đủ");
    let stored = s.insert_feedback(&new, "canbo").await.unwrap();
    assert!(stored.value.id > 0);
    assert_eq!(stored.version, 1);
    assert_eq!(stored.value, Feedback { id: stored.value.id, ..new.clone() });
    assert_eq!(s.feedback(stored.value.id).await.unwrap(), Some(stored.clone()));
    assert_eq!(s.feedback(999_999).await.unwrap(), None);

    // Assigned to X2, then answered: each change names its version.
    let mut assigned = stored.value.clone();
    assigned.handler_unit = "X2".into();
    assigned.handler = Some("xa2".into());
    assert_eq!(s.update_feedback(&assigned, 1, "canbo", "phân công xử lý phản ánh, kiến nghị").await.unwrap(), 2);
    let mut answered = assigned.clone();
    answered.answer = Some(Answer { on: d(2026, 9, 4), text: "Đã niêm yết bổ sung.".into(), by: "xa2".into() });
    // A stale change is a conflict and writes nothing.
    assert!(matches!(
        s.update_feedback(&answered, 1, "xa2", "trả lời phản ánh, kiến nghị").await,
        Err(StoreError::Conflict { expected: 1, found: 2 })
    ));
    assert_eq!(s.feedback(assigned.id).await.unwrap(), Some(Versioned { value: assigned.clone(), version: 2 }));
    assert_eq!(s.update_feedback(&answered, 2, "xa2", "trả lời phản ánh, kiến nghị").await.unwrap(), 3);
    assert_eq!(s.feedback(answered.id).await.unwrap(), Some(Versioned { value: answered.clone(), version: 3 }));
    // Not moved to another receiving unit; not a row that does not exist.
    let moved = Feedback { unit: "X3".into(), ..answered.clone() };
    assert!(matches!(s.update_feedback(&moved, 3, "canbo", "sửa").await, Err(StoreError::Invalid(_))));
    let ghost = Feedback { id: 999_999, ..answered.clone() };
    assert!(matches!(s.update_feedback(&ghost, 1, "canbo", "sửa").await, Err(StoreError::NotFound(_))));
    assert_eq!(s.feedback(answered.id).await.unwrap().unwrap().version, 3);

    // Every change is audited under the receiving unit, the sender masked there.
    let audit = s.audit(&AuditFilter { unit_code: Some("X1".into()), ..AuditFilter::default() }).await.unwrap();
    let mine = format!("phản ánh, kiến nghị số {} ngày", answered.id);
    let audit: Vec<_> = audit.into_iter().filter(|a| a.item.as_deref().is_some_and(|i| i.starts_with(&mine))).collect();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    for a in ["tiếp nhận phản ánh, kiến nghị", "phân công xử lý phản ánh, kiến nghị", "trả lời phản ánh, kiến nghị"]
    {
        assert_eq!(actions.iter().filter(|x| **x == a).count(), 1, "{a}: {actions:?}");
    }
    for e in &audit {
        for v in [&e.old_value, &e.new_value].into_iter().flatten() {
            assert!(!v.contains("0912345678") && !v.contains("Văn An"), "personal data in the audit log: {v}");
        }
    }
}

async fn feedback_is_searched_and_filtered(s: &dyn Store) {
    super::known_units(s).await;
    let a = s.insert_feedback(&feedback("X1", Channel::Counter, d(2026, 3, 2), "Thái độ cán bộ tiếp nhận"), "vt").await.unwrap();
    let mut assigned = feedback("X1", Channel::Portal, d(2026, 4, 6), "Trả kết quả chứng thực chậm");
    assigned.handler_unit = "X2".into();
    assigned.dossier = Some("X1-260401-0007".into());
    let b = s.insert_feedback(&assigned, "vt").await.unwrap();
    let mut answered = feedback("X2", Channel::Hotline, d(2026, 5, 4), "Phí đăng ký hộ kinh doanh");
    answered.answer = Some(Answer { on: d(2026, 5, 8), text: "Đã hướng dẫn.".into(), by: "xa2".into() });
    let c = s.insert_feedback(&answered, "vt").await.unwrap();
    let q = |f: fn(&mut FeedbackQuery)| {
        let mut q = FeedbackQuery { units: vec!["X1".into()], limit: 100, ..FeedbackQuery::default() };
        f(&mut q);
        q
    };
    let ids = |v: Vec<Versioned<Feedback>>| v.into_iter().map(|f| f.value.id).collect::<Vec<_>>();
    let (a, b, c) = (a.value.id, b.value.id, c.value.id);
    assert_eq!(ids(s.feedback_list(&q(|_| {})).await.unwrap()), vec![b, a]);
    // X2 sees what it received and what is assigned to it.
    assert_eq!(ids(s.feedback_list(&q(|q| q.units = vec!["X2".into()])).await.unwrap()), vec![c, b]);
    assert_eq!(ids(s.feedback_list(&q(|q| q.units = vec!["X1".into(), "X2".into()])).await.unwrap()), vec![c, b, a]);
    assert_eq!(ids(s.feedback_list(&q(|q| q.text = "CHỨNG THỰC".into())).await.unwrap()), vec![b]);
    assert_eq!(ids(s.feedback_list(&q(|q| q.text = "260401-0007".into())).await.unwrap()), vec![b]);
    assert_eq!(
        ids(s.feedback_list(&q(|q| q.text = "nguyễn văn an".into())).await.unwrap()),
        Vec::<i64>::new(),
        "the sender is not searched"
    );
    assert_eq!(ids(s.feedback_list(&q(|q| q.channel = Some(Channel::Counter))).await.unwrap()), vec![a]);
    assert_eq!(ids(s.feedback_list(&q(|q| (q.from, q.to) = (Some(d(2026, 3, 3)), Some(d(2026, 4, 30))))).await.unwrap()), vec![b]);
    let both = |q: &mut FeedbackQuery| q.units = vec!["X1".into(), "X2".into()];
    assert_eq!(
        ids(s
            .feedback_list(&q(|q| {
                q.units = vec!["X1".into(), "X2".into()];
                q.answered = Some(true)
            }))
            .await
            .unwrap()),
        vec![c]
    );
    let mut open = q(|_| {});
    both(&mut open);
    open.answered = Some(false);
    assert_eq!(ids(s.feedback_list(&open).await.unwrap()), vec![b, a]);
    open.limit = 1;
    assert_eq!(ids(s.feedback_list(&open).await.unwrap()), vec![b]);
    assert!(s.feedback_list(&FeedbackQuery { units: vec!["X3".into()], limit: 100, ..Default::default() }).await.unwrap().is_empty());
    assert!(s.feedback_list(&FeedbackQuery { limit: 100, ..Default::default() }).await.unwrap().is_empty());
}

async fn feedback_of_an_unknown_unit_stores_nothing(s: &dyn Store) {
    super::known_units(s).await;
    let before = s.audit(&AuditFilter::default()).await.unwrap().len();
    let mut wrong = feedback("X1", Channel::Mail, d(2026, 6, 1), "Lạc đơn vị");
    wrong.handler_unit = "KHONG-CO".into();
    assert!(s.insert_feedback(&wrong, "vt").await.is_err());
    assert!(s.insert_feedback(&feedback("KHONG-CO", Channel::Mail, d(2026, 6, 1), "Lạc"), "vt").await.is_err());
    let all = FeedbackQuery { units: vec!["X1".into(), "KHONG-CO".into()], limit: 100, ..Default::default() };
    let stored = s.feedback_list(&all).await.unwrap();
    assert!(stored.iter().all(|f| f.value.content != "Lạc đơn vị" && f.value.content != "Lạc"), "{stored:?}");
    assert_eq!(s.audit(&AuditFilter::default()).await.unwrap().len(), before, "no audit row either");
    // A change to an unknown handling unit is refused and leaves the row as it was.
    let ok = s.insert_feedback(&feedback("X1", Channel::Mail, d(2026, 6, 1), "Đúng đơn vị"), "vt").await.unwrap();
    let moved = Feedback { handler_unit: "KHONG-CO".into(), ..ok.value.clone() };
    assert!(s.update_feedback(&moved, 1, "vt", "phân công xử lý phản ánh, kiến nghị").await.is_err());
    assert_eq!(s.feedback(ok.value.id).await.unwrap(), Some(ok));
}
