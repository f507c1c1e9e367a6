//! Records the store returns besides the domain types.

use cchc_periods::Period;
use cchc_report::UnitReport;
use cchc_report::workflow::{Action, Status};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// A stored report with its workflow state.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRecord {
    pub report: UnitReport,
    pub status: Status,
    /// Incremented by every save and transition; the basis of optimistic locking.
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// When it was last sent (đã gửi), for timeliness.
    pub submitted_at: Option<NaiveDateTime>,
    pub updated_by: String,
    /// Why it was last returned (trả lại), while it is returned.
    pub return_reason: Option<String>,
}

/// One workflow step of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    pub from: Status,
    pub to: Status,
    pub action: Action,
    pub by: String,
    pub at: NaiveDateTime,
    pub reason: Option<String>,
}

/// A report already issued (báo cáo đã ban hành), stored as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuedReport {
    pub report: UnitReport,
    pub stored_at: NaiveDateTime,
    pub by: String,
}

/// What a note on a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    /// Ý kiến: a comment of the figure's thread, by the clerk or a reviewer.
    Comment,
    /// Đề nghị xem lại: a figure a reviewer pointed at when returning the report.
    Mark,
}

impl NoteKind {
    pub const ALL: [NoteKind; 2] = [NoteKind::Comment, NoteKind::Mark];

    pub fn slug(self) -> &'static str {
        match self {
            NoteKind::Comment => "comment",
            NoteKind::Mark => "mark",
        }
    }

    pub fn from_slug(s: &str) -> Option<NoteKind> {
        NoteKind::ALL.into_iter().find(|k| k.slug() == s)
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            NoteKind::Comment => "ý kiến",
            NoteKind::Mark => "đề nghị xem lại",
        }
    }
}

/// A note on one figure of a report (the key as `3.5.1[level=xa]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigureNote {
    pub unit_code: String,
    pub period: Period,
    pub key: String,
    pub kind: NoteKind,
    pub text: String,
    pub by: String,
    pub at: NaiveDateTime,
}

/// A role (vai trò) of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Quản trị: users, units, catalogue, calendar.
    Admin,
    /// Cán bộ đơn vị: enters data for their own unit.
    UnitOfficer,
    /// Cán bộ tổng hợp: reviews, returns and approves the reports of units below; compiles.
    Compiler,
    /// Lãnh đạo: reads dashboards and downloads reports.
    Leader,
}

impl Role {
    pub fn slug(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::UnitOfficer => "unit-officer",
            Role::Compiler => "compiler",
            Role::Leader => "leader",
        }
    }
    pub fn from_slug(s: &str) -> Option<Role> {
        [Role::Admin, Role::UnitOfficer, Role::Compiler, Role::Leader].into_iter().find(|r| r.slug() == s)
    }
    pub fn name_vi(self) -> &'static str {
        match self {
            Role::Admin => "quản trị",
            Role::UnitOfficer => "cán bộ đơn vị",
            Role::Compiler => "cán bộ tổng hợp",
            Role::Leader => "lãnh đạo",
        }
    }
}

/// A user account. The password hash is an Argon2 PHC string made by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub unit_code: String,
    pub password_hash: String,
    pub active: bool,
}

/// One audit row: who did what when, with the old and new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub at: NaiveDateTime,
    pub by: String,
    pub unit_code: Option<String>,
    pub period: Option<String>,
    /// "sửa số liệu", "gửi", "trả lại", "đăng nhập", …
    pub action: String,
    /// What changed, e.g. an indicator key `3.5.1[field=ho-tich]`.
    pub item: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

impl AuditEntry {
    /// A change by `by` made now, with no unit, period, item or values yet (fill them in with
    /// struct update syntax).
    pub fn now(by: &str, action: &str) -> AuditEntry {
        AuditEntry {
            at: crate::now(),
            by: by.into(),
            unit_code: None,
            period: None,
            action: action.into(),
            item: None,
            old_value: None,
            new_value: None,
        }
    }
}

