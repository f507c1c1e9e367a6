//! Inspections (kiểm tra công tác CCHC, issue 14 item 3): the use cases on the year's inspection
//! plan, the inspections done, their findings and recommendations, and what a report takes from
//! them (the figures of the catalogue's `source` names, section I's lines).
//!
//! The plan itself is a plan of kind "Kiểm tra CCHC" of the plans register
//! ([`crate::plans`]); each unit it schedules is an [`Inspection`] naming it, planned until its
//! day is recorded. Who may do what: whoever reads the inspecting unit or the unit inspected
//! reads the inspection ([`access::can_read`]); the inspecting unit's keepers
//! ([`crate::plans::can_keep`]: its unit officer, the compiling office above, an administrator)
//! plan, record and add findings; the follow-up of a recommendation (its notes, the day it was
//! remedied) is recorded by them or by the inspected unit's keepers. Leaders read. Every change
//! is audited by the store in its transaction.

use std::collections::HashMap;

use cchc_catalogue::Catalogue;
use cchc_periods::{DateRange, Period, WindowRule};
use cchc_records::inspections::{self, Finding, FindingState, Inspection, UnitGroup};
use cchc_records::{Note, Plan, PlanKind};
use cchc_report::UnitReport;
use cchc_storage::inspections::{InspectionQuery, InspectionRecord};
use cchc_storage::{Store, StoreError, User, Versioned};
use cchc_units::{UnitKind, UnitTree};
use chrono::{Datelike, NaiveDate};

use crate::access;
use crate::app::App;
use crate::error::{Error, Problem, Result};
use crate::plans::can_keep;

const NO_READ: &str = "Bạn không có quyền xem công tác kiểm tra của đơn vị này.";
const NO_KEEP: &str = "Bạn không có quyền lập kế hoạch, ghi kết quả kiểm tra của đơn vị này.";
const NO_FOLLOW: &str = "Bạn không có quyền cập nhật kết quả khắc phục kiến nghị này: chỉ đơn vị kiểm tra và đơn vị được kiểm tra.";

/// How many inspections a list reads at most.
const LIST_LIMIT: i64 = 2_000;

/// How the report groups a unit inspected (1.3.1–1.3.3 of the default catalogue), by its kind.
pub fn group_of(kind: UnitKind) -> UnitGroup {
    match kind {
        UnitKind::CoQuanChuyenMon => UnitGroup::Agency,
        UnitKind::DonViSuNghiep | UnitKind::TrungTamHcc => UnitGroup::ServiceUnit,
        UnitKind::Xa | UnitKind::Phuong | UnitKind::ThiTran | UnitKind::DacKhu => UnitGroup::Commune,
        UnitKind::Tinh | UnitKind::Huyen => UnitGroup::Other,
    }
}

fn grouper(tree: &UnitTree) -> impl Fn(&str) -> UnitGroup + '_ {
    |code| tree.get(code).map_or(UnitGroup::Other, |u| group_of(u.kind))
}

fn name_of(tree: &UnitTree, code: &str) -> String {
    tree.get(code).map_or_else(|| code.to_string(), |u| u.name.clone())
}

fn conflict(what: &str) -> impl Fn(StoreError) -> Error + '_ {
    move |e| match e {
        StoreError::Conflict { expected, found } => Error::Conflict(format!(
            "{what} đã được người khác sửa (phiên bản hiện tại {found}, bạn đang sửa phiên bản {expected}); chưa lưu gì. Hãy tải lại rồi sửa lại."
        )),
        other => other.into(),
    }
}

fn invalid(summary: &str, problems: Vec<(&str, String)>) -> Error {
    Error::Invalid { summary: summary.into(), problems: problems.into_iter().map(|(f, m)| Problem::at(f, m)).collect() }
}

/// Which inspections [`list`] shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stage {
    #[default]
    All,
    /// Planned, not done yet.
    Planned,
    Done,
    /// Done, with a recommendation still open.
    Open,
}

impl Stage {
    pub fn from_slug(s: &str) -> Stage {
        match s {
            "planned" => Stage::Planned,
            "done" => Stage::Done,
            "open" => Stage::Open,
            _ => Stage::All,
        }
    }
}

