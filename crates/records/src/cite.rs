//! Citations of plans and documents as reports write them, and the section I lists of a period
//! ("Công tác chỉ đạo, điều hành") as Markdown for the narrative: the plans and directive
//! documents of the window with footnotes citing number and date, the share of the plan's tasks
//! finished, and the tasks not finished with their responsible units.

use chrono::NaiveDate;

use crate::kinds::{Direction, DocKind};
use crate::model::{Document, Plan, Task};
use crate::state::{TaskState, state_on};

/// "Kế hoạch số 158/KH-UBND ngày 17/01/2022": kind, number and date.
pub fn short(kind: &str, number: &str, date: NaiveDate) -> String {
    format!("{kind} số {} ngày {}", number.trim(), cchc_format::date(date))
}

/// "Kế hoạch số 158/KH-UBND ngày 17/01/2022 của UBND huyện về ban hành Kế hoạch CCHC năm
/// 2022": with the issuer when known and the summary after "về" (not doubled when the summary
/// begins with it).
pub fn citation(kind: &str, number: &str, date: NaiveDate, issuer: &str, summary: &str) -> String {
    let mut s = short(kind, number, date);
    if !issuer.trim().is_empty() {
        s.push_str(" của ");
        s.push_str(issuer.trim());
    }
    let summary = summary.trim().trim_end_matches(['.', ';']);
    if !summary.is_empty() {
        let lower = summary.to_lowercase();
        if !(lower.starts_with("về ") || lower.starts_with("v/v")) {
            s.push_str(" về");
        }
        s.push(' ');
        s.push_str(summary);
    }
    s
}

impl Plan {
    pub fn citation(&self) -> String {
        citation(DocKind::KeHoach.name_vi(), &self.number, self.date, &self.issuer, &self.summary)
    }

    pub fn short_citation(&self) -> String {
        short(DocKind::KeHoach.name_vi(), &self.number, self.date)
    }
}

impl Document {
    pub fn citation(&self) -> String {
        citation(self.kind.name_vi(), &self.number, self.date, &self.issuer, &self.summary)
    }

    pub fn short_citation(&self) -> String {
        short(self.kind.name_vi(), &self.number, self.date)
    }
}

/// What section I says of a unit's records for a window.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionOne {
    /// Citations of the unit's plans issued within the window, by date.
    pub plans: Vec<String>,
    /// Citations of the directive documents it issued within the window (the plans above not
    /// repeated), by date.
    pub documents: Vec<String>,
    /// The year's CCHC plan(s) cited, with tasks finished / total on the window's last day.
    pub cchc_plan: Option<(String, u64, u64)>,
    /// Tasks of its CCHC plans not finished on the window's last day: content, responsible
    /// unit's name, deadline, state.
    pub unfinished: Vec<(String, String, NaiveDate, TaskState)>,
}

impl SectionOne {
    pub fn is_empty(&self) -> bool {
        self.plans.is_empty() && self.documents.is_empty() && self.cchc_plan.is_none()
    }

    /// The lists as Markdown (footnote labels prefixed `hs`, apart from the clerk's own).
    pub fn markdown(&self, unit_name: &str) -> String {
        let mut out = String::new();
        let mut notes = Vec::new();
        if !self.plans.is_empty() {
            out.push_str(&format!(
                "- Trong kỳ, {unit_name} đã ban hành {} kế hoạch thực hiện công tác cải cách hành chính:\n",
                cchc_format::int(self.plans.len() as i64)
            ));
            for (i, p) in self.plans.iter().enumerate() {
                let end = if i + 1 == self.plans.len() { "." } else { ";" };
                out.push_str(&format!("  + {p}{end}\n"));
            }
        }
        if !self.documents.is_empty() {
            notes.push(self.documents.join("; ") + ".");
            out.push_str(&format!(
                "- Ban hành {} văn bản chỉ đạo, điều hành, đôn đốc triển khai công tác cải cách hành chính[^hs{}].\n",
                cchc_format::int(self.documents.len() as i64),
                notes.len()
            ));
        }
        if let Some((plan, done, total)) = &self.cchc_plan {
            let rate = cchc_format::ratio_percent(*done as i64, *total as i64).map(cchc_format::percent);
            notes.push(format!("{plan}."));
            out.push_str(&format!(
                "- Đến cuối kỳ báo cáo đã hoàn thành {}/{} nhiệm vụ theo Kế hoạch cải cách hành chính năm[^hs{}]{}.\n",
                cchc_format::int(*done as i64),
                cchc_format::int(*total as i64),
                notes.len(),
                rate.map(|r| format!(", đạt tỷ lệ {r}")).unwrap_or_default()
            ));
            if !self.unfinished.is_empty() {
                out.push_str(&format!("- Các nhiệm vụ chưa hoàn thành ({}):\n", cchc_format::int(self.unfinished.len() as i64)));
                for (i, (content, unit, deadline, state)) in self.unfinished.iter().enumerate() {
                    let end = if i + 1 == self.unfinished.len() { "." } else { ";" };
                    let content = content.trim().trim_end_matches(['.', ';']);
                    out.push_str(&format!(
                        "  + {content} (đơn vị chủ trì: {unit}; thời hạn {}; {}){end}\n",
                        cchc_format::date(*deadline),
                        state.name_vi().to_lowercase()
                    ));
                }
            }
        }
        if !notes.is_empty() {
            out.push('\n');
            for (i, n) in notes.iter().enumerate() {
                out.push_str(&format!("[^hs{}]: {n}\n", i + 1));
            }
        }
        out
    }
}