/// Which dossiers to list (see `Store::search_dossiers`).
#[derive(Debug, Clone)]
pub struct DossierQuery {
    pub units: Vec<String>,
    /// Received from (inclusive) …
    pub from: NaiveDateTime,
    /// … to (inclusive).
    pub to: NaiveDateTime,
    /// Part of a dossier's own words (receipt code, procedure code, the applicant's name and ID
    /// number), without diacritics or case (`cchc_dossiers::search::needle` is applied); `%` and
    /// `_` are characters like the others. Empty for all.
    pub text: String,
    /// Whether the text also matches the applicant's name and ID number: only for an actor who
    /// sees them in full (personal data, Decree 13/2023/NĐ-CP); otherwise only the receipt and
    /// procedure codes are searched, so a search cannot tell whose dossier it is. Even then, the
    /// applicant is matched only on the dossiers `units` handle now (`handling_unit`): a
    /// dossier a unit transferred away is found there by its codes alone.
    pub personal: bool,
    /// Procedures whose name or field the text matched (decided by the caller, who has the
    /// catalogue): their dossiers match the text too.
    pub text_procedures: Vec<String>,
    /// Only these procedures (a field's), when given.
    pub procedures: Option<Vec<String>>,
    /// Only dossiers in one of these states (`Status::slug`), when not empty.
    pub states: Vec<String>,
    /// Only dossiers received through this channel (`channel_slug`), when given.
    pub channel: Option<String>,
    /// Only open dossiers whose clock runs with an appointment from (inclusive) …
    pub due_from: Option<NaiveDateTime>,
    /// … and to (exclusive); either bound alone is a condition too.
    pub due_before: Option<NaiveDateTime>,
    /// The page: `limit` dossiers after skipping `offset`; a `limit` of 0 only counts.
    pub limit: i64,
    pub offset: i64,
    /// Oldest appointment first (the work lists) instead of newest receipt first.
    pub by_due: bool,
}

impl DossierQuery {
    /// Every dossier of `units` received in `[from, to]`, the first `limit`, newest first.
    pub fn new(units: Vec<String>, from: NaiveDateTime, to: NaiveDateTime, limit: i64) -> DossierQuery {
        DossierQuery {
            units,
            from,
            to,
            text: String::new(),
            personal: false,
            text_procedures: Vec::new(),
            procedures: None,
            states: Vec::new(),
            channel: None,
            due_from: None,
            due_before: None,
            limit,
            offset: 0,
            by_due: false,
        }
    }
}

/// Which audit rows to read (newest first).
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub unit_code: Option<String>,
    pub period: Option<String>,
    pub by: Option<String>,
    pub limit: Option<i64>,
}

/// A filtered page of the audit log ([`crate::AdminStore::audit_page`]): every condition given
/// must hold; the newest entries first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only entries of these units (a subtree, for a compiler or leader); `None`: every entry,
    /// including those of no unit. `Some(empty)` matches nothing.
    pub units: Option<Vec<String>>,
    /// Only entries by this user name.
    pub by: Option<String>,
    /// Only entries of this action ("đổi tên đơn vị", …).
    pub action: Option<String>,
    /// From this day (inclusive).
    pub from: Option<chrono::NaiveDate>,
    /// Until this day (inclusive).
    pub until: Option<chrono::NaiveDate>,
    /// Entries skipped (the page's start).
    pub offset: i64,
    /// Entries at most (the page's size); 0 gives the count only.
    pub limit: i64,
}

/// One page of the audit log, and how many entries match in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: i64,
}

/// A unit's settings for its report documents (Decree 30/2020 metadata). Every field is optional:
/// what is set here fills what the report itself does not state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentSettings {
    pub unit_code: String,
    /// Ký hiệu of the document: "BC-UBND".
    pub symbol: Option<String>,
    /// Tên cơ quan ban hành: "ỦY BAN NHÂN DÂN HUYỆN CẨM XUYÊN".
    pub issuer: Option<String>,
    /// Tên cơ quan chủ quản.
    pub parent_body: Option<String>,
    /// Địa danh: "Cẩm Xuyên".
    pub place: Option<String>,
    /// Kính gửi.
    pub addressee: Option<String>,
    /// "TM. ỦY BAN NHÂN DÂN".
    pub sign_for: Option<String>,
    /// "KT. CHỦ TỊCH" when a deputy signs.
    pub deputy: Option<String>,
    /// "PHÓ CHỦ TỊCH".
    pub signer_title: Option<String>,
    pub signer: Option<String>,
    /// Nơi nhận, ending with "Lưu: VT, …".
    pub recipients: Vec<String>,
}
