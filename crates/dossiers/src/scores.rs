//! Decision 766/QĐ-TTg (2022) scores as the national public-service portal publishes them: each
//! unit is scored out of 100 in six groups, each made of parts (sub-indicators) with their own
//! points (../shared/domain.md, "Decision 766"). [`Part`] is the one list of the parts.
//!
//! A part's points come from one of:
//! - a **share** the ledger and the procedure list know (dossiers handled in time, online
//!   receipts, digitised dossiers, online payments, satisfied ratings, procedures offered online
//!   and those that received dossiers online, payable procedures paid online): the part's
//!   maximum × share ÷ the share that gives full marks (100%, or 80% for reused data and 90% for
//!   satisfaction with dossier handling), at most the maximum, half-up to 2 decimals;
//! - **points entered** by the office from elsewhere (publication of procedures, synchronisation
//!   with the portal, electronic results, feedback handling…), clamped to the part's maximum;
//! - **not applicable** to the unit (the province-only parts for a commune or district): the
//!   part's maximum, as the Decision awards it;
//! - otherwise it is **unknown** and shown as "không tính được": never 0, never full marks.
//!
//! A share with nothing to count (no dossier handled, no rating) is unknown too, except for the
//! two feedback parts, which the Decision awards in full when there was no feedback.
//!
//! How the 12 points of online service and the 10 of online payment split between their parts is
//! not in the reconstructed table: they are split evenly (4 + 4 + 4, 5 + 5) until the Decision's
//! appendix says otherwise; the splits are in [`Part::max`] alone.

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_decimal::Decimal;

use crate::facts::Facts;
use crate::model::{OnlineClass, Procedure};
use crate::stats::Counts;

/// The six groups of Decision 766.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    Transparency,
    Progress,
    OnlineService,
    OnlinePayment,
    Digitisation,
    Satisfaction,
}

impl Group {
    pub const ALL: [Group; 6] =
        [Group::Transparency, Group::Progress, Group::OnlineService, Group::OnlinePayment, Group::Digitisation, Group::Satisfaction];

    /// The group's maximum points: the sum of its parts'.
    pub fn max(self) -> u32 {
        match self {
            Group::Transparency => 18,
            Group::Progress => 20,
            Group::OnlineService => 12,
            Group::OnlinePayment => 10,
            Group::Digitisation => 22,
            Group::Satisfaction => 18,
        }
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Group::Transparency => "Công khai, minh bạch",
            Group::Progress => "Tiến độ giải quyết",
            Group::OnlineService => "Dịch vụ trực tuyến",
            Group::OnlinePayment => "Thanh toán trực tuyến",
            Group::Digitisation => "Số hóa hồ sơ",
            Group::Satisfaction => "Mức độ hài lòng",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Group::Transparency => "transparency",
            Group::Progress => "progress",
            Group::OnlineService => "online_service",
            Group::OnlinePayment => "online_payment",
            Group::Digitisation => "digitisation",
            Group::Satisfaction => "satisfaction",
        }
    }

    /// The group's parts, in the published order.
    pub fn parts(self) -> impl Iterator<Item = Part> {
        Part::ALL.into_iter().filter(move |p| p.group() == self)
    }
}

