//! The records: plans, their tasks and the documents of the register, and what makes each
//! acceptable (every problem named by its field, in Vietnamese).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::kinds::{Direction, DocKind, PlanKind};

/// A unit's plan (kế hoạch): "Kế hoạch số 158/KH-UBND ngày 17/01/2022 của UBND huyện về ban
/// hành Kế hoạch CCHC năm 2022". `id` is the store's (0 before it is stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: i64,
    /// The unit whose plan it is (mã đơn vị).
    pub unit: String,
    pub kind: PlanKind,
    /// Số, ký hiệu: "158/KH-UBND".
    pub number: String,
    /// Ngày ban hành.
    pub date: NaiveDate,
    /// Cơ quan ban hành as the text cites it: "UBND huyện".
    pub issuer: String,
    /// Người ký.
    pub signer: String,
    /// Trích yếu, what follows "về": "ban hành Kế hoạch CCHC năm 2022".
    pub summary: String,
    /// Hiệu lực: from its date when not stated, to the end of that year when not stated.
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

impl Plan {
    /// The days the plan is in force.
    pub fn in_force(&self) -> (NaiveDate, NaiveDate) {
        let from = self.valid_from.unwrap_or(self.date);
        let to = self.valid_to.unwrap_or_else(|| NaiveDate::from_ymd_opt(from.year(), 12, 31).unwrap_or(from));
        (from, to)
    }

    /// Whether the plan is in force on some day of `from..=to`.
    pub fn in_force_within(&self, from: NaiveDate, to: NaiveDate) -> bool {
        let (a, b) = self.in_force();
        a <= to && from <= b
    }

    /// Every problem of the plan, by field (the names its form gives them).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Err(m) = check_number(&self.number) {
            out.push(("Số, ký hiệu", m));
        }
        if self.summary.trim().is_empty() {
            out.push(("Trích yếu", "chưa nhập trích yếu (nội dung kế hoạch)".to_string()));
        }
        if self.unit.trim().is_empty() {
            out.push(("Đơn vị", "chưa chọn đơn vị".to_string()));
        }
        if let (Some(a), Some(b)) = (self.valid_from, self.valid_to)
            && b < a
        {
            out.push((
                "Hiệu lực đến ngày",
                format!("ngày hết hiệu lực {} trước ngày bắt đầu hiệu lực {}", cchc_format::date(b), cchc_format::date(a)),
            ));
        }
        out
    }
}

/// A progress note on a task (ghi chú tiến độ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub on: NaiveDate,
    pub by: String,
    pub text: String,
}

/// A task of a plan (nhiệm vụ). Its state is not stored: it follows from its deadline and the
/// days it was started and finished ([`crate::state`]). A task whose responsible unit is not
/// the plan's unit is assigned to it by the plan (giao nhiệm vụ): it is in that unit's list and
/// counts in the plan's unit's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: i64,
    pub plan: i64,
    /// Nội dung nhiệm vụ.
    pub content: String,
    /// Đơn vị chủ trì (mã đơn vị).
    pub responsible: String,
    /// Đơn vị phối hợp (mã đơn vị).
    #[serde(default)]
    pub cooperating: Vec<String>,
    /// Thời hạn hoàn thành.
    pub deadline: NaiveDate,
    /// Sản phẩm dự kiến.
    #[serde(default)]
    pub output: String,
    /// Ngày bắt đầu thực hiện, when started.
    #[serde(default)]
    pub started_on: Option<NaiveDate>,
    /// Ngày hoàn thành, when done.
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Minh chứng: a document of the register (its id).
    #[serde(default)]
    pub evidence: Option<i64>,
    /// Minh chứng: a file uploaded for the task (a scan, a photo, a signed report), kept by the
    /// store beside the task.
    #[serde(default)]
    pub evidence_file: Option<EvidenceFile>,
}

/// A file uploaded as a task's evidence: what the task says of it (its bytes are the store's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceFile {
    /// The store's id of the file.
    pub id: i64,
    /// The file's name as uploaded ("Bao cao ket qua.pdf").
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
}

/// The kinds of file taken as evidence, by their extension, with the content type they are
/// served with and how their first bytes begin (a file whose bytes are not of its kind is
/// refused): PDF, Word and Excel (OOXML, a zip), JPEG and PNG images.
pub const EVIDENCE_KINDS: [(&str, &str, &[u8]); 6] = [
    ("pdf", "application/pdf", b"%PDF-"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ("jpg", "image/jpeg", b"\xFF\xD8\xFF"),
    ("jpeg", "image/jpeg", b"\xFF\xD8\xFF"),
    ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
];

/// The largest evidence file taken, in bytes (a scanned report of a few pages).
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// Checks an uploaded evidence file: its name (kept without any folder), its kind by extension
/// and first bytes, its size; the content type it is served with, or the problem in Vietnamese.
pub fn check_evidence(name: &str, bytes: &[u8]) -> Result<(String, &'static str), String> {
    let name = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    if name.is_empty() || bytes.is_empty() {
        return Err("chưa chọn tệp minh chứng".into());
    }
    if bytes.len() > MAX_EVIDENCE_BYTES {
        return Err(format!(
            "tệp \"{name}\" lớn {} MB, vượt giới hạn {} MB của một tệp minh chứng",
            cchc_format::int(bytes.len().div_ceil(1024 * 1024) as i64),
            MAX_EVIDENCE_BYTES / (1024 * 1024)
        ));
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    let Some((_, content_type, magic)) = EVIDENCE_KINDS.iter().find(|(e, _, _)| *e == ext) else {
        return Err(format!("tệp \"{name}\" không phải PDF, Word (.docx), Excel (.xlsx), ảnh JPEG hoặc PNG"));
    };
    if !bytes.starts_with(magic) {
        return Err(format!("nội dung tệp \"{name}\" không phải tệp .{ext} (tệp hỏng hoặc đặt sai đuôi)"));
    }
    Ok((name, content_type))
}

impl Task {
    /// Every problem of the task, by field.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.content.trim().is_empty() {
            out.push(("Nội dung nhiệm vụ", "chưa nhập nội dung nhiệm vụ".to_string()));
        }
        if self.responsible.trim().is_empty() {
            out.push(("Đơn vị chủ trì", "chưa chọn đơn vị chủ trì".to_string()));
        }
        if self.cooperating.contains(&self.responsible) {
            out.push(("Đơn vị phối hợp", "đơn vị chủ trì không đồng thời là đơn vị phối hợp".to_string()));
        }
        if let (Some(s), Some(d)) = (self.started_on, self.done_on)
            && d < s
        {
            out.push(("Ngày hoàn thành", format!("ngày hoàn thành {} trước ngày bắt đầu {}", cchc_format::date(d), cchc_format::date(s))));
        }
        out
    }
}

