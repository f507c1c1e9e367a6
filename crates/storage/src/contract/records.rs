//! The contract of [`crate::RecordStore`]: plans, tasks and the documents register (issue 14).

use cchc_records::{Direction, DocKind, Document, Plan, PlanKind, Task};
use chrono::NaiveDate;

use crate::{AuditFilter, DocumentQuery, Store, StoreError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn plan() -> Plan {
    Plan {
        id: 0,
        unit: "X1".into(),
        kind: PlanKind::Cchc,
        number: "158/KH-UBND".into(),
        date: d(2022, 1, 17),
        issuer: "UBND huyện".into(),
        signer: "Nguyễn Văn A".into(),
        summary: "ban hành Kế hoạch CCHC năm 2022".into(),
        valid_from: None,
        valid_to: None,
    }
}

fn task(content: &str, responsible: &str) -> Task {
    Task {
        id: 0,
        plan: 0,
        content: content.into(),
        responsible: responsible.into(),
        cooperating: vec!["X3".into()],
        deadline: d(2022, 3, 31),
        output: "Báo cáo".into(),
        started_on: None,
        done_on: None,
        notes: vec![],
        evidence: None,
        evidence_file: None,
    }
}

pub async fn plans_and_tasks_round_trip_with_versions(s: &dyn Store) {
    super::known_units(s).await;
    let stored = s.insert_plan(&plan(), &[task("Rà soát TTHC", "X1"), task("Số hóa hồ sơ", "X2")], "canbo", "thêm kế hoạch").await.unwrap();
    assert!(stored.plan.id > 0);
    assert_eq!(stored.version, 1);
    assert_eq!(stored.tasks.len(), 2);
    assert!(stored.tasks.iter().all(|t| t.value.plan == stored.plan.id && t.value.id > 0 && t.version == 1));
    let read = s.plan(stored.plan.id).await.unwrap().unwrap();
    assert_eq!(read, stored);
    assert_eq!(s.plans(&["X1".into()]).await.unwrap(), vec![stored.clone()]);
    // The task assigned to X2 is in X2's list with its plan, and only that task.
    let assigned = s.plans_assigning(&["X2".into()]).await.unwrap();
    assert_eq!(assigned.len(), 1);
    assert_eq!(assigned[0].plan, stored.plan);
    assert_eq!(assigned[0].tasks, vec![stored.tasks[1].clone()]);
    assert!(s.plans_assigning(&["X1".into()]).await.unwrap().is_empty());
    // The same number and date again is refused.
    assert!(matches!(s.insert_plan(&plan(), &[], "canbo", "thêm kế hoạch").await, Err(StoreError::Invalid(_))));

    // A change names its version; a stale one is a conflict and writes nothing.
    let mut done = stored.tasks[1].value.clone();
    done.done_on = Some(d(2022, 3, 30));
    assert_eq!(s.update_task(&done, 1, "xa2").await.unwrap(), 2);
    let mut other = stored.tasks[1].value.clone();
    other.content = "Sửa đè".into();
    assert!(matches!(s.update_task(&other, 1, "khac").await, Err(StoreError::Conflict { expected: 1, found: 2 })));
    assert_eq!(s.task(done.id).await.unwrap().unwrap(), crate::Versioned { value: done.clone(), version: 2 });
    let mut renamed = stored.plan.clone();
    renamed.summary = "ban hành Kế hoạch cải cách hành chính năm 2022".into();
    assert_eq!(s.update_plan(&renamed, 1, "canbo").await.unwrap(), 2);
    assert!(matches!(s.update_plan(&renamed, 1, "canbo").await, Err(StoreError::Conflict { expected: 1, found: 2 })));
    assert_eq!(s.plan(renamed.id).await.unwrap().unwrap().plan, renamed);
    // A task added later; a task of a plan that does not exist is refused.
    let extra = s.insert_task(&Task { plan: renamed.id, ..task("Tuyên truyền", "X3") }, "canbo").await.unwrap();
    assert_eq!(s.plan(renamed.id).await.unwrap().unwrap().tasks.len(), 3);
    assert_eq!(extra.version, 1);
    assert!(matches!(s.insert_task(&Task { plan: 999_999, ..task("Lạc", "X1") }, "canbo").await, Err(StoreError::NotFound(_))));
    // Every change is audited under the plan's unit.
    let audit = s.audit(&AuditFilter { unit_code: Some("X1".into()), ..AuditFilter::default() }).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    for a in ["thêm kế hoạch", "sửa nhiệm vụ", "sửa kế hoạch", "thêm nhiệm vụ"] {
        assert!(actions.contains(&a), "{a}: {actions:?}");
    }
}

pub async fn a_plan_with_a_task_of_an_unknown_unit_stores_nothing(s: &dyn Store) {
    super::known_units(s).await;
    let r = s.insert_plan(&plan(), &[task("Rà soát", "X1"), task("Lạc", "KHONG-CO")], "canbo", "nhập kế hoạch từ Excel").await;
    assert!(r.is_err(), "{r:?}");
    assert!(s.plans(&["X1".into()]).await.unwrap().is_empty());
    // Nothing half-written: the same plan goes in afterwards.
    s.insert_plan(&plan(), &[task("Rà soát", "X1")], "canbo", "thêm kế hoạch").await.unwrap();
}

pub async fn the_documents_register_is_searched_and_versioned(s: &dyn Store) {
    super::known_units(s).await;
    let doc = |number: &str, date, kind, direction, summary: &str| Document {
        id: 0,
        unit: "X1".into(),
        kind,
        direction,
        number: number.into(),
        date,
        issuer: "UBND huyện".into(),
        summary: summary.into(),
    };
    let a = s
        .insert_document(&doc("106/UBND-NV", d(2022, 1, 12), DocKind::CongVan, Direction::Issued, "khắc phục tồn tại, hạn chế"), "vt")
        .await
        .unwrap();
    let b = s
        .insert_document(&doc("158/KH-UBND", d(2022, 1, 17), DocKind::KeHoach, Direction::Issued, "Kế hoạch CCHC năm 2022"), "vt")
        .await
        .unwrap();
    let c = s
        .insert_document(&doc("355/SNV-CCHC", d(2022, 3, 4), DocKind::HuongDan, Direction::Received, "hướng dẫn chế độ báo cáo"), "vt")
        .await
        .unwrap();
    assert!(matches!(
        s.insert_document(&doc("106/UBND-NV", d(2022, 1, 12), DocKind::CongVan, Direction::Issued, "lần nữa"), "vt").await,
        Err(StoreError::Invalid(_))
    ));
    let q = |f: fn(&mut DocumentQuery)| {
        let mut q = DocumentQuery { units: vec!["X1".into()], limit: 100, ..DocumentQuery::default() };
        f(&mut q);
        q
    };
    let ids = |v: Vec<crate::Versioned<Document>>| v.into_iter().map(|d| d.value.id).collect::<Vec<_>>();
    assert_eq!(ids(s.documents(&q(|_| {})).await.unwrap()), vec![c.value.id, b.value.id, a.value.id]);
    assert_eq!(ids(s.documents(&q(|q| q.text = "KHẮC PHỤC".into())).await.unwrap()), vec![a.value.id]);
    assert_eq!(ids(s.documents(&q(|q| q.text = "158/kh".into())).await.unwrap()), vec![b.value.id]);
    assert_eq!(ids(s.documents(&q(|q| q.direction = Some(Direction::Received))).await.unwrap()), vec![c.value.id]);
    assert_eq!(ids(s.documents(&q(|q| q.kind = Some(DocKind::KeHoach))).await.unwrap()), vec![b.value.id]);
    assert_eq!(ids(s.documents(&q(|q| (q.from, q.to) = (Some(d(2022, 1, 13)), Some(d(2022, 3, 3))))).await.unwrap()), vec![b.value.id]);
    assert!(s.documents(&DocumentQuery { units: vec!["X2".into()], limit: 100, ..DocumentQuery::default() }).await.unwrap().is_empty());
    // Versions: a stale change is a conflict, the stored document unchanged.
    let mut changed = a.value.clone();
    changed.summary = "khắc phục tồn tại, hạn chế và các tiêu chí bị trừ điểm".into();
    assert_eq!(s.update_document(&changed, 1, "vt").await.unwrap(), 2);
    assert!(matches!(s.update_document(&a.value, 1, "vt").await, Err(StoreError::Conflict { expected: 1, found: 2 })));
    assert_eq!(s.document(a.value.id).await.unwrap().unwrap().value, changed);
    assert_eq!(ids(s.documents(&q(|q| q.text = "trừ điểm".into())).await.unwrap()), vec![a.value.id]);
}

/// A task's evidence file is kept with the task in one write: the bytes read back exactly, the
/// task names the file at its next version, a stale version stores nothing, the change audited.
pub async fn a_task_keeps_its_evidence_file(s: &dyn Store) {
    super::known_units(s).await;
    let stored = s.insert_plan(&plan(), &[task("Rà soát TTHC", "X1")], "canbo", "thêm kế hoạch").await.unwrap();
    let t = stored.tasks[0].clone();
    let data: Vec<u8> = b"%PDF-1.7\n".iter().copied().chain((0..=255u8).cycle().take(70_000)).collect();
    let file = crate::NewTaskFile { name: "Báo cáo kết quả.pdf".into(), content_type: "application/pdf".into(), data: data.clone() };
    let (version, evidence) = s.attach_task_file(&t.value, t.version, &file, "canbo").await.unwrap();
    assert_eq!((version, evidence.name.as_str(), evidence.size), (t.version + 1, "Báo cáo kết quả.pdf", data.len() as u64));
    let read = s.task(t.value.id).await.unwrap().unwrap();
    assert_eq!((read.version, read.value.evidence_file.clone()), (version, Some(evidence.clone())));
    let kept = s.task_file(evidence.id).await.unwrap().unwrap();
    assert_eq!((kept.task, kept.content_type.as_str(), kept.data == data), (t.value.id, "application/pdf", true));
    // Based on the old version: refused, the task and its file unchanged.
    let stale = crate::NewTaskFile { name: "khac.pdf".into(), ..file };
    assert!(matches!(s.attach_task_file(&t.value, t.version, &stale, "canbo").await, Err(StoreError::Conflict { .. })));
    assert_eq!(s.task(t.value.id).await.unwrap().unwrap(), read);
    assert!(s.task_file(evidence.id + 1).await.unwrap().is_none(), "the refused file is not stored");
    let audit = s.audit(&AuditFilter::default()).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "đính kèm minh chứng" && e.new_value.as_deref().is_some_and(|v| v.contains("Báo cáo kết quả.pdf")))
    );
}