/// The parts (sub-indicators) of the six groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// Procedures published on time.
    PublishedOnTime,
    /// Procedures updated on time.
    UpdatedOnTime,
    /// Procedures published in full.
    PublishedInFull,
    /// Dossiers synchronised to the national portal.
    Synchronised,
    /// Dossiers resolved early or on time, and still within time, of those handled.
    InTime,
    /// Procedures offered online (fully or partly) of the unit's procedures.
    ProceduresOnline,
    /// Online services that received dossiers online in the period.
    OnlineServicesUsed,
    /// Dossiers submitted online of those received.
    DossiersOnline,
    /// Payable procedures paid online at least once, of those paid in the period.
    ProceduresPaidOnline,
    /// Payments made online of the payments made.
    PaymentsOnline,
    /// Results issued electronically.
    ResultsElectronic,
    /// Dossiers whose papers were digitised, of those received.
    DocumentsDigitised,
    /// Electronic certified copies.
    CertifiedCopies,
    /// Reuse of digitised data (full at 80%).
    DataReused,
    /// Storage synchronised with the portal.
    StorageSynchronised,
    /// Province only: citizens' data provided.
    CitizenDataProvided,
    /// Province only: citizens' data used.
    CitizenDataUsed,
    /// Feedback (PAKN) handled on time (full when there was none).
    FeedbackOnTime,
    /// Satisfaction with the handling of feedback (full when there was none).
    FeedbackSatisfaction,
    /// Satisfaction with the handling of dossiers (full at 90%).
    DossierSatisfaction,
}

impl Part {
    pub const ALL: [Part; 20] = [
        Part::PublishedOnTime,
        Part::UpdatedOnTime,
        Part::PublishedInFull,
        Part::Synchronised,
        Part::InTime,
        Part::ProceduresOnline,
        Part::OnlineServicesUsed,
        Part::DossiersOnline,
        Part::ProceduresPaidOnline,
        Part::PaymentsOnline,
        Part::ResultsElectronic,
        Part::DocumentsDigitised,
        Part::CertifiedCopies,
        Part::DataReused,
        Part::StorageSynchronised,
        Part::CitizenDataProvided,
        Part::CitizenDataUsed,
        Part::FeedbackOnTime,
        Part::FeedbackSatisfaction,
        Part::DossierSatisfaction,
    ];

    pub fn group(self) -> Group {
        match self {
            Part::PublishedOnTime | Part::UpdatedOnTime | Part::PublishedInFull | Part::Synchronised => Group::Transparency,
            Part::InTime => Group::Progress,
            Part::ProceduresOnline | Part::OnlineServicesUsed | Part::DossiersOnline => Group::OnlineService,
            Part::ProceduresPaidOnline | Part::PaymentsOnline => Group::OnlinePayment,
            Part::ResultsElectronic
            | Part::DocumentsDigitised
            | Part::CertifiedCopies
            | Part::DataReused
            | Part::StorageSynchronised
            | Part::CitizenDataProvided
            | Part::CitizenDataUsed => Group::Digitisation,
            Part::FeedbackOnTime | Part::FeedbackSatisfaction | Part::DossierSatisfaction => Group::Satisfaction,
        }
    }

    /// The part's maximum points.
    pub fn max(self) -> u32 {
        match self {
            Part::PublishedOnTime | Part::Synchronised | Part::ResultsElectronic => 6,
            Part::UpdatedOnTime | Part::DocumentsDigitised | Part::StorageSynchronised => 4,
            Part::PublishedInFull | Part::CertifiedCopies | Part::DataReused => 2,
            Part::CitizenDataProvided | Part::CitizenDataUsed => 2,
            Part::InTime => 20,
            Part::ProceduresOnline | Part::OnlineServicesUsed | Part::DossiersOnline => 4,
            Part::ProceduresPaidOnline | Part::PaymentsOnline => 5,
            Part::FeedbackOnTime | Part::FeedbackSatisfaction | Part::DossierSatisfaction => 6,
        }
    }

    /// The share, in percent, that gives full marks.
    pub fn full_at(self) -> u32 {
        match self {
            Part::DataReused => 80,
            Part::DossierSatisfaction => 90,
            _ => 100,
        }
    }

    /// Whether a share with nothing to count gives full marks (no feedback: nothing handled late).
    pub fn full_when_none(self) -> bool {
        matches!(self, Part::FeedbackOnTime | Part::FeedbackSatisfaction)
    }

