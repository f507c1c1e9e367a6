//! Inspections (kiểm tra công tác CCHC): the year's inspection plan (the units to inspect, by
//! whom, when), the inspections done, their findings, the recommendations (kiến nghị) and their
//! follow-up; "đã kiểm tra 11/26 đơn vị" and the open recommendations are derived from them.
//!
//! - The plan is a [`Plan`] of kind [`PlanKind::KiemTra`] in the plans register (number, date,
//!   signer: "Kế hoạch số 33/KH-UBND ngày 16/03/2021 … kiểm tra cải cách hành chính năm 2021");
//!   what it schedules are [`Inspection`]s naming it, one per unit to inspect, with the team
//!   (by whom) and the day planned, not yet done.
//! - An [`Inspection`] is done once it has its day (`done_on`); one without a plan is an
//!   unscheduled inspection (kiểm tra đột xuất).
//! - A [`Finding`] is an issue the inspection found (vấn đề, tồn tại, hạn chế) with the
//!   recommendation (kiến nghị) to remedy it and its follow-up: a deadline, notes and the day it
//!   was remedied, which closes the recommendation. Issues found and handled (1.3.7, 1.3.8 of the
//!   default catalogue) count findings; open recommendations are the findings not remedied.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use cchc_catalogue::Catalogue;
use cchc_periods::DateRange;
use cchc_report::{Entry, Key, Value};

use crate::kinds::PlanKind;
use crate::model::{Note, Plan};

/// What the pre-filled entries say about where they come from.
pub const SOURCE: &str = "Sổ theo dõi kiểm tra công tác CCHC";

/// Every name [`Figures::figure`] answers (the catalogue's `source` names).
pub const SOURCES: [&str; 8] = [
    "inspected_agencies",
    "inspected_service_units",
    "inspected_communes",
    "inspected_units",
    "inspection_issues_found",
    "inspection_issues_handled",
    "inspection_plan_units",
    "inspection_plan_units_done",
];

/// One inspection of one unit by the unit keeping the record, planned or done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    /// The store's (0 before it is stored).
    pub id: i64,
    /// The inspecting unit, whose record it is (mã đơn vị).
    pub unit: String,
    /// The inspection plan scheduling it: a plan of kind "Kiểm tra CCHC" of `unit` in the plans
    /// register (its id); `None`: an unscheduled inspection (kiểm tra đột xuất).
    #[serde(default)]
    pub plan: Option<i64>,
    /// The unit inspected (đơn vị được kiểm tra), a unit below `unit`.
    pub target: String,
    /// By whom: "Đoàn kiểm tra CCHC huyện", "Phòng Nội vụ".
    pub team: String,
    /// The day planned (thời gian dự kiến).
    #[serde(default)]
    pub scheduled_on: Option<NaiveDate>,
    /// The day it was inspected; `None` while planned.
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
    /// Kết luận: the inspection's overall assessment.
    #[serde(default)]
    pub conclusion: String,
}

impl Inspection {
    /// Whether it was done by day `at`.
    pub fn done_by(&self, at: NaiveDate) -> bool {
        self.done_on.is_some_and(|d| d <= at)
    }

    /// Every problem of the inspection on `today`, by field (the names its form gives them).
    pub fn problems(&self, today: NaiveDate) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.unit.trim().is_empty() {
            out.push(("Đơn vị kiểm tra", "chưa chọn đơn vị kiểm tra".to_string()));
        }
        if self.target.trim().is_empty() {
            out.push(("Đơn vị được kiểm tra", "chưa chọn đơn vị được kiểm tra".to_string()));
        } else if self.target == self.unit {
            out.push((
                "Đơn vị được kiểm tra",
                "đơn vị được kiểm tra phải là đơn vị trực thuộc, không phải chính đơn vị kiểm tra (việc tự kiểm tra ghi là nhiệm vụ trong kế hoạch)"
                    .to_string(),
            ));
        }
        if self.team.trim().is_empty() {
            out.push(("Đoàn kiểm tra", "chưa nhập đoàn kiểm tra hoặc người, đơn vị thực hiện kiểm tra".to_string()));
        }
        if self.scheduled_on.is_none() && self.done_on.is_none() {
            out.push(("Ngày dự kiến", "chưa nhập ngày dự kiến kiểm tra hoặc ngày đã kiểm tra".to_string()));
        }
        if let Some(d) = self.done_on
            && d > today
        {
            out.push(("Ngày kiểm tra", format!("ngày kiểm tra {} chưa đến (hôm nay {})", cchc_format::date(d), cchc_format::date(today))));
        }
        out
    }
}

