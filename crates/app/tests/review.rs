//! The compiling officer's review: a commune far from the other communes of its district is
//! shown (modified z-score, thresholds from the catalogue's limits); access is checked; and an
//! incomplete report needs an explanation to be sent.

mod common;

use cchc_app::reports::{self, Step};
use cchc_app::{App, Error, review};
use cchc_periods::Period;
use cchc_report::workflow::Action;
use cchc_report::{Key, UnitRef, UnitReport, Value};
use cchc_storage::Role;
use cchc_units::UnitKind;
use common::user;

const DISTRICT: &str = "30-TM";
const COMMUNES: [(&str, i64); 5] = [("30-TM-A", 12), ("30-TM-B", 15), ("30-TM-C", 9), ("30-TM-D", 14), ("30-TM-E", 1000)];

fn period() -> Period {
    "2022-H1".parse().unwrap()
}

fn commune(code: &str, figures: &[(&str, i64)]) -> UnitReport {
    let u = UnitRef { code: code.into(), name: format!("Xã {code}"), kind: UnitKind::Xa, parent: None };
    let mut r = UnitReport::new("vn-default@2022.1", u, period());
    for (key, n) in figures {
        r.set(Key::parse(key).unwrap(), Some(Value::Int(*n)));
    }
    r
}

async fn district() -> App {
    let u = common::unit;
    let mut units = vec![u("30", UnitKind::Tinh, None), u(DISTRICT, UnitKind::Huyen, Some("30"))];
    units.extend(COMMUNES.iter().map(|(code, _)| u(code, UnitKind::Xa, Some(DISTRICT))));
    let store = common::store_with(&units).await;
    for (code, directives) in COMMUNES {
        store.save_report(&commune(code, &[("1.1", directives)]), None, "xa").await.unwrap();
    }
    App::load(store).await.unwrap()
}

#[tokio::test]
async fn a_commune_far_from_the_others_of_its_district_is_shown_to_the_reviewer() {
    let app = district().await;
    let out = review::outliers(&app, &user(Role::Compiler, DISTRICT), DISTRICT, period()).await.unwrap();
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!((out[0].unit.as_str(), out[0].indicator.as_str()), ("30-TM-E", "1.1"));
    assert!(out[0].message.starts_with("Xã 30-TM-E: chỉ tiêu 1.1"), "{}", out[0].message);
    // Another period has no reports: nothing to compare.
    assert!(review::outliers(&app, &user(Role::Admin, ""), DISTRICT, "2023-H1".parse().unwrap()).await.unwrap().is_empty());
    // A commune's officer cannot see the district's communes; an unknown unit is not found.
    let e = review::outliers(&app, &user(Role::UnitOfficer, "30-TM-A"), DISTRICT, period()).await.unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
    assert!(matches!(review::outliers(&app, &user(Role::Admin, ""), "99", period()).await, Err(Error::NotFound(_))));
}

#[tokio::test]
async fn an_incomplete_report_is_sent_only_with_an_explanation() {
    let app = district().await;
    // A commune's yearly report holding one of the figures the default catalogue requires.
    let mut year = commune("30-TM-A", &[("1.1", 30)]);
    year.period = "2022-Y".parse().unwrap();
    app.store.save_report(&year, None, "xa").await.unwrap();
    let clerk = user(Role::UnitOfficer, "30-TM-A");
    let record = reports::record(&app, &clerk, "30-TM-A", year.period).await.unwrap();
    let findings = reports::findings(&app, &clerk, "30-TM-A", year.period).await.unwrap();
    let required = findings.iter().find(|f| f.rule == "auto:required").expect("the report states 1 of the required figures");
    assert!(required.message.contains("còn thiếu 6 chỉ tiêu bắt buộc"), "{}", required.message);
    let send = |explanation: Option<&str>| Step {
        action: Some(Action::Submit),
        version: record.version,
        reason: None,
        explanation: explanation.map(Into::into),
        ..Default::default()
    };
    let e = reports::act(&app, &clerk, "30-TM-A", year.period, &send(None)).await.unwrap_err();
    assert!(e.to_string().contains("hãy ghi giải trình"), "{e}");
    reports::act(&app, &clerk, "30-TM-A", year.period, &send(Some("Xã chưa tổng hợp số liệu thủ tục hành chính"))).await.unwrap();
    // The half-year's report is not held to the set: it goes without an explanation.
    let half = reports::record(&app, &clerk, "30-TM-A", period()).await.unwrap();
    let step = Step { action: Some(Action::Submit), version: half.version, ..Default::default() };
    reports::act(&app, &clerk, "30-TM-A", period(), &step).await.unwrap();
}