    /// Whether the part applies only to a province (a commune or district gets its maximum).
    pub fn province_only(self) -> bool {
        matches!(self, Part::CitizenDataProvided | Part::CitizenDataUsed)
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Part::PublishedOnTime => "Công bố TTHC đúng hạn",
            Part::UpdatedOnTime => "Cập nhật, công khai TTHC đúng hạn",
            Part::PublishedInFull => "Công khai đầy đủ TTHC",
            Part::Synchronised => "Đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia",
            Part::InTime => "Hồ sơ giải quyết trước hạn, đúng hạn và đang trong hạn",
            Part::ProceduresOnline => "TTHC cung cấp dịch vụ công trực tuyến",
            Part::OnlineServicesUsed => "Dịch vụ công trực tuyến có phát sinh hồ sơ",
            Part::DossiersOnline => "Hồ sơ nộp trực tuyến",
            Part::ProceduresPaidOnline => "TTHC có thu phí được thanh toán trực tuyến",
            Part::PaymentsOnline => "Giao dịch thanh toán trực tuyến",
            Part::ResultsElectronic => "Kết quả giải quyết điện tử",
            Part::DocumentsDigitised => "Hồ sơ được số hóa",
            Part::CertifiedCopies => "Chứng thực bản sao điện tử",
            Part::DataReused => "Tái sử dụng dữ liệu số hóa",
            Part::StorageSynchronised => "Đồng bộ kho lưu trữ",
            Part::CitizenDataProvided => "Cung cấp dữ liệu công dân (cấp tỉnh)",
            Part::CitizenDataUsed => "Khai thác dữ liệu công dân (cấp tỉnh)",
            Part::FeedbackOnTime => "Xử lý phản ánh, kiến nghị đúng hạn",
            Part::FeedbackSatisfaction => "Hài lòng về xử lý phản ánh, kiến nghị",
            Part::DossierSatisfaction => "Hài lòng về tiếp nhận, giải quyết hồ sơ",
        }
    }

    /// The part's name in files and on the command line (`published_on_time`).
    pub fn slug(self) -> &'static str {
        match self {
            Part::PublishedOnTime => "published_on_time",
            Part::UpdatedOnTime => "updated_on_time",
            Part::PublishedInFull => "published_in_full",
            Part::Synchronised => "synchronised",
            Part::InTime => "in_time",
            Part::ProceduresOnline => "procedures_online",
            Part::OnlineServicesUsed => "online_services_used",
            Part::DossiersOnline => "dossiers_online",
            Part::ProceduresPaidOnline => "procedures_paid_online",
            Part::PaymentsOnline => "payments_online",
            Part::ResultsElectronic => "results_electronic",
            Part::DocumentsDigitised => "documents_digitised",
            Part::CertifiedCopies => "certified_copies",
            Part::DataReused => "data_reused",
            Part::StorageSynchronised => "storage_synchronised",
            Part::CitizenDataProvided => "citizen_data_provided",
            Part::CitizenDataUsed => "citizen_data_used",
            Part::FeedbackOnTime => "feedback_on_time",
            Part::FeedbackSatisfaction => "feedback_satisfaction",
            Part::DossierSatisfaction => "dossier_satisfaction",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.slug() == slug)
    }
}

/// Where a part's points come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// `num` of `den` (the ledger's or the procedure list's counts).
    Share { num: u64, den: u64 },
    /// Points entered by the office, from elsewhere.
    Entered(Decimal),
    /// The part does not apply to the unit: its maximum.
    NotApplicable,
    /// Nothing says: "không tính được".
    Unknown,
}

impl Basis {
    /// Where the points come from, as the pages and the command line say it: `1.802/1.838`,
    /// "đơn vị nhập", …
    pub fn describe_vi(self) -> String {
        match self {
            Basis::Share { num, den } => format!("{}/{}", cchc_format::int(num as i64), cchc_format::int(den as i64)),
            Basis::Entered(_) => "đơn vị nhập".into(),
            Basis::NotApplicable => "không áp dụng: tính điểm tối đa".into(),
            Basis::Unknown => "chưa có dữ liệu".into(),
        }
    }
}