/// An issue an inspection found and the recommendation to remedy it, with its follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub id: i64,
    /// The inspection that found it (its id).
    pub inspection: i64,
    /// Vấn đề phát hiện (tồn tại, hạn chế).
    pub issue: String,
    /// Kiến nghị: what the inspected unit is asked to do (empty: remedy the issue).
    #[serde(default)]
    pub recommendation: String,
    /// Thời hạn khắc phục.
    #[serde(default)]
    pub deadline: Option<NaiveDate>,
    /// The day it was remedied (đã khắc phục xong), closing the recommendation.
    #[serde(default)]
    pub resolved_on: Option<NaiveDate>,
    /// Follow-up notes (theo dõi khắc phục).
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// A finding's follow-up on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingState {
    Resolved,
    Open,
    Overdue,
}

impl FindingState {
    pub const ALL: [FindingState; 3] = [FindingState::Resolved, FindingState::Open, FindingState::Overdue];

    pub fn slug(self) -> &'static str {
        match self {
            FindingState::Resolved => "resolved",
            FindingState::Open => "open",
            FindingState::Overdue => "overdue",
        }
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            FindingState::Resolved => "Đã khắc phục",
            FindingState::Open => "Đang khắc phục",
            FindingState::Overdue => "Quá hạn chưa khắc phục",
        }
    }

    pub fn is_open(self) -> bool {
        match self {
            FindingState::Resolved => false,
            FindingState::Open | FindingState::Overdue => true,
        }
    }
}

impl Finding {
    /// Its state on day `at`: remedied by then, past its deadline, or open.
    pub fn state_on(&self, at: NaiveDate) -> FindingState {
        match (self.resolved_on, self.deadline) {
            (Some(r), _) if r <= at => FindingState::Resolved,
            (_, Some(d)) if d < at => FindingState::Overdue,
            _ => FindingState::Open,
        }
    }

    /// Every problem of the finding of `inspection` on `today`, by field.
    pub fn problems(&self, inspection: &Inspection, today: NaiveDate) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.issue.trim().is_empty() {
            out.push(("Vấn đề phát hiện", "chưa nhập vấn đề phát hiện qua kiểm tra".to_string()));
        }
        let Some(done) = inspection.done_on else {
            out.push((
                "Vấn đề phát hiện",
                "cuộc kiểm tra chưa có ngày kiểm tra: hãy ghi kết quả kiểm tra trước khi ghi vấn đề phát hiện".to_string(),
            ));
            return out;
        };
        if let Some(d) = self.deadline
            && d < done
        {
            out.push(("Thời hạn khắc phục", format!("thời hạn {} trước ngày kiểm tra {}", cchc_format::date(d), cchc_format::date(done))));
        }
        if let Some(r) = self.resolved_on {
            if r < done {
                out.push(("Ngày khắc phục xong", format!("ngày {} trước ngày kiểm tra {}", cchc_format::date(r), cchc_format::date(done))));
            } else if r > today {
                out.push(("Ngày khắc phục xong", format!("ngày {} chưa đến (hôm nay {})", cchc_format::date(r), cchc_format::date(today))));
            }
        }
        out
    }

    /// What the recommendation asks, as the lists say it.
    pub fn asked(&self) -> String {
        let issue = self.issue.trim().trim_end_matches(['.', ';']);
        let rec = self.recommendation.trim().trim_end_matches(['.', ';']);
        if rec.is_empty() { issue.to_string() } else { format!("{issue}; kiến nghị: {rec}") }
    }
}

/// How the reports group the units inspected (1.3.1–1.3.3 of the default catalogue): the caller
/// decides it from the unit tree's kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitGroup {
    /// Phòng, ban chuyên môn (cơ quan chuyên môn: sở, phòng).
    Agency,
    /// Đơn vị sự nghiệp trực thuộc (public service units, the public administration centre).
    ServiceUnit,
    /// UBND cấp xã (xã, phường, thị trấn, đặc khu).
    Commune,
    /// Anything else (a district inspected by the province): counted in the total only.
    Other,
}

