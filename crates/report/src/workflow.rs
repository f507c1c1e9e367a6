//! The submit-and-approve workflow of a report (quy trình gửi, duyệt báo cáo).
//!
//! nháp → đã gửi → đã duyệt or trả lại (with a reason) → khóa. A returned report is corrected
//! as a draft and sent again. The rules here are the only place transitions are decided; storage
//! records them and the web app offers only the actions [`Status::actions`] allows.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Status of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Nháp: being entered, editable by the unit.
    Draft,
    /// Đã gửi: submitted to the compiling office, read-only for the unit.
    Submitted,
    /// Trả lại: sent back with a reason; editable by the unit again.
    Returned,
    /// Đã duyệt: accepted by the compiling office; counts in the roll-up.
    Approved,
    /// Khóa: closed for the period; nothing changes any more.
    Locked,
}

/// What someone does to a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Lưu nháp.
    SaveDraft,
    /// Gửi.
    Submit,
    /// Trả lại (needs a reason).
    Return,
    /// Duyệt.
    Approve,
    /// Khóa.
    Lock,
    /// Mở khóa (administrators only), back to approved.
    Unlock,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WorkflowError {
    #[error("Không thể {action} báo cáo đang ở trạng thái \"{status}\"")]
    NotAllowed { action: &'static str, status: &'static str },
    #[error("Trả lại báo cáo phải ghi rõ lý do")]
    ReasonRequired,
}

impl Status {
    pub fn name_vi(self) -> &'static str {
        match self {
            Status::Draft => "nháp",
            Status::Submitted => "đã gửi",
            Status::Returned => "trả lại",
            Status::Approved => "đã duyệt",
            Status::Locked => "khóa",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Returned => "returned",
            Status::Approved => "approved",
            Status::Locked => "locked",
        }
    }

    pub fn from_slug(s: &str) -> Option<Status> {
        [Status::Draft, Status::Submitted, Status::Returned, Status::Approved, Status::Locked].into_iter().find(|st| st.slug() == s)
    }

    /// Whether the unit may still change figures.
    pub fn is_editable(self) -> bool {
        matches!(self, Status::Draft | Status::Returned)
    }

    /// Whether the report has been sent (and so counts as submitted for completeness).
    pub fn is_submitted(self) -> bool {
        matches!(self, Status::Submitted | Status::Approved | Status::Locked)
    }

    /// The actions allowed from this status.
    pub fn actions(self) -> &'static [Action] {
        match self {
            Status::Draft | Status::Returned => &[Action::SaveDraft, Action::Submit],
            Status::Submitted => &[Action::Return, Action::Approve],
            Status::Approved => &[Action::Return, Action::Lock],
            Status::Locked => &[Action::Unlock],
        }
    }

    /// The status after `action`, or why it is not allowed. `reason` is required to return.
    pub fn apply(self, action: Action, reason: Option<&str>) -> Result<Status, WorkflowError> {
        if !self.actions().contains(&action) {
            return Err(WorkflowError::NotAllowed { action: action.name_vi(), status: self.name_vi() });
        }
        if action == Action::Return && reason.is_none_or(|r| r.trim().is_empty()) {
            return Err(WorkflowError::ReasonRequired);
        }
        Ok(match action {
            Action::SaveDraft => self,
            Action::Submit => Status::Submitted,
            Action::Return => Status::Returned,
            Action::Approve | Action::Unlock => Status::Approved,
            Action::Lock => Status::Locked,
        })
    }
}

impl Action {
    pub fn name_vi(self) -> &'static str {
        match self {
            Action::SaveDraft => "lưu nháp",
            Action::Submit => "gửi",
            Action::Return => "trả lại",
            Action::Approve => "duyệt",
            Action::Lock => "khóa",
            Action::Unlock => "mở khóa",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_and_a_return() {
        let s = Status::Draft.apply(Action::Submit, None).unwrap();
        assert_eq!(s, Status::Submitted);
        assert_eq!(s.apply(Action::Return, Some("  ")), Err(WorkflowError::ReasonRequired));
        let s = s.apply(Action::Return, Some("Sai số liệu Biểu 3")).unwrap();
        assert!(s.is_editable());
        let s = s.apply(Action::Submit, None).unwrap().apply(Action::Approve, None).unwrap();
        assert_eq!(s.apply(Action::Lock, None), Ok(Status::Locked));
    }

    #[test]
    fn forbidden_moves_say_why() {
        let e = Status::Locked.apply(Action::SaveDraft, None).unwrap_err();
        assert_eq!(e.to_string(), "Không thể lưu nháp báo cáo đang ở trạng thái \"khóa\"");
        assert!(Status::Draft.apply(Action::Approve, None).is_err());
        assert!(Status::Submitted.apply(Action::SaveDraft, None).is_err());
    }
}
