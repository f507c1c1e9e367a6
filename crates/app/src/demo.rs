//! The demo province (`cchc serve --demo`): units with the 2025 mergers, a year of generated
//! dossiers, reports of the communes in every workflow status, and one user per role.
//!
//! Seeding is idempotent: when the demo administrator already exists nothing is written, so the
//! same database can be started twice.

use anyhow::Result;
use cchc_catalogue::Catalogue;
use cchc_periods::{Period, WindowRule};
use cchc_report::workflow::Action;
use cchc_storage::{Role, Store, User};
use cchc_units::UnitTree;
use chrono::{Days, NaiveDateTime};

/// The demo units, compiled into the binary so the demo needs no file beside it.
const UNITS_JSON: &str = include_str!("../../../data/demo/units.json");

/// The demo's province, year and the password of every demo account.
pub const PROVINCE: &str = "99";
pub const YEAR: i32 = 2026;
pub const PASSWORD: &str = "demo@2026";

/// A demo account, printed at start.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: &'static str,
    pub full_name: &'static str,
    pub role: Role,
    pub unit: &'static str,
}

/// One account per role; two commune officers so that scoping can be tried; and the compiling
/// office of a district of the time before 1/7/2025, which compiles its communes' reports of the
/// first half of 2025.
pub const ACCOUNTS: [DemoAccount; 6] = [
    DemoAccount { username: "quantri", full_name: "Nguyễn Văn Quản", role: Role::Admin, unit: PROVINCE },
    DemoAccount { username: "tonghop", full_name: "Trần Thị Hợp", role: Role::Compiler, unit: PROVINCE },
    DemoAccount { username: "lanhdao", full_name: "Lê Văn Đạo", role: Role::Leader, unit: PROVINCE },
    DemoAccount { username: "sonha", full_name: "Phạm Thị Hà", role: Role::UnitOfficer, unit: "99101N" },
    DemoAccount { username: "lacgiang", full_name: "Hoàng Văn Giang", role: Role::UnitOfficer, unit: "99201N" },
    DemoAccount { username: "nvsonha", full_name: "Đặng Thị Nội", role: Role::Compiler, unit: DISTRICT },
];

/// Gives a generated dossier of a commune with a demo officer (Sơn Hà, Lạc Giang) its people:
/// that officer received it, is its handler (assigned at receipt) and recorded its events. The
/// applicant comes from the generator ([`cchc_dossiers::generate::applicant`]).
pub fn people(d: &mut cchc_dossiers::Dossier) {
    let Some(officer) = ACCOUNTS.iter().find(|a| a.role == Role::UnitOfficer && a.unit == d.unit) else { return };
    for e in &mut d.events {
        e.by = Some(officer.username.into());
    }
    if let Some(received) = d.events.first() {
        d.handler = Some(officer.username.into());
        d.assignments = vec![cchc_dossiers::Assignment { at: received.at, by: officer.username.into(), handler: officer.username.into() }];
    }
}

/// The district of the demo's history (huyện Sơn Hà, dissolved on 1/7/2025) whose communes sent
/// their reports of the first half of 2025.
pub const DISTRICT: &str = "991";

/// The year before the demo's, across the 2025 reorganisation: its dossiers are received by the
/// communes of the districts until 30/06/2025 and by the merged communes from 1/7/2025.
pub const HISTORY_YEAR: i32 = 2025;

/// The figures the demo's communes state besides the ledger's, as data (`data/demo/figures.json`).
const FIGURES_JSON: &str = include_str!("../../../data/demo/figures.json");

/// What seeding did, for the start-up message.
#[derive(Debug, Clone, Copy)]
pub struct Seeded {
    pub fresh: bool,
    pub dossiers: usize,
    pub reports: usize,
}

/// Seeds the demo province unless it is already there.
pub async fn seed(store: &dyn Store, catalogue: &Catalogue, dossiers: usize) -> Result<Seeded> {
    if store.user(ACCOUNTS[0].username).await?.is_some() {
        return Ok(Seeded { fresh: false, dossiers: 0, reports: 0 });
    }
    // The demo's reports follow the shipped catalogue, which is never stored as a copy.
    let file = cchc_units::file::UnitsFile::parse(UNITS_JSON).map_err(|e| anyhow::anyhow!("danh sách đơn vị mẫu: {e}"))?;
    store.upsert_units(&file.units, &file.lineage).await?;
    let tree = store.unit_tree().await?;
    crate::plans::seed_demo(store).await?;
    seed_dossiers(store, &tree, dossiers).await?;
    crate::inspections::seed_demo(store, &tree).await?;
    crate::feedback::seed_demo(store, &tree).await?;
    crate::survey::seed_demo(store, &tree).await?;
    let reports = seed_reports(store, &tree, catalogue).await?;
    seed_users(store).await?;
    Ok(Seeded { fresh: true, dossiers, reports })
}

/// The demo's ledger ends now: nothing received after this moment, no result returned in the
/// future (the generator's year runs to 31/12).
async fn seed_dossiers(store: &dyn Store, tree: &UnitTree, n: usize) -> Result<()> {
    let now = Some(cchc_storage::now());
    crate::dossiers::generate_into_store_until(store, tree, PROVINCE, n / 2, HISTORY_YEAR, 2025, now).await?;
    crate::dossiers::generate_into_store_until(store, tree, PROVINCE, n, YEAR, 2026, now).await?;
    Ok(())
}