impl UnitGroup {
    /// "phòng, ban chuyên môn", as the section I lines name a count of them.
    pub fn name_vi(self) -> &'static str {
        match self {
            UnitGroup::Agency => "phòng, ban chuyên môn",
            UnitGroup::ServiceUnit => "đơn vị sự nghiệp",
            UnitGroup::Commune => "UBND cấp xã",
            UnitGroup::Other => "đơn vị khác",
        }
    }

    pub const ALL: [UnitGroup; 4] = [UnitGroup::Agency, UnitGroup::ServiceUnit, UnitGroup::Commune, UnitGroup::Other];
}

/// A unit's inspection records: its inspection plans (plans of kind "Kiểm tra CCHC"; others are
/// ignored), the inspections it made and their findings.
#[derive(Debug, Clone, Copy)]
pub struct Records<'a> {
    pub plans: &'a [Plan],
    pub inspections: &'a [Inspection],
    pub findings: &'a [Finding],
}

/// Units counted by group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ByGroup {
    pub agencies: u64,
    pub service_units: u64,
    pub communes: u64,
    pub total: u64,
}

impl ByGroup {
    fn of<'a>(units: impl IntoIterator<Item = &'a str>, group: &dyn Fn(&str) -> UnitGroup) -> ByGroup {
        let units: BTreeSet<&str> = units.into_iter().collect();
        let mut b = ByGroup { total: units.len() as u64, ..ByGroup::default() };
        for u in units {
            match group(u) {
                UnitGroup::Agency => b.agencies += 1,
                UnitGroup::ServiceUnit => b.service_units += 1,
                UnitGroup::Commune => b.communes += 1,
                UnitGroup::Other => {}
            }
        }
        b
    }

    /// "4 phòng, ban chuyên môn; 1 đơn vị sự nghiệp; 6 UBND cấp xã" (the groups present).
    pub fn describe(&self) -> String {
        let parts = [(self.agencies, UnitGroup::Agency), (self.service_units, UnitGroup::ServiceUnit), (self.communes, UnitGroup::Commune)];
        let mut out: Vec<String> =
            parts.iter().filter(|(n, _)| *n > 0).map(|(n, g)| format!("{} {}", cchc_format::int(*n as i64), g.name_vi())).collect();
        let other = self.total - self.agencies - self.service_units - self.communes;
        if other > 0 {
            out.push(format!("{} {}", cchc_format::int(other as i64), UnitGroup::Other.name_vi()));
        }
        out.join("; ")
    }
}

/// The issues inspections found and those handled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Issues {
    pub found: u64,
    pub handled: u64,
}

/// The year's inspection plan(s): the units to inspect and those inspected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PlanProgress {
    pub planned: ByGroup,
    /// Planned units inspected (under the plan) by the day.
    pub done: u64,
}

/// The figures of one unit for one window. `None`: the unit keeps no inspection record (of the
/// plan: no inspection scheduled by a plan in force), so the report keeps what it states.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// The units inspected within the window (each once, however often).
    pub inspected: Option<ByGroup>,
    /// The issues found by the inspections done within the window, and those of them remedied by
    /// its last day.
    pub issues: Option<Issues>,
    /// The units the unit's inspection plans in force within the window schedule, and those
    /// inspected under them by its last day.
    pub plan: Option<PlanProgress>,
}

fn plans_in_force<'a>(unit: &str, window: DateRange, plans: &'a [Plan]) -> Vec<&'a Plan> {
    plans.iter().filter(|p| p.unit == unit && p.kind == PlanKind::KiemTra && p.in_force_within(window.from, window.to)).collect()
}