/// Points as a user reads them: `19,61`, or "không tính được" when unknown (never 0).
pub fn points_vi(points: Option<Decimal>) -> String {
    points.map_or_else(|| "không tính được".to_string(), cchc_format::decimal)
}

/// One part's score: `points` is `None` when it cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartScore {
    pub part: Part,
    pub basis: Basis,
    pub points: Option<Decimal>,
}

/// Scores one part from its basis (see the module's rules).
pub fn score_part(part: Part, basis: Basis) -> PartScore {
    let max = Decimal::from(part.max());
    let points = match basis {
        Basis::Share { den: 0, .. } => part.full_when_none().then_some(max),
        Basis::Share { num, den } => {
            let earned = max * Decimal::from(num.min(den)) * Decimal::from(100) / (Decimal::from(den) * Decimal::from(part.full_at()));
            Some(cchc_format::round_half_up(earned.min(max), 2))
        }
        Basis::Entered(p) => Some(p.clamp(Decimal::ZERO, max)),
        Basis::NotApplicable => Some(max),
        Basis::Unknown => None,
    };
    PartScore { part, basis, points }
}

/// The six groups' scores, part by part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scores {
    pub parts: Vec<PartScore>,
    /// Group points entered as a whole (e.g. the transparency group assessed elsewhere): they
    /// replace the group's parts.
    pub entered_groups: BTreeMap<Group, Decimal>,
}

impl Scores {
    /// A group's points: entered as a whole, or the sum of its parts when every part is known;
    /// `None` ("không tính được") when a part is unknown.
    pub fn group(&self, g: Group) -> Option<Decimal> {
        if let Some(p) = self.entered_groups.get(&g) {
            return Some(*p);
        }
        self.parts.iter().filter(|p| p.part.group() == g).map(|p| p.points).sum()
    }

    /// The points of a group's known parts and the maximum they add up to (for a group that is
    /// only partly known).
    pub fn group_known(&self, g: Group) -> (Decimal, u32) {
        if let Some(p) = self.entered_groups.get(&g) {
            return (*p, g.max());
        }
        let known = self.parts.iter().filter(|p| p.part.group() == g && p.points.is_some());
        known.fold((Decimal::ZERO, 0), |(sum, max), p| (sum + p.points.unwrap_or_default(), max + p.part.max()))
    }

    /// The total of what is known and the maximum it is out of (100 when everything is known).
    pub fn total(&self) -> (Decimal, u32) {
        Group::ALL.into_iter().map(|g| self.group_known(g)).fold((Decimal::ZERO, 0), |(s, m), (p, x)| (s + p, m + x))
    }

    /// The total out of 100, when every group is known.
    pub fn complete_total(&self) -> Option<Decimal> {
        Group::ALL.into_iter().map(|g| self.group(g)).sum()
    }

    pub fn part(&self, part: Part) -> Option<&PartScore> {
        self.parts.iter().find(|p| p.part == part)
    }
}

/// What the office enters because no record of cchc holds it: points per part, or per group.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entered {
    /// Points per part, by [`Part::slug`].
    #[serde(default)]
    pub parts: BTreeMap<String, Decimal>,
    /// Points per group, by [`Group::slug`].
    #[serde(default)]
    pub groups: BTreeMap<String, Decimal>,
}

/// What the ledger and the procedure list say about a unit (or a subtree) for a window.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The window's Biểu 06 counts.
    pub counts: Counts,
    /// The procedures (by code) that received a dossier online in the window.
    pub received_online: HashSet<String>,
    /// The procedures paid for in the window, and whether at least once online.
    pub paid: HashMap<String, bool>,
    /// The dossiers that cost points: resolved late or overdue at the window's end…
    pub late: Vec<String>,
    /// … and rated 1 to 3 of 5.
    pub dissatisfied: Vec<String>,
    /// Feedback (PAKN) answered within the window: (in time, answered), when the records were read.
    pub feedback_on_time: Option<(u64, u64)>,
    /// Feedback the window handled (received in it or carried over into it), when the records
    /// were read: none gives "Hài lòng về xử lý phản ánh, kiến nghị" its maximum.
    pub feedback_handled: Option<u64>,
    /// Survey answers in the window satisfied on the factor "tiếp nhận, xử lý phản ánh, kiến
    /// nghị" (4 or 5) and those scoring it, when the answers were read.
    pub feedback_satisfaction: Option<(u64, u64)>,
}