/// What [`list`] is asked: the unit whose inspections (made by it or of it), a year, a stage,
/// a unit inspected, and text in the team, the conclusion, the findings or the unit's name.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The year (of the day done, else planned); `None`: every year.
    pub year: Option<i32>,
    pub stage: Stage,
    pub target: Option<String>,
    pub text: String,
}

/// An inspection as the list shows it.
#[derive(Debug, Clone)]
pub struct Row {
    pub record: InspectionRecord,
    /// The plan scheduling it, when any.
    pub plan: Option<Plan>,
    /// Each finding's state on the day of the list.
    pub states: Vec<FindingState>,
    /// Whether the acting user may record it and add findings (the inspecting unit's keepers).
    pub keep: bool,
    /// Whether the acting user may record the follow-up of its recommendations.
    pub follow_up: bool,
}

/// A unit's inspections (made by it and of it), its inspection plans and the year's figures.
#[derive(Debug, Clone)]
pub struct Inspections {
    pub unit: cchc_units::Unit,
    pub rows: Vec<Row>,
    /// The unit's plans of kind "Kiểm tra CCHC" (the plans its inspections may name).
    pub plans: Vec<Plan>,
    /// The figures of the unit's own inspections for the year asked (or today's), to the day.
    pub figures: inspections::Figures,
    /// The units directly below it that year ("11/26 đơn vị trực thuộc").
    pub subordinates: u64,
    pub can_keep: bool,
    /// The years its inspections were planned or done in, and the year of `today`, newest first
    /// (what a year selector offers).
    pub years: Vec<i32>,
}

/// `unit`'s inspections as of `today`, filtered.
pub async fn list(app: &App, actor: &User, unit: &str, filter: &Filter, today: NaiveDate) -> Result<Inspections> {
    let tree = app.tree().await?;
    let u = tree.get(unit).ok_or_else(|| Error::NotFound(format!("đơn vị {unit}")))?.clone();
    if !access::can_read(actor, &tree, unit) {
        return Err(Error::Forbidden(NO_READ.into()));
    }
    let units = vec![unit.to_string()];
    let records =
        app.store.inspections(&InspectionQuery { units: units.clone(), targets: units.clone(), plan: None, limit: LIST_LIMIT }).await?;
    let plans: Vec<Plan> = app.store.plans(&units).await?.into_iter().map(|p| p.plan).filter(|p| p.kind == PlanKind::KiemTra).collect();
    // The year's figures, to the day.
    let year = filter.year.unwrap_or(today.year());
    let window = year_window(year, today);
    let own: Vec<Inspection> = records.iter().filter(|r| r.inspection.unit == unit).map(|r| r.inspection.clone()).collect();
    let findings: Vec<Finding> =
        records.iter().filter(|r| r.inspection.unit == unit).flat_map(|r| r.findings.iter().map(|f| f.value.clone())).collect();
    let figures = inspections::Figures::of(
        unit,
        window,
        inspections::Records { plans: &plans, inspections: &own, findings: &findings },
        &grouper(&tree),
    );
    let subordinates = tree.children_in(unit, window.from, window.to).len() as u64;
    let mut years: Vec<i32> = records.iter().filter_map(|r| r.inspection.done_on.or(r.inspection.scheduled_on)).map(|d| d.year()).collect();
    years.push(today.year());
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    // The plans the rows name: the unit's own, and those of the units above it read once each.
    let mut plan_of: HashMap<i64, Option<Plan>> = plans.iter().map(|p| (p.id, Some(p.clone()))).collect();
    let text = filter.text.trim().to_lowercase();
    let mut rows = Vec::new();
    for r in records {
        let i = &r.inspection;
        let states: Vec<FindingState> = r.findings.iter().map(|f| f.value.state_on(today)).collect();
        let day = i.done_on.or(i.scheduled_on);
        let keep = match filter.stage {
            Stage::All => true,
            Stage::Planned => !i.done_by(today),
            Stage::Done => i.done_by(today),
            Stage::Open => states.iter().any(|s| s.is_open()),
        } && filter.year.is_none_or(|y| day.is_some_and(|d| d.year() == y))
            && filter.target.as_deref().is_none_or(|t| i.target == t)
            && (text.is_empty() || {
                let haystack = format!(
                    "{} {} {} {} {}",
                    i.target,
                    name_of(&tree, &i.target),
                    i.team,
                    i.conclusion,
                    r.findings.iter().map(|f| format!("{} {}", f.value.issue, f.value.recommendation)).collect::<Vec<_>>().join(" ")
                )
                .to_lowercase();
                haystack.contains(&text)
            });
        if !keep {
            continue;
        }
        let plan = match i.plan {
            None => None,
            Some(p) => {
                if let std::collections::hash_map::Entry::Vacant(e) = plan_of.entry(p) {
                    e.insert(app.store.plan(p).await?.map(|rec| rec.plan));
                }
                plan_of.get(&p).cloned().flatten()
            }
        };
        let keep = can_keep(actor, &tree, &i.unit);
        rows.push(Row { plan, states, keep, follow_up: keep || can_keep(actor, &tree, &i.target), record: r });
    }
    Ok(Inspections { unit: u, rows, plans, figures, subordinates, can_keep: can_keep(actor, &tree, unit), years })
}