impl Figures {
    pub fn of(unit: &str, window: DateRange, records: Records<'_>, group: &dyn Fn(&str) -> UnitGroup) -> Figures {
        let mine: Vec<&Inspection> = records.inspections.iter().filter(|i| i.unit == unit).collect();
        if mine.is_empty() {
            return Figures::default();
        }
        let done: Vec<&Inspection> = mine.iter().copied().filter(|i| i.done_on.is_some_and(|d| window.contains(d))).collect();
        let inspected = ByGroup::of(done.iter().map(|i| i.target.as_str()), group);
        let ids: BTreeSet<i64> = done.iter().map(|i| i.id).collect();
        let found: Vec<&Finding> = records.findings.iter().filter(|f| ids.contains(&f.inspection)).collect();
        let issues = Issues {
            found: found.len() as u64,
            handled: found.iter().filter(|f| f.state_on(window.to) == FindingState::Resolved).count() as u64,
        };
        let plans: BTreeSet<i64> = plans_in_force(unit, window, records.plans).iter().map(|p| p.id).collect();
        let scheduled: Vec<&Inspection> = mine.iter().copied().filter(|i| i.plan.is_some_and(|p| plans.contains(&p))).collect();
        let plan = (!scheduled.is_empty()).then(|| PlanProgress {
            planned: ByGroup::of(scheduled.iter().map(|i| i.target.as_str()), group),
            done: scheduled.iter().filter(|i| i.done_by(window.to)).map(|i| i.target.as_str()).collect::<BTreeSet<_>>().len() as u64,
        });
        Figures { inspected: Some(inspected), issues: Some(issues), plan }
    }

    /// The figure a catalogue's `source` names, when the unit keeps that record.
    pub fn figure(&self, source: &str) -> Option<u64> {
        match source {
            "inspected_agencies" => self.inspected.map(|b| b.agencies),
            "inspected_service_units" => self.inspected.map(|b| b.service_units),
            "inspected_communes" => self.inspected.map(|b| b.communes),
            "inspected_units" => self.inspected.map(|b| b.total),
            "inspection_issues_found" => self.issues.map(|i| i.found),
            "inspection_issues_handled" => self.issues.map(|i| i.handled),
            "inspection_plan_units" => self.plan.map(|p| p.planned.total),
            "inspection_plan_units_done" => self.plan.map(|p| p.done),
            _ => None,
        }
    }
}

/// Entries (totals) for every indicator of the catalogue whose `source` is one of these figures
/// and which the unit keeps.
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

/// An inspection done within the window, as section I lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoneLine {
    pub target: String,
    pub on: NaiveDate,
    pub team: String,
    pub found: u64,
    pub handled: u64,
}

/// A recommendation still open at the window's end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenLine {
    pub target: String,
    pub asked: String,
    pub deadline: Option<NaiveDate>,
    pub state: FindingState,
}

/// What section I says of a unit's inspections for a window.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionOne {
    /// Each inspection plan in force with what it schedules: its citation, the units planned by
    /// group and those inspected under it by the window's end.
    pub plans: Vec<(String, ByGroup, u64)>,
    /// The units directly below the unit (for "11/26 đơn vị trực thuộc"), when known.
    pub subordinates: Option<u64>,
    pub done: Vec<DoneLine>,
    pub issues: Issues,
    pub open: Vec<OpenLine>,
    /// The inspections of the unit itself (by the units above) done within the window: the
    /// inspecting unit's name in `target`.
    pub received: Vec<DoneLine>,
    /// The recommendations made to the unit still open at the window's end: the inspecting
    /// unit's name in `target`.
    pub to_remedy: Vec<OpenLine>,
}

impl SectionOne {
    pub fn is_empty(&self) -> bool {
        self.plans.is_empty() && self.done.is_empty() && self.open.is_empty() && self.received.is_empty() && self.to_remedy.is_empty()
    }