impl Evidence {
    /// Adds one dossier's facts, of `procedure` (its code: the facts' own when read whole, the
    /// blob's dictionary entry when visited, `crate::facts::visit_unit`), as the window `[start,
    /// end]` (seconds) sees them.
    pub fn add(&mut self, f: &Facts, procedure: &str, start: i64, end: i64) {
        let mut c = Counts::default();
        f.count(&mut c, start, end);
        if c == Counts::default() {
            return;
        }
        if c.resolved_late + c.in_progress_overdue > 0 {
            self.late.push(f.id.clone());
        }
        if c.satisfaction_surveyed > c.satisfaction_satisfied {
            self.dissatisfied.push(f.id.clone());
        }
        self.add_counts(procedure, &c);
    }

    /// Adds figures of `procedure`'s dossiers: the counts, and whether it was received online or
    /// paid for (and online) in the window.
    fn add_counts(&mut self, procedure: &str, c: &Counts) {
        if c.received_online > 0 && !self.received_online.contains(procedure) {
            self.received_online.insert(procedure.to_string());
        }
        if c.fee_paid > 0 {
            match self.paid.get_mut(procedure) {
                Some(online) => *online |= c.paid_online > 0,
                None => {
                    self.paid.insert(procedure.to_string(), c.paid_online > 0);
                }
            }
        }
        self.counts.add(c);
    }
}

impl Evidence {
    /// Adds a part's tally for the window `[start, end]`, which sees the part whole
    /// ([`crate::tally::Fit::Whole`]): the same as adding each of its dossiers ([`Evidence::add`]).
    pub fn add_tally(&mut self, t: &crate::tally::Tally, start: i64, end: i64) -> Result<(), crate::facts::FactsError> {
        let read = t.rows(start, end)?;
        for (procedure, c) in read.rows {
            self.add_counts(procedure, &c);
        }
        self.late.extend(read.late.into_iter().map(str::to_string));
        self.dissatisfied.extend(read.dissatisfied.into_iter().map(str::to_string));
        Ok(())
    }
}

/// The unit scored: a province gets the province-only parts scored, others get their maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Province,
    Local,
}