/// The statuses the communes' reports are left in, per period, so every status can be seen.
fn demo_plan() -> Vec<(Period, &'static str, &'static [Action])> {
    let q1 = Period::quarter(YEAR, 1);
    let h1 = Period::half(YEAR, 1);
    let year = Period::year(YEAR);
    let history = Period::half(HISTORY_YEAR, 1);
    vec![
        (q1, "99101N", &[Action::Submit, Action::Approve, Action::Lock]),
        (q1, "99201N", &[Action::Submit, Action::Approve]),
        (q1, "99103N", &[Action::Submit]),
        (h1, "99101N", &[]),
        (h1, "99103N", &[Action::Submit, Action::Approve]),
        (h1, "99201N", &[Action::Submit]),
        (h1, "99203N", &[Action::Submit, Action::Return]),
        (h1, "99301N", &[Action::Submit]),
        // 99303N has sent nothing for 2026-H1: the compiling office sees it missing.
        (year, "99101N", &[]),
        (year, "99201N", &[]),
        // The communes of huyện Sơn Hà sent their reports of the first half of 2025, but 99105,
        // and the district's compiling office approved them: ready to compile.
        (history, "99101", &[Action::Submit, Action::Approve]),
        (history, "99102", &[Action::Submit, Action::Approve]),
        (history, "99103", &[Action::Submit, Action::Approve]),
        (history, "99104", &[Action::Submit]),
    ]
}

/// The commune that sends its 6-month report late in the demo, so that lateness can be seen.
const LATE_UNIT: &str = "99301N";

/// When the demo's `step`-th workflow step of a report happened: sent the day after the cut-off
/// (on time), or four days after the due date for the late one; each later step a day after.
fn step_time(period: Period, unit: &str, step: usize, rule: &WindowRule, calendar: &cchc_calendar::WorkCalendar) -> NaiveDateTime {
    let sent = if unit == LATE_UNIT && period == Period::half(YEAR, 1) {
        rule.due_date(period, |d| calendar.is_working_day(d)) + Days::new(4)
    } else {
        rule.cutoff(period) + Days::new(1)
    };
    (sent + Days::new(step as u64)).and_hms_opt(9, 30, 0).expect("valid time")
}

async fn seed_reports(store: &dyn Store, tree: &UnitTree, catalogue: &Catalogue) -> Result<usize> {
    let rule = WindowRule::default();
    let calendar = crate::calendar::work_calendar(store).await?;
    let plan = demo_plan();
    let figures = demo_figures(catalogue)?;
    for (period, unit, actions) in &plan {
        let (mut report, version) = crate::dossiers::prefilled_report(store, tree, catalogue, unit, *period, &rule).await?;
        report.narrative.insert(
            "I".into(),
            format!(
                "Ủy ban nhân dân xã đã ban hành Kế hoạch cải cách hành chính năm {} và triển khai đến các bộ phận, công chức.\n{{{{số liệu}}}}",
                period.year
            ),
        );
        if period.year == HISTORY_YEAR {
            for (key, value) in &figures {
                report.set(key.clone(), Some(value.clone()));
            }
        }
        let mut record = store.save_report(&report, version, "demo").await?;
        for (step, action) in actions.iter().enumerate() {
            let reason = (*action == Action::Return).then_some("Đề nghị bổ sung số liệu Biểu mẫu 1 (kế hoạch, văn bản chỉ đạo).");
            let at = step_time(*period, unit, step, &rule, &calendar);
            record = store.transition_at(unit, *period, *action, reason, "demo", record.version, at).await?;
        }
    }
    Ok(plan.len())
}

/// The figures of `data/demo/figures.json`, each checked against the catalogue.
fn demo_figures(catalogue: &Catalogue) -> Result<Vec<(cchc_report::Key, cchc_report::Value)>> {
    #[derive(serde::Deserialize)]
    struct File {
        figures: std::collections::BTreeMap<String, serde_json::Value>,
    }
    let file: File = serde_json::from_str(FIGURES_JSON).map_err(|e| anyhow::anyhow!("số liệu mẫu: {e}"))?;
    file.figures
        .into_iter()
        .map(|(code, json)| {
            let ind = catalogue.indicator(&code).ok_or_else(|| anyhow::anyhow!("số liệu mẫu: không có chỉ tiêu {code}"))?;
            let value = cchc_report::file::parse_value(&json, ind).map_err(|e| anyhow::anyhow!("số liệu mẫu, chỉ tiêu {code}: {e}"))?;
            Ok((cchc_report::Key::total(&code), value))
        })
        .collect()
}

async fn seed_users(store: &dyn Store) -> Result<()> {
    let hash = crate::accounts::hash_password(PASSWORD)?;
    for a in &ACCOUNTS {
        let user = User {
            username: a.username.into(),
            full_name: a.full_name.into(),
            role: a.role,
            unit_code: a.unit.into(),
            password_hash: hash.clone(),
            active: true,
        };
        store.upsert_user(&user).await?;
    }
    Ok(())
}