    /// The lines as Markdown.
    pub fn markdown(&self, unit_name: &str) -> String {
        let int = |n: u64| cchc_format::int(n as i64);
        let rate = |a: u64, b: u64| cchc_format::ratio_percent(a as i64, b as i64).map(cchc_format::percent);
        let mut out = String::new();
        for (plan, planned, done) in &self.plans {
            let mut line = format!("- Công tác kiểm tra cải cách hành chính: {unit_name} ban hành {plan}, kiểm tra {}", int(planned.total));
            match self.subordinates.filter(|n| *n >= planned.total && *n > 0) {
                Some(n) => {
                    line.push_str(&format!("/{} cơ quan, đơn vị trực thuộc ({})", int(n), planned.describe()));
                    if let Some(r) = rate(planned.total, n) {
                        line.push_str(&format!(", tỷ lệ {r} tổng số đơn vị trực thuộc"));
                    }
                }
                None => line.push_str(&format!(" cơ quan, đơn vị ({})", planned.describe())),
            }
            line.push_str(&format!("; đến cuối kỳ báo cáo đã kiểm tra {}/{} đơn vị", int(*done), int(planned.total)));
            if let Some(r) = rate(*done, planned.total) {
                line.push_str(&format!(", đạt {r} kế hoạch"));
            }
            out.push_str(&line);
            out.push_str(".\n");
        }
        if !self.done.is_empty() {
            out.push_str(&format!(
                "- Trong kỳ đã kiểm tra công tác cải cách hành chính tại {} cơ quan, đơn vị:\n",
                int(self.done.len() as u64)
            ));
            for (i, d) in self.done.iter().enumerate() {
                let end = if i + 1 == self.done.len() { "." } else { ";" };
                let result = if d.found == 0 {
                    "không phát hiện vấn đề phải khắc phục".to_string()
                } else {
                    format!("phát hiện {} vấn đề, đã khắc phục {}", int(d.found), int(d.handled))
                };
                out.push_str(&format!("  + {}, ngày {} ({}): {result}{end}\n", d.target, cchc_format::date(d.on), d.team.trim()));
            }
            let mut line =
                format!("- Qua kiểm tra đã phát hiện {} vấn đề, đã xử lý xong {} vấn đề", int(self.issues.found), int(self.issues.handled));
            if let Some(r) = rate(self.issues.handled, self.issues.found) {
                line.push_str(&format!(", đạt tỷ lệ {r}"));
            }
            out.push_str(&line);
            out.push_str(".\n");
        }
        if !self.open.is_empty() {
            out.push_str(&format!("- Các kiến nghị sau kiểm tra chưa khắc phục xong ({}):\n", int(self.open.len() as u64)));
            for (i, o) in self.open.iter().enumerate() {
                let end = if i + 1 == self.open.len() { "." } else { ";" };
                let mut tail = Vec::new();
                if let Some(d) = o.deadline {
                    tail.push(format!("thời hạn {}", cchc_format::date(d)));
                }
                tail.push(o.state.name_vi().to_lowercase());
                out.push_str(&format!("  + {}: {} ({}){end}\n", o.target, o.asked, tail.join("; ")));
            }
        }
        for d in &self.received {
            let result = if d.found == 0 {
                "không phát hiện vấn đề phải khắc phục".to_string()
            } else {
                format!("phát hiện {} vấn đề, đơn vị đã khắc phục {}", int(d.found), int(d.handled))
            };
            let by = if d.team.trim().is_empty() { d.target.clone() } else { format!("{} của {}", d.team.trim(), d.target) };
            out.push_str(&format!(
                "- Ngày {}, {by} đã kiểm tra công tác cải cách hành chính tại {unit_name}: {result}.\n",
                cchc_format::date(d.on)
            ));
        }
        if !self.to_remedy.is_empty() {
            out.push_str(&format!(
                "- Các kiến nghị của đoàn kiểm tra {unit_name} còn phải khắc phục ({}):\n",
                int(self.to_remedy.len() as u64)
            ));
            for (i, o) in self.to_remedy.iter().enumerate() {
                let end = if i + 1 == self.to_remedy.len() { "." } else { ";" };
                let mut tail = vec![format!("kiến nghị của {}", o.target)];
                if let Some(d) = o.deadline {
                    tail.push(format!("thời hạn {}", cchc_format::date(d)));
                }
                tail.push(o.state.name_vi().to_lowercase());
                out.push_str(&format!("  + {} ({}){end}\n", o.asked, tail.join("; ")));
            }
        }
        out
    }
}