/// The section I lists of `unit` for the window `from..=to`.
pub fn section_one(
    unit: &str,
    (from, to): (NaiveDate, NaiveDate),
    records: crate::figures::Records<'_>,
    is_working_day: &dyn Fn(NaiveDate) -> bool,
    unit_name: &dyn Fn(&str) -> String,
) -> SectionOne {
    let mut plans: Vec<&Plan> = records.plans.iter().filter(|p| p.unit == unit && from <= p.date && p.date <= to).collect();
    plans.sort_by(|a, b| (a.date, &a.number).cmp(&(b.date, &b.number)));
    let cited: Vec<(&str, NaiveDate)> = plans.iter().map(|p| (p.number.as_str(), p.date)).collect();
    let mut docs: Vec<&Document> = records
        .documents
        .iter()
        .filter(|d| d.unit == unit && d.direction == Direction::Issued && d.kind.is_directive() && from <= d.date && d.date <= to)
        .filter(|d| !cited.contains(&(d.number.as_str(), d.date)))
        .collect();
    docs.sort_by(|a, b| (a.date, &a.number).cmp(&(b.date, &b.number)));
    let cchc: Vec<&Plan> =
        records.plans.iter().filter(|p| p.unit == unit && p.kind == crate::PlanKind::Cchc && p.in_force_within(from, to)).collect();
    let (mut cchc_plan, mut unfinished) = (None, Vec::new());
    if !cchc.is_empty() {
        let ids: Vec<i64> = cchc.iter().map(|p| p.id).collect();
        let tasks: Vec<&Task> = records.tasks.iter().filter(|t| ids.contains(&t.plan)).collect();
        let mut done = 0;
        for t in &tasks {
            let s = state_on(t, to, is_working_day);
            if s.is_done() {
                done += 1;
            } else {
                unfinished.push((t.content.clone(), unit_name(&t.responsible), t.deadline, s));
            }
        }
        unfinished.sort_by(|a, b| (a.2, &a.0).cmp(&(b.2, &b.0)));
        let names: Vec<String> = cchc.iter().map(|p| p.citation()).collect();
        cchc_plan = Some((names.join("; "), done, tasks.len() as u64));
    }
    SectionOne {
        plans: plans.iter().map(|p| p.citation()).collect(),
        documents: docs.iter().map(|d| d.citation()).collect(),
        cchc_plan,
        unfinished,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PlanKind;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn citations_as_the_reference_reports_write_them() {
        assert_eq!(
            citation("Kế hoạch", "158/KH-UBND", d(2022, 1, 17), "UBND huyện", "ban hành Kế hoạch CCHC năm 2022"),
            "Kế hoạch số 158/KH-UBND ngày 17/01/2022 của UBND huyện về ban hành Kế hoạch CCHC năm 2022"
        );
        assert_eq!(
            citation("Công văn", "106/UBND-NV", d(2022, 1, 12), "", "về việc khắc phục tồn tại, hạn chế."),
            "Công văn số 106/UBND-NV ngày 12/01/2022 về việc khắc phục tồn tại, hạn chế"
        );
    }

    #[test]
    fn section_one_lists_plans_documents_and_unfinished_tasks() {
        let plan = Plan {
            id: 7,
            unit: "H".into(),
            kind: PlanKind::Cchc,
            number: "158/KH-UBND".into(),
            date: d(2022, 1, 17),
            issuer: "UBND huyện".into(),
            signer: String::new(),
            summary: "ban hành Kế hoạch CCHC năm 2022".into(),
            valid_from: None,
            valid_to: None,
        };
        let doc = |n: &str, day, kind| Document {
            id: 1,
            unit: "H".into(),
            kind,
            direction: Direction::Issued,
            number: n.into(),
            date: day,
            issuer: String::new(),
            summary: "về việc thực hiện CCHC".into(),
        };
        let docs = [
            doc("158/KH-UBND", d(2022, 1, 17), DocKind::KeHoach),
            doc("106/UBND-NV", d(2022, 1, 12), DocKind::CongVan),
            doc("99/BC-UBND", d(2022, 1, 12), DocKind::BaoCao),
        ];
        let task = |content: &str, done: Option<NaiveDate>| Task {
            id: 1,
            plan: 7,
            content: content.into(),
            responsible: "X1".into(),
            cooperating: vec![],
            deadline: d(2022, 3, 31),
            output: String::new(),
            started_on: None,
            done_on: done,
            notes: vec![],
            evidence: None,
            evidence_file: None,
        };
        let tasks = [task("Rà soát TTHC", Some(d(2022, 3, 1))), task("Số hóa kết quả", None)];
        let s = section_one(
            "H",
            (d(2021, 12, 15), d(2022, 6, 14)),
            crate::figures::Records { plans: &[plan], tasks: &tasks, documents: &docs },
            &|x: NaiveDate| chrono::Datelike::weekday(&x).num_days_from_monday() < 5,
            &|u| format!("UBND xã {u}"),
        );
        assert_eq!(s.plans.len(), 1);
        assert_eq!(s.documents, vec!["Công văn số 106/UBND-NV ngày 12/01/2022 về việc thực hiện CCHC".to_string()]);
        let md = s.markdown("UBND huyện");
        assert!(md.contains("+ Kế hoạch số 158/KH-UBND ngày 17/01/2022 của UBND huyện về ban hành Kế hoạch CCHC năm 2022."), "{md}");
        assert!(md.contains("đã hoàn thành 1/2 nhiệm vụ"), "{md}");
        assert!(md.contains("đạt tỷ lệ 50,00%"), "{md}");
        assert!(md.contains("Số hóa kết quả (đơn vị chủ trì: UBND xã X1; thời hạn 31/03/2022; quá hạn chưa hoàn thành)."), "{md}");
        assert!(md.contains("[^hs1]: Công văn số 106/UBND-NV ngày 12/01/2022"), "{md}");
    }
}