/// Scores a unit from the ledger's evidence, the procedures it handles (those of its level) and
/// what the office entered.
pub fn score(e: &Evidence, procedures: &[&Procedure], scope: Scope, entered: &Entered) -> Scores {
    let online: Vec<&&Procedure> = procedures.iter().filter(|p| p.online != OnlineClass::None).collect();
    let share = |num: usize, den: usize| Basis::Share { num: num as u64, den: den as u64 };
    let c = &e.counts;
    let from_records = |part: Part| -> Basis {
        match part {
            Part::InTime => {
                Basis::Share { num: c.resolved_in_time() + c.in_progress_within, den: c.resolved_total() + c.in_progress_total() }
            }
            Part::DossiersOnline => Basis::Share { num: c.received_online, den: c.received_new() },
            Part::DocumentsDigitised => Basis::Share { num: c.digitised, den: c.received_new() },
            Part::PaymentsOnline => Basis::Share { num: c.paid_online, den: c.fee_paid },
            Part::DossierSatisfaction => Basis::Share { num: c.satisfaction_satisfied, den: c.satisfaction_surveyed },
            Part::FeedbackOnTime => e.feedback_on_time.map_or(Basis::Unknown, |(num, den)| Basis::Share { num, den }),
            // Full when there is no feedback (as published), else the answers' share; feedback
            // without an answer scoring the factor: unknown.
            Part::FeedbackSatisfaction => match (e.feedback_handled, e.feedback_satisfaction) {
                (Some(0), _) => Basis::Share { num: 0, den: 0 },
                (_, Some((num, den))) if den > 0 => Basis::Share { num, den },
                _ => Basis::Unknown,
            },
            Part::ProceduresOnline if !procedures.is_empty() => share(online.len(), procedures.len()),
            Part::OnlineServicesUsed if !online.is_empty() => {
                share(online.iter().filter(|p| e.received_online.contains(&p.code)).count(), online.len())
            }
            Part::ProceduresPaidOnline if !e.paid.is_empty() => share(e.paid.values().filter(|o| **o).count(), e.paid.len()),
            p if p.province_only() && scope == Scope::Local => Basis::NotApplicable,
            _ => Basis::Unknown,
        }
    };
    let parts = Part::ALL
        .into_iter()
        .map(|part| {
            let basis = match entered.parts.get(part.slug()) {
                Some(p) => Basis::Entered(*p),
                None => from_records(part),
            };
            let mut s = score_part(part, basis);
            // A share with nothing in it is unknown; an entered figure may fill it.
            if s.points.is_none() && matches!(basis, Basis::Share { .. }) {
                s.basis = Basis::Unknown;
            }
            s
        })
        .collect();
    let entered_groups = Group::ALL
        .into_iter()
        .filter_map(|g| entered.groups.get(g.slug()).map(|p| (g, (*p).clamp(Decimal::ZERO, Decimal::from(g.max())))))
        .collect();
    Scores { parts, entered_groups }
}

/// One row of a file of the national portal's published totals: a unit, a period, its total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalRow {
    /// The line of the file (the heading is line 1).
    pub line: usize,
    pub unit: String,
    pub period: cchc_periods::Period,
    pub points: Decimal,
}

/// The most rows a file of national totals may hold (a country's units for a few periods).
pub const MAX_NATIONAL_ROWS: usize = 100_000;