/// The section I lines of `unit` for the window: its inspection plans in force, the
/// inspections it made within the window, and its recommendations still open at the window's end
/// (of inspections done by then), each with the unit's name; then the inspections of the unit
/// itself within the window and the recommendations made to it still open.
pub fn section_one(
    unit: &str,
    window: DateRange,
    records: Records<'_>,
    subordinates: Option<u64>,
    group: &dyn Fn(&str) -> UnitGroup,
    unit_name: &dyn Fn(&str) -> String,
) -> SectionOne {
    let mine: Vec<&Inspection> = records.inspections.iter().filter(|i| i.unit == unit).collect();
    let findings_of = |id: i64| records.findings.iter().filter(move |f| f.inspection == id);
    let mut plans = Vec::new();
    let mut in_force = plans_in_force(unit, window, records.plans);
    in_force.sort_by(|a, b| (a.date, &a.number).cmp(&(b.date, &b.number)));
    for p in in_force {
        let scheduled: Vec<&Inspection> = mine.iter().copied().filter(|i| i.plan == Some(p.id)).collect();
        if scheduled.is_empty() {
            continue;
        }
        let planned = ByGroup::of(scheduled.iter().map(|i| i.target.as_str()), group);
        let done = scheduled.iter().filter(|i| i.done_by(window.to)).map(|i| i.target.as_str()).collect::<BTreeSet<_>>().len() as u64;
        plans.push((p.citation(), planned, done));
    }
    let mut done_here: Vec<&Inspection> = mine.iter().copied().filter(|i| i.done_on.is_some_and(|d| window.contains(d))).collect();
    done_here.sort_by_key(|i| (i.done_on, i.id));
    let mut issues = Issues::default();
    let done = done_here
        .iter()
        .map(|i| {
            let found = findings_of(i.id).count() as u64;
            let handled = findings_of(i.id).filter(|f| f.state_on(window.to) == FindingState::Resolved).count() as u64;
            issues.found += found;
            issues.handled += handled;
            DoneLine { target: unit_name(&i.target), on: i.done_on.unwrap_or(window.to), team: i.team.clone(), found, handled }
        })
        .collect();
    let mut open = Vec::new();
    let mut by_day: Vec<&Inspection> = mine.iter().copied().filter(|i| i.done_by(window.to)).collect();
    by_day.sort_by_key(|i| (i.done_on, i.id));
    for i in by_day {
        for f in findings_of(i.id) {
            let state = f.state_on(window.to);
            if state.is_open() {
                open.push(OpenLine { target: unit_name(&i.target), asked: f.asked(), deadline: f.deadline, state });
            }
        }
    }
    let of_me: Vec<&Inspection> = records.inspections.iter().filter(|i| i.target == unit && i.unit != unit).collect();
    let mut received: Vec<&Inspection> = of_me.iter().copied().filter(|i| i.done_on.is_some_and(|d| window.contains(d))).collect();
    received.sort_by_key(|i| (i.done_on, i.id));
    let received = received
        .iter()
        .map(|i| DoneLine {
            target: unit_name(&i.unit),
            on: i.done_on.unwrap_or(window.to),
            team: i.team.clone(),
            found: findings_of(i.id).count() as u64,
            handled: findings_of(i.id).filter(|f| f.state_on(window.to) == FindingState::Resolved).count() as u64,
        })
        .collect();
    let mut to_remedy = Vec::new();
    let mut by_day: Vec<&Inspection> = of_me.iter().copied().filter(|i| i.done_by(window.to)).collect();
    by_day.sort_by_key(|i| (i.done_on, i.id));
    for i in by_day {
        for f in findings_of(i.id) {
            let state = f.state_on(window.to);
            if state.is_open() {
                to_remedy.push(OpenLine { target: unit_name(&i.unit), asked: f.asked(), deadline: f.deadline, state });
            }
        }
    }
    SectionOne { plans, subordinates, done, issues, open, received, to_remedy }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, m, day).unwrap()
    }

    fn window() -> DateRange {
        DateRange { from: d(1, 1), to: d(12, 14) }
    }

    /// Huyện Mỹ Tú's plan of 2021 (reference report 001): 11 of its 26 units, 4 offices, 1
    /// public service unit and 6 communes, all inspected.
    fn my_tu() -> (Plan, Vec<Inspection>) {
        let plan = Plan {
            id: 33,
            unit: "H".into(),
            kind: PlanKind::KiemTra,
            number: "33/KH-UBND".into(),
            date: d(3, 16),
            issuer: "UBND huyện".into(),
            signer: String::new(),
            summary: "kiểm tra cải cách hành chính năm 2021".into(),
            valid_from: None,
            valid_to: None,
        };
        let targets = ["P1", "P2", "P3", "P4", "S1", "X1", "X2", "X3", "X4", "X5", "X6"];
        let inspections = targets
            .iter()
            .enumerate()
            .map(|(i, t)| Inspection {
                id: i as i64 + 1,
                unit: "H".into(),
                plan: Some(33),
                target: t.to_string(),
                team: "Đoàn kiểm tra CCHC huyện".into(),
                scheduled_on: Some(d(6, 1)),
                done_on: Some(d(6, 1 + i as u32)),
                conclusion: String::new(),
            })
            .collect();
        (plan, inspections)
    }

    fn group(u: &str) -> UnitGroup {
        match u.chars().next() {
            Some('P') => UnitGroup::Agency,
            Some('S') => UnitGroup::ServiceUnit,
            Some('X') => UnitGroup::Commune,
            _ => UnitGroup::Other,
        }
    }

    fn finding(inspection: i64, issue: &str, resolved: Option<NaiveDate>) -> Finding {
        Finding {
            id: 0,
            inspection,
            issue: issue.into(),
            recommendation: String::new(),
            deadline: Some(d(9, 30)),
            resolved_on: resolved,
            notes: vec![],
        }
    }

    #[test]
    fn units_inspected_by_kind_and_the_plan_done_as_the_reference_report_states_them() {
        let (plan, mut inspections) = my_tu();
        // One office inspected twice counts once; an unscheduled inspection counts as inspected, not under the plan.
        inspections.push(Inspection { id: 20, plan: None, done_on: Some(d(10, 5)), ..inspections[0].clone() });
        let findings = [
            finding(1, "Hồ sơ trễ hạn trên phần mềm một cửa điện tử", Some(d(8, 1))),
            finding(6, "Chưa công khai tiến độ giải quyết hồ sơ", None),
            finding(20, "Chưa sử dụng chữ ký số thường xuyên", Some(d(12, 20))),
        ];
        let records = Records { plans: std::slice::from_ref(&plan), inspections: &inspections, findings: &findings };
        let f = Figures::of("H", window(), records, &group);
        let got: Vec<Option<u64>> = SOURCES.iter().map(|s| f.figure(s)).collect();
        assert_eq!(got, [4, 1, 6, 11, 3, 1, 11, 11].map(Some).to_vec());
        // In the first quarter the plan stands (11 units to inspect) and none is inspected yet.
        let q1 = Figures::of("H", DateRange { from: d(1, 1), to: d(3, 31) }, records, &group);
        assert_eq!(q1.plan, Some(PlanProgress { planned: ByGroup { agencies: 4, service_units: 1, communes: 6, total: 11 }, done: 0 }));
        assert_eq!((q1.figure("inspected_units"), q1.figure("inspection_issues_found")), (Some(0), Some(0)));
        // A unit without inspections keeps no record: nothing pre-filled.
        assert_eq!(Figures::of("X1", window(), records, &group), Figures::default());
        assert_eq!(Figures::default().figure("inspected_units"), None);
        assert_eq!(f.figure("plan_tasks_total"), None);
    }

    #[test]
    fn a_plan_without_scheduled_inspections_gives_no_plan_figures() {
        let (plan, inspections) = my_tu();
        let unscheduled: Vec<Inspection> = inspections.iter().map(|i| Inspection { plan: None, ..i.clone() }).collect();
        let f = Figures::of("H", window(), Records { plans: &[plan], inspections: &unscheduled, findings: &[] }, &group);
        assert_eq!((f.figure("inspection_plan_units"), f.figure("inspected_units")), (None, Some(11)));
    }

    #[test]
    fn a_findings_state_follows_its_deadline_and_remedy() {
        let f = finding(1, "x", Some(d(10, 5)));
        assert_eq!(f.state_on(d(9, 30)), FindingState::Open);
        assert_eq!(f.state_on(d(10, 1)), FindingState::Overdue);
        assert_eq!(f.state_on(d(10, 5)), FindingState::Resolved);
        assert_eq!(Finding { deadline: None, resolved_on: None, ..f }.state_on(d(12, 31)), FindingState::Open);
    }

    #[test]
    fn problems_name_their_fields() {
        let today = d(6, 30);
        let bad = Inspection {
            id: 0,
            unit: "H".into(),
            plan: None,
            target: "H".into(),
            team: " ".into(),
            scheduled_on: None,
            done_on: None,
            conclusion: String::new(),
        };
        let fields: Vec<&str> = bad.problems(today).iter().map(|p| p.0).collect();
        assert_eq!(fields, vec!["Đơn vị được kiểm tra", "Đoàn kiểm tra", "Ngày dự kiến"]);
        let future = Inspection { target: "X1".into(), team: "Đoàn".into(), done_on: Some(d(7, 1)), ..bad.clone() };
        assert_eq!(future.problems(today).iter().map(|p| p.0).collect::<Vec<_>>(), vec!["Ngày kiểm tra"]);
        assert!(future.problems(today)[0].1.contains("01/07/2021 chưa đến"));
        let planned = Inspection { done_on: None, scheduled_on: Some(d(9, 1)), ..future.clone() };
        assert!(planned.problems(today).is_empty());
        // A finding needs the inspection done, and dates after it.
        let f = Finding { deadline: Some(d(5, 1)), resolved_on: Some(d(5, 2)), ..finding(0, "", None) };
        let on_planned: Vec<&str> = f.problems(&planned, today).iter().map(|p| p.0).collect();
        assert_eq!(on_planned, vec!["Vấn đề phát hiện", "Vấn đề phát hiện"]);
        let done = Inspection { done_on: Some(d(6, 1)), ..planned };
        let fields: Vec<&str> = f.problems(&done, today).iter().map(|p| p.0).collect();
        assert_eq!(fields, vec!["Vấn đề phát hiện", "Thời hạn khắc phục", "Ngày khắc phục xong"]);
        let later = Finding { issue: "x".into(), deadline: None, resolved_on: Some(d(7, 2)), ..f };
        assert!(later.problems(&done, today)[0].1.contains("chưa đến"));
    }

    #[test]
    fn section_one_says_what_the_reference_report_says() {
        let (plan, inspections) = my_tu();
        let findings = [
            finding(1, "Tình trạng hồ sơ trễ hạn trên phần mềm một cửa điện tử", Some(d(8, 1))),
            Finding {
                recommendation: "công khai tiến độ trên phần mềm một cửa".into(),
                ..finding(6, "Chưa công khai tiến độ giải quyết hồ sơ", None)
            },
        ];
        let s = section_one(
            "H",
            window(),
            Records { plans: &[plan], inspections: &inspections, findings: &findings },
            Some(26),
            &group,
            &|u| format!("đơn vị {u}"),
        );
        let md = s.markdown("UBND huyện");
        assert!(
            md.contains("- Công tác kiểm tra cải cách hành chính: UBND huyện ban hành Kế hoạch số 33/KH-UBND ngày 16/03/2021 của UBND huyện về kiểm tra cải cách hành chính năm 2021, kiểm tra 11/26 cơ quan, đơn vị trực thuộc (4 phòng, ban chuyên môn; 1 đơn vị sự nghiệp; 6 UBND cấp xã), tỷ lệ 42,31% tổng số đơn vị trực thuộc; đến cuối kỳ báo cáo đã kiểm tra 11/11 đơn vị, đạt 100,00% kế hoạch."),
            "{md}"
        );
        assert!(
            md.contains(
                "tại 11 cơ quan, đơn vị:\n  + đơn vị P1, ngày 01/06/2021 (Đoàn kiểm tra CCHC huyện): phát hiện 1 vấn đề, đã khắc phục 1;"
            ),
            "{md}"
        );
        assert!(md.contains("đã phát hiện 2 vấn đề, đã xử lý xong 1 vấn đề, đạt tỷ lệ 50,00%."), "{md}");
        assert!(
            md.contains("- Các kiến nghị sau kiểm tra chưa khắc phục xong (1):\n  + đơn vị X1: Chưa công khai tiến độ giải quyết hồ sơ; kiến nghị: công khai tiến độ trên phần mềm một cửa (thời hạn 30/09/2021; quá hạn chưa khắc phục)."),
            "{md}"
        );
        // The commune inspected: when, by whom, what it found, what the commune still has to remedy.
        let x1 = section_one("X1", window(), Records { plans: &[], inspections: &inspections, findings: &findings }, None, &group, &|u| {
            format!("đơn vị {u}")
        });
        let md = x1.markdown("UBND xã X1");
        assert!(
            md.contains("- Ngày 06/06/2021, Đoàn kiểm tra CCHC huyện của đơn vị H đã kiểm tra công tác cải cách hành chính tại UBND xã X1: phát hiện 1 vấn đề, đơn vị đã khắc phục 0."),
            "{md}"
        );
        assert!(md.contains("- Các kiến nghị của đoàn kiểm tra UBND xã X1 còn phải khắc phục (1):\n  + Chưa công khai tiến độ giải quyết hồ sơ; kiến nghị: công khai tiến độ trên phần mềm một cửa (kiến nghị của đơn vị H; thời hạn 30/09/2021; quá hạn chưa khắc phục)."), "{md}");
        assert!(
            section_one("X7", window(), Records { plans: &[], inspections: &inspections, findings: &[] }, None, &group, &|u| u.into())
                .is_empty()
        );
    }
}
