//! The contract of [`crate::InspectionStore`]: inspections (kiểm tra công tác CCHC): the year's inspection plan, the inspections done, their findings and recommendations with their follow-up (issue 14, item 3).

use cchc_records::inspections::{Finding, Inspection};
use cchc_records::{Plan, PlanKind};
use chrono::NaiveDate;

use crate::inspections::InspectionQuery;
use crate::{AuditFilter, Store, StoreError, Versioned};

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, m, day).unwrap()
}

fn planned(target: &str, plan: Option<i64>) -> Inspection {
    Inspection {
        id: 0,
        unit: "X1".into(),
        plan,
        target: target.into(),
        team: "Đoàn kiểm tra CCHC huyện".into(),
        scheduled_on: Some(d(6, 1)),
        done_on: None,
        conclusion: String::new(),
    }
}

fn finding(issue: &str) -> Finding {
    Finding {
        id: 0,
        inspection: 0,
        issue: issue.into(),
        recommendation: "khắc phục trước 30/09/2021".into(),
        deadline: Some(d(9, 30)),
        resolved_on: None,
        notes: vec![],
    }
}

/// Every check of [`crate::InspectionStore`] (one entry of the suite, so its checks are added here).
pub async fn inspections_contract(s: &dyn Store) {
    super::known_units(s).await;
    inspections_round_trip_with_versions(s).await;
    an_inspection_of_an_unknown_unit_stores_nothing(s).await;
}

async fn inspections_round_trip_with_versions(s: &dyn Store) {
    let plan = Plan {
        id: 0,
        unit: "X1".into(),
        kind: PlanKind::KiemTra,
        number: "33/KH-UBND".into(),
        date: d(3, 16),
        issuer: "UBND huyện".into(),
        signer: String::new(),
        summary: "kiểm tra cải cách hành chính năm 2021".into(),
        valid_from: None,
        valid_to: None,
    };
    let plan = s.insert_plan(&plan, &[], "canbo", "thêm kế hoạch").await.unwrap().plan;
    // The plan schedules two units; an unscheduled inspection of a third is done with two findings.
    let a = s.insert_inspection(&planned("X2", Some(plan.id)), &[], "canbo", "thêm cuộc kiểm tra theo kế hoạch").await.unwrap();
    assert!(a.inspection.id > 0);
    assert_eq!((a.version, a.findings.len()), (1, 0));
    let b = s.insert_inspection(&planned("X3", Some(plan.id)), &[], "canbo", "thêm cuộc kiểm tra theo kế hoạch").await.unwrap();
    let done = Inspection { plan: None, done_on: Some(d(5, 4)), scheduled_on: None, ..planned("X3", None) };
    let c = s
        .insert_inspection(&done, &[finding("Hồ sơ trễ hạn"), finding("Chưa công khai tiến độ")], "canbo", "ghi kết quả kiểm tra")
        .await
        .unwrap();
    assert_eq!(c.findings.len(), 2);
    assert!(c.findings.iter().all(|f| f.value.inspection == c.inspection.id && f.value.id > 0 && f.version == 1));
    assert_eq!(s.inspection(c.inspection.id).await.unwrap().unwrap(), c);
    assert_eq!(s.inspection(999_999).await.unwrap(), None);

    // Searches: by the inspecting unit, by the unit inspected, by plan; the latest first.
    let ids = |v: Vec<crate::inspections::InspectionRecord>| v.into_iter().map(|r| r.inspection.id).collect::<Vec<_>>();
    let q = |units: &[&str], targets: &[&str], plan: Option<i64>| InspectionQuery {
        units: units.iter().map(|u| u.to_string()).collect(),
        targets: targets.iter().map(|u| u.to_string()).collect(),
        plan,
        limit: 100,
    };
    assert_eq!(ids(s.inspections(&q(&["X1"], &[], None)).await.unwrap()), vec![b.inspection.id, a.inspection.id, c.inspection.id]);
    assert_eq!(ids(s.inspections(&q(&[], &["X3"], None)).await.unwrap()), vec![b.inspection.id, c.inspection.id]);
    assert_eq!(ids(s.inspections(&q(&["X2"], &["X3"], Some(plan.id))).await.unwrap()), vec![b.inspection.id]);
    assert!(s.inspections(&q(&["X2"], &[], None)).await.unwrap().is_empty());
    assert!(s.inspections(&q(&[], &[], None)).await.unwrap().is_empty());

    // Recording the planned one done with a finding: one write; a stale version writes nothing.
    let recorded = Inspection { done_on: Some(d(6, 2)), conclusion: "Thực hiện khá tốt".into(), ..a.inspection.clone() };
    let after =
        s.update_inspection(&recorded, 1, &[finding("Chưa dùng chữ ký số thường xuyên")], "canbo", "ghi kết quả kiểm tra").await.unwrap();
    assert_eq!((after.version, after.inspection.clone(), after.findings.len()), (2, recorded.clone(), 1));
    let stale = Inspection { conclusion: "Sửa đè".into(), ..a.inspection.clone() };
    let e = s.update_inspection(&stale, 1, &[finding("Lạc")], "khac", "ghi kết quả kiểm tra").await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict { expected: 1, found: 2 }), "{e:?}");
    assert_eq!(s.inspection(a.inspection.id).await.unwrap().unwrap(), after);
    let moved = Inspection { unit: "X2".into(), ..recorded.clone() };
    assert!(matches!(s.update_inspection(&moved, 2, &[], "canbo", "sửa").await, Err(StoreError::Invalid(_))));

    // A recommendation followed up and closed; a stale close is a conflict.
    let f = &c.findings[0];
    let closed = Finding { resolved_on: Some(d(7, 1)), ..f.value.clone() };
    assert_eq!(s.update_finding(&closed, 1, "xa3", "đóng kiến nghị").await.unwrap(), 2);
    let e = s.update_finding(&f.value, 1, "khac", "theo dõi khắc phục kiến nghị").await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict { expected: 1, found: 2 }), "{e:?}");
    assert_eq!(s.finding(f.value.id).await.unwrap().unwrap(), Versioned { value: closed.clone(), version: 2 });
    let elsewhere = Finding { inspection: a.inspection.id, ..closed.clone() };
    assert!(matches!(s.update_finding(&elsewhere, 2, "canbo", "sửa").await, Err(StoreError::Invalid(_))));
    let extra = s.insert_finding(&Finding { inspection: c.inspection.id, ..finding("Niêm yết TTHC chưa đầy đủ") }, "canbo").await.unwrap();
    assert_eq!(extra.version, 1);
    assert_eq!(s.inspection(c.inspection.id).await.unwrap().unwrap().findings.len(), 3);
    assert!(matches!(s.insert_finding(&Finding { inspection: 999_999, ..finding("Lạc") }, "canbo").await, Err(StoreError::NotFound(_))));
    assert!(matches!(s.update_finding(&Finding { id: 999_999, ..closed }, 1, "canbo", "sửa").await, Err(StoreError::NotFound(_))));

    // Every change audited under the inspecting unit.
    let audit = s.audit(&AuditFilter { unit_code: Some("X1".into()), ..AuditFilter::default() }).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    for a in ["thêm cuộc kiểm tra theo kế hoạch", "ghi kết quả kiểm tra", "đóng kiến nghị", "thêm vấn đề phát hiện, kiến nghị"]
    {
        assert!(actions.contains(&a), "{a}: {actions:?}");
    }
    assert_eq!(actions.iter().filter(|a| **a == "ghi kết quả kiểm tra").count(), 2, "{actions:?}");
}