/// The year `year` up to `today` when it is this year.
fn year_window(year: i32, today: NaiveDate) -> DateRange {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    DateRange { from, to: if today.year() == year { today } else { end } }
}

/// One inspection with its findings, and whether the acting user may record it (keep) and
/// follow its recommendations up.
pub async fn get(app: &App, actor: &User, id: i64) -> Result<(InspectionRecord, bool, bool)> {
    let tree = app.tree().await?;
    let r = app.store.inspection(id).await?.ok_or_else(|| Error::NotFound(format!("cuộc kiểm tra số {id}")))?;
    let i = &r.inspection;
    if !access::can_read(actor, &tree, &i.unit) && !access::can_read(actor, &tree, &i.target) {
        return Err(Error::NotFound(format!("cuộc kiểm tra số {id}")));
    }
    let keep = can_keep(actor, &tree, &i.unit);
    let follow = keep || can_keep(actor, &tree, &i.target);
    Ok((r, keep, follow))
}

/// The problems of an inspection against the unit tree and the plans register.
async fn inspection_problems(app: &App, tree: &UnitTree, i: &Inspection) -> Result<Vec<(&'static str, String)>> {
    let mut problems = i.problems(crate::plans::today());
    if !i.target.trim().is_empty() && i.target != i.unit {
        if tree.get(&i.target).is_none() {
            problems.push(("Đơn vị được kiểm tra", format!("không có đơn vị \"{}\"", i.target)));
        } else if !tree.is_within(&i.target, &i.unit) {
            problems.push((
                "Đơn vị được kiểm tra",
                format!("đơn vị {} không trực thuộc {}, không kiểm tra được", i.target, name_of(tree, &i.unit)),
            ));
        }
    }
    if let Some(p) = i.plan {
        match app.store.plan(p).await? {
            None => problems.push(("Kế hoạch kiểm tra", format!("không có kế hoạch số {p}"))),
            Some(rec) if rec.plan.unit != i.unit => problems
                .push(("Kế hoạch kiểm tra", format!("{} không phải kế hoạch của {}", rec.plan.short_citation(), name_of(tree, &i.unit)))),
            Some(rec) if rec.plan.kind != PlanKind::KiemTra => problems.push((
                "Kế hoạch kiểm tra",
                format!(
                    "{} là kế hoạch loại \"{}\", không phải kế hoạch kiểm tra CCHC",
                    rec.plan.short_citation(),
                    rec.plan.kind.name_vi()
                ),
            )),
            Some(_) => {}
        }
    }
    Ok(problems)
}