/// Reads a CSV of the portal's totals: a heading line, then `unit code, period, points` per line
/// (`99101N,2026-Q1,"82,5"`; `;` as the separator too, as Excel writes it with a Vietnamese
/// locale). Every problem is named by line and column, in Vietnamese; nothing is returned unless
/// every row is right.
pub fn read_national(bytes: &[u8]) -> Result<Vec<NationalRow>, Vec<String>> {
    let text = std::str::from_utf8(bytes).map_err(|_| vec!["Tệp không phải văn bản UTF-8 (hãy lưu dạng CSV UTF-8).".to_string()])?;
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.contains(';') && !first.contains(',') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(true).from_reader(text.as_bytes());
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        if i >= MAX_NATIONAL_ROWS {
            errors.push(format!("Tệp có hơn {} dòng; hãy tách thành nhiều tệp.", cchc_format::int(MAX_NATIONAL_ROWS as i64)));
            break;
        }
        let Ok(record) = record else {
            errors.push(format!("Dòng {line}: không đọc được (dấu ngoặc kép chưa đóng?)"));
            continue;
        };
        let cell = |n: usize| record.get(n).map(str::trim).unwrap_or_default();
        let (unit, period, points) = (cell(0), cell(1), cell(2));
        let mut problems = Vec::new();
        if unit.is_empty() {
            problems.push("cột \"Mã đơn vị\": trống".to_string());
        }
        let period = period
            .parse::<cchc_periods::Period>()
            .map_err(|_| problems.push(format!("cột \"Kỳ\": \"{period}\" không phải kỳ báo cáo (viết như 2026-Q1, 2026-H1, 2026-Y)")));
        let points = match cchc_format::parse_number(points) {
            Some(p) if p >= Decimal::ZERO && p <= Decimal::from(100) => Some(p),
            Some(_) => {
                problems.push(format!("cột \"Điểm\": {points} nằm ngoài 0–100"));
                None
            }
            None => {
                problems.push(format!("cột \"Điểm\": \"{points}\" không phải là số điểm"));
                None
            }
        };
        match (problems.is_empty(), period, points) {
            (true, Ok(period), Some(points)) => rows.push(NationalRow { line, unit: unit.to_string(), period, points }),
            _ => errors.extend(problems.into_iter().map(|p| format!("Dòng {line}, {p}"))),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push("Tệp không có dòng điểm nào (dòng đầu là tiêu đề).".into());
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_is_the_sum_of_its_parts_and_the_groups_make_100() {
        for g in Group::ALL {
            assert_eq!(g.parts().map(Part::max).sum::<u32>(), g.max(), "{}", g.name_vi());
        }
        assert_eq!(Group::ALL.into_iter().map(Group::max).sum::<u32>(), 100);
        for p in Part::ALL {
            assert_eq!(Part::from_slug(p.slug()), Some(p));
        }
    }

    #[test]
    fn a_share_earns_its_part_up_to_the_share_that_gives_full_marks() {
        let share = |num, den| Basis::Share { num, den };
        // 20 × 4.343 / 4.354 = 19,9494… → 19,95.
        assert_eq!(score_part(Part::InTime, share(4_343, 4_354)).points, Some(Decimal::new(1995, 2)));
        // Full at 90%: 85% gives 6 × 85 / 90 = 5,6666… → 5,67; 95% gives the maximum.
        assert_eq!(score_part(Part::DossierSatisfaction, share(85, 100)).points, Some(Decimal::new(567, 2)));
        assert_eq!(score_part(Part::DossierSatisfaction, share(95, 100)).points, Some(Decimal::from(6)));
        // Full at 80%: 40% gives half of 2.
        assert_eq!(score_part(Part::DataReused, share(40, 100)).points, Some(Decimal::from(1)));
        // Nothing to count: unknown, except feedback (none received: nothing handled late).
        assert_eq!(score_part(Part::InTime, share(0, 0)).points, None);
        assert_eq!(score_part(Part::FeedbackOnTime, share(0, 0)).points, Some(Decimal::from(6)));
        assert_eq!(score_part(Part::PublishedOnTime, Basis::Entered(Decimal::from(9))).points, Some(Decimal::from(6)));
        assert_eq!(score_part(Part::CitizenDataUsed, Basis::NotApplicable).points, Some(Decimal::from(2)));
        assert_eq!(score_part(Part::Synchronised, Basis::Unknown).points, None);
    }

    #[test]
    fn national_totals_are_read_with_every_problem_named_by_line_and_column() {
        let rows = read_national("Mã đơn vị,Kỳ,Điểm\n99101N,2026-Q1,\"82,5\"\n99102N, 2026-h1 ,90\n".as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].unit.as_str(), rows[0].points, rows[0].line), ("99101N", Decimal::new(825, 1), 2));
        assert_eq!(rows[1].period.to_string(), "2026-H1");
        let semicolons = read_national("ma;ky;diem\n99101N;2026-Y;71,25\n".as_bytes()).unwrap();
        assert_eq!(semicolons[0].points, Decimal::new(7125, 2));
        let errors = read_national("ma,ky,diem\n,2026-Q5,101\n99101N,2026-Y,abc\n".as_bytes()).unwrap_err();
        assert_eq!(
            errors,
            [
                "Dòng 2, cột \"Mã đơn vị\": trống",
                "Dòng 2, cột \"Kỳ\": \"2026-Q5\" không phải kỳ báo cáo (viết như 2026-Q1, 2026-H1, 2026-Y)",
                "Dòng 2, cột \"Điểm\": 101 nằm ngoài 0–100",
                "Dòng 3, cột \"Điểm\": \"abc\" không phải là số điểm",
            ]
        );
        assert!(read_national(b"ma,ky,diem\n").is_err(), "no row");
        assert!(read_national(&[0xff, 0xfe, 0x00]).is_err(), "not text");
    }
}