async fn an_inspection_of_an_unknown_unit_stores_nothing(s: &dyn Store) {
    let before = s.inspections(&InspectionQuery { units: vec!["X2".into()], limit: 100, ..Default::default() }).await.unwrap().len();
    let lost = Inspection { unit: "X2".into(), target: "KHONG-CO".into(), done_on: Some(d(5, 4)), ..planned("X3", None) };
    assert!(s.insert_inspection(&lost, &[finding("Lạc")], "canbo", "ghi kết quả kiểm tra").await.is_err());
    // Nor one naming a plan that does not exist.
    let no_plan = Inspection { unit: "X2".into(), ..planned("X3", Some(999_999)) };
    assert!(s.insert_inspection(&no_plan, &[], "canbo", "thêm cuộc kiểm tra theo kế hoạch").await.is_err());
    let q = InspectionQuery { units: vec!["X2".into()], targets: vec!["KHONG-CO".into()], limit: 100, ..Default::default() };
    assert_eq!(s.inspections(&q).await.unwrap().len(), before);
    let audit = s.audit(&AuditFilter { unit_code: Some("X2".into()), ..AuditFilter::default() }).await.unwrap();
    assert!(audit.iter().all(|a| a.action != "ghi kết quả kiểm tra"), "{audit:?}");
    // Nothing half-written: the same inspection of a known unit goes in afterwards.
    let ok = Inspection { target: "X3".into(), ..lost };
    let stored = s.insert_inspection(&ok, &[finding("Lạc")], "canbo", "ghi kết quả kiểm tra").await.unwrap();
    assert_eq!(stored.findings.len(), 1);
}