/// A document of the register (sổ văn bản CCHC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: i64,
    /// The unit whose register it is.
    pub unit: String,
    pub kind: DocKind,
    pub direction: Direction,
    /// Số, ký hiệu: "106/UBND-NV".
    pub number: String,
    pub date: NaiveDate,
    /// Cơ quan ban hành as cited: "UBND huyện", "Sở Nội vụ". Empty: not said in citations.
    pub issuer: String,
    /// Trích yếu: "khắc phục tồn tại, hạn chế …".
    pub summary: String,
}

impl Document {
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Err(m) = check_number(&self.number) {
            out.push(("Số, ký hiệu", m));
        }
        if self.summary.trim().is_empty() {
            out.push(("Trích yếu", "chưa nhập trích yếu".to_string()));
        }
        if self.unit.trim().is_empty() {
            out.push(("Đơn vị", "chưa chọn đơn vị".to_string()));
        }
        out
    }
}

/// Số, ký hiệu as Decree 30/2020 writes them: a number, "/", a symbol ("158/KH-UBND",
/// "106/UBND-NV", "05/2021/QĐ-UBND"), no spaces.
pub fn check_number(s: &str) -> Result<(), String> {
    let s = s.trim();
    let example = "ví dụ 158/KH-UBND";
    if s.is_empty() {
        return Err(format!("chưa nhập số, ký hiệu ({example})"));
    }
    let Some((num, symbol)) = s.split_once('/') else {
        return Err(format!("số, ký hiệu \"{s}\" thiếu dấu \"/\" giữa số và ký hiệu ({example})"));
    };
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("số, ký hiệu \"{s}\" phải bắt đầu bằng số văn bản ({example})"));
    }
    if symbol.is_empty() || symbol.chars().any(char::is_whitespace) {
        return Err(format!("ký hiệu của \"{s}\" trống hoặc có khoảng trắng ({example})"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_files_are_checked_by_kind_bytes_and_size() {
        assert_eq!(check_evidence("C:\\tmp\\Báo cáo.pdf", b"%PDF-1.7 ..."), Ok(("Báo cáo.pdf".to_string(), "application/pdf")));
        assert_eq!(check_evidence("anh.PNG", b"\x89PNG\r\n\x1a\n...").map(|r| r.1), Ok("image/png"));
        assert_eq!(
            check_evidence("x.exe", b"MZ").unwrap_err(),
            "tệp \"x.exe\" không phải PDF, Word (.docx), Excel (.xlsx), ảnh JPEG hoặc PNG"
        );
        assert_eq!(
            check_evidence("x.pdf", b"<html>").unwrap_err(),
            "nội dung tệp \"x.pdf\" không phải tệp .pdf (tệp hỏng hoặc đặt sai đuôi)"
        );
        assert_eq!(check_evidence("", b"%PDF-").unwrap_err(), "chưa chọn tệp minh chứng");
        let big = [b"%PDF-".as_slice(), &vec![0u8; MAX_EVIDENCE_BYTES]].concat();
        assert_eq!(check_evidence("big.pdf", &big).unwrap_err(), "tệp \"big.pdf\" lớn 11 MB, vượt giới hạn 10 MB của một tệp minh chứng");
    }

    #[test]
    fn numbers_as_documents_write_them() {
        for ok in ["158/KH-UBND", "106/UBND-NV", "05/2021/QĐ-UBND", "1318/UBND-NV"] {
            assert_eq!(check_number(ok), Ok(()), "{ok}");
        }
        for bad in ["", "KH-UBND", "/KH", "158/", "158/KH UBND", "số 158/KH"] {
            assert!(check_number(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_plan_is_in_force_from_its_date_to_the_end_of_that_year_unless_stated() {
        let p = Plan {
            id: 0,
            unit: "H".into(),
            kind: PlanKind::TuyenTruyen,
            number: "4256/KH-UBND".into(),
            date: NaiveDate::from_ymd_opt(2021, 12, 31).unwrap(),
            issuer: "UBND huyện".into(),
            signer: String::new(),
            summary: "tuyên truyền CCHC năm 2022".into(),
            valid_from: Some(NaiveDate::from_ymd_opt(2022, 1, 1).unwrap()),
            valid_to: None,
        };
        assert_eq!(p.in_force().1, NaiveDate::from_ymd_opt(2022, 12, 31).unwrap());
        assert!(!p.in_force_within(NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2021, 12, 31).unwrap()));
    }
}