fn finding_problems(inspection: &Inspection, findings: &[Finding], out: &mut Vec<(&'static str, String)>) {
    let today = crate::plans::today();
    for (n, f) in findings.iter().enumerate() {
        for (field, m) in f.problems(inspection, today) {
            out.push((field, if findings.len() > 1 { format!("vấn đề {}: {m}", n + 1) } else { m }));
        }
    }
}

/// Adds an inspection of `inspection.unit`: planned (scheduled by its inspection plan, no day
/// done) or done, with the findings it made, all or nothing.
pub async fn create(app: &App, actor: &User, inspection: Inspection, findings: Vec<Finding>) -> Result<InspectionRecord> {
    let tree = app.tree().await?;
    if tree.get(&inspection.unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {}", inspection.unit)));
    }
    if !can_keep(actor, &tree, &inspection.unit) {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    let mut problems = inspection_problems(app, &tree, &inspection).await?;
    finding_problems(&inspection, &findings, &mut problems);
    if !problems.is_empty() {
        return Err(invalid("Cuộc kiểm tra chưa lưu được; hãy sửa các mục sau.", problems));
    }
    let action = if inspection.done_on.is_some() { "ghi kết quả kiểm tra" } else { "thêm cuộc kiểm tra theo kế hoạch" };
    Ok(app.store.insert_inspection(&inspection, &findings, &actor.username, action).await?)
}

/// Changes inspection `inspection.id` (its unit stays), based on `version`, adding `findings`:
/// by the inspecting unit's keepers; an inspection the actor does not read is not found.
pub async fn update(app: &App, actor: &User, inspection: Inspection, version: i64, findings: Vec<Finding>) -> Result<InspectionRecord> {
    let tree = app.tree().await?;
    let (stored, keep, _) = get(app, actor, inspection.id).await?;
    if !keep {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    let inspection = Inspection { unit: stored.inspection.unit.clone(), ..inspection };
    let mut problems = inspection_problems(app, &tree, &inspection).await?;
    finding_problems(&inspection, &findings, &mut problems);
    if stored.inspection.done_on.is_some() && inspection.done_on.is_none() && !stored.findings.is_empty() {
        problems.push(("Ngày kiểm tra", "cuộc kiểm tra đã có vấn đề phát hiện, không bỏ ngày kiểm tra được".into()));
    }
    if !problems.is_empty() {
        return Err(invalid("Cuộc kiểm tra chưa lưu được; hãy sửa các mục sau.", problems));
    }
    let action = if stored.inspection.done_on.is_none() && inspection.done_on.is_some() {
        "ghi kết quả kiểm tra"
    } else if inspection.done_on.is_none() && inspection.scheduled_on != stored.inspection.scheduled_on {
        "dời lịch kiểm tra"
    } else {
        "sửa cuộc kiểm tra"
    };
    app.store.update_inspection(&inspection, version, &findings, &actor.username, action).await.map_err(conflict("Cuộc kiểm tra"))
}

/// What an edit of an inspection changes; a field left `None` keeps what is stored (so the API
/// may send only the day to reschedule it).
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// The inspection plan scheduling it (`Some(None)`: unscheduled).
    pub plan: Option<Option<i64>>,
    pub target: Option<String>,
    pub team: Option<String>,
    pub scheduled_on: Option<Option<NaiveDate>>,
    pub done_on: Option<Option<NaiveDate>>,
    pub conclusion: Option<String>,
}

/// Edits inspection `id` based on `version` (reschedules a planned one: its day, team, unit
/// inspected or plan), through [`update`]: the same rules, refusals and audit ("dời lịch kiểm
/// tra" when only a planned day moves, "sửa cuộc kiểm tra" otherwise).
pub async fn edit(app: &App, actor: &User, id: i64, version: i64, changes: Changes) -> Result<InspectionRecord> {
    let (stored, keep, _) = get(app, actor, id).await?;
    if !keep {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    let mut i = stored.inspection;
    let text = |s: String| s.trim().to_string();
    if let Some(p) = changes.plan {
        i.plan = p;
    }
    if let Some(t) = changes.target {
        i.target = text(t);
    }
    if let Some(t) = changes.team {
        i.team = text(t);
    }
    if let Some(d) = changes.scheduled_on {
        i.scheduled_on = d;
    }
    if let Some(d) = changes.done_on {
        i.done_on = d;
    }
    if let Some(c) = changes.conclusion {
        i.conclusion = text(c);
    }
    update(app, actor, i, version, Vec::new()).await
}

/// What an inspection found, as recorded on a planned one.
#[derive(Debug, Clone, Default)]
pub struct Done {
    pub done_on: Option<NaiveDate>,
    /// The team, when it changed from the plan's (empty: as planned).
    pub team: String,
    pub conclusion: String,
    /// The issues found, each with its recommendation.
    pub findings: Vec<Finding>,
}

/// Records inspection `id` done, based on `version`: its day, team, conclusion and findings,
/// all in one write.
pub async fn record_done(app: &App, actor: &User, id: i64, version: i64, done: Done) -> Result<InspectionRecord> {
    let stored = app.store.inspection(id).await?.ok_or_else(|| Error::NotFound(format!("cuộc kiểm tra số {id}")))?;
    let Some(on) = done.done_on else {
        let p = Problem::at("Ngày kiểm tra", "chưa nhập ngày kiểm tra (dd/mm/yyyy).");
        return Err(Error::invalid_all(format!("Chưa lưu: {p}"), vec![p]));
    };
    let mut i = stored.inspection;
    i.done_on = Some(on);
    if !done.team.trim().is_empty() {
        i.team = done.team.trim().to_string();
    }
    if !done.conclusion.trim().is_empty() {
        i.conclusion = done.conclusion.trim().to_string();
    }
    let findings = done.findings.into_iter().map(|f| Finding { id: 0, inspection: id, ..f }).collect();
    update(app, actor, i, version, findings).await
}

/// Adds a finding (an issue and its recommendation) to a done inspection.
pub async fn add_finding(app: &App, actor: &User, finding: Finding) -> Result<Versioned<Finding>> {
    let (record, keep, _) = get(app, actor, finding.inspection).await?;
    if !keep {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    let mut problems = Vec::new();
    finding_problems(&record.inspection, std::slice::from_ref(&finding), &mut problems);
    if !problems.is_empty() {
        return Err(invalid("Vấn đề phát hiện chưa lưu được; hãy sửa các mục sau.", problems));
    }
    Ok(app.store.insert_finding(&finding, &actor.username).await?)
}

/// The follow-up of a recommendation: the day it was remedied (`None`: still open) and a note.
#[derive(Debug, Clone, Default)]
pub struct FollowUp {
    pub resolved_on: Option<NaiveDate>,
    /// Added dated today under the actor's name.
    pub note: Option<String>,
}

/// Records the follow-up of finding `id`, based on `version`: by the inspecting unit's or the
/// inspected unit's keepers. Closing it is giving the day it was remedied.
pub async fn follow_up(app: &App, actor: &User, id: i64, version: i64, follow: FollowUp) -> Result<Versioned<Finding>> {
    let stored = app.store.finding(id).await?.ok_or_else(|| Error::NotFound(format!("kiến nghị số {id}")))?;
    let (record, _, may) = get(app, actor, stored.value.inspection).await.map_err(|e| match e {
        Error::NotFound(_) => Error::NotFound(format!("kiến nghị số {id}")),
        e => e,
    })?;
    if !may {
        return Err(Error::Forbidden(NO_FOLLOW.into()));
    }
    let mut f = stored.value.clone();
    f.resolved_on = follow.resolved_on;
    if let Some(text) = follow.note.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) {
        f.notes.push(Note { on: crate::plans::today(), by: actor.username.clone(), text });
    }
    let problems = f.problems(&record.inspection, crate::plans::today());
    if !problems.is_empty() {
        return Err(invalid("Kết quả khắc phục chưa lưu được; hãy sửa các mục sau.", problems));
    }
    let action = match (stored.value.resolved_on, f.resolved_on) {
        (None, Some(_)) => "đóng kiến nghị",
        (Some(_), None) => "mở lại kiến nghị",
        _ => "theo dõi khắc phục kiến nghị",
    };
    let version = app.store.update_finding(&f, version, &actor.username, action).await.map_err(conflict("Kiến nghị"))?;
    Ok(Versioned { value: f, version })
}

/// A unit's inspection records, read without an actor (for the report, whose own use cases check
/// access): its plans of kind "Kiểm tra CCHC", the inspections it made and those of it, with their
/// findings.
pub async fn records_of(store: &dyn Store, unit: &str) -> Result<(Vec<Plan>, Vec<Inspection>, Vec<Finding>), StoreError> {
    let units = vec![unit.to_string()];
    let records = store.inspections(&InspectionQuery { units: units.clone(), targets: units.clone(), plan: None, limit: 10_000 }).await?;
    if records.is_empty() {
        return Ok(Default::default());
    }
    let plans = store.plans(&units).await?.into_iter().map(|p| p.plan).filter(|p| p.kind == PlanKind::KiemTra).collect();
    let mut inspections = Vec::new();
    let mut findings = Vec::new();
    for r in records {
        findings.extend(r.findings.into_iter().map(|f| f.value));
        inspections.push(r.inspection);
    }
    Ok((plans, inspections, findings))
}

/// The figures `unit`'s inspections give its report of `period`: the units inspected and the
/// issues of the period's own window; the plan's units planned and inspected as they stood at
/// the end of its cumulative window (lũy kế: the year's plan).
pub async fn figures_for(
    store: &dyn Store,
    tree: &UnitTree,
    rule: &WindowRule,
    unit: &str,
    period: Period,
) -> Result<inspections::Figures, StoreError> {
    let (plans, list, findings) = records_of(store, unit).await?;
    let records = inspections::Records { plans: &plans, inspections: &list, findings: &findings };
    let group = grouper(tree);
    let mut f = inspections::Figures::of(unit, rule.window(period), records, &group);
    f.plan = inspections::Figures::of(unit, rule.cumulative_window(period), records, &group).plan;
    Ok(f)
}

/// Replaces the entries of `report` that these records give (the catalogue's `source` names of
/// [`cchc_records::inspections::SOURCES`]) with the figures of `unit`'s inspections, when it keeps
/// them, as [`crate::plans::prefill`].
pub async fn prefill(
    store: &dyn Store,
    catalogue: &Catalogue,
    unit: &str,
    period: Period,
    rule: &WindowRule,
    report: &mut UnitReport,
) -> anyhow::Result<()> {
    let tree = store.unit_tree().await?;
    let f = figures_for(store, &tree, rule, unit, period).await?;
    let filled = inspections::prefill(&f, catalogue);
    report.replace_indicators(filled);
    Ok(())
}

/// What these records add to section I of `unit`'s report for `window`, as Markdown (empty
/// when nothing), after the plans and documents ([`crate::plans::section_one`]): the inspection
/// plans in force with the units planned and inspected ("11/26 đơn vị trực thuộc"), the
/// inspections of the window with what they found, and the recommendations still open with
/// their units; for a unit inspected, the inspections of it and what it still has to remedy.
pub async fn section_one(store: &dyn Store, tree: &UnitTree, unit: &str, window: DateRange) -> anyhow::Result<String> {
    let Some(u) = tree.get(unit) else { return Ok(String::new()) };
    let (plans, list, findings) = records_of(store, unit).await?;
    if list.is_empty() {
        return Ok(String::new());
    }
    let subordinates = tree.children_in(unit, window.from, window.to).len() as u64;
    let s = inspections::section_one(
        unit,
        window,
        inspections::Records { plans: &plans, inspections: &list, findings: &findings },
        Some(subordinates),
        &grouper(tree),
        &|c| name_of(tree, c),
    );
    Ok(if s.is_empty() { String::new() } else { s.markdown(&u.name) })
}

/// The demo province's records of this kind, consistent with its reports: called by
/// [`crate::demo::seed`] after the dossiers are generated and before the reports are made. The
/// province's inspection plan of 2026 schedules six units (its Department of Home Affairs, the
/// service centre and four communes); four are inspected by mid-September, with their findings,
/// some remedied; one commune is inspected unscheduled in April.
pub async fn seed_demo(store: &dyn Store, tree: &UnitTree) -> anyhow::Result<()> {
    let province = crate::demo::PROVINCE;
    if tree.get(province).is_none() {
        return Ok(());
    }
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(crate::demo::YEAR, m, day).expect("valid demo date");
    let by = "demo";
    let plan = Plan {
        id: 0,
        unit: province.into(),
        kind: PlanKind::KiemTra,
        number: "48/KH-UBND".into(),
        date: d(2, 20),
        issuer: "UBND tỉnh".into(),
        signer: "Nguyễn Văn Tỉnh".into(),
        summary: "kiểm tra công tác cải cách hành chính năm 2026".into(),
        valid_from: None,
        valid_to: None,
    };
    let plan = store.insert_plan(&plan, &[], by, "thêm kế hoạch").await?.plan;
    let team = "Đoàn kiểm tra CCHC tỉnh (Sở Nội vụ chủ trì)";
    let inspection =
        |target: &str, plan: Option<i64>, scheduled: Option<NaiveDate>, done: Option<NaiveDate>, conclusion: &str| Inspection {
            id: 0,
            unit: province.into(),
            plan,
            target: target.into(),
            team: team.into(),
            scheduled_on: scheduled,
            done_on: done,
            conclusion: conclusion.into(),
        };
    let finding = |issue: &str, recommendation: &str, deadline: NaiveDate, resolved: Option<NaiveDate>| Finding {
        id: 0,
        inspection: 0,
        issue: issue.into(),
        recommendation: recommendation.into(),
        deadline: Some(deadline),
        resolved_on: resolved,
        notes: Vec::new(),
    };
    let p = Some(plan.id);
    let seeded: Vec<(Inspection, Vec<Finding>)> = vec![
        (
            inspection(
                "99203N",
                None,
                None,
                Some(d(4, 3)),
                "Kiểm tra đột xuất việc chấp hành kỷ luật, kỷ cương hành chính tại Bộ phận Một cửa.",
            ),
            vec![finding(
                "Công chức Bộ phận Một cửa không đeo thẻ công chức khi làm việc",
                "chấn chỉnh việc đeo thẻ, niêm yết lịch trực",
                d(4, 30),
                Some(d(4, 20)),
            )],
        ),
        (
            inspection("99-SNV", p, Some(d(5, 12)), Some(d(5, 12)), "Công tác CCHC được triển khai khá tốt, đúng kế hoạch."),
            vec![finding(
                "Chưa cập nhật kịp thời quy trình nội bộ giải quyết TTHC sau khi thủ tục được sửa đổi",
                "rà soát, cập nhật quy trình nội bộ trên Hệ thống thông tin giải quyết TTHC",
                d(6, 30),
                Some(d(6, 5)),
            )],
        ),
        (
            inspection("99101N", p, Some(d(5, 20)), Some(d(5, 21)), "Cơ bản thực hiện đúng kế hoạch; còn một số tồn tại, hạn chế."),
            vec![
                finding(
                    "Còn hồ sơ giải quyết trễ hạn trên Hệ thống thông tin giải quyết TTHC",
                    "xin lỗi người dân đúng quy định, theo dõi hạn giải quyết hằng ngày",
                    d(7, 31),
                    Some(d(7, 15)),
                ),
                finding(
                    "Chưa công khai đầy đủ tiến độ giải quyết hồ sơ tại Bộ phận Một cửa",
                    "công khai tiến độ giải quyết hồ sơ trên màn hình tại Bộ phận Một cửa",
                    d(7, 31),
                    None,
                ),
                finding(
                    "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC còn thấp",
                    "số hóa kết quả giải quyết TTHC còn hiệu lực lĩnh vực hộ tịch",
                    d(9, 30),
                    None,
                ),
            ],
        ),
        (
            inspection(
                "99201N",
                p,
                Some(d(6, 10)),
                Some(d(6, 11)),
                "Thực hiện tốt việc công khai TTHC; việc dùng chữ ký số chưa thường xuyên.",
            ),
            vec![
                finding(
                    "Niêm yết TTHC tại Bộ phận Một cửa chưa cập nhật các thủ tục mới công bố",
                    "cập nhật niêm yết TTHC",
                    d(6, 30),
                    Some(d(7, 10)),
                ),
                finding(
                    "Chưa sử dụng thường xuyên chữ ký số trong gửi, nhận văn bản điện tử",
                    "ký số toàn bộ văn bản đi",
                    d(8, 31),
                    Some(d(8, 20)),
                ),
            ],
        ),
        (
            inspection("99301N", p, Some(d(9, 15)), Some(d(9, 17)), "Thực hiện khá tốt nhiệm vụ CCHC."),
            vec![finding(
                "Chưa thanh toán trực tuyến phí, lệ phí đối với một số thủ tục đủ điều kiện",
                "hướng dẫn người dân thanh toán trực tuyến",
                d(12, 31),
                None,
            )],
        ),
        (inspection("99-TTHCC", p, Some(d(10, 20)), None, ""), vec![]),
        (inspection("99303N", p, Some(d(11, 12)), None, ""), vec![]),
    ];
    for (i, findings) in seeded {
        if tree.get(&i.target).is_none() {
            continue;
        }
        let action = if i.done_on.is_some() { "ghi kết quả kiểm tra" } else { "thêm cuộc kiểm tra theo kế hoạch" };
        store.insert_inspection(&i, &findings, by, action).await?;
    }
    Ok(())
}
